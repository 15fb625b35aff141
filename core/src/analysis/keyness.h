/*
 * keyness.h: keyness as corpus linguistics reports it (keyness.c):
 * kb_keyness_compute in kodbok.h, which needs nothing more here.
 *
 * May include: kodbok.h, base/.
 */
#ifndef KBI_ANALYSIS_KEYNESS_H
#define KBI_ANALYSIS_KEYNESS_H

#include "kodbok.h"

#endif
