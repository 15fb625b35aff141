/*
 * filter.h: a kb_quote_filter checked against the run and the project (a
 * name it has not is an error, not an empty list) and applied to the
 * quotes once they have their cases, sources and facet values (the code,
 * document, coder and review filters are applied as the quotes are read).
 * Not part of the public API.
 *
 * May include: kodbok.h, base/, store/, quotes/list.h, quotes/facet_list.h,
 * quotes/attributes.h.
 */
#ifndef KBI_QUOTES_FILTER_H
#define KBI_QUOTES_FILTER_H

#include "kodbok.h"

#include <stdint.h>

/* KB_ENOENT for a code filter the run's codebook does not have. */
int kbi_filter_check_codes(const kb_quote_list *l, const kb_quote_filter *f,
                           int64_t run, kb_error *err);

/* KB_ENOENT for a facet, facet value, document or case the filter names
 * but the run or the project does not have; KB_EDB. */
int kbi_filter_check_names(const kb_quote_list *l, kb_project *p, int64_t run,
                           const kb_quote_filter *f, kb_error *err);

/* Drops the quotes that fail the case, source, attribute and facet
 * filters. */
int kbi_filter_late(kb_quote_list *l, const kb_quote_filter *f, kb_error *err);

#endif
