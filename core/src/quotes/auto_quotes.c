/*
 * auto_quotes.c: a run's automatic quotes read into a quote list
 * (auto_quotes.h). Codings are read in id order with their facet values,
 * straight from their packs (coding_packs, codepack.h: the rows the tables
 * `codings` and `coding_facets` show, but not a million of them through
 * SQLite), less the rejected ones; their texts are cut from the documents
 * later (kbi_order_resolve).
 */
#include "quotes/auto_quotes.h"
#include "quotes/facet_list.h"
#include "quotes/list.h"
#include "base/error.h"
#include "base/grow.h"
#include "manual/manual.h"
#include "store/codepack.h"
#include "store/project.h"
#include "store/store.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ALIVE "c.from_run <= ?1 AND (c.to_run IS NULL OR c.to_run >= ?1)"

/* The concept id of a coding, kept once: the run's own code string, or a
 * copy in the names for an id the run's codebook lacks. */
static const char *concept_id(kb_quote_list *l, const char *id, int *fail)
{
    if (l->last && !strcmp(l->last->concept->code, id))
        return l->last->concept->code;
    const kbi_concept_ix *ix = kbi_quote_list_find_concept(l, id);
    return ix ? ix->concept->code
              : kbi_strset_add(&l->names, id, strlen(id), fail);
}

/* The review columns of a coding that has any: a reviewer's decision on
 * it, or some coder's rejection. */
typedef struct kbi_reviewed {
    int64_t id;
    kb_decision decision; /* the reviewer's, or 0 */
    int rejected;
} reviewed;

/*
 * The codings of the run that some coder rejected, or that the filter's
 * reviewer decided on, in id order, with the review columns as the quote
 * rows show them: found from the manual codings (few), each column the
 * same lookup the codings table would take per coding. Read into the list
 * once, for all its pages.
 */
static int load_reviews(kb_quote_list *l, kb_project *p, int64_t run,
                        const kb_quote_filter *f, kb_error *err)
{
    if (l->reviews_read)
        return 0;
    sqlite3_stmt *st;
    int rejects = 0;
    int rc = kbi_store_prepare(p->db, &st,
                               "SELECT EXISTS (SELECT 1 FROM manual_codings"
                               " WHERE decision = 'reject' AND placed)",
                               err);
    if (rc)
        return rc;
    if (sqlite3_step(st) == SQLITE_ROW)
        rejects = sqlite3_column_int(st, 0);
    if ((rc = kbi_store_finish(st, p->db, "review decisions", err)))
        return rc;
    l->reviews_read = 1;
    if (!rejects && !f->reviewer)
        return 0;
    char sql[1536];
    snprintf(sql, sizeof sql,
             "SELECT DISTINCT c.id, %s, %s FROM manual_codings r JOIN codings"
             " c ON c.version_id = r.version_id AND c.concept = r.code AND"
             " c.segment_id = r.segment_id WHERE r.placed AND (r.decision ="
             " 'reject' OR r.coder = ?2) AND " ALIVE " ORDER BY c.id",
             f->reviewer ? "(SELECT m.decision FROM manual_codings m WHERE"
                           " m.version_id = c.version_id AND m.code ="
                           " c.concept AND m.segment_id = c.segment_id AND"
                           " m.coder = ?2 AND m.placed)"
                         : "NULL",
             rejects ? KBI_REJECTED("c") : "0");
    if ((rc = kbi_store_prepare(p->db, &st, sql, err)))
        return rc;
    sqlite3_bind_int64(st, 1, run);
    if (f->reviewer)
        sqlite3_bind_text(st, 2, f->reviewer, -1, SQLITE_STATIC);
    size_t cap = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (KBI_GROW(&l->reviews, &cap, l->nreviews + 1)) {
            rc = SQLITE_NOMEM;
            break;
        }
        const char *dec = (const char *)sqlite3_column_text(st, 1);
        l->reviews[l->nreviews++] =
            (reviewed){sqlite3_column_int64(st, 0),
                       !dec                     ? 0
                       : !strcmp(dec, "accept") ? KB_DECISION_ACCEPT
                       : !strcmp(dec, "reject") ? KB_DECISION_REJECT
                                                : KB_DECISION_TAG,
                       sqlite3_column_int(st, 2)};
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_NOMEM)
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    return rc == SQLITE_DONE ? 0
                             : kbi_store_fail(err, p->db, "reading reviews");
}

static int by_review_id(const void *a, const void *b)
{
    int64_t x = ((const reviewed *)a)->id, y = ((const reviewed *)b)->id;
    return (x > y) - (x < y);
}

/* The review columns of coding `id`, or NULL. */
static const reviewed *review_of(const kb_quote_list *l, int64_t id)
{
    reviewed key = {.id = id};
    return l->nreviews ? bsearch(&key, l->reviews, l->nreviews, sizeof key,
                                 by_review_id)
                       : NULL;
}

/* Adds an automatic quote's facet values, as its pack holds them. */
static int pack_values(kb_quote_list *l, const kbi_cpack *pk,
                       const kbi_centry *e)
{
    int fail = 0;
    for (size_t k = e->fat; k < e->fat + e->fn && !fail; k++) {
        const char **slot = kbi_facet_slot(l, l->n, pk->f[k].facet);
        if (slot)
            kbi_facet_add(l, slot, pk->f[k].value, &fail);
    }
    return fail;
}

/* The versions that have manual codings, for a tally. */
int kbi_auto_quotes_touched(kb_quote_list *l, kb_project *p, kb_error *err)
{
    sqlite3_stmt *st;
    int rc = kbi_store_prepare(p->db, &st,
                               "SELECT DISTINCT version_id FROM manual_codings"
                               " WHERE placed ORDER BY version_id",
                               err);
    if (rc)
        return rc;
    size_t cap = 0;
    int fail = 0;
    while (!fail && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (KBI_GROW(&l->touched, &cap, l->ntouched + 1))
            fail = 1;
        else
            l->touched[l->ntouched++] = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    if (fail)
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    return rc == SQLITE_DONE
               ? 0
               : kbi_store_fail(err, p->db, "reading manual codings");
}

static int by_int64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* In a tally, are the automatic quotes of version `id` grouped (no manual
 * coding can merge into them or give them facet values)? */
static int grouped(const kb_quote_list *l, int64_t id)
{
    return l->weights &&
           !(l->ntouched && bsearch(&id, l->touched, l->ntouched,
                                    sizeof *l->touched, by_int64));
}

/* A tally across documents: the hash of a row's concept and facet values
 * (each kept once, so compared by address). */
static size_t group_hash(const kb_quote_list *l, const kb_quote_row *q)
{
    uintptr_t h = (uintptr_t)q->concept * 31u;
    for (size_t k = 0; k < l->nfacets; k++)
        h = h * 1000003u ^ (uintptr_t)q->facets[k];
    return (size_t)(h ^ h >> 17);
}

static size_t row_hash(const void *ctx, size_t i)
{
    const kb_quote_list *l = ctx;
    return group_hash(l, &l->v[i]);
}

/* Is row i of the same concept and facet values as row `key`? */
static int same_group(const void *ctx, size_t i, const void *key)
{
    const kb_quote_list *l = ctx;
    const kb_quote_row *a = &l->v[i], *b = key;
    size_t k = 0;
    while (k < l->nfacets && a->facets[k] == b->facets[k])
        k++;
    return a->concept == b->concept && k == l->nfacets;
}

/* A tally across documents: row l->n, weighing `weight`, joins the row of
 * its concept and facet values, or becomes it (without its document).
 * Does it stand alone? -1: out of memory. */
static int join_across(kb_quote_list *l, size_t weight)
{
    kb_quote_row *q = &l->v[l->n];
    size_t h = group_hash(l, q);
    size_t j = kbi_slots_find(&l->groups, h, same_group, l, q);
    if (j != SIZE_MAX) {
        l->weights[j] += weight;
        return 0;
    }
    if (kbi_slots_add(&l->groups, l->n, h, row_hash, l))
        return -1;
    q->document = NULL;
    q->version = 0;
    l->weights[l->n] = weight;
    return 1;
}

/* A tally: row l->n, a quote of a grouped pack whose rows begin at
 * `first`, joins the row of that pack with the same facet values (values
 * are kept once, so equal ones have one address), or becomes it; across
 * documents, the row of any pack. Does it stand alone? -1: out of
 * memory. */
static int group_row(kb_quote_list *l, size_t first)
{
    if (l->across)
        return join_across(l, 1);
    const kb_quote_row *q = &l->v[l->n];
    for (size_t j = first; j < l->n; j++) {
        const kb_quote_row *o = &l->v[j];
        size_t k = 0;
        while (k < l->nfacets && o->facets[k] == q->facets[k])
            k++;
        if (k == l->nfacets) {
            l->weights[j]++;
            return 0;
        }
    }
    l->weights[l->n] = 1;
    return 1;
}

/* A tally by code of the latest run: the `alive` quotes of a grouped pack
 * of `concept` on version v as one row, without decoding the pack. Out of
 * memory? */
static int alive_row(kb_quote_list *l, const kbi_version_ix *v,
                     const char *concept, int64_t alive,
                     const kb_quote_filter *f)
{
    if (alive <= 0)
        return 0;
    kb_quote_row *q = kbi_quote_list_add_row(l);
    if (!q)
        return 1;
    if (!kbi_quote_list_place_code(l, l->n, "concept", concept, f))
        return 0;
    q->document = v->name;
    q->version = v->version;
    q->source = "auto";
    if (!l->across) {
        l->weights[l->n++] = (size_t)alive;
        return 0;
    }
    int alone = join_across(l, (size_t)alive);
    l->n += alone > 0;
    return alone < 0;
}

/* Appends the quotes of the pack in st's row (id, version_id, concept,
 * codings, alive, to_run IS NULL) of version v. Out of memory: 1, *rc set
 * on another failure. */
static int pack_quotes(kb_quote_list *l, sqlite3_stmt *st,
                       const kbi_version_ix *v, int64_t run,
                       const kb_quote_filter *f, kbi_cpack *pk, int *rc,
                       kb_error *err)
{
    int fail = 0;
    int64_t pack = sqlite3_column_int64(st, 0);
    const char *concept =
        concept_id(l, (const char *)sqlite3_column_text(st, 2), &fail);
    int group = grouped(l, v->id);
    if (!fail && group && l->alive_counts &&
        sqlite3_column_type(st, 4) != SQLITE_NULL && sqlite3_column_int(st, 5))
        return alive_row(l, v, concept, sqlite3_column_int64(st, 4), f);
    if (fail ||
        (*rc = kbi_cpack_decode(pk, sqlite3_column_blob(st, 3),
                                (size_t)sqlite3_column_bytes(st, 3), err)))
        return fail;
    size_t first = l->n; /* the pack's first row */
    for (size_t i = 0; i < pk->n && !fail; i++) {
        const kbi_centry *e = &pk->v[i];
        if (e->to_run && e->to_run < run)
            continue;
        const reviewed *rv = review_of(l, kbi_coding_id(pack, i));
        if ((rv && rv->rejected && !f->with_rejected) ||
            (rv && rv->decision && f->unreviewed))
            continue;
        kb_quote_row *q = kbi_quote_list_add_row(l);
        if (!q)
            return 1;
        if (!kbi_quote_list_place_code(l, l->n, "concept", concept, f))
            continue;
        q->start = (size_t)e->segment; /* the segment id, until resolved */
        q->match_start = (size_t)e->mstart;
        q->match_end = (size_t)e->mend;
        q->document = v->name;
        q->version = v->version;
        q->source = "auto";
        q->decision = rv ? rv->decision : (kb_decision)0;
        q->rejected = rv ? rv->rejected : 0;
        if ((fail = pack_values(l, pk, e)))
            break;
        int alone = group ? group_row(l, first) : 1;
        if (alone < 0)
            return 1;
        l->n += alone > 0;
    }
    return fail;
}

#define PACKS                                                                  \
    "SELECT id, version_id, concept, codings, alive, to_run IS NULL FROM"      \
    " coding_packs WHERE from_run <= ?1 AND (to_run IS NULL OR to_run >= ?1)"

/*
 * The run's automatic quotes with their facet values, in coding id order
 * (with a document filter, version by version): straight from the packs
 * (codepack.h), the rows the tables `codings` and `coding_facets` show,
 * without a million rows through SQLite. A pack is alive in the run when
 * any of its codings is (its to_run), a coding when its own to_run is 0 or
 * not before the run. In a tally, the quotes of a pack on a version
 * without manual codings are grouped by facet values.
 */
int kbi_auto_quotes_load(kb_quote_list *l, kb_project *p, int64_t run,
                         const kb_quote_filter *f, kb_error *err)
{
    int rc = load_reviews(l, p, run, f, err);
    sqlite3_stmt *st = NULL;
    if (!rc)
        rc = kbi_store_prepare(p->db, &st,
                               f->document ? PACKS " AND version_id = ?2"
                                                   " ORDER BY id"
                                           : PACKS " ORDER BY id",
                               err);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, run);
    kbi_cpack pk = {0};
    int fail = 0;
    /* with a document filter, each of its versions (by id) in turn */
    size_t vi = 0;
    while (f->document && vi < l->nversions &&
           strcmp(l->versions[vi].name, f->document))
        vi++;
    const kbi_version_ix *v = NULL;
    while (!fail && !rc) {
        if (f->document) {
            if (vi >= l->nversions)
                break;
            v = &l->versions[vi];
            sqlite3_reset(st);
            sqlite3_bind_int64(st, 2, v->id);
            while (++vi < l->nversions &&
                   strcmp(l->versions[vi].name, f->document))
                ;
        }
        while (!fail && !rc && (rc = sqlite3_step(st)) == SQLITE_ROW) {
            rc = 0;
            int64_t version = sqlite3_column_int64(st, 1);
            if (!v || v->id != version)
                v = kbi_quote_list_find_version(l, version);
            if (!v) {
                rc = kbi_fail(err, KB_EDB,
                              "project store: a coding of no document version");
                break;
            }
            fail = pack_quotes(l, st, v, run, f, &pk, &rc, err);
        }
        if (rc == SQLITE_DONE)
            rc = f->document ? 0 : SQLITE_DONE;
        if (!f->document)
            break;
    }
    sqlite3_finalize(st);
    kbi_cpack_free(&pk);
    if (fail)
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    if (rc && rc != SQLITE_DONE)
        return rc < 0 ? rc : kbi_store_fail(err, p->db, "reading codings");
    l->nauto = l->n;
    return 0;
}
