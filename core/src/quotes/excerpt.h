/*
 * excerpt.h: kb_quote_excerpt (declared in kodbok.h) is defined in
 * excerpt.c: a quote cut to a number of words around its match. This
 * header only names the module.
 *
 * May include: kodbok.h, base/, quotes/words.h.
 */
#ifndef KBI_QUOTES_EXCERPT_H
#define KBI_QUOTES_EXCERPT_H

#include "kodbok.h"

#endif
