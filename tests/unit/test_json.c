/*
 * test_json.c: kb_json_quote (core/src/json.c), the one JSON string escaper.
 * Each quoted string is parsed back by SQLite's JSON1 and must give the
 * input, with U+FFFD for every byte that is not valid UTF-8.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kodbok.h"

/* kb_json_quote of s[0..n) as a new string (caller frees). */
static char *quote(const char *s, size_t n)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(kb_json_quote(f, s, n, NULL), 0);
    fclose(f);
    return buf;
}

/* The string JSON1 reads from `json`, or fails if it is not valid. */
static void assert_reads_as(const char *json, const char *want)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT json_valid(?1), json_type(?1),"
                                        " json_extract(?1, '$')",
                                        -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(st, 1, json, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    if (sqlite3_column_int(st, 0) != 1)
        fail_msg("not valid JSON: %s", json);
    assert_string_equal((const char *)sqlite3_column_text(st, 1), "text");
    assert_int_equal(sqlite3_column_bytes(st, 2), strlen(want));
    assert_string_equal((const char *)sqlite3_column_text(st, 2), want);
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static void test_escapes(void **state)
{
    (void)state;
    const char *in = "Åsa sa \"ja\" \\ nej\n\tflik\r\x01\x1f\x7f slut 😀";
    char *out = quote(in, strlen(in));
    assert_string_equal(out, "\"Åsa sa \\\"ja\\\" \\\\ nej\\n\\tflik\\r"
                             "\\u0001\\u001f\x7f slut 😀\"");
    assert_reads_as(out, in);
    free(out);
    /* Bytes after a NUL are written: n, not strlen, is the length. */
    out = quote("a\0b", 3);
    assert_string_equal(out, "\"a\\u0000b\"");
    free(out);
    out = quote("", 0);
    assert_string_equal(out, "\"\"");
    free(out);
}

static void test_bad_utf8(void **state)
{
    (void)state;
    /* A lone lead byte, a stray continuation byte, 0xFF, an overlong '/',
     * a UTF-16 surrogate and a sequence cut by the end of the input. */
    const char *in = "a\xC3"
                     "b\x80"
                     "c\xFF"
                     "d\xC0\xAF"
                     "e\xED\xA0\x80"
                     "f\xE2\x82";
    char *out = quote(in, strlen(in));
    assert_reads_as(out, "a\xEF\xBF\xBD"
                         "b\xEF\xBF\xBD"
                         "c\xEF\xBF\xBD"
                         "d\xEF\xBF\xBD\xEF\xBF\xBD"
                         "e\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"
                         "f\xEF\xBF\xBD\xEF\xBF\xBD");
    free(out);
}

static void test_write_error(void **state)
{
    (void)state;
    FILE *f = fopen("/dev/null", "r"); /* writing fails */
    assert_non_null(f);
    kb_error err;
    assert_int_equal(kb_json_quote(f, "x", 1, &err), KB_EIO);
    assert_int_equal(err.code, KB_EIO);
    fclose(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escapes),
        cmocka_unit_test(test_bad_utf8),
        cmocka_unit_test(test_write_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
