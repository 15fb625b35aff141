/*
 * test_playground.c: kb_project_try (the pattern playground) on the sample
 * project coded with the sample codebook, with anna's and bo's tags. A
 * concept tried with its own patterns must give exactly the run's quotes
 * of it, for every concept, and exactly eval's tp, fp and fn against each
 * coder; other patterns give other hits; bad patterns are named by index
 * and position; the coder is picked as the options say.
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

static const char *source;
static char dir[256], db_path[300];
static kb_project *proj;
static kb_codebook *cb; /* the sample codebook */

static int setup(void **state)
{
    (void)state;
    fixture_tmpdir(dir, sizeof dir, "try");
    snprintf(db_path, sizeof db_path, "%s/p.db", dir);
    proj = fixture_sample(source, db_path, NULL);
    char path[600];
    kb_error err;
    for (int i = 0; i < 2; i++) {
        snprintf(path, sizeof path, "%s/corpora/vardsamverkan/tags/%s.tsv",
                 source, i ? "bo" : "anna");
        assert_int_equal(kb_tags_import(NULL, proj, path, NULL, &err), 0);
    }
    snprintf(path, sizeof path, "%s/codebooks/vardsamverkan.yaml", source);
    assert_int_equal(kb_codebook_load(&cb, path, &err), 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    kb_codebook_free(cb);
    kb_project_free(proj);
    return fixture_rmdir(dir);
}

/* The concept's own patterns tried, scored against `coder` (or not). */
static kb_try_report *try_own(size_t node, const char *coder)
{
    const kb_code_info *ci = kb_codebook_get(cb, node);
    const char *pats[64];
    assert_true(ci->npatterns <= 64);
    for (size_t k = 0; k < ci->npatterns; k++)
        pats[k] = kb_codebook_pattern(cb, node, k);
    kb_try_options o = KB_TRY_OPTIONS_INIT;
    o.concept = ci->id;
    o.patterns = pats;
    o.npatterns = ci->npatterns;
    o.coder = coder;
    o.sample = 5;
    kb_try_report *r = NULL;
    kb_error err;
    int rc = kb_project_try(&r, proj, &o, &err);
    if (rc)
        fail_msg("%s: %s", ci->id, err.message);
    return r;
}

/* Every concept's own patterns give the run's automatic quotes of it. */
static void test_hits_are_the_runs_quotes(void **state)
{
    (void)state;
    size_t concepts = 0, hits = 0;
    for (size_t i = 0; i < kb_codebook_count(cb); i++) {
        const kb_code_info *ci = kb_codebook_get(cb, i);
        if (ci->kind != KB_CODE_CONCEPT || !ci->npatterns)
            continue;
        kb_try_report *r = try_own(i, NULL);
        kb_quote_filter f = {0};
        f.concept = ci->id;
        f.source = "auto";
        f.with_rejected = 1;
        f.skip_words = 1;
        kb_quote_list *l;
        kb_error err;
        assert_int_equal(kb_project_quotes(&l, proj, &f, &err), 0);
        assert_int_equal(kb_try_report_count(r), kb_quote_list_count(l));
        /* both in document order, then by position */
        size_t docs = 0;
        for (size_t k = 0; k < kb_quote_list_count(l); k++) {
            const kb_quote_row *q = kb_quote_list_get(l, k);
            const kb_try_hit *h = kb_try_report_get(r, k);
            assert_string_equal(h->document, q->document);
            assert_int_equal(h->start, q->start);
            assert_int_equal(h->end, q->end);
            if (k < 5)
                assert_string_equal(h->text, q->text);
            else
                assert_null(h->text);
            docs += !k ||
                    strcmp(q->document, kb_quote_list_get(l, k - 1)->document);
        }
        assert_int_equal(kb_try_report_documents(r), docs);
        assert_null(kb_try_report_scores(r, NULL));
        assert_null(kb_try_report_coder(r));
        hits += kb_try_report_count(r);
        concepts++;
        kb_quote_list_free(l);
        kb_try_report_free(r);
    }
    assert_true(concepts > 20);
    assert_true(hits > 500);
}

/* Against a coder, every concept they coded scores as eval scores the run. */
static void test_scores_are_evals(void **state)
{
    (void)state;
    static const char *const coders[] = {"anna", "bo"};
    size_t compared = 0;
    for (int c = 0; c < 2; c++) {
        kb_eval_options eo = KB_EVAL_OPTIONS_INIT;
        eo.gold = coders[c];
        kb_eval_report *ev;
        kb_error err;
        assert_int_equal(kb_project_eval(&ev, proj, &eo, &err), 0);
        for (size_t k = 0; k < kb_eval_report_count(ev); k++) {
            const kb_code_eval *row = kb_eval_report_get(ev, k);
            size_t node = kb_codebook_find(cb, KB_CODE_CONCEPT, row->code);
            if (node == KB_NO_INDEX || !kb_codebook_get(cb, node)->npatterns)
                continue;
            kb_try_report *r = try_own(node, coders[c]);
            size_t units;
            const kb_eval_scores *s = kb_try_report_scores(r, &units);
            if (row->s.tp + row->s.fn == 0) { /* not coded by them */
                assert_null(s);
                assert_string_equal(kb_try_report_coder(r), coders[c]);
            } else {
                assert_non_null(s);
                assert_true(units > 0);
                assert_string_equal(kb_try_report_coder(r), coders[c]);
                assert_int_equal(s->tp, row->s.tp);
                assert_int_equal(s->fp, row->s.fp);
                assert_int_equal(s->fn, row->s.fn);
                compared++;
            }
            kb_try_report_free(r);
        }
        kb_eval_report_free(ev);
    }
    assert_true(compared >= 10);
}

static kb_try_report *try_with(const char *concept, const char *const *pats,
                               size_t n, const char *coder, int fallback,
                               int want, kb_error *err)
{
    kb_try_options o = KB_TRY_OPTIONS_INIT;
    o.concept = concept;
    o.patterns = pats;
    o.npatterns = n;
    o.coder = coder;
    o.coder_fallback = fallback;
    o.sample = 30;
    kb_try_report *r = NULL;
    assert_int_equal(kb_project_try(&r, proj, &o, err), want);
    return r;
}

/* Other patterns: a word the concept's rule lacks finds its sentences; the
 * several patterns matching one segment make one quote. */
static void test_other_patterns(void **state)
{
    (void)state;
    kb_error err;
    const char *one[] = {"\\bwhiteboard\\b"};
    kb_try_report *r = try_with("helheten-viktig", one, 1, NULL, 0, 0, &err);
    assert_int_equal(kb_try_report_count(r), 1);
    assert_string_equal(kb_try_report_get(r, 0)->document, "fokusgrupp");
    assert_true(strstr(kb_try_report_get(r, 0)->text, "whiteboard") != NULL);
    kb_try_report_free(r);
    /* several patterns: one quote per segment however many match */
    const char *two[] = {"\\bwhiteboard\\b", "\\brita upp\\b"};
    r = try_with("helheten-viktig", two, 2, NULL, 0, 0, &err);
    assert_int_equal(kb_try_report_count(r), 1);
    kb_try_report_free(r);
    /* no patterns: nothing */
    r = try_with("helheten-viktig", NULL, 0, NULL, 0, 0, &err);
    assert_int_equal(kb_try_report_count(r), 0);
    assert_int_equal(kb_try_report_documents(r), 0);
    kb_try_report_free(r);
}

/* A bad pattern: its index and where in it. */
static void test_bad_patterns(void **state)
{
    (void)state;
    kb_error err;
    const char *open[] = {"\\bvvg\\b", "\\bsamverkan(?:s"};
    assert_null(
        try_with("helheten-viktig", open, 2, NULL, 0, KB_EFORMAT, &err));
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, 16);
    assert_string_equal(err.argument, "patterns");
    assert_non_null(strstr(err.message, "pattern 2"));
    assert_non_null(strstr(err.message, "missing closing parenthesis"));
    const char *empty[] = {"x?"};
    assert_null(
        try_with("helheten-viktig", empty, 1, NULL, 0, KB_EFORMAT, &err));
    assert_int_equal(err.line, 1);
    assert_non_null(strstr(err.message, "empty string"));
    const char *ctrl[] = {"ok", "\b\xc3\xa5"};
    assert_null(
        try_with("helheten-viktig", ctrl, 2, NULL, 0, KB_EFORMAT, &err));
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, 1);
    /* a code point column: å is one */
    const char *wide[] = {"\xc3\xa5\xc3\xa5["};
    assert_null(
        try_with("helheten-viktig", wide, 1, NULL, 0, KB_EFORMAT, &err));
    assert_int_equal(err.column, 4);
    const char *ok[] = {"x"};
    assert_null(try_with("helheten-vitkig", ok, 1, NULL, 0, KB_ENOENT, &err));
    assert_non_null(strstr(err.message, "helheten-viktig"));
    assert_null(try_with("helheten-viktig", ok, 1, "anan", 0, KB_ENOENT, &err));
    assert_non_null(strstr(err.message, "anna"));
}

/* The coder: the one given when they coded the concept; with fallback, else
 * the coder with most codings of it; else none. */
static void test_coder_pick(void **state)
{
    (void)state;
    kb_error err;
    const char *pats[] = {"\\bförst\\w*"};
    kb_try_report *r =
        try_with("svart-forsta-samverkan", pats, 1, "nobody", 1, 0, &err);
    const char *picked = kb_try_report_coder(r);
    assert_non_null(picked);
    assert_non_null(kb_try_report_scores(r, NULL));
    kb_try_report_free(r);
    r = try_with("svart-forsta-samverkan", pats, 1, "bo", 1, 0, &err);
    assert_string_equal(kb_try_report_coder(r), "bo");
    kb_try_report_free(r);
    /* a concept nobody coded: no coder, no scores */
    r = try_with("kommuner-i-klam", pats, 1, "anna", 1, 0, &err);
    if (!kb_try_report_scores(r, NULL))
        assert_null(kb_try_report_coder(r));
    kb_try_report_free(r);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_playground SOURCE_DIR\n");
        return 2;
    }
    source = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hits_are_the_runs_quotes),
        cmocka_unit_test(test_scores_are_evals),
        cmocka_unit_test(test_other_patterns),
        cmocka_unit_test(test_bad_patterns),
        cmocka_unit_test(test_coder_pick),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
