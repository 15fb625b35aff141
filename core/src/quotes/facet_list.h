/*
 * facet_list.h: a quote's facet values as kb_quote_row.facets holds them, each
 * facet's values in one comma-separated string ("regional,lokal"): the
 * values of a list read, a quote's slot of a facet found, a value added.
 * Not part of the public API.
 *
 * May include: kodbok.h, base/, quotes/list.h (facet_list.c only).
 */
#ifndef KBI_QUOTES_FACET_LIST_H
#define KBI_QUOTES_FACET_LIST_H

#include "kodbok.h"

/* Calls fn for each value of a comma-separated facet list; stops at the
 * first non-zero return and gives it. */
int kbi_facet_each(const char *list,
                   int (*fn)(void *ctx, const char *v, size_t n), void *ctx);

/*
 * Is `value` one of the values in `list`, a quote's facet values as
 * kb_quote_row.facets holds them ("regional,lokal")? NULL is no value.
 */
int kbi_facet_listed(const char *list, const char *value);

/* The slot of facet `facet` of row i of list l, or NULL if the run has no
 * such facet. */
const char **kbi_facet_slot(kb_quote_list *l, size_t i, const char *facet);

/* Adds `value` to a quote's slot of a facet (comma-separated after the
 * values there), kept in the list's names. Sets *fail when out of
 * memory. */
void kbi_facet_add(kb_quote_list *l, const char **slot, const char *value,
                   int *fail);

#endif
