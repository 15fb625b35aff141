/*
 * playground.h: a concept's rule tried with other patterns over the
 * project's current texts, its hits and its scores against a coder
 * (playground.c): kb_project_try and its report in kodbok.h.
 *
 * May include: kodbok.h, base/, store/, codebook/, engine/, manual/,
 * agree/evaluate.h.
 */
#ifndef KBI_ANALYSIS_PLAYGROUND_H
#define KBI_ANALYSIS_PLAYGROUND_H

#include "kodbok.h"

#endif
