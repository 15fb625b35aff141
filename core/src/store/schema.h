/*
 * schema.h: the project file's schema and migrations (schema.c). Opening a
 * project's connection brings the file to the current schema and makes the
 * codings tables (codings.h) known to it. May include: base/, store/store.h,
 * store/codings.h, store/segpack.h.
 */
#ifndef KBI_SCHEMA_H
#define KBI_SCHEMA_H

#include "kodbok.h"

#include <sqlite3.h>

/* Opens (create = 0) or creates (create = 1) a project database, brings
 * its schema to the current version and registers the codings tables.
 * *readonly = 1 when it could be opened only for reading (kbi_store_open).
 * The environment variable KODBOK_SYNC chooses how commits are synced
 * (kodbok.h, kb_project_open). */
int kbi_schema_open(sqlite3 **out, const char *path, int create, int *readonly,
                    kb_error *err);

#endif
