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
#ifndef KBI_LITSCAN_H
#define KBI_LITSCAN_H

#include <stddef.h>
#include <stdint.h>

typedef struct kbi_lits kbi_lits;

/* Bytes a scanned text must have readable after its end. */
#define KBI_LITS_PAD 8

typedef struct kbi_lit_hit {
    size_t at;    /* byte offset of the occurrence */
    uint32_t lit; /* which literal (kbi_lits_ids gives its ids) */
} kbi_lit_hit;

typedef struct kbi_lit_hits {
    kbi_lit_hit *v;
    size_t n, cap;
} kbi_lit_hits;

/* An empty set; add literals, then kbi_lits_compile. NULL when out of
 * memory. */
kbi_lits *kbi_lits_new(void);
/* Adds literal s[0..n) (n > 0) for `id`; a literal added again for another
 * id is one literal with both ids. 0, or -1 when out of memory. */
int kbi_lits_add(kbi_lits *l, const char *s, size_t n, uint32_t id);
/* Builds the tables. 0 or -1. */
int kbi_lits_compile(kbi_lits *l);
void kbi_lits_free(kbi_lits *l);

/* How many distinct literals there are (0: a scan finds nothing). */
size_t kbi_lits_count(const kbi_lits *l);

/* Appends every occurrence of every literal in s[0..n) (overlapping ones
 * too) to *out, in order of position (then of literal). s must have
 * KBI_LITS_PAD readable bytes after n. 0, or -1 when out of memory. */
int kbi_lits_scan(const kbi_lits *l, const char *s, size_t n,
                  kbi_lit_hits *out);

/* The ids literal `lit` was added for. */
const uint32_t *kbi_lits_ids(const kbi_lits *l, uint32_t lit, size_t *n);

#endif
