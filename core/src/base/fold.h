/*
 * fold.h: case folding (Unicode full case folding) for matching without
 * regard to case, and the loose fold that compares a typed quote with a
 * stored text. Ground floor: includes nothing of kodbok but base/grow.h and
 * base/swar.h.
 */
#ifndef KBI_FOLD_H
#define KBI_FOLD_H

#include <stddef.h>

/*
 * Appends the case fold (Unicode full case folding, code point by code
 * point) of s[0..n) to *out (length *len, capacity *cap, kept terminated).
 * The prefilter folds pattern literals and segment text with it alike.
 * Returns 0, or -1 when out of memory.
 */
int kbi_fold(char **out, size_t *len, size_t *cap, const char *s, size_t n);

/* kbi_fold, also telling whether every code point folded to as many bytes
 * as it had (*same = 1): then byte offsets in the fold are those of s. */
int kbi_fold_text(char **out, size_t *len, size_t *cap, const char *s, size_t n,
                  int *same);

/*
 * Folds s[0..n) for comparing a typed quote with a stored text: case folded
 * as kbi_fold; every double quotation mark (" “ ” „ « » ″) becomes ", every
 * single one (' ‘ ’ ‚ ‹ › ′ ´ `) ', every dash and hyphen (- ‐ ‑ ‒ – — ―
 * −) -, and each run of white space (tab, line break, no-break and other
 * Unicode spaces) one space. *out (NUL-terminated) and *from are new
 * arrays: from[i] is the byte offset in s of the code point that gave byte
 * i of the fold, and from[*len] is n. Returns 0, or -1 when out of memory.
 */
int kbi_fold_loose(char **out, size_t *len, size_t **from, const char *s,
                   size_t n);

#endif
