/*
 * rename.c: kb_document_rename. What refers to a document by its id (its
 * versions, their codings in every run, the manual codings) follows by
 * itself; what names it (memos on it, cases whose `document` it is) is
 * renamed with it; then documents and speakers are mapped to cases again.
 * One transaction.
 */
#include "ingest/rename.h"
#include "ingest/cases.h"
#include "base/error.h"
#include "store/project.h"
#include "store/store.h"

#include <string.h>

/* Runs `sql` with ?1 the new name and ?2 the old one; the rows changed in
 * *changed (may be NULL). */
static int rename_in(kb_project *p, const char *sql, const char *old_name,
                     const char *new_name, int *changed, kb_error *err)
{
    sqlite3_stmt *st;
    int rc = kbi_store_prepare(p->db, &st, sql, err);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, new_name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, old_name, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = kbi_store_fail(err, p->db, "renaming the document");
    else if (changed)
        *changed = sqlite3_changes(p->db);
    sqlite3_finalize(st);
    return rc;
}

/* 1 if a document is named `name`, 0 if none, or a KB_E* code. */
static int named(kb_project *p, const char *name, kb_error *err)
{
    sqlite3_stmt *st;
    int rc = kbi_store_prepare(p->db, &st,
                               "SELECT 1 FROM documents WHERE name = ?", err);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    int step = sqlite3_step(st);
    rc = step == SQLITE_ROW    ? 1
         : step == SQLITE_DONE ? 0
                               : kbi_store_fail(err, p->db, "reading names");
    sqlite3_finalize(st);
    return rc;
}

int kb_document_rename(kb_project *p, const char *old_name,
                       const char *new_name, kb_error *err)
{
    if (!old_name || !new_name)
        return kbi_fail(err, KB_EINVAL, "no document name given");
    kb_error e;
    int rc = kb_document_name_check(new_name, &e);
    if (rc)
        return kbi_fail_arg(err, rc, "new_name", "%s", e.message);
    if ((rc = kbi_store_begin(p->db, err)) != 0)
        return rc;
    int changed = 0;
    if ((rc = named(p, old_name, err)) < 0)
        goto rollback;
    if (!rc) {
        rc = kbi_fail(err, KB_ENOENT, "no document '%s'", old_name);
        goto rollback;
    }
    if (!strcmp(old_name, new_name)) {
        rc = 0;
        goto rollback; /* nothing to do */
    }
    if ((rc = named(p, new_name, err)) < 0)
        goto rollback;
    if (rc) {
        rc = kbi_fail(err, KB_EEXIST, "document '%s' exists already", new_name);
        goto rollback;
    }
    if ((rc = rename_in(p, "UPDATE documents SET name = ?1 WHERE name = ?2",
                        old_name, new_name, &changed, err)) ||
        (rc = rename_in(p,
                        "UPDATE memos SET name = ?1"
                        " WHERE target = 'document' AND name = ?2",
                        old_name, new_name, NULL, err)) ||
        (rc = rename_in(p, "UPDATE cases SET document = ?1 WHERE document = ?2",
                        old_name, new_name, NULL, err)) ||
        (rc = kbi_cases_resolve(p, err)) || (rc = kbi_store_commit(p->db, err)))
        goto rollback;
    return 0;
rollback:
    kbi_store_rollback(p->db);
    return rc;
}
