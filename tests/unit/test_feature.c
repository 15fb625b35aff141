/*
 * test_feature.c: featured quotes (kb_quote_feature) on the sample corpus:
 * an automatic quote featured is accepted and featured, a coder's tags in a
 * quote featured instead, a rejected quote refused, featuring taken back,
 * featured_by in kb_project_quotes, featuring kept across re-runs that stop
 * and start finding the quote, and the featured column of tags files.
 * Each test works on a document and coders of its own.
 * Usage: test_feature SOURCE_DIR
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

static int setup(void **state)
{
    (void)state;
    fixture_tmpdir(dir, sizeof dir, "feature");
    snprintf(db_path, sizeof db_path, "%s/p.db", dir);
    proj = fixture_sample(source, db_path, NULL);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    kb_project_free(proj);
    return fixture_rmdir(dir);
}

/* The quotes of one document (rejected ones too, when asked). */
static kb_quote_list *quotes_of(const char *doc, int with_rejected)
{
    kb_quote_filter f = {.document = doc, .with_rejected = with_rejected};
    kb_quote_list *l;
    kb_error err;
    assert_int_equal(kb_project_quotes(&l, proj, &f, &err), 0);
    return l;
}

/* The row of `l` at `start` of `concept` (NULL: a theme's), or fails. */
static const kb_quote_row *row_at(const kb_quote_list *l, size_t start,
                                  const char *concept)
{
    for (size_t i = 0; i < kb_quote_list_count(l); i++) {
        const kb_quote_row *q = kb_quote_list_get(l, i);
        if (q->start == start &&
            (concept ? q->concept && !strcmp(q->concept, concept)
                     : !q->concept))
            return q;
    }
    fail_msg("no quote at %zu of %s", start, concept ? concept : "a theme");
    return NULL;
}

/* The first automatic quote of a document, after `after`. */
static const kb_quote_row *first_auto(const kb_quote_list *l, size_t after)
{
    for (size_t i = 0; i < kb_quote_list_count(l); i++) {
        const kb_quote_row *q = kb_quote_list_get(l, i);
        if (!strcmp(q->source, "auto") && q->start >= after && !q->coder)
            return q;
    }
    fail_msg("no automatic quote");
    return NULL;
}

/* A coder's manual codings. */
static kb_tag_list *tags_of(const char *coder)
{
    kb_tag_list *t;
    kb_error err;
    assert_int_equal(kb_project_tags(&t, proj, coder, &err), 0);
    return t;
}

/* An automatic quote: featuring stores the coder's acceptance, featured;
 * again is KB_EEXIST; taken back, the acceptance stays; a second coder's
 * featuring joins the first's, in name order. */
static void test_feature_automatic(void **state)
{
    (void)state;
    kb_error err;
    kb_quote_list *l = quotes_of("ip01", 0);
    const kb_quote_row *q = first_auto(l, 0);
    size_t start = q->start;
    char concept[128];
    snprintf(concept, sizeof concept, "%s", q->concept);
    assert_null(q->featured_by);
    assert_int_equal(kb_quote_feature(proj, q, "fa", 1, &err), 0);
    assert_int_equal(kb_quote_feature(proj, q, "fa", 1, &err), KB_EEXIST);

    kb_quote_list *l1 = quotes_of("ip01", 0);
    const kb_quote_row *r = row_at(l1, start, concept);
    assert_string_equal(r->source, "auto");
    assert_string_equal(r->accepted_by, "fa");
    assert_string_equal(r->featured_by, "fa");
    assert_null(r->tagged_by);
    kb_tag_list *t = tags_of("fa");
    assert_int_equal(kb_tag_list_count(t), 1);
    const kb_tag_info *ti = kb_tag_list_get(t, 0);
    assert_int_equal(ti->decision, KB_DECISION_ACCEPT);
    assert_int_equal(ti->featured, 1);
    assert_int_equal(ti->start, start);
    assert_int_equal(ti->segment, q->kind);
    kb_tag_list_free(t);

    /* taken back: the acceptance stays, unfeatured */
    assert_int_equal(kb_quote_feature(proj, r, "fa", 0, &err), 0);
    assert_int_equal(kb_quote_feature(proj, r, "fa", 0, &err), KB_ENOENT);
    kb_quote_list *l2 = quotes_of("ip01", 0);
    r = row_at(l2, start, concept);
    assert_null(r->featured_by);
    assert_string_equal(r->accepted_by, "fa");
    t = tags_of("fa");
    assert_int_equal(kb_tag_list_count(t), 1);
    assert_int_equal(kb_tag_list_get(t, 0)->featured, 0);
    kb_tag_list_free(t);

    /* two coders: "ea" sorts before "fa" */
    assert_int_equal(kb_quote_feature(proj, r, "fa", 1, &err), 0);
    assert_int_equal(kb_quote_feature(proj, r, "ea", 1, &err), 0);
    kb_quote_list *l3 = quotes_of("ip01", 0);
    r = row_at(l3, start, concept);
    assert_string_equal(r->featured_by, "ea,fa");
    assert_string_equal(r->accepted_by, "ea,fa");
    /* a bad coder name stores nothing */
    assert_int_equal(kb_quote_feature(proj, r, "a b", 1, &err), KB_EINVAL);
    kb_quote_list_free(l3);
    kb_quote_list_free(l2);
    kb_quote_list_free(l1);
    kb_quote_list_free(l);
}

/* The coder's tags in a quote are what featuring marks: both tags of the
 * quote's concept inside its segment, and no acceptance added. A quote
 * only other coders found is refused. */
static void test_feature_tags(void **state)
{
    (void)state;
    kb_error err;
    kb_quote_list *l = quotes_of("ip02", 0);
    const kb_quote_row *q = first_auto(l, 0);
    size_t start = q->start, end = q->end;
    char concept[128];
    snprintf(concept, sizeof concept, "%s", q->concept);
    assert_true(end - start > 12);
    kb_tag_options to = KB_TAG_OPTIONS_INIT;
    to.coder = "ft";
    kb_where a = {.by = KB_AT_SPAN, .start = start, .end = start + 5};
    kb_where b = {.by = KB_AT_SPAN, .start = start + 6, .end = end};
    assert_int_equal(kb_tag_add(NULL, proj, "ip02", concept, &a, &to, &err), 0);
    assert_int_equal(kb_tag_add(NULL, proj, "ip02", concept, &b, &to, &err), 0);
    /* a theme's tag on the document's first sentence: a quote of its own */
    kb_where s0 = {.by = KB_AT_SEGMENT, .kind = KB_SEG_SENTENCE, .index = 0};
    assert_int_equal(kb_tag_add(NULL, proj, "ip02", "struktur", &s0, &to, &err),
                     0);
    kb_quote_list *l1 = quotes_of("ip02", 0);
    const kb_quote_row *r = row_at(l1, start, concept);
    assert_string_equal(r->tagged_by, "ft");
    assert_null(r->featured_by);
    assert_int_equal(kb_quote_feature(proj, r, "ft", 1, &err), 0);
    kb_document *d;
    assert_int_equal(kb_document_load(&d, proj, "ip02", 0, &err), 0);
    const kb_segment *first = kb_document_segment(d, KB_SEG_SENTENCE, 0);
    const kb_quote_row *th = row_at(l1, first->start, NULL);
    assert_string_equal(th->source, "manual");
    assert_int_equal(kb_quote_feature(proj, th, "ft", 1, &err), 0);
    assert_int_equal(kb_quote_feature(proj, th, "fu", 1, &err), KB_EINVAL);
    assert_non_null(strstr(err.message, "only other coders"));

    kb_tag_list *t = tags_of("ft");
    assert_int_equal(kb_tag_list_count(t), 3);
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(kb_tag_list_get(t, i)->decision, KB_DECISION_TAG);
        assert_int_equal(kb_tag_list_get(t, i)->featured, 1);
    }
    kb_tag_list_free(t);
    kb_quote_list *l2 = quotes_of("ip02", 0);
    r = row_at(l2, start, concept);
    assert_string_equal(r->featured_by, "ft");
    assert_null(r->accepted_by);
    assert_int_equal(r->start, start);
    assert_int_equal(r->end, end);
    assert_string_equal(row_at(l2, first->start, NULL)->featured_by, "ft");
    /* another automatic quote of the document is not featured */
    assert_null(first_auto(l2, end)->featured_by);
    kb_document_free(d);
    kb_quote_list_free(l2);
    kb_quote_list_free(l1);
    kb_quote_list_free(l);
}

/* A quote the coder rejected cannot be featured, and nothing is stored; a
 * coder who did not reject it can. */
static void test_feature_rejected(void **state)
{
    (void)state;
    kb_error err;
    kb_quote_list *l = quotes_of("ip04", 0);
    const kb_quote_row *q = first_auto(l, 0);
    size_t start = q->start;
    char concept[128];
    snprintf(concept, sizeof concept, "%s", q->concept);
    assert_int_equal(kb_quote_decide(proj, q, "fr", KB_DECISION_REJECT, &err),
                     0);
    kb_quote_list *l1 = quotes_of("ip04", 1);
    const kb_quote_row *r = row_at(l1, start, concept);
    assert_true(r->rejected);
    assert_int_equal(kb_quote_feature(proj, r, "fr", 1, &err), KB_EINVAL);
    assert_non_null(strstr(err.message, "fr rejected"));
    kb_tag_list *t = tags_of("fr");
    assert_int_equal(kb_tag_list_count(t), 1);
    assert_int_equal(kb_tag_list_get(t, 0)->decision, KB_DECISION_REJECT);
    assert_int_equal(kb_tag_list_get(t, 0)->featured, 0);
    kb_tag_list_free(t);
    /* another coder's featuring accepts it: it is a quote again */
    assert_int_equal(kb_quote_feature(proj, r, "fs", 1, &err), 0);
    kb_quote_list *l2 = quotes_of("ip04", 0);
    r = row_at(l2, start, concept);
    assert_string_equal(r->featured_by, "fs");
    assert_string_equal(r->accepted_by, "fs");
    kb_quote_list_free(l2);
    kb_quote_list_free(l1);
    kb_quote_list_free(l);
}

/* The sample codebook with vvg-roll-oklar's patterns matching nothing. */
static void write_codebook_without(const char *path)
{
    char sample[512];
    snprintf(sample, sizeof sample, "%s/codebooks/vardsamverkan.yaml", source);
    FILE *in = fopen(sample, "rb");
    assert_non_null(in);
    static char text[1 << 20];
    size_t n = fread(text, 1, sizeof text - 1, in);
    fclose(in);
    text[n] = '\0';
    char *id = strstr(text, "- id: vvg-roll-oklar\n");
    assert_non_null(id);
    char *pat = strstr(id, "patterns:"), *eol = strchr(pat, '\n');
    FILE *out = fopen(path, "wb");
    assert_non_null(out);
    fwrite(text, 1, (size_t)(pat - text), out);
    fputs("patterns: ['\\bxyzzy\\b']", out);
    fputs(eol, out);
    assert_int_equal(fclose(out), 0);
}

static void code_with(const char *path)
{
    kb_codebook *cb;
    kb_error err;
    kb_run_summary sum;
    kb_code_options co = KB_CODE_OPTIONS_INIT;
    assert_int_equal(kb_codebook_load(&cb, path, &err), 0);
    assert_int_equal(kb_project_code(&sum, proj, cb, &co, &err), 0);
    kb_codebook_free(cb);
}

/* Featuring stays through a run whose rules no longer find the quote (it
 * is the coder's accepted quote then) and one that finds it again. */
static void test_feature_reruns(void **state)
{
    (void)state;
    kb_error err;
    kb_quote_filter f = {.document = "fokusgrupp", .concept = "vvg-roll-oklar"};
    kb_quote_list *l;
    assert_int_equal(kb_project_quotes(&l, proj, &f, &err), 0);
    const kb_quote_row *q = first_auto(l, 0);
    size_t start = q->start;
    assert_int_equal(kb_quote_feature(proj, q, "fx", 1, &err), 0);
    kb_quote_list_free(l);

    char none[400], sample[512];
    snprintf(none, sizeof none, "%s/none.yaml", dir);
    snprintf(sample, sizeof sample, "%s/codebooks/vardsamverkan.yaml", source);
    write_codebook_without(none);
    code_with(none);
    assert_int_equal(kb_project_quotes(&l, proj, &f, &err), 0);
    assert_int_equal(kb_quote_list_count(l), 1);
    const kb_quote_row *r = kb_quote_list_get(l, 0);
    assert_int_equal(r->start, start);
    assert_string_equal(r->source, "manual");
    assert_string_equal(r->featured_by, "fx");
    kb_quote_list_free(l);

    code_with(sample);
    assert_int_equal(kb_project_quotes(&l, proj, &f, &err), 0);
    r = row_at(l, start, "vvg-roll-oklar");
    assert_string_equal(r->source, "auto");
    assert_string_equal(r->featured_by, "fx");
    assert_null(r->tagged_by);
    kb_quote_list_free(l);
}

/* Reads the file at `path` into memory (free it). */
static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return strdup(buf);
}

/* Removes every manual coding of `coder`. */
static void untag_all(const char *coder)
{
    kb_tag_list *t = tags_of(coder);
    kb_error err;
    for (size_t i = 0; i < kb_tag_list_count(t); i++)
        assert_int_equal(
            kb_tag_remove_id(proj, kb_tag_list_get(t, i)->id, &err), 0);
    kb_tag_list_free(t);
}

/* Tags files carry featuring: written as the last column, read back into
 * the coding; a line that features a coding the project has unfeatured
 * features it; a file without the column (written before it) reads as
 * unfeatured. */
static void test_feature_tagsfile(void **state)
{
    (void)state;
    kb_error err;
    kb_tag_options to = KB_TAG_OPTIONS_INIT;
    to.coder = "fz";
    kb_where s0 = {.by = KB_AT_SEGMENT, .kind = KB_SEG_SENTENCE, .index = 2};
    assert_int_equal(kb_tag_add(NULL, proj, "ip06", "struktur", &s0, &to, &err),
                     0);
    kb_tag_list *t = tags_of("fz");
    size_t start = kb_tag_list_get(t, 0)->start;
    kb_tag_list_free(t);
    kb_quote_list *l = quotes_of("ip06", 0);
    assert_int_equal(
        kb_quote_feature(proj, row_at(l, start, NULL), "fz", 1, &err), 0);

    char path[400], old[400];
    snprintf(path, sizeof path, "%s/fz.tsv", dir);
    snprintf(old, sizeof old, "%s/fz-old.tsv", dir);
    FILE *f = fopen(path, "wb");
    size_t written;
    assert_int_equal(kb_tags_write(f, &written, proj, "fz", &err), 0);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(written, 1);
    char *text = slurp(path);
    char *nl = strchr(text, '\n');
    assert_non_null(nl);
    assert_true(nl - text > 9 && !strncmp(nl - 9, "\tfeatured", 9));
    size_t len = strlen(text);
    assert_string_equal(text + len - 3, "\t1\n");

    /* read back into a project without it: featured */
    untag_all("fz");
    kb_tags_import_report rep;
    assert_int_equal(kb_tags_import(&rep, proj, path, NULL, &err), 0);
    assert_int_equal(rep.added, 1);
    t = tags_of("fz");
    assert_int_equal(kb_tag_list_get(t, 0)->featured, 1);
    kb_tag_list_free(t);

    /* taken back here, featured by the file again; a second import is the
     * same */
    kb_quote_list *l1 = quotes_of("ip06", 0);
    assert_int_equal(
        kb_quote_feature(proj, row_at(l1, start, NULL), "fz", 0, &err), 0);
    assert_int_equal(kb_tags_import(&rep, proj, path, NULL, &err), 0);
    assert_int_equal(rep.featured, 1);
    assert_int_equal(rep.same, 0);
    assert_int_equal(kb_tags_import(&rep, proj, path, NULL, &err), 0);
    assert_int_equal(rep.featured, 0);
    assert_int_equal(rep.same, 1);
    kb_quote_list *l2 = quotes_of("ip06", 0);
    assert_string_equal(row_at(l2, start, NULL)->featured_by, "fz");

    /* the file as written before the column: every line one field less */
    f = fopen(old, "wb");
    for (char *line = text; *line;) {
        char *end = strchr(line, '\n'), *tab = end;
        while (tab > line && *tab != '\t')
            tab--;
        fwrite(line, 1, (size_t)(tab - line), f);
        fputc('\n', f);
        line = end + 1;
    }
    assert_int_equal(fclose(f), 0);
    untag_all("fz");
    assert_int_equal(kb_tags_import(&rep, proj, old, NULL, &err), 0);
    assert_int_equal(rep.added, 1);
    t = tags_of("fz");
    assert_int_equal(kb_tag_list_count(t), 1);
    assert_int_equal(kb_tag_list_get(t, 0)->featured, 0);
    kb_tag_list_free(t);
    free(text);
    kb_quote_list_free(l2);
    kb_quote_list_free(l1);
    kb_quote_list_free(l);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_feature SOURCE_DIR\n");
        return 2;
    }
    source = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_feature_automatic),
        cmocka_unit_test(test_feature_tags),
        cmocka_unit_test(test_feature_rejected),
        cmocka_unit_test(test_feature_tagsfile),
        cmocka_unit_test(test_feature_reruns),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
