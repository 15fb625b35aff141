/*
 * anchor.h: a passage placed in a document and anchored by its text and
 * context, and found again in a new version of the text (anchor.c). May
 * include: base/, store/.
 */
#ifndef KBI_ANCHOR_H
#define KBI_ANCHOR_H

#include "kodbok.h"

#include <stddef.h>

/* How many code points of context are kept on each side of a passage. */
#define KBI_CONTEXT_CHARS 40

/* A passage placed in a document's text: code points and bytes. */
typedef struct kbi_place {
    size_t start, end;   /* code points, end exclusive */
    size_t bstart, bend; /* the same span in bytes */
} kbi_place;

/*
 * Places `at` in a loaded document (of name `doc` in messages): a quote's
 * nth occurrence, a span in code points, or a segment. Fails with
 * KB_ENOENT (a quote that does not occur, or fewer than nth times; no such
 * segment) or KB_EINVAL (a quote occurring more than once without nth, a
 * span outside the text or splitting a character from its combining mark,
 * an empty passage).
 */
int kbi_place_find(kbi_place *out, kb_document *d, const kb_where *at,
                   kb_error *err);

/*
 * A manual coding's anchor: its exact text and up to KBI_CONTEXT_CHARS code
 * points before and after it, cut from `text` (new strings, caller frees
 * with kbi_anchor_clear).
 */
typedef struct kbi_anchor {
    char *quote, *before, *after;
} kbi_anchor;
int kbi_anchor_make(kbi_anchor *out, const char *text, size_t len,
                    const kbi_place *pl, kb_error *err);
void kbi_anchor_clear(kbi_anchor *a);

/* The start of a passage s[0..n) for messages: at most 60 code points on
 * one line, "…" when cut. */
void kbi_anchor_excerpt(char out[256], const char *s, size_t n);

/*
 * Finds a quote again in a new text: every occurrence of a->quote is a
 * candidate; the one whose surroundings share the most with a->before and
 * a->after wins, then the one nearest `hint` (a byte offset). Returns 1 and
 * fills *out when placed, 0 when the quote no longer occurs.
 */
int kbi_anchor_place(kbi_place *out, const char *text, size_t len,
                     const kbi_anchor *a, size_t hint);

#endif
