/*
 * test_anchor.c: finding a manual coding's anchor again in an edited text
 * (core/src/anchor.c). Positions are counted by hand in the comments.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "manual/manual.h"

static kbi_anchor anchor(const char *quote, const char *before,
                         const char *after)
{
    kbi_anchor a = {(char *)quote, (char *)before, (char *)after};
    return a;
}

/* A quote that occurs once is placed, whatever its context became. */
static void test_unique(void **state)
{
    (void)state;
    const char *t = "Nytt först. Sen: vårt glapp finns.";
    kbi_anchor a = anchor("glapp", "helt annat ", " också");
    kbi_place p;
    assert_int_equal(kbi_anchor_place(&p, t, strlen(t), &a, 0), 1);
    /* "Nytt först. Sen: vårt " is 22 code points; ö and å take two bytes
     * each, so 24 bytes */
    assert_int_equal(p.start, 22);
    assert_int_equal(p.end, 27);
    assert_int_equal(p.bstart, 24);
    assert_int_equal(p.bend, 29);
}

/* Of several occurrences, the one whose surroundings match wins, even far
 * from the hint. */
static void test_context_wins(void **state)
{
    (void)state;
    const char *t = "VVG först. Sedan kom VVG igen. Till sist VVG.";
    kbi_anchor a = anchor("VVG", "Sedan kom ", " igen");
    kbi_place p;
    assert_int_equal(kbi_anchor_place(&p, t, strlen(t), &a, 40), 1);
    assert_int_equal(p.start, 21); /* "VVG först. Sedan kom " */
    /* several occurrences and no context shared: ambiguous, not placed */
    kbi_anchor b = anchor("VVG", "xyz", "qrs");
    assert_int_equal(kbi_anchor_place(&p, t, strlen(t), &b, 0), 0);
    kbi_anchor c = anchor("VVG", "Till sist ", "");
    assert_int_equal(kbi_anchor_place(&p, t, strlen(t), &c, 0), 1);
    assert_int_equal(p.start, 41);
}

/* A quote that no longer occurs is not placed. */
static void test_gone(void **state)
{
    (void)state;
    const char *t = "Vi blandar strategiskt och taktiskt.";
    kbi_anchor a = anchor("strategiskt och operativt", "blandar ", ".");
    kbi_place p;
    assert_int_equal(kbi_anchor_place(&p, t, strlen(t), &a, 0), 0);
}

/* A place keeps a following combining mark with its character. */
static void test_combining(void **state)
{
    (void)state;
    const char *t = "aq\xcc\x83 b"; /* q + U+0303 */
    kbi_anchor a = anchor("q", "a", "");
    kbi_place p;
    assert_int_equal(kbi_anchor_place(&p, t, strlen(t), &a, 0), 0);
}

/* An anchor cut from a text is found there again at the same place. */
static void test_make_and_place(void **state)
{
    (void)state;
    const char *t = "ett två tre ett två tre ett två tre";
    /* the second "ett två": 12 code points in, 13 bytes (å) */
    kbi_place at = {12, 19, 13, 21}, p;
    kbi_anchor a;
    assert_int_equal(kbi_anchor_make(&a, t, strlen(t), &at, NULL), 0);
    assert_string_equal(a.quote, "ett två");
    assert_string_equal(a.before, "ett två tre ");
    assert_string_equal(a.after, " tre ett två tre");
    assert_int_equal(kbi_anchor_place(&p, t, strlen(t), &a, 0), 1);
    assert_int_equal(p.start, 12);
    assert_int_equal(p.end, 19);
    kbi_anchor_clear(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unique),
        cmocka_unit_test(test_context_wins),
        cmocka_unit_test(test_gone),
        cmocka_unit_test(test_combining),
        cmocka_unit_test(test_make_and_place),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
