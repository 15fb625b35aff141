/*
 * codings.h: automatic codings in the project file. They are stored packed
 * (table coding_packs, codepack.h). Readers see them through the read-only
 * virtual tables `codings` and `coding_facets`, whose columns are those of
 * the tables they replace (docs/schema.md), so queries keep their SQL; the
 * quote list (aggregate.c), which reads a million of them, decodes the packs
 * itself with kb_cpack_decode. Runs (run.c) write coding_packs through
 * kb_packw.
 */
#ifndef KB_CODINGS_H
#define KB_CODINGS_H

#include "store/codepack.h"

#include <sqlite3.h>

/* Makes `codings` and `coding_facets` known to a connection (eponymous
 * virtual tables: no schema entry). They keep prepared statements for
 * their next queries: close the connection with kb_store_close. */
int kb_codings_register(sqlite3 *db, kb_error *err);

/* The migration from rows (tables codings, coding_facets) to packs: packs
 * every (version, concept, from_run)'s rows; the caller drops the tables. */
int kb_codings_pack_rows(sqlite3 *db, kb_error *err);

/* Writing packs. */
typedef struct kb_packw {
    sqlite3 *db;
    sqlite3_stmt *ins, *upd, *del;
} kb_packw;

int kb_packw_prepare(kb_packw *w, sqlite3 *db, kb_error *err);
/* A new pack of p's codings (at most KB_CPACK_MAX; none: nothing). */
int kb_packw_insert(kb_packw *w, int64_t version, const char *concept,
                    int64_t from_run, const kb_cpack *p, kb_error *err);
/* Pack `id` rewritten with p's codings (the same ones, to_run or facets
 * changed; none: the pack goes). */
int kb_packw_update(kb_packw *w, int64_t id, const kb_cpack *p, kb_error *err);
void kb_packw_free(kb_packw *w);

#endif
