/*
 * document.c: reading documents back: the list of documents and one
 * document's text and segments.
 *
 * Every string a kb_doc_info or kb_segment points to is owned by the list or
 * document it came from; nothing points into SQLite's memory.
 */
#include "base/error.h"
#include "base/grow.h"
#include "store/document.h"
#include "store/docbuf.h"
#include "store/project.h"
#include "store/segpack.h"
#include "store/store.h"

#include <stdlib.h>
#include <string.h>

/* The columns of a kb_doc_info, in the order doc_info_read expects. */
#define DOC_INFO_COLUMNS                                                       \
    "d.name, v.version, d.changed AND v.version = d.current_version,"          \
    " (SELECT name FROM cases WHERE id = d.case_id), v.source_path,"           \
    " v.encoding, v.hash, v.imported_at, v.chars, v.turns, v.paragraphs,"      \
    " v.sentences, v.read_speaker, v.read_interviewers,"                       \
    " (SELECT group_concat(key || char(31) || value, char(30)) FROM"           \
    " (SELECT key, value FROM version_header WHERE version_id = v.id"          \
    " ORDER BY ord)), v.read_encoding IS NOT NULL, v.read_format"
/* The first column after them. */
#define DOC_INFO_NCOLUMNS 17

/* The strings of one kb_doc_info, freed together. */
typedef struct doc_strings {
    char *s[10];
    char *header;           /* "key\x1Fvalue\x1E..." cut into fields */
    kb_header_field *field; /* pointing into it */
} doc_strings;

/* Cuts the header column (keys and values have no control characters:
 * stored text has none but tab and LF) into fields. */
static int header_fields(kb_doc_info *di, doc_strings *ds)
{
    di->header = NULL;
    di->nheader = 0;
    if (!ds->header)
        return 0;
    size_t n = 1;
    for (const char *c = ds->header; *c; c++)
        n += *c == '\x1E';
    if (!(ds->field = calloc(n, sizeof *ds->field)))
        return -1;
    for (char *c = ds->header; c;) {
        char *end = strchr(c, '\x1E'), *sep = strchr(c, '\x1F');
        if (end)
            *end = '\0';
        if (sep) {
            *sep = '\0';
            ds->field[di->nheader++] = (kb_header_field){c, sep + 1};
        }
        c = end ? end + 1 : NULL;
    }
    di->header = ds->field;
    return 0;
}

static int doc_info_read(kb_doc_info *di, doc_strings *ds, sqlite3_stmt *st)
{
    for (int k = 0; k < 10; k++)
        ds->s[k] = NULL;
    ds->field = NULL;
    if (!(ds->header = kbi_store_strdup(st, 14)) &&
        sqlite3_column_type(st, 14) != SQLITE_NULL)
        return -1;
    int cols[10] = {0, 3, 4, 5, 6, 7, 12, 13, 16, -1};
    for (int k = 0; cols[k] >= 0; k++)
        if (sqlite3_column_type(st, cols[k]) != SQLITE_NULL &&
            !(ds->s[k] = kbi_store_strdup(st, cols[k])))
            return -1;
    di->name = ds->s[0];
    di->case_id = ds->s[1];
    di->source_path = ds->s[2];
    di->encoding = ds->s[3];
    di->hash = ds->s[4];
    di->imported_at = ds->s[5];
    di->speaker_rule = ds->s[6];
    di->interviewers = ds->s[7];
    di->format = ds->s[8];
    di->version = sqlite3_column_int(st, 1);
    di->changed = sqlite3_column_int(st, 2);
    di->chars = (size_t)sqlite3_column_int64(st, 8);
    di->turns = (size_t)sqlite3_column_int64(st, 9);
    di->paragraphs = (size_t)sqlite3_column_int64(st, 10);
    di->sentences = (size_t)sqlite3_column_int64(st, 11);
    di->encoding_given = sqlite3_column_int(st, 15);
    return header_fields(di, ds);
}

static void doc_strings_free(doc_strings *ds)
{
    for (int k = 0; k < 10; k++)
        free(ds->s[k]);
    free(ds->header);
    free(ds->field);
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
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    sqlite3_stmt *st;
    int rc = kbi_store_prepare(p->db, &st,
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
        if (KBI_GROW(&l->v, &cap, l->n + 1) ||
            KBI_GROW(&l->strings, &scap, l->n + 1))
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
                   ? kbi_fail(err, KB_ENOMEM, "out of memory")
                   : kbi_store_fail(err, p->db, "listing documents");
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

/* Speakers of a version, in id order: a segment's speaker is an index. */
typedef struct speaker_row {
    const char *label, *case_id;
    kb_role role;
} speaker_row;

struct kb_document {
    kb_doc_info info;
    int64_t vid, first_segment;
    speaker_row *sp; /* the version's speakers */
    size_t nsp;
    doc_strings strings;
    char *text;
    size_t len, textcap;
    unsigned char *pack; /* the packed segments, decoded a kind at a time */
    size_t pack_len, packcap;
    kb_segment *segs[3]; /* a kind decoded whole: its segments by index */
    size_t nsegs[3], segcap[3];
    int whole[3];
    /* A kind decoded in part: a bitmap of the segments set, and pointers to
     * them in index order, into blocks that never move (a re-run touches
     * no more memory than the few segments it reads). */
    unsigned char *only[3];
    kb_segment **some[3];
    size_t nsome[3], somecap[3];
    kbi_pool blocks;
    kbi_pool labels; /* speaker labels and case ids the segments point to */
};

void kb_document_free(kb_document *d)
{
    if (!d)
        return;
    doc_strings_free(&d->strings);
    free(d->text);
    free(d->pack);
    for (int k = 0; k < 3; k++) {
        free(d->segs[k]);
        free(d->only[k]);
        free(d->some[k]);
    }
    kbi_pool_free(&d->blocks);
    kbi_pool_free(&d->labels);
    free(d->sp);
    free(d);
}

/* Resets a statement of the project's cache for its next use. */
static void stmt_done(sqlite3_stmt *st)
{
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
}

static int load_speakers(kb_document *d, kb_project *p, sqlite3_int64 vid,
                         kb_error *err)
{
    sqlite3_stmt *st;
    int rc = kbi_store_cached(
        p->db, &p->stmts, &st,
        "SELECT s.label, s.role, c.name FROM speakers s LEFT JOIN"
        " cases c ON c.id = s.case_id WHERE s.version_id = ? ORDER BY s.id",
        err);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, vid);
    size_t cap = 0;
    int fail = 0;
    while (!fail && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (KBI_GROW(&d->sp, &cap, d->nsp + 1)) {
            fail = 1;
            break;
        }
        speaker_row *r = &d->sp[d->nsp++];
        r->label = kbi_store_keep(&d->labels, st, 0, &fail);
        r->role =
            strcmp((const char *)sqlite3_column_text(st, 1), "interviewer")
                ? KB_ROLE_RESPONDENT
                : KB_ROLE_INTERVIEWER;
        r->case_id = kbi_store_keep(&d->labels, st, 2, &fail);
    }
    int failed = !fail && rc != SQLITE_DONE
                     ? kbi_store_fail(err, p->db, "loading speakers")
                     : 0;
    stmt_done(st);
    if (fail)
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    return failed;
}

int64_t kbi_segment_id(int64_t first, const kb_doc_info *info,
                       kb_segment_kind kind, size_t seq)
{
    int64_t base = first;
    if (kind > KB_SEG_TURN)
        base += (int64_t)info->turns;
    if (kind > KB_SEG_PARAGRAPH)
        base += (int64_t)info->paragraphs;
    return base + (int64_t)seq;
}

kb_segment_kind kbi_document_locate(const kb_document *d, int64_t id,
                                    size_t *seq)
{
    int64_t off = id - d->first_segment;
    size_t n[3] = {d->info.turns, d->info.paragraphs, d->info.sentences};
    for (int k = 0; k < 3 && off >= 0; k++) {
        if ((uint64_t)off < n[k]) {
            *seq = (size_t)off;
            return (kb_segment_kind)(k + 1);
        }
        off -= (int64_t)n[k];
    }
    return (kb_segment_kind)0;
}

static int damaged(kb_error *err, const kb_document *d)
{
    return kbi_fail(err, KB_EDB,
                    "project store: damaged segments of document '%s'",
                    d->info.name);
}

/* Sets *s, segment i of kind index k, from its packed record. */
static int fill(kb_document *d, int k, size_t i, const kbi_tseg *g,
                kb_segment *s, kb_error *err)
{
    if (g->b1 > d->len || (g->speaker >= 0 && (size_t)g->speaker >= d->nsp))
        return damaged(err, d);
    s->kind = (kb_segment_kind)(k + 1);
    s->index = i;
    s->text = d->text + g->b0;
    s->text_len = g->b1 - g->b0;
    s->start = g->c0;
    s->end = g->c1;
    s->turn = g->turn;
    s->paragraph = g->para;
    s->time_ms = g->time_ms;
    s->role = KB_ROLE_NONE;
    s->speaker = NULL;
    s->case_id = d->info.case_id;
    if (g->speaker >= 0) {
        const speaker_row *r = &d->sp[g->speaker];
        s->speaker = r->label;
        s->role = r->role;
        s->case_id = r->case_id;
    }
    return 0;
}

static int by_index(const void *a, const void *b)
{
    size_t x = (*(kb_segment *const *)a)->index;
    size_t y = (*(kb_segment *const *)b)->index;
    return (x > y) - (x < y);
}

/* Adds the n segments of blk (in index order, none set before) to the
 * partly decoded kind k; d owns blk from here on, also when out of memory. */
static int keep_some(kb_document *d, int k, kb_segment *blk, size_t n,
                     kb_error *err)
{
    int fail = 0;
    if (!n) {
        free(blk);
        return 0;
    }
    kbi_pool_own(&d->blocks, blk, &fail);
    if (fail || KBI_GROW(&d->some[k], &d->somecap[k], d->nsome[k] + n))
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    size_t at = d->nsome[k];
    for (size_t i = 0; i < n; i++)
        d->some[k][at + i] = &blk[i];
    d->nsome[k] += n;
    if (at && d->some[k][at - 1]->index > blk[0].index)
        kbi_sort(d->some[k], d->nsome[k], sizeof *d->some[k], by_index);
    return 0;
}

/*
 * Walks the pack of kind index k. With offs == NULL every segment is set
 * and the kind is whole. Otherwise only the segments holding one of the
 * byte offsets offs[0..noffs) (sorted) are set, in a block of their own,
 * and their indexes appended to *seqs: a re-run then never touches the rest.
 */
static int decode(kb_document *d, int k, const size_t *offs, size_t noffs,
                  size_t **seqs, size_t *nseqs, size_t *cap, kb_error *err)
{
    size_t want = k == 0   ? d->info.turns
                  : k == 1 ? d->info.paragraphs
                           : d->info.sentences;
    if (!want)
        return 0;
    kbi_segpack_iter it;
    size_t n;
    int rc = kbi_segpack_open(&it, &n, d->pack, d->pack_len, k, err);
    if (rc)
        return rc;
    if (n != want)
        return damaged(err, d);
    if (!offs && KBI_GROW(&d->segs[k], &d->segcap[k], n))
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    if (offs && !d->only[k] && !(d->only[k] = calloc((n + 7) / 8, 1)))
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    d->nsegs[k] = n;
    kb_segment *blk = NULL; /* the segments this call sets, if partial */
    size_t nblk = 0, blkcap = 0;
    kbi_tseg g;
    size_t i = 0, o = 0;
    for (; i < n; i++) {
        if (offs) { /* skip whole groups before the next offset */
            if (o == noffs)
                break;
            i = kbi_segpack_seek(&it, i, offs[o]);
        }
        if ((rc = kbi_segpack_next(&it, &g, err)) != 1)
            break;
        if (!offs) {
            if ((rc = fill(d, k, i, &g, &d->segs[k][i], err)))
                break;
            continue;
        }
        while (o < noffs && offs[o] < g.b0)
            o++; /* between segments: a label, a blank */
        if (o == noffs)
            break;
        if (offs[o] >= g.b1)
            continue;
        unsigned char bit = (unsigned char)(1u << (i % 8));
        if (!(d->only[k][i / 8] & bit)) {
            if (KBI_GROW(&blk, &blkcap, nblk + 1)) {
                rc = kbi_fail(err, KB_ENOMEM, "out of memory");
                break;
            }
            if ((rc = fill(d, k, i, &g, &blk[nblk], err)))
                break;
            nblk++;
            d->only[k][i / 8] |= bit;
        }
        if (KBI_GROW(seqs, cap, *nseqs + 1)) {
            rc = kbi_fail(err, KB_ENOMEM, "out of memory");
            break;
        }
        (*seqs)[(*nseqs)++] = i;
    }
    if (offs) {
        int kept = keep_some(d, k, blk, nblk, err);
        return rc < 0 ? rc : kept;
    }
    if (rc < 0)
        return rc;
    if (i < n)
        return damaged(err, d);
    free(d->only[k]);
    d->only[k] = NULL;
    d->whole[k] = 1;
    return 0;
}

int kbi_document_need(kb_document *d, kb_segment_kind kind, kb_error *err)
{
    if (kind < KB_SEG_TURN || kind > KB_SEG_SENTENCE)
        return kbi_fail(err, KB_EINVAL, "no such segment kind");
    int k = (int)kind - 1;
    return d->whole[k] ? 0 : decode(d, k, NULL, 0, NULL, NULL, NULL, err);
}

int kbi_document_segments_at(kb_document *d, kb_segment_kind kind,
                             const size_t *offs, size_t n, size_t **seqs,
                             size_t *nseqs, size_t *cap, kb_error *err)
{
    if (kind < KB_SEG_TURN || kind > KB_SEG_SENTENCE)
        return kbi_fail(err, KB_EINVAL, "no such segment kind");
    int k = (int)kind - 1;
    if (!n) /* and offs may be NULL, which decode takes for "every one" */
        return 0;
    if (!d->whole[k])
        return decode(d, k, offs, n, seqs, nseqs, cap, err);
    const kb_segment *v = d->segs[k];
    size_t count = d->nsegs[k], from = 0;
    for (size_t i = 0; i < n && count; i++) {
        /* the last segment starting at or before offs[i]; offsets come in
         * order, and so do their segments */
        size_t lo = from, hi = count;
        while (lo + 1 < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if ((size_t)(v[mid].text - d->text) <= offs[i])
                lo = mid;
            else
                hi = mid;
        }
        from = lo;
        size_t b0 = (size_t)(v[lo].text - d->text);
        if (b0 > offs[i] || offs[i] >= b0 + v[lo].text_len)
            continue; /* between segments: a label, a blank */
        if (*nseqs && (*seqs)[*nseqs - 1] == lo)
            continue;
        if (KBI_GROW(seqs, cap, *nseqs + 1))
            return kbi_fail(err, KB_ENOMEM, "out of memory");
        (*seqs)[(*nseqs)++] = lo;
    }
    return 0;
}

typedef struct ref_order {
    kbi_seg_ref ref;
    size_t i;
} ref_order;

static int place_cmp(const kbi_seg_ref *x, const kbi_seg_ref *y)
{
    /* callers that keep names once give one address for equal names */
    int c = x->document == y->document ? 0 : strcmp(x->document, y->document);
    if (!c)
        c = (x->version > y->version) - (x->version < y->version);
    if (!c)
        c = (x->segment > y->segment) - (x->segment < y->segment);
    return c;
}

static int by_place(const void *a, const void *b)
{
    return place_cmp(&((const ref_order *)a)->ref,
                     &((const ref_order *)b)->ref);
}

/* Items already in order (callers that sort first give them so) are
 * visited as they are; others through a sorted copy of their places. */
int kbi_segments_resolve(kb_project *p, size_t n,
                         void (*ref)(void *ctx, size_t i, kbi_seg_ref *out),
                         int (*use)(void *ctx, size_t i, const kb_document *doc,
                                    const kb_segment *s),
                         void *ctx, kb_error *err)
{
    ref_order *order = NULL;
    kbi_seg_ref r, last = {0};
    for (size_t i = 0; i < n && !order; i++) {
        ref(ctx, i, &r);
        if (i && place_cmp(&last, &r) > 0) {
            if (!(order = malloc(n * sizeof *order)))
                return kbi_fail(err, KB_ENOMEM, "out of memory");
            for (size_t k = 0; k < n; k++) {
                ref(ctx, k, &order[k].ref);
                order[k].i = k;
            }
            kbi_sort(order, n, sizeof *order, by_place);
        }
        last = r;
    }
    kb_document *doc = NULL;
    int rc = 0;
    for (size_t k = 0; k < n && !rc; k++) {
        size_t i = order ? order[k].i : k;
        if (order)
            r = order[k].ref;
        else
            ref(ctx, k, &r);
        if (!k || place_cmp(&(kbi_seg_ref){r.document, r.version, 0},
                            &(kbi_seg_ref){last.document, last.version, 0})) {
            kbi_document_recycle(doc, p);
            doc = NULL;
            if ((rc = kbi_document_load_kinds(&doc, p, r.document, r.version, 0,
                                              err)))
                break;
        }
        last = r;
        size_t seq = 0;
        kb_segment_kind kind = kbi_document_locate(doc, r.segment, &seq);
        const kb_segment *s = NULL;
        if (kind && !(rc = kbi_document_need(doc, kind, err)))
            s = kb_document_segment(doc, kind, seq);
        if (rc)
            break;
        rc = !s                    ? kbi_fail(err, KB_EDB,
                                              "project store: a coding of '%s' points to no "
                                                                 "segment",
                                              r.document)
             : use(ctx, i, doc, s) ? kbi_fail(err, KB_ENOMEM, "out of memory")
                                   : 0;
    }
    kbi_document_recycle(doc, p);
    free(order);
    return rc;
}

/* Reads a version's text or segment pack (`column` of table version_...)
 * whole into *out (capacity *cap, grown when short), with a terminating
 * NUL, copying once. */
static int read_column(sqlite3 *db, const char *column, sqlite3_int64 vid,
                       char **out, size_t *cap, size_t *len, kb_error *err)
{
    sqlite3_blob *b;
    *len = 0;
    int pack = !strcmp(column, "segments");
    if (sqlite3_blob_open(db, "main",
                          pack ? "version_segments" : "version_texts", column,
                          vid, 0, &b) != SQLITE_OK)
        return sqlite3_errcode(db) == SQLITE_ERROR && pack
                   ? 0 /* no row: a version without segments */
                   : kbi_store_fail(err, db, "loading document");
    int n = sqlite3_blob_bytes(b);
    int rc = 0;
    if (kbi_buffer_room(out, cap, (size_t)n + 1))
        rc = kbi_fail(err, KB_ENOMEM, "out of memory");
    else if (sqlite3_blob_read(b, *out, n, 0) != SQLITE_OK)
        rc = kbi_store_fail(err, db, "loading document");
    sqlite3_blob_close(b);
    if (rc)
        return rc;
    (*out)[n] = '\0';
    *len = (size_t)n;
    return 0;
}

/* The buffers of a recycled document (see kbi_document_recycle). */
void kbi_document_recycle(kb_document *d, kb_project *p)
{
    if (!d)
        return;
    kbi_doc_buffers b = {NULL,
                         d->text,
                         d->pack,
                         {d->segs[0], d->segs[1], d->segs[2]},
                         d->textcap,
                         d->packcap,
                         {d->segcap[0], d->segcap[1], d->segcap[2]}};
    if (kbi_doc_buffers_push(&p->spare, &b)) {
        d->text = NULL;
        d->pack = NULL;
        for (int k = 0; k < 3; k++)
            d->segs[k] = NULL;
    }
    kb_document_free(d);
}

/* Gives d the buffers of a recycled document, if p has some. */
static void adopt_buffers(kb_document *d, kb_project *p)
{
    kbi_doc_buffers b;
    if (!kbi_doc_buffers_pop(&p->spare, &b))
        return;
    d->text = b.text;
    d->textcap = b.textcap;
    d->pack = b.pack;
    d->packcap = b.packcap;
    for (int k = 0; k < 3; k++) {
        d->segs[k] = b.segs[k];
        d->segcap[k] = b.segcap[k];
    }
}

int kb_document_load(kb_document **out, kb_project *p, const char *name,
                     int version, kb_error *err)
{
    return kbi_document_load_kinds(out, p, name, version, KBI_ALL_KINDS, err);
}

int kbi_document_load_head(kb_document **out, kb_project *p, const char *name,
                           int version, kb_error *err)
{
    *out = NULL;
    kb_document *d = calloc(1, sizeof *d);
    if (!d)
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    sqlite3_stmt *st;
    int rc = kbi_store_cached(
        p->db, &p->stmts, &st,
        "SELECT " DOC_INFO_COLUMNS ", v.id, v.first_segment FROM"
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
        int failed = rc != SQLITE_DONE
                         ? kbi_store_fail(err, p->db, "loading document")
                         : 0;
        stmt_done(st);
        kb_document_free(d);
        if (failed)
            return failed;
        return version > 0
                   ? kbi_fail(err, KB_ENOENT, "document '%s' has no version %d",
                              name, version)
                   : kbi_fail(err, KB_ENOENT, "no document '%s'", name);
    }
    sqlite3_int64 vid = sqlite3_column_int64(st, DOC_INFO_NCOLUMNS);
    d->vid = vid;
    d->first_segment = sqlite3_column_int64(st, DOC_INFO_NCOLUMNS + 1);
    rc = doc_info_read(&d->info, &d->strings, st)
             ? kbi_fail(err, KB_ENOMEM, "out of memory")
             : 0;
    stmt_done(st);
    adopt_buffers(d, p);
    if (!rc)
        rc = load_speakers(d, p, vid, err);
    if (rc) {
        kb_document_free(d);
        return rc;
    }
    *out = d;
    return 0;
}

int kbi_document_load_body(kb_document *d, sqlite3 *db, unsigned kinds,
                           kb_error *err)
{
    int rc =
        read_column(db, "text", d->vid, &d->text, &d->textcap, &d->len, err);
    if (!rc)
        rc = read_column(db, "segments", d->vid, (char **)&d->pack, &d->packcap,
                         &d->pack_len, err);
    for (int k = 0; k < 3 && !rc; k++)
        if (kinds & KBI_KIND_BIT(k + 1))
            rc = kbi_document_need(d, (kb_segment_kind)(k + 1), err);
    return rc;
}

int kbi_document_load_kinds(kb_document **out, kb_project *p, const char *name,
                            int version, unsigned kinds, kb_error *err)
{
    int rc = kbi_document_load_head(out, p, name, version, err);
    if (!rc && (rc = kbi_document_load_body(*out, p->db, kinds, err))) {
        kb_document_free(*out);
        *out = NULL;
    }
    return rc;
}

int64_t kbi_document_first_segment(const kb_document *d)
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
    if (k < 0 || k > 2 || i >= d->nsegs[k])
        return NULL;
    if (d->whole[k])
        return &d->segs[k][i];
    if (!d->only[k] || !(d->only[k][i / 8] >> (i % 8) & 1))
        return NULL;                 /* not decoded */
    size_t lo = 0, hi = d->nsome[k]; /* set: some[k] holds it */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (d->some[k][mid]->index <= i)
            lo = mid;
        else
            hi = mid;
    }
    return d->some[k][lo];
}
