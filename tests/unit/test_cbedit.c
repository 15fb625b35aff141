/*
 * test_cbedit.c: kb_codebook_set_patterns, a concept's patterns replaced
 * in a codebook file as a minimal edit. On the sample codebook (a flow
 * list per concept) and on codebooks written here with comments, block
 * lists, a single pattern, none, a flow mapping, CRLF and a byte order
 * mark: the file differs from the original only in the pattern lines, the
 * edited file loads with exactly the new patterns and every other rule as
 * it was, and a failure leaves the file as it was.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "fixture.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kodbok.h"

static const char *source;
static char dir[256];

static int setup(void **state)
{
    (void)state;
    fixture_tmpdir(dir, sizeof dir, "cbedit");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return fixture_rmdir(dir);
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    assert_non_null(b);
    assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
    b[n] = '\0';
    fclose(f);
    return b;
}

/* The lines of a and b (split at '\n') that differ, as "line numbers"
 * into `at`; how many. Both must have the same number of lines. */
static size_t diff_lines(const char *a, const char *b, size_t *at, size_t max)
{
    size_t n = 0, line = 1;
    while (*a || *b) {
        const char *ea = strchr(a, '\n'), *eb = strchr(b, '\n');
        size_t la = ea ? (size_t)(ea - a) : strlen(a),
               lb = eb ? (size_t)(eb - b) : strlen(b);
        if ((la != lb || memcmp(a, b, la)) && n < max)
            at[n++] = line;
        assert_true(!ea == !eb);
        a += la + (ea != NULL);
        b += lb + (eb != NULL);
        line++;
    }
    return n;
}

/* Line `n` (1-based) of s, copied into buf. */
static const char *line_of(const char *s, size_t n, char *buf, size_t size)
{
    for (size_t i = 1; i < n; i++)
        s = strchr(s, '\n') + 1;
    size_t len = strcspn(s, "\n");
    snprintf(buf, size, "%.*s", (int)len, s);
    return buf;
}

/* The file loads, concept `id` has exactly pats, and every other concept's
 * rules are those of `before`. */
static void check_loaded(const char *path, const kb_codebook *before,
                         const char *id, const char *const *pats, size_t n)
{
    kb_codebook *cb;
    kb_error err;
    assert_int_equal(kb_codebook_load(&cb, path, &err), 0);
    assert_int_equal(kb_codebook_count(cb), kb_codebook_count(before));
    for (size_t i = 0; i < kb_codebook_count(cb); i++) {
        const kb_code_info *a = kb_codebook_get(cb, i),
                           *b = kb_codebook_get(before, i);
        assert_string_equal(a->id, b->id);
        if (strcmp(a->id, id)) {
            if (a->rules_hash)
                assert_string_equal(a->rules_hash, b->rules_hash);
            continue;
        }
        assert_int_equal(a->npatterns, n);
        for (size_t k = 0; k < n; k++)
            assert_string_equal(kb_codebook_pattern(cb, i, k), pats[k]);
        assert_int_equal(a->nexcludes, b->nexcludes);
        assert_int_equal(a->scope, b->scope);
    }
    kb_codebook_free(cb);
}

static void set_ok(const char *path, const char *id, const char *const *pats,
                   size_t n)
{
    kb_error err;
    int rc = kb_codebook_set_patterns(path, id, pats, n, &err);
    if (rc)
        fail_msg("%s", err.message);
}

/* No file but the codebook itself in dir (no temporary left). */
static void only_file(const char *name)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d)))
        if (e->d_name[0] != '.' && strcmp(e->d_name, name))
            fail_msg("left behind: %s", e->d_name);
    closedir(d);
}

/* The sample codebook: one line changes, in its flow style; quotes,
 * backslashes, '#' and ': ' survive as written. */
static void test_sample_codebook(void **state)
{
    (void)state;
    char src[600], path[300];
    snprintf(src, sizeof src, "%s/codebooks/vardsamverkan.yaml", source);
    snprintf(path, sizeof path, "%s/cb.yaml", dir);
    char *orig = slurp(src);
    fixture_write(dir, "cb.yaml", orig);
    kb_codebook *before;
    kb_error err;
    assert_int_equal(kb_codebook_load(&before, path, &err), 0);
    const char *pats[] = {"\\bVVG:s roll\\b", "it's # \"not\" a comment",
                          "\\bkey: value\\b", "\\\\d+"};
    set_ok(path, "vvg-roll-oklar", pats, 4);
    char *now = slurp(path), buf[400];
    size_t at[4];
    assert_int_equal(diff_lines(orig, now, at, 4), 1);
    assert_string_equal(line_of(now, at[0], buf, sizeof buf),
                        "            patterns: ['\\bVVG:s roll\\b', 'it''s # "
                        "\"not\" a comment', '\\bkey: value\\b', '\\\\d+']");
    check_loaded(path, before, "vvg-roll-oklar", pats, 4);
    free(now);
    /* and back: the file is the original again */
    size_t node = kb_codebook_find(before, KB_CODE_CONCEPT, "vvg-roll-oklar");
    const char *old[8];
    size_t n = kb_codebook_get(before, node)->npatterns;
    for (size_t k = 0; k < n; k++)
        old[k] = kb_codebook_pattern(before, node, k);
    set_ok(path, "vvg-roll-oklar", old, n);
    now = slurp(path);
    assert_string_equal(now, orig);
    only_file("cb.yaml");
    free(now);
    free(orig);
    kb_codebook_free(before);
    remove(path);
}

static const char BLOCK[] = "kodbok: 1   # format\n"
                            "name: Test # namn\n"
                            "themes:\n"
                            "  - id: t   # tema\n"
                            "    concepts:\n"
                            "      # the first concept\n"
                            "      - id: a\n"
                            "        label: \"A\"\n"
                            "        patterns:\n"
                            "          - '\\bvvg\\b'\n"
                            "          - \"kommun\"\n"
                            "        scope: turn  # after\n"
                            "        exclude: ['\\binte\\b']\n"
                            "      - id: b\n"
                            "        patterns: 'region'\n"
                            "      - id: c\n"
                            "        label: C # manual only\n"
                            "      - {id: d, label: D}\n"
                            "# the end\n";

/* Each form the codebook allows: the changed lines only. */
static void test_block_and_other_forms(void **state)
{
    (void)state;
    char path[300], buf[400];
    snprintf(path, sizeof path, "%s/b.yaml", dir);
    fixture_write(dir, "b.yaml", BLOCK);
    kb_codebook *before;
    kb_error err;
    assert_int_equal(kb_codebook_load(&before, path, &err), 0);
    size_t at[8];
    /* a block list: the same number of items keeps the same lines */
    const char *two[] = {"\\bVGR\\b", "sjukhus\\w*"};
    set_ok(path, "a", two, 2);
    char *now = slurp(path);
    assert_int_equal(diff_lines(BLOCK, now, at, 8), 2);
    assert_int_equal(at[0], 10);
    assert_int_equal(at[1], 11);
    assert_string_equal(line_of(now, 10, buf, sizeof buf),
                        "          - '\\bVGR\\b'");
    assert_string_equal(line_of(now, 11, buf, sizeof buf),
                        "          - 'sjukhus\\w*'");
    check_loaded(path, before, "a", two, 2);
    free(now);
    /* a single scalar stays one; a flow mapping gains an entry; a concept
     * without patterns gains a line after its id */
    const char *one[] = {"\\bnära vård\\b"};
    set_ok(path, "b", one, 1);
    const char *three[] = {"x\\w+", "y\\w+", "z\\w+"};
    set_ok(path, "c", three, 3);
    set_ok(path, "d", one, 1);
    now = slurp(path);
    assert_string_equal(line_of(now, 15, buf, sizeof buf),
                        "        patterns: '\\bnära vård\\b'");
    assert_string_equal(line_of(now, 16, buf, sizeof buf), "      - id: c");
    assert_string_equal(line_of(now, 17, buf, sizeof buf),
                        "        patterns: ['x\\w+', 'y\\w+', 'z\\w+']");
    assert_string_equal(line_of(now, 18, buf, sizeof buf),
                        "        label: C # manual only");
    assert_string_equal(line_of(now, 19, buf, sizeof buf),
                        "      - {id: d, patterns: ['\\bnära vård\\b'], "
                        "label: D}");
    assert_string_equal(line_of(now, 20, buf, sizeof buf), "# the end");
    free(now);
    /* a block list to none: `patterns: []`, the concept manual only */
    set_ok(path, "a", NULL, 0);
    now = slurp(path);
    assert_string_equal(line_of(now, 9, buf, sizeof buf),
                        "        patterns: []");
    assert_string_equal(line_of(now, 10, buf, sizeof buf),
                        "        scope: turn  # after");
    free(now);
    kb_codebook_free(before);
    only_file("b.yaml");
    remove(path);
}

/* CRLF line ends and a byte order mark are kept. */
static void test_crlf_bom(void **state)
{
    (void)state;
    char text[2048], path[300];
    size_t n = 0;
    n += (size_t)snprintf(text, sizeof text, "\xEF\xBB\xBF");
    for (const char *s = BLOCK; *s; s++) {
        if (*s == '\n')
            text[n++] = '\r';
        text[n++] = *s;
    }
    text[n] = '\0';
    fixture_write(dir, "c.yaml", text);
    snprintf(path, sizeof path, "%s/c.yaml", dir);
    const char *pats[] = {"å\\w+", "ä\\w+", "ö\\w+"};
    set_ok(path, "a", pats, 3);
    char *now = slurp(path);
    assert_non_null(strstr(now, "\xEF\xBB\xBF"
                                "kodbok: 1   # format\r\n"));
    assert_non_null(strstr(now, "        patterns:\r\n          - 'å\\w+'\r\n"
                                "          - 'ä\\w+'\r\n          - 'ö\\w+'\r\n"
                                "        scope: turn  # after\r\n"));
    assert_null(strstr(now, "kommun"));
    free(now);
    remove(path);
}

/* Failures leave the file as it was, and nothing beside it. */
static void test_failures(void **state)
{
    (void)state;
    char path[300];
    snprintf(path, sizeof path, "%s/f.yaml", dir);
    fixture_write(dir, "f.yaml", BLOCK);
    kb_error err;
    const char *bad[] = {"ok", "\\bsamverkan(?:s"};
    assert_int_equal(kb_codebook_set_patterns(path, "a", bad, 2, &err),
                     KB_EFORMAT);
    assert_non_null(strstr(err.message, "missing closing parenthesis"));
    assert_string_equal(err.file, path);
    assert_int_equal(err.line, 11);
    const char *empty[] = {"a*"};
    assert_int_equal(kb_codebook_set_patterns(path, "b", empty, 1, &err),
                     KB_EFORMAT);
    const char *lines[] = {"two\nlines"};
    assert_int_equal(kb_codebook_set_patterns(path, "a", lines, 1, &err),
                     KB_EINVAL);
    const char *ok[] = {"x"};
    assert_int_equal(kb_codebook_set_patterns(path, "aa", ok, 1, &err),
                     KB_ENOENT);
    assert_non_null(strstr(err.message, "did you mean 'a'"));
    char *now = slurp(path);
    assert_string_equal(now, BLOCK);
    free(now);
    only_file("f.yaml");
    /* a file that is not a codebook is not touched */
    fixture_write(dir, "f.yaml", "kodbok: 1\nname: [\n");
    assert_int_equal(kb_codebook_set_patterns(path, "a", ok, 1, &err),
                     KB_EFORMAT);
    now = slurp(path);
    assert_string_equal(now, "kodbok: 1\nname: [\n");
    free(now);
    remove(path);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_cbedit SOURCE_DIR\n");
        return 2;
    }
    source = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sample_codebook),
        cmocka_unit_test(test_block_and_other_forms),
        cmocka_unit_test(test_crlf_bom),
        cmocka_unit_test(test_failures),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
