/*
 * counts.h: kb_project_count and the kb_count_list getters (declared in
 * kodbok.h) are defined in counts.c: a run's quotes counted by theme,
 * concept, dimension or a facet's values. This header only names the
 * module.
 *
 * May include: kodbok.h, base/, store/, coding/runs.h,
 * quotes/project_quotes.h.
 */
#ifndef KBI_QUOTES_COUNTS_H
#define KBI_QUOTES_COUNTS_H

#include "kodbok.h"

#endif
