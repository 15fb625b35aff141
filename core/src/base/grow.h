/*
 * grow.h: the one growable-array helper every module uses instead of its
 * own realloc-doubling loop, the pool of blocks freed together that
 * results and codebooks keep their strings in, and for results of a million
 * rows an arena of strings and a set that keeps equal strings once.
 */
#ifndef KBI_GROW_H
#define KBI_GROW_H

#include <stddef.h>
#include <stdint.h>

/*
 * Makes room for at least `need` elements of `size` bytes in *items, whose
 * capacity is *cap, doubling (from 16). Returns 0, or -1 when out of memory
 * (the array is then unchanged).
 */
int kbi_grow(void *items, size_t *cap, size_t need, size_t size);

/* kbi_grow for a typed pointer: KBI_GROW(&arr, &cap, n + 1). The common case,
 * room enough, costs no call (`need` is evaluated twice: no side effects). */
#define KBI_GROW(pp, capp, need)                                               \
    ((need) <= *(capp) ? 0 : kbi_grow((pp), (capp), (need), sizeof **(pp)))

/*
 * kbi_grow for an array about to be filled whole (a result of a million
 * rows): capacity it adds beyond a megabyte is faulted in at once
 * (kbi_prefault) rather than a page at a time as it is written.
 */
int kbi_grow_hot(void *items, size_t *cap, size_t need, size_t size);
#define KBI_GROW_HOT(pp, capp, need)                                           \
    kbi_grow_hot((pp), (capp), (need), sizeof **(pp))

/*
 * Room for `need` bytes in the buffer *buf of capacity *cap, for a large
 * buffer filled anew each time it is used (a document's text or segment
 * pack read out of the store): what it held is not kept. From 256 KB on it
 * is allocated in whole 2 MB units, aligned, and Linux is asked to back it
 * with huge pages (MADV_HUGEPAGE, where the system allows them): one fault
 * per 2 MB instead of 512, which on a virtual machine is most of the cost
 * of a buffer's first use. Smaller ones double. Returns 0, or -1 when out
 * of memory (the buffer is then unchanged).
 */
int kbi_buffer_room(void *buf, size_t *cap, size_t need);

/*
 * Asks the kernel to map the pages of p[0..n) now, writable, in one call
 * (Linux's MADV_POPULATE_WRITE), when n is a megabyte or more: memory that
 * is about to be written costs one call instead of a fault per page, which
 * on a virtual machine is most of the time spent on a large result. Where
 * the call is missing or fails, nothing happens.
 */
void kbi_prefault(void *p, size_t n);

/* Blocks (strings, arrays) owned together and freed with the pool. */
typedef struct kbi_pool {
    void **v;
    size_t n, cap;
} kbi_pool;

/*
 * The pool takes block p and returns it. p is what an allocation returned:
 * NULL (that allocation failed) sets *fail, as does running out of memory
 * here (p is freed); NULL is returned then.
 */
void *kbi_pool_own(kbi_pool *pool, void *p, int *fail);
/* Frees every block and the pool's array. */
void kbi_pool_free(kbi_pool *pool);
/* Frees the blocks taken after the first n, keeping the array. */
void kbi_pool_truncate(kbi_pool *pool, size_t n);

/* FNV-1a of p[0..n): the hash of the string tables. */
uint64_t kbi_hash_bytes(const char *p, size_t n);

/* Strings copied one after another into large blocks, freed together: a
 * copy costs no malloc of its own. Zero-initialise. */
typedef struct kbi_arena {
    kbi_pool blocks;
    char *at;    /* free space in the last block */
    size_t left; /* bytes there */
    size_t size; /* the last block's */
} kbi_arena;

/* A NUL-terminated copy of p[0..n) in the arena, valid until
 * kbi_arena_clear or kbi_arena_free. When out of memory: NULL, and *fail
 * is set. */
char *kbi_arena_strndup(kbi_arena *a, const char *p, size_t n, int *fail);
/* Forgets every copy, keeping the block in use for the next ones. */
void kbi_arena_clear(kbi_arena *a);
void kbi_arena_free(kbi_arena *a);

/* A set of strings, each kept once (open addressing over their copies in
 * an arena). Zero-initialise. */
typedef struct kbi_strset {
    kbi_arena copies;
    const char **slots; /* a power of two of them, at most half used */
    size_t n, nslots;
} kbi_strset;

/* The set's copy of p[0..n), added when new; valid until kbi_strset_free.
 * When out of memory: NULL, and *fail is set. */
const char *kbi_strset_add(kbi_strset *s, const char *p, size_t n, int *fail);
void kbi_strset_free(kbi_strset *s);

/*
 * An index by hash of entries 0, 1, ... that the caller keeps in an array
 * of its own: open addressing, a power of two of slots at least twice the
 * entries. The caller gives an entry's hash, and whether entry i is the
 * key it looks for. Zero-initialise.
 */
typedef struct kbi_slots {
    size_t *v; /* per slot: entry + 1, or 0 for none */
    size_t n, used;
} kbi_slots;

/* The hash of entry i, and whether entry i is `key`; ctx is the caller's. */
typedef size_t (*kbi_slots_hash)(const void *ctx, size_t i);
typedef int (*kbi_slots_is)(const void *ctx, size_t i, const void *key);

/* The entry that is `key` (whose hash is h), or SIZE_MAX. */
size_t kbi_slots_find(const kbi_slots *s, size_t h, kbi_slots_is is,
                      const void *ctx, const void *key);
/* Adds entry i, whose hash is h (not in the index yet), making room first
 * (`hash` gives the entries in it again). 0, or -1 when out of memory (the
 * index is then unchanged). */
int kbi_slots_add(kbi_slots *s, size_t i, size_t h, kbi_slots_hash hash,
                  const void *ctx);
/* Indexes entries 0 to n - 1 anew. 0, or -1 when out of memory. */
int kbi_slots_build(kbi_slots *s, size_t n, kbi_slots_hash hash,
                    const void *ctx);
void kbi_slots_free(kbi_slots *s);

/* qsort for every sort of the library: nothing to do for fewer than two
 * elements, where `base` may be NULL (an empty list never allocated), which
 * qsort itself must not be given. */
void kbi_sort(void *base, size_t n, size_t size,
              int (*cmp)(const void *, const void *));

#endif
