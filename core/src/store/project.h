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
    int readonly;           /* opened read-only (kbi_store_open) */
};

#endif
