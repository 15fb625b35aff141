/*
 * sentences.h: the Swedish sentence splitter that cuts a transcript's
 * paragraphs into sentence segments. Includes base/ only (swar.h).
 */
#ifndef KBI_SENTENCES_H
#define KBI_SENTENCES_H

#include <stddef.h>

/* Callback receiving a sentence as a byte span [start, end) of the input. */
typedef void (*kbi_span_fn)(void *ctx, size_t start, size_t end);

/*
 * Splits one paragraph of Swedish text into sentences, calling `emit` once
 * per sentence in order with spans trimmed of surrounding white space. Does
 * not break on abbreviations (t.ex., bl.a., p.g.a., d.v.s., s.k., ca., resp.,
 * kl., nr., ...), initials, decimals, dates, ellipses or "[...]"; breaks
 * after osv., m.m., m.fl., etc. only before a capital letter. Returns the
 * number of sentences.
 */
size_t kbi_sentences_split(const char *s, size_t len, kbi_span_fn emit,
                           void *ctx);

#endif
