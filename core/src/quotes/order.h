/*
 * order.h: the order of a list's quotes: the automatic quotes put in the
 * order the documents are read in and cut from them (kbi_order_resolve),
 * then every quote in the list's order (document, position, codebook
 * order, end, source, coder), and a concept's place in codebook order.
 * Not part of the public API.
 *
 * May include: kodbok.h, base/, store/, quotes/list.h, quotes/words.h.
 */
#ifndef KBI_QUOTES_ORDER_H
#define KBI_QUOTES_ORDER_H

#include "kodbok.h"

/* The place of concept `id` among the run's concepts in codebook order
 * (the rows of a concept matrix), or their number for an id the run's
 * codebook does not have. */
size_t kbi_quote_list_concept_rank(const kb_quote_list *l, const char *id);

/* Cuts the automatic quotes out of their documents (span, kind, index,
 * speaker, case, text, words), putting them in the documents' order unless
 * the list is only counted. KB_EDB, KB_ENOMEM. */
int kbi_order_resolve(kb_quote_list *l, kb_project *p, kb_error *err);

/* Puts every quote in the list's order. KB_ENOMEM. */
int kbi_order_quotes(kb_quote_list *l, kb_error *err);

#endif
