/*
 * engine.h: matching a codebook's concepts against a document's segments.
 * A quote is the scope segment holding a match; several matches of one
 * concept in one segment are one quote. Facet values are matched inside a
 * quote's segment.
 */
#ifndef KBI_ENGINE_H
#define KBI_ENGINE_H

#include "kodbok.h"

#include <stddef.h>
#include <stdint.h>

typedef struct kbi_quote {
    size_t concept;       /* node index in the codebook */
    kb_segment_kind kind; /* the concept's scope */
    size_t segment;       /* index among the document's segments of kind */
    size_t mstart, mend;  /* code points of the first match */
    uint64_t values;      /* the facet values matching in the segment */
} kbi_quote;

/*
 * kbi_quote.values: when KBI_VALUES_KNOWN is set, bit i tells whether the
 * i-th facet value with patterns (in codebook order) matches in the
 * quote's segment, so that storing the quote runs no pattern. A codebook
 * with more such values than KBI_VALUES_MAX leaves it 0.
 */
#define KBI_VALUES_KNOWN ((uint64_t)1 << 63)
#define KBI_VALUES_MAX   63

typedef struct kbi_quotes {
    kbi_quote *v;
    size_t n, cap;
} kbi_quotes;

/* A pattern that hit PCRE2's match or depth limit on a segment. */
typedef struct kbi_limit_hit {
    size_t concept; /* node index */
    const char *pattern;
    kb_segment_kind kind;
    size_t segment;
    size_t start; /* code point where the segment starts */
} kbi_limit_hit;

typedef void (*kbi_limit_fn)(void *ctx, const kbi_limit_hit *hit);

typedef struct kbi_engine kbi_engine;

/* Up to this many concepts (a re-run after a few edits), matching them
 * directly beats a pass of the prefilter over every segment. */
#define KBI_FEW_CONCEPTS 8

/* The match limit per pattern and segment (PCRE2 match_limit). */
#define KBI_MATCH_LIMIT 1000000

/*
 * JIT-compiles the patterns a run is about to match: those of the concepts
 * marked in `concepts` (by node index; NULL for every concept) and those of
 * every facet value. A codebook is loaded without, since most commands
 * match nothing and a re-run only what changed, and compiling every
 * pattern costs more than such a command. Patterns left out run in PCRE2's
 * interpreter, with the same matches. It changes the codebook's compiled
 * patterns, so it runs before any engine matches on another thread.
 */
void kbi_engine_jit(const kb_codebook *cb, const unsigned char *concepts);

/*
 * Prepares matching for a codebook (which must outlive the engine). With
 * `naive` set, every pattern runs on every segment: the oracle the tests
 * hold the prefiltered engine to.
 */
int kbi_engine_new(kbi_engine **out, const kb_codebook *cb, int naive,
                   kb_error *err);
void kbi_engine_free(kbi_engine *e);

/* Gives back the scratch a large document made the engine keep (its fold,
 * literal hits, quotes in order), so that of several engines only those
 * matching hold such room. */
void kbi_engine_trim(kbi_engine *e);

/*
 * Appends to *out the quotes of the concepts whose entry in `mask` (one per
 * codebook node) is non-zero, in order of concept then segment. Limit hits
 * are reported to on_limit (may be NULL) and count as no match.
 */
int kbi_engine_code(kbi_engine *e, const kb_document *doc,
                    const unsigned char *mask, kbi_quotes *out,
                    kbi_limit_fn on_limit, void *ctx, kb_error *err);

/*
 * Where the required literals of concept `ci` occur in text[0..len): their
 * byte offsets in order, overlapping ones too, appended to *offs (caller
 * frees). Every match of the concept in any segment of the text contains
 * one of them, so a segment with none cannot be a quote. Found with a
 * caseless PCRE2 pattern per literal as written (one of them all, when
 * there are many), each offset given once. Returns 1 when
 * located, 0 when the concept has a pattern without literals (nothing to
 * locate by), or a negative code.
 */
int kbi_engine_locate(kbi_engine *e, size_t ci, const char *text, size_t len,
                      size_t **offs, size_t *n, size_t *cap, kb_error *err);

/*
 * Like kbi_engine_code for one concept, on the segments of its scope whose
 * indexes are listed (sorted); appends quotes in that order.
 */
int kbi_engine_code_at(kbi_engine *e, const kb_document *doc, size_t ci,
                       const size_t *seqs, size_t nseqs, kbi_quotes *out,
                       kbi_limit_fn on_limit, void *ctx, kb_error *err);

/*
 * kbi_engine_code for the concepts marked in `mask`, on only the segments
 * of each one's scope that hold one of its literals (kbi_engine_locate,
 * then kbi_document_segments_at): for a few concepts on a document loaded
 * without its segment kinds, which are then read only where needed. *done
 * is 0 when a concept has nothing to locate by (or none is marked): the
 * quotes appended are then incomplete, and the caller drops them and
 * matches the usual way (kbi_document_need, kbi_engine_code).
 */
int kbi_engine_code_located(kbi_engine *e, kb_document *doc,
                            const unsigned char *mask, kbi_quotes *out,
                            kbi_limit_fn on_limit, void *ctx, int *done,
                            kb_error *err);

/* A case's attribute `name`, or NULL (for kbi_engine_facets). */
typedef const char *(*kbi_attr_fn)(void *ctx, const char *name);
/* One facet value of a passage; `source` is "pattern", "attribute" or
 * "default". Non-zero stops kbi_engine_facets and is returned. */
typedef int (*kbi_facet_fn)(void *ctx, const char *facet, const char *value,
                            const char *source);

/*
 * The facet values of the passage text[0..len) by the precedence rule
 * (docs/codebook.md) after a manual tag: every value whose patterns match
 * in it (a limit hit is no match), else the value the case attribute names
 * (by id or label, caseless), else the facet's default. Gives each to emit.
 * `values` is a quote's (KBI_VALUES_KNOWN: which values match is known), or
 * 0 to match them here.
 */
int kbi_engine_facets(kbi_engine *e, const char *text, size_t len,
                      uint64_t values, kbi_attr_fn attr, kbi_facet_fn emit,
                      void *ctx);

#endif
