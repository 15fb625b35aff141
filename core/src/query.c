/*
 * query.c: reading coding runs back: the list of runs, the quotes gained
 * and lost between two runs, and quote counts by theme, concept or facet.
 *
 * "Alive at run R" is from_run <= R AND (to_run IS NULL OR to_run >= R)
 * (see run.c). Quote texts are cut from their documents' texts, each
 * document version loaded once.
 */
#include "error.h"
#include "grow.h"
#include "manual.h"
#include "project.h"
#include "store.h"

#include <stdlib.h>
#include <string.h>

#define ALIVE(R)                                                               \
    "(c.from_run <= " R " AND (c.to_run IS NULL OR c.to_run >= " R "))"

/* Counted in tables: alive and not rejected in review (manual.h). */
#define COUNTED(R) ALIVE(R) " AND NOT " KB_REJECTED("c")

static int64_t last_run(kb_project *p, int64_t before)
{
    sqlite3_stmt *st;
    int64_t id = 0;
    if (sqlite3_prepare_v2(p->db,
                           "SELECT COALESCE(MAX(id), 0) FROM runs WHERE id < ?",
                           -1, &st, NULL) != SQLITE_OK)
        return 0;
    sqlite3_bind_int64(st, 1, before);
    if (sqlite3_step(st) == SQLITE_ROW)
        id = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return id;
}

static int run_exists(kb_project *p, int64_t id)
{
    sqlite3_stmt *st;
    int found = 0;
    if (sqlite3_prepare_v2(p->db, "SELECT 1 FROM runs WHERE id = ?", -1, &st,
                           NULL) != SQLITE_OK)
        return 0;
    sqlite3_bind_int64(st, 1, id);
    found = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return found;
}

/* ------------------------------------------------------------------------ */
/* Runs                                                                      */
/* ------------------------------------------------------------------------ */

struct kb_run_list {
    kb_run_info *v;
    size_t n, cap;
    kb_pool strings;
};

int kb_project_runs(kb_run_list **out, kb_project *p, kb_error *err)
{
    *out = NULL;
    kb_run_list *l = calloc(1, sizeof *l);
    if (!l)
        return kb_fail(err, KB_ENOMEM, "out of memory");
    sqlite3_stmt *st;
    int rc = kb_store_prepare(
        p->db, &st,
        /* Documents matched in full: versions the run before did not
         * have, of a document it had (changed) or not (new). */
        "WITH r AS (SELECT *, (SELECT MAX(q.id) FROM runs q WHERE q.id <"
        " runs.id) AS prev FROM runs), full AS (SELECT rv.run_id AS run,"
        " EXISTS (SELECT 1 FROM run_versions o JOIN versions ov ON ov.id ="
        " o.version_id WHERE o.run_id = r.prev AND ov.document_id ="
        " v.document_id) AS known FROM r JOIN run_versions rv ON rv.run_id ="
        " r.id JOIN versions v ON v.id = rv.version_id WHERE NOT EXISTS"
        " (SELECT 1 FROM run_versions o WHERE o.run_id = r.prev AND"
        " o.version_id = rv.version_id))"
        " SELECT r.id, r.started_at, r.codebook_path, r.codebook_name,"
        " r.codebook_hash, r.documents, r.concepts_matched, r.gained, r.lost,"
        " r.seconds, r.quotes, COALESCE(f.new, 0), COALESCE(f.changed, 0)"
        " FROM r LEFT JOIN (SELECT run, SUM(NOT known) AS new, SUM(known) AS"
        " changed FROM full GROUP BY run) f ON f.run = r.id ORDER BY r.id",
        err);
    if (rc) {
        free(l);
        return rc;
    }
    int fail = 0;
    while (!fail && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (KB_GROW(&l->v, &l->cap, l->n + 1)) {
            fail = 1;
            break;
        }
        kb_run_info *r = &l->v[l->n++];
        r->id = sqlite3_column_int64(st, 0);
        r->started_at = kb_store_keep(&l->strings, st, 1, &fail);
        r->codebook_path = kb_store_keep(&l->strings, st, 2, &fail);
        r->codebook_name = kb_store_keep(&l->strings, st, 3, &fail);
        r->codebook_hash = kb_store_keep(&l->strings, st, 4, &fail);
        r->documents = (size_t)sqlite3_column_int64(st, 5);
        r->concepts_matched = (size_t)sqlite3_column_int64(st, 6);
        r->gained = (size_t)sqlite3_column_int64(st, 7);
        r->lost = (size_t)sqlite3_column_int64(st, 8);
        r->seconds = sqlite3_column_double(st, 9);
        r->quotes = (size_t)sqlite3_column_int64(st, 10);
        r->documents_new = (size_t)sqlite3_column_int64(st, 11);
        r->documents_changed = (size_t)sqlite3_column_int64(st, 12);
    }
    sqlite3_finalize(st);
    if (fail || rc != SQLITE_DONE) {
        kb_run_list_free(l);
        return fail ? kb_fail(err, KB_ENOMEM, "out of memory")
                    : kb_store_fail(err, p->db, "listing runs");
    }
    *out = l;
    return 0;
}

size_t kb_run_list_count(const kb_run_list *l)
{
    return l ? l->n : 0;
}

const kb_run_info *kb_run_list_get(const kb_run_list *l, size_t i)
{
    return l && i < l->n ? &l->v[i] : NULL;
}

void kb_run_list_free(kb_run_list *l)
{
    if (!l)
        return;
    kb_pool_free(&l->strings);
    free(l->v);
    free(l);
}

/* ------------------------------------------------------------------------ */
/* Diff                                                                      */
/* ------------------------------------------------------------------------ */

struct kb_diff {
    kb_diff_item *v;
    size_t n, cap;
    int64_t a, b;
    kb_pool strings;
};

/*
 * From run ?1 to a later run ?2: a coding row that began after ?1 and is
 * alive at ?2 is gained, one alive at ?1 that ended before ?2 is lost,
 * unless an equal quote (concept, version, segment) was alive at the other
 * run (a quote lost and found again between them). The first conditions
 * use the from_run and to_run indexes, so a diff costs what changed. The
 * theme and label come from the snapshot of the run the row is alive in.
 * Segment ids follow text order, so ordering by them orders by position;
 * spans and texts are filled in afterwards from the documents.
 */
#define DIFF_SELECT(CHANGE, WHEN, IN, OTHER)                                   \
    "SELECT " CHANGE ", c.concept, rc.label, rc.parent, d.name,"               \
    " c.segment_id, v.version, COALESCE((SELECT group_concat(f.facet || '=' "  \
    "|| f.value, ';') FROM"                                                    \
    "  (SELECT * FROM coding_facets WHERE coding_id = c.id ORDER BY facet,"    \
    "   value) f), ''), (SELECT t.label FROM run_codes t WHERE t.run_id = " IN \
    " AND t.kind = 'theme' AND t.code = rc.parent)"                            \
    " FROM codings c JOIN versions v ON v.id = c.version_id"                   \
    " JOIN documents d ON d.id = v.document_id"                                \
    " LEFT JOIN run_codes rc ON rc.run_id = " IN " AND rc.kind = 'concept'"    \
    "  AND rc.code = c.concept"                                                \
    " WHERE " WHEN " AND NOT EXISTS (SELECT 1 FROM codings o WHERE"            \
    "  o.version_id = c.version_id AND o.concept = c.concept"                  \
    "  AND o.segment_id = c.segment_id AND o.from_run <= " OTHER               \
    "  AND (o.to_run IS NULL OR o.to_run >= " OTHER "))"

#define GAINED                                                                 \
    "c.from_run > ?1 AND c.from_run <= ?2 AND (c.to_run IS NULL OR"            \
    " c.to_run >= ?2)"
#define LOST "c.to_run >= ?1 AND c.to_run < ?2 AND c.from_run <= ?1"

/* Diff items hold their segment id in `start` until it is resolved. */
static void diff_ref(void *ctx, size_t i, kb_seg_ref *out)
{
    const kb_diff_item *it = &((kb_diff *)ctx)->v[i];
    *out = (kb_seg_ref){it->document, it->version, (int64_t)it->start};
}

static int diff_use(void *ctx, size_t i, const kb_document *doc,
                    const kb_segment *s)
{
    (void)doc;
    kb_diff *d = ctx;
    kb_diff_item *it = &d->v[i];
    int fail = 0;
    it->start = s->start;
    it->end = s->end;
    it->text = kb_pool_own(&d->strings, strndup(s->text, s->text_len), &fail);
    return fail ? KB_ENOMEM : 0;
}

int kb_project_diff(kb_diff **out, kb_project *p, int64_t a, int64_t b,
                    kb_error *err)
{
    *out = NULL;
    if (!a && !b) {
        b = last_run(p, INT64_MAX);
        a = last_run(p, b);
        if (!b)
            return kb_fail(err, KB_ENOENT, "no runs yet (run 'kodbok code')");
    }
    if (!run_exists(p, b) || (a && !run_exists(p, a)))
        return kb_fail(err, KB_ENOENT, "no run %lld",
                       (long long)(run_exists(p, b) ? a : b));
    kb_diff *d = calloc(1, sizeof *d);
    if (!d)
        return kb_fail(err, KB_ENOMEM, "out of memory");
    d->a = a;
    d->b = b;
    sqlite3_stmt *st;
    /* The query wants ?1 < ?2: a backwards diff swaps gains and losses. */
    int backwards = a > b;
    int rc = kb_store_prepare(
        p->db, &st,
        DIFF_SELECT("1", GAINED, "?2", "?1") " UNION ALL " DIFF_SELECT(
            "2", LOST, "?1", "?2") " ORDER BY 4, 2, 5, 6, 1",
        err);
    if (rc) {
        free(d);
        return rc;
    }
    sqlite3_bind_int64(st, 1, backwards ? b : a);
    sqlite3_bind_int64(st, 2, backwards ? a : b);
    int fail = 0;
    while (!fail && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (KB_GROW(&d->v, &d->cap, d->n + 1)) {
            fail = 1;
            break;
        }
        kb_diff_item *it = &d->v[d->n++];
        it->change =
            (sqlite3_column_int(st, 0) == 1) != backwards ? KB_GAINED : KB_LOST;
        it->concept = kb_store_keep(&d->strings, st, 1, &fail);
        it->concept_label = kb_store_keep(&d->strings, st, 2, &fail);
        it->theme = kb_store_keep(&d->strings, st, 3, &fail);
        it->document = kb_store_keep(&d->strings, st, 4, &fail);
        it->start = (size_t)sqlite3_column_int64(st, 5); /* the segment id */
        it->version = sqlite3_column_int(st, 6);
        it->facets = kb_store_keep(&d->strings, st, 7, &fail);
        it->theme_label = kb_store_keep(&d->strings, st, 8, &fail);
    }
    sqlite3_finalize(st);
    if (fail || rc != SQLITE_DONE) {
        kb_diff_free(d);
        return fail ? kb_fail(err, KB_ENOMEM, "out of memory")
                    : kb_store_fail(err, p->db, "diff");
    }
    /* each item's segment id becomes the quote's span and text */
    if ((rc = kb_segments_resolve(p, d->n, diff_ref, diff_use, d, err))) {
        kb_diff_free(d);
        return rc;
    }
    *out = d;
    return 0;
}

size_t kb_diff_count(const kb_diff *d)
{
    return d ? d->n : 0;
}

const kb_diff_item *kb_diff_get(const kb_diff *d, size_t i)
{
    return d && i < d->n ? &d->v[i] : NULL;
}

void kb_diff_runs(const kb_diff *d, int64_t *a, int64_t *b)
{
    *a = d->a;
    *b = d->b;
}

void kb_diff_free(kb_diff *d)
{
    if (!d)
        return;
    kb_pool_free(&d->strings);
    free(d->v);
    free(d);
}

/* ------------------------------------------------------------------------ */
/* Counts                                                                    */
/* ------------------------------------------------------------------------ */

struct kb_count_list {
    kb_count *v;
    size_t n, cap;
    kb_pool strings;
};

int kb_project_count(kb_count_list **out, kb_project *p, int64_t run,
                     const char *axis, kb_error *err)
{
    *out = NULL;
    if (!run && !(run = last_run(p, INT64_MAX)))
        return kb_fail(err, KB_ENOENT, "no runs yet (run 'kodbok code')");
    if (!run_exists(p, run))
        return kb_fail(err, KB_ENOENT, "no run %lld", (long long)run);
    const char *sql;
    if (!strcmp(axis, "concept"))
        sql = "SELECT rc.code, rc.label, (SELECT COUNT(*) FROM codings c"
              " WHERE c.concept = rc.code AND " COUNTED(
                  "?1") ") FROM run_codes"
                        " rc WHERE rc.run_id = ?1 AND rc.kind = 'concept' "
                        "ORDER BY rc.ord";
    else if (!strcmp(axis, "theme"))
        sql = "SELECT t.code, t.label, (SELECT COUNT(*) FROM codings c JOIN"
              " run_codes k ON k.run_id = ?1 AND k.kind = 'concept' AND"
              " k.code = c.concept WHERE k.parent = t.code AND " COUNTED(
                  "?1") ") FROM run_codes t WHERE t.run_id = ?1 AND t.kind = "
                        "'theme'"
                        " ORDER BY t.ord";
    else
        sql = "SELECT v.code, v.label, (SELECT COUNT(*) FROM codings c JOIN"
              " coding_facets f ON f.coding_id = c.id AND f.facet = ?2 AND"
              " f.value = v.code WHERE " COUNTED(
                  "?1") ") FROM run_codes v"
                        " WHERE v.run_id = ?1 AND v.kind = 'value' AND "
                        "v.parent = ?2"
                        " ORDER BY v.ord";
    kb_count_list *l = calloc(1, sizeof *l);
    if (!l)
        return kb_fail(err, KB_ENOMEM, "out of memory");
    sqlite3_stmt *st;
    int rc = kb_store_prepare(p->db, &st, sql, err);
    if (rc) {
        free(l);
        return rc;
    }
    sqlite3_bind_int64(st, 1, run);
    sqlite3_bind_text(st, 2, axis, -1, SQLITE_STATIC);
    int fail = 0;
    while (!fail && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (KB_GROW(&l->v, &l->cap, l->n + 1)) {
            fail = 1;
            break;
        }
        kb_count *c = &l->v[l->n++];
        c->key = kb_store_keep(&l->strings, st, 0, &fail);
        c->label = kb_store_keep(&l->strings, st, 1, &fail);
        c->quotes = (size_t)sqlite3_column_int64(st, 2);
    }
    sqlite3_finalize(st);
    if (fail || rc != SQLITE_DONE) {
        kb_count_list_free(l);
        return fail ? kb_fail(err, KB_ENOMEM, "out of memory")
                    : kb_store_fail(err, p->db, "counting quotes");
    }
    if (!l->n && strcmp(axis, "theme") && strcmp(axis, "concept")) {
        kb_count_list_free(l);
        return kb_fail(err, KB_ENOENT,
                       "no axis '%s' (theme, concept or a facet id)", axis);
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
    kb_pool_free(&l->strings);
    free(l->v);
    free(l);
}
