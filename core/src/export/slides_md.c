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
 * them is written "- -", since it may not be in a comment. A figure page
 * is its drawing as an SVG image, inlined as a data URI so that the file
 * stands alone.
 *
 * Invariant: text from the deck is never read as Markdown. Every character
 * that could start emphasis, code, a link, HTML, an entity, math, a table
 * cell or a heading attribute is backslash-escaped wherever it occurs, and
 * a line cannot begin a block (list, heading, quote, rule).
 */
#include "export/slides_md.h"
#include "export/deck.h"
#include "export/svg.h"

#include "base/error.h"
#include "base/xml.h"

#include <nettle/base64.h>
#include <stdlib.h>
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

/* ------------------------------------------------------------------------ */
/* Figures                                                                   */
/* ------------------------------------------------------------------------ */

/* Marp's slide is 1280 px wide, less its padding: the widest an image is,
 * with a blank edge around the drawing so that no outline is cut. */
#define MARP_PX_PER_PT (4.0 / 3.0)
#define MARP_IMAGE_W   1164.0
#define SVG_EDGE       2

/* v with two decimals into buf, whatever the locale. */
static void fixed(char *buf, size_t size, double v)
{
    long c = (long)(v * 100 + (v < 0 ? -0.5 : 0.5));
    snprintf(buf, size, "%s%ld.%02ld", c < 0 ? "-" : "", labs(c) / 100,
             labs(c) % 100);
}

static void attr_num(kbi_xml *s, const char *name, double v)
{
    char buf[32];
    fixed(buf, sizeof buf, v);
    kbi_xml_attr(s, name, buf);
}

/* A figure's shape: its rectangle, then its lines of text centred on it
 * vertically, k pixels to a unit. */
static void svg_shape(kbi_xml *s, const kbi_deck_shape *sh, double k)
{
    if (*sh->fill || *sh->stroke) {
        kbi_xml_open(s, "rect");
        attr_num(s, "x", sh->x * k);
        attr_num(s, "y", sh->y * k);
        attr_num(s, "width", sh->w * k);
        attr_num(s, "height", sh->h * k);
        kbi_xml_attrf(s, "fill", *sh->fill ? "#%s" : "none", sh->fill);
        kbi_xml_attrf(s, "stroke", *sh->stroke ? "#%s" : "none", sh->stroke);
        kbi_xml_close(s);
    }
    size_t lines = 1;
    for (const char *c = sh->text; *c; c++)
        lines += *c == '\n';
    /* a line's baseline: its middle, less half the height of capitals */
    double top = sh->y + (sh->h - (double)lines * sh->line) / 2;
    double base = sh->line / 2 + sh->pt * 0.35;
    kbi_xml_open(s, "g");
    kbi_xml_attrf(s, "fill", "#%s", sh->ink);
    attr_num(s, "font-size", sh->pt * k);
    if (sh->style & KBI_RUN_BOLD)
        kbi_xml_attr(s, "font-weight", "bold");
    if (sh->centred)
        kbi_xml_attr(s, "text-anchor", "middle");
    const char *t = sh->text;
    for (size_t i = 0; i < lines; i++) {
        size_t n = strcspn(t, "\n");
        kbi_xml_open(s, "text");
        attr_num(s, "x",
                 (sh->centred ? sh->x + sh->w / 2 : sh->x + sh->pad) * k);
        attr_num(s, "y", (top + (double)i * sh->line + base) * k);
        kbi_xml_text(s, t, n);
        kbi_xml_close(s);
        t += n + (t[n] != '\0');
    }
    kbi_xml_close(s);
}

/* A link: across half the gap, up or down, on to the other box. */
static void svg_link(kbi_xml *s, const kbi_deck_figure *fig,
                     const kbi_deck_link *l, double k)
{
    const kbi_deck_shape *a = &fig->shapes[l->from], *b = &fig->shapes[l->to];
    double x0 = (a->x + a->w) * k, y0 = (a->y + a->h / 2) * k;
    double x1 = b->x * k, y1 = (b->y + b->h / 2) * k, mid = (x0 + x1) / 2;
    kbi_xml_open(s, "polyline");
    kbi_xml_attr(s, "fill", "none");
    kbi_xml_attrf(s, "stroke", "#%s", l->rgb);
    attr_num(s, "stroke-width", 1.25);
    double pts[] = {x0, y0, mid, y0, mid, y1, x1, y1};
    char buf[256], num[32];
    buf[0] = '\0';
    for (size_t i = 0; i < 8; i++) {
        fixed(num, sizeof num, pts[i]);
        strcat(buf, i ? (i % 2 ? "," : " ") : "");
        strcat(buf, num);
    }
    kbi_xml_attr(s, "points", buf);
    kbi_xml_close(s);
}

/*
 * A figure page as an image: the drawing as SVG, its size on Marp's slide
 * that of the page's body on the PPTX's (narrowed to Marp's width), in a
 * data URI, the slide's title as its text. KB_ENOMEM.
 */
static int md_figure(FILE *f, const kbi_deck_page *pg)
{
    const kbi_deck_figure *fig = pg->slide->figure;
    double k = pg->scale * MARP_PX_PER_PT;
    if (fig->w * k + 2 * SVG_EDGE > MARP_IMAGE_W)
        k = (MARP_IMAGE_W - 2 * SVG_EDGE) / fig->w;
    kbi_xml s;
    if (kbi_xml_begin(&s, NULL, 0))
        return KB_ENOMEM;
    /* every text sets its size; the root's is that of the first shape */
    int pt = (int)(k * (fig->nshapes ? fig->shapes[0].pt : 1) + 0.5);
    kbi_svg_open(&s, (int)(fig->w * k + 0.999) + 2 * SVG_EDGE,
                 (int)(fig->h * k + 0.999) + 2 * SVG_EDGE, "", pt,
                 pg->slide->title);
    kbi_xml_open(&s, "g");
    kbi_xml_attrf(&s, "transform", "translate(%d,%d)", SVG_EDGE, SVG_EDGE);
    for (size_t i = 0; i < fig->nlinks; i++)
        svg_link(&s, fig, &fig->links[i], k);
    for (size_t i = 0; i < fig->nshapes; i++)
        svg_shape(&s, &fig->shapes[i], k);
    size_t n;
    const char *xml = kbi_xml_finish(&s, &n);
    char *b64 = xml ? malloc(BASE64_ENCODE_RAW_LENGTH(n) + 1) : NULL;
    if (!b64) {
        kbi_xml_free(&s);
        return KB_ENOMEM;
    }
    base64_encode_raw(b64, n, (const uint8_t *)xml);
    b64[BASE64_ENCODE_RAW_LENGTH(n)] = '\0';
    kbi_xml_free(&s);
    fputs("\n![", f);
    escape_flat(f, pg->slide->title);
    fprintf(f, "](data:image/svg+xml;base64,%s)\n", b64);
    free(b64);
    return 0;
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
        } else if (pg->kind == KBI_PAGE_FIGURE) {
            if (md_figure(f, pg)) {
                kbi_deck_pages_free(&pages);
                return kbi_fail(err, KB_ENOMEM, "out of memory");
            }
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
