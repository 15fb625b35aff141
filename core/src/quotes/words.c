/*
 * words.c: counting and walking the words of a text (words.h): ASCII eight
 * bytes at a time, Latin-1 letters without utf8proc, the rest through it.
 */
#include "quotes/words.h"
#include "base/fold.h"
#include "base/utf8.h"

#include <stdint.h>
#include <utf8proc.h>

/* Is code point (or byte) c a word character, and how many bytes of s[i..n)
 * is it (0: invalid UTF-8)? ASCII letters and digits and U+00C0..U+00FF
 * (but x and /, U+00D7 and U+00F7) are told apart without utf8proc: they
 * are most of the text. */
static int word_char(const char *s, size_t i, size_t n, size_t *k)
{
    unsigned char b = (unsigned char)s[i];
    if (b < 0x80) {
        *k = 1;
        return (unsigned)((b | 0x20) - 'a') < 26u || (unsigned)(b - '0') < 10u;
    }
    if (b == 0xC3 && i + 1 < n && ((unsigned char)s[i + 1] & 0xC0) == 0x80) {
        *k = 2;
        return s[i + 1] != '\x97' && s[i + 1] != '\xB7';
    }
    utf8proc_int32_t cp;
    utf8proc_ssize_t len = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                            (utf8proc_ssize_t)(n - i), &cp);
    *k = len > 0 ? (size_t)len : 0;
    return len > 0 && kbi_utf8_is_word(cp);
}

/*
 * Calls fn(ctx, start, end, cp_start) for each word of s[0..n): a run of
 * letters, digits and marks, as byte offsets, with the code point offset of
 * its start. Stops at invalid UTF-8.
 */
void kbi_words_each(const char *s, size_t n, kbi_word_fn fn, void *ctx)
{
    size_t i = 0, cps = 0, start = 0, start_cp = 0, k;
    int in = 0;
    while (i < n) {
        int w = word_char(s, i, n, &k);
        if (!k)
            break;
        if (w && !in) {
            start = i;
            start_cp = cps;
        } else if (!w && in) {
            fn(ctx, start, i, start_cp);
        }
        in = w;
        i += k;
        cps++;
    }
    if (in)
        fn(ctx, start, i, start_cp);
}

/* The high bit of each byte of x (all below 0x80) that is in [lo, hi]. */
static uint64_t bytes_within(uint64_t x, unsigned lo, unsigned hi)
{
    const uint64_t ones = 0x0101010101010101ULL;
    return (x + (0x80 - lo) * ones) & ~(x + (0x7F - hi) * ones) &
           0x8080808080808080ULL;
}

/*
 * The words of s[0..n), as kbi_words_each finds them, counted eight bytes at a
 * time where those are ASCII (a word starts at each letter or digit after
 * a byte that is neither), one character at a time elsewhere.
 */
size_t kbi_words_count(const char *s, size_t n)
{
    size_t words = 0, i = 0, k;
    int in = 0;
    while (i < n) {
        if (i + 8 <= n) {
            uint64_t x = 0;
            for (int j = 7; j >= 0; j--) /* byte j in bits 8j..8j+7 */
                x = x << 8 | (unsigned char)s[i + (size_t)j];
            if (!(x & 0x8080808080808080ULL)) {
                uint64_t m = bytes_within(x | 0x2020202020202020ULL, 'a', 'z') |
                             bytes_within(x, '0', '9');
                uint64_t starts = m & ~(m << 8 | (in ? 0x80u : 0u));
                words +=
                    (size_t)(((starts >> 7) * 0x0101010101010101ULL) >> 56);
                in = (int)(m >> 63);
                i += 8;
                continue;
            }
        }
        int w = word_char(s, i, n, &k);
        if (!k)
            break;
        words += w && !in;
        in = w;
        i += k;
    }
    return words;
}
