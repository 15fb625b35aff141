/*
 * changes.c: comparing the codebook with the previous run's, renames, the
 * run's snapshot of its codebook, and closing what was removed.
 */
#include "coding/changes.h"
#include "base/error.h"
#include "base/hash.h"
#include "codebook/codebook.h"
#include "coding/packs.h"

#include <stdlib.h>
#include <string.h>

/*
 * A hash of what facet values fall back on: every case attribute, and the
 * case of every speaker of a current version. Kept with each run (as the
 * run_codes row kind 'cases'), so that a re-loaded cases CSV or a new
 * mapping sets the facets of alive codings again.
 */
static int cases_hash(kbi_run_ctx *c, char hex[65])
{
    static const char *const sql[] = {
        "SELECT c.name || '\x1f' || a.name || '\x1f' || a.value FROM cases c"
        " JOIN case_attributes a ON a.case_id = c.id ORDER BY c.name, a.name",
        "SELECT s.id || '\x1f' || COALESCE(c.name, '') FROM speakers s JOIN"
        " versions v ON v.id = s.version_id JOIN documents d ON d.id ="
        " v.document_id AND d.current_version = v.version LEFT JOIN cases c"
        " ON c.id = s.case_id ORDER BY s.id",
        "SELECT d.name || '\x1f' || COALESCE(c.name, '') FROM documents d"
        " LEFT JOIN cases c ON c.id = d.case_id ORDER BY d.name",
    };
    kbi_sha256 h;
    kbi_sha256_init(&h);
    for (size_t q = 0; q < sizeof sql / sizeof sql[0]; q++) {
        sqlite3_stmt *st;
        int rc = kbi_store_prepare(c->p->db, &st, sql[q], c->err);
        if (rc)
            return rc;
        while (sqlite3_step(st) == SQLITE_ROW) {
            const unsigned char *t = sqlite3_column_text(st, 0);
            kbi_sha256_update(&h, t ? (const char *)t : "",
                              t ? strlen((const char *)t) + 1 : 1);
        }
        sqlite3_finalize(st);
        kbi_sha256_update(&h, "\x1e", 1);
    }
    kbi_sha256_hex(&h, hex);
    return 0;
}

/*
 * Moves the alive codings of concept `was` to `id` (none after the run that
 * renamed it) and sets *compare_as to `was`, whose rules hash the previous
 * run has if it is the run before the rename.
 */
static int rename_concept(kbi_run_ctx *c, const char *was, const char *id,
                          const char **compare_as)
{
    *compare_as = was;
    if (c->matching) /* compared as `was`, moved when the run stores */
        return 0;
    size_t n;
    int rc =
        kbi_packs_read(c,
                       "SELECT id, version_id, from_run, concept, codings"
                       " FROM coding_packs WHERE concept = ?3 AND to_run IS"
                       " NULL",
                       0, 0, was, &n);
    for (size_t k = 0; k < n && !rc; k++) {
        /* the alive codings move to a pack of the new id; the others stay
         * with the old one, as they were */
        kbi_old_pack *o = &c->old[k];
        kbi_cpack *moved = &c->fresh, *kept = &c->old[n].p;
        kbi_cpack_reset(moved);
        kbi_cpack_reset(kept);
        for (size_t i = 0; i < o->p.n && !rc; i++)
            rc = kbi_packs_copy(c, o->p.v[i].to_run ? kept : moved, &o->p, i);
        if (!rc)
            rc = kbi_packw_insert(&c->w, o->version, id, o->from_run, moved,
                                  c->err);
        if (!rc)
            rc = kbi_packw_update(&c->w, o->id, kept, c->err);
    }
    *compare_as = was;
    return rc;
}

int kbi_changes_rename_manual(kbi_run_ctx *c)
{
    const kb_codebook *cb = c->cb;
    sqlite3_stmt *st = NULL, *memos = NULL;
    int rc = kbi_store_prepare(c->p->db, &st,
                               "UPDATE OR IGNORE manual_codings SET code = ?1"
                               " WHERE kind = ?3 AND code = ?2",
                               c->err);
    if (!rc)
        rc = kbi_store_prepare(c->p->db, &memos,
                               "UPDATE OR IGNORE memos SET name = ?1"
                               " WHERE target = ?3 AND name = ?2",
                               c->err);
    for (size_t i = 0; !rc && i < cb->n; i++) {
        const kb_code_info *ci = &cb->nodes[i].info;
        if (!ci->was ||
            (ci->kind != KB_CODE_CONCEPT && ci->kind != KB_CODE_THEME &&
             ci->kind != KB_CODE_DIMENSION) ||
            kb_codebook_find(cb, ci->kind, ci->was) != KB_NO_INDEX)
            continue;
        for (int k = 0; k < 2 && !rc; k++) { /* codings, then memos */
            sqlite3_stmt *s = k ? memos : st;
            sqlite3_bind_text(s, 1, ci->id, -1, SQLITE_STATIC);
            sqlite3_bind_text(s, 2, ci->was, -1, SQLITE_STATIC);
            sqlite3_bind_text(s, 3, kb_code_kind_name(ci->kind), -1,
                              SQLITE_STATIC);
            if (sqlite3_step(s) != SQLITE_DONE)
                rc = kbi_store_fail(c->err, c->p->db,
                                    k ? "renaming memos"
                                      : "renaming manual codings");
            sqlite3_reset(s);
        }
    }
    if (st)
        sqlite3_finalize(st);
    if (memos)
        sqlite3_finalize(memos);
    return rc;
}

int kbi_changes_compare(kbi_run_ctx *c)
{
    const kb_codebook *cb = c->cb;
    c->changed = calloc(cb->n ? cb->n : 1, 1);
    if (!c->changed)
        return kbi_fail(c->err, KB_ENOMEM, "out of memory");
    sqlite3_stmt *st;
    int rc = kbi_store_prepare(c->p->db, &st,
                               "SELECT rules_hash FROM run_codes WHERE run_id ="
                               " ?1 AND kind = ?2 AND code = ?3",
                               c->err);
    if (rc)
        return rc;
    for (size_t i = 0; i < cb->n; i++) {
        const kb_code_info *ci = &cb->nodes[i].info;
        if (ci->kind != KB_CODE_CONCEPT && ci->kind != KB_CODE_VALUE &&
            ci->kind != KB_CODE_FACET)
            continue;
        /* A concept renamed with `was: old-id` is compared with, and takes
         * over the codings of, its old id when that is gone. */
        const char *id = ci->id;
        if (ci->kind == KB_CODE_CONCEPT && ci->was &&
            kb_codebook_find(cb, KB_CODE_CONCEPT, ci->was) == KB_NO_INDEX &&
            (rc = rename_concept(c, ci->was, ci->id, &id)))
            break;
        sqlite3_bind_int64(st, 1, c->prev);
        sqlite3_bind_text(st, 2, kb_code_kind_name(ci->kind), -1,
                          SQLITE_STATIC);
        sqlite3_bind_text(st, 3, id, -1, SQLITE_STATIC);
        const char *want =
            ci->kind == KB_CODE_FACET ? ci->attribute : ci->rules_hash;
        int found = sqlite3_step(st) == SQLITE_ROW;
        if (!found && id != ci->id) {
            /* renamed in an earlier run: the previous run knew the new id */
            sqlite3_reset(st);
            sqlite3_bind_text(st, 3, ci->id, -1, SQLITE_STATIC);
            found = sqlite3_step(st) == SQLITE_ROW;
        }
        int same = found &&
                   ((sqlite3_column_type(st, 0) == SQLITE_NULL && !want) ||
                    (want && sqlite3_column_text(st, 0) &&
                     !strcmp((const char *)sqlite3_column_text(st, 0), want)));
        sqlite3_reset(st);
        if (ci->kind == KB_CODE_CONCEPT) {
            c->changed[i] = !same;
            c->sum->concepts_new += !found;
        } else if (!same)
            c->facets_changed = 1;
    }
    sqlite3_finalize(st);
    if (rc)
        return rc;
    /* Changed cases or mappings change the facets that fall back on them. */
    if ((rc = cases_hash(c, c->cases_hash)))
        return rc;
    if ((rc =
             kbi_store_prepare(c->p->db, &st,
                               "SELECT rules_hash FROM run_codes WHERE run_id ="
                               " ? AND kind = 'cases'",
                               c->err)))
        return rc;
    sqlite3_bind_int64(st, 1, c->prev);
    if (sqlite3_step(st) != SQLITE_ROW ||
        strcmp((const char *)sqlite3_column_text(st, 0), c->cases_hash))
        c->facets_changed = 1;
    sqlite3_finalize(st);
    /* A facet or value that is gone also changes the facets. */
    if (c->prev && !c->facets_changed) {
        if ((rc =
                 kbi_store_prepare(c->p->db, &st,
                                   "SELECT kind, code FROM run_codes WHERE"
                                   " run_id = ? AND kind IN ('facet', 'value')",
                                   c->err)))
            return rc;
        sqlite3_bind_int64(st, 1, c->prev);
        while (sqlite3_step(st) == SQLITE_ROW) {
            const char *kind = (const char *)sqlite3_column_text(st, 0);
            const char *code = (const char *)sqlite3_column_text(st, 1);
            if (kb_codebook_find(
                    cb, !strcmp(kind, "facet") ? KB_CODE_FACET : KB_CODE_VALUE,
                    code) == KB_NO_INDEX)
                c->facets_changed = 1;
        }
        sqlite3_finalize(st);
    }
    return 0;
}

int kbi_changes_snapshot(kbi_run_ctx *c)
{
    sqlite3_stmt *st;
    int rc = kbi_store_prepare(
        c->p->db, &st,
        "INSERT INTO run_codes(run_id, ord, kind, code, parent, label,"
        " rules_hash) VALUES(?, ?, ?, ?, ?, ?, ?)",
        c->err);
    if (rc)
        return rc;
    for (size_t i = 0; i < c->cb->n && !rc; i++) {
        const kb_code_info *ci = &c->cb->nodes[i].info;
        sqlite3_bind_int64(st, 1, c->run);
        sqlite3_bind_int64(st, 2, (int64_t)i);
        sqlite3_bind_text(st, 3, kb_code_kind_name(ci->kind), -1,
                          SQLITE_STATIC);
        sqlite3_bind_text(st, 4, ci->id, -1, SQLITE_STATIC);
        if (ci->parent != KB_NO_INDEX)
            sqlite3_bind_text(st, 5, c->cb->nodes[ci->parent].info.id, -1,
                              SQLITE_STATIC);
        sqlite3_bind_text(st, 6, ci->label, -1, SQLITE_STATIC);
        /* a facet records its attribute, so a new attribute is a change */
        sqlite3_bind_text(
            st, 7, ci->kind == KB_CODE_FACET ? ci->attribute : ci->rules_hash,
            -1, SQLITE_STATIC);
        rc = kbi_run_step(c, st);
    }
    if (!rc) {
        sqlite3_bind_int64(st, 1, c->run);
        sqlite3_bind_int64(st, 2, (int64_t)c->cb->n);
        sqlite3_bind_text(st, 3, "cases", -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, "*", -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 6, "cases and mappings", -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 7, c->cases_hash, -1, SQLITE_STATIC);
        rc = kbi_run_step(c, st);
    }
    sqlite3_finalize(st);
    return rc;
}

int kbi_changes_close_removed(kbi_run_ctx *c)
{
    sqlite3_stmt *st;
    int rc = kbi_store_prepare(
        c->p->db, &st,
        "SELECT EXISTS (SELECT code FROM run_codes WHERE run_id = ?1 AND"
        " kind = 'concept' EXCEPT SELECT code FROM run_codes WHERE run_id ="
        " ?2 AND kind = 'concept')",
        c->err);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, c->prev);
    sqlite3_bind_int64(st, 2, c->run);
    int removed = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    /* Looked at only when a concept went: it reads every alive pack. */
    if (removed && (rc = kbi_packs_close(
                        c, "SELECT id, version_id, from_run, concept,"
                           " codings FROM coding_packs WHERE to_run IS NULL"
                           " AND concept IN (SELECT code FROM run_codes"
                           " WHERE run_id = ?1 AND kind = 'concept' EXCEPT"
                           " SELECT code FROM run_codes WHERE run_id = ?2"
                           " AND kind = 'concept')")))
        return rc;
    return kbi_packs_close(c,
                           "SELECT id, version_id, from_run, concept, codings"
                           " FROM coding_packs WHERE to_run IS NULL AND"
                           " version_id IN (SELECT v.id FROM versions v JOIN"
                           " documents d ON d.id = v.document_id AND"
                           " v.version <> d.current_version)");
}
