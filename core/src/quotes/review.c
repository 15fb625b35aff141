/*
 * review.c: storing (and undoing) a coder's review decision on an automatic
 * quote, featuring a quote for a coder, and checking a list of quotes to
 * review is current (the quotes to review, with the coder's decisions, come
 * from kb_project_quotes, quotes/project_quotes.c).
 *
 * A decision is a row of manual_codings (decision 'accept' or 'reject') on
 * the quote's concept and segment, so it is anchored, exported and
 * re-anchored like a tag. A rejection covers every coding of that concept on
 * that segment of that version (KBI_REJECTED in manual.h), whichever run made
 * it, so re-runs cannot bring the quote back; a re-import that changes the
 * quote's text leaves the rejection aside, and the quote returns.
 *
 * Featuring is a flag on the coder's manual codings that are part of the
 * quote (manual_codings.featured), so it travels with them: re-anchored,
 * exported in tags files, kept across re-runs. Featuring an automatic quote
 * the coder has no coding in stores the coder's acceptance, featured.
 */
#include "quotes/review.h"
#include "base/error.h"
#include "manual/manual.h"
#include "store/document.h"
#include "store/project.h"
#include "store/store.h"
#include "base/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Loads the document of quote q at its current version and finds q's
 * segment (*s; NULL for a quote on none). KB_EINVAL when the document was
 * imported again since the run, or when q has a segment that is not there,
 * or, with `whole` (an automatic quote), is not q's span.
 */
static int load_quote(kb_document **doc, const kb_segment **s, kb_project *p,
                      const kb_quote_row *q, int whole, kb_error *err)
{
    *s = NULL;
    int rc = kbi_document_load_kinds(doc, p, q->document, 0, 0, err);
    if (rc)
        return rc;
    if (kb_document_info(*doc)->version != q->version)
        return kbi_fail(err, KB_EINVAL,
                        "'%s' was imported again since the run: code the "
                        "project again before reviewing it",
                        q->document);
    if (!q->kind && !whole)
        return 0;
    if ((rc = kbi_document_need(*doc, q->kind, err)))
        return rc;
    if (!(*s = kb_document_segment(*doc, q->kind, q->index)) ||
        (whole && ((*s)->start != q->start || (*s)->end != q->end)))
        return kbi_fail(err, KB_EINVAL, "no such quote in '%s'", q->document);
    return 0;
}

/* Stores coder's decision d on automatic quote q, segment s of doc (loaded
 * by load_quote), as a manual coding, featured or not, inside the caller's
 * transaction. */
static int store_decision(kb_project *p, kb_document *doc, const kb_segment *s,
                          const kb_quote_row *q, const char *coder,
                          kb_decision d, int featured, kb_error *err)
{
    size_t len;
    const char *text = kb_document_text(doc, &len);
    kbi_place pl = {s->start, s->end, (size_t)(s->text - text),
                    (size_t)(s->text - text) + s->text_len};
    kbi_anchor a = {0};
    kbi_manual_row r = {
        .coder = coder,
        .kind = "concept",
        .code = q->concept,
        .decision = kb_decision_name(d),
        .place = pl,
        .anchor = &a,
        .segment_kind = q->kind,
        .segment_id = kbi_segment_id(kbi_document_first_segment(doc),
                                     kb_document_info(doc), q->kind, q->index),
        .featured = featured};
    int64_t id;
    int rc = kbi_anchor_make(&a, text, len, &pl, err);
    if (!rc)
        rc = kbi_manual_current_version(p->db, q->document, &r.document_id,
                                        &r.version_id, err);
    if (!rc)
        rc = kbi_manual_insert(p->db, &r, &id, err);
    kbi_anchor_clear(&a);
    return rc;
}

int kb_quote_decide(kb_project *p, const kb_quote_row *q, const char *coder,
                    kb_decision d, kb_error *err)
{
    if (d != KB_DECISION_ACCEPT && d != KB_DECISION_REJECT)
        return kbi_fail(err, KB_EINVAL,
                        "a review decision is accept or reject");
    kb_document *doc = NULL;
    const kb_segment *s;
    int rc;
    if ((rc = kbi_manual_coder_check(coder, "coder", err)) ||
        (rc = load_quote(&doc, &s, p, q, 1, err)) ||
        (rc = kbi_store_begin(p->db, err))) {
        kb_document_free(doc);
        return rc;
    }
    rc = store_decision(p, doc, s, q, coder, d, 0, err);
    if (!rc)
        rc = kbi_store_commit(p->db, err);
    if (rc)
        kbi_store_rollback(p->db);
    kb_document_free(doc);
    return rc;
}

/*
 * The coder's placed tags and acceptances that are part of quote q, as
 * kb_project_quotes groups them (quotes/manual_quotes.c): those of q's
 * code on the current version whose passage starts in q's segment (after
 * the segment before it ends, before its own end) and reaches into it; of a
 * quote on no segment, the one on its span. ?1 version, ?2 coder, ?3 kind,
 * ?4 code, ?5 and ?6 the starts, ?7 and ?8 the ends it may have.
 */
#define IN_QUOTE                                                               \
    " version_id = ?1 AND coder = ?2 AND kind = ?3 AND code = ?4 AND"          \
    " decision IN ('tag', 'accept') AND placed AND start >= ?5 AND start <"    \
    " ?6 AND \"end\" >= ?7 AND \"end\" <= ?8"

/* Binds IN_QUOTE's parameters for q (segment s, the one before it prev). */
static void bind_in_quote(sqlite3_stmt *st, int64_t vid, const char *coder,
                          const kb_quote_row *q, const kb_segment *s,
                          const kb_segment *prev)
{
    sqlite3_bind_int64(st, 1, vid);
    sqlite3_bind_text(st, 2, coder, -1, SQLITE_STATIC);
    kb_code_kind kind;
    sqlite3_bind_text(st, 4, kb_quote_code(q, &kind), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, kb_code_kind_name(kind), -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, (int64_t)(s ? prev ? prev->end : 0 : q->start));
    sqlite3_bind_int64(st, 6, (int64_t)(s ? s->end : q->start + 1));
    sqlite3_bind_int64(st, 7, (int64_t)(s ? s->start + 1 : q->end));
    sqlite3_bind_int64(st, 8, s ? INT64_MAX : (int64_t)q->end);
}

/* 1 when the coder rejected automatic quote q (segment id seg of version
 * vid), 0 if not, -1 on failure. */
static int rejected_by(kb_project *p, int64_t vid, int64_t seg,
                       const kb_quote_row *q, const char *coder, kb_error *err)
{
    sqlite3_stmt *st;
    if (kbi_store_prepare(p->db, &st,
                          "SELECT 1 FROM manual_codings WHERE version_id = ?"
                          " AND coder = ? AND code = ? AND segment_id = ? AND"
                          " decision = 'reject' AND placed",
                          err))
        return -1;
    sqlite3_bind_int64(st, 1, vid);
    sqlite3_bind_text(st, 2, coder, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, q->concept, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, seg);
    int step = sqlite3_step(st);
    sqlite3_finalize(st);
    if (step != SQLITE_ROW && step != SQLITE_DONE) {
        kbi_store_fail(err, p->db, "looking up review decisions");
        return -1;
    }
    return step == SQLITE_ROW;
}

/* Sets the featuring of the coder's codings in q (IN_QUOTE) to `on`, inside
 * the caller's transaction; an automatic quote without any is accepted
 * featured. `what` names the quote in messages. */
static int feature_in(kb_project *p, kb_document *doc, const kb_segment *s,
                      const kb_quote_row *q, const char *coder, int on,
                      const char *what, kb_error *err)
{
    int64_t doc_id, vid;
    int rc = kbi_manual_current_version(p->db, q->document, &doc_id, &vid, err);
    if (rc)
        return rc;
    int automatic = q->source && !strcmp(q->source, "auto") && q->concept && s;
    if (on && automatic) {
        int64_t seg = kbi_segment_id(kbi_document_first_segment(doc),
                                     kb_document_info(doc), q->kind, q->index);
        int r = rejected_by(p, vid, seg, q, coder, err);
        if (r)
            return r < 0 ? (err ? err->code : KB_EDB)
                         : kbi_fail(err, KB_EINVAL,
                                    "%s rejected %s: a rejected quote cannot "
                                    "be featured (remove the rejection first)",
                                    coder, what);
    }
    const kb_segment *prev =
        s && q->index ? kb_document_segment(doc, q->kind, q->index - 1) : NULL;
    sqlite3_stmt *st;
    if ((rc = kbi_store_prepare(p->db, &st,
                                "SELECT count(*), total(featured) FROM"
                                " manual_codings WHERE" IN_QUOTE,
                                err)))
        return rc;
    bind_in_quote(st, vid, coder, q, s, prev);
    int64_t codings = 0, featured = 0;
    if (sqlite3_step(st) == SQLITE_ROW) {
        codings = sqlite3_column_int64(st, 0);
        featured = sqlite3_column_int64(st, 1);
    } else {
        rc = kbi_store_fail(err, p->db, "looking up manual codings");
    }
    sqlite3_finalize(st);
    if (rc)
        return rc;
    if (on && featured)
        return kbi_fail(err, KB_EEXIST, "%s has featured %s already", coder,
                        what);
    if (!on && !featured)
        return kbi_fail(err, KB_ENOENT, "%s has not featured %s", coder, what);
    if (!codings && !automatic)
        return kbi_fail(err, KB_EINVAL,
                        "%s has no coding in %s, which only other coders "
                        "found: tag it to feature it",
                        coder, what);
    if (!codings) {
        if (s->start != q->start || s->end != q->end)
            return kbi_fail(err, KB_EINVAL, "no such quote in '%s'",
                            q->document);
        return store_decision(p, doc, s, q, coder, KB_DECISION_ACCEPT, 1, err);
    }
    if ((rc = kbi_store_prepare(p->db, &st,
                                "UPDATE manual_codings SET featured = ?9"
                                " WHERE" IN_QUOTE,
                                err)))
        return rc;
    bind_in_quote(st, vid, coder, q, s, prev);
    sqlite3_bind_int(st, 9, on != 0);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = kbi_store_fail(err, p->db, "featuring a quote");
    sqlite3_finalize(st);
    return rc;
}

int kb_quote_feature(kb_project *p, const kb_quote_row *q, const char *coder,
                     int on, kb_error *err)
{
    kb_document *doc = NULL;
    const kb_segment *s;
    char what[512];
    snprintf(what, sizeof what, "the quote of '%s' at %zu-%zu of '%s'",
             kb_quote_code(q, NULL), q->start, q->end, q->document);
    int rc;
    if ((rc = kbi_manual_coder_check(coder, "coder", err)) ||
        (rc = load_quote(&doc, &s, p, q, 0, err)) ||
        (rc = kbi_store_begin(p->db, err))) {
        kb_document_free(doc);
        return rc;
    }
    rc = feature_in(p, doc, s, q, coder, on, what, err);
    if (!rc)
        rc = kbi_store_commit(p->db, err);
    if (rc)
        kbi_store_rollback(p->db);
    kb_document_free(doc);
    return rc;
}

int kb_quote_list_check_current(kb_project *p, const kb_quote_list *l,
                                kb_error *err)
{
    sqlite3_stmt *st;
    int rc = kbi_store_prepare(p->db, &st,
                               "SELECT current_version FROM documents WHERE"
                               " name = ?",
                               err);
    if (rc)
        return rc;
    char names[256] = "";
    size_t stale = 0;
    const char *last = NULL;
    for (size_t i = 0; i < kb_quote_list_count(l) && !rc; i++) {
        const kb_quote_row *q = kb_quote_list_get(l, i);
        if (q->source && strcmp(q->source, "auto"))
            continue;
        if (last && !strcmp(last, q->document))
            continue;
        last = q->document;
        sqlite3_bind_text(st, 1, q->document, -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_ROW)
            rc = kbi_store_fail(err, p->db, "reading document versions");
        else if (sqlite3_column_int(st, 0) != q->version) {
            char quoted[128];
            snprintf(quoted, sizeof quoted, "'%s'", q->document);
            kbi_name_list_add(names, sizeof names, quoted);
            stale++;
        }
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    if (!rc && stale)
        rc = kbi_fail(err, KB_EINVAL,
                      "%s %s imported again since the run: code the project "
                      "again before reviewing",
                      names, stale == 1 ? "was" : "were");
    return rc;
}

int kb_quote_undecide(kb_project *p, const kb_quote_row *q, const char *coder,
                      kb_error *err)
{
    sqlite3_stmt *st;
    int rc = kbi_store_prepare(
        p->db, &st,
        "DELETE FROM manual_codings WHERE coder = ?1 AND code = ?2 AND"
        " decision IN ('accept', 'reject') AND start = ?3 AND \"end\" = ?4"
        " AND placed AND version_id = (SELECT v.id FROM versions v JOIN"
        " documents d ON d.id = v.document_id WHERE d.name = ?5 AND"
        " v.version = ?6) RETURNING id, memo",
        err);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, coder, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, q->concept, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, (int64_t)q->start);
    sqlite3_bind_int64(st, 4, (int64_t)q->end);
    sqlite3_bind_text(st, 5, q->document, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 6, q->version);
    char what[512];
    snprintf(what, sizeof what,
             "%s has no review decision on %s %zu-%zu of '%s'", coder,
             q->concept, q->start, q->end, q->document);
    rc = kbi_manual_delete(p, st, what, err);
    sqlite3_finalize(st);
    return rc;
}
