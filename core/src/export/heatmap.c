/*
 * heatmap.c: a matrix (ordinary or co-occurrence) as an SVG heat map, for
 * print: sizes in points, whole numbers throughout (so the output is the
 * same in every locale), labels measured by kbi_svg_text_width, a cell's
 * shade by its value over the largest, with the value written in it, and
 * a legend of five shades (fewer for small counts) with their values. In a
 * matrix of codes against the same codes the diagonal is written bold and left
 * unshaded.
 */
#include "export/heatmap.h"
#include "export/present.h"
#include "export/svg.h"
#include "export/table.h"
#include "base/error.h"
#include "base/utf8.h"

#include <string.h>

/* Layout in points. */
enum {
    FONT = 8,        /* labels */
    CELL_FONT = 7,   /* the values in the cells */
    CELL_W = 26,     /* a cell */
    CELL_H = 16,     /* a cell, and a row label's line */
    PAD = 6,         /* labels to the grid */
    MARGIN = 18,     /* around the figure */
    LABEL_MAX = 190, /* the widest a label is drawn; longer ones are cut */
    TITLE_FONT = 10,
    LEGEND_GAP = 16 /* the grid to the legend */
};

/* The ends of the shades: white, and a dark blue whose lightness is what
 * tells the values apart in grey; text turns white on the darker half. */
static const int LIGHT[3] = {255, 255, 255}, DARK[3] = {8, 48, 107};
static const char INK[] = "#1f2933", GRID[] = "#c8ced6";

/* The width of a label of FONT points, capped at LABEL_MAX. */
static int label_width(const char *s)
{
    long w = kbi_svg_text_width(s, strlen(s), 0) * FONT / 1000 + 1;
    return w > LABEL_MAX ? LABEL_MAX : (int)w;
}

/* The label, cut with "…" so that it fits in LABEL_MAX points, into buf. */
static const char *fitted(const char *s, char *buf, size_t size)
{
    size_t n = strlen(s);
    if (kbi_svg_text_width(s, n, 0) * FONT / 1000 < LABEL_MAX || size < 8)
        return s;
    long room = (long)LABEL_MAX * 1000 / FONT - 1000; /* the ellipsis */
    size_t cut = 0;
    for (size_t i = 0; i < n && i + 4 < size;) {
        size_t next = i + 1;
        while (next < n && ((unsigned char)s[next] & 0xC0) == 0x80)
            next++;
        if (kbi_svg_text_width(s, next, 0) > room)
            break;
        cut = i = next;
    }
    memcpy(buf, s, cut);
    memcpy(buf + cut, "\xe2\x80\xa6", 4); /* "…" and its NUL */
    return buf;
}

/* A cell's value: its count, or its Jaccard index in thousandths. */
static long value_of(const kb_matrix *m, int jaccard, size_t r, size_t c)
{
    return jaccard ? (long)(kb_matrix_jaccard(m, r, c) * 1000 + 0.5)
                   : (long)kb_matrix_cell(m, r, c);
}

/* A value as written: a count, or a Jaccard index with two decimals. */
static const char *value_text(long v, int jaccard, char buf[48])
{
    if (jaccard)
        return kbi_table_number_text((double)v / 1000, 2, buf);
    snprintf(buf, 48, "%ld", v);
    return buf;
}

/* The shade of v out of max: #rrggbb into buf[8]; is it dark? */
static int shade(long v, long max, char buf[8])
{
    long t = max > 0 ? v * 1000 / max : 0;
    int rgb[3];
    for (int i = 0; i < 3; i++)
        rgb[i] = (int)(LIGHT[i] + (DARK[i] - LIGHT[i]) * t / 1000);
    snprintf(buf, 8, "#%02x%02x%02x", rgb[0], rgb[1], rgb[2]);
    return t > 500;
}

/* A cell of the grid or the legend at (x, y): its shade and its value; a
 * diagonal cell unshaded, its value bold. */
static void cell(kbi_xml *s, int x, int y, long v, long max, int jaccard,
                 int diagonal)
{
    char fill[8], num[48];
    int dark = shade(diagonal ? 0 : v, max, fill);
    kbi_xml_open(s, "rect");
    kbi_xml_attrf(s, "x", "%d", x);
    kbi_xml_attrf(s, "y", "%d", y);
    kbi_xml_attrf(s, "width", "%d", CELL_W);
    kbi_xml_attrf(s, "height", "%d", CELL_H);
    kbi_xml_attr(s, "fill", fill);
    kbi_xml_attr(s, "stroke", GRID);
    kbi_xml_attr(s, "stroke-width", "0.5");
    kbi_xml_close(s);
    kbi_xml_open(s, "text");
    kbi_xml_attrf(s, "x", "%d", x + CELL_W / 2);
    kbi_xml_attrf(s, "y", "%d", y + CELL_H / 2 + CELL_FONT * 35 / 100);
    if (dark)
        kbi_xml_attr(s, "fill", "#ffffff");
    if (diagonal)
        kbi_xml_attr(s, "font-weight", "bold");
    const char *t = value_text(v, jaccard, num);
    kbi_xml_text(s, t, strlen(t));
    kbi_xml_close(s);
}

static void text_at(kbi_xml *s, int x, int y, const char *anchor, const char *t)
{
    kbi_xml_open(s, "text");
    kbi_xml_attrf(s, "x", "%d", x);
    kbi_xml_attrf(s, "y", "%d", y);
    if (anchor)
        kbi_xml_attr(s, "text-anchor", anchor);
    kbi_xml_text(s, t, strlen(t));
    kbi_xml_close(s);
}

int kbi_heatmap_write(FILE *out, const kb_matrix *m, const kb_quote_list *l,
                      const kb_export_options *o, kb_error *err)
{
    const kbi_words *w = kbi_words_for(o->lang);
    int jaccard = o->jaccard && kb_matrix_cooccurrence(m);
    /* Codes against the same codes: the diagonal (the units holding each
     * code, or a Jaccard index of 1) is not shaded, so that the shades
     * tell the pairs apart. */
    int same = kb_matrix_cooccurrence(m) && !strcmp(o->rows, o->cols);
    size_t R = kb_matrix_rows(m), C = kb_matrix_cols(m);
    long max = 0;
    int left = 0, top = 0, right = 0;
    for (size_t r = 0; r < R; r++) {
        int lw = label_width(kb_matrix_row_label(m, r));
        left = lw > left ? lw : left;
        for (size_t c = 0; c < C; c++) {
            long v = value_of(m, jaccard, r, c);
            max = v > max && !(same && r == c) ? v : max;
        }
    }
    /* Column labels rise at 45 degrees from their cells' centres: as high
     * and as far to the right as 0.71 of their width. */
    for (size_t c = 0; c < C; c++) {
        int rise = label_width(kb_matrix_col_label(m, c)) * 71 / 100 + FONT;
        int reach = (int)c * CELL_W + CELL_W / 2 + rise;
        top = rise > top ? rise : top;
        right = reach > right ? reach : right;
    }
    int gx = MARGIN + left + PAD, gy = MARGIN + TITLE_FONT + PAD + top;
    int grid_w = (int)C * CELL_W > right ? (int)C * CELL_W : right;
    int width = gx + grid_w + MARGIN;
    int legend_y = gy + (int)R * CELL_H + LEGEND_GAP;
    int height = legend_y + FONT + PAD + CELL_H + MARGIN;
    int legend_w = MARGIN + 5 * CELL_W + MARGIN;
    if (width < legend_w)
        width = legend_w;
    char title[512];
    snprintf(title, sizeof title, "%s \xc3\x97 %s (%s%s%s)",
             kbi_axis_name(w, l, o->rows), kbi_axis_name(w, l, o->cols),
             kbi_matrix_counted(w, m, o), jaccard ? ", " : "",
             jaccard ? w->units[o->unit] : "");

    kbi_xml s;
    if (kbi_xml_begin(&s, NULL, 1))
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    kbi_svg_open(&s, width, height, "pt", FONT, title);
    kbi_xml_open(&s, "g");
    kbi_xml_attr(&s, "fill", INK);
    kbi_xml_open(&s, "text");
    kbi_xml_attrf(&s, "x", "%d", MARGIN);
    kbi_xml_attrf(&s, "y", "%d", MARGIN + TITLE_FONT);
    kbi_xml_attrf(&s, "font-size", "%d", TITLE_FONT);
    kbi_xml_attr(&s, "font-weight", "bold");
    kbi_xml_text(&s, title, strlen(title));
    kbi_xml_close(&s);

    char buf[512];
    kbi_xml_open(&s, "g");
    kbi_xml_attr(&s, "class", "rows");
    for (size_t r = 0; r < R; r++)
        text_at(&s, gx - PAD,
                gy + (int)r * CELL_H + CELL_H / 2 + FONT * 35 / 100, "end",
                fitted(kb_matrix_row_label(m, r), buf, sizeof buf));
    kbi_xml_close(&s);
    kbi_xml_open(&s, "g");
    kbi_xml_attr(&s, "class", "cols");
    for (size_t c = 0; c < C; c++) {
        int x = gx + (int)c * CELL_W + CELL_W / 2, y = gy - PAD;
        kbi_xml_open(&s, "text");
        kbi_xml_attrf(&s, "x", "%d", x);
        kbi_xml_attrf(&s, "y", "%d", y);
        kbi_xml_attrf(&s, "transform", "rotate(-45 %d %d)", x, y);
        const char *t = fitted(kb_matrix_col_label(m, c), buf, sizeof buf);
        kbi_xml_text(&s, t, strlen(t));
        kbi_xml_close(&s);
    }
    kbi_xml_close(&s);

    kbi_xml_open(&s, "g");
    kbi_xml_attr(&s, "class", "cells");
    kbi_xml_attrf(&s, "font-size", "%d", CELL_FONT);
    kbi_xml_attr(&s, "text-anchor", "middle");
    for (size_t r = 0; r < R; r++)
        for (size_t c = 0; c < C; c++)
            cell(&s, gx + (int)c * CELL_W, gy + (int)r * CELL_H,
                 value_of(m, jaccard, r, c), max, jaccard, same && r == c);
    kbi_xml_close(&s);
    kbi_xml_open(&s, "rect"); /* the grid's frame */
    kbi_xml_attrf(&s, "x", "%d", gx);
    kbi_xml_attrf(&s, "y", "%d", gy);
    kbi_xml_attrf(&s, "width", "%d", (int)C * CELL_W);
    kbi_xml_attrf(&s, "height", "%d", (int)R * CELL_H);
    kbi_xml_attr(&s, "fill", "none");
    kbi_xml_attr(&s, "stroke", GRID);
    kbi_xml_close(&s);

    kbi_xml_open(&s, "g");
    kbi_xml_attr(&s, "class", "legend");
    text_at(&s, MARGIN, legend_y + FONT, NULL, kbi_matrix_counted(w, m, o));
    kbi_xml_open(&s, "g");
    kbi_xml_attrf(&s, "font-size", "%d", CELL_FONT);
    kbi_xml_attr(&s, "text-anchor", "middle");
    long steps = max < 4 ? max + 1 : 5; /* 0, a quarter, ... the largest */
    for (long k = 0; k < steps; k++)
        cell(&s, MARGIN + (int)k * CELL_W, legend_y + FONT + PAD,
             steps > 1 ? (max * k + (steps - 1) / 2) / (steps - 1) : 0, max,
             jaccard, 0);
    kbi_xml_close(&s);
    kbi_xml_open(&s, "rect");
    kbi_xml_attrf(&s, "x", "%d", MARGIN);
    kbi_xml_attrf(&s, "y", "%d", legend_y + FONT + PAD);
    kbi_xml_attrf(&s, "width", "%d", (int)steps * CELL_W);
    kbi_xml_attrf(&s, "height", "%d", CELL_H);
    kbi_xml_attr(&s, "fill", "none");
    kbi_xml_attr(&s, "stroke", GRID);
    kbi_xml_close(&s);
    kbi_xml_close(&s);
    int rc = kbi_svg_finish(&s, out);
    return rc == KB_ENOMEM ? kbi_fail(err, rc, "out of memory")
           : rc            ? kbi_fail(err, rc, "writing the heat map failed")
                           : 0;
}
