/*
 * test_cooccur.c: the co-occurrence matrix on two small transcripts written
 * here, whose counts are worked out by hand in the comments: units of
 * sentences, turns, documents and cases; a paragraph-scope concept over
 * sentence-scope ones; the Jaccard index; a tag whose passage runs over
 * three turns; presence by case; what kb_matrix_build still counts; the
 * heat map parsed back; the Jaccard index as numbers in a table; errors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "fixture.h"

#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kodbok.h"
#include "export/table.h"

static char dir[256];
static kb_project *proj;

/* Document a (case c1). Sentences of R's first turn, one paragraph:
 * s1 "Vi har en röd tråd i arbetet." s2 "Mötena sker ... budgeten är
 * stram." s3 "Budgeten styr allt."; R's second turn, one paragraph: s4
 * "Personalen räcker inte." s5 "Mötena blir korta." */
static const char DOC_A[] =
    "I: Hur fungerar samverkan hos er?\n\n"
    "R: Vi har en röd tråd i arbetet. Mötena sker varje vecka och budgeten "
    "är stram. Budgeten styr allt.\n\n"
    "I: Och personalen?\n\n"
    "R: Personalen räcker inte. Mötena blir korta.\n";
/* Document b (case c2): budget once. */
static const char DOC_B[] = "I: Hur ser det ut hos er?\n\n"
                            "R: Budgeten är för liten.\n";

/* trad: s1. moten (paragraph scope): both paragraphs, s1 to s5. budget:
 * s2, s3 (and b). personal: s4. Themes: forutsattningar (trad, moten),
 * resurser (budget, personal). */
static const char CODEBOOK[] =
    "kodbok: 1\n"
    "name: Samverkan i vardagen\n"
    "defaults: { scope: sentence, speakers: respondents, caseless: true }\n"
    "dimensions:\n"
    "  - id: vardag\n"
    "    label: Vardagen\n"
    "    themes:\n"
    "      - id: forutsattningar\n"
    "        label: Förutsättningar\n"
    "        concepts:\n"
    "          - id: trad\n"
    "            label: En röd tråd\n"
    "            patterns: ['\\btråd\\b']\n"
    "          - id: moten\n"
    "            label: Möten\n"
    "            scope: paragraph\n"
    "            patterns: ['\\bmötena\\b']\n"
    "      - id: resurser\n"
    "        label: Resurser\n"
    "        concepts:\n"
    "          - id: budget\n"
    "            label: Budgeten styr\n"
    "            patterns: ['\\bbudgeten\\b']\n"
    "          - id: personal\n"
    "            label: Personalen räcker inte\n"
    "            patterns: ['\\bpersonalen\\b']\n";

static int setup(void **state)
{
    (void)state;
    fixture_tmpdir(dir, sizeof dir, "cooccur");
    fixture_write(dir, "a.txt", DOC_A);
    fixture_write(dir, "b.txt", DOC_B);
    fixture_write(dir, "cases.csv", "case,document,speaker\nc1,a,R\nc2,b,R\n");
    fixture_write(dir, "cb.yaml", CODEBOOK);
    char db[300], a[300], b[300], cases[300], cbp[300], msg[1200];
    snprintf(db, sizeof db, "%s/p.db", dir);
    snprintf(a, sizeof a, "%s/a.txt", dir);
    snprintf(b, sizeof b, "%s/b.txt", dir);
    snprintf(cases, sizeof cases, "%s/cases.csv", dir);
    snprintf(cbp, sizeof cbp, "%s/cb.yaml", dir);
    kb_error err;
    assert_int_equal(kb_project_init(&proj, db, &err), 0);
    kb_import_options o = KB_IMPORT_OPTIONS_INIT;
    o.attrs_path = cases;
    const char *paths[] = {a, b};
    if (kb_project_import(proj, paths, 2, &o, &err))
        fail_msg("import: %s", kb_error_format(&err, msg, sizeof msg));
    kb_codebook *cb;
    if (kb_codebook_load(&cb, cbp, &err))
        fail_msg("codebook: %s", kb_error_format(&err, msg, sizeof msg));
    kb_code_options co = KB_CODE_OPTIONS_INIT;
    kb_run_summary sum;
    if (kb_project_code(&sum, proj, cb, &co, &err))
        fail_msg("code: %s", kb_error_format(&err, msg, sizeof msg));
    kb_codebook_free(cb);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    kb_project_free(proj);
    fixture_rmdir(dir);
    return 0;
}

static size_t place(const kb_matrix *m, int rows, const char *key)
{
    size_t n = rows ? kb_matrix_rows(m) : kb_matrix_cols(m);
    for (size_t i = 0; i < n; i++)
        if (!strcmp(rows ? kb_matrix_row_key(m, i) : kb_matrix_col_key(m, i),
                    key))
            return i;
    fail_msg("no %s '%s'", rows ? "row" : "column", key);
    return 0;
}

static size_t cell(const kb_matrix *m, const char *r, const char *c)
{
    return kb_matrix_cell(m, place(m, 1, r), place(m, 0, c));
}

static double jaccard(const kb_matrix *m, const char *r, const char *c)
{
    return kb_matrix_jaccard(m, place(m, 1, r), place(m, 0, c));
}

static kb_matrix *build(const kb_quote_list *l, const char *rows,
                        const char *cols, kb_count_kind count,
                        kb_matrix_unit unit)
{
    kb_matrix *m;
    kb_error err;
    if (kb_matrix_build_units(&m, l, rows, cols, count, unit, &err))
        fail_msg("matrix %s x %s: %s", rows, cols, err.message);
    assert_true(kb_matrix_cooccurrence(m) ==
                (strcmp(rows, "case") && strcmp(cols, "case")));
    return m;
}

static kb_quote_list *quotes(int counts_only)
{
    kb_quote_list *l;
    kb_error err;
    kb_quote_filter f = {.counts_only = counts_only};
    assert_int_equal(kb_project_quotes(&l, proj, &f, &err), 0);
    return l;
}

/* Sentences: trad {s1}, moten {s1..s5}, budget {s2, s3, b's sentence},
 * personal {s4}. */
static void test_segment(void **state)
{
    (void)state;
    kb_quote_list *l = quotes(1);
    kb_matrix *m =
        build(l, "concept", "concept", KB_COUNT_QUOTES, KB_UNIT_SEGMENT);
    assert_int_equal(cell(m, "trad", "trad"), 1);
    assert_int_equal(cell(m, "moten", "moten"), 5);
    assert_int_equal(cell(m, "budget", "budget"), 3);
    assert_int_equal(cell(m, "personal", "personal"), 1);
    assert_int_equal(cell(m, "trad", "moten"), 1);
    assert_int_equal(cell(m, "moten", "trad"), 1);
    assert_int_equal(cell(m, "moten", "budget"), 2);
    assert_int_equal(cell(m, "moten", "personal"), 1);
    assert_int_equal(cell(m, "trad", "budget"), 0);
    assert_int_equal(cell(m, "budget", "personal"), 0);
    assert_true(fabs(jaccard(m, "moten", "budget") - 2.0 / 6) < 1e-12);
    assert_true(fabs(jaccard(m, "trad", "moten") - 1.0 / 5) < 1e-12);
    assert_true(fabs(jaccard(m, "budget", "budget") - 1) < 1e-12);
    assert_true(jaccard(m, "trad", "budget") == 0);
    assert_int_equal(kb_matrix_row_total(m, place(m, 1, "moten")), 5);
    assert_int_equal(kb_matrix_total(m), 6);
    kb_matrix_free(m);
    /* Themes: forutsattningar {s1..s5}, resurser {s2, s3, s4, b's}. */
    m = build(l, "theme", "theme", KB_COUNT_QUOTES, KB_UNIT_SEGMENT);
    assert_int_equal(cell(m, "forutsattningar", "resurser"), 3);
    assert_int_equal(cell(m, "resurser", "resurser"), 4);
    assert_true(fabs(jaccard(m, "forutsattningar", "resurser") - 0.5) < 1e-12);
    kb_matrix_free(m);
    /* Concept by theme: moten shares s2, s3, s4 with resurser. */
    m = build(l, "concept", "theme", KB_COUNT_QUOTES, KB_UNIT_SEGMENT);
    assert_int_equal(cell(m, "moten", "resurser"), 3);
    assert_int_equal(cell(m, "trad", "resurser"), 0);
    kb_matrix_free(m);
    /* kb_matrix_build counts quotes: each concept's under its theme. */
    kb_error err;
    assert_int_equal(
        kb_matrix_build(&m, l, "concept", "theme", KB_COUNT_QUOTES, &err), 0);
    assert_false(kb_matrix_cooccurrence(m));
    assert_int_equal(cell(m, "moten", "resurser"), 0);
    assert_int_equal(cell(m, "moten", "forutsattningar"), 2);
    kb_matrix_free(m);
    kb_quote_list_free(l);
}

/* Turns (a: I, R1, I, R2; b: I, R): trad {aR1}, moten {aR1, aR2}, budget
 * {aR1, bR}, personal {aR2}. Documents and cases: budget {a, b}, the rest
 * {a}. */
static void test_turn_document_case(void **state)
{
    (void)state;
    kb_quote_list *l = quotes(1);
    kb_matrix *m =
        build(l, "concept", "concept", KB_COUNT_QUOTES, KB_UNIT_TURN);
    assert_int_equal(cell(m, "moten", "moten"), 2);
    assert_int_equal(cell(m, "moten", "budget"), 1);
    assert_int_equal(cell(m, "moten", "personal"), 1);
    assert_int_equal(cell(m, "trad", "budget"), 1);
    assert_int_equal(cell(m, "trad", "personal"), 0);
    assert_true(fabs(jaccard(m, "moten", "budget") - 1.0 / 3) < 1e-12);
    kb_matrix_free(m);
    for (int u = KB_UNIT_DOCUMENT; u <= KB_UNIT_CASE; u++) {
        m = build(l, "concept", "concept", KB_COUNT_QUOTES, (kb_matrix_unit)u);
        assert_int_equal(cell(m, "budget", "budget"), 2);
        assert_int_equal(cell(m, "trad", "personal"), 1);
        assert_int_equal(cell(m, "moten", "budget"), 1);
        assert_true(fabs(jaccard(m, "moten", "budget") - 0.5) < 1e-12);
        assert_int_equal(kb_matrix_total(m), 2);
        kb_matrix_free(m);
        /* presence: 1 where the count is not 0; totals count the cells */
        m = build(l, "concept", "concept", KB_COUNT_PRESENCE,
                  (kb_matrix_unit)u);
        assert_int_equal(cell(m, "budget", "budget"), 1);
        assert_int_equal(kb_matrix_row_total(m, place(m, 1, "budget")), 4);
        kb_matrix_free(m);
    }
    kb_quote_list_free(l);
}

/* A cell's quotes: moten and budget share s2 and s3, where moten's first
 * paragraph and budget's two sentences lie. A list read for counting has
 * none. */
static void test_cell_quotes(void **state)
{
    (void)state;
    for (int counts_only = 0; counts_only < 2; counts_only++) {
        kb_quote_list *l = quotes(counts_only);
        kb_matrix *m =
            build(l, "concept", "concept", KB_COUNT_QUOTES, KB_UNIT_SEGMENT);
        const size_t *qs;
        size_t n = kb_matrix_cell_quotes(m, place(m, 1, "moten"),
                                         place(m, 0, "budget"), &qs);
        assert_int_equal(n, counts_only ? 0 : 3);
        for (size_t i = 0; i < n; i++) {
            const kb_quote_row *q = kb_quote_list_get(l, qs[i]);
            assert_string_equal(q->document, "a");
            assert_true(!strcmp(q->concept, "moten") ||
                        !strcmp(q->concept, "budget"));
            assert_true(!i || qs[i] > qs[i - 1]);
        }
        kb_matrix_free(m);
        kb_quote_list_free(l);
    }
}

/* Cases by concept: presence and counts, for statistics tools. */
static void test_case_axis(void **state)
{
    (void)state;
    kb_quote_list *l = quotes(1);
    kb_matrix *m =
        build(l, "case", "concept", KB_COUNT_PRESENCE, KB_UNIT_SEGMENT);
    assert_int_equal(kb_matrix_rows(m), 2);
    assert_int_equal(cell(m, "c1", "moten"), 1);
    assert_int_equal(cell(m, "c2", "moten"), 0);
    assert_int_equal(cell(m, "c2", "budget"), 1);
    assert_int_equal(kb_matrix_row_total(m, place(m, 1, "c1")), 4);
    assert_int_equal(kb_matrix_row_total(m, place(m, 1, "c2")), 1);
    assert_int_equal(kb_matrix_col_total(m, place(m, 0, "budget")), 2);
    assert_int_equal(kb_matrix_total(m), 5);
    kb_matrix_free(m);
    m = build(l, "case", "concept", KB_COUNT_QUOTES, KB_UNIT_SEGMENT);
    assert_int_equal(cell(m, "c1", "budget"), 2);
    assert_int_equal(cell(m, "c1", "moten"), 2);
    kb_matrix_free(m);
    kb_quote_list_free(l);
}

/* The texts of the nodes of an XPath expression, joined by spaces. */
static void texts(xmlXPathContextPtr ctx, const char *expr, char *out,
                  size_t size)
{
    xmlXPathObjectPtr r = xmlXPathEvalExpression(BAD_CAST expr, ctx);
    assert_non_null(r);
    size_t at = 0;
    out[0] = '\0';
    for (int i = 0; r->nodesetval && i < r->nodesetval->nodeNr; i++) {
        xmlChar *t = xmlNodeGetContent(r->nodesetval->nodeTab[i]);
        at += (size_t)snprintf(out + at, size - at, "%s%s", i ? " " : "",
                               (char *)t);
        xmlFree(t);
    }
    xmlXPathFreeObject(r);
}

/* The heat map of themes by themes: one number per cell in row order, the
 * diagonal bold, sized in points; the same with Jaccard indexes. */
static void test_heatmap(void **state)
{
    (void)state;
    kb_quote_list *l = quotes(1);
    kb_export_options o = KB_EXPORT_OPTIONS_INIT;
    kb_error err;
    o.format = KB_EXPORT_SVG;
    o.rows = o.cols = "theme";
    const char *want[2] = {"5 3 3 4", "1.00 0.50 0.50 1.00"};
    for (int j = 0; j < 2; j++) {
        o.jaccard = j;
        fixture_mem m;
        assert_int_equal(kb_matrix_write(fixture_mem_open(&m), l, &o, &err), 0);
        char *svg = fixture_mem_end(&m);
        xmlDocPtr doc = xmlReadMemory(svg, (int)m.len, "h.svg", NULL,
                                      XML_PARSE_NONET | XML_PARSE_NOERROR);
        assert_non_null(doc);
        xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
        xmlXPathRegisterNs(ctx, BAD_CAST "s",
                           BAD_CAST "http://www.w3.org/2000/svg");
        char got[256];
        texts(ctx, "//s:g[@class='cells']/s:text", got, sizeof got);
        assert_string_equal(got, want[j]);
        texts(ctx, "//s:g[@class='cells']/s:text[@font-weight='bold']", got,
              sizeof got);
        assert_string_equal(got, j ? "1.00 1.00" : "5 4");
        texts(ctx, "//s:g[@class='rows']/s:text", got, sizeof got);
        assert_string_equal(got, "Förutsättningar Resurser");
        texts(ctx, "/s:svg/@width", got, sizeof got);
        assert_non_null(strstr(got, "pt"));
        xmlXPathFreeContext(ctx);
        xmlFreeDoc(doc);
        free(svg);
    }
    kb_quote_list_free(l);
}

/* The Jaccard index in a table: numbers with three decimals; totals stay
 * counts. */
static void test_jaccard_table(void **state)
{
    (void)state;
    kb_quote_list *l = quotes(1);
    kb_export_options o = KB_EXPORT_OPTIONS_INIT;
    kb_error err;
    o.format = KB_EXPORT_CSV;
    o.rows = o.cols = "theme";
    o.jaccard = 1;
    fixture_mem m;
    assert_int_equal(kb_matrix_write(fixture_mem_open(&m), l, &o, &err), 0);
    char *csv = fixture_mem_end(&m);
    assert_non_null(
        strstr(csv, "forutsattningar,Förutsättningar,1.000,0.500,5\r\n"));
    assert_non_null(strstr(csv, ",total,5,4,6\r\n"));
    free(csv);
    o.format = KB_EXPORT_JSON;
    assert_int_equal(kb_matrix_write(fixture_mem_open(&m), l, &o, &err), 0);
    char *json = fixture_mem_end(&m);
    assert_non_null(
        strstr(json, "\"count\": \"units\", \"unit\": \"segment\""));
    assert_non_null(strstr(json, "\"row\": \"forutsattningar\", \"col\": "
                                 "\"resurser\", \"count\": 3, \"jaccard\": "
                                 "0.500000"));
    free(json);
    char buf[48];
    assert_string_equal(kbi_table_number_text(2.0 / 3, 3, buf), "0.667");
    assert_string_equal(kbi_table_number_text(1, 3, buf), "1.000");
    assert_string_equal(kbi_table_number_text(0, 2, buf), "0.00");
    assert_string_equal(kbi_table_number_text(12, 0, buf), "12");
    assert_string_equal(kbi_table_number_text(-0.25, 2, buf), "-0.25");
    kb_quote_list_free(l);
}

/* What does not apply is refused, naming the argument. */
static void test_errors(void **state)
{
    (void)state;
    kb_quote_list *l = quotes(1);
    kb_matrix *m;
    kb_error err;
    assert_int_equal(kb_matrix_build_units(&m, l, "concept", "theme",
                                           KB_COUNT_WORDS, KB_UNIT_SEGMENT,
                                           &err),
                     KB_EINVAL);
    assert_string_equal(err.argument, "count");
    assert_int_equal(kb_matrix_build_units(&m, l, "theme", "theme",
                                           KB_COUNT_QUOTES, (kb_matrix_unit)9,
                                           &err),
                     KB_EINVAL);
    assert_string_equal(err.argument, "unit");
    assert_int_equal(kb_matrix_build_units(&m, l, "theme", "case",
                                           KB_COUNT_QUOTES, KB_UNIT_TURN, &err),
                     KB_EINVAL);
    assert_string_equal(err.argument, "unit");
    kb_export_options o = KB_EXPORT_OPTIONS_INIT;
    o.jaccard = 1;
    o.cols = "case";
    fixture_mem mm;
    assert_int_equal(kb_matrix_write(fixture_mem_open(&mm), l, &o, &err),
                     KB_EINVAL);
    assert_string_equal(err.argument, "jaccard");
    free(fixture_mem_end(&mm));
    assert_int_equal(kb_matrix_unit_parse("turn"), KB_UNIT_TURN);
    assert_int_equal(kb_matrix_unit_parse("sentences"), -1);
    assert_int_equal(kb_count_kind_parse("presence"), KB_COUNT_PRESENCE);
    assert_int_equal(kb_export_format_parse("svg"), KB_EXPORT_SVG);
    kb_quote_list_free(l);
    l = quotes(0);
    o.jaccard = 0;
    o.format = KB_EXPORT_SVG;
    assert_int_equal(kb_quotes_write(fixture_mem_open(&mm), l, &o, &err),
                     KB_EINVAL);
    free(fixture_mem_end(&mm));
    kb_quote_list_free(l);
}

/* Code point offset of the first `what` in DOC_A. */
static size_t cp_of(const char *what)
{
    const char *at = strstr(DOC_A, what);
    assert_non_null(at);
    size_t n = 0;
    for (const char *s = DOC_A; s < at; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* A tag of trad from s3 into s4 runs over three turns (R1, I, R2): one
 * quote, in the sentences s3, the interviewer's and s4, and in three
 * turns. */
static void test_tag_over_turns(void **state)
{
    (void)state;
    kb_tag_options to = KB_TAG_OPTIONS_INIT;
    to.coder = "cecilia";
    kb_where at = {
        .by = KB_AT_SPAN, .start = cp_of("styr allt"), .end = cp_of("räcker")};
    kb_error err;
    if (kb_tag_add(NULL, proj, "a", "trad", &at, &to, &err))
        fail_msg("tag: %s", err.message);
    kb_quote_list *l = quotes(0);
    size_t trad = 0;
    for (size_t i = 0; i < kb_quote_list_count(l); i++)
        trad += !strcmp(kb_quote_list_get(l, i)->concept, "trad");
    assert_int_equal(trad, 2);
    kb_matrix *m =
        build(l, "concept", "concept", KB_COUNT_QUOTES, KB_UNIT_SEGMENT);
    assert_int_equal(cell(m, "trad", "trad"), 4);
    assert_int_equal(cell(m, "trad", "personal"), 1);
    assert_int_equal(cell(m, "trad", "budget"), 1);
    assert_int_equal(cell(m, "trad", "moten"), 3);
    kb_matrix_free(m);
    m = build(l, "concept", "concept", KB_COUNT_QUOTES, KB_UNIT_TURN);
    assert_int_equal(cell(m, "trad", "trad"), 3);
    assert_int_equal(cell(m, "trad", "personal"), 1);
    kb_matrix_free(m);
    kb_quote_list_free(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_segment),
        cmocka_unit_test(test_turn_document_case),
        cmocka_unit_test(test_cell_quotes),
        cmocka_unit_test(test_case_axis),
        cmocka_unit_test(test_heatmap),
        cmocka_unit_test(test_jaccard_table),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_tag_over_turns),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
