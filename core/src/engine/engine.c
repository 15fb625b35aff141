/*
 * engine.c: the matching loop. Subjects are segment slices of the stored
 * text, which ingest validated and normalised, so matching uses
 * PCRE2_NO_UTF_CHECK; \b and lookbehinds see the segment's edges, not its
 * neighbours. Every pattern runs under a match and depth limit; a hit is
 * reported and counts as no match.
 */
#include "engine.h"
#include "codebook.h"
#include "error.h"
#include "grow.h"
#include "text.h"

#include <stdlib.h>
#include <string.h>

struct kb_engine {
    const kb_codebook *cb;
    int naive;
    pcre2_match_context *mctx;
    pcre2_match_data *md;
};

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
    *out = e;
    return 0;
}

void kb_engine_free(kb_engine *e)
{
    if (!e)
        return;
    pcre2_match_context_free(e->mctx);
    pcre2_match_data_free(e->md);
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

int kb_engine_code(kb_engine *e, const kb_document *doc,
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
            if (!speaks(&cn->info, s->role))
                continue;
            kb_quote q;
            if (!code_segment(e, cn, ci, s, &q, on_limit, ctx))
                continue;
            if (KB_GROW(&out->v, &out->cap, out->n + 1))
                return kb_fail(err, KB_ENOMEM, "out of memory");
            out->v[out->n++] = q;
        }
    }
    return 0;
}

int kb_engine_value_matches(kb_engine *e, size_t value, const char *text,
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
