/*
 * slides.c: kb_slides_write, the quotes of a run as a slide deck
 * (docs/slides.md). The quotes come from kb_project_quotes and are grouped
 * by kb_matrix_build; the deck (deck.h) is written by pptx.c or slides_md.c.
 *
 * Invariants: the deck follows the matrix. The overview table is the theme
 * × level matrix of the quotes, and a theme-and-level slide holds exactly
 * the quotes of that level's column of the concept × level matrix whose
 * concept belongs to the theme (per theme: the theme's column of the
 * concept × theme matrix), so a slide's quotes, shown and counted, add up
 * to its cell in the overview. Concepts come in codebook order, levels in
 * the facet's order, quotes in the list's order (document, position). A
 * file is replaced only once it is complete. With notes asked for, a
 * slide's speaker notes are the memos on its theme, then on its concepts
 * in the order they are shown.
 */
#include "export/slides.h"
#include "export/pptx.h"
#include "export/slides_md.h"

#include "quotes/facet_list.h"
#include "base/error.h"
#include "base/file.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

typedef struct builder {
    kbi_deck *deck;
    const kb_slides_options *o;
    const kb_quote_list *quotes;
    const char *facet; /* the level facet's id */
    size_t fi;         /* its index among the list's facets, or nfacets */
    kb_matrix *levels; /* theme × level; NULL without the facet */
    kb_matrix *groups; /* concept × level, or concept × theme (per theme) */
    int manuscript;    /* quotes with speaker, time and memo too */
    const kb_memo_list *memos; /* for the speaker notes; NULL without them */
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
 * What follows a quote, in italics: " (ip03)", with the levels per theme
 * in the facet's order (" (ip03, Regional nivå)"), and who coded it when
 * coders did: " (ip03, manuell: anna, bo)", " (ip03, regel, manuell:
 * anna)" when the rules found it too, " (ip03, accepterat: bo)" for a
 * quote a coder accepted in review. In a manuscript the speaker and the
 * time follow the case: " (ip03, IP3, 00:12:31)". *out is malloc'ed.
 */
static int quote_source(char **out, const builder *b, const kb_quote_row *q)
{
    *out = NULL;
    char *s = NULL;
    size_t len = 0;
    int rc = addf(&s, &len, " (%s", case_of(q));
    if (!rc && b->manuscript && q->speaker)
        rc = addf(&s, &len, ", %s", q->speaker);
    char time[32];
    if (!rc && b->manuscript && q->time_ms != KB_NO_TIME)
        rc = addf(&s, &len, ", %s", kb_time_text(time, q->time_ms));
    const char *v = b->o->per == KB_SLIDES_THEME && q->facets &&
                            b->fi < kb_quote_list_facets(b->quotes)
                        ? q->facets[b->fi]
                        : NULL;
    /* the quote's levels in the facet's order, by their labels */
    for (size_t c = 0; !rc && v && c < kb_matrix_cols(b->levels); c++)
        if (kbi_facet_listed(v, kb_matrix_col_key(b->levels, c)))
            rc = addf(&s, &len, ", %s", kb_matrix_col_label(b->levels, c));
    if (!rc && q->coder && !strcmp(q->source, "auto"))
        rc = addf(&s, &len, ", regel");
    if (!rc)
        rc = add_coders(&s, &len, "manuell", q->tagged_by);
    if (!rc)
        rc = add_coders(&s, &len, "accepterat", q->accepted_by);
    if (!rc)
        rc = addf(&s, &len, ")");
    if (rc) {
        free(s);
        return kbi_fail(b->err, KB_ENOMEM, "out of memory");
    }
    *out = s;
    return 0;
}

/* One quote as a level-1 paragraph: the text (shortened around the rules'
 * match when they found it), then its source; in a manuscript its memo as
 * a level-2 paragraph below. */
static int add_quote(builder *b, size_t i)
{
    const kb_quote_row *q = kb_quote_list_get(b->quotes, i);
    char *text = NULL, *source = NULL;
    int rc = kb_quote_excerpt(&text, q, b->o->max_words, b->err);
    if (!rc)
        rc = quote_source(&source, b, q);
    if (!rc)
        rc = kbi_deck_para_add(b->deck, 1, b->err);
    if (!rc)
        rc = kbi_deck_run_add(b->deck, KBI_RUN_PLAIN, text, b->err);
    if (!rc)
        rc = kbi_deck_run_add(b->deck, KBI_RUN_ITALIC, source, b->err);
    if (!rc && b->manuscript && q->memo && *q->memo &&
        !(rc = kbi_deck_para_add(b->deck, 2, b->err)) &&
        !(rc = kbi_deck_run_add(b->deck, KBI_RUN_BOLD, "Memo: ", b->err)))
        rc = kbi_deck_run_add(b->deck, KBI_RUN_ITALIC, q->memo, b->err);
    free(text);
    free(source);
    return rc;
}

/*
 * Picks `shown` of the n quotes qs[0..n) (in list order) into pick[0..n):
 * first one from each case in turn, so that a short slide quotes as many
 * informants as it can, then the rest in order.
 */
static void pick_quotes(char *pick, const builder *b, const size_t *qs,
                        size_t n, size_t shown)
{
    memset(pick, 0, n);
    size_t k = 0;
    for (size_t i = 0; i < n && k < shown; i++) {
        const char *c = case_of(kb_quote_list_get(b->quotes, qs[i]));
        int seen = 0;
        for (size_t j = 0; j < i && !seen; j++)
            seen = pick[j] &&
                   !strcmp(c, case_of(kb_quote_list_get(b->quotes, qs[j])));
        if (!seen) {
            pick[i] = 1;
            k++;
        }
    }
    for (size_t i = 0; i < n && k < shown; i++)
        if (!pick[i]) {
            pick[i] = 1;
            k++;
        }
}

/*
 * A concept's quotes on the current slide: its label in bold, then its
 * quotes in list order, or max_quotes of them (from as many cases as can
 * be) and a line counting the rest. A passage the rules and coders (or
 * several coders) coded alike is one quote of the list, shown once.
 */
static int add_group(builder *b, const char *label, const size_t *qs, size_t n)
{
    char *pick = malloc(n ? n : 1);
    if (!pick)
        return kbi_fail(b->err, KB_ENOMEM, "out of memory");
    size_t shown =
        b->o->max_quotes && b->o->max_quotes < n ? b->o->max_quotes : n;
    pick_quotes(pick, b, qs, n, shown);
    int rc = kbi_deck_para_add(b->deck, 0, b->err);
    if (!rc)
        rc = kbi_deck_run_add(b->deck, KBI_RUN_BOLD, label, b->err);
    for (size_t i = 0; !rc && i < n; i++)
        if (pick[i])
            rc = add_quote(b, qs[i]);
    free(pick);
    if (!rc && shown < n) {
        char more[64];
        snprintf(more, sizeof more, "+ %zu citat till", n - shown);
        if (!(rc = kbi_deck_para_add(b->deck, 1, b->err)))
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
        if (m->target != KB_MEMO_CODE || m->kind != kind || strcmp(m->name, id))
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

/* A slide per theme and level with quotes: "Struktur: Regional nivå". */
static int theme_level_slides(builder *b)
{
    const kb_matrix *L = b->levels, *G = b->groups;
    int rc = 0;
    for (size_t t = 0; !rc && t < kb_matrix_rows(L); t++)
        for (size_t c = 0; !rc && c < kb_matrix_cols(L); c++) {
            if (!kb_matrix_cell(L, t, c))
                continue;
            const char *theme = kb_matrix_row_key(L, t);
            char *title = NULL;
            size_t len = 0;
            if (addf(&title, &len, "%s: %s", kb_matrix_row_label(L, t),
                     kb_matrix_col_label(L, c)))
                return kbi_fail(b->err, KB_ENOMEM, "out of memory");
            rc = kbi_deck_slide_add(b->deck, title, b->err);
            free(title);
            if (!rc)
                rc = memo_notes(b, KB_CODE_THEME, theme,
                                kb_matrix_row_label(L, t));
            /* both matrices list the facet's values in codebook order */
            for (size_t k = 0; !rc && k < kb_matrix_rows(G); k++) {
                const size_t *qs;
                size_t n = kb_matrix_cell_quotes(G, k, c, &qs);
                const kb_quote_row *q0 =
                    n ? kb_quote_list_get(b->quotes, qs[0]) : NULL;
                if (q0 && q0->theme && !strcmp(q0->theme, theme))
                    rc = add_group(b, kb_matrix_row_label(G, k), qs, n);
                if (!rc && q0 && q0->theme && !strcmp(q0->theme, theme))
                    rc = memo_notes(b, KB_CODE_CONCEPT, kb_matrix_row_key(G, k),
                                    kb_matrix_row_label(G, k));
            }
            if (!rc)
                rc = theme_group(b, theme, kb_matrix_row_label(L, t),
                                 kb_matrix_col_key(L, c));
        }
    return rc;
}

/* A slide per theme with quotes, each quote's level after its case. */
static int theme_slides(builder *b)
{
    const kb_matrix *G = b->groups;
    int rc = 0;
    for (size_t t = 0; !rc && t < kb_matrix_cols(G); t++) {
        if (!kb_matrix_col_total(G, t))
            continue;
        rc = kbi_deck_slide_add(b->deck, kb_matrix_col_label(G, t), b->err);
        if (!rc)
            rc = memo_notes(b, KB_CODE_THEME, kb_matrix_col_key(G, t),
                            kb_matrix_col_label(G, t));
        for (size_t k = 0; !rc && k < kb_matrix_rows(G); k++) {
            const size_t *qs;
            size_t n = kb_matrix_cell_quotes(G, k, t, &qs);
            if (n)
                rc = add_group(b, kb_matrix_row_label(G, k), qs, n);
            if (!rc && n)
                rc = memo_notes(b, KB_CODE_CONCEPT, kb_matrix_row_key(G, k),
                                kb_matrix_row_label(G, k));
        }
        if (!rc)
            rc = theme_group(b, kb_matrix_col_key(G, t),
                             kb_matrix_col_label(G, t), NULL);
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
    if (!rc && b->o->per == KB_SLIDES_THEME_LEVEL) {
        /* the facet's label, lower case first: "Nivå" reads "nivå" */
        const char *label = kb_quote_list_label(b->quotes, b->facet);
        if (!label)
            label = b->facet;
        utf8proc_int32_t cp;
        utf8proc_ssize_t k =
            utf8proc_iterate((const utf8proc_uint8_t *)label, -1, &cp);
        utf8proc_uint8_t first[4];
        utf8proc_ssize_t w =
            k > 0 ? utf8proc_encode_char(utf8proc_tolower(cp), first) : 0;
        rc = addf(&s, &len, " och %.*s%s", (int)w, (const char *)first,
                  label + (k > 0 ? k : 0));
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

/* The deck of b->quotes: its title page, the overview, the quote slides. */
static int build(builder *b, const char *title, const char *date)
{
    const kb_slides_options *o = b->o;
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
        rc = overview(b);
    if (!rc)
        rc =
            o->per == KB_SLIDES_THEME ? theme_slides(b) : theme_level_slides(b);
    return rc;
}

static int check_options(const kb_slides_options *o, kb_error *err)
{
    if (o->version != KB_SLIDES_OPTIONS_VERSION)
        return kbi_fail(err, KB_EINVAL, "slides options version %u, not %d",
                        o->version, KB_SLIDES_OPTIONS_VERSION);
    if (o->per != KB_SLIDES_THEME_LEVEL && o->per != KB_SLIDES_THEME)
        return kbi_fail(err, KB_EINVAL, "unknown slide grouping %d",
                        (int)o->per);
    if (o->format != KB_SLIDES_AUTO && o->format != KB_SLIDES_PPTX &&
        o->format != KB_SLIDES_MD)
        return kbi_fail(err, KB_EINVAL, "unknown slides format %d",
                        (int)o->format);
    return 0;
}

int kbi_slides_deck_of(kbi_deck **out, const kb_quote_list *l,
                       const kb_slides_options *o, const kb_memo_list *memos,
                       int manuscript, const char *title, const char *date,
                       kb_error *err)
{
    *out = NULL;
    builder b = {.o = o,
                 .quotes = l,
                 .facet = o->facet ? o->facet : "level",
                 .manuscript = manuscript,
                 .memos = memos,
                 .err = err};
    int rc = build(&b, title, date);
    kb_matrix_free(b.levels);
    kb_matrix_free(b.groups);
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
    static const kb_slides_options defaults = KB_SLIDES_OPTIONS_INIT;
    const kb_slides_options *o = opts ? opts : &defaults;
    int rc = check_options(o, err);
    if (rc)
        return rc;
    char when[128] = "", name[512] = "";
    const kb_quote_filter *f = o->filter;
    if ((rc = run_info(p, f ? f->run : 0, when, sizeof when, name, sizeof name,
                       err)))
        return rc;
    kb_quote_list *l;
    if ((rc = kb_project_quotes(&l, p, o->filter, err)))
        return rc;
    kb_memo_list *memos = NULL;
    if (o->notes)
        rc = kb_project_memos(&memos, p, NULL, NULL, err);
    if (!rc)
        rc = kbi_slides_deck_of(out, l, o, memos, 0, name, when, err);
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
    static const kb_slides_options defaults = KB_SLIDES_OPTIONS_INIT;
    const kb_slides_options *o = opts ? opts : &defaults;
    int rc = check_options(o, err);
    if (rc)
        return rc;
    size_t n = path ? strlen(path) : 0;
    kb_slides_format format = o->format;
    if (format == KB_SLIDES_AUTO)
        format = n >= 5 && !strcasecmp(path + n - 5, ".pptx") ? KB_SLIDES_PPTX
                                                              : KB_SLIDES_MD;
    if (!path && format == KB_SLIDES_PPTX)
        return kbi_fail(err, KB_EINVAL, "a PPTX deck needs a file to go to");
    if (!path && !out)
        return kbi_fail(err, KB_EINVAL, "no file or stream for the slides");
    kbi_deck *d;
    if ((rc = kbi_slides_deck(&d, p, o, err)))
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
