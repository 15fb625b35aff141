/*
 * caselist.h: the project's cases read back (caselist.c): kb_project_cases
 * and the kb_case_list accessors of kodbok.h, which need nothing more here.
 * May include: base/, store/.
 */
#ifndef KBI_CASELIST_H
#define KBI_CASELIST_H

#include "kodbok.h"

#endif
