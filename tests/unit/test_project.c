/*
 * test_project.c: the public API over a real project file: creating and
 * opening, importing (new, unchanged, new version), all-or-nothing imports,
 * cases and their mapping to documents and focus-group speakers, and the
 * segments a re-run decodes in part.
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

#include "kodbok.h"
#include "base/grow.h"
#include "store/document.h"
#include "store/project.h"

static char dir[256];

static const char *path_of(const char *name)
{
    static char buf[8][512];
    static int k;
    k = (k + 1) % 8;
    snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
    return buf[k];
}

static void write_file(const char *name, const char *bytes, size_t n)
{
    FILE *f = fopen(path_of(name), "wb");
    assert_non_null(f);
    fwrite(bytes, 1, n, f);
    fclose(f);
}

static void write_text(const char *name, const char *text)
{
    write_file(name, text, strlen(text));
}

static int setup(void **state)
{
    (void)state;
    fixture_tmpdir(dir, sizeof dir, "project");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return fixture_rmdir(dir);
}

static kb_project *fresh(const char *name)
{
    kb_project *p;
    kb_error err;
    assert_int_equal(kb_project_init(&p, path_of(name), &err), 0);
    return p;
}

static size_t ndocs(kb_project *p)
{
    kb_doc_list *l;
    kb_error err;
    assert_int_equal(kb_project_docs(&l, p, &err), 0);
    size_t n = kb_doc_list_count(l);
    kb_doc_list_free(l);
    return n;
}

static void test_init_and_open(void **state)
{
    (void)state;
    kb_project *p = fresh("a.db");
    kb_project_free(p);
    kb_error err;
    assert_int_equal(kb_project_init(&p, path_of("a.db"), &err), KB_EEXIST);
    assert_int_equal(kb_project_open(&p, path_of("a.db"), &err), 0);
    kb_project_free(p);
    assert_int_equal(kb_project_open(&p, path_of("none.db"), &err), KB_ENOENT);
    assert_null(p);
    write_text("text.txt", "R: inte en databas\n");
    assert_int_equal(kb_project_open(&p, path_of("text.txt"), &err),
                     KB_ENOTPROJ);
    /* Another program's SQLite file is not a project either. */
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path_of("other.db"), &db), SQLITE_OK);
    sqlite3_exec(db, "CREATE TABLE t(x)", NULL, NULL, NULL);
    sqlite3_close(db);
    assert_int_equal(kb_project_open(&p, path_of("other.db"), &err),
                     KB_ENOTPROJ);
    /* A project from a newer kodbok is refused, not damaged. */
    assert_int_equal(sqlite3_open(path_of("a.db"), &db), SQLITE_OK);
    sqlite3_exec(db, "PRAGMA user_version = 999", NULL, NULL, NULL);
    sqlite3_close(db);
    assert_int_equal(kb_project_open(&p, path_of("a.db"), &err), KB_EVERSION);
}

/* PRAGMA synchronous of an open project: 1 NORMAL, 2 FULL. */
static int synchronous(kb_project *p)
{
    sqlite3_stmt *st;
    assert_int_equal(
        sqlite3_prepare_v2(p->db, "PRAGMA synchronous", -1, &st, NULL),
        SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* Issue 19: commits survive a killed process by default (synchronous =
 * NORMAL); KODBOK_SYNC=full makes each wait for the disk; another value
 * is refused. A project is writable where it can be written. */
static void test_sync_mode(void **state)
{
    (void)state;
    kb_project *p = fresh("sync.db");
    assert_int_equal(synchronous(p), 1);
    assert_int_equal(kb_project_readonly(p), 0);
    kb_project_free(p);
    kb_error err;
    const char *values[] = {"full", "normal", "", "FULL", "off"};
    const int want[] = {2, 1, 1, -1, -1};
    for (size_t i = 0; i < 5; i++) {
        setenv("KODBOK_SYNC", values[i], 1);
        int rc = kb_project_open(&p, path_of("sync.db"), &err);
        if (want[i] < 0) {
            assert_int_equal(rc, KB_EINVAL);
            assert_null(p);
            assert_non_null(strstr(err.message, values[i]));
        } else {
            assert_int_equal(rc, 0);
            assert_int_equal(synchronous(p), want[i]);
            kb_project_free(p);
        }
    }
    unsetenv("KODBOK_SYNC");
    assert_int_equal(kb_project_open(&p, path_of("sync.db"), &err), 0);
    assert_int_equal(synchronous(p), 1);
    kb_project_free(p);
}

typedef struct reports {
    kb_import_status status[8];
    int version[8];
    size_t n;
} reports;

static void on_file(void *ctx, const kb_import_report *r)
{
    reports *rs = ctx;
    rs->status[rs->n] = r->status;
    rs->version[rs->n++] = r->version;
}

static int import1(kb_project *p, const char *file, reports *rs, kb_error *err)
{
    kb_import_options o = KB_IMPORT_OPTIONS_INIT;
    o.on_file = on_file;
    o.ctx = rs;
    const char *paths[] = {path_of(file)};
    return kb_project_import(p, paths, 1, &o, err);
}

static void test_versions(void **state)
{
    (void)state;
    kb_project *p = fresh("v.db");
    kb_error err;
    reports rs = {0};
    write_text("ip01.txt", "I: Fråga?\nR: Svar ett.\n");
    assert_int_equal(import1(p, "ip01.txt", &rs, &err), 0);
    assert_int_equal(import1(p, "ip01.txt", &rs, &err), 0);
    /* the same text in another encoding is still unchanged */
    write_text("ip01.txt", "I: Fr\xE5ga?\r\nR: Svar ett.\r\n");
    assert_int_equal(import1(p, "ip01.txt", &rs, &err), 0);
    write_text("ip01.txt", "I: Fråga?\nR: Svar två.\n");
    assert_int_equal(import1(p, "ip01.txt", &rs, &err), 0);
    assert_int_equal(rs.n, 4);
    assert_int_equal(rs.status[0], KB_IMPORT_NEW);
    assert_int_equal(rs.status[1], KB_IMPORT_UNCHANGED);
    assert_int_equal(rs.status[2], KB_IMPORT_UNCHANGED);
    assert_int_equal(rs.status[3], KB_IMPORT_UPDATED);
    assert_int_equal(rs.version[3], 2);

    kb_doc_list *l;
    assert_int_equal(kb_project_docs(&l, p, &err), 0);
    assert_int_equal(kb_doc_list_count(l), 1);
    assert_int_equal(kb_doc_list_get(l, 0)->version, 2);
    assert_int_equal(kb_doc_list_get(l, 0)->changed, 1);
    kb_doc_list_free(l);

    kb_document *d;
    assert_int_equal(kb_document_load(&d, p, "ip01", 1, &err), 0);
    const kb_segment *s = kb_document_segment(d, KB_SEG_TURN, 1);
    assert_non_null(s);
    assert_memory_equal(s->text, "Svar ett.", s->text_len);
    assert_string_equal(s->speaker, "R");
    assert_int_equal(s->role, KB_ROLE_RESPONDENT);
    kb_document_free(d);
    assert_int_equal(kb_document_load(&d, p, "ip01", 3, &err), KB_ENOENT);
    assert_int_equal(kb_document_load(&d, p, "nope", 0, &err), KB_ENOENT);
    kb_project_free(p);
}

static void test_all_or_nothing(void **state)
{
    (void)state;
    kb_project *p = fresh("t.db");
    kb_error err;
    write_text("good.txt", "R: Bra.\n");
    write_file("bin.txt", "R: \0\1\2", 6);
    write_text("empty.txt", "");
    const char *missing[] = {path_of("good.txt"), path_of("missing.txt")};
    assert_int_equal(kb_project_import(p, missing, 2, NULL, &err), KB_ENOENT);
    assert_string_equal(err.file, path_of("missing.txt"));
    const char *binary[] = {path_of("good.txt"), path_of("bin.txt")};
    assert_int_equal(kb_project_import(p, binary, 2, NULL, &err), KB_EFORMAT);
    assert_int_equal(err.line, 1);
    const char *empty[] = {path_of("good.txt"), path_of("empty.txt")};
    assert_int_equal(kb_project_import(p, empty, 2, NULL, &err), KB_EFORMAT);
    const char *dirs[] = {dir};
    assert_int_equal(kb_project_import(p, dirs, 1, NULL, &err), KB_EIO);
    assert_int_equal(ndocs(p), 0);
    const char *twice[] = {path_of("good.txt"), path_of("good.txt")};
    assert_int_equal(kb_project_import(p, twice, 2, NULL, &err), KB_EINVAL);
    assert_int_equal(ndocs(p), 0);
    assert_int_equal(kb_project_import(p, twice, 1, NULL, &err), 0);
    assert_int_equal(ndocs(p), 1);
    kb_project_free(p);
}

static void test_cases(void **state)
{
    (void)state;
    kb_project *p = fresh("c.db");
    kb_error err;
    write_text("cases.csv", "case,document,speaker,level,gender\n"
                            "ip01,,,regional,kvinna\n"
                            "fg1,fokus,Respondent 1,delregional,man\n"
                            "fg2,fokus,Respondent 2,delregional,\n"
                            "x9,,,lokal,man\n");
    write_text("ip01.txt", "I: Fråga?\nR: Svar.\n");
    write_text("fokus.txt", "Moderator: Fråga?\nRespondent 1: Ett.\n"
                            "Respondent 2: Två.\nRespondent 3: Tre.\n");
    write_text("other.txt", "R: Annat.\n");
    kb_import_options o = KB_IMPORT_OPTIONS_INIT;
    o.attrs_path = path_of("cases.csv");
    const char *paths[] = {path_of("ip01.txt"), path_of("fokus.txt")};
    assert_int_equal(kb_project_import(p, paths, 2, &o, &err), 0);

    kb_document *d;
    assert_int_equal(kb_document_load(&d, p, "ip01", 0, &err), 0);
    assert_string_equal(kb_document_info(d)->case_id, "ip01");
    assert_null(kb_document_segment(d, KB_SEG_TURN, 0)->case_id);
    assert_string_equal(kb_document_segment(d, KB_SEG_TURN, 1)->case_id,
                        "ip01");
    kb_document_free(d);
    assert_int_equal(kb_document_load(&d, p, "fokus", 0, &err), 0);
    assert_null(kb_document_info(d)->case_id);
    assert_string_equal(kb_document_segment(d, KB_SEG_TURN, 1)->case_id, "fg1");
    assert_string_equal(kb_document_segment(d, KB_SEG_TURN, 2)->case_id, "fg2");
    assert_null(kb_document_segment(d, KB_SEG_TURN, 3)->case_id);
    kb_document_free(d);

    /* --case: an unknown case stores nothing; a known one maps. */
    kb_import_options oc = KB_IMPORT_OPTIONS_INIT;
    oc.case_id = "nosuch";
    const char *other[] = {path_of("other.txt")};
    assert_int_equal(kb_project_import(p, other, 1, &oc, &err), KB_ENOENT);
    assert_int_equal(ndocs(p), 2);
    oc.case_id = "x9";
    assert_int_equal(kb_project_import(p, other, 1, &oc, &err), 0);
    assert_int_equal(kb_document_load(&d, p, "other", 0, &err), 0);
    assert_string_equal(kb_document_info(d)->case_id, "x9");
    kb_document_free(d);

    kb_case_list *cl;
    assert_int_equal(kb_project_cases(&cl, p, &err), 0);
    assert_int_equal(kb_case_list_count(cl), 4);
    const kb_case_info *ci = kb_case_list_get(cl, 2);
    assert_string_equal(ci->id, "fg2");
    assert_string_equal(ci->speaker, "Respondent 2");
    assert_int_equal(ci->nattrs, 1);
    assert_string_equal(ci->attr_names[0], "level");
    assert_int_equal(ci->segments, 1);
    kb_case_list_free(cl);

    /* Malformed CSVs name the line and leave everything as it was. */
    write_text("bad1.csv", "case,level\nip01,lokal\nip02\n");
    assert_int_equal(kb_project_load_cases(p, path_of("bad1.csv"), NULL, &err),
                     KB_EFORMAT);
    assert_int_equal(err.line, 3);
    write_text("bad2.csv", "level,gender\nlokal,man\n");
    assert_int_equal(kb_project_load_cases(p, path_of("bad2.csv"), NULL, &err),
                     KB_EFORMAT);
    assert_int_equal(err.line, 1);
    write_text("bad3.csv", "case,level\nip01,lokal\nip01,regional\n");
    assert_int_equal(kb_project_load_cases(p, path_of("bad3.csv"), NULL, &err),
                     KB_EFORMAT);
    assert_int_equal(err.line, 3);
    assert_int_equal(kb_project_cases(&cl, p, &err), 0);
    assert_string_equal(kb_case_list_get(cl, 0)->attr_values[0], "regional");
    kb_case_list_free(cl);
    kb_project_free(p);
}

static void same_segment(const kb_segment *x, const kb_segment *y,
                         const char *xtext, const char *ytext)
{
    assert_int_equal(x->kind, y->kind);
    assert_int_equal(x->index, y->index);
    assert_int_equal(x->start, y->start);
    assert_int_equal(x->end, y->end);
    assert_int_equal(x->text - xtext, y->text - ytext);
    assert_int_equal(x->text_len, y->text_len);
    assert_string_equal(x->speaker, y->speaker);
    assert_int_equal(x->turn, y->turn);
    assert_int_equal(x->paragraph, y->paragraph);
}

/*
 * A re-run decodes only the sentences holding some byte offsets, in calls
 * that may come out of order; each sentence read in part equals the one a
 * whole decode gives, the others read as absent, no offsets decode nothing,
 * and a later whole decode leaves the earlier segments valid.
 */
static void test_segments_in_part(void **state)
{
    (void)state;
    char text[64 * 1024];
    size_t n = 0;
    for (int t = 0; t < 200; t++)
        n += (size_t)snprintf(text + n, sizeof text - n,
                              "%s: Mening %d om vården. Och samverkan %d?\n\n",
                              t % 2 ? "I" : "R", t, t);
    write_text("part.txt", text);
    kb_project *p = fresh("part.db");
    kb_error err;
    reports rs = {0};
    assert_int_equal(import1(p, "part.txt", &rs, &err), 0);
    kb_document *whole, *d;
    assert_int_equal(kb_document_load(&whole, p, "part", 0, &err), 0);
    assert_int_equal(kbi_document_load_kinds(&d, p, "part", 0, 0, &err), 0);
    const char *wt = kb_document_text(whole, NULL);
    const char *dt = kb_document_text(d, NULL);
    size_t count = kb_document_segment_count(whole, KB_SEG_SENTENCE);
    assert_int_equal(count, 400);
    const kb_segment *all[400];
    for (size_t i = 0; i < count; i++)
        all[i] = kb_document_segment(whole, KB_SEG_SENTENCE, i);

    /* sentences 5, 101 (twice), 100 and 350; an offset in a label */
    size_t first[] = {(size_t)(all[5]->text - wt) + 2,
                      (size_t)(all[100]->text - wt),
                      (size_t)(all[101]->text - wt),
                      (size_t)(all[101]->text - wt) + 3,
                      (size_t)(all[200]->text - wt) - 3,
                      (size_t)(all[350]->text - wt) + all[350]->text_len - 1};
    size_t *seqs = NULL, nseqs = 0, cap = 0;
    assert_int_equal(kbi_document_segments_at(d, KB_SEG_SENTENCE, first, 6,
                                              &seqs, &nseqs, &cap, &err),
                     0);
    size_t want1[] = {5, 100, 101, 350};
    assert_int_equal(nseqs, 4);
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(seqs[i], want1[i]);
    const kb_segment *kept = kb_document_segment(d, KB_SEG_SENTENCE, 350);
    assert_non_null(kept);
    /* earlier sentences in a second call, one of them set already */
    size_t second[] = {(size_t)(all[3]->text - wt),
                       (size_t)(all[100]->text - wt) + 1};
    nseqs = 0;
    assert_int_equal(kbi_document_segments_at(d, KB_SEG_SENTENCE, second, 2,
                                              &seqs, &nseqs, &cap, &err),
                     0);
    assert_int_equal(nseqs, 2);
    assert_int_equal(seqs[0], 3);
    assert_int_equal(seqs[1], 100);
    /* no offsets: nothing more is decoded */
    nseqs = 0;
    assert_int_equal(kbi_document_segments_at(d, KB_SEG_SENTENCE, NULL, 0,
                                              &seqs, &nseqs, &cap, &err),
                     0);
    assert_int_equal(nseqs, 0);
    for (size_t i = 0; i < count; i++) {
        const kb_segment *s = kb_document_segment(d, KB_SEG_SENTENCE, i);
        if (i == 3 || i == 5 || i == 100 || i == 101 || i == 350) {
            assert_non_null(s);
            same_segment(s, all[i], dt, wt);
        } else {
            assert_null(s);
        }
    }
    assert_int_equal(kb_document_segment_count(d, KB_SEG_SENTENCE), count);
    /* decoded whole after all: every sentence, and the old pointer holds */
    assert_int_equal(kbi_document_need(d, KB_SEG_SENTENCE, &err), 0);
    for (size_t i = 0; i < count; i++)
        same_segment(kb_document_segment(d, KB_SEG_SENTENCE, i), all[i], dt,
                     wt);
    same_segment(kept, all[350], dt, wt);
    free(seqs);
    kb_document_free(d);
    kb_document_free(whole);
    kb_project_free(p);
}

/* The buffer a document's text is read into: room enough, kept while
 * enough, and from 256 KB on whole aligned 2 MB units. */
static void test_buffer_room(void **state)
{
    (void)state;
    char *b = NULL;
    size_t cap = 0;
    assert_int_equal(kbi_buffer_room(&b, &cap, 100), 0);
    assert_true(cap >= 100);
    memset(b, 'a', cap);
    char *same = b;
    assert_int_equal(kbi_buffer_room(&b, &cap, cap), 0);
    assert_ptr_equal(b, same);
    size_t sizes[] = {300000, (1u << 20) + 1, 2000000, (2u << 20) + 1};
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(kbi_buffer_room(&b, &cap, sizes[i]), 0);
        assert_true(cap >= sizes[i]);
        if (sizes[i] >= (256u << 10)) {
            assert_int_equal(cap % (2u << 20), 0);
            assert_int_equal((uintptr_t)b % (2u << 20), 0);
        }
        memset(b, 'b', cap);
    }
    assert_int_equal(cap, 4u << 20);
    free(b);
}

/* A document's segments, all kinds, as one comparable string. */
static char *segments_of(kb_project *p, const char *name)
{
    kb_document *d;
    kb_error err;
    assert_int_equal(kb_document_load(&d, p, name, 0, &err), 0);
    size_t cap = 1 << 16, n = 0;
    char *out = malloc(cap);
    assert_non_null(out);
    for (int k = KB_SEG_TURN; k <= KB_SEG_SENTENCE; k++)
        for (size_t i = 0; i < kb_document_segment_count(d, k); i++) {
            const kb_segment *s = kb_document_segment(d, k, i);
            n += (size_t)snprintf(
                out + n, cap - n, "%d %zu %zu %zu %zu %zu %lld %s %s %.*s\n", k,
                s->index, s->start, s->end, s->turn, s->paragraph,
                (long long)s->time_ms, s->speaker ? s->speaker : "-",
                s->case_id ? s->case_id : "-", (int)s->text_len, s->text);
            assert_true(n < cap);
        }
    kb_document_free(d);
    return out;
}

/*
 * Schema 2 kept a row per segment. Such a project is made by hand from a
 * current one (the rows written from what the API reads, the pack and the
 * turn counts dropped); opening it again packs the rows: the documents read
 * back the same and the cases count the same turns.
 */
static void test_migration_from_segment_rows(void **state)
{
    (void)state;
    kb_project *p = fresh("m.db");
    kb_error err;
    write_text("cases.csv", "case,document,speaker\nfg1,fokus,Respondent 1\n");
    write_text("fokus.txt", "[0:00:05] Moderator: Fråga? Och en till.\n\n"
                            "Respondent 1: Ett. Två!\n\nAndra stycket.\n"
                            "Respondent 2: Tre.\n");
    write_text("ip02.txt", "R: Bara text. Utan talarbyte.\n");
    kb_import_options o = KB_IMPORT_OPTIONS_INIT;
    o.attrs_path = path_of("cases.csv");
    const char *paths[] = {path_of("fokus.txt"), path_of("ip02.txt")};
    assert_int_equal(kb_project_import(p, paths, 2, &o, &err), 0);
    char *before[2] = {segments_of(p, "fokus"), segments_of(p, "ip02")};
    const char *names[2] = {"fokus", "ip02"};

    sqlite3 *db;
    assert_int_equal(sqlite3_open(path_of("m.db"), &db), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(db,
                     "CREATE TABLE segments(id INTEGER PRIMARY KEY,"
                     " version_id INTEGER NOT NULL, kind TEXT NOT NULL,"
                     " seq INTEGER NOT NULL, speaker_id INTEGER,"
                     " turn_seq INTEGER, paragraph_seq INTEGER,"
                     " start INTEGER NOT NULL, \"end\" INTEGER NOT NULL,"
                     " byte_start INTEGER NOT NULL, byte_end INTEGER NOT NULL,"
                     " time_ms INTEGER)",
                     NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_stmt *ins;
    assert_int_equal(
        sqlite3_prepare_v2(
            db,
            "INSERT INTO segments VALUES((SELECT first_segment FROM versions"
            " WHERE id = ?1) + ?2, ?1, ?3, ?4, (SELECT id FROM speakers WHERE"
            " version_id = ?1 AND label = ?5), ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            -1, &ins, NULL),
        SQLITE_OK);
    for (int di = 0; di < 2; di++) {
        kb_document *d;
        assert_int_equal(kb_document_load(&d, p, names[di], 0, &err), 0);
        const char *text = kb_document_text(d, NULL);
        sqlite3_int64 vid = di + 1, id = 0;
        for (int k = KB_SEG_TURN; k <= KB_SEG_SENTENCE; k++)
            for (size_t i = 0; i < kb_document_segment_count(d, k); i++) {
                const kb_segment *s = kb_document_segment(d, k, i);
                sqlite3_bind_int64(ins, 1, vid);
                sqlite3_bind_int64(ins, 2, id++);
                sqlite3_bind_text(ins, 3, kb_segment_kind_name(k), -1,
                                  SQLITE_STATIC);
                sqlite3_bind_int64(ins, 4, (sqlite3_int64)i);
                sqlite3_bind_text(ins, 5, s->speaker, -1, SQLITE_STATIC);
                if (s->turn != KB_NO_INDEX)
                    sqlite3_bind_int64(ins, 6, (sqlite3_int64)s->turn);
                if (s->paragraph != KB_NO_INDEX)
                    sqlite3_bind_int64(ins, 7, (sqlite3_int64)s->paragraph);
                sqlite3_bind_int64(ins, 8, (sqlite3_int64)s->start);
                sqlite3_bind_int64(ins, 9, (sqlite3_int64)s->end);
                sqlite3_bind_int64(ins, 10, s->text - text);
                sqlite3_bind_int64(ins, 11, s->text - text + s->text_len);
                if (s->time_ms != KB_NO_TIME)
                    sqlite3_bind_int64(ins, 12, s->time_ms);
                assert_int_equal(sqlite3_step(ins), SQLITE_DONE);
                sqlite3_reset(ins);
                sqlite3_clear_bindings(ins);
            }
        kb_document_free(d);
    }
    sqlite3_finalize(ins);
    kb_project_free(p);
    assert_int_equal(
        sqlite3_exec(db,
                     /* schema 10's table */
                     " DROP TABLE coder_tokens;"
                     /* schema 9's table (manual_codings goes below) */
                     " DROP TABLE memos;"
                     /* schema 8's column */
                     " ALTER TABLE versions DROP COLUMN read_encoding;"
                     /* schema 7's columns and table */
                     " DROP TABLE version_header;"
                     " ALTER TABLE versions DROP COLUMN read_format;"
                     " ALTER TABLE versions DROP COLUMN"
                     " read_speaker;"
                     " ALTER TABLE versions DROP COLUMN"
                     " read_interviewers;"
                     " ALTER TABLE cases DROP COLUMN interviewer;"
                     "DROP TABLE manual_facets;"
                     " DROP TABLE manual_codings;"
                     " DROP TABLE coding_packs;"
                     " CREATE TABLE codings(id INTEGER PRIMARY"
                     " KEY, from_run, to_run, version_id,"
                     " concept, segment_id, match_start,"
                     " match_end);"
                     " CREATE TABLE coding_facets(coding_id,"
                     " facet, value, source);"
                     /* texts back in their rows (schema 5) */
                     " ALTER TABLE versions ADD COLUMN text TEXT"
                     " NOT NULL DEFAULT '';"
                     " UPDATE versions SET text = (SELECT text"
                     " FROM version_texts WHERE version_id ="
                     " versions.id);"
                     " DROP TABLE version_texts;"
                     " DROP TABLE version_segments;"
                     " ALTER TABLE speakers DROP COLUMN turns;"
                     " PRAGMA user_version = 2",
                     NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(db);

    assert_int_equal(kb_project_open(&p, path_of("m.db"), &err), 0);
    for (int di = 0; di < 2; di++) {
        char *after = segments_of(p, names[di]);
        assert_string_equal(after, before[di]);
        free(after);
        free(before[di]);
    }
    kb_case_list *cl;
    assert_int_equal(kb_project_cases(&cl, p, &err), 0);
    assert_int_equal(kb_case_list_get(cl, 0)->segments, 1);
    kb_case_list_free(cl);
    kb_project_free(p);
}

/* The text of a file, NUL-terminated (caller frees). */
static char *read_text(const char *name)
{
    FILE *f = fopen(path_of(name), "rb");
    assert_non_null(f);
    char *buf = calloc(1, 4096);
    assert_non_null(buf);
    size_t n = fread(buf, 1, 4095, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

/* The codebook is read once: a run stores the bytes kb_codebook_load read
 * and hashed, not the file as it is when the run starts, so a file saved
 * again between load and code changes nothing the run keeps. */
static void test_codebook_read_once(void **state)
{
    (void)state;
    static const char loaded[] = "kodbok: 1\n"
                                 "name: Kodbok som lästes\n"
                                 "themes:\n"
                                 "  - id: styrning\n"
                                 "    label: Styrning\n"
                                 "    concepts:\n"
                                 "      - id: mandat\n"
                                 "        label: Mandat att besluta\n"
                                 "        patterns: ['\\bmandat\\b']\n";
    static const char saved[] = "kodbok: 1\n"
                                "name: Kodbok som sparades sedan\n"
                                "themes:\n"
                                "  - id: styrning\n"
                                "    label: Styrning och ledning\n"
                                "    concepts:\n"
                                "      - id: mandat\n"
                                "        label: Mandat\n"
                                "        scope: turn\n"
                                "        patterns: ['\\bmandat\\b']\n";
    kb_project *p = fresh("once.db");
    kb_error err;
    write_text("ip07.txt", "I: Hur fungerar samverkan?\n"
                           "R: Vi saknar mandat att besluta. Ansvar har vi, "
                           "men det räcker inte.\n");
    const char *paths[] = {path_of("ip07.txt")};
    assert_int_equal(kb_project_import(p, paths, 1, NULL, &err), 0);
    write_text("kodbok.yaml", loaded);
    kb_codebook *cb;
    assert_int_equal(kb_codebook_load(&cb, path_of("kodbok.yaml"), &err), 0);
    write_text("kodbok.yaml", saved); /* an editor saves in between */
    kb_run_summary sum;
    assert_int_equal(kb_project_code(&sum, p, cb, NULL, &err), 0);
    assert_int_equal(sum.quotes, 1);
    char hash[65];
    strcpy(hash, kb_codebook_hash(cb));
    kb_codebook_free(cb);

    /* the run holds the loaded text, its hash and the path as a label */
    kb_run_list *rl;
    assert_int_equal(kb_project_runs(&rl, p, &err), 0);
    assert_int_equal(kb_run_list_count(rl), 1);
    assert_string_equal(kb_run_list_get(rl, 0)->codebook_name,
                        "Kodbok som lästes");
    assert_string_equal(kb_run_list_get(rl, 0)->codebook_hash, hash);
    assert_string_equal(kb_run_list_get(rl, 0)->codebook_path,
                        path_of("kodbok.yaml"));
    kb_run_list_free(rl);
    sqlite3 *db;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_open(path_of("once.db"), &db), SQLITE_OK);
    assert_int_equal(
        sqlite3_prepare_v2(db, "SELECT codebook FROM runs", -1, &st, NULL),
        SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), loaded);
    sqlite3_finalize(st);
    sqlite3_close(db);

    /* a tag, then the quotes: the manual quote is on a segment of its
     * concept's scope in the loaded codebook (a sentence), not the saved
     * one's (a turn) */
    kb_where at = {.by = KB_AT_QUOTE, .quote = "Ansvar har vi"};
    kb_tag_options to = KB_TAG_OPTIONS_INIT;
    to.coder = "anna";
    assert_int_equal(kb_tag_add(NULL, p, "ip07", "mandat", &at, &to, &err), 0);
    kb_quote_list *ql;
    assert_int_equal(kb_project_quotes(&ql, p, NULL, &err), 0);
    assert_int_equal(kb_quote_list_count(ql), 2);
    for (size_t i = 0; i < 2; i++) {
        const kb_quote_row *q = kb_quote_list_get(ql, i);
        assert_string_equal(q->concept, "mandat");
        assert_string_equal(q->concept_label, "Mandat att besluta");
        assert_string_equal(q->theme_label, "Styrning");
        assert_int_equal(q->kind, KB_SEG_SENTENCE);
    }
    assert_string_equal(kb_quote_list_get(ql, 1)->source, "manual");
    assert_string_equal(kb_quote_list_get(ql, 1)->text, "Ansvar har vi");
    kb_quote_list_free(ql);
    char *now = read_text("kodbok.yaml");
    assert_string_equal(now, saved); /* the file was left as saved */
    free(now);
    kb_project_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_and_open),
        cmocka_unit_test(test_sync_mode),
        cmocka_unit_test(test_versions),
        cmocka_unit_test(test_all_or_nothing),
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_migration_from_segment_rows),
        cmocka_unit_test(test_segments_in_part),
        cmocka_unit_test(test_buffer_room),
        cmocka_unit_test(test_codebook_read_once),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
