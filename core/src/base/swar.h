/*
 * swar.h: eight bytes at a time in a 64-bit word, for the loops over text
 * that mostly find nothing (ASCII runs, control characters, sentence ends,
 * case folding). Header only; includes nothing of kodbok.
 */
#ifndef KBI_SWAR_H
#define KBI_SWAR_H

#include <stdint.h>
#include <string.h>

/* A one in every byte, and the high bit of every byte. */
#define KBI_ONES  0x0101010101010101ull
#define KBI_HIGHS 0x8080808080808080ull

/* The eight bytes at p (any alignment) as one word. */
static inline uint64_t kbi_load8(const void *p)
{
    uint64_t w;
    memcpy(&w, p, 8);
    return w;
}

/* The high bit of each byte of w that is below k (k <= 0x80), exactly: the
 * low seven bits plus 0x80 - k carry into bit 7 iff they reach k, and no
 * carry crosses a byte. */
static inline uint64_t kbi_below(uint64_t w, unsigned k)
{
    uint64_t t = (w & ~KBI_HIGHS) + KBI_ONES * (0x80 - k);
    return ~(t | w) & KBI_HIGHS;
}

#endif
