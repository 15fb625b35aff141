/*
 * caselist.c: the project's cases read back (kb_project_cases and the
 * kb_case_list accessors of kodbok.h); loading them is ingest/cases.c's.
 */
#include "store/caselist.h"
#include "base/error.h"
#include "base/grow.h"
#include "base/utf8.h"
#include "store/project.h"
#include "store/store.h"

#include <stdlib.h>
#include <string.h>

struct kb_case_list {
    kb_case_info *v;
    size_t n;
    kbi_pool strings; /* everything the infos point to */
};

int kb_project_cases(kb_case_list **out, kb_project *p, kb_error *err)
{
    *out = NULL;
    kb_case_list *l = calloc(1, sizeof *l);
    if (!l)
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    sqlite3_stmt *cs = NULL, *as = NULL;
    int rc = 0, fail = 0, attrs_failed = 0;
    if ((rc = kbi_store_prepare(
             p->db, &cs,
             "SELECT c.id, c.name, c.document, c.speaker, c.interviewer,"
             " (SELECT COALESCE(SUM(sp.turns), 0) FROM versions v JOIN"
             "   documents d ON d.id = v.document_id AND"
             "   d.current_version = v.version"
             "   JOIN speakers sp ON sp.version_id = v.id"
             "   WHERE sp.case_id = c.id)"
             " FROM cases c ORDER BY c.ord, c.name",
             err)) ||
        (rc = kbi_store_prepare(p->db, &as,
                                "SELECT name, value FROM case_attributes"
                                " WHERE case_id = ? ORDER BY ord",
                                err)))
        goto out;
    size_t cap = 0;
    while ((rc = sqlite3_step(cs)) == SQLITE_ROW) {
        if (KBI_GROW(&l->v, &cap, l->n + 1)) {
            fail = 1;
            break;
        }
        kb_case_info *ci = &l->v[l->n++];
        memset(ci, 0, sizeof *ci);
        ci->id = kbi_store_keep(&l->strings, cs, 1, &fail);
        ci->document = kbi_store_keep(&l->strings, cs, 2, &fail);
        ci->speaker = kbi_store_keep(&l->strings, cs, 3, &fail);
        ci->interviewer = kbi_store_keep(&l->strings, cs, 4, &fail);
        ci->segments = (size_t)sqlite3_column_int64(cs, 5);
        sqlite3_bind_int64(as, 1, sqlite3_column_int64(cs, 0));
        size_t ncap = 0, vcap = 0;
        const char **names = NULL, **values = NULL;
        while (sqlite3_step(as) == SQLITE_ROW) {
            if (KBI_GROW(&names, &ncap, ci->nattrs + 1) ||
                KBI_GROW(&values, &vcap, ci->nattrs + 1)) {
                fail = 1;
                break;
            }
            names[ci->nattrs] = kbi_store_keep(&l->strings, as, 0, &fail);
            values[ci->nattrs] = kbi_store_keep(&l->strings, as, 1, &fail);
            ci->nattrs++;
        }
        /* a failed step ends the loop as the last row does */
        attrs_failed = sqlite3_reset(as) != SQLITE_OK;
        ci->attr_names = names;
        ci->attr_values = values;
        /* The arrays themselves are freed with the list. */
        if (names) /* none without attributes */
            kbi_pool_own(&l->strings, (void *)names, &fail);
        if (values)
            kbi_pool_own(&l->strings, (void *)values, &fail);
        if (fail || attrs_failed)
            break;
    }
    if (fail)
        rc = kbi_fail(err, KB_ENOMEM, "out of memory");
    else if (attrs_failed)
        rc = kbi_store_fail(err, p->db, "listing cases' attributes");
    else if (rc != SQLITE_DONE)
        rc = kbi_store_fail(err, p->db, "listing cases");
    else
        rc = 0;
out:
    sqlite3_finalize(cs);
    sqlite3_finalize(as);
    if (rc) {
        kb_case_list_free(l);
        return rc;
    }
    *out = l;
    return 0;
}

size_t kb_case_list_count(const kb_case_list *l)
{
    return l ? l->n : 0;
}

const kb_case_info *kb_case_list_get(const kb_case_list *l, size_t i)
{
    return l && i < l->n ? &l->v[i] : NULL;
}

void kb_case_list_free(kb_case_list *l)
{
    if (!l)
        return;
    kbi_pool_free(&l->strings);
    free(l->v);
    free(l);
}

int kbi_caselist_attribute_check(const kb_case_list *cases, const char *name,
                                 kb_error *err)
{
    size_t n = cases ? kb_case_list_count(cases) : 0;
    for (size_t i = 0; i < n; i++) {
        const kb_case_info *c = kb_case_list_get(cases, i);
        for (size_t a = 0; a < c->nattrs; a++)
            if (!strcmp(c->attr_names[a], name))
                return 0;
    }
    /* the names each once, in the order of the cases */
    char known[300] = "";
    kbi_strset seen = {0};
    int fail = 0;
    for (size_t i = 0; i < n && !fail; i++) {
        const kb_case_info *c = kb_case_list_get(cases, i);
        for (size_t a = 0; a < c->nattrs && !fail; a++) {
            size_t before = seen.n;
            const char *s = c->attr_names[a];
            if (kbi_strset_add(&seen, s, strlen(s), &fail) && seen.n > before)
                kbi_name_list_add(known, sizeof known, s);
        }
    }
    kbi_strset_free(&seen);
    if (fail)
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    if (!*known)
        return kbi_fail(err, KB_ENOENT,
                        "no attribute '%s': the project's cases have no "
                        "attributes",
                        name);
    return kbi_fail(err, KB_ENOENT,
                    "no attribute '%s' (the cases' attributes: %s)", name,
                    known);
}
