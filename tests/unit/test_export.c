/*
 * test_export.c: the quote and matrix exports (core/src/export/export.c,
 * report.c) and the block-at-a-time writers under them. A table written a
 * block at a time must equal the same table written whole, in every
 * format; on the sample corpus coded with its codebook, quotes.csv is read
 * back by csv.c and the matrix JSON by SQLite's JSON1, each against the
 * quote list and the matrix; the workbook's links lead to rows holding
 * their cell's keys; the report is parsed by libxml2 and its links
 * followed; quotes of concepts of different scopes come out in position
 * order; filters naming what the run does not have are errors.
 * Usage: test_export SOURCE_DIR
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "fixture.h"

#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <utf8proc.h>
#include <zip.h>

#include "base/csv.h"
#include "export/table.h"
#include "export/table_html.h"
#include "export/table_write.h"
#include "export/table_xlsx.h"
#include "base/grow.h"
#include "kodbok.h"

static const char *source;
static char dir[64], db_path[128];
static kb_project *proj;
static kb_quote_list *quotes;

static char cb_path[512];

static int setup(void **state)
{
    (void)state;
    fixture_tmpdir(dir, sizeof dir, "export");
    snprintf(db_path, sizeof db_path, "%s/p.db", dir);
    snprintf(cb_path, sizeof cb_path, "%s/codebooks/vardsamverkan.yaml",
             source);
    proj = fixture_sample(source, db_path, cb_path);
    kb_error err;
    assert_int_equal(kb_project_quotes(&quotes, proj, NULL, &err), 0);
    assert_true(kb_quote_list_count(quotes) > 500);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    kb_quote_list_free(quotes);
    kb_project_free(proj);
    return fixture_rmdir(dir);
}

/* ---- helpers ------------------------------------------------------------ */

/* A CSV read back by csv.c: rows of fields. */
typedef struct grid {
    char ***rows;
    size_t *nfields;
    size_t n, cap, capn;
} grid;

static int keep_row(void *ctx, size_t nfields, const char *const *fields,
                    const int *columns, int line, kb_error *err)
{
    (void)columns;
    (void)line;
    (void)err;
    grid *g = ctx;
    assert_int_equal(KBI_GROW(&g->rows, &g->cap, g->n + 1), 0);
    assert_int_equal(KBI_GROW(&g->nfields, &g->capn, g->n + 1), 0);
    g->rows[g->n] = calloc(nfields + 1, sizeof(char *));
    for (size_t i = 0; i < nfields; i++)
        g->rows[g->n][i] = strdup(fields[i]);
    g->nfields[g->n++] = nfields;
    return 0;
}

/* Parses CSV with CRLF record ends (no CR inside our cells). */
static grid read_csv(const char *text, size_t len)
{
    char *lf = malloc(len + 1);
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        if (!(text[i] == '\r' && i + 1 < len && text[i + 1] == '\n'))
            lf[n++] = text[i];
    lf[n] = '\0';
    grid g = {0};
    kb_error err;
    if (kbi_csv_parse(lf, n, "export.csv", keep_row, &g, &err))
        fail_msg("reading the CSV back: %s", err.message);
    free(lf);
    return g;
}

static void grid_free(grid *g)
{
    for (size_t r = 0; r < g->n; r++) {
        for (size_t i = 0; i < g->nfields[r]; i++)
            free(g->rows[r][i]);
        free(g->rows[r]);
    }
    free(g->rows);
    free(g->nfields);
}

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

/* ---- the block writers equal the whole-table writers -------------------- */

static const char *const texts[] = {
    "Vi har, som sagt, \"samverkan\" på ö-nivå.",
    "Rad ett\nRad två\tmed flik, <b>fet</b> & \\ snedstreck | rör",
    "",
    NULL,
    "  blanksteg runt om  ",
    "ÅÄÖ åäö *stjärna* _under_ [länk](x) `kod` ~~struket~~ 東京",
    "Ett långt citat som får radbrytas i textformatet eftersom det är "
    "längre än kolumnens bredd på fyrtio tecken."};
#define NTEXTS (sizeof texts / sizeof *texts)
#define NROWS  11

/* The columns of the test table (any rows are cleared first). */
static kbi_table *columns(void)
{
    kbi_table *t;
    assert_int_equal(kbi_table_new(&t, "Block", NULL), 0);
    assert_int_equal(kbi_table_add_column(t, "nr", KBI_COLUMN_INT, 0, 0, NULL),
                     0);
    assert_int_equal(
        kbi_table_add_column(t, "kort", KBI_COLUMN_TEXT, 0, 0, NULL), 0);
    assert_int_equal(
        kbi_table_add_column(t, "text", KBI_COLUMN_TEXT, 40, 1, NULL), 0);
    return t;
}

/* Adds rows [from, to) of the test data. */
static void fill(kbi_table *t, size_t from, size_t to)
{
    for (size_t r = from; r < to; r++) {
        size_t row;
        assert_int_equal(kbi_table_add_row(t, &row, NULL), 0);
        assert_int_equal(
            kbi_table_set_int(t, row, 0, (int64_t)r * 1000 - 3, NULL), 0);
        assert_int_equal(
            kbi_table_set_text(t, row, 1, texts[(r + 3) % NTEXTS], NULL), 0);
        assert_int_equal(
            kbi_table_set_text_ref(t, row, 2, texts[r % NTEXTS], NULL), 0);
    }
}

static void test_blocks_equal_whole(void **state)
{
    (void)state;
    kbi_table *whole = columns();
    fill(whole, 0, NROWS);
    kbi_table_options semi = {1, 1, ';', 0, NULL};
    for (int format = KBI_TABLE_TEXT; format < KBI_TABLE_XLSX; format++)
        for (int opt = 0; opt < 2; opt++) {
            const kbi_table_options *o = opt ? &semi : NULL;
            fixture_mem a, b;
            kb_error err;
            assert_int_equal(kbi_table_write(fixture_mem_open(&a), whole,
                                             (kbi_table_format)format, o, &err),
                             0);
            char *want = fixture_mem_end(&a);
            /* blocks of 4, 4 and 3 rows in one table, cleared between */
            kbi_table *t = columns();
            int *widths = calloc(3, sizeof *widths);
            for (size_t r = 0; r < NROWS; r += 4) {
                fill(t, r, r + 4 < NROWS ? r + 4 : NROWS);
                assert_int_equal(kbi_table_text_widths(t, widths), 0);
                kbi_table_clear(t);
                assert_int_equal(kbi_table_rows(t), 0);
            }
            kbi_table_writer *w;
            assert_int_equal(kbi_table_writer_open(&w, fixture_mem_open(&b), t,
                                                   (kbi_table_format)format, o,
                                                   widths, &err),
                             0);
            for (size_t r = 0; r < NROWS; r += 4) {
                fill(t, r, r + 4 < NROWS ? r + 4 : NROWS);
                assert_int_equal(kbi_table_writer_rows(w, t, &err), 0);
                kbi_table_clear(t);
            }
            assert_int_equal(kbi_table_writer_close(w, &err), 0);
            char *got = fixture_mem_end(&b);
            if (strcmp(want, got))
                fail_msg(
                    "format %d: blocks differ from the whole:\n%s\n---\n%s",
                    format, want, got);
            free(want);
            free(got);
            free(widths);
            kbi_table_free(t);
        }
    kbi_table_free(whole);
}

/* A part of a workbook, whole. */
static char *zip_part(const char *path, const char *name)
{
    int zerr;
    zip_t *z = zip_open(path, ZIP_RDONLY, &zerr);
    assert_non_null(z);
    zip_stat_t sb;
    if (zip_stat(z, name, 0, &sb))
        fail_msg("no part %s in %s", name, path);
    zip_file_t *f = zip_fopen(z, name, 0);
    char *buf = malloc(sb.size + 1);
    assert_int_equal(zip_fread(f, buf, sb.size), (zip_int64_t)sb.size);
    buf[sb.size] = '\0';
    zip_fclose(f);
    zip_close(z);
    return buf;
}

static void test_workbook_blocks(void **state)
{
    (void)state;
    char whole_path[128], block_path[128];
    snprintf(whole_path, sizeof whole_path, "%s/whole.xlsx", dir);
    snprintf(block_path, sizeof block_path, "%s/blocks.xlsx", dir);
    kbi_table *whole = columns();
    fill(whole, 0, NROWS);
    const kbi_table *one[1] = {whole};
    kb_error err;
    assert_int_equal(kbi_table_write_xlsx(whole_path, one, 1, &err), 0);
    kbi_workbook *b;
    kbi_table *t = columns();
    assert_int_equal(kbi_workbook_open(&b, block_path, &err), 0);
    fill(t, 0, 5);
    assert_int_equal(kbi_workbook_sheet(b, t, NULL, &err), 0);
    kbi_table_clear(t);
    fill(t, 5, NROWS);
    assert_int_equal(kbi_workbook_rows(b, t, &err), 0);
    assert_int_equal(kbi_workbook_close(b, &err), 0);
    char *want = zip_part(whole_path, "xl/worksheets/sheet1.xml");
    char *got = zip_part(block_path, "xl/worksheets/sheet1.xml");
    assert_string_equal(got, want);
    assert_non_null(strstr(got, "<autoFilter ref=\"A1:C12\"/>"));
    free(want);
    free(got);
    /* Rows of other columns are refused. */
    kbi_table *other;
    assert_int_equal(kbi_table_new(&other, "Annan", NULL), 0);
    assert_int_equal(
        kbi_table_add_column(other, "x", KBI_COLUMN_TEXT, 0, 0, NULL), 0);
    assert_int_equal(kbi_workbook_open(&b, block_path, &err), 0);
    assert_int_equal(kbi_workbook_sheet(b, t, NULL, &err), 0);
    assert_int_equal(kbi_workbook_rows(b, other, &err), KB_EINVAL);
    kbi_workbook_free(b);
    kbi_table_free(other);
    kbi_table_free(t);
    kbi_table_free(whole);
}

/* ---- quotes ------------------------------------------------------------- */

static void test_quotes_csv(void **state)
{
    (void)state;
    fixture_mem m;
    kb_export_options o = KB_EXPORT_OPTIONS_INIT;
    o.format = kb_export_format_parse("csv");
    assert_int_equal(o.format, KB_EXPORT_CSV);
    kb_error err;
    /* The columns every quote table had, by name, in any order. */
    o.columns = "document,case,speaker,start,end,dimension,theme,concept,"
                "level,source,coder,tagged_by,accepted_by,text";
    assert_int_equal(kb_quotes_write(fixture_mem_open(&m), quotes, &o, &err),
                     0);
    char *csv = fixture_mem_end(&m);
    grid g = read_csv(csv, m.len);
    size_t n = kb_quote_list_count(quotes);
    assert_int_equal(g.n, n + 1);
    static const char *const head[] = {
        "document",  "case",      "speaker",     "start", "end",
        "dimension", "theme",     "concept",     "level", "source",
        "coder",     "tagged_by", "accepted_by", "text"};
    assert_int_equal(g.nfields[0], 14);
    for (size_t c = 0; c < 14; c++)
        assert_string_equal(g.rows[0][c], head[c]);
    for (size_t i = 0; i < n; i++) {
        const kb_quote_row *q = kb_quote_list_get(quotes, i);
        char **r = g.rows[i + 1];
        char start[24], end[24];
        snprintf(start, sizeof start, "%zu", q->start);
        snprintf(end, sizeof end, "%zu", q->end);
        const char *want[] = {q->document,
                              or_empty(q->case_id),
                              or_empty(q->speaker),
                              start,
                              end,
                              or_empty(q->dimension),
                              or_empty(q->theme),
                              q->concept,
                              q->facets[0],
                              "auto",
                              "",
                              "",
                              "",
                              q->text};
        assert_int_equal(g.nfields[i + 1], 14);
        for (size_t c = 0; c < 14; c++)
            if (strcmp(r[c], want[c]))
                fail_msg("quote %zu, %s: '%s', the list has '%s'", i, head[c],
                         r[c], want[c]);
    }
    grid_free(&g);
    free(csv);

    /* --max-words: the text column is each quote's excerpt. */
    o.columns = NULL;
    o.max_words = 6;
    assert_int_equal(kb_quotes_write(fixture_mem_open(&m), quotes, &o, &err),
                     0);
    csv = fixture_mem_end(&m);
    g = read_csv(csv, m.len);
    size_t cut = 0, text = 0;
    while (text < g.nfields[0] && strcmp(g.rows[0][text], "text"))
        text++;
    assert_true(text < g.nfields[0]);
    for (size_t i = 0; i < n; i++) {
        char *ex;
        assert_int_equal(
            kb_quote_excerpt(&ex, kb_quote_list_get(quotes, i), 6, NULL), 0);
        assert_string_equal(g.rows[i + 1][text], ex);
        cut += strstr(ex, "[…]") != NULL;
        free(ex);
    }
    assert_true(cut > n / 4);
    grid_free(&g);
    free(csv);
}

/* The default columns: every one the list has, ids as headers in CSV, and
 * each row's values as the list gives them; words for people in XLSX's
 * order too; an unknown name refused with the nearest one. */
static void test_quotes_columns(void **state)
{
    (void)state;
    fixture_mem m;
    kb_export_options o = KB_EXPORT_OPTIONS_INIT;
    o.format = KB_EXPORT_CSV;
    kb_error err;
    assert_int_equal(kb_quotes_write(fixture_mem_open(&m), quotes, &o, &err),
                     0);
    char *csv = fixture_mem_end(&m);
    grid g = read_csv(csv, m.len);
    size_t n = kb_quote_list_count(quotes),
           na = kb_quote_list_attributes(quotes);
    assert_true(na >= 2); /* the corpus's cases have attributes */
    const char *want_head[64];
    size_t nh = 0;
    want_head[nh++] = "document";
    want_head[nh++] = "case";
    char attr[16][64];
    for (size_t a = 0; a < na; a++) {
        snprintf(attr[a], sizeof attr[a], "attr:%s",
                 kb_quote_list_attribute(quotes, a));
        want_head[nh++] = attr[a];
    }
    static const char *const rest[] = {
        "speaker",         "role",          "time",
        "start",           "end",           "dimension",
        "dimension_label", "theme",         "theme_label",
        "concept",         "concept_label", "level",
        "source",          "coder",         "tagged_by",
        "accepted_by",     "memo",          "text",
        "featured_by"};
    for (size_t k = 0; k < sizeof rest / sizeof *rest; k++)
        want_head[nh++] = rest[k];
    assert_int_equal(g.nfields[0], nh);
    for (size_t c = 0; c < nh; c++)
        assert_string_equal(g.rows[0][c], want_head[c]);
    size_t timed = 0, attributed = 0;
    for (size_t i = 0; i < n; i++) {
        const kb_quote_row *q = kb_quote_list_get(quotes, i);
        char **r = g.rows[i + 1];
        size_t c = 2;
        assert_string_equal(r[0], q->document);
        for (size_t a = 0; a < na; a++, c++) {
            const char *v = kb_quote_attribute(
                quotes, q, kb_quote_list_attribute(quotes, a));
            assert_string_equal(r[c], or_empty(v));
            attributed += v != NULL;
        }
        assert_string_equal(r[c++], or_empty(q->speaker));
        assert_string_equal(r[c++], q->role ? kb_role_name(q->role) : "");
        char t[32] = "";
        if (q->time_ms != KB_NO_TIME) {
            long long s = q->time_ms / 1000;
            snprintf(t, sizeof t, "%02lld:%02lld:%02lld", s / 3600, s / 60 % 60,
                     s % 60);
            timed++;
        }
        assert_int_equal(strncmp(r[c++], t, strlen(t)), 0);
        c += 2; /* start, end: test_quotes_csv */
        const char *codes[] = {q->dimension, q->dimension_label,
                               q->theme,     q->theme_label,
                               q->concept,   q->concept_label};
        for (size_t k = 0; k < 6; k++)
            assert_string_equal(r[c++], or_empty(codes[k]));
        c += 5; /* level, source, coder, tagged_by, accepted_by */
        assert_string_equal(r[c++], or_empty(q->memo));
        assert_string_equal(r[c++], q->text);
        assert_string_equal(r[c], or_empty(q->featured_by));
    }
    assert_true(timed > n / 2); /* the corpus has [hh:mm:ss] stamps */
    assert_true(attributed > 0);
    grid_free(&g);
    free(csv);

    /* Chosen columns, in the order given; labels of the codebook. */
    o.columns = "concept_label,document,time";
    assert_int_equal(kb_quotes_write(fixture_mem_open(&m), quotes, &o, &err),
                     0);
    csv = fixture_mem_end(&m);
    g = read_csv(csv, m.len);
    assert_int_equal(g.nfields[0], 3);
    assert_string_equal(g.rows[0][0], "concept_label");
    assert_string_equal(g.rows[1][0],
                        kb_quote_list_get(quotes, 0)->concept_label);
    grid_free(&g);
    free(csv);

    /* For people the headers are words: Swedish, or English with "en". */
    o.format = KB_EXPORT_MD;
    o.columns = "document,theme_label,level,attr:gender,text";
    assert_int_equal(kb_quotes_write(fixture_mem_open(&m), quotes, &o, &err),
                     0);
    char *md = fixture_mem_end(&m);
    assert_true(!strncmp(md, "| Dokument | Tema | Nivå | gender | Citat |\n",
                         strlen(md) < 40 ? strlen(md) : 40));
    free(md);
    o.lang = "en";
    assert_int_equal(kb_quotes_write(fixture_mem_open(&m), quotes, &o, &err),
                     0);
    md = fixture_mem_end(&m);
    assert_true(
        !strncmp(md, "| Document | Theme | Nivå | gender | Quote |\n", 40));
    free(md);

    /* An unknown name: KB_EINVAL with the nearest, and nothing written. */
    o.columns = "document,concpet";
    assert_int_equal(kb_quotes_write(fixture_mem_open(&m), quotes, &o, &err),
                     KB_EINVAL);
    assert_string_equal(err.message, "unknown quote column 'concpet' (did you "
                                     "mean 'concept'?)");
    free(fixture_mem_end(&m));
    o.columns = "attr:shoe-size";
    assert_int_equal(kb_quotes_write(fixture_mem_open(&m), quotes, &o, &err),
                     KB_ENOENT);
    assert_non_null(strstr(err.message, "no attribute 'shoe-size' (the "
                                        "cases' attributes: "));
    free(fixture_mem_end(&m));
}

/* Quotes as text over several blocks (measured first, the texts only until
 * their column is full) equal the same quotes laid out as one table. */
static void test_quotes_text_blocks(void **state)
{
    (void)state;
    char path[160], cb[160];
    snprintf(cb, sizeof cb, "%s/every.yaml", dir);
    FILE *f = fopen(cb, "w");
    assert_non_null(f);
    fputs("kodbok: 1\nname: Varje mening\n"
          "defaults: { scope: sentence, speakers: all }\nthemes:\n"
          "  - id: alla\n    concepts:\n",
          f);
    for (int k = 0; k < 4; k++) /* every sentence, four times */
        fprintf(f, "      - { id: c%d, patterns: ['\\w{%d}'] }\n", k, k + 1);
    fclose(f);
    snprintf(path, sizeof path, "%s/every.db", dir);
    kb_project *p = fixture_sample(source, path, cb);
    kb_quote_list *l;
    kb_error err;
    assert_int_equal(kb_project_quotes(&l, p, NULL, &err), 0);
    size_t n = kb_quote_list_count(l);
    assert_true(n > 2 * 4096); /* three blocks or more */
    fixture_mem m;
    kb_export_options o = KB_EXPORT_OPTIONS_INIT;
    o.format = KB_EXPORT_CSV;
    /* the text format's default columns, and their words for people */
    o.columns = "document,case,speaker,start,end,dimension,theme,concept,"
                "source,coder,text";
    static const char *const words[] = {
        "Dokument", "Fall",           "Talare",    "Start",
        "Slut",     "Dimension (id)", "Tema (id)", "Begrepp (id)",
        "Källa",    "Kodare",         "Citat"};
    assert_int_equal(kb_quotes_write(fixture_mem_open(&m), l, &o, &err), 0);
    char *csv = fixture_mem_end(&m);
    o.columns = NULL;
    o.format = KB_EXPORT_TEXT;
    assert_int_equal(kb_quotes_write(fixture_mem_open(&m), l, &o, &err), 0);
    char *text = fixture_mem_end(&m);
    /* the whole table from the CSV, as the quote table's columns are */
    grid g = read_csv(csv, strlen(csv));
    assert_int_equal(g.n, n + 1);
    kbi_table *t;
    assert_int_equal(kbi_table_new(&t, "Quotes", &err), 0);
    size_t nc = g.nfields[0];
    assert_int_equal(nc, sizeof words / sizeof *words);
    for (size_t c = 0; c < nc; c++) {
        const char *id = g.rows[0][c];
        int num = !strcmp(id, "start") || !strcmp(id, "end");
        int last = c + 1 == nc;
        assert_int_equal(
            kbi_table_add_column(t, words[c],
                                 num ? KBI_COLUMN_INT : KBI_COLUMN_TEXT,
                                 last ? 80 : 0, last, &err),
            0);
    }
    for (size_t r = 1; r < g.n; r++) {
        assert_int_equal(kbi_table_add_row(t, NULL, &err), 0);
        for (size_t c = 0; c < nc; c++) {
            const char *v = g.rows[r][c];
            if (kbi_table_column(t, c)->kind == KBI_COLUMN_INT)
                assert_int_equal(
                    kbi_table_set_int(t, r - 1, c, strtoll(v, NULL, 10), &err),
                    0);
            else if (*v)
                assert_int_equal(kbi_table_set_text(t, r - 1, c, v, &err), 0);
        }
    }
    char *want = NULL;
    size_t len = 0;
    FILE *w = open_memstream(&want, &len);
    assert_int_equal(kbi_table_write(w, t, KBI_TABLE_TEXT, NULL, &err), 0);
    fclose(w);
    assert_string_equal(text, want);
    free(want);
    kbi_table_free(t);
    grid_free(&g);
    free(csv);
    free(text);
    kb_quote_list_free(l);
    kb_project_free(p);
}

/* ---- the matrix --------------------------------------------------------- */

/* One integer from SQL over a JSON text bound as ?1 (and ?2). */
static long long json_int(sqlite3 *db, const char *sql, const char *json,
                          const char *arg)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    sqlite3_bind_text(st, 1, json, -1, SQLITE_STATIC);
    if (arg)
        sqlite3_bind_text(st, 2, arg, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long long v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static void test_matrix_json(void **state)
{
    (void)state;
    kb_matrix *mx;
    kb_error err;
    assert_int_equal(
        kb_matrix_build(&mx, quotes, "theme", "level", KB_COUNT_QUOTES, &err),
        0);
    fixture_mem m;
    kb_export_options o = KB_EXPORT_OPTIONS_INIT;
    o.format = KB_EXPORT_JSON;
    o.quotes = 1;
    assert_int_equal(kb_matrix_write(fixture_mem_open(&m), quotes, &o, &err),
                     0);
    char *json = fixture_mem_end(&m);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    assert_int_equal(json_int(db, "SELECT json_valid(?1)", json, NULL), 1);
    size_t R = kb_matrix_rows(mx), C = kb_matrix_cols(mx);
    assert_int_equal(
        json_int(db, "SELECT json_array_length(?1, '$.cells')", json, NULL),
        R * C);
    for (size_t r = 0; r < R; r++)
        for (size_t c = 0; c < C; c++) {
            char path[64];
            snprintf(path, sizeof path, "$.cells[%zu]", r * C + c);
            char sql[512];
            snprintf(sql, sizeof sql,
                     "SELECT json_extract(?1, '%s.row') = '%s' AND "
                     "json_extract(?1, '%s.col') = '%s'",
                     path, kb_matrix_row_key(mx, r), path,
                     kb_matrix_col_key(mx, c));
            assert_int_equal(json_int(db, sql, json, NULL), 1);
            snprintf(sql, sizeof sql, "SELECT json_extract(?1, '%s.count')",
                     path);
            assert_int_equal(json_int(db, sql, json, NULL),
                             kb_matrix_cell(mx, r, c));
            snprintf(sql, sizeof sql,
                     "SELECT json_array_length(?1, '%s.quotes')", path);
            assert_int_equal(json_int(db, sql, json, NULL),
                             kb_matrix_cell(mx, r, c));
            const size_t *qs;
            if (kb_matrix_cell_quotes(mx, r, c, &qs)) {
                snprintf(sql, sizeof sql,
                         "SELECT json_extract(?1, '%s.quotes[0].text') = ?2",
                         path);
                assert_int_equal(
                    json_int(db, sql, json,
                             kb_quote_list_get(quotes, qs[0])->text),
                    1);
            }
        }
    for (size_t r = 0; r < R; r++) {
        char sql[256];
        snprintf(sql, sizeof sql,
                 "SELECT json_extract(?1, '$.row_totals[%zu].count')", r);
        assert_int_equal(json_int(db, sql, json, NULL),
                         kb_matrix_row_total(mx, r));
    }
    for (size_t c = 0; c < C; c++) {
        char sql[256];
        snprintf(sql, sizeof sql,
                 "SELECT json_extract(?1, '$.col_totals[%zu].label') = ?2", c);
        assert_int_equal(json_int(db, sql, json, kb_matrix_col_label(mx, c)),
                         1);
    }
    assert_int_equal(
        json_int(db, "SELECT json_extract(?1, '$.total')", json, NULL),
        kb_quote_list_count(quotes));
    sqlite3_close(db);
    free(json);
    kb_matrix_free(mx);
}

/* The value of inline-string cell `ref` in a sheet's XML, or NULL. */
static char *sheet_cell(const char *xml, const char *ref)
{
    char key[48];
    snprintf(key, sizeof key, "<c r=\"%s\"", ref);
    const char *c = strstr(xml, key);
    if (!c)
        return NULL;
    const char *t = strstr(c, "<t>"), *e = t ? strstr(t, "</t>") : NULL;
    return t && e ? strndup(t + 3, (size_t)(e - t - 3)) : NULL;
}

static void test_matrix_workbook_links(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/matrix.xlsx", dir);
    FILE *f = fopen(path, "wb");
    kb_export_options o = KB_EXPORT_OPTIONS_INIT;
    o.format = KB_EXPORT_XLSX;
    o.quotes = 1;
    kb_error err;
    assert_int_equal(kb_matrix_write(f, quotes, &o, &err), 0);
    fclose(f);
    char *matrix = zip_part(path, "xl/worksheets/sheet1.xml");
    char *sheet = zip_part(path, "xl/worksheets/sheet2.xml");
    kb_matrix *mx;
    assert_int_equal(
        kb_matrix_build(&mx, quotes, "theme", "level", KB_COUNT_QUOTES, &err),
        0);
    size_t links = 0;
    for (size_t r = 0; r < kb_matrix_rows(mx); r++)
        for (size_t c = 0; c < kb_matrix_cols(mx); c++) {
            const size_t *qs;
            if (!kb_matrix_cell_quotes(mx, r, c, &qs))
                continue;
            /* the link of cell (r, c): its column letter and row */
            char ref[16], key[64];
            snprintf(ref, sizeof ref, "%c%zu", (char)('B' + c), r + 2);
            snprintf(key, sizeof key,
                     "<hyperlink ref=\"%s\" location=\"Quotes!A", ref);
            const char *h = strstr(matrix, key);
            if (!h)
                fail_msg("cell %s has no link", ref);
            size_t row = strtoul(h + strlen(key), NULL, 10);
            char a[16], b[16];
            snprintf(a, sizeof a, "A%zu", row);
            snprintf(b, sizeof b, "B%zu", row);
            char *rk = sheet_cell(sheet, a), *ck = sheet_cell(sheet, b);
            assert_non_null(rk);
            assert_non_null(ck);
            assert_string_equal(rk, kb_matrix_row_key(mx, r));
            assert_string_equal(ck, kb_matrix_col_key(mx, c));
            free(rk);
            free(ck);
            links++;
        }
    assert_true(links > 20);
    kb_matrix_free(mx);
    free(matrix);
    free(sheet);
}

/* ---- the report --------------------------------------------------------- */

static long xpath_count(xmlXPathContextPtr ctx, const char *expr)
{
    xmlXPathObjectPtr r = xmlXPathEvalExpression(BAD_CAST expr, ctx);
    assert_non_null(r);
    long n = (long)xmlXPathCastToNumber(r);
    xmlXPathFreeObject(r);
    return n;
}

static void test_report(void **state)
{
    (void)state;
    kb_codebook *cb;
    kb_error err;
    assert_int_equal(kb_codebook_load(&cb, cb_path, &err), 0);
    fixture_mem m;
    kb_export_options o = KB_EXPORT_OPTIONS_INIT;
    o.max_words = 30;
    assert_int_equal(
        kb_report_write(fixture_mem_open(&m), quotes, cb, &o, &err), 0);
    char *html = fixture_mem_end(&m);
    assert_memory_equal(html, "<!DOCTYPE html>", 15);
    assert_null(strstr(html, "<script"));
    assert_null(strstr(html, "http"));
    xmlDocPtr doc = xmlReadMemory(html, (int)m.len, "report.html", NULL,
                                  XML_PARSE_NONET | XML_PARSE_NOERROR);
    if (!doc)
        fail_msg("the report is not well-formed");
    xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
    /* Every link is an anchor in the page. */
    xmlXPathObjectPtr hrefs = xmlXPathEvalExpression(BAD_CAST "//a/@href", ctx);
    assert_true(hrefs->nodesetval && hrefs->nodesetval->nodeNr > 20);
    for (int i = 0; i < hrefs->nodesetval->nodeNr; i++) {
        xmlChar *h = xmlNodeGetContent(hrefs->nodesetval->nodeTab[i]);
        assert_int_equal(h[0], '#');
        char expr[128];
        snprintf(expr, sizeof expr, "count(//*[@id='%s'])", (char *)h + 1);
        if (xpath_count(ctx, expr) != 1)
            fail_msg("link %s leads nowhere", (char *)h);
        xmlFree(h);
    }
    xmlXPathFreeObject(hrefs);
    /* Each non-empty cell's list holds the cell's quotes. */
    kb_matrix *mx;
    assert_int_equal(
        kb_matrix_build(&mx, quotes, "theme", "level", KB_COUNT_QUOTES, &err),
        0);
    for (size_t r = 0; r < kb_matrix_rows(mx); r++)
        for (size_t c = 0; c < kb_matrix_cols(mx); c++) {
            char expr[128];
            snprintf(expr, sizeof expr, "count(//div[@id='c-%zu-%zu']//li)", r,
                     c);
            assert_int_equal(xpath_count(ctx, expr), kb_matrix_cell(mx, r, c));
        }
    kb_matrix_free(mx);
    /* The tree: every dimension, theme and concept, a concept with its
     * quotes counted. */
    size_t nodes = 0;
    for (size_t i = 0; i < kb_codebook_count(cb); i++) {
        const kb_code_info *ci = kb_codebook_get(cb, i);
        if (ci->kind > KB_CODE_CONCEPT)
            continue;
        nodes++;
        if (ci->kind != KB_CODE_CONCEPT)
            continue;
        size_t n = 0;
        for (size_t k = 0; k < kb_quote_list_count(quotes); k++)
            n += !strcmp(kb_quote_list_get(quotes, k)->concept, ci->id);
        char expr[512];
        snprintf(expr, sizeof expr,
                 "count(//ul[@class='tree']//li[span[1]='%s'][span[@class='n']"
                 "='(%zu)'])",
                 ci->label, n);
        if (!strchr(ci->label, '\'') && xpath_count(ctx, expr) != 1)
            fail_msg("concept %s with (%zu) not in the tree", ci->label, n);
    }
    assert_int_equal(xpath_count(ctx, "count(//ul[@class='tree']//li)"), nodes);
    xmlXPathFreeContext(ctx);
    xmlFreeDoc(doc);
    free(html);
    kb_codebook_free(cb);
}

/* ---- order, filters, options -------------------------------------------- */

/* Concepts quoting turns and sentences: quotes in position order. */
static void test_mixed_scopes_in_order(void **state)
{
    (void)state;
    char path[128], cbp[128];
    snprintf(path, sizeof path, "%s/mixed.db", dir);
    snprintf(cbp, sizeof cbp, "%s/mixed.yaml", dir);
    FILE *f = fopen(cbp, "w");
    fputs(
        "kodbok: 1\nname: Blandat\ndefaults: { speakers: all }\nthemes:\n"
        "  - id: t\n    concepts:\n"
        "      - { id: vvg-tur, scope: turn, patterns: ['\\bVVG\\b'] }\n"
        "      - { id: region, scope: sentence, patterns: ['\\bregion\\w*'] }\n"
        "      - { id: kommun, scope: paragraph, patterns: ['\\bkommun\\w*'] "
        "}\n",
        f);
    fclose(f);
    kb_project *p = fixture_sample(source, path, cbp);
    kb_quote_list *l;
    kb_error err;
    assert_int_equal(kb_project_quotes(&l, p, NULL, &err), 0);
    size_t n = kb_quote_list_count(l), ord[3] = {0};
    static const char *const ids[] = {"vvg-tur", "region", "kommun"};
    assert_true(n > 50);
    for (size_t i = 0; i < n; i++) {
        const kb_quote_row *q = kb_quote_list_get(l, i);
        for (size_t k = 0; k < 3; k++)
            if (!strcmp(q->concept, ids[k]))
                ord[k]++;
        if (!i)
            continue;
        const kb_quote_row *prev = kb_quote_list_get(l, i - 1);
        int c = strcmp(prev->document, q->document);
        assert_true(c <= 0);
        if (c == 0 && prev->start == q->start) {
            size_t a = 0, b = 0; /* codebook order on the same start */
            for (size_t k = 0; k < 3; k++) {
                a = strcmp(prev->concept, ids[k]) ? a : k;
                b = strcmp(q->concept, ids[k]) ? b : k;
            }
            assert_true(a <= b);
        } else if (c == 0 && prev->start > q->start) {
            fail_msg("%s: quote at %zu after one at %zu", q->document, q->start,
                     prev->start);
        }
    }
    assert_true(ord[0] > 0 && ord[1] > 0 && ord[2] > 0);
    kb_quote_list_free(l);
    kb_project_free(p);
}

static void test_filter_errors(void **state)
{
    (void)state;
    kb_quote_list *l = NULL;
    kb_error err;
    kb_quote_filter f[] = {{.concept = "nope"},
                           {.theme = "helheten-viktig"}, /* a concept's id */
                           {.dimension = "struktur"},    /* a theme's id */
                           {.facet = "level", .facet_value = "lokl"},
                           {.facet = "nivå", .facet_value = "lokal"},
                           {.document = "ip99"},
                           {.case_id = "ip99"}};
    static const char *const said[] = {"dimension 'nope' in the codebook",
                                       "is a concept, not a theme",
                                       "is a theme, not a dimension",
                                       "no value 'lokl'",
                                       "facet 'nivå'",
                                       "document 'ip99'",
                                       "case 'ip99'"};
    for (size_t i = 0; i < sizeof f / sizeof *f; i++) {
        assert_int_equal(kb_project_quotes(&l, proj, &f[i], &err), KB_ENOENT);
        assert_null(l);
        if (!strstr(err.message, said[i]))
            fail_msg("'%s' does not say %s", err.message, said[i]);
    }
    kb_quote_filter good = {.concept = "helheten-viktig", .case_id = "ip01"};
    assert_int_equal(kb_project_quotes(&l, proj, &good, &err), 0);
    kb_quote_list_free(l);
}

static void test_options(void **state)
{
    (void)state;
    static const char *const names[] = {"text", "csv",  "tsv", "md",
                                        "html", "json", "xlsx"};
    for (int i = 0; i < 7; i++)
        assert_int_equal(kb_export_format_parse(names[i]), KB_EXPORT_TEXT + i);
    assert_int_equal(kb_export_format_parse("pdf"), 0);
    assert_int_equal(kb_export_format_parse(NULL), 0);
    kb_export_options o = KB_EXPORT_OPTIONS_INIT;
    fixture_mem m;
    kb_error err;
    o.format = (kb_export_format)99;
    assert_int_equal(kb_quotes_write(fixture_mem_open(&m), quotes, &o, &err),
                     KB_EINVAL);
    free(fixture_mem_end(&m));
    o.format = KB_EXPORT_CSV;
    o.delimiter = '\t';
    assert_int_equal(kb_quotes_write(fixture_mem_open(&m), quotes, &o, &err),
                     KB_EINVAL);
    free(fixture_mem_end(&m));
    o.delimiter = 0;
    o.quotes = 1;
    assert_int_equal(kb_matrix_write(fixture_mem_open(&m), quotes, &o, &err),
                     KB_EINVAL);
    assert_non_null(strstr(err.message, "html, json and xlsx"));
    free(fixture_mem_end(&m));
    o.quotes = 0;
    o.rows = "colour";
    assert_int_equal(kb_matrix_write(fixture_mem_open(&m), quotes, &o, &err),
                     KB_EINVAL);
    assert_non_null(strstr(err.message, "colour"));
    free(fixture_mem_end(&m));
    o.rows = NULL;
    o.lang = "de";
    assert_int_equal(
        kb_report_write(fixture_mem_open(&m), quotes, NULL, &o, &err),
        KB_EINVAL);
    free(fixture_mem_end(&m));
    o.lang = "en";
    o.version = KB_EXPORT_OPTIONS_VERSION + 1;
    assert_int_equal(kb_matrix_write(fixture_mem_open(&m), quotes, &o, &err),
                     KB_EINVAL);
    free(fixture_mem_end(&m));
    /* NULL options: the defaults, text of theme by level. */
    assert_int_equal(kb_matrix_write(fixture_mem_open(&m), quotes, NULL, &err),
                     0);
    char *text = fixture_mem_end(&m);
    assert_memory_equal(text, "Tema ", 5);
    assert_non_null(strstr(text, "\nTotalt "));
    free(text);
}

/* ---- the string set and arena under the quote list ---------------------- */

static void test_strings(void **state)
{
    (void)state;
    kbi_strset s = {0};
    int fail = 0;
    const char *a = kbi_strset_add(&s, "lokal,regional", 5, &fail);
    assert_string_equal(a, "lokal");
    char buf[32];
    for (int i = 0; i < 5000; i++) { /* past many rehashes */
        snprintf(buf, sizeof buf, "ord-%d", i % 1000);
        const char *p = kbi_strset_add(&s, buf, strlen(buf), &fail);
        assert_string_equal(p, buf);
        assert_ptr_equal(p, kbi_strset_add(&s, buf, strlen(buf), &fail));
    }
    assert_ptr_equal(kbi_strset_add(&s, "lokal", 5, &fail), a);
    assert_true(kbi_strset_add(&s, "lokalt", 6, &fail) != a);
    assert_int_equal(s.n, 1002);
    assert_int_equal(fail, 0);
    kbi_strset_free(&s);
    kbi_arena ar = {0};
    size_t big = 3u << 20; /* larger than a block */
    char *text = malloc(big);
    memset(text, 'x', big);
    char *p = kbi_arena_strndup(&ar, text, big, &fail);
    char *q = kbi_arena_strndup(&ar, "å", 2, &fail);
    assert_int_equal(strlen(p), big);
    assert_string_equal(q, "å");
    assert_int_equal(fail, 0);
    kbi_arena_free(&ar);
    free(text);
}

/* Words are counted the same through the fast path for U+00C0..U+00FF as
 * by Unicode categories: "a<c>b" is one word if c is a letter, else two. */
static void test_word_count(void **state)
{
    (void)state;
    for (utf8proc_int32_t cp = 0xA0; cp <= 0x17F; cp++) {
        char text[16] = "a";
        utf8proc_ssize_t k =
            utf8proc_encode_char(cp, (utf8proc_uint8_t *)text + 1);
        strcpy(text + 1 + k, "b");
        utf8proc_category_t c = utf8proc_category(cp);
        int letter = (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_ND) ||
                     c == UTF8PROC_CATEGORY_NL || c == UTF8PROC_CATEGORY_NO;
        kb_quote_row q = {.start = 0,
                          .end = 3,
                          .match_start = 0,
                          .match_end = 1,
                          .text = text};
        char *ex;
        /* one word allowed: whole if it is one word, cut if two */
        assert_int_equal(kb_quote_excerpt(&ex, &q, 1, NULL), 0);
        if ((strcmp(ex, text) == 0) != letter)
            fail_msg("U+%04X counted as %s", (unsigned)cp,
                     letter ? "two words" : "one word");
        free(ex);
    }
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_export SOURCE_DIR\n");
        return 2;
    }
    source = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_blocks_equal_whole),
        cmocka_unit_test(test_workbook_blocks),
        cmocka_unit_test(test_quotes_text_blocks),
        cmocka_unit_test(test_quotes_csv),
        cmocka_unit_test(test_quotes_columns),
        cmocka_unit_test(test_matrix_json),
        cmocka_unit_test(test_matrix_workbook_links),
        cmocka_unit_test(test_report),
        cmocka_unit_test(test_mixed_scopes_in_order),
        cmocka_unit_test(test_filter_errors),
        cmocka_unit_test(test_options),
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_word_count),
    };
    int rc = cmocka_run_group_tests(tests, setup, teardown);
    xmlCleanupParser();
    return rc;
}
