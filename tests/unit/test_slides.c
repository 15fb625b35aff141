/*
 * test_slides.c: the deck of kb_slides_write on the sample corpus coded with
 * our codebook. What each slide should hold is worked out here on its own:
 * slide order from the codebook file, each slide's quotes from
 * kb_project_quotes filtered by theme and level (not from the matrix the
 * deck is built with), the overview's counts by counting those quotes.
 * Then the pages (continuations), --max-quotes, --max-words, per theme,
 * the errors, and the files written.
 * Usage: test_slides SOURCE_DIR
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
#include <sys/stat.h>
#include <utf8proc.h>

#include "export/slides.h"
#include "kodbok.h"

static const char *source;
static char dir[256], db_path[300], cb_path[512];
static kb_project *proj;
static kb_codebook *cb;

static int setup(void **state)
{
    (void)state;
    fixture_tmpdir(dir, sizeof dir, "slides");
    snprintf(db_path, sizeof db_path, "%s/p.db", dir);
    snprintf(cb_path, sizeof cb_path, "%s/codebooks/vardsamverkan.yaml",
             source);
    proj = fixture_sample(source, db_path, cb_path);
    kb_error err;
    assert_int_equal(kb_codebook_load(&cb, cb_path, &err), 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    kb_codebook_free(cb);
    kb_project_free(proj);
    return fixture_rmdir(dir);
}

/* ------------------------------------------------------------------------ */
/* The codebook's order, read from the codebook itself                       */
/* ------------------------------------------------------------------------ */

/* Node indexes of a kind under a parent (KB_NO_INDEX: any), in file order. */
static size_t nodes(size_t *out, kb_code_kind kind, size_t parent)
{
    size_t n = 0;
    for (size_t i = 0; i < kb_codebook_count(cb); i++) {
        const kb_code_info *c = kb_codebook_get(cb, i);
        if (c->kind == kind && (parent == KB_NO_INDEX || c->parent == parent))
            out[n++] = i;
    }
    return n;
}

static const kb_code_info *node(size_t i)
{
    return kb_codebook_get(cb, i);
}

/* The level values, in the facet's order. */
static size_t levels(size_t *out)
{
    size_t facet = kb_codebook_find(cb, KB_CODE_FACET, "level");
    assert_true(facet != KB_NO_INDEX);
    return nodes(out, KB_CODE_VALUE, facet);
}

/* The quotes of one theme (and level, if given), as the filter gives them. */
static kb_quote_list *quotes_of(const char *theme, const char *level)
{
    kb_quote_filter f = {0};
    f.theme = theme;
    if (level) {
        f.facet = "level";
        f.facet_value = level;
    }
    kb_quote_list *l;
    kb_error err;
    assert_int_equal(kb_project_quotes(&l, proj, &f, &err), 0);
    return l;
}

/* Does a deck text equal a quote's text? The deck makes tabs spaces. */
static int same_text(const char *deck, const char *text)
{
    for (; *deck && *text; deck++, text++)
        if (*deck != (*text == '\t' ? ' ' : *text))
            return 0;
    return !*deck && !*text;
}

/* The quote slides and the overview only, each quote followed by its
 * whole provenance: what the checks below read. */
static kb_slides_options quotes_only(void)
{
    kb_slides_options o = KB_SLIDES_OPTIONS_INIT;
    o.parts = KB_SLIDES_OVERVIEW;
    o.cite = KB_CITE_FULL;
    return o;
}

/*
 * How well a quote stands alone, by the rule of docs/slides.md: 2 for a
 * complete sentence (its first letter a capital, its last character a
 * full stop, question or exclamation mark or ellipsis, quotation marks
 * aside), plus 2 for 12 to 60 words or 1 for 6 to 100.
 */
static int standing(const kb_quote_row *q)
{
    const char *t = q->text;
    size_t n = strlen(t);
    while (n && (t[n - 1] == ' ' || t[n - 1] == '"' || t[n - 1] == '\''))
        n--;
    utf8proc_int32_t first = 0, last = 0, cp;
    for (size_t i = 0; i < n;) {
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)t + i,
                                              (utf8proc_ssize_t)(n - i), &cp);
        assert_true(k > 0);
        utf8proc_category_t c = utf8proc_category(cp);
        if (!first && c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO)
            first = cp;
        last = cp;
        i += (size_t)k;
    }
    int complete =
        first && utf8proc_category(first) == UTF8PROC_CATEGORY_LU &&
        (last == '.' || last == '?' || last == '!' || last == 0x2026);
    size_t w = q->words;
    return 2 * complete + (w >= 12 && w <= 60 ? 2 : (w >= 6 && w <= 100));
}

static kbi_deck *deck_with(const kb_slides_options *o)
{
    kbi_deck *d;
    kb_error err;
    int rc = kbi_slides_deck(&d, proj, o, &err);
    if (rc)
        fail_msg("kbi_slides_deck: %s", err.message);
    return d;
}

/* ------------------------------------------------------------------------ */
/* Per theme and level                                                       */
/* ------------------------------------------------------------------------ */

/* Does a deck text equal a quote's text, or is it the quote shortened:
 * its pieces between "[...]" marks all in it, in order? */
static int same_or_cut(const char *deck, const char *text)
{
    if (same_text(deck, text))
        return 1;
    if (!strstr(deck, "[...]"))
        return 0;
    const char *at = text;
    for (const char *p = deck; *p;) {
        const char *mark = strstr(p, "[...]");
        size_t n = mark ? (size_t)(mark - p) : strlen(p);
        while (n && p[0] == ' ')
            p++, n--;
        while (n && p[n - 1] == ' ')
            n--;
        char piece[4096];
        snprintf(piece, sizeof piece, "%.*s", (int)n, p);
        const char *found = n ? strstr(at, piece) : at;
        if (!found)
            return 0;
        at = found + n;
        p = mark ? mark + 5 : p + strlen(p);
    }
    return 1;
}

/* The case a quote is shown with. */
static const char *case_of(const kb_quote_row *q)
{
    return q->case_id ? q->case_id : q->document;
}

/*
 * Checks slide s against the quotes of its cell: each concept of the theme
 * that has quotes there, in codebook order, its label in bold, then its
 * quotes in list order, each followed by its case in italics, and then
 * "+ N citat till" for those not shown. With a maximum `max`, exactly the
 * quotes the rule of docs/slides.md picks (worked out here: each time the
 * quote whose case is quoted least on the slide so far, then one that
 * stands alone best, then the first); without one, all of them unless the
 * slide was made fewer to fit. A quote may be shortened with "[...]" where
 * the slide needed it. With `level_shown`, each case is followed by the
 * quote's level labels. Returns the quotes in the cell.
 */
static size_t check_cell(const kbi_deck_slide *s, size_t theme,
                         const kb_quote_list *l, size_t max, int level_shown)
{
    size_t concepts[128], nc = nodes(concepts, KB_CODE_CONCEPT, theme);
    size_t p = 0;
    const char *on_slide[1024]; /* the cases quoted so far */
    size_t non = 0;
    for (size_t k = 0; k < nc; k++) {
        const kb_code_info *c = node(concepts[k]);
        size_t n = 0;
        for (size_t i = 0; i < kb_quote_list_count(l); i++)
            n += !strcmp(kb_quote_list_get(l, i)->concept, c->id);
        if (!n)
            continue;
        assert_true(p < s->nparas);
        const kbi_deck_para *label = &s->paras[p++];
        assert_int_equal(label->level, 0);
        assert_int_equal(label->nruns, 1);
        assert_int_equal(label->runs[0].style, KBI_RUN_BOLD);
        assert_string_equal(label->runs[0].text, c->label);
        /* how many are shown: max, or what the slide holds */
        size_t shown = 0;
        while (p + shown < s->nparas && s->paras[p + shown].quote)
            shown++;
        assert_true(shown > 0 && shown <= n);
        if (max)
            assert_int_equal(shown, n < max ? n : max);
        assert_true(kb_quote_list_count(l) < 1024);
        char picked[1024] = {0};
        for (size_t k2 = 0; k2 < shown; k2++) {
            size_t best = SIZE_MAX, bt = 0;
            int bs = 0;
            for (size_t i = 0; i < kb_quote_list_count(l); i++) {
                const kb_quote_row *q = kb_quote_list_get(l, i);
                if (strcmp(q->concept, c->id) || picked[i])
                    continue;
                size_t t = 0;
                for (size_t j = 0; j < non; j++)
                    t += !strcmp(on_slide[j], case_of(q));
                for (size_t j = 0; j < kb_quote_list_count(l); j++)
                    t += picked[j] &&
                         !strcmp(case_of(kb_quote_list_get(l, j)), case_of(q));
                int st = standing(q);
                if (best == SIZE_MAX || t < bt || (t == bt && st > bs))
                    best = i, bt = t, bs = st;
            }
            picked[best] = 1;
        }
        for (size_t i = 0; i < kb_quote_list_count(l); i++) {
            const kb_quote_row *q = kb_quote_list_get(l, i);
            if (!picked[i])
                continue;
            assert_true(non < 1024);
            on_slide[non++] = case_of(q);
            assert_true(p < s->nparas);
            const kbi_deck_para *qp = &s->paras[p++];
            assert_int_equal(qp->level, 1);
            assert_int_equal(qp->nruns, 2);
            assert_int_equal(qp->runs[0].style, KBI_RUN_PLAIN);
            if (!same_or_cut(qp->runs[0].text, q->text))
                fail_msg("slide '%s': '%s' is not '%s'", s->title,
                         qp->runs[0].text, q->text);
            assert_non_null(qp->note);
            assert_int_equal(strncmp(qp->note, case_of(q), strlen(case_of(q))),
                             0);
            assert_int_equal(qp->runs[1].style, KBI_RUN_ITALIC);
            char want[256];
            int w = snprintf(want, sizeof want, " (%s", case_of(q));
            /* the levels in the facet's order (the list holds them as
             * stored, which is by id) */
            size_t vals[16], nv = level_shown ? levels(vals) : 0;
            for (size_t j = 0; j < nv; j++) {
                char list[128], id[64];
                snprintf(list, sizeof list, ",%s,", q->facets[0]);
                snprintf(id, sizeof id, ",%s,", node(vals[j])->id);
                if (strstr(list, id))
                    w += snprintf(want + w, sizeof want - (size_t)w, ", %s",
                                  node(vals[j])->label);
            }
            /* then who coded it, or nothing */
            assert_int_equal(strncmp(qp->runs[1].text, want, strlen(want)), 0);
            assert_true(qp->runs[1].text[strlen(want)] == ')' ||
                        qp->runs[1].text[strlen(want)] == ',');
        }
        if (shown < n) {
            char more[64];
            snprintf(more, sizeof more, "+ %zu citat till", n - shown);
            assert_true(p < s->nparas);
            assert_int_equal(s->paras[p].level, 1);
            assert_string_equal(s->paras[p].runs[0].text, more);
            assert_int_equal(s->paras[p].runs[0].style, KBI_RUN_ITALIC);
            p++;
        }
    }
    assert_int_equal(p, s->nparas);
    return kb_quote_list_count(l);
}

/* The theme-and-level slides of a deck, checked one by one. */
static void check_theme_level(const kbi_deck *d, size_t max)
{
    size_t themes[32], nt = nodes(themes, KB_CODE_THEME, KB_NO_INDEX);
    size_t vals[16], nv = levels(vals);
    assert_string_equal(d->slides[0].title, "Översikt: antal citat");
    size_t slide = 1;
    size_t cells = 0;
    for (size_t t = 0; t < nt; t++)
        for (size_t v = 0; v < nv; v++) {
            kb_quote_list *l =
                quotes_of(node(themes[t])->id, node(vals[v])->id);
            if (kb_quote_list_count(l)) {
                char title[256];
                snprintf(title, sizeof title, "%s: %s", node(themes[t])->label,
                         node(vals[v])->label);
                assert_true(slide < d->nslides);
                assert_string_equal(d->slides[slide].title, title);
                check_cell(&d->slides[slide], themes[t], l, max, 0);
                slide++;
                cells++;
            }
            kb_quote_list_free(l);
        }
    assert_int_equal(slide, d->nslides);
    assert_true(cells > 20); /* 8 themes, mostly at 3 levels or 4 */
}

static void test_theme_level(void **state)
{
    (void)state;
    kb_slides_options o = quotes_only();
    kbi_deck *d = deck_with(&o);
    check_theme_level(d, 0);
    /* the title page: the codebook's name, the counts, the run */
    assert_string_equal(d->title, kb_codebook_name(cb));
    kb_quote_list *all = quotes_of(NULL, NULL);
    char sub[128];
    snprintf(sub, sizeof sub,
             "Citat per tema och nivå – %zu citat ur 11 dokument",
             kb_quote_list_count(all));
    assert_string_equal(d->subtitle, sub);
    assert_int_equal(strncmp(d->date, "körning 1, 20", 14), 0);
    kb_quote_list_free(all);
    kbi_deck_free(d);
}

/* The seed study's titles are among ours (slides 7 to 9 of the seed). */
static void test_seed_titles(void **state)
{
    (void)state;
    kb_slides_options o = KB_SLIDES_OPTIONS_INIT;
    kbi_deck *d = deck_with(&o);
    static const char *const want[] = {
        "Struktur: Regional nivå", "Struktur: Delregional nivå",
        "Struktur: Lokal nivå", "Dokument, strategi, vision: Lokal nivå"};
    size_t found = 0;
    for (size_t w = 0; w < 4; w++)
        for (size_t i = 0; i < d->nslides; i++)
            found += !strcmp(d->slides[i].title, want[w]);
    assert_int_equal(found, 4);
    kbi_deck_free(d);
}

/* The overview, counted here from the quote list. */
static void test_overview(void **state)
{
    (void)state;
    kb_slides_options o = quotes_only();
    kbi_deck *d = deck_with(&o);
    const kbi_deck_slide *t = &d->slides[0];
    size_t themes[32], nt = nodes(themes, KB_CODE_THEME, KB_NO_INDEX);
    size_t vals[16], nv = levels(vals);
    assert_int_equal(t->ncols, nv + 2);
    assert_int_equal(t->nrows, nt + 2); /* header, themes, totals */
    assert_string_equal(t->cells[0], "Tema");
    assert_string_equal(t->cells[nv + 1], "Totalt");
    for (size_t v = 0; v < nv; v++)
        assert_string_equal(t->cells[v + 1], node(vals[v])->label);
    kb_quote_list *all = quotes_of(NULL, NULL);
    assert_int_equal(kb_quote_list_facets(all), 1);
    assert_string_equal(kb_quote_list_facet(all, 0), "level");
    size_t total = 0;
    for (size_t r = 0; r <= nt; r++) {
        const char *const *row =
            (const char *const *)t->cells + (r + 1) * t->ncols;
        assert_string_equal(row[0], r < nt ? node(themes[r])->label : "Totalt");
        size_t in_row = 0;
        for (size_t v = 0; v <= nv; v++) {
            size_t n = 0;
            for (size_t i = 0; i < kb_quote_list_count(all); i++) {
                const kb_quote_row *q = kb_quote_list_get(all, i);
                if (r < nt && strcmp(q->theme, node(themes[r])->id))
                    continue;
                /* a quote with two levels counts in both, once in a total */
                int in = 0;
                for (size_t k = 0; k < nv; k++) {
                    char list[128];
                    snprintf(list, sizeof list, ",%s,", q->facets[0]);
                    char id[64];
                    snprintf(id, sizeof id, ",%s,", node(vals[k])->id);
                    if ((v == nv || k == v) && strstr(list, id))
                        in = 1;
                }
                n += in;
            }
            char num[32];
            snprintf(num, sizeof num, "%zu", n);
            assert_string_equal(row[v + 1], num);
            if (r < nt && v == nv)
                in_row += n;
        }
        if (r < nt)
            total += in_row;
    }
    /* every quote has one level at least (the facet has a default) */
    assert_int_equal(total, kb_quote_list_count(all));
    kb_quote_list_free(all);
    kbi_deck_free(d);
}

/* Pages: long slides continue on "(forts.)" pages with the label again. */
static void test_continuation(void **state)
{
    (void)state;
    kb_slides_options o = quotes_only();
    kbi_deck *d = deck_with(&o);
    kbi_deck_pages pages = {0};
    kb_error err;
    assert_int_equal(kbi_deck_paginate(&pages, d, &err), 0);
    size_t conts = 0, slide = 0, repeated = 0;
    assert_int_equal(pages.v[0].kind, KBI_PAGE_COVER);
    for (size_t i = 1; i < pages.n; i++) {
        const kbi_deck_page *pg = &pages.v[i];
        if (!pg->cont) {
            assert_ptr_equal(pg->slide, &d->slides[slide]);
            assert_string_equal(pg->title, d->slides[slide].title);
            slide++;
            continue;
        }
        conts++;
        assert_ptr_equal(pg->slide, &d->slides[slide - 1]);
        char want[300];
        snprintf(want, sizeof want, "%s (forts.)", pg->slide->title);
        assert_string_equal(pg->title, want);
        if (pg->kind != KBI_PAGE_TEXT)
            continue;
        /* a page that goes on with a concept's quotes starts with its label */
        const kbi_deck_piece *first = &pg->pieces[0];
        const kbi_deck_para *para = &pg->slide->paras[first->para];
        assert_int_equal(para->level, 0);
        repeated += pg->npieces > 1 && pg->pieces[1].para != first->para + 1;
    }
    assert_int_equal(slide, d->nslides);
    assert_true(conts > 10);
    assert_true(repeated > 0);
    kbi_deck_pages_free(&pages);
    kbi_deck_free(d);
}

/* Collects a piece's text (kbi_deck_piece_each). */
typedef struct collected {
    char *s;
    size_t n, cap;
} collected;

static int collect(void *ctx, const char *s, size_t n, unsigned style)
{
    (void)style;
    collected *c = ctx;
    if (n > c->cap - c->n)
        return 1; /* more text than the quote holds */
    memcpy(c->s + c->n, s, n);
    c->n += n;
    return 0;
}

/* A quote of 3 million words is laid out in one pass over its text (a
 * quadratic layout takes hours here; ctest's timeout is the guard), and its
 * pages' pieces put together are the quote: nothing lost or repeated where
 * a page ends, across the runs it is made of. */
static void test_long_quote(void **state)
{
    (void)state;
    static const char *words[] = {
        "vårdcentralen", "och", "kommunen",      "samverkar", "kring", "äldre",
        "patienter",     "i",   "hemsjukvården", "varje",     "vecka"};
    size_t nwords = 3000000, cap = nwords * 16 + 64;
    char *text = malloc(cap);
    assert_non_null(text);
    size_t n = 0;
    for (size_t i = 0; i < nwords; i++)
        n += (size_t)snprintf(text + n, cap - n, "%s%s", i ? " " : "",
                              words[(i * 7 + i / 11) % 11]);
    kbi_deck *d;
    kb_error err;
    assert_int_equal(kbi_deck_new(&d, "Lång", NULL, NULL, &err), 0);
    assert_int_equal(kbi_deck_slide_add(d, "Tema", &err), 0);
    assert_int_equal(kbi_deck_para_add(d, 0, &err), 0);
    assert_int_equal(kbi_deck_run_add(d, KBI_RUN_BOLD, "Samverkan", &err), 0);
    assert_int_equal(kbi_deck_para_add(d, 1, &err), 0);
    assert_int_equal(kbi_deck_run_add(d, KBI_RUN_BOLD, "ip01: ", &err), 0);
    assert_int_equal(kbi_deck_run_add(d, KBI_RUN_PLAIN, text, &err), 0);
    assert_int_equal(kbi_deck_run_add(d, KBI_RUN_BOLD, " (slut)", &err), 0);
    kbi_deck_pages pages = {0};
    assert_int_equal(kbi_deck_paginate(&pages, d, &err), 0);
    collected c = {malloc(n + 13), 0, n + 13};
    assert_non_null(c.s);
    size_t pieces = 0;
    for (size_t i = 1; i < pages.n; i++)
        for (size_t k = 0; k < pages.v[i].npieces; k++) {
            const kbi_deck_piece *pc = &pages.v[i].pieces[k];
            if (pc->para != 1)
                continue;
            pieces++;
            assert_int_equal(
                kbi_deck_piece_each(pages.v[i].slide, pc, collect, &c), 0);
        }
    assert_true(pieces > 1000);
    assert_int_equal(c.n, n + 13);
    assert_memory_equal(c.s, "ip01: ", 6);
    assert_memory_equal(c.s + 6, text, n);
    assert_memory_equal(c.s + 6 + n, " (slut)", 7);
    free(c.s);
    free(text);
    kbi_deck_pages_free(&pages);
    kbi_deck_free(d);
}

static void test_max_quotes(void **state)
{
    (void)state;
    kb_slides_options o = quotes_only();
    o.max_quotes = 2;
    kbi_deck *d = deck_with(&o);
    check_theme_level(d, 2);
    size_t more = 0;
    for (size_t i = 1; i < d->nslides; i++)
        for (size_t p = 0; p < d->slides[i].nparas; p++)
            more += !!strstr(d->slides[i].paras[p].runs[0].text, "citat till");
    assert_true(more > 10);
    kbi_deck_free(d);
}

/* Words in s: runs of letters, digits and marks (as quotes count them). */
static size_t words(const char *s)
{
    size_t n = 0;
    int in = 0;
    utf8proc_int32_t cp;
    for (utf8proc_ssize_t k; *s; s += k) {
        k = utf8proc_iterate((const utf8proc_uint8_t *)s, -1, &cp);
        assert_true(k > 0);
        utf8proc_category_t c = utf8proc_category(cp);
        int w = (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_ND) ||
                c == UTF8PROC_CATEGORY_NL || c == UTF8PROC_CATEGORY_NO;
        n += w && !in;
        in = w;
    }
    return n;
}

static void test_max_words(void **state)
{
    (void)state;
    kb_slides_options o = quotes_only();
    o.max_words = 8;
    kbi_deck *d = deck_with(&o);
    size_t quotes = 0, cut = 0;
    for (size_t i = 1; i < d->nslides; i++)
        for (size_t p = 0; p < d->slides[i].nparas; p++) {
            const kbi_deck_para *q = &d->slides[i].paras[p];
            if (q->level != 1)
                continue;
            quotes++;
            assert_true(words(q->runs[0].text) <= 8);
            cut += !!strstr(q->runs[0].text, "[...]");
        }
    assert_true(quotes > 700);
    assert_true(cut > 100);
    kbi_deck_free(d);
}

/* Per theme: a slide per theme with its quotes, levels after the cases. */
static void test_per_theme(void **state)
{
    (void)state;
    kb_slides_options o = quotes_only();
    o.per = KB_SLIDES_THEME;
    kbi_deck *d = deck_with(&o);
    size_t themes[32], nt = nodes(themes, KB_CODE_THEME, KB_NO_INDEX);
    size_t slide = 1;
    assert_true(strstr(d->subtitle, "Citat per tema –") == d->subtitle);
    for (size_t t = 0; t < nt; t++) {
        kb_quote_list *l = quotes_of(node(themes[t])->id, NULL);
        if (kb_quote_list_count(l)) {
            assert_string_equal(d->slides[slide].title, node(themes[t])->label);
            check_cell(&d->slides[slide], themes[t], l, 0, 1);
            slide++;
        }
        kb_quote_list_free(l);
    }
    assert_int_equal(slide, d->nslides);
    assert_int_equal(slide, nt + 1);
    kbi_deck_free(d);
}

/* A filter narrows the deck: one theme's slides only. */
static void test_filter(void **state)
{
    (void)state;
    kb_quote_filter f = {0};
    f.theme = "ledarskap";
    kb_slides_options o = quotes_only();
    o.filter = &f;
    kbi_deck *d = deck_with(&o);
    for (size_t i = 1; i < d->nslides; i++)
        assert_int_equal(strncmp(d->slides[i].title, "Ledarskap: ", 11), 0);
    assert_true(d->nslides >= 4);
    kbi_deck_free(d);
}

static void test_errors(void **state)
{
    (void)state;
    kb_error err;
    kb_slides_options o = KB_SLIDES_OPTIONS_INIT;
    o.facet = "kön";
    assert_int_equal(kb_slides_write(NULL, proj, "/dev/null", &o, &err),
                     KB_EINVAL);
    assert_non_null(strstr(err.message, "no facet 'kön'"));
    kbi_deck *d;
    o.per = KB_SLIDES_THEME; /* needs no facet */
    o.parts = KB_SLIDES_OVERVIEW;
    assert_int_equal(kbi_slides_deck(&d, proj, &o, &err), 0);
    assert_int_equal(d->slides[0].ncols, 2); /* Tema, Citat */
    kbi_deck_free(d);
    o = (kb_slides_options)KB_SLIDES_OPTIONS_INIT;
    o.format = KB_SLIDES_PPTX;
    assert_int_equal(kb_slides_write(stdout, proj, NULL, &o, &err), KB_EINVAL);
    o.format = KB_SLIDES_MD;
    assert_int_equal(kb_slides_write(NULL, proj, NULL, &o, &err), KB_EINVAL);
    o.version = 99;
    assert_int_equal(kb_slides_write(NULL, proj, "x.md", &o, &err), KB_EINVAL);
    o = (kb_slides_options)KB_SLIDES_OPTIONS_INIT;
    kb_quote_filter f = {0};
    f.run = 7;
    o.filter = &f;
    assert_int_equal(kbi_slides_deck(&d, proj, &o, &err), KB_ENOENT);
    assert_null(d);
}

/* The quote paragraphs starting on each page of a multi-page slide. */
static size_t quotes_on(const kbi_deck_page *pg)
{
    size_t n = 0;
    for (size_t k = 0; k < pg->npieces; k++) {
        const kbi_deck_piece *pc = &pg->pieces[k];
        n += !pc->again && !pc->run0 && !pc->off0 &&
             pg->slide->paras[pc->para].quote;
    }
    return n;
}

/*
 * The whole deck as a user gets it: the outline first, its numbers those
 * of the pages each part is laid out on; the background counted from the
 * cases; every slide that takes several pages with three quotes or more on
 * each; each page's notes the provenance of the quotes that start on it.
 */
static void test_front(void **state)
{
    (void)state;
    kb_error err;
    /* a memo on the cell Struktur x regional is its slide's lead */
    const kb_memo_about cell = {KB_MEMO_CODE, "struktur", 0, "level=regional"};
    int64_t memo;
    assert_int_equal(kb_memo_add(&memo, proj, &cell, "anna",
                                 "Regionala chefer ser strukturen inifrån.",
                                 &err),
                     0);
    kb_slides_options o = KB_SLIDES_OPTIONS_INIT; /* the demo's deck */
    o.background = "method,level,gender";
    o.max_quotes = 3;
    kbi_deck *d = deck_with(&o);
    assert_int_equal(kb_memo_remove(proj, memo, 0, &err), 0);
    size_t leads = 0, figures = 0;
    for (size_t i = 0; i < d->nslides; i++) {
        const kbi_deck_slide *sl = &d->slides[i];
        figures += sl->figure && !strncmp(sl->title, "Kodningsstruktur", 16);
        if (!sl->nparas || !strstr(sl->title, ": "))
            continue;
        int lead = sl->paras[0].runs[0].style == KBI_RUN_ITALIC;
        assert_int_equal(lead, !strcmp(sl->title, "Struktur: Regional nivå"));
        if (lead)
            assert_string_equal(sl->paras[0].runs[0].text,
                                "Regionala chefer ser strukturen inifrån.");
        leads += lead;
    }
    assert_int_equal(leads, 1);
    assert_true(figures >= 2);
    kbi_deck_pages pages = {0};
    assert_int_equal(kbi_deck_paginate(&pages, d, &err), 0);
    const kbi_deck_slide *outline = &d->slides[0];
    assert_string_equal(outline->title, "Presentationens upplägg");
    /* each part's "(bild A–B)": the pages of the slides it names */
    for (size_t i = 0; i < outline->nparas; i++) {
        const kbi_deck_para *p = &outline->paras[i];
        assert_int_equal(p->nruns, 2);
        const char *label = p->runs[0].text;
        size_t lo = 0, hi = 0;
        for (size_t k = 0; k < pages.n; k++) {
            const kbi_deck_page *pg = &pages.v[k];
            if (!pg->slide)
                continue;
            const char *t = pg->slide->title;
            size_t n = strlen(label);
            int in = p->level ? !strncmp(t, label, n) && t[n] == ':'
                     : !strcmp(label, "Citat per tema och nivå")
                         ? pg->kind == KBI_PAGE_TEXT && strstr(t, ": ")
                         : !strncmp(t, label, n) &&
                               (!t[n] || !strcmp(t + n, " (forts.)"));
            if (in) {
                lo = lo ? lo : k + 1;
                hi = k + 1;
            }
        }
        assert_true(lo > 0);
        char want[64];
        if (lo == hi)
            snprintf(want, sizeof want, " (bild %zu)", lo);
        else
            snprintf(want, sizeof want, " (bild %zu–%zu)", lo, hi);
        assert_string_equal(p->runs[1].text, want);
    }
    assert_string_equal(outline->paras[0].runs[0].text,
                        "Respondenternas bakgrund");
    /* the background: a row per method, counted from the cases */
    const kbi_deck_slide *bg = &d->slides[1];
    assert_string_equal(bg->title, "Respondenternas bakgrund");
    assert_int_equal(bg->ncols, 4);
    assert_string_equal(bg->cells[0], "Method");
    assert_string_equal(bg->cells[1], "Antal respondenter");
    kb_case_list *cases;
    assert_int_equal(kb_project_cases(&cases, proj, &err), 0);
    size_t total = 0;
    for (size_t r = 1; r + 1 < bg->nrows; r++) {
        const char *method = bg->cells[r * 4];
        size_t n = 0, women = 0;
        for (size_t i = 0; i < kb_case_list_count(cases); i++) {
            const kb_case_info *c = kb_case_list_get(cases, i);
            int m = 0, w = 0;
            for (size_t a = 0; a < c->nattrs; a++) {
                m |= !strcmp(c->attr_names[a], "method") &&
                     !strcmp(c->attr_values[a], method);
                w |= !strcmp(c->attr_names[a], "gender") &&
                     !strcmp(c->attr_values[a], "kvinna");
            }
            n += m;
            women += m && w;
        }
        char num[32];
        snprintf(num, sizeof num, "%zu", n);
        assert_string_equal(bg->cells[r * 4 + 1], num);
        snprintf(num, sizeof num, "%zu kvinna", women);
        assert_non_null(strstr(bg->cells[r * 4 + 3], num));
        total += n;
    }
    assert_string_equal(bg->cells[(bg->nrows - 1) * 4], "Totalt");
    char num[32];
    snprintf(num, sizeof num, "%zu", kb_case_list_count(cases));
    assert_string_equal(bg->cells[(bg->nrows - 1) * 4 + 1], num);
    assert_int_equal(total, kb_case_list_count(cases));
    kb_case_list_free(cases);
    /* split slides: three quotes a page at least; notes a line per quote */
    size_t split = 0;
    for (size_t k = 1; k < pages.n; k++) {
        const kbi_deck_page *pg = &pages.v[k];
        if (pg->kind != KBI_PAGE_TEXT || !strstr(pg->slide->title, ": "))
            continue;
        int several = (k + 1 < pages.n && pages.v[k + 1].cont) || pg->cont;
        size_t q = quotes_on(pg);
        /* a count of quotes left out stays with the quotes it follows */
        for (size_t k2 = 0; k2 < pg->npieces; k2++)
            if (!pg->pieces[k2].again) {
                assert_false(pg->slide->paras[pg->pieces[k2].para].glued);
                break;
            }
        if (several) {
            split++;
            assert_true(q >= 3);
        }
        size_t lines = 0;
        for (const char *c = pg->notes; c && *c; c++)
            lines += *c == '\n';
        assert_non_null(pg->notes);
        assert_int_equal(lines + 1, q);
    }
    assert_true(split > 5);
    /* no quote carries its provenance on the slide */
    for (size_t i = 0; i < d->nslides; i++)
        for (size_t p = 0; p < d->slides[i].nparas; p++)
            if (d->slides[i].paras[p].quote)
                assert_int_equal(d->slides[i].paras[p].nruns, 1);
    kbi_deck_pages_free(&pages);
    kbi_deck_free(d);
}

/* What follows a quote on a slide: its case, or a label of its case's
 * attributes; a label naming no attribute is refused. */
static void test_cite(void **state)
{
    (void)state;
    kb_slides_options o = quotes_only();
    o.cite = KB_CITE_CASE;
    kbi_deck *d = deck_with(&o);
    size_t checked = 0;
    for (size_t i = 1; i < d->nslides; i++)
        for (size_t p = 0; p < d->slides[i].nparas; p++) {
            const kbi_deck_para *q = &d->slides[i].paras[p];
            if (!q->quote)
                continue;
            /* the note opens with the case the slide shows */
            char want[64];
            snprintf(want, sizeof want, " (%.*s)", (int)strcspn(q->note, " :"),
                     q->note);
            assert_string_equal(q->runs[1].text, want);
            checked++;
        }
    assert_true(checked > 700);
    kbi_deck_free(d);
    o.cite = KB_CITE_LABEL;
    o.label = "{role}, {level}";
    d = deck_with(&o);
    const kbi_deck_para *q = NULL;
    for (size_t i = 1; i < d->nslides && !q; i++)
        for (size_t p = 0; p < d->slides[i].nparas && !q; p++)
            if (d->slides[i].paras[p].quote &&
                !strncmp(d->slides[i].paras[p].note, "ip03 ", 5))
                q = &d->slides[i].paras[p];
    assert_non_null(q);
    assert_string_equal(q->runs[1].text,
                        " (Chef, regional utveckling, regional)");
    assert_non_null(strstr(q->note, "ip03 – Chef, regional utveckling, "
                                    "regional"));
    kbi_deck_free(d);
    o.label = "{roll}, {nivå}";
    kb_error err;
    assert_int_equal(kbi_slides_deck(&d, proj, &o, &err), KB_EINVAL);
    assert_non_null(strstr(err.message, "'{roll}'"));
    assert_non_null(strstr(err.message, "role"));
    o.label = "{role";
    assert_int_equal(kbi_slides_deck(&d, proj, &o, &err), KB_EINVAL);
    o.label = NULL;
    o.background = "metod";
    o.parts = KB_SLIDES_ALL;
    assert_int_equal(kbi_slides_deck(&d, proj, &o, &err), KB_EINVAL);
    assert_non_null(strstr(err.message, "'metod'"));
}

/* Swedish quotation marks and the omission mark asked for. */
static void test_marks(void **state)
{
    (void)state;
    kb_slides_options o = quotes_only();
    o.cite = KB_CITE_NONE;
    o.marks = KB_MARKS_SV;
    o.max_words = 10;
    o.omission = "[ ]";
    kbi_deck *d = deck_with(&o);
    size_t quotes = 0, cut = 0;
    for (size_t i = 1; i < d->nslides; i++)
        for (size_t p = 0; p < d->slides[i].nparas; p++) {
            const kbi_deck_para *q = &d->slides[i].paras[p];
            if (!q->quote)
                continue;
            const char *t = q->runs[0].text;
            size_t n = strlen(t);
            assert_int_equal(strncmp(t, "”", 3), 0);
            assert_string_equal(t + n - 3, "”");
            /* the quote's own marks made single */
            assert_true(strstr(t + 3, "”") == t + n - 3);
            cut += !!strstr(t, "[ ]");
            assert_null(strstr(t, "[…]"));
            quotes++;
        }
    assert_true(quotes > 700);
    assert_true(cut > 100);
    kbi_deck_free(d);
}

/* A featured quote comes first and is shown where one is; featured_only
 * shows the featured quotes alone, and no slide without one. */
static void test_featured(void **state)
{
    (void)state;
    kb_error err;
    /* the last quote of the concept with most quotes in Struktur x lokal */
    kb_quote_list *l = quotes_of("struktur", "lokal");
    const kb_quote_row *pick = NULL;
    size_t most = 0;
    for (size_t i = 0; i < kb_quote_list_count(l); i++) {
        const kb_quote_row *q = kb_quote_list_get(l, i);
        size_t n = 0;
        for (size_t j = 0; j < kb_quote_list_count(l); j++)
            n += !strcmp(kb_quote_list_get(l, j)->concept, q->concept);
        if (n >= most) {
            most = n;
            pick = q;
        }
    }
    assert_true(most >= 2);
    assert_int_equal(kb_quote_feature(proj, pick, "anna", 1, &err), 0);
    char *text = strdup(pick->text), *concept = strdup(pick->concept_label);
    kb_quote_list_free(l);
    kb_slides_options o = quotes_only();
    o.max_quotes = 1;
    kbi_deck *d = deck_with(&o);
    int found = 0;
    for (size_t i = 0; i < d->nslides; i++) {
        const kbi_deck_slide *sl = &d->slides[i];
        if (strcmp(sl->title, "Struktur: Lokal nivå"))
            continue;
        for (size_t p = 0; p + 1 < sl->nparas; p++)
            if (!strcmp(sl->paras[p].runs[0].text, concept)) {
                assert_true(same_or_cut(sl->paras[p + 1].runs[0].text, text));
                assert_non_null(
                    strstr(sl->paras[p + 1].runs[1].text, "utvald: anna"));
                assert_non_null(strstr(sl->paras[p + 1].note, "utvald: anna"));
                found = 1;
            }
    }
    assert_true(found);
    kbi_deck_free(d);
    o = quotes_only();
    o.featured_only = 1;
    d = deck_with(&o);
    size_t quotes = 0, slides = 0;
    for (size_t i = 1; i < d->nslides; i++) {
        slides++;
        for (size_t p = 0; p < d->slides[i].nparas; p++)
            if (d->slides[i].paras[p].quote) {
                assert_true(
                    same_or_cut(d->slides[i].paras[p].runs[0].text, text));
                quotes++;
            }
    }
    assert_int_equal(quotes, 1);
    assert_int_equal(slides, 1);
    kbi_deck_free(d);
    /* un-featured: back to the rule */
    l = quotes_of("struktur", "lokal");
    for (size_t i = 0; i < kb_quote_list_count(l); i++)
        if (kb_quote_list_get(l, i)->featured_by)
            assert_int_equal(kb_quote_feature(proj, kb_quote_list_get(l, i),
                                              "anna", 0, &err),
                             0);
    kb_quote_list_free(l);
    free(text);
    free(concept);
}

/* No file but the target in `dir` (no temporary left behind). */
static size_t files_in(const char *path)
{
    DIR *dp = opendir(path);
    assert_non_null(dp);
    size_t n = 0;
    for (struct dirent *e; (e = readdir(dp));)
        n += e->d_name[0] != '.';
    closedir(dp);
    return n;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *b = malloc((size_t)n + 1);
    assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
    b[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return b;
}

static void test_files(void **state)
{
    (void)state;
    char sub[320], md[400], pptx[400], stream_md[400];
    snprintf(sub, sizeof sub, "%s/out", dir);
    assert_int_equal(mkdir(sub, 0777), 0);
    snprintf(md, sizeof md, "%s/deck.md", sub);
    snprintf(pptx, sizeof pptx, "%s/deck.PPTX", sub);
    kb_error err;
    kb_slides_options o = KB_SLIDES_OPTIONS_INIT;
    assert_int_equal(kb_slides_write(NULL, proj, md, &o, &err), 0);
    assert_int_equal(kb_slides_write(NULL, proj, pptx, &o, &err), 0);
    size_t n;
    char *b = slurp(md, &n);
    assert_int_equal(strncmp(b, "---\nmarp: true\n", 15), 0);
    assert_non_null(strstr(b, "\n# Struktur: Regional nivå\n"));
    assert_non_null(strstr(b, "\n# Struktur: Regional nivå (forts.)\n"));
    assert_non_null(strstr(b, "\n**Helheten viktig**\n"));
    /* the same Markdown to a stream */
    snprintf(stream_md, sizeof stream_md, "%s/stream.md", dir);
    FILE *f = fopen(stream_md, "wb");
    assert_int_equal(kb_slides_write(f, proj, NULL, &o, &err), 0);
    fclose(f);
    size_t n2;
    char *b2 = slurp(stream_md, &n2);
    assert_int_equal(n, n2);
    assert_memory_equal(b, b2, n);
    free(b2);
    free(b);
    b = slurp(pptx, &n); /* .PPTX picks PowerPoint: a zip */
    assert_int_equal(memcmp(b, "PK\x03\x04", 4), 0);
    free(b);
    assert_int_equal(files_in(sub), 2);

    /* a failed write leaves what was there and no temporary file */
    char blocked[400];
    snprintf(blocked, sizeof blocked, "%s/blocked.md", sub);
    assert_int_equal(mkdir(blocked, 0777), 0);
    assert_int_equal(kb_slides_write(NULL, proj, blocked, &o, &err), KB_EIO);
    assert_non_null(strstr(err.file, "blocked.md"));
    assert_int_equal(files_in(sub), 3);
    snprintf(blocked, sizeof blocked, "%s/nodir/x.md", sub);
    assert_int_equal(kb_slides_write(NULL, proj, blocked, &o, &err), KB_EIO);
    assert_int_equal(files_in(sub), 3);
    /* a stream that fails */
    f = fopen("/dev/full", "wb");
    if (f) {
        assert_int_equal(kb_slides_write(f, proj, NULL, &o, &err), KB_EIO);
        fclose(f);
    }
}

int main(int argc, char **argv)
{
    source = argc > 1 ? argv[1] : ".";
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_theme_level), cmocka_unit_test(test_seed_titles),
        cmocka_unit_test(test_overview),    cmocka_unit_test(test_continuation),
        cmocka_unit_test(test_long_quote),  cmocka_unit_test(test_max_quotes),
        cmocka_unit_test(test_max_words),   cmocka_unit_test(test_per_theme),
        cmocka_unit_test(test_filter),      cmocka_unit_test(test_errors),
        cmocka_unit_test(test_files),       cmocka_unit_test(test_front),
        cmocka_unit_test(test_cite),        cmocka_unit_test(test_marks),
        cmocka_unit_test(test_featured),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
