/*
 * json.c: kb_json_quote, the one JSON string escaper, and kbi_json_append,
 * the same escaper into memory. The library's table writer and the CLI's
 * JSON writer both use it, so every JSON kodbok writes escapes strings the
 * same way.
 *
 * Invariant: the output is always a valid JSON string in valid UTF-8, even
 * when the input is not valid UTF-8 (bad bytes become U+FFFD). Characters
 * are escaped whole: a UTF-8 sequence is never split between two pieces of
 * output.
 */
#include "base/json.h"
#include "base/error.h"
#include "base/grow.h"

#include <stdio.h>
#include <string.h>
#include <utf8proc.h>

/* Bytes copied as they are: printable ASCII but '"' and '\'. */
static int plain(unsigned char c)
{
    return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

/* The most one input byte can become: \u00XX. */
#define WIDEST 6

/*
 * Escapes as much of s[0..n) as fits in out[0..cap) (cap >= WIDEST), whole
 * characters only. Returns the bytes of s consumed; *w gets those written.
 */
static size_t escape(const unsigned char *s, size_t n, char *out, size_t cap,
                     size_t *w)
{
    size_t i = 0, o = 0;
    while (i < n) {
        if (plain(s[i])) { /* a run of plain bytes, copied whole */
            size_t j = i + 1;
            while (j < n && plain(s[j]))
                j++;
            if (j - i > cap - o)
                j = i + (cap - o);
            memcpy(out + o, s + i, j - i);
            o += j - i;
            if (j == i)
                break;
            i = j;
            continue;
        }
        if (cap - o < WIDEST)
            break;
        unsigned char c = s[i];
        if (c >= 0x80) {
            utf8proc_int32_t cp;
            utf8proc_ssize_t k = utf8proc_iterate(
                s + i, (utf8proc_ssize_t)(n - i > 4 ? 4 : n - i), &cp);
            if (k > 0) { /* valid: copied as it is */
                memcpy(out + o, s + i, (size_t)k);
                o += (size_t)k;
                i += (size_t)k;
            } else { /* U+FFFD for a bad byte */
                memcpy(out + o, "\xEF\xBF\xBD", 3);
                o += 3;
                i++;
            }
            continue;
        }
        const char *e = c == '"'    ? "\\\""
                        : c == '\\' ? "\\\\"
                        : c == '\n' ? "\\n"
                        : c == '\t' ? "\\t"
                        : c == '\r' ? "\\r"
                                    : NULL;
        if (e) {
            memcpy(out + o, e, 2);
            o += 2;
        } else {
            snprintf(out + o, WIDEST + 1, "\\u%04x", c);
            o += WIDEST;
        }
        i++;
    }
    *w = o;
    return i;
}

int kbi_json_append(char **buf, size_t *len, size_t *cap, const char *s,
                    size_t n)
{
    if (n > ((size_t)-1 - *len - 3) / WIDEST ||
        KBI_GROW(buf, cap, *len + WIDEST * n + 3))
        return -1;
    char *out = *buf + *len;
    size_t w;
    out[0] = '"';
    escape((const unsigned char *)s, n, out + 1, WIDEST * n + 1, &w);
    out[1 + w] = '"';
    *len += w + 2;
    return 0;
}

int kb_json_quote(FILE *f, const char *s, size_t n, kb_error *err)
{
    const unsigned char *p = (const unsigned char *)s;
    char buf[4096];
    size_t i = 0, w = 0;
    buf[w++] = '"';
    for (;;) {
        size_t k;
        i += escape(p + i, n - i, buf + w, sizeof buf - 1 - w, &k);
        w += k;
        if (i == n)
            break;
        fwrite(buf, 1, w, f); /* full: a short string is one write */
        w = 0;
    }
    buf[w++] = '"';
    fwrite(buf, 1, w, f);
    if (ferror(f))
        return kbi_fail(err, KB_EIO, "writing JSON failed");
    return 0;
}
