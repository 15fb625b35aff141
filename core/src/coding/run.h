/*
 * run.h: a coding run (run.c): kb_project_code of kodbok.h, which runs the
 * steps of changes.c, facets.c, pipeline.c and misses.c in order and needs
 * nothing more here. May include: base/, store/, codebook/, engine/,
 * manual/, coding/.
 */
#ifndef KBI_CODING_RUN_H
#define KBI_CODING_RUN_H

#include "kodbok.h"

#endif
