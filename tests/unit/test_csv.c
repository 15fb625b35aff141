/*
 * test_csv.c: RFC 4180 parsing (core/src/csv.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "base/csv.h"

typedef struct rows {
    char cells[8][8][64];
    int lines[8], cols[8][8];
    size_t nfields[8], n;
} rows;

static int keep(void *ctx, size_t n, const char *const *f, const int *col,
                int line, kb_error *err)
{
    (void)err;
    rows *r = ctx;
    assert_true(r->n < 8 && n <= 8);
    for (size_t i = 0; i < n; i++) {
        snprintf(r->cells[r->n][i], 64, "%s", f[i]);
        r->cols[r->n][i] = col[i];
    }
    r->nfields[r->n] = n;
    r->lines[r->n++] = line;
    return 0;
}

static void test_quoting(void **state)
{
    (void)state;
    const char *t = "case,role,note\n"
                    "ip01, \"Chef, region\" ,\"sa \"\"hej\"\"\"\n"
                    "\n"
                    "ip02,\"två\nrader\",\n";
    rows r = {0};
    kb_error err;
    assert_int_equal(kbi_csv_parse(t, strlen(t), "c.csv", keep, &r, &err), 0);
    assert_int_equal(r.n, 3);
    assert_string_equal(r.cells[1][1], "Chef, region");
    assert_string_equal(r.cells[1][2], "sa \"hej\"");
    assert_int_equal(r.lines[2], 4);
    assert_string_equal(r.cells[2][1], "två\nrader");
    assert_string_equal(r.cells[2][2], "");
    assert_int_equal(r.nfields[2], 3);
    assert_int_equal(r.cols[1][2], 23);
}

static void test_semicolons(void **state)
{
    (void)state;
    const char *t = "case;level\nip01;lokal, typ\n";
    rows r = {0};
    kb_error err;
    assert_int_equal(kbi_csv_parse(t, strlen(t), "c.csv", keep, &r, &err), 0);
    assert_string_equal(r.cells[1][1], "lokal, typ");
}

static void test_errors(void **state)
{
    (void)state;
    rows r = {0};
    kb_error err;
    const char *open = "case,level\nip01,\"lokal\n";
    assert_int_equal(kbi_csv_parse(open, strlen(open), "c.csv", keep, &r, &err),
                     KB_EFORMAT);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, 6);
    assert_string_equal(err.file, "c.csv");
    memset(&r, 0, sizeof r);
    const char *after = "case,level\nip01,\"lokal\"x\n";
    assert_int_equal(
        kbi_csv_parse(after, strlen(after), "c.csv", keep, &r, &err),
        KB_EFORMAT);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, 13);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quoting),
        cmocka_unit_test(test_semicolons),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
