/*
 * grow.h: the one growable-array helper every module uses instead of its
 * own realloc-doubling loop, and the pool of blocks freed together that
 * results and codebooks keep their strings in.
 */
#ifndef KB_GROW_H
#define KB_GROW_H

#include <stddef.h>

/*
 * Makes room for at least `need` elements of `size` bytes in *items, whose
 * capacity is *cap, doubling (from 16). Returns 0, or -1 when out of memory
 * (the array is then unchanged).
 */
int kb_grow(void *items, size_t *cap, size_t need, size_t size);

/* kb_grow for a typed pointer: KB_GROW(&arr, &cap, n + 1). */
#define KB_GROW(pp, capp, need) kb_grow((pp), (capp), (need), sizeof **(pp))

/* Blocks (strings, arrays) owned together and freed with the pool. */
typedef struct kb_pool {
    void **v;
    size_t n, cap;
} kb_pool;

/*
 * The pool takes block p and returns it; NULL passes through. When out of
 * memory, p is freed, *fail is set and NULL returned.
 */
void *kb_pool_own(kb_pool *pool, void *p, int *fail);
/* Frees every block and the pool's array. */
void kb_pool_free(kb_pool *pool);

#endif
