/*
 * pptx.h: a deck (deck.h) as a PowerPoint file (pptx.c, with base/zipwrite and
 * libxml2). May include: base/, export/deck.h.
 */
#ifndef KBI_EXPORT_PPTX_H
#define KBI_EXPORT_PPTX_H

#include "export/deck.h"
#include "kodbok.h"

/*
 * Writes the deck as a PowerPoint file (Office Open XML, 16:9) at `path`,
 * replacing it only once complete (a device or FIFO gets the bytes, a
 * symbolic link's target is replaced; kbi_file_write_atomic). KB_EIO,
 * KB_ENOMEM.
 */
int kbi_deck_write_pptx(const kbi_deck *d, const char *path, kb_error *err);

#endif
