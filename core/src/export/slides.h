/*
 * slides.h: the deck behind kb_slides_write (slides.c), for the tests that
 * look at it before it is written and for the quotes written as a document
 * (export.c), grouped as the slides are. Internal: not part of kodbok.h.
 */
#ifndef KBI_EXPORT_SLIDES_H
#define KBI_EXPORT_SLIDES_H

#include "export/deck.h"
#include "kodbok.h"

/*
 * Builds the deck kb_slides_write writes (caller frees with kbi_deck_free):
 * the title page, the overview table, then the quote slides. `opts` is as
 * for kb_slides_write (format, path and stream are not used). KB_EINVAL,
 * KB_ENOENT, KB_EDB, KB_ENOMEM.
 */
int kbi_slides_deck(kbi_deck **out, kb_project *p,
                    const kb_slides_options *opts, kb_error *err);

/* What a deck shows besides its quotes; any may be NULL (none). */
typedef struct kbi_slides_about {
    const kb_memo_list *memos;   /* the cells' leads; with opts->notes the
                                    codes' memos as speaker notes too */
    const kb_case_list *cases;   /* the background table's */
    const kb_codebook *codebook; /* the run's, for the structure figure */
} kbi_slides_about;

/*
 * The same deck of the quotes of `l` (the grouping of the slides, shared by
 * the manuscript documents of kb_quotes_write): `title` and `date` on its
 * title page unless opts has its own, and what `about` gives (NULL:
 * nothing). With `manuscript`, the deck has the overview and the quotes
 * only, each quote followed by its whole provenance, speaker and time, its
 * memo a level-2 paragraph below it. KB_EINVAL (bad options, no level
 * facet per theme and level, a label or background naming no case's
 * attribute), KB_ENOMEM.
 */
int kbi_slides_deck_of(kbi_deck **out, const kb_quote_list *l,
                       const kb_slides_options *opts,
                       const kbi_slides_about *about, int manuscript,
                       const char *title, const char *date, kb_error *err);

#endif
