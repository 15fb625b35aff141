/*
 * import.c: reading transcript files into the project.
 *
 * One call is one transaction: the cases CSV (if any) and every file are
 * read, decoded, parsed and stored, and only then committed; the first bad
 * file rolls everything back. Files are handled one at a time and freed
 * before the next, so memory is bounded by the largest document. Reports go
 * to the caller's callback after the commit, so it never hears of a file
 * that was not stored.
 *
 * A version keeps the rules it was read with (speaker pattern, interviewer
 * labels, the encoding when one was given), and the next import of its
 * document uses them unless the caller gives others. An unchanged text is
 * read again into a new version when it would now be read otherwise: other
 * rules or encoding, other interviewers named by the cases, or when the
 * caller asks for it.
 */
#include "ingest/import.h"
#include "base/decode.h"
#include "base/error.h"
#include "base/file.h"
#include "base/grow.h"
#include "base/hash.h"
#include "ingest/formats.h"
#include "ingest/transcript.h"
#include "manual/manual.h"
#include "store/document.h"
#include "ingest/cases.h"
#include "store/project.h"
#include "store/segpack.h"
#include "store/store.h"
#include "base/utf8.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

typedef struct stmts {
    sqlite3_stmt *find_doc, *find_case, *new_doc, *set_doc, *new_version,
        *new_text, *new_segments, *new_speaker, *next_segment, *old_speakers,
        *new_header, *case_interviewers;
} stmts;

/* A file imported: its report, told after the commit. */
typedef struct done_file {
    kb_import_report r;
    char *path, *name;
    unsigned char *raw; /* read before the transaction (not a regular file) */
    size_t rawlen;
    kbi_pool strings; /* what the report's other pointers point to */
} done_file;

/* The current version of a document imported again. */
typedef struct old_version {
    sqlite3_int64 doc_id, vid, assigned_case;
    int version;
    char hash[65];
    size_t turns, paragraphs, sentences, speakers;
    char *speaker_rule, *interviewers; /* NULL: the built-in ones */
    char *encoding;                    /* NULL: detected */
    char *format;                      /* the format it was read as */
} old_version;

/* Frees the strings find_old copied into o. */
static void old_clear(old_version *o)
{
    free(o->speaker_rule);
    free(o->interviewers);
    free(o->encoding);
    free(o->format);
}

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
         "SELECT d.id, d.current_version, d.assigned_case_id, v.id, v.hash,"
         " v.turns, v.paragraphs, v.sentences, v.read_speaker,"
         " v.read_interviewers, (SELECT COUNT(*) FROM speakers"
         " WHERE version_id = v.id), v.read_encoding, v.read_format"
         " FROM documents d"
         " JOIN versions v ON"
         " v.document_id = d.id AND v.version = d.current_version"
         " WHERE d.name = ?"},
        {&s->find_case, "SELECT id FROM cases WHERE name = ?"},
        {&s->new_doc, "INSERT INTO documents(name, assigned_case_id,"
                      " current_version, changed) VALUES(?, ?, 0, 0)"},
        {&s->set_doc, "UPDATE documents SET current_version = ?2,"
                      " changed = ?3, assigned_case_id ="
                      " COALESCE(?4, assigned_case_id) WHERE id = ?1"},
        {&s->new_version,
         "INSERT INTO versions(document_id, version, source_path, encoding,"
         " hash, chars, turns, paragraphs, sentences, first_segment,"
         " read_speaker, read_interviewers, read_encoding, read_format)"
         " VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"},
        {&s->new_text,
         "INSERT INTO version_texts(version_id, text) VALUES(?, ?)"},
        {&s->new_segments,
         "INSERT INTO version_segments(version_id, segments) VALUES(?, ?)"},
        {&s->new_speaker, "INSERT INTO speakers(version_id, label, role,"
                          " turns) VALUES(?, ?, ?, ?)"},
        /* segment ids are consecutive per version (kbi_segment_id) */
        {&s->next_segment,
         "SELECT COALESCE(MAX(first_segment + turns + paragraphs +"
         " sentences), 1) FROM versions"},
        {&s->old_speakers, "SELECT label, role, turns FROM speakers"
                           " WHERE version_id = ? ORDER BY id"},
        {&s->new_header, "INSERT INTO version_header(version_id, ord, key,"
                         " value) VALUES(?, ?, ?, ?)"},
        /* the interviewers the cases name for a document, which is theirs
         * as kbi_cases_resolve maps documents to cases */
        {&s->case_interviewers,
         "SELECT interviewer FROM cases WHERE interviewer IS NOT NULL "
         "AND " KBI_CASE_OF_DOCUMENT("", "?1", "?2") " ORDER BY ord"},
    };
    for (size_t i = 0; i < sizeof list / sizeof list[0]; i++) {
        int rc = kbi_store_prepare(db, list[i].st, list[i].sql, err);
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
    return rc == SQLITE_DONE ? 0 : kbi_store_fail(err, db, "storing document");
}

static int same_rule(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

/* A rule as given (NULL: not given, so `stored`; "": the built-in one). */
static const char *rule_for(const char *given, const char *stored)
{
    if (!given)
        return stored;
    return *given ? given : NULL;
}

/* Turns per speaker of a parsed transcript (caller frees). */
static size_t *speaker_turns(const kbi_transcript *t)
{
    size_t *turns = calloc(t->nspeakers + 1, sizeof *turns);
    if (turns)
        for (size_t i = 0; i < t->turns.n; i++)
            if (t->turns.v[i].speaker >= 0)
                turns[t->turns.v[i].speaker]++;
    return turns;
}

typedef struct import_ctx {
    kb_project *p;
    const kb_import_options *o;
    stmts s;
    sqlite3_int64 case_id; /* the case every document maps to, or 0 */
    /* the encoding given, lower-cased (NULL: detect), if one was given */
    char *encoding;
    int encoding_given;
    const kbi_format *format; /* the format given, or NULL: detect */
    kbi_transcript t;         /* each file's, its arrays kept for the next */
    /* the rules of the last file, compiled from these two */
    kbi_parse_rules *rules;
    char *speaker_rule, *interviewers;
    int compiled;
    /* kbi_import_text: the text held in memory instead of a file's */
    const char *mem_text;
    size_t mem_len;
} import_ctx;

/* The rules for a file, compiled again only when they differ from the last
 * file's. */
static int use_rules(import_ctx *c, const char *speaker_rule,
                     const char *interviewers, kb_error *err)
{
    if (c->compiled && same_rule(speaker_rule, c->speaker_rule) &&
        same_rule(interviewers, c->interviewers))
        return 0;
    kbi_parse_rules_free(c->rules);
    free(c->speaker_rule);
    free(c->interviewers);
    c->rules = NULL;
    c->speaker_rule = speaker_rule ? strdup(speaker_rule) : NULL;
    c->interviewers = interviewers ? strdup(interviewers) : NULL;
    c->compiled = 0;
    if ((speaker_rule && !c->speaker_rule) ||
        (interviewers && !c->interviewers))
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    int rc = kbi_parse_rules_new(&c->rules, speaker_rule, interviewers, err);
    c->compiled = !rc;
    return rc;
}

/* Reads the current version of document `name` into *o. Returns 1, or 0
 * if there is no such document, or a KB_E* code. */
static int find_old(import_ctx *c, const char *name, old_version *o,
                    kb_error *err)
{
    sqlite3_stmt *st = c->s.find_doc;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    int found = sqlite3_step(st) == SQLITE_ROW, fail = 0;
    if (found) {
        o->doc_id = sqlite3_column_int64(st, 0);
        o->version = sqlite3_column_int(st, 1);
        o->assigned_case = sqlite3_column_int64(st, 2);
        o->vid = sqlite3_column_int64(st, 3);
        snprintf(o->hash, sizeof o->hash, "%s",
                 (const char *)sqlite3_column_text(st, 4));
        o->turns = (size_t)sqlite3_column_int64(st, 5);
        o->paragraphs = (size_t)sqlite3_column_int64(st, 6);
        o->sentences = (size_t)sqlite3_column_int64(st, 7);
        o->speaker_rule = kbi_store_strdup(st, 8);
        o->interviewers = kbi_store_strdup(st, 9);
        o->speakers = (size_t)sqlite3_column_int64(st, 10);
        o->encoding = kbi_store_strdup(st, 11);
        o->format = kbi_store_strdup(st, 12);
        fail =
            !o->format ||
            (sqlite3_column_type(st, 8) != SQLITE_NULL && !o->speaker_rule) ||
            (sqlite3_column_type(st, 9) != SQLITE_NULL && !o->interviewers) ||
            (sqlite3_column_type(st, 11) != SQLITE_NULL && !o->encoding);
    }
    sqlite3_reset(st);
    if (fail)
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    return found;
}

/* Gives the interviewer role to the speakers the cases name for the
 * document ("Johanna Lind", or "Johanna Lind, Per Ek" for two). */
static int case_interviewers(import_ctx *c, const char *name,
                             sqlite3_int64 assigned, kb_error *err)
{
    sqlite3_stmt *st = c->s.case_interviewers;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, c->case_id ? c->case_id : assigned);
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *v = (const char *)sqlite3_column_text(st, 0), *label;
        size_t n;
        while ((label = kbi_text_list_next(&v, &n)) != NULL)
            if (n)
                kbi_transcript_name_interviewer(&c->t, label, n,
                                                KB_ROLE_BY_CASE);
    }
    /* a failed step ends the loop as the last row does */
    return sqlite3_reset(st) == SQLITE_OK
               ? 0
               : kbi_store_fail(err, c->p->db, "the cases' interviewers");
}

/* Does the parsed transcript read as the stored version does: the same
 * segment counts, and the same speakers with the same roles and turns? */
static int reads_alike(import_ctx *c, const old_version *o, const size_t *turns)
{
    const kbi_transcript *t = &c->t;
    if (t->turns.n != o->turns || t->paras.n != o->paragraphs ||
        t->sents.n != o->sentences || t->nspeakers != o->speakers)
        return 0;
    sqlite3_stmt *st = c->s.old_speakers;
    sqlite3_bind_int64(st, 1, o->vid);
    size_t k = 0;
    int alike = 1;
    while (alike && sqlite3_step(st) == SQLITE_ROW) {
        const char *label = (const char *)sqlite3_column_text(st, 0);
        const char *role = (const char *)sqlite3_column_text(st, 1);
        alike = k < t->nspeakers && !strcmp(label, t->speakers[k]) &&
                !strcmp(role, kb_role_name(t->roles[k])) &&
                (size_t)sqlite3_column_int64(st, 2) == turns[k];
        k++;
    }
    sqlite3_reset(st);
    return alike && k == t->nspeakers;
}

/* Stores a parsed text as version `version` of document `doc_id`, its
 * segments packed into one blob (segpack.h), with its speakers, header
 * block and the rules it was read with: `r` tells its encoding, format and
 * counts, `read_encoding` is the encoding given (NULL: detected). */
static int store_version(import_ctx *c, sqlite3_int64 doc_id,
                         const kb_import_report *r, const char *path,
                         const char *read_encoding, const char *hash,
                         const char *text, size_t len, const size_t *turns,
                         kb_error *err)
{
    const kbi_transcript *t = &c->t;
    stmts *s = &c->s;
    sqlite3 *db = c->p->db;
    const kbi_tseg_array *const kinds[3] = {&t->turns, &t->paras, &t->sents};
    unsigned char *pack;
    size_t pack_len;
    int rc = kbi_segpack_encode(&pack, &pack_len, kinds, err);
    if (rc)
        return rc;

    sqlite3_stmt *st = s->new_version;
    sqlite3_bind_int64(st, 1, doc_id);
    sqlite3_bind_int(st, 2, r->version);
    sqlite3_bind_text(st, 3, path, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, r->encoding, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, hash, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 6, (sqlite3_int64)r->chars);
    sqlite3_bind_int64(st, 7, (sqlite3_int64)t->turns.n);
    sqlite3_bind_int64(st, 8, (sqlite3_int64)t->paras.n);
    sqlite3_bind_int64(st, 9, (sqlite3_int64)t->sents.n);
    sqlite3_int64 next = 1;
    if (sqlite3_step(s->next_segment) == SQLITE_ROW)
        next = sqlite3_column_int64(s->next_segment, 0);
    sqlite3_reset(s->next_segment);
    sqlite3_bind_int64(st, 10, next);
    sqlite3_bind_text(st, 11, c->speaker_rule, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 12, c->interviewers, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 13, read_encoding, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 14, r->format, -1, SQLITE_STATIC);
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
    for (size_t h = 0; h < t->nheader && !rc; h++) {
        const kbi_theader *H = &t->header[h];
        st = s->new_header;
        sqlite3_bind_int64(st, 1, version_id);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)h);
        sqlite3_bind_text(st, 3, text + H->k0, (int)(H->k1 - H->k0),
                          SQLITE_STATIC);
        sqlite3_bind_text(st, 4, text + H->v0, (int)(H->v1 - H->v0),
                          SQLITE_STATIC);
        rc = step(st, db, err);
    }
    free(pack);
    return rc;
}

/* A copy of s kept with d (NULL stays NULL). */
static const char *keep(done_file *d, const char *s, size_t n, int *fail)
{
    return s ? kbi_pool_own(&d->strings, strndup(s, n), fail) : NULL;
}

/* Copies what the report tells of a new version into d, which outlives
 * the transcript. */
static int keep_report(import_ctx *c, done_file *d, const char *text,
                       const size_t *turns, const char *prev_rule,
                       kb_error *err)
{
    const kbi_transcript *t = &c->t;
    kb_import_report *r = &d->r;
    int fail = 0;
    kb_speaker_info *sp =
        kbi_pool_own(&d->strings, calloc(t->nspeakers + 1, sizeof *sp), &fail);
    kb_header_field *hd =
        kbi_pool_own(&d->strings, calloc(t->nheader + 1, sizeof *hd), &fail);
    for (size_t k = 0; k < t->nspeakers && !fail; k++)
        sp[k] = (kb_speaker_info){
            keep(d, t->speakers[k], strlen(t->speakers[k]), &fail), t->roles[k],
            t->sources[k], turns[k]};
    for (size_t h = 0; h < t->nheader && !fail; h++) {
        const kbi_theader *H = &t->header[h];
        hd[h].key = keep(d, text + H->k0, H->k1 - H->k0, &fail);
        hd[h].value = keep(d, text + H->v0, H->v1 - H->v0, &fail);
    }
    r->speaker_list = sp;
    r->header = hd;
    r->nheader = t->nheader;
    r->speaker_rule = keep(d, c->speaker_rule, SIZE_MAX, &fail);
    r->interviewers = keep(d, c->interviewers, SIZE_MAX, &fail);
    r->prev_speaker_rule = keep(d, prev_rule, SIZE_MAX, &fail);
    return fail ? kbi_fail(err, KB_ENOMEM, "out of memory") : 0;
}

/* A copy of the text kbi_import_text holds, which is stored text already. */
static int mem_text(import_ctx *c, char **text, size_t *len,
                    const char **encoding, kb_error *err)
{
    if (!(*text = strndup(c->mem_text, c->mem_len)))
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    *len = c->mem_len;
    *encoding = "utf-8";
    return 0;
}

static int import_file(import_ctx *c, const char *path, done_file *d,
                       kb_error *err)
{
    char *text = NULL;
    size_t len, *turns = NULL;
    kbi_transcript *t = &c->t;
    kb_import_report *r = &d->r;
    kbi_transcript_reset(t);
    old_version old = {0};
    sqlite3 *db = c->p->db;
    int found = find_old(c, d->name, &old, err);
    if (found < 0)
        return found;
    /* a text held in memory (kbi_import_text) is stored text already */
    unsigned char *raw = d->raw;
    size_t rawlen = d->rawlen;
    d->raw = NULL;
    const kbi_format *f = c->format;
    int rc = raw || (c->mem_text && f) ? 0
             : c->mem_text             ? kbi_format_find(&f, "text", err)
                                       : kbi_file_read(&raw, &rawlen, path,
                                                       KBI_INPUT_TRANSCRIPT, err);
    if (rc)
        goto out;
    if (!f)
        f = kbi_format_detect(raw, rawlen);
    r->format = f->name;
    /* for plain text, the encoding given, else the one the document was
     * read in last if that was given, else detected; other formats carry
     * their own */
    const char *enc = f->to_text          ? NULL
                      : c->encoding_given ? c->encoding
                                          : old.encoding;
    if (f->to_text && c->encoding && c->o->notice) {
        char msg[600];
        snprintf(msg, sizeof msg,
                 "%s: %s has an encoding of its own; the encoding given "
                 "applies to plain text",
                 path, f->what);
        c->o->notice(c->o->ctx, msg);
    }
    r->encoding_source = !enc                ? KB_ENCODING_DETECTED
                         : c->encoding_given ? KB_ENCODING_GIVEN
                                             : KB_ENCODING_KEPT;
    rc = c->mem_text
             ? mem_text(c, &text, &len, &r->encoding, err)
             : kbi_format_read(&text, &len, &r->encoding, f, enc, raw, rawlen,
                               path, c->o->notice, c->o->ctx, err);
    free(raw);
    if (rc)
        goto out;
    if (enc) {
        int fail = 0;
        if (!(r->encoding = keep(d, enc, SIZE_MAX, &fail))) {
            rc = kbi_fail(err, KB_ENOMEM, "out of memory");
            goto out;
        }
    }
    char hash[65];
    kbi_sha256 h;
    kbi_sha256_init(&h);
    kbi_sha256_update(&h, text, len);
    kbi_sha256_hex(&h, hash);

    if ((rc = use_rules(c, rule_for(c->o->speaker_regex, old.speaker_rule),
                        rule_for(c->o->interviewers, old.interviewers), err)) !=
        0)
        goto out;
    if ((rc = kbi_transcript_parse(t, text, len, c->rules, err)) != 0) {
        kbi_error_set_file(err, path);
        goto out;
    }
    if ((rc = case_interviewers(c, d->name, old.assigned_case, err)) != 0)
        goto out;
    if (!(turns = speaker_turns(t))) {
        rc = kbi_fail(err, KB_ENOMEM, "out of memory");
        goto out;
    }
    r->chars = kbi_utf8_count(text, len);
    sqlite3_stmt *st;
    if (!found) {
        st = c->s.new_doc;
        sqlite3_bind_text(st, 1, d->name, -1, SQLITE_STATIC);
        if (c->case_id)
            sqlite3_bind_int64(st, 2, c->case_id);
        if ((rc = step(st, db, err)) != 0)
            goto out;
        old.doc_id = sqlite3_last_insert_rowid(db);
        r->status = KB_IMPORT_NEW;
    } else if (strcmp(old.hash, hash)) {
        r->status = KB_IMPORT_UPDATED;
    } else if (!c->o->reread && same_rule(c->speaker_rule, old.speaker_rule) &&
               same_rule(c->interviewers, old.interviewers) &&
               same_rule(enc, old.encoding) && !strcmp(f->name, old.format) &&
               reads_alike(c, &old, turns)) {
        r->status = KB_IMPORT_UNCHANGED;
        r->version = old.version;
        st = c->s.set_doc;
        sqlite3_bind_int64(st, 1, old.doc_id);
        sqlite3_bind_int(st, 2, old.version);
        sqlite3_bind_int(st, 3, old.version > 1);
        if (c->case_id)
            sqlite3_bind_int64(st, 4, c->case_id);
        rc = step(st, db, err);
        goto out;
    } else {
        r->status = KB_IMPORT_REREAD;
    }

    r->version = old.version + 1;
    r->turns = t->turns.n;
    r->paragraphs = t->paras.n;
    r->sentences = t->sents.n;
    r->speakers = t->nspeakers;
    if (found) {
        r->prev_version = old.version;
        r->prev_turns = old.turns;
        r->prev_speakers = old.speakers;
    }
    rc =
        store_version(c, old.doc_id, r, path, enc, hash, text, len, turns, err);
    if (!rc) {
        st = c->s.set_doc;
        sqlite3_bind_int64(st, 1, old.doc_id);
        sqlite3_bind_int(st, 2, r->version);
        sqlite3_bind_int(st, 3, found);
        if (c->case_id)
            sqlite3_bind_int64(st, 4, c->case_id);
        rc = step(st, db, err);
    }
    if (!rc)
        rc = keep_report(c, d, text, turns, old.speaker_rule, err);
    /* Manual codings follow the document to its new version. */
    if (!rc && found)
        rc = kbi_manual_reanchor(c->p, old.doc_id, d->name, r->version,
                                 c->o->notice, c->o->ctx, err);
out:
    old_clear(&old);
    free(turns);
    free(text);
    return rc;
}

/* The encoding the options give, checked and lower-cased into c: "" and
 * "auto" ask for detection. Options before version 3 give none; the format
 * (since version 4) is looked up in the table of formats. */
static int given_encoding(import_ctx *c, const kb_import_options *o,
                          kb_error *err)
{
    int rc =
        kbi_format_find(&c->format, o->version >= 4 ? o->format : NULL, err);
    const char *e = o->version >= 3 ? o->encoding : NULL;
    if (rc || !e)
        return rc;
    c->encoding_given = 1;
    if (!*e || !strcasecmp(e, "auto"))
        return 0;
    if ((rc = kbi_text_encoding_check(e, err)) != 0)
        return rc;
    if (!(c->encoding = strdup(e)))
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    for (char *p = c->encoding; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    return 0;
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
        return kbi_fail_arg(err, KB_ENOENT, "case_id",
                            "no case '%s' in the project (load cases with "
                            "`attrs_path`)",
                            id);
    return 0;
}

int kb_project_import(kb_project *p, const char *const *paths, size_t npaths,
                      const kb_import_options *opts, kb_error *err)
{
    kb_import_options defaults = KB_IMPORT_OPTIONS_INIT;
    if (!opts)
        opts = &defaults;
    if (opts->version < 2 || opts->version > KB_IMPORT_OPTIONS_VERSION)
        return kbi_fail(err, KB_EINVAL, "import options of an unknown version");
    if (npaths == 0)
        return kbi_fail(err, KB_EINVAL, "no files to import");
    if (opts->name && npaths > 1)
        return kbi_fail(err, KB_EINVAL,
                        "a document name can be given for one file only");
    kb_error e;
    if (opts->name && kb_document_name_check(opts->name, &e))
        return kbi_fail_arg(err, KB_EINVAL, "name", "%s", e.message);

    import_ctx c = {.p = p, .o = opts};
    char *cases = NULL;
    size_t ncases = 0;
    done_file *done = calloc(npaths, sizeof *done);
    if (!done)
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    /* A bad pattern or encoding fails before anything is read. */
    int rc = use_rules(&c, rule_for(opts->speaker_regex, NULL),
                       rule_for(opts->interviewers, NULL), err);
    if (rc || (rc = given_encoding(&c, opts, err)) != 0)
        goto out;
    /* What may block until someone writes it (a FIFO, a pipe, a device) is
     * read before the transaction begins, so that no lock is held while it
     * is waited for: the cases CSV, and every input that is not a regular
     * file. Regular files are read one at a time inside, so that memory
     * stays bounded by the largest. */
    for (size_t i = 0; i < npaths && !rc; i++) {
        struct stat sb;
        if (!kbi_file_regular(paths[i]) && stat(paths[i], &sb) == 0 &&
            !S_ISDIR(sb.st_mode))
            rc = kbi_file_read(&done[i].raw, &done[i].rawlen, paths[i],
                               KBI_INPUT_TRANSCRIPT, err);
    }
    if (!rc && opts->attrs_path)
        rc = kbi_cases_read(&cases, &ncases, opts->attrs_path, opts->notice,
                            opts->ctx, err);
    if (rc || (rc = stmts_prepare(&c.s, p->db, err)) != 0 ||
        (rc = kbi_store_cache(p->db, KBI_CACHE_WRITE_KIB, err)) != 0 ||
        (rc = kbi_store_begin(p->db, err)) != 0)
        goto out;
    if (opts->attrs_path &&
        (rc = kbi_cases_load_tx(p, opts->attrs_path, cases, ncases, err)) != 0)
        goto rollback;
    if (opts->case_id && (rc = find_case(&c, opts->case_id, err)) != 0)
        goto rollback;
    for (size_t i = 0; i < npaths; i++) {
        done[i].path = strdup(paths[i]);
        done[i].name =
            opts->name ? strdup(opts->name) : name_from_path(paths[i]);
        if (!done[i].path || !done[i].name) {
            rc = kbi_fail(err, KB_ENOMEM, "out of memory");
            goto rollback;
        }
        if (!*done[i].name) {
            rc = kbi_fail_arg(err, KB_EINVAL, "name",
                              "cannot name a document after this file (use "
                              "`name`)");
            kbi_error_set_file(err, paths[i]);
            goto rollback;
        }
        if (!opts->name && kb_document_name_check(done[i].name, &e)) {
            /* a name made from the file: refused, the file named */
            rc = kbi_fail_arg(err, KB_EINVAL, "name",
                              "%s (give the document a name with `name`, or "
                              "rename the file)",
                              e.message);
            kbi_error_set_file(err, paths[i]);
            goto rollback;
        }
        for (size_t k = 0; k < i; k++)
            if (!strcmp(done[k].name, done[i].name)) {
                rc = kbi_fail_at(err, KB_EINVAL, paths[i], 0, 0,
                                 "document name '%s' is also that of %s in "
                                 "this import",
                                 done[i].name, paths[k]);
                goto rollback;
            }
        if ((rc = import_file(&c, paths[i], &done[i], err)) != 0)
            goto rollback;
    }
    if ((rc = kbi_cases_resolve(p, err)) != 0 ||
        (rc = kbi_store_commit(p->db, err)) != 0)
        goto rollback;
    if (opts->on_file)
        for (size_t i = 0; i < npaths; i++) {
            done[i].r.path = done[i].path;
            done[i].r.name = done[i].name;
            opts->on_file(opts->ctx, &done[i].r);
        }
    goto out;
rollback:
    kbi_store_rollback(p->db);
out:
    kbi_store_cache(p->db, KBI_CACHE_KIB, NULL);
    kbi_transcript_clear(&c.t);
    stmts_free(&c.s);
    kbi_parse_rules_free(c.rules);
    free(c.speaker_rule);
    free(c.interviewers);
    free(c.encoding);
    free(cases);
    for (size_t i = 0; i < npaths; i++) {
        free(done[i].raw);
        free(done[i].path);
        free(done[i].name);
        kbi_pool_free(&done[i].strings);
    }
    free(done);
    return rc;
}

int kbi_import_text(kbi_imported *out, kb_project *p, const char *name,
                    const char *source, const char *text, size_t len,
                    const char *case_name, kb_notice_fn notice, void *ctx,
                    kb_error *err)
{
    kb_import_options o = KB_IMPORT_OPTIONS_INIT;
    o.notice = notice;
    o.ctx = ctx;
    import_ctx c = {.p = p, .o = &o, .mem_text = text, .mem_len = len};
    done_file d = {.name = (char *)name};
    int rc = kb_document_name_check(name, err);
    if (!rc)
        rc = stmts_prepare(&c.s, p->db, err);
    if (!rc && case_name)
        rc = find_case(&c, case_name, err);
    if (!rc)
        rc = import_file(&c, source, &d, err);
    old_version v = {0};
    if (!rc && (rc = find_old(&c, name, &v, err)) == 1) {
        out->document_id = v.doc_id;
        out->version_id = v.vid;
        out->version = v.version;
        out->status = d.r.status;
        rc = 0;
    } else if (!rc) {
        rc = kbi_fail(err, KB_EDB, "document '%s' not stored", name);
    }
    old_clear(&v);
    kbi_transcript_clear(&c.t);
    stmts_free(&c.s);
    kbi_parse_rules_free(c.rules);
    free(c.speaker_rule);
    free(c.interviewers);
    kbi_pool_free(&d.strings);
    return rc;
}
