/*
 * caselist.h: the project's cases read back (caselist.c): kb_project_cases
 * and the kb_case_list accessors of kodbok.h; the one check of an attribute
 * a caller names. May include: base/, store/.
 */
#ifndef KBI_CASELIST_H
#define KBI_CASELIST_H

#include "kodbok.h"

/* 0 if some case of `cases` has attribute `name`; else KB_ENOENT, whose
 * message lists the attributes the cases have (every place an attribute is
 * named: matrix axes, quote columns, filters, word selections). */
int kbi_caselist_attribute_check(const kb_case_list *cases, const char *name,
                                 kb_error *err);

#endif
