/*
 * table.h: the table model every tabular export is built from, and its
 * writers (docs/exports.md gives each format's exact rules).
 *
 * A table has a name (the sheet name in XLSX), typed columns and rows of
 * cells. A cell is empty or holds a value of its column's kind: text (valid
 * UTF-8 whose only control characters are tab and newline, the same rule as
 * the store's text) or a 64-bit integer. The writers stream a finished table
 * to a FILE, or, for XLSX, one or more tables to a workbook file.
 */
#ifndef KBI_EXPORT_TABLE_H
#define KBI_EXPORT_TABLE_H

#include "kodbok.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef enum kbi_column_kind {
    KBI_COLUMN_TEXT = 1,
    KBI_COLUMN_INT = 2
} kbi_column_kind;

/* The default for a column's width: the widest it is shown, in terminal
 * cells (text) or characters (XLSX). */
#define KBI_TABLE_WIDTH 60

/* A column; borrowed from its table. */
typedef struct kbi_column {
    const char *id;       /* the header, and the key in JSON */
    kbi_column_kind kind; /* integers are right-aligned and numbers in JSON */
    int width;            /* widest shown (see KBI_TABLE_WIDTH) */
    int wrap;             /* long text wraps at `width` (text and XLSX) */
} kbi_column;

/* A cell; borrowed from its table. */
typedef struct kbi_cell {
    int set;          /* 0: an empty cell (null in JSON) */
    const char *text; /* text columns: the value, NUL-terminated */
    int64_t value;    /* integer columns: the value */
    const char *link; /* where the cell leads (HTML, XLSX), or NULL */
    size_t len;       /* text columns: the value's length in bytes */
} kbi_cell;

typedef struct kbi_table kbi_table;

/* A new table with no columns. `name` is copied; it keeps the rule for
 * text cells (KB_EINVAL if not). KB_ENOMEM. */
int kbi_table_new(kbi_table **out, const char *name, kb_error *err);
/* Frees the table and every string in it. NULL is fine. */
void kbi_table_free(kbi_table *t);

/*
 * Adds a column at the right (ids are copied). `width` 0 means
 * KBI_TABLE_WIDTH. Columns come before rows: KB_EINVAL once a row exists,
 * or for an empty id or one that breaks the rule for text cells; KB_ENOMEM.
 */
int kbi_table_add_column(kbi_table *t, const char *id, kbi_column_kind kind,
                         int width, int wrap, kb_error *err);

/* Adds a row of empty cells; *row (may be NULL) gets its index. KB_ENOMEM. */
int kbi_table_add_row(kbi_table *t, size_t *row, kb_error *err);

/* Removes every row (and the text copied into them), keeping the columns
 * and the memory, so that a table too large to hold is written a block at
 * a time (kbi_table_writer, kbi_workbook) without touching new memory. */
void kbi_table_clear(kbi_table *t);

/*
 * Sets a cell of a text column to a copy of `s` (NULL empties the cell).
 * KB_EINVAL for a row or column out of range, an integer column, or text
 * that is not valid UTF-8 or holds control characters other than tab and
 * newline; KB_ENOMEM. A replaced value is kept until the table is freed.
 */
int kbi_table_set_text(kbi_table *t, size_t row, size_t col, const char *s,
                       kb_error *err);
/* Sets a cell of an integer column. KB_EINVAL as for kbi_table_set_text. */
int kbi_table_set_int(kbi_table *t, size_t row, size_t col, int64_t v,
                      kb_error *err);

/*
 * kbi_table_set_text without the copy, for tables of a million rows built
 * from a list that outlives them: the cell borrows `s`, which must stay
 * valid and unchanged until the table is freed. The same checks.
 */
int kbi_table_set_text_ref(kbi_table *t, size_t row, size_t col, const char *s,
                           kb_error *err);

/*
 * Makes a set cell a link to `href` (copied; NULL removes it): an <a> in
 * HTML, a hyperlink in XLSX ("internal:Sheet!A1" for a cell of the
 * workbook); the other formats show the value alone. KB_EINVAL for a cell
 * that does not exist or is empty, or an href that breaks the rule for text
 * cells; KB_ENOMEM.
 */
int kbi_table_set_link(kbi_table *t, size_t row, size_t col, const char *href,
                       kb_error *err);

const char *kbi_table_name(const kbi_table *t);
size_t kbi_table_columns(const kbi_table *t);
size_t kbi_table_rows(const kbi_table *t);
/* Borrowed until the table is freed or changed; NULL when out of range. */
const kbi_column *kbi_table_column(const kbi_table *t, size_t col);
const kbi_cell *kbi_table_cell(const kbi_table *t, size_t row, size_t col);

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
} kbi_table_options;

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
 * was. The columns' ids are borrowed until the next sheet.
 */
typedef struct kbi_workbook kbi_workbook;
int kbi_workbook_open(kbi_workbook **out, const char *path, kb_error *err);
int kbi_workbook_sheet(kbi_workbook *b, const kbi_table *t, const char *name,
                       kb_error *err);
int kbi_workbook_rows(kbi_workbook *b, const kbi_table *t, kb_error *err);
int kbi_workbook_close(kbi_workbook *b, kb_error *err);
void kbi_workbook_free(kbi_workbook *b);

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

/* Every row as one JSON object, keys in column order, as the JSON writer
 * writes each row of its array: `first` before the first, `sep` before
 * each other one, in one write. KB_ENOMEM, KB_EIO when writing fails. */
int kbi_table_write_json_rows(FILE *f, const kbi_table *t, const char *first,
                              const char *sep, kb_error *err);

/* v in decimal in buf[24] (a leading '-' if negative), as printf's PRId64
 * writes it, without its cost per cell; returns where it starts in buf.
 * Every writer puts an integer cell this way. */
const char *kbi_table_int_text(int64_t v, char buf[24]);

#endif
