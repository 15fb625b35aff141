/*
 * deck.c: building a slide deck and laying it out on pages.
 *
 * Invariants: every string the deck holds is valid UTF-8 with no control
 * characters other than '\n'. kbi_deck_paginate gives each slide one or more
 * consecutive pages; a text slide's pieces cover its paragraphs in order,
 * each paragraph's text exactly once, and a table slide's pages cover its
 * body rows in order, each repeating the header; a figure slide has one
 * page, its drawing scaled to fit the body box whole. The height of a paragraph
 * is estimated with a greedy word wrap over per-character widths (in em) a
 * little above Arial's, so that estimated text fits its box in PowerPoint
 * and LibreOffice.
 */
#include "export/deck.h"

#include "base/error.h"
#include "base/grow.h"
#include "base/utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* ------------------------------------------------------------------------ */
/* Building                                                                  */
/* ------------------------------------------------------------------------ */

/*
 * A copy of s (NULL is "") in *out (caller frees), control characters but
 * '\n' made spaces, so that any text can go into XML. KB_EINVAL if s is not
 * UTF-8, KB_ENOMEM.
 */
static int copy_text(char **out, size_t *len, const char *s, kb_error *err)
{
    if (!s)
        s = "";
    size_t n = strlen(s);
    size_t bad = kbi_utf8_invalid_at((const unsigned char *)s, n);
    if (bad < n)
        return kbi_fail(err, KB_EINVAL, "deck text is not UTF-8 at byte %zu",
                        bad);
    char *c = malloc(n + 1);
    if (!c)
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        unsigned char b = (unsigned char)s[i];
        c[i] = (b < 0x20 && b != '\n') || b == 0x7F ? ' ' : s[i];
        /* U+FFFE and U+FFFF are not XML characters: U+FFFD instead */
        if (i >= 2 && (b == 0xBE || b == 0xBF) && c[i - 1] == '\xBF' &&
            c[i - 2] == '\xEF')
            c[i] = '\xBD';
    }
    c[n] = '\0';
    *out = c;
    if (len)
        *len = n;
    return 0;
}

int kbi_deck_new(kbi_deck **out, const char *title, const char *subtitle,
                 const char *date, kb_error *err)
{
    *out = NULL;
    kbi_deck *d = calloc(1, sizeof *d);
    if (!d)
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    int rc = copy_text(&d->title, NULL, title, err);
    if (!rc)
        rc = copy_text(&d->subtitle, NULL, subtitle, err);
    if (!rc)
        rc = copy_text(&d->date, NULL, date, err);
    if (rc) {
        kbi_deck_free(d);
        return rc;
    }
    *out = d;
    return 0;
}

/* Frees a figure slide's drawing; NULL is fine. */
static void figure_free(kbi_deck_figure *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->nshapes; i++)
        free((char *)f->shapes[i].text);
    free(f->shapes);
    free(f->links);
    free(f);
}

/* Frees what slide s holds (not s itself). */
static void slide_free(kbi_deck_slide *s)
{
    for (size_t p = 0; p < s->nparas; p++) {
        for (size_t r = 0; r < s->paras[p].nruns; r++)
            free(s->paras[p].runs[r].text);
        free(s->paras[p].runs);
        free(s->paras[p].note);
    }
    free(s->paras);
    for (size_t c = 0; c < s->nrows * s->ncols; c++)
        free(s->cells[c]);
    free(s->cells);
    free(s->title);
    free(s->notes);
    figure_free(s->figure);
}

void kbi_deck_free(kbi_deck *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->nslides; i++)
        slide_free(&d->slides[i]);
    free(d->slides);
    free(d->title);
    free(d->subtitle);
    free(d->date);
    free(d);
}

void kbi_deck_slide_move(kbi_deck *d, size_t from, size_t to)
{
    if (from >= d->nslides || to >= d->nslides || from == to)
        return;
    kbi_deck_slide s = d->slides[from];
    if (from > to)
        memmove(&d->slides[to + 1], &d->slides[to], (from - to) * sizeof s);
    else
        memmove(&d->slides[from], &d->slides[from + 1], (to - from) * sizeof s);
    d->slides[to] = s;
}

void kbi_deck_slide_drop(kbi_deck *d)
{
    if (d->nslides)
        slide_free(&d->slides[--d->nslides]);
}

/* Appends a zeroed slide titled `title`; *out is it. */
static int slide_push(kbi_deck_slide **out, kbi_deck *d, const char *title,
                      kb_error *err)
{
    char *t;
    int rc = copy_text(&t, NULL, title, err);
    if (rc)
        return rc;
    if (KBI_GROW(&d->slides, &d->cap, d->nslides + 1)) {
        free(t);
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    }
    kbi_deck_slide *s = &d->slides[d->nslides++];
    memset(s, 0, sizeof *s);
    s->title = t;
    *out = s;
    return 0;
}

int kbi_deck_slide_add(kbi_deck *d, const char *title, kb_error *err)
{
    kbi_deck_slide *s;
    return slide_push(&s, d, title, err);
}

/* Appends text to the notes *notes (NULL: none yet) as a paragraph of
 * its own. */
static int notes_append(char **notes, const char *text, kb_error *err)
{
    char *t;
    size_t n;
    int rc = copy_text(&t, &n, text, err);
    if (rc)
        return rc;
    size_t old = *notes ? strlen(*notes) : 0;
    char *joined = realloc(*notes, old + (old > 0) + n + 1);
    if (!joined) {
        free(t);
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    }
    if (old)
        joined[old++] = '\n';
    memcpy(joined + old, t, n + 1);
    *notes = joined;
    free(t);
    return 0;
}

int kbi_deck_notes_add(kbi_deck *d, const char *text, kb_error *err)
{
    if (!d->nslides)
        return kbi_fail(err, KB_EINVAL, "speaker notes before any slide");
    return notes_append(&d->slides[d->nslides - 1].notes, text, err);
}

/* The current text slide, or NULL when the last slide is a table or a
 * figure. */
static kbi_deck_slide *text_slide(kbi_deck *d)
{
    if (!d->nslides || d->slides[d->nslides - 1].ncols ||
        d->slides[d->nslides - 1].figure)
        return NULL;
    return &d->slides[d->nslides - 1];
}

int kbi_deck_para_add(kbi_deck *d, int level, kb_error *err)
{
    kbi_deck_slide *s = text_slide(d);
    if (!s)
        return kbi_fail(err, KB_EINVAL, "a paragraph needs a text slide");
    if (level < 0 || level >= KBI_DECK_LEVELS)
        return kbi_fail(err, KB_EINVAL, "paragraph level %d is not 0 to %d",
                        level, KBI_DECK_LEVELS - 1);
    if (KBI_GROW(&s->paras, &s->pcap, s->nparas + 1))
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    kbi_deck_para *p = &s->paras[s->nparas++];
    memset(p, 0, sizeof *p);
    p->level = level;
    return 0;
}

/* The paragraph just added (kbi_deck_para_add succeeded). */
static kbi_deck_para *last_para(kbi_deck *d)
{
    kbi_deck_slide *s = &d->slides[d->nslides - 1];
    return &s->paras[s->nparas - 1];
}

int kbi_deck_quote_add(kbi_deck *d, int level, kb_error *err)
{
    int rc = kbi_deck_para_add(d, level, err);
    if (!rc)
        last_para(d)->quote = 1;
    return rc;
}

int kbi_deck_glued_add(kbi_deck *d, int level, kb_error *err)
{
    int rc = kbi_deck_para_add(d, level, err);
    if (!rc)
        last_para(d)->glued = 1;
    return rc;
}

int kbi_deck_para_note(kbi_deck *d, const char *text, kb_error *err)
{
    kbi_deck_slide *s = text_slide(d);
    if (!s || !s->nparas)
        return kbi_fail(err, KB_EINVAL, "a note needs a paragraph");
    return notes_append(&s->paras[s->nparas - 1].note, text, err);
}

int kbi_deck_run_add(kbi_deck *d, unsigned style, const char *text,
                     kb_error *err)
{
    kbi_deck_slide *s = text_slide(d);
    if (!s || !s->nparas)
        return kbi_fail(err, KB_EINVAL, "a run needs a paragraph");
    kbi_deck_para *p = &s->paras[s->nparas - 1];
    kbi_deck_run run = {.style = style & (KBI_RUN_BOLD | KBI_RUN_ITALIC)};
    int rc = copy_text(&run.text, &run.len, text, err);
    if (rc)
        return rc;
    if (KBI_GROW(&p->runs, &p->cap, p->nruns + 1)) {
        free(run.text);
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    }
    p->runs[p->nruns++] = run;
    return 0;
}

int kbi_deck_run_set(kbi_deck *d, size_t slide, size_t para, size_t run,
                     const char *text, kb_error *err)
{
    if (slide >= d->nslides || para >= d->slides[slide].nparas ||
        run >= d->slides[slide].paras[para].nruns)
        return kbi_fail(err, KB_EINVAL,
                        "no run %zu of paragraph %zu on slide %zu", run, para,
                        slide);
    kbi_deck_run *r = &d->slides[slide].paras[para].runs[run];
    char *t;
    size_t n;
    int rc = copy_text(&t, &n, text, err);
    if (rc)
        return rc;
    free(r->text);
    r->text = t;
    r->len = n;
    return 0;
}

/* Appends the ncols cells of one row to table t. */
static int row_push(kbi_deck_slide *t, const char *const *cells, kb_error *err)
{
    if (KBI_GROW(&t->cells, &t->ccap, (t->nrows + 1) * t->ncols))
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    char **row = t->cells + t->nrows * t->ncols;
    for (size_t c = 0; c < t->ncols; c++) {
        int rc = copy_text(&row[c], NULL, cells[c], err);
        if (rc) {
            while (c--)
                free(row[c]);
            return rc;
        }
    }
    t->nrows++;
    return 0;
}

int kbi_deck_table_add(kbi_deck *d, const char *title, size_t ncols,
                       const char *const *header, kb_error *err)
{
    if (!ncols)
        return kbi_fail(err, KB_EINVAL, "a table needs columns");
    kbi_deck_slide *t;
    int rc = slide_push(&t, d, title, err);
    if (rc)
        return rc;
    t->ncols = ncols;
    rc = row_push(t, header, err);
    if (rc) {
        free(t->title);
        free(t->cells);
        d->nslides--;
    }
    return rc;
}

int kbi_deck_row_add(kbi_deck *d, const char *const *cells, kb_error *err)
{
    if (!d->nslides || !d->slides[d->nslides - 1].ncols)
        return kbi_fail(err, KB_EINVAL, "a row needs a table slide");
    return row_push(&d->slides[d->nslides - 1], cells, err);
}

int kbi_deck_figure_add(kbi_deck *d, const char *title, double w, double h,
                        kb_error *err)
{
    if (!(w > 0 && h > 0))
        return kbi_fail(err, KB_EINVAL, "a figure needs a size");
    kbi_deck_figure *f = calloc(1, sizeof *f);
    if (!f)
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    f->w = w;
    f->h = h;
    kbi_deck_slide *s;
    int rc = slide_push(&s, d, title, err);
    if (rc) {
        free(f);
        return rc;
    }
    s->figure = f;
    return 0;
}

/* The current figure, or NULL when the last slide is not a figure. */
static kbi_deck_figure *figure_slide(kbi_deck *d)
{
    return d->nslides ? d->slides[d->nslides - 1].figure : NULL;
}

/* 1 if s is "RRGGBB" (or "" where `none` allows it). */
static int is_rgb(const char *s, int none)
{
    size_t n = strlen(s);
    return (n == 0 && none) ||
           (n == 6 && strspn(s, "0123456789abcdefABCDEF") == 6);
}

/* An "RRGGBB" colour in capitals, as PowerPoint writes them. */
static void rgb_copy(char *out, const char *s)
{
    size_t i = 0;
    for (; i < 6 && s[i]; i++)
        out[i] = s[i] >= 'a' && s[i] <= 'f' ? (char)(s[i] - 'a' + 'A') : s[i];
    out[i] = '\0';
}

int kbi_deck_shape_add(kbi_deck *d, const kbi_deck_shape *shape, size_t *id,
                       kb_error *err)
{
    kbi_deck_figure *f = figure_slide(d);
    if (!f)
        return kbi_fail(err, KB_EINVAL, "a shape needs a figure slide");
    if (!(shape->w > 0 && shape->h > 0 && shape->pt > 0 && shape->line > 0))
        return kbi_fail(err, KB_EINVAL, "a shape needs a size and a font");
    if (!is_rgb(shape->fill, 1) || !is_rgb(shape->stroke, 1) ||
        !is_rgb(shape->ink, 0))
        return kbi_fail(err, KB_EINVAL, "a shape's colours are RRGGBB");
    kbi_deck_shape c = *shape;
    char *text;
    int rc = copy_text(&text, NULL, shape->text, err);
    if (rc)
        return rc;
    if (KBI_GROW(&f->shapes, &f->scap, f->nshapes + 1)) {
        free(text);
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    }
    c.text = text;
    c.style &= KBI_RUN_BOLD;
    rgb_copy(c.fill, shape->fill);
    rgb_copy(c.stroke, shape->stroke);
    rgb_copy(c.ink, shape->ink);
    if (id)
        *id = f->nshapes;
    f->shapes[f->nshapes++] = c;
    return 0;
}

int kbi_deck_link_add(kbi_deck *d, size_t from, size_t to, const char *rgb,
                      kb_error *err)
{
    kbi_deck_figure *f = figure_slide(d);
    if (!f)
        return kbi_fail(err, KB_EINVAL, "a link needs a figure slide");
    if (from >= f->nshapes || to >= f->nshapes || from == to)
        return kbi_fail(err, KB_EINVAL, "a link joins two shapes of its slide");
    if (!is_rgb(rgb, 0))
        return kbi_fail(err, KB_EINVAL, "a link's colour is RRGGBB");
    if (KBI_GROW(&f->links, &f->lcap, f->nlinks + 1))
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    kbi_deck_link *l = &f->links[f->nlinks++];
    l->from = from;
    l->to = to;
    rgb_copy(l->rgb, rgb);
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Measuring                                                                 */
/* ------------------------------------------------------------------------ */

double kbi_deck_level_pt(int level)
{
    static const double pt[KBI_DECK_LEVELS] = {18, 16, 14};
    return pt[level];
}

double kbi_deck_level_space(int level)
{
    static const double sp[KBI_DECK_LEVELS] = {10, 4, 2};
    return sp[level];
}

double kbi_deck_level_indent(int level)
{
    return 24.0 * level;
}

/*
 * Advance width of a code point in em: classes of DejaVu Sans's widths,
 * rounded up. DejaVu Sans is what LibreOffice shows for Arial where Arial
 * and its metric twin Liberation Sans are missing, and it is about 10% wider
 * than both, so text measured with it fits whichever of them is used.
 */
static double em_width(utf8proc_int32_t c)
{
    if (c < 0x80) {
        if (strchr("ijlIJ.,:;'!| ", (int)c))
            return 0.33;
        if (strchr("ftr()[]{}/-\\", (int)c))
            return 0.42;
        if (strchr("cksvxyz", (int)c))
            return 0.59;
        if (strchr("mwMW@%", (int)c))
            return 1.0;
        if (c >= 'A' && c <= 'Z')
            return 0.76;
        return 0.625;
    }
    return utf8proc_category(c) == UTF8PROC_CATEGORY_LU ? 0.76 : 0.625;
}

/* Bold text is about 12% wider. */
static double style_scale(unsigned style)
{
    return style & KBI_RUN_BOLD ? 1.12 : 1.0;
}

typedef struct pos {
    size_t run, off;
} pos;

/* Where each line of a wrapped paragraph starts, the first line's too. */
typedef struct line_starts {
    pos *v;
    size_t n, cap;
} line_starts;

/* The greedy word wrap of runs in a box `width` points wide. */
typedef struct wrapper {
    double width, line_w, word_w;
    size_t lines;
    int in_word;
    pos word_start;
    line_starts *starts; /* NULL: lines counted only */
    int fail;            /* out of memory recording a line's start */
} wrapper;

/* Starts a new line at `at`, recording where when asked to. */
static void wrap_break(wrapper *w, pos at)
{
    w->lines++;
    w->line_w = 0;
    line_starts *ls = w->starts;
    if (ls && !w->fail && KBI_GROW(&ls->v, &ls->cap, ls->n + 1))
        w->fail = 1;
    else if (ls && !w->fail)
        ls->v[ls->n++] = at;
}

/*
 * Adds a character `cw` wide at `at` to the current word. A word that no
 * longer fits its line moves to the next; one wider than a whole line breaks
 * before the character that overflows it.
 */
static void wrap_char(wrapper *w, pos at, double cw)
{
    if (!w->in_word) {
        w->in_word = 1;
        w->word_w = 0;
        w->word_start = at;
    }
    if (w->line_w > 0 && w->line_w + w->word_w + cw > w->width)
        wrap_break(w, w->word_start);
    if (w->line_w == 0 && w->word_w > 0 && w->word_w + cw > w->width) {
        wrap_break(w, at);
        w->word_start = at;
        w->word_w = 0;
    }
    w->word_w += cw;
}

/*
 * The number of lines runs[] take at `pt` in a box `width` wide. With
 * `starts`, the position where each line starts is appended to it, the
 * first line's (0, 0) first; a line other than the first starts after at
 * least one character of its own. -1 (as a size) when that runs out of
 * memory. One pass: a paragraph split over many pages is wrapped once.
 */
static size_t wrap(const kbi_deck_run *runs, size_t nruns, double width,
                   double pt, line_starts *starts)
{
    wrapper w = {.width = width, .starts = starts};
    wrap_break(&w, (pos){0, 0});
    for (size_t r = 0; r < nruns; r++) {
        const utf8proc_uint8_t *s = (const utf8proc_uint8_t *)runs[r].text;
        double scale = pt * style_scale(runs[r].style);
        size_t i = 0;
        while (i < runs[r].len) {
            utf8proc_int32_t c;
            utf8proc_ssize_t k = utf8proc_iterate(
                s + i, (utf8proc_ssize_t)(runs[r].len - i), &c);
            if (k <= 0) /* not reached: the deck holds valid UTF-8 */
                k = 1, c = '?';
            if (c == ' ' || c == '\n') {
                /* the word ends: it stays on the line it is on */
                w.line_w += w.in_word ? w.word_w : 0;
                w.in_word = 0;
                if (c == ' ' && w.line_w > 0)
                    w.line_w += em_width(c) * scale;
                if (c == '\n')
                    wrap_break(&w, (pos){r, i + (size_t)k});
            } else {
                wrap_char(&w, (pos){r, i}, em_width(c) * scale);
            }
            i += (size_t)k;
        }
    }
    return w.fail ? (size_t)-1 : w.lines;
}

/* Lines of a plain string (the titles, table cells). */
static size_t text_lines(const char *s, unsigned style, double width, double pt)
{
    kbi_deck_run run = {(char *)s, strlen(s), style};
    return wrap(&run, 1, width, pt, NULL);
}

/* Width in points of the longest line of s set on one line. */
static double text_width(const char *s, unsigned style, double pt)
{
    double best = 0, w = 0;
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    while (*p) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate(p, -1, &c);
        if (k <= 0)
            break;
        p += k;
        w = c == '\n' ? 0 : w + em_width(c) * pt * style_scale(style);
        if (w > best)
            best = w;
    }
    return best;
}

/*
 * The first of sizes[0..n) at which s fits a box of inner width w and inner
 * height h, else the last.
 */
static double fit_pt(const char *s, double w, double h, const double *sizes,
                     size_t n)
{
    for (size_t i = 0; i + 1 < n; i++)
        if (text_lines(s, KBI_RUN_BOLD, w, sizes[i]) * sizes[i] *
                KBI_DECK_LINE <=
            h)
            return sizes[i];
    return sizes[n - 1];
}

double kbi_deck_row_height(const kbi_deck_slide *t, size_t row,
                           const double *colw)
{
    size_t lines = 1;
    for (size_t c = 0; c < t->ncols; c++) {
        size_t n = text_lines(
            t->cells[row * t->ncols + c], row ? KBI_RUN_PLAIN : KBI_RUN_BOLD,
            colw[c] - 2 * KBI_DECK_INSET_X, KBI_DECK_TABLE_PT);
        if (n > lines)
            lines = n;
    }
    return (double)lines * KBI_DECK_TABLE_PT * KBI_DECK_LINE +
           2 * KBI_DECK_INSET_Y;
}

int kbi_deck_col_numeric(const kbi_deck_slide *t, size_t c)
{
    if (t->nrows < 2)
        return 0;
    for (size_t r = 1; r < t->nrows; r++) {
        const char *s = t->cells[r * t->ncols + c];
        if (!*s || strspn(s, "0123456789 .,%-") != strlen(s))
            return 0;
    }
    return 1;
}

/*
 * Column widths summing to `total`: each column's natural width (its widest
 * cell on one line), scaled up when all fit; otherwise capped at the level L
 * where the capped widths sum to `total` (narrow columns keep theirs, the
 * wide ones share the rest equally).
 */
static void column_widths(const kbi_deck_slide *t, double total, double *w)
{
    double sum = 0, hi = 0;
    for (size_t c = 0; c < t->ncols; c++) {
        w[c] = 0;
        for (size_t r = 0; r < t->nrows; r++) {
            double x =
                text_width(t->cells[r * t->ncols + c],
                           r ? KBI_RUN_PLAIN : KBI_RUN_BOLD, KBI_DECK_TABLE_PT);
            if (x > w[c])
                w[c] = x;
        }
        w[c] += 2 * KBI_DECK_INSET_X + 4;
        sum += w[c];
        if (w[c] > hi)
            hi = w[c];
    }
    if (sum <= total) {
        for (size_t c = 0; c < t->ncols; c++)
            w[c] *= total / sum;
        return;
    }
    double lo = 0; /* the sum of capped widths rises with L: bisect */
    for (int i = 0; i < 60; i++) {
        double mid = (lo + hi) / 2, s = 0;
        for (size_t c = 0; c < t->ncols; c++)
            s += w[c] < mid ? w[c] : mid;
        *(s > total ? &hi : &lo) = mid;
    }
    for (size_t c = 0; c < t->ncols; c++)
        if (w[c] > lo)
            w[c] = lo;
}

/* ------------------------------------------------------------------------ */
/* Pages                                                                     */
/* ------------------------------------------------------------------------ */

/* Inner sizes of the boxes. */
#define TEXT_W  (KBI_DECK_W - 2 * KBI_DECK_MARGIN - 2 * KBI_DECK_INSET_X)
#define TEXT_H  (KBI_DECK_BODY_H - 2 * KBI_DECK_INSET_Y)
#define TITLE_H (KBI_DECK_TITLE_H - 2 * KBI_DECK_INSET_Y)
#define COVER_W (KBI_DECK_W - 2 * KBI_DECK_COVER_X - 2 * KBI_DECK_INSET_X)

/* Appends a page for slide s (NULL: the cover); continuation `cont`. */
static kbi_deck_page *page_push(kbi_deck_pages *out, kbi_page_kind kind,
                                const kbi_deck_slide *s, const char *title,
                                int cont)
{
    if (KBI_GROW(&out->v, &out->cap, out->n + 1))
        return NULL;
    kbi_deck_page *pg = &out->v[out->n];
    memset(pg, 0, sizeof *pg);
    size_t n = strlen(title) + sizeof " (forts.)";
    pg->title = malloc(n);
    if (!pg->title)
        return NULL;
    snprintf(pg->title, n, cont ? "%s (forts.)" : "%s", title);
    out->n++;
    pg->kind = kind;
    pg->slide = s;
    pg->cont = cont;
    if (kind == KBI_PAGE_COVER) {
        static const double sizes[] = {KBI_DECK_COVER_PT, 32, 28};
        pg->title_pt =
            fit_pt(pg->title, COVER_W,
                   KBI_DECK_COVER_TITLE_H - 2 * KBI_DECK_INSET_Y, sizes, 3);
    } else {
        static const double sizes[] = {KBI_DECK_TITLE_PT, 24, 20};
        pg->title_pt = fit_pt(pg->title, TEXT_W, TITLE_H, sizes, 3);
    }
    return pg;
}

static int piece_push(kbi_deck_page *pg, size_t para, pos from, pos to,
                      int again)
{
    if (KBI_GROW(&pg->pieces, &pg->pcap, pg->npieces + 1))
        return -1;
    pg->pieces[pg->npieces++] =
        (kbi_deck_piece){para, from.run, from.off, to.run, to.off, again};
    return 0;
}

/* Height in points of `lines` lines of paragraph p, with its space before. */
static double lines_height(const kbi_deck_para *p, size_t lines)
{
    return kbi_deck_level_space(p->level) +
           (double)lines * kbi_deck_level_pt(p->level) * KBI_DECK_LINE;
}

/* The lines of paragraph p, wrapped in the text box less its indent;
 * their starts appended to `starts` when it is not NULL (see wrap). */
static size_t para_lines(const kbi_deck_para *p, line_starts *starts)
{
    return wrap(p->runs, p->nruns, TEXT_W - kbi_deck_level_indent(p->level),
                kbi_deck_level_pt(p->level), starts);
}

/* Height in points of paragraph p, with its space before. */
static double para_height(const kbi_deck_para *p)
{
    return lines_height(p, para_lines(p, NULL));
}

static pos para_end(const kbi_deck_para *p)
{
    if (!p->nruns)
        return (pos){0, 0};
    return (pos){p->nruns - 1, p->runs[p->nruns - 1].len};
}

/*
 * Starts continuation page `cont` of slide s before paragraph i. When i is
 * deeper than level 0, the level-0 paragraph it belongs under (a label) is
 * repeated on top, unless that is taller than a quarter of the page's
 * `room`. *y is the height used.
 */
static kbi_deck_page *page_continue(kbi_deck_pages *out,
                                    const kbi_deck_slide *s, int cont, size_t i,
                                    double room, double *y)
{
    kbi_deck_page *pg = page_push(out, KBI_PAGE_TEXT, s, s->title, cont);
    *y = 0;
    if (!pg || !s->paras[i].level)
        return pg;
    size_t j = i;
    while (j-- && s->paras[j].level)
        ;
    if (j == (size_t)-1)
        return pg;
    double h = para_height(&s->paras[j]);
    if (h > room / 4)
        return pg;
    *y = h;
    return piece_push(pg, j, (pos){0, 0}, para_end(&s->paras[j]), 1) ? NULL
                                                                     : pg;
}

/*
 * Lays a text slide out on pages `room` points high, as many as it needs.
 * Paragraphs move whole to the next page; one taller than a page is split
 * between words where the page ends. A paragraph followed by deeper ones
 * (a label and its quotes) or by a glued one moves on with the next unless
 * that is where the page starts. Each paragraph is wrapped once: its pieces are
 * cut at the line starts found. *splits counts the pieces that continue a
 * paragraph.
 */
static int paginate_room(kbi_deck_pages *out, const kbi_deck_slide *s,
                         double room, size_t *splits)
{
    int cont = 0, rc = 0;
    *splits = 0;
    kbi_deck_page *pg = page_push(out, KBI_PAGE_TEXT, s, s->title, cont++);
    if (!pg)
        return -1;
    line_starts ls = {0};
    double y = 0;
    int fresh = 1; /* nothing of this page's own on it yet */
    for (size_t i = 0; i < s->nparas && !rc; i++) {
        const kbi_deck_para *p = &s->paras[i];
        double lh = kbi_deck_level_pt(p->level) * KBI_DECK_LINE,
               space = kbi_deck_level_space(p->level);
        pos end = para_end(p);
        ls.n = 0;
        if (para_lines(p, &ls) == (size_t)-1) {
            rc = -1;
            break;
        }
        size_t line = 0; /* the first line not on a page yet */
        for (;;) {
            double need = lines_height(p, ls.n - line), keep = 0;
            *splits += line > 0;
            if (!line && i + 1 < s->nparas &&
                (s->paras[i + 1].level > p->level || s->paras[i + 1].glued)) {
                /* the next paragraph, or two lines where it will split */
                const kbi_deck_para *q = &s->paras[i + 1];
                keep = para_height(q);
                if (keep > room)
                    keep = lines_height(q, 2);
            }
            if (y + need + keep <= room || (fresh && y + need <= room)) {
                rc = piece_push(pg, i, ls.v[line], end, 0);
                y += need;
                fresh = 0;
                break;
            }
            size_t fit =
                y + space < room ? (size_t)((room - y - space) / lh) : 0;
            if ((need > room || fresh) && fit >= (fresh ? 1u : 2u)) {
                size_t next = fit < ls.n - line ? line + fit : ls.n;
                pos cut = next < ls.n ? ls.v[next] : end;
                if ((rc = piece_push(pg, i, ls.v[line], cut, 0)))
                    break;
                if (next == ls.n) { /* the rest fitted after all */
                    y += need;
                    fresh = 0;
                    break;
                }
                line = next;
            } else if (fresh) { /* a line taller than the page's room */
                rc = piece_push(pg, i, ls.v[line], end, 0);
                y += need;
                fresh = 0;
                break;
            }
            if (!(pg = page_continue(out, s, cont++, i, room, &y))) {
                rc = -1;
                break;
            }
            fresh = 1;
        }
    }
    free(ls.v);
    return rc;
}

/* Frees pages [from, n) of p. */
static void pages_cut(kbi_deck_pages *p, size_t from)
{
    for (size_t i = from; i < p->n; i++) {
        free(p->v[i].title);
        free(p->v[i].pieces);
        free(p->v[i].colw);
        free(p->v[i].notes);
    }
    if (from < p->n)
        p->n = from;
}

/*
 * Lays a text slide out on its pages, spread evenly: when it needs more
 * than one page, the least room per page (bisected) that takes no more
 * pages and splits no more paragraphs than a full page's room does.
 */
static int paginate_text(kbi_deck_pages *out, const kbi_deck_slide *s)
{
    size_t first = out->n, splits;
    if (paginate_room(out, s, TEXT_H, &splits))
        return -1;
    size_t pages = out->n - first;
    if (pages < 2)
        return 0;
    double lo = TEXT_H / (double)pages, hi = TEXT_H, best = TEXT_H;
    for (int i = 0; i < 16 && hi - lo > 1; i++) {
        double mid = (lo + hi) / 2;
        kbi_deck_pages trial = {0};
        size_t sp;
        int rc = paginate_room(&trial, s, mid, &sp);
        int ok = !rc && trial.n == pages && sp <= splits;
        pages_cut(&trial, 0);
        free(trial.v);
        if (rc)
            return -1;
        if (ok)
            best = hi = mid;
        else
            lo = mid;
    }
    if (best == TEXT_H)
        return 0;
    pages_cut(out, first);
    return paginate_room(out, s, best, &splits);
}

/* Lays a table slide out, repeating the header on each page. */
static int paginate_table(kbi_deck_pages *out, const kbi_deck_slide *t)
{
    double *w = malloc(t->ncols * sizeof *w);
    if (!w)
        return -1;
    column_widths(t, KBI_DECK_W - 2 * KBI_DECK_MARGIN, w);
    double head = kbi_deck_row_height(t, 0, w), y = head;
    int cont = 0;
    kbi_deck_page *pg = NULL;
    for (size_t r = 1; r <= t->nrows; r++) {
        double h = r < t->nrows ? kbi_deck_row_height(t, r, w) : 0;
        if (!pg ||
            (r < t->nrows && y + h > KBI_DECK_BODY_H && pg->row1 > pg->row0)) {
            pg = page_push(out, KBI_PAGE_TABLE, t, t->title, cont++);
            if (!pg || !(pg->colw = malloc(t->ncols * sizeof *w))) {
                free(w);
                return -1;
            }
            memcpy(pg->colw, w, t->ncols * sizeof *w);
            pg->row0 = pg->row1 = r;
            y = head;
        }
        if (r < t->nrows) {
            pg->row1 = r + 1;
            y += h;
        }
    }
    free(w);
    return 0;
}

/* A figure slide on one page, its drawing scaled to the body box and
 * centred in it. */
static int paginate_figure(kbi_deck_pages *out, const kbi_deck_slide *s)
{
    kbi_deck_page *pg = page_push(out, KBI_PAGE_FIGURE, s, s->title, 0);
    if (!pg)
        return -1;
    const kbi_deck_figure *f = s->figure;
    double w = KBI_DECK_W - 2 * KBI_DECK_MARGIN, h = KBI_DECK_BODY_H;
    pg->scale = w / f->w < h / f->h ? w / f->w : h / f->h;
    pg->fig_x = KBI_DECK_MARGIN + (w - f->w * pg->scale) / 2;
    pg->fig_y = KBI_DECK_BODY_Y + (h - f->h * pg->scale) / 2;
    return 0;
}

/* 1 when piece pc of slide s is where its paragraph starts on a page
 * (not a continuation, not a label repeated). */
static int piece_starts(const kbi_deck_piece *pc)
{
    return !pc->again && !pc->run0 && !pc->off0;
}

/* Page pg's speaker notes: its slide's on its first page, then the notes
 * of the paragraphs that start on it. */
static int page_notes(kbi_deck_page *pg, kb_error *err)
{
    const kbi_deck_slide *s = pg->slide;
    int rc = 0;
    if (s && !pg->cont && s->notes)
        rc = notes_append(&pg->notes, s->notes, err);
    for (size_t i = 0; !rc && i < pg->npieces; i++) {
        const kbi_deck_piece *pc = &pg->pieces[i];
        if (piece_starts(pc) && s->paras[pc->para].note)
            rc = notes_append(&pg->notes, s->paras[pc->para].note, err);
    }
    return rc;
}

/* Slide s on pages appended to out, with their notes. */
static int paginate_slide(kbi_deck_pages *out, const kbi_deck_slide *s,
                          kb_error *err)
{
    size_t first = out->n;
    if (s->figure  ? paginate_figure(out, s)
        : s->ncols ? paginate_table(out, s)
                   : paginate_text(out, s))
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    int rc = 0;
    for (size_t i = first; !rc && i < out->n; i++)
        rc = page_notes(&out->v[i], err);
    return rc;
}

int kbi_deck_paginate(kbi_deck_pages *out, const kbi_deck *d, kb_error *err)
{
    int rc = page_push(out, KBI_PAGE_COVER, NULL, d->title, 0)
                 ? 0
                 : kbi_fail(err, KB_ENOMEM, "out of memory");
    for (size_t i = 0; !rc && i < d->nslides; i++)
        rc = paginate_slide(out, &d->slides[i], err);
    if (rc)
        kbi_deck_pages_free(out);
    return rc;
}

int kbi_deck_last_pages(const kbi_deck *d, size_t *pages, size_t *fewest,
                        kb_error *err)
{
    if (!text_slide((kbi_deck *)d))
        return kbi_fail(err, KB_EINVAL, "the last slide is no text slide");
    const kbi_deck_slide *s = &d->slides[d->nslides - 1];
    kbi_deck_pages pp = {0};
    if (paginate_text(&pp, s)) {
        kbi_deck_pages_free(&pp);
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    }
    *pages = pp.n;
    *fewest = (size_t)-1;
    for (size_t i = 0; i < pp.n; i++) {
        size_t n = 0;
        for (size_t k = 0; k < pp.v[i].npieces; k++)
            n += piece_starts(&pp.v[i].pieces[k]) &&
                 s->paras[pp.v[i].pieces[k].para].quote;
        if (n < *fewest)
            *fewest = n;
    }
    kbi_deck_pages_free(&pp);
    return 0;
}

void kbi_deck_pages_free(kbi_deck_pages *p)
{
    /* A page whose title could not be allocated is not counted in n. */
    pages_cut(p, 0);
    free(p->v);
    memset(p, 0, sizeof *p);
}

int kbi_deck_piece_each(const kbi_deck_slide *slide, const kbi_deck_piece *pc,
                        kbi_deck_text_fn fn, void *ctx)
{
    const kbi_deck_para *p = &slide->paras[pc->para];
    for (size_t r = pc->run0; r <= pc->run1 && r < p->nruns; r++) {
        size_t a = r == pc->run0 ? pc->off0 : 0;
        size_t b = r == pc->run1 ? pc->off1 : p->runs[r].len;
        if (b <= a)
            continue;
        int rc = fn(ctx, p->runs[r].text + a, b - a, p->runs[r].style);
        if (rc)
            return rc;
    }
    return 0;
}
