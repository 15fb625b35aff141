/*
 * matrix.h: kb_matrix_build and the kb_matrix getters (declared in
 * kodbok.h) are defined in matrix.c: a quote list counted by two axes, or
 * the co-occurrence of two axes of codes in units. This header only names
 * the module.
 *
 * May include: kodbok.h, base/, quotes/list.h, quotes/facet_list.h,
 * quotes/attributes.h, quotes/units.h.
 */
#ifndef KBI_QUOTES_MATRIX_H
#define KBI_QUOTES_MATRIX_H

#include "kodbok.h"

/* A matrix's axes when none are given (kb_export_options.rows, .cols). */
#define KBI_MATRIX_ROWS "theme"
#define KBI_MATRIX_COLS "level"

#endif
