/*
 * table.c: the table model (table.h) and its text writers: aligned text,
 * CSV, TSV, Markdown and JSON. HTML is in table_html.c and XLSX in
 * table_xlsx.c. docs/exports.md gives each format's rules; this file keeps
 * to them.
 *
 * Invariants: cells are stored row-major, ncols per row, and a table gets no
 * column once it has a row; every text cell is valid UTF-8 whose only
 * control characters are tab and newline, so writers need not check again.
 * Strings live in the table's pool until kb_table_free.
 */
#include "export/table.h"
#include "error.h"
#include "grow.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

struct kb_table {
    char *name;
    kb_column *cols;
    size_t ncols, ccap;
    kb_cell *cells; /* nrows * ncols */
    size_t nrows, cellcap;
    kb_pool pool; /* names, ids and cell texts */
};

/* ------------------------------------------------------------------------ */
/* The model                                                                 */
/* ------------------------------------------------------------------------ */

static char *own_copy(kb_table *t, const char *s)
{
    int fail = 0;
    return kb_pool_own(&t->pool, strdup(s), &fail);
}

/* Byte offset of the first byte breaking the cell rule, or -1 if none. */
static long bad_text(const char *s)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    for (long i = 0; p[i];) {
        if (p[i] >= 0x20 && p[i] < 0x80) { /* printable ASCII: most text */
            i++;
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(p + i, -1, &cp);
        if (k < 0 || (cp < 0x20 && cp != '\t' && cp != '\n'))
            return i;
        i += k;
    }
    return -1;
}

int kb_table_new(kb_table **out, const char *name, kb_error *err)
{
    *out = NULL;
    if (bad_text(name) >= 0)
        return kb_fail(err, KB_EINVAL,
                       "a table name that is not valid UTF-8 or holds a "
                       "control character");
    kb_table *t = calloc(1, sizeof *t);
    if (!t || !(t->name = own_copy(t, name))) {
        kb_table_free(t);
        return kb_fail(err, KB_ENOMEM, "out of memory");
    }
    *out = t;
    return 0;
}

void kb_table_free(kb_table *t)
{
    if (!t)
        return;
    kb_pool_free(&t->pool);
    free(t->cols);
    free(t->cells);
    free(t);
}

int kb_table_add_column(kb_table *t, const char *id, kb_column_kind kind,
                        int width, int wrap, kb_error *err)
{
    if (t->nrows)
        return kb_fail(err, KB_EINVAL, "table %s: column %s added after rows",
                       t->name, id);
    if (!id || !*id || bad_text(id) >= 0)
        return kb_fail(err, KB_EINVAL,
                       "table %s: a column id that is empty, not valid UTF-8 "
                       "or holds a control character",
                       t->name);
    if (KB_GROW(&t->cols, &t->ccap, t->ncols + 1))
        return kb_fail(err, KB_ENOMEM, "out of memory");
    char *copy = own_copy(t, id);
    if (!copy)
        return kb_fail(err, KB_ENOMEM, "out of memory");
    t->cols[t->ncols++] =
        (kb_column){copy, kind, width > 0 ? width : KB_TABLE_WIDTH, wrap};
    return 0;
}

int kb_table_add_row(kb_table *t, size_t *row, kb_error *err)
{
    size_t need = (t->nrows + 1) * t->ncols;
    if (KB_GROW(&t->cells, &t->cellcap, need))
        return kb_fail(err, KB_ENOMEM, "out of memory");
    memset(t->cells + t->nrows * t->ncols, 0, t->ncols * sizeof *t->cells);
    if (row)
        *row = t->nrows;
    t->nrows++;
    return 0;
}

/* The cell at (row, col) if it exists and its column is of `kind`. */
static kb_cell *cell_for(kb_table *t, size_t row, size_t col,
                         kb_column_kind kind, kb_error *err)
{
    if (row >= t->nrows || col >= t->ncols) {
        kb_fail(err, KB_EINVAL, "table %s: no cell at row %zu, column %zu",
                t->name, row, col);
        return NULL;
    }
    if (t->cols[col].kind != kind) {
        kb_fail(err, KB_EINVAL, "table %s: column %s does not hold %s", t->name,
                t->cols[col].id, kind == KB_COLUMN_INT ? "integers" : "text");
        return NULL;
    }
    return &t->cells[row * t->ncols + col];
}

/* Sets a text cell to s, a copy of it when `copy`. */
static int set_text(kb_table *t, size_t row, size_t col, const char *s,
                    int copy, kb_error *err)
{
    kb_cell *c = cell_for(t, row, col, KB_COLUMN_TEXT, err);
    if (!c)
        return KB_EINVAL;
    if (!s) {
        *c = (kb_cell){0};
        return 0;
    }
    long bad = bad_text(s);
    if (bad >= 0)
        return kb_fail(err, KB_EINVAL,
                       "table %s: row %zu, column %s: byte %ld is not valid "
                       "UTF-8 or is a control character",
                       t->name, row, t->cols[col].id, bad);
    const char *v = copy ? own_copy(t, s) : s;
    if (!v)
        return kb_fail(err, KB_ENOMEM, "out of memory");
    *c = (kb_cell){1, v, 0, c->link};
    return 0;
}

int kb_table_set_text(kb_table *t, size_t row, size_t col, const char *s,
                      kb_error *err)
{
    return set_text(t, row, col, s, 1, err);
}

int kb_table_set_text_ref(kb_table *t, size_t row, size_t col, const char *s,
                          kb_error *err)
{
    return set_text(t, row, col, s, 0, err);
}

int kb_table_set_link(kb_table *t, size_t row, size_t col, const char *href,
                      kb_error *err)
{
    if (row >= t->nrows || col >= t->ncols ||
        !t->cells[row * t->ncols + col].set)
        return kb_fail(err, KB_EINVAL,
                       "table %s: no value at row %zu, column %zu to link",
                       t->name, row, col);
    kb_cell *c = &t->cells[row * t->ncols + col];
    if (!href) {
        c->link = NULL;
        return 0;
    }
    if (bad_text(href) >= 0)
        return kb_fail(err, KB_EINVAL,
                       "table %s: a link that is not valid UTF-8 or holds a "
                       "control character",
                       t->name);
    if (!(c->link = own_copy(t, href)))
        return kb_fail(err, KB_ENOMEM, "out of memory");
    return 0;
}

int kb_table_set_int(kb_table *t, size_t row, size_t col, int64_t v,
                     kb_error *err)
{
    kb_cell *c = cell_for(t, row, col, KB_COLUMN_INT, err);
    if (!c)
        return KB_EINVAL;
    *c = (kb_cell){1, NULL, v, c->link};
    return 0;
}

const char *kb_table_name(const kb_table *t)
{
    return t->name;
}

size_t kb_table_columns(const kb_table *t)
{
    return t->ncols;
}

size_t kb_table_rows(const kb_table *t)
{
    return t->nrows;
}

const kb_column *kb_table_column(const kb_table *t, size_t col)
{
    return col < t->ncols ? &t->cols[col] : NULL;
}

const kb_cell *kb_table_cell(const kb_table *t, size_t row, size_t col)
{
    if (row >= t->nrows || col >= t->ncols)
        return NULL;
    return &t->cells[row * t->ncols + col];
}

kb_table_format kb_table_format_parse(const char *name)
{
    static const char *const names[] = {"text", "csv",  "tsv", "md",
                                        "html", "json", "xlsx"};
    for (size_t i = 0; name && i < sizeof names / sizeof *names; i++)
        if (!strcmp(name, names[i]))
            return (kb_table_format)(KB_TABLE_TEXT + (int)i);
    return (kb_table_format)0;
}

/* ------------------------------------------------------------------------ */
/* Shared by the writers                                                     */
/* ------------------------------------------------------------------------ */

/* A cell's value as text: its string, its integer in buf[24], or "". */
static const char *cell_text(const kb_cell *c, char buf[24])
{
    if (!c->set)
        return "";
    if (c->text)
        return c->text;
    snprintf(buf, 24, "%" PRId64, c->value);
    return buf;
}

/* The header (row -1) or a cell as text. */
static const char *text_at(const kb_table *t, long row, size_t col,
                           char buf[24])
{
    if (row < 0)
        return t->cols[col].id;
    return cell_text(&t->cells[(size_t)row * t->ncols + col], buf);
}

/* ------------------------------------------------------------------------ */
/* CSV and TSV                                                               */
/* ------------------------------------------------------------------------ */

static int csv_needs_quotes(const char *s, char delim, int alone)
{
    size_t n = strlen(s);
    if (n == 0)
        return alone; /* an empty one-column record would be a blank line */
    if (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t')
        return 1;
    for (const char *p = s; *p; p++)
        if (*p == delim || *p == '"' || *p == '\n')
            return 1;
    return 0;
}

static void write_csv(FILE *f, const kb_table *t, const kb_table_options *o)
{
    char delim = o->delimiter ? o->delimiter : ',';
    const char *eol = o->lf ? "\n" : "\r\n";
    char buf[24];
    for (long r = -1; r < (long)t->nrows; r++) {
        for (size_t c = 0; c < t->ncols; c++) {
            const char *s = text_at(t, r, c, buf);
            if (c)
                fputc(delim, f);
            if (!csv_needs_quotes(s, delim, t->ncols == 1)) {
                fputs(s, f);
                continue;
            }
            fputc('"', f);
            for (const char *p = s; *p; p++) {
                if (*p == '"')
                    fputc('"', f);
                fputc(*p, f);
            }
            fputc('"', f);
        }
        fputs(eol, f);
    }
}

static void write_tsv(FILE *f, const kb_table *t)
{
    char buf[24];
    for (long r = -1; r < (long)t->nrows; r++) {
        for (size_t c = 0; c < t->ncols; c++) {
            if (c)
                fputc('\t', f);
            for (const char *p = text_at(t, r, c, buf); *p; p++) {
                if (*p == '\\')
                    fputs("\\\\", f);
                else if (*p == '\t')
                    fputs("\\t", f);
                else if (*p == '\n')
                    fputs("\\n", f);
                else
                    fputc(*p, f);
            }
        }
        fputc('\n', f);
    }
}

/* ------------------------------------------------------------------------ */
/* Markdown                                                                  */
/* ------------------------------------------------------------------------ */

static void md_cell(FILE *f, const char *s)
{
    fputs(" ", f);
    for (const char *p = s; *p; p++) {
        if (*p == '\n')
            fputs("<br>", f);
        else if (strchr("\\|`*_[]<>&~", *p))
            fprintf(f, "\\%c", *p);
        else
            fputc(*p, f);
    }
    fputs(" |", f);
}

static void write_md(FILE *f, const kb_table *t)
{
    char buf[24];
    for (long r = -1; r < (long)t->nrows; r++) {
        fputc('|', f);
        for (size_t c = 0; c < t->ncols; c++)
            md_cell(f, text_at(t, r, c, buf));
        fputc('\n', f);
        if (r >= 0)
            continue;
        fputc('|', f);
        for (size_t c = 0; c < t->ncols; c++)
            fputs(t->cols[c].kind == KB_COLUMN_INT ? " ---: |" : " --- |", f);
        fputc('\n', f);
    }
}

/* ------------------------------------------------------------------------ */
/* JSON                                                                      */
/* ------------------------------------------------------------------------ */

int kb_table_write_json_row(FILE *f, const kb_table *t, size_t r, kb_error *err)
{
    fputc('{', f);
    for (size_t c = 0; c < t->ncols; c++) {
        const kb_cell *cell = &t->cells[r * t->ncols + c];
        if (c)
            fputs(", ", f);
        if (kb_json_quote(f, t->cols[c].id, strlen(t->cols[c].id), err))
            return KB_EIO;
        fputs(": ", f);
        if (!cell->set)
            fputs("null", f);
        else if (t->cols[c].kind == KB_COLUMN_INT)
            fprintf(f, "%" PRId64, cell->value);
        else if (kb_json_quote(f, cell->text, strlen(cell->text), err))
            return KB_EIO;
    }
    fputc('}', f);
    return 0;
}

static int write_json(FILE *f, const kb_table *t, kb_error *err)
{
    fputc('[', f);
    for (size_t r = 0; r < t->nrows; r++) {
        fputs(r ? ",\n  " : "\n  ", f);
        if (kb_table_write_json_row(f, t, r, err))
            return KB_EIO;
    }
    fputs(t->nrows ? "\n]\n" : "]\n", f);
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Aligned text                                                              */
/* ------------------------------------------------------------------------ */

/* One display line of a cell: bytes p[0..n), `width` terminal cells. */
typedef struct span {
    const char *p;
    size_t n;
    int width;
} span;

typedef struct spans {
    span *v;
    size_t n, cap;
} spans;

static int span_add(spans *s, const char *p, size_t n, int width)
{
    if (KB_GROW(&s->v, &s->cap, s->n + 1))
        return -1;
    s->v[s->n++] = (span){p, n, width};
    return 0;
}

/* Terminal cells of the code point at p (k bytes in *k); tab shows as a
 * space. */
static int char_width(const char *p, size_t *k)
{
    if ((unsigned char)*p >= 0x20 && (unsigned char)*p < 0x7f) {
        *k = 1; /* printable ASCII: one cell */
        return 1;
    }
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)p, -1, &cp);
    *k = n > 0 ? (size_t)n : 1;
    if (n <= 0 || cp == '\t')
        return 1;
    return utf8proc_charwidth(cp);
}

int kb_table_text_width(const char *s)
{
    int widest = 0, w = 0;
    for (size_t k; *s; s += k) {
        if (*s == '\n') {
            k = 1;
            w = 0;
            continue;
        }
        w += char_width(s, &k);
        if (w > widest)
            widest = w;
    }
    return widest;
}

/*
 * Appends the display lines of text s: one per line of the text and, with
 * `wrap` > 0, the text broken at spaces (or inside a word longer than the
 * line) so that no line is wider than `wrap`. Returns 0 or -1 (memory).
 */
static int cell_lines(spans *out, const char *s, int wrap)
{
    for (;;) {
        const char *end = strchr(s, '\n');
        if (!end)
            end = s + strlen(s);
        const char *start = s, *space = NULL;
        int w = 0, w_space = 0; /* widths of the line, and up to `space` */
        for (const char *p = s; p < end;) {
            size_t k;
            int cw = char_width(p, &k);
            if (wrap > 0 && w + cw > wrap && p > start) {
                if (*p == ' ') { /* the break is this space */
                    if (span_add(out, start, (size_t)(p - start), w))
                        return -1;
                    start = p + 1;
                    w = 0;
                    space = NULL;
                    p++;
                    continue;
                }
                if (space) { /* break at the last space that fitted */
                    if (span_add(out, start, (size_t)(space - start), w_space))
                        return -1;
                    w -= w_space + 1;
                    start = space + 1;
                } else { /* a word longer than the line */
                    if (span_add(out, start, (size_t)(p - start), w))
                        return -1;
                    w = 0;
                    start = p;
                }
                space = NULL;
                continue;
            }
            if (*p == ' ') {
                space = p;
                w_space = w;
            }
            w += cw;
            p += k;
        }
        if (span_add(out, start, (size_t)(end - start), w))
            return -1;
        if (!*end)
            return 0;
        s = end + 1;
    }
}

/* Appends n copies of ch to the line being built; *fail on no memory. */
static void put_fill(char **line, size_t *len, size_t *cap, char ch, size_t n,
                     int *fail)
{
    if (*fail || KB_GROW(line, cap, *len + n + 1)) {
        *fail = 1;
        return;
    }
    memset(*line + *len, ch, n);
    *len += n;
}

/* Appends a display line, tabs as spaces, padded to `width` on the left
 * (right-aligned) or on the right. */
static void put_span(char **line, size_t *len, size_t *cap, const span *sp,
                     int width, int right, int *fail)
{
    size_t pad = width > sp->width ? (size_t)(width - sp->width) : 0;
    if (right)
        put_fill(line, len, cap, ' ', pad, fail);
    size_t at = *len;
    put_fill(line, len, cap, ' ', sp->n, fail);
    for (size_t i = 0; !*fail && i < sp->n; i++)
        (*line)[at + i] = sp->p[i] == '\t' ? ' ' : sp->p[i];
    if (!right)
        put_fill(line, len, cap, ' ', pad, fail);
}

/* Writes the line without its trailing blanks, and a newline. */
static void end_line(FILE *f, const char *line, size_t len)
{
    while (len && line[len - 1] == ' ')
        len--;
    fwrite(line, 1, len, f);
    fputc('\n', f);
}

/* The display lines of every cell of row `row` (-1: the header) into
 * cells[c]; integers are formatted into nums[c]. Returns 0 or -1. */
static int row_lines(spans *cells, char (*nums)[24], const kb_table *t,
                     long row)
{
    for (size_t c = 0; c < t->ncols; c++) {
        const kb_column *col = &t->cols[c];
        cells[c].n = 0;
        if (cell_lines(&cells[c], text_at(t, row, c, nums[c]),
                       row >= 0 && col->wrap ? col->width : 0))
            return -1;
    }
    return 0;
}

static int write_text(FILE *f, const kb_table *t, kb_error *err)
{
    size_t nc = t->ncols ? t->ncols : 1;
    int *width = calloc(nc, sizeof *width);
    spans *cells = calloc(nc, sizeof *cells);
    char(*nums)[24] = calloc(nc, sizeof *nums);
    char *line = NULL;
    size_t cap = 0;
    int fail = !width || !cells || !nums;
    for (long r = -1; r < (long)t->nrows && !fail; r++) {
        fail = row_lines(cells, nums, t, r);
        for (size_t c = 0; c < t->ncols && !fail; c++)
            for (size_t i = 0; i < cells[c].n; i++)
                if (cells[c].v[i].width > width[c])
                    width[c] = cells[c].v[i].width;
    }
    for (long r = -1; r < (long)t->nrows && !fail; r++) {
        fail = row_lines(cells, nums, t, r);
        size_t height = 0, len = 0;
        for (size_t c = 0; c < t->ncols; c++)
            if (cells[c].n > height)
                height = cells[c].n;
        for (size_t i = 0; i < height && !fail; i++, len = 0) {
            for (size_t c = 0; c < t->ncols; c++) {
                span none = {"", 0, 0};
                put_fill(&line, &len, &cap, ' ', c ? 2 : 0, &fail);
                put_span(&line, &len, &cap,
                         i < cells[c].n ? &cells[c].v[i] : &none, width[c],
                         t->cols[c].kind == KB_COLUMN_INT, &fail);
            }
            if (!fail)
                end_line(f, line, len);
        }
        if (r >= 0 || !t->ncols)
            continue;
        for (size_t c = 0; c < t->ncols; c++) { /* the rule under the header */
            put_fill(&line, &len, &cap, ' ', c ? 2 : 0, &fail);
            put_fill(&line, &len, &cap, '-', (size_t)width[c], &fail);
        }
        if (!fail)
            end_line(f, line, len);
    }
    free(line);
    for (size_t c = 0; cells && c < nc; c++)
        free(cells[c].v);
    free(cells);
    free(nums);
    free(width);
    return fail ? kb_fail(err, KB_ENOMEM, "out of memory") : 0;
}

/* ------------------------------------------------------------------------ */
/* Dispatch                                                                  */
/* ------------------------------------------------------------------------ */

int kb_table_write(FILE *f, const kb_table *t, kb_table_format format,
                   const kb_table_options *opts, kb_error *err)
{
    static const kb_table_options defaults = {0, 0, 0};
    const kb_table_options *o = opts ? opts : &defaults;
    int rc = 0;
    if (o->delimiter && o->delimiter != ',' && o->delimiter != ';')
        return kb_fail(err, KB_EINVAL,
                       "CSV delimiter '%c': only ',' and ';' are written",
                       o->delimiter);
    if ((format == KB_TABLE_CSV || format == KB_TABLE_TSV) && o->bom)
        fputs("\xEF\xBB\xBF", f);
    switch (format) {
    case KB_TABLE_TEXT:
        rc = write_text(f, t, err);
        break;
    case KB_TABLE_CSV:
        write_csv(f, t, o);
        break;
    case KB_TABLE_TSV:
        write_tsv(f, t);
        break;
    case KB_TABLE_MD:
        write_md(f, t);
        break;
    case KB_TABLE_HTML:
        rc = kb_table_write_html(f, t, err);
        break;
    case KB_TABLE_JSON:
        rc = write_json(f, t, err);
        break;
    default:
        return kb_fail(err, KB_EINVAL,
                       "table %s: format %d is not written to a stream",
                       t->name, (int)format);
    }
    if (rc == 0 && ferror(f))
        rc = kb_fail(err, KB_EIO, "writing table %s failed", t->name);
    return rc;
}
