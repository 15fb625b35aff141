/*
 * remove.c: removing a document with everything that hangs on it: its
 * versions (texts, segment packs, speakers, header blocks cascade with
 * them), the coding packs and run coverage of those versions, and its
 * manual codings, saved first to a tags file when there are any. One
 * transaction: the document is either wholly there or wholly gone.
 */
#include "manual/remove.h"
#include "base/error.h"
#include "base/file.h"
#include "store/project.h"
#include "store/store.h"
#include "manual/tagfile.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* Writes the document's placed manual codings to a new file `path`. */
static int save_tags(kb_project *p, const char *name, const char *path,
                     size_t *saved, kb_error *err)
{
    struct stat st;
    if (stat(path, &st) == 0)
        return kbi_fail_at(err, KB_EEXIST, path, 0, 0,
                           "exists already; the tags file must be a new one");
    kbi_out out;
    int rc = kbi_out_open(&out, path, err);
    if (rc)
        return rc;
    rc = kbi_tagfile_write(p, NULL, name, out.f, saved, err);
    int end = kbi_out_end(&out, !rc, err);
    return rc ? rc : end;
}

/* Runs one statement with the document's id bound to ?1. */
static int exec_doc(kb_project *p, const char *sql, sqlite3_int64 id,
                    kb_error *err)
{
    sqlite3_stmt *st;
    int rc = kbi_store_prepare(p->db, &st, sql, err);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = kbi_store_fail(err, p->db, "removing the document");
    sqlite3_finalize(st);
    return rc;
}

int kb_document_remove(kb_project *p, const char *name, const char *tags_path,
                       kb_doc_removal *out, kb_error *err)
{
    kb_doc_removal r = {0};
    sqlite3_stmt *st;
    int rc = kbi_store_begin(p->db, err);
    if (rc)
        return rc;
    if ((rc = kbi_store_prepare(
             p->db, &st,
             "SELECT d.id, (SELECT COUNT(*) FROM versions WHERE document_id ="
             " d.id), (SELECT COUNT(*) FROM manual_codings WHERE document_id"
             " = d.id), (SELECT COUNT(*) FROM manual_codings WHERE"
             " document_id = d.id AND NOT placed) FROM documents d"
             " WHERE d.name = ?",
             err)) != 0)
        goto rollback;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_int64 id = 0;
    if (sqlite3_step(st) == SQLITE_ROW) {
        id = sqlite3_column_int64(st, 0);
        r.versions = sqlite3_column_int(st, 1);
        r.manual = (size_t)sqlite3_column_int64(st, 2);
        r.aside = (size_t)sqlite3_column_int64(st, 3);
    }
    sqlite3_finalize(st);
    if (!id) {
        rc = kbi_fail(err, KB_ENOENT, "no document '%s'", name);
        goto rollback;
    }
    if (r.manual && !tags_path) {
        rc = kbi_fail(err, KB_EEXIST,
                      "document '%s' has %zu manual coding%s (tags or review "
                      "decisions), which removing it would lose",
                      name, r.manual, r.manual == 1 ? "" : "s");
        goto rollback;
    }
    if (r.manual && (rc = save_tags(p, name, tags_path, &r.saved, err)) != 0)
        goto rollback;
    static const char *const steps[] = {
        "DELETE FROM manual_codings WHERE document_id = ?1",
        "DELETE FROM coding_packs WHERE version_id IN (SELECT id FROM"
        " versions WHERE document_id = ?1)",
        "DELETE FROM run_versions WHERE version_id IN (SELECT id FROM"
        " versions WHERE document_id = ?1)",
        "DELETE FROM documents WHERE id = ?1",
    };
    for (size_t i = 0; i < sizeof steps / sizeof steps[0] && !rc; i++)
        rc = exec_doc(p, steps[i], id, err);
    if (!rc)
        rc = kbi_store_commit(p->db, err);
    if (!rc) {
        if (out)
            *out = r;
        return 0;
    }
    if (r.manual)
        remove(tags_path);
rollback:
    kbi_store_rollback(p->db);
    return rc;
}
