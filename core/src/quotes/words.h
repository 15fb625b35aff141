/*
 * words.h: the words of a text, as a quote's word count (kb_quote_row.words)
 * and its excerpt see them: runs of letters, digits and marks.
 *
 * May include: kodbok.h, base/.
 */
#ifndef KBI_QUOTES_WORDS_H
#define KBI_QUOTES_WORDS_H

#include <stddef.h>

/* Called for each word: its start and end as byte offsets, and the code
 * point offset of its start. */
typedef void (*kbi_word_fn)(void *ctx, size_t start, size_t end, size_t cp);

/* Calls fn(ctx, start, end, cp_start) for each word of s[0..n); stops at
 * invalid UTF-8. */
void kbi_words_each(const char *s, size_t n, kbi_word_fn fn, void *ctx);

/* The number of words of s[0..n), as kbi_words_each finds them. */
size_t kbi_words_count(const char *s, size_t n);

#endif
