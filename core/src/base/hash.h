/*
 * hash.h: SHA-256 content hashes (document texts, codebooks, rules), by
 * OpenSSL's libcrypto, which uses the CPU's SHA instructions where it has
 * them. Init and update never fail visibly: a failure (out of memory) is
 * reported once, by kb_sha256_hex.
 */
#ifndef KB_HASH_H
#define KB_HASH_H

#include <stddef.h>

typedef struct kb_sha256 {
    void *ctx; /* EVP_MD_CTX, NULL after a failure */
} kb_sha256;

void kb_sha256_init(kb_sha256 *c);
void kb_sha256_update(kb_sha256 *c, const void *data, size_t len);
/* Writes the digest as 64 lower-case hex digits and a NUL into hex[65] and
 * frees the context. Returns 0, or -1 (hex = "") if hashing failed. */
int kb_sha256_hex(kb_sha256 *c, char hex[65]);

#endif
