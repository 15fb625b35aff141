/*
 * slides_md.h: a deck (deck.h) as Markdown for Marp and Pandoc
 * (slides_md.c). May include: base/, export/deck.h, export/svg.h.
 */
#ifndef KBI_EXPORT_SLIDES_MD_H
#define KBI_EXPORT_SLIDES_MD_H

#include "export/deck.h"
#include "kodbok.h"

#include <stdio.h>

/*
 * Writes the deck as Markdown for Marp (front matter `marp: true`, `---`
 * between slides) and Pandoc (each slide under a level-1 heading). KB_EIO.
 */
int kbi_deck_write_md(const kbi_deck *d, FILE *f, kb_error *err);

#endif
