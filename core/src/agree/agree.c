/*
 * agree.c: agreement between coders (observed agreement, Cohen's kappa,
 * Krippendorff's alpha for nominal data) and precision, recall and F1 of
 * automatic codes against a coder. Pure arithmetic on tables the caller
 * builds; the definitions and the unit model are in docs/agreement.md.
 *
 * kb_reliability keeps only the sums the coefficients need, so tables can be
 * added one at a time (one per code) and the pooled figure costs no copy:
 * per category, its pairable values n_c, its diagonal cell o_cc of the
 * coincidence matrix and, for two coders, each coder's count (the kappa
 * marginals). Categories are kept sorted by value, so any int >= 0 is a
 * category and lookups are a binary search. A table is checked, and its
 * categories entered with zero counts, before anything is counted: a
 * failing kb_reliability_add leaves the sums as they were (an entry with
 * no values counts for nothing).
 */
#include "agree/agree.h"
#include "base/error.h"
#include "base/grow.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct cat_sums {
    int value;
    size_t n;             /* pairable values in this category: n_c */
    double same;          /* o_cc: sum over units of k(k - 1) / (m_u - 1) */
    size_t first, second; /* two coders: pairable values of each */
    size_t tally;         /* values in the unit being counted; 0 between */
} cat_sums;

struct kb_reliability {
    size_t coders;
    size_t units, pairable, values;
    size_t agree;   /* two coders: pairable units with equal values */
    cat_sums *cats; /* sorted by value */
    size_t ncats, cap;
    size_t *seen; /* the distinct categories of one unit (coders entries) */
};

/* The index of the first category whose value is >= v. */
static size_t lower_bound(const kb_reliability *r, int v)
{
    size_t lo = 0, hi = r->ncats;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (r->cats[mid].value < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int kb_reliability_new(kb_reliability **out, size_t coders, kb_error *err)
{
    if (!out)
        return kbi_fail(err, KB_EINVAL, "no place for the reliability data");
    *out = NULL;
    if (!coders)
        return kbi_fail(err, KB_EINVAL, "reliability data needs a coder");
    kb_reliability *r = calloc(1, sizeof *r);
    if (!r || !(r->seen = calloc(coders, sizeof *r->seen))) {
        free(r);
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    }
    r->coders = coders;
    *out = r;
    return 0;
}

void kb_reliability_free(kb_reliability *r)
{
    if (!r)
        return;
    free(r->cats);
    free(r->seen);
    free(r);
}

/* Checks every value and enters the categories not yet known. */
static int enter_categories(kb_reliability *r, const int *values, size_t cells,
                            kb_error *err)
{
    for (size_t i = 0; i < cells; i++) {
        int v = values[i];
        if (v == KB_MISSING)
            continue;
        if (v < 0)
            return kbi_fail(err, KB_EINVAL,
                            "unit %zu, coder %zu: %d is neither a category "
                            "(>= 0) nor KB_MISSING",
                            i / r->coders, i % r->coders, v);
        size_t k = lower_bound(r, v);
        if (k < r->ncats && r->cats[k].value == v)
            continue;
        if (KBI_GROW(&r->cats, &r->cap, r->ncats + 1))
            return kbi_fail(err, KB_ENOMEM, "out of memory");
        memmove(r->cats + k + 1, r->cats + k, (r->ncats - k) * sizeof *r->cats);
        r->cats[k] = (cat_sums){.value = v};
        r->ncats++;
    }
    return 0;
}

/* Counts one unit: its m values give m(m - 1) ordered pairs, each weighted
 * 1 / (m - 1), so that every pairable value weighs 1. */
static void count_unit(kb_reliability *r, const int *row)
{
    size_t m = 0, distinct = 0;
    for (size_t c = 0; c < r->coders; c++) {
        if (row[c] == KB_MISSING)
            continue;
        size_t k = lower_bound(r, row[c]);
        if (r->cats[k].tally++ == 0)
            r->seen[distinct++] = k;
        m++;
    }
    if (m >= 2) {
        r->pairable++;
        r->values += m;
        for (size_t d = 0; d < distinct; d++) {
            cat_sums *cat = &r->cats[r->seen[d]];
            cat->n += cat->tally;
            cat->same +=
                (double)(cat->tally * (cat->tally - 1)) / (double)(m - 1);
        }
        if (r->coders == 2) {
            /* seen[0] is coder 0's category; coder 1's is the last one */
            r->cats[r->seen[0]].first++;
            r->cats[r->seen[distinct - 1]].second++;
            r->agree += distinct == 1;
        }
    }
    for (size_t d = 0; d < distinct; d++)
        r->cats[r->seen[d]].tally = 0;
}

int kb_reliability_add(kb_reliability *r, const int *values, size_t units,
                       kb_error *err)
{
    if (!r)
        return kbi_fail(err, KB_EINVAL, "no reliability data to add to");
    if (!units)
        return 0;
    if (!values)
        return kbi_fail(err, KB_EINVAL, "no values for %zu units", units);
    if (units > SIZE_MAX / r->coders)
        return kbi_fail(err, KB_EINVAL,
                        "a table of %zu units by %zu coders is too large",
                        units, r->coders);
    int rc = enter_categories(r, values, units * r->coders, err);
    if (rc)
        return rc;
    for (size_t u = 0; u < units; u++)
        count_unit(r, values + u * r->coders);
    r->units += units;
    return 0;
}

void kb_reliability_agreement(kb_agreement *out, const kb_reliability *r)
{
    double same = 0, chance = 0, joint = 0;
    size_t categories = 0;
    for (size_t k = 0; k < r->ncats; k++) {
        const cat_sums *cat = &r->cats[k];
        if (!cat->n)
            continue;
        categories++;
        same += cat->same;
        chance += (double)cat->n * (double)(cat->n - 1);
        joint += (double)cat->first * (double)cat->second;
    }
    *out = (kb_agreement){.units = r->units,
                          .coders = r->coders,
                          .pairable = r->pairable,
                          .values = r->values,
                          .categories = categories,
                          .observed = NAN,
                          .expected = NAN,
                          .alpha = NAN,
                          .kappa_expected = NAN,
                          .kappa = NAN};
    if (r->values) {
        double n = (double)r->values;
        out->observed = same / n;
        out->expected = chance / (n * (n - 1));
        /* alpha = 1 - D_o / D_e; n(n - 1) D_e is 0 when every pairable
         * value is in one category, and alpha is then undefined */
        double de = n * (n - 1) - chance;
        if (de > 0)
            out->alpha = 1 - (n - 1) * (n - same) / de;
    }
    if (r->coders == 2 && r->pairable) {
        double units = (double)r->pairable, all = units * units;
        out->kappa_expected = joint / all;
        if (joint < all)
            out->kappa = (units * (double)r->agree - joint) / (all - joint);
    }
}

double kb_reliability_specific(const kb_reliability *r, int category)
{
    size_t k = lower_bound(r, category);
    if (k == r->ncats || r->cats[k].value != category || !r->cats[k].n)
        return NAN;
    return r->cats[k].same / (double)r->cats[k].n;
}

int kb_agreement_compute(kb_agreement *out, const int *values, size_t units,
                         size_t coders, kb_error *err)
{
    if (!out)
        return kbi_fail(err, KB_EINVAL, "no place for the agreement");
    kb_reliability *r;
    int rc = kb_reliability_new(&r, coders, err);
    if (rc)
        return rc;
    rc = kb_reliability_add(r, values, units, err);
    if (!rc)
        kb_reliability_agreement(out, r);
    kb_reliability_free(r);
    return rc;
}

/* a / b, or NAN for a share of nothing. */
static double share(double a, double b)
{
    return b > 0 ? a / b : NAN;
}

void kb_eval_compute(kb_eval_scores *out, size_t tp, size_t fp, size_t fn)
{
    double t = (double)tp, p = (double)fp, n = (double)fn;
    out->tp = tp;
    out->fp = fp;
    out->fn = fn;
    out->precision = share(t, t + p);
    out->recall = share(t, t + n);
    out->f1 = share(2 * t, 2 * t + p + n);
}
