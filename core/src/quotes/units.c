/*
 * units.c: the units each quote of a list lies in, for the co-occurrence
 * matrix (matrix.c). Documents and cases are numbered by name; sentences
 * and turns by place, each document version's segments read once from the
 * list's project and its quotes found among them by their spans.
 */
#include "quotes/units.h"
#include "quotes/list.h"
#include "base/error.h"
#include "base/grow.h"
#include "store/document.h"

#include <stdlib.h>
#include <string.h>

typedef struct pairs {
    kbi_unit_of *v;
    size_t n, cap;
} pairs;

static int add(pairs *p, size_t unit, size_t quote)
{
    if (KBI_GROW(&p->v, &p->cap, p->n + 1))
        return KB_ENOMEM;
    p->v[p->n++] = (kbi_unit_of){unit, quote};
    return 0;
}

/* A quote with the name it is sorted by (document or case). */
typedef struct named {
    const char *name;
    int version;
    size_t quote;
} named;

static int by_name(const void *a, const void *b)
{
    const named *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : (x->version > y->version) - (x->version < y->version);
}

/* The quotes that have a name (their case, or their document and version),
 * sorted by it. */
static named *sorted(const kb_quote_list *l, int cases, size_t *n)
{
    named *v = malloc((l->n ? l->n : 1) * sizeof *v);
    size_t k = 0;
    if (!v)
        return NULL;
    for (size_t i = 0; i < l->n; i++) {
        const kb_quote_row *q = &l->v[i];
        const char *name = cases ? q->case_id : q->document;
        if (name)
            v[k++] = (named){name, cases ? 0 : q->version, i};
    }
    kbi_sort(v, k, sizeof *v, by_name);
    *n = k;
    return v;
}

/* A unit per distinct name: documents or cases. */
static int by_names(pairs *p, const kb_quote_list *l, int cases)
{
    size_t n, unit = 0;
    named *v = sorted(l, cases, &n);
    if (!v)
        return KB_ENOMEM;
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        if (i && strcmp(v[i].name, v[i - 1].name))
            unit++;
        rc = add(p, unit, v[i].quote);
    }
    free(v);
    return rc;
}

/* The sentences or turns of document versions that each quote overlaps. */
static int by_segments(pairs *p, const kb_quote_list *l, kb_segment_kind kind,
                       kb_error *err)
{
    size_t n, base = 0;
    named *v = sorted(l, 0, &n);
    if (!v)
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    int rc = 0;
    for (size_t i = 0; i < n && !rc;) {
        const kb_quote_row *first = &l->v[v[i].quote];
        size_t j = i;
        while (j < n && !by_name(&v[j], &v[i]))
            j++;
        kb_document *d;
        if ((rc = kbi_document_load_kinds(&d, l->project, first->document,
                                          first->version, KBI_KIND_BIT(kind),
                                          err)))
            break;
        size_t segs = kb_document_segment_count(d, kind);
        for (; i < j && !rc; i++) {
            const kb_quote_row *q = &l->v[v[i].quote];
            size_t lo = 0, hi = segs; /* the first segment ending after start */
            while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (kb_document_segment(d, kind, mid)->end <= q->start)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            for (size_t s = lo; s < segs && !rc &&
                                kb_document_segment(d, kind, s)->start < q->end;
                 s++)
                rc = add(p, base + s, v[i].quote);
        }
        base += segs;
        kbi_document_recycle(d, l->project);
    }
    free(v);
    if (rc == KB_ENOMEM)
        rc = kbi_fail(err, KB_ENOMEM, "out of memory");
    return rc;
}

int kbi_quote_units(kbi_unit_of **out, size_t *n, const kb_quote_list *l,
                    kb_matrix_unit unit, kb_error *err)
{
    pairs p = {0};
    int rc;
    *out = NULL;
    *n = 0;
    switch (unit) {
    case KB_UNIT_SEGMENT:
    case KB_UNIT_TURN:
        rc = by_segments(
            &p, l, unit == KB_UNIT_TURN ? KB_SEG_TURN : KB_SEG_SENTENCE, err);
        break;
    case KB_UNIT_DOCUMENT:
    case KB_UNIT_CASE:
        rc = by_names(&p, l, unit == KB_UNIT_CASE);
        if (rc)
            rc = kbi_fail(err, KB_ENOMEM, "out of memory");
        break;
    default:
        return kbi_fail_arg(err, KB_EINVAL, "unit", "unknown unit %d",
                            (int)unit);
    }
    if (rc) {
        free(p.v);
        return rc;
    }
    *out = p.v;
    *n = p.n;
    return 0;
}
