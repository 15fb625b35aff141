/*
 * project.c: opening, creating and closing projects.
 */
#include "store/project.h"
#include "base/error.h"
#include "store/schema.h"
#include "store/store.h"

#include <stdlib.h>
#include <string.h>

static int project_new(kb_project **out, const char *path, int create,
                       kb_error *err)
{
    *out = NULL;
    if (!path || !*path)
        return kbi_fail(err, KB_EINVAL, "no project path given");
    kb_project *p = calloc(1, sizeof *p);
    if (!p || !(p->path = strdup(path))) {
        free(p);
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    }
    int rc = kbi_schema_open(&p->db, path, create, &p->readonly, err);
    if (rc) {
        kb_project_free(p);
        return rc;
    }
    *out = p;
    return 0;
}

int kb_project_init(kb_project **out, const char *path, kb_error *err)
{
    return project_new(out, path, 1, err);
}

int kb_project_open(kb_project **out, const char *path, kb_error *err)
{
    return project_new(out, path, 0, err);
}

void kb_project_free(kb_project *p)
{
    if (!p)
        return;
    kbi_store_close(p->db);
    kbi_doc_buffers_free(p->spare);
    free(p->path);
    free(p);
}

int kb_project_readonly(const kb_project *p)
{
    return p->readonly;
}

int kb_project_busy_timeout(kb_project *p, int ms, kb_error *err)
{
    if (ms < 0)
        return kbi_fail_arg(err, KB_EINVAL, "ms",
                            "a busy timeout is 0 ms or more");
    sqlite3_busy_timeout(p->db, ms);
    return 0;
}

int kb_project_data_version(int64_t *out, kb_project *p, kb_error *err)
{
    sqlite3_stmt *st;
    int rc = kbi_store_prepare(p->db, &st, "PRAGMA data_version", err);
    if (rc)
        return rc;
    if (sqlite3_step(st) == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    else
        rc = kbi_store_fail(err, p->db, "reading the data version");
    sqlite3_finalize(st);
    return rc;
}
