/*
 * review.c: storing (and undoing) a coder's review decision on an automatic
 * quote, and checking a list of quotes to review is current (the
 * quotes to review, with the coder's decisions, come from
 * kb_project_quotes, quotes/project_quotes.c).
 *
 * A decision is a row of manual_codings (decision 'accept' or 'reject') on
 * the quote's concept and segment, so it is anchored, exported and
 * re-anchored like a tag. A rejection covers every coding of that concept on
 * that segment of that version (KBI_REJECTED in manual.h), whichever run made
 * it, so re-runs cannot bring the quote back; a re-import that changes the
 * quote's text leaves the rejection aside, and the quote returns.
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

int kb_quote_decide(kb_project *p, const kb_quote_row *q, const char *coder,
                    kb_decision d, kb_error *err)
{
    if (d != KB_DECISION_ACCEPT && d != KB_DECISION_REJECT)
        return kbi_fail(err, KB_EINVAL,
                        "a review decision is accept or reject");
    kb_document *doc = NULL;
    kbi_anchor a = {0};
    int rc;
    if ((rc = kbi_manual_coder_check(coder, "coder", err)) ||
        (rc = kbi_document_load_kinds(&doc, p, q->document, 0, 0, err)))
        goto out;
    const kb_doc_info *info = kb_document_info(doc);
    const kb_segment *s = NULL;
    if (info->version != q->version) {
        rc = kbi_fail(err, KB_EINVAL,
                      "'%s' was imported again since the run: code the "
                      "project again before reviewing it",
                      q->document);
        goto out;
    }
    if ((rc = kbi_document_need(doc, q->kind, err)))
        goto out;
    if (!(s = kb_document_segment(doc, q->kind, q->index)) ||
        s->start != q->start || s->end != q->end) {
        rc = kbi_fail(err, KB_EINVAL, "no such quote in '%s'", q->document);
        goto out;
    }
    size_t len;
    const char *text = kb_document_text(doc, &len);
    kbi_place pl = {s->start, s->end, (size_t)(s->text - text),
                    (size_t)(s->text - text) + s->text_len};
    if ((rc = kbi_anchor_make(&a, text, len, &pl, err)) ||
        (rc = kbi_store_begin(p->db, err)))
        goto out;
    sqlite3_stmt *st;
    if (!(rc = kbi_store_prepare(p->db, &st,
                                 "SELECT d.id, v.id FROM documents d JOIN"
                                 " versions v ON v.document_id = d.id AND"
                                 " v.version = d.current_version WHERE d.name"
                                 " = ?",
                                 err))) {
        sqlite3_bind_text(st, 1, q->document, -1, SQLITE_STATIC);
        kbi_manual_row r = {.coder = coder,
                            .kind = "concept",
                            .code = q->concept,
                            .decision = kb_decision_name(d),
                            .place = pl,
                            .anchor = &a,
                            .segment_kind = q->kind,
                            .segment_id =
                                kbi_segment_id(kbi_document_first_segment(doc),
                                               info, q->kind, q->index)};
        if (sqlite3_step(st) == SQLITE_ROW) {
            r.document_id = sqlite3_column_int64(st, 0);
            r.version_id = sqlite3_column_int64(st, 1);
        }
        sqlite3_finalize(st);
        int64_t id;
        rc = kbi_manual_insert(p->db, &r, &id, err);
    }
    if (!rc)
        rc = kbi_store_commit(p->db, err);
    if (rc)
        kbi_store_rollback(p->db);
out:
    kbi_anchor_clear(&a);
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
