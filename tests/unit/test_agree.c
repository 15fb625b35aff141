/*
 * test_agree.c: agreement and evaluation figures (core/src/agree.c) against
 * published worked examples. Each expected value names its source. Values
 * published rounded are checked to their rounding (e.g. 0.743 +- 0.0005);
 * exact fractions derived by hand from the data, with the derivation in the
 * comment, are checked to 1e-12.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "kodbok.h"

#define EXACT     1e-12
#define MAX_CELLS 4096

/* Published to three decimals. */
#define ROUNDED3 0.0005

static void near(double got, double want, double tol)
{
    if (!(fabs(got - want) <= tol))
        fail_msg("got %.15g, want %.15g (+- %g)", got, want, tol);
}

/*
 * Builds a units x coders table from one string per coder, as the papers
 * print reliability data (a row per coder, a column per unit); "." is a
 * missing value. Returns the number of units.
 */
static size_t table(int *out, size_t coders, const char *const *rows)
{
    size_t units = 0;
    for (size_t c = 0; c < coders; c++) {
        size_t u = 0;
        for (const char *s = rows[c]; *s; s++) {
            if (*s == ' ')
                continue;
            assert_true(u * coders + c < MAX_CELLS);
            out[u * coders + c] = *s == '.' ? KB_MISSING : *s - '0';
            u++;
        }
        assert_true(c == 0 || u == units);
        units = u;
    }
    return units;
}

/*
 * Two coders as a 2x2 table: a units both coded 1, b units coder A 1 and
 * coder B 0, c units A 0 and B 1, d units both 0. Returns the units.
 */
static size_t cross(int *out, size_t a, size_t b, size_t c, size_t d)
{
    const size_t cell[4] = {a, b, c, d};
    const int first[4] = {1, 1, 0, 0}, second[4] = {1, 0, 1, 0};
    size_t u = 0;
    for (int k = 0; k < 4; k++)
        for (size_t i = 0; i < cell[k]; i++, u++) {
            assert_true(2 * u + 1 < MAX_CELLS);
            out[2 * u] = first[k];
            out[2 * u + 1] = second[k];
        }
    return u;
}

static int cells[MAX_CELLS];

/*
 * Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability.
 * Annenberg School for Communication, University of Pennsylvania,
 * https://repository.upenn.edu/asc_papers/43. Section A, binary data, two
 * observers, no missing data: alpha = 0.095.
 * By hand: the coincidence matrix has o00 = 10, o01 = o10 = 4, o11 = 2, so
 * n0 = 14, n1 = 6, n = 20 and alpha = 1 - 19 * 4 / (14 * 6) = 2/21.
 * P_o = 12/20. Kappa by hand: p_o = 6/10; coder A gave 8 zeros and 2 ones,
 * B 6 and 4, so p_e = (8*6 + 2*4)/100 = 0.56 and kappa = 0.04/0.44 = 1/11.
 */
static void test_krippendorff_binary(void **state)
{
    (void)state;
    const char *rows[] = {"0 1 0 0 0 0 0 0 1 0", "1 1 1 0 0 1 0 0 0 0"};
    size_t units = table(cells, 2, rows);
    kb_agreement a;
    kb_error err;
    assert_int_equal(kb_agreement_compute(&a, cells, units, 2, &err), 0);
    assert_int_equal(a.units, 10);
    assert_int_equal(a.pairable, 10);
    assert_int_equal(a.values, 20);
    assert_int_equal(a.categories, 2);
    near(a.alpha, 0.095, ROUNDED3);
    near(a.alpha, 2.0 / 21, EXACT);
    near(a.observed, 0.6, EXACT);
    near(a.kappa_expected, 0.56, EXACT);
    near(a.kappa, 1.0 / 11, EXACT);
}

/*
 * Krippendorff (2011), section B, nominal data, two observers, no missing
 * data: alpha = 0.692.
 * By hand: the coders agree on 9 of 12 units; pooled, the 24 values are
 * 4, 6, 6, 6, 2 in categories 1..5, so sum n_c(n_c - 1) = 12+30+30+30+2 =
 * 104 and alpha = 1 - 23 * (24 - 18) / (24*23 - 104) = 1 - 138/448 =
 * 155/224. Kappa: coder A's counts are 3, 2, 3, 3, 1, coder B's 1, 4, 3,
 * 3, 1, so p_e = 30/144 and kappa = (108 - 30)/(144 - 30) = 13/19.
 */
static void test_krippendorff_nominal(void **state)
{
    (void)state;
    const char *rows[] = {"1 1 2 2 4 3 3 3 5 4 4 1", "2 1 2 2 2 3 3 3 5 4 4 4"};
    size_t units = table(cells, 2, rows);
    kb_agreement a;
    assert_int_equal(kb_agreement_compute(&a, cells, units, 2, NULL), 0);
    assert_int_equal(a.categories, 5);
    near(a.alpha, 0.692, ROUNDED3);
    near(a.alpha, 155.0 / 224, EXACT);
    near(a.observed, 0.75, EXACT);
    near(a.expected, 104.0 / 552, EXACT);
    near(a.kappa, 13.0 / 19, EXACT);
}

/*
 * Krippendorff (2011), section C, nominal data, four observers, twelve
 * units, missing data: alpha = 0.743, with n = 40 pairable values, 9, 13,
 * 10, 5 and 3 of them in categories 1..5 (unit 12 has one value and is not
 * pairable).
 * By hand: the diagonal of the coincidence matrix sums to 32 (units 1..11
 * give 3, 2, 4, 4, 4, 0, 4, 2, 4, 3, 2), so P_o = 32/40 and alpha = 1 - 39
 * * 8 / (1600 - 384) = 113/152. P_e = (72+156+90+20+6)/1560 = 344/1560.
 * Category 1: o_11 = 3 + 2 + 2 (units 1, 8, 11) of n_1 = 9 values.
 */
static void test_krippendorff_missing(void **state)
{
    (void)state;
    const char *rows[] = {
        "1 2 3 3 2 1 4 1 2 . . .",
        "1 2 3 3 2 2 4 1 2 5 . 3",
        ". 3 3 3 2 3 4 2 2 5 1 .",
        "1 2 3 3 2 4 4 1 2 5 1 .",
    };
    size_t units = table(cells, 4, rows);
    kb_reliability *r;
    assert_int_equal(kb_reliability_new(&r, 4, NULL), 0);
    assert_int_equal(kb_reliability_add(r, cells, units, NULL), 0);
    kb_agreement a;
    kb_reliability_agreement(&a, r);
    assert_int_equal(a.units, 12);
    assert_int_equal(a.coders, 4);
    assert_int_equal(a.pairable, 11);
    assert_int_equal(a.values, 40);
    assert_int_equal(a.categories, 5);
    near(a.alpha, 0.743, ROUNDED3);
    near(a.alpha, 113.0 / 152, EXACT);
    near(a.observed, 0.8, EXACT);
    near(a.expected, 344.0 / 1560, EXACT);
    assert_true(isnan(a.kappa));
    assert_true(isnan(a.kappa_expected));
    near(kb_reliability_specific(r, 1), 7.0 / 9, EXACT);
    assert_true(isnan(kb_reliability_specific(r, 6)));
    assert_true(isnan(kb_reliability_specific(r, -1)));
    kb_reliability_free(r);
}

/*
 * Wikipedia, "Cohen's kappa", worked example (50 grant proposals, two
 * readers): both yes 20, A yes B no 5, A no B yes 10, both no 15;
 * p_o = 0.7, p_e = 0.5, kappa = 0.4.
 */
static void test_cohen_textbook(void **state)
{
    (void)state;
    size_t units = cross(cells, 20, 5, 10, 15);
    kb_agreement a;
    assert_int_equal(kb_agreement_compute(&a, cells, units, 2, NULL), 0);
    assert_int_equal(a.pairable, 50);
    near(a.observed, 0.7, EXACT);
    near(a.kappa_expected, 0.5, EXACT);
    near(a.kappa, 0.4, EXACT);
}

/*
 * Wikipedia, "Cohen's kappa", section "Same percentages but different
 * numbers": 45/15/25/15 and 25/35/5/35 both have p_o = 0.60 but kappa =
 * 0.1304 and 0.2593 (by hand: 0.06/0.46 = 3/23 and 0.14/0.54 = 7/27).
 */
static void test_cohen_prevalence(void **state)
{
    (void)state;
    kb_agreement a;
    size_t units = cross(cells, 45, 15, 25, 15);
    assert_int_equal(kb_agreement_compute(&a, cells, units, 2, NULL), 0);
    near(a.observed, 0.6, EXACT);
    near(a.kappa, 0.1304, 0.00005);
    near(a.kappa, 3.0 / 23, EXACT);
    units = cross(cells, 25, 35, 5, 35);
    assert_int_equal(kb_agreement_compute(&a, cells, units, 2, NULL), 0);
    near(a.observed, 0.6, EXACT);
    near(a.kappa, 0.2593, 0.00005);
    near(a.kappa, 7.0 / 27, EXACT);
}

/*
 * Units that both coders left absent (d) move kappa and alpha towards the
 * positive specific agreement 2a / (2a + b + c) and leave that unchanged
 * (docs/agreement.md). With a = 10, b = c = 5: at d = 0, p_o = 0.5 and
 * p_e = 0.75^2 + 0.25^2 = 0.625, kappa = -1/3; at d = 1000 the 2x2 formula
 * kappa = 2(ad - bc) / ((a + b)(b + d) + (a + c)(c + d)) (Wikipedia,
 * "Cohen's kappa", binary classification) gives 19950 / 30150. Alpha by
 * the binary formula of Krippendorff (2011), section A, alpha = 1 - (n - 1)
 * o01 / (n0 n1): at d = 0, 1 - 39 * 10 / (10 * 30) = -0.3; at d = 1000,
 * n = 2040, o01 = b + c = 10, n0 = 2010, n1 = 30, so alpha = 1 - 2039 * 10
 * / 60300 = 39910 / 60300.
 */
static void test_uncoded_units(void **state)
{
    (void)state;
    kb_reliability *r;
    kb_agreement a;
    size_t units = cross(cells, 10, 5, 5, 0);
    assert_int_equal(kb_reliability_new(&r, 2, NULL), 0);
    assert_int_equal(kb_reliability_add(r, cells, units, NULL), 0);
    kb_reliability_agreement(&a, r);
    near(a.kappa, -1.0 / 3, EXACT);
    near(a.alpha, -0.3, EXACT);
    near(kb_reliability_specific(r, 1), 2.0 / 3, EXACT);
    units = cross(cells, 0, 0, 0, 1000);
    assert_int_equal(kb_reliability_add(r, cells, units, NULL), 0);
    kb_reliability_agreement(&a, r);
    assert_int_equal(a.units, 1020);
    near(a.kappa, 19950.0 / 30150, EXACT);
    near(a.alpha, 39910.0 / 60300, EXACT);
    near(kb_reliability_specific(r, 1), 2.0 / 3, EXACT);
    kb_reliability_free(r);
}

/*
 * The pooled figure: tables added one by one equal the stacked table. Two
 * Wikipedia tables (20/5/10/15 and 45/15/25/15) pooled are 65/20/35/30 of
 * 150 units: by hand p_o = 95/150, A said 1 85 times, B 100 times, so
 * kappa = (150*95 - (85*100 + 65*50)) / (150^2 - 11750) = 2500/10750 =
 * 10/43.
 */
static void test_pooled(void **state)
{
    (void)state;
    static int second[MAX_CELLS];
    size_t n1 = cross(cells, 20, 5, 10, 15);
    size_t n2 = cross(second, 45, 15, 25, 15);
    kb_reliability *r;
    assert_int_equal(kb_reliability_new(&r, 2, NULL), 0);
    assert_int_equal(kb_reliability_add(r, cells, n1, NULL), 0);
    assert_int_equal(kb_reliability_add(r, second, n2, NULL), 0);
    kb_agreement pooled, stacked;
    kb_reliability_agreement(&pooled, r);
    kb_reliability_free(r);
    near(pooled.kappa, 10.0 / 43, EXACT);
    near(pooled.observed, 95.0 / 150, EXACT);

    memcpy(cells + 2 * n1, second, 2 * n2 * sizeof *cells);
    assert_int_equal(kb_agreement_compute(&stacked, cells, n1 + n2, 2, NULL),
                     0);
    assert_int_equal(pooled.units, stacked.units);
    assert_int_equal(pooled.values, stacked.values);
    near(pooled.alpha, stacked.alpha, EXACT);
    near(pooled.kappa, stacked.kappa, EXACT);
}

/* Two coders: a unit one of them did not rate is dropped from kappa and
 * alpha alike, as if it were not in the table. */
static void test_missing_dropped(void **state)
{
    (void)state;
    const char *with[] = {"1 1 2 . 1 3 3 .", "1 2 2 1 1 3 . ."};
    const char *without[] = {"1 1 2 1 3", "1 2 2 1 3"};
    kb_agreement a, b;
    size_t units = table(cells, 2, with);
    assert_int_equal(kb_agreement_compute(&a, cells, units, 2, NULL), 0);
    units = table(cells, 2, without);
    assert_int_equal(kb_agreement_compute(&b, cells, units, 2, NULL), 0);
    assert_int_equal(a.units, 8);
    assert_int_equal(a.pairable, 5);
    assert_int_equal(b.pairable, 5);
    near(a.kappa, b.kappa, EXACT);
    near(a.alpha, b.alpha, EXACT);
    near(a.observed, 0.8, EXACT);
}

/* Every coder gives every unit the same category, with several categories
 * used: every figure is 1. */
static void test_all_agree(void **state)
{
    (void)state;
    const char *rows[] = {"0 1 2 1 0", "0 1 2 1 0", "0 1 2 1 0"};
    size_t units = table(cells, 3, rows);
    kb_agreement a;
    assert_int_equal(kb_agreement_compute(&a, cells, units, 3, NULL), 0);
    assert_true(a.observed == 1 && a.alpha == 1);
    assert_true(isnan(a.kappa));
    units = table(cells, 2, rows);
    assert_int_equal(kb_agreement_compute(&a, cells, units, 2, NULL), 0);
    assert_true(a.observed == 1 && a.alpha == 1 && a.kappa == 1);
}

/* One category only: agreement is complete but there is no variation, so
 * D_e = 0 and p_e = 1, and alpha and kappa are 0/0. */
static void test_one_category(void **state)
{
    (void)state;
    const char *rows[] = {"0 0 0 0", "0 0 0 ."};
    size_t units = table(cells, 2, rows);
    kb_agreement a;
    assert_int_equal(kb_agreement_compute(&a, cells, units, 2, NULL), 0);
    assert_int_equal(a.categories, 1);
    assert_true(a.observed == 1 && a.expected == 1 && a.kappa_expected == 1);
    assert_true(isnan(a.alpha));
    assert_true(isnan(a.kappa));
}

/* One coder, an empty table, a table of missing values: no pairs, so
 * nothing is defined, and the counts say so. */
static void test_no_pairs(void **state)
{
    (void)state;
    const int one[] = {0, 1, 1};
    kb_agreement a;
    assert_int_equal(kb_agreement_compute(&a, one, 3, 1, NULL), 0);
    assert_int_equal(a.units, 3);
    assert_int_equal(a.pairable, 0);
    assert_int_equal(a.categories, 0);
    assert_true(isnan(a.observed) && isnan(a.alpha) && isnan(a.kappa));

    assert_int_equal(kb_agreement_compute(&a, NULL, 0, 2, NULL), 0);
    assert_int_equal(a.units, 0);
    assert_true(isnan(a.observed) && isnan(a.expected));
    assert_true(isnan(a.alpha) && isnan(a.kappa) && isnan(a.kappa_expected));

    const int sparse[] = {1, KB_MISSING, KB_MISSING, 0, KB_MISSING, KB_MISSING};
    assert_int_equal(kb_agreement_compute(&a, sparse, 3, 2, NULL), 0);
    assert_int_equal(a.units, 3);
    assert_int_equal(a.pairable, 0);
    assert_true(isnan(a.alpha) && isnan(a.kappa));
}

static void test_bad_arguments(void **state)
{
    (void)state;
    kb_agreement a;
    kb_error err;
    const int bad[] = {0, 1, 1, -2};
    assert_int_equal(kb_agreement_compute(&a, bad, 2, 2, &err), KB_EINVAL);
    assert_int_equal(err.code, KB_EINVAL);
    assert_non_null(strstr(err.message, "unit 1, coder 1: -2"));

    assert_int_equal(kb_agreement_compute(&a, bad, 2, 0, &err), KB_EINVAL);
    assert_non_null(strstr(err.message, "coder"));
    assert_int_equal(kb_agreement_compute(&a, NULL, 2, 2, &err), KB_EINVAL);
    assert_non_null(strstr(err.message, "no values"));
    assert_int_equal(kb_agreement_compute(&a, bad, SIZE_MAX / 2 + 1, 2, &err),
                     KB_EINVAL);
    assert_non_null(strstr(err.message, "too large"));
    assert_int_equal(kb_agreement_compute(NULL, bad, 1, 2, &err), KB_EINVAL);
    assert_int_equal(kb_agreement_compute(&a, bad, 2, 2, NULL), KB_EINVAL);

    /* A failing add leaves the sums as they were. */
    kb_reliability *r;
    assert_int_equal(kb_reliability_new(&r, 2, NULL), 0);
    size_t units = cross(cells, 20, 5, 10, 15);
    assert_int_equal(kb_reliability_add(r, cells, units, NULL), 0);
    const int late[] = {7, 7, 8, 8, 9, -3};
    assert_int_equal(kb_reliability_add(r, late, 3, &err), KB_EINVAL);
    assert_non_null(strstr(err.message, "unit 2, coder 1"));
    kb_reliability_agreement(&a, r);
    assert_int_equal(a.units, 50);
    assert_int_equal(a.categories, 2);
    near(a.kappa, 0.4, EXACT);
    assert_int_equal(kb_reliability_add(NULL, cells, 1, &err), KB_EINVAL);
    assert_int_equal(kb_reliability_new(NULL, 2, &err), KB_EINVAL);
    kb_reliability_free(r);
    kb_reliability_free(NULL);
}

/*
 * Wikipedia, "Precision and recall", introduction: a program finds 8 dogs
 * in a picture of 12 dogs and 10 cats, 5 of them dogs: precision 5/8,
 * recall 5/12 (so tp = 5, fp = 3, fn = 7; F1 = 10/20 by hand).
 */
static void test_eval(void **state)
{
    (void)state;
    kb_eval_scores s;
    kb_eval_compute(&s, 5, 3, 7);
    assert_int_equal(s.tp, 5);
    assert_int_equal(s.fp, 3);
    assert_int_equal(s.fn, 7);
    near(s.precision, 5.0 / 8, EXACT);
    near(s.recall, 5.0 / 12, EXACT);
    near(s.f1, 0.5, EXACT);

    kb_eval_compute(&s, 0, 0, 0);
    assert_true(isnan(s.precision) && isnan(s.recall) && isnan(s.f1));
    kb_eval_compute(&s, 0, 0, 3); /* nothing coded automatically */
    assert_true(isnan(s.precision));
    assert_true(s.recall == 0 && s.f1 == 0);
    kb_eval_compute(&s, 0, 2, 0); /* the coder coded nothing */
    assert_true(s.precision == 0 && s.f1 == 0);
    assert_true(isnan(s.recall));
    kb_eval_compute(&s, 4, 0, 0);
    assert_true(s.precision == 1 && s.recall == 1 && s.f1 == 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_krippendorff_binary),
        cmocka_unit_test(test_krippendorff_nominal),
        cmocka_unit_test(test_krippendorff_missing),
        cmocka_unit_test(test_cohen_textbook),
        cmocka_unit_test(test_cohen_prevalence),
        cmocka_unit_test(test_uncoded_units),
        cmocka_unit_test(test_pooled),
        cmocka_unit_test(test_missing_dropped),
        cmocka_unit_test(test_all_agree),
        cmocka_unit_test(test_one_category),
        cmocka_unit_test(test_no_pairs),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_eval),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
