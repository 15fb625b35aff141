/*
 * test_serving.c: what a server on the library needs from it: the data
 * version, which changes when another connection commits and not for the
 * connection's own writes; a write that waits no longer than its busy
 * timeout for another writer and fails with KB_EBUSY, nothing written;
 * and the units two coders disagree on in kb_project_agree's report.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "fixture.h"
#include "kodbok.h"

static const char *source;
static char dir[256], db_path[300];
static kb_project *proj;

static int setup(void **state)
{
    (void)state;
    fixture_tmpdir(dir, sizeof dir, "serving");
    snprintf(db_path, sizeof db_path, "%s/p.db", dir);
    proj = fixture_sample(source, db_path, NULL);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    kb_project_free(proj);
    return fixture_rmdir(dir);
}

static int64_t version_of(kb_project *p)
{
    int64_t v = -1;
    kb_error err;
    assert_int_equal(kb_project_data_version(&v, p, &err), 0);
    return v;
}

static size_t journal_count(kb_project *p)
{
    kb_memo_about journal = {KB_MEMO_PROJECT, NULL, 0, NULL};
    kb_memo_list *l;
    kb_error err;
    assert_int_equal(kb_project_memos(&l, p, &journal, NULL, &err), 0);
    size_t n = kb_memo_list_count(l);
    kb_memo_list_free(l);
    return n;
}

static void test_data_version(void **state)
{
    (void)state;
    kb_project *other;
    kb_error err;
    kb_memo_about journal = {KB_MEMO_PROJECT, NULL, 0, NULL};
    assert_int_equal(kb_project_open(&other, db_path, &err), 0);
    int64_t v0 = version_of(proj);
    assert_int_equal(version_of(proj), v0); /* nothing changed */
    assert_int_equal(
        kb_memo_add(NULL, other, &journal, "anna", "Första anteckningen", &err),
        0);
    int64_t v1 = version_of(proj);
    assert_true(v1 != v0);
    /* The connection's own write does not change its own version. */
    int64_t mine = version_of(other);
    assert_int_equal(
        kb_memo_add(NULL, other, &journal, "anna", "Andra anteckningen", &err),
        0);
    assert_int_equal(version_of(other), mine);
    assert_true(version_of(proj) != v1);
    kb_project_free(other);
}

static double seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void test_busy(void **state)
{
    (void)state;
    kb_error err;
    kb_memo_about journal = {KB_MEMO_PROJECT, NULL, 0, NULL};
    assert_int_equal(kb_project_busy_timeout(proj, -1, &err), KB_EINVAL);
    assert_string_equal(err.argument, "ms");
    size_t before = journal_count(proj);
    /* Another writer holds the write lock. */
    sqlite3 *db;
    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(kb_project_busy_timeout(proj, 200, &err), 0);
    double t0 = seconds();
    assert_int_equal(
        kb_memo_add(NULL, proj, &journal, "anna", "Medan någon skriver", &err),
        KB_EBUSY);
    double waited = seconds() - t0;
    assert_true(waited >= 0.15 && waited < 2.0);
    assert_non_null(strstr(err.message, "busy"));
    assert_string_equal(kb_strerror(KB_EBUSY), "project busy");
    /* Reads do not wait, and nothing was written. */
    assert_int_equal(journal_count(proj), before);
    assert_int_equal(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(
        kb_memo_add(NULL, proj, &journal, "anna", "Nu går det", &err), 0);
    assert_int_equal(journal_count(proj), before + 1);
    assert_int_equal(kb_project_busy_timeout(proj, 5000, &err), 0);
}

/* The index of the n-th respondent's sentence of ip01 (0-based). */
static size_t respondent_sentence(const kb_document *d, size_t n)
{
    for (size_t i = 0; i < kb_document_segment_count(d, KB_SEG_SENTENCE); i++)
        if (kb_document_segment(d, KB_SEG_SENTENCE, i)->role ==
                KB_ROLE_RESPONDENT &&
            !n--)
            return i;
    fail_msg("ip01 has too few respondent sentences");
    return 0;
}

static void tag(const char *coder, const char *code, size_t sentence)
{
    kb_where at = {0};
    at.by = KB_AT_SEGMENT;
    at.kind = KB_SEG_SENTENCE;
    at.index = sentence;
    kb_tag_options o = KB_TAG_OPTIONS_INIT;
    o.coder = coder;
    kb_error err;
    int rc = kb_tag_add(NULL, proj, "ip01", code, &at, &o, &err);
    if (rc)
        fail_msg("%s", err.message);
}

static void test_disagreements(void **state)
{
    (void)state;
    kb_document *d;
    kb_error err;
    assert_int_equal(kb_document_load(&d, proj, "ip01", 0, &err), 0);
    size_t both = respondent_sentence(d, 3), only_a = respondent_sentence(d, 6),
           only_b = respondent_sentence(d, 9);
    tag("anna", "vvg-roll-oklar", both);
    tag("bo", "vvg-roll-oklar", both);
    tag("anna", "vvg-roll-oklar", only_a);
    tag("bo", "vvg-roll-oklar", only_b);
    const char *coders[] = {"anna", "bo"};
    kb_agree_options o = KB_AGREE_OPTIONS_INIT;
    o.coders = coders;
    o.ncoders = 2;
    kb_agree_report *r;
    assert_int_equal(kb_project_agree(&r, proj, &o, &err), 0);
    assert_int_equal(kb_agree_report_disagreement_count(r), 2);
    assert_null(kb_agree_report_disagreement(r, 2));
    const size_t want[2] = {only_a, only_b};
    const char *by[2] = {"anna", "bo"};
    for (size_t i = 0; i < 2; i++) {
        const kb_agree_disagreement *x = kb_agree_report_disagreement(r, i);
        const kb_segment *s = kb_document_segment(d, KB_SEG_SENTENCE, want[i]);
        assert_string_equal(x->code, "vvg-roll-oklar");
        assert_non_null(x->label);
        assert_string_equal(x->document, "ip01");
        assert_int_equal(x->start, s->start);
        assert_int_equal(x->end, s->end);
        assert_int_equal(strlen(x->text), s->text_len);
        assert_memory_equal(x->text, s->text, s->text_len);
        assert_string_equal(x->marked_by, by[i]);
    }
    /* The unit both marked present is no disagreement; present counts it. */
    assert_int_equal(kb_agree_report_get(r, 0)->present, 3);
    kb_agree_report_free(r);
    /* Three coders: a unit two of them marked names both. */
    tag("cilla", "vvg-roll-oklar", only_a);
    tag("cilla", "vvg-roll-oklar", both);
    const char *three[] = {"anna", "bo", "cilla"};
    o.coders = three;
    o.ncoders = 3;
    assert_int_equal(kb_project_agree(&r, proj, &o, &err), 0);
    assert_int_equal(kb_agree_report_disagreement_count(r), 2);
    assert_string_equal(kb_agree_report_disagreement(r, 0)->marked_by,
                        "anna,cilla");
    assert_string_equal(kb_agree_report_disagreement(r, 1)->marked_by, "bo");
    kb_agree_report_free(r);
    kb_document_free(d);
}

int main(int argc, char **argv)
{
    source = argc > 1 ? argv[1] : ".";
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_data_version),
        cmocka_unit_test(test_busy),
        cmocka_unit_test(test_disagreements),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
