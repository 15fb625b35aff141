/*
 * manual_facets.h: the facet values that manual work gives a list's
 * quotes: the run codebook's rules applied to the manual quotes, then the
 * facet values of manual codings (table manual_facets) over every quote
 * inside their passages and the quote each coding is part of. Not part of
 * the public API.
 *
 * May include: kodbok.h, base/, store/, engine/, quotes/list.h,
 * quotes/facet_list.h, quotes/attributes.h.
 */
#ifndef KBI_QUOTES_MANUAL_FACETS_H
#define KBI_QUOTES_MANUAL_FACETS_H

#include "kodbok.h"

#include <stdint.h>

/* Gives the manual quotes their facet values by the run codebook's rules.
 * KB_EDB, KB_EFORMAT, KB_ENOMEM. */
int kbi_manual_facets_rules(kb_quote_list *l, kb_project *p, int64_t run,
                            kb_error *err);

/* Puts the facet values of manual codings over the rules' on the quotes
 * they reach (those of `document` only when the list holds no other).
 * KB_EDB, KB_ENOMEM. */
int kbi_manual_facets_apply(kb_quote_list *l, kb_project *p,
                            const char *document, kb_error *err);

#endif
