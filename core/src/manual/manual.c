/*
 * manual.c: manual codings: tagging, untagging and listing them, checking
 * coders, codes and facets, and re-anchoring them when a transcript is
 * imported again.
 *
 * A manual coding (table manual_codings, docs/schema.md) is placed on one
 * version of its document, normally the current one. Codes and facets are
 * checked against the last run's codebook snapshot (run_codes): it is the
 * codebook the project's quotes were made with, and needs no file. Every
 * call that writes is one transaction. A run changes only their codes, when
 * the codebook renames a code (was:, coding/changes.c).
 */
#include "base/error.h"
#include "base/grow.h"
#include "manual/manual.h"
#include "store/document.h"
#include "store/project.h"
#include "store/runs.h"
#include "store/store.h"
#include "base/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int kbi_manual_coder_check(const char *coder, const char *argument,
                           kb_error *err)
{
    size_t n = coder ? strlen(coder) : 0;
    /* a memo's author is named as a coder is */
    const char *who =
        argument && !strcmp(argument, "author") ? "author" : "coder";
    int rc = 0;
    if (!n)
        rc = kbi_fail(err, KB_EINVAL, "no %s name%s%s%s", who,
                      argument ? " (give `" : "", argument ? argument : "",
                      argument ? "`)" : "");
    for (size_t i = 0; i < n && !rc; i++) {
        unsigned char c = (unsigned char)coder[i];
        if (c <= ' ' || c == ',' || c == 0x7F)
            rc = kbi_fail(err, KB_EINVAL,
                          "%s name '%s' has a space, comma or control "
                          "character",
                          who, coder);
    }
    if (!rc && n > 64)
        rc = kbi_fail(err, KB_EINVAL, "%s name longer than 64 bytes", who);
    if (rc && argument && err)
        snprintf(err->argument, sizeof err->argument, "%s", argument);
    return rc;
}

int kbi_manual_coder_known(sqlite3 *db, const char *coder, kb_error *err)
{
    sqlite3_stmt *st;
    int rc = kbi_store_prepare(db, &st,
                               "SELECT coder, coder = ?1 FROM (SELECT DISTINCT"
                               " coder FROM manual_codings) ORDER BY coder",
                               err);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, coder, -1, SQLITE_STATIC);
    char all[512] = "", near[80] = "";
    size_t best = 3; /* at most 2 edits away */
    int step, known = 0;
    while (!known && (step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *c = (const char *)sqlite3_column_text(st, 0);
        known = sqlite3_column_int(st, 1);
        kbi_name_list_add(all, sizeof all, c);
        size_t d = kbi_edit_distance(coder, c);
        if (d < best) {
            best = d;
            snprintf(near, sizeof near, "%.60s", c);
        }
    }
    if (!known && step != SQLITE_DONE)
        rc = kbi_store_fail(err, db, "looking up coders");
    else if (!known && near[0])
        rc = kbi_fail(err, KB_ENOENT,
                      "no coder '%s' in the project (did you mean '%s'?)",
                      coder, near);
    else if (!known)
        rc =
            kbi_fail(err, KB_ENOENT, "no coder '%s' in the project (%s%s)",
                     coder, all[0] ? "coders: " : "no manual codings yet", all);
    sqlite3_finalize(st);
    return rc;
}

/*
 * " (did you mean 'ID'?)" into near[160] for the node of the run's codebook
 * nearest to `code` by edit distance, as the codebook's unknown keys are
 * told: among its concepts, themes and dimensions (`among` "code"), its
 * facets ("facet") or the values of facet `parent` ("value"). When none is
 * near and `all` is not NULL, the ones there are: " (values: a, b)".
 */
static int nearest_code(sqlite3 *db, int64_t run, const char *among,
                        const char *parent, size_t parent_len, const char *code,
                        char near[160], const char *all, kb_error *err)
{
    sqlite3_stmt *st;
    int rc = kbi_store_prepare(
        db, &st,
        "SELECT code FROM run_codes WHERE run_id = ?1 AND CASE ?2 WHEN 'code'"
        " THEN kind IN ('concept', 'theme', 'dimension') WHEN 'facet' THEN"
        " kind = 'facet' ELSE kind = 'value' AND parent = ?3 END ORDER BY code",
        err);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, run);
    sqlite3_bind_text(st, 2, among, -1, SQLITE_STATIC);
    if (parent)
        sqlite3_bind_text(st, 3, parent, (int)parent_len, SQLITE_STATIC);
    size_t best = 4; /* at most 3 edits away */
    char list[120] = "";
    *near = '\0';
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *c = (const char *)sqlite3_column_text(st, 0);
        size_t d = kbi_edit_distance(code, c);
        kbi_name_list_add(list, sizeof list, c);
        if (d < best) {
            best = d;
            snprintf(near, 160, " (did you mean '%.100s'?)", c);
        }
    }
    sqlite3_finalize(st);
    if (!*near && all && *list)
        snprintf(near, 160, " (%s: %s)", all, list);
    return 0;
}

int kbi_manual_code_kind(sqlite3 *db, const char *code, char kind[16],
                         kb_error *err)
{
    int64_t run = kbi_runs_last(db, INT64_MAX);
    if (!run)
        return kbi_fail(err, KB_ENORUN,
                        "no codebook in the project yet: codes are checked "
                        "against the last run's");
    sqlite3_stmt *st;
    int rc = kbi_store_prepare(db, &st,
                               "SELECT kind FROM run_codes WHERE run_id = ? AND"
                               " code = ? AND kind IN ('concept', 'theme',"
                               " 'dimension')",
                               err);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, run);
    sqlite3_bind_text(st, 2, code, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        snprintf(kind, 16, "%s", (const char *)sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
        return 0;
    }
    sqlite3_finalize(st);
    char near[160] = "";
    if ((rc = nearest_code(db, run, "code", NULL, 0, code, near, NULL, err)))
        return rc;
    return kbi_fail(err, KB_ENOENT,
                    "no concept, theme or dimension '%s' in the codebook of "
                    "run %lld%s",
                    code, (long long)run, near);
}

int kbi_manual_facets_check(sqlite3 *db, const char *const *facets, size_t n,
                            kb_error *err)
{
    if (!n)
        return 0;
    sqlite3_stmt *st;
    int rc = kbi_store_prepare(db, &st,
                               "SELECT EXISTS (SELECT 1 FROM run_codes WHERE"
                               " run_id = ?1 AND kind = 'facet' AND code = ?2),"
                               " EXISTS (SELECT 1 FROM run_codes WHERE run_id ="
                               " ?1 AND kind = 'value' AND parent = ?2 AND code"
                               " = ?3)",
                               err);
    if (rc)
        return rc;
    int64_t run = kbi_runs_last(db, INT64_MAX);
    for (size_t i = 0; i < n && !rc; i++) {
        const char *eq = strchr(facets[i], '=');
        if (!eq || eq == facets[i] || !eq[1]) {
            rc = kbi_fail(err, KB_EINVAL, "facet '%s' is not FACET=VALUE",
                          facets[i]);
            break;
        }
        sqlite3_bind_int64(st, 1, run);
        sqlite3_bind_text(st, 2, facets[i], (int)(eq - facets[i]),
                          SQLITE_STATIC);
        sqlite3_bind_text(st, 3, eq + 1, -1, SQLITE_STATIC);
        int facet = 0, value = 0, len = (int)(eq - facets[i]);
        if (sqlite3_step(st) == SQLITE_ROW) {
            facet = sqlite3_column_int(st, 0);
            value = sqlite3_column_int(st, 1);
        } else {
            rc = kbi_store_fail(err, db, "checking facets");
        }
        sqlite3_reset(st);
        char near[160];
        if (!rc && !value) {
            char name[128];
            snprintf(name, sizeof name, "%.*s", len, facets[i]);
            rc = facet ? nearest_code(db, run, "value", facets[i], (size_t)len,
                                      eq + 1, near, "values", err)
                       : nearest_code(db, run, "facet", NULL, 0, name, near,
                                      "facets", err);
        }
        if (!rc && !facet)
            rc = kbi_fail(err, KB_ENOENT,
                          "no facet '%.*s' in the codebook of run %lld%s", len,
                          facets[i], (long long)run, near);
        else if (!rc && !value)
            rc = kbi_fail(err, KB_ENOENT, "facet '%.*s' has no value '%s'%s",
                          len, facets[i], eq + 1, near);
    }
    sqlite3_finalize(st);
    return rc;
}

int kbi_manual_insert(sqlite3 *db, const kbi_manual_row *r, int64_t *id,
                      kb_error *err)
{
    sqlite3_stmt *st;
    int rc = kbi_store_prepare(
        db, &st,
        "INSERT OR IGNORE INTO manual_codings(document_id, version_id, coder,"
        " kind, code, decision, start, \"end\", quote, before, after,"
        " segment_kind, segment_id, memo, featured) VALUES(?, ?, ?, ?, ?, ?, ?,"
        " ?, ?, ?, ?, ?, ?, ?, ?)",
        err);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, r->document_id);
    sqlite3_bind_int64(st, 2, r->version_id);
    sqlite3_bind_text(st, 3, r->coder, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, r->kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, r->code, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, r->decision, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 7, (int64_t)r->place.start);
    sqlite3_bind_int64(st, 8, (int64_t)r->place.end);
    sqlite3_bind_text(st, 9, r->anchor->quote, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 10, r->anchor->before, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 11, r->anchor->after, -1, SQLITE_STATIC);
    if (r->segment_kind) {
        sqlite3_bind_text(st, 12, kb_segment_kind_name(r->segment_kind), -1,
                          SQLITE_STATIC);
        sqlite3_bind_int64(st, 13, r->segment_id);
    }
    sqlite3_bind_text(st, 14, r->memo ? r->memo : "", -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 15, r->featured != 0);
    rc = sqlite3_step(st) == SQLITE_DONE
             ? 0
             : kbi_store_fail(err, db, "storing a manual coding");
    sqlite3_finalize(st);
    if (rc)
        return rc;
    if (!sqlite3_changes(db)) {
        char ex[256];
        kbi_anchor_excerpt(ex, r->anchor->quote, strlen(r->anchor->quote));
        return kbi_fail(err, KB_EEXIST,
                        "%s has coded '%s' on %zu:%zu already (\"%s\")",
                        r->coder, r->code, r->place.start, r->place.end, ex);
    }
    *id = sqlite3_last_insert_rowid(db);
    if ((rc = kbi_store_prepare(db, &st,
                                "INSERT OR IGNORE INTO manual_facets(coding_id,"
                                " facet, value) VALUES(?, ?, ?)",
                                err)))
        return rc;
    for (size_t i = 0; i < r->nfacets && !rc; i++) {
        const char *eq = strchr(r->facets[i], '=');
        sqlite3_bind_int64(st, 1, *id);
        sqlite3_bind_text(st, 2, r->facets[i], (int)(eq - r->facets[i]),
                          SQLITE_STATIC);
        sqlite3_bind_text(st, 3, eq + 1, -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = kbi_store_fail(err, db, "storing facets");
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    return rc;
}

int kbi_manual_current_version(sqlite3 *db, const char *doc, int64_t *doc_id,
                               int64_t *vid, kb_error *err)
{
    sqlite3_stmt *st;
    int rc =
        kbi_store_prepare(db, &st,
                          "SELECT d.id, v.id FROM documents d JOIN versions"
                          " v ON v.document_id = d.id AND v.version ="
                          " d.current_version WHERE d.name = ?",
                          err);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, doc, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        *doc_id = sqlite3_column_int64(st, 0);
        *vid = sqlite3_column_int64(st, 1);
    } else {
        rc = kbi_fail(err, KB_ENOENT, "no document '%s'", doc);
    }
    sqlite3_finalize(st);
    return rc;
}

int kb_tag_add(int64_t *id, kb_project *p, const char *doc, const char *code,
               const kb_where *at, const kb_tag_options *o, kb_error *err)
{
    kb_tag_options defaults = KB_TAG_OPTIONS_INIT;
    if (!o)
        o = &defaults;
    if (o->version != KB_TAG_OPTIONS_VERSION)
        return kbi_fail(err, KB_EINVAL, "tag options of an unknown version");
    int64_t doc_id = 0, vid = 0, new_id = 0;
    char kind[16];
    kb_document *d = NULL;
    kbi_anchor a = {0};
    kbi_place pl;
    int rc;
    if ((rc = kbi_manual_coder_check(o->coder, "coder", err)) ||
        (rc = kbi_document_load_kinds(&d, p, doc, 0, 0, err)) ||
        (rc = kbi_manual_code_kind(p->db, code, kind, err)) ||
        (rc = kbi_manual_facets_check(p->db, o->facets, o->nfacets, err)) ||
        (rc = kbi_place_find(&pl, d, at, err)))
        goto out;
    size_t len;
    const char *text = kb_document_text(d, &len);
    if ((rc = kbi_anchor_make(&a, text, len, &pl, err)) ||
        (rc = kbi_store_begin(p->db, err)))
        goto out;
    kbi_manual_row r = {.coder = o->coder,
                        .kind = kind,
                        .code = code,
                        .decision = "tag",
                        .memo = o->memo,
                        .place = pl,
                        .anchor = &a,
                        .facets = o->facets,
                        .nfacets = o->nfacets};
    if ((rc = kbi_manual_current_version(p->db, doc, &doc_id, &vid, err)) ==
        0) {
        r.document_id = doc_id;
        r.version_id = vid;
        rc = kbi_manual_insert(p->db, &r, &new_id, err);
    }
    if (!rc)
        rc = kbi_store_commit(p->db, err);
    if (rc)
        kbi_store_rollback(p->db);
    else if (id)
        *id = new_id;
out:
    kbi_anchor_clear(&a);
    kb_document_free(d);
    return rc;
}

int kb_passage_find(size_t *start, size_t *end, kb_project *p, const char *doc,
                    const kb_where *at, kb_error *err)
{
    kb_document *d = NULL;
    kbi_place pl;
    int rc = kbi_document_load_kinds(&d, p, doc, 0, 0, err);
    if (!rc && !(rc = kbi_place_find(&pl, d, at, err))) {
        *start = pl.start;
        *end = pl.end;
    }
    kb_document_free(d);
    return rc;
}

/* Deletes with a statement binding ?1.. as given; KB_ENOENT if no row. */
int kbi_manual_delete(kb_project *p, sqlite3_stmt *st, const char *what,
                      kb_error *err)
{
    int rc = kbi_store_begin(p->db, err), step, n = 0;
    if (rc)
        return rc;
    while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
        n++;
        const char *memo = (const char *)sqlite3_column_text(st, 1);
        size_t len = memo ? strlen(memo) : 0,
               line = memo ? strcspn(memo, "\r\n") : 0,
               shown = kbi_utf8_offset(memo, line, 60); /* one line */
        if (len)
            rc = kbi_fail(err, KB_EEXIST,
                          "manual coding %lld has a memo (\"%.*s%s\"): remove "
                          "the memo first, so that it is not lost with the "
                          "coding",
                          (long long)sqlite3_column_int64(st, 0), (int)shown,
                          memo, shown < len ? "…" : "");
    }
    if (!rc && step != SQLITE_DONE)
        rc = kbi_store_fail(err, p->db, "removing a manual coding");
    else if (!rc && !n)
        rc = kbi_fail(err, KB_ENOENT, "%s", what);
    sqlite3_reset(st);
    if (!rc)
        rc = kbi_store_commit(p->db, err);
    if (rc)
        kbi_store_rollback(p->db);
    return rc;
}

int kb_tag_remove(kb_project *p, const char *doc, const char *code,
                  const kb_where *at, const char *coder, kb_error *err)
{
    kb_document *d = NULL;
    kbi_place pl;
    int64_t doc_id, vid;
    char kind[16], what[512];
    int rc;
    if ((rc = kbi_manual_coder_check(coder, "coder", err)) ||
        (rc = kbi_document_load_kinds(&d, p, doc, 0, 0, err)) ||
        (rc = kbi_manual_coder_known(p->db, coder, err)) ||
        (rc = kbi_manual_code_kind(p->db, code, kind, err)) ||
        (rc = kbi_place_find(&pl, d, at, err)) ||
        (rc = kbi_manual_current_version(p->db, doc, &doc_id, &vid, err))) {
        kb_document_free(d);
        return rc;
    }
    kb_document_free(d);
    sqlite3_stmt *st;
    if ((rc =
             kbi_store_prepare(p->db, &st,
                               "DELETE FROM manual_codings WHERE version_id = ?"
                               " AND coder = ? AND code = ? AND start = ? AND"
                               " \"end\" = ? AND placed RETURNING id, memo",
                               err)))
        return rc;
    sqlite3_bind_int64(st, 1, vid);
    sqlite3_bind_text(st, 2, coder, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, code, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, (int64_t)pl.start);
    sqlite3_bind_int64(st, 5, (int64_t)pl.end);
    snprintf(what, sizeof what, "%s has no coding of '%s' on %zu:%zu of '%s'",
             coder, code, pl.start, pl.end, doc);
    rc = kbi_manual_delete(p, st, what, err);
    sqlite3_finalize(st);
    return rc;
}

int kb_tag_remove_id(kb_project *p, int64_t id, kb_error *err)
{
    sqlite3_stmt *st;
    int rc = kbi_store_prepare(
        p->db, &st,
        "DELETE FROM manual_codings WHERE id = ? RETURNING id, memo", err);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    char what[64];
    snprintf(what, sizeof what, "no manual coding %lld", (long long)id);
    rc = kbi_manual_delete(p, st, what, err);
    sqlite3_finalize(st);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* Re-anchoring                                                              */
/* ------------------------------------------------------------------------ */

int64_t kbi_manual_segment_at(kb_document *d, kb_segment_kind kind,
                              size_t start, size_t end, kb_error *err)
{
    if (kbi_document_need(d, kind, err))
        return -1;
    size_t n = kb_document_segment_count(d, kind), lo = 0, hi = n;
    while (lo < hi) { /* segments of a kind are in text order */
        size_t mid = lo + (hi - lo) / 2;
        if (kb_document_segment(d, kind, mid)->start < start)
            lo = mid + 1;
        else
            hi = mid;
    }
    const kb_segment *s = kb_document_segment(d, kind, lo);
    return s && s->start == start && s->end == end
               ? kbi_segment_id(kbi_document_first_segment(d),
                                kb_document_info(d), kind, lo)
               : 0;
}

/* Names a manual coding that could not be placed. */
static void report_unplaced(sqlite3_stmt *st, const char *name, int version,
                            kb_notice_fn notice, void *ctx)
{
    if (!notice)
        return;
    const char *quote = (const char *)sqlite3_column_text(st, 7);
    char ex[256], msg[900];
    kbi_anchor_excerpt(ex, quote, strlen(quote));
    snprintf(msg, sizeof msg,
             "%s v%d: %s's %s of '%s' (\"%s\", %lld:%lld in v%d) cannot be "
             "placed; kept aside (see `kb_project_tags`)",
             name, version, (const char *)sqlite3_column_text(st, 1),
             (const char *)sqlite3_column_text(st, 2),
             (const char *)sqlite3_column_text(st, 3), ex,
             (long long)sqlite3_column_int64(st, 5),
             (long long)sqlite3_column_int64(st, 6),
             sqlite3_column_int(st, 11));
    notice(ctx, msg);
}

int kbi_manual_reanchor(kb_project *p, int64_t doc_id, const char *name,
                        int version, kb_notice_fn notice, void *ctx,
                        kb_error *err)
{
    kb_document *d = NULL;
    sqlite3_stmt *st = NULL, *move = NULL, *aside = NULL;
    int rc;
    if ((rc = kbi_document_load_kinds(&d, p, name, version, 0, err)) ||
        (rc = kbi_store_prepare(
             p->db, &st,
             "SELECT m.id, m.coder, m.decision, m.code, m.segment_kind,"
             " m.start, m.\"end\", m.quote, m.before, m.after, n.id,"
             " v.version FROM manual_codings m JOIN versions v ON v.id ="
             " m.version_id JOIN versions n ON n.document_id = m.document_id"
             " AND n.version = ?2 WHERE m.document_id = ?1 AND m.version_id"
             " <> n.id ORDER BY m.placed DESC, m.id",
             err)) ||
        (rc = kbi_store_prepare(
             p->db, &move,
             "UPDATE OR IGNORE manual_codings SET version_id = ?, start = ?,"
             " \"end\" = ?, before = ?, after = ?, segment_id = ?, placed = 1"
             " WHERE id = ?",
             err)) ||
        (rc = kbi_store_prepare(
             p->db, &aside, "UPDATE manual_codings SET placed = 0 WHERE id = ?",
             err)))
        goto out;
    size_t len;
    const char *text = kb_document_text(d, &len);
    sqlite3_bind_int64(st, 1, doc_id);
    sqlite3_bind_int(st, 2, version);
    while (!rc && sqlite3_step(st) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        kbi_anchor a = {(char *)sqlite3_column_text(st, 7),
                        (char *)sqlite3_column_text(st, 8),
                        (char *)sqlite3_column_text(st, 9)};
        size_t hint =
            kbi_utf8_offset(text, len, (size_t)sqlite3_column_int64(st, 5));
        kbi_place pl;
        int placed = kbi_anchor_place(&pl, text, len, &a, hint);
        kb_segment_kind kind =
            kb_segment_kind_parse((const char *)sqlite3_column_text(st, 4));
        int64_t seg = 0;
        if (placed && kind &&
            (seg = kbi_manual_segment_at(d, kind, pl.start, pl.end, err)) <= 0)
            placed = 0; /* the quote is no longer a whole segment */
        if (seg < 0) {
            rc = err ? err->code : KB_EDB;
            break;
        }
        kbi_anchor ctx_new = {0};
        if (placed && (rc = kbi_anchor_make(&ctx_new, text, len, &pl, err)))
            break;
        if (placed) {
            sqlite3_bind_int64(move, 1, sqlite3_column_int64(st, 10));
            sqlite3_bind_int64(move, 2, (int64_t)pl.start);
            sqlite3_bind_int64(move, 3, (int64_t)pl.end);
            sqlite3_bind_text(move, 4, ctx_new.before, -1, SQLITE_STATIC);
            sqlite3_bind_text(move, 5, ctx_new.after, -1, SQLITE_STATIC);
            if (kind)
                sqlite3_bind_int64(move, 6, seg);
            else
                sqlite3_bind_null(move, 6);
            sqlite3_bind_int64(move, 7, id);
            if (sqlite3_step(move) != SQLITE_DONE)
                rc = kbi_store_fail(err, p->db, "re-anchoring");
            /* the same coding is there already: this one stays aside */
            placed = sqlite3_changes(p->db) > 0;
            sqlite3_reset(move);
        }
        kbi_anchor_clear(&ctx_new);
        if (!rc && !placed) {
            sqlite3_bind_int64(aside, 1, id);
            if (sqlite3_step(aside) != SQLITE_DONE)
                rc = kbi_store_fail(err, p->db, "re-anchoring");
            sqlite3_reset(aside);
            report_unplaced(st, name, version, notice, ctx);
        }
    }
out:
    sqlite3_finalize(st);
    sqlite3_finalize(move);
    sqlite3_finalize(aside);
    kb_document_free(d);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* Listing                                                                   */
/* ------------------------------------------------------------------------ */

struct kb_tag_list {
    kb_tag_info *v;
    size_t n, cap;
    kbi_pool strings;
};

int kb_project_tags(kb_tag_list **out, kb_project *p, const char *coder,
                    kb_error *err)
{
    *out = NULL;
    int rc;
    if (coder && (rc = kbi_manual_coder_known(p->db, coder, err)))
        return rc;
    kb_tag_list *l = calloc(1, sizeof *l);
    if (!l)
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    sqlite3_stmt *st;
    rc = kbi_store_prepare(
        p->db, &st,
        "SELECT m.id, d.name, v.version, v.hash, m.placed, m.coder, m.kind,"
        " m.code, m.decision, m.start, m.\"end\", m.quote, m.before, m.after,"
        " m.segment_kind, COALESCE((SELECT group_concat(f.facet || '=' ||"
        " f.value, ';') FROM (SELECT * FROM manual_facets WHERE coding_id ="
        " m.id ORDER BY facet, value) f), ''), m.memo, m.created_at,"
        " m.featured"
        " FROM manual_codings m JOIN documents d ON d.id = m.document_id"
        " JOIN versions v ON v.id = m.version_id"
        " WHERE ?1 IS NULL OR m.coder = ?1"
        " ORDER BY d.name, m.start, m.\"end\", m.coder, m.kind, m.code,"
        " m.decision, m.id",
        err);
    if (rc) {
        free(l);
        return rc;
    }
    if (coder)
        sqlite3_bind_text(st, 1, coder, -1, SQLITE_STATIC);
    int fail = 0;
    while (!fail && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (KBI_GROW(&l->v, &l->cap, l->n + 1)) {
            fail = 1;
            break;
        }
        kb_tag_info *t = &l->v[l->n++];
        t->id = sqlite3_column_int64(st, 0);
        t->document = kbi_store_keep(&l->strings, st, 1, &fail);
        t->version = sqlite3_column_int(st, 2);
        t->hash = kbi_store_keep(&l->strings, st, 3, &fail);
        t->placed = sqlite3_column_int(st, 4);
        t->coder = kbi_store_keep(&l->strings, st, 5, &fail);
        const char *kind = (const char *)sqlite3_column_text(st, 6);
        t->kind = !strcmp(kind, "concept") ? KB_CODE_CONCEPT
                  : !strcmp(kind, "theme") ? KB_CODE_THEME
                                           : KB_CODE_DIMENSION;
        t->code = kbi_store_keep(&l->strings, st, 7, &fail);
        const char *dec = (const char *)sqlite3_column_text(st, 8);
        t->decision = !strcmp(dec, "accept")   ? KB_DECISION_ACCEPT
                      : !strcmp(dec, "reject") ? KB_DECISION_REJECT
                                               : KB_DECISION_TAG;
        t->start = (size_t)sqlite3_column_int64(st, 9);
        t->end = (size_t)sqlite3_column_int64(st, 10);
        t->quote = kbi_store_keep(&l->strings, st, 11, &fail);
        t->before = kbi_store_keep(&l->strings, st, 12, &fail);
        t->after = kbi_store_keep(&l->strings, st, 13, &fail);
        t->segment =
            kb_segment_kind_parse((const char *)sqlite3_column_text(st, 14));
        t->facets = kbi_store_keep(&l->strings, st, 15, &fail);
        t->memo = kbi_store_keep(&l->strings, st, 16, &fail);
        t->created_at = kbi_store_keep(&l->strings, st, 17, &fail);
        t->featured = sqlite3_column_int(st, 18);
    }
    sqlite3_finalize(st);
    if (fail || rc != SQLITE_DONE) {
        kb_tag_list_free(l);
        return fail ? kbi_fail(err, KB_ENOMEM, "out of memory")
                    : kbi_store_fail(err, p->db, "listing manual codings");
    }
    *out = l;
    return 0;
}

size_t kb_tag_list_count(const kb_tag_list *l)
{
    return l ? l->n : 0;
}

const kb_tag_info *kb_tag_list_get(const kb_tag_list *l, size_t i)
{
    return l && i < l->n ? &l->v[i] : NULL;
}

void kb_tag_list_free(kb_tag_list *l)
{
    if (!l)
        return;
    kbi_pool_free(&l->strings);
    free(l->v);
    free(l);
}
