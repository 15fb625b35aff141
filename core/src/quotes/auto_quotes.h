/*
 * auto_quotes.h: the automatic quotes of a run read into a quote list:
 * straight from the coding packs (store/codepack.h) with their facet values
 * and review columns, less the rejected ones; in a tally, those of one pack
 * with the same facet values as one row. Not part of the public API.
 *
 * May include: kodbok.h, base/, store/, manual/, quotes/list.h,
 * quotes/facet_list.h.
 */
#ifndef KBI_QUOTES_AUTO_QUOTES_H
#define KBI_QUOTES_AUTO_QUOTES_H

#include "kodbok.h"

#include <stdint.h>

/* Reads the document versions that have manual codings, whose automatic
 * quotes a tally does not group. KB_EDB, KB_ENOMEM. */
int kbi_auto_quotes_touched(kb_quote_list *l, kb_project *p, kb_error *err);

/* Appends the run's automatic quotes that pass filter f's document, code
 * and review filters, in coding id order, each with the segment id in
 * `start` until kbi_order_resolve. KB_EDB, KB_ENOMEM. */
int kbi_auto_quotes_load(kb_quote_list *l, kb_project *p, int64_t run,
                         const kb_quote_filter *f, kb_error *err);

#endif
