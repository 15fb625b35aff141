/*
 * matrix.h: kb_matrix_build and the kb_matrix getters (declared in
 * kodbok.h) are defined in matrix.c: a quote list counted by two axes, or
 * the co-occurrence of two axes of codes in units. This header names the
 * module, its default axes and a lookup of a row or column by key.
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

/* The row (cols 0) or column of m whose key is `key` (NULL: ""), or
 * SIZE_MAX: how another matrix's cell is found in this one. */
size_t kbi_matrix_place(const kb_matrix *m, int cols, const char *key);

#endif
