/*
 * report.c: HTML for people: the matrix whose cells link to their quotes
 * (kb_matrix_write with quotes, a fragment) and the report page around it
 * with the codebook's tree (kb_report_write). docs/exports.md shows the
 * markup.
 *
 * Everything is written by libxml2's xmlTextWriter straight onto the
 * stream (kbi_xml), so a page of a million quotes is never held in memory;
 * libxml2 escapes all text but the quotes' items, which are put together
 * in memory and escaped as libxml2 escapes (kbi_xml_escape_append). The page is
 * self-contained: its only style is the constant sheet below, it has no
 * scripts, and every link is an anchor in the page itself. Elements that may be
 * empty are closed with an end tag, as HTML needs; a cell's quotes are in <div
 * class="cell" id="c-R-C">, which its matrix cell links to.
 */
#include "export/table_html.h"
#include "export/present.h"
#include "export/report.h"
#include "export/spool.h"
#include "quotes/matrix.h"
#include "quotes/order.h"
#include "quotes/project_quotes.h"
#include "base/error.h"
#include "base/grow.h"
#include "base/xml.h"

#include <cmark.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The page's style: a constant, written as it is (it holds no < or &). */
static const char STYLE[] =
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;"
    "max-width:62rem;margin:2rem auto;padding:0 1rem;line-height:1.45;"
    "color:#222;background:#fff}\n"
    "h1{margin-bottom:.2rem}h2{margin-top:2.5rem;border-bottom:2px solid "
    "#ddd}h3{margin:.4rem 0}h4{margin:.9rem 0 .2rem}\n"
    ".meta,.n,.who{color:#666;font-weight:normal}.who{white-space:nowrap}\n"
    "table.kodbok-table{border-collapse:collapse;margin:1rem 0}\n"
    ".kodbok-table th,.kodbok-table td{border:1px solid #ccc;"
    "padding:.3rem .6rem;vertical-align:top;text-align:left}\n"
    ".kodbok-table th{background:#f2f2f2}.kodbok-table .num{text-align:right}"
    "\n.kodbok-table tbody tr:last-child td,.kodbok-table td:last-child"
    "{font-weight:bold;background:#fafafa}\n"
    "div.cell{border-top:1px solid "
    "#ddd;margin-top:1.5rem}h2+div.cell{border-top:0}\n"
    "ul.quotes{margin:0;padding-left:1.2rem}ul.quotes li{margin:.35rem 0}\n"
    ".q{white-space:pre-line}.desc{color:#444;margin:.1rem 0 .4rem}\n"
    "ul.tree li{margin:.25rem 0}.up{font-size:.9em}a{color:#0645ad}\n"
    ".memo{border-left:3px solid #e0c060;"
    "padding:.1rem .6rem;margin:.3rem 0;background:#fffbea}\n"
    ".memo p,.memo ul,.memo ol{margin:.3rem 0}.who{color:#555}\n"
    "@media print{a{color:inherit;text-decoration:none}.up{display:none}}\n";

static void text(kbi_xml *x, const char *s)
{
    kbi_xml_text(x, s, strlen(s));
}

/* <name class="cls">s</name>, with an end tag even when s is empty. */
static void element(kbi_xml *x, const char *name, const char *cls,
                    const char *s)
{
    kbi_xml_open(x, name);
    if (cls)
        kbi_xml_attr(x, "class", cls);
    text(x, s);
    kbi_xml_close_full(x);
}

/* <a href="href">s</a> */
static void anchor(kbi_xml *x, const char *href, const char *s)
{
    kbi_xml_open(x, "a");
    kbi_xml_attr(x, "href", href);
    text(x, s);
    kbi_xml_close_full(x);
}

/* ------------------------------------------------------------------------ */
/* Quotes grouped by concept                                                 */
/* ------------------------------------------------------------------------ */

/* A quote of a cell with the code it groups under (its concept; for a
 * coder's tag on a whole theme or dimension, that code) and the code's
 * place: concepts in codebook order, then the whole themes and dimensions
 * by id. */
typedef struct member {
    size_t rank;
    const char *code;
    size_t i;
} member;

/* Codes compared by text; a list keeps each code once, so one address is
 * the same code. */
static int by_code(const member *x, const member *y)
{
    return x->code == y->code
               ? 0
               : strcmp(x->code ? x->code : "", y->code ? y->code : "");
}

static int by_group(const void *a, const void *b)
{
    const member *x = a, *y = b;
    if (x->rank != y->rank)
        return x->rank < y->rank ? -1 : 1;
    int c = by_code(x, y);
    return c ? c : (x->i > y->i) - (x->i < y->i);
}

static member member_of(const kb_quote_list *l, const kb_quote_row *q, size_t i)
{
    if (q->concept)
        return (member){kbi_quote_list_concept_rank(l, q->concept), q->concept,
                        i};
    return (member){SIZE_MAX, q->theme ? q->theme : q->dimension, i};
}

/* The markup that opens a group of quotes, appended to *buf (*n bytes of
 * *cap): its heading, the concept's label or "Struktur (hela temat)" for a
 * tag on a whole theme, and the start of its list:
 * <h4>HEADING</h4><ul class="quotes">. Returns 0, or -1 when out of
 * memory. */
static int group_open(const kb_quote_row *q, const kbi_words *w, char **buf,
                      size_t *n, size_t *cap)
{
    const char *code = q->theme ? (q->theme_label ? q->theme_label : q->theme)
                       : q->dimension_label ? q->dimension_label
                       : q->dimension       ? q->dimension
                                            : "";
    const char *label =
        q->concept ? (q->concept_label ? q->concept_label : q->concept) : code;
    return kbi_xml_append(buf, n, cap, "<h4>") ||
                   kbi_xml_escape_append(buf, n, cap, label, 0) ||
                   (!q->concept &&
                    (kbi_xml_append(buf, n, cap, " (") ||
                     kbi_xml_escape_append(
                         buf, n, cap,
                         q->theme ? w->whole_theme : w->whole_dimension, 0) ||
                     kbi_xml_append(buf, n, cap, ")"))) ||
                   kbi_xml_append(buf, n, cap, "</h4><ul class=\"quotes\">")
               ? -1
               : 0;
}

/* ------------------------------------------------------------------------ */
/* The matrix and its cells' quotes                                          */
/* ------------------------------------------------------------------------ */

/* Appends " · WORD: CODERS" when `coders` (comma-separated) is set.
 * Returns 0, or -1 when out of memory. */
static int coders_mark(char **buf, size_t *n, size_t *cap, const char *word,
                       const char *coders)
{
    if (!coders)
        return 0;
    if (kbi_xml_append(buf, n, cap, " \xc2\xb7 ") ||
        kbi_xml_escape_append(buf, n, cap, word, 0) ||
        kbi_xml_append(buf, n, cap, ": "))
        return -1;
    char *names = strdup(coders), *save = NULL;
    int fail = !names;
    for (char *t = names ? strtok_r(names, ",", &save) : NULL; t && !fail;
         t = strtok_r(NULL, ",", &save))
        fail = (t != names && kbi_xml_append(buf, n, cap, ", ")) ||
               kbi_xml_escape_append(buf, n, cap, t, 0);
    free(names);
    return fail ? -1 : 0;
}

/* One quote: its text, then who said it (the case, else the document),
 * and who coded it when coders did: the rules' mark when they found it
 * too, the coders who tagged it, those who accepted it in review:
 * <li><span class="q">TEXT</span> <span class="who">(WHO · regel ·
 * manuell: anna, bo)</span></li>, as the writer's element calls would give
 * it, appended to *buf (*n bytes of *cap) for flush_items to write.
 * Returns 0, or -1 when out of memory. */
static int quote_item(const kb_quote_row *q, const kb_export_options *o,
                      const kbi_words *w, char **buf, size_t *n, size_t *cap)
{
    char *own;
    const char *s = kbi_export_quote_text(q, o->max_words, &own);
    if (!s)
        return -1;
    const char *who = q->case_id ? q->case_id : q->document;
    int rules = q->coder && q->source && !strcmp(q->source, "auto");
    int fail = kbi_xml_append(buf, n, cap, "<li><span class=\"q\">") ||
               kbi_xml_escape_append(buf, n, cap, s, 0) ||
               kbi_xml_append(buf, n, cap, "</span> <span class=\"who\">(") ||
               kbi_xml_escape_append(buf, n, cap, who, 0) ||
               (rules && (kbi_xml_append(buf, n, cap, " \xc2\xb7 ") ||
                          kbi_xml_escape_append(buf, n, cap, w->rules, 0))) ||
               coders_mark(buf, n, cap, w->manual, q->tagged_by) ||
               coders_mark(buf, n, cap, w->accepted, q->accepted_by) ||
               coders_mark(buf, n, cap, w->featured, q->featured_by) ||
               kbi_xml_append(buf, n, cap, ")</span></li>");
    free(own);
    return fail ? -1 : 0;
}

/* Items are gathered up to this many bytes and written at once. */
#define ITEMS_BYTES 65536

/* Writes the items gathered in buf, if any. */
static void flush_items(kbi_xml *x, const char *buf, size_t *n)
{
    if (*n)
        kbi_xml_raw(x, buf);
    *n = 0;
}

/* The start of cell (r, c)'s part: <div class="cell" id="c-R-C"> and
 * its heading. */
static void cell_head(kbi_xml *x, const kb_matrix *m,
                      const kb_export_options *o, const kbi_words *w, size_t r,
                      size_t c)
{
    kbi_xml_open(x, "div");
    kbi_xml_attr(x, "class", "cell");
    kbi_xml_attrf(x, "id", "c-%zu-%zu", r, c);
    kbi_xml_open(x, "h3");
    kbi_xml_textf(x, "%s \xc2\xb7 %s ", kb_matrix_row_label(m, r),
                  kb_matrix_col_label(m, c));
    kbi_xml_open(x, "span");
    kbi_xml_attr(x, "class", "n");
    kbi_xml_textf(x, "(%zu %s)", kb_matrix_cell(m, r, c),
                  kb_matrix_cooccurrence(m) && o->count != KB_COUNT_PRESENCE
                      ? w->units[o->unit]
                      : w->counts[o->count]);
    kbi_xml_close(x);
    kbi_xml_close(x);
}

/* The end of a cell's part: the way up to the matrix, </div>. */
static void cell_foot(kbi_xml *x, const kbi_words *w)
{
    kbi_xml_open(x, "p");
    kbi_xml_attr(x, "class", "up");
    anchor(x, "#matrix", w->up);
    kbi_xml_close(x);
    kbi_xml_close(x);
}

/* The part of cell (r, c): its heading, then its quotes under their
 * concepts in codebook order (member). `v` has room for the cell's quotes. */
static int cell_part(kbi_xml *x, const kb_matrix *m, const kb_quote_list *l,
                     const kb_export_options *o, const kbi_words *w, size_t r,
                     size_t c, member *v, char **buf, size_t *cap)
{
    const size_t *qs;
    size_t n = kb_matrix_cell_quotes(m, r, c, &qs);
    cell_head(x, m, o, w, r, c);
    for (size_t i = 0; i < n; i++)
        v[i] = member_of(l, kb_quote_list_get(l, qs[i]), qs[i]);
    kbi_sort(v, n, sizeof *v, by_group);
    size_t bn = 0; /* the items gathered, written at once */
    for (size_t i = 0; i < n; i++) {
        const kb_quote_row *q = kb_quote_list_get(l, v[i].i);
        if (!i || v[i].rank != v[i - 1].rank || by_code(&v[i], &v[i - 1]))
            if ((i && kbi_xml_append(buf, &bn, cap, "</ul>")) ||
                group_open(q, w, buf, &bn, cap))
                return -1;
        if (quote_item(q, o, w, buf, &bn, cap))
            return -1;
        if (bn > ITEMS_BYTES)
            flush_items(x, *buf, &bn);
    }
    if (n && kbi_xml_append(buf, &bn, cap, "</ul>"))
        return -1;
    flush_items(x, *buf, &bn);
    cell_foot(x, w);
    return 0;
}

/* ------------------------------------------------------------------------ */
/* The cells' quotes gathered a document at a time                           */
/* ------------------------------------------------------------------------ */

/* A group of a cell's quotes (member): its place in the page, and its
 * section of the spool, numbered in the order groups were met. */
typedef struct group {
    size_t r, c, rank;
    char *code; /* NULL: a quote with no code to group by */
    size_t section;
} group;

/* The cells' quotes, read page by page into the spool: each group's
 * markup (group_open and its items) in a section of its own. */
typedef struct gathering {
    const kb_matrix *m; /* the whole matrix the groups are cells of */
    group *v;
    size_t n, cap;
    kbi_slots index; /* the groups by (r, c, rank, code) */
    kbi_spool *spool;
    char *buf; /* a group's markup, then an item's */
    size_t cap_buf;
} gathering;

static void gathering_free(gathering *g)
{
    for (size_t i = 0; i < g->n; i++)
        free(g->v[i].code);
    free(g->v);
    kbi_slots_free(&g->index);
    free(g->buf);
    kbi_spool_free(g->spool);
}

static size_t group_hash(const group *e)
{
    const char *code = e->code ? e->code : "";
    return (e->r * 1000003u) ^ (e->c * 7919u) ^ (e->rank * 104729u) ^
           (size_t)kbi_hash_bytes(code, strlen(code));
}

static size_t hash_of(const void *ctx, size_t i)
{
    return group_hash(&((const gathering *)ctx)->v[i]);
}

/* Is group i the one of `key`'s cell, rank and code? */
static int same_group(const void *ctx, size_t i, const void *key)
{
    const group *e = &((const gathering *)ctx)->v[i], *k = key;
    return e->r == k->r && e->c == k->c && e->rank == k->rank &&
           !strcmp(e->code ? e->code : "", k->code ? k->code : "");
}

/* The group of member v of cell (r, c), added when new (with its opening
 * markup from quote q in its section); NULL when out of memory or the
 * spool failed (err set then). */
static const group *group_of(gathering *g, size_t r, size_t c, const member *v,
                             const kb_quote_row *q, const kbi_words *w, int *rc,
                             kb_error *err)
{
    group key = {r, c, v->rank, (char *)v->code, 0};
    size_t h = group_hash(&key);
    size_t found = kbi_slots_find(&g->index, h, same_group, g, &key);
    if (found != SIZE_MAX)
        return &g->v[found];
    if (KBI_GROW(&g->v, &g->cap, g->n + 1))
        return NULL;
    group *e = &g->v[g->n];
    *e = (group){r, c, v->rank, v->code ? strdup(v->code) : NULL, g->n};
    if ((v->code && !e->code) ||
        kbi_slots_add(&g->index, g->n, h, hash_of, g)) {
        free(e->code);
        return NULL;
    }
    g->n++;
    size_t bn = 0;
    if (group_open(q, w, &g->buf, &bn, &g->cap_buf))
        return NULL;
    if ((*rc = kbi_spool_put(g->spool, e->section, g->buf, bn, err)))
        return NULL;
    return e;
}

/* The quotes of one page into their groups: the page's matrix (its cells'
 * quotes) on the whole matrix's axes. */
static int gather_page(gathering *g, const kb_quote_list *page,
                       const kb_export_options *o, const kbi_words *w,
                       kb_error *err)
{
    kb_matrix *pm;
    int rc = kb_matrix_build_units(&pm, page, o->rows, o->cols, o->count,
                                   o->unit, err);
    if (rc)
        return rc;
    member *v = malloc((kb_quote_list_count(page) + 1) * sizeof *v);
    int fail = !v;
    for (size_t pr = 0; pr < kb_matrix_rows(pm) && !fail && !rc; pr++) {
        size_t r = kbi_matrix_place(g->m, 0, kb_matrix_row_key(pm, pr));
        for (size_t pc = 0; pc < kb_matrix_cols(pm) && !fail && !rc; pc++) {
            const size_t *qs;
            size_t n = kb_matrix_cell_quotes(pm, pr, pc, &qs);
            if (!n)
                continue;
            size_t c = kbi_matrix_place(g->m, 1, kb_matrix_col_key(pm, pc));
            if (r == SIZE_MAX || c == SIZE_MAX) {
                rc = kbi_fail(err, KB_EINVAL,
                              "a document's quotes fall in a cell the "
                              "matrix of all quotes does not have");
                break;
            }
            for (size_t i = 0; i < n; i++)
                v[i] = member_of(page, kb_quote_list_get(page, qs[i]), qs[i]);
            kbi_sort(v, n, sizeof *v, by_group);
            for (size_t i = 0; i < n && !fail && !rc; i++) {
                const kb_quote_row *q = kb_quote_list_get(page, v[i].i);
                const group *e = group_of(g, r, c, &v[i], q, w, &rc, err);
                size_t bn = 0;
                if (!e || quote_item(q, o, w, &g->buf, &bn, &g->cap_buf))
                    fail = !rc;
                else
                    rc = kbi_spool_put(g->spool, e->section, g->buf, bn, err);
            }
        }
    }
    free(v);
    kb_matrix_free(pm);
    return fail ? kbi_fail(err, KB_ENOMEM, "out of memory") : rc;
}

static int by_place(const void *a, const void *b)
{
    const group *x = a, *y = b;
    if (x->r != y->r)
        return x->r < y->r ? -1 : 1;
    if (x->c != y->c)
        return x->c < y->c ? -1 : 1;
    if (x->rank != y->rank)
        return x->rank < y->rank ? -1 : 1;
    return strcmp(x->code ? x->code : "", y->code ? y->code : "");
}

/* Every page's quotes gathered into groups for the cells of m, the groups
 * then put in the page's order (cell, then member order). */
static int gather(gathering *g, kb_quote_pages *pages, const kb_matrix *m,
                  const kb_export_options *o, const kbi_words *w, kb_error *err)
{
    memset(g, 0, sizeof *g);
    g->m = m;
    int rc = kbi_spool_new(&g->spool, KBI_SPOOL_BUDGET, err);
    if (rc)
        return rc;
    const kb_quote_list *page;
    kb_quote_pages_rewind(pages);
    /* the next page read while this one is gathered */
    if ((rc = kbi_quote_pages_ahead(pages, 1, err)))
        return rc;
    while (!(rc = kb_quote_pages_next(pages, &page, err)) && page &&
           !(rc = gather_page(g, page, o, w, err)))
        ;
    int off = kbi_quote_pages_ahead(pages, 0, err);
    rc = rc ? rc : off;
    if (!rc)
        kbi_sort(g->v, g->n, sizeof *g->v, by_place);
    return rc;
}

/* Writes a piece of a section. */
static int take_raw(void *ctx, const char *p, size_t n)
{
    (void)n;
    kbi_xml_raw(ctx, p);
    return 0;
}

/* The parts of the cells from the gathered groups: a cell's groups
 * follow one another in g->v. */
static int gathered_parts(kbi_xml *x, gathering *g, const kb_export_options *o,
                          const kbi_words *w, kb_error *err)
{
    int rc = 0;
    for (size_t i = 0; i < g->n && !rc && !x->bad; i++) {
        const group *e = &g->v[i];
        int first = !i || e->r != g->v[i - 1].r || e->c != g->v[i - 1].c;
        if (first)
            cell_head(x, g->m, o, w, e->r, e->c);
        if (!(rc = kbi_spool_read(g->spool, e->section, take_raw, x, err)))
            kbi_xml_raw(x, "</ul>");
        if (i + 1 == g->n || g->v[i + 1].r != e->r || g->v[i + 1].c != e->c)
            cell_foot(x, w);
    }
    return rc;
}

/*
 * <div class="kodbok-matrix"> holding the matrix (in <div id="matrix">),
 * whose non-empty cells link to their parts, then one part per such
 * cell; on a page, the quotes' heading between the two.
 */
static int matrix_and_quotes(kbi_xml *x, const kb_matrix *m,
                             const kb_quote_list *l, gathering *g,
                             const kb_export_options *o, const kbi_words *w,
                             int page, kb_error *err)
{
    kbi_table *t;
    int rc =
        kbi_export_matrix_table(&t, m, l, w, o->rows, "#c", o->jaccard, err);
    if (rc)
        return rc;
    kbi_xml_open(x, "div");
    kbi_xml_attr(x, "class", "kodbok-matrix");
    kbi_xml_open(x, "div");
    kbi_xml_attr(x, "id", "matrix");
    x->bad |= !x->bad && kbi_table_html_element(x->w, t) < 0;
    kbi_xml_close(x);
    kbi_table_free(t);
    if (page) {
        kbi_xml_open(x, "h2");
        kbi_xml_attr(x, "id", "quotes");
        text(x, w->quotes);
        kbi_xml_close(x);
    }
    if (g) { /* the parts gathered a document at a time */
        rc = gathered_parts(x, g, o, w, err);
        kbi_xml_close(x);
        return rc;
    }
    member *v = malloc((kb_quote_list_count(l) + 1) * sizeof *v);
    if (!v)
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    char *buf = NULL; /* the markup of a group's quotes (flush_items) */
    size_t cap = 0;
    for (size_t r = 0; r < kb_matrix_rows(m) && !rc && !x->bad; r++)
        for (size_t c = 0; c < kb_matrix_cols(m) && !rc && !x->bad; c++) {
            const size_t *qs;
            if (kb_matrix_cell_quotes(m, r, c, &qs) &&
                cell_part(x, m, l, o, w, r, c, v, &buf, &cap))
                rc = kbi_fail(err, KB_ENOMEM, "out of memory");
        }
    free(buf);
    free(v);
    kbi_xml_close(x);
    return rc;
}

/* Ends a stream, turning a failure into KB_EIO unless rc says more. */
static int end(kbi_xml *x, int rc, kb_error *err)
{
    if (kbi_xml_end_stream(x) && !rc)
        rc = kbi_fail(err, KB_EIO, "writing the HTML failed");
    return rc;
}

int kbi_report_matrix_html(FILE *out, const kb_matrix *m,
                           const kb_quote_list *l, const kb_export_options *o,
                           kb_error *err)
{
    kbi_xml x;
    if (kbi_xml_begin_stream(&x, out))
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    int rc =
        matrix_and_quotes(&x, m, l, NULL, o, kbi_words_for(o->lang), 0, err);
    return end(&x, rc, err);
}

/* ------------------------------------------------------------------------ */
/* The codebook's tree                                                       */
/* ------------------------------------------------------------------------ */

/* A code's id and its place in the codebook. */
struct rank {
    const char *id;
    size_t at;
};

static int by_id(const void *a, const void *b)
{
    return strcmp(((const struct rank *)a)->id, ((const struct rank *)b)->id);
}

/* Quotes per codebook node: a concept's from the list, a theme's its
 * concepts' and the quotes tagged with the whole theme, a dimension's
 * likewise (a quote has one code). */
static int node_counts(size_t **out, const kb_codebook *cb,
                       const kb_quote_list *l, kb_error *err)
{
    size_t n = kb_codebook_count(cb), nc = 0;
    size_t *counts = calloc(n + 1, sizeof *counts);
    struct rank *v = malloc((n + 1) * sizeof *v);
    if (!counts || !v) {
        free(counts);
        free(v);
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < n; i++) /* ids are unique across the tiers */
        if (kb_codebook_get(cb, i)->kind <= KB_CODE_CONCEPT)
            v[nc++] = (struct rank){kb_codebook_get(cb, i)->id, i};
    kbi_sort(v, nc, sizeof *v, by_id);
    for (size_t i = 0; i < kb_quote_list_count(l); i++) {
        const kb_quote_row *q = kb_quote_list_get(l, i);
        struct rank key = {kb_quote_code(q, NULL), 0};
        const struct rank *hit =
            key.id ? bsearch(&key, v, nc, sizeof key, by_id) : NULL;
        if (hit)
            counts[hit->at] += kb_quote_list_weight(l, i);
    }
    free(v);
    /* concepts into themes, then themes into dimensions */
    for (int kind = KB_CODE_CONCEPT; kind > KB_CODE_DIMENSION; kind--)
        for (size_t i = 0; i < n; i++) {
            const kb_code_info *c = kb_codebook_get(cb, i);
            if ((int)c->kind == kind && c->parent != KB_NO_INDEX)
                counts[c->parent] += counts[i];
        }
    *out = counts;
    return 0;
}

/* A memo: who wrote it and when (its date), then its Markdown text as HTML
 * (cmark, safe: raw HTML and unsafe links in the text are left out); as
 * written when out of memory. */
static void memo(kbi_xml *x, const kb_memo_info *m, const char *cell)
{
    kbi_xml_open(x, "div");
    kbi_xml_attr(x, "class", "memo");
    if (cell) {
        element(x, "strong", "at", cell);
        text(x, " ");
    }
    kbi_xml_open(x, "span");
    kbi_xml_attr(x, "class", "who");
    kbi_xml_textf(x, "%s, %.10s", m->author, m->created_at);
    kbi_xml_close(x);
    char *html = cmark_markdown_to_html(m->text, strlen(m->text),
                                        CMARK_OPT_DEFAULT | CMARK_OPT_SAFE);
    if (html)
        kbi_xml_raw(x, html);
    else
        text(x, m->text);
    free(html);
    kbi_xml_close_full(x);
}

/* The label of facet value `at` ("level=regional": "Regional nivå"), or
 * `at` as written when the codebook has no such value. */
static const char *cell_label(const kb_codebook *cb, const char *at)
{
    char facet[128];
    size_t n = strcspn(at, "=");
    snprintf(facet, sizeof facet, "%.*s", (int)n, at);
    size_t f = at[n] ? kb_codebook_find(cb, KB_CODE_FACET, facet) : KB_NO_INDEX;
    for (size_t k = f; f != KB_NO_INDEX && k < kb_codebook_count(cb); k++) {
        const kb_code_info *v = kb_codebook_get(cb, k);
        if (v->kind == KB_CODE_VALUE && v->parent == f &&
            !strcmp(v->id, at + n + 1))
            return v->label;
    }
    return at;
}

/* The memos on code `c` (its kind and id): those on it as a whole, then
 * those at a facet value, each headed by the value's label. */
static void code_memos(kbi_xml *x, const kb_codebook *cb,
                       const kb_memo_list *memos, const kb_code_info *c)
{
    for (size_t k = 0; k < kb_memo_list_count(memos); k++) {
        const kb_memo_info *m = kb_memo_list_get(memos, k);
        if (m->target == KB_MEMO_CODE && m->kind == c->kind &&
            !strcmp(m->name, c->id))
            memo(x, m, *m->at ? cell_label(cb, m->at) : NULL);
    }
}

/* The section of the memos on the project, the analytic journal, in the
 * order they were written; nothing when there are none. */
static void journal(kbi_xml *x, const kb_memo_list *memos, const kbi_words *w)
{
    int n = 0;
    for (size_t k = 0; k < kb_memo_list_count(memos); k++) {
        const kb_memo_info *m = kb_memo_list_get(memos, k);
        if (m->target != KB_MEMO_PROJECT)
            continue;
        if (!n++) {
            kbi_xml_open(x, "h2");
            kbi_xml_attr(x, "id", "journal");
            text(x, w->journal);
            kbi_xml_close(x);
        }
        memo(x, m, NULL);
    }
}

/* 1 when there are memos on the project. */
static int has_journal(const kb_memo_list *memos)
{
    for (size_t k = 0; k < kb_memo_list_count(memos); k++)
        if (kb_memo_list_get(memos, k)->target == KB_MEMO_PROJECT)
            return 1;
    return 0;
}

/* A node of the tree with its count, description and memos, and in a list
 * below it its themes or concepts. */
static void tree_node(kbi_xml *x, const kb_codebook *cb, size_t i,
                      const size_t *counts, const kb_memo_list *memos)
{
    const kb_code_info *c = kb_codebook_get(cb, i);
    kbi_xml_open(x, "li");
    element(x, c->kind == KB_CODE_CONCEPT ? "span" : "strong", NULL, c->label);
    text(x, " ");
    kbi_xml_open(x, "span");
    kbi_xml_attr(x, "class", "n");
    kbi_xml_textf(x, "(%zu)", counts[i]);
    kbi_xml_close(x);
    if (c->description)
        element(x, "div", "desc", c->description);
    code_memos(x, cb, memos, c);
    int open = 0;
    for (size_t k = i + 1; k < kb_codebook_count(cb); k++) {
        const kb_code_info *child = kb_codebook_get(cb, k);
        if (child->parent != i ||
            (child->kind != KB_CODE_THEME && child->kind != KB_CODE_CONCEPT))
            continue;
        if (!open++)
            kbi_xml_open(x, "ul");
        tree_node(x, cb, k, counts, memos);
    }
    if (open)
        kbi_xml_close(x);
    kbi_xml_close(x);
}

/* Dimensions (or, without them, themes) with everything below them, then
 * the facets with their values. */
static void tree(kbi_xml *x, const kb_codebook *cb, const size_t *counts,
                 const kb_memo_list *memos, const kbi_words *w)
{
    size_t n = kb_codebook_count(cb);
    int dims = 0;
    for (size_t i = 0; i < n; i++)
        dims |= kb_codebook_get(cb, i)->kind == KB_CODE_DIMENSION;
    kbi_xml_open(x, "ul");
    kbi_xml_attr(x, "class", "tree");
    for (size_t i = 0; i < n; i++)
        if (kb_codebook_get(cb, i)->kind ==
            (dims ? KB_CODE_DIMENSION : KB_CODE_THEME))
            tree_node(x, cb, i, counts, memos);
    kbi_xml_close_full(x);
    int facets = 0;
    for (size_t i = 0; i < n; i++) {
        const kb_code_info *f = kb_codebook_get(cb, i);
        if (f->kind != KB_CODE_FACET)
            continue;
        if (!facets++) {
            element(x, "h3", NULL, w->facets);
            kbi_xml_open(x, "ul");
        }
        kbi_xml_open(x, "li");
        element(x, "strong", NULL, f->label);
        int values = 0;
        for (size_t k = i + 1; k < n; k++)
            if (kb_codebook_get(cb, k)->parent == i)
                kbi_xml_textf(x, "%s%s", values++ ? ", " : ": ",
                              kb_codebook_get(cb, k)->label);
        kbi_xml_close(x);
    }
    if (facets)
        kbi_xml_close(x);
}

/* ------------------------------------------------------------------------ */
/* The page                                                                  */
/* ------------------------------------------------------------------------ */

static void head(kbi_xml *x, const char *title, const kbi_words *w)
{
    x->bad |=
        xmlTextWriterWriteDTD(x->w, BAD_CAST "html", NULL, NULL, NULL) < 0;
    kbi_xml_open(x, "html");
    kbi_xml_attr(x, "lang", w->lang);
    kbi_xml_open(x, "head");
    kbi_xml_open(x, "meta");
    kbi_xml_attr(x, "charset", "utf-8");
    kbi_xml_close(x);
    kbi_xml_open(x, "meta");
    kbi_xml_attr(x, "name", "viewport");
    kbi_xml_attr(x, "content", "width=device-width, initial-scale=1");
    kbi_xml_close(x);
    element(x, "title", NULL, title);
    kbi_xml_open(x, "style");
    x->bad |= xmlTextWriterWriteRaw(x->w, BAD_CAST STYLE) < 0;
    kbi_xml_close(x);
    kbi_xml_close(x);
}

/* The quotes a list stands for (a grouped row for its weight). */
static size_t quotes_of(const kb_quote_list *l)
{
    size_t n = 0;
    for (size_t i = 0; i < kb_quote_list_count(l); i++)
        n += kb_quote_list_weight(l, i);
    return n;
}

/* kb_report_write of the list `quotes`, or, with `pages`, of the quotes
 * `quotes` counts (a grouped list) read a document at a time. */
static int report(FILE *out, const kb_quote_list *quotes, kb_quote_pages *pages,
                  const kb_codebook *cb, const kb_export_options *o,
                  kb_error *err)
{
    kb_matrix *m = NULL;
    size_t *counts = NULL;
    gathering g = {0};
    const kbi_words *w = kbi_words_for(o->lang);
    int rc;
    if ((rc = kb_matrix_build_units(&m, quotes, o->rows, o->cols, o->count,
                                    o->unit, err)) ||
        (cb && (rc = node_counts(&counts, cb, quotes, err))) ||
        (pages && (rc = gather(&g, pages, m, o, w, err)))) {
        gathering_free(&g);
        kb_matrix_free(m);
        free(counts);
        return rc;
    }
    const char *title = o->title ? o->title
                        : cb     ? kb_codebook_name(cb)
                                 : "kodbok";
    kbi_xml x;
    if (kbi_xml_begin_stream(&x, out)) {
        gathering_free(&g);
        kb_matrix_free(m);
        free(counts);
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    }
    head(&x, title, w);
    kbi_xml_open(&x, "body");
    element(&x, "h1", NULL, title);
    kbi_xml_open(&x, "p");
    kbi_xml_attr(&x, "class", "meta");
    kbi_xml_textf(&x, "%zu %s \xc2\xb7 ", quotes_of(quotes),
                  w->counts[KB_COUNT_QUOTES]);
    anchor(&x, "#matrix", w->matrix);
    text(&x, " \xc2\xb7 ");
    anchor(&x, "#quotes", w->quotes);
    if (cb) {
        text(&x, " \xc2\xb7 ");
        anchor(&x, "#codebook", w->codebook);
    }
    if (has_journal(o->memos)) {
        text(&x, " \xc2\xb7 ");
        anchor(&x, "#journal", w->journal);
    }
    kbi_xml_close(&x);
    kbi_xml_open(&x, "h2");
    kbi_xml_textf(&x, "%s: %s \xc3\x97 %s ", w->matrix,
                  kbi_axis_name(w, quotes, o->rows),
                  kbi_axis_name(w, quotes, o->cols));
    element(&x, "span", "n", kbi_matrix_counted(w, m, o));
    kbi_xml_close(&x);
    rc = matrix_and_quotes(&x, m, quotes, pages ? &g : NULL, o, w, 1, err);
    if (!rc && cb) {
        kbi_xml_open(&x, "h2");
        kbi_xml_attr(&x, "id", "codebook");
        text(&x, w->codebook);
        kbi_xml_close(&x);
        tree(&x, cb, counts, o->memos, w);
    }
    if (!rc)
        journal(&x, o->memos, w);
    gathering_free(&g);
    kb_matrix_free(m);
    free(counts);
    return end(&x, rc, err);
}

int kb_report_write(FILE *out, const kb_quote_list *quotes,
                    const kb_codebook *cb, const kb_export_options *opts,
                    kb_error *err)
{
    kb_export_options o;
    int rc = kbi_export_options_check(&o, opts, err);
    return rc ? rc : report(out, quotes, NULL, cb, &o, err);
}

int kb_report_write_pages(FILE *out, kb_quote_pages *pages,
                          const kb_codebook *cb, const kb_export_options *opts,
                          kb_error *err)
{
    kb_export_options o;
    kb_quote_list *l = NULL;
    int rc = kbi_export_options_check(&o, opts, err);
    /* a matrix of one document's quotes has the cells the whole one
     * has them in unless it counts co-occurrence in units (or needs the
     * quotes' words or cases): then the whole list */
    int paged = rc ? 0 : kb_matrix_groupable(o.rows, o.cols, o.count);
    if (!rc)
        rc = paged ? kbi_quote_pages_tally(&l, pages, paged, err)
                   : kbi_quote_pages_whole(&l, pages, err);
    if (!rc)
        rc = report(out, l, paged ? pages : NULL, cb, &o, err);
    kb_quote_list_free(l);
    return rc;
}
