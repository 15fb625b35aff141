/*
 * json.c: kb_json_quote, the one JSON string escaper. The library's table
 * writer and the CLI's JSON writer both use it, so every JSON kodbok writes
 * escapes strings the same way.
 *
 * Invariant: the output is always a valid JSON string in valid UTF-8, even
 * when the input is not valid UTF-8 (bad bytes become U+FFFD).
 */
#include "error.h"

#include <stdio.h>
#include <utf8proc.h>

int kb_json_quote(FILE *f, const char *s, size_t n, kb_error *err)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t run = 0; /* start of the bytes not yet written */
    fputc('"', f);
    for (size_t i = 0; i < n;) {
        unsigned char c = p[i];
        if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0x80) {
            utf8proc_int32_t cp;
            utf8proc_ssize_t k = utf8proc_iterate(
                p + i, (utf8proc_ssize_t)(n - i > 4 ? 4 : n - i), &cp);
            if (k > 0) {
                i += (size_t)k; /* valid: copied as it is */
                continue;
            }
        }
        fwrite(p + run, 1, i - run, f);
        if (c >= 0x80)
            fputs("\xEF\xBF\xBD", f); /* U+FFFD for a bad byte */
        else if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c == '\n')
            fputs("\\n", f);
        else if (c == '\t')
            fputs("\\t", f);
        else if (c == '\r')
            fputs("\\r", f);
        else
            fprintf(f, "\\u%04x", c);
        i++;
        run = i;
    }
    fwrite(p + run, 1, n - run, f);
    fputc('"', f);
    if (ferror(f))
        return kb_fail(err, KB_EIO, "writing JSON failed");
    return 0;
}
