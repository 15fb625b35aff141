/*
 * schema.c: the project file's schema and its forward migrations, and
 * opening a project's connection at the current schema.
 *
 * The schema version is PRAGMA user_version; MIGRATIONS[k] takes a project
 * from version k to k + 1 and all pending steps run in one transaction, so a
 * project is always at some whole version. application_id marks the file as
 * kodbok's. Foreign keys are on for every connection; the journal is WAL.
 * The schema is described in docs/schema.md: keep the two in step.
 */
#include "store/schema.h"
#include "base/error.h"
#include "base/killpoint.h"
#include "store/codings.h"
#include "store/segpack.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define KBI_APPLICATION_ID 0x6B6F6462 /* "kodb" */

static int pack_segments(sqlite3 *db, kb_error *err);
static int pack_codings(sqlite3 *db, kb_error *err);
static int repack_segments(sqlite3 *db, kb_error *err);
static int count_alive(sqlite3 *db, kb_error *err);

/* A step's SQL runs first, then its C conversion if it has one. */
static const struct migration {
    const char *sql;
    int (*convert)(sqlite3 *db, kb_error *err);
} MIGRATIONS[] = {
    /* 0 -> 1: documents, versions, speakers, segments, cases. */
    {"CREATE TABLE cases("
     "  id INTEGER PRIMARY KEY,"
     "  name TEXT NOT NULL UNIQUE,"
     "  document TEXT,"
     "  speaker TEXT,"
     "  ord INTEGER NOT NULL);"
     "CREATE TABLE case_attributes("
     "  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
     "  name TEXT NOT NULL,"
     "  value TEXT NOT NULL,"
     "  ord INTEGER NOT NULL,"
     "  PRIMARY KEY(case_id, name)) WITHOUT ROWID;"
     "CREATE TABLE documents("
     "  id INTEGER PRIMARY KEY,"
     "  name TEXT NOT NULL UNIQUE,"
     "  assigned_case_id INTEGER REFERENCES cases(id),"
     "  case_id INTEGER REFERENCES cases(id),"
     "  current_version INTEGER NOT NULL,"
     "  changed INTEGER NOT NULL DEFAULT 0);"
     "CREATE TABLE versions("
     "  id INTEGER PRIMARY KEY,"
     "  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE "
     "CASCADE,"
     "  version INTEGER NOT NULL,"
     "  source_path TEXT NOT NULL,"
     "  encoding TEXT NOT NULL,"
     "  hash TEXT NOT NULL,"
     "  chars INTEGER NOT NULL,"
     "  turns INTEGER NOT NULL,"
     "  paragraphs INTEGER NOT NULL,"
     "  sentences INTEGER NOT NULL,"
     "  first_segment INTEGER NOT NULL,"
     "  imported_at TEXT NOT NULL"
     "    DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),"
     "  text TEXT NOT NULL,"
     "  UNIQUE(document_id, version));"
     "CREATE TABLE speakers("
     "  id INTEGER PRIMARY KEY,"
     "  version_id INTEGER NOT NULL REFERENCES versions(id) ON DELETE CASCADE,"
     "  label TEXT NOT NULL,"
     "  role TEXT NOT NULL CHECK(role IN ('respondent', 'interviewer')),"
     "  case_id INTEGER REFERENCES cases(id) ON DELETE SET NULL,"
     "  UNIQUE(version_id, label));"
     "CREATE TABLE segments("
     "  id INTEGER PRIMARY KEY,"
     "  version_id INTEGER NOT NULL REFERENCES versions(id) ON DELETE CASCADE,"
     "  kind TEXT NOT NULL CHECK(kind IN ('turn', 'paragraph', 'sentence')),"
     "  seq INTEGER NOT NULL,"
     "  speaker_id INTEGER REFERENCES speakers(id),"
     "  turn_seq INTEGER,"
     "  paragraph_seq INTEGER,"
     "  start INTEGER NOT NULL,"
     "  \"end\" INTEGER NOT NULL,"
     "  byte_start INTEGER NOT NULL,"
     "  byte_end INTEGER NOT NULL,"
     "  time_ms INTEGER);"
     "CREATE INDEX speakers_case ON speakers(case_id);",
     NULL},

    /* 1 -> 2: coding runs. A coding is alive from run `from_run` until
     * `to_run` (NULL while alive), so a run touches only what changed.
     * codings and coding_facets carry no foreign keys: run.c writes them
     * only with ids it just read, and a check per row would cost more than
     * the row (hundreds of thousands per run). */
    {"CREATE TABLE runs("
     "  id INTEGER PRIMARY KEY,"
     "  started_at TEXT NOT NULL"
     "    DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),"
     "  codebook_path TEXT NOT NULL,"
     "  codebook_name TEXT NOT NULL,"
     "  codebook_hash TEXT NOT NULL,"
     "  codebook TEXT NOT NULL,"
     "  documents INTEGER NOT NULL DEFAULT 0,"
     "  concepts_matched INTEGER NOT NULL DEFAULT 0,"
     "  gained INTEGER NOT NULL DEFAULT 0,"
     "  lost INTEGER NOT NULL DEFAULT 0,"
     "  quotes INTEGER NOT NULL DEFAULT 0,"
     "  seconds REAL NOT NULL DEFAULT 0);"
     "CREATE TABLE run_codes("
     "  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
     "  ord INTEGER NOT NULL,"
     "  kind TEXT NOT NULL,"
     "  code TEXT NOT NULL,"
     "  parent TEXT,"
     "  label TEXT NOT NULL,"
     "  rules_hash TEXT,"
     "  PRIMARY KEY(run_id, kind, code)) WITHOUT ROWID;"
     "CREATE TABLE run_versions("
     "  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
     "  version_id INTEGER NOT NULL REFERENCES versions(id),"
     "  PRIMARY KEY(run_id, version_id)) WITHOUT ROWID;"
     "CREATE TABLE codings("
     "  id INTEGER PRIMARY KEY,"
     "  from_run INTEGER NOT NULL,"
     "  to_run INTEGER,"
     "  version_id INTEGER NOT NULL,"
     "  concept TEXT NOT NULL,"
     "  segment_id INTEGER NOT NULL,"
     "  match_start INTEGER NOT NULL,"
     "  match_end INTEGER NOT NULL);"
     "CREATE INDEX codings_quote ON codings(version_id, concept, segment_id);"
     "CREATE INDEX codings_from ON codings(from_run);"
     "CREATE INDEX codings_to ON codings(to_run) WHERE to_run IS NOT NULL;"
     "CREATE TABLE coding_facets("
     "  coding_id INTEGER NOT NULL,"
     "  facet TEXT NOT NULL,"
     "  value TEXT NOT NULL,"
     "  source TEXT NOT NULL CHECK(source IN"
     "    ('manual', 'pattern', 'attribute', 'default')),"
     "  PRIMARY KEY(coding_id, facet, value)) WITHOUT ROWID;",
     NULL},

    /* 2 -> 3: a version's segments packed into one blob (segpack.h) instead
     * of a row each, and each speaker's turn count kept for the cases list. */
    {"ALTER TABLE versions ADD COLUMN segments BLOB;"
     "ALTER TABLE speakers ADD COLUMN turns INTEGER NOT NULL DEFAULT 0;"
     "UPDATE speakers SET turns = (SELECT COUNT(*) FROM segments s WHERE"
     "  s.speaker_id = speakers.id AND s.kind = 'turn');",
     pack_segments},

    /* 3 -> 4: manual codings (manual.c). A row is anchored by its span on
     * `version_id`, the exact quoted text and some context on each side;
     * `placed` = 0 keeps aside one that a re-import could not place on the
     * document's new version (version_id is then where it last stood).
     * Review decisions (accept, reject) name the automatic quote's segment,
     * so that a rejection holds for every coding of that concept on that
     * segment, whatever run made it. */
    {"CREATE TABLE manual_codings("
     "  id INTEGER PRIMARY KEY,"
     "  document_id INTEGER NOT NULL REFERENCES documents(id),"
     "  version_id INTEGER NOT NULL REFERENCES versions(id),"
     "  placed INTEGER NOT NULL DEFAULT 1,"
     "  coder TEXT NOT NULL,"
     "  kind TEXT NOT NULL CHECK(kind IN ('dimension', 'theme', 'concept')),"
     "  code TEXT NOT NULL,"
     "  decision TEXT NOT NULL DEFAULT 'tag'"
     "    CHECK(decision IN ('tag', 'accept', 'reject')),"
     "  start INTEGER NOT NULL,"
     "  \"end\" INTEGER NOT NULL,"
     "  quote TEXT NOT NULL,"
     "  before TEXT NOT NULL,"
     "  after TEXT NOT NULL,"
     "  segment_kind TEXT,"
     "  segment_id INTEGER,"
     "  memo TEXT NOT NULL DEFAULT '',"
     "  created_at TEXT NOT NULL"
     "    DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')));"
     "CREATE UNIQUE INDEX manual_key ON manual_codings(version_id, coder,"
     "  kind, code, start, \"end\") WHERE placed;"
     "CREATE INDEX manual_document ON manual_codings(document_id);"
     "CREATE INDEX manual_rejects ON manual_codings(version_id, code,"
     "  segment_id) WHERE decision = 'reject' AND placed;"
     "CREATE TABLE manual_facets("
     "  coding_id INTEGER NOT NULL REFERENCES manual_codings(id)"
     "    ON DELETE CASCADE,"
     "  facet TEXT NOT NULL,"
     "  value TEXT NOT NULL,"
     "  PRIMARY KEY(coding_id, facet, value)) WITHOUT ROWID;",
     NULL},

    /* 4 -> 5: codings packed, a blob per (version, concept, run) instead of
     * a row per coding and per facet value (codepack.h); `codings` and
     * `coding_facets` become read-only virtual tables over the packs
     * (codings.c), with the columns they had. */
    {"CREATE TABLE coding_packs("
     "  id INTEGER PRIMARY KEY,"
     "  version_id INTEGER NOT NULL,"
     "  concept TEXT NOT NULL,"
     "  from_run INTEGER NOT NULL,"
     "  to_run INTEGER,"
     "  codings BLOB NOT NULL,"
     "  alive INTEGER);" /* schema 11's column, written by the packing */
     "CREATE INDEX coding_packs_quote ON coding_packs(version_id, concept);"
     "CREATE INDEX coding_packs_concept ON coding_packs(concept);",
     pack_codings},

    /* 5 -> 6: a version's text and its segment pack each in a table of
     * their own. In the versions row they made every read of its other
     * columns a 64 KB page, and reading the pack, which came after the
     * text, walked the text's whole overflow chain: a run read its texts
     * twice over. */
    {"CREATE TABLE version_texts("
     "  version_id INTEGER PRIMARY KEY REFERENCES versions(id)"
     "    ON DELETE CASCADE,"
     "  text TEXT NOT NULL);"
     "CREATE TABLE version_segments("
     "  version_id INTEGER PRIMARY KEY REFERENCES versions(id)"
     "    ON DELETE CASCADE,"
     "  segments BLOB NOT NULL);"
     "INSERT INTO version_texts SELECT id, text FROM versions;"
     "INSERT INTO version_segments SELECT id, segments FROM versions"
     "  WHERE segments IS NOT NULL;"
     /* emptied first, with OR FAIL: no statement journal, which would
      * hold every old text in memory (temp_store) */
     "UPDATE OR FAIL versions SET text = '', segments = NULL;"
     "ALTER TABLE versions DROP COLUMN text;"
     "ALTER TABLE versions DROP COLUMN segments;",
     repack_segments},

    /* 6 -> 7: how each version was read, so that the next import of its
     * document reads it alike (NULL: the built-in rules); the header block
     * of `Key: value` lines before the talk; and the interviewer a case
     * names for its document. */
    {"ALTER TABLE versions ADD COLUMN read_format TEXT NOT NULL"
     "  DEFAULT 'text';"
     "ALTER TABLE versions ADD COLUMN read_speaker TEXT;"
     "ALTER TABLE versions ADD COLUMN read_interviewers TEXT;"
     "ALTER TABLE cases ADD COLUMN interviewer TEXT;"
     "CREATE TABLE version_header("
     "  version_id INTEGER NOT NULL REFERENCES versions(id) ON DELETE CASCADE,"
     "  ord INTEGER NOT NULL,"
     "  key TEXT NOT NULL,"
     "  value TEXT NOT NULL,"
     "  PRIMARY KEY(version_id, ord)) WITHOUT ROWID;",
     NULL},

    /* 7 -> 8: the encoding a version was read in when it was given rather
     * than detected (NULL: detected), which the next import of its
     * document decodes with too. */
    {"ALTER TABLE versions ADD COLUMN read_encoding TEXT;", NULL},

    /* 8 -> 9: memos (manual/memo.c) on the project (the journal, name ''),
     * a document, a case or a code, named as the memos file names them so
     * that they travel between projects; one is known by its target, name,
     * author and creation time. A manual coding's memo stays in its row,
     * which now says who wrote it and when, if not its coder with the
     * coding. */
    {"CREATE TABLE memos("
     "  id INTEGER PRIMARY KEY,"
     "  target TEXT NOT NULL CHECK(target IN ('project', 'document', 'case',"
     "    'dimension', 'theme', 'concept')),"
     "  name TEXT NOT NULL,"
     "  author TEXT NOT NULL,"
     "  created_at TEXT NOT NULL,"
     "  changed_at TEXT NOT NULL,"
     "  text TEXT NOT NULL CHECK(text <> ''),"
     "  UNIQUE(target, name, author, created_at));"
     "ALTER TABLE manual_codings ADD COLUMN memo_author TEXT;"
     "ALTER TABLE manual_codings ADD COLUMN memo_created_at TEXT;"
     "ALTER TABLE manual_codings ADD COLUMN memo_changed_at TEXT;",
     NULL},

    /* 9 -> 10: coders' access tokens for a server the team shares
     * (store/tokens.c), kept as their SHA-256 only. */
    {"CREATE TABLE coder_tokens("
     "  coder TEXT PRIMARY KEY,"
     "  token_sha256 TEXT NOT NULL UNIQUE,"
     "  created_at TEXT NOT NULL) WITHOUT ROWID;",
     NULL},

    /* 10 -> 11: each coding pack's number of codings alive in the latest
     * run, kept by the runs that write it, so that counting a run's quotes
     * by code reads the pack rows without decoding a coding. */
    {NULL, count_alive},

    /* 11 -> 12: a coder may feature a quote for the slides (a flag on the
     * coder's manual coding of it: a tag, or the acceptance featuring an
     * automatic quote stores), and a memo on a code may be on the code at
     * one value of a facet ('level=regional': a theme x level cell of the
     * slides), `at` '' for the code as a whole. The memos table is made
     * anew for its key, which now holds `at`. */
    {"ALTER TABLE manual_codings ADD COLUMN featured INTEGER NOT NULL"
     "  DEFAULT 0;"
     "CREATE TABLE memos_12("
     "  id INTEGER PRIMARY KEY,"
     "  target TEXT NOT NULL CHECK(target IN ('project', 'document', 'case',"
     "    'dimension', 'theme', 'concept')),"
     "  name TEXT NOT NULL,"
     "  at TEXT NOT NULL DEFAULT '',"
     "  author TEXT NOT NULL,"
     "  created_at TEXT NOT NULL,"
     "  changed_at TEXT NOT NULL,"
     "  text TEXT NOT NULL CHECK(text <> ''),"
     "  CHECK(at = '' OR target IN ('dimension', 'theme', 'concept')),"
     "  UNIQUE(target, name, at, author, created_at));"
     "INSERT INTO memos_12(id, target, name, author, created_at, changed_at,"
     "  text) SELECT id, target, name, author, created_at, changed_at, text"
     "  FROM memos;"
     "DROP TABLE memos;"
     "ALTER TABLE memos_12 RENAME TO memos;",
     NULL},
};

#define SCHEMA_VERSION ((int)(sizeof MIGRATIONS / sizeof MIGRATIONS[0]))

/* Reads one version's segment rows (schema 2) into three arrays. */
static int read_segment_rows(sqlite3_stmt *st, sqlite3_stmt *sp,
                             sqlite3_int64 vid, kbi_tseg_array kinds[3],
                             kb_error *err)
{
    sqlite3_int64 *ids = NULL; /* speaker ids in order: index = position */
    size_t nids = 0, cap = 0;
    int rc = 0;
    sqlite3_bind_int64(sp, 1, vid);
    while (!rc && sqlite3_step(sp) == SQLITE_ROW)
        if (KBI_GROW(&ids, &cap, nids + 1))
            rc = kbi_fail(err, KB_ENOMEM, "out of memory");
        else
            ids[nids++] = sqlite3_column_int64(sp, 0);
    sqlite3_reset(sp);
    sqlite3_bind_int64(st, 1, vid);
    while (!rc && sqlite3_step(st) == SQLITE_ROW) {
        kb_segment_kind kind =
            kb_segment_kind_parse((const char *)sqlite3_column_text(st, 0));
        kbi_tseg_array *a = &kinds[kind > 0 ? kind - 1 : 0];
        if (KBI_GROW(&a->v, &a->cap, a->n + 1)) {
            rc = kbi_fail(err, KB_ENOMEM, "out of memory");
            break;
        }
        kbi_tseg *g = &a->v[a->n++];
        g->speaker = -1;
        sqlite3_int64 sid = sqlite3_column_int64(st, 1);
        for (size_t i = 0; i < nids; i++)
            if (ids[i] == sid)
                g->speaker = (int)i;
        g->turn = sqlite3_column_type(st, 2) == SQLITE_NULL
                      ? KB_NO_INDEX
                      : (size_t)sqlite3_column_int64(st, 2);
        g->para = sqlite3_column_type(st, 3) == SQLITE_NULL
                      ? KB_NO_INDEX
                      : (size_t)sqlite3_column_int64(st, 3);
        g->c0 = (size_t)sqlite3_column_int64(st, 4);
        g->c1 = (size_t)sqlite3_column_int64(st, 5);
        g->b0 = (size_t)sqlite3_column_int64(st, 6);
        g->b1 = (size_t)sqlite3_column_int64(st, 7);
        g->time_ms = sqlite3_column_type(st, 8) == SQLITE_NULL
                         ? KB_NO_TIME
                         : sqlite3_column_int64(st, 8);
    }
    sqlite3_reset(st);
    free(ids);
    return rc;
}

/* 2 -> 3: packs each version's segment rows, then drops the rows. */
static int pack_segments(sqlite3 *db, kb_error *err)
{
    sqlite3_stmt *vs = NULL, *st = NULL, *sp = NULL, *up = NULL;
    int rc;
    if ((rc = kbi_store_prepare(db, &vs, "SELECT id FROM versions", err)) ||
        (rc = kbi_store_prepare(
             db, &st,
             "SELECT kind, speaker_id, turn_seq, paragraph_seq, start,"
             " \"end\", byte_start, byte_end, time_ms FROM segments WHERE"
             " version_id = ? ORDER BY id",
             err)) ||
        (rc = kbi_store_prepare(
             db, &sp,
             "SELECT id FROM speakers WHERE version_id = ? ORDER BY id",
             err)) ||
        (rc = kbi_store_prepare(
             db, &up, "UPDATE versions SET segments = ? WHERE id = ?", err)))
        goto out;
    while (!rc && sqlite3_step(vs) == SQLITE_ROW) {
        sqlite3_int64 vid = sqlite3_column_int64(vs, 0);
        kbi_tseg_array kinds[3] = {{0}};
        const kbi_tseg_array *const in[3] = {&kinds[0], &kinds[1], &kinds[2]};
        unsigned char *blob = NULL;
        size_t len = 0;
        rc = read_segment_rows(st, sp, vid, kinds, err);
        if (!rc)
            rc = kbi_segpack_encode(&blob, &len, in, err);
        if (!rc) {
            sqlite3_bind_blob(up, 1, blob, (int)len, SQLITE_STATIC);
            sqlite3_bind_int64(up, 2, vid);
            if (sqlite3_step(up) != SQLITE_DONE)
                rc = kbi_store_fail(err, db, "packing segments");
            sqlite3_reset(up);
        }
        free(blob);
        for (int k = 0; k < 3; k++)
            free(kinds[k].v);
    }
out:
    sqlite3_finalize(vs);
    sqlite3_finalize(st);
    sqlite3_finalize(sp);
    sqlite3_finalize(up);
    return rc ? rc : kbi_store_exec(db, "DROP TABLE segments", err);
}

/* 4 -> 5: packs the coding rows, then drops them. */
static int pack_codings(sqlite3 *db, kb_error *err)
{
    int rc = kbi_codings_pack_rows(db, err);
    return rc ? rc
              : kbi_store_exec(
                    db, "DROP TABLE coding_facets; DROP TABLE codings", err);
}

/* 10 -> 11: coding_packs.alive added (a project packed by the 4 -> 5 step
 * has it already) and counted in the packs that lack it. */
static int count_alive(sqlite3 *db, kb_error *err)
{
    sqlite3_stmt *st = NULL, *up = NULL;
    int has = 0, rc = kbi_store_prepare(
                     db, &st,
                     "SELECT 1 FROM pragma_table_info('coding_packs') WHERE"
                     " name = 'alive'",
                     err);
    if (rc)
        return rc;
    has = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    if ((!has &&
         (rc = kbi_store_exec(
              db, "ALTER TABLE coding_packs ADD COLUMN alive INTEGER", err))) ||
        (rc = kbi_store_prepare(db, &st,
                                "SELECT id, codings FROM coding_packs WHERE"
                                " alive IS NULL",
                                err)) ||
        (rc = kbi_store_prepare(
             db, &up, "UPDATE coding_packs SET alive = ? WHERE id = ?", err))) {
        sqlite3_finalize(st);
        return rc;
    }
    kbi_cpack pk = {0};
    while (!rc && sqlite3_step(st) == SQLITE_ROW) {
        rc = kbi_cpack_decode(&pk, sqlite3_column_blob(st, 1),
                              (size_t)sqlite3_column_bytes(st, 1), err);
        if (rc)
            break;
        sqlite3_bind_int64(up, 1, (int64_t)kbi_cpack_alive(&pk));
        sqlite3_bind_int64(up, 2, sqlite3_column_int64(st, 0));
        if (sqlite3_step(up) != SQLITE_DONE)
            rc = kbi_store_fail(err, db, "counting codings");
        sqlite3_reset(up);
    }
    kbi_cpack_free(&pk);
    sqlite3_finalize(st);
    sqlite3_finalize(up);
    return rc;
}

/* 5 -> 6: the segment packs again, with the marks of format 2. */
static int repack_segments(sqlite3 *db, kb_error *err)
{
    sqlite3_stmt *st = NULL, *up = NULL;
    int rc;
    if ((rc = kbi_store_prepare(db, &st,
                                "SELECT version_id, segments FROM"
                                " version_segments",
                                err)) ||
        (rc = kbi_store_prepare(db, &up,
                                "UPDATE version_segments SET segments = ?"
                                " WHERE version_id = ?",
                                err)))
        goto out;
    while (!rc && sqlite3_step(st) == SQLITE_ROW) {
        unsigned char *blob;
        size_t len;
        rc = kbi_segpack_repack(&blob, &len, sqlite3_column_blob(st, 1),
                                (size_t)sqlite3_column_bytes(st, 1), err);
        if (rc || !blob)
            continue;
        sqlite3_bind_blob(up, 1, blob, (int)len, SQLITE_STATIC);
        sqlite3_bind_int64(up, 2, sqlite3_column_int64(st, 0));
        if (sqlite3_step(up) != SQLITE_DONE)
            rc = kbi_store_fail(err, db, "packing segments");
        sqlite3_reset(up);
        free(blob);
    }
out:
    sqlite3_finalize(st);
    sqlite3_finalize(up);
    return rc;
}

int kb_schema_version(void)
{
    return SCHEMA_VERSION;
}

static int pragma_int(sqlite3 *db, const char *sql, int *out, kb_error *err)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return KB_ENOTPROJ;
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_finalize(st);
        return rc == SQLITE_NOTADB ? KB_ENOTPROJ
                                   : kbi_store_fail(err, db, "project store");
    }
    *out = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return 0;
}

static int migrate(sqlite3 *db, int from, const char *path, kb_error *err)
{
    if (from > SCHEMA_VERSION)
        return kbi_fail_at(err, KB_EVERSION, path, 0, 0,
                           "project schema %d is newer than this kodbok's "
                           "(%d): upgrade kodbok",
                           from, SCHEMA_VERSION);
    if (from == SCHEMA_VERSION)
        return 0;
    int rc = kbi_store_begin(db, err);
    if (rc)
        return rc;
    for (int v = from; v < SCHEMA_VERSION && !rc; v++) {
        rc = MIGRATIONS[v].sql ? kbi_store_exec(db, MIGRATIONS[v].sql, err) : 0;
        if (!rc && MIGRATIONS[v].convert)
            rc = MIGRATIONS[v].convert(db, err);
    }
    if (rc) {
        kbi_store_rollback(db);
        return rc;
    }
    char sql[128];
    snprintf(sql, sizeof sql,
             "PRAGMA user_version = %d; PRAGMA application_id = %d",
             SCHEMA_VERSION, KBI_APPLICATION_ID);
    if ((rc = kbi_store_exec(db, sql, err)) != 0 ||
        (rc = kbi_store_commit(db, err)) != 0) {
        kbi_store_rollback(db);
        return rc;
    }
    return 0;
}

/* KODBOK_SYNC: unset, empty or "normal" (0), "full" (1). */
static int sync_mode(int *full, kb_error *err)
{
    const char *v = getenv("KODBOK_SYNC");
    *full = v && !strcmp(v, "full");
    if (!v || !*v || *full || !strcmp(v, "normal"))
        return 0;
    return kbi_fail(err, KB_EINVAL,
                    "KODBOK_SYNC is '%s': it is 'normal' or 'full'", v);
}

/* The crash-consistency test's kill points (base/killpoint.h): each row
 * written, each commit. */
static void row_written(void *ctx, int op, const char *db, const char *table,
                        sqlite3_int64 row)
{
    (void)ctx, (void)op, (void)db, (void)table, (void)row;
    kbi_killpoint();
}

/* Every commit: refused when it would store part of a transaction SQLite
 * rolled back by itself (kbi_store_commit_refused). */
static int committing(void *db)
{
    kbi_killpoint();
    return kbi_store_commit_refused(db);
}

int kbi_schema_open(sqlite3 **out, const char *path, int create, int *readonly,
                    kb_error *err)
{
    *out = NULL;
    struct stat stbuf;
    int exists = stat(path, &stbuf) == 0;
    if (create && exists)
        return kbi_fail_at(err, KB_EEXIST, path, 0, 0,
                           "already exists (a project, or another file)");
    if (!create && !exists)
        return kbi_fail_at(err, KB_ENOENT, path, 0, 0, "no project here");
    if (exists && S_ISDIR(stbuf.st_mode))
        return kbi_fail_at(err, KB_ENOTPROJ, path, 0, 0,
                           "is a directory, not a kodbok project");

    sqlite3 *db = NULL;
    /* One connection per project object, used by one thread at a time. */
    if (kbi_store_open(&db, path, create, readonly) != SQLITE_OK) {
        kbi_fail_at(err, create ? KB_EIO : KB_EDB, path, 0, 0,
                    "cannot open: %s",
                    db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return err ? err->code : KB_EDB;
    }
    sqlite3_busy_timeout(db, 5000);
    int rc, app = 0, version = 0;
    if ((rc = pragma_int(db, "PRAGMA application_id", &app, err)) != 0 ||
        (rc = pragma_int(db, "PRAGMA user_version", &version, err)) != 0) {
        if (rc == KB_ENOTPROJ)
            kbi_fail_at(err, rc, path, 0, 0, "not a kodbok project");
        goto fail;
    }
    if (!create && app != KBI_APPLICATION_ID) {
        rc = kbi_fail_at(err, KB_ENOTPROJ, path, 0, 0, "not a kodbok project");
        goto fail;
    }
    /* WAL with synchronous=NORMAL: a commit survives the process being
     * killed, but the last commits may be lost to a power cut or an OS
     * crash (never the file's integrity); KODBOK_SYNC=full syncs the WAL at
     * every commit, durable through both (docs/limits.md, Durability).
     * No memory map: its pages would count against the memory bound (a run
     * reads every text). The page cache is small (kbi_store_cache). */
    int full = 0;
    if ((rc = sync_mode(&full, err)) != 0 ||
        (rc = kbi_store_exec(db,
                             full ? "PRAGMA foreign_keys = ON; PRAGMA"
                                    " synchronous = FULL; PRAGMA temp_store"
                                    " = MEMORY"
                                  : "PRAGMA foreign_keys = ON; PRAGMA"
                                    " synchronous = NORMAL; PRAGMA"
                                    " temp_store = MEMORY",
                             err)) != 0 ||
        (rc = kbi_store_cache(db, KBI_CACHE_KIB, err)) != 0)
        goto fail;
    if (create &&
        (rc = kbi_store_exec(db,
                             /* Large pages: documents are read and written
                              * whole, and a 2 MB text is 32 reads, not 512. */
                             "PRAGMA page_size = 65536;"
                             " PRAGMA journal_mode = WAL",
                             err)) != 0)
        goto fail;
    if ((rc = migrate(db, version, path, err)) != 0 ||
        (rc = kbi_codings_register(db, err)) != 0)
        goto fail;
    sqlite3_commit_hook(db, committing, db);
    if (kbi_killpoint_armed())
        sqlite3_update_hook(db, row_written, NULL);
    *out = db;
    return 0;
fail:
    kbi_store_close(db);
    if (create)
        unlink(path);
    return rc;
}
