/*
 * litscan.h: finding where any of many literals occurs in a text, for the
 * prefilter that picks candidate concepts (and facet values) per segment.
 *
 * A scan looks at every position through a window of the next few bytes
 * (the shortest literal's length, at most eight): a hash of the window tests
 * one bit of a table of 65,536 bits that the literals' first bytes set. The
 * table fits the first-level cache and positions do not depend on one
 * another, so the test costs about a cycle a byte; the few positions whose
 * bit is set are checked against the literals with that prefix.
 */
#ifndef KB_LITSCAN_H
#define KB_LITSCAN_H

#include <stddef.h>
#include <stdint.h>

typedef struct kb_lits kb_lits;

/* Bytes a scanned text must have readable after its end. */
#define KB_LITS_PAD 8

typedef struct kb_lit_hit {
    size_t at;    /* byte offset of the occurrence */
    uint32_t lit; /* which literal (kb_lits_ids gives its ids) */
} kb_lit_hit;

typedef struct kb_lit_hits {
    kb_lit_hit *v;
    size_t n, cap;
} kb_lit_hits;

/* An empty set; add literals, then kb_lits_compile. NULL when out of
 * memory. */
kb_lits *kb_lits_new(void);
/* Adds literal s[0..n) (n > 0) for `id`; a literal added again for another
 * id is one literal with both ids. 0, or -1 when out of memory. */
int kb_lits_add(kb_lits *l, const char *s, size_t n, uint32_t id);
/* Builds the tables. 0 or -1. */
int kb_lits_compile(kb_lits *l);
void kb_lits_free(kb_lits *l);

/* How many distinct literals there are (0: a scan finds nothing). */
size_t kb_lits_count(const kb_lits *l);

/* Appends every occurrence of every literal in s[0..n) (overlapping ones
 * too) to *out, in order of position (then of literal). s must have
 * KB_LITS_PAD readable bytes after n. 0, or -1 when out of memory. */
int kb_lits_scan(const kb_lits *l, const char *s, size_t n, kb_lit_hits *out);

/* The ids literal `lit` was added for. */
const uint32_t *kb_lits_ids(const kb_lits *l, uint32_t lit, size_t *n);

#endif
