/*
 * store.c: a connection to the project file: SQLite failures turned into
 * kb_error, statements, the statement cache, the page cache, transactions,
 * and read-only connections for worker threads.
 */
#define _XOPEN_SOURCE 700 /* realpath (XSI) beside the build's POSIX 2008 */
#include "store/store.h"
#include "base/error.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void kbi_store_close(sqlite3 *db)
{
    sqlite3_stmt *st;
    while (db && (st = sqlite3_next_stmt(db, NULL)))
        sqlite3_finalize(st);
    sqlite3_close(db);
}

/* Can this process write `path` and make its -wal and -shm files beside it
 * (or write those that are there)? */
static int can_write(const char *path)
{
    if (access(path, R_OK | W_OK))
        return 0;
    char dir[PATH_MAX];
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if ((size_t)(slash - path) >= sizeof dir)
        return 0;
    else
        snprintf(dir, sizeof dir, "%.*s",
                 slash == path ? 1 : (int)(slash - path), path);
    if (!access(dir, W_OK))
        return 1;
    char side[PATH_MAX + 8];
    snprintf(side, sizeof side, "%s-wal", path);
    if (access(side, W_OK))
        return 0;
    snprintf(side, sizeof side, "%s-shm", path);
    return !access(side, W_OK);
}

/*
 * Does the connection read the file? The first read maps the -shm file,
 * and where it cannot be made (a folder that cannot be written, a full
 * disk) the read fails. 1 when it reads or the file is no database (the
 * caller tells that), 0 when reading failed.
 */
static int reads(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_schema", -1,
                                &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_NOTADB ||
           sqlite3_errcode(db) == SQLITE_NOTADB;
}

/* Opens `uri` read-only; 0, or the SQLite code. */
static int open_ro(sqlite3 **db, const char *uri, int flags)
{
    *db = NULL;
    int rc = sqlite3_open_v2(uri, db,
                             SQLITE_OPEN_READONLY | SQLITE_OPEN_URI |
                                 SQLITE_OPEN_NOMUTEX | flags,
                             NULL);
    if (rc == SQLITE_OK && reads(*db))
        return 0;
    if (rc == SQLITE_OK)
        rc = sqlite3_errcode(*db);
    sqlite3_close(*db);
    *db = NULL;
    return rc ? rc : SQLITE_CANTOPEN;
}

/*
 * A read-only connection to `path`: by a URI with mode=ro, which reads the
 * WAL as other connections leave it; where even that cannot read (no -shm
 * file and none can be made), with immutable=1, which reads the database
 * file alone, as a file on read-only media is.
 */
static int open_readonly(sqlite3 **db, const char *path)
{
    char real[PATH_MAX];
    if (!realpath(path, real))
        return SQLITE_CANTOPEN;
    /* "file:" and the path with the characters a URI gives a meaning to
     * escaped, then the query */
    char uri[3 * PATH_MAX + 32];
    size_t n = (size_t)snprintf(uri, sizeof uri, "file:");
    for (const char *c = real; *c; c++)
        n += (size_t)(strchr("?#%", *c)
                          ? snprintf(uri + n, sizeof uri - n, "%%%02X",
                                     (unsigned char)*c)
                          : snprintf(uri + n, sizeof uri - n, "%c", *c));
    snprintf(uri + n, sizeof uri - n, "?mode=ro");
    int rc = open_ro(db, uri, 0);
    if (rc) {
        snprintf(uri + n, sizeof uri - n, "?mode=ro&immutable=1");
        rc = open_ro(db, uri, 0);
    }
    return rc;
}

int kbi_store_open(sqlite3 **out, const char *path, int create, int *readonly)
{
    *out = NULL;
    *readonly = 0;
    sqlite3 *db = NULL;
    int rc;
    if (create || can_write(path)) {
        rc = sqlite3_open_v2(path, &db,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX |
                                 (create ? SQLITE_OPEN_CREATE : 0),
                             NULL);
        if (rc != SQLITE_OK || create ||
            (!sqlite3_db_readonly(db, "main") && reads(db))) {
            *out = db;
            return rc;
        }
        sqlite3_close(db);
    }
    /* it cannot be written, or a disk that is full makes no -shm file */
    if ((rc = open_readonly(&db, path)) == SQLITE_OK)
        *readonly = 1;
    *out = db;
    return rc;
}

int kbi_store_readonly(sqlite3 *db, kb_error *err)
{
    if (sqlite3_db_readonly(db, "main") != 1)
        return 0;
    const char *path = sqlite3_db_filename(db, "main");
    return kbi_fail_at(err, KB_EREADONLY, path ? path : "", 0, 0,
                       "the project can be read but not changed here (its "
                       "file or folder cannot be written, or the disk is "
                       "full)");
}

int kbi_store_open_reader(sqlite3 **out, const char *path, kb_error *err)
{
    *out = NULL;
    sqlite3 *db = NULL;
    if (open_readonly(&db, path) != SQLITE_OK)
        return kbi_fail_at(err, KB_EDB, path, 0, 0, "cannot open for reading");
    sqlite3_busy_timeout(db, 5000);
    /* Only in WAL mode do readers and the writer not wait for each other. */
    sqlite3_stmt *st = NULL;
    int wal = sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL) ==
                  SQLITE_OK &&
              sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) &&
              !strcmp((const char *)sqlite3_column_text(st, 0), "wal");
    sqlite3_finalize(st);
    int rc = wal ? kbi_store_cache(db, KBI_CACHE_READER_KIB, err)
                 : kbi_fail(err, KB_EINVAL, "not in WAL mode");
    if (!rc)
        rc = kbi_store_exec(db, "BEGIN", err);
    if (rc) {
        sqlite3_close(db);
        return rc;
    }
    *out = db;
    return 0;
}

/* The failure of a project waiting longer than its busy timeout. */
static int busy(kb_error *err)
{
    return kbi_fail(err, KB_EBUSY,
                    "the project is busy: another program is writing to it; "
                    "try again when it is done");
}

int kbi_store_fail(kb_error *err, sqlite3 *db, const char *what)
{
    if (db && (sqlite3_errcode(db) == SQLITE_BUSY ||
               sqlite3_errcode(db) == SQLITE_LOCKED))
        return busy(err);
    if (db && sqlite3_errcode(db) == SQLITE_READONLY &&
        kbi_store_readonly(db, err))
        return KB_EREADONLY;
    if (db && sqlite3_errcode(db) == SQLITE_NOMEM)
        return kbi_fail(err, KB_ENOMEM, "%s: out of memory", what);
    if (db && sqlite3_extended_errcode(db) == SQLITE_CONSTRAINT_COMMITHOOK)
        return kbi_fail(err, KB_EDB,
                        "%s: the transaction was lost to a failure before "
                        "(out of memory or a failed write); nothing was "
                        "stored",
                        what);
    return kbi_fail(err, KB_EDB, "%s: %s", what,
                    db ? sqlite3_errmsg(db) : "cannot open");
}

int kbi_store_finish(sqlite3_stmt *st, sqlite3 *db, const char *what,
                     kb_error *err)
{
    return sqlite3_finalize(st) == SQLITE_OK ? 0
                                             : kbi_store_fail(err, db, what);
}

int kbi_store_exec(sqlite3 *db, const char *sql, kb_error *err)
{
    char *msg = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
        sqlite3_free(msg);
        return busy(err);
    }
    if (rc == SQLITE_READONLY && kbi_store_readonly(db, err)) {
        sqlite3_free(msg);
        return KB_EREADONLY;
    }
    if (rc != SQLITE_OK) {
        rc = rc == SQLITE_NOMEM
                 ? kbi_fail(err, KB_ENOMEM, "project store: out of memory")
                 : kbi_fail(err, KB_EDB, "project store: %s",
                            msg ? msg : "error");
        sqlite3_free(msg);
        return rc;
    }
    return 0;
}

int kbi_store_prepare(sqlite3 *db, sqlite3_stmt **st, const char *sql,
                      kb_error *err)
{
    if (sqlite3_prepare_v2(db, sql, -1, st, NULL) != SQLITE_OK)
        return kbi_store_fail(err, db, "project store");
    return 0;
}

int kbi_store_cached(sqlite3 *db, kbi_stmt_cache *c, sqlite3_stmt **st,
                     const char *sql, kb_error *err)
{
    for (size_t i = 0; i < c->n; i++)
        if (!strcmp(sqlite3_sql(c->st[i]), sql)) {
            *st = c->st[i];
            return 0;
        }
    if (c->n == KBI_STMT_CACHE)
        return kbi_fail(err, KB_EINVAL, "statement cache full");
    int rc = kbi_store_prepare(db, st, sql, err);
    if (!rc)
        c->st[c->n++] = *st;
    return rc;
}

int kbi_store_cache(sqlite3 *db, int kib, kb_error *err)
{
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA cache_size = %d", -kib);
    return kbi_store_exec(db, sql, err);
}

/* The connection whose kbi_store_begin transaction is open on this thread,
 * and whether kbi_store_commit is ending it. */
static _Thread_local const sqlite3 *tx_open;
static _Thread_local int tx_ending;

int kbi_store_begin(sqlite3 *db, kb_error *err)
{
    int rc = kbi_store_readonly(db, err);
    if (!rc)
        rc = kbi_store_exec(db, "BEGIN IMMEDIATE", err);
    if (!rc)
        tx_open = db;
    return rc;
}

int kbi_store_commit(sqlite3 *db, kb_error *err)
{
    tx_ending = 1;
    int rc = kbi_store_exec(db, "COMMIT", err);
    tx_ending = 0;
    if (!rc && tx_open == db)
        tx_open = NULL;
    return rc;
}

void kbi_store_rollback(sqlite3 *db)
{
    if (tx_open == db)
        tx_open = NULL;
    /* ROLLBACK needs memory to be prepared: once more if it had none */
    for (int i = 0; i < 2 && !sqlite3_get_autocommit(db); i++)
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
}

int kbi_store_commit_refused(const sqlite3 *db)
{
    return tx_open == db && !tx_ending;
}

char *kbi_store_strdup(sqlite3_stmt *st, int i)
{
    const unsigned char *s = sqlite3_column_text(st, i);
    return s ? strdup((const char *)s) : NULL;
}

const char *kbi_store_keep(kbi_pool *pool, sqlite3_stmt *st, int i, int *fail)
{
    if (sqlite3_column_type(st, i) == SQLITE_NULL)
        return NULL;
    char *s = kbi_store_strdup(st, i);
    if (!s)
        *fail = 1;
    return kbi_pool_own(pool, s, fail);
}
