/*
 * codings.h: automatic codings in the project file. They are stored packed
 * (table coding_packs, codepack.h). Readers see them through the read-only
 * virtual tables `codings` and `coding_facets`, whose columns are those of
 * the tables they replace (docs/schema.md), so queries keep their SQL; the
 * quote list (quotes/auto_quotes.c), which reads a million of them, decodes the
 * packs itself with kbi_cpack_decode. Runs (coding/) write coding_packs
 * through kbi_packw.
 */
#ifndef KBI_CODINGS_H
#define KBI_CODINGS_H

#include "store/codepack.h"

#include <sqlite3.h>

/* Makes `codings` and `coding_facets` known to a connection (eponymous
 * virtual tables: no schema entry). They keep prepared statements for
 * their next queries: close the connection with kbi_store_close. */
int kbi_codings_register(sqlite3 *db, kb_error *err);

/* The migration from rows (tables codings, coding_facets) to packs: packs
 * every (version, concept, from_run)'s rows; the caller drops the tables. */
int kbi_codings_pack_rows(sqlite3 *db, kb_error *err);

/* Writing packs. */
typedef struct kbi_packw {
    sqlite3 *db;
    sqlite3_stmt *ins, *upd, *del;
} kbi_packw;

int kbi_packw_prepare(kbi_packw *w, sqlite3 *db, kb_error *err);
/* A new pack of p's codings (at most KBI_CPACK_MAX; none: nothing). */
int kbi_packw_insert(kbi_packw *w, int64_t version, const char *concept,
                     int64_t from_run, const kbi_cpack *p, kb_error *err);
/* A new pack of codings encoded already (kbi_cpack_encode), every one of
 * them alive; *n: how many. */
int kbi_packw_insert_blob(kbi_packw *w, int64_t version, const char *concept,
                          int64_t from_run, const void *blob, size_t len,
                          size_t *n, kb_error *err);
/* Pack `id` rewritten with p's codings (the same ones, to_run or facets
 * changed; none: the pack goes). */
int kbi_packw_update(kbi_packw *w, int64_t id, const kbi_cpack *p,
                     kb_error *err);
void kbi_packw_free(kbi_packw *w);

#endif
