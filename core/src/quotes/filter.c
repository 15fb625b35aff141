/*
 * filter.c: the filters of a quote list checked and the late ones applied
 * (filter.h).
 */
#include "quotes/filter.h"
#include "quotes/attributes.h"
#include "quotes/facet_list.h"
#include "quotes/list.h"
#include "base/error.h"
#include "store/project.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>

/* KB_ENOENT for a code filter the run's codebook does not have. */
int kbi_filter_check_codes(const kb_quote_list *l, const kb_quote_filter *f,
                           int64_t run, kb_error *err)
{
    const char *kinds[] = {"dimension", "theme", "concept"};
    const char *codes[] = {f->dimension, f->theme, f->concept};
    for (int k = 0; k < 3; k++) {
        if (!codes[k] || kbi_quote_list_find_code(l, kinds[k], codes[k]))
            continue;
        for (int o = 0; o < 3; o++)
            if (kbi_quote_list_find_code(l, kinds[o], codes[k]))
                return kbi_fail(err, KB_ENOENT, "'%s' is a %s, not a %s",
                                codes[k], kinds[o], kinds[k]);
        return kbi_fail(err, KB_ENOENT,
                        "no concept, theme or dimension '%s' in the codebook "
                        "of run %lld",
                        codes[k], (long long)run);
    }
    return 0;
}

/* Drops the quotes that fail the case, source, attribute and facet
 * filters. */
int kbi_filter_late(kb_quote_list *l, const kb_quote_filter *f, kb_error *err)
{
    (void)err;
    size_t fi = l->nfacets; /* kbi_filter_check_names found it */
    for (size_t k = 0; f->facet && k < l->nfacets; k++)
        if (!strcmp(l->facets[k], f->facet))
            fi = k;
    size_t o = 0;
    for (size_t i = 0; i < l->n; i++) {
        kb_quote_row *q = &l->v[i];
        if (f->case_id && (!q->case_id || strcmp(f->case_id, q->case_id)))
            continue;
        if (f->source &&
            ((!strcmp(f->source, "auto") && strcmp(q->source, "auto")) ||
             (!strcmp(f->source, "manual") && !q->coder)))
            continue;
        if (f->facet && (!q->facets || !q->facets[fi] ||
                         !kbi_facet_listed(q->facets[fi], f->facet_value)))
            continue;
        if (f->attr) {
            const char *v = kbi_attributes_get(l, q->case_id, f->attr);
            if (!v || !f->attr_value || strcmp(v, f->attr_value))
                continue;
        }
        if (o != i) { /* swapped: each row keeps its room for facet
                         values (kbi_quote_list_add_row) */
            size_t ord = l->ords[o];
            l->ords[o] = l->ords[i];
            l->ords[i] = ord;
            kb_quote_row r = l->v[o];
            l->v[o] = *q;
            *q = r;
            if (l->weights)
                l->weights[o] = l->weights[i];
        }
        o++;
    }
    l->n = o;
    return 0;
}

/* Whether `table` has a row named `name`: 1, 0, or -1 (err set). */
static int known(kb_project *p, const char *table, const char *name,
                 kb_error *err)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT 1 FROM %s WHERE name = ?", table);
    sqlite3_stmt *st;
    if (kbi_store_prepare(p->db, &st, sql, err))
        return -1;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW    ? 1
           : rc == SQLITE_DONE ? 0
                               : kbi_store_fail(err, p->db, "reading names");
}

/* A facet, facet value, document or case the filter names but the run or
 * the project does not have is an error rather than an empty list (the
 * codes are kbi_filter_check_codes'). */
int kbi_filter_check_names(const kb_quote_list *l, kb_project *p, int64_t run,
                           const kb_quote_filter *f, kb_error *err)
{
    if (f->facet) {
        if (!kbi_quote_list_find_code(l, "facet", f->facet))
            return kbi_fail(err, KB_ENOENT, "no facet '%s' in run %lld",
                            f->facet, (long long)run);
        int value = 0;
        for (size_t i = 0; i < l->ncodes && !value; i++)
            value = !strcmp(l->codes[i].kind, "value") && l->codes[i].parent &&
                    !strcmp(l->codes[i].parent, f->facet) &&
                    !strcmp(l->codes[i].code, f->facet_value);
        if (!value)
            return kbi_fail(err, KB_ENOENT, "facet '%s' has no value '%s'",
                            f->facet, f->facet_value);
    }
    const char *const tables[] = {"documents", "cases"};
    const char *const names[] = {f->document, f->case_id};
    const char *const what[] = {"document", "case"};
    for (size_t k = 0; k < 2; k++) {
        int rc = names[k] ? known(p, tables[k], names[k], err) : 1;
        if (rc < 0)
            return err ? err->code : KB_EDB;
        if (!rc)
            return kbi_fail(err, KB_ENOENT, "no %s '%s'", what[k], names[k]);
    }
    return 0;
}
