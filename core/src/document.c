/*
 * document.c: reading documents back: the list of documents and one
 * document's text and segments.
 *
 * Every string a kb_doc_info or kb_segment points to is owned by the list or
 * document it came from; nothing points into SQLite's memory.
 */
#include "error.h"
#include "grow.h"
#include "project.h"
#include "store.h"

#include <stdlib.h>
#include <string.h>

const char *kb_segment_kind_name(kb_segment_kind kind)
{
    switch (kind) {
    case KB_SEG_TURN:
        return "turn";
    case KB_SEG_PARAGRAPH:
        return "paragraph";
    case KB_SEG_SENTENCE:
        return "sentence";
    }
    return NULL;
}

kb_segment_kind kb_segment_kind_parse(const char *name)
{
    for (int k = KB_SEG_TURN; k <= KB_SEG_SENTENCE; k++)
        if (name && !strcmp(name, kb_segment_kind_name((kb_segment_kind)k)))
            return (kb_segment_kind)k;
    return (kb_segment_kind)0;
}

const char *kb_role_name(kb_role role)
{
    switch (role) {
    case KB_ROLE_RESPONDENT:
        return "respondent";
    case KB_ROLE_INTERVIEWER:
        return "interviewer";
    case KB_ROLE_NONE:
        break;
    }
    return "none";
}

/* The columns of a kb_doc_info, in the order doc_info_read expects. */
#define DOC_INFO_COLUMNS                                                       \
    "d.name, v.version, d.changed AND v.version = d.current_version,"          \
    " (SELECT name FROM cases WHERE id = d.case_id), v.source_path,"           \
    " v.encoding, v.hash, v.imported_at, v.chars, v.turns, v.paragraphs,"      \
    " v.sentences"

/* The strings of one kb_doc_info, freed together. */
typedef struct doc_strings {
    char *s[7];
} doc_strings;

static int doc_info_read(kb_doc_info *di, doc_strings *ds, sqlite3_stmt *st)
{
    for (int k = 0; k < 7; k++)
        ds->s[k] = NULL;
    int cols[7] = {0, 3, 4, 5, 6, 7, -1};
    for (int k = 0; cols[k] >= 0; k++)
        if (sqlite3_column_type(st, cols[k]) != SQLITE_NULL &&
            !(ds->s[k] = kb_store_strdup(st, cols[k])))
            return -1;
    di->name = ds->s[0];
    di->case_id = ds->s[1];
    di->source_path = ds->s[2];
    di->encoding = ds->s[3];
    di->hash = ds->s[4];
    di->imported_at = ds->s[5];
    di->version = sqlite3_column_int(st, 1);
    di->changed = sqlite3_column_int(st, 2);
    di->chars = (size_t)sqlite3_column_int64(st, 8);
    di->turns = (size_t)sqlite3_column_int64(st, 9);
    di->paragraphs = (size_t)sqlite3_column_int64(st, 10);
    di->sentences = (size_t)sqlite3_column_int64(st, 11);
    return 0;
}

static void doc_strings_free(doc_strings *ds)
{
    for (int k = 0; k < 7; k++)
        free(ds->s[k]);
}

/* ------------------------------------------------------------------------ */
/* Listing                                                                   */
/* ------------------------------------------------------------------------ */

struct kb_doc_list {
    kb_doc_info *v;
    doc_strings *strings;
    size_t n;
};

int kb_project_docs(kb_doc_list **out, kb_project *p, kb_error *err)
{
    *out = NULL;
    kb_doc_list *l = calloc(1, sizeof *l);
    if (!l)
        return kb_fail(err, KB_ENOMEM, "out of memory");
    sqlite3_stmt *st;
    int rc = kb_store_prepare(p->db, &st,
                              "SELECT " DOC_INFO_COLUMNS
                              " FROM documents d JOIN versions v ON"
                              " v.document_id = d.id AND"
                              " v.version = d.current_version ORDER BY d.name",
                              err);
    if (rc) {
        free(l);
        return rc;
    }
    size_t cap = 0, scap = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (KB_GROW(&l->v, &cap, l->n + 1) ||
            KB_GROW(&l->strings, &scap, l->n + 1))
            break;
        if (doc_info_read(&l->v[l->n], &l->strings[l->n], st)) {
            doc_strings_free(&l->strings[l->n]);
            break;
        }
        l->n++;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        kb_doc_list_free(l);
        return rc == SQLITE_ROW
                   ? kb_fail(err, KB_ENOMEM, "out of memory")
                   : kb_store_fail(err, p->db, "listing documents");
    }
    *out = l;
    return 0;
}

size_t kb_doc_list_count(const kb_doc_list *l)
{
    return l ? l->n : 0;
}

const kb_doc_info *kb_doc_list_get(const kb_doc_list *l, size_t i)
{
    return l && i < l->n ? &l->v[i] : NULL;
}

void kb_doc_list_free(kb_doc_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        doc_strings_free(&l->strings[i]);
    free(l->strings);
    free(l->v);
    free(l);
}

/* ------------------------------------------------------------------------ */
/* One document                                                              */
/* ------------------------------------------------------------------------ */

/* Speakers of a version: id -> (label, role, case) */
typedef struct speaker_row {
    sqlite3_int64 id;
    const char *label, *case_id;
    kb_role role;
} speaker_row;

struct kb_document {
    kb_doc_info info;
    int64_t first_segment;
    speaker_row *sp; /* the version's speakers, for segments read later */
    size_t nsp;
    doc_strings strings;
    char *text;
    size_t len;
    kb_segment *segs[3];
    size_t nsegs[3];
    char **labels; /* speaker labels and case ids the segments point to */
    size_t nlabels;
};

void kb_document_free(kb_document *d)
{
    if (!d)
        return;
    doc_strings_free(&d->strings);
    free(d->text);
    for (int k = 0; k < 3; k++)
        free(d->segs[k]);
    for (size_t i = 0; i < d->nlabels; i++)
        free(d->labels[i]);
    free(d->labels);
    free(d->sp);
    free(d);
}

static int load_speakers(kb_document *d, sqlite3 *db, sqlite3_int64 vid,
                         speaker_row **out, size_t *n, kb_error *err)
{
    sqlite3_stmt *st;
    int rc = kb_store_prepare(
        db, &st,
        "SELECT s.id, s.label, s.role, c.name FROM speakers s LEFT JOIN"
        " cases c ON c.id = s.case_id WHERE s.version_id = ? ORDER BY s.id",
        err);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, vid);
    size_t cap = 0, lcap = 0;
    *out = NULL;
    *n = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (KB_GROW(out, &cap, *n + 1) ||
            KB_GROW(&d->labels, &lcap, d->nlabels + 2))
            break;
        speaker_row *r = &(*out)[(*n)++];
        r->id = sqlite3_column_int64(st, 0);
        r->label = d->labels[d->nlabels++] = kb_store_strdup(st, 1);
        r->role =
            strcmp((const char *)sqlite3_column_text(st, 2), "interviewer")
                ? KB_ROLE_RESPONDENT
                : KB_ROLE_INTERVIEWER;
        r->case_id = d->labels[d->nlabels++] = kb_store_strdup(st, 3);
        if (!r->label)
            break;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return rc == SQLITE_ROW ? kb_fail(err, KB_ENOMEM, "out of memory")
                                : kb_store_fail(err, db, "loading speakers");
    return 0;
}

int64_t kb_segment_id(int64_t first, const kb_doc_info *info,
                      kb_segment_kind kind, size_t seq)
{
    int64_t base = first;
    if (kind > KB_SEG_TURN)
        base += (int64_t)info->turns;
    if (kind > KB_SEG_PARAGRAPH)
        base += (int64_t)info->paragraphs;
    return base + (int64_t)seq;
}

/* The columns read_row reads, in its order. */
#define SEGMENT_COLUMNS                                                        \
    "kind, seq, speaker_id, turn_seq, paragraph_seq, start, \"end\","          \
    " byte_start, byte_end, time_ms"

/* Allocates the array of one kind (all its segments, zeroed) if needed. */
static int kind_array(kb_document *d, int k, kb_error *err)
{
    size_t n = k == 0   ? d->info.turns
               : k == 1 ? d->info.paragraphs
                        : d->info.sentences;
    if (!d->segs[k] && n && !(d->segs[k] = calloc(n, sizeof *d->segs[k])))
        return kb_fail(err, KB_ENOMEM, "out of memory");
    d->nsegs[k] = n;
    return 0;
}

/* Fills the segment a row of SEGMENT_COLUMNS describes. */
static int read_row(kb_document *d, sqlite3_stmt *st, kb_error *err)
{
    kb_segment_kind kind =
        kb_segment_kind_parse((const char *)sqlite3_column_text(st, 0));
    size_t seq = (size_t)sqlite3_column_int64(st, 1);
    int k = (int)kind - 1;
    if (k < 0 || !d->segs[k] || seq >= d->nsegs[k])
        return kb_fail(err, KB_EDB,
                       "project store: inconsistent segments of document "
                       "'%s'",
                       d->info.name);
    kb_segment *g = &d->segs[k][seq];
    g->kind = kind;
    g->index = seq;
    g->turn = sqlite3_column_type(st, 3) == SQLITE_NULL
                  ? KB_NO_INDEX
                  : (size_t)sqlite3_column_int64(st, 3);
    g->paragraph = sqlite3_column_type(st, 4) == SQLITE_NULL
                       ? KB_NO_INDEX
                       : (size_t)sqlite3_column_int64(st, 4);
    g->start = (size_t)sqlite3_column_int64(st, 5);
    g->end = (size_t)sqlite3_column_int64(st, 6);
    size_t b0 = (size_t)sqlite3_column_int64(st, 7);
    size_t b1 = (size_t)sqlite3_column_int64(st, 8);
    if (b0 > b1 || b1 > d->len)
        return kb_fail(err, KB_EDB,
                       "project store: segment outside the text of document "
                       "'%s'",
                       d->info.name);
    g->text = d->text + b0;
    g->text_len = b1 - b0;
    g->time_ms = sqlite3_column_type(st, 9) == SQLITE_NULL
                     ? KB_NO_TIME
                     : sqlite3_column_int64(st, 9);
    g->role = KB_ROLE_NONE;
    g->case_id = d->info.case_id;
    if (sqlite3_column_type(st, 2) != SQLITE_NULL) {
        sqlite3_int64 sid = sqlite3_column_int64(st, 2);
        for (size_t i = 0; i < d->nsp; i++)
            if (d->sp[i].id == sid) {
                g->speaker = d->sp[i].label;
                g->role = d->sp[i].role;
                g->case_id = d->sp[i].case_id;
            }
    }
    return 0;
}

static int load_segments(kb_document *d, sqlite3 *db, int64_t first,
                         unsigned kinds, kb_error *err)
{
    /* A version's segments have consecutive ids (import.c): each kind is a
     * range of rowids, read without an index. */
    int64_t lo = -1, hi = -1;
    for (int k = 0; k < 3; k++) {
        if (!(kinds & KB_KIND_BIT(k + 1)))
            continue;
        int rc = kind_array(d, k, err);
        if (rc)
            return rc;
        int64_t from =
            kb_segment_id(first, &d->info, (kb_segment_kind)(k + 1), 0);
        if (lo < 0)
            lo = from;
        hi = from + (int64_t)d->nsegs[k];
    }
    sqlite3_stmt *st;
    int rc = kb_store_prepare(db, &st,
                              "SELECT " SEGMENT_COLUMNS " FROM segments WHERE"
                              " id >= ?1 AND id < ?2 ORDER BY id",
                              err);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, lo);
    sqlite3_bind_int64(st, 2, hi);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        kb_segment_kind kind =
            kb_segment_kind_parse((const char *)sqlite3_column_text(st, 0));
        if (!(kinds & KB_KIND_BIT(kind)))
            continue; /* a kind in the middle of the range, not asked for */
        if ((rc = read_row(d, st, err))) {
            sqlite3_finalize(st);
            return rc;
        }
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return kb_store_fail(err, db, "loading segments");
    return 0;
}

int kb_document_segments_at(kb_document *d, kb_project *p, kb_segment_kind kind,
                            const size_t *offs, size_t n, size_t **seqs,
                            size_t *nseqs, size_t *cap, kb_error *err)
{
    size_t count = kind == KB_SEG_TURN        ? d->info.turns
                   : kind == KB_SEG_PARAGRAPH ? d->info.paragraphs
                                              : d->info.sentences;
    if (!count)
        return 0;
    sqlite3_stmt *st;
    int rc = kb_store_prepare(p->db, &st,
                              "SELECT byte_start, byte_end FROM segments"
                              " WHERE id = ?",
                              err);
    if (rc)
        return rc;
    int64_t first = kb_segment_id(d->first_segment, &d->info, kind, 0);
    size_t from = 0; /* offsets come in order: so do their segments */
    for (size_t i = 0; i < n && !rc; i++) {
        /* the last segment starting at or before offs[i] */
        size_t lo = from, hi = count, b1 = 0;
        while (lo + 1 < hi) {
            size_t mid = lo + (hi - lo) / 2;
            sqlite3_bind_int64(st, 1, first + (int64_t)mid);
            size_t b0 = sqlite3_step(st) == SQLITE_ROW
                            ? (size_t)sqlite3_column_int64(st, 0)
                            : SIZE_MAX;
            sqlite3_reset(st);
            if (b0 <= offs[i])
                lo = mid;
            else
                hi = mid;
        }
        sqlite3_bind_int64(st, 1, first + (int64_t)lo);
        size_t b0 = SIZE_MAX;
        if (sqlite3_step(st) == SQLITE_ROW) {
            b0 = (size_t)sqlite3_column_int64(st, 0);
            b1 = (size_t)sqlite3_column_int64(st, 1);
        }
        sqlite3_reset(st);
        from = lo;
        if (b0 > offs[i] || offs[i] >= b1)
            continue; /* between segments: a label, a blank */
        if (*nseqs && (*seqs)[*nseqs - 1] == lo)
            continue;
        if (KB_GROW(seqs, cap, *nseqs + 1))
            rc = kb_fail(err, KB_ENOMEM, "out of memory");
        else
            (*seqs)[(*nseqs)++] = lo;
    }
    sqlite3_finalize(st);
    return rc;
}

int kb_document_fill(kb_document *d, kb_project *p, kb_segment_kind kind,
                     const size_t *seqs, size_t n, kb_error *err)
{
    int rc = kind_array(d, (int)kind - 1, err);
    if (rc || !n)
        return rc;
    sqlite3_stmt *st;
    if ((rc = kb_store_prepare(p->db, &st,
                               "SELECT " SEGMENT_COLUMNS " FROM segments"
                               " WHERE id = ?",
                               err)))
        return rc;
    int64_t first = kb_segment_id(d->first_segment, &d->info, kind, 0);
    for (size_t i = 0; i < n && !rc; i++) {
        sqlite3_bind_int64(st, 1, first + (int64_t)seqs[i]);
        if (sqlite3_step(st) == SQLITE_ROW)
            rc = read_row(d, st, err);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    return rc;
}

int kb_document_load(kb_document **out, kb_project *p, const char *name,
                     int version, kb_error *err)
{
    return kb_document_load_kinds(out, p, name, version, KB_ALL_KINDS, err);
}

int kb_document_load_kinds(kb_document **out, kb_project *p, const char *name,
                           int version, unsigned kinds, kb_error *err)
{
    *out = NULL;
    kb_document *d = calloc(1, sizeof *d);
    if (!d)
        return kb_fail(err, KB_ENOMEM, "out of memory");
    sqlite3_stmt *st;
    int rc = kb_store_prepare(
        p->db, &st,
        "SELECT " DOC_INFO_COLUMNS ", v.id, v.first_segment, v.text FROM"
        " documents d JOIN"
        " versions v ON v.document_id = d.id WHERE d.name = ?1 AND"
        " v.version = CASE WHEN ?2 > 0 THEN ?2 ELSE d.current_version END",
        err);
    if (rc) {
        free(d);
        return rc;
    }
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, version);
    rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_finalize(st);
        kb_document_free(d);
        if (rc != SQLITE_DONE)
            return kb_store_fail(err, p->db, "loading document");
        return version > 0
                   ? kb_fail(err, KB_ENOENT, "document '%s' has no version %d",
                             name, version)
                   : kb_fail(err, KB_ENOENT, "no document '%s'", name);
    }
    sqlite3_int64 vid = sqlite3_column_int64(st, 12);
    int64_t first = d->first_segment = sqlite3_column_int64(st, 13);
    d->len = (size_t)sqlite3_column_bytes(st, 14);
    if (doc_info_read(&d->info, &d->strings, st) ||
        !(d->text = malloc(d->len + 1))) {
        sqlite3_finalize(st);
        kb_document_free(d);
        return kb_fail(err, KB_ENOMEM, "out of memory");
    }
    memcpy(d->text, sqlite3_column_text(st, 14), d->len);
    d->text[d->len] = '\0';
    sqlite3_finalize(st);

    rc = load_speakers(d, p->db, vid, &d->sp, &d->nsp, err);
    if (!rc)
        rc = load_segments(d, p->db, first, kinds, err);
    if (rc) {
        kb_document_free(d);
        return rc;
    }
    *out = d;
    return 0;
}

int64_t kb_document_first_segment(const kb_document *d)
{
    return d->first_segment;
}

const kb_doc_info *kb_document_info(const kb_document *d)
{
    return &d->info;
}

const char *kb_document_text(const kb_document *d, size_t *len)
{
    if (len)
        *len = d->len;
    return d->text;
}

size_t kb_document_segment_count(const kb_document *d, kb_segment_kind kind)
{
    int k = (int)kind - 1;
    return k >= 0 && k < 3 ? d->nsegs[k] : 0;
}

const kb_segment *kb_document_segment(const kb_document *d,
                                      kb_segment_kind kind, size_t i)
{
    int k = (int)kind - 1;
    return k >= 0 && k < 3 && i < d->nsegs[k] ? &d->segs[k][i] : NULL;
}
