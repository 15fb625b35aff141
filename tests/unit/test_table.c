/*
 * test_table.c: the table model and its writers (core/src/export/). One
 * table holding what breaks exports (Swedish letters, commas, quotes, tabs,
 * newlines, pipes, <>&, Markdown marks, blanks at the ends, empty cells and
 * integers at the int64 limits) is written in every format, and each output
 * is read back by something other than its writer: CSV by core/src/csv.c,
 * TSV by a reader here written from docs/exports.md, JSON by SQLite's JSON1
 * (and jq checks it is valid), HTML and the XLSX parts by libxml2 after
 * libzip unpacks the workbook, Markdown by cmark-gfm when it is installed,
 * and the XLSX by LibreOffice (converted to CSV and compared with the CSV
 * writer's) when soffice is on PATH. Tools that are absent are skipped.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "fixture.h"

#include <inttypes.h>
#include <math.h>
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/entities.h>
#include <dirent.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "base/csv.h"
#include "export/table.h"
#include "export/table_html.h"
#include "export/table_write.h"
#include "export/table_xlsx.h"
#include "export/spool.h"
#include "base/file.h"
#include "base/decode.h"
#include "base/utf8.h"

/* ---- the table and what it holds -------------------------------------- */

#define NCOLS 8
#define NROWS 6

static const char *const ids[NCOLS] = {"document", "case",  "speaker", "start",
                                       "end",      "level", "text",    "count"};
static const int is_int[NCOLS] = {0, 0, 0, 1, 1, 0, 0, 1};
#define TEXT_COL   6
#define TEXT_WIDTH 40

/* The cells as text; NULL is an empty cell. Integer cells are set from
 * these strings with strtoll, so every writer must give them back. */
static const char *const cells[NROWS][NCOLS] = {
    {"ip01", "Åsa Öberg", "R", "0", "1234", "regional",
     "Vi har, som sagt, \"samverkan\" på ö-nivå.", "3"},
    {"ip02 | del 2", "", NULL, "-42", "9223372036854775807", "lokal",
     "Rad ett\nRad två\tmed flik, <b>fet</b> & \\ snedstreck", NULL},
    {"ip03", "  inledande blanksteg", "Intervjuare", "999999999999999",
     "1000000000000000", NULL,
     "Stjärnor *så* och _understreck_ [länk](x) `kod` ~~struket~~ | rör #1",
     "0"},
    {"ip04", "avslutande blanksteg ", "R2", "-9223372036854775808", "7",
     "nivåoberoende", "", "12"},
    {"ÅÄÖ åäö", "case,with,commas", "R", "5", "6", "delregional",
     "Citat \"inom\" citat, och komma;semikolon\n\nefter tom rad", "-1"},
    {"ip05", NULL, NULL, NULL, NULL, NULL, NULL, NULL},
};

static kbi_table *make_table(void)
{
    kbi_table *t;
    kb_error err;
    assert_int_equal(kbi_table_new(&t, "Citat", &err), 0);
    for (size_t c = 0; c < NCOLS; c++)
        assert_int_equal(
            kbi_table_add_column(
                t, ids[c], is_int[c] ? KBI_COLUMN_INT : KBI_COLUMN_TEXT,
                c == TEXT_COL ? TEXT_WIDTH : 0, c == TEXT_COL, &err),
            0);
    for (size_t r = 0; r < NROWS; r++) {
        size_t row;
        assert_int_equal(kbi_table_add_row(t, &row, &err), 0);
        assert_int_equal(row, r);
        for (size_t c = 0; c < NCOLS; c++) {
            if (!cells[r][c])
                continue;
            if (is_int[c])
                assert_int_equal(
                    kbi_table_set_int(t, r, c, strtoll(cells[r][c], NULL, 10),
                                      &err),
                    0);
            else
                assert_int_equal(kbi_table_set_text(t, r, c, cells[r][c], &err),
                                 0);
        }
    }
    return t;
}

/* The expected cell as text: "" for an empty cell. */
static const char *want(size_t r, size_t c)
{
    return cells[r][c] ? cells[r][c] : "";
}

/* Writes the table in `format` into a new string (caller frees). */
static char *write_str(const kbi_table *t, kbi_table_format format,
                       const kbi_table_options *o, size_t *len)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    assert_non_null(f);
    kb_error err;
    int rc = kbi_table_write(f, t, format, o, &err);
    fclose(f);
    if (rc)
        fail_msg("writing format %d: %s", (int)format, err.message);
    if (len)
        *len = n;
    return buf;
}

static char tmpdir[64];

static int setup(void **state)
{
    (void)state;
    fixture_tmpdir(tmpdir, sizeof tmpdir, "table");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return fixture_rmdir(tmpdir);
}

static int have(const char *tool)
{
    char cmd[128];
    /* the sanitized run leaves LibreOffice out: its files are the plain
     * run's bytes, rendered there already */
    if (getenv("KODBOK_TEST_NO_OFFICE") &&
        (!strcmp(tool, "soffice") || !strcmp(tool, "libreoffice")))
        return 0;
    snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", tool);
    return system(cmd) == 0;
}

static void save(const char *path, const char *s, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(s, 1, n, f), n);
    fclose(f);
}

/* ---- the model -------------------------------------------------------- */

/* kbi_table_int_text, which every writer uses for integer cells, writes what
 * printf's PRId64 writes, at the ends of the range and between. */
static void test_int_text(void **state)
{
    (void)state;
    const int64_t v[] = {0,
                         1,
                         -1,
                         9,
                         10,
                         -10,
                         12345,
                         -999999999,
                         INT64_MAX,
                         INT64_MIN,
                         INT64_MAX - 1,
                         INT64_MIN + 1};
    for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
        char want[32], buf[24];
        snprintf(want, sizeof want, "%" PRId64, v[i]);
        assert_string_equal(kbi_table_int_text(v[i], buf), want);
    }
}

static void test_model_rules(void **state)
{
    (void)state;
    kbi_table *t;
    kb_error err;
    assert_int_equal(kbi_table_new(&t, "T", &err), 0);
    assert_int_equal(kbi_table_add_column(t, "", KBI_COLUMN_TEXT, 0, 0, &err),
                     KB_EINVAL);
    assert_int_equal(
        kbi_table_add_column(t, "a\x1b", KBI_COLUMN_TEXT, 0, 0, &err),
        KB_EINVAL);
    kbi_table *bad = NULL;
    assert_int_equal(kbi_table_new(&bad, "\xFF", &err), KB_EINVAL);
    assert_null(bad);
    assert_int_equal(kbi_table_add_column(t, "a", KBI_COLUMN_TEXT, 0, 0, &err),
                     0);
    assert_int_equal(kbi_table_add_column(t, "n", KBI_COLUMN_INT, 0, 0, &err),
                     0);
    assert_int_equal(kbi_table_add_row(t, NULL, &err), 0);
    assert_int_equal(
        kbi_table_add_column(t, "late", KBI_COLUMN_INT, 0, 0, &err), KB_EINVAL);
    /* kinds, ranges, and the text rule */
    assert_int_equal(kbi_table_set_text(t, 0, 1, "x", &err), KB_EINVAL);
    assert_int_equal(kbi_table_set_int(t, 0, 0, 1, &err), KB_EINVAL);
    assert_int_equal(kbi_table_set_text(t, 1, 0, "x", &err), KB_EINVAL);
    assert_int_equal(kbi_table_set_text(t, 0, 2, "x", &err), KB_EINVAL);
    /* a bad byte or a control character is kept visible as \xHH, so that
     * one bad value (a name stored before names were checked) does not
     * stop the table */
    static const char *const bad_cells[][2] = {
        {"a\xC3(", "a\\xc3("},
        {"a\x01", "a\\x01"},
        {"a\rb", "a\\x0db"},
        {"\xED\xA0\x80", "\\xed\\xa0\\x80"}, /* a UTF-16 surrogate */
        {"x\x1b[31m\tåä", "x\\x1b[31m\tåä"},
    };
    for (size_t i = 0; i < sizeof bad_cells / sizeof *bad_cells; i++) {
        assert_int_equal(kbi_table_set_text(t, 0, 0, bad_cells[i][0], &err), 0);
        assert_string_equal(kbi_table_cell(t, 0, 0)->text, bad_cells[i][1]);
    }
    assert_int_equal(kbi_table_set_text(t, 0, 0, "tab\tok\nåäö", &err), 0);
    assert_string_equal(kbi_table_cell(t, 0, 0)->text, "tab\tok\nåäö");
    assert_int_equal(kbi_table_set_text(t, 0, 0, NULL, &err), 0);
    assert_false(kbi_table_cell(t, 0, 0)->set);
    assert_false(kbi_table_cell(t, 0, 1)->set);
    assert_null(kbi_table_cell(t, 1, 0));
    assert_int_equal(kbi_table_column(t, 1)->width, KBI_TABLE_WIDTH);
    /* formats */
    assert_int_equal(kb_export_format_parse("csv"), KB_EXPORT_CSV);
    assert_int_equal(kb_export_format_parse("xlsx"), KB_EXPORT_XLSX);
    assert_int_equal(kb_export_format_parse("text"), KB_EXPORT_TEXT);
    assert_int_equal(kb_export_format_parse("markdown"), 0);
    assert_int_equal(kb_export_format_parse(NULL), 0);
    FILE *f = fopen("/dev/null", "w");
    assert_int_equal(kbi_table_write(f, t, KBI_TABLE_XLSX, NULL, &err),
                     KB_EINVAL);
    kbi_table_options semi = {0, 0, '\t', 0, NULL};
    assert_int_equal(kbi_table_write(f, t, KBI_TABLE_CSV, &semi, &err),
                     KB_EINVAL);
    fclose(f);
    kbi_table_free(t);
    kbi_table_free(NULL);
}

/* ---- CSV -------------------------------------------------------------- */

typedef struct parsed {
    char **v; /* rows * ncols strings */
    size_t rows, ncols;
    int ragged;
} parsed;

static int keep_row(void *ctx, size_t n, const char *const *f, const int *col,
                    int line, kb_error *err)
{
    (void)col;
    (void)line;
    (void)err;
    parsed *p = ctx;
    if (p->rows == 0)
        p->ncols = n;
    if (n != p->ncols) {
        p->ragged = 1;
        return 0;
    }
    p->v = realloc(p->v, (p->rows + 1) * n * sizeof *p->v);
    for (size_t i = 0; i < n; i++)
        p->v[p->rows * n + i] = strdup(f[i]);
    p->rows++;
    return 0;
}

static void parsed_free(parsed *p)
{
    for (size_t i = 0; i < p->rows * p->ncols; i++)
        free(p->v[i]);
    free(p->v);
}

/* Reads CSV bytes as kodbok reads a cases file: decode (BOM, CRLF), then
 * kbi_csv_parse. */
static parsed read_csv(const char *bytes, size_t n)
{
    char *text;
    size_t len;
    const char *enc;
    kb_error err;
    parsed p = {0};
    if (kbi_text_decode(&text, &len, &enc, (const unsigned char *)bytes, n,
                        "out.csv", &err))
        fail_msg("decoding CSV: %s", err.message);
    assert_string_equal(enc, "utf-8");
    if (kbi_csv_parse(text, len, "out.csv", keep_row, &p, &err))
        fail_msg("parsing CSV: %s", err.message);
    free(text);
    assert_false(p.ragged);
    return p;
}

/* The parsed table (header and rows) equals the expected cells. */
static void assert_grid(const parsed *p)
{
    assert_int_equal(p->ncols, NCOLS);
    assert_int_equal(p->rows, NROWS + 1);
    for (size_t c = 0; c < NCOLS; c++)
        assert_string_equal(p->v[c], ids[c]);
    for (size_t r = 0; r < NROWS; r++)
        for (size_t c = 0; c < NCOLS; c++)
            if (strcmp(p->v[(r + 1) * NCOLS + c], want(r, c)))
                fail_msg("row %zu, %s: got '%s', want '%s'", r, ids[c],
                         p->v[(r + 1) * NCOLS + c], want(r, c));
}

static void test_csv(void **state)
{
    (void)state;
    kbi_table *t = make_table();
    /* Default: CRLF, comma, no BOM. */
    size_t n;
    char *out = write_str(t, KBI_TABLE_CSV, NULL, &n);
    const char *header = "document,case,speaker,start,end,level,text,count\r\n";
    assert_memory_equal(out, header, strlen(header));
    assert_memory_equal(out + n - 2, "\r\n", 2);
    /* Records end in CRLF; a bare LF occurs only inside quotes. */
    int quoted = 0;
    for (size_t i = 0; i < n; i++) {
        if (out[i] == '"')
            quoted = !quoted;
        else if (out[i] == '\n' && !quoted)
            assert_int_equal(out[i - 1], '\r');
        else if (out[i] == '\r')
            assert_int_equal(out[i + 1], '\n');
    }
    /* Fields with blanks at the ends, commas, quotes, newlines are quoted. */
    assert_non_null(strstr(out, ",\"  inledande blanksteg\","));
    assert_non_null(strstr(out, ",\"avslutande blanksteg \","));
    assert_non_null(strstr(out, "\"Vi har, som sagt, \"\"samverkan\"\" på"));
    assert_non_null(strstr(out, "\r\nip05,,,,,,,\r\n"));
    parsed p = read_csv(out, n);
    assert_grid(&p);
    parsed_free(&p);
    free(out);

    /* BOM, LF and semicolons. */
    kbi_table_options o = {1, 1, ';', 0, NULL};
    out = write_str(t, KBI_TABLE_CSV, &o, &n);
    assert_memory_equal(out,
                        "\xEF\xBB\xBF"
                        "document;case;",
                        17);
    assert_null(memchr(out, '\r', n));
    assert_non_null(strstr(out, "\nÅÄÖ åäö;case,with,commas;R;"));
    assert_non_null(strstr(out, "\"Citat \"\"inom\"\" citat, och "
                                "komma;semikolon\n\nefter tom rad\""));
    p = read_csv(out, n);
    assert_grid(&p);
    parsed_free(&p);
    free(out);
    kbi_table_free(t);
}

static void test_csv_one_column(void **state)
{
    (void)state;
    kbi_table *t;
    kb_error err;
    assert_int_equal(kbi_table_new(&t, "T", &err), 0);
    assert_int_equal(
        kbi_table_add_column(t, "note", KBI_COLUMN_TEXT, 0, 0, &err), 0);
    assert_int_equal(kbi_table_add_row(t, NULL, &err), 0);
    assert_int_equal(kbi_table_add_row(t, NULL, &err), 0);
    assert_int_equal(kbi_table_set_text(t, 1, 0, "sista", &err), 0);
    kbi_table_options lf = {0, 1, 0, 0, NULL};
    char *out = write_str(t, KBI_TABLE_CSV, &lf, NULL);
    /* An empty record would be a blank line, which readers skip. */
    assert_string_equal(out, "note\n\"\"\nsista\n");
    parsed p = read_csv(out, strlen(out));
    assert_int_equal(p.rows, 3);
    assert_string_equal(p.v[1], "");
    assert_string_equal(p.v[2], "sista");
    parsed_free(&p);
    free(out);
    kbi_table_free(t);
}

/* ---- TSV -------------------------------------------------------------- */

/* A TSV reader written from docs/exports.md: records end at LF, fields at
 * tab, and \\ \t \n stand for a backslash, a tab and a newline. */
static parsed read_tsv(const char *s)
{
    parsed p = {0};
    char field[512];
    size_t fn = 0, nf = 0;
    char *row[NCOLS + 1];
    for (const char *q = s; *q; q++) {
        if (*q == '\\') {
            q++;
            assert_true(*q == '\\' || *q == 't' || *q == 'n');
            field[fn++] = *q == 't' ? '\t' : *q == 'n' ? '\n' : '\\';
        } else if (*q == '\t' || *q == '\n') {
            field[fn] = '\0';
            assert_true(nf <= NCOLS);
            row[nf++] = strdup(field);
            fn = 0;
            if (*q == '\n') {
                assert_int_equal(nf, NCOLS);
                p.v = realloc(p.v, (p.rows + 1) * NCOLS * sizeof *p.v);
                memcpy(p.v + p.rows * NCOLS, row, NCOLS * sizeof *row);
                p.rows++;
                nf = 0;
            }
        } else {
            field[fn++] = *q;
        }
        assert_true(fn < sizeof field);
    }
    assert_int_equal(nf, 0); /* the last record ends with LF */
    p.ncols = NCOLS;
    return p;
}

static void test_tsv(void **state)
{
    (void)state;
    kbi_table *t = make_table();
    char *out = write_str(t, KBI_TABLE_TSV, NULL, NULL);
    assert_non_null(strstr(out, "\tRad ett\\nRad två\\tmed flik, <b>fet</b> "
                                "& \\\\ snedstreck\t"));
    parsed p = read_tsv(out);
    assert_grid(&p);
    parsed_free(&p);
    free(out);
    kbi_table_options bom = {1, 0, 0, 0, NULL};
    out = write_str(t, KBI_TABLE_TSV, &bom, NULL);
    assert_memory_equal(out,
                        "\xEF\xBB\xBF"
                        "document\tcase\t",
                        17);
    free(out);
    kbi_table_free(t);
}

/* ---- JSON ------------------------------------------------------------- */

static void test_json(void **state)
{
    (void)state;
    kbi_table *t = make_table();
    size_t n;
    char *out = write_str(t, KBI_TABLE_JSON, NULL, &n);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    sqlite3_stmt *st;
    /* One object per row, members in column order. */
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT json_valid(?1), json_type(?1), "
                                        "json_array_length(?1)",
                                        -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(st, 1, out, (int)n, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 1);
    assert_string_equal((const char *)sqlite3_column_text(st, 1), "array");
    assert_int_equal(sqlite3_column_int(st, 2), NROWS);
    sqlite3_finalize(st);
    assert_int_equal(
        sqlite3_prepare_v2(db,
                           "SELECT CAST(r.key AS INTEGER), r.type, m.key, "
                           "m.type, m.atom FROM json_each(?1) AS r, "
                           "json_each(r.value) AS m ORDER BY r.key, m.id",
                           -1, &st, NULL),
        SQLITE_OK);
    sqlite3_bind_text(st, 1, out, (int)n, SQLITE_STATIC);
    size_t seen = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        size_t r = (size_t)sqlite3_column_int(st, 0), c = seen % NCOLS;
        assert_int_equal(r, seen / NCOLS);
        assert_string_equal((const char *)sqlite3_column_text(st, 1), "object");
        assert_string_equal((const char *)sqlite3_column_text(st, 2), ids[c]);
        const char *type = (const char *)sqlite3_column_text(st, 3);
        if (!cells[r][c])
            assert_string_equal(type, "null");
        else if (is_int[c]) {
            assert_string_equal(type, "integer");
            assert_true(sqlite3_column_int64(st, 4) ==
                        strtoll(cells[r][c], NULL, 10));
        } else {
            assert_string_equal(type, "text");
            assert_int_equal(sqlite3_column_bytes(st, 4), strlen(cells[r][c]));
            assert_string_equal((const char *)sqlite3_column_text(st, 4),
                                cells[r][c]);
        }
        seen++;
    }
    assert_int_equal(seen, NROWS * NCOLS);
    sqlite3_finalize(st);
    sqlite3_close(db);
    /* One record per line, as the CLI's lists. */
    size_t lines = 0;
    for (size_t i = 0; i < n; i++)
        lines += out[i] == '\n';
    assert_int_equal(lines, NROWS + 2);
    if (have("jq")) {
        char path[128], cmd[256];
        snprintf(path, sizeof path, "%s/t.json", tmpdir);
        save(path, out, n);
        snprintf(cmd, sizeof cmd, "jq -e 'length == %d' '%s' >/dev/null", NROWS,
                 path);
        assert_int_equal(system(cmd), 0);
    }
    free(out);
    kbi_table_free(t);

    /* An empty table is an empty array. */
    assert_int_equal(kbi_table_new(&t, "T", NULL), 0);
    assert_int_equal(kbi_table_add_column(t, "a", KBI_COLUMN_TEXT, 0, 0, NULL),
                     0);
    out = write_str(t, KBI_TABLE_JSON, NULL, NULL);
    assert_string_equal(out, "[]\n");
    free(out);
    kbi_table_free(t);
}

/* ---- HTML and XML helpers --------------------------------------------- */

typedef struct nodes {
    xmlNodePtr v[4096];
    size_t n;
} nodes;

/* Elements named `name` (local name) under `node`, in document order. */
static void find_all(xmlNodePtr node, const char *name, nodes *out)
{
    for (xmlNodePtr c = node; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (!strcmp((const char *)c->name, name)) {
            assert_true(out->n < 4096);
            out->v[out->n++] = c;
        }
        find_all(c->children, name, out);
    }
}

/* The text of an HTML cell, each <br> as a newline. */
static void cell_text(xmlNodePtr node, char *buf, size_t size)
{
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (c->type == XML_TEXT_NODE)
            strncat(buf, (const char *)c->content, size - strlen(buf) - 1);
        else if (c->type == XML_ELEMENT_NODE &&
                 !strcmp((const char *)c->name, "br"))
            strncat(buf, "\n", size - strlen(buf) - 1);
        else if (c->type == XML_ELEMENT_NODE)
            cell_text(c, buf, size);
    }
}

static char *attr(xmlNodePtr n, const char *name)
{
    static char buf[256];
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    snprintf(buf, sizeof buf, "%s", v ? (const char *)v : "");
    xmlFree(v);
    return buf;
}

/* Blanks (spaces, tabs) trimmed from both ends, as Markdown cells are. */
static void trim(char *s)
{
    size_t n = strlen(s), i = 0;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    while (s[i] == ' ' || s[i] == '\t')
        i++;
    memmove(s, s + i, n - i + 1);
}

/* The th and td cells of a parsed HTML table equal the expected cells;
 * `trimmed` compares with blanks at the ends of cells dropped. */
static void assert_html_grid(xmlDocPtr doc, int trimmed)
{
    nodes tr = {0};
    find_all(xmlDocGetRootElement(doc), "tr", &tr);
    assert_int_equal(tr.n, NROWS + 1);
    for (size_t r = 0; r < tr.n; r++) {
        nodes td = {0};
        find_all(tr.v[r]->children, r ? "td" : "th", &td);
        assert_int_equal(td.n, NCOLS);
        for (size_t c = 0; c < NCOLS; c++) {
            char got[512] = "", exp[512];
            cell_text(td.v[c], got, sizeof got);
            snprintf(exp, sizeof exp, "%s", r ? want(r - 1, c) : ids[c]);
            if (trimmed) {
                trim(got);
                trim(exp);
            }
            if (strcmp(got, exp))
                fail_msg("row %zu, %s: got '%s', want '%s'", r, ids[c], got,
                         exp);
        }
    }
}

static void test_html(void **state)
{
    (void)state;
    kbi_table *t = make_table();
    size_t n;
    char *out = write_str(t, KBI_TABLE_HTML, NULL, &n);
    /* Well-formed XML (libxml2's strict parser) ... */
    xmlDocPtr doc = xmlReadMemory(out, (int)n, "t.html", "UTF-8",
                                  XML_PARSE_NONET | XML_PARSE_NOERROR);
    assert_non_null(doc);
    xmlNodePtr root = xmlDocGetRootElement(doc);
    assert_string_equal((const char *)root->name, "table");
    assert_string_equal(attr(root, "data-name"), "Citat");
    assert_html_grid(doc, 0);
    nodes td = {0};
    find_all(root, "td", &td);
    for (size_t i = 0; i < td.n; i++)
        assert_string_equal(attr(td.v[i], "class"),
                            is_int[i % NCOLS] ? "num" : "");
    xmlFreeDoc(doc);
    /* ... and the same cells through the HTML parser, as a browser. */
    doc = htmlReadMemory(out, (int)n, "t.html", "UTF-8",
                         HTML_PARSE_NONET | HTML_PARSE_NOERROR |
                             HTML_PARSE_NOWARNING);
    assert_non_null(doc);
    assert_html_grid(doc, 0);
    xmlFreeDoc(doc);
    /* Escaped by libxml2, never a self-closed cell. */
    assert_non_null(strstr(out, "&lt;b&gt;fet&lt;/b&gt; &amp; \\"));
    assert_null(strstr(out, "<td/>"));
    free(out);
    kbi_table_free(t);
}

/* The values of body rows are escaped by hand: each equals libxml2's own
 * xmlEncodeSpecialChars of it, a newline as <br/>, a link's href too. */
static void test_html_escaping(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "plain",
        "&<>\"'",
        "&&amp;<<>>\"\"",
        "a & b < c > d \"e\" 'f'",
        "\ttab\tand\nnewline\n",
        "\n\n",
        "åäö ÅÄÖ é € 漢字 &#13; &lt;",
        "<script>alert(\"x\")</script>",
        " !#$%()*+,-./0123456789:;=?@[\\]^_`{|}~",
        ""};
    size_t n = sizeof texts / sizeof *texts;
    kbi_table *t;
    kb_error err;
    assert_int_equal(kbi_table_new(&t, "E", &err), 0);
    assert_int_equal(
        kbi_table_add_column(t, "text", KBI_COLUMN_TEXT, 0, 0, &err), 0);
    assert_int_equal(kbi_table_add_column(t, "n", KBI_COLUMN_INT, 0, 0, &err),
                     0);
    for (size_t r = 0; r < n; r++) {
        assert_int_equal(kbi_table_add_row(t, NULL, &err), 0);
        assert_int_equal(kbi_table_set_text(t, r, 0, texts[r], &err), 0);
        assert_int_equal(kbi_table_set_int(t, r, 1, (int64_t)r, &err), 0);
        assert_int_equal(kbi_table_set_link(t, r, 1, texts[r], &err), 0);
    }
    size_t len;
    char *out = write_str(t, KBI_TABLE_HTML, NULL, &len);
    for (size_t r = 0; r < n; r++) {
        char want_row[2048] = "<tr><td>";
        char *copy = strdup(texts[r]);
        assert_non_null(copy);
        for (char *line = copy, *nl;; line = nl + 1) {
            nl = strchr(line, '\n');
            if (nl)
                *nl = '\0';
            xmlChar *e = xmlEncodeSpecialChars(NULL, (const xmlChar *)line);
            assert_non_null(e);
            strcat(want_row, (const char *)e);
            xmlFree(e);
            if (!nl)
                break;
            strcat(want_row, "<br/>");
        }
        free(copy);
        xmlChar *href = xmlEncodeSpecialChars(NULL, (const xmlChar *)texts[r]);
        assert_non_null(href);
        char tail[1024];
        snprintf(tail, sizeof tail,
                 "</td><td class=\"num\"><a href=\"%s\">%zu</a></td></tr>\n",
                 (const char *)href, r);
        xmlFree(href);
        strcat(want_row, tail);
        if (!strstr(out, want_row))
            fail_msg("row %zu: want %s in\n%s", r, want_row, out);
    }
    free(out);
    kbi_table_free(t);
}

/* ---- Markdown --------------------------------------------------------- */

/* Pipes not escaped by a backslash on one line. */
static size_t bare_pipes(const char *s, size_t n)
{
    size_t pipes = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\')
            i++;
        else if (s[i] == '|')
            pipes++;
    }
    return pipes;
}

static void test_markdown(void **state)
{
    (void)state;
    kbi_table *t = make_table();
    size_t n;
    char *out = write_str(t, KBI_TABLE_MD, NULL, &n);
    /* Every line is one row: ncols + 1 bare pipes, no newline in a cell. */
    size_t lines = 0;
    for (char *s = out, *nl; (nl = strchr(s, '\n')); s = nl + 1, lines++)
        assert_int_equal(bare_pipes(s, (size_t)(nl - s)), NCOLS + 1);
    assert_int_equal(lines, NROWS + 2);
    assert_non_null(strstr(out, "\n| --- | --- | --- | ---: | ---: | --- |"));
    if (!have("cmark-gfm")) {
        free(out);
        kbi_table_free(t);
        skip();
    }
    char md[128], html[128], cmd[512];
    snprintf(md, sizeof md, "%s/t.md", tmpdir);
    snprintf(html, sizeof html, "%s/t.html", tmpdir);
    save(md, out, n);
    snprintf(cmd, sizeof cmd, "cmark-gfm -e table --unsafe '%s' > '%s'", md,
             html);
    assert_int_equal(system(cmd), 0);
    xmlDocPtr doc = htmlReadFile(html, "UTF-8",
                                 HTML_PARSE_NONET | HTML_PARSE_NOERROR |
                                     HTML_PARSE_NOWARNING);
    assert_non_null(doc);
    assert_html_grid(doc, 1);
    nodes em = {0};
    find_all(xmlDocGetRootElement(doc), "em", &em);
    find_all(xmlDocGetRootElement(doc), "a", &em);
    find_all(xmlDocGetRootElement(doc), "code", &em);
    find_all(xmlDocGetRootElement(doc), "del", &em);
    assert_int_equal(em.n, 0); /* no text turned into markup */
    xmlFreeDoc(doc);
    free(out);
    kbi_table_free(t);
}

/* ---- text ------------------------------------------------------------- */

static void test_text(void **state)
{
    (void)state;
    kbi_table *t;
    kb_error err;
    assert_int_equal(kbi_table_new(&t, "T", &err), 0);
    assert_int_equal(
        kbi_table_add_column(t, "namn", KBI_COLUMN_TEXT, 0, 0, &err), 0);
    assert_int_equal(kbi_table_add_column(t, "n", KBI_COLUMN_INT, 0, 0, &err),
                     0);
    assert_int_equal(
        kbi_table_add_column(t, "citat", KBI_COLUMN_TEXT, 10, 1, &err), 0);
    /* "a" + combining ring (U+030A) is one column wide, as is "å";
     * the CJK "会议" is four. */
    const char *names[] = {"Åsa", "Örjan Ängström", "a\xCC\x8A", "会议", NULL};
    const int64_t n[] = {5, 12345, -7, 0, 0};
    const char *quotes[] = {"en kort mening som bryts", "samverkansavtalet",
                            "rad\nny\trad", NULL, "x"};
    for (size_t r = 0; r < 5; r++) {
        assert_int_equal(kbi_table_add_row(t, NULL, &err), 0);
        assert_int_equal(kbi_table_set_text(t, r, 0, names[r], &err), 0);
        if (r < 4)
            assert_int_equal(kbi_table_set_int(t, r, 1, n[r], &err), 0);
        assert_int_equal(kbi_table_set_text(t, r, 2, quotes[r], &err), 0);
    }
    char *out = write_str(t, KBI_TABLE_TEXT, NULL, NULL);
    const char *expect = "namn                n  citat\n"
                         "--------------  -----  ----------\n"
                         "Åsa                 5  en kort\n"
                         "                       mening som\n"
                         "                       bryts\n"
                         "Örjan Ängström  12345  samverkans\n"
                         "                       avtalet\n"
                         "a\xCC\x8A                  -7  rad\n"
                         "                       ny rad\n"
                         "会议                0\n"
                         "                       x\n";
    assert_string_equal(out, expect);
    free(out);
    kbi_table_free(t);
}

/* ---- XLSX ------------------------------------------------------------- */

/* A part of the workbook, parsed; fails if it is not well-formed. */
static xmlDocPtr zip_xml(zip_t *z, const char *name)
{
    zip_stat_t sb;
    if (zip_stat(z, name, 0, &sb))
        fail_msg("no part %s in the workbook", name);
    zip_file_t *f = zip_fopen(z, name, 0);
    assert_non_null(f);
    char *buf = malloc(sb.size + 1);
    assert_int_equal(zip_fread(f, buf, sb.size), (zip_int64_t)sb.size);
    zip_fclose(f);
    xmlDocPtr doc = xmlReadMemory(buf, (int)sb.size, name, NULL,
                                  XML_PARSE_NONET | XML_PARSE_NOERROR);
    free(buf);
    if (!doc)
        fail_msg("part %s is not well-formed XML", name);
    return doc;
}

/* "C12" into column 2, row 11 (0-based). */
static void cell_ref(const char *ref, size_t *row, size_t *col)
{
    size_t c = 0;
    for (; *ref >= 'A' && *ref <= 'Z'; ref++)
        c = c * 26 + (size_t)(*ref - 'A' + 1);
    *col = c - 1;
    *row = (size_t)strtoul(ref, NULL, 10) - 1;
}

typedef struct sheet {
    char *text[NROWS + 1][NCOLS]; /* string cells (inline strings) */
    char *num[NROWS + 1][NCOLS];  /* number cells, their <v> */
    int style[NROWS + 1][NCOLS];
} sheet;

/* The workbook is written in constant memory, so strings are inline
 * (<c t="inlineStr"><is><t>…</t></is></c>), numbers a <v>. */
static void read_sheet(xmlDocPtr doc, sheet *s)
{
    nodes c = {0};
    find_all(xmlDocGetRootElement(doc), "c", &c);
    memset(s, 0, sizeof *s);
    for (size_t i = 0; i < c.n; i++) {
        size_t row, col;
        cell_ref(attr(c.v[i], "r"), &row, &col);
        assert_true(row <= NROWS && col < NCOLS);
        s->style[row][col] = atoi(attr(c.v[i], "s"));
        nodes v = {0};
        int inline_str = !strcmp(attr(c.v[i], "t"), "inlineStr");
        find_all(c.v[i]->children, inline_str ? "is" : "v", &v);
        if (!v.n)
            continue; /* a blank cell */
        xmlChar *value = xmlNodeGetContent(v.v[0]);
        if (inline_str)
            s->text[row][col] = strdup((const char *)value);
        else
            s->num[row][col] = strdup((const char *)value);
        xmlFree(value);
    }
}

static void sheet_free(sheet *s)
{
    for (size_t r = 0; r <= NROWS; r++)
        for (size_t c = 0; c < NCOLS; c++) {
            free(s->text[r][c]);
            free(s->num[r][c]);
        }
}

/* The element of `name` number i (0-based) under the first `parent`. */
static xmlNodePtr nth(xmlDocPtr doc, const char *parent, const char *name,
                      size_t i)
{
    nodes p = {0}, v = {0};
    find_all(xmlDocGetRootElement(doc), parent, &p);
    assert_true(p.n > 0);
    for (xmlNodePtr c = p.v[0]->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && !strcmp((const char *)c->name, name))
            v.v[v.n++] = c;
    assert_true(i < v.n);
    return v.v[i];
}

static int has_child(xmlNodePtr n, const char *name)
{
    nodes v = {0};
    find_all(n->children, name, &v);
    return v.n > 0;
}

/* Integers Excel holds exactly: up to 15 digits (docs/exports.md). */
static int excel_exact(long long v)
{
    return v >= -999999999999999LL && v <= 999999999999999LL;
}

static kbi_table *make_matrix(void)
{
    kbi_table *m;
    assert_int_equal(kbi_table_new(&m, "Matris", NULL), 0);
    assert_int_equal(
        kbi_table_add_column(m, "tema", KBI_COLUMN_TEXT, 0, 0, NULL), 0);
    assert_int_equal(
        kbi_table_add_column(m, "lokal", KBI_COLUMN_INT, 0, 0, NULL), 0);
    assert_int_equal(kbi_table_add_row(m, NULL, NULL), 0);
    assert_int_equal(kbi_table_set_text(m, 0, 0, "Styrning", NULL), 0);
    assert_int_equal(kbi_table_set_int(m, 0, 1, 17, NULL), 0);
    return m;
}

static void test_xlsx(void **state)
{
    (void)state;
    kbi_table *tables[2] = {make_table(), make_matrix()};
    char path[128];
    snprintf(path, sizeof path, "%s/export.xlsx", tmpdir);
    kb_error err;
    if (kbi_table_write_xlsx(path, (const kbi_table *const *)tables, 2, &err))
        fail_msg("%s", err.message);
    int zerr;
    zip_t *z = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &zerr);
    assert_non_null(z);
    /* Every XML part is well-formed. */
    for (zip_int64_t i = 0; i < zip_get_num_entries(z, 0); i++) {
        const char *name = zip_get_name(z, (zip_uint64_t)i, 0);
        size_t len = strlen(name);
        if (len > 4 && (!strcmp(name + len - 4, ".xml") ||
                        !strcmp(name + len - 5, ".rels")))
            xmlFreeDoc(zip_xml(z, name));
    }
    /* Two sheets, named after the tables, in order. */
    xmlDocPtr wb = zip_xml(z, "xl/workbook.xml");
    nodes sheets = {0};
    find_all(xmlDocGetRootElement(wb), "sheet", &sheets);
    assert_int_equal(sheets.n, 2);
    assert_string_equal(attr(sheets.v[0], "name"), "Citat");
    assert_string_equal(attr(sheets.v[1], "name"), "Matris");
    xmlFreeDoc(wb);

    xmlDocPtr ws = zip_xml(z, "xl/worksheets/sheet1.xml");
    xmlDocPtr styles = zip_xml(z, "xl/styles.xml");
    sheet s;
    read_sheet(ws, &s);
    for (size_t c = 0; c < NCOLS; c++) {
        assert_non_null(s.text[0][c]);
        assert_string_equal(s.text[0][c], ids[c]);
        /* The header's style has a bold font. */
        xmlNodePtr xf = nth(styles, "cellXfs", "xf", (size_t)s.style[0][c]);
        xmlNodePtr font =
            nth(styles, "fonts", "font", (size_t)atoi(attr(xf, "fontId")));
        assert_true(has_child(font, "b"));
    }
    for (size_t r = 0; r < NROWS; r++) {
        for (size_t c = 0; c < NCOLS; c++) {
            const char *v = cells[r][c];
            char *text = s.text[r + 1][c], *num = s.num[r + 1][c];
            if (!v || !*v) { /* empty: a blank cell, if any */
                assert_null(text);
                assert_null(num);
            } else if (is_int[c] && excel_exact(strtoll(v, NULL, 10))) {
                assert_null(text); /* a number, every digit */
                assert_non_null(num);
                assert_string_equal(num, v);
            } else { /* text, and longer integers as their digits */
                assert_null(num);
                assert_non_null(text);
                assert_string_equal(text, v);
            }
        }
    }
    /* The header row is frozen, and has the autofilter. */
    nodes pane = {0}, filter = {0};
    find_all(xmlDocGetRootElement(ws), "pane", &pane);
    assert_int_equal(pane.n, 1);
    assert_string_equal(attr(pane.v[0], "state"), "frozen");
    assert_string_equal(attr(pane.v[0], "ySplit"), "1");
    assert_string_equal(attr(pane.v[0], "topLeftCell"), "A2");
    find_all(xmlDocGetRootElement(ws), "autoFilter", &filter);
    assert_int_equal(filter.n, 1);
    assert_string_equal(attr(filter.v[0], "ref"), "A1:H7");
    /* Widths from content: "document" fits ("ÅÄÖ åäö" is shorter), the
     * wrapped text column stops at its width and wraps. */
    nodes col = {0};
    find_all(xmlDocGetRootElement(ws), "col", &col);
    assert_int_equal(col.n, NCOLS);
    double doc_w = strtod(attr(col.v[0], "width"), NULL);
    double text_w = strtod(attr(col.v[TEXT_COL], "width"), NULL);
    assert_true(doc_w >= 12 && doc_w <= 16); /* "ip02 | del 2" */
    assert_true(text_w >= TEXT_WIDTH && text_w <= TEXT_WIDTH + 4);
    for (size_t c = 0; c < NCOLS; c++) {
        xmlNodePtr xf =
            nth(styles, "cellXfs", "xf", (size_t)atoi(attr(col.v[c], "style")));
        nodes align = {0};
        find_all(xf->children, "alignment", &align);
        assert_int_equal(align.n, 1);
        assert_string_equal(attr(align.v[0], "wrapText"),
                            c == TEXT_COL ? "1" : "");
    }
    sheet_free(&s);
    xmlFreeDoc(ws);
    xmlFreeDoc(styles);
    zip_close(z);
    kbi_table_free(tables[0]);
    kbi_table_free(tables[1]);
}

/* Entries in a directory, but . and .. */
static size_t count_files(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d));)
        n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    closedir(d);
    return n;
}

static void test_xlsx_limits(void **state)
{
    (void)state;
    char dir[96], path[128];
    snprintf(dir, sizeof dir, "%s/limits", tmpdir);
    assert_int_equal(mkdir(dir, 0777), 0);
    snprintf(path, sizeof path, "%s/limits.xlsx", dir);
    kb_error err;
    /* A workbook to keep: failed writes leave it as it is. */
    kbi_table *m = make_matrix();
    const kbi_table *twice[2] = {m, m};
    assert_int_equal(kbi_table_write_xlsx(path, twice, 1, &err), 0);
    struct stat before, after;
    assert_int_equal(stat(path, &before), 0);
    /* Sheet names Excel refuses. */
    kbi_table *bad;
    assert_int_equal(kbi_table_new(&bad, "Citat/nivå", NULL), 0);
    assert_int_equal(
        kbi_table_add_column(bad, "a", KBI_COLUMN_TEXT, 0, 0, NULL), 0);
    const kbi_table *one[2] = {bad, bad};
    assert_int_equal(kbi_table_write_xlsx(path, one, 1, &err), KB_EINVAL);
    assert_non_null(strstr(err.message, "Citat/nivå"));
    assert_int_equal(kbi_table_write_xlsx(path, twice, 2, &err), KB_EINVAL);
    assert_non_null(strstr(err.message, "Matris"));
    assert_int_equal(stat(path, &after), 0);
    assert_true(after.st_size == before.st_size &&
                after.st_mtime == before.st_mtime);
    assert_int_equal(count_files(dir), 1); /* no temporary file left */
    /* An unwritable path. */
    assert_int_equal(
        kbi_table_write_xlsx("/nonexistent-dir/x.xlsx", twice, 1, &err),
        KB_EIO);
    kbi_table_free(bad);
    kbi_table_free(m);

    /* A cell over Excel's 32,767 characters is cut and marked. */
    kbi_table *t;
    assert_int_equal(kbi_table_new(&t, "Lång", NULL), 0);
    assert_int_equal(
        kbi_table_add_column(t, "text", KBI_COLUMN_TEXT, 0, 1, NULL), 0);
    assert_int_equal(kbi_table_add_row(t, NULL, NULL), 0);
    size_t chars = 40000;
    char *big = malloc(chars * 2 + 1);
    for (size_t i = 0; i < chars; i++)
        memcpy(big + 2 * i, "å", 2);
    big[chars * 2] = '\0';
    assert_int_equal(kbi_table_set_text(t, 0, 0, big, NULL), 0);
    const kbi_table *lone[1] = {t};
    if (kbi_table_write_xlsx(path, lone, 1, &err))
        fail_msg("%s", err.message);
    int zerr;
    zip_t *z = zip_open(path, ZIP_RDONLY, &zerr);
    assert_non_null(z);
    xmlDocPtr ws = zip_xml(z, "xl/worksheets/sheet1.xml");
    nodes si = {0};
    find_all(xmlDocGetRootElement(ws), "is", &si);
    assert_int_equal(si.n, 2); /* the header and the long cell */
    xmlChar *cut = xmlNodeGetContent(si.v[1]);
    size_t len = strlen((const char *)cut);
    assert_int_equal(kbi_utf8_count((const char *)cut, len), 32767);
    assert_string_equal((const char *)cut + len - 6, " [...]");
    assert_memory_equal(cut, big, len - 6);
    xmlFree(cut);
    xmlFreeDoc(ws);
    zip_close(z);
    kbi_table_free(t);

    /* At the limit, or over it in bytes but not in characters: whole. */
    assert_int_equal(kbi_table_new(&t, "Lång", NULL), 0);
    assert_int_equal(
        kbi_table_add_column(t, "text", KBI_COLUMN_TEXT, 0, 1, NULL), 0);
    char *ascii = malloc(32768);
    memset(ascii, 'a', 32767);
    ascii[32767] = '\0';
    big[20000 * 2] = '\0'; /* 20,000 characters in 40,000 bytes */
    const char *whole[2] = {ascii, big};
    for (size_t r = 0; r < 2; r++) {
        assert_int_equal(kbi_table_add_row(t, NULL, NULL), 0);
        assert_int_equal(kbi_table_set_text(t, r, 0, whole[r], NULL), 0);
    }
    lone[0] = t;
    if (kbi_table_write_xlsx(path, lone, 1, &err))
        fail_msg("%s", err.message);
    assert_non_null(z = zip_open(path, ZIP_RDONLY, &zerr));
    ws = zip_xml(z, "xl/worksheets/sheet1.xml");
    nodes kept = {0};
    find_all(xmlDocGetRootElement(ws), "is", &kept);
    assert_int_equal(kept.n, 3);
    for (size_t r = 0; r < 2; r++) {
        xmlChar *got = xmlNodeGetContent(kept.v[r + 1]);
        assert_string_equal((const char *)got, whole[r]);
        xmlFree(got);
    }
    xmlFreeDoc(ws);
    zip_close(z);
    free(ascii);
    free(big);
    kbi_table_free(t);
}

/* LibreOffice opens the workbook; its CSV of the sheet equals ours. */
/* A decimal column (a co-occurrence matrix's Jaccard indexes): written as
 * its text, right-aligned in text and Markdown, class "num" in HTML, a
 * number in JSON (read back by SQLite as a real) and in XLSX. */
static void test_number_column(void **state)
{
    (void)state;
    kbi_table *t;
    kb_error err;
    assert_int_equal(kbi_table_new(&t, "Jaccard", &err), 0);
    assert_int_equal(
        kbi_table_add_column(t, "tema", KBI_COLUMN_TEXT, 0, 0, &err), 0);
    assert_int_equal(
        kbi_table_add_column(t, "struktur", KBI_COLUMN_NUMBER, 0, 0, &err), 0);
    assert_int_equal(kbi_table_add_row(t, NULL, &err), 0);
    assert_int_equal(kbi_table_add_row(t, NULL, &err), 0);
    assert_int_equal(kbi_table_set_text(t, 0, 0, "Ledarskap", &err), 0);
    assert_int_equal(kbi_table_set_number(t, 0, 1, 2.0 / 3, 3, &err), 0);
    assert_int_equal(kbi_table_set_text(t, 1, 0, "Covid-19", &err), 0);
    assert_int_equal(kbi_table_set_number(t, 1, 1, 1, 3, &err), 0);
    /* the kinds are kept apart */
    assert_int_equal(kbi_table_set_int(t, 0, 1, 1, &err), KB_EINVAL);
    assert_non_null(strstr(err.message, "integers"));
    assert_int_equal(kbi_table_set_number(t, 0, 0, 1, 3, &err), KB_EINVAL);
    assert_non_null(strstr(err.message, "numbers"));
    size_t n;
    char *out = write_str(t, KBI_TABLE_CSV, NULL, &n);
    assert_string_equal(out, "tema,struktur\r\nLedarskap,0.667\r\n"
                             "Covid-19,1.000\r\n");
    free(out);
    out = write_str(t, KBI_TABLE_TEXT, NULL, &n);
    assert_string_equal(out, "tema       struktur\n"
                             "---------  --------\n"
                             "Ledarskap     0.667\n"
                             "Covid-19      1.000\n");
    free(out);
    out = write_str(t, KBI_TABLE_MD, NULL, &n);
    assert_non_null(strstr(out, "| --- | ---: |"));
    free(out);
    out = write_str(t, KBI_TABLE_HTML, NULL, &n);
    assert_non_null(strstr(out, "<td class=\"num\">0.667</td>"));
    free(out);
    out = write_str(t, KBI_TABLE_JSON, NULL, &n);
    sqlite3 *db;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT json_type(?1, '$[0].struktur'),"
                                        " json_extract(?1, '$[1].struktur')",
                                        -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(st, 1, out, (int)n, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "real");
    assert_true(sqlite3_column_double(st, 1) == 1.0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    free(out);
    char path[128];
    snprintf(path, sizeof path, "%s/number.xlsx", tmpdir);
    const kbi_table *one[1] = {t};
    if (kbi_table_write_xlsx(path, one, 1, &err))
        fail_msg("%s", err.message);
    int zerr;
    zip_t *z = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &zerr);
    assert_non_null(z);
    xmlDocPtr ws = zip_xml(z, "xl/worksheets/sheet1.xml");
    sheet sh;
    read_sheet(ws, &sh);
    assert_string_equal(sh.text[1][0], "Ledarskap");
    assert_null(sh.text[1][1]);
    assert_true(fabs(strtod(sh.num[1][1], NULL) - 0.667) < 1e-9);
    assert_string_equal(sh.num[2][1], "1");
    sheet_free(&sh);
    xmlFreeDoc(ws);
    zip_close(z);
    kbi_table_free(t);
}

static void test_xlsx_libreoffice(void **state)
{
    (void)state;
    if (!have("soffice"))
        skip();
    kbi_table *tables[2] = {make_table(), make_matrix()};
    char path[128], cmd[1024], csv[192];
    snprintf(path, sizeof path, "%s/lo.xlsx", tmpdir);
    assert_int_equal(
        kbi_table_write_xlsx(path, (const kbi_table *const *)tables, 2, NULL),
        0);
    /* 44 comma, 34 quote, 76 UTF-8, quote all text, contents not "as
     * shown", every sheet (-1) to lo-SHEET.csv. */
    snprintf(cmd, sizeof cmd,
             "cd '%s' && HOME='%s' soffice -env:UserInstallation=file://%s/lo "
             "--headless --convert-to 'csv:Text - txt - csv (StarCalc):44,34,"
             "76,1,,0,true,true,false,false,false,-1' lo.xlsx "
             ">lo.log 2>&1",
             tmpdir, tmpdir, tmpdir);
    assert_int_equal(system(cmd), 0);
    snprintf(csv, sizeof csv, "%s/lo-Citat.csv", tmpdir);
    unsigned char *raw;
    size_t n;
    if (kbi_file_read(&raw, &n, csv, KBI_INPUT_OTHER, NULL))
        fail_msg("LibreOffice wrote no %s", csv);
    parsed lo = read_csv((const char *)raw, n);
    free(raw);
    char *ours = write_str(tables[0], KBI_TABLE_CSV, NULL, &n);
    parsed p = read_csv(ours, n);
    free(ours);
    assert_int_equal(lo.rows, p.rows);
    assert_int_equal(lo.ncols, p.ncols);
    for (size_t i = 0; i < p.rows * p.ncols; i++)
        if (strcmp(lo.v[i], p.v[i]))
            fail_msg("cell %zu: LibreOffice '%s', CSV writer '%s'", i, lo.v[i],
                     p.v[i]);
    parsed_free(&lo);
    parsed_free(&p);
    kbi_table_free(tables[0]);
    kbi_table_free(tables[1]);
}

/* Issue 19: the cells --safe-csv marks (OWASP's first characters), and
 * those it leaves: plain numbers, a lone sign, the header. */
/* Appends what section k's pieces hold to the buffer in ctx. */
static int take_piece(void *ctx, const char *p, size_t n)
{
    char **b = ctx;
    assert_int_equal(strlen(p), n); /* NUL-terminated */
    size_t at = strlen(*b);
    *b = realloc(*b, at + n + 1);
    memcpy(*b + at, p, n + 1);
    return 0;
}

/* Sections put in any order come back whole and in the order of their
 * puts, whether held in memory or, past a small budget, in the scratch
 * file; a section never put is empty. */
static void test_spool(void **state)
{
    (void)state;
    for (size_t budget = 1u << 20; budget >= 64; budget /= 64) {
        kbi_spool *s;
        kb_error err;
        assert_int_equal(kbi_spool_new(&s, budget, &err), 0);
        enum { SECTIONS = 37, PUTS = 3000 };
        char *want[SECTIONS];
        for (size_t k = 0; k < SECTIONS; k++)
            want[k] = calloc(1, 1);
        for (size_t i = 0; i < PUTS; i++) {
            size_t k = (i * 7919u) % SECTIONS;
            if (k == 5)
                continue; /* never put */
            char piece[80];
            int n = snprintf(piece, sizeof piece, "<li>%zu in %zu</li>", i, k);
            assert_int_equal(kbi_spool_put(s, k, piece, (size_t)n, &err), 0);
            size_t at = strlen(want[k]);
            want[k] = realloc(want[k], at + (size_t)n + 1);
            memcpy(want[k] + at, piece, (size_t)n + 1);
        }
        for (size_t k = SECTIONS; k-- > 0;) { /* read in another order */
            char *got = calloc(1, 1);
            assert_int_equal(kbi_spool_read(s, k, take_piece, &got, &err), 0);
            assert_string_equal(got, want[k]);
            free(got);
            free(want[k]);
        }
        char *got = calloc(1, 1);
        assert_int_equal(
            kbi_spool_read(s, SECTIONS + 3, take_piece, &got, &err), 0);
        assert_string_equal(got, "");
        free(got);
        kbi_spool_free(s);
    }
}

/* Rows packed and unpacked into a table of the same columns are the same
 * cells, set and empty, in two rounds into one cleared table; bytes cut
 * anywhere short of whole rows are refused. */
static void test_pack(void **state)
{
    (void)state;
    kbi_table *t = make_table(), *u = make_table();
    kb_error err;
    char *buf = NULL;
    size_t len = 0, cap = 0;
    assert_int_equal(kbi_table_pack(t, &buf, &len, &cap, &err), 0);
    for (int round = 0; round < 2; round++) {
        kbi_table_clear(u);
        assert_int_equal(kbi_table_unpack(u, buf, len, &err), 0);
        assert_int_equal(kbi_table_rows(u), NROWS);
        for (size_t r = 0; r < NROWS; r++)
            for (size_t c = 0; c < NCOLS; c++) {
                const kbi_cell *a = kbi_table_cell(t, r, c),
                               *b = kbi_table_cell(u, r, c);
                assert_int_equal(a->set, b->set);
                assert_int_equal(a->set && is_int[c] ? a->value : 0,
                                 b->set && is_int[c] ? b->value : 0);
                if (a->set && !is_int[c]) {
                    assert_int_equal(a->len, b->len);
                    assert_string_equal(a->text, b->text);
                }
            }
    }
    size_t whole = 0;
    for (size_t cut = 1; cut < len; cut++) {
        kbi_table_clear(u);
        int rc = kbi_table_unpack(u, buf, cut, &err);
        if (rc == 0) { /* whole rows: the bytes of the first rows exactly */
            whole++;
            assert_int_equal(kbi_table_rows(u), whole);
            size_t n = 0, cap2 = 0;
            char *again = NULL;
            assert_int_equal(kbi_table_pack(u, &again, &n, &cap2, &err), 0);
            assert_int_equal(n, cut);
            assert_memory_equal(again, buf, cut);
            free(again);
        } else {
            assert_int_equal(rc, KB_EINVAL);
        }
    }
    assert_int_equal(whole, NROWS - 1); /* a cut at each row's end */
    kbi_table_clear(u);
    assert_int_equal(kbi_table_unpack(u, buf, 0, &err), 0);
    assert_int_equal(kbi_table_rows(u), 0);
    free(buf);
    kbi_table_free(t);
    kbi_table_free(u);
}

/* A folder in the registry of temporary files goes with the files a
 * library made in it (libxlsxwriter's, when a signal comes before it
 * unlinks them); a file in the registry goes too. */
static void test_temp_folders(void **state)
{
    (void)state;
    char dir[] = "/tmp/kodbok-temps-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[3][64];
    for (int i = 0; i < 3; i++) {
        snprintf(path[i], sizeof path[i], "%s/tmp.%d", dir, i);
        FILE *f = fopen(path[i], "w");
        assert_non_null(f);
        fputs("stray", f);
        fclose(f);
    }
    char outside[] = "/tmp/kodbok-temp-XXXXXX";
    int fd = mkstemp(outside);
    assert_true(fd >= 0);
    close(fd);
    int a = kbi_temp_add(dir), b = kbi_temp_add(outside);
    assert_true(a >= 0 && b >= 0);
    kb_output_remove_temps();
    struct stat st;
    assert_int_not_equal(stat(dir, &st), 0);
    assert_int_not_equal(stat(outside, &st), 0);
    /* removed, so no longer in the registry: dropping them is a no-op */
    kbi_temp_drop(a);
    kbi_temp_drop(b);
}

static void test_formula_cells(void **state)
{
    (void)state;
    static const char *const formulas[] = {"=SUMMA(A1:A3)",
                                           "+46 är landsnumret",
                                           "-Samverkan",
                                           "@regionen",
                                           "\tx",
                                           "\rx",
                                           "=",
                                           "-1+1",
                                           "--2",
                                           "+.",
                                           "-e5",
                                           "-1e",
                                           "@"};
    static const char *const plain[] = {"",          "-0.52", "+3",  "-1e-3",
                                        "17",        "1.5",   "-",   "+",
                                        "samverkan", "a=b",   " =x", "-.5"};
    for (size_t i = 0; i < sizeof formulas / sizeof *formulas; i++)
        assert_int_equal(kbi_table_formula(formulas[i]), 1);
    for (size_t i = 0; i < sizeof plain / sizeof *plain; i++)
        assert_int_equal(kbi_table_formula(plain[i]), 0);

    kbi_table *t = NULL;
    assert_int_equal(kbi_table_new(&t, "t", NULL), 0);
    assert_int_equal(
        kbi_table_add_column(t, "=id", KBI_COLUMN_TEXT, 0, 0, NULL), 0);
    assert_int_equal(kbi_table_add_column(t, "n", KBI_COLUMN_INT, 0, 0, NULL),
                     0);
    assert_int_equal(kbi_table_add_row(t, NULL, NULL), 0);
    assert_int_equal(kbi_table_set_text(t, 0, 0, "=1+1, sa hon", NULL), 0);
    assert_int_equal(kbi_table_set_int(t, 0, 1, -4, NULL), 0);
    for (int safe = 0; safe < 2; safe++) {
        for (int tsv = 0; tsv < 2; tsv++) {
            size_t n = 0;
            kbi_table_options o = {0, 1, 0, safe, &n};
            char *buf = NULL;
            size_t len = 0;
            FILE *f = open_memstream(&buf, &len);
            assert_int_equal(
                kbi_table_write(f, t, tsv ? KBI_TABLE_TSV : KBI_TABLE_CSV, &o,
                                NULL),
                0);
            fclose(f);
            assert_int_equal(n, 1); /* the cell, not the header, not -4 */
            const char *want = tsv ? (safe ? "=id\tn\n'=1+1, sa hon\t-4\n"
                                           : "=id\tn\n=1+1, sa hon\t-4\n")
                                   : (safe ? "=id,n\n\"'=1+1, sa hon\",-4\n"
                                           : "=id,n\n\"=1+1, sa hon\",-4\n");
            assert_string_equal(buf, want);
            free(buf);
        }
    }
    kbi_table_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_model_rules),
        cmocka_unit_test(test_int_text),
        cmocka_unit_test(test_csv),
        cmocka_unit_test(test_csv_one_column),
        cmocka_unit_test(test_tsv),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_html),
        cmocka_unit_test(test_html_escaping),
        cmocka_unit_test(test_markdown),
        cmocka_unit_test(test_text),
        cmocka_unit_test(test_xlsx),
        cmocka_unit_test(test_xlsx_limits),
        cmocka_unit_test(test_number_column),
        cmocka_unit_test(test_xlsx_libreoffice),
        cmocka_unit_test(test_formula_cells),
        cmocka_unit_test(test_temp_folders),
        cmocka_unit_test(test_spool),
        cmocka_unit_test(test_pack),
    };
    int rc = cmocka_run_group_tests(tests, setup, teardown);
    xmlCleanupParser();
    return rc;
}
