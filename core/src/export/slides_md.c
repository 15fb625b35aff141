/*
 * slides_md.c: a deck as Markdown that both Marp and Pandoc present.
 *
 * The file opens with front matter holding `marp: true` (Pandoc reads it as
 * metadata and ignores it) and a style scaling Marp's fonts to the PPTX
 * layout, so that the pages of kbi_deck_paginate fit Marp's slides too. Pages
 * are separated by `---`, and every page starts with a level-1 heading, its
 * title: Pandoc then takes level 1 as the slide level, and a rule followed
 * by such a heading makes one slide, not two. Paragraphs at level 0 are
 * paragraphs, deeper ones list items nested by level; tables are pipe
 * tables. A page's speaker notes (kbi_deck_paginate's) follow it as an HTML
 * comment, which Marp shows as presenter notes (and Pandoc leaves out); "--" in
 * them is written "- -", since it may not be in a comment.
 *
 * Invariant: text from the deck is never read as Markdown. Every character
 * that could start emphasis, code, a link, HTML, an entity, math, a table
 * cell or a heading attribute is backslash-escaped wherever it occurs, and
 * a line cannot begin a block (list, heading, quote, rule).
 */
#include "export/slides_md.h"
#include "export/deck.h"

#include "base/error.h"

#include <string.h>

/* Escapes s[0..n): one line of text (newlines are not expected). */
static void escape(FILE *f, const char *s, size_t n, int *line_start)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (*line_start) {
            if (c == ' ')
                continue; /* leading blanks could make a code block */
            *line_start = 0;
            if (strchr("+-=:", c)) {
                fputc('\\', f);
            } else if (c >= '0' && c <= '9') { /* "1." or "1)": a list */
                size_t j = i;
                while (j < n && s[j] >= '0' && s[j] <= '9')
                    j++;
                fwrite(s + i, 1, j - i, f);
                if (j < n && (s[j] == '.' || s[j] == ')'))
                    fputc('\\', f);
                i = j - 1;
                continue;
            }
        }
        if (strchr("\\`*_[]<>#|~$&^{}", c))
            fputc('\\', f);
        fputc(c, f);
    }
}

/* Emphasis markers of a style. */
static const char *marker(unsigned style)
{
    static const char *const m[] = {"", "**", "*", "***"};
    return m[style & 3];
}

/*
 * Runs of one paragraph. Consecutive runs of a style share one pair of
 * markers, and markers hug non-blank text (blanks go outside), as
 * CommonMark's flanking rules want.
 */
typedef struct md_para {
    FILE *f;
    unsigned open;  /* the style whose markers are open */
    size_t blanks;  /* blanks read but not yet written */
    const char *nl; /* what a line break writes */
    int line_start;
} md_para;

static void md_text(md_para *m, const char *s, size_t n, unsigned style)
{
    size_t a = 0, b = n;
    while (a < b && s[a] == ' ')
        a++;
    while (b > a && s[b - 1] == ' ')
        b--;
    if (a == b) {
        m->blanks += n;
        return;
    }
    if (style != m->open) {
        fputs(marker(m->open), m->f);
        m->open = 0;
    }
    m->blanks += a;
    if (!m->line_start)
        for (; m->blanks; m->blanks--)
            fputc(' ', m->f);
    m->blanks = 0;
    if (style != m->open) {
        fputs(marker(style), m->f);
        m->open = style;
    }
    escape(m->f, s + a, b - a, &m->line_start);
    m->blanks = n - b;
}

static int md_run(void *ctx, const char *s, size_t n, unsigned style)
{
    md_para *m = ctx;
    for (;;) {
        const char *nl = memchr(s, '\n', n);
        size_t k = nl ? (size_t)(nl - s) : n;
        md_text(m, s, k, style);
        if (!nl)
            return 0;
        fputs(marker(m->open), m->f); /* a hard break, markers closed */
        m->open = 0;
        m->blanks = 0;
        fputs(m->nl, m->f);
        m->line_start = 1;
        s += k + 1;
        n -= k + 1;
    }
}

/* One paragraph piece: level 0 a paragraph, deeper levels list items. */
static void md_piece(FILE *f, const kbi_deck_slide *s, const kbi_deck_piece *pc,
                     int *in_list)
{
    static const char *const bullet[] = {"", "- ", "  - "};
    static const char *const cont[] = {"\\\n", "\\\n  ", "\\\n    "};
    int level = s->paras[pc->para].level;
    if (level == 0 || !*in_list)
        fputc('\n', f);
    *in_list = level > 0;
    fputs(bullet[level], f);
    md_para m = {f, 0, 0, cont[level], 1};
    kbi_deck_piece_each(s, pc, md_run, &m);
    fputs(marker(m.open), f);
    fputc('\n', f);
}

/* s escaped on one line, its newlines made spaces. */
static void escape_flat(FILE *f, const char *s)
{
    int line_start = 1;
    for (;;) {
        size_t k = strcspn(s, "\n");
        escape(f, s, k, &line_start);
        if (!s[k])
            return;
        fputc(' ', f);
        s += k + 1;
    }
}

static void md_cell(FILE *f, const char *s)
{
    fputs("| ", f);
    escape_flat(f, s);
    fputc(' ', f);
}

static void md_table(FILE *f, const kbi_deck_page *pg)
{
    const kbi_deck_slide *t = pg->slide;
    fputc('\n', f);
    for (size_t c = 0; c < t->ncols; c++)
        md_cell(f, t->cells[c]);
    fputs("|\n", f);
    for (size_t c = 0; c < t->ncols; c++)
        fputs(kbi_deck_col_numeric(t, c) ? "|---:" : "|:---", f);
    fputs("|\n", f);
    for (size_t r = pg->row0; r < pg->row1; r++) {
        for (size_t c = 0; c < t->ncols; c++)
            md_cell(f, t->cells[r * t->ncols + c]);
        fputs("|\n", f);
    }
}

/* A heading or paragraph of plain text on one line. */
/* Speaker notes as an HTML comment of their own. */
static void md_notes(FILE *f, const char *notes)
{
    fputs("\n<!--\n", f);
    for (const char *s = notes; *s; s++) {
        fputc(*s, f);
        if (*s == '-' && (s[1] == '-' || (s[1] == '\0')))
            fputc(' ', f); /* neither "--" nor "--->" */
    }
    fputs("\n-->\n", f);
}

static void md_line(FILE *f, const char *prefix, const char *s)
{
    fputs(prefix, f);
    escape_flat(f, s);
    fputc('\n', f);
}

int kbi_deck_write_md(const kbi_deck *d, FILE *f, kb_error *err)
{
    kbi_deck_pages pages = {0};
    int rc = kbi_deck_paginate(&pages, d, err);
    if (rc)
        return rc;
    /* Marp's slides are 1280 x 720 px: 4/3 px per point of the PPTX. */
    fputs("---\n"
          "marp: true\n"
          "paginate: true\n"
          "lang: sv\n"
          "style: |\n"
          "  section { font-size: 21px; line-height: 1.2; padding: 24px 58px; "
          "justify-content: flex-start; }\n"
          "  h1 { font-size: 37px; margin: 0 0 28px; }\n"
          "  p, li { margin: 5px 0; }\n"
          "  table { font-size: 19px; }\n"
          "---\n",
          f);
    for (size_t i = 0; i < pages.n; i++) {
        const kbi_deck_page *pg = &pages.v[i];
        if (i)
            fputs("\n---\n", f);
        fputc('\n', f);
        md_line(f, "# ", pg->title);
        if (pg->kind == KBI_PAGE_COVER) {
            if (*d->subtitle)
                md_line(f, "\n", d->subtitle);
            if (*d->date)
                md_line(f, "\n", d->date);
        } else if (pg->kind == KBI_PAGE_TABLE) {
            md_table(f, pg);
        } else {
            int in_list = 0;
            for (size_t p = 0; p < pg->npieces; p++)
                md_piece(f, pg->slide, &pg->pieces[p], &in_list);
        }
        if (pg->notes)
            md_notes(f, pg->notes);
    }
    kbi_deck_pages_free(&pages);
    if (fflush(f) || ferror(f))
        return kbi_fail(err, KB_EIO, "cannot write the Markdown slides");
    return 0;
}
