/*
 * literals.h: required literals of a PCRE2 pattern, for the prefilter that
 * picks candidate concepts per segment from one scan of the text (and for
 * `codebook check`'s "no required literal" warning).
 */
#ifndef KBI_LITERALS_H
#define KBI_LITERALS_H

#include <stddef.h>

/* A set of strings such that every match of the pattern contains at least
 * one of them, case-folded with kbi_fold. n == 0: no such set. */
typedef struct kbi_literals {
    char **v;   /* case-folded, for the scan */
    char **raw; /* as written in the pattern, for a caseless PCRE2 locator */
    size_t n;
    int lead;   /* every match begins with one of them: none of the pattern
                 * but zero-width assertions comes before */
    int before; /* kbi_lit_before: what stands right before them in a match */
} kbi_literals;

/* What the pattern puts right before its literals in every match: a white
 * space character (\s, \s+), or a word boundary (\b). */
enum kbi_lit_before {
    KBI_LIT_ANY,
    KBI_LIT_AFTER_SPACE,
    KBI_LIT_AFTER_BOUNDARY
};

/*
 * Walks the pattern's syntax: literal runs, groups and alternations, with
 * quantifiers that make atoms optional; character classes, escapes like \w
 * and backreferences end a run; assertions and lookarounds are skipped.
 * Conservative: where it is unsure (extended mode, recursion, escapes it
 * does not know) it finds fewer literals, never wrong ones. Returns 0, or -1
 * when out of memory.
 */
int kbi_literals_extract(kbi_literals *out, const char *pattern);
void kbi_literals_clear(kbi_literals *l);

#endif
