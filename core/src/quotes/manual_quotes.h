/*
 * manual_quotes.h: the manual quotes of a list (tags and review
 * acceptances): each placed on the segment of its concept's scope, those
 * of one code on one segment made one quote, and one on the segment of an
 * automatic quote of its concept made part of that quote. Not part of the
 * public API.
 *
 * May include: kodbok.h, base/, store/, quotes/list.h, quotes/words.h.
 */
#ifndef KBI_QUOTES_MANUAL_QUOTES_H
#define KBI_QUOTES_MANUAL_QUOTES_H

#include "kodbok.h"

#include <stdint.h>

/* Appends the manual quotes of the documents' current versions that pass
 * filter f's coder, document and code filters, each with its case,
 * speaker and words. KB_EDB, KB_EFORMAT, KB_ENOMEM. */
int kbi_manual_quotes_load(kb_quote_list *l, kb_project *p, int64_t run,
                           const kb_quote_filter *f, kb_error *err);

/* Makes each manual quote on the segment of an automatic quote of its
 * concept part of it (the automatic quotes resolved). KB_ENOMEM. */
int kbi_manual_quotes_fold(kb_quote_list *l, kb_error *err);

#endif
