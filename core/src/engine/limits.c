/*
 * limits.c: match-limit hits gathered per concept and told once each.
 */
#include "engine/limits.h"
#include "base/grow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct kbi_limit_row {
    size_t concept;
    size_t hits, docs;
    int64_t last_doc;    /* the key of the document hit last */
    char *doc, *pattern; /* the first hit's (NULL: out of memory) */
    kb_segment_kind kind;
    size_t start;
};

void kbi_limits_add(kbi_limit_tally *t, int64_t doc_key, const char *doc,
                    const kbi_limit_hit *h)
{
    kbi_limit_row *r = NULL;
    for (size_t i = 0; i < t->n && !r; i++)
        if (t->v[i].concept == h->concept)
            r = &t->v[i];
    if (!r) {
        if (KBI_GROW(&t->v, &t->cap, t->n + 1))
            return;
        r = &t->v[t->n++];
        *r = (kbi_limit_row){h->concept, 0,           0,
                             doc_key,    strdup(doc), strdup(h->pattern),
                             h->kind,    h->start};
        r->docs = 1;
    } else if (r->last_doc != doc_key) {
        r->docs++;
        r->last_doc = doc_key;
    }
    r->hits++;
}

/* The message of row r into buf[size]. */
static void row_message(const kbi_limit_row *r, const kb_codebook *cb,
                        char *buf, size_t size)
{
    const kb_code_info *c = kb_codebook_get(cb, r->concept);
    int n =
        snprintf(buf, size,
                 "%s:%zu: pattern '%s' of concept '%s' hit the match "
                 "limit in a %s",
                 r->doc ? r->doc : "?", r->start, r->pattern ? r->pattern : "?",
                 c ? c->id : "?", kb_segment_kind_name(r->kind));
    if (n < 0 || (size_t)n >= size)
        return;
    if (r->hits == 1)
        snprintf(buf + n, size - (size_t)n, "; it counts as no match there");
    else
        snprintf(buf + n, size - (size_t)n,
                 ", the first of %zu hits in %zu document%s; they count as "
                 "no match there",
                 r->hits, r->docs, r->docs == 1 ? "" : "s");
}

void kbi_limits_tell(kbi_limit_tally *t, const kb_codebook *cb,
                     kb_notice_fn notice, void *ctx)
{
    char msg[800];
    for (size_t i = 0; notice && i < t->n; i++) {
        row_message(&t->v[i], cb, msg, sizeof msg);
        notice(ctx, msg);
    }
    kbi_limits_free(t);
}

void kbi_limits_first(const kbi_limit_tally *t, const kb_codebook *cb,
                      char *buf, size_t size)
{
    if (size)
        buf[0] = '\0';
    if (t->n)
        row_message(&t->v[0], cb, buf, size);
}

void kbi_limits_free(kbi_limit_tally *t)
{
    for (size_t i = 0; i < t->n; i++) {
        free(t->v[i].doc);
        free(t->v[i].pattern);
    }
    free(t->v);
    *t = (kbi_limit_tally){0};
}
