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
