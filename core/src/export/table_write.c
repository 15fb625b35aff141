/*
 * table_write.c: the table writers of table_write.h: aligned text, CSV,
 * TSV, Markdown and JSON here, HTML through table_html.c. docs/exports.md
 * gives each format's rules; this file keeps to them. Every text cell keeps
 * the table's rule (valid UTF-8, tab and newline the only controls), so the
 * writers need not check it again.
 */
#include "export/table_write.h"
#include "base/error.h"
#include "base/grow.h"
#include "base/json.h"
#include "base/utf8.h"
#include "export/table.h"
#include "export/table_html.h"

#include <stdlib.h>
#include <string.h>

/* A cell's value as text: its string, its integer in buf[24], or "". */
static const char *cell_text(const kbi_cell *c, char buf[24])
{
    if (!c->set)
        return "";
    if (c->text)
        return c->text;
    return kbi_table_int_text(c->value, buf);
}

/* The header (row -1) or a cell as text. */
static const char *text_at(const kbi_table *t, long row, size_t col,
                           char buf[24])
{
    if (row < 0)
        return t->cols[col].id;
    return cell_text(&t->cells[(size_t)row * t->ncols + col], buf);
}

/* text_at with its length in *n: a text cell's as the table keeps it. */
static const char *text_len_at(const kbi_table *t, long row, size_t col,
                               char buf[24], size_t *n)
{
    const kbi_cell *c =
        row < 0 ? NULL : &t->cells[(size_t)row * t->ncols + col];
    const char *s =
        c && c->set && c->text ? c->text : text_at(t, row, col, buf);
    *n = c && c->set && c->text ? c->len : strlen(s);
    return s;
}

/* Rows rendered into memory and written a block at a time: one fwrite for
 * thousands of rows instead of several per cell. `fail` is sticky. */
typedef struct sbuf {
    char *p;
    size_t n, cap;
    int fail;
} sbuf;

static void sb_put(sbuf *b, const char *s, size_t n)
{
    if (b->n + n < b->cap) { /* room: the common case */
        memcpy(b->p + b->n, s, n);
        b->n += n;
        return;
    }
    if (b->fail || KBI_GROW(&b->p, &b->cap, b->n + n + 1)) {
        b->fail = 1;
        return;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
}

static void sb_puts(sbuf *b, const char *s)
{
    sb_put(b, s, strlen(s));
}

/* Writes the buffer to f and empties it; KB_ENOMEM if it failed. */
static int sb_flush(sbuf *b, FILE *f, kb_error *err)
{
    if (b->fail)
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    if (b->n)
        fwrite(b->p, 1, b->n, f);
    b->n = 0;
    return 0;
}

/* Puts s (n bytes) with every byte of `special` replaced by what `escape`
 * gives, copying the runs between them whole. */
static void put_escaped(sbuf *b, const char *s, size_t n, const char *special,
                        const char *(*escape)(char c))
{
    if (!special[1]) { /* one special byte (CSV's '"'): memchr finds it */
        for (const char *hit; (hit = memchr(s, special[0], n));) {
            size_t k = (size_t)(hit - s);
            sb_put(b, s, k);
            sb_puts(b, escape(*hit));
            s = hit + 1;
            n -= k + 1;
        }
        sb_put(b, s, n);
        return;
    }
    for (;;) {
        size_t k = strcspn(s, special);
        sb_put(b, s, k);
        if (!s[k])
            return;
        sb_puts(b, escape(s[k]));
        s += k + 1;
    }
}

/* ------------------------------------------------------------------------ */
/* CSV and TSV                                                               */
/* ------------------------------------------------------------------------ */

static int csv_needs_quotes(const char *s, size_t n, char delim, int alone)
{
    if (n == 0)
        return alone; /* an empty one-column record would be a blank line */
    if (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t')
        return 1;
    return memchr(s, delim, n) || memchr(s, '"', n) || memchr(s, '\n', n);
}

static const char *csv_escape(char c)
{
    (void)c; /* only '"' is escaped: doubled */
    return "\"\"";
}

int kbi_table_formula(const char *s)
{
    switch (*s) {
    case '=':
    case '+':
    case '-':
    case '@':
    case '\t':
    case '\r':
        break;
    default:
        return 0;
    }
    if ((*s == '+' || *s == '-') && !s[1])
        return 0; /* a lone sign (words' "use" column) is no formula */
    /* a plain number: sign, digits, a decimal part, an exponent */
    const char *p = s + (*s == '+' || *s == '-');
    size_t digits = strspn(p, "0123456789");
    p += digits;
    if (*p == '.') {
        size_t more = strspn(p + 1, "0123456789");
        digits += more;
        p += 1 + more;
    }
    if (digits && (*p == 'e' || *p == 'E')) {
        const char *e = p + 1 + (p[1] == '+' || p[1] == '-');
        size_t n = strspn(e, "0123456789");
        if (n)
            p = e + n;
    }
    return !digits || *p;
}

void kbi_table_formulas_notice(size_t n, kb_notice_fn notice, void *ctx)
{
    if (!n || !notice)
        return;
    char msg[300];
    snprintf(msg, sizeof msg,
             "%zu %s with =, +, -, @, a tab or a carriage return, which a "
             "spreadsheet may read as %s; `safe_csv` writes %s with a ' "
             "first",
             n, n == 1 ? "cell begins" : "cells begin",
             n == 1 ? "a formula" : "formulas", n == 1 ? "it" : "them");
    notice(ctx, msg);
}

/* A cell of a row (not the header) a spreadsheet would read as a formula:
 * counted, and 1 when it is to be written with a ' first. */
static int formula_cell(long r, const char *s, const kbi_table_options *o)
{
    if (r < 0 || (!o->safe_csv && !o->formulas) || !kbi_table_formula(s))
        return 0;
    if (o->formulas)
        (*o->formulas)++;
    return o->safe_csv;
}

/* One record: the header (row -1) or a row. */
static void csv_row(sbuf *b, const kbi_table *t, long r,
                    const kbi_table_options *o)
{
    char delim = o->delimiter ? o->delimiter : ',';
    char buf[24];
    for (size_t c = 0; c < t->ncols; c++) {
        size_t n;
        const char *s = text_len_at(t, r, c, buf, &n);
        int safe = formula_cell(r, s, o);
        if (c)
            sb_put(b, &delim, 1);
        if (!csv_needs_quotes(s, n, delim, t->ncols == 1)) {
            if (safe)
                sb_put(b, "'", 1);
            sb_put(b, s, n);
            continue;
        }
        sb_puts(b, safe ? "\"'" : "\"");
        put_escaped(b, s, n, "\"", csv_escape);
        sb_put(b, "\"", 1);
    }
    sb_puts(b, o->lf ? "\n" : "\r\n");
}

static const char *tsv_escape(char c)
{
    return c == '\\' ? "\\\\" : c == '\t' ? "\\t" : "\\n";
}

static void tsv_row(sbuf *b, const kbi_table *t, long r,
                    const kbi_table_options *o)
{
    char buf[24];
    for (size_t c = 0; c < t->ncols; c++) {
        size_t n;
        const char *s = text_len_at(t, r, c, buf, &n);
        if (c)
            sb_put(b, "\t", 1);
        if (formula_cell(r, s, o))
            sb_put(b, "'", 1);
        put_escaped(b, s, n, "\\\t\n", tsv_escape);
    }
    sb_put(b, "\n", 1);
}

/* ------------------------------------------------------------------------ */
/* Markdown                                                                  */
/* ------------------------------------------------------------------------ */

static const char *md_escape(char c)
{
    static const char marks[] = "\\|`*_[]<>&~";
    static const char escaped[][3] = {"\\\\", "\\|", "\\`", "\\*", "\\_", "\\[",
                                      "\\]",  "\\<", "\\>", "\\&", "\\~"};
    return c == '\n' ? "<br>" : escaped[strchr(marks, c) - marks];
}

/* One line of the table; after the header, the delimiter row. */
static void md_row(sbuf *b, const kbi_table *t, long r)
{
    char buf[24];
    sb_put(b, "|", 1);
    for (size_t c = 0; c < t->ncols; c++) {
        sb_put(b, " ", 1);
        size_t n;
        const char *s = text_len_at(t, r, c, buf, &n);
        put_escaped(b, s, n, "\\|`*_[]<>&~\n", md_escape);
        sb_put(b, " |", 2);
    }
    sb_put(b, "\n", 1);
    if (r >= 0)
        return;
    sb_put(b, "|", 1);
    for (size_t c = 0; c < t->ncols; c++)
        sb_puts(b, t->cols[c].kind != KBI_COLUMN_TEXT ? " ---: |" : " --- |");
    sb_put(b, "\n", 1);
}

/* ------------------------------------------------------------------------ */
/* JSON                                                                      */
/* ------------------------------------------------------------------------ */

/*
 * Every row of t as one object: `first` before the first, `sep` before
 * each other one. The keys are the same in every row, so each is escaped
 * once, with what goes before and after it ("{", ", " and ": ").
 */
static void json_rows(sbuf *b, const kbi_table *t, const char *first,
                      const char *sep)
{
    sbuf keys = {0};
    size_t *at = malloc((t->ncols + 1) * sizeof *at);
    b->fail |= !at;
    for (size_t c = 0; c < t->ncols && !b->fail; c++) {
        at[c] = keys.n;
        sb_puts(&keys, c ? ", " : "{");
        keys.fail |= kbi_json_append(&keys.p, &keys.n, &keys.cap, t->cols[c].id,
                                     strlen(t->cols[c].id)) < 0;
        sb_put(&keys, ": ", 2);
        at[c + 1] = keys.n;
        b->fail |= keys.fail;
    }
    for (size_t r = 0; r < t->nrows && !b->fail; r++) {
        sb_puts(b, r ? sep : first);
        for (size_t c = 0; c < t->ncols; c++) {
            const kbi_cell *cell = &t->cells[r * t->ncols + c];
            sb_put(b, keys.p + at[c], at[c + 1] - at[c]);
            char num[24];
            if (!cell->set)
                sb_put(b, "null", 4);
            else if (t->cols[c].kind == KBI_COLUMN_INT)
                sb_puts(b, kbi_table_int_text(cell->value, num));
            else if (t->cols[c].kind == KBI_COLUMN_NUMBER)
                sb_put(b, cell->text, cell->len);
            else
                b->fail |= kbi_json_append(&b->p, &b->n, &b->cap, cell->text,
                                           cell->len) < 0;
        }
        sb_put(b, t->ncols ? "}" : "{}", t->ncols ? 1 : 2);
    }
    free(at);
    free(keys.p);
}

int kbi_table_write_json_rows(FILE *f, const kbi_table *t, const char *first,
                              const char *sep, kb_error *err)
{
    sbuf b = {0};
    json_rows(&b, t, first, sep);
    int rc = sb_flush(&b, f, err);
    free(b.p);
    if (!rc && ferror(f))
        rc = kbi_fail(err, KB_EIO, "writing JSON failed");
    return rc;
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
    if (KBI_GROW(&s->v, &s->cap, s->n + 1))
        return -1;
    s->v[s->n++] = (span){p, n, width};
    return 0;
}

/*
 * Appends the display lines of text s: one per line of the text and, with
 * `wrap` > 0, the text broken at spaces (or inside a word longer than the
 * line) so that no line is wider than `wrap`. Returns 0 or -1 (memory).
 */
static int cell_lines(spans *out, const char *s, int wrap)
{
    for (;;) {
        const char *start = s, *space = NULL, *p = s;
        int w = 0, w_space = 0; /* widths of the line, and up to `space` */
        while (*p && *p != '\n') {
            size_t k;
            int cw = kbi_char_width(p, &k);
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
        if (span_add(out, start, (size_t)(p - start), w))
            return -1;
        if (!*p)
            return 0;
        s = p + 1;
    }
}

/* Appends n copies of ch to the line being built; *fail on no memory. */
static void put_fill(char **line, size_t *len, size_t *cap, char ch, size_t n,
                     int *fail)
{
    if (*fail || KBI_GROW(line, cap, *len + n + 1)) {
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
    if (*fail || KBI_GROW(line, cap, *len + pad + sp->n + 1)) {
        *fail = 1;
        return;
    }
    char *o = *line + *len, *text = o + (right ? pad : 0);
    memset(right ? o : o + sp->n, ' ', pad);
    for (size_t i = 0; i < sp->n; i++)
        text[i] = sp->p[i] == '\t' ? ' ' : sp->p[i];
    *len += pad + sp->n;
}

/* Puts the line without its trailing blanks, and a newline. */
static void end_line(sbuf *b, const char *line, size_t len)
{
    while (len && line[len - 1] == ' ')
        len--;
    sb_put(b, line, len);
    sb_put(b, "\n", 1);
}

/* The display lines of every cell of row `row` (-1: the header) into
 * cells[c]; integers are formatted into nums[c]. Returns 0 or -1. */
static int row_lines(spans *cells, char (*nums)[24], const kbi_table *t,
                     long row)
{
    for (size_t c = 0; c < t->ncols; c++) {
        const kbi_column *col = &t->cols[c];
        cells[c].n = 0;
        if (cell_lines(&cells[c], text_at(t, row, c, nums[c]),
                       row >= 0 && col->wrap ? col->width : 0))
            return -1;
    }
    return 0;
}

/* Scratch for laying out rows of text, kept from one block to the next. */
typedef struct text_scratch {
    spans *cells;
    char (*nums)[24];
    char *line;
    size_t cap;
} text_scratch;

static int scratch_init(text_scratch *s, size_t ncols)
{
    size_t nc = ncols ? ncols : 1;
    memset(s, 0, sizeof *s);
    s->cells = calloc(nc, sizeof *s->cells);
    s->nums = calloc(nc, sizeof *s->nums);
    return s->cells && s->nums ? 0 : -1;
}

static void scratch_free(text_scratch *s, size_t ncols)
{
    for (size_t c = 0; s->cells && c < ncols; c++)
        free(s->cells[c].v);
    free(s->cells);
    free(s->nums);
    free(s->line);
}

int kbi_table_text_widths(const kbi_table *t, int *widths)
{
    spans lines = {0};
    char num[24];
    int fail = 0;
    for (size_t c = 0; c < t->ncols && !fail; c++) {
        const kbi_column *col = &t->cols[c];
        for (long r = -1; r < (long)t->nrows && !fail; r++) {
            if (r >= 0 && col->wrap && widths[c] >= col->width)
                break; /* wrapped lines are no wider than the column */
            const kbi_cell *cell = r >= 0 ? &t->cells[r * t->ncols + c] : NULL;
            if (r > 0 && cell->text && cell->text == (cell - t->ncols)->text)
                continue; /* the text above, borrowed from one copy */
            lines.n = 0;
            fail = cell_lines(&lines, text_at(t, r, c, num),
                              r >= 0 && col->wrap ? col->width : 0);
            for (size_t i = 0; i < lines.n && !fail; i++)
                if (lines.v[i].width > widths[c])
                    widths[c] = lines.v[i].width;
        }
    }
    free(lines.v);
    return fail ? -1 : 0;
}

/* Puts row `r` (-1: the header and the rule under it) in columns of
 * `width` cells. Returns 0 or -1 (memory). */
static int text_row(sbuf *b, const kbi_table *t, long r, const int *width,
                    text_scratch *s)
{
    int fail = row_lines(s->cells, s->nums, t, r);
    size_t height = 0, len = 0;
    for (size_t c = 0; c < t->ncols && !fail; c++)
        if (s->cells[c].n > height)
            height = s->cells[c].n;
    for (size_t i = 0; i < height && !fail; i++, len = 0) {
        for (size_t c = 0; c < t->ncols; c++) {
            span none = {"", 0, 0};
            put_fill(&s->line, &len, &s->cap, ' ', c ? 2 : 0, &fail);
            put_span(&s->line, &len, &s->cap,
                     i < s->cells[c].n ? &s->cells[c].v[i] : &none, width[c],
                     t->cols[c].kind != KBI_COLUMN_TEXT, &fail);
        }
        if (!fail)
            end_line(b, s->line, len);
    }
    if (r >= 0 || !t->ncols || fail)
        return fail ? -1 : 0;
    for (size_t c = 0; c < t->ncols; c++) { /* the rule under the header */
        put_fill(&s->line, &len, &s->cap, ' ', c ? 2 : 0, &fail);
        put_fill(&s->line, &len, &s->cap, '-', (size_t)width[c], &fail);
    }
    if (!fail)
        end_line(b, s->line, len);
    return fail ? -1 : 0;
}

/* ------------------------------------------------------------------------ */
/* The writer: a header, blocks of rows, an end                              */
/* ------------------------------------------------------------------------ */

struct kbi_table_writer {
    FILE *f;
    kbi_table_format format;
    kbi_table_options o;
    size_t ncols;
    size_t rows;                 /* written so far */
    sbuf out;                    /* rows not yet written (all but html) */
    int *width;                  /* text: the columns' widths */
    text_scratch text;           /* text: layout scratch */
    struct _xmlTextWriter *html; /* html: the open <table> */
};

void kbi_table_writer_free(kbi_table_writer *w)
{
    if (!w)
        return;
    if (w->html)
        kbi_table_html_close(w->html, NULL);
    scratch_free(&w->text, w->ncols);
    free(w->width);
    free(w->out.p);
    free(w);
}

/* KB_EIO if the stream failed, else rc. */
static int stream_ok(const kbi_table_writer *w, int rc, kb_error *err)
{
    if (!rc && ferror(w->f))
        return kbi_fail(err, KB_EIO, "writing the table failed");
    return rc;
}

int kbi_table_writer_open(kbi_table_writer **out, FILE *f, const kbi_table *t,
                          kbi_table_format format,
                          const kbi_table_options *opts, const int *widths,
                          kb_error *err)
{
    static const kbi_table_options defaults = {0};
    const kbi_table_options *o = opts ? opts : &defaults;
    *out = NULL;
    if (o->delimiter && o->delimiter != ',' && o->delimiter != ';')
        return kbi_fail(err, KB_EINVAL,
                        "CSV delimiter '%c': only ',' and ';' are written",
                        o->delimiter);
    if (format < KBI_TABLE_TEXT || format >= KBI_TABLE_XLSX)
        return kbi_fail(err, KB_EINVAL,
                        "table %s: format %d is not written to a stream",
                        t->name, (int)format);
    kbi_table_writer *w = calloc(1, sizeof *w);
    if (!w)
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    *w = (kbi_table_writer){f, format, *o, t->ncols, 0, {0}, NULL, {0}, NULL};
    int rc = 0;
    if ((format == KBI_TABLE_CSV || format == KBI_TABLE_TSV) && o->bom)
        sb_puts(&w->out, "\xEF\xBB\xBF");
    switch (format) {
    case KBI_TABLE_TEXT:
        if (!(w->width = calloc(t->ncols + 1, sizeof *w->width)) ||
            scratch_init(&w->text, t->ncols) ||
            (widths ? (memcpy(w->width, widths, t->ncols * sizeof *widths), 0)
                    : kbi_table_text_widths(t, w->width)) ||
            text_row(&w->out, t, -1, w->width, &w->text))
            rc = kbi_fail(err, KB_ENOMEM, "out of memory");
        break;
    case KBI_TABLE_CSV:
        csv_row(&w->out, t, -1, o);
        break;
    case KBI_TABLE_TSV:
        tsv_row(&w->out, t, -1, o);
        break;
    case KBI_TABLE_MD:
        md_row(&w->out, t, -1);
        break;
    case KBI_TABLE_HTML:
        rc = kbi_table_html_open(&w->html, f, t, err);
        break;
    default: /* JSON */
        sb_put(&w->out, "[", 1);
        break;
    }
    if (!rc)
        rc = sb_flush(&w->out, f, err);
    if ((rc = stream_ok(w, rc, err))) {
        kbi_table_writer_free(w);
        return rc;
    }
    *out = w;
    return 0;
}

int kbi_table_writer_rows(kbi_table_writer *w, const kbi_table *t,
                          kb_error *err)
{
    if (t->ncols != w->ncols)
        return kbi_fail(err, KB_EINVAL,
                        "table %s: rows of %zu columns, not %zu", t->name,
                        t->ncols, w->ncols);
    int rc = 0;
    if (w->format == KBI_TABLE_HTML) { /* the block's rows in one piece */
        w->rows += t->nrows;
        return stream_ok(w, kbi_table_html_rows(w->html, t, err), err);
    }
    if (w->format == KBI_TABLE_JSON) { /* likewise, its keys escaped once */
        json_rows(&w->out, t, w->rows ? ",\n  " : "\n  ", ",\n  ");
        w->rows += t->nrows;
        return stream_ok(w, sb_flush(&w->out, w->f, err), err);
    }
    for (size_t r = 0; r < t->nrows && !rc; r++, w->rows++) {
        switch (w->format) {
        case KBI_TABLE_TEXT:
            if (text_row(&w->out, t, (long)r, w->width, &w->text))
                rc = kbi_fail(err, KB_ENOMEM, "out of memory");
            break;
        case KBI_TABLE_CSV:
            csv_row(&w->out, t, (long)r, &w->o);
            break;
        case KBI_TABLE_TSV:
            tsv_row(&w->out, t, (long)r, &w->o);
            break;
        default: /* Markdown */
            md_row(&w->out, t, (long)r);
            break;
        }
    }
    if (!rc)
        rc = sb_flush(&w->out, w->f, err);
    return stream_ok(w, rc, err);
}

int kbi_table_writer_close(kbi_table_writer *w, kb_error *err)
{
    int rc = 0;
    if (w->format == KBI_TABLE_JSON)
        fputs(w->rows ? "\n]\n" : "]\n", w->f);
    if (w->html) {
        rc = kbi_table_html_close(w->html, err);
        w->html = NULL;
    }
    rc = stream_ok(w, rc, err);
    kbi_table_writer_free(w);
    return rc;
}

int kbi_table_write(FILE *f, const kbi_table *t, kbi_table_format format,
                    const kbi_table_options *opts, kb_error *err)
{
    kbi_table_writer *w;
    int rc = kbi_table_writer_open(&w, f, t, format, opts, NULL, err);
    if (rc)
        return rc;
    if ((rc = kbi_table_writer_rows(w, t, err))) {
        kbi_table_writer_free(w);
        return rc;
    }
    return kbi_table_writer_close(w, err);
}
