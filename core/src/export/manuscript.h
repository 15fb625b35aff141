/*
 * manuscript.h: a deck (deck.h) written as a document to paste into a
 * manuscript, as Word (OOXML WordprocessingML, .docx) or OpenDocument text
 * (.odt), by libzip (base/zipwrite) and libxml2 (base/xml): the title page
 * as a title, subtitle and date, each slide a level-1 heading, a table
 * slide a table, a level-0 paragraph (a first-order concept) a level-2
 * heading, a level-1 paragraph (a quote) an indented quotation and a
 * level-2 paragraph (its memo) a smaller one below it. Slides are written
 * as they are, not paginated. Runs keep their bold and italics, and the
 * text its every character (ODF's collapsible spaces written as <text:s/>).
 * Internal: not part of kodbok.h. May include: base/, export/deck.h.
 */
#ifndef KBI_EXPORT_MANUSCRIPT_H
#define KBI_EXPORT_MANUSCRIPT_H

#include "export/deck.h"

#include <stdio.h>

/* The deck as a DOCX package written to f. KB_ENOMEM, KB_EIO. */
int kbi_deck_write_docx(const kbi_deck *d, FILE *f, kb_error *err);

/* The deck as an ODT package written to f. KB_ENOMEM, KB_EIO. */
int kbi_deck_write_odt(const kbi_deck *d, FILE *f, kb_error *err);

#endif
