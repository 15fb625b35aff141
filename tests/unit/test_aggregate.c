/*
 * test_aggregate.c: quotes and the matrix on the sample corpus coded with
 * our codebook, held against counts taken straight from the store with SQL
 * and against the documents' texts.
 * Usage: test_aggregate SOURCE_DIR
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
#include <utf8proc.h>

#include "store/codings.h"
#include "store/store.h"
#include "kodbok.h"
#include "base/utf8.h"

static const char *source;
static char dir[256], db_path[300];
static kb_project *proj;
static sqlite3 *db;

static int setup(void **state)
{
    (void)state;
    fixture_tmpdir(dir, sizeof dir, "agg");
    snprintf(db_path, sizeof db_path, "%s/p.db", dir);
    proj = fixture_sample(source, db_path, NULL);
    kb_error err;
    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    /* codings and coding_facets are views of the packs (codings.c) */
    assert_int_equal(kbi_codings_register(db, &err), 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    kbi_store_close(db);
    kb_project_free(proj);
    return fixture_rmdir(dir);
}

/* One integer from SQL with up to two text parameters. */
static long long sql_count(const char *sql, const char *a, const char *b)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    if (a)
        sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
    if (b)
        sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long long n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

#define ALIVE_CONCEPTS                                                         \
    " FROM codings c JOIN run_codes k ON k.run_id = (SELECT MAX(id) FROM"      \
    " runs) AND k.kind = 'concept' AND k.code = c.concept"                     \
    " WHERE c.to_run IS NULL"

/* Every quote is its segment's text, holds its match, and is in order. */
static void test_quotes_are_the_texts(void **state)
{
    (void)state;
    kb_quote_list *l;
    kb_error err;
    assert_int_equal(kb_project_quotes(&l, proj, NULL, &err), 0);
    size_t n = kb_quote_list_count(l);
    assert_true(n > 100);
    assert_int_equal(n,
                     sql_count("SELECT COUNT(*)" ALIVE_CONCEPTS, NULL, NULL));
    assert_int_equal(kb_quote_list_facets(l), 1);
    assert_string_equal(kb_quote_list_facet(l, 0), "level");
    kb_document *doc = NULL;
    for (size_t i = 0; i < n; i++) {
        const kb_quote_row *q = kb_quote_list_get(l, i);
        if (!doc || strcmp(kb_document_info(doc)->name, q->document)) {
            kb_document_free(doc);
            assert_int_equal(kb_document_load(&doc, proj, q->document, 0, &err),
                             0);
        }
        size_t len;
        const char *text = kb_document_text(doc, &len);
        /* code points -> bytes, independently of the library's spans */
        size_t b0 = 0, cp = 0;
        while (cp < q->start)
            b0 += kbi_utf8_seqlen((unsigned char)text[b0]), cp++;
        assert_memory_equal(text + b0, q->text, strlen(q->text));
        assert_int_equal(kbi_utf8_count(q->text, strlen(q->text)),
                         q->end - q->start);
        assert_true(q->start <= q->match_start && q->match_end <= q->end);
        assert_non_null(q->theme);
        assert_non_null(q->facets[0]);
        assert_string_equal(q->source, "auto");
        assert_true(q->words > 0);
        if (i) {
            const kb_quote_row *p = kb_quote_list_get(l, i - 1);
            int c = strcmp(p->document, q->document);
            assert_true(c < 0 || (c == 0 && p->start <= q->start));
        }
    }
    kb_document_free(doc);
    kb_quote_list_free(l);
}

/* Theme x level, every cell and total, against SQL over the store. */
static void test_matrix_counts(void **state)
{
    (void)state;
    kb_quote_list *l;
    kb_matrix *m;
    kb_error err;
    assert_int_equal(kb_project_quotes(&l, proj, NULL, &err), 0);
    assert_int_equal(
        kb_matrix_build(&m, l, "theme", "level", KB_COUNT_QUOTES, &err), 0);
    assert_int_equal(kb_matrix_rows(m), 8);
    assert_int_equal(kb_matrix_cols(m), 4);
    assert_string_equal(kb_matrix_row_key(m, 0), "struktur");
    size_t sum = 0;
    for (size_t r = 0; r < kb_matrix_rows(m); r++) {
        for (size_t c = 0; c < kb_matrix_cols(m); c++) {
            long long want = sql_count(
                "SELECT COUNT(*)" ALIVE_CONCEPTS " AND k.parent = ?1 AND"
                " EXISTS (SELECT 1 FROM coding_facets f WHERE f.coding_id ="
                " c.id AND f.facet = 'level' AND f.value = ?2)",
                kb_matrix_row_key(m, r), kb_matrix_col_key(m, c));
            assert_int_equal(kb_matrix_cell(m, r, c), want);
            const size_t *qs;
            assert_int_equal(kb_matrix_cell_quotes(m, r, c, &qs), want);
            for (size_t k = 0; k < (size_t)want; k++)
                assert_string_equal(kb_quote_list_get(l, qs[k])->theme,
                                    kb_matrix_row_key(m, r));
            sum += kb_matrix_cell(m, r, c);
        }
        assert_int_equal(kb_matrix_row_total(m, r),
                         sql_count("SELECT COUNT(*)" ALIVE_CONCEPTS
                                   " AND k.parent = ?1",
                                   kb_matrix_row_key(m, r), NULL));
    }
    /* a quote counts once per level it has; the total counts it once */
    assert_int_equal(
        sum, sql_count("SELECT COUNT(*) FROM codings c JOIN coding_facets g ON"
                       " g.coding_id = c.id AND g.facet = 'level' WHERE"
                       " c.to_run IS NULL",
                       NULL, NULL));
    assert_int_equal(kb_matrix_total(m), kb_quote_list_count(l));
    kb_matrix_free(m);

    /* distinct documents per theme */
    assert_int_equal(
        kb_matrix_build(&m, l, "theme", "level", KB_COUNT_DOCUMENTS, &err), 0);
    for (size_t r = 0; r < kb_matrix_rows(m); r++)
        assert_int_equal(
            kb_matrix_row_total(m, r),
            sql_count("SELECT COUNT(DISTINCT c.version_id)" ALIVE_CONCEPTS
                      " AND k.parent = ?1",
                      kb_matrix_row_key(m, r), NULL));
    kb_matrix_free(m);

    /* a case attribute and the speakers: found values, sorted */
    assert_int_equal(
        kb_matrix_build(&m, l, "attr:level", "speaker", KB_COUNT_CASES, &err),
        0);
    assert_true(kb_matrix_rows(m) >= 3);
    for (size_t r = 1; r < kb_matrix_rows(m); r++)
        assert_true(
            strcmp(kb_matrix_row_key(m, r - 1), kb_matrix_row_key(m, r)) < 0);
    kb_matrix_free(m);

    assert_int_equal(
        kb_matrix_build(&m, l, "theme", "colour", KB_COUNT_QUOTES, &err),
        KB_EINVAL);
    assert_non_null(strstr(err.message, "colour"));
    kb_quote_list_free(l);
}

/* A row as one line of all it holds but its text, for comparing lists. */
static char *row_key(const kb_quote_list *l, const kb_quote_row *q)
{
    char buf[2048];
    int n = snprintf(
        buf, sizeof buf, "%s|%d|%s|%s|%zu|%zu|%zu|%zu|%s|%s|%s|%s|%s|%zu|%d|%d",
        q->document, q->version, q->case_id ? q->case_id : "-",
        q->speaker ? q->speaker : "-", q->start, q->end, q->match_start,
        q->match_end, q->dimension ? q->dimension : "-",
        q->theme ? q->theme : "-", q->concept ? q->concept : "-", q->source,
        q->coder ? q->coder : "-", q->words, (int)q->decision, q->rejected);
    for (size_t k = 0; k < kb_quote_list_facets(l); k++)
        n += snprintf(buf + n, sizeof buf - (size_t)n, "|%s",
                      q->facets && q->facets[k] ? q->facets[k] : "-");
    char *s = strdup(buf);
    assert_non_null(s);
    return s;
}

static int by_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A list read with counts_only holds the rows of the whole list, in some
 * order, without the texts of the automatic quotes; every matrix built from
 * it equals the whole list's, and it cannot be written as quotes. */
static void check_counts_only(const kb_quote_filter *filter)
{
    kb_quote_filter f = filter ? *filter : (kb_quote_filter){0};
    kb_quote_list *whole, *counted;
    kb_error err;
    assert_int_equal(kb_project_quotes(&whole, proj, &f, &err), 0);
    f.counts_only = 1;
    assert_int_equal(kb_project_quotes(&counted, proj, &f, &err), 0);
    size_t n = kb_quote_list_count(whole);
    assert_true(n > 0);
    assert_int_equal(kb_quote_list_count(counted), n);
    char **a = calloc(n, sizeof *a), **b = calloc(n, sizeof *b);
    assert_true(a && b);
    for (size_t i = 0; i < n; i++) {
        const kb_quote_row *q = kb_quote_list_get(counted, i);
        a[i] = row_key(whole, kb_quote_list_get(whole, i));
        b[i] = row_key(counted, q);
        if (!strcmp(q->source, "auto"))
            assert_null(q->text);
        else
            assert_non_null(q->text);
    }
    qsort(a, n, sizeof *a, by_str);
    qsort(b, n, sizeof *b, by_str);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(a[i], b[i]);
        free(a[i]);
        free(b[i]);
    }
    free(a);
    free(b);
    static const char *const axes[][2] = {{"theme", "level"},
                                          {"concept", "speaker"},
                                          {"attr:level", "document"},
                                          {"dimension", "theme"}};
    for (size_t x = 0; x < 4; x++)
        for (int count = KB_COUNT_QUOTES; count <= KB_COUNT_WORDS; count++) {
            kb_matrix *mw, *mc;
            assert_int_equal(kb_matrix_build(&mw, whole, axes[x][0], axes[x][1],
                                             (kb_count_kind)count, &err),
                             0);
            assert_int_equal(kb_matrix_build(&mc, counted, axes[x][0],
                                             axes[x][1], (kb_count_kind)count,
                                             &err),
                             0);
            assert_int_equal(kb_matrix_rows(mc), kb_matrix_rows(mw));
            assert_int_equal(kb_matrix_cols(mc), kb_matrix_cols(mw));
            for (size_t r = 0; r < kb_matrix_rows(mw); r++) {
                assert_string_equal(kb_matrix_row_key(mc, r),
                                    kb_matrix_row_key(mw, r));
                assert_int_equal(kb_matrix_row_total(mc, r),
                                 kb_matrix_row_total(mw, r));
                for (size_t c = 0; c < kb_matrix_cols(mw); c++)
                    assert_int_equal(kb_matrix_cell(mc, r, c),
                                     kb_matrix_cell(mw, r, c));
            }
            for (size_t c = 0; c < kb_matrix_cols(mw); c++) {
                assert_string_equal(kb_matrix_col_key(mc, c),
                                    kb_matrix_col_key(mw, c));
                assert_int_equal(kb_matrix_col_total(mc, c),
                                 kb_matrix_col_total(mw, c));
            }
            assert_int_equal(kb_matrix_total(mc), kb_matrix_total(mw));
            kb_matrix_free(mw);
            kb_matrix_free(mc);
        }
    /* no texts to write, no quotes to show in cells */
    FILE *out = tmpfile();
    assert_non_null(out);
    kb_export_options o = KB_EXPORT_OPTIONS_INIT;
    o.format = KB_EXPORT_CSV;
    assert_int_equal(kb_quotes_write(out, counted, &o, &err), KB_EINVAL);
    o.format = KB_EXPORT_JSON;
    o.quotes = 1;
    assert_int_equal(kb_matrix_write(out, counted, &o, &err), KB_EINVAL);
    o.quotes = 0;
    assert_int_equal(kb_matrix_write(out, counted, &o, &err), 0);
    fclose(out);
    kb_quote_list_free(whole);
    kb_quote_list_free(counted);
}

/* Two matrices alike, cell for cell and total for total. */
static void same_matrix(const kb_matrix *a, const kb_matrix *b)
{
    assert_int_equal(kb_matrix_rows(a), kb_matrix_rows(b));
    assert_int_equal(kb_matrix_cols(a), kb_matrix_cols(b));
    for (size_t r = 0; r < kb_matrix_rows(a); r++) {
        assert_string_equal(kb_matrix_row_key(a, r), kb_matrix_row_key(b, r));
        assert_int_equal(kb_matrix_row_total(a, r), kb_matrix_row_total(b, r));
        for (size_t c = 0; c < kb_matrix_cols(a); c++)
            assert_int_equal(kb_matrix_cell(a, r, c), kb_matrix_cell(b, r, c));
    }
    for (size_t c = 0; c < kb_matrix_cols(a); c++) {
        assert_string_equal(kb_matrix_col_key(a, c), kb_matrix_col_key(b, c));
        assert_int_equal(kb_matrix_col_total(a, c), kb_matrix_col_total(b, c));
    }
    assert_int_equal(kb_matrix_total(a), kb_matrix_total(b));
}

/* A grouped list stands for the whole list's quotes: its weights add up
 * to their number, and every matrix kb_matrix_groupable allows equals the
 * whole list's; the others are refused. `fewer`: the project has documents
 * without manual codings, whose packs are grouped into fewer rows. */
static void check_grouped(const kb_quote_filter *filter, int fewer)
{
    kb_quote_filter f = filter ? *filter : (kb_quote_filter){0};
    kb_quote_list *whole, *grouped;
    kb_error err;
    assert_int_equal(kb_project_quotes(&whole, proj, &f, &err), 0);
    f.counts_only = 1;
    f.grouped = 1;
    assert_int_equal(kb_project_quotes(&grouped, proj, &f, &err), 0);
    size_t weights = 0;
    for (size_t i = 0; i < kb_quote_list_count(grouped); i++)
        weights += kb_quote_list_weight(grouped, i);
    assert_int_equal(weights, kb_quote_list_count(whole));
    if (fewer)
        assert_true(kb_quote_list_count(grouped) < kb_quote_list_count(whole));
    static const char *const axes[][2] = {
        {"theme", "level"},    {"concept", "level"},   {"level", "document"},
        {"document", "theme"}, {"dimension", "level"}, {"level", "concept"}};
    static const kb_count_kind counts[] = {KB_COUNT_QUOTES, KB_COUNT_DOCUMENTS,
                                           KB_COUNT_PRESENCE};
    for (size_t x = 0; x < sizeof axes / sizeof *axes; x++)
        for (size_t k = 0; k < 3; k++) {
            assert_true(kb_matrix_groupable(axes[x][0], axes[x][1], counts[k]));
            kb_matrix *mw, *mg;
            assert_int_equal(kb_matrix_build(&mw, whole, axes[x][0], axes[x][1],
                                             counts[k], &err),
                             0);
            assert_int_equal(kb_matrix_build(&mg, grouped, axes[x][0],
                                             axes[x][1], counts[k], &err),
                             0);
            same_matrix(mw, mg);
            kb_matrix_free(mw);
            kb_matrix_free(mg);
        }
    /* grouped across documents: fewer rows still, the same matrices where
     * neither the count nor an axis needs the document */
    kb_quote_list *across;
    f.grouped = 2;
    assert_int_equal(kb_project_quotes(&across, proj, &f, &err), 0);
    weights = 0;
    for (size_t i = 0; i < kb_quote_list_count(across); i++)
        weights += kb_quote_list_weight(across, i);
    assert_int_equal(weights, kb_quote_list_count(whole));
    if (fewer)
        assert_true(kb_quote_list_count(across) < kb_quote_list_count(grouped));
    size_t acrossed = 0;
    for (size_t x = 0; x < sizeof axes / sizeof *axes; x++)
        for (size_t k = 0; k < 3; k++) {
            kb_matrix *mw, *ma;
            int g = kb_matrix_groupable(axes[x][0], axes[x][1], counts[k]);
            int documents = counts[k] == KB_COUNT_DOCUMENTS ||
                            !strcmp(axes[x][0], "document") ||
                            !strcmp(axes[x][1], "document");
            assert_int_equal(g, documents ? 1 : 2);
            int rc = kb_matrix_build(&ma, across, axes[x][0], axes[x][1],
                                     counts[k], &err);
            if (g < 2) { /* refused, not counted wrong */
                assert_int_equal(rc, KB_EINVAL);
                continue;
            }
            assert_int_equal(rc, 0);
            assert_int_equal(kb_matrix_build(&mw, whole, axes[x][0], axes[x][1],
                                             counts[k], &err),
                             0);
            same_matrix(mw, ma);
            kb_matrix_free(mw);
            kb_matrix_free(ma);
            acrossed++;
        }
    assert_true(acrossed >= 8);
    kb_quote_list_free(across);
    kb_matrix *m;
    assert_false(kb_matrix_groupable("case", "level", KB_COUNT_QUOTES));
    assert_false(kb_matrix_groupable("theme", "level", KB_COUNT_WORDS));
    assert_false(kb_matrix_groupable("theme", "concept", KB_COUNT_QUOTES));
    if (kb_quote_list_count(grouped) < kb_quote_list_count(whole)) {
        assert_int_equal(kb_matrix_build(&m, grouped, "speaker", "level",
                                         KB_COUNT_QUOTES, &err),
                         KB_EINVAL);
        assert_int_equal(kb_matrix_build(&m, grouped, "theme", "level",
                                         KB_COUNT_CASES, &err),
                         KB_EINVAL);
    }
    kb_quote_list_free(whole);
    kb_quote_list_free(grouped);
}

/* The quotes of `filter` written with `o` from the whole list and from
 * the quotes read a document at a time: as a report with the codebook's
 * tree when `cb`, else as a quote table. The same bytes. */
static void same_bytes(const kb_quote_filter *filter,
                       const kb_export_options *o, const kb_codebook *cb)
{
    char *out[2];
    size_t len[2];
    kb_error err;
    kb_quote_list *whole;
    kb_quote_pages *pg;
    assert_int_equal(kb_project_quotes(&whole, proj, filter, &err), 0);
    assert_int_equal(kb_project_quote_pages(&pg, proj, filter, &err), 0);
    for (int k = 0; k < 2; k++) {
        FILE *fp = open_memstream(&out[k], &len[k]);
        assert_non_null(fp);
        int rc = cb ? (k ? kb_report_write_pages(fp, pg, cb, o, &err)
                         : kb_report_write(fp, whole, cb, o, &err))
                    : (k ? kb_quotes_write_pages(fp, pg, o, &err)
                         : kb_quotes_write(fp, whole, o, &err));
        assert_int_equal(rc, 0);
        fclose(fp);
    }
    assert_true(len[0] > 0);
    assert_int_equal(len[0], len[1]);
    assert_memory_equal(out[0], out[1], len[0]);
    free(out[0]);
    free(out[1]);
    kb_quote_pages_free(pg);
    kb_quote_list_free(whole);
}

/* The report of `filter` by rows x cols counting `count`, with the sample
 * codebook's tree, alike from pages. */
static void same_report(const kb_quote_filter *filter, const char *rows,
                        const char *cols, kb_count_kind count)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/codebooks/vardsamverkan.yaml", source);
    kb_codebook *cb;
    kb_error err;
    assert_int_equal(kb_codebook_load(&cb, path, &err), 0);
    kb_export_options o = KB_EXPORT_OPTIONS_INIT;
    o.rows = rows;
    o.cols = cols;
    o.count = count;
    same_bytes(filter, &o, cb);
    kb_codebook_free(cb);
}

/* Pages read from one snapshot: a tag that another connection adds to the
 * last document while the first page is read is not in its page, which
 * still holds the whole list's rows read before; the next pages see it. */
static void check_pages_snapshot(void)
{
    kb_quote_list *before;
    kb_quote_pages *pg;
    kb_error err;
    assert_int_equal(kb_project_quotes(&before, proj, NULL, &err), 0);
    size_t n = kb_quote_list_count(before);
    const char *last = kb_quote_list_get(before, n - 1)->document;
    assert_int_equal(kb_project_quote_pages(&pg, proj, NULL, &err), 0);
    const kb_quote_list *page;
    assert_int_equal(kb_quote_pages_next(pg, &page, &err), 0);
    assert_non_null(page);
    assert_string_not_equal(kb_quote_list_get(page, 0)->document, last);
    kb_project *other;
    assert_int_equal(kb_project_open(&other, db_path, &err), 0);
    kb_where at = {.by = KB_AT_SEGMENT, .kind = KB_SEG_TURN, .index = 0};
    kb_tag_options to = KB_TAG_OPTIONS_INIT;
    to.coder = "snapshot";
    int64_t id;
    assert_int_equal(kb_tag_add(&id, other, last, "struktur", &at, &to, &err),
                     0);
    size_t at_row = kb_quote_list_count(page);
    while (!kb_quote_pages_next(pg, &page, &err) && page)
        for (size_t i = 0; i < kb_quote_list_count(page); i++, at_row++) {
            char *a = row_key(before, kb_quote_list_get(before, at_row));
            char *b = row_key(page, kb_quote_list_get(page, i));
            assert_string_equal(a, b);
            free(a);
            free(b);
        }
    assert_int_equal(at_row, n);
    kb_quote_pages_free(pg);
    kb_quote_list *after;
    assert_int_equal(kb_project_quotes(&after, proj, NULL, &err), 0);
    assert_int_equal(kb_quote_list_count(after), n + 1);
    kb_quote_list_free(after);
    assert_int_equal(kb_tag_remove_id(other, id, &err), 0);
    kb_project_free(other);
    kb_quote_list_free(before);
}

/* Reports of every kind of axes and count alike from pages. */
static void check_reports(const kb_quote_filter *filter)
{
    same_report(filter, NULL, NULL, KB_COUNT_QUOTES);
    same_report(filter, "concept", "document", KB_COUNT_QUOTES);
    same_report(filter, "level", "dimension", KB_COUNT_DOCUMENTS);
    same_report(filter, "document", "theme", KB_COUNT_PRESENCE);
    same_report(filter, "case", "level", KB_COUNT_CASES); /* whole list */
    same_report(filter, "theme", "concept",
                KB_COUNT_QUOTES); /* co-occurrence */
}

/* Read a document at a time, the quotes of `filter` are the whole list's,
 * row for row and in order, each document's in one page, none empty, and
 * again after a rewind; they are written alike in every table format. */
static void check_pages(const kb_quote_filter *filter)
{
    kb_quote_list *whole;
    kb_quote_pages *pg;
    kb_error err;
    assert_int_equal(kb_project_quotes(&whole, proj, filter, &err), 0);
    assert_int_equal(kb_project_quote_pages(&pg, proj, filter, &err), 0);
    assert_int_equal(kb_quote_list_count(kb_quote_pages_list(pg)), 0);
    for (int round = 0; round < 2; round++) {
        kb_quote_pages_rewind(pg);
        size_t at = 0, pages = 0;
        const kb_quote_list *page;
        while (!kb_quote_pages_next(pg, &page, &err) && page) {
            size_t n = kb_quote_list_count(page);
            assert_true(n > 0);
            assert_ptr_equal(page, kb_quote_pages_list(pg));
            for (size_t i = 0; i < n; i++, at++) {
                const kb_quote_row *q = kb_quote_list_get(page, i);
                assert_true(at < kb_quote_list_count(whole));
                const kb_quote_row *w = kb_quote_list_get(whole, at);
                assert_string_equal(q->document,
                                    kb_quote_list_get(page, 0)->document);
                char *a = row_key(whole, w), *b = row_key(page, q);
                assert_string_equal(a, b);
                assert_string_equal(w->text, q->text);
                free(a);
                free(b);
            }
            pages++;
            /* a page ends where the whole list's document does */
            assert_true(at == kb_quote_list_count(whole) ||
                        strcmp(kb_quote_list_get(whole, at)->document,
                               kb_quote_list_get(whole, at - 1)->document));
        }
        assert_null(page);
        assert_int_equal(at, kb_quote_list_count(whole));
        assert_true(pages > 0 || at == 0);
    }
    kb_quote_pages_free(pg);
    kb_quote_list_free(whole);
    static const kb_export_format formats[] = {KB_EXPORT_TEXT, KB_EXPORT_CSV,
                                               KB_EXPORT_TSV,  KB_EXPORT_MD,
                                               KB_EXPORT_HTML, KB_EXPORT_JSON};
    for (size_t k = 0; k < sizeof formats / sizeof *formats; k++) {
        kb_export_options o = KB_EXPORT_OPTIONS_INIT;
        o.format = formats[k];
        o.max_words = 8;
        same_bytes(filter, &o, NULL);
    }
}

static void test_counts_only(void **state)
{
    (void)state;
    check_counts_only(NULL);
    check_grouped(NULL, 1);
    check_pages(NULL);
    kb_quote_filter theme = {.theme = "struktur", .case_id = "ip02"};
    check_pages(&theme);
    check_reports(NULL);
    check_pages_snapshot();
    kb_quote_filter f = {.facet = "level", .facet_value = "lokal"};
    check_counts_only(&f);
    check_grouped(&f, 0);
    /* a case filter needs each quote's case: no row is grouped */
    kb_quote_list *l;
    kb_error err;
    kb_quote_filter c = {.case_id = "ip01", .counts_only = 1, .grouped = 1};
    assert_int_equal(kb_project_quotes(&l, proj, &c, &err), 0);
    for (size_t i = 0; i < kb_quote_list_count(l); i++)
        assert_int_equal(kb_quote_list_weight(l, i), 1);
    kb_quote_list_free(l);
}

/* A list read with skip_words is the whole list, row for row and in the
 * same order, with every row's words 0, and its quotes are written alike,
 * shortened (--max-words) or not. */
static void test_skip_words(void **state)
{
    (void)state;
    kb_quote_filter f = {0};
    kb_quote_list *whole, *skipped;
    kb_error err;
    assert_int_equal(kb_project_quotes(&whole, proj, &f, &err), 0);
    f.skip_words = 1;
    assert_int_equal(kb_project_quotes(&skipped, proj, &f, &err), 0);
    size_t n = kb_quote_list_count(whole);
    assert_true(n > 0);
    assert_int_equal(kb_quote_list_count(skipped), n);
    size_t counted = 0;
    for (size_t i = 0; i < n; i++) {
        kb_quote_row q = *kb_quote_list_get(whole, i);
        const kb_quote_row *r = kb_quote_list_get(skipped, i);
        assert_int_equal(r->words, 0);
        assert_string_equal(q.text, r->text);
        counted += q.words > 0;
        q.words = 0;
        char *a = row_key(whole, &q), *b = row_key(skipped, r);
        assert_string_equal(a, b);
        free(a);
        free(b);
    }
    assert_int_equal(counted, n); /* the whole list has them */
    for (size_t max = 0; max <= 12; max += 6) {
        char *out[2];
        size_t len[2];
        const kb_quote_list *lists[2] = {whole, skipped};
        for (int k = 0; k < 2; k++) {
            FILE *fp = open_memstream(&out[k], &len[k]);
            assert_non_null(fp);
            kb_export_options o = KB_EXPORT_OPTIONS_INIT;
            o.format = KB_EXPORT_CSV;
            o.max_words = max;
            assert_int_equal(kb_quotes_write(fp, lists[k], &o, &err), 0);
            fclose(fp);
        }
        assert_int_equal(len[0], len[1]);
        assert_memory_equal(out[0], out[1], len[0]);
        free(out[0]);
        free(out[1]);
    }
    kb_quote_list_free(whole);
    kb_quote_list_free(skipped);
}

/* Words counted one code point at a time by the store's rule (letters,
 * digits, marks: kbi_utf8_is_word), as an oracle for the list's counts. */
static size_t oracle_words(const char *s)
{
    size_t words = 0, n = strlen(s);
    int in = 0;
    for (size_t i = 0; i < n;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                              (utf8proc_ssize_t)(n - i), &cp);
        assert_true(k > 0);
        int w = kbi_utf8_is_word(cp);
        words += w && !in;
        in = w;
        i += (size_t)k;
    }
    return words;
}

/* The number of words kb_quote_excerpt sees in text: the fewest it keeps
 * whole. */
static size_t excerpt_words(const char *text)
{
    kb_quote_row q = {.text = text};
    size_t max = 1;
    for (;; max++) {
        char *out;
        assert_int_equal(kb_quote_excerpt(&out, &q, max, NULL), 0);
        int whole = !strcmp(out, text);
        free(out);
        if (whole)
            return max;
    }
}

/* Word counts, eight ASCII bytes at a time and one character at a time,
 * against the oracle: every quote of the sample, and texts whose words
 * and non-ASCII letters fall across every 8-byte boundary. */
static void test_word_counts(void **state)
{
    (void)state;
    kb_quote_list *l;
    kb_error err;
    assert_int_equal(kb_project_quotes(&l, proj, NULL, &err), 0);
    for (size_t i = 0; i < kb_quote_list_count(l); i++) {
        const kb_quote_row *q = kb_quote_list_get(l, i);
        assert_int_equal(q->words, oracle_words(q->text));
    }
    kb_quote_list_free(l);
    static const char *const pieces[] = {
        "ord",   "Åsa",   "x",   "42", "är", "1,5", "e-post",
        "naïve", "μέτρο", "a_b", "Z9", "×",  "—",   "é"};
    static const char *const gaps[] = {" ", "  ", ", ", ".\n", "\t", "–", "÷"};
    char text[512];
    for (size_t shift = 0; shift < 9; shift++)
        for (size_t g = 0; g < sizeof gaps / sizeof *gaps; g++) {
            size_t n = 0;
            for (size_t k = 0; k < shift; k++)
                text[n++] = '.';
            for (size_t p = 0; p < sizeof pieces / sizeof *pieces; p++) {
                n += (size_t)snprintf(text + n, sizeof text - n, "%s%s",
                                      pieces[(p + shift) % 14], gaps[g]);
            }
            text[n] = '\0';
            size_t want = oracle_words(text);
            assert_true(want > 10);
            assert_int_equal(excerpt_words(text), want);
        }
}

static void test_filters(void **state)
{
    (void)state;
    kb_quote_list *l;
    kb_error err;
    kb_quote_filter f = {.facet = "level", .facet_value = "lokal"};
    assert_int_equal(kb_project_quotes(&l, proj, &f, &err), 0);
    assert_int_equal(kb_quote_list_count(l),
                     sql_count("SELECT COUNT(*)" ALIVE_CONCEPTS
                               " AND EXISTS (SELECT 1 FROM coding_facets f"
                               " WHERE f.coding_id = c.id AND f.facet ="
                               " 'level' AND f.value = ?1)",
                               "lokal", NULL));
    kb_quote_list_free(l);
    kb_quote_filter t = {.theme = "ledarskap", .document = "ip03"};
    assert_int_equal(kb_project_quotes(&l, proj, &t, &err), 0);
    assert_int_equal(kb_quote_list_count(l),
                     sql_count("SELECT COUNT(*)" ALIVE_CONCEPTS
                               " AND k.parent = ?1 AND c.version_id = (SELECT"
                               " v.id FROM versions v JOIN documents d ON"
                               " d.id = v.document_id WHERE d.name = ?2)",
                               "ledarskap", "ip03"));
    for (size_t i = 0; i < kb_quote_list_count(l); i++)
        assert_string_equal(kb_quote_list_get(l, i)->case_id, "ip03");
    kb_quote_list_free(l);
    kb_quote_filter bad = {.run = 99};
    assert_int_equal(kb_project_quotes(&l, proj, &bad, &err), KB_ENOENT);
    kb_quote_filter nofacet = {.facet = "colour", .facet_value = "x"};
    assert_int_equal(kb_project_quotes(&l, proj, &nofacet, &err), KB_ENOENT);
}

/* The excerpt of `text` (a quote at code point 100) around the match at
 * code points [ms, me) of the text, at most `max` words. */
static void check_excerpt(const char *text, size_t ms, size_t me, size_t max,
                          const char *want)
{
    kb_quote_row q = {.start = 100,
                      .end = 100 + strlen(text),
                      .match_start = 100 + ms,
                      .match_end = 100 + me,
                      .text = text};
    char *got;
    assert_int_equal(kb_quote_excerpt(&got, &q, max, NULL), 0);
    assert_string_equal(got, want);
    free(got);
}

static void test_excerpt(void **state)
{
    (void)state;
    /* 16 words; "samverkan" is word 6, at code points 28..37 */
    const char *t = "Det är svårt att förstå hur samverkan ska gå till när "
                    "ingen äger frågan på riktigt.";
    check_excerpt(t, 28, 37, 0, t);
    check_excerpt(t, 28, 37, 16, t);
    check_excerpt(t, 28, 37, 5, "[…] förstå hur samverkan ska gå […]");
    check_excerpt(t, 28, 37, 1, "[…] samverkan […]");
    /* at the end: the window slides left, the full stop is kept */
    check_excerpt(t, 75, 82, 3, "[…] frågan på riktigt.");
    /* at the start: nothing cut before */
    check_excerpt(t, 0, 3, 3, "Det är svårt […]");
    /* a match longer than the window: from its first word */
    check_excerpt(t, 7, 45, 3, "[…] svårt att förstå […]");
    /* punctuation after the last kept word stays */
    check_excerpt("Vi ses, sa hon, och gick.", 8, 10, 3,
                  "[…] ses, sa hon, […]");
}

static size_t level_index(const kb_quote_list *l)
{
    for (size_t k = 0; k < kb_quote_list_facets(l); k++)
        if (!strcmp(kb_quote_list_facet(l, k), "level"))
            return k;
    fail_msg("no level facet");
    return 0;
}

/* The index of the row of `doc` at `start` with `concept` (NULL: a manual
 * row with no concept), or (size_t)-1. */
static size_t find_row(const kb_quote_list *l, const char *doc, size_t start,
                       const char *concept, const char *from)
{
    for (size_t i = 0; i < kb_quote_list_count(l); i++) {
        const kb_quote_row *q = kb_quote_list_get(l, i);
        if (!strcmp(q->document, doc) && q->start == start &&
            !strcmp(q->source, from) &&
            (concept ? q->concept && !strcmp(q->concept, concept)
                     : !q->concept))
            return i;
    }
    return (size_t)-1;
}

/* Manual codings in the one quote reader: rejected quotes left out, tags in
 * with their coder, manual facet values over the rules inside their
 * passage, and the rules for a manual quote the same as a run's. Runs last:
 * it changes the project. */
static void test_manual_quotes(void **state)
{
    (void)state;
    kb_error err;
    kb_quote_list *l0;
    kb_quote_filter ip03 = {.document = "ip03"};
    assert_int_equal(kb_project_quotes(&l0, proj, &ip03, &err), 0);
    size_t n0 = kb_quote_list_count(l0), lv = level_index(l0);
    assert_true(n0 >= 4);
    /* q0: rejected; q1: a quote whose turn gets level=lokal by hand (one
     * not lokal by the rules); q2: a sentence tagged by hand with its own
     * concept and no facet value */
    const kb_quote_row *q0 = kb_quote_list_get(l0, 0), *q1 = NULL, *q2 = NULL;
    for (size_t i = 1; i < n0; i++) {
        const kb_quote_row *q = kb_quote_list_get(l0, i);
        if (!q1 && q->kind == KB_SEG_SENTENCE && q->facets[lv] &&
            !strstr(q->facets[lv], "lokal"))
            q1 = q;
    }
    assert_non_null(q1);
    for (size_t i = n0; i-- > 1 && !q2;) {
        const kb_quote_row *q = kb_quote_list_get(l0, i);
        if (q->kind == KB_SEG_SENTENCE && q->start > q1->end + 2000)
            q2 = q;
    }
    assert_non_null(q2);
    assert_int_equal(
        kb_quote_decide(proj, q0, "tester", KB_DECISION_REJECT, &err), 0);
    kb_document *d;
    assert_int_equal(kb_document_load(&d, proj, "ip03", 0, &err), 0);
    const kb_segment *s1 = kb_document_segment(d, KB_SEG_SENTENCE, q1->index);
    const kb_segment *turn = kb_document_segment(d, KB_SEG_TURN, s1->turn);
    kb_where at = {
        .by = KB_AT_SEGMENT, .kind = KB_SEG_TURN, .index = turn->index};
    const char *lokal[] = {"level=lokal"};
    kb_tag_options to = KB_TAG_OPTIONS_INIT;
    to.coder = "tester";
    to.facets = lokal;
    to.nfacets = 1;
    assert_int_equal(
        kb_tag_add(NULL, proj, "ip03", "ledarskap", &at, &to, &err), 0);
    kb_where at2 = {
        .by = KB_AT_SEGMENT, .kind = KB_SEG_SENTENCE, .index = q2->index};
    kb_tag_options to2 = KB_TAG_OPTIONS_INIT;
    to2.coder = "tester";
    assert_int_equal(
        kb_tag_add(NULL, proj, "ip03", q2->concept, &at2, &to2, &err), 0);

    kb_quote_list *l1;
    assert_int_equal(kb_project_quotes(&l1, proj, &ip03, &err), 0);
    /* less the rejected one, plus the theme tag; the tag on q2's sentence
     * with q2's concept is part of q2 */
    assert_int_equal(kb_quote_list_count(l1), n0 - 1 + 1);
    assert_int_equal(find_row(l1, "ip03", q0->start, q0->concept, "auto"),
                     (size_t)-1);
    /* the theme tag: no concept, the turn's case, text and the hand's level */
    size_t t = find_row(l1, "ip03", turn->start, NULL, "manual");
    assert_int_not_equal(t, (size_t)-1);
    const kb_quote_row *mt = kb_quote_list_get(l1, t);
    assert_string_equal(mt->theme, "ledarskap");
    assert_string_equal(mt->coder, "tester");
    assert_int_equal(mt->decision, KB_DECISION_TAG);
    assert_string_equal(mt->case_id, turn->case_id);
    assert_int_equal(strlen(mt->text), turn->text_len);
    assert_memory_equal(mt->text, turn->text, turn->text_len);
    assert_string_equal(mt->facets[lv], "lokal");
    /* q1 lies inside the turn: the hand's level wins over the rules */
    size_t a1 = find_row(l1, "ip03", q1->start, q1->concept, "auto");
    assert_int_not_equal(a1, (size_t)-1);
    assert_string_equal(kb_quote_list_get(l1, a1)->facets[lv], "lokal");
    /* q2 is outside it: its level is the run's; the tag on its sentence is
     * one of its codings, not a quote of its own */
    size_t a2 = find_row(l1, "ip03", q2->start, q2->concept, "auto");
    assert_int_not_equal(a2, (size_t)-1);
    assert_int_equal(find_row(l1, "ip03", q2->start, q2->concept, "manual"),
                     (size_t)-1);
    const kb_quote_row *r2 = kb_quote_list_get(l1, a2);
    assert_string_equal(r2->facets[lv], q2->facets[lv]);
    assert_string_equal(r2->coder, "tester");
    assert_string_equal(r2->tagged_by, "tester");
    assert_null(r2->accepted_by);
    assert_int_equal(r2->start, q2->start);
    assert_int_equal(r2->end, q2->end);

    /* sources, coders, and the rejected quote on request */
    kb_quote_list *l2;
    kb_quote_filter manual = {.document = "ip03", .source = "manual"};
    assert_int_equal(kb_project_quotes(&l2, proj, &manual, &err), 0);
    assert_int_equal(kb_quote_list_count(l2), 2);
    kb_quote_list_free(l2);
    kb_quote_filter autos = {.document = "ip03", .source = "auto"};
    assert_int_equal(kb_project_quotes(&l2, proj, &autos, &err), 0);
    assert_int_equal(kb_quote_list_count(l2), n0 - 1);
    kb_quote_list_free(l2);
    /* counted as listed: the theme's count holds the theme tag once */
    kb_count_list *cl;
    assert_int_equal(kb_project_count(&cl, proj, 0, "theme", &err), 0);
    kb_quote_list *all;
    assert_int_equal(kb_project_quotes(&all, proj, NULL, &err), 0);
    for (size_t i = 0; i < kb_count_list_count(cl); i++) {
        const kb_count *c = kb_count_list_get(cl, i);
        size_t want = 0;
        for (size_t k = 0; k < kb_quote_list_count(all); k++) {
            const kb_quote_row *q = kb_quote_list_get(all, k);
            want += q->theme && !strcmp(q->theme, c->key);
        }
        assert_int_equal(c->quotes, want);
    }
    kb_quote_list_free(all);
    kb_count_list_free(cl);
    assert_int_equal(kb_project_quotes(&l2, proj, &autos, &err), 0);
    kb_quote_list_free(l2);
    kb_quote_filter rej = {.document = "ip03", .with_rejected = 1};
    assert_int_equal(kb_project_quotes(&l2, proj, &rej, &err), 0);
    size_t r0 = find_row(l2, "ip03", q0->start, q0->concept, "auto");
    assert_int_not_equal(r0, (size_t)-1);
    assert_true(kb_quote_list_get(l2, r0)->rejected);
    kb_quote_list_free(l2);
    kb_quote_filter lokal_only = {.document = "ip03",
                                  .facet = "level",
                                  .facet_value = "lokal",
                                  .source = "manual"};
    assert_int_equal(kb_project_quotes(&l2, proj, &lokal_only, &err), 0);
    assert_true(kb_quote_list_count(l2) >= 1);
    kb_quote_list_free(l2);
    kb_quote_filter nobody = {.coder = "nobody"};
    assert_int_equal(kb_project_quotes(&l2, proj, &nobody, &err), KB_ENOENT);
    kb_quote_filter bad = {.source = "robot"};
    assert_int_equal(kb_project_quotes(&l2, proj, &bad, &err), KB_EINVAL);
    kb_quote_filter theme = {.concept = "ledarskap"};
    assert_int_equal(kb_project_quotes(&l2, proj, &theme, &err), KB_ENOENT);
    assert_non_null(strstr(err.message, "is a theme, not a concept"));
    /* a list to count, with manual quotes and a rejection in it */
    check_counts_only(NULL);
    check_counts_only(&ip03);
    check_grouped(NULL, 0);
    check_grouped(&ip03, 0);
    /* read a document at a time, with manual quotes, a rejection and
     * manual facet values in them */
    check_pages(NULL);
    check_pages(&ip03);
    check_pages(&manual);
    check_pages(&autos);
    check_pages(&rej);
    check_pages(&lokal_only);
    kb_quote_filter tester = {.coder = "tester"};
    check_pages(&tester);
    kb_quote_filter unreviewed = {.reviewer = "tester", .unreviewed = 1};
    check_pages(&unreviewed);
    check_reports(NULL);
    check_reports(&lokal_only);
    kb_document_free(d);
    kb_quote_list_free(l1);
    kb_quote_list_free(l0);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_aggregate SOURCE_DIR\n");
        return 2;
    }
    source = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quotes_are_the_texts),
        cmocka_unit_test(test_matrix_counts),
        cmocka_unit_test(test_counts_only),
        cmocka_unit_test(test_skip_words),
        cmocka_unit_test(test_word_counts),
        cmocka_unit_test(test_filters),
        cmocka_unit_test(test_excerpt),
        cmocka_unit_test(test_manual_quotes),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
