/*
 * table.c: the table model (table.h).
 *
 * Invariants: cells are stored row-major, ncols per row, and a table gets no
 * column once it has a row; every text cell is valid UTF-8 whose only
 * control characters are tab and newline (any other, and any bad byte, is
 * stored as \xHH), so writers need not check again.
 * Strings live in the table's pool until kbi_table_free.
 */
#include "export/table.h"
#include "base/controls.h"
#include "base/error.h"
#include "base/grow.h"
#include "base/json.h"
#include "base/utf8.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/* The model                                                                 */
/* ------------------------------------------------------------------------ */

static char *own_copy(kbi_table *t, const char *s)
{
    int fail = 0;
    return kbi_pool_own(&t->pool, strdup(s), &fail);
}

/* Offset of the first control character other than tab and newline in
 * s[0..n), or n; eight bytes at a time while no byte is below 0x20. */
static size_t control_at(const char *s, size_t n)
{
    const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    size_t i = 0;
    while (i < n) {
        uint64_t w;
        if (i + 8 <= n) {
            memcpy(&w, s + i, 8);
            if (!((w - 0x20 * ones) & ~w & highs)) {
                i += 8; /* no byte below 0x20 in these eight */
                continue;
            }
        }
        for (size_t end = i + 8 < n ? i + 8 : n; i < end; i++)
            if ((unsigned char)s[i] < 0x20 && s[i] != '\t' && s[i] != '\n')
                return i;
    }
    return n;
}

/* Byte offset of the first byte of s breaking the cell rule, or -1 if
 * none; its length in *len. */
static long bad_text_len(const char *s, size_t *len)
{
    size_t n = *len = strlen(s);
    size_t bad = kbi_utf8_invalid_at((const unsigned char *)s, n);
    size_t ctl = control_at(s, bad);
    return ctl < n ? (long)ctl : -1;
}

static long bad_text(const char *s)
{
    size_t n;
    return bad_text_len(s, &n);
}

int kbi_table_new(kbi_table **out, const char *name, kb_error *err)
{
    *out = NULL;
    if (bad_text(name) >= 0)
        return kbi_fail(err, KB_EINVAL,
                        "a table name that is not valid UTF-8 or holds a "
                        "control character");
    kbi_table *t = calloc(1, sizeof *t);
    if (!t || !(t->name = own_copy(t, name))) {
        kbi_table_free(t);
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    }
    t->fixed = t->pool.n;
    *out = t;
    return 0;
}

void kbi_table_free(kbi_table *t)
{
    if (!t)
        return;
    kbi_pool_free(&t->pool);
    free(t->checked);
    free(t->cols);
    free(t->cells);
    free(t);
}

int kbi_table_add_column(kbi_table *t, const char *id, kbi_column_kind kind,
                         int width, int wrap, kb_error *err)
{
    if (t->nrows)
        return kbi_fail(err, KB_EINVAL, "table %s: column %s added after rows",
                        t->name, id);
    if (!id || !*id || bad_text(id) >= 0)
        return kbi_fail(err, KB_EINVAL,
                        "table %s: a column id that is empty, not valid UTF-8 "
                        "or holds a control character",
                        t->name);
    if (KBI_GROW(&t->cols, &t->ccap, t->ncols + 1) ||
        KBI_GROW(&t->checked, &t->checkcap, t->ncols + 1))
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    t->checked[t->ncols] = (struct checked){NULL, 0};
    char *copy = own_copy(t, id);
    if (!copy)
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    t->cols[t->ncols++] =
        (kbi_column){copy, kind, width > 0 ? width : KBI_TABLE_WIDTH, wrap};
    t->fixed = t->pool.n; /* no row holds a copy: the pool is name and ids */
    return 0;
}

void kbi_table_clear(kbi_table *t)
{
    kbi_pool_truncate(&t->pool, t->fixed);
    t->nrows = 0;
}

int kbi_table_add_row(kbi_table *t, size_t *row, kb_error *err)
{
    size_t need = (t->nrows + 1) * t->ncols;
    if (KBI_GROW(&t->cells, &t->cellcap, need))
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    memset(t->cells + t->nrows * t->ncols, 0, t->ncols * sizeof *t->cells);
    if (row)
        *row = t->nrows;
    t->nrows++;
    return 0;
}

/* Packed rows: per cell a byte, 0 for an empty cell, else 1 and the value:
 * an integer column's int64, another's length (a size_t) and its bytes
 * with their NUL, all as they lie in memory (the bytes go no further than
 * this process). */
int kbi_table_pack(const kbi_table *t, char **buf, size_t *len, size_t *cap,
                   kb_error *err)
{
    for (size_t i = 0; i < t->nrows * t->ncols; i++) {
        const kbi_cell *c = &t->cells[i];
        int number = t->cols[i % t->ncols].kind == KBI_COLUMN_INT;
        size_t need = 1 + (!c->set  ? 0
                           : number ? sizeof c->value
                                    : sizeof c->len + c->len + 1);
        if (KBI_GROW(buf, cap, *len + need))
            return kbi_fail(err, KB_ENOMEM, "out of memory");
        char *p = *buf + *len;
        *p++ = (char)c->set;
        if (c->set && number) {
            memcpy(p, &c->value, sizeof c->value);
        } else if (c->set) {
            memcpy(p, &c->len, sizeof c->len);
            memcpy(p + sizeof c->len, c->text, c->len);
            p[sizeof c->len + c->len] = '\0';
        }
        *len += need;
    }
    return 0;
}

/* Reads `size` bytes at *p into out, if there are that many before end. */
static int take_bytes(const char **p, const char *end, void *out, size_t size)
{
    if ((size_t)(end - *p) < size)
        return -1;
    memcpy(out, *p, size);
    *p += size;
    return 0;
}

int kbi_table_unpack(kbi_table *t, const char *p, size_t n, kb_error *err)
{
    const char *end = p + n;
    int cut = n && !t->ncols;
    for (size_t col = 0; p < end && !cut; col = (col + 1) % t->ncols) {
        if (!col && kbi_table_add_row(t, NULL, err))
            return KB_ENOMEM;
        kbi_cell *c = &t->cells[(t->nrows - 1) * t->ncols + col];
        c->set = *p++;
        if (c->set && t->cols[col].kind == KBI_COLUMN_INT)
            cut = take_bytes(&p, end, &c->value, sizeof c->value);
        else if (c->set) {
            cut = take_bytes(&p, end, &c->len, sizeof c->len) ||
                  (size_t)(end - p) <= c->len || p[c->len];
            c->text = p;
            p += cut ? 0 : c->len + 1;
        }
        if (!cut && p == end && col + 1 != t->ncols)
            cut = 1; /* a row without its last cells */
    }
    if (cut)
        return kbi_fail(err, KB_EINVAL, "table %s: packed rows cut short",
                        t->name);
    return 0;
}

/* The cell at (row, col) if it exists and its column is of `kind`. */
static kbi_cell *cell_for(kbi_table *t, size_t row, size_t col,
                          kbi_column_kind kind, kb_error *err)
{
    if (row >= t->nrows || col >= t->ncols) {
        kbi_fail(err, KB_EINVAL, "table %s: no cell at row %zu, column %zu",
                 t->name, row, col);
        return NULL;
    }
    if (t->cols[col].kind != kind) {
        kbi_fail(err, KB_EINVAL, "table %s: column %s does not hold %s",
                 t->name, t->cols[col].id,
                 kind == KBI_COLUMN_INT      ? "integers"
                 : kind == KBI_COLUMN_NUMBER ? "numbers"
                                             : "text");
        return NULL;
    }
    return &t->cells[row * t->ncols + col];
}

/* Sets a text cell to s, a copy of it when `copy`. */
static int set_text(kbi_table *t, size_t row, size_t col, const char *s,
                    int copy, kb_error *err)
{
    kbi_cell *c = cell_for(t, row, col, KBI_COLUMN_TEXT, err);
    if (!c)
        return KB_EINVAL;
    if (!s) {
        *c = (kbi_cell){0};
        return 0;
    }
    size_t n = t->checked[col].n;
    long bad = !copy && s == t->checked[col].s ? -1 : bad_text_len(s, &n);
    if (bad >= 0) {
        /* shown as \xHH (a name stored before names were checked), so
         * that one bad value does not stop the whole table */
        int fail = 0;
        char *e = kbi_pool_own(&t->pool, kbi_escape_controls(s, 1), &fail);
        if (!e)
            return kbi_fail(err, KB_ENOMEM, "out of memory");
        *c = (kbi_cell){1, e, 0, c->link, strlen(e)};
        return 0;
    }
    if (!copy)
        t->checked[col] = (struct checked){s, n};
    const char *v = copy ? own_copy(t, s) : s;
    if (!v)
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    *c = (kbi_cell){1, v, 0, c->link, n};
    return 0;
}

int kbi_table_set_text(kbi_table *t, size_t row, size_t col, const char *s,
                       kb_error *err)
{
    return set_text(t, row, col, s, 1, err);
}

int kbi_table_set_text_ref(kbi_table *t, size_t row, size_t col, const char *s,
                           kb_error *err)
{
    return set_text(t, row, col, s, 0, err);
}

int kbi_table_set_text_stored(kbi_table *t, size_t row, size_t col,
                              const char *s, size_t n, kb_error *err)
{
    kbi_cell *c = cell_for(t, row, col, KBI_COLUMN_TEXT, err);
    if (!c)
        return KB_EINVAL;
    *c = (kbi_cell){1, s, 0, c->link, n};
    return 0;
}

int kbi_table_set_link(kbi_table *t, size_t row, size_t col, const char *href,
                       kb_error *err)
{
    if (row >= t->nrows || col >= t->ncols ||
        !t->cells[row * t->ncols + col].set)
        return kbi_fail(err, KB_EINVAL,
                        "table %s: no value at row %zu, column %zu to link",
                        t->name, row, col);
    kbi_cell *c = &t->cells[row * t->ncols + col];
    if (!href) {
        c->link = NULL;
        return 0;
    }
    if (bad_text(href) >= 0)
        return kbi_fail(err, KB_EINVAL,
                        "table %s: a link that is not valid UTF-8 or holds a "
                        "control character",
                        t->name);
    if (!(c->link = own_copy(t, href)))
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    return 0;
}

int kbi_table_set_int(kbi_table *t, size_t row, size_t col, int64_t v,
                      kb_error *err)
{
    kbi_cell *c = cell_for(t, row, col, KBI_COLUMN_INT, err);
    if (!c)
        return KB_EINVAL;
    *c = (kbi_cell){1, NULL, v, c->link, 0};
    return 0;
}

int kbi_table_set_number(kbi_table *t, size_t row, size_t col, double v,
                         int decimals, kb_error *err)
{
    kbi_cell *c = cell_for(t, row, col, KBI_COLUMN_NUMBER, err);
    if (!c)
        return KB_EINVAL;
    char buf[48];
    const char *s = own_copy(t, kbi_table_number_text(v, decimals, buf));
    if (!s)
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    *c = (kbi_cell){1, s, 0, c->link, strlen(s)};
    return 0;
}

const char *kbi_table_number_text(double v, int decimals, char buf[48])
{
    long long scale = 1;
    for (int i = 0; i < decimals && i < 9; i++)
        scale *= 10;
    int neg = v < 0;
    double a = (neg ? -v : v) * (double)scale + 0.5;
    if (!(a < 9e17)) { /* too large for the digits, or not a number */
        snprintf(buf, 48, "%s", neg ? "-1e18" : "1e18");
        return buf;
    }
    long long n = (long long)a;
    if (scale > 1)
        snprintf(buf, 48, "%s%lld.%0*lld", neg && n ? "-" : "", n / scale,
                 decimals, n % scale);
    else
        snprintf(buf, 48, "%s%lld", neg && n ? "-" : "", n);
    return buf;
}

const char *kbi_table_name(const kbi_table *t)
{
    return t->name;
}

size_t kbi_table_columns(const kbi_table *t)
{
    return t->ncols;
}

size_t kbi_table_rows(const kbi_table *t)
{
    return t->nrows;
}

const kbi_column *kbi_table_column(const kbi_table *t, size_t col)
{
    return col < t->ncols ? &t->cols[col] : NULL;
}

const kbi_cell *kbi_table_cell(const kbi_table *t, size_t row, size_t col)
{
    if (row >= t->nrows || col >= t->ncols)
        return NULL;
    return &t->cells[row * t->ncols + col];
}

const char *kbi_table_int_text(int64_t v, char buf[24])
{
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    char *p = buf + 23;
    *p = '\0';
    do
        *--p = (char)('0' + u % 10);
    while (u /= 10);
    if (v < 0)
        *--p = '-';
    return p;
}
