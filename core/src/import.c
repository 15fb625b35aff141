/*
 * import.c: reading transcript files into the project.
 *
 * One call is one transaction: the cases CSV (if any) and every file are
 * read, decoded, parsed and stored, and only then committed; the first bad
 * file rolls everything back. Files are handled one at a time and freed
 * before the next, so memory is bounded by the largest document. Reports go
 * to the caller's callback after the commit, so it never hears of a file
 * that was not stored.
 */
#include "error.h"
#include "hash.h"
#include "ingest/ingest.h"
#include "manual.h"
#include "project.h"
#include "segpack.h"
#include "store.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct stmts {
    sqlite3_stmt *find_doc, *find_case, *new_doc, *set_doc, *new_version,
        *new_text, *new_segments, *new_speaker, *next_segment, *current_hash;
} stmts;

typedef struct done_file {
    char *path, *name;
    const char *encoding;
    kb_import_status status;
    int version;
    size_t chars, turns, paragraphs, sentences, speakers;
} done_file;

static void stmts_free(stmts *s)
{
    sqlite3_stmt **all = (sqlite3_stmt **)s;
    for (size_t i = 0; i < sizeof *s / sizeof(sqlite3_stmt *); i++)
        sqlite3_finalize(all[i]);
}

static int stmts_prepare(stmts *s, sqlite3 *db, kb_error *err)
{
    struct {
        sqlite3_stmt **st;
        const char *sql;
    } list[] = {
        {&s->find_doc,
         "SELECT id, current_version FROM documents WHERE name = ?"},
        {&s->find_case, "SELECT id FROM cases WHERE name = ?"},
        {&s->new_doc, "INSERT INTO documents(name, assigned_case_id,"
                      " current_version, changed) VALUES(?, ?, 0, 0)"},
        {&s->set_doc, "UPDATE documents SET current_version = ?2,"
                      " changed = ?3, assigned_case_id ="
                      " COALESCE(?4, assigned_case_id) WHERE id = ?1"},
        {&s->new_version,
         "INSERT INTO versions(document_id, version, source_path, encoding,"
         " hash, chars, turns, paragraphs, sentences, first_segment)"
         " VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"},
        {&s->new_text,
         "INSERT INTO version_texts(version_id, text) VALUES(?, ?)"},
        {&s->new_segments,
         "INSERT INTO version_segments(version_id, segments) VALUES(?, ?)"},
        {&s->new_speaker, "INSERT INTO speakers(version_id, label, role,"
                          " turns) VALUES(?, ?, ?, ?)"},
        /* segment ids are consecutive per version (kb_segment_id) */
        {&s->next_segment,
         "SELECT COALESCE(MAX(first_segment + turns + paragraphs +"
         " sentences), 1) FROM versions"},
        {&s->current_hash, "SELECT hash FROM versions WHERE document_id = ?"
                           " AND version = ?"},
    };
    for (size_t i = 0; i < sizeof list / sizeof list[0]; i++) {
        int rc = kb_store_prepare(db, list[i].st, list[i].sql, err);
        if (rc)
            return rc;
    }
    return 0;
}

/* "dir/ip01.txt" -> "ip01" */
static char *name_from_path(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    return strndup(base, n);
}

static int step(sqlite3_stmt *st, sqlite3 *db, kb_error *err)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE ? 0 : kb_store_fail(err, db, "storing document");
}

/* Stores a parsed text as version `version` of document `doc_id`, its
 * segments packed into one blob (segpack.h). */
static int store_version(stmts *s, sqlite3 *db, sqlite3_int64 doc_id,
                         int version, const char *path, const char *encoding,
                         const char *hash, const char *text, size_t len,
                         size_t chars, const kb_transcript *t, kb_error *err)
{
    const kb_tseg_array *const kinds[3] = {&t->turns, &t->paras, &t->sents};
    unsigned char *pack;
    size_t pack_len;
    size_t *turns = calloc(t->nspeakers + 1, sizeof *turns);
    if (!turns)
        return kb_fail(err, KB_ENOMEM, "out of memory");
    int rc = kb_segpack_encode(&pack, &pack_len, kinds, err);
    if (rc) {
        free(turns);
        return rc;
    }
    for (size_t i = 0; i < t->turns.n; i++)
        if (t->turns.v[i].speaker >= 0)
            turns[t->turns.v[i].speaker]++;

    sqlite3_stmt *st = s->new_version;
    sqlite3_bind_int64(st, 1, doc_id);
    sqlite3_bind_int(st, 2, version);
    sqlite3_bind_text(st, 3, path, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, encoding, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, hash, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 6, (sqlite3_int64)chars);
    sqlite3_bind_int64(st, 7, (sqlite3_int64)t->turns.n);
    sqlite3_bind_int64(st, 8, (sqlite3_int64)t->paras.n);
    sqlite3_bind_int64(st, 9, (sqlite3_int64)t->sents.n);
    sqlite3_int64 next = 1;
    if (sqlite3_step(s->next_segment) == SQLITE_ROW)
        next = sqlite3_column_int64(s->next_segment, 0);
    sqlite3_reset(s->next_segment);
    sqlite3_bind_int64(st, 10, next);
    rc = step(st, db, err);
    sqlite3_int64 version_id = sqlite3_last_insert_rowid(db);
    if (!rc) {
        sqlite3_bind_int64(s->new_text, 1, version_id);
        sqlite3_bind_text(s->new_text, 2, text, (int)len, SQLITE_STATIC);
        rc = step(s->new_text, db, err);
    }
    if (!rc) {
        sqlite3_bind_int64(s->new_segments, 1, version_id);
        sqlite3_bind_blob(s->new_segments, 2, pack, (int)pack_len,
                          SQLITE_STATIC);
        rc = step(s->new_segments, db, err);
    }
    for (size_t k = 0; k < t->nspeakers && !rc; k++) {
        st = s->new_speaker;
        sqlite3_bind_int64(st, 1, version_id);
        sqlite3_bind_text(st, 2, t->speakers[k], -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, kb_role_name(t->roles[k]), -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, (sqlite3_int64)turns[k]);
        rc = step(st, db, err);
    }
    free(pack);
    free(turns);
    return rc;
}

typedef struct import_ctx {
    kb_project *p;
    const kb_import_options *o;
    const kb_parse_rules *rules;
    stmts s;
    sqlite3_int64 case_id; /* --case, or 0 */
    kb_transcript t;       /* each file's, its arrays kept for the next */
} import_ctx;

static int import_file(import_ctx *c, const char *path, done_file *d,
                       kb_error *err)
{
    char *text = NULL;
    size_t len;
    kb_transcript *t = &c->t;
    kb_transcript_reset(t);
    int rc = kb_text_load(&text, &len, &d->encoding, path, c->o->notice,
                          c->o->ctx, err);
    if (rc)
        return rc;
    char hash[65];
    kb_sha256 h;
    kb_sha256_init(&h);
    kb_sha256_update(&h, text, len);
    if (kb_sha256_hex(&h, hash)) {
        free(text);
        return kb_fail(err, KB_ENOMEM, "out of memory");
    }

    sqlite3 *db = c->p->db;
    sqlite3_stmt *st = c->s.find_doc;
    sqlite3_bind_text(st, 1, d->name, -1, SQLITE_STATIC);
    sqlite3_int64 doc_id = 0;
    int current = 0;
    if (sqlite3_step(st) == SQLITE_ROW) {
        doc_id = sqlite3_column_int64(st, 0);
        current = sqlite3_column_int(st, 1);
    }
    sqlite3_reset(st);
    if (doc_id) {
        st = c->s.current_hash;
        sqlite3_bind_int64(st, 1, doc_id);
        sqlite3_bind_int(st, 2, current);
        int same = sqlite3_step(st) == SQLITE_ROW &&
                   !strcmp((const char *)sqlite3_column_text(st, 0), hash);
        sqlite3_reset(st);
        if (same) {
            d->status = KB_IMPORT_UNCHANGED;
            d->version = current;
            d->chars = kb_utf8_count(text, len);
            st = c->s.set_doc;
            sqlite3_bind_int64(st, 1, doc_id);
            sqlite3_bind_int(st, 2, current);
            sqlite3_bind_int(st, 3, current > 1);
            if (c->case_id)
                sqlite3_bind_int64(st, 4, c->case_id);
            rc = step(st, db, err);
            free(text);
            return rc;
        }
    } else {
        st = c->s.new_doc;
        sqlite3_bind_text(st, 1, d->name, -1, SQLITE_STATIC);
        if (c->case_id)
            sqlite3_bind_int64(st, 2, c->case_id);
        if ((rc = step(st, db, err)) != 0) {
            free(text);
            return rc;
        }
        doc_id = sqlite3_last_insert_rowid(db);
    }

    if ((rc = kb_transcript_parse(t, text, len, c->rules, err)) != 0) {
        kb_error_set_file(err, path);
        free(text);
        return rc;
    }
    d->version = current + 1;
    d->status = current ? KB_IMPORT_UPDATED : KB_IMPORT_NEW;
    d->chars = kb_utf8_count(text, len);
    d->turns = t->turns.n;
    d->paragraphs = t->paras.n;
    d->sentences = t->sents.n;
    d->speakers = t->nspeakers;
    rc = store_version(&c->s, db, doc_id, d->version, path, d->encoding, hash,
                       text, len, d->chars, t, err);
    if (!rc) {
        st = c->s.set_doc;
        sqlite3_bind_int64(st, 1, doc_id);
        sqlite3_bind_int(st, 2, d->version);
        sqlite3_bind_int(st, 3, current > 0);
        if (c->case_id)
            sqlite3_bind_int64(st, 4, c->case_id);
        rc = step(st, db, err);
    }
    /* Manual codings follow the document to its new version. */
    if (!rc && current)
        rc = kb_manual_reanchor(c->p, doc_id, d->name, d->version, c->o->notice,
                                c->o->ctx, err);
    free(text);
    return rc;
}

static int find_case(import_ctx *c, const char *id, kb_error *err)
{
    sqlite3_stmt *st = c->s.find_case;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    int found = sqlite3_step(st) == SQLITE_ROW;
    if (found)
        c->case_id = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (!found)
        return kb_fail(err, KB_ENOENT,
                       "no case '%s' in the project (load cases with "
                       "--attrs cases.csv)",
                       id);
    return 0;
}

int kb_project_import(kb_project *p, const char *const *paths, size_t npaths,
                      const kb_import_options *opts, kb_error *err)
{
    kb_import_options defaults = KB_IMPORT_OPTIONS_INIT;
    if (!opts)
        opts = &defaults;
    if (opts->version != KB_IMPORT_OPTIONS_VERSION)
        return kb_fail(err, KB_EINVAL, "import options of an unknown version");
    if (npaths == 0)
        return kb_fail(err, KB_EINVAL, "no files to import");
    if (opts->name && npaths > 1)
        return kb_fail(err, KB_EINVAL,
                       "a document name can be given for one file only");

    import_ctx c = {.p = p, .o = opts};
    kb_parse_rules *rules = NULL;
    done_file *done = calloc(npaths, sizeof *done);
    if (!done)
        return kb_fail(err, KB_ENOMEM, "out of memory");
    int rc = kb_parse_rules_new(&rules, opts->speaker_regex, opts->interviewers,
                                err);
    c.rules = rules;
    if (rc)
        goto out;
    if ((rc = stmts_prepare(&c.s, p->db, err)) != 0 ||
        (rc = kb_store_cache(p->db, KB_CACHE_WRITE_KIB, err)) != 0 ||
        (rc = kb_store_begin(p->db, err)) != 0)
        goto out;
    if (opts->attrs_path &&
        (rc = kb_cases_load_tx(p, opts->attrs_path, opts->notice, opts->ctx,
                               err)) != 0)
        goto rollback;
    if (opts->case_id && (rc = find_case(&c, opts->case_id, err)) != 0)
        goto rollback;
    for (size_t i = 0; i < npaths; i++) {
        done[i].path = strdup(paths[i]);
        done[i].name =
            opts->name ? strdup(opts->name) : name_from_path(paths[i]);
        if (!done[i].path || !done[i].name) {
            rc = kb_fail(err, KB_ENOMEM, "out of memory");
            goto rollback;
        }
        if (!*done[i].name) {
            rc = kb_fail_at(err, KB_EINVAL, paths[i], 0, 0,
                            "cannot name a document after this file (use "
                            "--name)");
            goto rollback;
        }
        for (size_t k = 0; k < i; k++)
            if (!strcmp(done[k].name, done[i].name)) {
                rc = kb_fail_at(err, KB_EINVAL, paths[i], 0, 0,
                                "document name '%s' is also that of %s in "
                                "this import",
                                done[i].name, paths[k]);
                goto rollback;
            }
        if ((rc = import_file(&c, paths[i], &done[i], err)) != 0)
            goto rollback;
    }
    if ((rc = kb_cases_resolve(p, err)) != 0 ||
        (rc = kb_store_commit(p->db, err)) != 0)
        goto rollback;
    if (opts->on_file)
        for (size_t i = 0; i < npaths; i++) {
            kb_import_report r = {done[i].path,      done[i].name,
                                  done[i].encoding,  done[i].status,
                                  done[i].version,   done[i].chars,
                                  done[i].turns,     done[i].paragraphs,
                                  done[i].sentences, done[i].speakers};
            opts->on_file(opts->ctx, &r);
        }
    goto out;
rollback:
    kb_store_rollback(p->db);
out:
    kb_store_cache(p->db, KB_CACHE_KIB, NULL);
    kb_transcript_clear(&c.t);
    stmts_free(&c.s);
    kb_parse_rules_free(rules);
    for (size_t i = 0; i < npaths; i++) {
        free(done[i].path);
        free(done[i].name);
    }
    free(done);
    return rc;
}
