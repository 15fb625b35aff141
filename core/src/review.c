/*
 * review.c: automatic quotes as a coder reviews them: the quotes of a run
 * with each one's review state, and storing a decision.
 *
 * A decision is a row of manual_codings (decision 'accept' or 'reject') on
 * the quote's concept and segment, so it is anchored, exported and
 * re-anchored like a tag. A rejection covers every coding of that concept on
 * that segment of that version (KB_REJECTED in manual.h), whichever run made
 * it, so re-runs cannot bring the quote back; a re-import that changes the
 * quote's text leaves the rejection aside, and the quote returns.
 */
#include "error.h"
#include "grow.h"
#include "manual.h"
#include "project.h"
#include "store.h"

#include <stdlib.h>
#include <string.h>

struct kb_quote_list {
    kb_quote_info *v;
    int64_t *segment; /* per quote, its segment id until placed */
    int *ord;         /* per quote, its concept's codebook order */
    size_t n, cap, capseg, capord;
    kb_pool strings;
};

static int by_document(const void *a, const void *b)
{
    const kb_quote_info *x = a, *y = b;
    int c = strcmp(x->document, y->document);
    return c ? c : (x->version > y->version) - (x->version < y->version);
}

/* Fills each quote's kind, index, span and text from its document version,
 * loading each version once (quotes come ordered by document). */
static int place_quotes(kb_quote_list *l, kb_project *p, kb_error *err)
{
    kb_document *doc = NULL;
    int rc = 0, fail = 0;
    for (size_t i = 0; i < l->n && !rc && !fail; i++) {
        kb_quote_info *q = &l->v[i];
        if (!i || by_document(&l->v[i - 1], q)) {
            kb_document_free(doc);
            if ((rc = kb_document_load_kinds(&doc, p, q->document, q->version,
                                             0, err)))
                break;
        }
        size_t seq = 0;
        kb_segment_kind kind = kb_document_locate(doc, l->segment[i], &seq);
        const kb_segment *s = NULL;
        if (kind && !(rc = kb_document_need(doc, kind, err)))
            s = kb_document_segment(doc, kind, seq);
        if (rc)
            break;
        if (!s) {
            rc = kb_fail(err, KB_EDB,
                         "project store: a coding of '%s' points to no "
                         "segment",
                         q->document);
            break;
        }
        q->kind = kind;
        q->index = seq;
        q->start = s->start;
        q->end = s->end;
        q->text =
            kb_pool_own(&l->strings, strndup(s->text, s->text_len), &fail);
    }
    kb_document_free(doc);
    return rc ? rc : fail ? kb_fail(err, KB_ENOMEM, "out of memory") : 0;
}

/* A quote with its concept's codebook order, for sorting. */
typedef struct sort_item {
    const kb_quote_info *q;
    int ord;
} sort_item;

/* Orders quotes by document, position, then codebook order. */
static int by_position(const void *a, const void *b)
{
    const sort_item *x = a, *y = b;
    int c = strcmp(x->q->document, y->q->document);
    if (c)
        return c;
    if (x->q->start != y->q->start)
        return x->q->start < y->q->start ? -1 : 1;
    if (x->q->end != y->q->end)
        return x->q->end < y->q->end ? -1 : 1;
    return (x->ord > y->ord) - (x->ord < y->ord);
}

static int sort_quotes(kb_quote_list *l, kb_error *err)
{
    sort_item *items = malloc((l->n ? l->n : 1) * sizeof *items);
    kb_quote_info *v = malloc((l->n ? l->n : 1) * sizeof *v);
    if (!items || !v) {
        free(items);
        free(v);
        return kb_fail(err, KB_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < l->n; i++)
        items[i] = (sort_item){&l->v[i], l->ord[i]};
    qsort(items, l->n, sizeof *items, by_position);
    for (size_t i = 0; i < l->n; i++)
        v[i] = *items[i].q;
    free(l->v);
    l->v = v;
    l->cap = l->n;
    free(items);
    return 0;
}

static int64_t run_or_last(kb_project *p, int64_t run, kb_error *err)
{
    sqlite3_stmt *st;
    if (kb_store_prepare(p->db, &st,
                         "SELECT CASE WHEN ?1 = 0 THEN (SELECT MAX(id) FROM"
                         " runs) ELSE (SELECT id FROM runs WHERE id = ?1) END",
                         err))
        return -1;
    sqlite3_bind_int64(st, 1, run);
    int64_t id = sqlite3_step(st) == SQLITE_ROW &&
                         sqlite3_column_type(st, 0) != SQLITE_NULL
                     ? sqlite3_column_int64(st, 0)
                     : 0;
    sqlite3_finalize(st);
    if (!id) {
        if (run)
            kb_fail(err, KB_ENOENT, "no run %lld", (long long)run);
        else
            kb_fail(err, KB_ENOENT, "no runs yet (run 'kodbok code')");
        return -1;
    }
    return id;
}

int kb_project_quotes(kb_quote_list **out, kb_project *p,
                      const kb_quote_options *o, kb_error *err)
{
    *out = NULL;
    kb_quote_options defaults = KB_QUOTE_OPTIONS_INIT;
    if (!o)
        o = &defaults;
    if (o->version != KB_QUOTE_OPTIONS_VERSION)
        return kb_fail(err, KB_EINVAL, "quote options of an unknown version");
    int64_t run = run_or_last(p, o->run, err);
    if (run < 0)
        return err ? err->code : KB_ENOENT;
    int rc;
    char kind[16];
    if (o->concept && (rc = kb_manual_code_kind(p->db, o->concept, kind, err)))
        return rc;
    if (o->concept && strcmp(kind, "concept"))
        return kb_fail(err, KB_ENOENT, "'%s' is a %s, not a concept",
                       o->concept, kind);
    if (o->coder && (rc = kb_manual_coder_check(o->coder, err)))
        return rc;
    kb_quote_list *l = calloc(1, sizeof *l);
    if (!l)
        return kb_fail(err, KB_ENOMEM, "out of memory");
    sqlite3_stmt *st;
    rc = kb_store_prepare(
        p->db, &st,
        "SELECT d.name, v.version, c.concept, rc.label, rc.parent, t.label,"
        " c.segment_id, rc.ord, (SELECT m.decision FROM manual_codings m"
        " WHERE m.version_id = c.version_id AND m.code = c.concept AND"
        " m.segment_id = c.segment_id AND m.coder = ?3 AND "
        "m.placed), " KB_REJECTED(
            "c") " FROM codings c JOIN versions v ON v.id = c.version_id"
                 " JOIN documents d ON d.id = v.document_id"
                 " JOIN run_codes rc ON rc.run_id = ?1 AND rc.kind = 'concept'"
                 " AND rc.code = c.concept LEFT JOIN run_codes t ON t.run_id ="
                 " ?1 AND t.kind = 'theme' AND t.code = rc.parent"
                 " WHERE c.from_run <= ?1 AND (c.to_run IS NULL OR c.to_run >="
                 " ?1) AND (?2 IS NULL OR c.concept = ?2)"
                 " ORDER BY d.name, v.version",
        err);
    if (rc) {
        free(l);
        return rc;
    }
    sqlite3_bind_int64(st, 1, run);
    if (o->concept)
        sqlite3_bind_text(st, 2, o->concept, -1, SQLITE_STATIC);
    if (o->coder)
        sqlite3_bind_text(st, 3, o->coder, -1, SQLITE_STATIC);
    int fail = 0;
    while (!fail && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const unsigned char *dec = sqlite3_column_text(st, 8);
        int rejected = sqlite3_column_int(st, 9);
        if ((rejected && !o->with_rejected) || (dec && o->unreviewed))
            continue;
        if (KB_GROW(&l->v, &l->cap, l->n + 1) ||
            KB_GROW(&l->segment, &l->capseg, l->n + 1) ||
            KB_GROW(&l->ord, &l->capord, l->n + 1)) {
            fail = 1;
            break;
        }
        kb_quote_info *q = &l->v[l->n];
        memset(q, 0, sizeof *q);
        q->document = kb_store_keep(&l->strings, st, 0, &fail);
        q->version = sqlite3_column_int(st, 1);
        q->concept = kb_store_keep(&l->strings, st, 2, &fail);
        q->concept_label = kb_store_keep(&l->strings, st, 3, &fail);
        q->theme = kb_store_keep(&l->strings, st, 4, &fail);
        q->theme_label = kb_store_keep(&l->strings, st, 5, &fail);
        l->segment[l->n] = sqlite3_column_int64(st, 6);
        l->ord[l->n] = sqlite3_column_int(st, 7);
        q->decision =
            !dec                                   ? 0
            : !strcmp((const char *)dec, "accept") ? KB_DECISION_ACCEPT
            : !strcmp((const char *)dec, "reject") ? KB_DECISION_REJECT
                                                   : KB_DECISION_TAG;
        q->rejected = rejected;
        l->n++;
    }
    sqlite3_finalize(st);
    if (fail || rc != SQLITE_DONE) {
        kb_quote_list_free(l);
        return fail ? kb_fail(err, KB_ENOMEM, "out of memory")
                    : kb_store_fail(err, p->db, "listing quotes");
    }
    if ((rc = place_quotes(l, p, err)) || (rc = sort_quotes(l, err))) {
        kb_quote_list_free(l);
        return rc;
    }
    *out = l;
    return 0;
}

size_t kb_quote_list_count(const kb_quote_list *l)
{
    return l ? l->n : 0;
}

const kb_quote_info *kb_quote_list_get(const kb_quote_list *l, size_t i)
{
    return l && i < l->n ? &l->v[i] : NULL;
}

void kb_quote_list_free(kb_quote_list *l)
{
    if (!l)
        return;
    kb_pool_free(&l->strings);
    free(l->v);
    free(l->segment);
    free(l->ord);
    free(l);
}

int kb_quote_decide(kb_project *p, const kb_quote_info *q, const char *coder,
                    kb_decision d, kb_error *err)
{
    if (d != KB_DECISION_ACCEPT && d != KB_DECISION_REJECT)
        return kb_fail(err, KB_EINVAL, "a review decision is accept or reject");
    kb_document *doc = NULL;
    kb_anchor a = {0};
    int rc;
    if ((rc = kb_manual_coder_check(coder, err)) ||
        (rc = kb_document_load_kinds(&doc, p, q->document, 0, 0, err)))
        goto out;
    const kb_doc_info *info = kb_document_info(doc);
    const kb_segment *s = NULL;
    if (info->version != q->version) {
        rc = kb_fail(err, KB_EINVAL,
                     "'%s' was imported again since the run: code the "
                     "project again before reviewing it",
                     q->document);
        goto out;
    }
    if ((rc = kb_document_need(doc, q->kind, err)))
        goto out;
    if (!(s = kb_document_segment(doc, q->kind, q->index)) ||
        s->start != q->start || s->end != q->end) {
        rc = kb_fail(err, KB_EINVAL, "no such quote in '%s'", q->document);
        goto out;
    }
    size_t len;
    const char *text = kb_document_text(doc, &len);
    kb_place pl = {s->start, s->end, (size_t)(s->text - text),
                   (size_t)(s->text - text) + s->text_len};
    if ((rc = kb_anchor_make(&a, text, len, &pl, err)) ||
        (rc = kb_store_begin(p->db, err)))
        goto out;
    sqlite3_stmt *st;
    if (!(rc = kb_store_prepare(p->db, &st,
                                "SELECT d.id, v.id FROM documents d JOIN"
                                " versions v ON v.document_id = d.id AND"
                                " v.version = d.current_version WHERE d.name"
                                " = ?",
                                err))) {
        sqlite3_bind_text(st, 1, q->document, -1, SQLITE_STATIC);
        kb_manual_row r = {.coder = coder,
                           .kind = "concept",
                           .code = q->concept,
                           .decision = kb_decision_name(d),
                           .place = pl,
                           .anchor = &a,
                           .segment_kind = q->kind,
                           .segment_id =
                               kb_segment_id(kb_document_first_segment(doc),
                                             info, q->kind, q->index)};
        if (sqlite3_step(st) == SQLITE_ROW) {
            r.document_id = sqlite3_column_int64(st, 0);
            r.version_id = sqlite3_column_int64(st, 1);
        }
        sqlite3_finalize(st);
        int64_t id;
        rc = kb_manual_insert(p->db, &r, &id, err);
    }
    if (!rc)
        rc = kb_store_commit(p->db, err);
    if (rc)
        kb_store_rollback(p->db);
out:
    kb_anchor_clear(&a);
    kb_document_free(doc);
    return rc;
}
