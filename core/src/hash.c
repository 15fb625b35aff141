/*
 * hash.c: SHA-256 through libcrypto's EVP interface (see hash.h).
 */
#include "hash.h"

#include <openssl/evp.h>
#include <stdio.h>

void kb_sha256_init(kb_sha256 *c)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (ctx && !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL)) {
        EVP_MD_CTX_free(ctx);
        ctx = NULL;
    }
    c->ctx = ctx;
}

void kb_sha256_update(kb_sha256 *c, const void *data, size_t len)
{
    if (c->ctx && len && !EVP_DigestUpdate(c->ctx, data, len)) {
        EVP_MD_CTX_free(c->ctx);
        c->ctx = NULL;
    }
}

int kb_sha256_hex(kb_sha256 *c, char hex[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    int ok = c->ctx && EVP_DigestFinal_ex(c->ctx, md, &n) && n == 32;
    EVP_MD_CTX_free(c->ctx);
    c->ctx = NULL;
    hex[0] = '\0';
    if (!ok)
        return -1;
    for (unsigned i = 0; i < n; i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
    return 0;
}
