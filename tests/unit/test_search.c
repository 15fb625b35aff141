/*
 * test_search.c: keyword in context (kb_project_search, kb_search_write) on
 * two small transcripts written here: positions in code points next to
 * multi-byte letters, caseless and NFD patterns, context cut at whole
 * words, the turn's speaker and case, stopping, the regex errors with
 * their column, one document, and the aligned text lines.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kodbok.h"

static char dir[256];
static kb_project *proj;

static const char DOC_A[] =
    "I: Hur ser samverkan ut?\n\n"
    "R: Den röda tråden saknas. Vårdcentralen är navet, och vårdcentralen "
    "vet det.\n";
static const char DOC_B[] = "I: Och på lokal nivå?\n\n"
                            "R: Där är VÅRDCENTRALEN navet.\n";

static int setup(void **state)
{
    (void)state;
    fixture_tmpdir(dir, sizeof dir, "search");
    fixture_write(dir, "a.txt", DOC_A);
    fixture_write(dir, "b.txt", DOC_B);
    fixture_write(dir, "cases.csv", "case,document,speaker\nc1,a,R\n");
    char db[300], a[300], b[300], cases[300];
    snprintf(db, sizeof db, "%s/p.db", dir);
    snprintf(a, sizeof a, "%s/a.txt", dir);
    snprintf(b, sizeof b, "%s/b.txt", dir);
    snprintf(cases, sizeof cases, "%s/cases.csv", dir);
    kb_error err;
    assert_int_equal(kb_project_init(&proj, db, &err), 0);
    kb_import_options o = KB_IMPORT_OPTIONS_INIT;
    o.attrs_path = cases;
    const char *paths[] = {a, b};
    if (kb_project_import(proj, paths, 2, &o, &err))
        fail_msg("import: %s", err.message);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    kb_project_free(proj);
    return fixture_rmdir(dir);
}

/* Hits kept for the checks. */
typedef struct hit {
    char doc[16], left[128], match[64], right[128], speaker[16], case_id[16];
    size_t start, end;
} hit;

typedef struct hits {
    hit v[32];
    size_t n;
    int stop_at; /* return 42 at this hit (1-based), 0 never */
} hits;

static void copy(char *dst, size_t size, const char *s)
{
    snprintf(dst, size, "%s", s ? s : "(null)");
}

static int keep(void *ctx, const kb_search_hit *h)
{
    hits *H = ctx;
    assert_true(H->n < 32);
    hit *k = &H->v[H->n++];
    copy(k->doc, sizeof k->doc, h->document);
    copy(k->left, sizeof k->left, h->left);
    copy(k->match, sizeof k->match, h->match);
    copy(k->right, sizeof k->right, h->right);
    copy(k->speaker, sizeof k->speaker, h->speaker);
    copy(k->case_id, sizeof k->case_id, h->case_id);
    k->start = h->start;
    k->end = h->end;
    return H->stop_at && (int)H->n == H->stop_at ? 42 : 0;
}

static int search(hits *H, const char *regex, size_t context, const char *doc,
                  kb_error *err)
{
    memset(H, 0, sizeof *H);
    kb_search_options o = KB_SEARCH_OPTIONS_INIT;
    o.context = context;
    o.document = doc;
    return kb_project_search(proj, regex, &o, keep, H, err);
}

/* Code points in s[0..n): bytes that do not continue a sequence. */
static size_t cps(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

/* The code point span of the k-th (0-based) occurrence of `needle`. */
static void span_of(const char *text, const char *needle, int k, size_t *start,
                    size_t *end)
{
    const char *p = text;
    for (int i = 0; i <= k; i++) {
        p = strstr(i ? p + 1 : p, needle);
        assert_non_null(p);
    }
    *start = cps(text, (size_t)(p - text));
    *end = *start + cps(p, strlen(needle));
}

static void test_positions(void **state)
{
    (void)state;
    hits H;
    kb_error err;
    assert_int_equal(search(&H, "vårdcentralen", 40, NULL, &err), 0);
    assert_int_equal(H.n, 3); /* caseless: two in a, VÅRDCENTRALEN in b */
    size_t s, e;
    span_of(DOC_A, "Vårdcentralen", 0, &s, &e);
    assert_string_equal(H.v[0].doc, "a");
    assert_int_equal(H.v[0].start, s);
    assert_int_equal(H.v[0].end, e);
    assert_string_equal(H.v[0].match, "Vårdcentralen");
    span_of(DOC_A, "vårdcentralen", 0, &s, &e);
    assert_int_equal(H.v[1].start, s);
    assert_int_equal(H.v[1].end, e);
    span_of(DOC_B, "VÅRDCENTRALEN", 0, &s, &e);
    assert_string_equal(H.v[2].doc, "b");
    assert_int_equal(H.v[2].start, s);
    assert_string_equal(H.v[2].match, "VÅRDCENTRALEN");
    /* the turn's speaker and case: R is case c1 in a, no case in b */
    assert_string_equal(H.v[0].speaker, "R");
    assert_string_equal(H.v[0].case_id, "c1");
    assert_string_equal(H.v[2].speaker, "R");
    assert_string_equal(H.v[2].case_id, "(null)");
    assert_int_equal(search(&H, "samverkan", 40, NULL, &err), 0);
    assert_int_equal(H.n, 1);
    assert_string_equal(H.v[0].speaker, "I");
    assert_string_equal(H.v[0].case_id, "(null)");
}

/* A pattern typed in NFD (A + combining ring) matches the NFC text. */
static void test_nfd_pattern(void **state)
{
    (void)state;
    hits H;
    kb_error err;
    assert_int_equal(search(&H, "VA\xcc\x8aRDCENTRALEN", 40, NULL, &err), 0);
    assert_int_equal(H.n, 3);
}

static void test_context(void **state)
{
    (void)state;
    hits H;
    kb_error err;
    /* 10 code points before "navet" are "tralen är ": the cut word goes */
    assert_int_equal(search(&H, "navet", 10, "a", &err), 0);
    assert_int_equal(H.n, 1);
    assert_string_equal(H.v[0].left, "är ");
    /* 10 after are ", och vård": "vård" is cut from "vårdcentralen" */
    assert_string_equal(H.v[0].right, ", och");
    /* whole words are kept as they are */
    assert_int_equal(search(&H, "navet", 11, "a", &err), 0);
    assert_string_equal(H.v[0].right, ", och");
    assert_int_equal(search(&H, "navet", 19, "a", &err), 0);
    assert_string_equal(H.v[0].right, ", och vårdcentralen");
    assert_int_equal(search(&H, "navet", 17, "a", &err), 0);
    assert_string_equal(H.v[0].left, "Vårdcentralen är ");
    /* the sentence before is not left hanging: ". Vårdcentralen" */
    assert_int_equal(search(&H, "navet", 19, "a", &err), 0);
    assert_string_equal(H.v[0].left, "Vårdcentralen är ");
    /* no context */
    assert_int_equal(search(&H, "navet", 0, NULL, &err), 0);
    assert_int_equal(H.n, 2);
    assert_string_equal(H.v[1].left, "");
    assert_string_equal(H.v[1].right, "");
    /* the text's ends */
    assert_int_equal(search(&H, "hur", 40, "a", &err), 0);
    assert_string_equal(H.v[0].left, "I: ");
    assert_int_equal(search(&H, "det\\.", 40, "a", &err), 0);
    assert_string_equal(H.v[0].right, "");
}

static void test_stop_and_doc(void **state)
{
    (void)state;
    hits H;
    kb_error err;
    memset(&H, 0, sizeof H);
    H.stop_at = 2;
    kb_search_options o = KB_SEARCH_OPTIONS_INIT;
    assert_int_equal(kb_project_search(proj, "r", &o, keep, &H, &err), 42);
    assert_int_equal(H.n, 2);
    assert_int_equal(search(&H, "vårdcentralen", 40, "b", &err), 0);
    assert_int_equal(H.n, 1);
    assert_int_equal(search(&H, "x", 40, "c", &err), KB_ENOENT);
    assert_non_null(strstr(err.message, "no document 'c'"));
}

static void test_errors(void **state)
{
    (void)state;
    hits H;
    kb_error err;
    /* "tråd[": PCRE2 stops at the end, byte 6, which is code point 5 */
    assert_int_equal(search(&H, "tråd[", 40, NULL, &err), KB_EFORMAT);
    assert_int_equal(err.column, 6);
    assert_non_null(strstr(err.message, "invalid regex at column 6: missing "
                                        "terminating ] for character class"));
    assert_int_equal(search(&H, "a(b", 40, NULL, &err), KB_EFORMAT);
    assert_non_null(strstr(err.message, "missing closing parenthesis"));
    assert_int_equal(search(&H, "x*", 40, NULL, &err), KB_EFORMAT);
    assert_non_null(strstr(err.message, "can match the empty string"));
    kb_search_options o = KB_SEARCH_OPTIONS_INIT;
    o.version = 0;
    assert_int_equal(kb_project_search(proj, "x", &o, keep, &H, &err),
                     KB_EINVAL);
    o = (kb_search_options)KB_SEARCH_OPTIONS_INIT;
    o.format = (kb_search_format)9;
    assert_int_equal(kb_search_write(stdout, proj, "x", &o, &err), KB_EINVAL);
}

/* Lines of kb_search_write's output in `format`, into buf. */
static char *written(const char *regex, kb_search_format format, size_t context)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    kb_search_options o = KB_SEARCH_OPTIONS_INIT;
    o.format = format;
    o.context = context;
    kb_error err;
    assert_int_equal(kb_search_write(f, proj, regex, &o, &err), 0);
    fclose(f);
    return buf;
}

/* The byte offset of code point `cp` in s. */
static size_t byte_of(const char *s, size_t cp)
{
    size_t i = 0;
    for (size_t c = 0; s[i] && c < cp; c++)
        do
            i++;
        while (((unsigned char)s[i] & 0xC0) == 0x80);
    return i;
}

/* Text: the matches stand in one column; context is on one line. */
static void test_text(void **state)
{
    (void)state;
    char *out = written("navet|vet|ser", KB_SEARCH_TEXT, 12);
    /* in a: "ser" (the interviewer), "navet", "vet" (det); in b: "navet" */
    static const char *const want[] = {"ser", "navet", "vet", "navet"};
    size_t lines = 0, column = 0;
    for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
        assert_true(lines < 4);
        assert_int_equal(line[0], lines < 3 ? 'a' : 'b');
        if (!lines)
            column = cps(line, (size_t)(strstr(line, "ser") - line));
        const char *at = line + byte_of(line, column);
        assert_int_equal(strncmp(at, want[lines], strlen(want[lines])), 0);
        lines++;
    }
    assert_int_equal(lines, 4);
    free(out);
    /* CSV: a header and one record per hit; "navet" is code points 70 to
     * 75 in a ("I: Hur ser samverkan ut?" is 24, two newlines, then
     * "R: Den röda tråden saknas. Vårdcentralen är " is 44) and 47 to 52
     * in b (21 + 2, then "R: Där är VÅRDCENTRALEN " is 24) */
    out = written("navet", KB_SEARCH_CSV, 5);
    assert_string_equal(out, "document,version,case,speaker,start,end,left,"
                             "match,right\r\n"
                             "a,1,c1,R,70,75,\"är \",navet,\", och\"\r\n"
                             "b,1,,R,47,52,,navet,.\r\n");
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_positions), cmocka_unit_test(test_nfd_pattern),
        cmocka_unit_test(test_context),   cmocka_unit_test(test_stop_and_doc),
        cmocka_unit_test(test_errors),    cmocka_unit_test(test_text),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
