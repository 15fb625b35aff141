/*
 * test_engine.c: the prefiltered engine against the naive loop (the
 * oracle): on the sample corpus with our codebook, on shared external text,
 * and with randomly generated codebooks, their quotes must be equal. Also
 * required-literal extraction on the pattern shapes researchers write.
 * Usage: test_engine SOURCE_DIR [SHARED_DIR]
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
#include <unistd.h>

#include "codebook/codebook.h"
#include "engine/engine.h"
#include "codebook/literals.h"
#include "engine/litscan.h"

static const char *src_dir, *shared_dir;
static char tmp[64];

/* ---- literals ---------------------------------------------------------- */

static void expect_literals(const char *pattern, const char *want)
{
    kbi_literals l;
    assert_int_equal(kbi_literals_extract(&l, pattern), 0);
    char got[512] = "";
    for (size_t i = 0; i < l.n; i++) {
        if (i)
            strcat(got, "|");
        strncat(got, l.v[i], sizeof got - strlen(got) - 1);
    }
    if (strcmp(got, want))
        fail_msg("literals of %s: got '%s', want '%s'", pattern, got, want);
    kbi_literals_clear(&l);
}

/* Whether every match of the pattern begins with one of its literals. */
static void expect_lead(const char *pattern, int lead)
{
    kbi_literals l;
    assert_int_equal(kbi_literals_extract(&l, pattern), 0);
    if (l.lead != lead)
        fail_msg("literals of %s: lead %d, want %d", pattern, l.lead, lead);
    kbi_literals_clear(&l);
}

/* What the pattern puts right before its literals. */
static void expect_before(const char *pattern, int before)
{
    kbi_literals l;
    assert_int_equal(kbi_literals_extract(&l, pattern), 0);
    if (l.before != before)
        fail_msg("literals of %s: before %d, want %d", pattern, l.before,
                 before);
    kbi_literals_clear(&l);
}

static void test_literals(void **state)
{
    (void)state;
    expect_literals("\\bstem\\w*", "stem");
    expect_literals("\\b(?:vård|omsorg|stöd)\\b", "vård|omsorg|stöd");
    expect_literals("samverkan\\W+(?:\\w+\\W+){0,3}?kommun", "samverkan");
    expect_literals("(?<!inte )\\bviktig\\b", "viktig");
    expect_literals("\\p{Lu}\\p{Ll}+\\s+region\\w*", "region");
    expect_literals("\\bVVG\\b", "vvg");
    expect_literals("Åsa", "åsa");
    expect_literals("ab?c", "a");
    expect_literals("colou?r", "colo");
    expect_literals("(?:ab)+cd", "ab");
    expect_literals("x(?:ab)*", "x");
    expect_literals("a|b\\w", "a|b");
    expect_literals("a|\\w+", "");
    expect_literals("\\w+", "");
    expect_literals("[abc]+", "");
    expect_literals("(?x) a b c", "");
    expect_literals("\\Qa.b\\E", "a.b");
    expect_literals("kl\\. 9", "kl. 9");
    expect_literals("(?i)vård", "vård");
    expect_literals("(?=vård)\\w+", "");
    expect_literals("a{0,2}bcd", "bcd");
    expect_literals("(a)\\1xyz", "xyz");
    /* an escaped character, quantified whole */
    expect_literals("\\ö*", "");
    expect_literals("k\\ö+d", "kö");
    /* "\E" before a class's first character: its ']' is a member */
    expect_literals("[\\E]Q[]", "");
    expect_literals("[^\\Q\\E]]x|ab", "x|ab");
    /* a quantifier after a comment is the atom's before it */
    expect_literals("5(?#)?", "");
    expect_literals("ab(?#x)c", "abc");
    /* "[:" opens a POSIX class only when ":]" comes before any ']' */
    expect_literals("a[[:]|", "");
    expect_literals("[[:alpha:]]+kod", "kod");
    expect_literals("[[:]]kod|bok", "]kod|bok");
    /* a brace that is no quantifier is literal, its '|' an alternation */
    expect_literals("b{4||}", "");
    expect_literals("kod{x}bok", "kod{x}bok");
    expect_literals("ab{2}", "ab");
    /* a quantifier in PCRE2 10.43, literal before: no literals */
    expect_literals("x{,3}yz", "");
    expect_literals("x{ 2 }yz", "");

    expect_lead("\\bstem\\w*", 1);
    expect_lead("\\b(?:vård|omsorg|stöd)\\b", 1);
    expect_lead("samverkan\\W+(?:\\w+\\W+){0,3}?kommun", 1);
    expect_lead("(?<!inte )\\bviktig\\b", 1);
    expect_lead("(?=x)abc", 1);
    expect_lead("^(?i)colou?r", 1);
    expect_lead("(?:ab)+cd", 1);
    expect_lead("a+b", 1);
    expect_lead("a|b\\w", 1);
    expect_lead("\\p{Lu}\\p{Ll}+\\s+region\\w*", 0);
    expect_lead("x?abc", 0);
    expect_lead("a{0,2}bcd", 0);
    expect_lead("(a)\\1xyz", 0);
    expect_lead("[ab]cd", 0);
    expect_lead("(?:a|\\w)bc", 0);
    expect_lead("\\w+ (?:abc )+\\w", 0);
    expect_lead("abc|\\wx", 0);
    /* the match start moved or pinned, or a verb steering the search */
    expect_lead("ab\\Kcd", 0);
    expect_lead("\\Gabc", 0);
    expect_lead("abc(*SKIP)(*F)|bc", 0);

    expect_before("\\bstem\\w*", KBI_LIT_AFTER_BOUNDARY);
    expect_before("\\b(?:vård|omsorg|stöd)\\b", KBI_LIT_AFTER_BOUNDARY);
    expect_before("(?<!inte )\\bviktig\\b", KBI_LIT_AFTER_BOUNDARY);
    expect_before("\\p{Lu}\\p{Ll}+\\s+region\\w*", KBI_LIT_AFTER_SPACE);
    expect_before("\\w\\s(?=r)(?i)region", KBI_LIT_AFTER_SPACE);
    expect_before("\\s\\bregion", KBI_LIT_AFTER_BOUNDARY);
    expect_before("samverkan\\W+(?:\\w+\\W+){0,3}?kommun", KBI_LIT_ANY);
    expect_before("\\s*region", KBI_LIT_ANY);
    expect_before("\\s?region", KBI_LIT_ANY);
    expect_before("\\S+region", KBI_LIT_ANY);
    expect_before("\\bab?cdef", KBI_LIT_ANY); /* "cdef" follows a 'b' */
    expect_before("\\b(?:vård|\\w+ omsorg)", KBI_LIT_ANY);
    expect_before("x\\bab", KBI_LIT_ANY); /* one run "xab": nothing before */
    expect_before("\\bx|\\sy", KBI_LIT_ANY);
}

/* ---- the literal scan --------------------------------------------------- */

/* Every occurrence of every literal, against a search at each position:
 * literals of one to twelve bytes (so windows of every width), shared
 * windows, one literal for two ids, overlaps and the text's last bytes. */
static void test_litscan(void **state)
{
    (void)state;
    static const char *const sets[][8] = {
        {"a", "ab", "abc", "b", NULL},
        {"kommun", "kommi", "komm", "mun", "un", NULL},
        {"samverkan", "samverkansavtal", "verkan", "an", NULL},
        {"vård", "vårdcentral", "ård", "å", NULL},
        {"abcdefghijkl", "abcdefghijkx", "bcdefghijkl", "abcdefgh", NULL},
        {"xyz", "zz", "zzz", "zzzz", NULL},
    };
    const char *text = "kommunen kommer att samverka; samverkansavtalet med "
                       "vårdcentralen i kommunen. Ab abc ababc zzzzz "
                       "abcdefghijkl abcdefghijkx bcdefghijklm kommun";
    size_t n = strlen(text);
    char *padded = calloc(n + KBI_LITS_PAD, 1);
    memcpy(padded, text, n);
    for (size_t set = 0; set < sizeof sets / sizeof sets[0]; set++) {
        kbi_lits *l = kbi_lits_new();
        size_t nl = 0;
        for (; sets[set][nl]; nl++)
            assert_int_equal(kbi_lits_add(l, sets[set][nl],
                                          strlen(sets[set][nl]), (uint32_t)nl),
                             0);
        /* the first literal again for another id */
        assert_int_equal(
            kbi_lits_add(l, sets[set][0], strlen(sets[set][0]), 99), 0);
        assert_int_equal(kbi_lits_compile(l), 0);
        assert_int_equal(kbi_lits_count(l), nl);
        kbi_lit_hits h = {0};
        /* over every tail of the text, so each literal ends the text once */
        for (size_t from = 0; from < n; from += 7) {
            h.n = 0;
            assert_int_equal(kbi_lits_scan(l, padded + from, n - from, &h), 0);
            size_t want = 0;
            for (size_t at = from; at < n; at++)
                for (size_t i = 0; i < nl; i++) {
                    size_t len = strlen(sets[set][i]);
                    if (at + len > n || memcmp(text + at, sets[set][i], len))
                        continue;
                    want++;
                    /* hits come in order of position */
                    int found = 0;
                    for (size_t j = 0; j < h.n && !found; j++) {
                        size_t nids;
                        const uint32_t *ids =
                            kbi_lits_ids(l, h.v[j].lit, &nids);
                        found = h.v[j].at == at - from &&
                                (ids[0] == i || (nids > 1 && ids[1] == i));
                        if (found && i == 0)
                            assert_true(nids == 2 &&
                                        (ids[0] == 99 || ids[1] == 99));
                    }
                    if (!found)
                        fail_msg("set %zu: '%s' at %zu not found", set,
                                 sets[set][i], at);
                }
            for (size_t j = 1; j < h.n; j++)
                assert_true(h.v[j - 1].at <= h.v[j].at);
            assert_int_equal(h.n, want);
        }
        free(h.v);
        kbi_lits_free(l);
    }
    free(padded);
}

/* ---- the engines on real text ------------------------------------------ */

static kb_project *project;

static void import_dir(const char *dir, const char *glob)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "ls %s/%s 2>/dev/null > %s/list", dir, glob, tmp);
    assert_int_equal(system(cmd), 0);
    char list[600];
    snprintf(list, sizeof list, "%s/list", tmp);
    FILE *f = fopen(list, "r");
    assert_non_null(f);
    char line[512];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        const char *paths[] = {line};
        kb_error err;
        assert_int_equal(kb_project_import(project, paths, 1, NULL, &err), 0);
    }
    fclose(f);
}

static int setup(void **state)
{
    (void)state;
    fixture_tmpdir(tmp, sizeof tmp, "engine");
    char db[128];
    snprintf(db, sizeof db, "%s/p.db", tmp);
    kb_error err;
    assert_int_equal(kb_project_init(&project, db, &err), 0);
    fixture_import_sample(project, src_dir);
    /* Folds that change a character's length (İ, K the Kelvin sign, the ﬁ
     * ligature, ẞ): this document is folded a segment at a time. */
    char path[160];
    snprintf(path, sizeof path, "%s/folds.txt", tmp);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    for (int i = 0; i < 40; i++)
        fprintf(
            f,
            "R: İstanbul och SAMVERKAN i Göteborg, %d \u212A. ﬁnansiering av "
            "vården, ẞTRASSE och Straße. Åsa är CHEF över sjukhus.\n\n"
            "I: Hvad säger KOMMUN och REGION om nivå %d? Jag vet inte.\n\n",
            i, i);
    fclose(f);
    const char *paths[] = {path};
    assert_int_equal(kb_project_import(project, paths, 1, NULL, &err), 0);
    if (shared_dir) {
        char dir[600];
        snprintf(dir, sizeof dir, "%s/corpora-external/transcripts",
                 shared_dir);
        import_dir(dir, "swedracor_strindberg-*.txt");
        snprintf(dir, sizeof dir, "%s/corpora-external/running-text",
                 shared_dir);
        import_dir(dir, "ud_sv_*.txt");
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    kb_project_free(project);
    return fixture_rmdir(tmp);
}

/* Codes every document with both engines and compares; returns quotes. */
static size_t compare_engines(const kb_codebook *cb)
{
    kbi_engine *naive, *fast;
    kb_error err;
    kbi_engine_jit(cb, NULL); /* as a full run does */
    assert_int_equal(kbi_engine_new(&naive, cb, 1, &err), 0);
    assert_int_equal(kbi_engine_new(&fast, cb, 0, &err), 0);
    unsigned char *mask = malloc(kb_codebook_count(cb));
    memset(mask, 1, kb_codebook_count(cb));
    kb_doc_list *docs;
    assert_int_equal(kb_project_docs(&docs, project, &err), 0);
    size_t total = 0;
    for (size_t i = 0; i < kb_doc_list_count(docs); i++) {
        kb_document *d;
        const char *name = kb_doc_list_get(docs, i)->name;
        assert_int_equal(kb_document_load(&d, project, name, 0, &err), 0);
        kbi_quotes a = {0}, b = {0};
        assert_int_equal(kbi_engine_code(naive, d, mask, &a, NULL, NULL, &err),
                         0);
        assert_int_equal(kbi_engine_code(fast, d, mask, &b, NULL, NULL, &err),
                         0);
        if (a.n != b.n)
            fail_msg("%s: naive %zu quotes, prefiltered %zu", name, a.n, b.n);
        for (size_t k = 0; k < a.n; k++)
            if (memcmp(&a.v[k], &b.v[k], sizeof a.v[k]))
                fail_msg("%s: quote %zu differs (concept %s)", name, k,
                         kb_codebook_get(cb, a.v[k].concept)->id);
        total += a.n;
        free(a.v);
        free(b.v);
        kb_document_free(d);
    }
    kb_doc_list_free(docs);
    free(mask);
    kbi_engine_free(naive);
    kbi_engine_free(fast);
    return total;
}

static void test_sample_codebook(void **state)
{
    (void)state;
    char path[600];
    snprintf(path, sizeof path, "%s/codebooks/vardsamverkan.yaml", src_dir);
    kb_codebook *cb;
    kb_error err;
    assert_int_equal(kb_codebook_load(&cb, path, &err), 0);
    assert_true(compare_engines(cb) > 500);
    kb_codebook_free(cb);
}

/* Deterministic pseudo-random numbers (xorshift). */
static uint64_t rng = 88172645463325252ULL;
static unsigned rnd(unsigned n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng % n);
}

static const char *const WORDS[] = {
    "samverkan", "kommun",  "region", "vård",  "patient", "nivå",
    "ansvar",    "pengar",  "möte",   "chef",  "hvad",    "jag",
    "det",       "inte",    "att",    "och",   "SIP",     "VVG",
    "Göteborg",  "sjukhus", "läkare", "tid",   "ja",      "är",
    "bra",       "hon",     "han",    "också", "Åsa",     "över",
};
#define NWORDS (sizeof WORDS / sizeof WORDS[0])

static void random_pattern(char *out, size_t n)
{
    const char *a = WORDS[rnd(NWORDS)], *b = WORDS[rnd(NWORDS)],
               *c = WORDS[rnd(NWORDS)];
    switch (rnd(14)) {
    case 0:
        snprintf(out, n, "\\b%s\\w*", a);
        break;
    case 1:
        snprintf(out, n, "\\b(?:%s|%s|%s)\\b", a, b, c);
        break;
    case 2:
        snprintf(out, n, "%s\\W+(?:\\w+\\W+){0,3}?%s", a, b);
        break;
    case 3:
        snprintf(out, n, "(?<!inte )\\b%s\\b", a);
        break;
    case 4:
        snprintf(out, n, "\\p{Lu}\\p{Ll}+\\s+%s\\w*", a);
        break;
    case 5:
        snprintf(out, n, "%.*s?%s", 3, a, b); /* an optional letter */
        break;
    case 6:
        snprintf(out, n, "(?:%s)?\\s*%s|%s", a, b, c);
        break;
    case 7:
        snprintf(out, n, "\\b\\w{3}%s", a);
        break;
    case 8:
        snprintf(out, n, "[sk]\\w+ %s", c);
        break;
    case 9:
        snprintf(out, n, "\\w+ (?:%s )+\\w", a);
        break;
    case 10:
        snprintf(out, n, "\\b%s(?: %s)?", a, b);
        break;
    case 11: /* \K moves the match start */
        snprintf(out, n, "%s\\K\\W+\\w+", a);
        break;
    case 12: /* (*SKIP) steers the search past a later start */
        snprintf(out, n, "%s(*SKIP)(*F)|%s", a,
                 a + ((unsigned char)a[0] >= 0xC0 ? 2 : 1));
        break;
    default: /* \G: at the segment's start only */
        snprintf(out, n, "\\G\\W*%s", a);
        break;
    }
}

/* Facet values of every kind: literals that lead, literals that do not,
 * none at all (run on every quote), and a value without patterns. */
static void random_facets(FILE *f)
{
    fprintf(f, "facets:\n  - id: niva\n    default: ingen\n    values:\n");
    fprintf(f, "      - { id: v1, patterns: ['\\b%s\\w*'] }\n",
            WORDS[rnd(NWORDS)]);
    fprintf(f, "      - { id: v2, patterns: ['\\p{Lu}{3}'] }\n");
    fprintf(f, "      - { id: v3, patterns: ['\\w %s', '%s\\b'] }\n",
            WORDS[rnd(NWORDS)], WORDS[rnd(NWORDS)]);
    fprintf(f, "      - { id: ingen }\n");
}

static void test_random_codebooks(void **state)
{
    (void)state;
    char path[128];
    size_t quotes = 0;
    snprintf(path, sizeof path, "%s/random.yaml", tmp);
    for (int round = 0; round < 6; round++) {
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fprintf(f, "kodbok: 1\nname: slump %d\n", round);
        fprintf(f, "defaults: { speakers: all }\nthemes:\n");
        for (int t = 0; t < 4; t++) {
            fprintf(f, "  - id: t%d\n    concepts:\n", t);
            for (int c = 0; c < 8; c++) {
                static const char *const scopes[] = {"sentence", "paragraph",
                                                     "turn"};
                fprintf(f, "      - id: c%d-%d\n        scope: %s\n", t, c,
                        scopes[rnd(3)]);
                if (rnd(4) == 0)
                    fprintf(f, "        caseless: false\n");
                fprintf(f, "        patterns:\n");
                for (unsigned k = 0, np = 1 + rnd(3); k < np; k++) {
                    char pat[256];
                    random_pattern(pat, sizeof pat);
                    fprintf(f, "          - '%s'\n", pat);
                }
                if (rnd(5) == 0)
                    fprintf(f, "        exclude: ['\\b%s\\b']\n",
                            WORDS[rnd(NWORDS)]);
            }
        }
        random_facets(f);
        fclose(f);
        kb_codebook *cb;
        kb_error err;
        char msg[1200];
        if (kb_codebook_load(&cb, path, &err))
            fail_msg("random codebook: %s",
                     kb_error_format(&err, msg, sizeof msg));
        quotes += compare_engines(cb);
        kb_codebook_free(cb);
    }
    assert_true(quotes > 1000);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_engine SOURCE_DIR [SHARED_DIR]\n");
        return 2;
    }
    src_dir = argv[1];
    if (argc > 2 && access(argv[2], R_OK) == 0)
        shared_dir = argv[2];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_literals),
        cmocka_unit_test(test_litscan),
        cmocka_unit_test(test_sample_codebook),
        cmocka_unit_test(test_random_codebooks),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
