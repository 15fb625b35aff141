/*
 * utf8.c: UTF-8 helpers (code points, words, widths) and the small text
 * utilities messages and options use (name lists, comma lists, edit
 * distance, times).
 */
#include "base/utf8.h"
#include "base/swar.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <utf8proc.h>

int kbi_utf8_is_word(int32_t cp)
{
    utf8proc_category_t c = utf8proc_category(cp);
    return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_ND) ||
           c == UTF8PROC_CATEGORY_NL || c == UTF8PROC_CATEGORY_NO;
}

size_t kbi_utf8_seqlen(unsigned char c)
{
    if (c < 0x80)
        return 1;
    if (c >= 0xF0)
        return 4;
    if (c >= 0xE0)
        return 3;
    if (c >= 0xC0)
        return 2;
    return 1;
}

void kbi_name_list_add(char *buf, size_t size, const char *name)
{
    size_t len = strlen(buf);
    if (len >= 3 && !strcmp(buf + len - 3, "..."))
        return;
    const char *sep = len ? ", " : "";
    if (len + strlen(sep) + strlen(name) + 6 < size)
        snprintf(buf + len, size - len, "%s%s", sep, name);
    else
        snprintf(buf + len, size - len, "%s...", sep);
}

size_t kbi_edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), prev[64], cur[64];
    if (lb >= 64 || la >= 64)
        return 99;
    for (size_t j = 0; j <= lb; j++)
        prev[j] = j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
            size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
            cur[j] =
                sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
        }
        memcpy(prev, cur, (lb + 1) * sizeof *prev);
    }
    return prev[lb];
}

int kbi_char_width(const char *p, size_t *k)
{
    if ((unsigned char)*p >= 0x20 && (unsigned char)*p < 0x7f) {
        *k = 1; /* printable ASCII: one cell */
        return 1;
    }
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)p, -1, &cp);
    *k = n > 0 ? (size_t)n : 1;
    if (n <= 0 || cp == '\t')
        return 1;
    return utf8proc_charwidth(cp);
}

const char *kb_time_text(char *buf, int64_t ms)
{
    int64_t s = ms / 1000, frac = ms % 1000;
    if (frac)
        snprintf(buf, 32,
                 "%02" PRId64 ":%02" PRId64 ":%02" PRId64 ".%03" PRId64,
                 s / 3600, s / 60 % 60, s % 60, frac);
    else
        snprintf(buf, 32, "%02" PRId64 ":%02" PRId64 ":%02" PRId64, s / 3600,
                 s / 60 % 60, s % 60);
    return buf;
}

int kb_text_width(const char *s)
{
    int widest = 0, w = 0;
    for (size_t k; s && *s; s += k) {
        if (*s == '\n') {
            k = 1;
            w = 0;
            continue;
        }
        w += kbi_char_width(s, &k);
        if (w > widest)
            widest = w;
    }
    return widest;
}

size_t kbi_utf8_count(const char *s, size_t n)
{
    /* Continuation bytes are 10xxxxxx: count them eight at a time. The
     * marks are one bit a byte, so shifted down and multiplied by KBI_ONES they
     * add up in the top byte (no popcount instruction needed). */
    size_t cont = 0, i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w = kbi_load8(s + i);
        cont += (size_t)((((w & ~(w << 1) & KBI_HIGHS) >> 7) * KBI_ONES) >> 56);
    }
    for (; i < n; i++)
        cont += ((unsigned char)s[i] & 0xC0) == 0x80;
    return n - cont;
}

size_t kbi_utf8_offset(const char *s, size_t n, size_t cps)
{
    size_t i = 0;
    for (; i < n && cps; cps--)
        i += kbi_utf8_seqlen((unsigned char)s[i]);
    return i < n ? i : n;
}

int kbi_utf8_mark_at(const char *s, size_t n, size_t at)
{
    if (at >= n)
        return 0;
    utf8proc_int32_t cp;
    if (utf8proc_iterate((const utf8proc_uint8_t *)s + at,
                         (utf8proc_ssize_t)(n - at), &cp) < 0)
        return 0;
    const utf8proc_property_t *p = utf8proc_get_property(cp);
    return p->combining_class || p->category == UTF8PROC_CATEGORY_MN ||
           p->category == UTF8PROC_CATEGORY_MC ||
           p->category == UTF8PROC_CATEGORY_ME;
}

size_t kbi_utf8_invalid_at(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        if (i + 8 <= len && !(kbi_load8(s + i) & KBI_HIGHS)) {
            i += 8; /* eight ASCII bytes */
            continue;
        }
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t n =
            utf8proc_iterate(s + i, (utf8proc_ssize_t)(len - i), &cp);
        if (n < 0)
            return i;
        i += (size_t)n;
    }
    return len;
}

const char *kbi_text_list_next(const char **v, size_t *n)
{
    const char *s = *v;
    if (!s || !*s)
        return NULL;
    while (*s == ' ')
        s++;
    const char *e = strchr(s, ',');
    size_t len = e ? (size_t)(e - s) : strlen(s);
    *v = s + len + (e != NULL);
    while (len && s[len - 1] == ' ')
        len--;
    *n = len;
    return s;
}
