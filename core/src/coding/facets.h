/*
 * facets.h: facet values of the codings a run makes. The case attributes
 * the facets fall back on, a memo of the values per segment of the
 * document being settled (many concepts code the same segment), and the
 * recomputing of alive codings' facets when the facets' rules change.
 * Includes coding/context.h and coding/packs.h only of coding/.
 */
#ifndef KBI_CODING_FACETS_H
#define KBI_CODING_FACETS_H

#include "coding/context.h"

/* Reads every case attribute into c->attrs, by case and name. */
int kbi_facets_load_attrs(kbi_run_ctx *c);

/* Forgets the segments of the previous document, and makes room for
 * those of doc: a new generation, so that no slot is cleared and a re-run
 * that codes a few segments of a large document touches only theirs. */
int kbi_facets_reset(kbi_run_ctx *c, const kb_document *doc);

/* Gives the last coding of p the facet values of its segment (`index` of
 * `kind` in doc); `values` as a quote has them (engine.h), or 0. */
int kbi_facets_code(kbi_run_ctx *c, kbi_cpack *p, const kb_document *doc,
                    kb_segment_kind kind, size_t index, uint64_t values);

/* Recomputes the facets of every alive coding of a version made before
 * this run; a coding with a manual facet value keeps its values. */
int kbi_facets_refresh(kbi_run_ctx *c, int64_t vid, const char *name,
                       int version);

#endif
