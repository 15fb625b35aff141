/*
 * manual_facets.c: facet values from manual work (manual_facets.h). The
 * run codebook's rules give the manual quotes their facet values; over
 * both go the values of any manual coding whose passage holds the quote or
 * that is part of it (docs/codebook.md).
 */
#include "quotes/manual_facets.h"
#include "quotes/attributes.h"
#include "quotes/facet_list.h"
#include "quotes/list.h"
#include "base/error.h"
#include "base/grow.h"
#include "engine/engine.h"
#include "store/project.h"
#include "store/store.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The facet values of the manual quotes by the run codebook's rules. */
typedef struct rule_ctx {
    kb_quote_list *l;
    size_t i;
    int fail;
} rule_ctx;

static const char *rule_attr(void *ctx, const char *name)
{
    rule_ctx *r = ctx;
    return kbi_attributes_get(r->l, r->l->v[r->i].case_id, name);
}

static int rule_value(void *ctx, const char *facet, const char *value,
                      const char *source)
{
    (void)source;
    rule_ctx *r = ctx;
    const char **slot = kbi_facet_slot(r->l, r->i, facet);
    if (slot)
        kbi_facet_add(r->l, slot, value, &r->fail);
    return r->fail ? KB_ENOMEM : 0;
}

int kbi_manual_facets_rules(kb_quote_list *l, kb_project *p, int64_t run,
                            kb_error *err)
{
    if (!l->nfacets || l->n == l->nauto)
        return 0;
    int rc = kbi_quote_list_codebook(l, p, run, err);
    if (!rc && !l->rules)
        rc = kbi_engine_new(&l->rules, l->cb, 0, err);
    rule_ctx r = {l, 0, 0};
    for (r.i = l->nauto; !rc && r.i < l->n; r.i++) {
        const kb_quote_row *q = &l->v[r.i];
        rc = kbi_engine_facets(l->rules, q->text, strlen(q->text), 0, rule_attr,
                               rule_value, &r);
    }
    return rc == KB_ENOMEM ? kbi_fail(err, KB_ENOMEM, "out of memory") : rc;
}

/* A manual coding's facet value on a passage, and the row of the quote the
 * coding is part of (SIZE_MAX: none in the list). */
typedef struct facet_tag {
    const char *document, *facet, *value;
    int version;
    size_t start, end;
    size_t row;
} facet_tag;

static int by_place(const void *a, const void *b)
{
    const facet_tag *x = a, *y = b;
    int c = strcmp(x->document, y->document);
    if (c)
        return c;
    if (x->version != y->version)
        return x->version < y->version ? -1 : 1;
    return (x->start > y->start) - (x->start < y->start);
}

static int by_member_id(const void *a, const void *b)
{
    int64_t x = ((const kbi_member *)a)->id, y = ((const kbi_member *)b)->id;
    return (x > y) - (x < y);
}

/* A tag of the quote's own: the tag's place, by the row of its quote. */
typedef struct own_tag {
    size_t row, tag;
} own_tag;

static int by_own_row(const void *a, const void *b)
{
    const own_tag *x = a, *y = b;
    if (x->row != y->row)
        return x->row < y->row ? -1 : 1;
    return (x->tag > y->tag) - (x->tag < y->tag);
}

/* Gives quote i the value of facet tag t: the first tag of a facet
 * replaces the rules' values (set[] marks the facets replaced). */
static void give_value(kb_quote_list *l, size_t i, const facet_tag *t,
                       const char **set, int *fail)
{
    const char **slot = kbi_facet_slot(l, i, t->facet);
    if (!slot)
        return;
    size_t fi = (size_t)(slot - (const char **)l->v[i].facets);
    if (!set[fi]) {
        set[fi] = t->facet;
        *slot = NULL;
    }
    if (!kbi_facet_listed(*slot, t->value))
        kbi_facet_add(l, slot, t->value, fail);
}

/* The facet values of manual codings win over the rules for every quote
 * inside their passages, and for the quote each coding is part of: the
 * quote takes them all, whoever set them. */
int kbi_manual_facets_apply(kb_quote_list *l, kb_project *p,
                            const char *document, kb_error *err)
{
    if (!l->nfacets || !l->n)
        return 0;
    sqlite3_stmt *st;
    int rc = kbi_store_prepare(
        p->db, &st,
        "SELECT d.name, v.version, m.start, m.\"end\", f.facet, f.value, m.id"
        " FROM manual_facets f JOIN manual_codings m ON m.id = f.coding_id"
        " JOIN versions v ON v.id = m.version_id JOIN documents d ON d.id ="
        " m.document_id WHERE m.placed AND (?1 IS NULL OR d.name = ?1)"
        " ORDER BY f.facet, f.value",
        err);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, document, -1, SQLITE_STATIC);
    if (l->nmembers)
        kbi_sort(l->members, l->nmembers, sizeof *l->members, by_member_id);
    facet_tag *tags = NULL;
    own_tag *own = NULL;
    size_t n = 0, cap = 0, nown = 0, capown = 0;
    int fail = 0;
    while (!fail && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (KBI_GROW(&tags, &cap, n + 1)) {
            fail = 1;
            break;
        }
        facet_tag *t = &tags[n++];
        t->document = kbi_store_keep(&l->strings, st, 0, &fail);
        t->version = sqlite3_column_int(st, 1);
        t->start = (size_t)sqlite3_column_int64(st, 2);
        t->end = (size_t)sqlite3_column_int64(st, 3);
        t->facet = kbi_store_keep(&l->strings, st, 4, &fail);
        t->value = kbi_store_keep(&l->strings, st, 5, &fail);
        kbi_member key = {sqlite3_column_int64(st, 6), 0};
        const kbi_member *m = l->nmembers
                                  ? bsearch(&key, l->members, l->nmembers,
                                            sizeof key, by_member_id)
                                  : NULL;
        t->row = m ? m->row : SIZE_MAX;
    }
    sqlite3_finalize(st);
    if (!fail && rc != SQLITE_DONE) {
        free(tags);
        return kbi_store_fail(err, p->db, "reading manual facet values");
    }
    /* stable: a quote's values keep facet and value order */
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && by_place(&tags[j - 1], &tags[j]) > 0; j--) {
            facet_tag t = tags[j];
            tags[j] = tags[j - 1];
            tags[j - 1] = t;
        }
    for (size_t k = 0; k < n && !fail; k++)
        if (tags[k].row != SIZE_MAX) {
            if (KBI_GROW(&own, &capown, nown + 1))
                fail = 1;
            else
                own[nown++] = (own_tag){tags[k].row, k};
        }
    if (nown)
        kbi_sort(own, nown, sizeof *own, by_own_row);
    const char **set = calloc(l->nfacets + 1, sizeof *set);
    fail |= !set;
    for (size_t i = 0, o = 0; i < l->n && n && !fail; i++) {
        kb_quote_row *q = &l->v[i];
        if (!q->document)
            continue; /* a tally's row across documents: on none with a
                         manual coding */
        facet_tag key = {.document = q->document, .version = q->version};
        size_t lo = 0, hi = n;
        while (lo < hi) { /* the first tag of the quote's version */
            size_t mid = lo + (hi - lo) / 2;
            if (by_place(&tags[mid], &key) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        memset(set, 0, l->nfacets * sizeof *set);
        for (size_t k = lo;
             k < n && !strcmp(tags[k].document, q->document) &&
             tags[k].version == q->version && tags[k].start <= q->start;
             k++)
            if (tags[k].end >= q->end)
                give_value(l, i, &tags[k], set, &fail);
        while (o < nown && own[o].row < i)
            o++;
        for (; o < nown && own[o].row == i; o++)
            give_value(l, i, &tags[own[o].tag], set, &fail);
    }
    free(set);
    free(own);
    free(tags);
    return fail ? kbi_fail(err, KB_ENOMEM, "out of memory") : 0;
}
