/*
 * table.h: the table model every tabular export is built from (table.c);
 * its writers are table_write.h (text, CSV, TSV, Markdown, JSON, and HTML
 * through table_html.h) and table_xlsx.h. May include: base/.
 *
 * A table has a name (the sheet name in XLSX), typed columns and rows of
 * cells. A cell is empty or holds a value of its column's kind: text (valid
 * UTF-8 whose only control characters are tab and newline, the same rule as
 * the store's text), a 64-bit integer, or a decimal number (held as its
 * text, right-aligned, a number in JSON and XLSX).
 */
#ifndef KBI_EXPORT_TABLE_H
#define KBI_EXPORT_TABLE_H

#include "base/grow.h"
#include "kodbok.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef enum kbi_column_kind {
    KBI_COLUMN_TEXT = 1,
    KBI_COLUMN_INT = 2,
    KBI_COLUMN_NUMBER = 3 /* a decimal, held as the text it is written as */
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

/* A table. The writers (table_write.c, table_html.c, table_xlsx.c) read its
 * fields; only the functions below change them. */
typedef struct kbi_table kbi_table;
struct kbi_table {
    char *name;
    kbi_column *cols;
    size_t ncols, ccap;
    kbi_cell *cells; /* nrows * ncols */
    size_t nrows, cellcap;
    kbi_pool pool; /* the name and ids, then links and cell texts */
    size_t fixed;  /* blocks of the pool that are the name and ids */
    /* per column, the last borrowed text found to keep the rule: a list of
     * quotes repeats its names (documents, concepts) from one copy each,
     * and borrowed text does not change, so it is not checked again */
    struct checked {
        const char *s;
        size_t n;
    } * checked;
    size_t checkcap;
};

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
 * The rows of t as bytes, appended to (*buf, *len) (grown, *cap its room):
 * each cell's value, without links. kbi_table_unpack adds them to a table
 * of the same columns: rows kept aside (a spool) and written later.
 * KB_ENOMEM.
 */
int kbi_table_pack(const kbi_table *t, char **buf, size_t *len, size_t *cap,
                   kb_error *err);

/* Adds the rows kbi_table_pack made, p[0..n), to t, whose columns are the
 * packed table's; their texts borrow from p, which must stay until t is
 * cleared or freed. KB_EINVAL when p is not whole rows of such a table;
 * KB_ENOMEM. */
int kbi_table_unpack(kbi_table *t, const char *p, size_t n, kb_error *err);

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
/* Sets a cell of a number column to v with `decimals` digits after the
 * point. KB_EINVAL as for kbi_table_set_text; KB_ENOMEM. */
int kbi_table_set_number(kbi_table *t, size_t row, size_t col, double v,
                         int decimals, kb_error *err);

/*
 * kbi_table_set_text without the copy, for tables of a million rows built
 * from a list that outlives them: the cell borrows `s`, which must stay
 * valid and unchanged until the table is freed. The same checks.
 */
int kbi_table_set_text_ref(kbi_table *t, size_t row, size_t col, const char *s,
                           kb_error *err);

/* kbi_table_set_text_ref of text the project's store holds (a quote cut
 * from a document), which keeps the table's rule already: s is n bytes,
 * NUL-terminated, and is not checked again. */
int kbi_table_set_text_stored(kbi_table *t, size_t row, size_t col,
                              const char *s, size_t n, kb_error *err);

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

/* v with `decimals` (0 to 9) digits after a point in buf[48], rounded half
 * away from zero, the same in every locale; returns buf. */
const char *kbi_table_number_text(double v, int decimals, char buf[48]);

/* v in decimal in buf[24] (a leading '-' if negative), as printf's PRId64
 * writes it, without its cost per cell; returns where it starts in buf.
 * Every writer puts an integer cell this way. */
const char *kbi_table_int_text(int64_t v, char buf[24]);

#endif
