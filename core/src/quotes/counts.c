/*
 * counts.c: quote counts by theme, concept, dimension or a facet's values
 * (kb_project_count). Counts are made from the quote list, the one
 * definition of a quote, read as a tally (kbi_project_quote_tally).
 */
#include "quotes/counts.h"
#include "quotes/project_quotes.h"
#include "store/runs.h"
#include "base/error.h"
#include "base/grow.h"
#include "store/project.h"
#include "store/store.h"

#include <stdlib.h>
#include <string.h>

struct kb_count_list {
    kb_count *v;
    size_t n, cap;
    kbi_pool strings;
};

/* The codes of `kind` (`code`: a code kind) in the run's snapshot, in
 * codebook order (else a facet id: its values), as zero counts. */
static int count_keys(kb_count_list *l, kb_project *p, int64_t run,
                      const char *axis, int code, kb_error *err)
{
    sqlite3_stmt *st;
    int rc = kbi_store_prepare(
        p->db, &st,
        code ? "SELECT code, label FROM run_codes WHERE run_id = ?1 AND kind"
               " = ?2 ORDER BY ord"
             : "SELECT code, label FROM run_codes WHERE run_id = ?1 AND kind"
               " = 'value' AND parent = ?2 ORDER BY ord",
        err);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, run);
    sqlite3_bind_text(st, 2, axis, -1, SQLITE_STATIC);
    int fail = 0;
    while (!fail && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (KBI_GROW(&l->v, &l->cap, l->n + 1)) {
            fail = 1;
            break;
        }
        kb_count *c = &l->v[l->n++];
        c->key = kbi_store_keep(&l->strings, st, 0, &fail);
        c->label = kbi_store_keep(&l->strings, st, 1, &fail);
        c->quotes = 0;
    }
    sqlite3_finalize(st);
    if (fail)
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    if (rc != SQLITE_DONE)
        return kbi_store_fail(err, p->db, "counting quotes");
    if (!l->n && !code)
        return kbi_fail(err, KB_ENOENT,
                        "no axis '%s' (dimension, theme, concept or a facet "
                        "id)",
                        axis);
    return 0;
}

/* The count of key v[0..n), or NULL. */
static kb_count *count_of_key(kb_count_list *l, const char *v, size_t n)
{
    for (size_t i = 0; i < l->n; i++)
        if (strlen(l->v[i].key) == n && !memcmp(l->v[i].key, v, n))
            return &l->v[i];
    return NULL;
}

int kb_project_count(kb_count_list **out, kb_project *p, int64_t run,
                     const char *axis, kb_error *err)
{
    *out = NULL;
    if (!run && !(run = kbi_runs_last(p->db, INT64_MAX)))
        return kbi_fail(err, KB_ENORUN, "no runs yet");
    if (!kbi_runs_exists(p, run))
        return kbi_fail(err, KB_ENOENT, "no run %lld", (long long)run);
    kb_count_list *l = calloc(1, sizeof *l);
    if (!l)
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    kb_quote_list *q = NULL;
    int code = !strcmp(axis, "theme") || !strcmp(axis, "concept") ||
               !strcmp(axis, "dimension");
    int rc = count_keys(l, p, run, axis, code, err);
    if (!rc)
        rc = kbi_project_quote_tally(&q, p, run, code, err);
    size_t fi = kb_quote_list_facets(q);
    for (size_t k = 0; k < kb_quote_list_facets(q); k++)
        if (!strcmp(kb_quote_list_facet(q, k), axis))
            fi = k;
    /* the quote list is the one definition of a quote: count its rows, a
     * tally's grouped row for the quotes it stands for */
    for (size_t i = 0; !rc && i < kb_quote_list_count(q); i++) {
        const kb_quote_row *r = kb_quote_list_get(q, i);
        const char *v = !strcmp(axis, "concept")     ? r->concept
                        : !strcmp(axis, "theme")     ? r->theme
                        : !strcmp(axis, "dimension") ? r->dimension
                        : r->facets && fi < kb_quote_list_facets(q)
                            ? r->facets[fi]
                            : NULL;
        for (const char *s = v; s && *s;) { /* a facet's values: "a,b" */
            const char *comma =
                fi < kb_quote_list_facets(q) ? strchr(s, ',') : NULL;
            size_t n = comma ? (size_t)(comma - s) : strlen(s);
            kb_count *c = count_of_key(l, s, n);
            if (c)
                c->quotes += kb_quote_list_weight(q, i);
            s = comma ? comma + 1 : s + n;
        }
    }
    kb_quote_list_free(q);
    if (rc) {
        kb_count_list_free(l);
        return rc;
    }
    *out = l;
    return 0;
}

size_t kb_count_list_count(const kb_count_list *l)
{
    return l ? l->n : 0;
}

const kb_count *kb_count_list_get(const kb_count_list *l, size_t i)
{
    return l && i < l->n ? &l->v[i] : NULL;
}

void kb_count_list_free(kb_count_list *l)
{
    if (!l)
        return;
    kbi_pool_free(&l->strings);
    free(l->v);
    free(l);
}
