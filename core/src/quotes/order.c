/*
 * order.c: sorting a list's quotes (order.h), on numbers only (sort_key),
 * and the automatic quotes cut from their documents in the same pass.
 */
#include "quotes/order.h"
#include "quotes/list.h"
#include "quotes/words.h"
#include "base/error.h"
#include "base/grow.h"
#include "store/document.h"
#include "store/project.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

size_t kbi_quote_list_concept_rank(const kb_quote_list *l, const char *id)
{
    const kbi_concept_ix *ix = id ? kbi_quote_list_find_concept(l, id) : NULL;
    return ix ? ix->rank : l->nconcepts;
}

/*
 * Sorting a million quotes. Documents and coders are ranked once, a
 * document found by the address of its name (a list keeps its names once,
 * so equal names have one address) and a quote's code by its place in the
 * codebook (ords), so sorts compare numbers only, and rows are moved in
 * place. Once their facet values are in, the automatic quotes are put in
 * the resolver's order (document, version, segment); that is the list's
 * order too (document, position, codebook order, end, source, coder)
 * unless their concepts quote segments of different kinds, so at the end
 * only the manual quotes, which follow them, need sorting and merging in.
 */
typedef struct sort_key {
    uint32_t doc, ord, coder, i; /* ranks; the row */
    int64_t at, end; /* the version and segment id, or the quote's span */
} sort_key;

static int by_key(const void *a, const void *b)
{
    const sort_key *x = a, *y = b;
    if (x->doc != y->doc)
        return x->doc < y->doc ? -1 : 1;
    if (x->at != y->at)
        return x->at < y->at ? -1 : 1;
    if (x->ord != y->ord)
        return x->ord < y->ord ? -1 : 1;
    if (x->end != y->end)
        return x->end < y->end ? -1 : 1;
    if (x->coder != y->coder)
        return x->coder < y->coder ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

/* A rank found by a string's address. */
typedef struct kbi_place {
    const char *s;
    uint32_t at;
} place;

static int by_text(const void *a, const void *b)
{
    return strcmp(((const place *)a)->s, ((const place *)b)->s);
}

static int by_address(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t)((const place *)a)->s,
              y = (uintptr_t)((const place *)b)->s;
    return (x > y) - (x < y);
}

/* Ranks strings v[0..n) by text (equal texts one rank), then sorts them by
 * address for place_of. */
static void rank(place *v, size_t n)
{
    kbi_sort(v, n, sizeof *v, by_text);
    for (size_t i = 0, r = 0; i < n; i++) {
        r += i && strcmp(v[i - 1].s, v[i].s);
        v[i].at = (uint32_t)r + 1; /* 0 is for no string (no coder) */
    }
    kbi_sort(v, n, sizeof *v, by_address);
}

/* The rank of string s in v[0..n) (sorted by address), 0 for NULL. */
static uint32_t place_of(const place *v, size_t n, const char *s)
{
    place key = {s, 0};
    const place *hit = s ? bsearch(&key, v, n, sizeof key, by_address) : NULL;
    return hit ? hit->at : 0;
}

typedef struct sorter {
    const place *docs; /* the list's (l->doc_ranks) */
    place *coders;
    size_t ndocs, ncoders;
    sort_key *k;
    const char *last_doc; /* and its rank: */
    uint32_t doc;
} sorter;

static void sorter_free(sorter *o)
{
    free(o->coders);
    free(o->k);
    memset(o, 0, sizeof *o);
}

/* The documents ranked by name (the list's, ranked at its first sort);
 * room for n keys. */
static int sorter_init(sorter *o, kb_quote_list *l, size_t n, kb_error *err)
{
    memset(o, 0, sizeof *o);
    if (!l->doc_ranks) {
        if (!(l->doc_ranks = malloc((l->nversions + 1) * sizeof *l->doc_ranks)))
            return kbi_fail(err, KB_ENOMEM, "out of memory");
        for (size_t i = 0; i < l->nversions; i++)
            l->doc_ranks[i] = (place){l->versions[i].name, 0};
        l->ndoc_ranks = l->nversions;
        rank(l->doc_ranks, l->ndoc_ranks);
    }
    o->docs = l->doc_ranks;
    o->ndocs = l->ndoc_ranks;
    if (!(o->k = malloc((n + 1) * sizeof *o->k)))
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    kbi_prefault(o->k, (n + 1) * sizeof *o->k);
    return 0;
}

/* The rank of a quote's document (every document name of a list is kept
 * once, with the versions' names). Quotes come in runs of one document, so
 * the last one found is tried first. */
static uint32_t doc_rank(sorter *o, const char *doc)
{
    if (doc != o->last_doc) {
        o->last_doc = doc;
        o->doc = place_of(o->docs, o->ndocs, doc);
        assert(o->doc); /* a name not kept with the versions' */
    }
    return o->doc;
}

/*
 * Sorts k[0..n) (document ranks below `ndocs`): by document with a
 * counting sort, then each document's keys with qsort, so that a million
 * keys are sorted in small pieces that stay in the cache. KB_ENOMEM.
 */
static int sort_keys(sort_key *k, size_t n, size_t ndocs, kb_error *err)
{
    size_t *count = calloc(ndocs + 1, sizeof *count);
    size_t *at = malloc((ndocs + 1) * sizeof *at);
    sort_key *tmp = malloc((n + 1) * sizeof *tmp);
    if (!count || !at || !tmp) {
        free(count);
        free(at);
        free(tmp);
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    }
    kbi_prefault(tmp, n * sizeof *tmp);
    for (size_t i = 0; i < n; i++)
        count[k[i].doc]++;
    for (size_t r = 0, sum = 0; r < ndocs; r++) {
        at[r] = sum;
        sum += count[r];
    }
    for (size_t i = 0; i < n; i++)
        tmp[at[k[i].doc]++] = k[i];
    memcpy(k, tmp, n * sizeof *k);
    for (size_t r = 0, b = 0; r < ndocs; b += count[r++])
        kbi_sort(k + b, count[r], sizeof *k, by_key);
    free(count);
    free(at);
    free(tmp);
    return 0;
}

/* Moves rows v[0..n) (and their places in the codebook, ords) into the
 * order of sorted keys k, in place: row j takes row k[j].i, each cycle of
 * the permutation followed once. */
static void sort_rows(kb_quote_row *v, size_t *ords, sort_key *k, size_t n)
{
    for (size_t j = 0; j < n; j++) {
        if (k[j].i == j)
            continue;
        kb_quote_row first = v[j];
        size_t first_ord = ords[j], at = j;
        while (k[at].i != j) {
            size_t from = k[at].i;
            v[at] = v[from];
            ords[at] = ords[from];
            k[at].i = (uint32_t)at;
            at = from;
        }
        v[at] = first;
        ords[at] = first_ord;
        k[at].i = (uint32_t)at;
    }
}

/* The automatic quotes in the resolver's order: its item j is row
 * k[j].i, so the rows need not move first. */
typedef struct resolving {
    kb_quote_list *l;
    const sort_key *k;
    const char *document; /* the last quote's document and version */
    int version;
    const char *speaker, *case_id;        /* its segment's, as the document */
    const char *kept_speaker, *kept_case; /* has them, and as the list does */
} resolving;

/* s as the list keeps it; `raw` and `kept` remember the last one, as
 * segments of one speaker share their document's copy of the label. */
static const char *keep_name(kb_quote_list *l, const char *s, const char **raw,
                             const char **kept, int *fail)
{
    if (!s)
        return NULL;
    if (s != *raw) {
        *kept = kbi_strset_add(&l->names, s, strlen(s), fail);
        *raw = *kept ? s : NULL;
    }
    return *kept;
}

static void quote_ref(void *ctx, size_t j, kbi_seg_ref *out)
{
    const resolving *r = ctx;
    const kb_quote_row *q = &r->l->v[r->k[j].i];
    *out = (kbi_seg_ref){q->document, q->version, (int64_t)q->start};
}

static int quote_use(void *ctx, size_t j, const kb_document *doc,
                     const kb_segment *s)
{
    resolving *r = ctx;
    kb_quote_list *l = r->l;
    kb_quote_row *q = &l->v[r->k[j].i];
    int fail = 0;
    (void)doc;
    if (q->document != r->document || q->version != r->version) {
        /* a document loaded anew: the names of the last one are gone */
        r->document = q->document;
        r->version = q->version;
        r->speaker = r->case_id = NULL;
    }
    q->kind = s->kind;
    q->index = s->index;
    q->start = s->start;
    q->end = s->end;
    q->speaker = keep_name(l, s->speaker, &r->speaker, &r->kept_speaker, &fail);
    q->case_id = keep_name(l, s->case_id, &r->case_id, &r->kept_case, &fail);
    q->time_ms = s->time_ms;
    q->role = s->role;
    if (!l->counts_only)
        q->text = kbi_arena_strndup(&l->texts, s->text, s->text_len, &fail);
    if (!l->skip_words)
        q->words = kbi_words_count(s->text, s->text_len);
    return fail ? KB_ENOMEM : 0;
}

/* Puts the automatic quotes in the resolver's order (document, version,
 * segment), so it reads them without a sorted copy of its own, and cuts
 * them out of their documents. A list that is only counted leaves its rows
 * where they are: the resolver visits them through the sorted keys. */
int kbi_order_resolve(kb_quote_list *l, kb_project *p, kb_error *err)
{
    sorter o;
    int rc = sorter_init(&o, l, l->nauto, err);
    if (rc)
        return rc;
    size_t n = 0; /* the rows resolved: a tally's grouped rows are not */
    for (size_t i = 0; i < l->nauto; i++) {
        const kb_quote_row *q = &l->v[i];
        if (l->weights && l->weights[i])
            continue;
        /* by segment id, then codebook order: a version's segments have
         * consecutive ids, later versions higher ones, so this is the
         * resolver's order and, where every concept quotes one kind of
         * segment, the list's too (kbi_order_quotes then moves nothing) */
        o.k[n++] = (sort_key){doc_rank(&o, q->document),
                              (uint32_t)l->ords[i],
                              0,
                              (uint32_t)i,
                              (int64_t)q->start /* the segment */,
                              0};
    }
    resolving r = {.l = l, .k = o.k};
    if (!(rc = sort_keys(o.k, n, o.ndocs + 1, err))) {
        if (!l->counts_only) /* rows in order: k[j].i is j from here on */
            sort_rows(l->v, l->ords, o.k, n);
        rc = kbi_segments_resolve(p, n, quote_ref, quote_use, &r, err);
    }
    sorter_free(&o);
    return rc;
}

/* Every quote in the list's order (document, position, codebook order,
 * end, source, coder). The automatic quotes are in that order already
 * unless their concepts quote segments of different kinds; the manual ones
 * follow them, few, and are sorted and merged in. */
int kbi_order_quotes(kb_quote_list *l, kb_error *err)
{
    sorter o;
    sort_key *merged = NULL;
    int rc = sorter_init(&o, l, l->n, err);
    if (!rc && !(o.coders = malloc((l->n + 1) * sizeof *o.coders)))
        rc = kbi_fail(err, KB_ENOMEM, "out of memory");
    if (rc) {
        sorter_free(&o);
        return rc;
    }
    for (size_t i = 0; i < l->n; i++)
        if (l->v[i].coder)
            o.coders[o.ncoders++] = (place){l->v[i].coder, 0};
    rank(o.coders, o.ncoders);
    size_t m = l->n; /* the end of the sorted run at the start */
    for (size_t i = 0; i < l->n; i++) {
        const kb_quote_row *q = &l->v[i];
        /* the rules' quote first ("auto" before "manual"), then coders by
         * name (a quote without one first) */
        uint32_t coder = place_of(o.coders, o.ncoders, q->coder) +
                         (strcmp(q->source, "auto") ? 1u << 31 : 0);
        o.k[i] = (sort_key){
            doc_rank(&o, q->document), (uint32_t)l->ords[i], coder, (uint32_t)i,
            (int64_t)q->start,         (int64_t)q->end};
        if (m == l->n && i && by_key(&o.k[i - 1], &o.k[i]) > 0)
            m = i;
    }
    int sorted = m == l->n;
    if (!sorted && l->n - m <= l->n / 8 &&
        (merged = malloc(l->n * sizeof *merged))) {
        /* a sorted run and a short tail: sort the tail, merge the two */
        kbi_prefault(merged, l->n * sizeof *merged);
        kbi_sort(o.k + m, l->n - m, sizeof *o.k, by_key);
        size_t a = 0, b = m, w = 0;
        while (a < m || b < l->n)
            merged[w++] = b == l->n || (a < m && by_key(&o.k[a], &o.k[b]) <= 0)
                              ? o.k[a++]
                              : o.k[b++];
        free(o.k);
        o.k = merged;
        sorted = 1;
    }
    if (sorted || !(rc = sort_keys(o.k, l->n, o.ndocs + 1, err)))
        sort_rows(l->v, l->ords, o.k, l->n);
    sorter_free(&o);
    return rc;
}
