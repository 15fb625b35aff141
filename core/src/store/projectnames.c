/*
 * projectnames.c: the names a project holds of one kind (kb_project_names),
 * each one query over a table's names, for a shell's completion.
 */
#include "store/projectnames.h"
#include "base/error.h"
#include "store/project.h"
#include "store/store.h"

static const char *const QUERIES[] = {
    [KB_NAMES_DOCUMENTS] = "SELECT name FROM documents ORDER BY name",
    [KB_NAMES_CASES] = "SELECT name FROM cases ORDER BY name",
    [KB_NAMES_CODES] = "SELECT DISTINCT code FROM run_codes WHERE run_id ="
                       " (SELECT MAX(id) FROM runs) AND kind IN"
                       " ('dimension', 'theme', 'concept') ORDER BY code",
    [KB_NAMES_CODERS] = "SELECT coder FROM manual_codings UNION"
                        " SELECT coder FROM coder_tokens ORDER BY 1",
};

int kb_project_names(kb_project *p, kb_name_kind kind, kb_name_fn fn, void *ctx,
                     kb_error *err)
{
    if (kind < KB_NAMES_DOCUMENTS || kind > KB_NAMES_CODERS)
        return kbi_fail_arg(err, KB_EINVAL, "kind", "unknown kind of name %d",
                            (int)kind);
    sqlite3_stmt *st;
    int rc = kbi_store_prepare(p->db, &st, QUERIES[kind], err);
    if (rc)
        return rc;
    while (!rc && sqlite3_step(st) == SQLITE_ROW)
        rc = fn(ctx, (const char *)sqlite3_column_text(st, 0));
    if (rc) {
        sqlite3_finalize(st);
        return rc;
    }
    return kbi_store_finish(st, p->db, "listing names", err);
}
