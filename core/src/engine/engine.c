/*
 * engine.c: the matching loops, naive and prefiltered. Subjects are segment
 * slices of the stored text, which ingest validated and normalised, so matching
 * uses PCRE2_NO_UTF_CHECK; \b and lookbehinds see the segment's edges, not its
 * neighbours. Every pattern runs under a match and depth limit; a hit is
 * reported and counts as no match.
 */
#include "engine.h"
#include "ac.h"
#include "literals.h"
#include "codebook.h"
#include "error.h"
#include "grow.h"
#include "text.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The prefilter of one segment kind: an automaton over the required
 * literals of the concepts with that scope, and the concepts that have a
 * pattern without literals (they run on every segment). */
typedef struct prefilter {
    kb_ac *ac;
    uint32_t *always;
    size_t nalways, capalways;
} prefilter;

struct kb_engine {
    const kb_codebook *cb;
    int naive;
    pcre2_match_context *mctx;
    pcre2_match_data *md;
    prefilter pf[4]; /* by kb_segment_kind */
    /* per segment scratch: folded text and candidate concepts */
    char *fold;
    size_t foldcap;
    uint32_t *stamp; /* per node: the segment serial it is a candidate for */
    uint32_t serial;
    uint32_t *cand;
    size_t ncand;
    /* per node: a caseless pattern of the concept's literals, built on
     * first use; located[i] is 1 when built, -1 when there is none */
    pcre2_code **locator;
    signed char *located;
};

static int build_prefilters(kb_engine *e, kb_error *err)
{
    const kb_codebook *cb = e->cb;
    for (int k = KB_SEG_TURN; k <= KB_SEG_SENTENCE; k++)
        if (!(e->pf[k].ac = kb_ac_new()))
            return kb_fail(err, KB_ENOMEM, "out of memory");
    for (size_t ci = 0; ci < cb->n; ci++) {
        const kb_cnode *cn = &cb->nodes[ci];
        if (cn->info.kind != KB_CODE_CONCEPT || !cn->info.npatterns)
            continue;
        prefilter *pf = &e->pf[cn->info.scope];
        int always = 0;
        for (size_t k = 0; k < cn->npat && !always; k++) {
            if (cn->pat[k].exclude)
                continue;
            kb_literals lits;
            if (kb_literals_extract(&lits, cn->pat[k].source))
                return kb_fail(err, KB_ENOMEM, "out of memory");
            always = lits.n == 0;
            for (size_t i = 0; i < lits.n; i++)
                if (kb_ac_add(pf->ac, lits.v[i], strlen(lits.v[i]),
                              (uint32_t)ci)) {
                    kb_literals_clear(&lits);
                    return kb_fail(err, KB_ENOMEM, "out of memory");
                }
            kb_literals_clear(&lits);
        }
        if (always) {
            if (KB_GROW(&pf->always, &pf->capalways, pf->nalways + 1))
                return kb_fail(err, KB_ENOMEM, "out of memory");
            pf->always[pf->nalways++] = (uint32_t)ci;
        }
    }
    for (int k = KB_SEG_TURN; k <= KB_SEG_SENTENCE; k++)
        if (kb_ac_compile(e->pf[k].ac))
            return kb_fail(err, KB_ENOMEM, "out of memory");
    e->stamp = calloc(cb->n ? cb->n : 1, sizeof *e->stamp);
    e->cand = calloc(cb->n ? cb->n : 1, sizeof *e->cand);
    if (!e->stamp || !e->cand)
        return kb_fail(err, KB_ENOMEM, "out of memory");
    return 0;
}

int kb_engine_new(kb_engine **out, const kb_codebook *cb, int naive,
                  kb_error *err)
{
    *out = NULL;
    kb_engine *e = calloc(1, sizeof *e);
    if (!e)
        return kb_fail(err, KB_ENOMEM, "out of memory");
    e->cb = cb;
    e->naive = naive;
    e->mctx = pcre2_match_context_create(NULL);
    e->md = pcre2_match_data_create(32, NULL);
    if (!e->mctx || !e->md) {
        kb_engine_free(e);
        return kb_fail(err, KB_ENOMEM, "out of memory");
    }
    pcre2_set_match_limit(e->mctx, KB_MATCH_LIMIT);
    pcre2_set_depth_limit(e->mctx, KB_MATCH_LIMIT / 10);
    e->locator = calloc(cb->n ? cb->n : 1, sizeof *e->locator);
    e->located = calloc(cb->n ? cb->n : 1, sizeof *e->located);
    if (!e->locator || !e->located) {
        kb_engine_free(e);
        return kb_fail(err, KB_ENOMEM, "out of memory");
    }
    int rc = naive ? 0 : build_prefilters(e, err);
    if (rc) {
        kb_engine_free(e);
        return rc;
    }
    *out = e;
    return 0;
}

void kb_engine_free(kb_engine *e)
{
    if (!e)
        return;
    pcre2_match_context_free(e->mctx);
    pcre2_match_data_free(e->md);
    for (int k = 0; k < 4; k++) {
        kb_ac_free(e->pf[k].ac);
        free(e->pf[k].always);
    }
    for (size_t i = 0; e->locator && i < e->cb->n; i++)
        pcre2_code_free(e->locator[i]);
    free(e->locator);
    free(e->located);
    free(e->fold);
    free(e->stamp);
    free(e->cand);
    free(e);
}

/* 1 match, 0 none, -1 limit hit. Sets *at to the match's byte offset. */
static int run(kb_engine *e, const pcre2_code *re, const char *s, size_t n,
               size_t *at, size_t *end)
{
    int rc = pcre2_match(re, (PCRE2_SPTR)s, n, 0, PCRE2_NO_UTF_CHECK, e->md,
                         e->mctx);
    if (rc >= 0) {
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(e->md);
        *at = ov[0];
        *end = ov[1];
        return 1;
    }
    if (rc == PCRE2_ERROR_NOMATCH)
        return 0;
    return -1; /* match limit, depth limit, JIT stack */
}

static int speaks(const kb_code_info *c, kb_role role)
{
    switch (c->speakers) {
    case KB_SPEAKERS_RESPONDENTS:
        return role == KB_ROLE_RESPONDENT;
    case KB_SPEAKERS_INTERVIEWERS:
        return role == KB_ROLE_INTERVIEWER;
    case KB_SPEAKERS_ALL:
        return 1;
    }
    return 0;
}

/* Codes one segment with one concept: 1 quote, 0 none. */
static int code_segment(kb_engine *e, const kb_cnode *cn, size_t ci,
                        const kb_segment *s, kb_quote *q, kb_limit_fn on_limit,
                        void *ctx)
{
    size_t best = (size_t)-1, best_end = 0;
    for (size_t k = 0; k < cn->npat; k++) {
        const kb_pattern *p = &cn->pat[k];
        size_t at, end;
        int r = run(e, p->re, s->text, s->text_len, &at, &end);
        if (r < 0 && on_limit) {
            kb_limit_hit hit = {ci, p->source, s->kind, s->index, s->start};
            on_limit(ctx, &hit);
        }
        if (r <= 0)
            continue;
        if (p->exclude)
            return 0;
        if (at < best) {
            best = at;
            best_end = end;
        }
    }
    if (best == (size_t)-1)
        return 0;
    q->concept = ci;
    q->kind = s->kind;
    q->segment = s->index;
    q->mstart = s->start + kb_utf8_count(s->text, best);
    q->mend = q->mstart + kb_utf8_count(s->text + best, best_end - best);
    return 1;
}

static int push_quote(kb_quotes *out, const kb_quote *q, kb_error *err)
{
    if (KB_GROW(&out->v, &out->cap, out->n + 1))
        return kb_fail(err, KB_ENOMEM, "out of memory");
    out->v[out->n++] = *q;
    return 0;
}

/* The oracle: every concept's patterns on every segment of its scope. */
static int code_naive(kb_engine *e, const kb_document *doc,
                      const unsigned char *mask, kb_quotes *out,
                      kb_limit_fn on_limit, void *ctx, kb_error *err)
{
    const kb_codebook *cb = e->cb;
    for (size_t ci = 0; ci < cb->n; ci++) {
        const kb_cnode *cn = &cb->nodes[ci];
        if (cn->info.kind != KB_CODE_CONCEPT || !mask[ci] ||
            !cn->info.npatterns)
            continue;
        size_t n = kb_document_segment_count(doc, cn->info.scope);
        for (size_t i = 0; i < n; i++) {
            const kb_segment *s = kb_document_segment(doc, cn->info.scope, i);
            kb_quote q;
            if (speaks(&cn->info, s->role) &&
                code_segment(e, cn, ci, s, &q, on_limit, ctx) &&
                push_quote(out, &q, err))
                return KB_ENOMEM;
        }
    }
    return 0;
}

static void candidate(void *ctx, uint32_t ci)
{
    kb_engine *e = ctx;
    if (e->stamp[ci] != e->serial) {
        e->stamp[ci] = e->serial;
        e->cand[e->ncand++] = ci;
    }
}

static int by_concept_then_segment(const void *x, const void *y)
{
    const kb_quote *a = x, *b = y;
    if (a->concept != b->concept)
    return a->concept < b->concept ? -1 : 1;
    return a->segment < b->segment ? -1 : a->segment > b->segment;
}

/* The prefiltered loop: per segment, one pass of the automaton over the
 * folded text picks the candidate concepts; PCRE2 confirms them. */
static int code_prefiltered(kb_engine *e, const kb_document *doc,
                            const unsigned char *mask, kb_quotes *out,
                            kb_limit_fn on_limit, void *ctx, kb_error *err)
{
    const kb_codebook *cb = e->cb;
    size_t first = out->n;
    for (int k = KB_SEG_TURN; k <= KB_SEG_SENTENCE; k++) {
        const prefilter *pf = &e->pf[k];
        size_t n = kb_document_segment_count(doc, (kb_segment_kind)k);
        for (size_t i = 0; i < n; i++) {
            const kb_segment *s =
                kb_document_segment(doc, (kb_segment_kind)k, i);
            size_t flen = 0;
            if (kb_fold(&e->fold, &flen, &e->foldcap, s->text, s->text_len))
                return kb_fail(err, KB_ENOMEM, "out of memory");
            if (++e->serial == 0) { /* wrapped: forget old stamps */
                memset(e->stamp, 0, cb->n * sizeof *e->stamp);
                e->serial = 1;
            }
            e->ncand = 0;
            kb_ac_scan(pf->ac, e->fold, flen, candidate, e);
            for (size_t a = 0; a < pf->nalways; a++)
                candidate(e, pf->always[a]);
            for (size_t c = 0; c < e->ncand; c++) {
                size_t ci = e->cand[c];
                const kb_cnode *cn = &cb->nodes[ci];
                kb_quote q;
                if (mask[ci] && speaks(&cn->info, s->role) &&
                    code_segment(e, cn, ci, s, &q, on_limit, ctx) &&
                    push_quote(out, &q, err))
                    return KB_ENOMEM;
            }
        }
    }
    if (out->n > first)
        qsort(out->v + first, out->n - first, sizeof *out->v,
              by_concept_then_segment);
    return 0;
}

int kb_engine_code(kb_engine *e, const kb_document *doc,
                   const unsigned char *mask, kb_quotes *out,
                   kb_limit_fn on_limit, void *ctx, kb_error *err)
{
    size_t masked = 0;
    for (size_t i = 0; i < e->cb->n; i++)
        masked += mask[i] && e->cb->nodes[i].info.kind == KB_CODE_CONCEPT;
    return e->naive || masked <= KB_FEW_CONCEPTS
               ? code_naive(e, doc, mask, out, on_limit, ctx, err)
               : code_prefiltered(e, doc, mask, out, on_limit, ctx, err);
}

/* Builds the locator of concept ci: (?:lit1|lit2|...), literals escaped. */
static int build_locator(kb_engine *e, size_t ci, kb_error *err)
{
    const kb_cnode *cn = &e->cb->nodes[ci];
    char *re = NULL;
    size_t n = 0, cap = 0;
    int none = 0;
    if (KB_GROW(&re, &cap, 8))
        return kb_fail(err, KB_ENOMEM, "out of memory");
    memcpy(re, "(?:", 3);
    n = 3;
    for (size_t k = 0; k < cn->npat && !none; k++) {
        if (cn->pat[k].exclude)
            continue;
        kb_literals lits;
        if (kb_literals_extract(&lits, cn->pat[k].source)) {
            free(re);
            return kb_fail(err, KB_ENOMEM, "out of memory");
        }
        none = lits.n == 0;
        for (size_t i = 0; i < lits.n; i++) {
            size_t len = strlen(lits.raw[i]);
            if (KB_GROW(&re, &cap, n + 2 * len + 4)) {
                kb_literals_clear(&lits);
                free(re);
                return kb_fail(err, KB_ENOMEM, "out of memory");
            }
            if (n > 3)
                re[n++] = '|';
            for (size_t b = 0; b < len; b++) {
                unsigned char c = (unsigned char)lits.raw[i][b];
                if (c < 0x80 &&
                    !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                      (c >= '0' && c <= '9')))
                    re[n++] = '\\';
                re[n++] = (char)c;
            }
        }
        kb_literals_clear(&lits);
    }
    e->located[ci] = -1;
    if (!none && n > 3 && !KB_GROW(&re, &cap, n + 2)) {
        re[n++] = ')';
        re[n] = '\0';
        int ec;
        PCRE2_SIZE off;
        e->locator[ci] = pcre2_compile((PCRE2_SPTR)re, n,
                                       PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS,
                                       &ec, &off, NULL);
        if (e->locator[ci]) {
            pcre2_jit_compile(e->locator[ci], PCRE2_JIT_COMPLETE);
            e->located[ci] = 1;
        }
    }
    free(re);
    return 0;
}

int kb_engine_locate(kb_engine *e, size_t ci, const char *text, size_t len,
                     size_t **offs, size_t *n, size_t *cap, kb_error *err)
{
    if (!e->located[ci]) {
        int rc = build_locator(e, ci, err);
        if (rc)
            return rc;
    }
    if (e->located[ci] < 0)
        return 0;
    size_t start = 0;
    while (start < len) {
        int rc = pcre2_match(e->locator[ci], (PCRE2_SPTR)text, len, start,
                             PCRE2_NO_UTF_CHECK, e->md, e->mctx);
        if (rc == PCRE2_ERROR_NOMATCH)
            break;
        if (rc < 0)
            return 0; /* a limit: fall back to matching everything */
        size_t at = pcre2_get_ovector_pointer(e->md)[0];
        if (KB_GROW(offs, cap, *n + 1))
            return kb_fail(err, KB_ENOMEM, "out of memory");
        (*offs)[(*n)++] = at;
        /* the next character, so that overlapping occurrences are found */
        start = at + kb_utf8_seqlen((unsigned char)text[at]);
    }
    return 1;
}

int kb_engine_code_at(kb_engine *e, const kb_document *doc, size_t ci,
                      const size_t *seqs, size_t nseqs, kb_quotes *out,
                      kb_limit_fn on_limit, void *ctx, kb_error *err)
{
    const kb_cnode *cn = &e->cb->nodes[ci];
    for (size_t i = 0; i < nseqs; i++) {
        const kb_segment *s = kb_document_segment(doc, cn->info.scope, seqs[i]);
        kb_quote q;
        if (s && s->text && speaks(&cn->info, s->role) &&
            code_segment(e, cn, ci, s, &q, on_limit, ctx) &&
            push_quote(out, &q, err))
            return KB_ENOMEM;
    }
    return 0;
}

/* Does facet value `value` (a node index) match in text[0..len)? A limit
 * hit counts as no match. */
static int value_matches(kb_engine *e, size_t value, const char *text,
                         size_t len)
{
    const kb_cnode *cn = &e->cb->nodes[value];
    for (size_t k = 0; k < cn->npat; k++) {
        size_t at, end;
        if (run(e, cn->pat[k].re, text, len, &at, &end) > 0)
            return 1;
    }
    return 0;
}

int kb_engine_facets(kb_engine *e, const char *text, size_t len,
                     kb_attr_fn attr, kb_facet_fn emit, void *ctx)
{
    const kb_codebook *cb = e->cb;
    int rc = 0;
    for (size_t f = 0; f < cb->n && !rc; f++) {
        const kb_code_info *fi = &cb->nodes[f].info;
        if (fi->kind != KB_CODE_FACET)
            continue;
        int found = 0;
        for (size_t v = f + 1;
             v < cb->n && cb->nodes[v].info.parent == f && !rc; v++)
            if (value_matches(e, v, text, len)) {
                rc = emit(ctx, fi->id, cb->nodes[v].info.id, "pattern");
                found = 1;
            }
        if (found || rc)
            continue;
        const char *a = fi->attribute ? attr(ctx, fi->attribute) : NULL;
        for (size_t v = f + 1; a && v < cb->n && cb->nodes[v].info.parent == f;
             v++) {
            const kb_code_info *vi = &cb->nodes[v].info;
            if (!strcasecmp(a, vi->id) || !strcasecmp(a, vi->label)) {
                rc = emit(ctx, fi->id, vi->id, "attribute");
                found = 1;
                break;
            }
        }
        if (!found && !rc && fi->default_value)
            rc = emit(ctx, fi->id, fi->default_value, "default");
    }
    return rc;
}
