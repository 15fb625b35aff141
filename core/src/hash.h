/*
 * hash.h: SHA-256 for content hashes (document texts now, codebook rules
 * later). None of kodbok's dependencies exports a hash function, so this is
 * the FIPS 180-4 algorithm, kept small.
 */
#ifndef KB_HASH_H
#define KB_HASH_H

#include <stddef.h>
#include <stdint.h>

typedef struct kb_sha256 {
    uint32_t h[8];
    uint64_t total;
    unsigned char buf[64];
    size_t used;
} kb_sha256;

void kb_sha256_init(kb_sha256 *c);
void kb_sha256_update(kb_sha256 *c, const void *data, size_t len);
/* Writes the digest as 64 lower-case hex digits and a NUL into hex[65]. */
void kb_sha256_hex(kb_sha256 *c, char hex[65]);

#endif
