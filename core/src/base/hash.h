/*
 * hash.h: SHA-256 content hashes (document texts, codebooks, rules), by
 * OpenSSL's libcrypto, which uses the CPU's SHA instructions where it has
 * them. Init and update never fail visibly: a failure (out of memory) is
 * reported once, by kbi_sha256_hex.
 */
#ifndef KBI_HASH_H
#define KBI_HASH_H

#include <stddef.h>

typedef struct kbi_sha256 {
    void *ctx; /* EVP_MD_CTX, NULL after a failure */
} kbi_sha256;

void kbi_sha256_init(kbi_sha256 *c);
void kbi_sha256_update(kbi_sha256 *c, const void *data, size_t len);
/* Writes the digest as 64 lower-case hex digits and a NUL into hex[65] and
 * frees the context. Returns 0, or -1 (hex = "") if hashing failed. */
int kbi_sha256_hex(kbi_sha256 *c, char hex[65]);

#endif
