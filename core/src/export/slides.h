/*
 * slides.h: the deck behind kb_slides_write (slides.c), for the tests that
 * look at it before it is written. Internal: not part of kodbok.h.
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

#endif
