/*
 * fold.c: case folding, with ASCII eight bytes at a time and the two-byte
 * code points from a table worked out once.
 */
#include "base/fold.h"
#include "base/grow.h"
#include "base/swar.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* Appends the fold of code point cp (Unicode full case folding, by
 * utf8proc) at out, which has room for 16 bytes; returns its length. */
static size_t fold_cp(utf8proc_int32_t cp, unsigned char *out)
{
    utf8proc_int32_t buf[4];
    int bound = 0;
    utf8proc_ssize_t m =
        utf8proc_decompose_char(cp, buf, 4, UTF8PROC_CASEFOLD, &bound);
    if (m < 0 || m > 4) {
        buf[0] = cp;
        m = 1;
    }
    size_t n = 0;
    for (utf8proc_ssize_t j = 0; j < m; j++)
        n += (size_t)utf8proc_encode_char(buf[j], out + n);
    return n;
}

/* The folds of U+0080..U+07FF, the code points of two UTF-8 bytes (Latin
 * letters beyond ASCII, Greek, Cyrillic), worked out once by fold_cp. */
typedef struct fold2 {
    unsigned char len, b[7]; /* len 0: longer, fold it one by one */
} fold2;
static fold2 FOLD2[0x800];
static pthread_once_t fold2_once = PTHREAD_ONCE_INIT;

static void fold2_init(void)
{
    for (utf8proc_int32_t cp = 0x80; cp < 0x800; cp++) {
        unsigned char b[16];
        size_t n = fold_cp(cp, b);
        if (n <= sizeof FOLD2[cp].b) {
            FOLD2[cp].len = (unsigned char)n;
            memcpy(FOLD2[cp].b, b, n);
        }
    }
}

int kbi_fold_text(char **out, size_t *len, size_t *cap, const char *s, size_t n,
                  int *same)
{
    pthread_once(&fold2_once, fold2_init);
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, o = *len;
    int keep = 1;
    while (i < n) {
        if (o + 24 > *cap && KBI_GROW(out, cap, o + (n - i) + 24))
            return -1;
        unsigned char *d = (unsigned char *)*out + o;
        if (i + 8 <= n) {
            /* ASCII eight at a time: A-Z get 0x20, other bytes (non-ASCII
             * ones too) stay; the bytes up to the first non-ASCII one are
             * kept */
            uint64_t w = kbi_load8(u + i);
            uint64_t lowered =
                w | (kbi_below(w, 'Z' + 1) & ~kbi_below(w, 'A')) >> 2;
            size_t ascii = 8;
            if (w & KBI_HIGHS)
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
                ascii = (size_t)__builtin_ctzll(w & KBI_HIGHS) / 8;
#else
                ascii = (size_t)__builtin_clzll(w & KBI_HIGHS) / 8;
#endif
            if (ascii) {
                memcpy(d, &lowered, 8);
                i += ascii;
                o += ascii;
                continue;
            }
        }
        unsigned c = u[i];
        if (c < 0x80) {
            *d = (unsigned char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
            i++;
            o++;
            continue;
        }
        if (c >= 0xC2 && c < 0xE0 && i + 1 < n && (u[i + 1] & 0xC0) == 0x80) {
            const fold2 *f = &FOLD2[(c & 0x1F) << 6 | (u[i + 1] & 0x3F)];
            if (f->len) {
                memcpy(d, f->b, f->len);
                keep &= f->len == 2;
                o += f->len;
                i += 2;
                continue;
            }
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t k =
            utf8proc_iterate(u + i, (utf8proc_ssize_t)(n - i), &cp);
        if (k <= 0) { /* not UTF-8: left out */
            keep = 0;
            i++;
            continue;
        }
        size_t m = fold_cp(cp, d);
        keep &= m == (size_t)k;
        o += m;
        i += (size_t)k;
    }
    if (o + 1 > *cap && KBI_GROW(out, cap, o + 1))
        return -1;
    (*out)[o] = '\0';
    *len = o;
    if (same)
        *same = keep;
    return 0;
}

int kbi_fold(char **out, size_t *len, size_t *cap, const char *s, size_t n)
{
    return kbi_fold_text(out, len, cap, s, n, NULL);
}

/* What a code point of typed text stands for when quotes are compared:
 * ' ', '"', '\'' or '-' for the marks that are typed one for another, or 0
 * for a code point compared by its case fold. */
static int loose_class(utf8proc_int32_t cp)
{
    switch (cp) {
    case '\t':
    case '\n':
    case '\r':
        return ' ';
    case '"':
    case 0x00AB: /* « */
    case 0x00BB: /* » */
    case 0x201C: /* “ */
    case 0x201D: /* ” */
    case 0x201E: /* „ */
    case 0x201F: /* ‟ */
    case 0x2033: /* ″ */
        return '"';
    case '\'':
    case '`':
    case 0x00B4: /* ´ */
    case 0x2018: /* ‘ */
    case 0x2019: /* ’ */
    case 0x201A: /* ‚ */
    case 0x201B: /* ‛ */
    case 0x2032: /* ′ */
    case 0x2039: /* ‹ */
    case 0x203A: /* › */
        return '\'';
    case '-':
    case 0x2212: /* − */
    case 0xFE58: /* ﹘ */
    case 0xFE63: /* ﹣ */
    case 0xFF0D: /* － */
        return '-';
    }
    if (cp >= 0x2010 && cp <= 0x2015) /* ‐ ‑ ‒ – — ― */
        return '-';
    if (utf8proc_category(cp) == UTF8PROC_CATEGORY_ZS)
        return ' ';
    return 0;
}

int kbi_fold_loose(char **out, size_t *len, size_t **from, const char *s,
                   size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t capf = n + 16, capa = capf, o = 0;
    char *f = malloc(capf);
    size_t *at = malloc(capa * sizeof *at);
    if (!f || !at)
        goto oom;
    for (size_t i = 0; i < n;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k =
            utf8proc_iterate(u + i, (utf8proc_ssize_t)(n - i), &cp);
        if (k <= 0) { /* not UTF-8: left out */
            i++;
            continue;
        }
        unsigned char b[16];
        int cls = loose_class(cp);
        size_t m = 1;
        if (cls == ' ' && o && f[o - 1] == ' ')
            m = 0; /* a run of white space is one space */
        else if (cls)
            b[0] = (unsigned char)cls;
        else
            m = fold_cp(cp, b);
        if (KBI_GROW(&f, &capf, o + m + 1) || KBI_GROW(&at, &capa, o + m + 1))
            goto oom;
        for (size_t j = 0; j < m; j++) {
            f[o] = (char)b[j];
            at[o++] = i;
        }
        i += (size_t)k;
    }
    f[o] = '\0';
    at[o] = n;
    *out = f;
    *len = o;
    *from = at;
    return 0;
oom:
    free(f);
    free(at);
    return -1;
}
