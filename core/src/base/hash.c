/*
 * hash.c: SHA-256 through libcrypto's EVP interface (see hash.h).
 */
#include "base/hash.h"

#include <openssl/evp.h>
#include <pthread.h>

/* The digest, fetched once: with OpenSSL 3, EVP_sha256() in every init
 * looks the algorithm up again, which cost a codebook's 200 rules hashes
 * more than the hashing (kept for the process; EVP_sha256() if the fetch
 * fails). */
static EVP_MD *sha256_md;
static pthread_once_t sha256_once = PTHREAD_ONCE_INIT;

static void sha256_fetch(void)
{
    sha256_md = EVP_MD_fetch(NULL, "SHA256", NULL);
}

void kbi_sha256_init(kbi_sha256 *c)
{
    pthread_once(&sha256_once, sha256_fetch);
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (ctx &&
        !EVP_DigestInit_ex(ctx, sha256_md ? sha256_md : EVP_sha256(), NULL)) {
        EVP_MD_CTX_free(ctx);
        ctx = NULL;
    }
    c->ctx = ctx;
}

void kbi_sha256_update(kbi_sha256 *c, const void *data, size_t len)
{
    if (c->ctx && len && !EVP_DigestUpdate(c->ctx, data, len)) {
        EVP_MD_CTX_free(c->ctx);
        c->ctx = NULL;
    }
}

int kbi_sha256_hex(kbi_sha256 *c, char hex[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    int ok = c->ctx && EVP_DigestFinal_ex(c->ctx, md, &n) && n == 32;
    EVP_MD_CTX_free(c->ctx);
    c->ctx = NULL;
    hex[0] = '\0';
    if (!ok)
        return -1;
    static const char digits[] = "0123456789abcdef";
    for (unsigned i = 0; i < n; i++) {
        hex[2 * i] = digits[md[i] >> 4];
        hex[2 * i + 1] = digits[md[i] & 15];
    }
    hex[2 * n] = '\0';
    return 0;
}
