/*
 * grow.h: the one growable-array helper every module uses instead of its
 * own realloc-doubling loop.
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

#endif
