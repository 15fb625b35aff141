/*
 * export.h: quotes and the matrix as tables in every format (export.c):
 * kb_quotes_write and kb_matrix_write of kodbok.h, and the one writer of a
 * table of a few rows in an export format. May include: base/, quotes/,
 * export/present.h, export/report.h, export/table*.h.
 */
#ifndef KBI_EXPORT_EXPORT_H
#define KBI_EXPORT_EXPORT_H

#include "export/table.h"
#include "kodbok.h"

#include <stdio.h>

/* A table of a few rows in o->format as the table writers write it; XLSX
 * as a workbook of one sheet, built in a temporary folder and copied to
 * `out`. */
int kbi_export_table_write(FILE *out, const kbi_table *t,
                           const kb_export_options *o, kb_error *err);

#endif
