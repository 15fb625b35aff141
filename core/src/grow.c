/*
 * grow.c: kb_grow. Capacities double, so n appends cost O(n) copies.
 */
#include "grow.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int kb_grow(void *items, size_t *cap, size_t need, size_t size)
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

void *kb_pool_own(kb_pool *pool, void *p, int *fail)
{
    if (!p)
        return NULL;
    if (KB_GROW(&pool->v, &pool->cap, pool->n + 1)) {
        free(p);
        *fail = 1;
        return NULL;
    }
    pool->v[pool->n++] = p;
    return p;
}

void kb_pool_free(kb_pool *pool)
{
    for (size_t i = 0; i < pool->n; i++)
        free(pool->v[i]);
    free(pool->v);
    pool->v = NULL;
    pool->n = pool->cap = 0;
}
