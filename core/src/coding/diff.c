/*
 * diff.c: the quotes gained and lost between two runs (kb_project_diff),
 * moves and quotes kept by a coder's acceptance told apart, and the tally
 * of moved and kept quotes a run's summary shows (kbi_diff_tally). Quote
 * texts are cut from their documents' texts, each document version loaded
 * once.
 */
#include "coding/diff.h"
#include "store/runs.h"
#include "base/error.h"
#include "base/grow.h"
#include "manual/manual.h"
#include "store/document.h"
#include "store/project.h"
#include "store/store.h"

#include <stdlib.h>
#include <string.h>

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
    kbi_sort(ix, d->n, sizeof *ix, by_pairing);
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
        b = kbi_runs_last(p->db, INT64_MAX);
        a = kbi_runs_last(p->db, b);
        if (!b)
            return kbi_fail(err, KB_ENORUN, "no runs yet");
    }
    if (!kbi_runs_exists(p, b) || (a && !kbi_runs_exists(p, a)))
        return kbi_fail(err, KB_ENOENT, "no run %lld",
                        (long long)(kbi_runs_exists(p, b) ? a : b));
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
        kbi_sort(docs, nlost, sizeof *docs, by_name);
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
