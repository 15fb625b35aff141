/*
 * slides.c: kb_slides_write, the quotes of a run as a slide deck
 * (docs/slides.md). The quotes come from kb_project_quotes and are grouped
 * by kb_matrix_build; the slides before them (outline, background) are
 * slides_front.c's; the deck (deck.h) is written by pptx.c or slides_md.c.
 *
 * Invariants: the deck follows the matrix. The overview table is the theme
 * × level matrix of the quotes, and a theme-and-level slide holds exactly
 * the quotes of that level's column of the concept × level matrix whose
 * concept belongs to the theme (per theme: the theme's column of the
 * concept × theme matrix), so a slide's quotes, shown and counted, add up
 * to its cell in the overview. Concepts come in codebook order, levels in
 * the facet's order, a concept's featured quotes first and then the rest
 * in the list's order (document, position). Every quote shown has its
 * provenance in the notes of the page it is on. A slide that takes more
 * than one page has at least three quotes on each, its quotes shortened or
 * fewer shown (and counted) until it has. A file is replaced only once it
 * is complete.
 */
#include "export/slides.h"
#include "export/pptx.h"
#include "export/slides_front.h"
#include "export/slides_md.h"
#include "export/structure.h"

#include "quotes/excerpt.h"
#include "quotes/facet_list.h"
#include "base/error.h"
#include "base/file.h"
#include "base/grow.h"

#include <ctype.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

typedef struct builder {
    kbi_deck *deck;
    kb_slides_options o; /* the caller's, defaults filled in */
    const kb_quote_list *quotes;
    const char *facet; /* the level facet's id */
    size_t fi;         /* its index among the list's facets, or nfacets */
    kb_matrix *levels; /* theme × level; NULL without the facet */
    kb_matrix *groups; /* concept × level, or concept × theme (per theme) */
    int manuscript;    /* quotes with speaker, time and memo too */
    const kb_memo_list *memos; /* the cells' leads; with o.notes the codes'
                                  memos as speaker notes too */
    kbi_outline outline;       /* the parts of the deck, for its outline */
    /* the slide being built */
    size_t words;        /* words per quote; 0: whole quotes */
    size_t cap;          /* quotes per concept; 0: all */
    size_t most;         /* the most quotes a concept showed */
    const char **quoted; /* the cases quoted on it, with repeats */
    size_t nquoted, qcap;
    kb_error *err;
} builder;

/* printf into a growing buffer; 0 or KB_ENOMEM. */
static int addf(char **buf, size_t *len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int addf(char **buf, size_t *len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *b = n < 0 ? NULL : realloc(*buf, *len + (size_t)n + 1);
    if (!b)
        return KB_ENOMEM;
    va_start(ap, fmt);
    vsnprintf(b + *len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    *buf = b;
    *len += (size_t)n;
    return 0;
}

/* The case a quote is shown with. */
static const char *case_of(const kb_quote_row *q)
{
    return q->case_id ? q->case_id : q->document;
}

/* Appends ", WORD: a, b" for the comma-separated coders `list`, if any. */
static int add_coders(char **s, size_t *len, const char *word, const char *list)
{
    int rc = list ? addf(s, len, ", %s: ", word) : 0;
    for (const char *p = list; !rc && p && *p;) {
        const char *comma = strchr(p, ',');
        int n = comma ? (int)(comma - p) : (int)strlen(p);
        rc = addf(s, len, "%s%.*s", p == list ? "" : ", ", n, p);
        p = comma ? comma + 1 : p + n;
    }
    return rc;
}

/*
 * Who found a quote and how, appended to *s: the levels per theme in the
 * facet's order (", Regional nivå"), ", regel" when the rules found a quote
 * coders coded too, ", manuell: anna, bo" for the coders who tagged it,
 * ", accepterat: bo" for those who accepted it in review, ", utvald: bo"
 * for those who featured it; in a manuscript the speaker and the time
 * first (", IP3, 00:12:31").
 */
static int add_provenance(char **s, size_t *len, const builder *b,
                          const kb_quote_row *q)
{
    int rc = 0;
    if (b->manuscript && q->speaker)
        rc = addf(s, len, ", %s", q->speaker);
    char time[32];
    if (!rc && b->manuscript && q->time_ms != KB_NO_TIME)
        rc = addf(s, len, ", %s", kb_time_text(time, q->time_ms));
    const char *v = b->o.per == KB_SLIDES_THEME && q->facets &&
                            b->fi < kb_quote_list_facets(b->quotes)
                        ? q->facets[b->fi]
                        : NULL;
    /* the quote's levels in the facet's order, by their labels */
    for (size_t c = 0; !rc && v && c < kb_matrix_cols(b->levels); c++)
        if (kbi_facet_listed(v, kb_matrix_col_key(b->levels, c)))
            rc = addf(s, len, ", %s", kb_matrix_col_label(b->levels, c));
    if (!rc && q->coder && !strcmp(q->source, "auto"))
        rc = addf(s, len, ", regel");
    if (!rc)
        rc = add_coders(s, len, "manuell", q->tagged_by);
    if (!rc)
        rc = add_coders(s, len, "accepterat", q->accepted_by);
    if (!rc)
        rc = add_coders(s, len, "utvald", q->featured_by);
    return rc;
}

/*
 * What follows a quote on the slide, in italics, as o.cite asks: nothing,
 * " (ip03)", " (Chef, kommun)", or the whole provenance " (ip03, regel,
 * manuell: anna)". *out is malloc'ed, NULL for nothing.
 */
static int quote_cite(char **out, const builder *b, const kb_quote_row *q)
{
    *out = NULL;
    if (b->o.cite == KB_CITE_NONE)
        return 0;
    char *label = NULL, *s = NULL;
    size_t len = 0;
    int rc = b->o.cite == KB_CITE_LABEL
                 ? kbi_slides_label(&label, b->quotes, q, b->o.label, b->err)
                 : 0;
    if (rc)
        return rc;
    rc = addf(&s, &len, " (%s", label ? label : case_of(q));
    if (!rc && b->o.cite == KB_CITE_FULL)
        rc = add_provenance(&s, &len, b, q);
    if (!rc)
        rc = addf(&s, &len, ")");
    free(label);
    if (rc) {
        free(s);
        return kbi_fail(b->err, KB_ENOMEM, "out of memory");
    }
    *out = s;
    return 0;
}

/* The first words of a quote's text, for its note, on one line: up to
 * eight words, white space between them made one space, and "…" when
 * there are more. */
static int add_opening(char **s, size_t *len, const char *text)
{
    int rc = addf(s, len, ": \xe2\x80\x9d");
    const char *p = text;
    for (int words = 0; !rc && words < 8; words++) {
        p += strspn(p, " \t\n\r");
        size_t n = strcspn(p, " \t\n\r");
        if (!n)
            break;
        rc = addf(s, len, "%s%.*s", words ? " " : "", (int)n, p);
        p += n;
    }
    p += strspn(p, " \t\n\r");
    return rc ? rc : addf(s, len, "%s\xe2\x80\x9d", *p ? " \xe2\x80\xa6" : "");
}

/* A quote's speaker note: "ip03 – Chef, regional utveckling – regel,
 * manuell: anna: ”Jag märker att …”". */
static int quote_note(char **out, const builder *b, const kb_quote_row *q)
{
    *out = NULL;
    char *label = NULL, *s = NULL, *prov = NULL;
    size_t len = 0, plen = 0;
    int rc = kbi_slides_label(&label, b->quotes, q, b->o.label, b->err);
    if (rc)
        return rc;
    rc = addf(&s, &len, "%s", case_of(q));
    if (!rc && label && strcmp(label, case_of(q)))
        rc = addf(&s, &len, " \xe2\x80\x93 %s", label);
    if (!rc)
        rc = add_provenance(&prov, &plen, b, q);
    if (!rc && prov) /* ", regel, manuell: anna" */
        rc = addf(&s, &len, " \xe2\x80\x93 %s", prov + 2);
    if (!rc)
        rc = add_opening(&s, &len, q->text ? q->text : "");
    free(label);
    free(prov);
    if (rc) {
        free(s);
        return kbi_fail(b->err, KB_ENOMEM, "out of memory");
    }
    *out = s;
    return 0;
}

/* text in Swedish quotation marks, ”…”, its own ” made ’: *out malloc'ed. */
static int swedish_marks(char **out, const char *text)
{
    static const char close[] = "\xe2\x80\x9d", single[] = "\xe2\x80\x99";
    size_t n = strlen(text), k = 0;
    /* a '"' (one byte) becomes three */
    char *r = malloc(2 * (sizeof close - 1) + 3 * n + 1);
    if (!r)
        return KB_ENOMEM;
    memcpy(r, close, sizeof close - 1);
    k = sizeof close - 1;
    for (size_t i = 0; i < n; i++) {
        if (!strncmp(text + i, close, sizeof close - 1) || text[i] == '"') {
            memcpy(r + k, single, sizeof single - 1);
            k += sizeof single - 1;
            i += text[i] == '"' ? 0 : sizeof close - 2;
            continue;
        }
        r[k++] = text[i];
    }
    memcpy(r + k, close, sizeof close);
    *out = r;
    return 0;
}

/* One quote as a level-1 paragraph: the text (shortened around the rules'
 * match to b->words, in quotation marks if asked), what o.cite keeps after
 * it, and its provenance in the notes; in a manuscript its memo as a
 * level-2 paragraph below. */
static int add_quote(builder *b, size_t i)
{
    const kb_quote_row *q = kb_quote_list_get(b->quotes, i);
    char *text = NULL, *marked = NULL, *cite = NULL, *note = NULL;
    int rc =
        kbi_quote_excerpt_marked(&text, q, b->words, b->o.omission, b->err);
    if (!rc && b->o.marks == KB_MARKS_SV && swedish_marks(&marked, text))
        rc = kbi_fail(b->err, KB_ENOMEM, "out of memory");
    if (!rc)
        rc = quote_cite(&cite, b, q);
    if (!rc && !b->manuscript)
        rc = quote_note(&note, b, q);
    if (!rc)
        rc = kbi_deck_quote_add(b->deck, 1, b->err);
    if (!rc)
        rc = kbi_deck_run_add(b->deck, KBI_RUN_PLAIN, marked ? marked : text,
                              b->err);
    if (!rc && cite)
        rc = kbi_deck_run_add(b->deck, KBI_RUN_ITALIC, cite, b->err);
    if (!rc && note)
        rc = kbi_deck_para_note(b->deck, note, b->err);
    if (!rc && b->manuscript && q->memo && *q->memo &&
        !(rc = kbi_deck_para_add(b->deck, 2, b->err)) &&
        !(rc = kbi_deck_run_add(b->deck, KBI_RUN_BOLD, "Memo: ", b->err)))
        rc = kbi_deck_run_add(b->deck, KBI_RUN_ITALIC, q->memo, b->err);
    free(text);
    free(marked);
    free(cite);
    free(note);
    return rc;
}

/* How often case c is quoted on the slide being built so far. */
static size_t times_quoted(const builder *b, const char *c)
{
    size_t n = 0;
    for (size_t i = 0; i < b->nquoted; i++)
        n += !strcmp(b->quoted[i], c);
    return n;
}

/*
 * How well a quote stands alone: 2 for a complete sentence (a capital
 * first letter, after any quotation mark or dash, and a full stop,
 * question or exclamation mark or ellipsis last), plus 2 for 12 to 60
 * words, or 1 for 6 to 100.
 */
static int standing(const kb_quote_row *q)
{
    const char *t = q->text ? q->text : "";
    size_t n = strlen(t);
    while (n && strchr(" \"'", t[n - 1]))
        n--;
    utf8proc_int32_t first = 0, last = 0;
    const utf8proc_uint8_t *u = (const utf8proc_uint8_t *)t;
    for (size_t i = 0; i < n;) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k =
            utf8proc_iterate(u + i, (utf8proc_ssize_t)(n - i), &c);
        if (k <= 0)
            break;
        if (!first && utf8proc_category(c) >= UTF8PROC_CATEGORY_LU &&
            utf8proc_category(c) <= UTF8PROC_CATEGORY_LO)
            first = c;
        last = c;
        i += (size_t)k;
    }
    int complete =
        first && utf8proc_category(first) == UTF8PROC_CATEGORY_LU &&
        (last == '.' || last == '?' || last == '!' || last == 0x2026);
    size_t w = q->words;
    return 2 * complete + (w >= 12 && w <= 60 ? 2 : w >= 6 && w <= 100);
}

/*
 * Picks `shown` of the candidates among qs[0..n) into pick[0..n) (the
 * representative rule of docs/slides.md): each time a featured candidate
 * before others, then the one whose case is quoted least on the slide so
 * far, then the one that stands alone best, then the first in the list's
 * order.
 */
static void pick_quotes(char *pick, const builder *b, const size_t *qs,
                        const char *cand, size_t n, size_t shown)
{
    memset(pick, 0, n);
    for (size_t k = 0; k < shown; k++) {
        size_t best = n, bt = 0;
        int bf = 0, bs = 0;
        for (size_t i = 0; i < n; i++) {
            if (!cand[i] || pick[i])
                continue;
            const kb_quote_row *q = kb_quote_list_get(b->quotes, qs[i]);
            size_t t = times_quoted(b, case_of(q));
            for (size_t j = 0; j < n; j++) /* and picked here so far */
                t += pick[j] &&
                     !strcmp(case_of(q),
                             case_of(kb_quote_list_get(b->quotes, qs[j])));
            int f = q->featured_by != NULL, s = standing(q);
            if (best == n || f > bf ||
                (f == bf && (t < bt || (t == bt && s > bs)))) {
                best = i;
                bt = t, bf = f, bs = s;
            }
        }
        if (best == n)
            return;
        pick[best] = 1;
    }
}

/* Notes that case c is quoted on the slide. */
static int note_quoted(builder *b, const char *c)
{
    if (KBI_GROW(&b->quoted, &b->qcap, b->nquoted + 1))
        return kbi_fail(b->err, KB_ENOMEM, "out of memory");
    b->quoted[b->nquoted++] = c;
    return 0;
}

/*
 * A concept's quotes on the current slide: its label in bold, then its
 * quotes: all, or the candidates (with featured_only the featured ones) up
 * to max_quotes and the slide's cap, picked by pick_quotes; featured ones
 * first, then the rest in list order; and a line counting those left out.
 * A passage the rules and coders (or several coders) coded alike is one
 * quote of the list, shown once.
 */
static int add_group(builder *b, const char *label, const size_t *qs, size_t n)
{
    char *pick = malloc(2 * (n ? n : 1));
    if (!pick)
        return kbi_fail(b->err, KB_ENOMEM, "out of memory");
    char *cand = pick + n;
    size_t ncand = 0;
    for (size_t i = 0; i < n; i++) {
        cand[i] = !b->o.featured_only ||
                  kb_quote_list_get(b->quotes, qs[i])->featured_by;
        ncand += cand[i];
    }
    size_t shown = ncand;
    if (b->o.max_quotes && b->o.max_quotes < shown)
        shown = b->o.max_quotes;
    if (b->cap && b->cap < shown)
        shown = b->cap;
    pick_quotes(pick, b, qs, cand, n, shown);
    if (shown > b->most)
        b->most = shown;
    int rc = shown ? kbi_deck_para_add(b->deck, 0, b->err) : 0;
    if (!rc && shown)
        rc = kbi_deck_run_add(b->deck, KBI_RUN_BOLD, label, b->err);
    for (int featured = 1; featured >= 0; featured--)
        for (size_t i = 0; !rc && i < n; i++) {
            const kb_quote_row *q = kb_quote_list_get(b->quotes, qs[i]);
            if (pick[i] && (q->featured_by != NULL) == featured &&
                !(rc = add_quote(b, qs[i])))
                rc = note_quoted(b, case_of(q));
        }
    free(pick);
    if (!rc && shown && shown < n) {
        char more[64];
        snprintf(more, sizeof more, "+ %zu citat till", n - shown);
        if (!(rc = kbi_deck_glued_add(b->deck, 1, b->err)))
            rc = kbi_deck_run_add(b->deck, KBI_RUN_ITALIC, more, b->err);
    }
    return rc;
}

/* The memos on code `id` of `kind` into the current slide's speaker notes:
 * "Struktur (anna, 2026-12-07): text". */
static int memo_notes(builder *b, kb_code_kind kind, const char *id,
                      const char *label)
{
    int rc = 0;
    for (size_t i = 0; !rc && i < kb_memo_list_count(b->memos); i++) {
        const kb_memo_info *m = kb_memo_list_get(b->memos, i);
        if (m->target != KB_MEMO_CODE || m->kind != kind ||
            strcmp(m->name, id) || *m->at) /* a cell's memo is its lead */
            continue;
        char *s = NULL;
        size_t len = 0;
        if (addf(&s, &len, "%s (%s, %.10s): %s", label, m->author,
                 m->created_at, m->text))
            rc = kbi_fail(b->err, KB_ENOMEM, "out of memory");
        else
            rc = kbi_deck_notes_add(b->deck, s, b->err);
        free(s);
    }
    return rc;
}

/*
 * The quotes coded with the theme itself (a coder's tag on a theme, not on
 * one of its concepts) at level `level` (NULL: any), after the concepts, as
 * a group labelled "<theme> (hela temat)".
 */
static int theme_group(builder *b, const char *theme, const char *label,
                       const char *level)
{
    size_t n = kb_quote_list_count(b->quotes), k = 0;
    size_t *qs = malloc((n ? n : 1) * sizeof *qs);
    if (!qs)
        return kbi_fail(b->err, KB_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        const kb_quote_row *q = kb_quote_list_get(b->quotes, i);
        if (!q->concept && q->theme && !strcmp(q->theme, theme) &&
            (!level || (q->facets && b->fi < kb_quote_list_facets(b->quotes) &&
                        kbi_facet_listed(q->facets[b->fi], level))))
            qs[k++] = i;
    }
    char *title = NULL;
    size_t len = 0;
    int rc = 0;
    if (k && addf(&title, &len, "%s (hela temat)", label))
        rc = kbi_fail(b->err, KB_ENOMEM, "out of memory");
    if (k && !rc)
        rc = add_group(b, title, qs, k);
    free(title);
    free(qs);
    return rc;
}

/* The quotes qs[0..n) of concept row k of b->groups on the current slide,
 * and with o.notes the concept's memos in its notes. */
static int concept_group(builder *b, size_t k, const size_t *qs, size_t n)
{
    const kb_matrix *G = b->groups;
    int rc = add_group(b, kb_matrix_row_label(G, k), qs, n);
    if (!rc && b->o.notes)
        rc = memo_notes(b, KB_CODE_CONCEPT, kb_matrix_row_key(G, k),
                        kb_matrix_row_label(G, k));
    return rc;
}

/*
 * The memos on theme `theme` at `value` of the level facet as the lead of
 * the current slide: a paragraph in italics each, above its quotes.
 */
static int add_leads(builder *b, const char *theme, const char *value)
{
    int rc = 0;
    size_t flen = strlen(b->facet);
    for (size_t i = 0; !rc && i < kb_memo_list_count(b->memos); i++) {
        const kb_memo_info *m = kb_memo_list_get(b->memos, i);
        if (m->target != KB_MEMO_CODE || m->kind != KB_CODE_THEME ||
            strcmp(m->name, theme) || !m->at ||
            strncmp(m->at, b->facet, flen) || m->at[flen] != '=' ||
            strcmp(m->at + flen + 1, value))
            continue;
        if (!(rc = kbi_deck_para_add(b->deck, 0, b->err)))
            rc = kbi_deck_run_add(b->deck, KBI_RUN_ITALIC, m->text, b->err);
    }
    return rc;
}

/* The slide of theme row t and level column c of b->levels: its lead,
 * the concepts' quotes, the theme's own; the memos as notes if asked. */
static int theme_level_slide(builder *b, size_t t, size_t c)
{
    const kb_matrix *L = b->levels, *G = b->groups;
    const char *theme = kb_matrix_row_key(L, t);
    char *title = NULL;
    size_t len = 0;
    if (addf(&title, &len, "%s: %s", kb_matrix_row_label(L, t),
             kb_matrix_col_label(L, c)))
        return kbi_fail(b->err, KB_ENOMEM, "out of memory");
    int rc = kbi_deck_slide_add(b->deck, title, b->err);
    free(title);
    if (!rc)
        rc = add_leads(b, theme, kb_matrix_col_key(L, c));
    if (!rc && b->o.notes)
        rc = memo_notes(b, KB_CODE_THEME, theme, kb_matrix_row_label(L, t));
    /* both matrices list the facet's values in codebook order */
    for (size_t k = 0; !rc && k < kb_matrix_rows(G); k++) {
        const size_t *qs;
        size_t n = kb_matrix_cell_quotes(G, k, c, &qs);
        const kb_quote_row *q0 = n ? kb_quote_list_get(b->quotes, qs[0]) : NULL;
        if (!q0 || !q0->theme || strcmp(q0->theme, theme))
            continue;
        rc = concept_group(b, k, qs, n);
    }
    if (!rc)
        rc = theme_group(b, theme, kb_matrix_row_label(L, t),
                         kb_matrix_col_key(L, c));
    return rc;
}

/* The slide of theme column t of b->groups (per theme). */
static int theme_slide(builder *b, size_t t, size_t unused)
{
    (void)unused;
    const kb_matrix *G = b->groups;
    int rc = kbi_deck_slide_add(b->deck, kb_matrix_col_label(G, t), b->err);
    if (!rc && b->o.notes)
        rc = memo_notes(b, KB_CODE_THEME, kb_matrix_col_key(G, t),
                        kb_matrix_col_label(G, t));
    for (size_t k = 0; !rc && k < kb_matrix_rows(G); k++) {
        const size_t *qs;
        size_t n = kb_matrix_cell_quotes(G, k, t, &qs);
        if (!n)
            continue;
        rc = concept_group(b, k, qs, n);
    }
    if (!rc)
        rc = theme_group(b, kb_matrix_col_key(G, t), kb_matrix_col_label(G, t),
                         NULL);
    return rc;
}

/* The quotes' words on a slide that needs tightening, longest first. */
static const size_t TIGHTER_WORDS[] = {80, 50, 35};

/*
 * Builds a slide with fill(b, t, c) and, unless it fits one page or has
 * at least three quotes on each of its pages, builds it again tighter:
 * its quotes shortened (TIGHTER_WORDS, never longer than max_words asks),
 * then fewer quotes per concept shown (and counted), until it does or a
 * concept shows one quote.
 */
static int fitted_slide(builder *b, int (*fill)(builder *, size_t, size_t),
                        size_t t, size_t c)
{
    size_t step = 0, nsteps = sizeof TIGHTER_WORDS / sizeof *TIGHTER_WORDS;
    b->words = b->o.max_words;
    b->cap = 0;
    for (;;) {
        b->nquoted = 0;
        b->most = 0;
        int rc = fill(b, t, c);
        if (!rc && !b->nquoted) { /* featured_only, and none featured */
            kbi_deck_slide_drop(b->deck);
            return 0;
        }
        size_t pages = 1, fewest = 0;
        if (!rc && !b->manuscript)
            rc = kbi_deck_last_pages(b->deck, &pages, &fewest, b->err);
        if (rc || pages <= 1 || fewest >= 3)
            return rc;
        while (step < nsteps && b->words && b->words <= TIGHTER_WORDS[step])
            step++;
        if (step < nsteps)
            b->words = TIGHTER_WORDS[step++];
        else if (b->most > 1)
            b->cap = b->most - 1;
        else
            return 0;
        kbi_deck_slide_drop(b->deck);
    }
}

/* The slides of the theme at row t of b->levels (or column t of b->groups
 * per theme), recorded in the outline. */
static int record_theme(builder *b, const char *label, size_t first)
{
    return b->deck->nslides > first
               ? kbi_outline_add(&b->outline, 1, label, first,
                                 b->deck->nslides - 1, b->err)
               : 0;
}

/* A slide per theme and level with quotes: "Struktur: Regional nivå". */
static int theme_level_slides(builder *b)
{
    const kb_matrix *L = b->levels;
    int rc = 0;
    for (size_t t = 0; !rc && t < kb_matrix_rows(L); t++) {
        size_t first = b->deck->nslides;
        for (size_t c = 0; !rc && c < kb_matrix_cols(L); c++)
            if (kb_matrix_cell(L, t, c))
                rc = fitted_slide(b, theme_level_slide, t, c);
        if (!rc)
            rc = record_theme(b, kb_matrix_row_label(L, t), first);
    }
    return rc;
}

/* A slide per theme with quotes, each quote's level after its case. */
static int theme_slides(builder *b)
{
    const kb_matrix *G = b->groups;
    int rc = 0;
    for (size_t t = 0; !rc && t < kb_matrix_cols(G); t++) {
        size_t first = b->deck->nslides;
        if (kb_matrix_col_total(G, t))
            rc = fitted_slide(b, theme_slide, t, 0);
        if (!rc)
            rc = record_theme(b, kb_matrix_col_label(G, t), first);
    }
    return rc;
}

/*
 * A number of the overview: row r, column c, where row `rows` and column
 * `cols` are the totals. Without the facet there is one column, the quotes
 * per theme: the theme's column total in concept × theme.
 */
static size_t overview_count(const builder *b, size_t r, size_t c, size_t rows,
                             size_t cols)
{
    const kb_matrix *m = b->levels, *g = b->groups;
    if (!m)
        return r == rows ? kb_matrix_total(g) : kb_matrix_col_total(g, r);
    if (r == rows)
        return c == cols ? kb_matrix_total(m) : kb_matrix_col_total(m, c);
    return c == cols ? kb_matrix_row_total(m, r) : kb_matrix_cell(m, r, c);
}

/*
 * The overview: the theme × level matrix with row and column totals, or
 * without the facet, the quotes per theme.
 */
static int overview(builder *b)
{
    const kb_matrix *m = b->levels;
    size_t cols = m ? kb_matrix_cols(m) : 0, ncells = cols + 2;
    size_t rows = m ? kb_matrix_rows(m) : kb_matrix_cols(b->groups);
    const char **cells = calloc(ncells, sizeof *cells);
    char(*num)[24] = calloc(ncells, sizeof *num);
    if (!cells || !num) {
        free(cells);
        free(num);
        return kbi_fail(b->err, KB_ENOMEM, "out of memory");
    }
    cells[0] = "Tema";
    for (size_t c = 0; c < cols; c++)
        cells[c + 1] = kb_matrix_col_label(m, c);
    cells[cols + 1] = m ? "Totalt" : "Citat";
    int rc = kbi_deck_table_add(b->deck, "Översikt: antal citat", ncells, cells,
                                b->err);
    for (size_t r = 0; !rc && r <= rows; r++) {
        cells[0] = r == rows ? "Totalt"
                   : m       ? kb_matrix_row_label(m, r)
                             : kb_matrix_col_label(b->groups, r);
        for (size_t c = 0; c <= cols; c++) {
            snprintf(num[c + 1], sizeof num[c + 1], "%zu",
                     overview_count(b, r, c, rows, cols));
            cells[c + 1] = num[c + 1];
        }
        rc = kbi_deck_row_add(b->deck, cells, b->err);
    }
    free(cells);
    free(num);
    return rc;
}

/* The run the quotes come from: its number and date, and its codebook. */
static int run_info(kb_project *p, int64_t run, char *when, size_t size,
                    char *name, size_t nsize, kb_error *err)
{
    kb_run_list *runs;
    int rc = kb_project_runs(&runs, p, err);
    if (rc)
        return rc;
    size_t n = kb_run_list_count(runs);
    for (size_t i = 0; i < n; i++) {
        const kb_run_info *r = kb_run_list_get(runs, i);
        if (run ? r->id != run : i + 1 < n)
            continue;
        snprintf(when, size, "körning %lld, %.10s", (long long)r->id,
                 r->started_at ? r->started_at : "");
        snprintf(name, nsize, "%s", r->codebook_name ? r->codebook_name : "");
    }
    kb_run_list_free(runs);
    return 0;
}

/* Documents among the quotes (the list is ordered by document). */
static size_t documents(const kb_quote_list *l)
{
    size_t n = 0;
    for (size_t i = 0; i < kb_quote_list_count(l); i++)
        n += !i || strcmp(kb_quote_list_get(l, i)->document,
                          kb_quote_list_get(l, i - 1)->document);
    return n;
}

/* "Citat per tema och nivå – 727 citat ur 11 dokument" into *out. */
static int subtitle(char **out, const builder *b)
{
    char *s = NULL;
    size_t len = 0;
    int rc = addf(&s, &len, "Citat per tema");
    if (!rc && b->o.per == KB_SLIDES_THEME_LEVEL) {
        /* the facet's label, lower case first: "Nivå" reads "nivå" */
        const char *label = kb_quote_list_label(b->quotes, b->facet);
        if (!label)
            label = b->facet;
        char lower[256];
        kbi_slides_first_case(lower, sizeof lower, label, 0);
        rc = addf(&s, &len, " och %s", lower);
    }
    size_t n = kb_quote_list_count(b->quotes);
    if (!rc)
        rc = addf(&s, &len, " – %zu citat ur %zu dokument", n,
                  documents(b->quotes));
    if (rc) {
        free(s);
        return kbi_fail(b->err, KB_ENOMEM, "out of memory");
    }
    *out = s;
    return 0;
}

/* The data-structure figure of codebook cb, its counts the list's. */
static int structure(builder *b, const kb_codebook *cb)
{
    size_t *counts, first = b->deck->nslides;
    int rc = kbi_structure_list_counts(&counts, cb, b->quotes, b->err);
    if (rc)
        return rc;
    rc = kbi_structure_deck(b->deck, cb, counts, "Kodningsstruktur", b->err);
    free(counts);
    if (!rc && b->deck->nslides > first)
        rc = kbi_outline_add(&b->outline, 0, "Kodningsstruktur", first,
                             b->deck->nslides - 1, b->err);
    return rc;
}

/* The front slides o.parts asks for, before the quotes, each recorded
 * in the outline: the background, the structure, the overview. */
static int front(builder *b, const kbi_slides_about *about)
{
    int rc = 0, added = 0;
    if ((b->o.parts & KB_SLIDES_BACKGROUND) && about->cases &&
        !(rc = kbi_slides_background(b->deck, &added, about->cases,
                                     b->o.background, b->quotes, b->err)) &&
        added)
        rc =
            kbi_outline_add(&b->outline, 0, "Respondenternas bakgrund",
                            b->deck->nslides - 1, b->deck->nslides - 1, b->err);
    if (!rc && (b->o.parts & KB_SLIDES_STRUCTURE) && about->codebook)
        rc = structure(b, about->codebook);
    if (!rc && (b->o.parts & KB_SLIDES_OVERVIEW) && !(rc = overview(b)))
        rc =
            kbi_outline_add(&b->outline, 0, "\xc3\x96versikt: antal citat",
                            b->deck->nslides - 1, b->deck->nslides - 1, b->err);
    return rc;
}

/* The deck of b->quotes: its title page, the front slides, the quote
 * slides, then the outline of them all put first. */
static int build(builder *b, const kbi_slides_about *about, const char *title,
                 const char *date)
{
    const kb_slides_options *o = &b->o;
    const kb_quote_list *l = b->quotes;
    b->fi = kb_quote_list_facets(l);
    for (size_t i = 0; i < kb_quote_list_facets(l); i++)
        if (!strcmp(kb_quote_list_facet(l, i), b->facet))
            b->fi = i;
    int has_facet = b->fi < kb_quote_list_facets(l);
    if (!has_facet && o->per == KB_SLIDES_THEME_LEVEL)
        return kbi_fail(b->err, KB_EINVAL,
                        "the run has no facet '%s' for slides per theme and "
                        "level (try per theme)",
                        b->facet);
    int rc = 0;
    if (has_facet)
        rc = kb_matrix_build(&b->levels, l, "theme", b->facet, KB_COUNT_QUOTES,
                             b->err);
    if (!rc)
        rc = kb_matrix_build(&b->groups, l, "concept",
                             o->per == KB_SLIDES_THEME ? "theme" : b->facet,
                             KB_COUNT_QUOTES, b->err);
    if (rc)
        return rc;
    char *sub = NULL;
    if (!o->subtitle && (rc = subtitle(&sub, b)))
        return rc;
    rc = kbi_deck_new(&b->deck, o->title ? o->title : title,
                      o->subtitle ? o->subtitle : sub, o->date ? o->date : date,
                      b->err);
    free(sub);
    if (!rc)
        rc = front(b, about);
    /* the quotes' part, then its themes: its last slide known after them */
    size_t part = b->outline.n, first = b->deck ? b->deck->nslides : 0;
    if (!rc)
        rc = kbi_outline_add(&b->outline, 0,
                             o->per == KB_SLIDES_THEME
                                 ? "Citat per tema"
                                 : "Citat per tema och niv\xc3\xa5",
                             first, first, b->err);
    if (!rc)
        rc =
            o->per == KB_SLIDES_THEME ? theme_slides(b) : theme_level_slides(b);
    if (!rc && b->deck->nslides > first)
        b->outline.v[part].last = b->deck->nslides - 1;
    else if (!rc) /* no quote slides */
        free(b->outline.v[--b->outline.n].label);
    if (!rc && (o->parts & KB_SLIDES_OUTLINE))
        rc = kbi_outline_slide(b->deck, &b->outline, b->err);
    return rc;
}

/* The caller's options into *out, checked, with the defaults filled in; a
 * version 1 struct read as far as it goes. */
static int check_options(kb_slides_options *out, const kb_slides_options *o,
                         kb_error *err)
{
    static const kb_slides_options defaults = KB_SLIDES_OPTIONS_INIT;
    *out = defaults;
    if (!o)
        o = &defaults;
    if (o->version == 1)
        memcpy(out, o, offsetof(kb_slides_options, cite));
    else if (o->version == KB_SLIDES_OPTIONS_VERSION)
        *out = *o;
    else
        return kbi_fail(err, KB_EINVAL, "slides options version %u, not %d",
                        o->version, KB_SLIDES_OPTIONS_VERSION);
    out->version = KB_SLIDES_OPTIONS_VERSION;
    if (!out->omission)
        out->omission = "[...]";
    if (out->per != KB_SLIDES_THEME_LEVEL && out->per != KB_SLIDES_THEME)
        return kbi_fail(err, KB_EINVAL, "unknown slide grouping %d",
                        (int)out->per);
    if (out->format != KB_SLIDES_AUTO && out->format != KB_SLIDES_PPTX &&
        out->format != KB_SLIDES_MD)
        return kbi_fail(err, KB_EINVAL, "unknown slides format %d",
                        (int)out->format);
    if (out->cite < KB_CITE_NONE || out->cite > KB_CITE_FULL)
        return kbi_fail(err, KB_EINVAL, "unknown cite %d", (int)out->cite);
    if (out->marks != KB_MARKS_NONE && out->marks != KB_MARKS_SV)
        return kbi_fail(err, KB_EINVAL, "unknown quotation marks %d",
                        (int)out->marks);
    if (out->parts & ~(unsigned)KB_SLIDES_ALL)
        return kbi_fail(err, KB_EINVAL, "unknown slide parts %#x", out->parts);
    return 0;
}

int kbi_slides_deck_of(kbi_deck **out, const kb_quote_list *l,
                       const kb_slides_options *opts,
                       const kbi_slides_about *about, int manuscript,
                       const char *title, const char *date, kb_error *err)
{
    *out = NULL;
    static const kbi_slides_about none = {NULL, NULL, NULL};
    if (!about)
        about = &none;
    builder b = {.quotes = l,
                 .manuscript = manuscript,
                 .memos = about->memos,
                 .err = err};
    int rc = check_options(&b.o, opts, err);
    if (rc)
        return rc;
    b.facet = b.o.facet ? b.o.facet : "level";
    if (manuscript) { /* a document: every quote with all it came from */
        b.o.cite = KB_CITE_FULL;
        b.o.parts = KB_SLIDES_OVERVIEW;
    }
    if (b.o.label)
        rc = kbi_slides_label_check(l, b.o.label, err);
    else
        b.o.label = "{role}";
    if (!rc)
        rc = build(&b, about, title, date);
    kb_matrix_free(b.levels);
    kb_matrix_free(b.groups);
    kbi_outline_free(&b.outline);
    free(b.quoted);
    if (rc) {
        kbi_deck_free(b.deck);
        return rc;
    }
    *out = b.deck;
    return 0;
}

int kbi_slides_deck(kbi_deck **out, kb_project *p,
                    const kb_slides_options *opts, kb_error *err)
{
    *out = NULL;
    kb_slides_options o;
    int rc = check_options(&o, opts, err);
    if (rc)
        return rc;
    char when[128] = "", name[512] = "";
    const kb_quote_filter *f = o.filter;
    if ((rc = run_info(p, f ? f->run : 0, when, sizeof when, name, sizeof name,
                       err)))
        return rc;
    kb_quote_list *l;
    if ((rc = kb_project_quotes(&l, p, o.filter, err)))
        return rc;
    kb_memo_list *memos = NULL;
    kb_case_list *cases = NULL;
    kb_codebook *cb = NULL;
    rc = kb_project_memos(&memos, p, NULL, NULL, err);
    if (!rc)
        rc = kb_project_cases(&cases, p, err);
    if (!rc && (o.parts & KB_SLIDES_STRUCTURE))
        rc = kbi_structure_run_codebook(&cb, p, f ? f->run : 0, err);
    kbi_slides_about about = {memos, cases, cb};
    if (!rc)
        rc = kbi_slides_deck_of(out, l, &o, &about, 0, name, when, err);
    kb_codebook_free(cb);
    kb_case_list_free(cases);
    kb_memo_list_free(memos);
    kb_quote_list_free(l);
    return rc;
}

static int write_md(void *ctx, FILE *f, kb_error *err)
{
    return kbi_deck_write_md(ctx, f, err);
}

int kb_slides_write(FILE *out, kb_project *p, const char *path,
                    const kb_slides_options *opts, kb_error *err)
{
    kb_slides_options o;
    int rc = check_options(&o, opts, err);
    if (rc)
        return rc;
    size_t n = path ? strlen(path) : 0;
    kb_slides_format format = o.format;
    if (format == KB_SLIDES_AUTO)
        format = n >= 5 && !strcasecmp(path + n - 5, ".pptx") ? KB_SLIDES_PPTX
                                                              : KB_SLIDES_MD;
    if (!path && format == KB_SLIDES_PPTX)
        return kbi_fail(err, KB_EINVAL, "a PPTX deck needs a file to go to");
    if (!path && !out)
        return kbi_fail(err, KB_EINVAL, "no file or stream for the slides");
    kbi_deck *d;
    if ((rc = kbi_slides_deck(&d, p, &o, err)))
        return rc;
    if (format == KB_SLIDES_PPTX)
        rc = kbi_deck_write_pptx(d, path, err);
    else if (path)
        rc = kbi_file_write_atomic(path, write_md, d, err);
    else
        rc = kbi_deck_write_md(d, out, err);
    if (rc && path)
        kbi_error_set_file(err, path);
    kbi_deck_free(d);
    return rc;
}
