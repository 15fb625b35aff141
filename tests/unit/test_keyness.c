/*
 * test_keyness.c: keyness (core/src/analysis/keyness.c) against values
 * worked out by hand from the formulas, each derivation in its comment, and
 * the stop-word list built into the library.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "analysis/stopwords.h"
#include "analysis/vocab.h"
#include "kodbok.h"

static void near(double got, double want, double tol)
{
    if (!(fabs(got - want) <= tol))
        fail_msg("got %.15g, want %.15g (+- %g)", got, want, tol);
}

/*
 * A word seen 20 times in a selection of 1,000 words and 5 times in a
 * reference of 2,000 words (a = 20, b = 5, c = 1000, d = 2000):
 *   E1 = c (a + b) / (c + d) = 1000 * 25 / 3000 = 8.333333...
 *   E2 = d (a + b) / (c + d) = 2000 * 25 / 3000 = 16.666666...
 *   a ln(a / E1) = 20 ln(2.4)  = 20 * 0.875468737 =  17.509374747
 *   b ln(b / E2) =  5 ln(0.3)  =  5 * -1.203972804 = -6.019864022
 *   G² = 2 (17.509374747 - 6.019864022) = 22.979021451
 *   Log Ratio = log2((20 / 1000) / (5 / 2000)) = log2(0.02 / 0.0025) = 3
 *   %DIFF = 100 (0.02 - 0.0025) / 0.0025 = 700
 *   BIC = G² - ln(3000) = 22.979021451 - 8.006367568 = 14.972653883
 *   G² >= 10.83: p < 0.001; more frequent in the selection.
 */
static void test_over_used(void **state)
{
    (void)state;
    kb_keyness k;
    kb_keyness_compute(&k, 20, 5, 1000, 2000);
    near(k.g2, 22.979021451, 1e-8);
    near(k.log_ratio, 3, 1e-12);
    near(k.pct_diff, 700, 1e-9);
    near(k.bic, 14.972653883, 1e-8);
    assert_int_equal(k.sign, 1);
    near(k.p, 0.001, 0);
}

/*
 * A word the selection lacks (a = 0) and the reference has 10 times, both
 * of 1,000 words: E1 = E2 = 5,
 *   G² = 2 (0 + 10 ln(10 / 5)) = 20 ln 2 = 13.862943611
 *   Log Ratio with a counted as 0.5: log2((0.5 / 1000) / (10 / 1000)) =
 *   log2(0.05) = -4.321928095; %DIFF = 100 (0 - 0.01) / 0.01 = -100.
 */
static void test_absent(void **state)
{
    (void)state;
    kb_keyness k;
    kb_keyness_compute(&k, 0, 10, 1000, 1000);
    near(k.g2, 13.862943611, 1e-8);
    near(k.log_ratio, -4.321928095, 1e-8);
    near(k.pct_diff, -100, 1e-9);
    assert_int_equal(k.sign, -1);
    near(k.p, 0.001, 0);
}

/*
 * The p levels at the chi-square critical values for one degree of
 * freedom: a = 9, b = 3 of 1,000 words each, E1 = E2 = 6,
 *   G² = 2 (9 ln 1.5 + 3 ln 0.5) = 2 (3.649186 - 2.079442) = 3.139489:
 * below 3.84, no level. a = 12, b = 3: E = 7.5,
 *   G² = 2 (12 ln 1.6 + 3 ln 0.4) = 2 (5.640044 - 2.748872) = 5.782343:
 * p < 0.05. Equal rates (a = 4, b = 8 of 1,000 and 2,000): G² = 0, no
 * sign, %DIFF 0; a reference with no words gives no figures.
 */
static void test_levels(void **state)
{
    (void)state;
    kb_keyness k;
    kb_keyness_compute(&k, 9, 3, 1000, 1000);
    near(k.g2, 3.139489, 1e-6);
    near(k.p, 1, 0);
    kb_keyness_compute(&k, 12, 3, 1000, 1000);
    near(k.g2, 5.782343, 1e-6);
    near(k.p, 0.05, 0);
    kb_keyness_compute(&k, 4, 8, 1000, 2000);
    near(k.g2, 0, 1e-12);
    assert_int_equal(k.sign, 0);
    near(k.pct_diff, 0, 1e-12);
    kb_keyness_compute(&k, 4, 0, 1000, 0);
    near(k.g2, 0, 0);
    assert_true(isnan(k.pct_diff));
}

/* The shipped stop words: function words in, content words out, folded
 * as the counted words are ("Och" is "och"). */
static void test_stopwords(void **state)
{
    (void)state;
    kbi_vocab set = {0};
    kb_error err;
    assert_int_equal(kbi_stopwords_load(&set, NULL, &err), 0);
    assert_true(set.n >= 150 && set.n <= 300);
    const char *in[] = {"och",  "att", "det", "som",   "på",  "är",
                        "inte", "jag", "vi",  "också", "när", "mhm"};
    for (size_t i = 0; i < sizeof in / sizeof *in; i++)
        if (kbi_vocab_find(&set, in[i], strlen(in[i])) == KB_NO_INDEX)
            fail_msg("'%s' is not a stop word", in[i]);
    const char *out[] = {"samverkan", "kommunen", "remiss", "vårdcentralen",
                         "patienten"};
    for (size_t i = 0; i < sizeof out / sizeof *out; i++)
        if (kbi_vocab_find(&set, out[i], strlen(out[i])) != KB_NO_INDEX)
            fail_msg("'%s' is a stop word", out[i]);
    kbi_vocab_free(&set);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_over_used),
        cmocka_unit_test(test_absent),
        cmocka_unit_test(test_levels),
        cmocka_unit_test(test_stopwords),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
