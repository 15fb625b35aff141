/*
 * export.h: quotes and the matrix as tables in every format (export.c):
 * kb_quotes_write and kb_matrix_write of kodbok.h, which need nothing more
 * here. May include: base/, quotes/, export/present.h, export/report.h,
 * export/table*.h.
 */
#ifndef KBI_EXPORT_EXPORT_H
#define KBI_EXPORT_EXPORT_H

#include "kodbok.h"

#endif
