/*
 * aggregate.h: what aggregate.c shares with the exports built on quote
 * lists (export/slides.c). Not part of the public API.
 */
#ifndef KBI_AGGREGATE_H
#define KBI_AGGREGATE_H

#include "kodbok.h"

/*
 * Is `value` one of the values in `list`, a quote's facet values as
 * kb_quote_row.facets holds them ("regional,lokal")? NULL is no value.
 */
int kbi_facet_listed(const char *list, const char *value);

/* The place of concept `id` among the run's concepts in codebook order
 * (the rows of a concept matrix), or their number for an id the run's
 * codebook does not have. */
size_t kbi_quote_list_concept_rank(const kb_quote_list *l, const char *id);

/* Was the list read for counting only (kb_quote_filter.counts_only), so
 * that it has no texts and no order to show? */
int kbi_quote_list_counts_only(const kb_quote_list *l);

/*
 * The quotes of run `run` (0: the last) to be counted by concept, theme,
 * dimension or facet value, as kb_project_quotes lists them with
 * counts_only and skip_words, but quicker and in less memory: the
 * automatic quotes of a version without manual codings (which nothing
 * merges into and no manual facet value reaches) are not cut from their
 * document, and those of one pack with the same facet values are one row
 * that stands for kbi_quote_list_weight quotes.
 */
int kbi_project_quote_tally(kb_quote_list **out, kb_project *p, int64_t run,
                            kb_error *err);

/* How many quotes row i of a list stands for: 1 but in a tally. */
size_t kbi_quote_list_weight(const kb_quote_list *l, size_t i);

#endif
