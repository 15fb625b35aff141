/*
 * suggest_write.h: a suggestion report written as a table with its YAML
 * snippet, as JSON, or as the snippet alone (suggest_write.c):
 * kb_suggest_write in kodbok.h, which needs nothing more here.
 *
 * May include: kodbok.h, base/, analysis/suggest.h.
 */
#ifndef KBI_ANALYSIS_SUGGEST_WRITE_H
#define KBI_ANALYSIS_SUGGEST_WRITE_H

#include "kodbok.h"

#endif
