/*
 * table_write.h: writing a table (table.h) to a FILE as aligned text, CSV,
 * TSV, Markdown, JSON or an HTML fragment, whole or a block of rows at a
 * time (table_write.c; docs/exports.md gives each format's exact rules).
 * May include: base/, export/table.h, export/table_html.h.
 */
#ifndef KBI_EXPORT_TABLE_WRITE_H
#define KBI_EXPORT_TABLE_WRITE_H

#include "export/table.h"
#include "kodbok.h"

#include <stdio.h>

/* The formats a table can be written in. */
typedef enum kbi_table_format {
    KBI_TABLE_TEXT = 1, /* aligned columns for a terminal */
    KBI_TABLE_CSV,      /* RFC 4180 */
    KBI_TABLE_TSV,      /* tab-separated, with \t \n \\ escapes */
    KBI_TABLE_MD,       /* a GitHub-flavoured Markdown table */
    KBI_TABLE_HTML,     /* an HTML <table> fragment */
    KBI_TABLE_JSON,     /* an array of objects */
    KBI_TABLE_XLSX      /* a workbook: kbi_table_write_xlsx */
} kbi_table_format;

/* Options for kbi_table_write; all zero (or a NULL pointer) is the default. */
typedef struct kbi_table_options {
    int bom;        /* csv, tsv: start with a UTF-8 byte order mark (Excel) */
    int lf;         /* csv: end records with LF instead of CRLF */
    char delimiter; /* csv: ',' (0 too) or ';' (Swedish Excel) */
    /* csv, tsv: a cell a spreadsheet would read as a formula
     * (kbi_table_formula) is written with a ' first (OWASP's advice) */
    int safe_csv;
    /* csv, tsv: when not NULL, the writer adds to it the number of such
     * cells it wrote (with the ' or without) */
    size_t *formulas;
} kbi_table_options;

/* 1 when a spreadsheet would read the text `s` of a cell as a formula: it
 * begins with =, +, -, @, a tab or a carriage return, and is neither a
 * plain number ("-0.52", "+3", "-1e-3") nor a lone "+" or "-". */
int kbi_table_formula(const char *s);

/* Tells `notice` (when not NULL) that a CSV or TSV file holds n > 0 cells
 * a spreadsheet would read as formulas, naming kb_export_options.safe_csv;
 * nothing when n is 0. */
void kbi_table_formulas_notice(size_t n, kb_notice_fn notice, void *ctx);

/*
 * Writes table `t` to `f` in `format` (any but KBI_TABLE_XLSX), header row
 * first. KB_EINVAL for XLSX, an unknown format or delimiter; KB_EIO when
 * writing fails; KB_ENOMEM.
 */
int kbi_table_write(FILE *f, const kbi_table *t, kbi_table_format format,
                    const kbi_table_options *opts, kb_error *err);

/*
 * A table written a block of rows at a time, for tables too large to hold:
 * open writes the header of table `t` (its name and columns), each
 * kbi_table_writer_rows call writes the rows `t` holds then (the caller
 * fills the same columns, writes, kbi_table_clear's and fills again), and
 * close writes the end. The output is byte for byte what kbi_table_write
 * gives for the whole table, except that text needs the columns' widths
 * up front: `widths` (ncols ints, from kbi_table_text_widths over every
 * block), or NULL to take them from `t` itself. Errors as kbi_table_write;
 * after one, kbi_table_writer_free.
 */
typedef struct kbi_table_writer kbi_table_writer;
int kbi_table_writer_open(kbi_table_writer **out, FILE *f, const kbi_table *t,
                          kbi_table_format format,
                          const kbi_table_options *opts, const int *widths,
                          kb_error *err);
int kbi_table_writer_rows(kbi_table_writer *w, const kbi_table *t,
                          kb_error *err);
/* Writes the end and frees the writer, whatever it returns. */
int kbi_table_writer_close(kbi_table_writer *w, kb_error *err);
void kbi_table_writer_free(kbi_table_writer *w);

/* Raises widths[c] (ncols ints) to the width column c needs in the text
 * format to show t's header and rows. Returns 0, or -1 when out of
 * memory. */
int kbi_table_text_widths(const kbi_table *t, int *widths);

/* Every row as one JSON object, keys in column order, as the JSON writer
 * writes each row of its array: `first` before the first, `sep` before
 * each other one, in one write. KB_ENOMEM, KB_EIO when writing fails. */
int kbi_table_write_json_rows(FILE *f, const kbi_table *t, const char *first,
                              const char *sep, kb_error *err);

#endif
