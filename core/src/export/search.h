/*
 * search.h: searching the documents with a pattern: kb_project_search and
 * kb_search_write of kodbok.h (search.c), which need nothing more here. May
 * include: base/, store/, codebook/, engine/, export/table*.h.
 */
#ifndef KBI_SEARCH_H
#define KBI_SEARCH_H

#include "kodbok.h"

#endif
