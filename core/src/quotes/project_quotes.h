/*
 * project_quotes.h: a run's quote list built (kb_project_quotes, declared
 * in kodbok.h), and read as a tally for counting; what a built list says
 * of how it was read. Not part of the public API.
 *
 * May include: kodbok.h, base/, store/, manual/, quotes/ but
 * quotes/counts.h and quotes/matrix.h.
 */
#ifndef KBI_QUOTES_PROJECT_QUOTES_H
#define KBI_QUOTES_PROJECT_QUOTES_H

#include "kodbok.h"

#include <stdint.h>

/*
 * The quotes of run `run` (0: the last) to be counted by concept, theme,
 * dimension or facet value, as kb_project_quotes lists them with
 * counts_only and skip_words, but quicker and in less memory: the
 * automatic quotes of a version without manual codings (which nothing
 * merges into and no manual facet value reaches) are not cut from their
 * document, and those of one pack with the same facet values are one row
 * that stands for kb_quote_list_weight quotes. With `codes_only` (counts
 * by dimension, theme or concept: rows without facet values) of the latest
 * run, such a pack is read from its row's count of alive codings, not
 * decoded.
 */
int kbi_project_quote_tally(kb_quote_list **out, kb_project *p, int64_t run,
                            int codes_only, kb_error *err);

/* The whole list of the pages' filter (kb_project_quotes), for a writer
 * that needs every quote at once. */
int kbi_quote_pages_whole(kb_quote_list **out, kb_quote_pages *pg,
                          kb_error *err);

/* While `on`, each page is read by a thread of its own while the caller
 * works on the one before (two lists in turn), so that reading and writing
 * overlap. The caller uses the project for nothing else meanwhile (its
 * connection is the reading thread's): a writer of pages turns it on for
 * its own loop and off before it returns. KB_ENOMEM, KB_EDB. */
int kbi_quote_pages_ahead(kb_quote_pages *pg, int on, kb_error *err);

/* The pages' quotes as a list to count by code, facet value or document
 * (kb_quote_filter.counts_only, and `grouped` as kb_quote_filter's). */
int kbi_quote_pages_tally(kb_quote_list **out, kb_quote_pages *pg, int grouped,
                          kb_error *err);

/* Was the list read for counting only (kb_quote_filter.counts_only), so
 * that it has no texts and no order to show? */
int kbi_quote_list_counts_only(const kb_quote_list *l);

#endif
