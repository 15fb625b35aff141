/*
 * run.c: coding runs, incrementally.
 *
 * A coding row is alive from run `from_run` while `to_run` is NULL; a run
 * that removes it sets `to_run` to the previous run, so "the codings of run
 * R" are those with from_run <= R and (to_run IS NULL or to_run >= R). A new
 * run therefore writes only what changed:
 * - concepts whose rules hash differs from the previous run's (or that are
 *   new) are matched again on every current document version;
 * - document versions the previous run did not cover (new or changed
 *   documents) are matched with every concept;
 * - codings of removed concepts and of replaced versions are closed;
 * - for a concept matched again, quotes found before and now are kept as
 *   they are, so `kodbok diff` shows only real gains and losses.
 * Facet values are computed when a coding is made, and again for every
 * alive coding when the facets' rules change. Documents are matched on
 * `jobs` worker threads, each with an engine of its own, while the main
 * thread reads the next ones and settles what the last ones gave
 * (coding/pipeline.c).
 *
 * A run goes in two passes, so that others can write (tag, review) while it
 * matches. The matching pass reads a snapshot of the project in a read
 * transaction, which keeps no one from writing, and keeps what each
 * document version gives (its codings, packed) in memory. The storing pass
 * then takes the write lock and does the whole run in one transaction, as
 * a run always did, taking a version's codings from the matching pass
 * instead of matching it again, unless the project changed in a way that
 * matters to them: a version the matching pass did not see (imported
 * meanwhile) or saw with another previous run (one stored meanwhile), or
 * changed cases, is matched then, under the lock. Manual codings added
 * meanwhile are there for the storing pass to rename. A dry run rolls the
 * transaction back after counting.
 *
 * This file holds kb_project_code, which runs the steps in order; the steps
 * are in changes.c (what changed since the previous run), facets.c (facet
 * values), pipeline.c (matching), misses.c (what the coding misses) and
 * packs.c (packs read back), and share the run's state in context.h.
 */
#include "coding/run.h"
#include "coding/diff.h"
#include "base/error.h"
#include "codebook/codebook.h"
#include "coding/changes.h"
#include "coding/context.h"
#include "coding/facets.h"
#include "coding/pipeline.h"
#include "coding/misses.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ------------------------------------------------------------------------ */
/* A run                                                                     */
/* ------------------------------------------------------------------------ */

/* Has some coder accepted a quote in review (1, or 1 when unsure)? */
static int any_accepted(kb_project *p)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(p->db,
                           "SELECT EXISTS (SELECT 1 FROM manual_codings WHERE"
                           " decision = 'accept' AND placed)",
                           -1, &st, NULL) != SQLITE_OK)
        return 1;
    int yes = sqlite3_step(st) != SQLITE_ROW || sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return yes;
}

/*
 * A test knob (docs/limits.md, Project file): with KODBOK_TEST_PAUSE=FILE
 * in the environment, the matching pass, once it has its snapshot, makes
 * FILE.paused and waits while FILE exists, so that a test can write to the
 * project while a run matches, however quick the run.
 */
static void test_pause(void)
{
    const char *f = getenv("KODBOK_TEST_PAUSE");
    if (!f || !*f)
        return;
    char mark[4096];
    snprintf(mark, sizeof mark, "%s.paused", f);
    FILE *m = fopen(mark, "w");
    if (m)
        fclose(m);
    struct stat st;
    struct timespec tick = {0, 10 * 1000 * 1000};
    while (!stat(f, &st))
        nanosleep(&tick, NULL);
}

/* The previous run: the last one stored. */
static int last_run(kbi_run_ctx *c)
{
    sqlite3_stmt *st;
    int rc = kbi_store_prepare(c->p->db, &st,
                               "SELECT COALESCE(MAX(id), 0) FROM runs", c->err);
    if (rc)
        return rc;
    if (sqlite3_step(st) == SQLITE_ROW)
        c->prev = sqlite3_column_int64(st, 0);
    else
        rc = kbi_store_fail(c->err, c->p->db, "reading runs");
    sqlite3_finalize(st);
    return rc;
}

/*
 * The matching pass: in a read transaction, what changed since the last
 * run and every version matched as the storing pass would match it, kept
 * in c->stash. Leaves in *changed and *attrs what it matched with.
 */
static int match_pass(kbi_run_ctx *c, unsigned char **changed,
                      kbi_case_attr **attrs, size_t *nattrs)
{
    c->matching = 1;
    int rc = kbi_store_exec(c->p->db, "BEGIN", c->err);
    if (!rc && !(rc = last_run(c))) {
        test_pause();
        if (!(rc = kbi_changes_compare(c)) && !(rc = kbi_facets_load_attrs(c)))
            rc = kbi_pipeline_code_all(c);
    }
    kbi_store_rollback(c->p->db);
    c->matching = 0;
    *changed = c->changed;
    c->changed = NULL;
    *attrs = c->attrs;
    *nattrs = c->nattrs;
    c->attrs = NULL;
    c->nattrs = c->capattrs = 0;
    c->facets_changed = 0;
    *c->sum = (kb_run_summary){0};
    return rc;
}

static int same_str(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

/* Are the case attributes x[0..n) those of c->attrs? */
static int same_attrs(const kbi_run_ctx *c, const kbi_case_attr *x, size_t n)
{
    if (n != c->nattrs)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!same_str(x[i].case_id, c->attrs[i].case_id) ||
            !same_str(x[i].name, c->attrs[i].name) ||
            !same_str(x[i].value, c->attrs[i].value))
            return 0;
    return 1;
}

static void free_attrs(kbi_case_attr *a, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(a[i].case_id);
        free(a[i].name);
        free(a[i].value);
    }
    free(a);
}

int kb_project_code(kb_run_summary *out, kb_project *p, const kb_codebook *cb,
                    const kb_code_options *opts, kb_error *err)
{
    kb_code_options defaults = KB_CODE_OPTIONS_INIT;
    if (!opts)
        opts = &defaults;
    if (opts->version != KB_CODE_OPTIONS_VERSION)
        return kbi_fail(err, KB_EINVAL, "code options of an unknown version");
    kb_run_summary sum = {0};
    unsigned char *matched_changed = NULL; /* by the matching pass */
    kbi_case_attr *matched_attrs = NULL;
    size_t nmatched_attrs = 0;
    double t0 = now();
    kbi_run_ctx c = {.p = p, .cb = cb, .o = opts, .sum = &sum, .err = err};
    c.njobs = opts->jobs < 1 ? 1 : (size_t)opts->jobs;
    if (c.njobs > KB_MAX_JOBS)
        c.njobs = KB_MAX_JOBS;
    int rc = kbi_engine_new(&c.engine, cb, 0, err);
    for (size_t i = 0; i < c.njobs && !rc; i++)
        rc = kbi_engine_new(&c.engines[i], cb, 0, err);
    if (rc)
        goto out;
    if ((rc = kbi_store_readonly(p->db, err)) ||
        (rc = match_pass(&c, &matched_changed, &matched_attrs,
                         &nmatched_attrs)) ||
        (rc = kbi_store_begin(p->db, err)))
        goto out;
    sqlite3_stmt *st;
    if ((rc = last_run(&c)))
        goto rollback;
    if ((rc = kbi_store_prepare(p->db, &st,
                                "INSERT INTO runs(codebook_path, codebook_name,"
                                " codebook_hash, codebook) VALUES(?, ?, ?, ?)",
                                err)))
        goto rollback;
    sqlite3_bind_text(st, 1, cb->path, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, kb_codebook_name(cb), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, kb_codebook_hash(cb), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, cb->source, (int)cb->source_len, SQLITE_STATIC);
    rc =
        sqlite3_step(st) == SQLITE_DONE ? 0 : kbi_store_fail(err, p->db, "run");
    sqlite3_finalize(st);
    if (rc)
        goto rollback;
    c.run = sqlite3_last_insert_rowid(p->db);
    if ((rc = kbi_store_prepare(p->db, &c.alive,
                                "SELECT id, version_id, from_run, concept,"
                                " codings FROM coding_packs WHERE version_id ="
                                " ? AND concept = ? AND to_run IS NULL ORDER"
                                " BY id",
                                err)) ||
        (rc = kbi_packw_prepare(&c.w, p->db, err)) ||
        (rc = kbi_changes_compare(&c)) ||
        (rc = kbi_changes_rename_manual(&c)) ||
        (rc = kbi_changes_snapshot(&c)) || (rc = kbi_facets_load_attrs(&c)))
        goto rollback;
    /* What the matching pass found holds while the concepts to match and
     * the case attributes are as they were (pipeline.c checks each
     * version's cases). */
    c.stash_valid = !memcmp(matched_changed, c.changed, cb->n ? cb->n : 1) &&
                    same_attrs(&c, matched_attrs, nmatched_attrs);
    if (!c.stash_valid && c.nstash && opts->notice)
        opts->notice(opts->ctx, "the project changed while the run matched "
                                "(another run, or the cases): its documents "
                                "are matched again");
    if ((rc = kbi_changes_close_removed(&c)) ||
        (rc = kbi_pipeline_code_all(&c)) || (rc = kbi_misses_role_gaps(&c)))
        goto rollback;
    if (c.limits.n && opts->strict) { /* the error says it, once */
        char msg[sizeof err->message];
        kbi_limits_first(&c.limits, cb, msg, sizeof msg);
        rc = kbi_fail(err, KB_EFORMAT, "%s", msg);
        goto rollback;
    }
    kbi_limits_tell(&c.limits, cb, opts->notice, opts->ctx);
    if ((rc = kbi_misses_unmatched(&c)))
        goto rollback;
    for (size_t i = 0; i < cb->n; i++)
        sum.concepts_matched += c.changed[i];
    /* Quotes alive: the previous run's, plus what this one gained and
     * minus what it lost (no count over every coding). */
    if ((rc = kbi_store_prepare(p->db, &st,
                                "SELECT COALESCE((SELECT quotes FROM runs WHERE"
                                " id = ?), 0)",
                                err)))
        goto rollback;
    sqlite3_bind_int64(st, 1, c.prev);
    if (sqlite3_step(st) == SQLITE_ROW)
        sum.quotes =
            (size_t)sqlite3_column_int64(st, 0) + sum.gained - sum.lost;
    else
        rc = kbi_store_fail(err, p->db, "runs");
    sqlite3_finalize(st);
    if (rc)
        goto rollback;
    /* gains and losses as diff gives them: not moves, not kept quotes.
     * Both pair a lost quote (sum.lost counts every coding the run
     * closed); a move's other half is on a new version of a document the
     * last run had (documents_changed), a kept quote is one a coder
     * accepted. A run with neither needs no pairing. */
    if (sum.lost && (sum.documents_changed || any_accepted(p)) &&
        (rc = kbi_diff_tally(p, c.prev, c.run, &sum.moved, &sum.kept, err)))
        goto rollback;
    sum.gained -= sum.moved;
    sum.lost -= sum.moved + sum.kept;
    sum.seconds = now() - t0;
    sum.run = opts->dry_run ? 0 : c.run;
    if ((rc =
             kbi_store_prepare(p->db, &st,
                               "UPDATE runs SET documents = ?, concepts_matched"
                               " = ?, gained = ?, lost = ?, seconds = ?, quotes"
                               " = ? WHERE id = ?",
                               err)))
        goto rollback;
    sqlite3_bind_int64(st, 1, (int64_t)sum.documents);
    sqlite3_bind_int64(st, 2, (int64_t)sum.concepts_matched);
    sqlite3_bind_int64(st, 3, (int64_t)sum.gained);
    sqlite3_bind_int64(st, 4, (int64_t)sum.lost);
    sqlite3_bind_double(st, 5, sum.seconds);
    sqlite3_bind_int64(st, 6, (int64_t)sum.quotes);
    sqlite3_bind_int64(st, 7, c.run);
    rc = kbi_run_step(&c, st);
    sqlite3_finalize(st);
    if (rc)
        goto rollback;
    if (opts->dry_run)
        kbi_store_rollback(p->db);
    else if ((rc = kbi_store_commit(p->db, err)))
        goto rollback;
    else {
        /* the codings into the project file now, not when it closes: the
         * run's own time is what its caller waits for. A checkpoint a
         * reader holds back is finished by a later one. */
        sqlite3_wal_checkpoint_v2(p->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL,
                                  NULL);
        sum.seconds = now() - t0;
    }
    if (out)
        *out = sum;
    goto out;
rollback:
    kbi_store_rollback(p->db);
out:
    kbi_limits_free(&c.limits);
    free(matched_changed);
    free_attrs(matched_attrs, nmatched_attrs);
    kbi_pipeline_stash_free(&c);
    kbi_cpack_free(&c.found);
    sqlite3_finalize(c.alive);
    kbi_packw_free(&c.w);
    for (size_t i = 0; i < c.capold; i++) {
        kbi_cpack_free(&c.old[i].p);
        free(c.old[i].concept);
    }
    free(c.old);
    free(c.refs);
    kbi_cpack_free(&c.fresh);
    for (int k = 0; k < 3; k++)
        free(c.memo.slots[k]);
    free(c.memo.vals);
    for (size_t i = 0; i < c.nattrs; i++) {
        free(c.attrs[i].case_id);
        free(c.attrs[i].name);
        free(c.attrs[i].value);
    }
    free(c.attrs);
    free(c.changed);
    kbi_engine_free(c.engine);
    for (size_t i = 0; i < KB_MAX_JOBS; i++)
        kbi_engine_free(c.engines[i]);
    return rc;
}
