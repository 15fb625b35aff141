/*
 * slides.h: the deck behind kb_slides_write (slides.c), for the tests that
 * look at it before it is written and for the quotes written as a document
 * (export.c), grouped as the slides are. Internal: not part of kodbok.h.
 */
#ifndef KBI_EXPORT_SLIDES_H
#define KBI_EXPORT_SLIDES_H

#include "export/deck.h"

/*
 * Builds the deck kb_slides_write writes (caller frees with kbi_deck_free):
 * the title page, the overview table, then the quote slides. `opts` is as
 * for kb_slides_write (format, path and stream are not used). KB_EINVAL,
 * KB_ENOENT, KB_EDB, KB_ENOMEM.
 */
int kbi_slides_deck(kbi_deck **out, kb_project *p,
                    const kb_slides_options *opts, kb_error *err);

/*
 * The same deck of the quotes of `l` (the grouping of the slides, shared by
 * the manuscript documents of kb_quotes_write): `title` and `date` on its
 * title page unless opts has its own; the memos on the slides' cells as
 * their leads and, with opts->notes, those on their codes as speaker notes
 * (`memos` NULL: none); the background table of `cases` (NULL: none). With
 * `manuscript`, the deck has the overview and the quotes only, each quote
 * followed by its whole provenance, speaker and time, its memo a level-2
 * paragraph below it. KB_EINVAL (bad options, no level facet per theme and
 * level, a label or background naming no case's attribute), KB_ENOMEM.
 */
int kbi_slides_deck_of(kbi_deck **out, const kb_quote_list *l,
                       const kb_slides_options *opts, const kb_memo_list *memos,
                       const kb_case_list *cases, int manuscript,
                       const char *title, const char *date, kb_error *err);

#endif
