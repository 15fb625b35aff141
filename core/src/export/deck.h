/*
 * deck.h: the slide deck behind `kodbok slides`, and its two writers (PPTX in
 * pptx.c, Markdown for Marp and Pandoc in slides_md.c). Internal: not part of
 * kodbok.h.
 *
 * A deck has a title page (title, subtitle, date) and then slides in the
 * order they were added. A text slide has a title and paragraphs; each
 * paragraph has an indent level (0 to KBI_DECK_LEVELS - 1) and runs of plain,
 * bold or italic text. A table slide has a title, a header row and rows of
 * text cells (the overview matrix). A figure slide has a title and a drawing
 * in a coordinate space of its own: boxes with text (shapes) and elbow lines
 * joining them (links), which the PPTX keeps as shapes and connectors that
 * stay attached when a box is moved, and the Markdown shows as an SVG image.
 *
 * Slides are logical. kbi_deck_paginate lays them out on 16:9 pages of
 * KBI_DECK_W x KBI_DECK_H points: it estimates each paragraph's height from its
 * font size, the width of the box and its characters (greedy word wrap), and
 * where a slide does not fit one page it continues on pages titled
 * "<title> (forts.)", splitting a paragraph between words if need be; a
 * figure slide is one page, its drawing scaled into the body box. Both
 * writers print the same pages, so a deck breaks the same way in every
 * format. docs/slides.md describes the layout.
 *
 * A slide may carry speaker notes, plain text in paragraphs, which the
 * writers put with the slide's first page: the PPTX's notes page, the
 * Markdown's HTML comment (Marp's presenter notes).
 *
 * Text is UTF-8. The deck keeps its own copies; control characters other
 * than newline become spaces and U+FFFE and U+FFFF become U+FFFD (none of
 * them may appear in XML), and a newline in a run is a line break within its
 * paragraph.
 */
#ifndef KBI_EXPORT_DECK_H
#define KBI_EXPORT_DECK_H

#include "kodbok.h"

#include <stdio.h>

/* Run styles, combined with |. */
enum { KBI_RUN_PLAIN = 0, KBI_RUN_BOLD = 1, KBI_RUN_ITALIC = 2 };

/* Paragraph levels: 0 (e.g. a first-order label), 1 and 2 (its quotes). */
#define KBI_DECK_LEVELS 3

/* Page geometry in points (1 pt = 12700 EMU). */
#define KBI_DECK_W        960.0 /* 13.33 in: 16:9 */
#define KBI_DECK_H        540.0 /* 7.5 in */
#define KBI_DECK_MARGIN   36.0  /* left and right */
#define KBI_DECK_TITLE_Y  18.0
#define KBI_DECK_TITLE_H  80.0 /* two lines of a 28 pt title */
#define KBI_DECK_BODY_Y   108.0
#define KBI_DECK_BODY_H   400.0
#define KBI_DECK_INSET_X  7.2 /* text box insets (PowerPoint's defaults) */
#define KBI_DECK_INSET_Y  3.6
#define KBI_DECK_TITLE_PT 28.0 /* shrinks to 24 and 20 for long titles */
#define KBI_DECK_TABLE_PT 14.0
#define KBI_DECK_LINE     1.2 /* line height per point of font size */

/* The title page's boxes, centred: title, then subtitle and date. */
#define KBI_DECK_COVER_X       72.0
#define KBI_DECK_COVER_TITLE_Y 130.0
#define KBI_DECK_COVER_TITLE_H 150.0
#define KBI_DECK_COVER_SUB_Y   300.0
#define KBI_DECK_COVER_SUB_H   120.0
#define KBI_DECK_COVER_PT      40.0 /* shrinks to 32 and 28 */
#define KBI_DECK_SUBTITLE_PT   24.0
#define KBI_DECK_DATE_PT       18.0

typedef struct kbi_deck_run {
    char *text; /* owned, NUL-terminated */
    size_t len; /* bytes */
    unsigned style;
} kbi_deck_run;

typedef struct kbi_deck_para {
    int level;
    int quote; /* a quote (kbi_deck_quote_add): counted per page */
    int glued; /* kept on the page of the paragraph before it */
    kbi_deck_run *runs;
    size_t nruns, cap;
    char *note; /* speaker notes for the page it starts on; NULL: none */
} kbi_deck_para;

/*
 * A box of a figure: a rectangle in the figure's units with lines of text
 * centred on it vertically, each `line` apart, `pad` in from its left and
 * right edges. Colours are "RRGGBB"; an empty fill or stroke is none.
 */
typedef struct kbi_deck_shape {
    double x, y, w, h;
    const char *text; /* its lines, split by '\n' (the deck keeps a copy) */
    double pt;        /* font size, in the figure's units */
    double line;      /* line pitch, in the figure's units */
    double pad;       /* text to the left and right edges */
    unsigned style;   /* KBI_RUN_PLAIN or KBI_RUN_BOLD */
    int centred;      /* lines centred, else set from the left */
    char fill[7], stroke[7], ink[7];
} kbi_deck_shape;

/* An elbow line from shape `from`'s right edge to shape `to`'s left edge,
 * both at their middles, turning halfway between them. */
typedef struct kbi_deck_link {
    size_t from, to;
    char rgb[7];
} kbi_deck_link;

/* A figure slide's drawing: w by h units, its shapes and links. */
typedef struct kbi_deck_figure {
    double w, h;
    kbi_deck_shape *shapes; /* texts owned */
    size_t nshapes, scap;
    kbi_deck_link *links;
    size_t nlinks, lcap;
} kbi_deck_figure;

typedef struct kbi_deck_slide {
    char *title;
    kbi_deck_para *paras; /* text slides */
    size_t nparas, pcap;
    char **cells;        /* table slides: row-major, row 0 is the header */
    size_t ncols, nrows; /* nrows counts the header; 0 on a text slide */
    size_t ccap;
    char *notes; /* speaker notes, paragraphs split by '\n'; NULL: none */
    struct kbi_deck_figure *figure; /* figure slides; NULL on the others */
} kbi_deck_slide;

typedef struct kbi_deck {
    char *title, *subtitle, *date;
    kbi_deck_slide *slides;
    size_t nslides, cap;
} kbi_deck;

/*
 * A new empty deck (caller frees with kbi_deck_free). Any of the three texts
 * may be NULL (then empty). KB_EINVAL if one is not valid UTF-8, KB_ENOMEM.
 */
int kbi_deck_new(kbi_deck **out, const char *title, const char *subtitle,
                 const char *date, kb_error *err);

/* Frees a deck; NULL is fine. */
void kbi_deck_free(kbi_deck *d);

/* Appends a text slide, which becomes the current one. KB_EINVAL, KB_ENOMEM. */
int kbi_deck_slide_add(kbi_deck *d, const char *title, kb_error *err);

/*
 * Appends a paragraph at `level` to the current text slide. KB_EINVAL when
 * the last slide added is not a text slide or the level is out of range.
 */
int kbi_deck_para_add(kbi_deck *d, int level, kb_error *err);

/*
 * Appends a quote: a paragraph at `level` that kbi_deck_page_quotes counts.
 * As kbi_deck_para_add.
 */
int kbi_deck_quote_add(kbi_deck *d, int level, kb_error *err);

/*
 * Appends a paragraph at `level` kept on the page of the paragraph before
 * it (a line counting the quotes left out stays with the last quote shown).
 * As kbi_deck_para_add.
 */
int kbi_deck_glued_add(kbi_deck *d, int level, kb_error *err);

/*
 * Appends `text` to the current paragraph's speaker notes, a paragraph of
 * its own: they go on the notes of the page the paragraph starts on (its
 * provenance, say, where the slide shows only the text). KB_EINVAL when
 * there is no paragraph or the text is not UTF-8, KB_ENOMEM.
 */
int kbi_deck_para_note(kbi_deck *d, const char *text, kb_error *err);

/*
 * Appends a run of `style` (KBI_RUN_*) to the current paragraph. KB_EINVAL
 * when there is none or the text is not valid UTF-8.
 */
int kbi_deck_run_add(kbi_deck *d, unsigned style, const char *text,
                     kb_error *err);

/*
 * Replaces the text of run `run` of paragraph `para` of slide `slide` (the
 * outline's slide numbers, known once the deck is laid out). KB_EINVAL
 * when there is no such run or the text is not UTF-8, KB_ENOMEM.
 */
int kbi_deck_run_set(kbi_deck *d, size_t slide, size_t para, size_t run,
                     const char *text, kb_error *err);

/*
 * Appends a table slide of `ncols` columns headed by header[0..ncols), which
 * becomes the current slide. KB_EINVAL, KB_ENOMEM.
 */
int kbi_deck_table_add(kbi_deck *d, const char *title, size_t ncols,
                       const char *const *header, kb_error *err);

/* Appends a row cells[0..ncols) to the current table slide. */
int kbi_deck_row_add(kbi_deck *d, const char *const *cells, kb_error *err);

/*
 * Appends `text` to the current slide's speaker notes (text or table
 * slide), as a paragraph of its own; its newlines begin paragraphs too.
 * KB_EINVAL when there is no slide or the text is not UTF-8, KB_ENOMEM.
 */
int kbi_deck_notes_add(kbi_deck *d, const char *text, kb_error *err);

/*
 * Appends a figure slide titled `title`, whose drawing is `w` by `h` units
 * (any unit: the page scales it), and which becomes the current slide.
 * KB_EINVAL (a size not above zero, text not UTF-8), KB_ENOMEM.
 */
int kbi_deck_figure_add(kbi_deck *d, const char *title, double w, double h,
                        kb_error *err);

/*
 * Appends a copy of *shape to the current figure slide; *id (if not NULL)
 * is its number for kbi_deck_link_add, counted from 0 on each slide.
 * KB_EINVAL when the current slide is not a figure, the box has no size
 * or the font none, a colour is not "RRGGBB" (fill and stroke may be
 * ""), or the text is not UTF-8; KB_ENOMEM.
 */
int kbi_deck_shape_add(kbi_deck *d, const kbi_deck_shape *shape, size_t *id,
                       kb_error *err);

/*
 * Appends a link of colour `rgb` ("RRGGBB") from shape `from` to shape
 * `to` of the current figure slide. KB_EINVAL when there is no figure
 * slide, no such shape or the colour is not "RRGGBB"; KB_ENOMEM.
 */
int kbi_deck_link_add(kbi_deck *d, size_t from, size_t to, const char *rgb,
                      kb_error *err);

/* ------------------------------------------------------------------------ */
/* Layout                                                                    */
/* ------------------------------------------------------------------------ */

/* Font size, space before and left indent (points) of a paragraph level. */
double kbi_deck_level_pt(int level);
double kbi_deck_level_space(int level);
double kbi_deck_level_indent(int level);

/*
 * The part of a paragraph on one page: from runs[run0] at byte off0 up to
 * runs[run1] at byte off1 (exclusive). A paragraph without runs has one
 * piece with all four zero.
 */
typedef struct kbi_deck_piece {
    size_t para;
    size_t run0, off0, run1, off1;
    int again; /* a label repeated atop a continuation page */
} kbi_deck_piece;

typedef enum {
    KBI_PAGE_COVER,
    KBI_PAGE_TEXT,
    KBI_PAGE_TABLE,
    KBI_PAGE_FIGURE
} kbi_page_kind;

typedef struct kbi_deck_page {
    kbi_page_kind kind;
    const kbi_deck_slide *slide; /* NULL on the cover */
    char *title;                 /* owned: the slide's, " (forts.)" added */
    int cont;                    /* 0 on a slide's first page */
    double title_pt;             /* title font size chosen to fit its box */
    kbi_deck_piece *pieces;      /* text pages */
    size_t npieces, pcap;
    size_t row0, row1; /* table pages: body rows [row0, row1) of cells */
    double *colw;      /* table pages: column widths in points (owned) */
    char *notes;       /* owned: the slide's notes on its first page, then
                          those of the paragraphs starting here; NULL: none */
    /* figure pages: a unit of the figure is `scale` points, and its origin
     * is at (fig_x, fig_y) points on the page */
    double scale, fig_x, fig_y;
} kbi_deck_page;

typedef struct kbi_deck_pages {
    kbi_deck_page *v;
    size_t n, cap;
} kbi_deck_pages;

/*
 * Lays the deck out on pages: the cover, then each slide on one or more
 * pages (a figure slide on one, its drawing scaled uniformly into the body
 * box and centred in it). A text slide that needs more than one page is
 * spread evenly over the pages it needs: the least height per page that
 * takes no more pages and splits no more paragraphs. *out (zeroed by the
 * caller) borrows from d, which must outlive it; free it with
 * kbi_deck_pages_free. KB_ENOMEM.
 */
int kbi_deck_paginate(kbi_deck_pages *out, const kbi_deck *d, kb_error *err);

/*
 * How the deck's last slide, a text slide, lies on pages: *pages the pages
 * it takes, *fewest the fewest quotes (kbi_deck_quote_add) starting on one
 * of them. KB_EINVAL (no text slide), KB_ENOMEM.
 */
int kbi_deck_last_pages(const kbi_deck *d, size_t *pages, size_t *fewest,
                        kb_error *err);

/* Moves slide `from` to index `to`, the slides between shifting over. */
void kbi_deck_slide_move(kbi_deck *d, size_t from, size_t to);

/* Removes the deck's last slide (to build it again another way). */
void kbi_deck_slide_drop(kbi_deck *d);

/* Frees what kbi_deck_paginate filled in (not p itself). */
void kbi_deck_pages_free(kbi_deck_pages *p);

/*
 * Calls fn(ctx, s, n, style) for each run of a piece, clipped to it.
 * Stops at and returns fn's first non-zero return, else 0.
 */
typedef int (*kbi_deck_text_fn)(void *ctx, const char *s, size_t n,
                                unsigned style);
int kbi_deck_piece_each(const kbi_deck_slide *slide, const kbi_deck_piece *pc,
                        kbi_deck_text_fn fn, void *ctx);

/* Estimated height (points) of body row `row` (1-based: 0 is the header). */
double kbi_deck_row_height(const kbi_deck_slide *t, size_t row,
                           const double *colw);

/* 1 if every body cell of column c is a number (right-aligned), else 0. */
int kbi_deck_col_numeric(const kbi_deck_slide *t, size_t c);

#endif
