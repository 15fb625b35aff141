/*
 * table_xlsx.c: tables as the sheets of one XLSX workbook, written by
 * libxlsxwriter (docs/exports.md). Each sheet has a bold header row that is
 * frozen and carries an autofilter, columns as wide as their content up to
 * the column's width, and wrapped text in wrap columns; every cell is
 * aligned to the top so that tall wrapped rows read from their first line.
 *
 * Invariants: the workbook is written to a new file beside the path and
 * renamed over it only when complete, so a failure leaves the path as it
 * was (a workbook that failed while being built is freed without writing
 * anything); every string fits Excel's limit of
 * 32,767 characters, longer ones being cut and ended with " [...]";
 * integers beyond Excel's 15 significant digits are written as text so
 * that no digit changes.
 */
#include "export/table.h"
#include "error.h"
#include "text.h"

#include <errno.h>
#include <inttypes.h>
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
} styles;

static int fail_lxw(kb_error *err, lxw_error e, const char *sheet)
{
    int code = KB_EINVAL;
    if (e == LXW_ERROR_MEMORY_MALLOC_FAILED)
        code = KB_ENOMEM;
    else if (e >= LXW_ERROR_CREATING_XLSX_FILE && e <= LXW_ERROR_ZIP_CLOSE)
        code = KB_EIO;
    return kb_fail(err, code, "sheet %s: %s", sheet, lxw_strerror(e));
}

/*
 * s itself if it fits in an Excel cell, else a copy in *cut (caller frees)
 * of its longest prefix of whole code points that leaves room for " [...]",
 * with that mark. NULL when out of memory.
 */
static const char *excel_text(const char *s, char **cut)
{
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

/* Writes one body cell. Returns an lxw_error (or -1 when out of memory). */
static int write_cell(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
                      const kb_column *c, const kb_cell *cell, lxw_format *fmt)
{
    if (!cell->set)
        return LXW_NO_ERROR;
    if (c->kind == KB_COLUMN_INT) {
        if (cell->value >= -EXCEL_EXACT_MAX && cell->value <= EXCEL_EXACT_MAX)
            return worksheet_write_number(ws, row, col, (double)cell->value,
                                          fmt);
        char digits[24];
        snprintf(digits, sizeof digits, "%" PRId64, cell->value);
        return worksheet_write_string(ws, row, col, digits, fmt);
    }
    char *cut = NULL;
    const char *s = excel_text(cell->text, &cut);
    if (!s)
        return -1;
    int rc = worksheet_write_string(ws, row, col, s, fmt);
    free(cut);
    return rc;
}

/* The column's width in characters: its widest line, header included,
 * up to the column's width (the header is never cut), plus room for the
 * autofilter button. */
static double column_width(const kb_table *t, size_t c)
{
    const kb_column *col = kb_table_column(t, c);
    int header = kb_table_text_width(col->id), w = 0;
    for (size_t r = 0; r < kb_table_rows(t); r++) {
        const kb_cell *cell = kb_table_cell(t, r, c);
        int cw = 0;
        if (cell->set && col->kind == KB_COLUMN_INT)
            cw = snprintf(NULL, 0, "%" PRId64, cell->value);
        else if (cell->set)
            cw = kb_table_text_width(cell->text);
        if (cw > w)
            w = cw;
    }
    if (w > col->width)
        w = col->width;
    return (w > header ? w : header) + 3;
}

static int add_sheet(lxw_workbook *wb, const kb_table *t, const styles *st,
                     kb_error *err)
{
    const char *name = kb_table_name(t);
    size_t nrows = kb_table_rows(t), ncols = kb_table_columns(t);
    if (!*name)
        return kb_fail(err, KB_EINVAL, "a table without a name has no sheet");
    lxw_error e = workbook_validate_sheet_name(wb, name);
    if (e)
        return fail_lxw(err, e, name);
    if (nrows >= LXW_ROW_MAX || ncols > LXW_COL_MAX)
        return kb_fail(err, KB_EINVAL,
                       "sheet %s: %zu rows and %zu columns do not fit in a "
                       "sheet",
                       name, nrows, ncols);
    lxw_worksheet *ws = workbook_add_worksheet(wb, name);
    if (!ws)
        return kb_fail(err, KB_ENOMEM, "out of memory");
    for (size_t c = 0; c < ncols; c++) {
        const kb_column *col = kb_table_column(t, c);
        lxw_format *body = col->wrap ? st->wrap : st->top;
        int rc = worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c,
                                      column_width(t, c), body);
        if (!rc)
            rc = worksheet_write_string(ws, 0, (lxw_col_t)c, col->id,
                                        st->header);
        for (size_t r = 0; r < nrows && !rc; r++)
            rc = write_cell(ws, (lxw_row_t)(r + 1), (lxw_col_t)c, col,
                            kb_table_cell(t, r, c), body);
        if (rc < 0)
            return kb_fail(err, KB_ENOMEM, "out of memory");
        if (rc)
            return fail_lxw(err, (lxw_error)rc, name);
    }
    worksheet_freeze_panes(ws, 1, 0);
    if (ncols &&
        (e = worksheet_autofilter(ws, 0, 0, (lxw_row_t)nrows,
                                  (lxw_col_t)(ncols - 1))) != LXW_NO_ERROR)
        return fail_lxw(err, e, name);
    return 0;
}

int kb_table_write_xlsx(const char *path, const kb_table *const *tables,
                        size_t ntables, kb_error *err)
{
    /* The file exists before libxlsxwriter opens it, so a directory that
     * cannot be written is reported here, before libxlsxwriter would print
     * its own message. */
    char *tmp;
    int rc = kb_file_temp_beside(&tmp, path, err);
    if (rc)
        return rc;
    lxw_workbook *wb = workbook_new(tmp);
    styles st = {0};
    if (!wb || !(st.header = workbook_add_format(wb)) ||
        !(st.top = workbook_add_format(wb)) ||
        !(st.wrap = workbook_add_format(wb)))
        rc = kb_fail(err, KB_ENOMEM, "out of memory");
    if (!rc) {
        format_set_bold(st.header);
        format_set_align(st.header, LXW_ALIGN_VERTICAL_TOP);
        format_set_align(st.top, LXW_ALIGN_VERTICAL_TOP);
        format_set_align(st.wrap, LXW_ALIGN_VERTICAL_TOP);
        format_set_text_wrap(st.wrap);
    }
    for (size_t i = 0; i < ntables && !rc; i++)
        rc = add_sheet(wb, tables[i], &st, err);
    if (rc) {
        lxw_workbook_free(wb); /* not closed: nothing is written */
    } else {
        lxw_error e = workbook_close(wb); /* writes the file, frees wb */
        if (e)
            rc = kb_fail_at(
                err, e == LXW_ERROR_MEMORY_MALLOC_FAILED ? KB_ENOMEM : KB_EIO,
                path, 0, 0, "writing the workbook failed: %s", lxw_strerror(e));
        else if (rename(tmp, path))
            rc = kb_fail_at(err, KB_EIO, path, 0, 0, "cannot write: %s",
                            strerror(errno));
    }
    if (rc)
        unlink(tmp);
    free(tmp);
    return rc;
}
