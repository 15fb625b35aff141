/*
 * matrix.c: the matrix that counts a quote list's quotes by two axes
 * (codes of a kind, a facet's values, a case attribute, speakers,
 * documents or cases), by quotes, documents, cases, words or presence,
 * each cell keeping its quotes; and, when both axes are codes, the units
 * (units.c) that hold both codes of a cell, with the Jaccard index.
 */
#include "quotes/matrix.h"
#include "quotes/attributes.h"
#include "quotes/facet_list.h"
#include "quotes/list.h"
#include "quotes/units.h"
#include "base/error.h"
#include "base/grow.h"
#include "base/names.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* One axis: its keys and labels, and how a quote's values are found. */
typedef struct axis {
    const char *name;
    const char *code_kind; /* "dimension", "theme", "concept", or NULL */
    size_t facet;          /* a facet's index, or nfacets */
    const char *attr;      /* "attr:NAME": NAME */
    const char **keys, **labels;
    size_t n, cap;
    const char *last; /* the value found last (a list keeps values once), */
    size_t last_n, last_at; /* its length and place */
    kbi_slots index;        /* keys by hash, or none (no slots) */
} axis;

struct kb_matrix {
    axis rows, cols;
    kb_count_kind count;
    int pairs; /* co-occurrence: both axes are codes */
    const kb_quote_list *quotes;
    kbi_pool strings;         /* values found on non-codebook axes */
    size_t *cell_at, *cell_n; /* rows x cols, into members */
    size_t *members;          /* quote indexes of each cell */
    size_t *counts, *row_totals, *col_totals, total;
    size_t *units; /* co-occurrence: per cell, the units holding both */
    size_t *row_units, *col_units; /* the units holding each code */
};

/* Is `name` an axis of codes? */
static int code_axis(const char *name)
{
    return !strcmp(name, "dimension") || !strcmp(name, "theme") ||
           !strcmp(name, "concept");
}

static int axis_init(axis *a, const kb_quote_list *l, const char *name,
                     kb_error *err)
{
    memset(a, 0, sizeof *a);
    a->name = name;
    a->facet = l->nfacets;
    if (code_axis(name))
        a->code_kind = name;
    else if (!strncmp(name, "attr:", 5) && name[5]) {
        a->attr = name + 5;
        int rc = kbi_attributes_check(l, a->attr, err);
        if (rc)
            return rc;
    } else if (strcmp(name, "speaker") && strcmp(name, "document") &&
               strcmp(name, "case")) {
        for (size_t k = 0; k < l->nfacets; k++)
            if (!strcmp(l->facets[k], name))
                a->facet = k;
        if (a->facet == l->nfacets)
            return kbi_fail(err, KB_EINVAL,
                            "unknown axis '%s' (dimension, theme, concept, a "
                            "facet, attr:NAME, speaker, document, case)",
                            name);
    }
    /* Codebook axes list every code, in codebook order. */
    for (size_t i = 0; i < l->ncodes; i++) {
        const kbi_code_row *c = &l->codes[i];
        int take = a->code_kind ? !strcmp(c->kind, a->code_kind)
                   : a->facet < l->nfacets
                       ? !strcmp(c->kind, "value") && c->parent &&
                             !strcmp(c->parent, l->facets[a->facet])
                       : 0;
        if (!take)
            continue;
        if (KBI_GROW(&a->keys, &a->cap, a->n + 1))
            return kbi_fail(err, KB_ENOMEM, "out of memory");
        a->keys[a->n++] = c->code;
    }
    return 0;
}

/* Calls fn for each value quote q has on axis a (a facet may give several,
 * and none is possible). */
static int each_value(const kb_matrix *m, const axis *a, const kb_quote_row *q,
                      int (*fn)(void *ctx, const char *v, size_t n), void *ctx)
{
    const char *v = NULL;
    if (a->code_kind)
        v = !strcmp(a->code_kind, "concept") ? q->concept
            : !strcmp(a->code_kind, "theme") ? q->theme
                                             : q->dimension;
    else if (a->attr)
        v = kbi_attributes_get(m->quotes, q->case_id, a->attr);
    else if (!strcmp(a->name, "speaker"))
        v = q->speaker;
    else if (!strcmp(a->name, "document"))
        v = q->document;
    else if (!strcmp(a->name, "case"))
        v = q->case_id;
    else if (q->facets)
        return kbi_facet_each(q->facets[a->facet], fn, ctx);
    return v ? fn(ctx, v, strlen(v)) : 0;
}

/* FNV-1a of v[0..n). */
/* A value sought on an axis: v[0..n). */
typedef struct value {
    const char *v;
    size_t n;
} value;

static size_t key_hash(const void *ctx, size_t i)
{
    const char *k = ((const axis *)ctx)->keys[i];
    return (size_t)kbi_hash_bytes(k, strlen(k));
}

static int is_key(const void *ctx, size_t i, const void *key)
{
    const char *k = ((const axis *)ctx)->keys[i];
    const value *v = key;
    return !strncmp(k, v->v, v->n) && !k[v->n];
}

/* Where value v[0..n) is among a's keys by their index, or a->n. */
static size_t axis_slot(const axis *a, const char *v, size_t n)
{
    value key = {v, n};
    size_t at = kbi_slots_find(&a->index, (size_t)kbi_hash_bytes(v, n), is_key,
                               a, &key);
    return at == SIZE_MAX ? a->n : at;
}

/* Indexes a's keys by hash again. */
static int axis_index(axis *a)
{
    return kbi_slots_build(&a->index, a->n, key_hash, a) ? KB_ENOMEM : 0;
}

/* The place of value v[0..n) on axis a, or a->n if it has none. */
static size_t axis_place(const axis *a, const char *v, size_t n)
{
    if (a->index.n)
        return axis_slot(a, v, n);
    for (size_t i = 0; i < a->n; i++) /* a code's id is its key: same address */
        if (a->keys[i] == v && !a->keys[i][n])
            return i;
    for (size_t i = 0; i < a->n; i++)
        if (!strncmp(a->keys[i], v, n) && !a->keys[i][n])
            return i;
    return a->n;
}

/* The place of value v[0..n) on axis a, or a->n, once the axis has all
 * its keys: the strings a list holds do not change, so the same address
 * and length are the same value. */
static size_t axis_find(axis *a, const char *v, size_t n)
{
    if (v == a->last && n == a->last_n)
        return a->last_at;
    size_t at = axis_place(a, v, n);
    a->last = v;
    a->last_n = n;
    a->last_at = at;
    return at;
}

size_t kbi_matrix_place(const kb_matrix *m, int cols, const char *key)
{
    const axis *a = cols ? &m->cols : &m->rows;
    key = key ? key : "";
    size_t at = axis_place(a, key, strlen(key));
    return at < a->n ? at : SIZE_MAX;
}

typedef struct collect_ctx {
    axis *a;
    kbi_pool *pool;
} collect_ctx;

/* Adds a value found on a non-codebook axis, indexed by hash. */
static int collect(void *ctx, const char *v, size_t n)
{
    collect_ctx *c = ctx;
    axis *a = c->a;
    if (axis_slot(a, v, n) < a->n)
        return 0;
    int fail = 0;
    char *s = kbi_pool_own(c->pool, strndup(v, n), &fail);
    if (fail || KBI_GROW(&a->keys, &a->cap, a->n + 1))
        return KB_ENOMEM;
    a->keys[a->n] = s;
    if (kbi_slots_add(&a->index, a->n, (size_t)kbi_hash_bytes(v, n), key_hash,
                      a))
        return KB_ENOMEM;
    a->n++;
    return 0;
}

static int by_string(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The indexes of a quote's values on an axis, at most `max`. */
typedef struct index_ctx {
    axis *a;
    size_t v[16], n;
} index_ctx;

static int index_of(void *ctx, const char *v, size_t n)
{
    index_ctx *c = ctx;
    size_t i = axis_find(c->a, v, n);
    if (i < c->a->n && c->n < sizeof c->v / sizeof c->v[0])
        c->v[c->n++] = i;
    return 0;
}

/* The count over a set of quote indexes (without repeats). */
static size_t count_of(const kb_matrix *m, const size_t *q, size_t n)
{
    if (m->count == KB_COUNT_QUOTES && m->quotes->weights) { /* grouped */
        size_t w = 0;
        for (size_t i = 0; i < n; i++)
            w += kb_quote_list_weight(m->quotes, q[i]);
        return w;
    }
    if (m->count == KB_COUNT_QUOTES)
        return n;
    if (m->count == KB_COUNT_PRESENCE)
        return n > 0;
    if (m->count == KB_COUNT_WORDS) {
        size_t w = 0;
        for (size_t i = 0; i < n; i++)
            w += m->quotes->v[q[i]].words;
        return w;
    }
    /* distinct documents or cases: sort a copy of the names */
    const char **s = malloc((n ? n : 1) * sizeof *s);
    if (!s)
        return 0;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const kb_quote_row *r = &m->quotes->v[q[i]];
        const char *v =
            m->count == KB_COUNT_DOCUMENTS ? r->document : r->case_id;
        if (v)
            s[k++] = v;
    }
    kbi_sort(s, k, sizeof *s, by_string);
    size_t distinct = 0;
    for (size_t i = 0; i < k; i++)
        distinct += !i || strcmp(s[i], s[i - 1]);
    free(s);
    return distinct;
}

/* Fills totals: rows, columns and all, each counting a quote once (a
 * quote with two values on an axis is in two cells of a row or column);
 * a mark per quote finds the distinct ones without sorting. */
static int totals(kb_matrix *m)
{
    size_t R = m->rows.n, C = m->cols.n, nq = m->quotes->n;
    size_t *buf = malloc((nq + 1) * sizeof *buf);
    unsigned char *seen = calloc(nq + 1, 1);
    if (!buf || !seen) {
        free(buf);
        free(seen);
        return KB_ENOMEM;
    }
    kbi_prefault(buf, nq * sizeof *buf);
    for (int pass = 0; pass < 3; pass++) { /* rows, columns, all */
        size_t outer = pass == 0 ? R : pass == 1 ? C : 1;
        size_t inner = pass == 0 ? C : pass == 1 ? R : R * C;
        for (size_t o = 0; o < outer; o++) {
            size_t n = 0;
            for (size_t i = 0; i < inner; i++) {
                size_t cell = pass == 0 ? o * C + i : pass == 1 ? i * C + o : i;
                const size_t *q = m->members + m->cell_at[cell];
                for (size_t k = 0; k < m->cell_n[cell]; k++)
                    if (!seen[q[k]]) {
                        seen[q[k]] = 1;
                        buf[n++] = q[k];
                    }
            }
            size_t count = count_of(m, buf, n);
            if (pass == 0)
                m->row_totals[o] = count;
            else if (pass == 1)
                m->col_totals[o] = count;
            else
                m->total = count;
            for (size_t k = 0; k < n; k++)
                seen[buf[k]] = 0;
        }
    }
    free(buf);
    free(seen);
    return 0;
}

/* A presence matrix's totals: the cells present in each row, column and
 * in all. */
static void presence_totals(kb_matrix *m)
{
    size_t R = m->rows.n, C = m->cols.n;
    memset(m->row_totals, 0, R * sizeof *m->row_totals);
    memset(m->col_totals, 0, C * sizeof *m->col_totals);
    m->total = 0;
    for (size_t r = 0; r < R; r++)
        for (size_t c = 0; c < C; c++) {
            size_t present = m->counts[r * C + c] > 0;
            m->counts[r * C + c] = present;
            m->row_totals[r] += present;
            m->col_totals[c] += present;
            m->total += present;
        }
}

/* Between a matrix's two passes: each cell's start in `members` from the
 * sizes the first pass counted (the counts set back to 0 for the second),
 * and `members` itself. 0, or -1 when out of memory. */
static int members_alloc(kb_matrix *m, size_t cells)
{
    size_t at = 0;
    for (size_t c = 0; c < cells; c++) {
        m->cell_at[c] = at;
        at += m->cell_n[c];
        m->cell_n[c] = 0;
    }
    m->members = malloc((at + 1) * sizeof *m->members);
    return m->members ? 0 : -1;
}

static int alloc_cells(kb_matrix *m)
{
    size_t R = m->rows.n, C = m->cols.n, cells = R * C;
    m->cell_at = calloc(cells + 1, sizeof *m->cell_at);
    m->cell_n = calloc(cells + 1, sizeof *m->cell_n);
    m->counts = calloc(cells + 1, sizeof *m->counts);
    m->row_totals = calloc(R + 1, sizeof *m->row_totals);
    m->col_totals = calloc(C + 1, sizeof *m->col_totals);
    return m->cell_at && m->cell_n && m->counts && m->row_totals &&
                   m->col_totals
               ? 0
               : KB_ENOMEM;
}

static int fill_cells(kb_matrix *m)
{
    const kb_quote_list *l = m->quotes;
    size_t C = m->cols.n, cells = m->rows.n * C;
    if (alloc_cells(m))
        return KB_ENOMEM;
    /* Two passes: sizes, then members (a cell's quotes in list order). */
    for (int pass = 0; pass < 2; pass++) {
        if (pass && members_alloc(m, cells))
            return KB_ENOMEM;
        for (size_t i = 0; i < l->n; i++) {
            index_ctx r = {.a = &m->rows}, c = {.a = &m->cols};
            each_value(m, &m->rows, &l->v[i], index_of, &r);
            each_value(m, &m->cols, &l->v[i], index_of, &c);
            for (size_t a = 0; a < r.n; a++)
                for (size_t b = 0; b < c.n; b++) {
                    size_t cell = r.v[a] * C + c.v[b];
                    if (pass)
                        m->members[m->cell_at[cell] + m->cell_n[cell]] = i;
                    m->cell_n[cell]++;
                }
        }
    }
    for (size_t c = 0; c < cells; c++)
        m->counts[c] = count_of(m, m->members + m->cell_at[c], m->cell_n[c]);
    if (m->count != KB_COUNT_PRESENCE)
        return totals(m);
    presence_totals(m);
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Co-occurrence                                                             */
/* ------------------------------------------------------------------------ */

/* A quote's code on one axis (0 rows, 1 columns) in a unit. */
typedef struct hold {
    size_t unit, axis, code, quote;
} hold;

static int by_hold(const void *a, const void *b)
{
    const hold *x = a, *y = b;
    return x->unit != y->unit     ? (x->unit > y->unit ? 1 : -1)
           : x->axis != y->axis   ? (x->axis > y->axis ? 1 : -1)
           : x->code != y->code   ? (x->code > y->code ? 1 : -1)
           : x->quote != y->quote ? (x->quote > y->quote ? 1 : -1)
                                  : 0;
}

static int by_index(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

/* Every (unit, axis, code, quote) of the pairs of units and quotes, sorted;
 * *n of them. */
static hold *holds_of(kb_matrix *m, const kbi_unit_of *u, size_t nu, size_t *n)
{
    hold *h = malloc((2 * nu + 1) * sizeof *h);
    size_t k = 0;
    if (!h)
        return NULL;
    for (size_t i = 0; i < nu; i++) {
        const kb_quote_row *q = &m->quotes->v[u[i].quote];
        axis *both[2] = {&m->rows, &m->cols};
        for (size_t a = 0; a < 2; a++) {
            index_ctx x = {.a = both[a]};
            each_value(m, both[a], q, index_of, &x);
            if (x.n) /* a code axis gives one value at most */
                h[k++] = (hold){u[i].unit, a, x.v[0], u[i].quote};
        }
    }
    kbi_sort(h, k, sizeof *h, by_hold);
    *n = k;
    return h;
}

/* The end of the run of holds from `i` with the same unit, axis and code. */
static size_t run_end(const hold *h, size_t n, size_t i)
{
    size_t j = i + 1;
    while (j < n && h[j].unit == h[i].unit && h[j].axis == h[i].axis &&
           h[j].code == h[i].code)
        j++;
    return j;
}

/* One unit's holds h[0..n) (rows first, then columns): in pass 0 counts
 * its codes and pairs (and the room their quotes take, with `members`),
 * in pass 1 puts each pair's quotes in its cell. */
static void count_unit(kb_matrix *m, const hold *h, size_t n, int pass,
                       int members)
{
    size_t C = m->cols.n, mid = 0;
    while (mid < n && h[mid].axis == 0)
        mid++;
    if (!pass) {
        m->total++;
        for (size_t i = 0; i < n; i = run_end(h, n, i))
            (h[i].axis ? m->col_units : m->row_units)[h[i].code]++;
    }
    for (size_t r = 0; r < mid; r = run_end(h, mid, r)) {
        size_t r1 = run_end(h, mid, r);
        for (size_t c = mid; c < n; c = run_end(h, n, c)) {
            size_t c1 = run_end(h, n, c), cell = h[r].code * C + h[c].code;
            if (!pass) {
                m->units[cell]++;
                m->cell_n[cell] += members ? (r1 - r) + (c1 - c) : 0;
                continue;
            }
            size_t *to = m->members + m->cell_at[cell];
            for (size_t k = r; k < r1; k++)
                to[m->cell_n[cell]++] = h[k].quote;
            for (size_t k = c; k < c1; k++)
                to[m->cell_n[cell]++] = h[k].quote;
        }
    }
}

/* The co-occurrence cells: units holding both codes, and with a list that
 * has its quotes, each cell's quotes once each, in list order. */
static int fill_pairs(kb_matrix *m, kb_matrix_unit unit, kb_error *err)
{
    size_t R = m->rows.n, C = m->cols.n, cells = R * C, nu, nh;
    kbi_unit_of *u;
    int rc = kbi_quote_units(&u, &nu, m->quotes, unit, err);
    if (rc)
        return rc;
    hold *h = holds_of(m, u, nu, &nh);
    free(u);
    int members = !m->quotes->counts_only;
    if (!h || alloc_cells(m) ||
        !(m->units = calloc(cells + 1, sizeof *m->units)) ||
        !(m->row_units = calloc(R + 1, sizeof *m->row_units)) ||
        !(m->col_units = calloc(C + 1, sizeof *m->col_units)))
        goto nomem;
    if (!members && !(m->members = malloc(sizeof *m->members)))
        goto nomem; /* cells of no quotes, at a valid address */
    for (int pass = 0; pass < 1 + members; pass++) {
        if (pass && members_alloc(m, cells))
            goto nomem;
        for (size_t i = 0, j; i < nh; i = j) {
            for (j = i + 1; j < nh && h[j].unit == h[i].unit; j++)
                ;
            count_unit(m, h + i, j - i, pass, members);
        }
    }
    for (size_t c = 0; c < cells && members; c++) {
        size_t *q = m->members + m->cell_at[c], n = 0;
        kbi_sort(q, m->cell_n[c], sizeof *q, by_index);
        for (size_t i = 0; i < m->cell_n[c]; i++)
            if (!n || q[i] != q[n - 1])
                q[n++] = q[i];
        m->cell_n[c] = n;
    }
    free(h);
    memcpy(m->counts, m->units, cells * sizeof *m->counts);
    memcpy(m->row_totals, m->row_units, R * sizeof *m->row_totals);
    memcpy(m->col_totals, m->col_units, C * sizeof *m->col_totals);
    if (m->count == KB_COUNT_PRESENCE)
        presence_totals(m);
    return 0;
nomem:
    free(h);
    return kbi_fail(err, KB_ENOMEM, "out of memory");
}

static int axis_labels(axis *a, const kb_quote_list *l)
{
    if (!(a->labels = calloc(a->n + 1, sizeof *a->labels)))
        return KB_ENOMEM;
    for (size_t i = 0; i < a->n; i++) {
        const char *label = a->code_kind || a->facet < l->nfacets
                                ? kb_quote_list_label(l, a->keys[i])
                                : NULL;
        a->labels[i] = label ? label : a->keys[i];
    }
    return 0;
}

/* kb_matrix_build_units, or with `pairs` 0 kb_matrix_build, which counts
 * quotes whatever the axes. */
static int build(kb_matrix **out, const kb_quote_list *l, const char *rows,
                 const char *cols, kb_count_kind count, kb_matrix_unit unit,
                 int pairs, kb_error *err)
{
    *out = NULL;
    if (count < KB_COUNT_QUOTES || count > KB_COUNT_PRESENCE)
        return kbi_fail_arg(err, KB_EINVAL, "count", "unknown count");
    if (!kbi_matrix_unit_name((int)unit))
        return kbi_fail_arg(err, KB_EINVAL, "unit", "unknown unit %d",
                            (int)unit);
    kb_matrix *m = calloc(1, sizeof *m);
    if (!m)
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    m->quotes = l;
    m->count = count;
    int rc;
    if ((rc = axis_init(&m->rows, l, rows, err)) ||
        (rc = axis_init(&m->cols, l, cols, err)))
        goto fail;
    m->pairs = pairs && m->rows.code_kind && m->cols.code_kind;
    if (l->weights && (m->pairs || kb_matrix_groupable(rows, cols, count) <
                                       (l->across ? 2 : 1))) {
        rc = kbi_fail(err, KB_EINVAL,
                      "a grouped list of quotes counts quotes, documents or "
                      "presence by code, facet value or document only");
        goto fail;
    }
    if (pairs && !m->pairs && unit != KB_UNIT_SEGMENT) {
        rc = kbi_fail_arg(err, KB_EINVAL, "unit",
                          "`unit` %s: units are counted in a matrix of two "
                          "code axes (dimension, theme, concept)",
                          kbi_matrix_unit_name((int)unit));
        goto fail;
    }
    if (m->pairs && count != KB_COUNT_QUOTES && count != KB_COUNT_PRESENCE) {
        rc = kbi_fail_arg(err, KB_EINVAL, "count",
                          "a matrix of two code axes counts units that hold "
                          "both codes: `count` %s does not apply (quotes or "
                          "presence)",
                          kbi_count_kind_name(count));
        goto fail;
    }
    axis *both[2] = {&m->rows, &m->cols};
    for (int k = 0; k < 2; k++) {
        axis *a = both[k];
        if (a->code_kind || a->facet < l->nfacets)
            continue; /* codebook axes are listed already */
        collect_ctx cc = {a, &m->strings};
        for (size_t i = 0; i < l->n && !rc; i++)
            rc = each_value(m, a, &l->v[i], collect, &cc);
        if (rc)
            goto nomem;
        kbi_sort(a->keys, a->n, sizeof *a->keys, by_string);
        if (axis_index(a)) /* the keys' places changed */
            goto nomem;
    }
    for (int k = 0; k < 2; k++) /* the codebook's axes too, when long */
        if (!both[k]->index.n && both[k]->n > 16 && axis_index(both[k]))
            goto nomem;
    if (axis_labels(&m->rows, l) || axis_labels(&m->cols, l))
        goto nomem;
    if (m->pairs ? (rc = fill_pairs(m, unit, err)) != 0 : fill_cells(m) != 0) {
        if (rc)
            goto fail;
        goto nomem;
    }
    *out = m;
    return 0;
nomem:
    rc = kbi_fail(err, KB_ENOMEM, "out of memory");
fail:
    kb_matrix_free(m);
    return rc;
}

int kb_matrix_build_units(kb_matrix **out, const kb_quote_list *l,
                          const char *rows, const char *cols,
                          kb_count_kind count, kb_matrix_unit unit,
                          kb_error *err)
{
    return build(out, l, rows, cols, count, unit, 1, err);
}

int kb_matrix_build(kb_matrix **out, const kb_quote_list *l, const char *rows,
                    const char *cols, kb_count_kind count, kb_error *err)
{
    return build(out, l, rows, cols, count, KB_UNIT_SEGMENT, 0, err);
}

/* An axis a grouped list has values for: a code kind, a facet or the
 * document (rows has no case, speaker or attribute). */
static int groupable_axis(const char *name)
{
    return name && strcmp(name, "speaker") && strcmp(name, "case") &&
           strncmp(name, "attr:", 5);
}

int kb_matrix_groupable(const char *rows, const char *cols, kb_count_kind count)
{
    rows = rows ? rows : KBI_MATRIX_ROWS;
    cols = cols ? cols : KBI_MATRIX_COLS;
    if (!((count == KB_COUNT_QUOTES || count == KB_COUNT_DOCUMENTS ||
           count == KB_COUNT_PRESENCE) &&
          groupable_axis(rows) && groupable_axis(cols) &&
          !(code_axis(rows) && code_axis(cols))))
        return 0;
    /* neither counts nor axes that need the document: across documents */
    return count != KB_COUNT_DOCUMENTS && strcmp(rows, "document") &&
                   strcmp(cols, "document")
               ? 2
               : 1;
}

int kb_matrix_cooccurrence(const kb_matrix *m)
{
    return m && m->pairs;
}

double kb_matrix_jaccard(const kb_matrix *m, size_t r, size_t c)
{
    if (!m || !m->pairs || r >= m->rows.n || c >= m->cols.n)
        return 0;
    size_t both = m->units[r * m->cols.n + c],
           either = m->row_units[r] + m->col_units[c] - both;
    return either ? (double)both / (double)either : 0;
}

size_t kb_matrix_rows(const kb_matrix *m)
{
    return m ? m->rows.n : 0;
}

size_t kb_matrix_cols(const kb_matrix *m)
{
    return m ? m->cols.n : 0;
}

const char *kb_matrix_row_key(const kb_matrix *m, size_t r)
{
    return r < m->rows.n ? m->rows.keys[r] : NULL;
}

const char *kb_matrix_row_label(const kb_matrix *m, size_t r)
{
    return r < m->rows.n ? m->rows.labels[r] : NULL;
}

const char *kb_matrix_col_key(const kb_matrix *m, size_t c)
{
    return c < m->cols.n ? m->cols.keys[c] : NULL;
}

const char *kb_matrix_col_label(const kb_matrix *m, size_t c)
{
    return c < m->cols.n ? m->cols.labels[c] : NULL;
}

size_t kb_matrix_cell(const kb_matrix *m, size_t r, size_t c)
{
    return r < m->rows.n && c < m->cols.n ? m->counts[r * m->cols.n + c] : 0;
}

size_t kb_matrix_row_total(const kb_matrix *m, size_t r)
{
    return r < m->rows.n ? m->row_totals[r] : 0;
}

size_t kb_matrix_col_total(const kb_matrix *m, size_t c)
{
    return c < m->cols.n ? m->col_totals[c] : 0;
}

size_t kb_matrix_total(const kb_matrix *m)
{
    return m ? m->total : 0;
}

size_t kb_matrix_cell_quotes(const kb_matrix *m, size_t r, size_t c,
                             const size_t **quotes)
{
    if (r >= m->rows.n || c >= m->cols.n) {
        *quotes = NULL;
        return 0;
    }
    size_t cell = r * m->cols.n + c;
    *quotes = m->members + m->cell_at[cell];
    return m->cell_n[cell];
}

void kb_matrix_free(kb_matrix *m)
{
    if (!m)
        return;
    free(m->rows.keys);
    kbi_slots_free(&m->rows.index);
    free(m->rows.labels);
    free(m->cols.keys);
    kbi_slots_free(&m->cols.index);
    free(m->cols.labels);
    kbi_pool_free(&m->strings);
    free(m->cell_at);
    free(m->cell_n);
    free(m->members);
    free(m->counts);
    free(m->row_totals);
    free(m->col_totals);
    free(m->units);
    free(m->row_units);
    free(m->col_units);
    free(m);
}
