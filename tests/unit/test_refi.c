/*
 * test_refi.c: REFI-QDA positions (exchange/qdpx_read.h). A source's text
 * in each unit kodbok reads (code points, UTF-16 units, UTF-8 bytes), with
 * CRLF counted as one or two, maps every position that starts a character
 * to the code point of the stored text where that character is, and every
 * position inside a character (a surrogate pair, a UTF-8 sequence, a base
 * letter and the ring NFC composes with it) to none. The expected values
 * come from walking the strings here, not from the code under test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "exchange/qdpx_read.h"

/* "Vå😀\r\nå" with the second å decomposed (a + U+030A): stored as
 * "Vå😀\nå" (NFC), 6 code points. */
static const char RAW[] = "\xEF\xBB\xBF"
                          "V\xC3\xA5\xF0\x9F\x98\x80\r\na\xCC\x8A";

static void expect(const kbi_refi_text *t, const size_t *want, size_t n)
{
    assert_int_equal(t->units, n - 1);
    for (size_t u = 0; u < n; u++)
        assert_int_equal(t->map[u], want[u]);
}

static void test_stored_text(void **state)
{
    (void)state;
    kbi_refi_text t;
    assert_int_equal(kbi_refi_text_read(&t, (const unsigned char *)RAW,
                                        sizeof RAW - 1, KB_REFI_UNIT_CODEPOINTS,
                                        KB_REFI_CRLF_TWO, "x.txt", NULL),
                     0);
    assert_string_equal(t.text, "V\xC3\xA5\xF0\x9F\x98\x80\n\xC3\xA5");
    assert_int_equal(t.cps, 5);
    /* byte offsets of the stored code points */
    const size_t bytes[] = {0, 1, 3, 7, 8, 10};
    for (size_t i = 0; i <= t.cps; i++)
        assert_int_equal(t.byte[i], bytes[i]);
    kbi_refi_text_clear(&t);
}

static void test_units(void **state)
{
    (void)state;
    const size_t X = SIZE_MAX;
    struct {
        kb_refi_unit unit;
        kb_refi_crlf crlf;
        size_t want[16], n;
    } cases[] = {
        /* V å 😀 CR LF a ◌̊ end */
        {KB_REFI_UNIT_CODEPOINTS,
         KB_REFI_CRLF_TWO,
         {0, 1, 2, 3, 3, 4, X, 5},
         8},
        {KB_REFI_UNIT_CODEPOINTS, KB_REFI_CRLF_ONE, {0, 1, 2, 3, 4, X, 5}, 7},
        /* the emoji is two UTF-16 units */
        {KB_REFI_UNIT_UTF16, KB_REFI_CRLF_TWO, {0, 1, 2, X, 3, 3, 4, X, 5}, 9},
        /* bytes: å two, the emoji four, the ring two */
        {KB_REFI_UNIT_BYTES,
         KB_REFI_CRLF_TWO,
         {0, 1, X, 2, X, X, X, 3, 3, 4, X, X, 5},
         13},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        kbi_refi_text t;
        assert_int_equal(kbi_refi_text_read(&t, (const unsigned char *)RAW,
                                            sizeof RAW - 1, cases[i].unit,
                                            cases[i].crlf, "x.txt", NULL),
                         0);
        expect(&t, cases[i].want, cases[i].n);
        kbi_refi_text_clear(&t);
    }
}

static void test_not_utf8(void **state)
{
    (void)state;
    kbi_refi_text t;
    kb_error err;
    assert_int_equal(kbi_refi_text_read(&t, (const unsigned char *)"ab\xE5", 3,
                                        KB_REFI_UNIT_CODEPOINTS,
                                        KB_REFI_CRLF_TWO, "x.txt", &err),
                     KB_EFORMAT);
    assert_non_null(strstr(err.message, "not UTF-8 (byte 3)"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stored_text),
        cmocka_unit_test(test_units),
        cmocka_unit_test(test_not_utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
