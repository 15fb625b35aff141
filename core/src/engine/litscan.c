/*
 * litscan.c: many literals at once (see litscan.h).
 *
 * Compiled, the distinct literals are sorted by their window (the first w
 * bytes, up to eight: as many as the shortest literal has); `prefixes` maps
 * each window that occurs
 * to its run of literals, and `bits` holds one bit per hash of a window.
 * The scan first gathers, a block at a time and without branches, the
 * positions whose bit is set, then checks those against the literals.
 */
#include "engine/litscan.h"
#include "base/grow.h"

#include <stdlib.h>
#include <string.h>

#define HASH_BITS 16
#define BLOCK     1024 /* positions tested before their checks */

typedef struct lit {
    char *s;
    size_t n;
    uint64_t key;     /* the window */
    uint64_t rest;    /* up to eight bytes after it (as key), when n - w <= 8 */
    uint64_t rmask;   /* and which bytes of a load they are */
    uint32_t at, nid; /* its ids: ids[at .. at + nid) */
} lit;

typedef struct added {
    size_t lit; /* index into lits */
    uint32_t id;
} added;

typedef struct prefix {
    uint64_t key;
    uint32_t first, n; /* n == 0: an empty slot */
} prefix;

struct kbi_lits {
    lit *lits;
    size_t nlits, caplits;
    added *adds;
    size_t nadds, capadds;
    uint32_t *ids;
    unsigned w;     /* window bytes, 1 to 8 */
    uint64_t wmask; /* the window's bytes of an 8-byte load */
    uint64_t bits[(1u << HASH_BITS) / 64];
    prefix *prefixes;
    size_t pmask; /* prefixes has pmask + 1 slots */
};

kbi_lits *kbi_lits_new(void)
{
    return calloc(1, sizeof(kbi_lits));
}

void kbi_lits_free(kbi_lits *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->nlits; i++)
        free(l->lits[i].s);
    free(l->lits);
    free(l->adds);
    free(l->ids);
    free(l->prefixes);
    free(l);
}

size_t kbi_lits_count(const kbi_lits *l)
{
    return l->nlits;
}

int kbi_lits_add(kbi_lits *l, const char *s, size_t n, uint32_t id)
{
    if (!n)
        return 0;
    size_t i = 0;
    while (i < l->nlits && !(l->lits[i].n == n && !memcmp(l->lits[i].s, s, n)))
        i++;
    if (i == l->nlits) {
        char *c = malloc(n);
        if (!c || KBI_GROW(&l->lits, &l->caplits, l->nlits + 1)) {
            free(c);
            return -1;
        }
        memcpy(c, s, n);
        l->lits[l->nlits++] = (lit){c, n, 0, 0, 0, 0, 0};
    }
    if (KBI_GROW(&l->adds, &l->capadds, l->nadds + 1))
        return -1;
    l->adds[l->nadds++] = (added){i, id};
    return 0;
}

/* The window at p: w bytes as a number (the bytes of an 8-byte load in
 * memory order, whatever the machine's byte order). */
static uint64_t load8(const unsigned char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

/* n (at most 8) bytes at p as a number, as an 8-byte load would see
 * them, and the mask of those bytes. */
static uint64_t bytes_of(const unsigned char *p, size_t n, uint64_t *mask)
{
    unsigned char b[8] = {0}, m[8] = {0};
    memcpy(b, p, n);
    memset(m, 0xFF, n);
    *mask = load8(m);
    return load8(b);
}

static uint32_t bit_of(uint64_t key)
{
    return (uint32_t)((key * 0x9E3779B97F4A7C15u) >> (64 - HASH_BITS));
}

static size_t slot_of(const kbi_lits *l, uint64_t key)
{
    return (size_t)((key * 0xC2B2AE3D27D4EB4Fu) >> 40) & l->pmask;
}

static int by_key(const void *a, const void *b)
{
    const lit *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return (x->n > y->n) - (x->n < y->n);
}

int kbi_lits_compile(kbi_lits *l)
{
    if (!l->nlits)
        return 0;
    l->w = 8;
    for (size_t i = 0; i < l->nlits; i++)
        if (l->lits[i].n < l->w)
            l->w = (unsigned)l->lits[i].n;
    /* ids grouped by literal, before the literals are reordered */
    size_t *count = calloc(l->nlits, sizeof *count);
    l->ids = malloc(l->nadds * sizeof *l->ids);
    if (!count || !l->ids) {
        free(count);
        return -1;
    }
    for (size_t i = 0; i < l->nadds; i++)
        count[l->adds[i].lit]++;
    uint32_t at = 0;
    for (size_t i = 0; i < l->nlits; i++) {
        l->lits[i].at = at;
        at += (uint32_t)count[i];
        count[i] = 0;
    }
    for (size_t i = 0; i < l->nadds; i++) {
        lit *t = &l->lits[l->adds[i].lit];
        l->ids[t->at + count[l->adds[i].lit]++] = l->adds[i].id;
    }
    for (size_t i = 0; i < l->nlits; i++) {
        lit *t = &l->lits[i];
        const unsigned char *b = (const unsigned char *)t->s;
        t->nid = (uint32_t)count[i];
        t->key = bytes_of(b, l->w, &l->wmask);
        if (t->n - l->w <= 8)
            t->rest = bytes_of(b + l->w, t->n - l->w, &t->rmask);
    }
    free(count);
    kbi_sort(l->lits, l->nlits, sizeof *l->lits, by_key);
    size_t slots = 16;
    while (slots < 2 * l->nlits)
        slots *= 2;
    if (!(l->prefixes = calloc(slots, sizeof *l->prefixes)))
        return -1;
    l->pmask = slots - 1;
    for (size_t i = 0; i < l->nlits;) {
        uint64_t key = l->lits[i].key;
        size_t j = i;
        while (j < l->nlits && l->lits[j].key == key)
            j++;
        size_t h = slot_of(l, key);
        while (l->prefixes[h].n)
            h = (h + 1) & l->pmask;
        l->prefixes[h] = (prefix){key, (uint32_t)i, (uint32_t)(j - i)};
        uint32_t b = bit_of(key);
        l->bits[b / 64] |= (uint64_t)1 << (b % 64);
        i = j;
    }
    return 0;
}

const uint32_t *kbi_lits_ids(const kbi_lits *l, uint32_t i, size_t *n)
{
    *n = l->lits[i].nid;
    return l->ids + l->lits[i].at;
}

/* Checks the literals whose window is at s + i. */
static int check(const kbi_lits *l, const unsigned char *s, size_t n, size_t i,
                 kbi_lit_hits *out)
{
    uint64_t key = load8(s + i) & l->wmask;
    size_t h = slot_of(l, key);
    while (l->prefixes[h].n && l->prefixes[h].key != key)
        h = (h + 1) & l->pmask;
    const prefix *p = &l->prefixes[h];
    for (uint32_t k = p->first; k < p->first + p->n; k++) {
        const lit *t = &l->lits[k];
        if (t->n > n - i)
            break; /* longer ones follow */
        if (t->n - l->w <= 8 ? (load8(s + i + l->w) & t->rmask) != t->rest
                             : memcmp(s + i + l->w, t->s + l->w, t->n - l->w))
            continue;
        if (KBI_GROW(&out->v, &out->cap, out->n + 1))
            return -1;
        out->v[out->n++] = (kbi_lit_hit){i, k};
    }
    return 0;
}

int kbi_lits_scan(const kbi_lits *l, const char *text, size_t n,
                  kbi_lit_hits *out)
{
    if (!l->nlits || n < l->w)
        return 0;
    const unsigned char *s = (const unsigned char *)text;
    const size_t end = n - l->w + 1; /* positions a literal can start at */
    uint32_t cand[BLOCK];
    for (size_t base = 0; base < end; base += BLOCK) {
        size_t stop = end - base < BLOCK ? end : base + BLOCK, nc = 0, i = base;
        const uint64_t *bits = l->bits, m = l->wmask;
#define TEST(k)                                                                \
    do {                                                                       \
        uint32_t b = bit_of(load8(s + i + (k)) & m);                           \
        cand[nc] = (uint32_t)(i + (k)-base);                                   \
        nc += (size_t)(bits[b / 64] >> (b % 64)) & 1;                          \
    } while (0)
        for (; i + 4 <= stop; i += 4) { /* four at a time: more in flight */
            TEST(0);
            TEST(1);
            TEST(2);
            TEST(3);
        }
        for (; i < stop; i++)
            TEST(0);
#undef TEST
        for (size_t k = 0; k < nc; k++)
            if (check(l, s, n, base + cand[k], out))
                return -1;
    }
    return 0;
}
