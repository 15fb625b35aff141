/*
 * wordfreq.h: word frequencies of a selection and their keyness against a
 * reference (wordfreq.c): kb_project_words and kb_word_table in kodbok.h,
 * and the spans of text a selection is, which suggest.c shares.
 *
 * May include: kodbok.h, base/, store/, quotes/, analysis/vocab.h,
 * analysis/keyness.h, analysis/stopwords.h.
 */
#ifndef KBI_ANALYSIS_WORDFREQ_H
#define KBI_ANALYSIS_WORDFREQ_H

#include "analysis/vocab.h"
#include "kodbok.h"

#include <stddef.h>

/* A span of a document's text, in code points. */
typedef struct kbi_span {
    size_t start, end;
} kbi_span;

/* Counts the words of text[0..n) inside spans[0..nspans) (sorted, not
 * overlapping) on `side` of `v` for document `doc`. KB_ENOMEM. */
int kbi_vocab_spans(kbi_vocab *v, int side, size_t doc, const char *text,
                    size_t n, const kbi_span *spans, size_t nspans,
                    kb_error *err);

#endif
