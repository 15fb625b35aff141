/*
 * hash.c: SHA-256 by nettle (see hash.h).
 */
#include "base/hash.h"

void kbi_sha256_init(kbi_sha256 *c)
{
    sha256_init(&c->ctx);
}

void kbi_sha256_update(kbi_sha256 *c, const void *data, size_t len)
{
    if (len)
        sha256_update(&c->ctx, len, data);
}

void kbi_sha256_hex(kbi_sha256 *c, char hex[65])
{
    uint8_t md[SHA256_DIGEST_SIZE];
    sha256_digest(&c->ctx, sizeof md, md);
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < sizeof md; i++) {
        hex[2 * i] = digits[md[i] >> 4];
        hex[2 * i + 1] = digits[md[i] & 15];
    }
    hex[2 * sizeof md] = '\0';
}
