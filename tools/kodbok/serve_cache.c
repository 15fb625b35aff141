/*
 * serve_cache.c: the last run's quotes, counts only, kept between requests
 * while the project's data version stays the same, so that the matrix and
 * the codebook's counts do not read every coding again per request. A
 * list in use by a request stays alive until that request lets it go,
 * even when a newer version has replaced it in the cache.
 */
#include "serve.h"

#include <stdlib.h>

struct serve_held {
    kb_quote_list *l;
    int64_t version;
    size_t users;
    int cached; /* still the cache's own */
};

static void held_drop(serve_held *h)
{
    if (h && !h->users && !h->cached) {
        kb_quote_list_free(h->l);
        free(h);
    }
}

int serve_counts(const kb_quote_list **out, serve_held **hold, const call *k,
                 serve_list kind, kb_error *err)
{
    serve_watch *w = k->s->watch;
    pthread_mutex_lock(&w->lock);
    int64_t version;
    int rc = kb_project_data_version(&version, w->p, err);
    serve_held **slot = &w->counts[kind];
    serve_held *h = *slot;
    if (!rc && !(h && h->version == version)) {
        kb_quote_filter f = {0};
        f.counts_only = 1;
        f.skip_words = kind != SERVE_LIST_WORDS;
        f.grouped = kind == SERVE_LIST_GROUPED;
        kb_quote_list *l;
        rc = kb_project_quotes(&l, k->p, &f, err);
        if (!rc && !(h = calloc(1, sizeof *h))) {
            kb_quote_list_free(l);
            err->code = rc = KB_ENOMEM;
            snprintf(err->message, sizeof err->message, "out of memory");
        }
        if (!rc) {
            h->l = l;
            h->version = version;
            h->cached = 1;
            if (*slot) {
                (*slot)->cached = 0;
                held_drop(*slot);
            }
            *slot = h;
        }
    }
    if (!rc) {
        h->users++;
        *out = h->l;
        *hold = h;
    }
    pthread_mutex_unlock(&w->lock);
    return rc;
}

void serve_counts_release(const call *k, serve_held *h)
{
    serve_watch *w = k->s->watch;
    pthread_mutex_lock(&w->lock);
    h->users--;
    held_drop(h);
    pthread_mutex_unlock(&w->lock);
}

void serve_counts_free(serve_watch *w)
{
    for (size_t i = 0; i < SERVE_LISTS; i++)
        if (w->counts[i]) {
            w->counts[i]->cached = 0;
            held_drop(w->counts[i]);
            w->counts[i] = NULL;
        }
}
