/*
 * codebook_csv.h: a codebook read from a CSV table: kb_codebook_from_csv of
 * kodbok.h (codebook_csv.c), which need nothing more here. May include: base/,
 * codebook/codebook.h.
 */
#ifndef KBI_CODEBOOK_CSV_H
#define KBI_CODEBOOK_CSV_H

#include "kodbok.h"

#endif
