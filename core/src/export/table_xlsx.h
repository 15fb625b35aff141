/*
 * table_xlsx.h: tables (table.h) as the sheets of an XLSX workbook
 * (table_xlsx.c, with libxlsxwriter). May include: base/, export/table.h.
 */
#ifndef KBI_EXPORT_TABLE_XLSX_H
#define KBI_EXPORT_TABLE_XLSX_H

#include "export/table.h"
#include "kodbok.h"

#include <stddef.h>

/*
 * Writes tables as the sheets of one XLSX workbook at `path`, each named
 * after its table: a bold header row that is frozen and has an autofilter,
 * column widths from the content up to the column's width, wrapped text in
 * wrap columns. KB_EINVAL for a sheet name Excel refuses (too long, one of
 * []:*?/\ or a duplicate) or a table too large for a sheet; KB_EIO when the
 * file cannot be written; KB_ENOMEM. The workbook is written beside
 * `path` and renamed over it when complete: on failure `path` is as it was.
 */
int kbi_table_write_xlsx(const char *path, const kbi_table *const *tables,
                         size_t ntables, kb_error *err);

/* The rows a sheet holds under its header (Excel's limit, less one). */
#define KBI_SHEET_ROWS 1048575

/*
 * The same workbook built a sheet at a time and a sheet a block of rows at
 * a time: kbi_workbook_sheet starts a sheet with the columns and rows of
 * table `t`, named `name` (NULL: the table's name), kbi_workbook_rows adds
 * t's rows (the same columns; the caller fills, writes, clears and fills
 * again), kbi_workbook_close writes the workbook and frees it. Errors as
 * kbi_table_write_xlsx, a sheet's rows checked as they come (at most
 * KBI_SHEET_ROWS); after one, kbi_workbook_free, which leaves the path as it
 * was. The columns' ids are borrowed until the next sheet. libxlsxwriter's
 * own temporary files are made in the folder of `path`: the caller's own,
 * noted with kbi_temp_add, so that a signal removes them with it.
 */
typedef struct kbi_workbook kbi_workbook;
int kbi_workbook_open(kbi_workbook **out, const char *path, kb_error *err);
int kbi_workbook_sheet(kbi_workbook *b, const kbi_table *t, const char *name,
                       kb_error *err);
int kbi_workbook_rows(kbi_workbook *b, const kbi_table *t, kb_error *err);
int kbi_workbook_close(kbi_workbook *b, kb_error *err);
void kbi_workbook_free(kbi_workbook *b);

#endif
