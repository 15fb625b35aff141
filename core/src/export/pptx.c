/*
 * pptx.c: a deck as a PowerPoint file (Office Open XML PresentationML, 16:9).
 *
 * The package holds [Content_Types].xml, _rels/.rels, docProps/core.xml and
 * app.xml, ppt/presentation.xml with its relationships, presProps, viewProps
 * and tableStyles, one theme, one slide master, three layouts (title slide,
 * title and content, title only) and one slide per page of
 * kbi_deck_paginate. A figure page holds its boxes as rectangles with their
 * text and its links as elbow connectors glued to them (stCxn, endCxn), so
 * that PowerPoint and Impress keep them attached when a box is moved. A
 * page whose slide has speaker notes gets a notes page
 * (ppt/notesSlides/notesSlideN.xml, N its slide's number), and then the
 * package has a notes master with a theme of its own. Every XML part is written
 * with libxml2's xmlTextWriter, which escapes the text, and the package is
 * built in memory (base/zipwrite) and written to its file only once
 * complete.
 *
 * Invariants: elements appear in the order the ECMA-376 schemas require
 * (PowerPoint repairs files that break it); every part written is named in
 * [Content_Types].xml and every relationship points at a part written;
 * shapes and texts carry explicit positions and sizes, the ones the layout
 * in deck.c measured with.
 */
#include "export/pptx.h"
#include "export/deck.h"
#include "base/xml.h"
#include "base/zipwrite.h"

#include "base/error.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define NS_A "http://schemas.openxmlformats.org/drawingml/2006/main"
#define NS_R                                                                   \
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define NS_P     "http://schemas.openxmlformats.org/presentationml/2006/main"
#define NS_RELS  "http://schemas.openxmlformats.org/package/2006/relationships"
#define NS_CT    "http://schemas.openxmlformats.org/package/2006/content-types"
#define REL_BASE NS_R "/"
#define CT_PML   "application/vnd.openxmlformats-officedocument.presentationml."
#define LANG     "sv-SE"

/* Points to EMU (English Metric Units). */
static long long emu(double pt)
{
    return (long long)(pt * 12700.0 + 0.5);
}

/* ------------------------------------------------------------------------ */
/* XML writing                                                               */
/* ------------------------------------------------------------------------ */

/* Opens element `name` with the attribute pairs that follow, NULL-ended. */
static void open_attrs(kbi_xml *x, const char *name, ...)
{
    kbi_xml_open(x, name);
    va_list ap;
    va_start(ap, name);
    const char *k;
    while ((k = va_arg(ap, const char *)))
        kbi_xml_attr(x, k, va_arg(ap, const char *));
    va_end(ap);
}

/* An empty element with the attribute pairs that follow, NULL-ended. */
#define EMPTY(x, ...)                                                          \
    do {                                                                       \
        open_attrs((x), __VA_ARGS__, (const char *)NULL);                      \
        kbi_xml_close(x);                                                      \
    } while (0)
#define OPEN(x, ...) open_attrs((x), __VA_ARGS__, (const char *)NULL)

/* An element holding text s. */
static void text_el(kbi_xml *x, const char *name, const char *s)
{
    kbi_xml_open(x, name);
    kbi_xml_text(x, s, strlen(s));
    kbi_xml_close(x);
}

/* ------------------------------------------------------------------------ */
/* Shapes and text                                                           */
/* ------------------------------------------------------------------------ */

typedef struct box {
    double x, y, w, h;
} box;

static const box TITLE_BOX = {KBI_DECK_MARGIN, KBI_DECK_TITLE_Y,
                              KBI_DECK_W - 2 * KBI_DECK_MARGIN,
                              KBI_DECK_TITLE_H};
static const box BODY_BOX = {KBI_DECK_MARGIN, KBI_DECK_BODY_Y,
                             KBI_DECK_W - 2 * KBI_DECK_MARGIN, KBI_DECK_BODY_H};
static const box COVER_TITLE_BOX = {KBI_DECK_COVER_X, KBI_DECK_COVER_TITLE_Y,
                                    KBI_DECK_W - 2 * KBI_DECK_COVER_X,
                                    KBI_DECK_COVER_TITLE_H};
static const box COVER_SUB_BOX = {KBI_DECK_COVER_X, KBI_DECK_COVER_SUB_Y,
                                  KBI_DECK_W - 2 * KBI_DECK_COVER_X,
                                  KBI_DECK_COVER_SUB_H};

/* <tag><a:off/><a:ext/></tag> for box b. */
static void xfrm(kbi_xml *x, const char *tag, box b)
{
    kbi_xml_open(x, tag);
    kbi_xml_open(x, "a:off");
    kbi_xml_attrf(x, "x", "%lld", (long long)emu(b.x));
    kbi_xml_attrf(x, "y", "%lld", (long long)emu(b.y));
    kbi_xml_close(x);
    kbi_xml_open(x, "a:ext");
    kbi_xml_attrf(x, "cx", "%lld", (long long)emu(b.w));
    kbi_xml_attrf(x, "cy", "%lld", (long long)emu(b.h));
    kbi_xml_close(x);
    kbi_xml_close(x);
}

/* <a:solidFill> of an RGB colour "RRGGBB". */
static void fill(kbi_xml *x, const char *rgb)
{
    kbi_xml_open(x, "a:solidFill");
    EMPTY(x, "a:srgbClr", "val", rgb);
    kbi_xml_close(x);
}

static void group_header(kbi_xml *x)
{
    kbi_xml_open(x, "p:nvGrpSpPr");
    EMPTY(x, "p:cNvPr", "id", "1", "name", "");
    EMPTY(x, "p:cNvGrpSpPr");
    EMPTY(x, "p:nvPr");
    kbi_xml_close(x);
    kbi_xml_open(x, "p:grpSpPr");
    kbi_xml_open(x, "a:xfrm");
    EMPTY(x, "a:off", "x", "0", "y", "0");
    EMPTY(x, "a:ext", "cx", "0", "cy", "0");
    EMPTY(x, "a:chOff", "x", "0", "y", "0");
    EMPTY(x, "a:chExt", "cx", "0", "cy", "0");
    kbi_xml_close(x);
    kbi_xml_close(x);
}

/* A shape's frame: box b, a rectangle. */
static void sp_frame(kbi_xml *x, box b)
{
    kbi_xml_open(x, "p:spPr");
    xfrm(x, "a:xfrm", b);
    open_attrs(x, "a:prstGeom", "prst", "rect", (const char *)NULL);
    EMPTY(x, "a:avLst");
    kbi_xml_close(x);
    kbi_xml_close(x);
}

/*
 * Opens a placeholder shape (type NULL: a content placeholder; idx 0: none)
 * in box b, up to and including its <a:lstStyle/>; the caller writes the
 * paragraphs and closes <p:txBody> and <p:sp> with sp_end.
 */
static void sp_begin(kbi_xml *x, int id, const char *name, const char *type,
                     int idx, box b, const char *anchor)
{
    kbi_xml_open(x, "p:sp");
    kbi_xml_open(x, "p:nvSpPr");
    kbi_xml_open(x, "p:cNvPr");
    kbi_xml_attrf(x, "id", "%lld", (long long)id);
    kbi_xml_attr(x, "name", name);
    kbi_xml_close(x);
    kbi_xml_open(x, "p:cNvSpPr");
    EMPTY(x, "a:spLocks", "noGrp", "1");
    kbi_xml_close(x);
    kbi_xml_open(x, "p:nvPr");
    kbi_xml_open(x, "p:ph");
    if (type)
        kbi_xml_attr(x, "type", type);
    if (idx)
        kbi_xml_attrf(x, "idx", "%lld", (long long)idx);
    kbi_xml_close(x);
    kbi_xml_close(x);
    kbi_xml_close(x);
    sp_frame(x, b);
    kbi_xml_open(x, "p:txBody");
    OPEN(x, "a:bodyPr", "vert", "horz", "wrap", "square", "anchor", anchor);
    kbi_xml_attrf(x, "lIns", "%lld", (long long)emu(KBI_DECK_INSET_X));
    kbi_xml_attrf(x, "tIns", "%lld", (long long)emu(KBI_DECK_INSET_Y));
    kbi_xml_attrf(x, "rIns", "%lld", (long long)emu(KBI_DECK_INSET_X));
    kbi_xml_attrf(x, "bIns", "%lld", (long long)emu(KBI_DECK_INSET_Y));
    EMPTY(x, "a:noAutofit");
    kbi_xml_close(x);
    EMPTY(x, "a:lstStyle");
}

static void sp_end(kbi_xml *x)
{
    kbi_xml_close(x); /* p:txBody */
    kbi_xml_close(x); /* p:sp */
}

/* Character properties: <tag lang sz b i>, with a colour if rgb. */
static void run_props(kbi_xml *x, const char *tag, double pt, unsigned style,
                      const char *rgb)
{
    kbi_xml_open(x, tag);
    kbi_xml_attr(x, "lang", LANG);
    kbi_xml_attrf(x, "sz", "%lld", (long long)(long long)(pt * 100 + 0.5));
    if (style & KBI_RUN_BOLD)
        kbi_xml_attr(x, "b", "1");
    if (style & KBI_RUN_ITALIC)
        kbi_xml_attr(x, "i", "1");
    kbi_xml_attr(x, "dirty", "0");
    if (rgb)
        fill(x, rgb);
    kbi_xml_close(x);
}

/* A run's text, its newlines as <a:br/>. */
typedef struct run_ctx {
    kbi_xml *x;
    double pt;
    const char *rgb;
} run_ctx;

static int write_run(void *ctx, const char *s, size_t n, unsigned style)
{
    run_ctx *rc = ctx;
    kbi_xml *x = rc->x;
    for (;;) {
        const char *nl = memchr(s, '\n', n);
        size_t k = nl ? (size_t)(nl - s) : n;
        if (k) {
            kbi_xml_open(x, "a:r");
            run_props(x, "a:rPr", rc->pt, style, rc->rgb);
            kbi_xml_open(x, "a:t");
            kbi_xml_text(x, s, k);
            kbi_xml_close(x);
            kbi_xml_close(x);
        }
        if (!nl)
            return 0;
        kbi_xml_open(x, "a:br");
        run_props(x, "a:rPr", rc->pt, style, rc->rgb);
        kbi_xml_close(x);
        s += k + 1;
        n -= k + 1;
    }
}

/* A paragraph of one string in `style`, aligned `algn` (NULL: inherited). */
static void para_text(kbi_xml *x, const char *s, double pt, unsigned style,
                      const char *algn, const char *rgb)
{
    kbi_xml_open(x, "a:p");
    if (algn)
        EMPTY(x, "a:pPr", "algn", algn);
    run_ctx rc = {x, pt, rgb};
    write_run(&rc, s, strlen(s), style);
    run_props(x, "a:endParaRPr", pt, 0, rgb);
    kbi_xml_close(x);
}

/*
 * Paragraph properties of a body level: as <a:pPr> in slides and as
 * <a:lvlNpPr> (with the run size) in the master, alike.
 */
static void level_props(kbi_xml *x, const char *tag, int level)
{
    kbi_xml_open(x, tag);
    kbi_xml_attrf(x, "marL", "%lld",
                  (long long)emu(kbi_deck_level_indent(level)));
    kbi_xml_attr(x, "indent", "0");
    if (!strcmp(tag, "a:pPr") && level)
        kbi_xml_attrf(x, "lvl", "%lld", (long long)level);
    kbi_xml_open(x, "a:spcBef");
    kbi_xml_open(x, "a:spcPts");
    kbi_xml_attrf(x, "val", "%lld",
                  (long long)(long long)(kbi_deck_level_space(level) * 100));
    kbi_xml_close(x);
    kbi_xml_close(x);
    EMPTY(x, "a:buNone");
    if (strcmp(tag, "a:pPr"))
        run_props(x, "a:defRPr", kbi_deck_level_pt(level), 0, NULL);
    kbi_xml_close(x);
}

/* ------------------------------------------------------------------------ */
/* Slides                                                                    */
/* ------------------------------------------------------------------------ */

static void slide_begin(kbi_xml *x)
{
    kbi_xml_open(x, "p:sld");
    kbi_xml_attr(x, "xmlns:a", NS_A);
    kbi_xml_attr(x, "xmlns:r", NS_R);
    kbi_xml_attr(x, "xmlns:p", NS_P);
    kbi_xml_open(x, "p:cSld");
    kbi_xml_open(x, "p:spTree");
    group_header(x);
}

static void slide_end(kbi_xml *x)
{
    kbi_xml_close(x); /* p:spTree */
    kbi_xml_close(x); /* p:cSld */
    kbi_xml_open(x, "p:clrMapOvr");
    EMPTY(x, "a:masterClrMapping");
    kbi_xml_close(x);
    kbi_xml_close(x); /* p:sld */
}

static void title_shape(kbi_xml *x, const kbi_deck_page *pg)
{
    sp_begin(x, 2, "Rubrik 1", "title", 0, TITLE_BOX, "ctr");
    para_text(x, pg->title, pg->title_pt, KBI_RUN_BOLD, NULL, NULL);
    sp_end(x);
}

static void cover(kbi_xml *x, const kbi_deck *d, const kbi_deck_page *pg)
{
    sp_begin(x, 2, "Rubrik 1", "ctrTitle", 0, COVER_TITLE_BOX, "b");
    para_text(x, pg->title, pg->title_pt, KBI_RUN_BOLD, "ctr", NULL);
    sp_end(x);
    sp_begin(x, 3, "Underrubrik 2", "subTitle", 1, COVER_SUB_BOX, "t");
    if (*d->subtitle || !*d->date)
        para_text(x, d->subtitle, KBI_DECK_SUBTITLE_PT, 0, "ctr", NULL);
    if (*d->date)
        para_text(x, d->date, KBI_DECK_DATE_PT, 0, "ctr", NULL);
    sp_end(x);
}

static void text_page(kbi_xml *x, const kbi_deck_page *pg)
{
    title_shape(x, pg);
    sp_begin(x, 3, "Innehåll 2", NULL, 1, BODY_BOX, "t");
    for (size_t i = 0; i < pg->npieces; i++) {
        const kbi_deck_piece *pc = &pg->pieces[i];
        int level = pg->slide->paras[pc->para].level;
        kbi_xml_open(x, "a:p");
        level_props(x, "a:pPr", level);
        run_ctx rc = {x, kbi_deck_level_pt(level), NULL};
        kbi_deck_piece_each(pg->slide, pc, write_run, &rc);
        run_props(x, "a:endParaRPr", rc.pt, 0, NULL);
        kbi_xml_close(x);
    }
    if (!pg->npieces) {
        kbi_xml_open(x, "a:p");
        run_props(x, "a:endParaRPr", kbi_deck_level_pt(0), 0, NULL);
        kbi_xml_close(x);
    }
    sp_end(x);
}

/* A table cell's border line on one side. */
static void cell_line(kbi_xml *x, const char *side)
{
    kbi_xml_open(x, side);
    kbi_xml_attr(x, "w", "12700");
    fill(x, "BFBFBF");
    kbi_xml_close(x);
}

static void table_row(kbi_xml *x, const kbi_deck_slide *t, size_t r,
                      long long h)
{
    kbi_xml_open(x, "a:tr");
    kbi_xml_attrf(x, "h", "%lld", (long long)h);
    for (size_t c = 0; c < t->ncols; c++) {
        kbi_xml_open(x, "a:tc");
        kbi_xml_open(x, "a:txBody");
        EMPTY(x, "a:bodyPr");
        EMPTY(x, "a:lstStyle");
        para_text(x, t->cells[r * t->ncols + c], KBI_DECK_TABLE_PT,
                  r ? KBI_RUN_PLAIN : KBI_RUN_BOLD,
                  c && kbi_deck_col_numeric(t, c) ? "r" : "l",
                  r ? NULL : "FFFFFF");
        kbi_xml_close(x);
        kbi_xml_open(x, "a:tcPr");
        kbi_xml_attrf(x, "marL", "%lld", (long long)emu(KBI_DECK_INSET_X));
        kbi_xml_attrf(x, "marR", "%lld", (long long)emu(KBI_DECK_INSET_X));
        kbi_xml_attrf(x, "marT", "%lld", (long long)emu(KBI_DECK_INSET_Y));
        kbi_xml_attrf(x, "marB", "%lld", (long long)emu(KBI_DECK_INSET_Y));
        kbi_xml_attr(x, "anchor", "ctr");
        cell_line(x, "a:lnL");
        cell_line(x, "a:lnR");
        cell_line(x, "a:lnT");
        cell_line(x, "a:lnB");
        fill(x, !r ? "1F3864" : r % 2 ? "FFFFFF" : "EEF2F8");
        kbi_xml_close(x);
        kbi_xml_close(x);
    }
    kbi_xml_close(x);
}

static void table_page(kbi_xml *x, const kbi_deck_page *pg)
{
    const kbi_deck_slide *t = pg->slide;
    title_shape(x, pg);
    long long cx = 0, cy = emu(kbi_deck_row_height(t, 0, pg->colw));
    for (size_t c = 0; c < t->ncols; c++)
        cx += emu(pg->colw[c]);
    for (size_t r = pg->row0; r < pg->row1; r++)
        cy += emu(kbi_deck_row_height(t, r, pg->colw));
    kbi_xml_open(x, "p:graphicFrame");
    kbi_xml_open(x, "p:nvGraphicFramePr");
    EMPTY(x, "p:cNvPr", "id", "3", "name", "Tabell 2");
    kbi_xml_open(x, "p:cNvGraphicFramePr");
    EMPTY(x, "a:graphicFrameLocks", "noGrp", "1");
    kbi_xml_close(x);
    EMPTY(x, "p:nvPr");
    kbi_xml_close(x);
    xfrm(x, "p:xfrm",
         (box){KBI_DECK_MARGIN, KBI_DECK_BODY_Y, (double)cx / 12700.0,
               (double)cy / 12700.0});
    kbi_xml_open(x, "a:graphic");
    OPEN(x, "a:graphicData", "uri",
         "http://schemas.openxmlformats.org/drawingml/2006/table");
    kbi_xml_open(x, "a:tbl");
    EMPTY(x, "a:tblPr", "firstRow", "1", "bandRow", "1");
    kbi_xml_open(x, "a:tblGrid");
    for (size_t c = 0; c < t->ncols; c++) {
        kbi_xml_open(x, "a:gridCol");
        kbi_xml_attrf(x, "w", "%lld", (long long)emu(pg->colw[c]));
        kbi_xml_close(x);
    }
    kbi_xml_close(x);
    table_row(x, t, 0, emu(kbi_deck_row_height(t, 0, pg->colw)));
    for (size_t r = pg->row0; r < pg->row1; r++)
        table_row(x, t, r, emu(kbi_deck_row_height(t, r, pg->colw)));
    kbi_xml_close(x); /* a:tbl */
    kbi_xml_close(x); /* a:graphicData */
    kbi_xml_close(x); /* a:graphic */
    kbi_xml_close(x); /* p:graphicFrame */
}

/* ------------------------------------------------------------------------ */
/* Figures                                                                   */
/* ------------------------------------------------------------------------ */

/* Outlines of boxes and connectors, in points whatever the scale. */
#define FIGURE_BOX_LINE  0.75
#define FIGURE_LINK_LINE 1.0

/* Connection sites of a rectangle (its preset's cxnLst): left and right. */
#define SITE_LEFT  "1"
#define SITE_RIGHT "3"

/* A figure's shape k on the page: its id, after the title's. */
static long long shape_id(size_t k)
{
    return 3 + (long long)k;
}

/* <a:ln> of width w points and colour rgb, or none. */
static void outline(kbi_xml *x, double w, const char *rgb)
{
    kbi_xml_open(x, "a:ln");
    if (*rgb) {
        kbi_xml_attrf(x, "w", "%lld", emu(w));
        fill(x, rgb);
    } else {
        EMPTY(x, "a:noFill");
    }
    kbi_xml_close(x);
}

/* A shape's box on the page, in points. */
static box figure_box(const kbi_deck_page *pg, const kbi_deck_shape *sh)
{
    return (box){pg->fig_x + sh->x * pg->scale, pg->fig_y + sh->y * pg->scale,
                 sh->w * pg->scale, sh->h * pg->scale};
}

/*
 * A figure's box as a rectangle with its text: the lines as the figure
 * set them (a line break between them, the line pitch exact), vertically
 * centred, no autofit, every size scaled to the page.
 */
static void figure_shape(kbi_xml *x, const kbi_deck_page *pg, size_t k)
{
    const kbi_deck_shape *sh = &pg->slide->figure->shapes[k];
    kbi_xml_open(x, "p:sp");
    kbi_xml_open(x, "p:nvSpPr");
    kbi_xml_open(x, "p:cNvPr");
    kbi_xml_attrf(x, "id", "%lld", shape_id(k));
    kbi_xml_attrf(x, "name", "Ruta %zu", k + 1);
    kbi_xml_close(x);
    EMPTY(x, "p:cNvSpPr");
    EMPTY(x, "p:nvPr");
    kbi_xml_close(x);
    kbi_xml_open(x, "p:spPr");
    xfrm(x, "a:xfrm", figure_box(pg, sh));
    OPEN(x, "a:prstGeom", "prst", "rect");
    EMPTY(x, "a:avLst");
    kbi_xml_close(x);
    if (*sh->fill)
        fill(x, sh->fill);
    else
        EMPTY(x, "a:noFill");
    outline(x, FIGURE_BOX_LINE, sh->stroke);
    kbi_xml_close(x); /* p:spPr */
    kbi_xml_open(x, "p:txBody");
    OPEN(x, "a:bodyPr", "vert", "horz", "wrap", "square", "anchor", "ctr");
    kbi_xml_attrf(x, "lIns", "%lld", emu(sh->pad * pg->scale));
    kbi_xml_attr(x, "tIns", "0");
    kbi_xml_attrf(x, "rIns", "%lld", emu(sh->pad * pg->scale));
    kbi_xml_attr(x, "bIns", "0");
    EMPTY(x, "a:noAutofit");
    kbi_xml_close(x);
    EMPTY(x, "a:lstStyle");
    double pt = sh->pt * pg->scale;
    kbi_xml_open(x, "a:p");
    OPEN(x, "a:pPr", "algn", sh->centred ? "ctr" : "l");
    kbi_xml_open(x, "a:lnSpc");
    kbi_xml_open(x, "a:spcPts");
    kbi_xml_attrf(x, "val", "%lld",
                  (long long)(sh->line * pg->scale * 100 + 0.5));
    kbi_xml_close(x);
    kbi_xml_close(x);
    kbi_xml_open(x, "a:spcBef");
    EMPTY(x, "a:spcPts", "val", "0");
    kbi_xml_close(x);
    EMPTY(x, "a:buNone");
    kbi_xml_close(x); /* a:pPr */
    run_ctx rc = {x, pt, sh->ink};
    write_run(&rc, sh->text, strlen(sh->text), sh->style);
    run_props(x, "a:endParaRPr", pt, sh->style, sh->ink);
    kbi_xml_close(x); /* a:p */
    kbi_xml_close(x); /* p:txBody */
    kbi_xml_close(x); /* p:sp */
}

/*
 * A link as an elbow connector (bentConnector3, its bend halfway) from the
 * middle of its first shape's right edge to the middle of the other's left
 * edge, glued to both (stCxn, endCxn), so that it follows a box moved in
 * PowerPoint or Impress. Its frame runs from start to end, flipped where
 * the end lies above or left of the start.
 */
static void figure_link(kbi_xml *x, const kbi_deck_page *pg, size_t k)
{
    const kbi_deck_figure *f = pg->slide->figure;
    const kbi_deck_link *l = &f->links[k];
    box a = figure_box(pg, &f->shapes[l->from]);
    box b = figure_box(pg, &f->shapes[l->to]);
    double x0 = a.x + a.w, y0 = a.y + a.h / 2, x1 = b.x, y1 = b.y + b.h / 2;
    kbi_xml_open(x, "p:cxnSp");
    kbi_xml_open(x, "p:nvCxnSpPr");
    kbi_xml_open(x, "p:cNvPr");
    kbi_xml_attrf(x, "id", "%lld", shape_id(f->nshapes + k));
    kbi_xml_attrf(x, "name", "Linje %zu", k + 1);
    kbi_xml_close(x);
    kbi_xml_open(x, "p:cNvCxnSpPr");
    kbi_xml_open(x, "a:stCxn");
    kbi_xml_attrf(x, "id", "%lld", shape_id(l->from));
    kbi_xml_attr(x, "idx", SITE_RIGHT);
    kbi_xml_close(x);
    kbi_xml_open(x, "a:endCxn");
    kbi_xml_attrf(x, "id", "%lld", shape_id(l->to));
    kbi_xml_attr(x, "idx", SITE_LEFT);
    kbi_xml_close(x);
    kbi_xml_close(x);
    EMPTY(x, "p:nvPr");
    kbi_xml_close(x); /* p:nvCxnSpPr */
    kbi_xml_open(x, "p:spPr");
    kbi_xml_open(x, "a:xfrm");
    if (x1 < x0)
        kbi_xml_attr(x, "flipH", "1");
    if (y1 < y0)
        kbi_xml_attr(x, "flipV", "1");
    kbi_xml_open(x, "a:off");
    kbi_xml_attrf(x, "x", "%lld", emu(x0 < x1 ? x0 : x1));
    kbi_xml_attrf(x, "y", "%lld", emu(y0 < y1 ? y0 : y1));
    kbi_xml_close(x);
    kbi_xml_open(x, "a:ext");
    kbi_xml_attrf(x, "cx", "%lld", emu(x0 < x1 ? x1 - x0 : x0 - x1));
    kbi_xml_attrf(x, "cy", "%lld", emu(y0 < y1 ? y1 - y0 : y0 - y1));
    kbi_xml_close(x);
    kbi_xml_close(x); /* a:xfrm */
    OPEN(x, "a:prstGeom", "prst", "bentConnector3");
    EMPTY(x, "a:avLst");
    kbi_xml_close(x);
    outline(x, FIGURE_LINK_LINE, l->rgb);
    kbi_xml_close(x); /* p:spPr */
    kbi_xml_close(x); /* p:cxnSp */
}

/* A figure page: its title, the boxes, then the lines joining them. */
static void figure_page(kbi_xml *x, const kbi_deck_page *pg)
{
    title_shape(x, pg);
    const kbi_deck_figure *f = pg->slide->figure;
    for (size_t k = 0; k < f->nshapes; k++)
        figure_shape(x, pg, k);
    for (size_t k = 0; k < f->nlinks; k++)
        figure_link(x, pg, k);
}

/* The layout each page kind uses (slideLayoutN.xml): a figure's is the
 * title-only one, as a table's. */
static int layout_of(kbi_page_kind k)
{
    return k == KBI_PAGE_COVER ? 1 : k == KBI_PAGE_TEXT ? 2 : 3;
}

/* 1 when some page has notes (the package then has a notes master). */
static int any_notes(const kbi_deck_pages *pages)
{
    for (size_t i = 0; i < pages->n; i++)
        if (pages->v[i].notes)
            return 1;
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Package parts                                                             */
/* ------------------------------------------------------------------------ */

/* A relationships part: n pairs of (type suffix, target), ids rId1... */
static int rels(kbi_zipw *pkg, const char *name, size_t n,
                const char *const *types, const char *const *targets,
                kb_error *err)
{
    kbi_xml x;
    if (kbi_xml_begin(&x, "yes", 0))
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    OPEN(&x, "Relationships", "xmlns", NS_RELS);
    for (size_t i = 0; i < n; i++) {
        kbi_xml_open(&x, "Relationship");
        kbi_xml_attrf(&x, "Id", "rId%zu", i + 1);
        kbi_xml_attr(&x, "Type", types[i]);
        kbi_xml_attr(&x, "Target", targets[i]);
        kbi_xml_close(&x);
    }
    kbi_xml_close(&x);
    return kbi_zipw_add_xml(pkg, name, &x, err);
}

static int content_types(kbi_zipw *pkg, const kbi_deck_pages *pages,
                         kb_error *err)
{
    size_t nslides = pages->n;
    static const char *const fixed[][2] = {
        {"/ppt/presentation.xml", CT_PML "presentation.main+xml"},
        {"/ppt/presProps.xml", CT_PML "presProps+xml"},
        {"/ppt/viewProps.xml", CT_PML "viewProps+xml"},
        {"/ppt/tableStyles.xml", CT_PML "tableStyles+xml"},
        {"/ppt/theme/theme1.xml",
         "application/vnd.openxmlformats-officedocument.theme+xml"},
        {"/ppt/slideMasters/slideMaster1.xml", CT_PML "slideMaster+xml"},
        {"/ppt/slideLayouts/slideLayout1.xml", CT_PML "slideLayout+xml"},
        {"/ppt/slideLayouts/slideLayout2.xml", CT_PML "slideLayout+xml"},
        {"/ppt/slideLayouts/slideLayout3.xml", CT_PML "slideLayout+xml"},
        {"/docProps/core.xml",
         "application/vnd.openxmlformats-package.core-properties+xml"},
        {"/docProps/app.xml", "application/"
                              "vnd.openxmlformats-officedocument.extended-"
                              "properties+xml"},
    };
    kbi_xml x;
    if (kbi_xml_begin(&x, "yes", 0))
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    OPEN(&x, "Types", "xmlns", NS_CT);
    EMPTY(&x, "Default", "Extension", "rels", "ContentType",
          "application/vnd.openxmlformats-package.relationships+xml");
    EMPTY(&x, "Default", "Extension", "xml", "ContentType", "application/xml");
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
        EMPTY(&x, "Override", "PartName", fixed[i][0], "ContentType",
              fixed[i][1]);
    for (size_t i = 1; i <= nslides; i++) {
        char name[64];
        snprintf(name, sizeof name, "/ppt/slides/slide%zu.xml", i);
        EMPTY(&x, "Override", "PartName", name, "ContentType",
              CT_PML "slide+xml");
        if (pages->v[i - 1].notes) {
            snprintf(name, sizeof name, "/ppt/notesSlides/notesSlide%zu.xml",
                     i);
            EMPTY(&x, "Override", "PartName", name, "ContentType",
                  CT_PML "notesSlide+xml");
        }
    }
    if (any_notes(pages)) {
        EMPTY(&x, "Override", "PartName", "/ppt/notesMasters/notesMaster1.xml",
              "ContentType", CT_PML "notesMaster+xml");
        EMPTY(&x, "Override", "PartName", "/ppt/theme/theme2.xml",
              "ContentType",
              "application/vnd.openxmlformats-officedocument.theme+xml");
    }
    kbi_xml_close(&x);
    return kbi_zipw_add_xml(pkg, "[Content_Types].xml", &x, err);
}

static int doc_props(kbi_zipw *pkg, const kbi_deck *d, size_t nslides,
                     kb_error *err)
{
    kbi_xml x;
    if (kbi_xml_begin(&x, "yes", 0))
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    OPEN(&x, "cp:coreProperties", "xmlns:cp",
         "http://schemas.openxmlformats.org/package/2006/metadata/"
         "core-properties",
         "xmlns:dc", "http://purl.org/dc/elements/1.1/", "xmlns:dcterms",
         "http://purl.org/dc/terms/", "xmlns:xsi",
         "http://www.w3.org/2001/XMLSchema-instance");
    text_el(&x, "dc:title", d->title);
    if (*d->subtitle)
        text_el(&x, "dc:subject", d->subtitle);
    text_el(&x, "dc:creator", "kodbok");
    text_el(&x, "dc:language", LANG);
    kbi_xml_close(&x);
    int rc = kbi_zipw_add_xml(pkg, "docProps/core.xml", &x, err);
    if (rc)
        return rc;
    if (kbi_xml_begin(&x, "yes", 0))
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    OPEN(&x, "Properties", "xmlns",
         "http://schemas.openxmlformats.org/officeDocument/2006/"
         "extended-properties",
         "xmlns:vt",
         "http://schemas.openxmlformats.org/officeDocument/2006/"
         "docPropsVTypes");
    text_el(&x, "Application", "kodbok " KB_VERSION_STRING);
    text_el(&x, "PresentationFormat", "Widescreen");
    kbi_xml_open(&x, "Slides");
    kbi_xml_textf(&x, "%zu", nslides);
    kbi_xml_close(&x);
    kbi_xml_close(&x);
    return kbi_zipw_add_xml(pkg, "docProps/app.xml", &x, err);
}

static int presentation(kbi_zipw *pkg, size_t nslides, int notes, kb_error *err)
{
    kbi_xml x;
    if (kbi_xml_begin(&x, "yes", 0))
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    OPEN(&x, "p:presentation", "xmlns:a", NS_A, "xmlns:r", NS_R, "xmlns:p",
         NS_P, "saveSubsetFonts", "1");
    kbi_xml_open(&x, "p:sldMasterIdLst");
    EMPTY(&x, "p:sldMasterId", "id", "2147483648", "r:id", "rId1");
    kbi_xml_close(&x);
    if (notes) { /* the notes master's relationship comes last */
        kbi_xml_open(&x, "p:notesMasterIdLst");
        kbi_xml_open(&x, "p:notesMasterId");
        kbi_xml_attrf(&x, "r:id", "rId%zu", nslides + 6);
        kbi_xml_close(&x);
        kbi_xml_close(&x);
    }
    kbi_xml_open(&x, "p:sldIdLst");
    for (size_t i = 0; i < nslides; i++) {
        kbi_xml_open(&x, "p:sldId");
        kbi_xml_attrf(&x, "id", "%lld", (long long)256 + (long long)i);
        kbi_xml_attrf(&x, "r:id", "rId%zu", i + 2);
        kbi_xml_close(&x);
    }
    kbi_xml_close(&x);
    kbi_xml_open(&x, "p:sldSz");
    kbi_xml_attrf(&x, "cx", "%lld", (long long)emu(KBI_DECK_W));
    kbi_xml_attrf(&x, "cy", "%lld", (long long)emu(KBI_DECK_H));
    kbi_xml_close(&x);
    EMPTY(&x, "p:notesSz", "cx", "6858000", "cy", "9144000");
    kbi_xml_close(&x);
    int rc = kbi_zipw_add_xml(pkg, "ppt/presentation.xml", &x, err);
    if (rc)
        return rc;

    /* rId1 the master, rId2.. the slides, then the properties and theme,
     * and the notes master if there are notes. */
    static const char *const tail[][2] = {
        {REL_BASE "presProps", "presProps.xml"},
        {REL_BASE "viewProps", "viewProps.xml"},
        {REL_BASE "theme", "theme/theme1.xml"},
        {REL_BASE "tableStyles", "tableStyles.xml"},
        {REL_BASE "notesMaster", "notesMasters/notesMaster1.xml"},
    };
    size_t n = nslides + 5 + (notes != 0);
    const char **types = malloc(n * sizeof *types);
    const char **targets = malloc(n * sizeof *targets);
    char(*names)[48] = malloc(n * sizeof *names);
    if (!types || !targets || !names) {
        rc = kbi_fail(err, KB_ENOMEM, "out of memory");
    } else {
        types[0] = REL_BASE "slideMaster";
        targets[0] = "slideMasters/slideMaster1.xml";
        for (size_t i = 1; i <= nslides; i++) {
            snprintf(names[i], sizeof names[i], "slides/slide%zu.xml", i);
            types[i] = REL_BASE "slide";
            targets[i] = names[i];
        }
        for (size_t i = 0; i < 4 + (notes != 0); i++) {
            types[nslides + 1 + i] = tail[i][0];
            targets[nslides + 1 + i] = tail[i][1];
        }
        rc = rels(pkg, "ppt/_rels/presentation.xml.rels", n, types, targets,
                  err);
    }
    free(types);
    free(targets);
    free(names);
    return rc;
}

/* presProps, viewProps and tableStyles: empty but expected by PowerPoint. */
static int small_parts(kbi_zipw *pkg, kb_error *err)
{
    static const char *const parts[][2] = {
        {"ppt/presProps.xml", "p:presentationPr"},
        {"ppt/viewProps.xml", "p:viewPr"},
    };
    for (size_t i = 0; i < 2; i++) {
        kbi_xml x;
        if (kbi_xml_begin(&x, "yes", 0))
            return kbi_fail(err, KB_ENOMEM, "out of memory");
        EMPTY(&x, parts[i][1], "xmlns:a", NS_A, "xmlns:r", NS_R, "xmlns:p",
              NS_P);
        int rc = kbi_zipw_add_xml(pkg, parts[i][0], &x, err);
        if (rc)
            return rc;
    }
    kbi_xml x;
    if (kbi_xml_begin(&x, "yes", 0))
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    EMPTY(&x, "a:tblStyleLst", "xmlns:a", NS_A, "def",
          "{5C22544A-7EE6-4342-B048-85BDC9FD1C3A}");
    return kbi_zipw_add_xml(pkg, "ppt/tableStyles.xml", &x, err);
}

/* The theme, as part `name` (the slides' and the notes master's). */
static int theme(kbi_zipw *pkg, const char *name, kb_error *err)
{
    static const char *const colours[][2] = {
        {"a:dk1", "000000"},     {"a:lt1", "FFFFFF"},
        {"a:dk2", "1F3864"},     {"a:lt2", "EEF2F8"},
        {"a:accent1", "2F5597"}, {"a:accent2", "C55A11"},
        {"a:accent3", "548235"}, {"a:accent4", "BF9000"},
        {"a:accent5", "7030A0"}, {"a:accent6", "2E75B6"},
        {"a:hlink", "0563C1"},   {"a:folHlink", "954F72"},
    };
    kbi_xml x;
    if (kbi_xml_begin(&x, "yes", 0))
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    OPEN(&x, "a:theme", "xmlns:a", NS_A, "name", "kodbok");
    kbi_xml_open(&x, "a:themeElements");
    OPEN(&x, "a:clrScheme", "name", "kodbok");
    for (size_t i = 0; i < sizeof colours / sizeof *colours; i++) {
        kbi_xml_open(&x, colours[i][0]);
        EMPTY(&x, "a:srgbClr", "val", colours[i][1]);
        kbi_xml_close(&x);
    }
    kbi_xml_close(&x);
    OPEN(&x, "a:fontScheme", "name", "kodbok");
    for (int i = 0; i < 2; i++) {
        kbi_xml_open(&x, i ? "a:minorFont" : "a:majorFont");
        EMPTY(&x, "a:latin", "typeface", "Arial");
        EMPTY(&x, "a:ea", "typeface", "");
        EMPTY(&x, "a:cs", "typeface", "");
        kbi_xml_close(&x);
    }
    kbi_xml_close(&x);
    /* Three plain styles in each list, the minimum the schema asks for. */
    OPEN(&x, "a:fmtScheme", "name", "kodbok");
    static const char *const lists[] = {"a:fillStyleLst", "a:lnStyleLst",
                                        "a:effectStyleLst", "a:bgFillStyleLst"};
    for (int l = 0; l < 4; l++) {
        kbi_xml_open(&x, lists[l]);
        for (int i = 0; i < 3; i++) {
            if (l == 1) {
                OPEN(&x, "a:ln", "w", "6350", "cap", "flat", "cmpd", "sng",
                     "algn", "ctr");
            } else if (l == 2) {
                kbi_xml_open(&x, "a:effectStyle");
                EMPTY(&x, "a:effectLst");
                kbi_xml_close(&x);
                continue;
            }
            kbi_xml_open(&x, "a:solidFill");
            EMPTY(&x, "a:schemeClr", "val", "phClr");
            kbi_xml_close(&x);
            if (l == 1) {
                EMPTY(&x, "a:prstDash", "val", "solid");
                kbi_xml_close(&x);
            }
        }
        kbi_xml_close(&x);
    }
    kbi_xml_close(&x); /* a:fmtScheme */
    kbi_xml_close(&x); /* a:themeElements */
    EMPTY(&x, "a:objectDefaults");
    EMPTY(&x, "a:extraClrSchemeLst");
    kbi_xml_close(&x);
    return kbi_zipw_add_xml(pkg, name, &x, err);
}

static int master(kbi_zipw *pkg, kb_error *err)
{
    kbi_xml x;
    if (kbi_xml_begin(&x, "yes", 0))
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    OPEN(&x, "p:sldMaster", "xmlns:a", NS_A, "xmlns:r", NS_R, "xmlns:p", NS_P);
    kbi_xml_open(&x, "p:cSld");
    kbi_xml_open(&x, "p:bg");
    OPEN(&x, "p:bgRef", "idx", "1001");
    EMPTY(&x, "a:schemeClr", "val", "bg1");
    kbi_xml_close(&x);
    kbi_xml_close(&x);
    kbi_xml_open(&x, "p:spTree");
    group_header(&x);
    sp_begin(&x, 2, "Rubrik 1", "title", 0, TITLE_BOX, "ctr");
    para_text(&x, "Rubrik", KBI_DECK_TITLE_PT, KBI_RUN_BOLD, NULL, NULL);
    sp_end(&x);
    sp_begin(&x, 3, "Text 2", "body", 1, BODY_BOX, "t");
    para_text(&x, "Text", kbi_deck_level_pt(0), 0, NULL, NULL);
    sp_end(&x);
    kbi_xml_close(&x); /* p:spTree */
    kbi_xml_close(&x); /* p:cSld */
    EMPTY(&x, "p:clrMap", "bg1", "lt1", "tx1", "dk1", "bg2", "lt2", "tx2",
          "dk2", "accent1", "accent1", "accent2", "accent2", "accent3",
          "accent3", "accent4", "accent4", "accent5", "accent5", "accent6",
          "accent6", "hlink", "hlink", "folHlink", "folHlink");
    kbi_xml_open(&x, "p:sldLayoutIdLst");
    for (int i = 1; i <= 3; i++) {
        kbi_xml_open(&x, "p:sldLayoutId");
        kbi_xml_attrf(&x, "id", "%lld", (long long)2147483648LL + i);
        kbi_xml_attrf(&x, "r:id", "rId%d", i);
        kbi_xml_close(&x);
    }
    kbi_xml_close(&x);
    kbi_xml_open(&x, "p:txStyles");
    kbi_xml_open(&x, "p:titleStyle");
    kbi_xml_open(&x, "a:lvl1pPr");
    kbi_xml_open(&x, "a:defRPr");
    kbi_xml_attrf(&x, "sz", "%lld", (long long)(KBI_DECK_TITLE_PT * 100));
    kbi_xml_attr(&x, "b", "1");
    kbi_xml_open(&x, "a:solidFill");
    EMPTY(&x, "a:schemeClr", "val", "tx2");
    kbi_xml_close(&x);
    EMPTY(&x, "a:latin", "typeface", "+mj-lt");
    kbi_xml_close(&x);
    kbi_xml_close(&x);
    kbi_xml_close(&x);
    kbi_xml_open(&x, "p:bodyStyle");
    for (int l = 0; l < KBI_DECK_LEVELS; l++) {
        char tag[24];
        snprintf(tag, sizeof tag, "a:lvl%dpPr", l + 1);
        level_props(&x, tag, l);
    }
    kbi_xml_close(&x);
    kbi_xml_open(&x, "p:otherStyle");
    kbi_xml_open(&x, "a:lvl1pPr");
    run_props(&x, "a:defRPr", KBI_DECK_TABLE_PT, 0, NULL);
    kbi_xml_close(&x);
    kbi_xml_close(&x);
    kbi_xml_close(&x); /* p:txStyles */
    kbi_xml_close(&x);
    int rc =
        kbi_zipw_add_xml(pkg, "ppt/slideMasters/slideMaster1.xml", &x, err);
    if (rc)
        return rc;
    const char *types[4], *targets[4];
    char names[3][64];
    for (int i = 0; i < 3; i++) {
        snprintf(names[i], sizeof names[i], "../slideLayouts/slideLayout%d.xml",
                 i + 1);
        types[i] = REL_BASE "slideLayout";
        targets[i] = names[i];
    }
    types[3] = REL_BASE "theme";
    targets[3] = "../theme/theme1.xml";
    return rels(pkg, "ppt/slideMasters/_rels/slideMaster1.xml.rels", 4, types,
                targets, err);
}

static int layouts(kbi_zipw *pkg, kb_error *err)
{
    static const char *const kind[3][2] = {
        {"title", "Rubrikbild"},
        {"obj", "Rubrik och innehåll"},
        {"titleOnly", "Endast rubrik"},
    };
    for (int i = 0; i < 3; i++) {
        kbi_xml x;
        if (kbi_xml_begin(&x, "yes", 0))
            return kbi_fail(err, KB_ENOMEM, "out of memory");
        OPEN(&x, "p:sldLayout", "xmlns:a", NS_A, "xmlns:r", NS_R, "xmlns:p",
             NS_P, "type", kind[i][0], "preserve", "1");
        OPEN(&x, "p:cSld", "name", kind[i][1]);
        kbi_xml_open(&x, "p:spTree");
        group_header(&x);
        if (i == 0) {
            sp_begin(&x, 2, "Rubrik 1", "ctrTitle", 0, COVER_TITLE_BOX, "b");
            para_text(&x, "Rubrik", KBI_DECK_COVER_PT, KBI_RUN_BOLD, "ctr",
                      NULL);
            sp_end(&x);
            sp_begin(&x, 3, "Underrubrik 2", "subTitle", 1, COVER_SUB_BOX, "t");
            para_text(&x, "Underrubrik", KBI_DECK_SUBTITLE_PT, 0, "ctr", NULL);
            sp_end(&x);
        } else {
            sp_begin(&x, 2, "Rubrik 1", "title", 0, TITLE_BOX, "ctr");
            para_text(&x, "Rubrik", KBI_DECK_TITLE_PT, KBI_RUN_BOLD, NULL,
                      NULL);
            sp_end(&x);
        }
        if (i == 1) {
            sp_begin(&x, 3, "Innehåll 2", NULL, 1, BODY_BOX, "t");
            para_text(&x, "Text", kbi_deck_level_pt(0), 0, NULL, NULL);
            sp_end(&x);
        }
        kbi_xml_close(&x); /* p:spTree */
        kbi_xml_close(&x); /* p:cSld */
        kbi_xml_open(&x, "p:clrMapOvr");
        EMPTY(&x, "a:masterClrMapping");
        kbi_xml_close(&x);
        kbi_xml_close(&x);
        char name[64];
        snprintf(name, sizeof name, "ppt/slideLayouts/slideLayout%d.xml",
                 i + 1);
        int rc = kbi_zipw_add_xml(pkg, name, &x, err);
        if (rc)
            return rc;
        snprintf(name, sizeof name,
                 "ppt/slideLayouts/_rels/slideLayout%d.xml.rels", i + 1);
        const char *type = REL_BASE "slideMaster";
        const char *target = "../slideMasters/slideMaster1.xml";
        rc = rels(pkg, name, 1, &type, &target, err);
        if (rc)
            return rc;
    }
    return 0;
}

/* Notes pages are portrait: 7.5 by 10 inches (p:notesSz), the slide's
 * picture above the notes. */
static const box NOTES_IMAGE_BOX = {90, 54, 360, 202.5};
static const box NOTES_BODY_BOX = {54, 288, 432, 378};
#define NOTES_PT 12.0

/* The slide's picture on a notes page or the notes master: a placeholder
 * that PowerPoint and LibreOffice fill with the slide. */
static void notes_image(kbi_xml *x)
{
    kbi_xml_open(x, "p:sp");
    kbi_xml_open(x, "p:nvSpPr");
    EMPTY(x, "p:cNvPr", "id", "2", "name", "Bildplatshållare 1");
    kbi_xml_open(x, "p:cNvSpPr");
    EMPTY(x, "a:spLocks", "noGrp", "1", "noRot", "1", "noChangeAspect", "1");
    kbi_xml_close(x);
    kbi_xml_open(x, "p:nvPr");
    EMPTY(x, "p:ph", "type", "sldImg");
    kbi_xml_close(x);
    kbi_xml_close(x);
    sp_frame(x, NOTES_IMAGE_BOX);
    kbi_xml_close(x); /* p:sp */
}

/* The notes master: the slide's picture and the notes' body, 12 pt. */
static int notes_master(kbi_zipw *pkg, kb_error *err)
{
    kbi_xml x;
    if (kbi_xml_begin(&x, "yes", 0))
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    OPEN(&x, "p:notesMaster", "xmlns:a", NS_A, "xmlns:r", NS_R, "xmlns:p",
         NS_P);
    kbi_xml_open(&x, "p:cSld");
    kbi_xml_open(&x, "p:bg");
    OPEN(&x, "p:bgRef", "idx", "1001");
    EMPTY(&x, "a:schemeClr", "val", "bg1");
    kbi_xml_close(&x);
    kbi_xml_close(&x);
    kbi_xml_open(&x, "p:spTree");
    group_header(&x);
    notes_image(&x);
    sp_begin(&x, 3, "Platshållare för anteckningar 2", "body", 1,
             NOTES_BODY_BOX, "t");
    para_text(&x, "Anteckningar", NOTES_PT, 0, NULL, NULL);
    sp_end(&x);
    kbi_xml_close(&x); /* p:spTree */
    kbi_xml_close(&x); /* p:cSld */
    EMPTY(&x, "p:clrMap", "bg1", "lt1", "tx1", "dk1", "bg2", "lt2", "tx2",
          "dk2", "accent1", "accent1", "accent2", "accent2", "accent3",
          "accent3", "accent4", "accent4", "accent5", "accent5", "accent6",
          "accent6", "hlink", "hlink", "folHlink", "folHlink");
    kbi_xml_open(&x, "p:notesStyle");
    kbi_xml_open(&x, "a:lvl1pPr");
    run_props(&x, "a:defRPr", NOTES_PT, 0, NULL);
    kbi_xml_close(&x);
    kbi_xml_close(&x);
    kbi_xml_close(&x); /* p:notesMaster */
    int rc =
        kbi_zipw_add_xml(pkg, "ppt/notesMasters/notesMaster1.xml", &x, err);
    if (rc)
        return rc;
    const char *type = REL_BASE "theme", *target = "../theme/theme2.xml";
    rc = rels(pkg, "ppt/notesMasters/_rels/notesMaster1.xml.rels", 1, &type,
              &target, err);
    return rc ? rc : theme(pkg, "ppt/theme/theme2.xml", err);
}

/* The notes page of slide `n`: its picture, then the notes, a paragraph
 * per line. */
static int notes_page(kbi_zipw *pkg, size_t n, const char *notes, kb_error *err)
{
    kbi_xml x;
    if (kbi_xml_begin(&x, "yes", 0))
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    OPEN(&x, "p:notes", "xmlns:a", NS_A, "xmlns:r", NS_R, "xmlns:p", NS_P);
    kbi_xml_open(&x, "p:cSld");
    kbi_xml_open(&x, "p:spTree");
    group_header(&x);
    notes_image(&x);
    sp_begin(&x, 3, "Platshållare för anteckningar 2", "body", 1,
             NOTES_BODY_BOX, "t");
    for (const char *s = notes;;) {
        size_t k = strcspn(s, "\n");
        kbi_xml_open(&x, "a:p");
        if (k) {
            run_ctx rc = {&x, NOTES_PT, NULL};
            write_run(&rc, s, k, 0);
        }
        run_props(&x, "a:endParaRPr", NOTES_PT, 0, NULL);
        kbi_xml_close(&x);
        if (!s[k])
            break;
        s += k + 1;
    }
    sp_end(&x);
    kbi_xml_close(&x); /* p:spTree */
    kbi_xml_close(&x); /* p:cSld */
    kbi_xml_open(&x, "p:clrMapOvr");
    EMPTY(&x, "a:masterClrMapping");
    kbi_xml_close(&x);
    kbi_xml_close(&x); /* p:notes */
    char name[64], slide[64];
    snprintf(name, sizeof name, "ppt/notesSlides/notesSlide%zu.xml", n);
    int rc = kbi_zipw_add_xml(pkg, name, &x, err);
    if (rc)
        return rc;
    snprintf(name, sizeof name, "ppt/notesSlides/_rels/notesSlide%zu.xml.rels",
             n);
    snprintf(slide, sizeof slide, "../slides/slide%zu.xml", n);
    const char *types[2] = {REL_BASE "notesMaster", REL_BASE "slide"};
    const char *targets[2] = {"../notesMasters/notesMaster1.xml", slide};
    return rels(pkg, name, 2, types, targets, err);
}

static int slides(kbi_zipw *pkg, const kbi_deck *d, const kbi_deck_pages *pages,
                  kb_error *err)
{
    for (size_t i = 0; i < pages->n; i++) {
        const kbi_deck_page *pg = &pages->v[i];
        kbi_xml x;
        if (kbi_xml_begin(&x, "yes", 0))
            return kbi_fail(err, KB_ENOMEM, "out of memory");
        slide_begin(&x);
        if (pg->kind == KBI_PAGE_COVER)
            cover(&x, d, pg);
        else if (pg->kind == KBI_PAGE_TEXT)
            text_page(&x, pg);
        else if (pg->kind == KBI_PAGE_FIGURE)
            figure_page(&x, pg);
        else
            table_page(&x, pg);
        slide_end(&x);
        char name[64], target[64];
        snprintf(name, sizeof name, "ppt/slides/slide%zu.xml", i + 1);
        int rc = kbi_zipw_add_xml(pkg, name, &x, err);
        if (rc)
            return rc;
        snprintf(name, sizeof name, "ppt/slides/_rels/slide%zu.xml.rels",
                 i + 1);
        snprintf(target, sizeof target, "../slideLayouts/slideLayout%d.xml",
                 layout_of(pg->kind));
        char notes[64];
        snprintf(notes, sizeof notes, "../notesSlides/notesSlide%zu.xml",
                 i + 1);
        const char *types[2] = {REL_BASE "slideLayout", REL_BASE "notesSlide"};
        const char *targets[2] = {target, notes};
        rc = rels(pkg, name, pg->notes ? 2 : 1, types, targets, err);
        if (!rc && pg->notes)
            rc = notes_page(pkg, i + 1, pg->notes, err);
        if (rc)
            return rc;
    }
    return 0;
}

static int package(kbi_zipw *pkg, const kbi_deck *d,
                   const kbi_deck_pages *pages, kb_error *err)
{
    static const char *const types[] = {
        REL_BASE "officeDocument",
        "http://schemas.openxmlformats.org/package/2006/relationships/"
        "metadata/core-properties",
        REL_BASE "extended-properties",
    };
    static const char *const targets[] = {
        "ppt/presentation.xml", "docProps/core.xml", "docProps/app.xml"};
    int rc = content_types(pkg, pages, err);
    if (!rc)
        rc = rels(pkg, "_rels/.rels", 3, types, targets, err);
    if (!rc)
        rc = doc_props(pkg, d, pages->n, err);
    if (!rc)
        rc = presentation(pkg, pages->n, any_notes(pages), err);
    if (!rc)
        rc = small_parts(pkg, err);
    if (!rc)
        rc = theme(pkg, "ppt/theme/theme1.xml", err);
    if (!rc && any_notes(pages))
        rc = notes_master(pkg, err);
    if (!rc)
        rc = master(pkg, err);
    if (!rc)
        rc = layouts(pkg, err);
    if (!rc)
        rc = slides(pkg, d, pages, err);
    return rc;
}

int kbi_deck_write_pptx(const kbi_deck *d, const char *path, kb_error *err)
{
    kbi_deck_pages pages = {0};
    kbi_zipw *pkg = NULL;
    int rc = kbi_deck_paginate(&pages, d, err);
    if (!rc)
        rc = kbi_zipw_new(&pkg, err);
    if (!rc)
        rc = package(pkg, d, &pages, err);
    if (!rc)
        rc = kbi_zipw_save(pkg, path, err);
    kbi_zipw_free(pkg);
    kbi_deck_pages_free(&pages);
    return rc;
}
