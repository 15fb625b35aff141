/*
 * runs.c: the coding runs a project has had: the list of runs with what
 * each found (kb_project_runs), and the last run before another and
 * whether a run exists, which the diff and the counts ask.
 */
#include "store/runs.h"
#include "base/error.h"
#include "base/grow.h"
#include "store/project.h"
#include "store/store.h"

#include <stdlib.h>
#include <string.h>

int64_t kbi_runs_last(sqlite3 *db, int64_t before)
{
    sqlite3_stmt *st;
    int64_t id = 0;
    if (sqlite3_prepare_v2(db,
                           "SELECT COALESCE(MAX(id), 0) FROM runs WHERE id < ?",
                           -1, &st, NULL) != SQLITE_OK)
        return 0;
    sqlite3_bind_int64(st, 1, before);
    if (sqlite3_step(st) == SQLITE_ROW)
        id = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return id;
}

int kbi_runs_exists(kb_project *p, int64_t id)
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

int kbi_runs_codebook(kb_project *p, int64_t run, int64_t *id,
                      unsigned char **raw, size_t *len, char **path,
                      kb_error *err)
{
    *raw = NULL;
    *path = NULL;
    *len = 0;
    if (!run && !(run = kbi_runs_last(p->db, INT64_MAX)))
        return kbi_fail(err, KB_ENORUN, "no runs yet");
    sqlite3_stmt *st;
    int rc = kbi_store_prepare(
        p->db, &st, "SELECT codebook, codebook_path FROM runs WHERE id = ?",
        err);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, run);
    rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_finalize(st);
        return rc == SQLITE_DONE
                   ? kbi_fail(err, KB_ENOENT, "no run %lld", (long long)run)
                   : kbi_store_fail(err, p->db, "reading the run's codebook");
    }
    size_t n = (size_t)sqlite3_column_bytes(st, 0);
    const void *bytes = sqlite3_column_blob(st, 0);
    const char *at = (const char *)sqlite3_column_text(st, 1);
    *raw = malloc(n ? n : 1);
    *path = at ? strdup(at) : NULL;
    if (!*raw || (at && !*path)) {
        sqlite3_finalize(st);
        free(*raw);
        free(*path);
        *raw = NULL;
        *path = NULL;
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    }
    if (n)
        memcpy(*raw, bytes, n);
    *len = n;
    *id = run;
    sqlite3_finalize(st);
    return 0;
}

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
