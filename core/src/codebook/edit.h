/*
 * edit.h: a codebook file changed in place as a minimal edit
 * (edit.c): kb_codebook_set_patterns in kodbok.h, a concept's patterns
 * replaced with every other byte of the file kept.
 *
 * May include: kodbok.h, base/, codebook/codebook.h, codebook/rule.h.
 */
#ifndef KBI_CODEBOOK_EDIT_H
#define KBI_CODEBOOK_EDIT_H

#include "kodbok.h"

#endif
