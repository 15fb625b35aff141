/*
 * test_tokens.c: coders' access tokens: a new token finds its coder and no
 * other; a second token for a coder replaces the first, which then finds
 * nobody; removing one; the listing; only the hash is in the file; bad
 * coders refused; the tokens survive closing and opening the project.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "fixture.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kodbok.h"

static char dir[256];
static char db_path[512];

static int setup(void **state)
{
    (void)state;
    fixture_tmpdir(dir, sizeof dir, "tokens");
    snprintf(db_path, sizeof db_path, "%s/t.db", dir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return fixture_rmdir(dir);
}

/* The coder token finds, "" for nobody. */
static char found[64];
static const char *coder_of(kb_project *p, const char *token)
{
    char *c;
    kb_error err;
    assert_int_equal(kb_coder_token_find(&c, p, token, &err), 0);
    snprintf(found, sizeof found, "%s", c ? c : "");
    free(c);
    return found;
}

/* Collects "coder;" per listed coder, checking its time's shape. */
static int collect(void *ctx, const char *coder, const char *created)
{
    assert_int_equal(strlen(created), 20); /* 2026-12-07T03:00:00Z */
    assert_int_equal(created[19], 'Z');
    strcat(ctx, coder);
    strcat(ctx, ";");
    return 0;
}

/* Stops the listing at the first coder. */
static int stop(void *ctx, const char *coder, const char *created)
{
    (void)created;
    strcat(ctx, coder);
    return 7;
}

static void test_tokens(void **state)
{
    (void)state;
    kb_project *p;
    kb_error err;
    assert_int_equal(kb_project_init(&p, db_path, &err), 0);
    char anna[KB_TOKEN_LEN + 1], bo[KB_TOKEN_LEN + 1], anna2[KB_TOKEN_LEN + 1];
    int replaced = -1;
    assert_int_equal(kb_coder_token_new(anna, &replaced, p, "anna", &err), 0);
    assert_int_equal(replaced, 0);
    assert_int_equal(strlen(anna), KB_TOKEN_LEN);
    assert_int_equal(strspn(anna, "0123456789abcdef"), KB_TOKEN_LEN);
    assert_int_equal(kb_coder_token_new(bo, NULL, p, "bo", &err), 0);
    assert_string_not_equal(anna, bo);
    assert_string_equal(coder_of(p, anna), "anna");
    assert_string_equal(coder_of(p, bo), "bo");
    assert_string_equal(coder_of(p, ""), "");
    char wrong[KB_TOKEN_LEN + 1];
    memcpy(wrong, anna, sizeof wrong);
    wrong[0] = wrong[0] == '0' ? '1' : '0';
    assert_string_equal(coder_of(p, wrong), "");

    /* A second token for anna: the first finds nobody. */
    assert_int_equal(kb_coder_token_new(anna2, &replaced, p, "anna", &err), 0);
    assert_int_equal(replaced, 1);
    assert_string_equal(coder_of(p, anna), "");
    assert_string_equal(coder_of(p, anna2), "anna");

    char list[64] = "";
    assert_int_equal(kb_project_token_coders(p, collect, list, &err), 0);
    assert_string_equal(list, "anna;bo;");
    list[0] = '\0';
    assert_int_equal(kb_project_token_coders(p, stop, list, &err), 7);
    assert_string_equal(list, "anna");

    /* Bad coders. */
    assert_int_equal(kb_coder_token_new(wrong, NULL, p, "", &err), KB_EINVAL);
    assert_string_equal(err.argument, "coder");
    assert_int_equal(kb_coder_token_new(wrong, NULL, p, "a\nb", &err),
                     KB_EINVAL);
    assert_string_equal(wrong, "");

    /* Removing: bo's token stops working; removing again is KB_ENOENT. */
    assert_int_equal(kb_coder_token_remove(p, "bo", &err), 0);
    assert_string_equal(coder_of(p, bo), "");
    assert_int_equal(kb_coder_token_remove(p, "bo", &err), KB_ENOENT);
    assert_non_null(strstr(err.message, "bo"));
    kb_project_free(p);

    /* The file holds the hash, never the token; anna's survives a reopen. */
    sqlite3 *db;
    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT coder, token_sha256 FROM"
                                        " coder_tokens",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "anna");
    const char *hash = (const char *)sqlite3_column_text(st, 1);
    assert_int_equal(strlen(hash), 64);
    assert_null(strstr(hash, anna2));
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    sqlite3_close(db);
    assert_int_equal(kb_project_open(&p, db_path, &err), 0);
    assert_string_equal(coder_of(p, anna2), "anna");
    list[0] = '\0';
    assert_int_equal(kb_project_token_coders(p, collect, list, &err), 0);
    assert_string_equal(list, "anna;");
    kb_project_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_tokens, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
