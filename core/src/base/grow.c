/*
 * grow.c: kbi_grow, the pool, the string arena and the string set (grow.h).
 * Capacities double, so n appends cost O(n) copies; arena blocks are at
 * least KBI_ARENA_BLOCK bytes, so a million short strings take some hundred
 * mallocs instead of a million.
 */
/* madvise, MADV_POPULATE_WRITE and MADV_HUGEPAGE are Linux, outside
 * POSIX: without them (another system, a POSIX-only build) buffers are
 * plain memory. */
#ifdef KBI_LINUX_EXTRAS
#define _DEFAULT_SOURCE
#endif
#include "base/grow.h"

#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

int kbi_grow(void *items, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t nc = *cap ? *cap : 16;
    while (nc < need) {
        if (nc > SIZE_MAX / 2 / size)
            return -1;
        nc *= 2;
    }
    void *old;
    memcpy(&old, items, sizeof old);
    void *nv = realloc(old, nc * size);
    if (!nv)
        return -1;
    memcpy(items, &nv, sizeof nv);
    *cap = nc;
    return 0;
}

void kbi_prefault(void *p, size_t n)
{
#ifdef MADV_POPULATE_WRITE
    if (n < (1u << 20))
        return;
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t a = ((uintptr_t)p + page - 1) & ~(page - 1);
    uintptr_t b = ((uintptr_t)p + n) & ~(page - 1);
    if (b > a)
        (void)madvise((void *)a, b - a, MADV_POPULATE_WRITE);
#else
    (void)p;
    (void)n;
#endif
}

#define KBI_HUGE      (2u << 20)   /* x86-64's and arm64's huge page */
#define KBI_HUGE_FROM (256u << 10) /* buffers this large get huge pages */

int kbi_buffer_room(void *buf, size_t *cap, size_t need)
{
    if (need <= *cap)
        return 0;
    void *old, *nb = NULL;
    memcpy(&old, buf, sizeof old);
    size_t nc = *cap ? *cap : 4096;
    if (need < KBI_HUGE_FROM) {
        while (nc < need)
            nc *= 2;
        if (!(nb = malloc(nc)))
            return -1;
    } else {
        if (need > SIZE_MAX - KBI_HUGE)
            return -1;
        nc = (need + KBI_HUGE - 1) / KBI_HUGE * KBI_HUGE;
        if (posix_memalign(&nb, KBI_HUGE, nc))
            return -1;
#ifdef MADV_HUGEPAGE
        (void)madvise(nb, nc, MADV_HUGEPAGE);
#endif
    }
    free(old);
    memcpy(buf, &nb, sizeof nb);
    *cap = nc;
    return 0;
}

int kbi_grow_hot(void *items, size_t *cap, size_t need, size_t size)
{
    size_t old = *cap;
    if (kbi_grow(items, cap, need, size))
        return -1;
    if (*cap > old) {
        char *v;
        memcpy(&v, items, sizeof v);
        kbi_prefault(v + old * size, (*cap - old) * size);
    }
    return 0;
}

void *kbi_pool_own(kbi_pool *pool, void *p, int *fail)
{
    if (!p) {
        *fail = 1;
        return NULL;
    }
    if (KBI_GROW(&pool->v, &pool->cap, pool->n + 1)) {
        free(p);
        *fail = 1;
        return NULL;
    }
    pool->v[pool->n++] = p;
    return p;
}

void kbi_pool_truncate(kbi_pool *pool, size_t n)
{
    while (pool->n > n)
        free(pool->v[--pool->n]);
}

void kbi_pool_free(kbi_pool *pool)
{
    for (size_t i = 0; i < pool->n; i++)
        free(pool->v[i]);
    free(pool->v);
    pool->v = NULL;
    pool->n = pool->cap = 0;
}

uint64_t kbi_hash_bytes(const char *p, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)p[i]) * 1099511628211ULL;
    return h;
}

#define KBI_ARENA_BLOCK (1u << 20)

char *kbi_arena_strndup(kbi_arena *a, const char *p, size_t n, int *fail)
{
    if (n + 1 > a->left) {
        size_t size = n + 1 > KBI_ARENA_BLOCK ? n + 1 : KBI_ARENA_BLOCK;
        char *block = kbi_pool_own(&a->blocks, malloc(size), fail);
        if (!block) {
            *fail = 1;
            return NULL;
        }
        kbi_prefault(block, size);
        a->at = block;
        a->left = a->size = size;
    }
    char *copy = a->at;
    memcpy(copy, p, n);
    copy[n] = '\0';
    a->at += n + 1;
    a->left -= n + 1;
    return copy;
}

void kbi_arena_clear(kbi_arena *a)
{
    kbi_pool *b = &a->blocks;
    if (!b->n)
        return;
    void *last = b->v[b->n - 1];
    b->v[b->n - 1] = b->v[0];
    b->v[0] = last;
    kbi_pool_truncate(b, 1);
    a->at = last;
    a->left = a->size;
}

void kbi_arena_free(kbi_arena *a)
{
    kbi_pool_free(&a->blocks);
    a->at = NULL;
    a->left = 0;
}

/* The slot of p[0..n): where it is, or the empty slot where it goes. */
static size_t strset_slot(const kbi_strset *s, const char *p, size_t n)
{
    size_t h = (size_t)kbi_hash_bytes(p, n) & (s->nslots - 1);
    while (s->slots[h] && !(strncmp(s->slots[h], p, n) == 0 && !s->slots[h][n]))
        h = (h + 1) & (s->nslots - 1);
    return h;
}

const char *kbi_strset_add(kbi_strset *s, const char *p, size_t n, int *fail)
{
    if (2 * (s->n + 1) > s->nslots) {
        size_t ns = s->nslots ? 2 * s->nslots : 64;
        const char **old = s->slots;
        size_t oldn = s->nslots;
        if (!(s->slots = calloc(ns, sizeof *s->slots))) {
            s->slots = old;
            *fail = 1;
            return NULL;
        }
        s->nslots = ns;
        for (size_t i = 0; i < oldn; i++)
            if (old[i])
                s->slots[strset_slot(s, old[i], strlen(old[i]))] = old[i];
        free(old);
    }
    size_t h = strset_slot(s, p, n);
    if (!s->slots[h]) {
        if (!(s->slots[h] = kbi_arena_strndup(&s->copies, p, n, fail)))
            return NULL;
        s->n++;
    }
    return s->slots[h];
}

void kbi_strset_free(kbi_strset *s)
{
    kbi_arena_free(&s->copies);
    free(s->slots);
    s->slots = NULL;
    s->n = s->nslots = 0;
}

void kbi_sort(void *base, size_t n, size_t size,
              int (*cmp)(const void *, const void *))
{
    if (n > 1)
        qsort(base, n, size, cmp);
}

size_t kbi_slots_find(const kbi_slots *s, size_t h, kbi_slots_is is,
                      const void *ctx, const void *key)
{
    for (size_t at = h & (s->n - 1); s->n && s->v[at];
         at = (at + 1) & (s->n - 1))
        if (is(ctx, s->v[at] - 1, key))
            return s->v[at] - 1;
    return SIZE_MAX;
}

/* Puts entry i in the first free slot from its hash h on. */
static void slots_put(kbi_slots *s, size_t i, size_t h)
{
    size_t at = h & (s->n - 1);
    while (s->v[at])
        at = (at + 1) & (s->n - 1);
    s->v[at] = i + 1;
    s->used++;
}

/* The table made n slots, holding the entries it held. */
static int slots_resize(kbi_slots *s, size_t n, kbi_slots_hash hash,
                        const void *ctx)
{
    size_t *old = s->v, nold = s->n;
    if (!(s->v = calloc(n, sizeof *s->v))) {
        s->v = old;
        return -1;
    }
    s->n = n;
    s->used = 0;
    for (size_t k = 0; k < nold; k++)
        if (old[k])
            slots_put(s, old[k] - 1, hash(ctx, old[k] - 1));
    free(old);
    return 0;
}

int kbi_slots_add(kbi_slots *s, size_t i, size_t h, kbi_slots_hash hash,
                  const void *ctx)
{
    if (2 * (s->used + 1) > s->n &&
        slots_resize(s, s->n ? 2 * s->n : 64, hash, ctx))
        return -1;
    slots_put(s, i, h);
    return 0;
}

int kbi_slots_build(kbi_slots *s, size_t n, kbi_slots_hash hash,
                    const void *ctx)
{
    size_t want = 64;
    while (want < 2 * n)
        want *= 2;
    size_t *v = calloc(want, sizeof *v);
    if (!v)
        return -1;
    free(s->v);
    *s = (kbi_slots){v, want, 0};
    for (size_t i = 0; i < n; i++)
        slots_put(s, i, hash(ctx, i));
    return 0;
}

void kbi_slots_free(kbi_slots *s)
{
    free(s->v);
    *s = (kbi_slots){0};
}
