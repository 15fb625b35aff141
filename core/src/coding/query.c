/*
 * query.c: reading coding runs back: the list of runs, the quotes gained
 * and lost between two runs, and quote counts by theme, concept or facet.
 *
 * "Alive at run R" is from_run <= R AND (to_run IS NULL OR to_run >= R)
 * (see run.c). Quote texts are cut from their documents' texts, each
 * document version loaded once. Counts are made from the quote list, the
 * one definition of a quote, read as a tally (kbi_project_quote_tally).
 */
#include "quotes/aggregate.h"
#include "base/error.h"
#include "base/grow.h"
#include "manual/manual.h"
#include "store/document.h"
#include "store/project.h"
#include "store/store.h"

#include <stdlib.h>
#include <string.h>

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
    kbi_pool strings;
};

int kb_project_runs(kb_run_list **out, kb_project *p, kb_error *err)
{
    *out = NULL;
    kb_run_list *l = calloc(1, sizeof *l);
    if (!l)
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    sqlite3_stmt *st;
    int rc = kbi_store_prepare(
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
        if (KBI_GROW(&l->v, &l->cap, l->n + 1)) {
            fail = 1;
            break;
        }
        kb_run_info *r = &l->v[l->n++];
        r->id = sqlite3_column_int64(st, 0);
        r->started_at = kbi_store_keep(&l->strings, st, 1, &fail);
        r->codebook_path = kbi_store_keep(&l->strings, st, 2, &fail);
        r->codebook_name = kbi_store_keep(&l->strings, st, 3, &fail);
        r->codebook_hash = kbi_store_keep(&l->strings, st, 4, &fail);
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
        return fail ? kbi_fail(err, KB_ENOMEM, "out of memory")
                    : kbi_store_fail(err, p->db, "listing runs");
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
    kbi_pool_free(&l->strings);
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
    kbi_pool strings;
};

/*
 * From run ?1 to a later run ?2: a coding row that began after ?1 and is
 * alive at ?2 is gained, one alive at ?1 that ended before ?2 is lost,
 * unless an equal quote (concept, version, segment) was alive at the other
 * run (a quote lost and found again between them). The first conditions
 * use the from_run and to_run indexes, so a diff costs what changed. The
 * theme and label come from the snapshot of the run the row is alive in.
 * Segment ids follow text order, so ordering by them orders by position;
 * spans and texts are filled in afterwards from the documents. DOC is
 * ANY_DOC, or ONE_DOC to keep document ?3's codings only (found from the
 * document, not by a scan of every coding).
 */
#define ANY_DOC "1"
#define ONE_DOC "d.name = ?3"
#define DIFF_SELECT(CHANGE, WHEN, IN, OTHER, DOC)                              \
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
    " WHERE " WHEN " AND " DOC " AND NOT EXISTS (SELECT"                       \
    "  1 FROM codings o WHERE"                                                 \
    "  o.version_id = c.version_id AND o.concept = c.concept"                  \
    "  AND o.segment_id = c.segment_id AND o.from_run <= " OTHER               \
    "  AND (o.to_run IS NULL OR o.to_run >= " OTHER "))"

#define GAINED                                                                 \
    "c.from_run > ?1 AND c.from_run <= ?2 AND (c.to_run IS NULL OR"            \
    " c.to_run >= ?2)"
#define LOST "c.to_run >= ?1 AND c.to_run < ?2 AND c.from_run <= ?1"

/* Diff items hold their segment id in `start` until it is resolved. */
static void diff_ref(void *ctx, size_t i, kbi_seg_ref *out)
{
    const kb_diff_item *it = &((kb_diff *)ctx)->v[i];
    *out = (kbi_seg_ref){it->document, it->version, (int64_t)it->start};
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
    it->text = kbi_pool_own(&d->strings, strndup(s->text, s->text_len), &fail);
    return fail ? KB_ENOMEM : 0;
}

/* What diff_query reads. */
enum { DIFF_GAINED = 1, DIFF_LOST = 2 };

/* Appends the items of `which` (DIFF_GAINED, DIFF_LOST or both) from run
 * d->a to run d->b, of document `doc` only when it is set. */
static int diff_query(kb_diff *d, kb_project *p, int which, const char *doc,
                      kb_error *err)
{
    /* per `which`: none, the gains, the losses, both; per doc: any, one */
#define DIFF_SQL(DOC)                                                          \
    {                                                                          \
        NULL,                                                                  \
            DIFF_SELECT("1", GAINED, "?2", "?1",                               \
                        DOC) " ORDER BY 4, 2, 5, 6, 1",                        \
            DIFF_SELECT("2", LOST, "?1", "?2", DOC) " ORDER BY 4, 2, 5, 6, 1", \
            DIFF_SELECT(                                                       \
                "1", GAINED, "?2", "?1",                                       \
                DOC) " UNION ALL " DIFF_SELECT("2", LOST, "?1", "?2",          \
                                               DOC) " ORDER BY 4, 2, 5, 6, 1"  \
    }
    static const char *const sql[2][4] = {DIFF_SQL(ANY_DOC), DIFF_SQL(ONE_DOC)};
#undef DIFF_SQL
    /* The query wants ?1 < ?2: a backwards diff swaps gains and losses. */
    int backwards = d->a > d->b;
    if (backwards && which != (DIFF_GAINED | DIFF_LOST))
        which ^= DIFF_GAINED | DIFF_LOST;
    sqlite3_stmt *st;
    int rc = kbi_store_prepare(p->db, &st, sql[doc != NULL][which], err);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, backwards ? d->b : d->a);
    sqlite3_bind_int64(st, 2, backwards ? d->a : d->b);
    if (doc)
        sqlite3_bind_text(st, 3, doc, -1, SQLITE_STATIC);
    int fail = 0;
    while (!fail && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (KBI_GROW(&d->v, &d->cap, d->n + 1)) {
            fail = 1;
            break;
        }
        kb_diff_item *it = &d->v[d->n++];
        memset(it, 0, sizeof *it);
        it->change =
            (sqlite3_column_int(st, 0) == 1) != backwards ? KB_GAINED : KB_LOST;
        it->concept = kbi_store_keep(&d->strings, st, 1, &fail);
        it->concept_label = kbi_store_keep(&d->strings, st, 2, &fail);
        it->theme = kbi_store_keep(&d->strings, st, 3, &fail);
        it->document = kbi_store_keep(&d->strings, st, 4, &fail);
        it->start = (size_t)sqlite3_column_int64(st, 5); /* the segment id */
        it->version = sqlite3_column_int(st, 6);
        it->facets = kbi_store_keep(&d->strings, st, 7, &fail);
        it->theme_label = kbi_store_keep(&d->strings, st, 8, &fail);
    }
    sqlite3_finalize(st);
    if (fail)
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    return rc == SQLITE_DONE ? 0 : kbi_store_fail(err, p->db, "diff");
}

/* Items in pairing order: document, concept, text, then lost before
 * gained, then list order. */
static int by_pairing(const void *a, const void *b)
{
    const kb_diff_item *x = *(const kb_diff_item *const *)a,
                       *y = *(const kb_diff_item *const *)b;
    int c = strcmp(x->document, y->document);
    if (!c)
        c = strcmp(x->concept, y->concept);
    if (!c)
        c = strcmp(x->text ? x->text : "", y->text ? y->text : "");
    if (!c && x->change != y->change)
        c = x->change == KB_LOST ? -1 : 1;
    if (!c)
        c = (x > y) - (x < y);
    return c;
}

/*
 * Pairs moves: a quote lost on one version of a document and gained on
 * another with the same concept and the same text is the same quote, moved
 * by an edit elsewhere in the document; the gained item becomes KB_MOVED
 * (with where it was) and the lost one is dropped. Then a lost quote that
 * a coder accepted in review (an acceptance of its concept on the same
 * text in the document) is KB_KEPT: the quote stays as the coder's.
 */
static int diff_settle(kb_diff *d, kb_project *p, kb_error *err)
{
    kb_diff_item **ix = malloc((d->n + 1) * sizeof *ix);
    unsigned char *dead = calloc(d->n + 1, 1);
    if (!ix || !dead) {
        free(ix);
        free(dead);
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < d->n; i++)
        ix[i] = &d->v[i];
    qsort(ix, d->n, sizeof *ix, by_pairing);
    for (size_t g = 0; g < d->n;) { /* a group of equal document, concept,
                                       text: its lost items, then gained */
        size_t e = g + 1;
        while (e < d->n && !strcmp(ix[g]->document, ix[e]->document) &&
               !strcmp(ix[g]->concept, ix[e]->concept) &&
               !strcmp(ix[g]->text ? ix[g]->text : "",
                       ix[e]->text ? ix[e]->text : ""))
            e++;
        size_t gained = g;
        while (gained < e && ix[gained]->change == KB_LOST)
            gained++;
        for (size_t k = gained; k < e; k++) {
            kb_diff_item *to = ix[k];
            size_t l = g;
            while (l < gained &&
                   (dead[ix[l] - d->v] || ix[l]->version == to->version))
                l++;
            if (l == gained)
                continue;
            const kb_diff_item *from = ix[l];
            dead[from - d->v] = 1;
            to->change = KB_MOVED;
            to->from_version = from->version;
            to->from_start = from->start;
            to->from_end = from->end;
        }
        g = e;
    }
    free(ix);
    size_t o = 0;
    for (size_t i = 0; i < d->n; i++)
        if (!dead[i])
            d->v[o++] = d->v[i];
    d->n = o;
    free(dead);
    sqlite3_stmt *st;
    int rc = kbi_store_prepare(
        p->db, &st,
        "SELECT group_concat(coder, ',') FROM (SELECT DISTINCT m.coder FROM"
        " manual_codings m JOIN documents d ON d.id = m.document_id WHERE"
        " d.name = ? AND m.code = ? AND m.quote = ? AND m.decision ="
        " 'accept' AND m.placed ORDER BY m.coder)",
        err);
    int fail = 0;
    for (size_t i = 0; !rc && !fail && i < d->n; i++) {
        kb_diff_item *it = &d->v[i];
        if (it->change != KB_LOST || !it->text)
            continue;
        sqlite3_bind_text(st, 1, it->document, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, it->concept, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, it->text, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW &&
            sqlite3_column_type(st, 0) != SQLITE_NULL) {
            it->change = KB_KEPT;
            it->kept_by = kbi_store_keep(&d->strings, st, 0, &fail);
        }
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    return fail ? kbi_fail(err, KB_ENOMEM, "out of memory") : rc;
}

/* Checks the runs and starts a diff from a to b (0 and 0: the last two). */
static int diff_new(kb_diff **out, kb_project *p, int64_t a, int64_t b,
                    kb_error *err)
{
    *out = NULL;
    if (!a && !b) {
        b = last_run(p, INT64_MAX);
        a = last_run(p, b);
        if (!b)
            return kbi_fail(err, KB_ENORUN, "no runs yet");
    }
    if (!run_exists(p, b) || (a && !run_exists(p, a)))
        return kbi_fail(err, KB_ENOENT, "no run %lld",
                        (long long)(run_exists(p, b) ? a : b));
    kb_diff *d = calloc(1, sizeof *d);
    if (!d)
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    d->a = a;
    d->b = b;
    *out = d;
    return 0;
}

int kb_project_diff(kb_diff **out, kb_project *p, int64_t a, int64_t b,
                    kb_error *err)
{
    kb_diff *d;
    int rc = diff_new(&d, p, a, b, err);
    if (!rc)
        rc = diff_query(d, p, DIFF_GAINED | DIFF_LOST, NULL, err);
    /* each item's segment id becomes the quote's span and text */
    if (!rc)
        rc = kbi_segments_resolve(p, d->n, diff_ref, diff_use, d, err);
    if (!rc)
        rc = diff_settle(d, p, err);
    if (rc) {
        kb_diff_free(d);
        return rc;
    }
    *out = d;
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int kbi_diff_tally(kb_project *p, int64_t a, int64_t b, size_t *moved,
                   size_t *kept, kb_error *err)
{
    *moved = *kept = 0;
    kb_diff *d;
    int rc = diff_new(&d, p, a, b, err);
    if (!rc)
        rc = diff_query(d, p, DIFF_LOST, NULL, err);
    /* a move's gained half is in a document that lost a quote: the gains
     * of each such document, once */
    size_t nlost = d ? d->n : 0;
    const char **docs = rc ? NULL : malloc((nlost + 1) * sizeof *docs);
    if (!rc && !docs)
        rc = kbi_fail(err, KB_ENOMEM, "out of memory");
    for (size_t i = 0; !rc && i < nlost; i++)
        docs[i] = d->v[i].document;
    if (!rc)
        qsort(docs, nlost, sizeof *docs, by_name);
    for (size_t i = 0; !rc && i < nlost; i++)
        if (!i || strcmp(docs[i], docs[i - 1]))
            rc = diff_query(d, p, DIFF_GAINED, docs[i], err);
    free(docs);
    if (!rc)
        rc = kbi_segments_resolve(p, d->n, diff_ref, diff_use, d, err);
    if (!rc)
        rc = diff_settle(d, p, err);
    for (size_t i = 0; !rc && i < d->n; i++) {
        *moved += d->v[i].change == KB_MOVED;
        *kept += d->v[i].change == KB_KEPT;
    }
    kb_diff_free(d);
    return rc;
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
    kbi_pool_free(&d->strings);
    free(d->v);
    free(d);
}

/* ------------------------------------------------------------------------ */
/* Counts                                                                    */
/* ------------------------------------------------------------------------ */

struct kb_count_list {
    kb_count *v;
    size_t n, cap;
    kbi_pool strings;
};

/* The codes of `kind` in the run's snapshot, in codebook order (for a
 * facet id: its values), as zero counts. */
static int count_keys(kb_count_list *l, kb_project *p, int64_t run,
                      const char *axis, kb_error *err)
{
    int code = !strcmp(axis, "theme") || !strcmp(axis, "concept") ||
               !strcmp(axis, "dimension");
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
    if (!run && !(run = last_run(p, INT64_MAX)))
        return kbi_fail(err, KB_ENORUN, "no runs yet");
    if (!run_exists(p, run))
        return kbi_fail(err, KB_ENOENT, "no run %lld", (long long)run);
    kb_count_list *l = calloc(1, sizeof *l);
    if (!l)
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    kb_quote_list *q = NULL;
    int rc = count_keys(l, p, run, axis, err);
    if (!rc)
        rc = kbi_project_quote_tally(&q, p, run, err);
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
                c->quotes += kbi_quote_list_weight(q, i);
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
