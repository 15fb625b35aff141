/*
 * test_memo.c: memos through the library: written, changed, removed and
 * listed on each target; a manual coding's one memo, the same through
 * kb_tag_add, kb_memo_* and kb_project_tags; the memos of a schema-8
 * project (codings' memos) listed after its migration; memos on a code at a
 * facet value (a theme x level cell): checked, listed and filtered, kept by
 * the migration to schema 12 and by a rename with was:; the memos file
 * written and read back, cells and files of the form before them too; and
 * the memos in the report (under their code in the codebook's tree, a
 * cell's headed by its value, the journal in its own section, dated) and
 * in the slides' speaker notes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <sqlite3.h>

#include "fixture.h"
#include "kodbok.h"

static const char *source;
static char dir[256], db_path[300], cb_path[512];
static kb_project *proj;

static int setup(void **state)
{
    (void)state;
    fixture_tmpdir(dir, sizeof dir, "memo");
    snprintf(db_path, sizeof db_path, "%s/p.db", dir);
    snprintf(cb_path, sizeof cb_path, "%s/codebooks/vardsamverkan.yaml",
             source);
    proj = fixture_sample(source, db_path, cb_path);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    kb_project_free(proj);
    return fixture_rmdir(dir);
}

/* The memos about `about` (NULL: all). */
static kb_memo_list *memos_of(const kb_memo_about *about)
{
    kb_memo_list *l;
    kb_error err;
    assert_int_equal(kb_project_memos(&l, proj, about, NULL, &err), 0);
    return l;
}

/* Removes every memo of table memos, so that each test starts alike. */
static void clear(void)
{
    kb_memo_list *l = memos_of(NULL);
    kb_error err;
    for (size_t i = 0; i < kb_memo_list_count(l); i++) {
        const kb_memo_info *m = kb_memo_list_get(l, i);
        assert_int_equal(
            kb_memo_remove(proj,
                           m->target == KB_MEMO_CODING ? m->coding : m->id,
                           m->target == KB_MEMO_CODING, &err),
            0);
    }
    kb_memo_list_free(l);
}

static void test_targets(void **state)
{
    (void)state;
    clear();
    kb_error err;
    int64_t id[6];
    const kb_memo_about journal = {KB_MEMO_PROJECT, NULL, 0, NULL},
                        doc = {KB_MEMO_DOCUMENT, "ip03", 0, NULL},
                        cas = {KB_MEMO_CASE, "ip04", 0, NULL},
                        code = {KB_MEMO_CODE, "struktur", 0, NULL};
    /* two entries of one author at once: two memos, two times */
    assert_int_equal(
        kb_memo_add(&id[0], proj, &journal, "anna", "Första.\r\n\r\n", &err),
        0);
    assert_int_equal(kb_memo_add(&id[1], proj, &journal, "anna",
                                 "Andra, *kursivt*.\n- a\n- b", &err),
                     0);
    assert_int_equal(kb_memo_add(&id[2], proj, &doc, "bo", "Om ip03", &err), 0);
    assert_int_equal(kb_memo_add(&id[3], proj, &cas, "bo", "Om fallet", &err),
                     0);
    assert_int_equal(kb_memo_add(&id[4], proj, &code, "anna", "Tema", &err), 0);
    kb_memo_list *l = memos_of(NULL);
    assert_int_equal(kb_memo_list_count(l), 5);
    const kb_memo_info *m = kb_memo_list_get(l, 0);
    assert_int_equal(m->id, id[0]);
    assert_int_equal(m->target, KB_MEMO_PROJECT);
    assert_string_equal(m->name, "");
    assert_string_equal(m->text, "Första."); /* CR LF and the end dropped */
    assert_string_equal(m->created_at, m->changed_at);
    assert_int_equal(strlen(m->created_at), 24);
    const kb_memo_info *m2 = kb_memo_list_get(l, 1);
    assert_string_equal(m2->text, "Andra, *kursivt*.\n- a\n- b");
    assert_true(strcmp(m2->created_at, m->created_at) > 0);
    assert_int_equal(kb_memo_list_get(l, 2)->target, KB_MEMO_DOCUMENT);
    assert_string_equal(kb_memo_list_get(l, 2)->author, "bo");
    assert_int_equal(kb_memo_list_get(l, 3)->target, KB_MEMO_CASE);
    m = kb_memo_list_get(l, 4);
    assert_int_equal(m->target, KB_MEMO_CODE);
    assert_int_equal(m->kind, KB_CODE_THEME);
    assert_string_equal(m->name, "struktur");
    kb_memo_list_free(l);
    /* filters */
    l = memos_of(&journal);
    assert_int_equal(kb_memo_list_count(l), 2);
    kb_memo_list_free(l);
    l = memos_of(&doc);
    assert_int_equal(kb_memo_list_count(l), 1);
    kb_memo_list_free(l);
    assert_int_equal(kb_project_memos(&l, proj, NULL, "bo", &err), 0);
    assert_int_equal(kb_memo_list_count(l), 2);
    kb_memo_list_free(l);

    /* edit: the same text stores nothing; another text moves changed_at */
    int changed = -1;
    assert_int_equal(kb_memo_edit(&changed, proj, id[2], 0, "Om ip03\n", &err),
                     0);
    assert_int_equal(changed, 0);
    l = memos_of(&doc);
    assert_string_equal(kb_memo_list_get(l, 0)->changed_at,
                        kb_memo_list_get(l, 0)->created_at);
    kb_memo_list_free(l);
    struct timespec later = {0, 5000000L}; /* a change time of its own */
    nanosleep(&later, NULL);
    assert_int_equal(kb_memo_edit(&changed, proj, id[2], 0, "Nytt", &err), 0);
    assert_int_equal(changed, 1);
    l = memos_of(&doc);
    assert_string_equal(kb_memo_list_get(l, 0)->text, "Nytt");
    assert_true(strcmp(kb_memo_list_get(l, 0)->changed_at,
                       kb_memo_list_get(l, 0)->created_at) > 0);
    kb_memo_list_free(l);
    assert_int_equal(kb_memo_edit(&changed, proj, id[2], 0, " \n ", &err),
                     KB_EINVAL);
    assert_string_equal(err.argument, "text");
    assert_int_equal(kb_memo_edit(&changed, proj, 999, 0, "x", &err),
                     KB_ENOENT);

    /* targets the project does not have, named with the nearest */
    const kb_memo_about nodoc = {KB_MEMO_DOCUMENT, "ip3", 0, NULL},
                        nocase = {KB_MEMO_CASE, "nobody-at-all", 0, NULL},
                        nocode = {KB_MEMO_CODE, "strukture", 0, NULL},
                        named = {KB_MEMO_PROJECT, "ip01", 0, NULL},
                        nothing = {(kb_memo_target)9, NULL, 0, NULL};
    assert_int_equal(kb_memo_add(NULL, proj, &nodoc, "anna", "x", &err),
                     KB_ENOENT);
    assert_non_null(strstr(err.message, "no document 'ip3'"));
    assert_non_null(strstr(err.message, "did you mean 'ip0"));
    assert_int_equal(kb_memo_add(NULL, proj, &nocase, "anna", "x", &err),
                     KB_ENOENT);
    assert_null(strstr(err.message, "did you mean"));
    assert_int_equal(kb_memo_add(NULL, proj, &nocode, "anna", "x", &err),
                     KB_ENOENT);
    assert_non_null(strstr(err.message, "did you mean 'struktur'"));
    assert_int_equal(kb_memo_add(NULL, proj, &named, "anna", "x", &err),
                     KB_EINVAL);
    assert_int_equal(kb_memo_add(NULL, proj, &nothing, "anna", "x", &err),
                     KB_EINVAL);
    assert_int_equal(kb_memo_add(NULL, proj, &journal, "an na", "x", &err),
                     KB_EINVAL);
    assert_string_equal(err.argument, "author");
    assert_int_equal(kb_memo_add(NULL, proj, &journal, "anna", "\t", &err),
                     KB_EINVAL);
    assert_int_equal(
        kb_memo_add(NULL, proj, &journal, "anna", "bad \xff UTF-8", &err),
        KB_EINVAL);
    l = memos_of(NULL);
    assert_int_equal(kb_memo_list_count(l), 5); /* none of those stored */
    kb_memo_list_free(l);

    /* remove */
    assert_int_equal(kb_memo_remove(proj, id[3], 0, &err), 0);
    assert_int_equal(kb_memo_remove(proj, id[3], 0, &err), KB_ENOENT);
    l = memos_of(&cas);
    assert_int_equal(kb_memo_list_count(l), 0);
    kb_memo_list_free(l);
}

static void test_coding_memo(void **state)
{
    (void)state;
    clear();
    kb_error err;
    int64_t tag, other;
    kb_tag_options o = KB_TAG_OPTIONS_INIT;
    o.coder = "anna";
    o.memo = "Från taggen.";
    kb_where at = {.by = KB_AT_SPAN, .start = 100, .end = 140};
    assert_int_equal(kb_tag_add(&tag, proj, "ip02", "struktur", &at, &o, &err),
                     0);
    o.memo = NULL;
    assert_int_equal(
        kb_tag_add(&other, proj, "ip02", "organisering", &at, &o, &err), 0);
    const kb_memo_about one = {KB_MEMO_CODING, NULL, tag, NULL};
    kb_memo_list *l = memos_of(&one);
    assert_int_equal(kb_memo_list_count(l), 1);
    const kb_memo_info *m = kb_memo_list_get(l, 0);
    assert_int_equal(m->target, KB_MEMO_CODING);
    assert_int_equal(m->id, 0);
    assert_int_equal(m->coding, tag);
    assert_string_equal(m->code, "struktur");
    assert_string_equal(m->name, "ip02");
    assert_string_equal(m->author, "anna"); /* the coder */
    assert_string_equal(m->text, "Från taggen.");
    kb_memo_list_free(l);
    /* one memo per coding */
    assert_int_equal(kb_memo_add(NULL, proj, &one, "bo", "x", &err), KB_EEXIST);
    assert_non_null(strstr(err.message, "`kb_memo_edit`"));
    int changed;
    assert_int_equal(kb_memo_edit(&changed, proj, tag, 1, "Ändrad.", &err), 0);
    assert_int_equal(changed, 1);
    kb_tag_list *tl;
    assert_int_equal(kb_project_tags(&tl, proj, "anna", &err), 0);
    for (size_t i = 0; i < kb_tag_list_count(tl); i++)
        if (kb_tag_list_get(tl, i)->id == tag)
            assert_string_equal(kb_tag_list_get(tl, i)->memo, "Ändrad.");
    kb_tag_list_free(tl);
    /* a memo added to a coding without one: its author, not the coder */
    const kb_memo_about two = {KB_MEMO_CODING, NULL, other, NULL};
    assert_int_equal(kb_memo_edit(&changed, proj, other, 1, "x", &err),
                     KB_ENOENT);
    assert_int_equal(kb_memo_remove(proj, other, 1, &err), KB_ENOENT);
    int64_t got;
    assert_int_equal(kb_memo_add(&got, proj, &two, "bo", "Bos.", &err), 0);
    assert_int_equal(got, other);
    l = memos_of(&two);
    assert_string_equal(kb_memo_list_get(l, 0)->author, "bo");
    kb_memo_list_free(l);
    const kb_memo_about none = {KB_MEMO_CODING, NULL, 99999, NULL};
    assert_int_equal(kb_memo_add(NULL, proj, &none, "bo", "x", &err),
                     KB_ENOENT);
    /* removing the memo leaves the coding */
    assert_int_equal(kb_memo_remove(proj, tag, 1, &err), 0);
    assert_int_equal(kb_project_tags(&tl, proj, "anna", &err), 0);
    int found = 0;
    for (size_t i = 0; i < kb_tag_list_count(tl); i++)
        if (kb_tag_list_get(tl, i)->id == tag) {
            found = 1;
            assert_string_equal(kb_tag_list_get(tl, i)->memo, "");
        }
    assert_true(found);
    kb_tag_list_free(tl);
    assert_int_equal(kb_tag_remove_id(proj, tag, &err), 0);
    /* a coding with a memo stays until its memo is removed */
    assert_int_equal(kb_tag_remove_id(proj, other, &err), KB_EEXIST);
    assert_non_null(strstr(err.message, "has a memo (\"Bos.\")"));
    assert_int_equal(kb_memo_remove(proj, other, 1, &err), 0);
    assert_int_equal(kb_tag_remove_id(proj, other, &err), 0);
}

/* A project of schema 8, whose codings have memos, keeps them as the
 * codings' memos once migrated. */
static void test_migration(void **state)
{
    (void)state;
    clear();
    kb_error err;
    char path[320];
    snprintf(path, sizeof path, "%s/old.db", dir);
    kb_project *p = fixture_sample(source, path, cb_path);
    kb_tag_options o = KB_TAG_OPTIONS_INIT;
    o.coder = "cilla";
    o.memo = "En gammal memo.";
    kb_where at = {.by = KB_AT_SPAN, .start = 10, .end = 30};
    int64_t tag;
    assert_int_equal(kb_tag_add(&tag, p, "ip01", "struktur", &at, &o, &err), 0);
    kb_project_free(p);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(db,
                     "ALTER TABLE manual_codings DROP COLUMN featured;"
                     " DROP TABLE coder_tokens;" /* schema 10's, 12's */
                     " DROP TABLE memos;"
                     " ALTER TABLE manual_codings DROP COLUMN memo_author;"
                     " ALTER TABLE manual_codings DROP COLUMN memo_created_at;"
                     " ALTER TABLE manual_codings DROP COLUMN memo_changed_at;"
                     " PRAGMA user_version = 8",
                     NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(kb_project_open(&p, path, &err), 0);
    kb_memo_list *l;
    assert_int_equal(kb_project_memos(&l, p, NULL, NULL, &err), 0);
    assert_int_equal(kb_memo_list_count(l), 1);
    const kb_memo_info *m = kb_memo_list_get(l, 0);
    assert_int_equal(m->target, KB_MEMO_CODING);
    assert_int_equal(m->coding, tag);
    assert_string_equal(m->author, "cilla");
    assert_string_equal(m->text, "En gammal memo.");
    kb_memo_list_free(l);
    const kb_memo_about journal = {KB_MEMO_PROJECT, NULL, 0, NULL};
    assert_int_equal(kb_memo_add(NULL, p, &journal, "cilla", "Ny.", &err), 0);
    kb_project_free(p);
}

/* The `at` of each memo of `l`, joined by '|'. */
static void ats(const kb_memo_list *l, char *out, size_t size)
{
    size_t n = 0;
    out[0] = '\0';
    for (size_t i = 0; i < kb_memo_list_count(l); i++)
        n += (size_t)snprintf(out + n, size - n, "%s%s", i ? "|" : "",
                              kb_memo_list_get(l, i)->at);
}

/* Memos on a theme at a value of the facet level: added with the facet and
 * value checked, listed after the theme's memo as a whole, by their
 * "facet=value", and filtered by it. */
static void test_cells(void **state)
{
    (void)state;
    clear();
    kb_error err;
    int64_t id;
    const kb_memo_about regional = {KB_MEMO_CODE, "struktur", 0,
                                    "level=regional"},
                        lokal = {KB_MEMO_CODE, "struktur", 0, "level=lokal"},
                        whole = {KB_MEMO_CODE, "struktur", 0, ""},
                        any = {KB_MEMO_CODE, "struktur", 0, NULL},
                        every = {KB_MEMO_CODE, NULL, 0, "level=regional"},
                        covid = {KB_MEMO_CODE, "covid-19", 0, "level=regional"},
                        journal = {KB_MEMO_PROJECT, NULL, 0, NULL};
    assert_int_equal(
        kb_memo_add(&id, proj, &regional, "anna", "Regionalt.", &err), 0);
    assert_int_equal(kb_memo_add(NULL, proj, &lokal, "bo", "Lokalt.", &err), 0);
    assert_int_equal(kb_memo_add(NULL, proj, &any, "anna", "Hela.", &err), 0);
    assert_int_equal(kb_memo_add(NULL, proj, &covid, "bo", "Covid.", &err), 0);
    assert_int_equal(kb_memo_add(NULL, proj, &journal, "bo", "Dag.", &err), 0);
    char got[256];
    kb_memo_list *l = memos_of(&any);
    ats(l, got, sizeof got);
    /* as a whole first, then the cells by "facet=value" */
    assert_string_equal(got, "|level=lokal|level=regional");
    assert_int_equal(kb_memo_list_get(l, 2)->id, id);
    assert_int_equal(kb_memo_list_get(l, 2)->kind, KB_CODE_THEME);
    assert_string_equal(kb_memo_list_get(l, 2)->text, "Regionalt.");
    kb_memo_list_free(l);
    l = memos_of(&whole);
    assert_int_equal(kb_memo_list_count(l), 1);
    assert_string_equal(kb_memo_list_get(l, 0)->text, "Hela.");
    kb_memo_list_free(l);
    l = memos_of(&regional);
    assert_int_equal(kb_memo_list_count(l), 1);
    assert_string_equal(kb_memo_list_get(l, 0)->author, "anna");
    kb_memo_list_free(l);
    l = memos_of(&every); /* every code's memos at level=regional */
    assert_int_equal(kb_memo_list_count(l), 2);
    assert_string_equal(kb_memo_list_get(l, 0)->name, "covid-19");
    assert_string_equal(kb_memo_list_get(l, 1)->name, "struktur");
    kb_memo_list_free(l);
    l = memos_of(&journal);
    assert_int_equal(kb_memo_list_count(l), 1);
    assert_string_equal(kb_memo_list_get(l, 0)->at, "");
    kb_memo_list_free(l);
    /* a cell's memo is edited and removed by its id */
    assert_int_equal(kb_memo_edit(NULL, proj, id, 0, "Regionalt, igen.", &err),
                     0);
    l = memos_of(&regional);
    assert_string_equal(kb_memo_list_get(l, 0)->text, "Regionalt, igen.");
    assert_string_equal(kb_memo_list_get(l, 0)->at, "level=regional");
    kb_memo_list_free(l);
    assert_int_equal(kb_memo_remove(proj, id, 0, &err), 0);
    l = memos_of(&regional);
    assert_int_equal(kb_memo_list_count(l), 0);
    kb_memo_list_free(l);

    /* what cannot be: nothing stored, the message naming it */
    l = memos_of(NULL);
    size_t before = kb_memo_list_count(l);
    kb_memo_list_free(l);
    const kb_memo_about on_journal = {KB_MEMO_PROJECT, NULL, 0, "level=lokal"},
                        on_doc = {KB_MEMO_DOCUMENT, "ip01", 0, "level=lokal"},
                        on_coding = {KB_MEMO_CODING, NULL, 1, "level=lokal"},
                        no_eq = {KB_MEMO_CODE, "struktur", 0, "lokal"},
                        no_facet = {KB_MEMO_CODE, "struktur", 0, "=lokal"},
                        no_value = {KB_MEMO_CODE, "struktur", 0, "level="},
                        facet = {KB_MEMO_CODE, "struktur", 0, "levle=lokal"},
                        near = {KB_MEMO_CODE, "struktur", 0, "level=lokl"},
                        far = {KB_MEMO_CODE, "struktur", 0, "level=kommun"},
                        code = {KB_MEMO_CODE, "strukture", 0, "level=lokal"};
    const kb_memo_about *inval[] = {&on_journal, &on_doc,   &on_coding,
                                    &no_eq,      &no_facet, &no_value};
    for (size_t i = 0; i < sizeof inval / sizeof *inval; i++) {
        assert_int_equal(kb_memo_add(NULL, proj, inval[i], "anna", "x", &err),
                         KB_EINVAL);
        assert_string_equal(err.argument, "at");
    }
    assert_non_null(strstr(err.message, "'level=' is not FACET=VALUE"));
    assert_int_equal(kb_memo_add(NULL, proj, &on_doc, "anna", "x", &err),
                     KB_EINVAL);
    assert_non_null(strstr(err.message, "a memo on a document is on it as a"));
    assert_int_equal(kb_memo_add(NULL, proj, &facet, "anna", "x", &err),
                     KB_ENOENT);
    assert_non_null(strstr(err.message, "no facet 'levle' in the codebook of "
                                        "run 1 (did you mean 'level'?)"));
    assert_int_equal(kb_memo_add(NULL, proj, &near, "anna", "x", &err),
                     KB_ENOENT);
    assert_string_equal(err.message, "facet 'level' has no value 'lokl' (did "
                                     "you mean 'lokal'?)");
    assert_int_equal(kb_memo_add(NULL, proj, &far, "anna", "x", &err),
                     KB_ENOENT);
    assert_string_equal(err.message,
                        "facet 'level' has no value 'kommun' (values: "
                        "delregional, lokal, nivaoberoende, regional)");
    assert_int_equal(kb_memo_add(NULL, proj, &code, "anna", "x", &err),
                     KB_ENOENT);
    assert_non_null(strstr(err.message, "'strukture'"));
    l = memos_of(NULL);
    assert_int_equal(kb_memo_list_count(l), before);
    kb_memo_list_free(l);
}

/* A renamed code (was:) takes its memos at facet values with it. */
static void test_cells_renamed(void **state)
{
    (void)state;
    kb_error err;
    char path[320], renamed[320];
    snprintf(path, sizeof path, "%s/renamed.db", dir);
    kb_project *p = fixture_sample(source, path, cb_path);
    const kb_memo_about cell = {KB_MEMO_CODE, "struktur", 0, "level=lokal"},
                        whole = {KB_MEMO_CODE, "struktur", 0, NULL};
    assert_int_equal(kb_memo_add(NULL, p, &cell, "anna", "Cellen.", &err), 0);
    assert_int_equal(kb_memo_add(NULL, p, &whole, "anna", "Temat.", &err), 0);
    /* the sample codebook with struktur renamed strukturen */
    FILE *in = fopen(cb_path, "r");
    assert_non_null(in);
    snprintf(renamed, sizeof renamed, "%s/renamed.yaml", dir);
    FILE *out = fopen(renamed, "w");
    assert_non_null(out);
    char line[4096];
    int done = 0;
    while (fgets(line, sizeof line, in)) {
        if (!done && !strcmp(line, "      - id: struktur\n")) {
            fputs("      - id: strukturen\n        was: struktur\n", out);
            done = 1;
        } else {
            fputs(line, out);
        }
    }
    fclose(in);
    fclose(out);
    assert_true(done);
    kb_codebook *cb;
    assert_int_equal(kb_codebook_load(&cb, renamed, &err), 0);
    assert_int_equal(kb_project_code(NULL, p, cb, NULL, &err), 0);
    kb_codebook_free(cb);
    const kb_memo_about after = {KB_MEMO_CODE, "strukturen", 0, NULL};
    kb_memo_list *l;
    assert_int_equal(kb_project_memos(&l, p, &after, NULL, &err), 0);
    assert_int_equal(kb_memo_list_count(l), 2);
    assert_string_equal(kb_memo_list_get(l, 0)->text, "Temat.");
    assert_string_equal(kb_memo_list_get(l, 1)->text, "Cellen.");
    assert_string_equal(kb_memo_list_get(l, 1)->at, "level=lokal");
    kb_memo_list_free(l);
    assert_int_equal(kb_project_memos(&l, p, &whole, NULL, &err), 0);
    assert_int_equal(kb_memo_list_count(l), 0);
    kb_memo_list_free(l);
    kb_project_free(p);
}

/* A project of schema 11, memos on codes among them, keeps its memos once
 * migrated, each on its thing as a whole; cells may then be written. */
static void test_migration_cells(void **state)
{
    (void)state;
    kb_error err;
    char path[320];
    snprintf(path, sizeof path, "%s/eleven.db", dir);
    kb_project *p = fixture_sample(source, path, cb_path);
    kb_project_free(p);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(
            db,
            "ALTER TABLE manual_codings DROP COLUMN featured;"
            " DROP TABLE memos;"
            " CREATE TABLE memos(id INTEGER PRIMARY KEY, target TEXT NOT"
            " NULL, name TEXT NOT NULL, author TEXT NOT NULL, created_at TEXT"
            " NOT NULL, changed_at TEXT NOT NULL, text TEXT NOT NULL,"
            " UNIQUE(target, name, author, created_at));"
            " INSERT INTO memos VALUES(4, 'theme', 'struktur', 'anna',"
            " '2026-09-03T11:00:00.000Z', '2026-09-04T11:00:00.000Z',"
            " 'Temat.'), (9, 'project', '', 'bo', '2026-09-02T08:00:00.000Z',"
            " '2026-09-02T08:00:00.000Z', 'Dagbok.');"
            " PRAGMA user_version = 11",
            NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(kb_project_open(&p, path, &err), 0);
    kb_memo_list *l;
    assert_int_equal(kb_project_memos(&l, p, NULL, NULL, &err), 0);
    assert_int_equal(kb_memo_list_count(l), 2);
    const kb_memo_info *m = kb_memo_list_get(l, 1);
    assert_int_equal(m->id, 4);
    assert_string_equal(m->name, "struktur");
    assert_string_equal(m->at, "");
    assert_string_equal(m->changed_at, "2026-09-04T11:00:00.000Z");
    assert_string_equal(m->text, "Temat.");
    assert_int_equal(kb_memo_list_get(l, 0)->id, 9);
    kb_memo_list_free(l);
    const kb_memo_about cell = {KB_MEMO_CODE, "struktur", 0,
                                "level=delregional"};
    assert_int_equal(kb_memo_add(NULL, p, &cell, "anna", "Cell.", &err), 0);
    assert_int_equal(kb_project_memos(&l, p, &cell, NULL, &err), 0);
    assert_int_equal(kb_memo_list_count(l), 1);
    kb_memo_list_free(l);
    kb_project_free(p);
}

/* The memos file written, then read back into the same project: all there
 * already; with one text changed: a conflict, the project's kept. A memo
 * at a facet value is its own line, known by its cell; a file of the form
 * before `at` imports as memos on things as a whole. */
static void test_memos_file(void **state)
{
    (void)state;
    clear();
    kb_error err;
    const kb_memo_about journal = {KB_MEMO_PROJECT, NULL, 0, NULL},
                        concept = {KB_MEMO_CODE, "vvg-roll-oklar", 0, NULL},
                        cell = {KB_MEMO_CODE, "vvg-roll-oklar", 0,
                                "level=regional"};
    assert_int_equal(kb_memo_add(NULL, proj, &journal, "anna",
                                 "Rad ett\n\tindrag \\ snedstreck", &err),
                     0);
    assert_int_equal(kb_memo_add(NULL, proj, &cell, "bo", "Cellen", &err), 0);
    assert_int_equal(kb_memo_add(NULL, proj, &concept, "bo", "Begrepp", &err),
                     0);
    char path[320];
    snprintf(path, sizeof path, "%s/memos.tsv", dir);
    FILE *f = fopen(path, "w");
    size_t n;
    assert_int_equal(kb_memos_write(f, &n, proj, &err), 0);
    fclose(f);
    assert_int_equal(n, 3);
    char *text = NULL;
    size_t len = 0;
    f = fopen(path, "r");
    assert_int_equal(getdelim(&text, &len, '\0', f) > 0, 1);
    fclose(f);
    assert_non_null(strstr(text,
                           "target\tname\tat\tauthor\tcreated\tchanged\ttext\n"
                           "project\t\t\tanna\t"));
    /* the concept as a whole, then at its cell */
    char *whole = strstr(text, "\tRad ett\\n\\tindrag \\\\ snedstreck\n"
                               "concept\tvvg-roll-oklar\t\tbo\t");
    assert_non_null(whole);
    char *at_cell = strstr(text, "\nconcept\tvvg-roll-oklar\tlevel=regional\t"
                                 "bo\t");
    assert_true(at_cell && at_cell > whole);
    kb_memos_import_report r;
    assert_int_equal(kb_memos_import(&r, proj, path, NULL, &err), 0);
    assert_int_equal(r.lines, 3);
    assert_int_equal(r.same, 3);
    assert_int_equal(r.added + r.conflicts, 0);
    /* into a project without them: the same file back */
    char other[320], again[320];
    snprintf(other, sizeof other, "%s/other.db", dir);
    snprintf(again, sizeof again, "%s/again.tsv", dir);
    kb_project *p = fixture_sample(source, other, cb_path);
    assert_int_equal(kb_memos_import(&r, p, path, NULL, &err), 0);
    assert_int_equal(r.added, 3);
    f = fopen(again, "w");
    assert_int_equal(kb_memos_write(f, NULL, p, &err), 0);
    fclose(f);
    char *back = NULL;
    len = 0;
    f = fopen(again, "r");
    assert_int_equal(getdelim(&back, &len, '\0', f) > 0, 1);
    fclose(f);
    assert_string_equal(back, text);
    free(back);
    /* a file of the form before `at`: on things as a whole */
    fixture_write(dir, "older.tsv",
                  "target\tname\tauthor\tcreated\tchanged\ttext\n"
                  "theme\tstruktur\tbo\t2026-10-01T08:00:00.000Z\t"
                  "2026-10-01T08:00:00Z\tUr en äldre fil.\n"
                  "project\t\tbo\t2026-10-02T08:00:00Z\t"
                  "2026-10-02T08:00:00Z\tDagbok.\n");
    char older[320];
    snprintf(older, sizeof older, "%s/older.tsv", dir);
    assert_int_equal(kb_memos_import(&r, p, older, NULL, &err), 0);
    assert_int_equal(r.added, 2);
    const kb_memo_about theme = {KB_MEMO_CODE, "struktur", 0, ""};
    kb_memo_list *ol;
    assert_int_equal(kb_project_memos(&ol, p, &theme, NULL, &err), 0);
    assert_int_equal(kb_memo_list_count(ol), 1);
    assert_string_equal(kb_memo_list_get(ol, 0)->text, "Ur en äldre fil.");
    kb_memo_list_free(ol);
    assert_int_equal(kb_memos_import(&r, p, older, NULL, &err), 0);
    assert_int_equal(r.same, 2);
    /* a field short under the new header, or an at on the journal: the line */
    fixture_write(dir, "bad.tsv",
                  "target\tname\tat\tauthor\tcreated\tchanged\ttext\n"
                  "project\t\tlevel=lokal\tbo\t2026-10-02T08:00:00Z\t"
                  "2026-10-02T08:00:00Z\tx\n");
    char bad_path[320];
    snprintf(bad_path, sizeof bad_path, "%s/bad.tsv", dir);
    assert_int_equal(kb_memos_import(&r, p, bad_path, NULL, &err), KB_EFORMAT);
    assert_int_equal(err.line, 2);
    assert_non_null(strstr(err.message, "on it as a whole"));
    fixture_write(dir, "bad.tsv",
                  "target\tname\tat\tauthor\tcreated\tchanged\ttext\n"
                  "theme\tstruktur\tbo\t2026-10-02T08:00:00Z\t"
                  "2026-10-02T08:00:00Z\tx\n");
    assert_int_equal(kb_memos_import(&r, p, bad_path, NULL, &err), KB_EFORMAT);
    assert_non_null(strstr(err.message, "6 fields, want 7"));
    kb_project_free(p);
    /* the concept's memo changed in the file */
    char *at = strstr(text, "\tBegrepp\n");
    assert_non_null(at);
    memcpy(at + 1, "Beg\xc3\xa5", 5); /* "Begå" + "pp" */
    f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    free(text);
    assert_int_equal(kb_memos_import(&r, proj, path, NULL, &err), 0);
    assert_int_equal(r.same, 2);
    assert_int_equal(r.conflicts, 1);
    const kb_memo_about concept_whole = {KB_MEMO_CODE, "vvg-roll-oklar", 0, ""};
    kb_memo_list *l = memos_of(&concept_whole);
    assert_string_equal(kb_memo_list_get(l, 0)->text, "Begrepp");
    kb_memo_list_free(l);
    kb_memos_import_options bad = KB_MEMOS_IMPORT_OPTIONS_INIT;
    bad.version = 99;
    assert_int_equal(kb_memos_import(&r, proj, path, &bad, &err), KB_EINVAL);
}

static long xpath_count(xmlXPathContextPtr ctx, const char *expr)
{
    xmlXPathObjectPtr r = xmlXPathEvalExpression(BAD_CAST expr, ctx);
    assert_non_null(r);
    long n = (long)xmlXPathCastToNumber(r);
    xmlXPathFreeObject(r);
    return n;
}

/* The report's HTML with `memos` (NULL: none), parsed. */
static xmlDocPtr report(const kb_memo_list *memos, const kb_codebook *cb)
{
    kb_quote_list *q;
    kb_error err;
    assert_int_equal(kb_project_quotes(&q, proj, NULL, &err), 0);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    kb_export_options o = KB_EXPORT_OPTIONS_INIT;
    o.memos = memos;
    assert_int_equal(kb_report_write(f, q, cb, &o, &err), 0);
    fclose(f);
    kb_quote_list_free(q);
    xmlDocPtr doc = xmlReadMemory(buf, (int)len, "report.html", NULL,
                                  XML_PARSE_NONET | XML_PARSE_NOERROR);
    free(buf);
    assert_non_null(doc);
    return doc;
}

static void test_report(void **state)
{
    (void)state;
    clear();
    kb_error err;
    const kb_memo_about journal = {KB_MEMO_PROJECT, NULL, 0, NULL},
                        theme = {KB_MEMO_CODE, "struktur", 0, NULL},
                        concept = {KB_MEMO_CODE, "vvg-roll-oklar", 0, NULL},
                        doc = {KB_MEMO_DOCUMENT, "ip01", 0, NULL};
    assert_int_equal(
        kb_memo_add(NULL, proj, &journal, "anna", "Dag ett.\nTvå rader.", &err),
        0);
    assert_int_equal(
        kb_memo_add(NULL, proj, &journal, "bo",
                    "Dag två. Med **fetstil** och <script>x()</script>.\n\n"
                    "- en punkt\n- en till",
                    &err),
        0);
    assert_int_equal(
        kb_memo_add(NULL, proj, &theme, "anna", "Om temat struktur.", &err), 0);
    assert_int_equal(
        kb_memo_add(NULL, proj, &concept, "bo", "Om VVG & roller < 3.", &err),
        0);
    assert_int_equal(
        kb_memo_add(NULL, proj, &doc, "bo", "Ej i rapporten.", &err), 0);
    const kb_memo_about cell = {KB_MEMO_CODE, "struktur", 0, "level=regional"};
    assert_int_equal(
        kb_memo_add(NULL, proj, &cell, "bo", "Om regionens struktur.", &err),
        0);
    kb_codebook *cb;
    assert_int_equal(kb_codebook_load(&cb, cb_path, &err), 0);
    kb_memo_list *l = memos_of(NULL);
    xmlDocPtr d = report(l, cb);
    xmlXPathContextPtr ctx = xmlXPathNewContext(d);
    /* the theme's memo in the theme's own item, not in its concepts' */
    assert_int_equal(
        xpath_count(ctx, "count(//ul[@class='tree']//li[strong='Struktur']/"
                         "div[@class='memo'][contains(., 'Om temat "
                         "struktur.')])"),
        1);
    /* the concept's, escaped, in the concept's item */
    const kb_code_info *ci = kb_codebook_get(
        cb, kb_codebook_find(cb, KB_CODE_CONCEPT, "vvg-roll-oklar"));
    char expr[512];
    snprintf(expr, sizeof expr,
             "count(//ul[@class='tree']//li[span[1]='%s']/div[@class='memo']"
             "[contains(., 'Om VVG & roller < 3.')])",
             ci->label);
    assert_int_equal(xpath_count(ctx, expr), 1);
    /* the cell's after it, headed by its value's label */
    assert_int_equal(
        xpath_count(ctx, "count(//ul[@class='tree']//li[strong='Struktur']/"
                         "div[@class='memo'][2][strong[@class='at']='Regional "
                         "nivå'][contains(., 'Om regionens struktur.')])"),
        1);
    assert_int_equal(xpath_count(ctx, "count(//strong[@class='at'])"), 1);
    assert_int_equal(xpath_count(ctx, "count(//div[@class='memo'])"), 5);
    /* the journal: its heading, linked, then the entries in order, dated */
    assert_int_equal(xpath_count(ctx, "count(//h2[@id='journal'])"), 1);
    assert_int_equal(xpath_count(ctx, "count(//a[@href='#journal'])"), 1);
    assert_int_equal(
        xpath_count(ctx, "count(//h2[@id='journal']/following-sibling::div"
                         "[@class='memo'][1][contains(., 'Dag ett.')])"),
        1);
    assert_int_equal(
        xpath_count(ctx, "count(//h2[@id='journal']/following-sibling::div"
                         "[@class='memo'][2][contains(., 'Dag två.')])"),
        1);
    /* the Markdown as HTML, without the raw HTML written in it */
    assert_int_equal(
        xpath_count(ctx, "count(//div[@class='memo']/p/strong[.='fetstil'])"),
        1);
    assert_int_equal(
        xpath_count(ctx, "count(//div[@class='memo']/ul/li[.='en till'])"), 1);
    assert_int_equal(xpath_count(ctx, "count(//script)"), 0);
    xmlXPathObjectPtr who = xmlXPathEvalExpression(
        BAD_CAST "string(//h2[@id='journal']/following-sibling::div[1]/"
                 "span[@class='who'])",
        ctx);
    char want[64];
    snprintf(want, sizeof want, "anna, %.10s",
             kb_memo_list_get(l, 0)->created_at);
    assert_string_equal((char *)who->stringval, want);
    xmlXPathFreeObject(who);
    xmlXPathFreeContext(ctx);
    xmlFreeDoc(d);
    /* without memos: no memo, no journal */
    d = report(NULL, cb);
    ctx = xmlXPathNewContext(d);
    assert_int_equal(xpath_count(ctx, "count(//div[@class='memo'])"), 0);
    assert_int_equal(xpath_count(ctx, "count(//*[@id='journal'])"), 0);
    xmlXPathFreeContext(ctx);
    xmlFreeDoc(d);
    kb_memo_list_free(l);
    kb_codebook_free(cb);
}

/* The Markdown deck of the sample project, with notes or without. */
static char *deck_md(int notes)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    kb_slides_options o = KB_SLIDES_OPTIONS_INIT;
    o.format = KB_SLIDES_MD;
    o.notes = notes;
    kb_error err;
    assert_int_equal(kb_slides_write(f, proj, NULL, &o, &err), 0);
    fclose(f);
    return buf;
}

/* The memos of a slide's theme and of the concepts shown on it are its
 * speaker notes, on its first page, before its quotes' provenance. */
static void test_slides_notes(void **state)
{
    (void)state;
    clear();
    kb_error err;
    const kb_memo_about theme = {KB_MEMO_CODE, "struktur", 0, NULL},
                        concept = {KB_MEMO_CODE, "vvg-roll-oklar", 0, NULL},
                        journal = {KB_MEMO_PROJECT, NULL, 0, NULL};
    assert_int_equal(
        kb_memo_add(NULL, proj, &theme, "anna", "Temats memo.", &err), 0);
    assert_int_equal(kb_memo_add(NULL, proj, &concept, "bo",
                                 "Begreppets memo.\nRad två.", &err),
                     0);
    assert_int_equal(kb_memo_add(NULL, proj, &journal, "bo", "Dagbok.", &err),
                     0);
    kb_memo_list *l = memos_of(&theme);
    char date[11];
    snprintf(date, sizeof date, "%.10s", kb_memo_list_get(l, 0)->created_at);
    kb_memo_list_free(l);
    kb_codebook *cb;
    assert_int_equal(kb_codebook_load(&cb, cb_path, &err), 0);
    const char *concept_label =
        kb_codebook_get(cb,
                        kb_codebook_find(cb, KB_CODE_CONCEPT, "vvg-roll-oklar"))
            ->label;
    char theme_note[128], concept_note[256];
    snprintf(theme_note, sizeof theme_note,
             "\n<!--\nStruktur (anna, %s): Temats memo.\n", date);
    snprintf(concept_note, sizeof concept_note,
             "%s (bo, %s): Begreppets memo.\nRad två.\n", concept_label, date);
    char *md = deck_md(1);
    /* page by page: a "Struktur: ..." slide's first page has the theme's
     * notes, and the concept's when the concept is on the slide (on any of
     * its pages); no other page has notes */
    char *pages[512];
    size_t np = 0;
    for (char *page = strstr(md, "\n# "); page && np < 512;) {
        char *next = strstr(page + 1, "\n---\n");
        if (next)
            *next = '\0';
        pages[np++] = page;
        page = next ? strstr(next + 1, "\n# ") : NULL;
    }
    char bold[200];
    snprintf(bold, sizeof bold, "**%s**", concept_label);
    size_t struktur = 0, with_concept = 0;
    for (size_t k = 0; k < np; k++) {
        char *page = pages[k];
        char *eol = strchr(page + 1, '\n');
        int cont = eol && eol - page > 8 && !strncmp(eol - 8, "(forts.)", 8);
        int first = !strncmp(page, "\n# Struktur:", 12) && !cont;
        assert_null(strstr(page, "Dagbok."));
        if (!first) { /* the quotes' provenance only */
            if (strstr(page, "Temats memo.") ||
                strstr(page, "Begreppets memo."))
                fail_msg("memo notes on: %.80s", page + 1);
            continue;
        }
        struktur++;
        if (!strstr(page, theme_note))
            fail_msg("no theme notes on: %.80s", page + 1);
        int shown = 0;
        for (size_t c = k; c < np && (c == k || strstr(pages[c], "(forts.)\n"));
             c++)
            shown |= strstr(pages[c], bold) != NULL;
        with_concept += shown;
        if (shown != (strstr(page, concept_note) != NULL))
            fail_msg("concept notes wrong on: %.80s", page + 1);
    }
    assert_true(struktur >= 2);
    assert_true(with_concept >= 1);
    free(md);
    md = deck_md(0);
    assert_null(strstr(md, "Temats memo."));
    assert_null(strstr(md, "Begreppets memo."));
    assert_non_null(strstr(md, "<!--")); /* the quotes' provenance */
    free(md);
    kb_codebook_free(cb);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_memo SOURCE_DIR\n");
        return 2;
    }
    source = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_targets),
        cmocka_unit_test(test_coding_memo),
        cmocka_unit_test(test_migration),
        cmocka_unit_test(test_cells),
        cmocka_unit_test(test_cells_renamed),
        cmocka_unit_test(test_migration_cells),
        cmocka_unit_test(test_memos_file),
        cmocka_unit_test(test_report),
        cmocka_unit_test(test_slides_notes),
    };
    int rc = cmocka_run_group_tests(tests, setup, teardown);
    xmlCleanupParser();
    return rc;
}
