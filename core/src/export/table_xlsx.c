/*
 * table_xlsx.c: tables as the sheets of one XLSX workbook, written by
 * libxlsxwriter (docs/exports.md). Each sheet has a bold header row that is
 * frozen and carries an autofilter, columns as wide as their content up to
 * the column's width, and wrapped text in wrap columns; every cell is
 * aligned to the top so that tall wrapped rows read from their first line.
 * A sheet takes its rows a block at a time (kbi_workbook), and libxlsxwriter
 * runs in constant memory, writing each row out as it comes with its
 * strings inline, so a sheet of a million rows is never held.
 *
 * Invariants: rows are written in order, whole rows at a time, as constant
 * memory needs; the workbook is written to a new file beside the path and
 * renamed over it only when complete, so a failure leaves the path as it
 * was (a workbook that failed while being built is freed without writing
 * anything); every string fits Excel's limit of
 * 32,767 characters, longer ones being cut and ended with " [...]";
 * integers beyond Excel's 15 significant digits are written as text so
 * that no digit changes.
 */
#include "export/table_xlsx.h"
#include "base/error.h"
#include "base/file.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <utf8proc.h>
#include <xlsxwriter.h>

/* Excel's limits: characters (UTF-16 units) in a cell, exact integers. */
#define EXCEL_CHARS     32767
#define EXCEL_EXACT_MAX 999999999999999LL
#define CUT_MARK        " [...]"

typedef struct styles {
    lxw_format *header; /* bold */
    lxw_format *top;    /* body cells */
    lxw_format *wrap;   /* body cells of wrap columns */
    lxw_format *link;   /* body cells with a link: blue, underlined */
} styles;

static int fail_lxw(kb_error *err, lxw_error e, const char *sheet)
{
    int code = KB_EINVAL;
    if (e == LXW_ERROR_MEMORY_MALLOC_FAILED)
        code = KB_ENOMEM;
    else if (e >= LXW_ERROR_CREATING_XLSX_FILE && e <= LXW_ERROR_ZIP_CLOSE)
        code = KB_EIO;
    return kbi_fail(err, code, "sheet %s: %s", sheet, lxw_strerror(e));
}

/*
 * s itself if it fits in an Excel cell, else a copy in *cut (caller frees)
 * of its longest prefix of whole code points that leaves room for " [...]",
 * with that mark. NULL when out of memory.
 */
static const char *excel_text(const char *s, char **cut)
{
    if (strnlen(s, EXCEL_CHARS + 1) <= EXCEL_CHARS)
        return s; /* no more UTF-16 units than bytes */
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    size_t units = 0, keep = 0; /* UTF-16 units; bytes that fit with mark */
    for (size_t i = 0; p[i];) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(p + i, -1, &cp);
        units += cp > 0xFFFF ? 2 : 1;
        i += (size_t)k; /* valid: the table checked every cell */
        if (units <= EXCEL_CHARS - strlen(CUT_MARK))
            keep = i;
        if (units > EXCEL_CHARS) {
            if (!(*cut = malloc(keep + sizeof CUT_MARK)))
                return NULL;
            memcpy(*cut, s, keep);
            memcpy(*cut + keep, CUT_MARK, sizeof CUT_MARK);
            return *cut;
        }
    }
    return s;
}

/* Writes one body cell; a link first, then the value over it (the link
 * stays). Returns an lxw_error (or -1 when out of memory). */
static int write_cell(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
                      const kbi_column *c, const kbi_cell *cell,
                      lxw_format *fmt)
{
    if (!cell->set)
        return LXW_NO_ERROR;
    if (cell->link) {
        lxw_error e = worksheet_write_url(ws, row, col, cell->link, fmt);
        if (e)
            return e;
    }
    if (c->kind == KBI_COLUMN_INT) {
        if (cell->value >= -EXCEL_EXACT_MAX && cell->value <= EXCEL_EXACT_MAX)
            return worksheet_write_number(ws, row, col, (double)cell->value,
                                          fmt);
        char digits[24];
        return worksheet_write_string(
            ws, row, col, kbi_table_int_text(cell->value, digits), fmt);
    }
    if (c->kind == KBI_COLUMN_NUMBER)
        return worksheet_write_number(ws, row, col, strtod(cell->text, NULL),
                                      fmt);
    char *cut = NULL;
    const char *s = excel_text(cell->text, &cut);
    if (!s)
        return -1;
    int rc = worksheet_write_string(ws, row, col, s, fmt);
    free(cut);
    return rc;
}

/* The width a cell needs, in characters. */
static int cell_width(const kbi_column *col, const kbi_cell *cell)
{
    if (!cell->set)
        return 0;
    char digits[24];
    if (col->kind == KBI_COLUMN_INT)
        return (int)strlen(kbi_table_int_text(cell->value, digits));
    return kb_text_width(cell->text);
}

struct kbi_workbook {
    char *path, *tmp; /* the target, and the file written beside it */
    char *dir;        /* the target's folder: libxlsxwriter's own files */
    int slot;         /* tmp's in the registry of temporary files */
    lxw_workbook *wb;
    styles st;
    /* the sheet being written */
    lxw_worksheet *ws;
    char *name;
    kbi_column *cols; /* its columns (ids borrowed from the caller's table) */
    int *widest;      /* widest content so far, up to the column's width */
    size_t ncols, rows;
};

/* Ends the sheet being written: each column as wide as its widest line,
 * header included, up to the column's width (the header is never cut),
 * plus room for the autofilter button; the frozen header; the
 * autofilter over every row. */
static int end_sheet(kbi_workbook *b, kb_error *err)
{
    if (!b->ws)
        return 0;
    lxw_error e = LXW_NO_ERROR;
    for (size_t c = 0; c < b->ncols && !e; c++) {
        const kbi_column *col = &b->cols[c];
        int header = kb_text_width(col->id), w = b->widest[c];
        e = worksheet_set_column(b->ws, (lxw_col_t)c, (lxw_col_t)c,
                                 (w > header ? w : header) + 3,
                                 col->wrap ? b->st.wrap : b->st.top);
    }
    worksheet_freeze_panes(b->ws, 1, 0);
    if (!e && b->ncols)
        e = worksheet_autofilter(b->ws, 0, 0, (lxw_row_t)b->rows,
                                 (lxw_col_t)(b->ncols - 1));
    b->ws = NULL;
    return e ? fail_lxw(err, e, b->name) : 0;
}

int kbi_workbook_open(kbi_workbook **out, const char *path, kb_error *err)
{
    *out = NULL;
    kbi_workbook *b = calloc(1, sizeof *b);
    if (!b || !(b->path = strdup(path))) {
        free(b);
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    }
    /* The file exists before libxlsxwriter opens it, so a directory that
     * cannot be written is reported here, before libxlsxwriter would print
     * its own message. */
    b->slot = -1;
    int rc = kbi_file_temp_beside(&b->tmp, &b->slot, path, err);
    if (rc) {
        kbi_workbook_free(b);
        return rc;
    }
    /* libxlsxwriter's temporary files (made, then unlinked at once) beside
     * the workbook, in its caller's folder, which goes whole on a signal
     * that comes between the two */
    char *slash = strrchr(b->path, '/');
    if (!(b->dir = slash ? strndup(b->path, (size_t)(slash - b->path))
                         : strdup("."))) {
        kbi_workbook_free(b);
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    }
    lxw_workbook_options o = {.constant_memory = LXW_TRUE, .tmpdir = b->dir};
    styles *st = &b->st;
    if (!(b->wb = workbook_new_opt(b->tmp, &o)) ||
        !(st->header = workbook_add_format(b->wb)) ||
        !(st->top = workbook_add_format(b->wb)) ||
        !(st->wrap = workbook_add_format(b->wb)) ||
        !(st->link = workbook_add_format(b->wb))) {
        kbi_workbook_free(b);
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    }
    format_set_bold(st->header);
    format_set_align(st->header, LXW_ALIGN_VERTICAL_TOP);
    format_set_align(st->top, LXW_ALIGN_VERTICAL_TOP);
    format_set_align(st->wrap, LXW_ALIGN_VERTICAL_TOP);
    format_set_text_wrap(st->wrap);
    format_set_align(st->link, LXW_ALIGN_VERTICAL_TOP);
    format_set_underline(st->link, LXW_UNDERLINE_SINGLE);
    format_set_font_color(st->link, LXW_COLOR_BLUE);
    *out = b;
    return 0;
}

_Static_assert(KBI_SHEET_ROWS == LXW_ROW_MAX - 1, "a sheet's rows");

int kbi_workbook_sheet(kbi_workbook *b, const kbi_table *t, const char *name,
                       kb_error *err)
{
    int rc = end_sheet(b, err);
    if (rc)
        return rc;
    if (!name)
        name = kbi_table_name(t);
    size_t ncols = kbi_table_columns(t);
    if (!*name)
        return kbi_fail(err, KB_EINVAL, "a table without a name has no sheet");
    lxw_error e = workbook_validate_sheet_name(b->wb, name);
    if (e)
        return fail_lxw(err, e, name);
    if (ncols > LXW_COL_MAX)
        return kbi_fail(err, KB_EINVAL,
                        "sheet %s: %zu columns do not fit in a sheet", name,
                        ncols);
    free(b->name);
    free(b->cols);
    free(b->widest);
    b->name = strdup(name);
    b->cols = malloc((ncols + 1) * sizeof *b->cols);
    b->widest = calloc(ncols + 1, sizeof *b->widest);
    if (!b->name || !b->cols || !b->widest ||
        !(b->ws = workbook_add_worksheet(b->wb, name)))
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    b->ncols = ncols;
    b->rows = 0;
    for (size_t c = 0; c < ncols && !e; c++) {
        b->cols[c] = *kbi_table_column(t, c);
        e = worksheet_write_string(b->ws, 0, (lxw_col_t)c, b->cols[c].id,
                                   b->st.header);
    }
    if (e)
        return fail_lxw(err, e, name);
    return kbi_workbook_rows(b, t, err);
}

int kbi_workbook_rows(kbi_workbook *b, const kbi_table *t, kb_error *err)
{
    size_t nrows = kbi_table_rows(t);
    if (!b->ws || kbi_table_columns(t) != b->ncols)
        return kbi_fail(err, KB_EINVAL, "table %s: not the sheet's columns",
                        kbi_table_name(t));
    if (b->rows + nrows > KBI_SHEET_ROWS)
        return kbi_fail(err, KB_EINVAL,
                        "sheet %s: %zu rows do not fit in a sheet (at most "
                        "%d)",
                        b->name, b->rows + nrows, KBI_SHEET_ROWS);
    int rc = 0;
    for (size_t r = 0; r < nrows && !rc; r++, b->rows++)
        for (size_t c = 0; c < b->ncols && !rc; c++) {
            const kbi_column *col = &b->cols[c];
            const kbi_cell *cell = kbi_table_cell(t, r, c);
            if (b->widest[c] < col->width) {
                int w = cell_width(col, cell);
                b->widest[c] = w < b->widest[c] ? b->widest[c]
                               : w > col->width ? col->width
                                                : w;
            }
            rc = write_cell(b->ws, (lxw_row_t)(b->rows + 1), (lxw_col_t)c, col,
                            cell,
                            cell->link  ? b->st.link
                            : col->wrap ? b->st.wrap
                                        : b->st.top);
        }
    if (rc < 0)
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    return rc ? fail_lxw(err, (lxw_error)rc, b->name) : 0;
}

int kbi_workbook_close(kbi_workbook *b, kb_error *err)
{
    int rc = end_sheet(b, err);
    if (rc) {
        kbi_workbook_free(b);
        return rc;
    }
    lxw_error e = workbook_close(b->wb); /* writes the file, frees wb */
    b->wb = NULL;
    if (e)
        rc = kbi_fail_at(
            err, e == LXW_ERROR_MEMORY_MALLOC_FAILED ? KB_ENOMEM : KB_EIO,
            b->path, 0, 0, "writing the workbook failed: %s", lxw_strerror(e));
    else if (rename(b->tmp, b->path))
        rc = kbi_fail_at(err, KB_EIO, b->path, 0, 0, "cannot write: %s",
                         strerror(errno));
    kbi_workbook_free(b);
    return rc;
}

void kbi_workbook_free(kbi_workbook *b)
{
    if (!b)
        return;
    lxw_workbook_free(b->wb); /* not closed: nothing is written */
    if (b->tmp)
        unlink(b->tmp); /* gone already after a rename */
    kbi_temp_drop(b->slot);
    free(b->tmp);
    free(b->dir);
    free(b->path);
    free(b->name);
    free(b->cols);
    free(b->widest);
    free(b);
}

int kbi_table_write_xlsx(const char *path, const kbi_table *const *tables,
                         size_t ntables, kb_error *err)
{
    kbi_workbook *b;
    int rc = kbi_workbook_open(&b, path, err);
    for (size_t i = 0; i < ntables && !rc; i++)
        rc = kbi_workbook_sheet(b, tables[i], NULL, err);
    if (rc) {
        kbi_workbook_free(b);
        return rc;
    }
    return kbi_workbook_close(b, err);
}
