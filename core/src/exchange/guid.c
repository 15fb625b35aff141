/*
 * guid.c: name-based UUIDs (RFC 4122 section 4.3, version 5) by
 * nettle's SHA-1 (see guid.h).
 */
#include "exchange/guid.h"

#include <nettle/sha1.h>
#include <string.h>

/* The 16 bytes of a UUID written as text (braces not allowed); -1 if it is
 * not one. */
static int uuid_parse(unsigned char b[16], const char *s)
{
    size_t n = 0;
    for (size_t i = 0; s[i]; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (s[i] != '-')
                return -1;
            continue;
        }
        int v = s[i] >= '0' && s[i] <= '9'   ? s[i] - '0'
                : s[i] >= 'a' && s[i] <= 'f' ? s[i] - 'a' + 10
                : s[i] >= 'A' && s[i] <= 'F' ? s[i] - 'A' + 10
                                             : -1;
        if (v < 0 || n >= 32)
            return -1;
        b[n / 2] = (unsigned char)(n % 2 ? (b[n / 2] | v) : (v << 4));
        n++;
    }
    return n == 32 ? 0 : -1;
}

int kbi_guid_v5(char out[KBI_GUID_LEN + 1], const char *ns, const char *kind,
                const char *key)
{
    out[0] = '\0';
    unsigned char nsb[16];
    if (uuid_parse(nsb, ns))
        return -1;
    uint8_t md[SHA1_DIGEST_SIZE];
    struct sha1_ctx ctx;
    sha1_init(&ctx);
    sha1_update(&ctx, sizeof nsb, nsb);
    sha1_update(&ctx, strlen(kind), (const uint8_t *)kind);
    sha1_update(&ctx, strlen(key), (const uint8_t *)key);
    sha1_digest(&ctx, sizeof md, md);
    md[6] = (unsigned char)((md[6] & 0x0f) | 0x50); /* version 5 */
    md[8] = (unsigned char)((md[8] & 0x3f) | 0x80); /* RFC 4122 variant */
    static const char digits[] = "0123456789abcdef";
    size_t o = 0;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out[o++] = '-';
        out[o++] = digits[md[i] >> 4];
        out[o++] = digits[md[i] & 15];
    }
    out[o] = '\0';
    return 0;
}

int kbi_guid(char out[KBI_GUID_LEN + 1], const char *kind, const char *key)
{
    return kbi_guid_v5(out, KBI_GUID_NAMESPACE, kind, key);
}
