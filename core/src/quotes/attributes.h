/*
 * attributes.h: the case attributes of a list's quotes (the cases' table,
 * kb_project_cases): indexed once per list, looked up per quote and
 * attribute; kb_quote_list_attributes, kb_quote_list_attribute and
 * kb_quote_attribute (kodbok.h) are defined in attributes.c. Not part of
 * the public API.
 *
 * May include: kodbok.h, base/, store/caselist.h, quotes/list.h
 * (attributes.c only).
 */
#ifndef KBI_QUOTES_ATTRIBUTES_H
#define KBI_QUOTES_ATTRIBUTES_H

#include "kodbok.h"

/* Sorts the list's cases (l->cases, read) by id and lists their attribute
 * names, each once, in the order of the cases. KB_ENOMEM. */
int kbi_attributes_index(kb_quote_list *l, kb_error *err);

/* 0 if a case of the list has attribute `name`, else KB_ENOENT listing the
 * attributes there are (kbi_caselist_attribute_check). */
int kbi_attributes_check(const kb_quote_list *l, const char *name,
                         kb_error *err);

/* The value of attribute `name` of case `id` (NULL: no case), or NULL. */
const char *kbi_attributes_get(const kb_quote_list *l, const char *id,
                               const char *name);

#endif
