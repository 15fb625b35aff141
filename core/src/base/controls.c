/*
 * controls.c: control characters found, named and escaped, and the
 * document-name rule (controls.h).
 */
#include "base/controls.h"
#include "base/error.h"
#include "base/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

size_t kbi_control_at(const char *s, size_t n, int lines)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char b = (unsigned char)s[i];
        if ((b < 0x20 && !(lines && (b == '\t' || b == '\n'))) || b == 0x7F)
            return i;
        /* C1: U+0080 to U+009F are 0xC2 0x80 to 0xC2 0x9F */
        if (b == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] < 0xA0)
            return i;
    }
    return n;
}

void kbi_char_describe(char *buf, size_t size, const char *s)
{
    static const char *const names[32] = {
        [0] = "a NUL",        [7] = "a bell",
        [8] = "a backspace",  [9] = "a tab",
        [10] = "a line feed", [11] = "a vertical tab",
        [12] = "a form feed", [13] = "a carriage return",
        [27] = "an escape"};
    utf8proc_int32_t cp = -1;
    utf8proc_iterate((const utf8proc_uint8_t *)s, -1, &cp);
    const char *what = cp >= 0 && cp < 32 && names[cp] ? names[cp]
                       : cp == 0x7F || (cp >= 0x80 && cp < 0xA0) || cp < 32
                           ? "a control character"
                       : cp == 0x2028 ? "a line separator"
                       : cp == 0x2029 ? "a paragraph separator"
                       : cp == 0x20   ? "a space"
                       : cp == 0xA0   ? "a no-break space"
                       : utf8proc_category(cp) == UTF8PROC_CATEGORY_ZS
                           ? "white space"
                           : "a character";
    snprintf(buf, size, "U+%04X, %s", (unsigned)(cp < 0 ? 0xFFFD : cp), what);
}

char *kb_text_escape(const char *s)
{
    return kbi_escape_controls(s ? s : "", 0);
}

char *kbi_escape_controls(const char *s, int lines)
{
    size_t n = strlen(s), k = 0;
    char *out = malloc(4 * n + 1);
    if (!out)
        return NULL;
    for (size_t i = 0; i < n;) {
        size_t len = kbi_utf8_seqlen((unsigned char)s[i]);
        int bad = i + len > n ||
                  kbi_utf8_invalid_at((const unsigned char *)s + i, len) < len;
        if (bad || kbi_control_at(s + i, len, lines) == 0) {
            /* a C1 character is two bytes: both shown */
            size_t m = bad ? 1 : len;
            for (size_t j = 0; j < m; j++)
                k += (size_t)sprintf(out + k, "\\x%02x",
                                     (unsigned char)s[i + j]);
            i += m;
            continue;
        }
        memcpy(out + k, s + i, len);
        k += len;
        i += len;
    }
    out[k] = '\0';
    return out;
}

/* The name shown in a message: escaped, cut to a few dozen bytes. */
static void shown(char *buf, size_t size, const char *name)
{
    char *e = kbi_escape_controls(name, 0);
    const char *v = e ? e : "";
    size_t n = strlen(v);
    if (n > 60) {
        n = 57;
        while (n && ((unsigned char)v[n] & 0xC0) == 0x80)
            n--;
        snprintf(buf, size, "'%.*s...'", (int)n, v);
    } else {
        snprintf(buf, size, "'%s'", v);
    }
    free(e);
}

/* Whether the code point at s is white space (a space separator). */
static int space_at(const char *s, size_t n, size_t *len)
{
    utf8proc_int32_t cp;
    utf8proc_ssize_t k =
        utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &cp);
    *len = k > 0 ? (size_t)k : 1;
    return k > 0 && utf8proc_category(cp) == UTF8PROC_CATEGORY_ZS;
}

int kb_document_name_check(const char *name, kb_error *err)
{
    if (!name || !*name)
        return kbi_fail(err, KB_EINVAL, "a document name cannot be empty");
    size_t n = strlen(name);
    char s[80], what[64];
    shown(s, sizeof s, name);
    size_t bad = kbi_utf8_invalid_at((const unsigned char *)name, n);
    if (bad < n)
        return kbi_fail(err, KB_EINVAL,
                        "document name %s is not valid UTF-8 at byte %zu", s,
                        bad + 1);
    size_t chars = 0, len, first_text = n, last_space = n, space_char = 0;
    for (size_t i = 0; i < n; i += len, chars++) {
        utf8proc_int32_t cp;
        len = (size_t)utf8proc_iterate((const utf8proc_uint8_t *)name + i,
                                       (utf8proc_ssize_t)(n - i), &cp);
        if (kbi_control_at(name + i, len, 0) == 0 || cp == 0x2028 ||
            cp == 0x2029) {
            kbi_char_describe(what, sizeof what, name + i);
            return kbi_fail(err, KB_EINVAL,
                            "document name %s has a control character (%s) "
                            "at character %zu: names hold no control "
                            "characters, tabs or line breaks",
                            s, what, chars + 1);
        }
        size_t k;
        if (!space_at(name + i, n - i, &k)) {
            if (first_text == n)
                first_text = i;
            last_space = n;
        } else if (last_space == n) {
            last_space = i;
            space_char = chars + 1;
        }
    }
    if (chars > KB_DOCUMENT_NAME_MAX)
        return kbi_fail(err, KB_EINVAL,
                        "document name %s has %zu characters: at most %d", s,
                        chars, KB_DOCUMENT_NAME_MAX);
    if (first_text == n)
        return kbi_fail(err, KB_EINVAL, "document name %s is only white space",
                        s);
    if (first_text > 0 || last_space < n) {
        kbi_char_describe(what, sizeof what,
                          name + (first_text > 0 ? 0 : last_space));
        return kbi_fail(err, KB_EINVAL,
                        "document name %s %s with white space (%s) at "
                        "character %zu",
                        s, first_text > 0 ? "begins" : "ends", what,
                        first_text > 0 ? (size_t)1 : space_char);
    }
    return 0;
}

int kbi_name_make(char *out, size_t size, const char *from, size_t chars)
{
    size_t k = 0, n = strlen(from), kept = 0, end = 0; /* end: after text */
    for (size_t i = 0, len; i < n && kept < chars; i += len) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t r = utf8proc_iterate(
            (const utf8proc_uint8_t *)from + i, (utf8proc_ssize_t)(n - i), &cp);
        len = r > 0 ? (size_t)r : 1;
        int blank = r <= 0 || kbi_control_at(from + i, len, 0) == 0 ||
                    cp == 0x2028 || cp == 0x2029;
        size_t sp;
        int space = blank || space_at(from + i, n - i, &sp);
        if (space && !k)
            continue; /* white space at the start */
        if (k + (blank ? 1 : len) >= size)
            break;
        if (blank)
            out[k++] = ' ';
        else
            memcpy(out + k, from + i, len), k += len;
        kept++;
        if (!space)
            end = k;
    }
    out[end] = '\0';
    return strcmp(out, from) != 0;
}
