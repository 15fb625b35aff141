/*
 * project_quotes.c: kb_project_quotes, the quotes of a run with everything
 * a table shows (document, case, speaker, span, dimension, theme, concept,
 * facet values, text), built in steps by the files of quotes/ (build_list),
 * and kbi_project_quote_tally, the same list read for counting.
 *
 * The codebook a run saw is its snapshot in run_codes, so a table always
 * matches the run it comes from. Automatic codings are read in id order
 * with their facet values, straight from their packs (auto_quotes.c), less
 * the rejected ones, and each document version is loaded once to cut the
 * quotes from its text (order.c). Manual codings (tags and review
 * acceptances) follow, each placed on the segment of its concept's scope
 * that it starts in, with its case and speaker from the turn it starts in
 * (manual_quotes.c). This is the one definition of a quote
 * (docs/exports.md): the manual codings of one code on one segment become
 * one quote, and one on the segment of an automatic quote of its concept
 * becomes part of it, so a list has one row per quote and everything
 * counted from it counts alike. The run's codebook rules give the manual
 * quotes their facet values; over both go the values of any manual coding
 * whose passage holds the quote or that is part of it (manual_facets.c,
 * docs/codebook.md).
 *
 * Sorting is on numbers only (order.c). A list read only to be counted
 * (counts_only) has no texts for its automatic quotes and is left in the
 * order it was read.
 *
 * The same list a document at a time (kb_project_quote_pages): what every
 * page shares (codes, cases, versions, reviews) is read once into a list
 * (list_new), then each document's quotes into it in turn (list_fill with
 * the document as filter), all in one read transaction; while a writer
 * works on one page, a thread may read the next into a second list
 * (kbi_quote_pages_ahead).
 */
#include "quotes/project_quotes.h"
#include "store/runs.h"
#include "quotes/attributes.h"
#include "quotes/auto_quotes.h"
#include "quotes/filter.h"
#include "quotes/list.h"
#include "quotes/manual_facets.h"
#include "quotes/manual_quotes.h"
#include "quotes/order.h"
#include "base/error.h"
#include "base/grow.h"
#include "manual/manual.h"
#include "store/project.h"
#include "store/store.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int64_t pick_run(kb_project *p, int64_t run, kb_error *err)
{
    sqlite3_stmt *st;
    int64_t id = 0;
    if (kbi_store_prepare(p->db, &st,
                          "SELECT MAX(id) FROM runs WHERE ?1 = 0 OR id = ?1",
                          err))
        return -1;
    sqlite3_bind_int64(st, 1, run);
    if (sqlite3_step(st) == SQLITE_ROW)
        id = sqlite3_column_int64(st, 0);
    if (kbi_store_finish(st, p->db, "runs", err))
        return -1;
    if (!id) {
        if (run)
            kbi_fail(err, KB_ENOENT, "no run %lld", (long long)run);
        else
            kbi_fail(err, KB_ENORUN, "no runs yet");
        return -1;
    }
    return id;
}

/* A list of run `run`'s codes, cases and document versions for filter f,
 * with no quotes yet; for a tally (`tally`, 2: by code only) of the kind
 * kbi_project_quote_tally reads. */
static int list_new(kb_quote_list **out, kb_project *p,
                    const kb_quote_filter *f, int64_t run, int tally,
                    kb_error *err)
{
    int rc;
    kb_quote_list *l = calloc(1, sizeof *l);
    if (!l)
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    l->counts_only = f->counts_only;
    l->across = tally && f->grouped == 2;
    l->alive_counts = tally == 2 && run == kbi_runs_last(p->db, INT64_MAX);
    l->project = p;
    l->skip_words = f->skip_words;
    if ((tally && KBI_GROW(&l->weights, &l->capweights, 1) &&
         (rc = kbi_fail(err, KB_ENOMEM, "out of memory"))) ||
        (tally && (rc = kbi_auto_quotes_touched(l, p, err))) ||
        (rc = kbi_quote_list_load_codes(l, p, run, err)) ||
        (rc = kbi_quote_list_index_concepts(l, err)) ||
        (rc = kbi_filter_check_codes(l, f, run, err)) ||
        (rc = kbi_filter_check_names(l, p, run, f, err)) ||
        (rc = kb_project_cases(&l->cases, p, err)) ||
        (rc = kbi_attributes_index(l, err)) ||
        (rc = f->attr ? kbi_attributes_check(l, f->attr, err) : 0) ||
        (rc = kbi_quote_list_load_versions(l, p, err))) {
        kb_quote_list_free(l);
        return rc;
    }
    *out = l;
    return 0;
}

/* Reads the quotes of filter f (of f->document only, when set) into l,
 * made by list_new. */
static int list_fill(kb_quote_list *l, kb_project *p, const kb_quote_filter *f,
                     int64_t run, kb_error *err)
{
    int rc;
    if ((rc = kbi_auto_quotes_load(l, p, run, f, err)) ||
        (rc = l->nauto > UINT32_MAX
                  ? kbi_fail(err, KB_ENOMEM, "more than 2^32 quotes")
                  : 0) ||
        (rc = kbi_order_resolve(l, p, err)) ||
        (rc = kbi_manual_quotes_load(l, p, run, f, err)) ||
        (rc = kbi_manual_quotes_fold(l, err)) ||
        (rc = kbi_manual_facets_rules(l, p, run, err)) ||
        (rc = kbi_manual_facets_apply(l, p, f->document, err)) ||
        (rc = kbi_filter_late(l, f, err)) ||
        (rc = l->counts_only ? 0 : kbi_order_quotes(l, err)))
        return rc;
    return 0;
}

/* The filter checked, or f itself when there is none; the run it names. */
static int filter_run(const kb_quote_filter **f, int64_t *run, kb_project *p,
                      kb_error *err)
{
    static const kb_quote_filter none = {0};
    if (!*f)
        *f = &none;
    const kb_quote_filter *g = *f;
    if ((g->facet && !g->facet_value) || (g->attr && !g->attr_value))
        return kbi_fail(err, KB_EINVAL,
                        "a facet or attribute filter needs a "
                        "value (name=value)");
    if (g->source && strcmp(g->source, "auto") && strcmp(g->source, "manual") &&
        strcmp(g->source, "all"))
        return kbi_fail(err, KB_EINVAL,
                        "unknown source '%s' (auto, manual or all)", g->source);
    int rc;
    if ((g->reviewer &&
         (rc = kbi_manual_coder_check(g->reviewer, "reviewer", err))) ||
        (g->coder && (rc = kbi_manual_coder_known(p->db, g->coder, err))))
        return rc;
    *run = pick_run(p, g->run, err);
    return *run < 0 ? (err ? err->code : KB_ENOENT) : 0;
}

/* kb_project_quotes, or with `tally` kbi_project_quote_tally (2: by code
 * only). */
static int build_list(kb_quote_list **out, kb_project *p,
                      const kb_quote_filter *f, int tally, kb_error *err)
{
    *out = NULL;
    int64_t run;
    int rc = filter_run(&f, &run, p, err);
    if (rc)
        return rc;
    /* a grouped list is a tally; its rows have no case to filter by */
    if (!tally && f->grouped && f->counts_only && !f->case_id && !f->attr)
        tally = 1;
    kb_quote_list *l;
    if ((rc = list_new(&l, p, f, run, tally, err)))
        return rc;
    if ((rc = list_fill(l, p, f, run, err))) {
        kb_quote_list_free(l);
        return rc;
    }
    *out = l;
    return 0;
}

int kb_project_quotes(kb_quote_list **out, kb_project *p,
                      const kb_quote_filter *filter, kb_error *err)
{
    return build_list(out, p, filter, 0, err);
}

int kbi_project_quote_tally(kb_quote_list **out, kb_project *p, int64_t run,
                            int codes_only, kb_error *err)
{
    kb_quote_filter f = {.run = run, .counts_only = 1, .skip_words = 1};
    return build_list(out, p, &f, codes_only ? 2 : 1, err);
}

size_t kb_quote_list_weight(const kb_quote_list *l, size_t i)
{
    return l->weights && l->weights[i] ? l->weights[i] : 1;
}

int kbi_quote_list_counts_only(const kb_quote_list *l)
{
    return l && l->counts_only;
}

/* ------------------------------------------------------------------------ */
/* A document at a time                                                      */
/* ------------------------------------------------------------------------ */

/* A page read by a thread of its own while the caller writes the one
 * before (kbi_quote_pages_ahead). */
typedef struct ahead {
    kb_quote_pages *pg;
    kb_quote_list *l; /* the list it is read into */
    size_t doc;       /* the document (pg->docs) */
    kb_quote_filter f;
    kb_error err;
    int rc, running;
    pthread_t thread;
} ahead;

struct kb_quote_pages {
    kb_quote_list *l;     /* the list the pages are read into: the run's codes,
                             facets and cases */
    kb_quote_list *spare; /* reading ahead: the second one */
    kb_project *p;
    kb_quote_filter f;    /* the caller's, its document set page by page */
    const char *document; /* the caller's document filter, or NULL */
    int64_t run;
    const char **docs; /* the documents' names (l->names) in list order */
    size_t ndocs, at;  /* at: the next page's */
    int snapshot;      /* the read transaction the pages began, to end */
    int reading_ahead;
    ahead next; /* the page being read ahead */
};

static int by_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int kb_project_quote_pages(kb_quote_pages **out, kb_project *p,
                           const kb_quote_filter *filter, kb_error *err)
{
    *out = NULL;
    kb_quote_pages *pg = calloc(1, sizeof *pg);
    if (!pg)
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    pg->p = p;
    /* every page, and a tally of them, from one snapshot of the project
     * (the run picked in it too): a write meanwhile (a tag, a run)
     * changes none of them */
    int rc = 0;
    if (sqlite3_get_autocommit(p->db) &&
        !(rc = kbi_store_exec(p->db, "BEGIN", err)))
        pg->snapshot = 1;
    int64_t run;
    if (rc || (rc = filter_run(&filter, &run, p, err))) {
        kb_quote_pages_free(pg);
        return rc;
    }
    pg->f = *filter;
    pg->f.grouped = 0;
    pg->document = filter->document;
    pg->run = run;
    if ((rc = list_new(&pg->l, p, &pg->f, run, 0, err)) ||
        !(pg->docs = malloc((pg->l->nversions + 1) * sizeof *pg->docs))) {
        kb_quote_pages_free(pg);
        return rc ? rc : kbi_fail(err, KB_ENOMEM, "out of memory");
    }
    /* every name once (a name is kept once: one address), in order */
    for (size_t i = 0; i < pg->l->nversions; i++) {
        const char *name = pg->l->versions[i].name;
        if (!pg->document || !strcmp(name, pg->document))
            pg->docs[pg->ndocs++] = name;
    }
    kbi_sort(pg->docs, pg->ndocs, sizeof *pg->docs, by_name);
    size_t n = 0;
    for (size_t i = 0; i < pg->ndocs; i++)
        if (!n || pg->docs[n - 1] != pg->docs[i])
            pg->docs[n++] = pg->docs[i];
    pg->ndocs = n;
    *out = pg;
    return 0;
}

const kb_quote_list *kb_quote_pages_list(const kb_quote_pages *pg)
{
    return pg->l;
}

/* Reads the quotes of document pg->docs[doc] into l, emptied first, with
 * filter f (pg's, its document set). */
static int page_fill(kb_quote_pages *pg, kb_quote_list *l, kb_quote_filter *f,
                     size_t doc, kb_error *err)
{
    l->n = l->nauto = l->nmembers = 0;
    kbi_arena_clear(&l->texts);
    f->document = pg->docs[doc];
    int rc = list_fill(l, pg->p, f, pg->run, err);
    if (rc)
        l->n = 0;
    return rc;
}

static void *read_ahead(void *arg)
{
    ahead *a = arg;
    a->rc = page_fill(a->pg, a->l, &a->f, a->doc, &a->err);
    return NULL;
}

/* Starts reading the next document into l on a thread; read here when no
 * thread can be started. */
static void ahead_start(kb_quote_pages *pg, kb_quote_list *l)
{
    ahead *a = &pg->next;
    *a = (ahead){.pg = pg, .l = l, .doc = pg->at++, .f = pg->f};
    a->running = 1;
    if (pthread_create(&a->thread, NULL, read_ahead, a)) {
        a->running = 0;
        read_ahead(a);
    }
}

/* Waits for the page read ahead, if any; its result. */
static int ahead_join(kb_quote_pages *pg, kb_error *err)
{
    ahead *a = &pg->next;
    if (a->running)
        pthread_join(a->thread, NULL);
    a->running = 0;
    if (a->rc && err)
        *err = a->err;
    return a->rc;
}

int kb_quote_pages_next(kb_quote_pages *pg, const kb_quote_list **page,
                        kb_error *err)
{
    *page = NULL;
    int rc = 0;
    if (!pg->reading_ahead) {
        while (!rc && pg->at < pg->ndocs)
            if (!(rc = page_fill(pg, pg->l, &pg->f, pg->at++, err)) &&
                pg->l->n) {
                *page = pg->l;
                return 0;
            }
    } else {
        /* the page read ahead is handed out; the list of the one handed
         * out before, which the caller is done with, reads the next */
        if (!pg->next.l && pg->at < pg->ndocs)
            ahead_start(pg, pg->spare);
        while (pg->next.l && !(rc = ahead_join(pg, err))) {
            kb_quote_list *got = pg->next.l;
            pg->next.l = NULL;
            if (pg->at < pg->ndocs)
                ahead_start(pg, got == pg->l ? pg->spare : pg->l);
            if (got->n) {
                *page = got;
                return 0;
            }
        }
        pg->next.l = NULL;
    }
    if (rc)
        pg->at = pg->ndocs;
    return rc;
}

int kbi_quote_pages_ahead(kb_quote_pages *pg, int on, kb_error *err)
{
    if (pg->next.l) { /* a page read ahead is read again when asked for */
        ahead_join(pg, NULL);
        pg->next.l = NULL;
        pg->at--;
    }
    pg->reading_ahead = 0;
    if (on && !pg->spare && pg->ndocs > 1) {
        kb_quote_filter f = pg->f;
        f.document = pg->document;
        int rc = list_new(&pg->spare, pg->p, &f, pg->run, 0, err);
        if (rc)
            return rc;
    }
    pg->reading_ahead = on && pg->spare;
    return 0;
}

void kb_quote_pages_rewind(kb_quote_pages *pg)
{
    if (pg->next.l) {
        ahead_join(pg, NULL);
        pg->next.l = NULL;
    }
    pg->at = 0;
}

int kbi_quote_pages_whole(kb_quote_list **out, kb_quote_pages *pg,
                          kb_error *err)
{
    kb_quote_filter f = pg->f;
    f.document = pg->document;
    return build_list(out, pg->p, &f, 0, err);
}

int kbi_quote_pages_tally(kb_quote_list **out, kb_quote_pages *pg, int grouped,
                          kb_error *err)
{
    kb_quote_filter f = pg->f;
    f.document = pg->document;
    f.counts_only = f.skip_words = 1;
    f.grouped = grouped;
    return build_list(out, pg->p, &f, 0, err);
}

void kb_quote_pages_free(kb_quote_pages *pg)
{
    if (!pg)
        return;
    kbi_quote_pages_ahead(pg, 0, NULL);
    kb_quote_list_free(pg->l);
    kb_quote_list_free(pg->spare);
    free(pg->docs);
    if (pg->snapshot)
        kbi_store_rollback(pg->p->db);
    free(pg);
}
