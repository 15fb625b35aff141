/*
 * report.h: the matrix with the quotes of its cells as one HTML page
 * (report.c), which kb_matrix_write writes for HTML with quotes. May
 * include: base/, quotes/, export/present.h, export/table*.h,
 * export/spool.h.
 */
#ifndef KBI_EXPORT_REPORT_H
#define KBI_EXPORT_REPORT_H

#include "kodbok.h"

#include <stdio.h>

/* The matrix and the quotes of every non-empty cell as an HTML fragment
 * for kb_matrix_write with quotes. */
int kbi_report_matrix_html(FILE *out, const kb_matrix *m,
                           const kb_quote_list *l, const kb_export_options *o,
                           kb_error *err);

#endif
