/*
 * facet_list.c: a quote's facet values (facet_list.h): comma-separated lists of
 * values kept once in the list's names, as every quote has one of a few.
 */
#include "quotes/facet_list.h"
#include "quotes/list.h"

#include <stdlib.h>
#include <string.h>

/* Calls fn for each value of a comma-separated facet list; stops at the
 * first non-zero return and gives it. */
int kbi_facet_each(const char *list,
                   int (*fn)(void *ctx, const char *v, size_t n), void *ctx)
{
    for (const char *p = list; p && *p;) {
        const char *comma = strchr(p, ',');
        int rc = fn(ctx, p, comma ? (size_t)(comma - p) : strlen(p));
        if (rc)
            return rc;
        p = comma ? comma + 1 : NULL;
    }
    return 0;
}

static int is_value(void *ctx, const char *v, size_t n)
{
    const char *want = ctx;
    return strlen(want) == n && !memcmp(v, want, n);
}

int kbi_facet_listed(const char *list, const char *value)
{
    return kbi_facet_each(list, is_value, (void *)value);
}

/* Adds `value` to a quote's slot of a facet: several values are
 * comma-separated. Sets *fail when out of memory. */
void kbi_facet_add(kb_quote_list *l, const char **slot, const char *value,
                   int *fail)
{
    if (!*slot) { /* kept once, as every quote has one of a few values */
        *slot = kbi_strset_add(&l->names, value, strlen(value), fail);
        return;
    }
    size_t a = strlen(*slot), b = strlen(value), n = a + 1 + b;
    char small[256], *joined = n < sizeof small ? small : malloc(n);
    if (!joined) {
        *fail = 1;
        return;
    }
    memcpy(joined, *slot, a);
    joined[a] = ',';
    memcpy(joined + a + 1, value, b);
    *slot = kbi_strset_add(&l->names, joined, n, fail);
    if (joined != small)
        free(joined);
}

/* The slot of facet `facet` of quote i, or NULL if the run has no such
 * facet (kbi_quote_list_add_row gave every quote its slots). */
const char **kbi_facet_slot(kb_quote_list *l, size_t i, const char *facet)
{
    for (size_t k = 0; k < l->nfacets; k++)
        if (!strcmp(l->facets[k], facet))
            return (const char **)&l->v[i].facets[k];
    return NULL;
}
