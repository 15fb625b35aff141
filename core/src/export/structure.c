/*
 * export/structure.c: the Gioia data-structure figure of a codebook
 * (kb_structure_write): first-order concepts in the left column,
 * second-order themes in the middle, aggregate dimensions on the right,
 * each box joined to its parent's box by an elbow line. SVG is laid out
 * here and written with libxml2's xmlTextWriter; DOT leaves the layout to
 * Graphviz and gets the same wrapped labels. A deck gets the same layout as
 * figure slides (kbi_structure_deck), one layout per slide of the nodes on
 * it, the slides filled with whole themes while their labels stay readable.
 *
 * Invariants of the layout:
 * - every coordinate is a whole number of pixels, so the output does not
 *   depend on the locale and is the same byte for byte on every run;
 * - boxes never overlap: a theme's group is as tall as the taller of its box
 *   and its concepts' block, both centred in it (so the theme is centred on
 *   its concepts), and a dimension's group likewise over its themes' groups;
 * - a label is wrapped at spaces (a word wider than its box is cut after a
 *   slash or hyphen, or before its count, else between code points) so that its
 * width by the estimate in kbi_svg_text_width() fits inside the box's padding;
 * the estimate is at least what DejaVu Sans needs, and Helvetica, Arial and
 * Liberation Sans are narrower;
 * - a line starts on its child's right edge and ends on its parent's left
 *   edge, both at the boxes' vertical centres.
 */
#include "export/structure.h"
#include "export/svg.h"
#include "codebook/codebook.h"
#include "store/runs.h"
#include "base/error.h"
#include "base/xml.h"
#include "base/grow.h"
#include "base/utf8.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The no-break space that keeps a count with the last word of its label. */
#define NBSP "\xc2\xa0"

enum { COL_CONCEPT, COL_THEME, COL_DIMENSION, NCOLS };

/* Layout in pixels. */
enum {
    FONT = 13,       /* label font size */
    LINE = 18,       /* label line height (even, so centres are whole) */
    BASELINE = 14,   /* a line's baseline below its top */
    PAD_X = 10,      /* text to the box's left and right edges */
    PAD_Y = 7,       /* text to the box's top and bottom edges */
    HEAD_FONT = 14,  /* column headers, bold */
    HEAD_LINE = 18,  /* header line height */
    HEAD_GAP = 14,   /* headers to the first box */
    MARGIN = 24,     /* around the figure */
    GAP_COL = 64,    /* between columns, where the lines run */
    GAP_CONCEPT = 6, /* between the concepts of one theme */
    GAP_THEME = 18,  /* between the themes of one dimension */
    GAP_DIM = 34     /* between dimensions */
};

static const int COL_WIDTH[NCOLS] = {320, 240, 240};

/* Graphviz maps these PostScript names to the fonts it has (for SVG output,
 * to font-family="Helvetica,sans-Serif" with font-weight="bold"). */
static const char DOT_FONT[] = "Helvetica", DOT_BOLD[] = "Helvetica-Bold";

/* Colours (RRGGBB): concept, theme, dimension boxes; their text; lines. */
static const char *const FILL[NCOLS] = {"ffffff", "e6eef7", "3b6ea5"};
static const char *const STROKE[NCOLS] = {"8a96a3", "3b6ea5", "2c5784"};
static const char *const INK[NCOLS] = {"1f2933", "17324d", "ffffff"};
static const char LINK[] = "8a96a3";

static const char *const HEADERS[2][NCOLS] = {
    {"Första ordningens begrepp", "Andra ordningens teman",
     "Aggregerade dimensioner"},
    {"First-order concepts", "Second-order themes", "Aggregate dimensions"},
};

/* One line of a box: bytes of the box's text. */
typedef struct span {
    size_t start, len;
} span;

typedef struct box {
    size_t node;        /* codebook index (KB_NO_INDEX for a header) */
    size_t parent;      /* index of the parent's box, or KB_NO_INDEX */
    int col;            /* COL_* */
    int x, y, w, h;     /* pixels */
    const char *text;   /* the label, white space collapsed, and "(n)" */
    size_t line, nline; /* its lines in layout.lines */
} box;

typedef struct layout {
    const kb_codebook *cb;
    box *b; /* the headers, then one box per drawn node in codebook order */
    size_t nb, capb;
    span *lines;
    size_t nl, capl;
    size_t *box_of; /* node -> box index, or KB_NO_INDEX */
    int ncols;      /* 3, or 2 without dimensions */
    int colx[NCOLS];
    int width, height;
    kbi_pool strings;
} layout;

/* ------------------------------------------------------------------------ */
/* Labels                                                                    */
/* ------------------------------------------------------------------------ */

/* The label with runs of white space made one space, trimmed, and " (n)"
 * (after a no-break space) when a count is given; owned by the pool. NULL
 * when out of memory. */
static const char *box_text(layout *L, const char *label, size_t count)
{
    size_t n = strlen(label);
    char *t = malloc(n + 32);
    int fail = 0;
    if (!kbi_pool_own(&L->strings, t, &fail))
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        int space = label[i] == ' ' || label[i] == '\t' || label[i] == '\n' ||
                    label[i] == '\r';
        if (!space)
            t[k++] = label[i];
        else if (k && t[k - 1] != ' ')
            t[k++] = ' ';
    }
    if (k && t[k - 1] == ' ')
        k--;
    t[k] = '\0';
    /* A no-break space (U+00A0) keeps the count with the last word. */
    if (count != KB_NO_COUNT)
        snprintf(t + k, 32, "%s(%zu)", k ? NBSP : "", count);
    return t;
}

static int add_line(layout *L, box *bx, size_t start, size_t len)
{
    if (KBI_GROW(&L->lines, &L->capl, L->nl + 1))
        return -1;
    L->lines[L->nl++] = (span){start, len};
    bx->nline++;
    return 0;
}

/*
 * Wraps bx->text into lines no wider than `px` pixels at font size `size`:
 * greedily at spaces; a word wider than a line alone is cut after its last
 * slash or hyphen that fits, or before the count, else between code
 * points. Returns 0, or -1 when out of memory.
 */
static int wrap(layout *L, box *bx, int px, int size, int bold)
{
    const char *t = bx->text;
    size_t n = strlen(t), pos = 0;
    long limit = (long)px * 1000 / size;
    bx->line = L->nl;
    bx->nline = 0;
    while (pos < n) {
        size_t end = pos, next = pos;
        /* Whole words while they fit. */
        while (next < n) {
            const char *sp = strchr(t + next, ' ');
            size_t we = sp ? (size_t)(sp - t) : n;
            if (kbi_svg_text_width(t + pos, we - pos, bold) > limit)
                break;
            end = we;
            next = we < n ? we + 1 : n;
        }
        if (end == pos) { /* the word alone is too wide: cut it */
            end = pos + kbi_utf8_seqlen((unsigned char)t[pos]);
            size_t brk = 0, after = 0; /* the last place it may break */
            while (end < n && t[end] != ' ') {
                if (t[end - 1] == '/' || t[end - 1] == '-')
                    brk = after = end;
                else if (!strncmp(t + end, NBSP, sizeof NBSP - 1))
                    brk = end, after = end + sizeof NBSP - 1;
                size_t e = end + kbi_utf8_seqlen((unsigned char)t[end]);
                if (kbi_svg_text_width(t + pos, e - pos, bold) > limit)
                    break;
                end = e;
            }
            /* after a slash or a hyphen, or before the count, rather than
             * between any two code points */
            if (end < n && t[end] != ' ' && brk)
                end = brk, next = after;
            else
                next = end < n && t[end] == ' ' ? end + 1 : end;
        }
        if (add_line(L, bx, pos, end - pos))
            return -1;
        pos = next;
    }
    if (!bx->nline && add_line(L, bx, 0, 0)) /* an empty label: one line */
        return -1;
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Layout                                                                    */
/* ------------------------------------------------------------------------ */

static int column_of(kb_code_kind kind)
{
    switch (kind) {
    case KB_CODE_CONCEPT:
        return COL_CONCEPT;
    case KB_CODE_THEME:
        return COL_THEME;
    case KB_CODE_DIMENSION:
        return COL_DIMENSION;
    default:
        return -1;
    }
}

/* Height of a node's group: the taller of its box and its children's block
 * (children's groups with `gap` between them). With place, puts the box
 * and the children's groups in it from `y` down, both centred. */
static int group(layout *L, size_t node, int y, int place)
{
    box *bx = &L->b[L->box_of[node]];
    int gap = bx->col == COL_DIMENSION ? GAP_THEME : GAP_CONCEPT;
    int block = 0, k = 0;
    size_t n = kb_codebook_count(L->cb);
    for (size_t i = 0; i < n; i++)
        if (kb_codebook_get(L->cb, i)->parent == node &&
            L->box_of[i] != KB_NO_INDEX)
            block += group(L, i, 0, 0) + (k++ ? gap : 0);
    int h = block > bx->h ? block : bx->h;
    if (!place)
        return h;
    bx->y = y + (h - bx->h) / 2;
    int cy = y + (h - block) / 2;
    for (size_t i = 0; i < n; i++)
        if (kb_codebook_get(L->cb, i)->parent == node &&
            L->box_of[i] != KB_NO_INDEX)
            cy += group(L, i, cy, 1) + gap;
    return h;
}

static void layout_free(layout *L)
{
    free(L->b);
    free(L->lines);
    free(L->box_of);
    kbi_pool_free(&L->strings);
}

/*
 * Lays out the boxes of the nodes of cb, all of them, or those with
 * keep[node] set (a node's parent must be kept with it). Returns 0, or -1
 * when out of memory; layout_free frees L either way.
 */
static int layout_build(layout *L, const kb_codebook *cb, const size_t *counts,
                        int english, const unsigned char *keep)
{
    memset(L, 0, sizeof *L);
    L->cb = cb;
    size_t n = kb_codebook_count(cb);
    L->box_of = malloc((n ? n : 1) * sizeof *L->box_of);
    if (!L->box_of)
        return -1;
    L->ncols = 2;
    for (size_t i = 0; i < n; i++)
        if (kb_codebook_get(cb, i)->kind == KB_CODE_DIMENSION)
            L->ncols = 3;
    for (int c = 0, x = MARGIN; c < NCOLS; c++) {
        L->colx[c] = x;
        x += COL_WIDTH[c] + GAP_COL;
    }
    L->width = L->colx[L->ncols - 1] + COL_WIDTH[L->ncols - 1] + MARGIN;

    /* Headers, wrapped to their column. */
    int head = 0;
    for (int c = 0; c < L->ncols; c++) {
        if (KBI_GROW(&L->b, &L->capb, L->nb + 1))
            return -1;
        box *bx = &L->b[L->nb++];
        *bx = (box){.node = KB_NO_INDEX,
                    .parent = KB_NO_INDEX,
                    .col = c,
                    .x = L->colx[c],
                    .y = MARGIN,
                    .w = COL_WIDTH[c],
                    .text = HEADERS[english][c]};
        if (wrap(L, bx, bx->w, HEAD_FONT, 1))
            return -1;
        bx->h = (int)bx->nline * HEAD_LINE;
        if (bx->h > head)
            head = bx->h;
    }

    /* A box per dimension, theme and concept, its lines and its height. */
    for (size_t i = 0; i < n; i++) {
        const kb_code_info *c = kb_codebook_get(cb, i);
        int col = column_of(c->kind);
        L->box_of[i] = KB_NO_INDEX;
        if (col < 0 || (keep && !keep[i]))
            continue;
        if (KBI_GROW(&L->b, &L->capb, L->nb + 1))
            return -1;
        L->box_of[i] = L->nb;
        box *bx = &L->b[L->nb++];
        *bx = (box){.node = i,
                    .parent = c->parent == KB_NO_INDEX ? KB_NO_INDEX
                                                       : L->box_of[c->parent],
                    .col = col,
                    .x = L->colx[col],
                    .w = COL_WIDTH[col],
                    .text = box_text(L, c->label ? c->label : c->id,
                                     counts ? counts[i] : KB_NO_COUNT)};
        if (!bx->text ||
            wrap(L, bx, bx->w - 2 * PAD_X, FONT, col != COL_CONCEPT))
            return -1;
        bx->h = (int)bx->nline * LINE + 2 * PAD_Y;
    }

    /* The top-level groups, one below the other. */
    int y = MARGIN + head + HEAD_GAP, first = 1;
    for (size_t i = 0; i < n; i++)
        if (L->box_of[i] != KB_NO_INDEX &&
            kb_codebook_get(cb, i)->parent == KB_NO_INDEX) {
            if (!first)
                y += L->ncols == 3 ? GAP_DIM : GAP_THEME;
            y += group(L, i, y, 1);
            first = 0;
        }
    L->height = y + MARGIN;
    return 0;
}

/* ------------------------------------------------------------------------ */
/* SVG                                                                       */
/* ------------------------------------------------------------------------ */

/* An attribute "PREFIX-ID" for a codebook id of any length. */
static void attr_id(kbi_xml *s, const char *prefix, const char *id)
{
    kbi_xml_attrf(s, "id", "%s-%s", prefix, id);
}

/* A box's lines as <text> elements, from the baseline of its first line. */
static void svg_lines(kbi_xml *s, const layout *L, const box *bx, int x, int y,
                      int line)
{
    for (size_t k = 0; k < bx->nline; k++) {
        const span *sp = &L->lines[bx->line + k];
        kbi_xml_open(s, "text");
        kbi_xml_attrf(s, "x", "%d", x);
        kbi_xml_attrf(s, "y", "%d", y + (int)k * line);
        kbi_xml_text(s, bx->text + sp->start, sp->len);
        kbi_xml_close(s);
    }
}

static void svg_node(kbi_xml *s, const layout *L, const box *bx)
{
    const kb_code_info *c = kb_codebook_get(L->cb, bx->node);
    kbi_xml_open(s, "g");
    attr_id(s, "n", c->id);
    kbi_xml_attr(s, "class", kb_code_kind_name(c->kind));
    kbi_xml_open(s, "title");
    kbi_xml_text(s, c->description ? c->description : c->id,
                 strlen(c->description ? c->description : c->id));
    kbi_xml_close(s);
    kbi_xml_open(s, "rect");
    kbi_xml_attrf(s, "x", "%d", bx->x);
    kbi_xml_attrf(s, "y", "%d", bx->y);
    kbi_xml_attrf(s, "width", "%d", bx->w);
    kbi_xml_attrf(s, "height", "%d", bx->h);
    kbi_xml_attr(s, "rx", "4");
    kbi_xml_attrf(s, "fill", "#%s", FILL[bx->col]);
    kbi_xml_attrf(s, "stroke", "#%s", STROKE[bx->col]);
    kbi_xml_close(s);
    kbi_xml_open(s, "g");
    kbi_xml_attrf(s, "fill", "#%s", INK[bx->col]);
    if (bx->col == COL_CONCEPT) {
        svg_lines(s, L, bx, bx->x + PAD_X, bx->y + PAD_Y + BASELINE, LINE);
    } else {
        kbi_xml_attr(s, "font-weight", "bold");
        kbi_xml_attr(s, "text-anchor", "middle");
        svg_lines(s, L, bx, bx->x + bx->w / 2, bx->y + PAD_Y + BASELINE, LINE);
    }
    kbi_xml_close(s);
    kbi_xml_close(s);
}

static void svg_link(kbi_xml *s, const layout *L, const box *child)
{
    const box *p = &L->b[child->parent];
    int x = child->x + child->w, y = child->y + child->h / 2;
    int mid = x + GAP_COL / 2, py = p->y + p->h / 2;
    kbi_xml_open(s, "polyline");
    attr_id(s, "l", kb_codebook_get(L->cb, child->node)->id);
    kbi_xml_attrf(s, "points", "%d,%d %d,%d %d,%d %d,%d", x, y, mid, y, mid, py,
                  p->x, py);
    kbi_xml_close(s);
}

/* Writes the SVG into memory, then to `out`, so that libxml2 does no I/O
 * (and reports nothing on stderr). Returns 0, KB_ENOMEM or KB_EIO. */
static int write_svg(FILE *out, const layout *L)
{
    kbi_xml s;
    if (kbi_xml_begin(&s, NULL, 1))
        return KB_ENOMEM;
    kbi_svg_open(&s, L->width, L->height, "", FONT, kb_codebook_name(L->cb));

    kbi_xml_open(&s, "g");
    kbi_xml_attr(&s, "class", "headers");
    kbi_xml_attrf(&s, "font-size", "%d", HEAD_FONT);
    kbi_xml_attr(&s, "font-weight", "bold");
    kbi_xml_attr(&s, "text-anchor", "middle");
    kbi_xml_attrf(&s, "fill", "#%s", INK[COL_THEME]);
    for (int c = 0; c < L->ncols; c++) {
        const box *h = &L->b[c];
        svg_lines(&s, L, h, h->x + h->w / 2, h->y + HEAD_FONT, HEAD_LINE);
    }
    kbi_xml_close(&s);

    kbi_xml_open(&s, "g");
    kbi_xml_attr(&s, "class", "links");
    kbi_xml_attr(&s, "fill", "none");
    kbi_xml_attrf(&s, "stroke", "#%s", LINK);
    kbi_xml_attr(&s, "stroke-width", "1.25");
    for (size_t i = (size_t)L->ncols; i < L->nb; i++)
        if (L->b[i].parent != KB_NO_INDEX)
            svg_link(&s, L, &L->b[i]);
    kbi_xml_close(&s);

    for (size_t i = (size_t)L->ncols; i < L->nb; i++)
        svg_node(&s, L, &L->b[i]);
    return kbi_svg_finish(&s, out);
}

/* ------------------------------------------------------------------------ */
/* DOT                                                                       */
/* ------------------------------------------------------------------------ */

/* s[0..n) inside a DOT string: \ and " escaped. */
static void dot_escaped(FILE *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"' || s[i] == '\\')
            fputc('\\', out);
        fputc(s[i], out);
    }
}

/* A box's lines as a DOT label: lines centred ("a\nb"), or left-aligned
 * ("a\lb\l") for concepts, as in the SVG. */
static void dot_label(FILE *out, const layout *L, const box *bx, int left)
{
    fputc('"', out);
    for (size_t k = 0; k < bx->nline; k++) {
        const span *sp = &L->lines[bx->line + k];
        if (k && !left)
            fputs("\\n", out);
        dot_escaped(out, bx->text + sp->start, sp->len);
        if (left)
            fputs("\\l", out);
    }
    fputc('"', out);
}

static void dot_id(FILE *out, const layout *L, const box *bx)
{
    const char *id = kb_codebook_get(L->cb, bx->node)->id;
    fputs("\"n-", out);
    dot_escaped(out, id, strlen(id));
    fputc('"', out);
}

/*
 * Each column is a rank (rank=same) headed by a plain-text node, its boxes
 * at least as wide as in the SVG (width in inches of 72 points). Invisible
 * edges from the header down the column keep Graphviz to the codebook's
 * order, and a heavy invisible edge between the headers puts them level.
 */
static void write_dot(FILE *out, const layout *L)
{
    static const char *const COLUMN[NCOLS] = {"concepts", "themes",
                                              "dimensions"};
    fprintf(
        out,
        "digraph structure {\n"
        "  graph [rankdir=LR, ranksep=0.8, nodesep=0.12, fontname=\"%s\"];\n"
        "  node [shape=box, style=\"rounded,filled\", fontname=\"%s\", "
        "fontsize=%d];\n"
        "  edge [arrowhead=none, color=\"#%s\"];\n"
        "  ",
        DOT_FONT, DOT_FONT, FONT, LINK);
    for (int c = 0; c < L->ncols; c++)
        fprintf(out, "%s\"h-%s\"", c ? " -> " : "", COLUMN[c]);
    fputs(" [style=invis, weight=100];\n", out);
    for (int c = 0; c < L->ncols; c++) {
        fprintf(out,
                "  subgraph %s {\n"
                "    rank=same;\n"
                "    \"h-%s\" [shape=plaintext, style=\"\", fontname=\"%s\", "
                "fontsize=%d, fontcolor=\"#%s\", label=",
                COLUMN[c], COLUMN[c], DOT_BOLD, HEAD_FONT, INK[COL_THEME]);
        dot_label(out, L, &L->b[c], 0);
        fprintf(
            out,
            "];\n"
            "    node [fillcolor=\"#%s\", color=\"#%s\", fontcolor=\"#%s\", "
            "fontname=\"%s\", width=%d.%02d];\n",
            FILL[c], STROKE[c], INK[c], c == COL_CONCEPT ? DOT_FONT : DOT_BOLD,
            COL_WIDTH[c] / 72, COL_WIDTH[c] * 100 / 72 % 100);
        const box *prev = NULL;
        for (size_t i = (size_t)L->ncols; i < L->nb; i++) {
            const box *bx = &L->b[i];
            if (bx->col != c)
                continue;
            fputs("    ", out);
            dot_id(out, L, bx);
            fputs(" [label=", out);
            dot_label(out, L, bx, c == COL_CONCEPT);
            fputs("];\n    ", out);
            if (prev)
                dot_id(out, L, prev);
            else
                fprintf(out, "\"h-%s\"", COLUMN[c]);
            fputs(" -> ", out);
            dot_id(out, L, bx);
            fputs(" [style=invis];\n", out);
            prev = bx;
        }
        fputs("  }\n", out);
    }
    for (size_t i = (size_t)L->ncols; i < L->nb; i++) {
        const box *bx = &L->b[i];
        if (bx->parent == KB_NO_INDEX)
            continue;
        fputs("  ", out);
        dot_id(out, L, bx);
        fputs(" -> ", out);
        dot_id(out, L, &L->b[bx->parent]);
        fputs(";\n", out);
    }
    fputs("}\n", out);
}

/* ------------------------------------------------------------------------ */
/* Slides                                                                    */
/* ------------------------------------------------------------------------ */

/* The smallest a label may be scaled to on a slide, in points. */
#define DECK_MIN_PT 10.0

/*
 * The figure over slides. Its leaves (the concepts, and a theme without
 * concepts) are each on one page; a page holds them with their themes and
 * dimensions, so a dimension's box is on every page with one of its themes.
 */
typedef struct split {
    const kb_codebook *cb;
    const size_t *counts;
    size_t n;
    size_t *at;          /* per leaf: its page */
    unsigned char *leaf; /* per node: 1 for a leaf */
    unsigned char *keep; /* the nodes of the page last measured */
} split;

/* The nodes of page `page` into s->keep: its leaves and their ancestors. */
static void split_keep(split *s, size_t page)
{
    memset(s->keep, 0, s->n);
    for (size_t i = 0; i < s->n; i++)
        if (s->leaf[i] && s->at[i] == page)
            for (size_t j = i; j != KB_NO_INDEX && !s->keep[j];
                 j = kb_codebook_get(s->cb, j)->parent)
                s->keep[j] = 1;
}

/* Builds the layout of page `page`: 0, or -1 when out of memory. */
static int split_layout(layout *L, split *s, size_t page)
{
    split_keep(s, page);
    if (layout_build(L, s->cb, s->counts, 0, s->keep)) {
        layout_free(L);
        return -1;
    }
    return 0;
}

/* The height of page `page` without the margins, or -1. */
static long split_height(split *s, size_t page)
{
    layout L;
    if (split_layout(&L, s, page))
        return -1;
    long h = L.height - 2 * MARGIN;
    layout_free(&L);
    return h;
}

/* Puts theme t's leaves (t itself without concepts) on page `page`. */
static void split_put(split *s, size_t t, size_t page)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->leaf[i] && (i == t || kb_codebook_get(s->cb, i)->parent == t))
            s->at[i] = page;
}

/*
 * Puts theme t's leaves on pages from `page` on, a new page where the next
 * leaf would make one taller than `budget` units. Returns the last page
 * used, or SIZE_MAX when out of memory.
 */
static size_t split_leaves(split *s, size_t t, size_t page, long budget)
{
    split_put(s, t, SIZE_MAX);
    int fresh = 1;
    for (size_t i = 0; i < s->n; i++) {
        if (!s->leaf[i] || kb_codebook_get(s->cb, i)->parent != t)
            continue;
        s->at[i] = page;
        long h = fresh ? 0 : split_height(s, page);
        if (h < 0)
            return SIZE_MAX;
        if (h > budget)
            s->at[i] = ++page;
        fresh = 0;
    }
    return page;
}

/*
 * Fills the pages in codebook order, whole themes while a page stays within
 * `budget` units tall; a theme taller than that on a page of its own still
 * goes whole unless it is taller than `limit`, when it goes on as few
 * pages as it needs, concept by concept, in parts about equally tall.
 * Returns the number of pages, or 0 when out of memory.
 */
static size_t split_pack(split *s, long budget, long limit)
{
    size_t page = 0;
    int used = 0;
    for (size_t t = 0; t < s->n; t++) {
        if (kb_codebook_get(s->cb, t)->kind != KB_CODE_THEME)
            continue;
        split_put(s, t, page);
        long h = split_height(s, page);
        if (h > budget && used) {
            split_put(s, t, ++page);
            h = split_height(s, page);
        }
        if (h > limit) { /* concept by concept, on pages alike */
            size_t last = split_leaves(s, t, page, limit);
            long lo = 0, hi = limit;
            while (last != SIZE_MAX && hi - lo > 1) {
                long mid = lo + (hi - lo) / 2;
                size_t l = split_leaves(s, t, page, mid);
                if (l == SIZE_MAX)
                    return 0;
                *(l <= last ? &hi : &lo) = mid;
            }
            if (last == SIZE_MAX ||
                (page = split_leaves(s, t, page, hi)) == SIZE_MAX)
                return 0;
        } else if (h < 0) {
            return 0;
        }
        used = 1;
    }
    return page + 1;
}

/* Adds page `page` of the figure as a figure slide titled `title`. */
static int split_slide(kbi_deck *d, split *s, size_t page, const char *title,
                       kb_error *err)
{
    layout L;
    if (split_layout(&L, s, page))
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    int rc = kbi_deck_figure_add(d, title, L.width - 2 * MARGIN,
                                 L.height - 2 * MARGIN, err);
    for (size_t i = 0; !rc && i < L.nb; i++) {
        const box *bx = &L.b[i];
        int head = bx->node == KB_NO_INDEX;
        size_t len = 0;
        for (size_t k = 0; k < bx->nline; k++)
            len += L.lines[bx->line + k].len + 1;
        char *text = malloc(len + 1), *at = text;
        if (!text) {
            rc = kbi_fail(err, KB_ENOMEM, "out of memory");
            break;
        }
        for (size_t k = 0; k < bx->nline; k++) {
            const span *sp = &L.lines[bx->line + k];
            if (k)
                *at++ = '\n';
            memcpy(at, bx->text + sp->start, sp->len);
            at += sp->len;
        }
        *at = '\0';
        kbi_deck_shape sh = {.x = bx->x - MARGIN,
                             .y = bx->y - MARGIN,
                             .w = bx->w,
                             .h = bx->h,
                             .text = text,
                             .pt = head ? HEAD_FONT : FONT,
                             .line = head ? HEAD_LINE : LINE,
                             .pad = head ? 0 : PAD_X,
                             .style = head || bx->col != COL_CONCEPT
                                          ? KBI_RUN_BOLD
                                          : KBI_RUN_PLAIN,
                             .centred = head || bx->col != COL_CONCEPT};
        snprintf(sh.fill, sizeof sh.fill, "%s", head ? "" : FILL[bx->col]);
        snprintf(sh.stroke, sizeof sh.stroke, "%s",
                 head ? "" : STROKE[bx->col]);
        snprintf(sh.ink, sizeof sh.ink, "%s", INK[head ? COL_THEME : bx->col]);
        rc = kbi_deck_shape_add(d, &sh, NULL, err);
        free(text);
    }
    /* a shape's number on the slide is its box's index */
    for (size_t i = 0; !rc && i < L.nb; i++)
        if (L.b[i].parent != KB_NO_INDEX)
            rc = kbi_deck_link_add(d, i, L.b[i].parent, LINK, err);
    layout_free(&L);
    return rc;
}

/*
 * Packs the figure onto the fewest pages no taller than `limit` units,
 * then again with the smallest budget that needs no more of them, so that
 * the pages are about equally tall and scaled alike; s->at is left packed
 * so. Returns the number of pages, or 0 when out of memory.
 */
static size_t split_balance(split *s, long limit)
{
    size_t pages = split_pack(s, limit, limit);
    if (pages < 2)
        return pages;
    long lo = 0, hi = limit;
    while (hi - lo > 1) {
        long mid = lo + (hi - lo) / 2;
        size_t k = split_pack(s, mid, limit);
        if (!k)
            return 0;
        *(k <= pages ? &hi : &lo) = mid;
    }
    return split_pack(s, hi, limit);
}

int kbi_structure_deck(kbi_deck *d, const kb_codebook *cb, const size_t *counts,
                       const char *title, kb_error *err)
{
    split s = {.cb = cb, .counts = counts, .n = kb_codebook_count(cb)};
    size_t n = s.n ? s.n : 1;
    s.at = calloc(n, sizeof *s.at);
    s.leaf = calloc(n, 1);
    s.keep = calloc(n, 1);
    int rc = 0;
    if (!s.at || !s.leaf || !s.keep)
        rc = kbi_fail(err, KB_ENOMEM, "out of memory");
    /* a leaf: a drawn node that no drawn node has as its parent */
    for (size_t i = 0; !rc && i < s.n; i++)
        s.leaf[i] = column_of(kb_codebook_get(cb, i)->kind) >= 0;
    for (size_t i = 0; !rc && i < s.n; i++) {
        size_t up = kb_codebook_get(cb, i)->parent;
        if (column_of(kb_codebook_get(cb, i)->kind) >= 0 && up != KB_NO_INDEX)
            s.leaf[up] = 0;
    }
    /* the tallest page whose labels scale to no less than DECK_MIN_PT */
    long budget = (long)(KBI_DECK_BODY_H * FONT / DECK_MIN_PT);
    size_t pages = rc ? 0 : split_balance(&s, budget);
    if (!rc && !pages)
        rc = kbi_fail(err, KB_ENOMEM, "out of memory");
    size_t tn = strlen(title ? title : "") + sizeof " (forts.)";
    char *forts = rc ? NULL : malloc(tn);
    if (!rc && !forts)
        rc = kbi_fail(err, KB_ENOMEM, "out of memory");
    if (forts)
        snprintf(forts, tn, "%s (forts.)", title ? title : "");
    for (size_t p = 0; !rc && p < pages; p++)
        rc = split_slide(d, &s, p, p ? forts : title, err);
    free(forts);
    free(s.at);
    free(s.leaf);
    free(s.keep);
    return rc;
}

int kbi_structure_run_codebook(kb_codebook **cb, kb_project *p, int64_t run,
                               kb_error *err)
{
    *cb = NULL;
    unsigned char *raw;
    size_t len;
    char *path;
    int64_t id;
    int rc = kbi_runs_codebook(p, run, &id, &raw, &len, &path, err);
    if (rc)
        return rc;
    rc = kbi_codebook_parse_run(cb, raw, len, path, err);
    free(raw);
    free(path);
    return rc;
}

int kbi_structure_list_counts(size_t **out, const kb_codebook *cb,
                              const kb_quote_list *l, kb_error *err)
{
    size_t k = kb_codebook_count(cb);
    size_t *n = calloc(k ? k : 1, sizeof *n);
    if (!n)
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    for (size_t i = 0; i < k; i++) {
        const kb_code_info *c = kb_codebook_get(cb, i);
        if (c->kind != KB_CODE_CONCEPT && c->kind != KB_CODE_THEME &&
            c->kind != KB_CODE_DIMENSION)
            n[i] = KB_NO_COUNT;
    }
    for (size_t q = 0; q < kb_quote_list_count(l); q++) {
        const kb_quote_row *r = kb_quote_list_get(l, q);
        const char *ids[3] = {r->concept, r->theme, r->dimension};
        static const kb_code_kind kinds[3] = {KB_CODE_CONCEPT, KB_CODE_THEME,
                                              KB_CODE_DIMENSION};
        for (int j = 0; j < 3; j++) {
            size_t node =
                ids[j] ? kb_codebook_find(cb, kinds[j], ids[j]) : KB_NO_INDEX;
            if (node != KB_NO_INDEX)
                n[node] += kb_quote_list_weight(l, q);
        }
    }
    *out = n;
    return 0;
}

/* ------------------------------------------------------------------------ */
/* The public function                                                       */
/* ------------------------------------------------------------------------ */

int kb_structure_write(FILE *out, const kb_codebook *cb,
                       const kb_structure_options *opts, kb_error *err)
{
    static const kb_structure_options defaults = KB_STRUCTURE_OPTIONS_INIT;
    if (!opts)
        opts = &defaults;
    if (opts->version != KB_STRUCTURE_OPTIONS_VERSION)
        return kbi_fail(err, KB_EINVAL, "structure options version %u, not %d",
                        opts->version, KB_STRUCTURE_OPTIONS_VERSION);
    if (opts->format != KB_STRUCTURE_SVG && opts->format != KB_STRUCTURE_DOT)
        return kbi_fail(err, KB_EINVAL, "unknown figure format %d",
                        (int)opts->format);
    int english = opts->lang && !strcmp(opts->lang, "en");
    if (opts->lang && !english && strcmp(opts->lang, "sv"))
        return kbi_fail(err, KB_EINVAL, "unknown language '%s' (sv or en)",
                        opts->lang);
    layout L;
    if (layout_build(&L, cb, opts->counts, english, NULL)) {
        layout_free(&L);
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    }
    int rc = 0;
    if (opts->format == KB_STRUCTURE_SVG)
        rc = write_svg(out, &L);
    else
        write_dot(out, &L);
    layout_free(&L);
    if (rc == KB_ENOMEM)
        return kbi_fail(err, rc, "out of memory");
    if (rc || fflush(out) || ferror(out))
        return kbi_fail(err, KB_EIO, "writing the figure failed");
    return 0;
}
