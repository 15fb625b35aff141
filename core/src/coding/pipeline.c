/*
 * pipeline.c: a run's documents through worker threads: jobs, workers,
 * their reader connections, settling the quotes of each concept on each
 * version as codings.
 */
#include "coding/pipeline.h"
#include "base/error.h"
#include "base/file.h"
#include "base/grow.h"
#include "store/document.h"
#include "base/utf8.h"
#include "codebook/codebook.h"
#include "coding/facets.h"
#include "coding/packs.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ------------------------------------------------------------------------ */
/* Matching one document version                                             */
/* ------------------------------------------------------------------------ */

static int by_segment(const void *x, const void *y)
{
    const kbi_alive_ref *a = x, *b = y;
    if (a->segment != b->segment)
        return a->segment < b->segment ? -1 : 1;
    if (a->pack != b->pack)
        return a->pack < b->pack ? -1 : 1;
    return (a->entry > b->entry) - (a->entry < b->entry);
}

/* The quotes of one concept on one version as codings, in segment order,
 * with their facet values, into c->found. */
static int quotes_found(kbi_run_ctx *c, const kb_document *doc,
                        const kbi_quote *q, size_t nq)
{
    kbi_cpack *found = &c->found;
    kbi_cpack_reset(found);
    int rc = 0;
    for (size_t k = 0; k < nq && !rc; k++) {
        if (q[k].segment >= kb_document_segment_count(doc, q[k].kind))
            return kbi_fail(c->err, KB_EDB, "segment index out of range");
        int64_t seg =
            kbi_segment_id(kbi_document_first_segment(doc),
                           kb_document_info(doc), q[k].kind, q[k].segment);
        if ((rc = kbi_cpack_add(found, seg, (int64_t)q[k].mstart,
                                (int64_t)q[k].mend, 0, c->err)))
            break;
        rc = kbi_facets_code(c, found, doc, q[k].kind, q[k].segment,
                             q[k].values);
    }
    return rc;
}

/* Brings the alive codings of one concept on one version to `found` (the
 * quotes as codings): new ones go into a new pack of this run, lost ones
 * get their to_run. */
static int settle_concept(kbi_run_ctx *c, int64_t vid, size_t ci,
                          const kbi_cpack *found)
{
    const char *concept = c->cb->nodes[ci].info.id;
    size_t nold = 0, na = 0;
    int rc = 0;
    sqlite3_bind_int64(c->alive, 1, vid);
    sqlite3_bind_text(c->alive, 2, concept, -1, SQLITE_STATIC);
    while (!rc && sqlite3_step(c->alive) == SQLITE_ROW)
        rc = kbi_packs_read_row(c, c->alive, nold++);
    sqlite3_reset(c->alive);
    for (size_t k = 0; k < nold && !rc; k++)
        for (size_t i = 0; i < c->old[k].p.n && !rc; i++) {
            if (c->old[k].p.v[i].to_run)
                continue;
            if (KBI_GROW(&c->refs, &c->caprefs, na + 1))
                rc = kbi_fail(c->err, KB_ENOMEM, "out of memory");
            else
                c->refs[na++] =
                    (kbi_alive_ref){c->old[k].p.v[i].segment, k, i, 0};
        }
    if (nold > 1)
        kbi_sort(c->refs, na, sizeof *c->refs, by_segment);
    /* Both lists are in segment order. */
    kbi_alive_ref *alive = c->refs;
    kbi_cpack *fresh = &c->fresh;
    kbi_cpack_reset(fresh);
    size_t a = 0;
    for (size_t k = 0; k < found->n && !rc; k++) {
        int64_t seg = found->v[k].segment;
        while (a < na && alive[a].segment < seg)
            a++;
        if (a < na && alive[a].segment == seg) {
            alive[a++].seen = 1;
            continue;
        }
        if (fresh->n == KBI_CPACK_MAX) {
            if ((rc = kbi_packw_insert(&c->w, vid, concept, c->run, fresh,
                                       c->err)))
                break;
            kbi_cpack_reset(fresh);
        }
        if (!(rc = kbi_packs_copy(c, fresh, found, k)))
            c->sum->gained++;
    }
    if (!rc)
        rc = kbi_packw_insert(&c->w, vid, concept, c->run, fresh, c->err);
    for (size_t k = 0; k < na && !rc; k++) {
        if (alive[k].seen)
            continue;
        kbi_old_pack *o = &c->old[alive[k].pack];
        o->p.v[alive[k].entry].to_run = c->prev;
        o->dirty = 1;
        c->sum->lost++;
    }
    for (size_t k = 0; k < nold && !rc; k++)
        if (c->old[k].dirty)
            rc = kbi_packw_update(&c->w, c->old[k].id, &c->old[k].p, c->err);
    return rc;
}

/*
 * One document version to match: found and settled by the main thread,
 * its text read by the main thread too or, with two workers or more, by
 * the worker on a connection of its own (so that reading is split), then
 * decoded and matched by the worker with an engine of its own.
 * Limit hits are collected and reported when the job is settled, in
 * document order.
 */
typedef struct job {
    int64_t vid;
    const char *name;
    int version, covered;
    const unsigned char *mask;
    int locate; /* few concepts changed: match where their literals are */
    int body;   /* the worker reads the text (kbi_document_load_body) */
    const kb_codebook *cb;
    kb_document *doc;
    kbi_quotes quotes;
    kbi_limit_hit *hits;
    size_t nhits, caphits;
    int done; /* matched (the pipeline's lock guards it) */
    int rc;
    kb_error err;
} job;

static void job_limit(void *ctx, const kbi_limit_hit *h)
{
    job *j = ctx;
    if (!KBI_GROW(&j->hits, &j->caphits, j->nhits + 1))
        j->hits[j->nhits++] = *h;
}

/* A worker's part of a job: reading the text if the main thread did not,
 * decoding the segments it needs, matching. */
static void job_run(job *j, kbi_engine *e, sqlite3 *reader)
{
    if (j->body && (j->rc = kbi_document_load_body(j->doc, reader, 0, &j->err)))
        return;
    if (j->locate) {
        /* A re-run of a few concepts on a document the previous run
         * covered: only the segments holding their literals are read and
         * matched. Exact, as every match contains a literal. */
        int done = 0;
        if ((j->rc = kbi_engine_code_located(e, j->doc, j->mask, &j->quotes,
                                             job_limit, j, &done, &j->err)) ||
            done)
            return;
        j->quotes.n = j->nhits = 0; /* match the usual way after all */
    }
    for (size_t i = 0; i < j->cb->n && !j->rc; i++)
        if (j->mask[i] && j->cb->nodes[i].info.kind == KB_CODE_CONCEPT)
            j->rc =
                kbi_document_need(j->doc, j->cb->nodes[i].info.scope, &j->err);
    if (!j->rc)
        j->rc = kbi_engine_code(e, j->doc, j->mask, &j->quotes, job_limit, j,
                                &j->err);
}

/* The cases a version's segments fall back on for facet values, as a
 * string: its document's and its speakers'. Into *out (caller frees). */
static int version_cases(kbi_run_ctx *c, int64_t vid, char **out)
{
    *out = NULL;
    sqlite3_stmt *st;
    int rc = kbi_store_cached(
        c->p->db, &c->p->stmts, &st,
        "SELECT COALESCE((SELECT c.name FROM versions v JOIN documents d ON"
        " d.id = v.document_id JOIN cases c ON c.id = d.case_id WHERE v.id ="
        " ?1), '') || '\x1e' || COALESCE((SELECT group_concat(id || '\x1f'"
        " || name, '\x1e') FROM (SELECT s.id, COALESCE(c.name, '') AS name"
        " FROM speakers s LEFT JOIN cases c ON c.id = s.case_id WHERE"
        " s.version_id = ?1 ORDER BY s.id)), '')",
        c->err);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, vid);
    if (sqlite3_step(st) != SQLITE_ROW)
        rc = kbi_store_fail(c->err, c->p->db, "reading cases");
    else if (!(*out = kbi_store_strdup(st, 0)))
        rc = kbi_fail(c->err, KB_ENOMEM, "out of memory");
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc;
}

static void stash_free(kbi_stash *s)
{
    free(s->cases);
    for (size_t i = 0; i < s->n; i++)
        free(s->concepts[i].blob);
    free(s->concepts);
    free(s->hits);
    memset(s, 0, sizeof *s);
}

void kbi_pipeline_stash_free(kbi_run_ctx *c)
{
    for (size_t i = 0; i < c->nstash; i++)
        stash_free(&c->stash[i]);
    free(c->stash);
    c->stash = NULL;
    c->nstash = c->capstash = 0;
    if (c->spill)
        fclose(c->spill);
    c->spill = NULL;
    free(c->spillbuf);
    c->spillbuf = NULL;
    c->spillcap = 0;
}

/* Moves a stashed pack into the scratch file, made on first use: written
 * one after another (only the matching pass writes), a version's packs
 * together. */
static int spill(kbi_run_ctx *c, kbi_stash_concept *sc)
{
    if (!c->spill && !c->no_spill)
        c->no_spill = !(c->spill = kbi_scratch());
    if (!c->spill)
        return 0; /* kept in memory */
    if (fwrite(sc->blob, 1, sc->len, c->spill) != sc->len)
        return kbi_fail(c->err, KB_EIO,
                        "cannot write the run's temporary file: %s",
                        strerror(errno));
    free(sc->blob);
    sc->blob = NULL;
    sc->off = c->spilled;
    c->spilled += (long long)sc->len;
    return 0;
}

/* Reads the packs of stash s that wait in the scratch file, one stretch,
 * into c->spillbuf; *from: the offset of its first byte. */
static int unspill(kbi_run_ctx *c, const kbi_stash *s, long long *from)
{
    long long lo = -1, hi = 0;
    for (size_t i = 0; i < s->n; i++)
        if (!s->concepts[i].blob) {
            const kbi_stash_concept *sc = &s->concepts[i];
            if (lo < 0 || sc->off < lo)
                lo = sc->off;
            if (sc->off + (long long)sc->len > hi)
                hi = sc->off + (long long)sc->len;
        }
    *from = lo;
    if (lo < 0)
        return 0;
    size_t n = (size_t)(hi - lo);
    if (kbi_buffer_room(&c->spillbuf, &c->spillcap, n + 1))
        return kbi_fail(c->err, KB_ENOMEM, "out of memory");
    if (fflush(c->spill))
        return kbi_fail(c->err, KB_EIO,
                        "cannot write the run's temporary file: %s",
                        strerror(errno));
    for (size_t done = 0; done < n;) {
        ssize_t r = pread(fileno(c->spill), c->spillbuf + done, n - done,
                          (off_t)(lo + (long long)done));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return kbi_fail(c->err, KB_EIO,
                            "cannot read the run's temporary file: %s",
                            r < 0 ? strerror(errno) : "cut short");
        done += (size_t)r;
    }
    return 0;
}

/* Keeps what the matching pass found in a job (no stash for a job that
 * failed: the storing pass matches its version again, if it is still
 * current, and tells what fails then). */
static int job_stash(kbi_run_ctx *c, job *j)
{
    if (j->rc)
        return 0;
    if (KBI_GROW(&c->stash, &c->capstash, c->nstash + 1))
        return kbi_fail(c->err, KB_ENOMEM, "out of memory");
    kbi_stash *s = &c->stash[c->nstash];
    memset(s, 0, sizeof *s);
    s->vid = j->vid;
    s->covered = j->covered;
    kb_document_text(j->doc, &s->bytes);
    s->hits = j->hits;
    s->nhits = j->nhits;
    j->hits = NULL;
    int rc = version_cases(c, j->vid, &s->cases);
    if (!rc)
        rc = kbi_facets_reset(c, j->doc);
    const kbi_quote *q = j->quotes.v;
    size_t cap = 0;
    for (size_t at = 0; at < j->quotes.n && !rc;) {
        size_t ci = q[at].concept, from = at;
        while (at < j->quotes.n && q[at].concept == ci)
            at++;
        kbi_stash_concept sc = {ci, NULL, 0, 0};
        if ((rc = quotes_found(c, j->doc, q + from, at - from)) ||
            (rc = kbi_cpack_encode(&c->found, &sc.blob, &sc.len, c->err)))
            break;
        if ((rc = spill(c, &sc))) {
            free(sc.blob);
            break;
        }
        if (KBI_GROW(&s->concepts, &cap, s->n + 1)) {
            free(sc.blob);
            rc = kbi_fail(c->err, KB_ENOMEM, "out of memory");
        } else
            s->concepts[s->n++] = sc;
    }
    c->nstash++;
    if (rc)
        stash_free(&c->stash[--c->nstash]);
    return rc;
}

static int job_settle(kbi_run_ctx *c, job *j)
{
    if (c->matching)
        return job_stash(c, j);
    c->sum->limit_hits += j->nhits;
    for (size_t i = 0; i < j->nhits; i++)
        kbi_limits_add(&c->limits, j->vid, j->name, &j->hits[i]);
    if (j->rc) {
        *c->err = j->err;
        return j->rc;
    }
    int rc = kbi_facets_reset(c, j->doc);
    /* Quotes come grouped by concept, in segment order. */
    const kbi_quote *q = j->quotes.v;
    for (size_t ci = 0, at = 0; ci < c->cb->n && !rc; ci++) {
        if (!j->mask[ci] || c->cb->nodes[ci].info.kind != KB_CODE_CONCEPT)
            continue;
        size_t from = at;
        while (at < j->quotes.n && q[at].concept == ci)
            at++;
        if (!(rc = quotes_found(c, j->doc, q ? q + from : NULL, at - from)))
            rc = settle_concept(c, j->vid, ci, &c->found);
    }
    size_t len;
    kb_document_text(j->doc, &len);
    c->sum->bytes += len;
    return rc;
}

static void job_clear(kbi_run_ctx *c, job *j)
{
    kbi_document_recycle(j->doc, c->p);
    free(j->quotes.v);
    free(j->hits);
    memset(j, 0, sizeof *j);
}

typedef struct todo {
    int64_t vid;
    char *name;
    size_t chars; /* the text's length, for the window's budget */
    int version, covered;
    int known;              /* the previous run had a version of the document */
    const kbi_stash *stash; /* what the matching pass found, if it holds */
} todo;

/* Counts and names a document matched in full: changed when the previous
 * run had a version of it, else new. */
static void name_document(kb_run_summary *sum, const char *name, int known)
{
    if (known) {
        sum->documents_changed++;
        kbi_name_list_add(sum->changed_names, sizeof sum->changed_names, name);
    } else {
        sum->documents_new++;
        kbi_name_list_add(sum->new_names, sizeof sum->new_names, name);
    }
}

/*
 * The documents of a run flow through a window of jobs, in order: the main
 * thread reads one (SQLite), a worker decodes and matches it, the main
 * thread settles it. Workers match while the main thread reads and settles
 * others, and no more than `cap` documents are in memory at once, holding
 * no more than WINDOW_CHARS of text between them (one document at least):
 * a document in a job is held with its case-folded copy, its segments and
 * its quotes, several times its text, so that many workers would hold many
 * large documents.
 */
#define WINDOW_CHARS ((size_t)8 << 20)
typedef struct pipeline {
    pthread_mutex_t mu;
    pthread_cond_t cv; /* a job was read or matched, or the run stops */
    job *ring;
    size_t *items; /* per slot: the todo it is */
    size_t cap;
    size_t head, next, tail; /* jobs settled, taken by workers, read */
    size_t chars;            /* the text of the jobs read and not settled */
    int stop;
} pipeline;

typedef struct worker {
    pipeline *pl;
    kbi_engine *engine;
    sqlite3 *reader; /* its connection for texts, or NULL: main reads */
} worker;

static void *work(void *arg)
{
    worker *w = arg;
    pipeline *pl = w->pl;
    pthread_mutex_lock(&pl->mu);
    for (;;) {
        while (!pl->stop && pl->next == pl->tail)
            pthread_cond_wait(&pl->cv, &pl->mu);
        if (pl->next == pl->tail) /* stopping, and nothing left */
            break;
        job *j = &pl->ring[pl->next++ % pl->cap];
        pthread_mutex_unlock(&pl->mu);
        job_run(j, w->engine, w->reader);
        kbi_engine_trim(w->engine);
        pthread_mutex_lock(&pl->mu);
        j->done = 1;
        pthread_cond_broadcast(&pl->cv);
    }
    pthread_mutex_unlock(&pl->mu);
    return NULL;
}

/* What follows a document's settling, or stands for it when nothing of it
 * is matched again: codings made before this run get the new facet rules,
 * the run records the version, and the progress moves on. */
static int finish_doc(kbi_run_ctx *c, const todo *t, size_t finished, size_t n)
{
    int rc = 0;
    if (c->matching) { /* the matching pass tells the progress */
        if (c->o->progress)
            c->o->progress(c->o->ctx, finished, n);
        return 0;
    }
    if (c->facets_changed && t->covered)
        rc = kbi_facets_refresh(c, t->vid, t->name, t->version);
    sqlite3_stmt *st;
    if (!rc && !(rc = kbi_store_cached(c->p->db, &c->p->stmts, &st,
                                       "INSERT INTO run_versions(run_id,"
                                       " version_id) VALUES(?1, ?2)",
                                       c->err))) {
        sqlite3_bind_int64(st, 1, c->run);
        sqlite3_bind_int64(st, 2, t->vid);
        rc = kbi_run_step(c, st);
    }
    (void)finished;
    (void)n;
    return rc;
}

/* Waits for the oldest job to be matched, settles and finishes it. */
static int settle_head(kbi_run_ctx *c, pipeline *pl, const todo *list, size_t n,
                       size_t *finished)
{
    size_t slot = pl->head % pl->cap;
    job *j = &pl->ring[slot];
    pthread_mutex_lock(&pl->mu);
    while (!j->done)
        pthread_cond_wait(&pl->cv, &pl->mu);
    pthread_mutex_unlock(&pl->mu);
    int rc = job_settle(c, j);
    pl->chars -= list[pl->items[slot]].chars;
    c->sum->documents += !c->matching;
    if (!rc)
        rc = finish_doc(c, &list[pl->items[slot]], ++*finished, n);
    job_clear(c, j);
    pl->head++;
    return rc;
}

/*
 * With two workers or more, each reads its documents' texts on a
 * connection of its own: reading the texts is most of a re-run, and one
 * thread would read for all. One worker matches while the main thread
 * reads. Returns 1 when every worker has its reader; else none has one
 * and the main thread reads.
 */
static int open_readers(kbi_run_ctx *c, worker *ws)
{
    int ok = c->njobs > 1;
    for (size_t t = 0; ok && t < c->njobs; t++)
        ok = !kbi_store_open_reader(&ws[t].reader, c->p->path, NULL);
    for (size_t t = 0; !ok && t < c->njobs; t++) {
        kbi_store_close(ws[t].reader);
        ws[t].reader = NULL;
    }
    return ok;
}

/* What the matching pass found on version t, if the storing pass may
 * take it: the same version, covered by the previous run as it was then,
 * matched with the same concepts and case attributes (c->stash_valid),
 * with the same cases; else t->stash stays NULL. */
static int stash_find(kbi_run_ctx *c, todo *t)
{
    t->stash = NULL;
    if (c->matching || !c->stash_valid)
        return 0;
    size_t lo = 0, hi = c->nstash;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->stash[mid].vid < t->vid)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == c->nstash || c->stash[lo].vid != t->vid ||
        c->stash[lo].covered != t->covered)
        return 0;
    char *cases;
    int rc = version_cases(c, t->vid, &cases);
    if (!rc && !strcmp(cases, c->stash[lo].cases))
        t->stash = &c->stash[lo];
    free(cases);
    return rc;
}

/* Has version vid alive codings of any concept? One the previous run did
 * not cover has none (kbi_changes_close_removed closes them): its packs
 * are then stored as found, with no look for codings to settle against. */
static int version_alive(kbi_run_ctx *c, int64_t vid, int *alive)
{
    sqlite3_stmt *st;
    int rc = kbi_store_cached(c->p->db, &c->p->stmts, &st,
                              "SELECT EXISTS (SELECT 1 FROM coding_packs WHERE"
                              " version_id = ?1 AND to_run IS NULL)",
                              c->err);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, vid);
    if (sqlite3_step(st) == SQLITE_ROW)
        *alive = sqlite3_column_int(st, 0);
    else
        rc = kbi_store_fail(c->err, c->p->db, "reading codings");
    sqlite3_reset(st);
    return rc;
}

/* Stores what the matching pass found on version t (s), as job_settle and
 * settle_head store a job: the limit hits told, each concept it was
 * matched with settled, the version finished. */
static int stash_settle(kbi_run_ctx *c, const todo *t, const kbi_stash *s,
                        const unsigned char *mask, size_t finished, size_t n)
{
    c->sum->limit_hits += s->nhits;
    for (size_t i = 0; i < s->nhits; i++)
        kbi_limits_add(&c->limits, s->vid, t->name, &s->hits[i]);
    long long from;
    int rc = unspill(c, s, &from);
    int alive = 1; /* with nothing to settle against, packs go as found */
    if (!rc && !t->covered)
        rc = version_alive(c, t->vid, &alive);
    size_t k = 0;
    for (size_t ci = 0; ci < c->cb->n && !rc; ci++) {
        if (!mask[ci] || c->cb->nodes[ci].info.kind != KB_CODE_CONCEPT)
            continue;
        while (k < s->n && s->concepts[k].concept < ci)
            k++;
        const kbi_stash_concept *sc =
            k < s->n && s->concepts[k].concept == ci ? &s->concepts[k] : NULL;
        const unsigned char *blob = NULL;
        if (sc)
            blob = sc->blob ? sc->blob : c->spillbuf + (sc->off - from);
        size_t codings;
        if (!alive) {
            if (sc && !(rc = kbi_packw_insert_blob(
                            &c->w, t->vid, c->cb->nodes[ci].info.id, c->run,
                            blob, sc->len, &codings, c->err)))
                c->sum->gained += codings;
            continue;
        }
        if (sc)
            rc = kbi_cpack_decode(&c->found, blob, sc->len, c->err);
        else
            kbi_cpack_reset(&c->found);
        if (!rc)
            rc = settle_concept(c, t->vid, ci, &c->found);
    }
    c->sum->bytes += s->bytes;
    c->sum->documents++;
    return rc ? rc : finish_doc(c, t, finished, n);
}

static int by_vid(const void *x, const void *y)
{
    const kbi_stash *a = x, *b = y;
    return (a->vid > b->vid) - (a->vid < b->vid);
}

int kbi_pipeline_code_all(kbi_run_ctx *c)
{
    /* CROSS JOIN: the document's few versions looked up in the run, not
     * every version of the run scanned for each document */
    sqlite3_stmt *st;
    int rc = kbi_store_prepare(
        c->p->db, &st,
        "SELECT v.id, d.name, v.version, v.chars, EXISTS (SELECT 1 FROM"
        " run_versions r"
        " WHERE r.run_id = ?1 AND r.version_id = v.id), EXISTS (SELECT 1 FROM"
        " versions o CROSS JOIN run_versions r ON r.run_id = ?1 AND"
        " r.version_id = o.id WHERE o.document_id = d.id) FROM documents d JOIN"
        " versions v ON v.document_id = d.id AND v.version = d.current_version"
        " ORDER BY d.name",
        c->err);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, c->prev);
    todo *list = NULL;
    size_t n = 0, cap = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (KBI_GROW(&list, &cap, n + 1)) {
            rc = kbi_fail(c->err, KB_ENOMEM, "out of memory");
            break;
        }
        list[n].vid = sqlite3_column_int64(st, 0);
        list[n].name = kbi_store_strdup(st, 1);
        list[n].version = sqlite3_column_int(st, 2);
        list[n].chars = (size_t)sqlite3_column_int64(st, 3);
        list[n].covered = sqlite3_column_int(st, 4);
        list[n++].known = sqlite3_column_int(st, 5);
    }
    sqlite3_finalize(st);
    c->ndocs = n;
    for (size_t i = 0; i < n && !c->matching; i++)
        if (!list[i].covered)
            name_document(c->sum, list[i].name, list[i].known);

    unsigned char *all = malloc(c->cb->n ? c->cb->n : 1);
    if (!all && !rc)
        rc = kbi_fail(c->err, KB_ENOMEM, "out of memory");
    if (all)
        memset(all, 1, c->cb->n);
    int any_changed = 0;
    size_t nchanged = 0;
    for (size_t i = 0; i < c->cb->n; i++) {
        any_changed |= c->changed[i];
        nchanged += c->changed[i];
    }
    c->few = nchanged > 0 && nchanged <= KBI_FEW_CONCEPTS;
    /* What is to be matched here: in the storing pass, only versions the
     * matching pass did not match or may not give. */
    int any_new = 0, any_match = 0;
    for (size_t i = 0; i < n && !rc; i++)
        rc = stash_find(c, &list[i]);
    for (size_t i = 0; i < n; i++)
        if ((!list[i].covered || any_changed) && !list[i].stash) {
            any_new |= !list[i].covered;
            any_match = 1;
        }
    if (any_match)
        kbi_engine_jit(c->cb, any_new ? NULL : c->changed);

    pipeline pl = {.cap = c->njobs + 1};
    pl.ring = calloc(pl.cap, sizeof *pl.ring);
    pl.items = calloc(pl.cap, sizeof *pl.items);
    if ((!pl.ring || !pl.items) && !rc)
        rc = kbi_fail(c->err, KB_ENOMEM, "out of memory");
    pthread_mutex_init(&pl.mu, NULL);
    pthread_cond_init(&pl.cv, NULL);
    worker ws[KB_MAX_JOBS] = {{0}};
    int readers = any_match && open_readers(c, ws);
    pthread_t tid[KB_MAX_JOBS];
    size_t nthreads = 0;
    for (; !rc && any_match && nthreads < c->njobs; nthreads++) {
        ws[nthreads].pl = &pl;
        ws[nthreads].engine = c->engines[nthreads];
        if (pthread_create(&tid[nthreads], NULL, work, &ws[nthreads]))
            break;
    }
    readers = readers && nthreads == c->njobs;
    size_t finished = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        if (list[i].covered && !any_changed) { /* nothing to match again */
            rc = finish_doc(c, &list[i], ++finished, n);
            continue;
        }
        const kbi_stash *s = list[i].stash;
        if (s) { /* matched before: the jobs before it first, in order */
            while (!rc && pl.head < pl.tail)
                rc = settle_head(c, &pl, list, n, &finished);
            if (!rc)
                rc = stash_settle(c, &list[i], s,
                                  list[i].covered ? c->changed : all,
                                  ++finished, n);
            continue;
        }
        while (!rc &&
               (pl.tail - pl.head == pl.cap ||
                (pl.tail > pl.head && pl.chars + list[i].chars > WINDOW_CHARS)))
            rc = settle_head(c, &pl, list, n, &finished);
        if (rc)
            break;
        size_t slot = pl.tail % pl.cap;
        job *j = &pl.ring[slot];
        memset(j, 0, sizeof *j);
        pl.items[slot] = i;
        pl.chars += list[i].chars;
        j->vid = list[i].vid;
        j->name = list[i].name;
        j->version = list[i].version;
        j->covered = list[i].covered;
        j->cb = c->cb;
        j->mask = list[i].covered ? c->changed : all;
        j->locate = list[i].covered && c->few;
        j->body = readers;
        if ((rc = readers ? kbi_document_load_head(&j->doc, c->p, j->name,
                                                   j->version, c->err)
                          : kbi_document_load_kinds(&j->doc, c->p, j->name,
                                                    j->version, 0, c->err)))
            break;
        if (!nthreads) { /* no thread to be had: match here */
            job_run(j, c->engines[0], NULL);
            j->done = 1;
            pl.next++;
        }
        pthread_mutex_lock(&pl.mu);
        pl.tail++;
        pthread_cond_broadcast(&pl.cv);
        pthread_mutex_unlock(&pl.mu);
    }
    while (!rc && pl.head < pl.tail)
        rc = settle_head(c, &pl, list, n, &finished);
    pthread_mutex_lock(&pl.mu);
    pl.stop = 1;
    pthread_cond_broadcast(&pl.cv);
    pthread_mutex_unlock(&pl.mu);
    for (size_t t = 0; t < nthreads; t++)
        pthread_join(tid[t], NULL);
    for (size_t t = 0; t < c->njobs; t++)
        kbi_store_close(ws[t].reader);
    for (; pl.ring && pl.head < pl.tail; pl.head++) /* after a failure */
        job_clear(c, &pl.ring[pl.head % pl.cap]);
    pthread_cond_destroy(&pl.cv);
    pthread_mutex_destroy(&pl.mu);
    free(pl.ring);
    free(pl.items);
    for (size_t i = 0; i < n; i++)
        free(list[i].name);
    free(list);
    free(all);
    if (c->matching && c->nstash > 1)
        qsort(c->stash, c->nstash, sizeof *c->stash, by_vid);
    return rc;
}
