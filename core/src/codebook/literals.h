/*
 * literals.h: required literals of a PCRE2 pattern, for the prefilter that
 * picks candidate concepts per segment from one scan of the text (and for
 * `codebook check`'s "no required literal" warning).
 */
#ifndef KB_LITERALS_H
#define KB_LITERALS_H

#include <stddef.h>

/* A set of strings such that every match of the pattern contains at least
 * one of them, case-folded with kb_fold. n == 0: no such set. */
typedef struct kb_literals {
    char **v;   /* case-folded, for the scan */
    char **raw; /* as written in the pattern, for a caseless PCRE2 locator */
    size_t n;
    int lead;   /* every match begins with one of them: none of the pattern
                 * but zero-width assertions comes before */
    int before; /* kb_lit_before: what stands right before them in a match */
} kb_literals;

/* What the pattern puts right before its literals in every match: a white
 * space character (\s, \s+), or a word boundary (\b). */
enum kb_lit_before { KB_LIT_ANY, KB_LIT_AFTER_SPACE, KB_LIT_AFTER_BOUNDARY };

/*
 * Walks the pattern's syntax: literal runs, groups and alternations, with
 * quantifiers that make atoms optional; character classes, escapes like \w
 * and backreferences end a run; assertions and lookarounds are skipped.
 * Conservative: where it is unsure (extended mode, recursion, escapes it
 * does not know) it finds fewer literals, never wrong ones. Returns 0, or -1
 * when out of memory.
 */
int kb_literals_extract(kb_literals *out, const char *pattern);
void kb_literals_clear(kb_literals *l);

#endif
