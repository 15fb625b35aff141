/*
 * table_html.h: a table (table.h) as an HTML <table> (table_html.c, with
 * libxml2's writer). May include: base/, export/table.h.
 */
#ifndef KBI_EXPORT_TABLE_HTML_H
#define KBI_EXPORT_TABLE_HTML_H

#include "export/table.h"
#include "kodbok.h"

#include <stdio.h>

/* The HTML writer (table_html.c), reached through kbi_table_writer: open
 * writes <table> and its header to f, rows a <tr> per row of t, close
 * </table>, and frees the writer (whatever it returns; err may be NULL). */
struct _xmlTextWriter;
int kbi_table_html_open(struct _xmlTextWriter **out, FILE *f,
                        const kbi_table *t, kb_error *err);
int kbi_table_html_rows(struct _xmlTextWriter *w, const kbi_table *t,
                        kb_error *err);
int kbi_table_html_close(struct _xmlTextWriter *w, kb_error *err);

/* The whole <table> written by a writer the caller holds, for a page that
 * embeds tables (report.c). Returns 0, or -1 when the writer fails. */
int kbi_table_html_element(struct _xmlTextWriter *w, const kbi_table *t);

#endif
