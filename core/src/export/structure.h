/*
 * structure.h: the Gioia data-structure figure as SVG: kb_structure_write of
 * kodbok.h (structure.c), which need nothing more here. May include: base/,
 * export/svg.h.
 */
#ifndef KBI_STRUCTURE_H
#define KBI_STRUCTURE_H

#include "kodbok.h"

#endif
