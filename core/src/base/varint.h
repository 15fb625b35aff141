/*
 * varint.h: unsigned LEB128 varints, the integers of every packed blob
 * (segment packs, coding packs): seven bits a byte, low bits first, the top
 * bit set on every byte but the last.
 */
#ifndef KBI_VARINT_H
#define KBI_VARINT_H

#include <stddef.h>
#include <stdint.h>

#define KBI_VARINT_MAX 10 /* bytes of a 64-bit varint */

/* Writes x at out + *n (room for KBI_VARINT_MAX bytes) and advances *n. */
static inline void kbi_varint_put(unsigned char *out, size_t *n, uint64_t x)
{
    while (x >= 0x80) {
        out[(*n)++] = (unsigned char)(x | 0x80);
        x >>= 7;
    }
    out[(*n)++] = (unsigned char)x;
}

/* Reads one varint at *p (before end) into *x and advances *p. Returns 0,
 * or -1 when the bytes end first or it runs past 64 bits. */
static inline int kbi_varint_get(const unsigned char **p,
                                 const unsigned char *end, uint64_t *x)
{
    uint64_t v = 0;
    for (unsigned shift = 0; *p < end && shift < 64; shift += 7) {
        unsigned char b = *(*p)++;
        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) {
            *x = v;
            return 0;
        }
    }
    return -1;
}

#endif
