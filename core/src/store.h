/*
 * store.h: the project's SQLite file: opening, schema and forward
 * migrations, transactions, and turning SQLite failures into kb_error.
 * Ground floor: knows nothing of transcripts or codebooks beyond the schema.
 */
#ifndef KB_STORE_H
#define KB_STORE_H

#include "grow.h"
#include "kodbok.h"

#include <sqlite3.h>
#include <stdint.h>

/* Opens (create = 0) or creates (create = 1) a project database and brings
 * its schema to the current version. */
int kb_store_open(sqlite3 **out, const char *path, int create, kb_error *err);

/* Fills err with sqlite3_errmsg and returns KB_EDB. */
int kb_store_fail(kb_error *err, sqlite3 *db, const char *what);

int kb_store_exec(sqlite3 *db, const char *sql, kb_error *err);
int kb_store_prepare(sqlite3 *db, sqlite3_stmt **st, const char *sql,
                     kb_error *err);

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK. Rollback never fails visibly. */
int kb_store_begin(sqlite3 *db, kb_error *err);
int kb_store_commit(sqlite3 *db, kb_error *err);
void kb_store_rollback(sqlite3 *db);

/* Copies column i as a NUL-terminated string (NULL stays NULL). */
char *kb_store_strdup(sqlite3_stmt *st, int i);

/* Copies column i into `pool` and returns it (NULL stays NULL); sets
 * *fail when out of memory. */
const char *kb_store_keep(kb_pool *pool, sqlite3_stmt *st, int i, int *fail);

/* Rows per multi-row INSERT, and the most columns a batched row has. */
#define KB_BATCH          64
#define KB_BATCH_MAX_COLS 12

/* A value waiting to be bound: NULL, an integer, or text that stays alive
 * until the batch is flushed. */
typedef struct kb_cell {
    int64_t i;
    const char *s;
    int null;
} kb_cell;

/*
 * Rows of one INSERT gathered and written KB_BATCH at a time (one statement
 * of many VALUES), the rest one by one. Rows not yet flushed are invisible
 * to queries: flush before reading what they write.
 */
typedef struct kb_batch {
    sqlite3 *db;
    sqlite3_stmt *many, *one;
    int ncols, n;
    kb_cell rows[KB_BATCH * KB_BATCH_MAX_COLS];
} kb_batch;

/* `head` is "INSERT INTO t(a, b, ...)" with ncols columns. */
int kb_batch_prepare(kb_batch *b, sqlite3 *db, const char *head, int ncols,
                     kb_error *err);
int kb_batch_put(kb_batch *b, const kb_cell *row, kb_error *err);
int kb_batch_flush(kb_batch *b, kb_error *err);
void kb_batch_free(kb_batch *b);

#endif
