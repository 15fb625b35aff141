/*
 * test_structure.c: the data-structure figure (core/src/export/structure.c).
 * The SVG of generated codebooks (many concepts, very long labels, a word
 * wider than a box, a theme with one concept, with and without dimensions)
 * and of codebooks/vardsamverkan.yaml is parsed back with libxml2 and
 * checked as a reader sees it: one box per node and none overlapping,
 * every line of text inside its box when set in DejaVu Sans (the widest of
 * the fonts the SVG names; its advance widths are below), each concept
 * joined to its theme and each theme to its dimension by a line from edge
 * to edge, themes centred on their concepts, counts shown. The DOT has
 * every node and edge, with quotes and backslashes escaped.
 * Usage: test_structure SOURCE_DIR
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kodbok.h"

static const char *src_dir;

/*
 * Advance widths of DejaVu Sans 2.37, Book and Bold, in 1/2048 em, read
 * from DejaVuSans.ttf and DejaVuSans-Bold.ttf (Debian fonts-dejavu-core):
 * printable ASCII and the other characters our labels use.
 */
static const struct {
    unsigned cp;
    int book, bold;
} DEJAVU[] = {
    {0x0020, 651, 713},   {0x0021, 821, 934},   {0x0022, 942, 1067},
    {0x0023, 1716, 1716}, {0x0024, 1303, 1425}, {0x0025, 1946, 2052},
    {0x0026, 1597, 1786}, {0x0027, 563, 627},   {0x0028, 799, 936},
    {0x0029, 799, 936},   {0x002A, 1024, 1071}, {0x002B, 1716, 1716},
    {0x002C, 651, 778},   {0x002D, 739, 850},   {0x002E, 651, 778},
    {0x002F, 690, 748},   {0x0030, 1303, 1425}, {0x0031, 1303, 1425},
    {0x0032, 1303, 1425}, {0x0033, 1303, 1425}, {0x0034, 1303, 1425},
    {0x0035, 1303, 1425}, {0x0036, 1303, 1425}, {0x0037, 1303, 1425},
    {0x0038, 1303, 1425}, {0x0039, 1303, 1425}, {0x003A, 690, 819},
    {0x003B, 690, 819},   {0x003C, 1716, 1716}, {0x003D, 1716, 1716},
    {0x003E, 1716, 1716}, {0x003F, 1087, 1188}, {0x0040, 2048, 2048},
    {0x0041, 1401, 1585}, {0x0042, 1405, 1561}, {0x0043, 1430, 1503},
    {0x0044, 1577, 1700}, {0x0045, 1294, 1399}, {0x0046, 1178, 1399},
    {0x0047, 1587, 1681}, {0x0048, 1540, 1714}, {0x0049, 604, 762},
    {0x004A, 604, 762},   {0x004B, 1343, 1587}, {0x004C, 1141, 1305},
    {0x004D, 1767, 2038}, {0x004E, 1532, 1714}, {0x004F, 1612, 1741},
    {0x0050, 1235, 1501}, {0x0051, 1612, 1741}, {0x0052, 1423, 1577},
    {0x0053, 1300, 1475}, {0x0054, 1251, 1397}, {0x0055, 1499, 1663},
    {0x0056, 1401, 1585}, {0x0057, 2025, 2259}, {0x0058, 1403, 1579},
    {0x0059, 1251, 1483}, {0x005A, 1403, 1485}, {0x005B, 799, 936},
    {0x005C, 690, 748},   {0x005D, 799, 936},   {0x005E, 1716, 1716},
    {0x005F, 1024, 1024}, {0x0060, 1024, 1024}, {0x0061, 1255, 1382},
    {0x0062, 1300, 1466}, {0x0063, 1126, 1214}, {0x0064, 1300, 1466},
    {0x0065, 1260, 1389}, {0x0066, 721, 891},   {0x0067, 1300, 1466},
    {0x0068, 1298, 1458}, {0x0069, 569, 702},   {0x006A, 569, 702},
    {0x006B, 1186, 1362}, {0x006C, 569, 702},   {0x006D, 1995, 2134},
    {0x006E, 1298, 1458}, {0x006F, 1253, 1407}, {0x0070, 1300, 1466},
    {0x0071, 1300, 1466}, {0x0072, 842, 1010},  {0x0073, 1067, 1219},
    {0x0074, 803, 979},   {0x0075, 1298, 1458}, {0x0076, 1212, 1335},
    {0x0077, 1675, 1892}, {0x0078, 1212, 1321}, {0x0079, 1212, 1335},
    {0x007A, 1075, 1192}, {0x007B, 1303, 1458}, {0x007C, 690, 748},
    {0x007D, 1303, 1458}, {0x007E, 1716, 1716}, {0x00A0, 651, 713},
    {0x00C4, 1401, 1585}, {0x00C5, 1401, 1585}, {0x00C9, 1294, 1399},
    {0x00D6, 1612, 1741}, {0x00E4, 1255, 1382}, {0x00E5, 1255, 1382},
    {0x00E9, 1260, 1389}, {0x00F6, 1253, 1407}, {0x00FC, 1298, 1458},
    {0x2013, 1024, 1024},
};

/* Width in pixels of UTF-8 text set in DejaVu Sans at `size` pixels. */
static double dejavu_width(const char *s, int bold, double size)
{
    long units = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        int len = 4;
        int cp = xmlGetUTF8Char(p, &len);
        assert_true(cp > 0 && len > 0);
        size_t k = 0, n = sizeof DEJAVU / sizeof DEJAVU[0];
        while (k < n && DEJAVU[k].cp != (unsigned)cp)
            k++;
        if (k == n)
            fail_msg("no DejaVu width for U+%04X in '%s'", (unsigned)cp, s);
        units += bold ? DEJAVU[k].bold : DEJAVU[k].book;
        p += len;
    }
    return (double)units * size / 2048.0;
}

/* s without white space (and no-break spaces), into a new string. */
static char *squeeze(const char *s)
{
    char *t = malloc(strlen(s) + 1), *q = t;
    assert_non_null(t);
    for (; *s; s++) {
        if (!strncmp(s, "\xc2\xa0", 2)) /* U+00A0 */
            s++;
        else if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            *q++ = *s;
    }
    *q = '\0';
    return t;
}

/* ---- the SVG, parsed back ----------------------------------------------- */

typedef struct rect {
    double x, y, w, h;
} rect;

typedef struct tline {
    double x, y, size;
    int middle, bold;
    char *text;
} tline;

typedef struct node {
    int groups; /* <g id="n-ID"> seen */
    int rects;  /* <rect> in them */
    rect r;     /* the box */
    char *kind; /* its class */
    tline lines[64];
    size_t nlines;
    double pts[16]; /* its link's points, x y x y ... */
    int npts, links;
} node;

typedef struct fig {
    const kb_codebook *cb;
    double width, height;
    node *nodes; /* one per codebook node */
    tline heads[8];
    size_t nheads;
    int other_rects;
} fig;

static double num(xmlNodePtr e, const char *name)
{
    xmlChar *v = xmlGetProp(e, BAD_CAST name);
    if (!v)
        fail_msg("<%s> without %s", (const char *)e->name, name);
    char *end;
    double d = strtod((const char *)v, &end);
    assert_true(*end == '\0' && end != (char *)v);
    xmlFree(v);
    return d;
}

/* An attribute of e or of its nearest ancestor that has it (SVG
 * inheritance); NULL if none. Caller frees with xmlFree. */
static char *inherited(xmlNodePtr e, const char *name)
{
    for (; e && e->type == XML_ELEMENT_NODE; e = e->parent) {
        xmlChar *v = xmlGetProp(e, BAD_CAST name);
        if (v)
            return (char *)v;
    }
    return NULL;
}

static tline read_line(xmlNodePtr t)
{
    tline l = {0};
    l.x = num(t, "x");
    l.y = num(t, "y");
    char *size = inherited(t, "font-size"),
         *weight = inherited(t, "font-weight"),
         *anchor = inherited(t, "text-anchor");
    assert_non_null(size);
    l.size = strtod(size, NULL);
    l.bold = weight && !strcmp(weight, "bold");
    l.middle = anchor && !strcmp(anchor, "middle");
    xmlFree(size);
    xmlFree(weight);
    xmlFree(anchor);
    l.text = (char *)xmlNodeGetContent(t);
    return l;
}

/* The codebook node drawn with XML id "n-ID" or "l-ID", by its ID. */
static size_t node_of(const fig *f, const char *xml_id)
{
    static const kb_code_kind kinds[] = {KB_CODE_DIMENSION, KB_CODE_THEME,
                                         KB_CODE_CONCEPT};
    for (size_t k = 0; k < 3; k++) {
        size_t i = kb_codebook_find(f->cb, kinds[k], xml_id + 2);
        if (i != KB_NO_INDEX)
            return i;
    }
    fail_msg("'%s' is no dimension, theme or concept", xml_id);
    return KB_NO_INDEX;
}

static void walk(fig *f, xmlNodePtr e, node *in, int in_headers)
{
    for (; e; e = e->next) {
        if (e->type != XML_ELEMENT_NODE)
            continue;
        const char *name = (const char *)e->name;
        char *id = (char *)xmlGetProp(e, BAD_CAST "id");
        char *cls = (char *)xmlGetProp(e, BAD_CAST "class");
        node *here = in;
        int headers = in_headers || (cls && !strcmp(cls, "headers"));
        if (!strcmp(name, "g") && id && !strncmp(id, "n-", 2)) {
            assert_null(in);
            here = &f->nodes[node_of(f, id)];
            here->groups++;
            here->kind = strdup(cls ? cls : "");
        } else if (!strcmp(name, "rect")) {
            if (in) {
                in->rects++;
                in->r = (rect){num(e, "x"), num(e, "y"), num(e, "width"),
                               num(e, "height")};
            } else {
                f->other_rects++;
            }
        } else if (!strcmp(name, "text")) {
            if (in) {
                assert_true(in->nlines < 64);
                in->lines[in->nlines++] = read_line(e);
            } else {
                assert_true(headers && f->nheads < 8);
                f->heads[f->nheads++] = read_line(e);
            }
        } else if (!strcmp(name, "polyline")) {
            assert_non_null(id);
            assert_true(!strncmp(id, "l-", 2));
            node *n = &f->nodes[node_of(f, id)];
            n->links++;
            xmlChar *p = xmlGetProp(e, BAD_CAST "points");
            const char *s = (const char *)p;
            int used;
            while (n->npts < 16 && sscanf(s, " %lf,%lf%n", &n->pts[n->npts],
                                          &n->pts[n->npts + 1], &used) == 2) {
                n->npts += 2;
                s += used;
            }
            assert_true(*s == '\0');
            xmlFree(p);
        }
        walk(f, e->children, here, headers);
        xmlFree(id);
        xmlFree(cls);
    }
}

static void fig_free(fig *f)
{
    for (size_t i = 0; i < kb_codebook_count(f->cb); i++) {
        for (size_t k = 0; k < f->nodes[i].nlines; k++)
            xmlFree(f->nodes[i].lines[k].text);
        free(f->nodes[i].kind);
    }
    for (size_t k = 0; k < f->nheads; k++)
        xmlFree(f->heads[k].text);
    free(f->nodes);
}

static int drawn(const kb_code_info *c)
{
    return c->kind == KB_CODE_DIMENSION || c->kind == KB_CODE_THEME ||
           c->kind == KB_CODE_CONCEPT;
}

static double mid_y(const rect *r)
{
    return r->y + r->h / 2;
}

/* The text a node should show, without white space: label and "(n)". */
static char *expected_text(const kb_code_info *c, const size_t *counts,
                           size_t i)
{
    char *t = squeeze(c->label);
    if (counts && counts[i] != KB_NO_COUNT) {
        char *u = malloc(strlen(t) + 32);
        assert_non_null(u);
        sprintf(u, "%s(%zu)", t, counts[i]);
        free(t);
        t = u;
    }
    return t;
}

/* Checks one line of text lies inside r in DejaVu Sans. */
static void line_inside(const tline *l, const rect *r, const char *what)
{
    double w = dejavu_width(l->text, l->bold, l->size);
    double left = l->middle ? l->x - w / 2 : l->x, right = left + w;
    /* DejaVu Sans: ascender 0.928 em above the baseline, descender 0.236. */
    double top = l->y - 0.928 * l->size, bottom = l->y + 0.236 * l->size;
    if (left < r->x || right > r->x + r->w || top < r->y ||
        bottom > r->y + r->h)
        fail_msg("%s: line '%s' (%.1f..%.1f, %.1f..%.1f) outside its box "
                 "(%.0f..%.0f, %.0f..%.0f)",
                 what, l->text, left, right, top, bottom, r->x, r->x + r->w,
                 r->y, r->y + r->h);
}

static int overlap(const rect *a, const rect *b)
{
    return a->x < b->x + b->w && b->x < a->x + a->w && a->y < b->y + b->h &&
           b->y < a->y + a->h;
}

/* The extent (top, bottom) of a node's box and all its descendants'. */
static void extent(const fig *f, size_t i, double *top, double *bottom)
{
    const rect *r = &f->nodes[i].r;
    if (r->y < *top)
        *top = r->y;
    if (r->y + r->h > *bottom)
        *bottom = r->y + r->h;
    for (size_t k = 0; k < kb_codebook_count(f->cb); k++)
        if (kb_codebook_get(f->cb, k)->parent == i)
            extent(f, k, top, bottom);
}

static const char *const HEADS_SV[] = {"Första ordningens begrepp",
                                       "Andra ordningens teman",
                                       "Aggregerade dimensioner"};
static const char *const HEADS_EN[] = {
    "First-order concepts", "Second-order themes", "Aggregate dimensions"};

/* Parses an SVG of cb and checks everything a reader relies on. */
static void check_svg(const kb_codebook *cb, const char *svg, size_t len,
                      const size_t *counts, int english)
{
    xmlDocPtr doc = xmlReadMemory(svg, (int)len, "figure.svg", NULL,
                                  XML_PARSE_NONET | XML_PARSE_NOBLANKS);
    if (!doc)
        fail_msg("the SVG is not well-formed XML");
    xmlNodePtr root = xmlDocGetRootElement(doc);
    assert_string_equal((const char *)root->name, "svg");
    assert_non_null(root->ns);
    assert_string_equal((const char *)root->ns->href,
                        "http://www.w3.org/2000/svg");
    size_t n = kb_codebook_count(cb);
    fig f = {.cb = cb, .nodes = calloc(n, sizeof(node))};
    assert_non_null(f.nodes);
    f.width = num(root, "width");
    f.height = num(root, "height");
    char want_vb[64];
    snprintf(want_vb, sizeof want_vb, "0 0 %.0f %.0f", f.width, f.height);
    xmlChar *vb = xmlGetProp(root, BAD_CAST "viewBox");
    assert_non_null(vb);
    assert_string_equal((const char *)vb, want_vb);
    xmlFree(vb);
    walk(&f, root->children, NULL, 0);
    assert_int_equal(f.other_rects, 1); /* the white background */

    int dims = 0;
    for (size_t i = 0; i < n; i++)
        dims |= kb_codebook_get(cb, i)->kind == KB_CODE_DIMENSION;
    double col_x[3] = {-1, -1, -1}, col_right[3] = {0};
    double first_top = 1e9;
    for (size_t i = 0; i < n; i++) {
        const kb_code_info *c = kb_codebook_get(cb, i);
        node *d = &f.nodes[i];
        if (!drawn(c)) {
            assert_int_equal(d->groups, 0);
            continue;
        }
        /* One box, of its kind, in its column, inside the figure. */
        if (d->groups != 1 || d->rects != 1)
            fail_msg("node %s: %d groups with %d boxes", c->id, d->groups,
                     d->rects);
        assert_string_equal(d->kind, kb_code_kind_name(c->kind));
        int col = c->kind == KB_CODE_CONCEPT ? 0
                  : c->kind == KB_CODE_THEME ? 1
                                             : 2;
        if (col_x[col] < 0) {
            col_x[col] = d->r.x;
            col_right[col] = d->r.x + d->r.w;
        }
        assert_true(d->r.x == col_x[col]);
        assert_true(d->r.x + d->r.w == col_right[col]);
        assert_true(d->r.x >= 0 && d->r.y >= 0 && d->r.w > 0 && d->r.h > 0);
        assert_true(d->r.x + d->r.w <= f.width && d->r.y + d->r.h <= f.height);
        if (d->r.y < first_top)
            first_top = d->r.y;

        /* Its lines: inside the box, one below the other, the whole label
         * (and the count) and nothing else. */
        assert_true(d->nlines > 0);
        size_t total = 0;
        for (size_t k = 0; k < d->nlines; k++) {
            line_inside(&d->lines[k], &d->r, c->id);
            assert_int_equal(d->lines[k].bold, c->kind != KB_CODE_CONCEPT);
            if (k)
                assert_true(d->lines[k].y >=
                            d->lines[k - 1].y + d->lines[k].size);
            total += strlen(d->lines[k].text);
        }
        char *shown = malloc(total + 1);
        assert_non_null(shown);
        shown[0] = '\0';
        for (size_t k = 0; k < d->nlines; k++)
            strcat(shown, d->lines[k].text);
        char *got = squeeze(shown), *want = expected_text(c, counts, i);
        assert_string_equal(got, want);
        if (!counts || counts[i] == KB_NO_COUNT)
            assert_null(strchr(d->lines[d->nlines - 1].text, '('));
        else /* the count is not alone on its line */
            assert_true(d->lines[d->nlines - 1].text[0] != '(');
        free(shown);
        free(got);
        free(want);

        /* The line to its parent: from its right edge to the parent's left
         * edge, in horizontal and vertical pieces. */
        if (c->parent == KB_NO_INDEX) {
            assert_int_equal(d->links, 0);
            continue;
        }
        const rect *p = &f.nodes[c->parent].r;
        if (d->links != 1 || d->npts < 4)
            fail_msg("node %s: %d lines to its parent", c->id, d->links);
        double x0 = d->pts[0], y0 = d->pts[1];
        double x1 = d->pts[d->npts - 2], y1 = d->pts[d->npts - 1];
        assert_true(x0 == d->r.x + d->r.w);
        assert_true(y0 > d->r.y && y0 < d->r.y + d->r.h);
        assert_true(x1 == p->x);
        assert_true(y1 > p->y && y1 < p->y + p->h);
        for (int k = 2; k < d->npts; k += 2)
            assert_true(d->pts[k] == d->pts[k - 2] ||
                        d->pts[k + 1] == d->pts[k - 1]);
        for (int k = 0; k < d->npts; k += 2)
            assert_true(d->pts[k] >= x0 && d->pts[k] <= x1);
        /* An only child faces its parent: its line is straight. */
        size_t siblings = 0;
        for (size_t k = 0; k < n; k++)
            siblings += kb_codebook_get(cb, k)->parent == c->parent;
        if (siblings == 1 && y0 != y1)
            fail_msg("%s, an only child, has a bent line", c->id);
    }
    /* Columns left to right; three only with dimensions. */
    assert_true(col_x[0] >= 0 && col_x[1] > col_right[0]);
    if (dims)
        assert_true(col_x[2] > col_right[1]);
    else
        assert_true(col_x[2] < 0);

    /* No two boxes overlap. */
    for (size_t i = 0; i < n; i++)
        for (size_t k = i + 1; k < n; k++)
            if (drawn(kb_codebook_get(cb, i)) &&
                drawn(kb_codebook_get(cb, k)) &&
                overlap(&f.nodes[i].r, &f.nodes[k].r))
                fail_msg("boxes of %s and %s overlap",
                         kb_codebook_get(cb, i)->id,
                         kb_codebook_get(cb, k)->id);

    /* A theme is centred on its concepts, a dimension on its themes and
     * their concepts (to a pixel, for whole-pixel rounding). */
    for (size_t i = 0; i < n; i++) {
        const kb_code_info *c = kb_codebook_get(cb, i);
        if (c->kind != KB_CODE_THEME && c->kind != KB_CODE_DIMENSION)
            continue;
        double top = 1e9, bottom = -1e9;
        for (size_t k = 0; k < n; k++)
            if (kb_codebook_get(cb, k)->parent == i)
                extent(&f, k, &top, &bottom);
        if (fabs(mid_y(&f.nodes[i].r) - (top + bottom) / 2) > 1)
            fail_msg("%s is not centred on its children (%.1f, %.1f)", c->id,
                     mid_y(&f.nodes[i].r), (top + bottom) / 2);
    }

    /* The column headers, above the boxes and centred on their columns. */
    const char *const *heads = english ? HEADS_EN : HEADS_SV;
    size_t col = 0;
    char joined[256] = "";
    for (size_t k = 0; k < f.nheads; k++) {
        const tline *h = &f.heads[k];
        assert_true(h->bold && h->middle);
        rect column = {col_x[col], 0, col_right[col] - col_x[col], first_top};
        line_inside(h, &column, "header");
        if (joined[0])
            strcat(joined, " ");
        strcat(joined, h->text);
        if (!strcmp(joined, heads[col])) {
            col++;
            joined[0] = '\0';
        }
    }
    assert_int_equal(col, dims ? 3 : 2);
    assert_string_equal(joined, "");
    fig_free(&f);
    xmlFreeDoc(doc);
}

/* ---- DOT ---------------------------------------------------------------- */

/* The DOT string starting at s (at its opening quote), unescaped: \" and
 * \\ stand for themselves, \n and \l end lines (made spaces here). */
static char *dot_string(const char *s, const char **end)
{
    assert_true(*s == '"');
    char *t = malloc(strlen(s) + 1), *q = t;
    assert_non_null(t);
    for (s++; *s && *s != '"'; s++) {
        if (*s == '\\') {
            s++;
            assert_true(*s == '"' || *s == '\\' || *s == 'n' || *s == 'l');
            *q++ = *s == 'n' || *s == 'l' ? ' ' : *s;
        } else {
            assert_true(*s != '\n');
            *q++ = *s;
        }
    }
    assert_true(*s == '"');
    *q = '\0';
    if (end)
        *end = s + 1;
    return t;
}

static size_t occurrences(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

static void check_dot(const kb_codebook *cb, const char *dot,
                      const size_t *counts)
{
    assert_true(!strncmp(dot, "digraph structure {\n", 20));
    /* Every string closes on its line: no quote is left unescaped. */
    for (const char *s = strchr(dot, '"'); s; s = strchr(s, '"')) {
        char *t = dot_string(s, &s);
        free(t);
    }
    size_t n = kb_codebook_count(cb), edges = 0;
    for (size_t i = 0; i < n; i++) {
        const kb_code_info *c = kb_codebook_get(cb, i);
        char key[600];
        snprintf(key, sizeof key, "\"n-%s\" [label=", c->id);
        if (!drawn(c)) {
            assert_int_equal(occurrences(dot, key), 0);
            continue;
        }
        assert_int_equal(occurrences(dot, key), 1);
        char *label = dot_string(strstr(dot, key) + strlen(key), NULL);
        char *got = squeeze(label), *want = expected_text(c, counts, i);
        assert_string_equal(got, want);
        free(label);
        free(got);
        free(want);
        if (c->parent != KB_NO_INDEX) {
            snprintf(key, sizeof key, "\"n-%s\" -> \"n-%s\";\n", c->id,
                     kb_codebook_get(cb, c->parent)->id);
            assert_int_equal(occurrences(dot, key), 1);
            edges++;
        }
    }
    /* Visible edges are those of the tree and no others. */
    size_t visible = 0;
    for (const char *l = dot; *l;) {
        const char *e = strchr(l, '\n');
        size_t len = e ? (size_t)(e - l) : strlen(l);
        char line[2048];
        snprintf(line, sizeof line, "%.*s", (int)len, l);
        visible += strstr(line, " -> ") && !strstr(line, "invis");
        l += len + (e != NULL);
    }
    assert_int_equal(visible, edges);
}

/* ---- codebooks and figures ---------------------------------------------- */

static const char *const WORDS[] = {
    "samverkan",
    "mellan",
    "vårdcentralen",
    "och",
    "kommunerna",
    "i",
    "Västra",
    "Götaland",
    "kräver",
    "tydliga",
    "mandat",
    "på",
    "alla",
    "nivåer",
    "överenskommelser",
    "om",
    "ansvar",
    "för",
    "äldre",
    "patienter",
    "med",
    "stora",
    "behov",
    "hemsjukvården",
    "ÖVERGRIPANDE",
    "beslut",
    "når",
    "inte",
    "fram",
    "till",
    "mikronivån",
    "VVG:s",
    "roll",
    "–",
    "2024",
};
#define NWORDS (sizeof WORDS / sizeof WORDS[0])

static unsigned seed = 20240611u;
static size_t rnd(size_t n)
{
    seed = seed * 1103515245u + 12345u;
    return (seed >> 16) % n;
}

/* A label of `words` random words, YAML single-quoted. */
static void label(FILE *y, size_t words)
{
    fputs("label: '", y);
    for (size_t k = 0; k < words; k++)
        fprintf(y, "%s%s", k ? " " : "", WORDS[rnd(NWORDS)]);
    fputs("'\n", y);
}

/* No dimensions: a theme with a long label over one short concept, a
 * theme of 60 concepts (one a word wider than its box, one with quotes,
 * a backslash and markup), a theme with one very long concept; a facet. */
static void write_flat(FILE *y)
{
    fputs("kodbok: 1\nname: Utan dimensioner\nthemes:\n"
          "  - id: t-lang\n    ",
          y);
    label(y, 40);
    fputs("    concepts:\n      - id: c-kort\n        label: Kort\n"
          "  - id: t-manga\n"
          "    label: 'Citat \"så här\" och \\ snedstreck <&>'\n"
          "    concepts:\n",
          y);
    for (int i = 0; i < 60; i++) {
        fprintf(y, "      - id: c-%d\n        ", i);
        label(y, 1 + rnd(30));
    }
    fputs("      - id: c-ord\n        label: "
          "'Hälsoochsjukvårdsöverenskommelsesamverkansorganisationsstrukturerna"
          " och   mer'\n"
          "      - id: c-citat\n        label: 'Säger \"hej\" \\ och "
          "''apostrof'' <b>&amp;</b>'\n"
          "  - id: t-en\n    label: Ett\n    concepts:\n"
          "      - id: c-ensam\n        ",
          y);
    label(y, 60);
    fputs("facets:\n  - id: level\n    label: Nivå\n    values:\n"
          "      - { id: lokal, label: Lokal nivå }\n",
          y);
}

/* Dimensions: one with a long label over one theme of one concept, then
 * random dimensions, themes and concepts. */
static void write_dims(FILE *y)
{
    fputs("kodbok: 1\nname: Med dimensioner\ndimensions:\n"
          "  - id: d-lang\n    ",
          y);
    label(y, 35);
    fputs("    themes:\n      - id: t-b\n        label: Tema\n"
          "        concepts:\n          - id: c-b\n            label: B\n",
          y);
    for (int d = 0; d < 3; d++) {
        fprintf(y, "  - id: d-%d\n    ", d);
        label(y, 1 + rnd(8));
        fputs("    themes:\n", y);
        for (size_t t = 0, nt = 1 + rnd(4); t < nt; t++) {
            fprintf(y, "      - id: t-%d-%zu\n        ", d, t);
            label(y, 1 + rnd(10));
            fputs("        concepts:\n", y);
            for (size_t c = 0, nc = 1 + rnd(12); c < nc; c++) {
                fprintf(y, "          - id: c-%d-%zu-%zu\n            ", d, t,
                        c);
                label(y, 1 + rnd(25));
            }
        }
    }
}

static char tmpdir[64];
static kb_codebook *flat, *dims, *vard;

static kb_codebook *load(const char *path)
{
    kb_codebook *cb;
    kb_error err;
    if (kb_codebook_load(&cb, path, &err))
        fail_msg("%s:%d: %s", err.file, err.line, err.message);
    return cb;
}

static kb_codebook *generate(const char *name, void (*write)(FILE *))
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s.yaml", tmpdir, name);
    FILE *y = fopen(path, "w");
    assert_non_null(y);
    write(y);
    assert_int_equal(fclose(y), 0);
    kb_codebook *cb = load(path);
    unlink(path);
    return cb;
}

static char *render(const kb_codebook *cb, kb_structure_format format,
                    const size_t *counts, const char *lang, size_t *len)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    assert_non_null(f);
    kb_structure_options o = KB_STRUCTURE_OPTIONS_INIT;
    o.format = format;
    o.counts = counts;
    o.lang = lang;
    kb_error err;
    int rc = kb_structure_write(f, cb, &o, &err);
    assert_int_equal(fclose(f), 0);
    if (rc)
        fail_msg("kb_structure_write: %s", err.message);
    if (len)
        *len = n;
    return buf;
}

/* Counts for every node, some not shown, one large. */
static size_t *some_counts(const kb_codebook *cb)
{
    size_t n = kb_codebook_count(cb);
    size_t *c = malloc(n * sizeof *c);
    assert_non_null(c);
    for (size_t i = 0; i < n; i++)
        c[i] = i % 5 == 3 ? KB_NO_COUNT : i * 37 % 1000;
    c[1] = 1234567;
    return c;
}

static size_t kind_count(const kb_codebook *cb, kb_code_kind kind)
{
    size_t k = 0;
    for (size_t i = 0; i < kb_codebook_count(cb); i++)
        k += kb_codebook_get(cb, i)->kind == kind;
    return k;
}

static void check_all_svg(const kb_codebook *cb)
{
    size_t len;
    char *svg = render(cb, KB_STRUCTURE_SVG, NULL, NULL, &len);
    check_svg(cb, svg, len, NULL, 0);
    free(svg);
    size_t *counts = some_counts(cb);
    svg = render(cb, KB_STRUCTURE_SVG, counts, "en", &len);
    check_svg(cb, svg, len, counts, 1);
    free(svg);
    free(counts);
}

static void test_svg_generated(void **state)
{
    (void)state;
    assert_int_equal(kind_count(flat, KB_CODE_DIMENSION), 0);
    assert_int_equal(kind_count(flat, KB_CODE_CONCEPT), 64);
    check_all_svg(flat);
    assert_int_equal(kind_count(dims, KB_CODE_DIMENSION), 4);
    check_all_svg(dims);
}

static void test_svg_vardsamverkan(void **state)
{
    (void)state;
    assert_int_equal(kind_count(vard, KB_CODE_DIMENSION), 3);
    assert_true(kind_count(vard, KB_CODE_CONCEPT) > 50);
    check_all_svg(vard);
}

/* Markup in a label is escaped, and a word wider than its box is cut
 * between letters (check_svg finds all its letters in the box). */
static void test_svg_escaping_and_cutting(void **state)
{
    (void)state;
    size_t len;
    char *svg = render(flat, KB_STRUCTURE_SVG, NULL, NULL, &len);
    assert_non_null(strstr(svg, "&lt;b&gt;&amp;amp;&lt;/b&gt;"));
    assert_null(strstr(svg, "<b>"));
    assert_null(strstr(svg, "Hälsoochsjukvårdsöverenskommelsesamverkans"
                            "organisationsstrukturerna"));
    assert_non_null(strstr(svg, "Hälsoochsjukvård"));
    free(svg);
}

static void write_slashed(FILE *y)
{
    fputs("kodbok: 1\nname: Snedstreck\nthemes:\n"
          "  - id: t\n    label: Resurser/gränser/takt\n    concepts:\n"
          "      - { id: c, label: "
          "Samverkansöverenskommelse-organisationsstrukturerna-takt }\n",
          y);
}

/* A word too wide for its box breaks after a slash or hyphen, and its
 * count goes whole onto the next line rather than being cut. */
static void test_wrap_at_slash_and_count(void **state)
{
    (void)state;
    kb_codebook *cb = generate("slashed", write_slashed);
    size_t counts[] = {3, 12};
    assert_int_equal(kb_codebook_count(cb), 2);
    char *dot = render(cb, KB_STRUCTURE_DOT, counts, NULL, NULL);
    if (!strstr(dot, "\"n-t\" [label=\"Resurser/gränser/takt\\n(3)\""))
        fail_msg("theme label: %s", dot);
    assert_non_null(
        strstr(dot, "Samverkansöverenskommelse-\\lorganisationsstrukturerna"));
    assert_null(strstr(dot, "(1\\"));
    free(dot);
    kb_codebook_free(cb);
}

static void test_dot(void **state)
{
    (void)state;
    const kb_codebook *books[] = {flat, dims, vard};
    for (size_t b = 0; b < 3; b++) {
        char *dot = render(books[b], KB_STRUCTURE_DOT, NULL, NULL, NULL);
        check_dot(books[b], dot, NULL);
        free(dot);
        size_t *counts = some_counts(books[b]);
        dot = render(books[b], KB_STRUCTURE_DOT, counts, NULL, NULL);
        check_dot(books[b], dot, counts);
        free(dot);
        free(counts);
    }
    char *dot = render(flat, KB_STRUCTURE_DOT, NULL, NULL, NULL);
    assert_non_null(strstr(dot, "Säger \\\"hej\\\" \\\\ och 'apostrof'"));
    assert_non_null(strstr(dot, "rankdir=LR"));
    assert_null(strstr(dot, "h-dimensions")); /* two columns */
    free(dot);
}

static void test_deterministic(void **state)
{
    (void)state;
    size_t a_len, b_len, c_len;
    char *a = render(vard, KB_STRUCTURE_SVG, NULL, NULL, &a_len);
    char *b = render(vard, KB_STRUCTURE_SVG, NULL, "sv", &b_len);
    assert_int_equal(a_len, b_len);
    assert_memory_equal(a, b, a_len);
    /* NULL options are the defaults. */
    char *c = NULL;
    FILE *f = open_memstream(&c, &c_len);
    assert_int_equal(kb_structure_write(f, vard, NULL, NULL), 0);
    fclose(f);
    assert_int_equal(a_len, c_len);
    assert_memory_equal(a, c, a_len);
    free(a);
    free(b);
    free(c);
}

static void test_errors(void **state)
{
    (void)state;
    kb_error err;
    kb_structure_options o = KB_STRUCTURE_OPTIONS_INIT;
    o.version = 99;
    assert_int_equal(kb_structure_write(stdout, vard, &o, &err), KB_EINVAL);
    o = (kb_structure_options)KB_STRUCTURE_OPTIONS_INIT;
    o.format = (kb_structure_format)7;
    assert_int_equal(kb_structure_write(stdout, vard, &o, &err), KB_EINVAL);
    o = (kb_structure_options)KB_STRUCTURE_OPTIONS_INIT;
    o.lang = "de";
    assert_int_equal(kb_structure_write(stdout, vard, &o, &err), KB_EINVAL);
    assert_non_null(strstr(err.message, "de"));
    FILE *full = fopen("/dev/full", "w");
    if (!full)
        skip();
    o = (kb_structure_options)KB_STRUCTURE_OPTIONS_INIT;
    assert_int_equal(kb_structure_write(full, vard, &o, &err), KB_EIO);
    clearerr(full);
    o.format = KB_STRUCTURE_DOT;
    assert_int_equal(kb_structure_write(full, vard, &o, &err), KB_EIO);
    fclose(full);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_structure SOURCE_DIR\n");
        return 2;
    }
    src_dir = argv[1];
    snprintf(tmpdir, sizeof tmpdir, "/tmp/kbi_structure_XXXXXX");
    if (!mkdtemp(tmpdir))
        return 2;
    flat = generate("flat", write_flat);
    dims = generate("dims", write_dims);
    char path[1024];
    snprintf(path, sizeof path, "%s/codebooks/vardsamverkan.yaml", src_dir);
    vard = load(path);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_svg_generated),
        cmocka_unit_test(test_svg_vardsamverkan),
        cmocka_unit_test(test_svg_escaping_and_cutting),
        cmocka_unit_test(test_wrap_at_slash_and_count),
        cmocka_unit_test(test_dot),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_errors),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    kb_codebook_free(flat);
    kb_codebook_free(dims);
    kb_codebook_free(vard);
    rmdir(tmpdir);
    xmlCleanupParser();
    return rc;
}
