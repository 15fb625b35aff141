/*
 * heatmap.h: a matrix as an SVG heat map (heatmap.c), the svg format of
 * kb_matrix_write.
 *
 * May include: kodbok.h, base/, export/svg.h, export/present.h,
 * export/table.h.
 */
#ifndef KBI_EXPORT_HEATMAP_H
#define KBI_EXPORT_HEATMAP_H

#include "kodbok.h"

#include <stdio.h>

/* Writes matrix m (of list l, built with o's axes, count and unit) as one
 * SVG document: row labels on the left, column labels slanted above, each
 * cell shaded by its value with the value written in it, and a legend of
 * the shades (docs/exports.md). Sizes are in points, for print; the shades
 * run from white to dark blue by lightness alone, so they read in grey.
 * 0, KB_ENOMEM, KB_EIO. */
int kbi_heatmap_write(FILE *out, const kb_matrix *m, const kb_quote_list *l,
                      const kb_export_options *o, kb_error *err);

#endif
