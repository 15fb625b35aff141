/*
 * excerpt.h: kb_quote_excerpt (declared in kodbok.h) is defined in
 * excerpt.c: a quote cut to a number of words around its match.
 *
 * May include: kodbok.h, base/, quotes/words.h.
 */
#ifndef KBI_QUOTES_EXCERPT_H
#define KBI_QUOTES_EXCERPT_H

#include "kodbok.h"

/* kb_quote_excerpt with `gap` (UTF-8) where text is cut instead of "[…]":
 * the slides' "[...]". */
int kbi_quote_excerpt_marked(char **out, const kb_quote_row *q,
                             size_t max_words, const char *gap, kb_error *err);

#endif
