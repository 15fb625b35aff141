/*
 * hash.h: SHA-256 content hashes (document texts, codebooks, rules), by
 * nettle, which uses the CPU's SHA instructions where it has them and needs
 * no start-up: a run hashes its codebook's rules before anything else.
 */
#ifndef KBI_HASH_H
#define KBI_HASH_H

#include <nettle/sha2.h>
#include <stddef.h>

typedef struct kbi_sha256 {
    struct sha256_ctx ctx;
} kbi_sha256;

void kbi_sha256_init(kbi_sha256 *c);
void kbi_sha256_update(kbi_sha256 *c, const void *data, size_t len);
/* Writes the digest as 64 lower-case hex digits and a NUL into hex[65]. */
void kbi_sha256_hex(kbi_sha256 *c, char hex[65]);

#endif
