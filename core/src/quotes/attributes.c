/*
 * attributes.c: case attributes by quote (attributes.h): the cases sorted
 * by id once, so that a table asking for each quote and attribute finds
 * the value by a binary search.
 */
#include "quotes/attributes.h"
#include "quotes/list.h"
#include "base/error.h"
#include "base/grow.h"
#include "store/caselist.h"

#include <stdlib.h>
#include <string.h>

static int by_case_id(const void *a, const void *b)
{
    const kb_case_info *x = *(const kb_case_info *const *)a,
                       *y = *(const kb_case_info *const *)b;
    int c = strcmp(x->id, y->id);
    return c ? c : (x > y) - (x < y); /* list order among equal ids */
}

/* Sorts the cases by id for kbi_attributes_get, which a table asks for each
 * quote and attribute, and lists their attribute names, each once, in the order
 * of the cases. */
int kbi_attributes_index(kb_quote_list *l, kb_error *err)
{
    size_t n = kb_case_list_count(l->cases), cap = 0;
    if (!(l->case_ix = malloc((n + 1) * sizeof *l->case_ix)))
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        const kb_case_info *ci = l->case_ix[i] = kb_case_list_get(l->cases, i);
        for (size_t a = 0; a < ci->nattrs; a++) {
            size_t k = 0;
            while (k < l->nattrs && strcmp(l->attrs[k], ci->attr_names[a]))
                k++;
            if (k < l->nattrs)
                continue;
            if (KBI_GROW(&l->attrs, &cap, l->nattrs + 1))
                return kbi_fail(err, KB_ENOMEM, "out of memory");
            l->attrs[l->nattrs++] = ci->attr_names[a];
        }
    }
    kbi_sort(l->case_ix, n, sizeof *l->case_ix, by_case_id);
    return 0;
}

int kbi_attributes_check(const kb_quote_list *l, const char *name,
                         kb_error *err)
{
    return kbi_caselist_attribute_check(l->cases, name, err);
}

/* The value of attribute `name` of case `id`. */
const char *kbi_attributes_get(const kb_quote_list *l, const char *id,
                               const char *name)
{
    size_t lo = 0, hi = id ? kb_case_list_count(l->cases) : 0;
    while (lo < hi) { /* the first case of that id */
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(l->case_ix[mid]->id, id) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; id && i < kb_case_list_count(l->cases) &&
                        !strcmp(l->case_ix[i]->id, id);
         i++) {
        const kb_case_info *ci = l->case_ix[i];
        for (size_t a = 0; a < ci->nattrs; a++)
            if (!strcmp(ci->attr_names[a], name))
                return ci->attr_values[a];
    }
    return NULL;
}

size_t kb_quote_list_attributes(const kb_quote_list *l)
{
    return l->nattrs;
}

const char *kb_quote_list_attribute(const kb_quote_list *l, size_t i)
{
    return i < l->nattrs ? l->attrs[i] : NULL;
}

const char *kb_quote_attribute(const kb_quote_list *l, const kb_quote_row *q,
                               const char *name)
{
    return kbi_attributes_get(l, q->case_id, name);
}
