/*
 * engine.c: the matching loops, naive and prefiltered. Subjects are segment
 * slices of the stored text, which ingest validated and normalised, so matching
 * uses PCRE2_NO_UTF_CHECK; \b and lookbehinds see the segment's edges, not its
 * neighbours. Every pattern runs under a match and depth limit; a hit is
 * reported and counts as no match.
 *
 * The prefilter folds a document's text once and finds every occurrence of
 * the concepts' (and facet values') required literals in it with one scan
 * (litscan.c); the occurrences that start in a segment make its candidate
 * concepts, which PCRE2 confirms. Folding is per code point, so a
 * segment's fold is the same bytes of the document's fold whenever every
 * code point folds to as many bytes as it has; a document where one does
 * not (İ, the Kelvin sign, ligatures) is folded and scanned a segment at a
 * time. Either way a candidate set holds every concept with a literal
 * inside the segment, so the quotes equal the naive loop's.
 *
 * A candidate's pattern whose literals occur nowhere in the segment is not
 * run. One whose literals lead (every match begins with one, literals.h)
 * is run anchored at each of their occurrences in turn rather than
 * searched for from the segment's start: the first that matches is where
 * the search would have found its first match, and an attempt at one
 * place costs far less than a search of the segment. An occurrence whose
 * neighbour in the text rules out what the pattern puts before the
 * literal (a letter where \b or \s must be) counts as none.
 */
#include "engine/engine.h"
#include "codebook/codebook.h"
#include "base/error.h"
#include "base/grow.h"
#include "codebook/literals.h"
#include "engine/litscan.h"
#include "base/utf8.h"
#include "base/fold.h"
#include "store/document.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Documents up to this size are folded whole; larger ones a segment at a
 * time, so that the fold stays small beside the text. */
#define WHOLE_FOLD_MAX ((size_t)32 << 20)

/* A pattern of a concept or facet value, as the prefilter sees it. */
typedef struct pattern_ref {
    uint32_t node, k; /* cb->nodes[node].pat[k] */
    int lits;         /* it has literals: without one in a segment, no match */
    int lead;         /* every match begins with one of them */
    int before;       /* kbi_lit_before: what stands right before them */
    pcre2_code *anchored; /* the pattern anchored, built when first used */
    int no_anchored;      /* it would not build: search instead */
} pattern_ref;

/*
 * A concept's locator: caseless patterns of its literals as written, one
 * per literal, or, for more than LOCATE_APART of them, one alternation of
 * them all. Apart, each is a literal that PCRE2's JIT looks for with SIMD;
 * an alternation it scans a byte at a time, many times slower
 * (docs/benchmarks.md).
 */
typedef struct locator {
    pcre2_code **v;
    size_t n;
    int state; /* 0 not built yet, 1 built, -1 none: a pattern has none */
} locator;

#define LOCATE_APART 8

struct kbi_engine {
    const kb_codebook *cb;
    int naive;
    pcre2_match_context *mctx;
    pcre2_match_data *md;
    /* the prefilter: literals of concepts and facet values (ids are node
     * indexes), and per kind the concepts with a pattern without literals,
     * which are candidates in every segment; built when first needed */
    int prefiltered;
    kbi_lits *lits; /* the ids of a literal are indexes into pats */
    pattern_ref *pats;
    size_t npats, cappats;
    uint32_t *first_pat; /* per node: its first pattern in pats */
    uint32_t *always[4];
    size_t nalways[4], capalways[4];
    /* facet values with patterns, in codebook order: bit v of a quote's
     * `values` is vals[v] (when there are at most KBI_VALUES_MAX) */
    uint32_t *vals;
    size_t nvals;
    uint32_t *vbit;   /* per node: 1 + its bit, 0 for none */
    uint32_t *facets; /* the facet nodes */
    size_t nfacets;
    uint64_t vals_always; /* values with a pattern without literals */
    /* scratch: the fold, the occurrences, candidate concepts */
    char *fold;
    size_t foldcap;
    kbi_lit_hits hits;
    kbi_quote *sorted; /* quotes being put in order of concept */
    size_t capsorted;
    size_t *count;   /* per node + 1: quotes, then where they go */
    uint32_t *stamp; /* per node: the segment serial it is a candidate for */
    uint32_t serial;
    uint32_t *cand;
    size_t ncand;
    /* per node: where its literals are found, built on first use */
    locator *locators;
};

/* Adds node ni's patterns and their literals to the prefilter; sets
 * *always when one of them has no literals. */
static int add_literals(kbi_engine *e, size_t ni, int *always, kb_error *err)
{
    const kbi_cnode *cn = &e->cb->nodes[ni];
    *always = 0;
    e->first_pat[ni] = (uint32_t)e->npats;
    for (size_t k = 0; k < cn->npat; k++) {
        if (KBI_GROW(&e->pats, &e->cappats, e->npats + 1))
            return kbi_fail(err, KB_ENOMEM, "out of memory");
        pattern_ref *r = &e->pats[e->npats];
        memset(r, 0, sizeof *r);
        r->node = (uint32_t)ni;
        r->k = (uint32_t)k;
        uint32_t id = (uint32_t)e->npats++;
        if (cn->pat[k].exclude)
            continue;
        const kbi_literals *lits = &cn->pat[k].lits;
        *always |= lits->n == 0;
        r->lits = lits->n > 0;
        r->lead = lits->lead;
        r->before = lits->before;
        for (size_t i = 0; i < lits->n; i++)
            if (kbi_lits_add(e->lits, lits->v[i], strlen(lits->v[i]), id))
                return kbi_fail(err, KB_ENOMEM, "out of memory");
    }
    return 0;
}

/* The facet values with patterns, each with its bit. */
static int list_values(kbi_engine *e, kb_error *err)
{
    const kb_codebook *cb = e->cb;
    e->vbit = calloc(cb->n ? cb->n : 1, sizeof *e->vbit);
    e->vals = calloc(cb->n ? cb->n : 1, sizeof *e->vals);
    e->facets = calloc(cb->n ? cb->n : 1, sizeof *e->facets);
    if (!e->vbit || !e->vals || !e->facets)
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    for (size_t v = 0; v < cb->n; v++)
        if (cb->nodes[v].info.kind == KB_CODE_FACET)
            e->facets[e->nfacets++] = (uint32_t)v;
        else if (cb->nodes[v].info.kind == KB_CODE_VALUE && cb->nodes[v].npat) {
            e->vbit[v] = (uint32_t)e->nvals + 1;
            e->vals[e->nvals++] = (uint32_t)v;
        }
    return 0;
}

/* Frees the prefilter, or what a build that failed made of it. */
static void drop_prefilters(kbi_engine *e)
{
    kbi_lits_free(e->lits);
    for (size_t i = 0; i < e->npats; i++)
        pcre2_code_free(e->pats[i].anchored);
    free(e->pats);
    free(e->first_pat);
    for (int k = 0; k < 4; k++) {
        free(e->always[k]);
        e->always[k] = NULL;
        e->nalways[k] = e->capalways[k] = 0;
    }
    free(e->stamp);
    free(e->cand);
    free(e->count);
    e->lits = NULL;
    e->pats = NULL;
    e->npats = e->cappats = 0;
    e->first_pat = e->stamp = e->cand = NULL;
    e->count = NULL;
    e->vals_always = 0;
    e->prefiltered = 0;
}

static int build_prefilters(kbi_engine *e, kb_error *err)
{
    const kb_codebook *cb = e->cb;
    drop_prefilters(e); /* a build that failed before: begun again */
    if (!(e->lits = kbi_lits_new()) ||
        !(e->first_pat = calloc(cb->n ? cb->n : 1, sizeof *e->first_pat)))
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    for (size_t ni = 0; ni < cb->n; ni++) {
        const kbi_cnode *cn = &cb->nodes[ni];
        int concept = cn->info.kind == KB_CODE_CONCEPT && cn->info.npatterns;
        if (!concept && !e->vbit[ni])
            continue;
        if (!concept && e->nvals > KBI_VALUES_MAX)
            continue; /* values not kept with quotes: nothing to filter */
        int always, rc = add_literals(e, ni, &always, err);
        if (rc)
            return rc;
        if (!always)
            continue;
        if (!concept) {
            e->vals_always |= (uint64_t)1 << (e->vbit[ni] - 1);
            continue;
        }
        int k = cn->info.scope;
        if (KBI_GROW(&e->always[k], &e->capalways[k], e->nalways[k] + 1))
            return kbi_fail(err, KB_ENOMEM, "out of memory");
        e->always[k][e->nalways[k]++] = (uint32_t)ni;
    }
    if (kbi_lits_compile(e->lits))
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    e->stamp = calloc(cb->n ? cb->n : 1, sizeof *e->stamp);
    e->cand = calloc(cb->n ? cb->n : 1, sizeof *e->cand);
    e->count = calloc(cb->n + 1, sizeof *e->count);
    if (!e->stamp || !e->cand || !e->count)
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    e->prefiltered = 1;
    return 0;
}

void kbi_engine_jit(const kb_codebook *cb, const unsigned char *concepts)
{
    for (size_t i = 0; i < cb->n; i++) {
        const kbi_cnode *cn = &cb->nodes[i];
        int want = cn->info.kind == KB_CODE_CONCEPT
                       ? !concepts || concepts[i]
                       : cn->info.kind == KB_CODE_VALUE;
        for (size_t k = 0; want && k < cn->npat; k++)
            pcre2_jit_compile(cn->pat[k].re, PCRE2_JIT_COMPLETE);
    }
}

int kbi_engine_new(kbi_engine **out, const kb_codebook *cb, int naive,
                   kb_error *err)
{
    *out = NULL;
    kbi_engine *e = calloc(1, sizeof *e);
    if (!e)
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    e->cb = cb;
    e->naive = naive;
    e->mctx = pcre2_match_context_create(NULL);
    e->md = pcre2_match_data_create(32, NULL);
    if (!e->mctx || !e->md) {
        kbi_engine_free(e);
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    }
    pcre2_set_match_limit(e->mctx, KBI_MATCH_LIMIT);
    pcre2_set_depth_limit(e->mctx, KBI_MATCH_LIMIT / 10);
    e->locators = calloc(cb->n ? cb->n : 1, sizeof *e->locators);
    if (!e->locators) {
        kbi_engine_free(e);
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    }
    int rc = list_values(e, err);
    if (rc) {
        kbi_engine_free(e);
        return rc;
    }
    *out = e;
    return 0;
}

/* Scratch an engine keeps between documents: enough for most. */
#define KEEP_BYTES ((size_t)1 << 18)

void kbi_engine_trim(kbi_engine *e)
{
    if (e->foldcap > KEEP_BYTES) {
        free(e->fold);
        e->fold = NULL;
        e->foldcap = 0;
    }
    if (e->hits.cap * sizeof *e->hits.v > KEEP_BYTES) {
        free(e->hits.v);
        e->hits = (kbi_lit_hits){0};
    }
    if (e->capsorted * sizeof *e->sorted > KEEP_BYTES) {
        free(e->sorted);
        e->sorted = NULL;
        e->capsorted = 0;
    }
}

void kbi_engine_free(kbi_engine *e)
{
    if (!e)
        return;
    pcre2_match_context_free(e->mctx);
    pcre2_match_data_free(e->md);
    drop_prefilters(e);
    for (size_t i = 0; e->locators && i < e->cb->n; i++) {
        for (size_t k = 0; k < e->locators[i].n; k++)
            pcre2_code_free(e->locators[i].v[k]);
        free(e->locators[i].v);
    }
    free(e->locators);
    free(e->vals);
    free(e->vbit);
    free(e->facets);
    free(e->fold);
    free(e->hits.v);
    free(e->sorted);
    free(e);
}

/* 1 match, 0 none, -1 limit hit, searching s[0..n) from `from`. Sets *at
 * and *end to the match's byte offsets. */
static int run_from(kbi_engine *e, const pcre2_code *re, const char *s,
                    size_t n, size_t from, size_t *at, size_t *end)
{
    int rc = pcre2_match(re, (PCRE2_SPTR)s, n, from, PCRE2_NO_UTF_CHECK, e->md,
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

static int run(kbi_engine *e, const pcre2_code *re, const char *s, size_t n,
               size_t *at, size_t *end)
{
    return run_from(e, re, s, n, 0, at, end);
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

/* Where the prefilter found literals in the segment being coded. */
typedef struct seg_hits {
    const kbi_lit_hit *v;
    size_t n;
    size_t b0; /* the offset of the segment in the text they were found in */
    int exact; /* that text's offsets are the segment text's (same fold) */
} seg_hits;

static int ascii_word(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_';
}

/*
 * Can a match of pattern r have its literal at byte `pos` of s, given what
 * r puts right before it? Only a sure no counts: a character outside
 * ASCII next to it may be anything. A white space character must precede
 * (none at the start); a word boundary needs a word character on exactly
 * one side.
 */
static int fits_before(const pattern_ref *r, const kb_segment *s, size_t pos)
{
    if (r->before == KBI_LIT_ANY)
        return 1;
    if (!pos)
        return r->before != KBI_LIT_AFTER_SPACE;
    unsigned char b = (unsigned char)s->text[pos - 1],
                  c = (unsigned char)s->text[pos];
    if (b >= 0x80)
        return 1;
    if (r->before == KBI_LIT_AFTER_SPACE)
        return b == ' ' || b == '\t' || b == '\n' || b == '\v' || b == '\f' ||
               b == '\r';
    return c >= 0x80 || ascii_word(b) != ascii_word(c);
}

/* Was hit h a literal of pattern `id`, at a place that fits it? */
static int hit_of(const kbi_engine *e, const kbi_lit_hit *h, uint32_t id,
                  const kb_segment *s, size_t b0, int exact)
{
    size_t n;
    const uint32_t *ids = kbi_lits_ids(e->lits, h->lit, &n);
    for (size_t i = 0; i < n; i++)
        if (ids[i] == id)
            return !exact || fits_before(&e->pats[id], s, h->at - b0);
    return 0;
}

/* Pattern r anchored at the start offset, compiled when first asked for;
 * NULL if it will not compile. */
static const pcre2_code *anchored(pattern_ref *r, const kbi_pattern *p)
{
    if (!r->anchored && !r->no_anchored) {
        uint32_t opts = 0;
        int ec;
        PCRE2_SIZE off;
        pcre2_pattern_info(p->re, PCRE2_INFO_ARGOPTIONS, &opts);
        r->anchored =
            pcre2_compile((PCRE2_SPTR)p->source, PCRE2_ZERO_TERMINATED,
                          opts | PCRE2_ANCHORED, &ec, &off, NULL);
        r->no_anchored = !r->anchored;
        if (r->anchored)
            pcre2_jit_compile(r->anchored, PCRE2_JIT_COMPLETE);
    }
    return r->anchored;
}

/*
 * run() for pattern `id` (with literals) on segment s whose literals were
 * found at h: 0 where none of them occurs; anchored at each occurrence in
 * turn where they lead. The result is run()'s: the first match begins at
 * an occurrence, and at a given start an anchored attempt matches what a
 * search does. A limit hit leaves the answer, and the report, to run().
 */
static int run_hits(kbi_engine *e, uint32_t id, const kbi_pattern *p,
                    const kb_segment *s, const seg_hits *h, size_t *at,
                    size_t *end)
{
    pattern_ref *r = &e->pats[id];
    int any = 0, search = !h->exact || !r->lead;
    size_t last = (size_t)-1;
    for (size_t i = 0; i < h->n; i++) {
        if (!hit_of(e, &h->v[i], id, s, h->b0, h->exact))
            continue;
        any = 1;
        if (search)
            break;
        size_t pos = h->v[i].at - h->b0;
        if (pos == last || pos >= s->text_len ||
            ((unsigned char)s->text[pos] & 0xC0) == 0x80)
            continue; /* tried, or inside a character (a fold's tail) */
        last = pos;
        const pcre2_code *re = anchored(r, p);
        int rc = re ? run_from(e, re, s->text, s->text_len, pos, at, end) : -1;
        if (rc > 0)
            return 1;
        if (rc < 0) {
            search = 1;
            break;
        }
    }
    if (!any)
        return 0;
    return search ? run(e, p->re, s->text, s->text_len, at, end) : 0;
}

/* Codes one segment with one concept: 1 quote, 0 none. With h (the
 * prefilter's occurrences in it), patterns with literals go by them. */
static int code_segment(kbi_engine *e, const kbi_cnode *cn, size_t ci,
                        const kb_segment *s, const seg_hits *h, kbi_quote *q,
                        kbi_limit_fn on_limit, void *ctx)
{
    size_t best = (size_t)-1, best_end = 0;
    for (size_t k = 0; k < cn->npat; k++) {
        const kbi_pattern *p = &cn->pat[k];
        size_t at, end;
        uint32_t id = h ? e->first_pat[ci] + (uint32_t)k : 0;
        int r = h && !p->exclude && e->pats[id].lits
                    ? run_hits(e, id, p, s, h, &at, &end)
                    : run(e, p->re, s->text, s->text_len, &at, &end);
        if (r < 0 && on_limit) {
            kbi_limit_hit hit = {ci, p->source, s->kind, s->index, s->start};
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
    memset(q, 0, sizeof *q); /* padding too: quotes are compared whole */
    q->concept = ci;
    q->kind = s->kind;
    q->segment = s->index;
    q->mstart = s->start + kbi_utf8_count(s->text, best);
    q->mend = q->mstart + kbi_utf8_count(s->text + best, best_end - best);
    return 1;
}

static int push_quote(kbi_quotes *out, const kbi_quote *q, kb_error *err)
{
    if (KBI_GROW(&out->v, &out->cap, out->n + 1))
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    out->v[out->n++] = *q;
    return 0;
}

/* Does facet value `value` (a node index) match in text[0..len)? A limit
 * hit counts as no match. */
static int value_matches(kbi_engine *e, size_t value, const char *text,
                         size_t len)
{
    const kbi_cnode *cn = &e->cb->nodes[value];
    for (size_t k = 0; k < cn->npat; k++) {
        size_t at, end;
        if (run(e, cn->pat[k].re, text, len, &at, &end) > 0)
            return 1;
    }
    return 0;
}

/* The `values` of a quote in segment s: of the values in `which` (bits),
 * those whose patterns match in it. */
static uint64_t segment_values(kbi_engine *e, const kb_segment *s,
                               uint64_t which)
{
    if (e->nvals > KBI_VALUES_MAX)
        return 0; /* not kept: facets are matched when stored */
    uint64_t v = KBI_VALUES_KNOWN;
    for (size_t i = 0; i < e->nvals; i++)
        if (which >> i & 1 &&
            value_matches(e, e->vals[i], s->text, s->text_len))
            v |= (uint64_t)1 << i;
    return v;
}

static int by_place(const void *x, const void *y)
{
    const kbi_quote *a = x, *b = y;
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    if (a->segment != b->segment)
        return a->segment < b->segment ? -1 : 1;
    return (a->concept > b->concept) - (a->concept < b->concept);
}

static int by_concept_then_segment(const void *x, const void *y)
{
    const kbi_quote *a = x, *b = y;
    if (a->concept != b->concept)
        return a->concept < b->concept ? -1 : 1;
    return a->segment < b->segment ? -1 : a->segment > b->segment;
}

/* Gives out->v[first..] their values, every value tried once per segment,
 * and leaves them in order of concept then segment. */
static void values_by_segment(kbi_engine *e, const kb_document *doc,
                              kbi_quotes *out, size_t first)
{
    size_t n = out->n - first;
    if (!n)
        return;
    kbi_quote *q = out->v + first;
    kbi_sort(q, n, sizeof *q, by_place);
    for (size_t i = 0; i < n;) {
        const kb_segment *s = kb_document_segment(doc, q[i].kind, q[i].segment);
        uint64_t v = segment_values(e, s, ~(uint64_t)0);
        size_t j = i;
        for (; j < n && q[j].kind == q[i].kind && q[j].segment == q[i].segment;
             j++)
            q[j].values = v;
        i = j;
    }
    kbi_sort(q, n, sizeof *q, by_concept_then_segment);
}

/* The oracle: every concept's patterns on every segment of its scope, and
 * every facet value's on every quote's segment. */
static int code_naive(kbi_engine *e, const kb_document *doc,
                      const unsigned char *mask, kbi_quotes *out,
                      kbi_limit_fn on_limit, void *ctx, kb_error *err)
{
    const kb_codebook *cb = e->cb;
    size_t first = out->n;
    for (size_t ci = 0; ci < cb->n; ci++) {
        const kbi_cnode *cn = &cb->nodes[ci];
        if (cn->info.kind != KB_CODE_CONCEPT || !mask[ci] ||
            !cn->info.npatterns)
            continue;
        size_t n = kb_document_segment_count(doc, cn->info.scope);
        for (size_t i = 0; i < n; i++) {
            const kb_segment *s = kb_document_segment(doc, cn->info.scope, i);
            kbi_quote q;
            if (speaks(&cn->info, s->role) &&
                code_segment(e, cn, ci, s, NULL, &q, on_limit, ctx) &&
                push_quote(out, &q, err))
                return KB_ENOMEM;
        }
    }
    values_by_segment(e, doc, out, first);
    return 0;
}

static void candidate(kbi_engine *e, uint32_t ci)
{
    if (e->stamp[ci] != e->serial) {
        e->stamp[ci] = e->serial;
        e->cand[e->ncand++] = ci;
    }
}

/* Codes segment s with the candidates that the occurrences h of literals
 * in it make, and gives its quotes their facet values. */
static int code_candidates(kbi_engine *e, const kb_segment *s,
                           const seg_hits *h, const unsigned char *mask,
                           kbi_quotes *out, kbi_limit_fn on_limit, void *ctx,
                           kb_error *err)
{
    const kb_codebook *cb = e->cb;
    if (++e->serial == 0) { /* wrapped: forget old stamps */
        memset(e->stamp, 0, cb->n * sizeof *e->stamp);
        e->serial = 1;
    }
    e->ncand = 0;
    uint64_t vcand = e->vals_always;
    for (size_t i = 0; i < h->n; i++) {
        size_t nids;
        const uint32_t *ids = kbi_lits_ids(e->lits, h->v[i].lit, &nids);
        for (size_t k = 0; k < nids; k++) {
            const pattern_ref *r = &e->pats[ids[k]];
            uint32_t ni = r->node;
            if (h->exact && !fits_before(r, s, h->v[i].at - h->b0))
                continue;
            if (e->vbit[ni])
                vcand |= (uint64_t)1 << (e->vbit[ni] - 1);
            else if (cb->nodes[ni].info.scope == s->kind && mask[ni])
                candidate(e, ni);
        }
    }
    for (size_t a = 0; a < e->nalways[s->kind]; a++)
        if (mask[e->always[s->kind][a]])
            candidate(e, e->always[s->kind][a]);
    size_t first = out->n;
    for (size_t c = 0; c < e->ncand; c++) {
        size_t ci = e->cand[c];
        const kbi_cnode *cn = &cb->nodes[ci];
        kbi_quote q;
        if (speaks(&cn->info, s->role) &&
            code_segment(e, cn, ci, s, h, &q, on_limit, ctx) &&
            push_quote(out, &q, err))
            return KB_ENOMEM;
    }
    if (out->n > first) {
        uint64_t v = segment_values(e, s, vcand);
        for (size_t i = first; i < out->n; i++)
            out->v[i].values = v;
    }
    return 0;
}

/* Folds text[0..len) into e->fold, with the scan's padding after it. */
static int fold_into(kbi_engine *e, const char *text, size_t len, int *same,
                     size_t *flen, kb_error *err)
{
    *flen = 0;
    if (kbi_fold_text(&e->fold, flen, &e->foldcap, text, len, same) ||
        KBI_GROW(&e->fold, &e->foldcap, *flen + KBI_LITS_PAD))
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    memset(e->fold + *flen, 0, KBI_LITS_PAD);
    return 0;
}

/* Puts out->v[first..] in order of concept and otherwise as they were
 * (a counting sort): the prefilter makes them in order of kind and
 * segment, and a concept has one kind, so they end up in order of concept
 * then segment. */
static int sort_by_concept(kbi_engine *e, kbi_quotes *out, size_t first,
                           kb_error *err)
{
    size_t n = out->n - first, nodes = e->cb->n;
    kbi_quote *q = out->v + first;
    if (KBI_GROW(&e->sorted, &e->capsorted, n))
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    memset(e->count, 0, (nodes + 1) * sizeof *e->count);
    for (size_t i = 0; i < n; i++)
        e->count[q[i].concept + 1]++;
    for (size_t c = 1; c <= nodes; c++)
        e->count[c] += e->count[c - 1];
    for (size_t i = 0; i < n; i++)
        e->sorted[e->count[q[i].concept]++] = q[i];
    memcpy(q, e->sorted, n * sizeof *q);
    return 0;
}

/* The prefiltered loop (see the top of the file). */
static int code_prefiltered(kbi_engine *e, const kb_document *doc,
                            const unsigned char *mask, kbi_quotes *out,
                            kbi_limit_fn on_limit, void *ctx, kb_error *err)
{
    size_t first = out->n, len, flen;
    const char *text = kb_document_text(doc, &len);
    int whole = len <= WHOLE_FOLD_MAX, rc;
    e->hits.n = 0;
    if (whole && (rc = fold_into(e, text, len, &whole, &flen, err)))
        return rc;
    if (whole && kbi_lits_scan(e->lits, e->fold, flen, &e->hits))
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    for (int k = KB_SEG_TURN; k <= KB_SEG_SENTENCE; k++) {
        size_t n = kb_document_segment_count(doc, (kb_segment_kind)k), h = 0;
        for (size_t i = 0; i < n; i++) {
            const kb_segment *s =
                kb_document_segment(doc, (kb_segment_kind)k, i);
            seg_hits sh = {e->hits.v, 0, 0, whole};
            if (whole) { /* the occurrences that start in s */
                size_t b0 = (size_t)(s->text - text), b1 = b0 + s->text_len;
                while (h < e->hits.n && e->hits.v[h].at < b0)
                    h++;
                sh.v = e->hits.n ? e->hits.v + h : NULL;
                sh.b0 = b0;
                while (h + sh.n < e->hits.n && e->hits.v[h + sh.n].at < b1)
                    sh.n++;
            } else {
                if ((rc = fold_into(e, s->text, s->text_len, NULL, &flen, err)))
                    return rc;
                e->hits.n = 0;
                if (kbi_lits_scan(e->lits, e->fold, flen, &e->hits))
                    return kbi_fail(err, KB_ENOMEM, "out of memory");
                sh.v = e->hits.v;
                sh.n = e->hits.n;
            }
            if ((rc =
                     code_candidates(e, s, &sh, mask, out, on_limit, ctx, err)))
                return rc;
        }
    }
    return out->n > first ? sort_by_concept(e, out, first, err) : 0;
}

int kbi_engine_code(kbi_engine *e, const kb_document *doc,
                    const unsigned char *mask, kbi_quotes *out,
                    kbi_limit_fn on_limit, void *ctx, kb_error *err)
{
    size_t masked = 0;
    for (size_t i = 0; i < e->cb->n; i++)
        masked += mask[i] && e->cb->nodes[i].info.kind == KB_CODE_CONCEPT;
    if (e->naive || masked <= KBI_FEW_CONCEPTS)
        return code_naive(e, doc, mask, out, on_limit, ctx, err);
    /* the prefilter is built for the first document that needs it: a
     * re-run of a few concepts never does */
    int rc = e->prefiltered ? 0 : build_prefilters(e, err);
    return rc ? rc : code_prefiltered(e, doc, mask, out, on_limit, ctx, err);
}

/* Appends literal `raw` to re[0..*n), escaped, after a '|' unless first. */
static int escape_into(char **re, size_t *n, size_t *cap, const char *raw)
{
    size_t len = strlen(raw);
    if (KBI_GROW(re, cap, *n + 2 * len + 8))
        return -1;
    if (*n > 3)
        (*re)[(*n)++] = '|';
    for (size_t b = 0; b < len; b++) {
        unsigned char c = (unsigned char)raw[b];
        if (c < 0x80 && !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                          (c >= '0' && c <= '9')))
            (*re)[(*n)++] = '\\';
        (*re)[(*n)++] = (char)c;
    }
    return 0;
}

/* Compiles (?:raw[from]|...|raw[to - 1]), caseless, into the next slot of
 * l. 0, 1 when it would not compile, or -1 when out of memory. */
static int add_locator(locator *l, char *const *raw, size_t from, size_t to)
{
    char *re = NULL;
    size_t n = 3, cap = 0;
    if (KBI_GROW(&re, &cap, 8))
        return -1;
    memcpy(re, "(?:", 3);
    for (size_t i = from; i < to; i++)
        if (escape_into(&re, &n, &cap, raw[i])) {
            free(re);
            return -1;
        }
    re[n++] = ')';
    int ec;
    PCRE2_SIZE off;
    pcre2_code *code =
        pcre2_compile((PCRE2_SPTR)re, n, PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS,
                      &ec, &off, NULL);
    free(re);
    if (!code)
        return 1;
    pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
    l->v[l->n++] = code;
    return 0;
}

/* Builds the locator of concept ci (see `locator`). */
static int build_locator(kbi_engine *e, size_t ci, kb_error *err)
{
    const kbi_cnode *cn = &e->cb->nodes[ci];
    locator *l = &e->locators[ci];
    char **raw = NULL; /* the distinct literals as written (the codebook's) */
    size_t nraw = 0, capraw = 0;
    int rc = 0, none = 0;
    for (size_t k = 0; k < cn->npat && !none && !rc; k++) {
        if (cn->pat[k].exclude)
            continue;
        const kbi_literals *lits = &cn->pat[k].lits;
        none = lits->n == 0;
        for (size_t i = 0; i < lits->n && !rc; i++) {
            size_t j = 0;
            while (j < nraw && strcmp(raw[j], lits->raw[i]))
                j++;
            if (j < nraw)
                continue;
            if (KBI_GROW(&raw, &capraw, nraw + 1))
                rc = -1;
            else
                raw[nraw++] = lits->raw[i];
        }
    }
    /* one pattern per literal, or one of them all */
    size_t step = nraw <= LOCATE_APART ? 1 : nraw;
    if (!rc && !none && nraw && !(l->v = calloc(nraw / step, sizeof *l->v)))
        rc = -1;
    for (size_t i = 0; !rc && !none && i < nraw; i += step)
        if ((rc = add_locator(l, raw, i, i + step)) > 0) {
            none = 1; /* would not compile: match the usual way */
            rc = 0;
        }
    l->state = !rc && !none && nraw ? 1 : -1;
    free(raw);
    return rc ? kbi_fail(err, KB_ENOMEM, "out of memory") : 0;
}

static int by_offset(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

int kbi_engine_locate(kbi_engine *e, size_t ci, const char *text, size_t len,
                      size_t **offs, size_t *n, size_t *cap, kb_error *err)
{
    locator *l = &e->locators[ci];
    if (!l->state) {
        int rc = build_locator(e, ci, err);
        if (rc)
            return rc;
    }
    if (l->state < 0)
        return 0;
    size_t first = *n;
    for (size_t k = 0; k < l->n; k++)
        for (size_t start = 0; start < len;) {
            int rc = pcre2_match(l->v[k], (PCRE2_SPTR)text, len, start,
                                 PCRE2_NO_UTF_CHECK, e->md, e->mctx);
            if (rc == PCRE2_ERROR_NOMATCH)
                break;
            if (rc < 0)
                return 0; /* a limit: fall back to matching everything */
            size_t at = pcre2_get_ovector_pointer(e->md)[0];
            if (KBI_GROW(offs, cap, *n + 1))
                return kbi_fail(err, KB_ENOMEM, "out of memory");
            (*offs)[(*n)++] = at;
            /* the next character, so that overlapping occurrences are
             * found */
            start = at + kbi_utf8_seqlen((unsigned char)text[at]);
        }
    if (l->n > 1 && *n - first > 1) { /* in order, each offset once */
        kbi_sort(*offs + first, *n - first, sizeof **offs, by_offset);
        size_t w = first;
        for (size_t r = first; r < *n; r++)
            if (w == first || (*offs)[w - 1] != (*offs)[r])
                (*offs)[w++] = (*offs)[r];
        *n = w;
    }
    return 1;
}

int kbi_engine_code_at(kbi_engine *e, const kb_document *doc, size_t ci,
                       const size_t *seqs, size_t nseqs, kbi_quotes *out,
                       kbi_limit_fn on_limit, void *ctx, kb_error *err)
{
    const kbi_cnode *cn = &e->cb->nodes[ci];
    for (size_t i = 0; i < nseqs; i++) {
        const kb_segment *s = kb_document_segment(doc, cn->info.scope, seqs[i]);
        kbi_quote q;
        if (!s || !s->text || !speaks(&cn->info, s->role) ||
            !code_segment(e, cn, ci, s, NULL, &q, on_limit, ctx))
            continue;
        q.values = segment_values(e, s, ~(uint64_t)0);
        if (push_quote(out, &q, err))
            return KB_ENOMEM;
    }
    return 0;
}

int kbi_engine_facets(kbi_engine *e, const char *text, size_t len,
                      uint64_t values, kbi_attr_fn attr, kbi_facet_fn emit,
                      void *ctx)
{
    const kb_codebook *cb = e->cb;
    int rc = 0;
    for (size_t i = 0; i < e->nfacets && !rc; i++) {
        size_t f = e->facets[i];
        const kb_code_info *fi = &cb->nodes[f].info;
        int found = 0;
        for (size_t v = f + 1;
             v < cb->n && cb->nodes[v].info.parent == f && !rc; v++)
            if (values & KBI_VALUES_KNOWN
                    ? e->vbit[v] && values >> (e->vbit[v] - 1) & 1
                    : value_matches(e, v, text, len)) {
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

int kbi_engine_code_located(kbi_engine *e, kb_document *doc,
                            const unsigned char *mask, kbi_quotes *out,
                            kbi_limit_fn on_limit, void *ctx, int *done,
                            kb_error *err)
{
    *done = 0;
    size_t len;
    const char *text = kb_document_text(doc, &len);
    size_t *offs = NULL, *seqs = NULL, noffs = 0, nseqs = 0, ocap = 0, scap = 0;
    int rc = 0;
    /* rc: 1 while every concept so far was located and matched */
    for (size_t ci = 0; ci < e->cb->n; ci++) {
        if (!mask[ci] || e->cb->nodes[ci].info.kind != KB_CODE_CONCEPT)
            continue;
        noffs = nseqs = 0;
        rc = kbi_engine_locate(e, ci, text, len, &offs, &noffs, &ocap, err);
        if (rc <= 0)
            break; /* an error, or nothing to locate by */
        kb_segment_kind kind = e->cb->nodes[ci].info.scope;
        if ((rc = kbi_document_segments_at(doc, kind, offs, noffs, &seqs,
                                           &nseqs, &scap, err)) ||
            (rc = kbi_engine_code_at(e, doc, ci, seqs, nseqs, out, on_limit,
                                     ctx, err)))
            break;
        rc = 1;
    }
    if (rc > 0) {
        *done = 1;
        rc = 0;
    }
    free(offs);
    free(seqs);
    return rc;
}
