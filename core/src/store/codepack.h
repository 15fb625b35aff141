/*
 * codepack.h: the codings of one concept on one document version that one
 * run began, packed into one blob (coding_packs.codings, docs/schema.md).
 *
 * A full run makes a coding every few hundred bytes of text; as rows of
 * `codings` and `coding_facets` they cost more to store than the matching
 * that found them. Packed per (version, concept, run), a pack holds the
 * codings of one concept on one version, written and read whole.
 *
 * Layout: the byte 'C', the format byte 1, the number of codings and of
 * strings as unsigned LEB128 varints (varint.h), the strings (facet and
 * value ids), each its byte length, its bytes and a NUL, then the codings
 * in segment order. A coding is: its segment id less the previous coding's
 * (the first: the id itself), its match start less the previous coding's
 * (zigzag, so it may go back), the match length, to_run (0 while alive),
 * its number of facet values, and per value the facet's string, the
 * value's string and the source (kbi_fsource).
 */
#ifndef KBI_CODEPACK_H
#define KBI_CODEPACK_H

#include "kodbok.h"

#include <stddef.h>
#include <stdint.h>

/* Where a facet value came from (docs/codebook.md, the precedence rule). */
typedef enum kbi_fsource {
    KBI_FSRC_MANUAL,
    KBI_FSRC_PATTERN,
    KBI_FSRC_ATTRIBUTE,
    KBI_FSRC_DEFAULT
} kbi_fsource;

/* "manual", "pattern", "attribute", "default"; NULL for another number. */
const char *kbi_fsource_name(int source);
/* The source named so, or -1. */
int kbi_fsource_parse(const char *name);

typedef struct kbi_cfacet {
    const char *facet, *value;
    int source; /* kbi_fsource */
} kbi_cfacet;

typedef struct kbi_centry {
    int64_t segment;      /* segment id (docs/schema.md) */
    int64_t mstart, mend; /* the first match, code points of the text */
    int64_t to_run;       /* 0 while alive */
    size_t fat, fn;       /* its facet values: f[fat .. fat + fn) */
} kbi_centry;

/* A pack being built or read. Decoded strings point into `blob`, a copy. */
typedef struct kbi_cpack {
    kbi_centry *v;
    size_t n, cap;
    kbi_cfacet *f;
    size_t nf, capf;
    unsigned char *blob;
    size_t blobcap;
} kbi_cpack;

/* The most codings a pack holds: their ids are the pack's id times this
 * plus their place in it (kbi_coding_id). */
#define KBI_CPACK_MAX ((size_t)1 << 24)

/* The id the `codings` table shows for entry i of pack `pack`. */
static inline int64_t kbi_coding_id(int64_t pack, size_t i)
{
    return pack * (int64_t)KBI_CPACK_MAX + (int64_t)i;
}

/* Appends a coding without facet values (strings are borrowed until the
 * pack is encoded). Returns 0 or KB_ENOMEM. */
int kbi_cpack_add(kbi_cpack *p, int64_t segment, int64_t mstart, int64_t mend,
                  int64_t to_run, kb_error *err);
/* Appends a facet value to the last coding. 0 or KB_ENOMEM. */
int kbi_cpack_facet(kbi_cpack *p, const char *facet, const char *value,
                    int source, kb_error *err);

/* The pack as a new blob (caller frees). KB_EINVAL when the codings are not
 * in segment order, KB_ENOMEM. */
int kbi_cpack_encode(const kbi_cpack *p, unsigned char **out, size_t *len,
                     kb_error *err);
/* Replaces the pack's codings with those of blob[0..len). KB_EDB when it is
 * not a coding pack. */
int kbi_cpack_decode(kbi_cpack *p, const void *blob, size_t len, kb_error *err);

/* The number of codings in an encoded pack, read from its head: 0, or
 * KB_EDB when it is not a coding pack. */
int kbi_cpack_count(const void *blob, size_t len, size_t *n, kb_error *err);

/* How many of the pack's codings are alive (to_run 0): its alive column,
 * their number in the latest run. */
size_t kbi_cpack_alive(const kbi_cpack *p);

/* The pack's to_run column: 0 (NULL) while one of its codings is alive,
 * else the last run any of them was alive in. */
int64_t kbi_cpack_to_run(const kbi_cpack *p);

/* Empties the pack, keeping its memory. */
void kbi_cpack_reset(kbi_cpack *p);
void kbi_cpack_free(kbi_cpack *p);

#endif
