/*
 * project.h: the kb_project object (project.c opens and frees it): the
 * connection, its statement cache and the spare document buffers. Every
 * module that works on an open project includes it. May include: base/,
 * store/store.h, store/docbuf.h.
 */
#ifndef KBI_PROJECT_H
#define KBI_PROJECT_H

#include "kodbok.h"
#include "store/docbuf.h"
#include "store/store.h"

#include <sqlite3.h>

struct kb_project {
    sqlite3 *db;
    char *path;
    kbi_doc_buffers *spare; /* of recycled documents (kbi_document_recycle) */
    kbi_stmt_cache stmts;   /* finalized by kbi_store_close */
};

/*
 * The moved and kept quotes from run a to a later run b, as
 * kb_project_diff finds them, reading only the lost quotes and the gained
 * quotes of the documents that lost some (a run's summary).
 */
int kbi_diff_tally(kb_project *p, int64_t a, int64_t b, size_t *moved,
                   size_t *kept, kb_error *err);

#endif
