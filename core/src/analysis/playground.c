/*
 * playground.c: kb_project_try. The run's codebook gives the concept; its
 * rule with the patterns tried is a codebook of one concept
 * (codebook/rule.h), matched by the engine document by document as a
 * re-run of a few concepts matches (only the segments holding the rule's
 * literals are read), so a hit is the quote a run would store. With a coder,
 * the units come from eval's unit model (kbi_eval_gold) and the hits mark them
 * as eval marks a run's quotes; the scores are counted by kbi_gold_score,
 * as suggest counts a candidate's.
 */
#include "analysis/playground.h"
#include "agree/evaluate.h"
#include "base/error.h"
#include "base/grow.h"
#include "codebook/codebook.h"
#include "codebook/rule.h"
#include "engine/engine.h"
#include "engine/limits.h"
#include "manual/manual.h"
#include "store/document.h"
#include "store/project.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct kb_try_report {
    kb_try_hit *v;
    size_t n, cap;
    size_t documents;
    const char *coder; /* in strings */
    int scored;
    kb_eval_scores s;
    size_t units;
    kbi_pool strings;
};

typedef struct trial {
    kb_project *p;
    const kb_try_options *o;
    kb_error *err;
    kb_try_report *r;
    kbi_gold g;       /* with a coder to score against */
    kb_codebook *own; /* the run's codebook, without */
    const kb_codebook *cb;
    size_t node;
    const char *const *docs;
    size_t ndocs;
    kb_doc_list *list; /* the documents, without a coder */
    const char **names;
    unsigned char *on;      /* per unit of g: a hit overlaps it */
    size_t d;               /* the document being matched (in docs) */
    kbi_limit_tally limits; /* its match-limit hits, told at the end */
} trial;

static int oom(trial *t)
{
    return kbi_fail(t->err, KB_ENOMEM, "out of memory");
}

/*
 * The coder to score against: o->coder when they have codings of the
 * concept (tags or accepted quotes, placed); else, with coder_fallback,
 * the coder with most such codings; else none (*score 0). The coder
 * reported is that one, or o->coder. An unknown o->coder without
 * fallback is KB_ENOENT with the nearest.
 */
static int pick_coder(trial *t, const char **coder, int *score)
{
    const kb_try_options *o = t->o;
    *coder = o->coder;
    *score = 0;
    if (!o->coder)
        return 0;
    sqlite3_stmt *st;
    int rc = kbi_store_prepare(
        t->p->db, &st,
        "SELECT coder FROM manual_codings WHERE kind = 'concept' AND code = ?1"
        " AND decision <> 'reject' AND placed GROUP BY coder"
        " ORDER BY coder = ?2 DESC, COUNT(*) DESC, coder LIMIT 1",
        t->err);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, o->concept, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, o->coder, -1, SQLITE_STATIC);
    int step = sqlite3_step(st), fail = 0;
    if (step == SQLITE_ROW) {
        const char *best = (const char *)sqlite3_column_text(st, 0);
        if (!strcmp(best, o->coder) || o->coder_fallback) {
            *coder = kbi_pool_own(&t->r->strings, strdup(best), &fail);
            *score = 1;
        }
    } else if (step != SQLITE_DONE) {
        rc = kbi_store_fail(t->err, t->p->db, "looking up the coders");
    }
    sqlite3_finalize(st);
    if (rc || fail)
        return rc ? rc : oom(t);
    if (!*score && o->coder_fallback)
        *coder = NULL;
    if (!*score && !o->coder_fallback) {
        if ((rc = kbi_manual_coder_check(o->coder, "coder", t->err)) ||
            (rc = kbi_manual_coder_known(t->p->db, o->coder, t->err)))
            return rc;
    }
    return 0;
}

/* The codebook and the concept's node in it; the documents. */
static int load(trial *t, const char *coder, int score)
{
    const kb_try_options *o = t->o;
    int rc;
    if (score) {
        if ((rc = kbi_eval_gold(&t->g, t->p, coder, o->concept, o->run, o->unit,
                                NULL, NULL, t->err)))
            return rc;
        t->cb = t->g.cb;
        t->node = t->g.node;
        t->docs = t->g.docs;
        t->ndocs = t->g.ndocs;
        if (!(t->on = calloc(t->g.n ? t->g.n : 1, 1)))
            return oom(t);
        return 0;
    }
    int64_t id;
    if ((rc = kbi_eval_run_codebook(&t->own, &id, NULL, t->p, o->run, t->err)))
        return rc;
    t->cb = t->own;
    t->node = kb_codebook_find(t->own, KB_CODE_CONCEPT, o->concept);
    if (t->node == KB_NO_INDEX)
        return kbi_eval_unknown_concept(t->own, o->concept, t->err);
    if (o->unit && !kb_segment_kind_name(o->unit))
        return kbi_fail(t->err, KB_EINVAL, "no such unit kind");
    if ((rc = kb_project_docs(&t->list, t->p, t->err)))
        return rc;
    t->ndocs = kb_doc_list_count(t->list);
    if (!(t->names = malloc((t->ndocs ? t->ndocs : 1) * sizeof *t->names)))
        return oom(t);
    for (size_t d = 0; d < t->ndocs; d++)
        t->names[d] = kb_doc_list_get(t->list, d)->name;
    t->docs = t->names;
    return 0;
}

static void on_limit(void *ctx, const kbi_limit_hit *hit)
{
    trial *t = ctx;
    kbi_limit_hit h = *hit;
    h.concept = t->node; /* told as the concept tried, not the rule's */
    kbi_limits_add(&t->limits, (int64_t)t->d, t->docs[t->d], &h);
}

/* Adds the quotes q of document d (loaded as doc) to the report and marks
 * the units they overlap. *u0 is the first unit of d or after. */
static int add_hits(trial *t, size_t d, const kb_document *doc,
                    const kbi_quotes *q, size_t *u0)
{
    kb_try_report *r = t->r;
    size_t u1 = *u0;
    if (t->on) {
        while (*u0 < t->g.n && t->g.units[*u0].doc < d)
            (*u0)++;
        for (u1 = *u0; u1 < t->g.n && t->g.units[u1].doc == d;)
            u1++;
    }
    int fail = 0;
    const char *name = NULL;
    if (q->n && !(name = kbi_pool_own(&r->strings, strdup(t->docs[d]), &fail)))
        return oom(t);
    r->documents += q->n > 0;
    for (size_t i = 0; i < q->n; i++) {
        const kb_segment *sg =
            kb_document_segment(doc, q->v[i].kind, q->v[i].segment);
        if (!sg)
            continue;
        if (KBI_GROW(&r->v, &r->cap, r->n + 1))
            return oom(t);
        kb_try_hit *h = &r->v[r->n++];
        *h = (kb_try_hit){name, sg->start, sg->end, NULL};
        if (r->n <= t->o->sample &&
            !(h->text = kbi_pool_own(&r->strings,
                                     strndup(sg->text, sg->text_len), &fail)))
            return oom(t);
        for (size_t u = t->on ? kbi_gold_first(&t->g, *u0, u1, sg->start) : u1;
             u < u1 && t->g.units[u].start < sg->end; u++)
            t->on[u] = 1;
    }
    return 0;
}

/* The tried rule matched over every document. */
static int match(trial *t)
{
    const kb_try_options *o = t->o;
    const kbi_cnode *cn = &t->cb->nodes[t->node];
    int rc = 0;
    for (size_t i = 0; i < o->npatterns && !rc; i++) {
        if (!o->patterns[i])
            return kbi_fail_arg(t->err, KB_EINVAL, "patterns",
                                "pattern %zu is NULL", i + 1);
        rc = kbi_rule_check(o->patterns[i], cn->info.caseless, i, "patterns",
                            t->err);
    }
    kb_codebook *cb = NULL;
    kbi_engine *e = NULL;
    unsigned char *mask = NULL;
    if (!rc)
        rc = kbi_rule_codebook(&cb, t->cb, t->node, o->patterns, o->npatterns,
                               0, t->err);
    if (!rc) {
        kbi_engine_jit(cb, NULL);
        rc = kbi_engine_new(&e, cb, 0, t->err);
    }
    size_t nodes = rc ? 0 : kb_codebook_count(cb);
    if (!rc && !(mask = calloc(nodes, 1)))
        rc = oom(t);
    for (size_t i = 0; !rc && i < nodes; i++)
        mask[i] = kb_codebook_get(cb, i)->kind == KB_CODE_CONCEPT;
    kbi_quotes q = {0};
    size_t u0 = 0;
    for (size_t d = 0; !rc && o->npatterns && d < t->ndocs; d++) {
        /* the text alone, then only the segments holding the rule's
         * literals, as a re-run of a few concepts reads them */
        kb_document *doc;
        if ((rc =
                 kbi_document_load_kinds(&doc, t->p, t->docs[d], 0, 0, t->err)))
            break;
        t->d = d;
        q.n = 0;
        int done = 0;
        rc = kbi_engine_code_located(e, doc, mask, &q, on_limit, t, &done,
                                     t->err);
        if (!rc && !done) {
            q.n = 0;
            if (!(rc = kbi_document_need(doc, cn->info.scope, t->err)))
                rc = kbi_engine_code(e, doc, mask, &q, on_limit, t, t->err);
        }
        if (!rc)
            rc = add_hits(t, d, doc, &q, &u0);
        kbi_document_recycle(doc, t->p);
    }
    if (!rc)
        kbi_limits_tell(&t->limits, t->cb, o->notice, o->ctx);
    kbi_limits_free(&t->limits);
    free(q.v);
    free(mask);
    kbi_engine_free(e);
    kb_codebook_free(cb);
    return rc;
}

int kb_project_try(kb_try_report **out, kb_project *p, const kb_try_options *o,
                   kb_error *err)
{
    *out = NULL;
    if (!o || o->version != KB_TRY_OPTIONS_VERSION)
        return kbi_fail(err, KB_EINVAL, "try options of an unknown version");
    if (!o->concept || !*o->concept)
        return kbi_fail_arg(err, KB_EINVAL, "concept", "no concept given");
    if (o->npatterns && !o->patterns)
        return kbi_fail_arg(err, KB_EINVAL, "patterns", "no patterns given");
    trial t = {.p = p, .o = o, .err = err};
    if (!(t.r = calloc(1, sizeof *t.r)))
        return oom(&t);
    const char *coder;
    int score, fail = 0;
    int rc = pick_coder(&t, &coder, &score);
    if (!rc)
        rc = load(&t, coder, score);
    if (!rc)
        rc = match(&t);
    if (!rc && coder)
        t.r->coder = coder == o->coder
                         ? kbi_pool_own(&t.r->strings, strdup(coder), &fail)
                         : coder;
    if (!rc && fail)
        rc = oom(&t);
    if (!rc && score) {
        t.r->scored = 1;
        t.r->units = t.g.n;
        kbi_gold_score(&t.g, t.on, NULL, &t.r->s);
    }
    kbi_gold_free(&t.g);
    kb_codebook_free(t.own);
    kb_doc_list_free(t.list);
    free(t.names);
    free(t.on);
    if (rc) {
        kb_try_report_free(t.r);
        return rc;
    }
    *out = t.r;
    return 0;
}

size_t kb_try_report_count(const kb_try_report *r)
{
    return r ? r->n : 0;
}

const kb_try_hit *kb_try_report_get(const kb_try_report *r, size_t i)
{
    return r && i < r->n ? &r->v[i] : NULL;
}

size_t kb_try_report_documents(const kb_try_report *r)
{
    return r ? r->documents : 0;
}

const char *kb_try_report_coder(const kb_try_report *r)
{
    return r ? r->coder : NULL;
}

const kb_eval_scores *kb_try_report_scores(const kb_try_report *r,
                                           size_t *units)
{
    if (units)
        *units = r && r->scored ? r->units : 0;
    return r && r->scored ? &r->s : NULL;
}

void kb_try_report_free(kb_try_report *r)
{
    if (!r)
        return;
    kbi_pool_free(&r->strings);
    free(r->v);
    free(r);
}
