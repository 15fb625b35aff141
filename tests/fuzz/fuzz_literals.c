/*
 * fuzz_literals.c: fuzz target for the required-literal extractor
 * (codebook/literals.c), against PCRE2 itself. An input is a flags byte
 * (bit 0: caseless), a pattern up to the first NUL and a subject after it.
 * The extractor must take any pattern; for one that compiles, whenever it
 * matches the (NFC) subject, one of its literals must occur in the
 * subject's fold, at a place whose neighbour fits what the pattern puts
 * before it, and at the match's start when they lead: what the engine's
 * prefilter relies on (engine.c), so that it never loses a quote. A
 * libFuzzer target, or a replay of saved inputs (fuzz.h).
 */
#define _GNU_SOURCE /* memmem */
#include "fuzz.h"

#include "base/fold.h"
#include "codebook/codebook.h"
#include "codebook/literals.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

static int ascii_word(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_';
}

/* The oracle of engine.c's fits_before: can a literal at byte pos of s
 * stand after what `before` asks? Only a sure no is 0. */
static int fits(int before, const char *s, size_t pos)
{
    if (before == KBI_LIT_ANY)
        return 1;
    if (!pos)
        return before != KBI_LIT_AFTER_SPACE;
    unsigned char b = (unsigned char)s[pos - 1], c = (unsigned char)s[pos];
    if (b >= 0x80)
        return 1;
    if (before == KBI_LIT_AFTER_SPACE)
        return b == ' ' || b == '\t' || b == '\n' || b == '\v' || b == '\f' ||
               b == '\r';
    return c >= 0x80 || ascii_word(b) != ascii_word(c);
}

/* Checks the literals of a pattern that matched subject s[0..n) at byte
 * `start`. */
static void check_match(const kbi_literals *l, const char *s, size_t n,
                        size_t start)
{
    char *fold = NULL;
    size_t flen = 0, fcap = 0;
    int same;
    if (kbi_fold_text(&fold, &flen, &fcap, s, n, &same))
        abort();
    int found = 0, at_start = 0;
    for (size_t k = 0; k < l->n; k++) {
        size_t m = strlen(l->v[k]);
        for (const char *h = fold;
             m && (h = memmem(h, flen - (size_t)(h - fold), l->v[k], m)); h++) {
            size_t pos = (size_t)(h - fold);
            if (same && !fits(l->before, s, pos))
                continue;
            found = 1;
            at_start |= pos == start;
        }
    }
    fuzz_check(found, "a match holds one of the pattern's literals");
    if (same && l->lead)
        fuzz_check(at_start, "a match begins with a literal that leads");
    free(fold);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    int caseless = data[0] & 1;
    const uint8_t *nul = memchr(data + 1, 0, size - 1);
    size_t plen = nul ? (size_t)(nul - data - 1) : size - 1;
    char *pat = strndup((const char *)data + 1, plen);
    if (!pat)
        abort();
    kbi_literals l;
    if (kbi_literals_extract(&l, pat))
        abort();
    kbi_literals_clear(&l);
    pcre2_code *re;
    char *nfc = NULL;
    int ec;
    size_t off;
    int rc = kbi_pattern_compile(&re, &nfc, pat, caseless, &ec, &off);
    free(pat);
    if (rc) {
        free(nfc);
        return 0;
    }
    if (kbi_literals_extract(&l, nfc))
        abort();
    free(nfc);
    for (size_t k = 0; k < l.n; k++)
        fuzz_check(l.v[k] && l.v[k][0] && l.raw[k] && l.raw[k][0],
                   "a literal is a string that is not empty");
    utf8proc_uint8_t *subject = NULL;
    utf8proc_ssize_t n =
        nul ? utf8proc_map(nul + 1, (utf8proc_ssize_t)(size - plen - 2),
                           &subject, UTF8PROC_STABLE | UTF8PROC_COMPOSE)
            : -1;
    if (n >= 0 && l.n) {
        pcre2_match_context *mc = pcre2_match_context_create(NULL);
        pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
        if (!mc || !md)
            abort();
        pcre2_set_match_limit(mc, 100000);
        pcre2_set_depth_limit(mc, 10000);
        if (pcre2_match(re, subject, (size_t)n, 0, 0, md, mc) > 0)
            check_match(&l, (const char *)subject, (size_t)n,
                        pcre2_get_ovector_pointer(md)[0]);
        pcre2_match_data_free(md);
        pcre2_match_context_free(mc);
    }
    free(subject);
    kbi_literals_clear(&l);
    pcre2_code_free(re);
    return 0;
}
