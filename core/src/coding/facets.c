/*
 * facets.c: case attributes, the facet memo, and facet values for codings
 * new and old.
 */
#include "coding/facets.h"
#include "base/error.h"
#include "base/grow.h"
#include "store/document.h"
#include "coding/packs.h"

#include <stdlib.h>
#include <string.h>

int kbi_facets_load_attrs(kbi_run_ctx *c)
{
    sqlite3_stmt *st;
    int rc = kbi_store_prepare(c->p->db, &st,
                               "SELECT c.name, a.name, a.value FROM cases c"
                               " JOIN case_attributes a ON a.case_id = c.id"
                               " ORDER BY c.name, a.name",
                               c->err);
    if (rc)
        return rc;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (KBI_GROW(&c->attrs, &c->capattrs, c->nattrs + 1)) {
            sqlite3_finalize(st);
            return kbi_fail(c->err, KB_ENOMEM, "out of memory");
        }
        kbi_case_attr *a = &c->attrs[c->nattrs++];
        a->case_id = kbi_store_strdup(st, 0);
        a->name = kbi_store_strdup(st, 1);
        a->value = kbi_store_strdup(st, 2);
    }
    sqlite3_finalize(st);
    return 0;
}

static const char *case_attr_value(kbi_run_ctx *c, const char *case_id,
                                   const char *name)
{
    if (!case_id || !name)
        return NULL;
    for (size_t i = 0; i < c->nattrs; i++)
        if (c->attrs[i].case_id && !strcmp(c->attrs[i].case_id, case_id) &&
            c->attrs[i].name && !strcmp(c->attrs[i].name, name))
            return c->attrs[i].value;
    return NULL;
}

/* Appends one facet value of a segment to the memo's pool. */
static int memo_value(kbi_run_ctx *c, const char *facet, const char *value,
                      const char *source)
{
    kbi_facet_memo *m = &c->memo;
    if (KBI_GROW(&m->vals, &m->capvals, m->nvals + 1))
        return kbi_fail(c->err, KB_ENOMEM, "out of memory");
    m->vals[m->nvals++] =
        (kbi_facet_value){facet, value, kbi_fsource_parse(source)};
    return 0;
}

/* A segment whose facet values are being worked out. */
typedef struct facet_call {
    kbi_run_ctx *c;
    const char *case_id;
} facet_call;

static const char *call_attr(void *ctx, const char *name)
{
    facet_call *fc = ctx;
    return case_attr_value(fc->c, fc->case_id, name);
}

static int call_value(void *ctx, const char *facet, const char *value,
                      const char *source)
{
    return memo_value(((facet_call *)ctx)->c, facet, value, source);
}

/* The facet values of segment s by the precedence rule (docs/codebook.md),
 * appended to the memo's pool. Runs leave manual facet tags to the readers
 * of quotes (aggregate.c). */
static int segment_facets(kbi_run_ctx *c, const kb_segment *s, uint64_t values)
{
    facet_call fc = {c, s->case_id};
    return kbi_engine_facets(c->engine, s->text, s->text_len, values, call_attr,
                             call_value, &fc);
}

int kbi_facets_reset(kbi_run_ctx *c, const kb_document *doc)
{
    kbi_facet_memo *m = &c->memo;
    m->nvals = 0;
    if (!++m->gen) { /* wrapped: forget every slot */
        for (int k = 0; k < 3; k++)
            if (m->cap[k])
                memset(m->slots[k], 0, m->cap[k] * sizeof *m->slots[k]);
        m->gen = 1;
    }
    /* Every slot is stale now, so a kind that needs more of them gets a
     * fresh zeroed array: calloc's pages are faulted in only where a slot
     * is used, not all at once as clearing them would. */
    for (int k = 0; k < 3; k++) {
        size_t n = kb_document_segment_count(doc, (kb_segment_kind)(k + 1));
        if (n <= m->cap[k])
            continue;
        free(m->slots[k]);
        size_t cap = m->cap[k] ? m->cap[k] : 1024;
        while (cap < n)
            cap *= 2;
        if (!(m->slots[k] = calloc(cap, sizeof *m->slots[k]))) {
            m->cap[k] = 0;
            return kbi_fail(c->err, KB_ENOMEM, "out of memory");
        }
        m->cap[k] = cap;
    }
    return 0;
}

/* The memo's slot for segment `index` of `kind` in doc, computing its
 * values the first time. Many concepts code the same segment; its facets
 * are worked out once, and the segment itself is read only then. */
static int memo_find(kbi_run_ctx *c, const kb_document *doc,
                     kb_segment_kind kind, size_t index, uint64_t values,
                     kbi_memo_slot **out)
{
    kbi_facet_memo *m = &c->memo;
    kbi_memo_slot *slot = &m->slots[kind - 1][index];
    if (slot->gen != m->gen) {
        const kb_segment *s = kb_document_segment(doc, kind, index);
        if (!s)
            return kbi_fail(c->err, KB_EDB, "segment index out of range");
        size_t at = m->nvals;
        int rc = segment_facets(c, s, values);
        if (rc)
            return rc;
        *slot =
            (kbi_memo_slot){m->gen, (uint32_t)at, (uint32_t)(m->nvals - at)};
    }
    *out = slot;
    return 0;
}

int kbi_facets_code(kbi_run_ctx *c, kbi_cpack *p, const kb_document *doc,
                    kb_segment_kind kind, size_t index, uint64_t values)
{
    kbi_memo_slot *slot = NULL;
    int rc = memo_find(c, doc, kind, index, values, &slot);
    for (size_t i = 0; !rc && i < slot->n; i++) {
        const kbi_facet_value *v = &c->memo.vals[slot->at + i];
        rc = kbi_cpack_facet(p, v->facet, v->value, v->source, c->err);
    }
    return rc;
}
int kbi_facets_refresh(kbi_run_ctx *c, int64_t vid, const char *name,
                       int version)
{
    size_t n;
    int rc =
        kbi_packs_read(c,
                       "SELECT id, version_id, from_run, concept, codings"
                       " FROM coding_packs WHERE version_id = ?1 AND to_run"
                       " IS NULL AND from_run < ?2",
                       vid, c->run, NULL, &n);
    if (rc || !n)
        return rc;
    kb_document *doc;
    if ((rc = kb_document_load(&doc, c->p, name, version, c->err)))
        return rc;
    rc = kbi_facets_reset(c, doc);
    for (size_t k = 0; k < n && !rc; k++) {
        const kbi_cpack *p = &c->old[k].p;
        kbi_cpack *re = &c->old[n].p;
        kbi_cpack_reset(re);
        for (size_t i = 0; i < p->n && !rc; i++) {
            const kbi_centry *e = &p->v[i];
            int manual = 0;
            for (size_t f = 0; f < e->fn; f++)
                manual |= p->f[e->fat + f].source == KBI_FSRC_MANUAL;
            size_t seq = 0;
            kb_segment_kind kind = kbi_document_locate(doc, e->segment, &seq);
            const kb_segment *s = kb_document_segment(doc, kind, seq);
            if (e->to_run || manual || !s)
                rc = kbi_packs_copy(c, re, p, i);
            else if (!(rc = kbi_cpack_add(re, e->segment, e->mstart, e->mend, 0,
                                          c->err)))
                rc = kbi_facets_code(c, re, doc, kind, seq, 0);
        }
        if (!rc)
            rc = kbi_packw_update(&c->w, c->old[k].id, re, c->err);
    }
    kbi_document_recycle(doc, c->p);
    return rc;
}
