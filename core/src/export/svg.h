/*
 * svg.h: what the SVG figures (structure.c, heatmap.c, a deck's figure
 * pages in slides_md.c) share (svg.c): the font they name, the estimate of
 * a label's width in it, the root element with its title and white ground,
 * and the document written out.
 *
 * May include: base/.
 */
#ifndef KBI_EXPORT_SVG_H
#define KBI_EXPORT_SVG_H

#include "base/xml.h"

#include <stddef.h>
#include <stdio.h>

/* The font-family of every SVG figure: Helvetica and its stand-ins. */
#define KBI_SVG_FONT_FAMILY                                                    \
    "Helvetica, Arial, 'Liberation Sans', 'DejaVu Sans', sans-serif"

/* The estimated width of s[0..n) (UTF-8) in thousandths of an em, at least
 * what DejaVu Sans, the widest of KBI_SVG_FONT_FAMILY, needs; bold with
 * `bold`. */
long kbi_svg_text_width(const char *s, size_t n, int bold);

/* Opens the <svg> root of a figure w by h user units, shown as w and h of
 * `unit` ("" for pixels, "pt" for points), with the font family, a font
 * size, a <title> and a white ground. */
void kbi_svg_open(kbi_xml *s, int w, int h, const char *unit, int font_size,
                  const char *title);

/* Closes what is open, writes the document to `out` and frees s: 0,
 * KB_ENOMEM or KB_EIO. */
int kbi_svg_finish(kbi_xml *s, FILE *out);

#endif
