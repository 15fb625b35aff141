/*
 * test_codings.c: coding packs (codepack.c) and the tables `codings` and
 * `coding_facets` over them (codings.c): packs read back as written,
 * damaged packs refused, every query plan of the tables giving the rows
 * that were stored, and the migration of a schema-4 project's coding rows
 * into packs.
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
#include <unistd.h>

#include "store/codings.h"
#include "store/store.h"
#include "kodbok.h"

static char dir[256];

static int setup(void **state)
{
    (void)state;
    fixture_tmpdir(dir, sizeof dir, "codings");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return fixture_rmdir(dir);
}

static const char *path_of(const char *name)
{
    static char buf[512];
    snprintf(buf, sizeof buf, "%s/%s", dir, name);
    return buf;
}

/* Three codings: two on one segment, a match start that goes back, a
 * closed one, and zero to two facet values each. */
static void three_codings(kbi_cpack *p)
{
    kb_error err;
    assert_int_equal(kbi_cpack_add(p, 10, 500, 507, 0, &err), 0);
    assert_int_equal(
        kbi_cpack_facet(p, "level", "regional", KBI_FSRC_PATTERN, &err), 0);
    assert_int_equal(
        kbi_cpack_facet(p, "level", "lokal", KBI_FSRC_PATTERN, &err), 0);
    assert_int_equal(kbi_cpack_add(p, 10, 480, 481, 3, &err), 0);
    assert_int_equal(kbi_cpack_add(p, 1u << 20, 900000, 900010, 0, &err), 0);
    assert_int_equal(
        kbi_cpack_facet(p, "nivå", "nivåoberoende", KBI_FSRC_DEFAULT, &err), 0);
}

static void test_round_trip(void **state)
{
    (void)state;
    kbi_cpack p = {0}, q = {0};
    kb_error err;
    three_codings(&p);
    unsigned char *blob;
    size_t len;
    assert_int_equal(kbi_cpack_encode(&p, &blob, &len, &err), 0);
    assert_int_equal(kbi_cpack_decode(&q, blob, len, &err), 0);
    assert_int_equal(q.n, 3);
    const int64_t want[3][4] = {
        {10, 500, 507, 0}, {10, 480, 481, 3}, {1 << 20, 900000, 900010, 0}};
    const size_t nf[3] = {2, 0, 1};
    for (int i = 0; i < 3; i++) {
        assert_int_equal(q.v[i].segment, want[i][0]);
        assert_int_equal(q.v[i].mstart, want[i][1]);
        assert_int_equal(q.v[i].mend, want[i][2]);
        assert_int_equal(q.v[i].to_run, want[i][3]);
        assert_int_equal(q.v[i].fn, nf[i]);
    }
    assert_string_equal(q.f[q.v[0].fat].facet, "level");
    assert_string_equal(q.f[q.v[0].fat].value, "regional");
    assert_string_equal(q.f[q.v[0].fat + 1].value, "lokal");
    assert_int_equal(q.f[q.v[0].fat + 1].source, KBI_FSRC_PATTERN);
    assert_string_equal(q.f[q.v[2].fat].facet, "nivå");
    assert_string_equal(q.f[q.v[2].fat].value, "nivåoberoende");
    assert_int_equal(q.f[q.v[2].fat].source, KBI_FSRC_DEFAULT);
    /* alive while one coding is; else the last run one was alive in */
    assert_int_equal(kbi_cpack_to_run(&q), 0);
    q.v[0].to_run = 5;
    q.v[2].to_run = 4;
    assert_int_equal(kbi_cpack_to_run(&q), 5);
    /* Each string once: 'C', 1, n, nstr; "level", "regional", "lokal",
     * "nivå" and "nivåoberoende" with a length byte and a NUL each (47);
     * the codings: 12, 5 (a step back of 20 is one zigzag byte) and 12
     * (a step of 2^20 - 10 and a zigzag 1,799,040 take 3 bytes each). */
    assert_int_equal(len, 4 + 47 + 12 + 5 + 12);
    free(blob);
    kbi_cpack_free(&p);
    kbi_cpack_free(&q);
    assert_string_equal(kbi_fsource_name(KBI_FSRC_ATTRIBUTE), "attribute");
    assert_int_equal(kbi_fsource_parse("manual"), KBI_FSRC_MANUAL);
    assert_int_equal(kbi_fsource_parse("pattern"), KBI_FSRC_PATTERN);
    assert_int_equal(kbi_fsource_parse("other"), -1);
    assert_null(kbi_fsource_name(4));
}

static void test_damaged(void **state)
{
    (void)state;
    kbi_cpack p = {0}, q = {0};
    kb_error err;
    three_codings(&p);
    unsigned char *blob;
    size_t len;
    assert_int_equal(kbi_cpack_encode(&p, &blob, &len, &err), 0);
    for (size_t cut = 0; cut < len; cut++)
        assert_int_equal(kbi_cpack_decode(&q, blob, cut, &err), KB_EDB);
    unsigned char *more = malloc(len + 1);
    memcpy(more, blob, len);
    more[len] = 0;
    assert_int_equal(kbi_cpack_decode(&q, more, len + 1, &err), KB_EDB);
    more[0] = 'S';
    assert_int_equal(kbi_cpack_decode(&q, more, len, &err), KB_EDB);
    free(more);
    free(blob);
    /* codings out of segment order are refused */
    kbi_cpack_reset(&p);
    assert_int_equal(kbi_cpack_add(&p, 7, 0, 1, 0, &err), 0);
    assert_int_equal(kbi_cpack_add(&p, 6, 0, 1, 0, &err), 0);
    assert_int_equal(kbi_cpack_encode(&p, &blob, &len, &err), KB_EINVAL);
    kbi_cpack_free(&p);
    kbi_cpack_free(&q);
}

/* The rows a query gives, one line each, columns separated by '|'. */
static char *rows_of(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    size_t cap = 4096, n = 0;
    char *out = calloc(cap, 1);
    while (sqlite3_step(st) == SQLITE_ROW)
        for (int i = 0; i < sqlite3_column_count(st); i++) {
            const char *v = (const char *)sqlite3_column_text(st, i);
            n +=
                (size_t)snprintf(out + n, cap - n, "%s%s", v ? v : "NULL",
                                 i + 1 < sqlite3_column_count(st) ? "|" : "\n");
            assert_true(n < cap);
        }
    sqlite3_finalize(st);
    return out;
}

static void expect_rows(sqlite3 *db, const char *sql, const char *want)
{
    char *got = rows_of(db, sql);
    if (strcmp(got, want))
        fail_msg("%s\ngot:\n%swant:\n%s", sql, got, want);
    free(got);
}

/* Packs 1 (version 1, a, run 1), 2 (version 1, b, run 2) and 3 (version 2,
 * a, run 1) written through kbi_packw; the ids of their codings are the
 * pack's id times 2^24 plus their place. */
#define ID(pack, i) (((pack) << 24) + (i))

static void test_tables(void **state)
{
    (void)state;
    kb_project *proj;
    kb_error err;
    assert_int_equal(kb_project_init(&proj, path_of("t.db"), &err), 0);
    kb_project_free(proj);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path_of("t.db"), &db), SQLITE_OK);
    assert_int_equal(kbi_codings_register(db, &err), 0);
    kbi_packw w;
    kbi_cpack p = {0};
    assert_int_equal(kbi_packw_prepare(&w, db, &err), 0);
    assert_int_equal(kbi_cpack_add(&p, 5, 10, 12, 0, &err), 0);
    assert_int_equal(
        kbi_cpack_facet(&p, "level", "regional", KBI_FSRC_PATTERN, &err), 0);
    assert_int_equal(kbi_cpack_add(&p, 7, 30, 35, 0, &err), 0);
    assert_int_equal(
        kbi_cpack_facet(&p, "level", "lokal", KBI_FSRC_ATTRIBUTE, &err), 0);
    assert_int_equal(kbi_packw_insert(&w, 1, "a", 1, &p, &err), 0);
    kbi_cpack_reset(&p);
    assert_int_equal(kbi_cpack_add(&p, 6, 20, 21, 3, &err), 0);
    assert_int_equal(kbi_packw_insert(&w, 1, "b", 2, &p, &err), 0);
    kbi_cpack_reset(&p);
    assert_int_equal(kbi_cpack_add(&p, 100, 0, 4, 0, &err), 0);
    assert_int_equal(
        kbi_cpack_facet(&p, "level", "regional", KBI_FSRC_DEFAULT, &err), 0);
    assert_int_equal(kbi_packw_insert(&w, 2, "a", 1, &p, &err), 0);
    /* an empty pack is not written */
    kbi_cpack_reset(&p);
    assert_int_equal(kbi_packw_insert(&w, 3, "c", 1, &p, &err), 0);
    expect_rows(db,
                "SELECT id, version_id, concept, from_run, to_run, alive FROM"
                " coding_packs ORDER BY id",
                "1|1|a|1|NULL|2\n2|1|b|2|3|0\n3|2|a|1|NULL|1\n");

    char all[512];
    snprintf(all, sizeof all,
             "%d|1|NULL|1|a|5|10|12\n%d|1|NULL|1|a|7|30|35\n"
             "%d|2|3|1|b|6|20|21\n%d|1|NULL|2|a|100|0|4\n",
             ID(1, 0), ID(1, 1), ID(2, 0), ID(3, 0));
    expect_rows(db, "SELECT * FROM codings", all);
    expect_rows(db, "SELECT * FROM codings ORDER BY id", all);
    expect_rows(db,
                "SELECT segment_id FROM codings WHERE version_id = 1 AND"
                " concept = 'a'",
                "5\n7\n");
    expect_rows(db, "SELECT segment_id FROM codings WHERE version_id = 1",
                "5\n7\n6\n");
    /* a segment is found by bisection in each pack */
    expect_rows(db,
                "SELECT match_start FROM codings WHERE version_id = 1 AND"
                " concept = 'a' AND segment_id = 7",
                "30\n");
    expect_rows(db,
                "SELECT concept FROM codings WHERE version_id = 1 AND"
                " segment_id = 6",
                "b\n");
    expect_rows(db,
                "SELECT concept FROM codings WHERE version_id = 1 AND"
                " segment_id IN (4, 8, 'x')",
                "");
    expect_rows(db, "SELECT segment_id FROM codings WHERE concept = 'a'",
                "5\n7\n100\n");
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT segment_id FROM codings WHERE id = %d",
             ID(1, 1));
    expect_rows(db, sql, "7\n");
    snprintf(sql, sizeof sql, "SELECT segment_id FROM codings WHERE id = %d",
             ID(1, 2));
    expect_rows(db, sql, "");
    expect_rows(db, "SELECT segment_id FROM codings WHERE id = 'x'", "");
    expect_rows(db, "SELECT segment_id FROM codings WHERE id = -1", "");
    snprintf(sql, sizeof sql,
             "SELECT segment_id FROM codings WHERE id >= %d ORDER BY id",
             ID(1, 1));
    expect_rows(db, sql, "7\n6\n100\n");
    snprintf(sql, sizeof sql,
             "SELECT segment_id FROM codings WHERE id > %d ORDER BY id",
             ID(1, 1));
    expect_rows(db, sql, "6\n100\n");
    /* alive at run 2: the closed coding was alive until run 3 */
    expect_rows(db,
                "SELECT segment_id FROM codings WHERE from_run <= 4 AND"
                " (to_run IS NULL OR to_run >= 4)",
                "5\n7\n100\n");

    snprintf(all, sizeof all,
             "%d|level|regional|pattern\n%d|level|lokal|attribute\n"
             "%d|level|regional|default\n",
             ID(1, 0), ID(1, 1), ID(3, 0));
    expect_rows(db, "SELECT * FROM coding_facets", all);
    snprintf(sql, sizeof sql,
             "SELECT value FROM coding_facets WHERE coding_id = %d", ID(1, 1));
    expect_rows(db, sql, "lokal\n");
    snprintf(sql, sizeof sql,
             "SELECT value FROM coding_facets WHERE coding_id = %d", ID(2, 0));
    expect_rows(db, sql, "");
    snprintf(sql, sizeof sql,
             "SELECT coding_id FROM coding_facets WHERE coding_id >= %d",
             ID(1, 1));
    char want[64];
    snprintf(want, sizeof want, "%d\n%d\n", ID(1, 1), ID(3, 0));
    expect_rows(db, sql, want);
    /* joined as a query counting a facet value would */
    expect_rows(db,
                "SELECT COUNT(*) FROM codings c JOIN coding_facets f ON"
                " f.coding_id = c.id AND f.facet = 'level' AND f.value ="
                " 'regional'",
                "2\n");
    expect_rows(db,
                "SELECT c.segment_id, (SELECT group_concat(value) FROM"
                " coding_facets WHERE coding_id = c.id) FROM codings c",
                "5|regional\n7|lokal\n6|NULL\n100|regional\n");

    /* a pack rewritten: the closed coding is alive again, one is gone */
    kbi_cpack_reset(&p);
    assert_int_equal(kbi_cpack_add(&p, 6, 20, 21, 0, &err), 0);
    assert_int_equal(kbi_packw_update(&w, 2, &p, &err), 0);
    expect_rows(db, "SELECT to_run, alive FROM coding_packs WHERE id = 2",
                "NULL|1\n");
    kbi_cpack_reset(&p);
    assert_int_equal(kbi_packw_update(&w, 3, &p, &err), 0);
    expect_rows(db, "SELECT segment_id, to_run FROM codings",
                "5|NULL\n7|NULL\n6|NULL\n");

    /* a pack stored as encoded: every coding alive */
    kbi_cpack_reset(&p);
    assert_int_equal(kbi_cpack_add(&p, 40, 0, 3, 0, &err), 0);
    assert_int_equal(kbi_cpack_add(&p, 41, 5, 9, 0, &err), 0);
    unsigned char *blob;
    size_t len, n;
    assert_int_equal(kbi_cpack_encode(&p, &blob, &len, &err), 0);
    assert_int_equal(kbi_cpack_count(blob, len, &n, &err), 0);
    assert_int_equal(n, 2);
    n = 0;
    assert_int_equal(kbi_packw_insert_blob(&w, 4, "d", 3, blob, len, &n, &err),
                     0);
    assert_int_equal(n, 2);
    free(blob);
    expect_rows(db,
                "SELECT version_id, concept, from_run, to_run, alive FROM"
                " coding_packs WHERE concept = 'd'",
                "4|d|3|NULL|2\n");
    assert_int_equal(kbi_cpack_count("X", 1, &n, &err), KB_EDB);

    /* the tables are read-only */
    assert_int_not_equal(
        sqlite3_exec(db, "DELETE FROM codings", NULL, NULL, NULL), SQLITE_OK);
    kbi_packw_free(&w);
    kbi_cpack_free(&p);
    kbi_store_close(db);
}

/* A schema-4 project's coding rows become packs when it is opened. */
static void test_migration(void **state)
{
    (void)state;
    kb_project *proj;
    kb_error err;
    assert_int_equal(kb_project_init(&proj, path_of("m.db"), &err), 0);
    kb_project_free(proj);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path_of("m.db"), &db), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(
            db,
            "DROP TABLE coding_packs;"
            " CREATE TABLE codings(id INTEGER PRIMARY KEY, from_run INTEGER"
            " NOT NULL, to_run INTEGER, version_id INTEGER NOT NULL, concept"
            " TEXT NOT NULL, segment_id INTEGER NOT NULL, match_start INTEGER"
            " NOT NULL, match_end INTEGER NOT NULL);"
            " CREATE TABLE coding_facets(coding_id INTEGER NOT NULL, facet"
            " TEXT NOT NULL, value TEXT NOT NULL, source TEXT NOT NULL,"
            " PRIMARY KEY(coding_id, facet, value)) WITHOUT ROWID;"
            /* rows out of id order and a pack's worth out of segment order */
            " INSERT INTO codings VALUES(7, 2, NULL, 2, 'a', 8, 1, 2),"
            "  (3, 1, NULL, 1, 'a', 7, 30, 35), (2, 1, NULL, 1, 'a', 5, 10,"
            "  12), (4, 1, 1, 1, 'a', 9, 40, 41), (5, 2, NULL, 1, 'a', 11, 50,"
            "  52), (6, 1, NULL, 1, 'b', 5, 10, 11);"
            " INSERT INTO coding_facets VALUES(2, 'level', 'regional',"
            "  'pattern'), (2, 'level', 'lokal', 'pattern'), (3, 'level',"
            "  'lokal', 'manual'), (7, 'level', 'nivaoberoende', 'default');"
            /* schema 12's column, schema 10's table */
            " ALTER TABLE manual_codings DROP COLUMN featured;"
            " DROP TABLE coder_tokens;"
            /* schema 9's table and columns */
            " DROP TABLE memos;"
            " ALTER TABLE manual_codings DROP COLUMN memo_author;"
            " ALTER TABLE manual_codings DROP COLUMN memo_created_at;"
            " ALTER TABLE manual_codings DROP COLUMN memo_changed_at;"
            /* schema 8's column */
            " ALTER TABLE versions DROP COLUMN read_encoding;"
            /* schema 7's columns and table */
            " DROP TABLE version_header;"
            " ALTER TABLE versions DROP COLUMN read_format;"
            " ALTER TABLE versions DROP COLUMN read_speaker;"
            " ALTER TABLE versions DROP COLUMN read_interviewers;"
            " ALTER TABLE cases DROP COLUMN interviewer;"
            /* the version tables of schema 4 */
            " DROP TABLE version_texts; DROP TABLE version_segments;"
            " ALTER TABLE versions ADD COLUMN text TEXT NOT NULL DEFAULT '';"
            " ALTER TABLE versions ADD COLUMN segments BLOB;"
            " PRAGMA user_version = 4",
            NULL, NULL, NULL),
        SQLITE_OK);
    kbi_store_close(db);

    assert_int_equal(kb_project_open(&proj, path_of("m.db"), &err), 0);
    kb_project_free(proj);
    assert_int_equal(sqlite3_open(path_of("m.db"), &db), SQLITE_OK);
    expect_rows(db, "PRAGMA user_version", "12\n");
    expect_rows(db,
                "SELECT count(*) FROM sqlite_schema WHERE name IN ('codings',"
                " 'coding_facets')",
                "0\n");
    /* one pack per version, concept and run, with its alive codings */
    expect_rows(db,
                "SELECT version_id, concept, from_run, to_run, alive FROM"
                " coding_packs ORDER BY version_id, concept, from_run",
                "1|a|1|NULL|2\n1|a|2|NULL|1\n1|b|1|NULL|1\n2|a|2|NULL|1\n");
    assert_int_equal(kbi_codings_register(db, &err), 0);
    /* the same rows (ids aside) and the same facet values */
    expect_rows(db,
                "SELECT from_run, to_run, version_id, concept, segment_id,"
                " match_start, match_end FROM codings ORDER BY version_id,"
                " concept, segment_id",
                "1|NULL|1|a|5|10|12\n1|NULL|1|a|7|30|35\n1|1|1|a|9|40|41\n"
                "2|NULL|1|a|11|50|52\n1|NULL|1|b|5|10|11\n2|NULL|2|a|8|1|2\n");
    expect_rows(
        db,
        "SELECT c.version_id, c.concept, c.segment_id, f.facet,"
        " f.value, f.source FROM codings c JOIN coding_facets f ON"
        " f.coding_id = c.id ORDER BY 1, 2, 3, 5",
        "1|a|5|level|lokal|pattern\n1|a|5|level|regional|pattern\n"
        "1|a|7|level|lokal|manual\n2|a|8|level|nivaoberoende|default\n");
    kbi_store_close(db);
}

/* A schema-10 project's packs get their count of alive codings. */
static void test_alive_migration(void **state)
{
    (void)state;
    kb_project *proj;
    kb_error err;
    assert_int_equal(kb_project_init(&proj, path_of("a.db"), &err), 0);
    kb_project_free(proj);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path_of("a.db"), &db), SQLITE_OK);
    kbi_packw w;
    kbi_cpack p = {0};
    assert_int_equal(kbi_packw_prepare(&w, db, &err), 0);
    three_codings(&p); /* one of three closed */
    assert_int_equal(kbi_packw_insert(&w, 1, "a", 1, &p, &err), 0);
    kbi_cpack_reset(&p);
    assert_int_equal(kbi_cpack_add(&p, 6, 20, 21, 3, &err), 0);
    assert_int_equal(kbi_packw_insert(&w, 1, "b", 2, &p, &err), 0);
    kbi_packw_free(&w);
    kbi_cpack_free(&p);
    assert_int_equal(sqlite3_exec(db,
                                  "ALTER TABLE coding_packs DROP COLUMN alive;"
                                  /* schema 12's column and memos table */
                                  " ALTER TABLE manual_codings DROP COLUMN"
                                  " featured; DROP TABLE memos;"
                                  " CREATE TABLE memos(id INTEGER PRIMARY KEY,"
                                  " target TEXT, name TEXT, author TEXT,"
                                  " created_at TEXT, changed_at TEXT,"
                                  " text TEXT);"
                                  " PRAGMA user_version = 10",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    kbi_store_close(db);
    assert_int_equal(kb_project_open(&proj, path_of("a.db"), &err), 0);
    kb_project_free(proj);
    assert_int_equal(sqlite3_open(path_of("a.db"), &db), SQLITE_OK);
    expect_rows(db, "PRAGMA user_version", "12\n");
    expect_rows(db, "SELECT concept, alive FROM coding_packs ORDER BY id",
                "a|2\nb|0\n");
    kbi_store_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_damaged),
        cmocka_unit_test(test_tables),
        cmocka_unit_test(test_migration),
        cmocka_unit_test(test_alive_migration),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
