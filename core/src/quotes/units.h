/*
 * units.h: the units of a co-occurrence matrix that each quote of a list
 * lies in (units.c): sentences or turns it overlaps, its document, its
 * case (docs/exports.md, "Co-occurrence").
 *
 * May include: kodbok.h, base/, store/, quotes/list.h.
 */
#ifndef KBI_QUOTES_UNITS_H
#define KBI_QUOTES_UNITS_H

#include "kodbok.h"

#include <stddef.h>

/* A quote (its index in the list) and a unit it lies in. Units are numbered
 * from 0 across the list: the same number is the same unit. */
typedef struct kbi_unit_of {
    size_t unit, quote;
} kbi_unit_of;

/*
 * Every (unit, quote) pair of list l by `unit`, in no particular order, into
 * *out (malloc'ed, *n pairs). A quote lies in each sentence (KB_UNIT_SEGMENT)
 * or turn (KB_UNIT_TURN) of its document version that its span overlaps by
 * at least one code point, in its document (KB_UNIT_DOCUMENT), or in its
 * case (KB_UNIT_CASE; a quote without a case in none). Segments and turns
 * are read from the list's project. KB_EINVAL (an unknown unit), KB_ENOENT,
 * KB_EDB, KB_ENOMEM.
 */
int kbi_quote_units(kbi_unit_of **out, size_t *n, const kb_quote_list *l,
                    kb_matrix_unit unit, kb_error *err);

#endif
