/*
 * cases.c: cases (respondents) and their attributes, loaded from a CSV, and
 * the mapping of documents and speakers to cases.
 *
 * CSV columns: `case` (required), `document` and `speaker` (optional: map
 * the case to a document, or to one speaker in it, as in a focus group),
 * `interviewer` (optional: the label of the interviewer in the case's
 * document, read by later imports); every other column is an attribute (level,
 * gender, method, ...). Loading adds cases or replaces their attributes and
 * mapping; cases not in the file are kept. Column names are matched without
 * regard to case.
 */
#include "base/csv.h"
#include "base/error.h"
#include "base/grow.h"
#include "ingest/cases.h"
#include "store/project.h"
#include "store/store.h"
#include "base/decode.h"
#include "base/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct seen_case {
    char *id;
    char *map; /* "document\nspeaker", or NULL */
    int line;
} seen_case;

typedef struct load_ctx {
    kb_project *p;
    const char *file;
    size_t ncols;
    char **names; /* header, trimmed */
    int col_case, col_doc, col_speaker, col_interviewer;
    sqlite3_stmt *upsert, *clear, *attr;
    seen_case *seen; /* cases in this file, for duplicates */
    size_t nseen, capseen;
    int ord;
} load_ctx;

static int header(load_ctx *c, size_t n, const char *const *f, const int *col,
                  kb_error *err)
{
    c->names = calloc(n, sizeof *c->names);
    if (!c->names)
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    c->ncols = n;
    c->col_case = c->col_doc = c->col_speaker = c->col_interviewer = -1;
    for (size_t k = 0; k < n; k++) {
        if (!*f[k])
            return kbi_fail_at(err, KB_EFORMAT, c->file, 1, col[k],
                               "empty column name");
        for (size_t j = 0; j < k; j++)
            if (!strcasecmp(c->names[j], f[k]))
                return kbi_fail_at(err, KB_EFORMAT, c->file, 1, col[k],
                                   "duplicate column '%s'", f[k]);
        if (!(c->names[k] = strdup(f[k])))
            return kbi_fail(err, KB_ENOMEM, "out of memory");
        if (!strcasecmp(f[k], "case"))
            c->col_case = (int)k;
        else if (!strcasecmp(f[k], "document"))
            c->col_doc = (int)k;
        else if (!strcasecmp(f[k], "speaker"))
            c->col_speaker = (int)k;
        else if (!strcasecmp(f[k], "interviewer"))
            c->col_interviewer = (int)k;
    }
    if (c->col_case < 0)
        return kbi_fail_at(err, KB_EFORMAT, c->file, 1, 1,
                           "no 'case' column in the header (expected "
                           "case,level,gender,...)");
    return 0;
}

static int remember(load_ctx *c, const char *id, const char *map, int line,
                    int column, kb_error *err)
{
    for (size_t k = 0; k < c->nseen; k++) {
        if (!strcmp(c->seen[k].id, id))
            return kbi_fail_at(err, KB_EFORMAT, c->file, line, column,
                               "duplicate case '%s' (first on line %d)", id,
                               c->seen[k].line);
        if (map && c->seen[k].map && !strcmp(c->seen[k].map, map))
            return kbi_fail_at(err, KB_EFORMAT, c->file, line, column,
                               "case '%s' maps to the same document and "
                               "speaker as case '%s'",
                               id, c->seen[k].id);
    }
    if (KBI_GROW(&c->seen, &c->capseen, c->nseen + 1))
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    seen_case *sc = &c->seen[c->nseen++];
    sc->id = strdup(id);
    sc->map = map ? strdup(map) : NULL;
    sc->line = line;
    if (!sc->id || (map && !sc->map))
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    return 0;
}

static int step_done(sqlite3_stmt *st, kb_project *p, kb_error *err)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : kbi_store_fail(err, p->db, "storing cases");
}

static int on_row(void *ctx, size_t n, const char *const *f, const int *col,
                  int line, kb_error *err)
{
    load_ctx *c = ctx;
    if (!c->names)
        return header(c, n, f, col, err);
    if (n != c->ncols)
        return kbi_fail_at(err, KB_EFORMAT, c->file, line,
                           n > c->ncols ? col[c->ncols] : col[n - 1],
                           "%zu fields where the header has %zu", n, c->ncols);
    const char *id = f[c->col_case];
    if (!*id)
        return kbi_fail_at(err, KB_EFORMAT, c->file, line, col[c->col_case],
                           "empty case id");
    const char *doc = c->col_doc >= 0 && *f[c->col_doc] ? f[c->col_doc] : NULL;
    const char *spk =
        c->col_speaker >= 0 && *f[c->col_speaker] ? f[c->col_speaker] : NULL;
    if (spk && !doc)
        return kbi_fail_at(err, KB_EFORMAT, c->file, line, col[c->col_speaker],
                           "a speaker needs a document to belong to");
    char map[1024] = "";
    if (doc)
        snprintf(map, sizeof map, "%s\n%s", doc, spk ? spk : "");
    int rc = remember(c, id, doc ? map : NULL, line, col[c->col_case], err);
    if (rc)
        return rc;

    sqlite3_bind_text(c->upsert, 1, id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(c->upsert, 2, doc, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(c->upsert, 3, spk, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(c->upsert, 4, c->ord++);
    if (c->col_interviewer >= 0 && *f[c->col_interviewer])
        sqlite3_bind_text(c->upsert, 5, f[c->col_interviewer], -1,
                          SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(c->upsert, 5);
    if ((rc = step_done(c->upsert, c->p, err)) != 0)
        return rc;
    sqlite3_bind_text(c->clear, 1, id, -1, SQLITE_TRANSIENT);
    if ((rc = step_done(c->clear, c->p, err)) != 0)
        return rc;
    for (size_t k = 0; k < n; k++) {
        if ((int)k == c->col_case || (int)k == c->col_doc ||
            (int)k == c->col_speaker || (int)k == c->col_interviewer || !*f[k])
            continue;
        sqlite3_bind_text(c->attr, 1, id, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(c->attr, 2, c->names[k], -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(c->attr, 3, f[k], -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(c->attr, 4, (int)k);
        if ((rc = step_done(c->attr, c->p, err)) != 0)
            return rc;
    }
    return 0;
}

int kbi_cases_read(char **text, size_t *len, const char *csv_path,
                   kb_notice_fn notice, void *ctx, kb_error *err)
{
    const char *enc;
    return kbi_text_load(text, len, &enc, NULL, csv_path, KBI_INPUT_CASES,
                         notice, ctx, err);
}

int kbi_cases_load_tx(kb_project *p, const char *csv_path, const char *text,
                      size_t len, kb_error *err)
{
    int rc;
    load_ctx c = {.p = p, .file = csv_path};
    sqlite3_stmt *max = NULL;
    if ((rc =
             kbi_store_prepare(p->db, &c.upsert,
                               "INSERT INTO cases(name, document, speaker, ord,"
                               " interviewer) VALUES(?1, ?2, ?3, ?4, ?5) ON"
                               " CONFLICT(name) DO UPDATE SET document = ?2,"
                               " speaker = ?3, interviewer = ?5",
                               err)) ||
        (rc = kbi_store_prepare(p->db, &c.clear,
                                "DELETE FROM case_attributes WHERE case_id ="
                                " (SELECT id FROM cases WHERE name = ?1)",
                                err)) ||
        (rc = kbi_store_prepare(p->db, &c.attr,
                                "INSERT INTO case_attributes(case_id, name,"
                                " value, ord) SELECT id, ?2, ?3, ?4 FROM cases"
                                " WHERE name = ?1",
                                err)) ||
        (rc = kbi_store_prepare(
             p->db, &max, "SELECT COALESCE(MAX(ord) + 1, 0) FROM cases", err)))
        goto out;
    if (sqlite3_step(max) == SQLITE_ROW)
        c.ord = sqlite3_column_int(max, 0);
    rc = kbi_csv_parse(text, len, csv_path, on_row, &c, err);
    if (rc == 0 && !c.names)
        rc = kbi_fail_at(err, KB_EFORMAT, csv_path, 1, 1, "no header line");
out:
    sqlite3_finalize(max);
    sqlite3_finalize(c.upsert);
    sqlite3_finalize(c.clear);
    sqlite3_finalize(c.attr);
    for (size_t k = 0; k < c.ncols; k++)
        free(c.names ? c.names[k] : NULL);
    free(c.names);
    for (size_t k = 0; k < c.nseen; k++) {
        free(c.seen[k].id);
        free(c.seen[k].map);
    }
    free(c.seen);
    return rc;
}

int kbi_cases_resolve(kb_project *p, kb_error *err)
{
    return kbi_store_exec(
        p->db,
        "UPDATE documents SET case_id = COALESCE(assigned_case_id,"
        " (SELECT c.id FROM cases c WHERE c.document = documents.name"
        "   AND c.speaker IS NULL),"
        " (SELECT c.id FROM cases c WHERE c.name = documents.name"
        "   AND c.document IS NULL));"
        "UPDATE speakers SET case_id = COALESCE("
        " (SELECT c.id FROM cases c, versions v, documents d"
        "   WHERE v.id = speakers.version_id AND d.id = v.document_id"
        "   AND c.document = d.name AND c.speaker = speakers.label),"
        " CASE WHEN role = 'respondent' THEN"
        "  (SELECT d.case_id FROM versions v, documents d"
        "    WHERE v.id = speakers.version_id AND d.id = v.document_id)"
        " END);",
        err);
}

int kb_project_load_cases(kb_project *p, const char *csv_path,
                          const kb_cases_options *opts, kb_error *err)
{
    kb_cases_options defaults = KB_CASES_OPTIONS_INIT;
    if (!opts)
        opts = &defaults;
    if (opts->version != KB_CASES_OPTIONS_VERSION)
        return kbi_fail(err, KB_EINVAL, "cases options of an unknown version");
    char *text = NULL;
    size_t len;
    int rc =
        kbi_cases_read(&text, &len, csv_path, opts->notice, opts->ctx, err);
    if (rc || (rc = kbi_store_begin(p->db, err))) {
        free(text);
        return rc;
    }
    if ((rc = kbi_cases_load_tx(p, csv_path, text, len, err)) != 0 ||
        (rc = kbi_cases_resolve(p, err)) != 0 ||
        (rc = kbi_store_commit(p->db, err)) != 0)
        kbi_store_rollback(p->db);
    free(text);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* Interviewers named after the import                                       */
/* ------------------------------------------------------------------------ */

/* The labels of one document's speakers still to become interviewers. */
typedef struct pending_doc {
    kb_interviewer_pending info;
    char *labels;
    size_t len, cap;
} pending_doc;

static int pending_add(pending_doc *d, const char *label)
{
    size_t n = strlen(label);
    if (KBI_GROW(&d->labels, &d->cap, d->len + n + 3))
        return -1;
    if (d->len) {
        memcpy(d->labels + d->len, ", ", 2);
        d->len += 2;
    }
    memcpy(d->labels + d->len, label, n + 1);
    d->len += n;
    d->info.nspeakers++;
    return 0;
}

static void pending_tell(pending_doc *d, kb_interviewer_pending_fn fn,
                         void *ctx)
{
    if (d->info.nspeakers) {
        d->info.speakers = d->labels;
        fn(ctx, &d->info);
    }
    d->len = d->info.nspeakers = 0;
}

int kb_project_interviewers_pending(kb_project *p, kb_interviewer_pending_fn fn,
                                    void *ctx, kb_error *err)
{
    sqlite3_stmt *docs = NULL, *spk = NULL;
    pending_doc d = {0};
    char *name = NULL, *source = NULL;
    int rc;
    if ((rc = kbi_store_prepare(
             p->db, &docs,
             "SELECT d.name, d.current_version, v.source_path, c.interviewer,"
             " v.id FROM documents d JOIN versions v ON v.document_id = d.id"
             " AND v.version = d.current_version JOIN cases c ON"
             " c.interviewer IS NOT NULL AND " KBI_CASE_OF_DOCUMENT(
                 "c.", "d.name",
                 "d.assigned_case_id") " ORDER BY d.name, c.ord",
             err)) ||
        (rc = kbi_store_prepare(p->db, &spk,
                                "SELECT label FROM speakers WHERE version_id ="
                                " ?1 AND role <> 'interviewer' AND label ="
                                " ?2 COLLATE NOCASE ORDER BY id",
                                err)))
        goto out;
    int step, fail = 0;
    while ((step = sqlite3_step(docs)) == SQLITE_ROW && !fail) {
        const char *doc = (const char *)sqlite3_column_text(docs, 0);
        if (!name || strcmp(name, doc)) {
            pending_tell(&d, fn, ctx);
            free(name);
            free(source);
            name = strdup(doc);
            source = kbi_store_strdup(docs, 2);
            fail = !name || !source;
            d.info.document = name;
            d.info.source_path = source;
            d.info.version = sqlite3_column_int(docs, 1);
        }
        const char *list = (const char *)sqlite3_column_text(docs, 3), *item;
        size_t n;
        sqlite3_bind_int64(spk, 1, sqlite3_column_int64(docs, 4));
        while (!fail && (item = kbi_text_list_next(&list, &n)) != NULL) {
            if (!n)
                continue;
            sqlite3_bind_text(spk, 2, item, (int)n, SQLITE_TRANSIENT);
            while (!fail && sqlite3_step(spk) == SQLITE_ROW)
                fail =
                    pending_add(&d, (const char *)sqlite3_column_text(spk, 0));
            sqlite3_reset(spk);
        }
    }
    if (fail)
        rc = kbi_fail(err, KB_ENOMEM, "out of memory");
    else if (step != SQLITE_DONE)
        rc = kbi_store_fail(err, p->db, "reading cases");
    else
        pending_tell(&d, fn, ctx);
out:
    sqlite3_finalize(docs);
    sqlite3_finalize(spk);
    free(name);
    free(source);
    free(d.labels);
    return rc;
}

int kbi_cases_put(kb_project *p, const char *name, const kbi_case_map *map,
                  const char *const *names, const char *const *values, size_t n,
                  kb_error *err)
{
    sqlite3_stmt *add = NULL, *clear = NULL, *attr = NULL;
    int rc;
    if ((rc = kbi_store_prepare(p->db, &add,
                                "INSERT INTO cases(name, document, speaker,"
                                " interviewer, ord) VALUES(?1, ?2, ?3, ?4,"
                                " (SELECT COALESCE(MAX(ord) + 1, 0) FROM"
                                " cases)) ON CONFLICT(name) DO UPDATE SET"
                                " document = ?2, speaker = ?3, interviewer ="
                                " ?4",
                                err)) ||
        (rc = kbi_store_prepare(p->db, &clear,
                                "DELETE FROM case_attributes WHERE case_id ="
                                " (SELECT id FROM cases WHERE name = ?1)",
                                err)) ||
        (rc = kbi_store_prepare(p->db, &attr,
                                "INSERT OR REPLACE INTO case_attributes("
                                "case_id, name, value, ord) SELECT id, ?2, ?3,"
                                " ?4 FROM cases WHERE name = ?1",
                                err)))
        goto out;
    sqlite3_bind_text(add, 1, name, -1, SQLITE_STATIC);
    if (map) {
        sqlite3_bind_text(add, 2, map->document, -1, SQLITE_STATIC);
        sqlite3_bind_text(add, 3, map->speaker, -1, SQLITE_STATIC);
        sqlite3_bind_text(add, 4, map->interviewer, -1, SQLITE_STATIC);
    }
    sqlite3_bind_text(clear, 1, name, -1, SQLITE_STATIC);
    if ((rc = step_done(add, p, err)) || (rc = step_done(clear, p, err)))
        goto out;
    for (size_t k = 0; k < n && !rc; k++) {
        sqlite3_bind_text(attr, 1, name, -1, SQLITE_STATIC);
        sqlite3_bind_text(attr, 2, names[k], -1, SQLITE_STATIC);
        sqlite3_bind_text(attr, 3, values[k], -1, SQLITE_STATIC);
        sqlite3_bind_int(attr, 4, (int)k);
        rc = step_done(attr, p, err);
    }
out:
    sqlite3_finalize(add);
    sqlite3_finalize(clear);
    sqlite3_finalize(attr);
    return rc;
}
