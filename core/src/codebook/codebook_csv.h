/*
 * codebook_csv.h: a codebook read from a CSV table: kb_codebook_from_csv of
 * kodbok.h (codebook_csv.c), and the ids it makes from labels, which REFI-QDA
 * codebooks are given too. May include: base/, codebook/codebook.h.
 */
#ifndef KBI_CODEBOOK_CSV_H
#define KBI_CODEBOOK_CSV_H

#include "kodbok.h"

/* An id made from a label (caller frees): lower case, å ä à á -> a,
 * ö ø ó -> o, é è -> e, ü -> u, other ASCII letters and digits as they are,
 * every run of anything else one '-' ("VVG:s roll oklar" ->
 * "vvg-s-roll-oklar"); "" when nothing is left. NULL when out of memory. */
char *kbi_codebook_slug(const char *label);

#endif
