/*
 * store.h: a connection to the project's SQLite file: statements and their
 * cache, the page cache, transactions, read-only connections for workers,
 * and SQLite failures turned into kb_error. Knows no table: the schema and
 * its migrations are schema.c's. May include: base/.
 */
#ifndef KBI_STORE_H
#define KBI_STORE_H

#include "base/grow.h"
#include "kodbok.h"

#include <sqlite3.h>
#include <stdint.h>

/*
 * Opens the project file at `path` (creates it with create = 1): for
 * reading and writing where this process can write the file and the -wal
 * and -shm files beside it, else read-only, *readonly = 1. A connection
 * that could be opened for writing but cannot read (a full disk leaves no
 * room for the -shm file) is opened read-only too. Read-only is a URI with
 * mode=ro, or where even that cannot read, immutable=1 (the database file
 * alone, as on read-only media). Returns SQLite's code; *out may be set
 * on failure, for sqlite3_errmsg, and is closed by the caller.
 */
int kbi_store_open(sqlite3 **out, const char *path, int create, int *readonly);

/* KB_EREADONLY with a message saying so when db was opened read-only, else
 * 0. Every write transaction (kbi_store_begin) asks first. */
int kbi_store_readonly(sqlite3 *db, kb_error *err);

/*
 * A second connection to an open project, read-only, for a worker thread
 * that reads texts while the project's own connection writes: it sees the
 * project as last committed, and starts a read transaction on its first
 * read that lasts until kbi_store_close. Its page cache is small
 * (KBI_CACHE_READER_KIB): it reads texts straight through. KB_EINVAL for a
 * project not in WAL mode (kodbok creates them in it), where reader and
 * writer would wait for each other.
 */
#define KBI_CACHE_READER_KIB 256
int kbi_store_open_reader(sqlite3 **out, const char *path, kb_error *err);

/* Finalizes the statements the connection still has (those the codings
 * tables keep for their next queries) and closes it. NULL is fine. */
void kbi_store_close(sqlite3 *db);

/* Fills err with sqlite3_errmsg and returns KB_EDB; KB_EBUSY when the
 * connection waited for another's write lock longer than its timeout,
 * KB_EREADONLY when it was opened read-only. */
int kbi_store_fail(kb_error *err, sqlite3 *db, const char *what);

int kbi_store_exec(sqlite3 *db, const char *sql, kb_error *err);

/* Finalizes st after a loop over its rows that stops at the first step
 * not giving a row: 0 when that was the end of the rows, else the
 * failure of that step (out of memory, I/O), as kbi_store_fail gives it,
 * so that a failed read is never taken for fewer rows. */
int kbi_store_finish(sqlite3_stmt *st, sqlite3 *db, const char *what,
                     kb_error *err);
int kbi_store_prepare(sqlite3 *db, sqlite3_stmt **st, const char *sql,
                      kb_error *err);

/*
 * Statements a loop runs once per document, prepared once: parsing their
 * SQL again for every document of a re-run cost as much as loading the
 * codebook. Found by their SQL text.
 */
#define KBI_STMT_CACHE 8
typedef struct kbi_stmt_cache {
    sqlite3_stmt *st[KBI_STMT_CACHE];
    size_t n;
} kbi_stmt_cache;

/*
 * *st = the statement of `sql` in cache c, prepared on first use. The
 * caller resets it after use (sqlite3_reset, sqlite3_clear_bindings), and
 * never finalizes it: kbi_store_close does. KB_EINVAL when the cache is
 * full (more statements than KBI_STMT_CACHE ask for one).
 */
int kbi_store_cached(sqlite3 *db, kbi_stmt_cache *c, sqlite3_stmt **st,
                     const char *sql, kb_error *err);

/*
 * The page cache, in KiB. Small by default: most work reads texts one
 * after another, which a large cache does not speed up but fills with
 * fresh pages to fault in, so that a run reads more slowly with a large
 * one. An import writes every text in one transaction and keeps
 * its dirty pages in a large one while it lasts.
 */
#define KBI_CACHE_KIB       2048
#define KBI_CACHE_WRITE_KIB 32768
int kbi_store_cache(sqlite3 *db, int kib, kb_error *err);

/* BEGIN IMMEDIATE (KB_EREADONLY on a read-only connection) / COMMIT /
 * ROLLBACK. Rollback never fails visibly. */
int kbi_store_begin(sqlite3 *db, kb_error *err);
int kbi_store_commit(sqlite3 *db, kb_error *err);
void kbi_store_rollback(sqlite3 *db);

/*
 * Whether a commit now would be one kbi_store_commit does not make: SQLite
 * rolls a transaction back by itself when a statement in it runs out of
 * memory (or of disk, or fails to write), and the statements after it
 * would then each commit on their own, storing half of the work. The
 * project's connection refuses such commits (its commit hook, schema.c):
 * those statements fail instead (SQLITE_CONSTRAINT_COMMITHOOK, which
 * kbi_store_fail words as the transaction lost).
 */
int kbi_store_commit_refused(const sqlite3 *db);

/* Copies column i as a NUL-terminated string (NULL stays NULL). */
char *kbi_store_strdup(sqlite3_stmt *st, int i);

/* Copies column i into `pool` and returns it (NULL stays NULL); sets
 * *fail when out of memory. */
const char *kbi_store_keep(kbi_pool *pool, sqlite3_stmt *st, int i, int *fail);

#endif
