/*
 * manuscript.c: a deck as a DOCX or ODT document (manuscript.h). Both
 * formats walk the deck the same way (walk()): blocks of a kind, each a
 * paragraph of runs or a table, handed to the format's writer, which
 * knows only its own markup. The package is built in memory
 * (base/zipwrite) with every part at one fixed time, so a deck gives the
 * same bytes each time.
 */
#include "export/manuscript.h"

#include "base/error.h"
#include "base/xml.h"
#include "base/zipwrite.h"

#include <stdio.h>
#include <string.h>

/* What a paragraph is, in the document. */
typedef enum {
    BLOCK_TITLE,
    BLOCK_SUBTITLE,
    BLOCK_DATE,
    BLOCK_HEADING,
    BLOCK_CONCEPT, /* a level-0 paragraph */
    BLOCK_QUOTE,   /* level 1 */
    BLOCK_MEMO     /* level 2 */
} block_kind;

/* A part being written: its XML, and (ODT) whether a space here would
 * collapse, at a paragraph's start or after a space. */
typedef struct out {
    kbi_xml x;
    int collapse;
} out;

/* A format's markup for the walk: a paragraph's start and end, a run of
 * text (without newlines), a line break, and a table. */
typedef struct format {
    void (*para)(out *o, block_kind kind);
    void (*para_end)(out *o, block_kind kind);
    void (*run)(out *o, const char *s, size_t n, unsigned style);
    void (*line_break)(out *o);
    void (*table)(out *o, const kbi_deck_slide *t);
} format;

/* Text s[0..n) as runs with line breaks between its lines. */
static void runs(const format *f, out *o, const char *s, size_t n,
                 unsigned style)
{
    while (n) {
        const char *nl = memchr(s, '\n', n);
        size_t k = nl ? (size_t)(nl - s) : n;
        if (k)
            f->run(o, s, k, style);
        if (!nl)
            break;
        f->line_break(o);
        s += k + 1;
        n -= k + 1;
    }
}

static void plain(const format *f, out *o, block_kind kind, const char *s)
{
    if (!s || !*s)
        return;
    f->para(o, kind);
    runs(f, o, s, strlen(s), KBI_RUN_PLAIN);
    f->para_end(o, kind);
}

/* The body: the title page's texts, then each slide. */
static void walk(const format *f, out *o, const kbi_deck *d)
{
    plain(f, o, BLOCK_TITLE, d->title);
    plain(f, o, BLOCK_SUBTITLE, d->subtitle);
    plain(f, o, BLOCK_DATE, d->date);
    for (size_t i = 0; i < d->nslides; i++) {
        const kbi_deck_slide *s = &d->slides[i];
        plain(f, o, BLOCK_HEADING, s->title);
        if (s->nrows) {
            f->table(o, s);
            continue;
        }
        for (size_t p = 0; p < s->nparas; p++) {
            const kbi_deck_para *para = &s->paras[p];
            block_kind kind = para->level == 0   ? BLOCK_CONCEPT
                              : para->level == 1 ? BLOCK_QUOTE
                                                 : BLOCK_MEMO;
            f->para(o, kind);
            for (size_t r = 0; r < para->nruns; r++)
                runs(f, o, para->runs[r].text, para->runs[r].len,
                     para->runs[r].style);
            f->para_end(o, kind);
        }
    }
}

/* ------------------------------------------------------------------------ */
/* DOCX                                                                      */
/* ------------------------------------------------------------------------ */

#define W_NS "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define R_NS                                                                   \
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define PKG_RELS    "http://schemas.openxmlformats.org/package/2006/relationships"
#define DOCX_TEXT_W 9026 /* twips between A4's margins of 1440 */

/* The style of each block_kind, as styles.xml defines it. */
static const char *const DOCX_STYLE[] = {
    "Title", "Subtitle", "Date", "Heading1", "Heading2", "Quote", "Memo",
};

static void docx_para(out *o, block_kind kind)
{
    kbi_xml *x = &o->x;
    kbi_xml_open(x, "w:p");
    kbi_xml_open(x, "w:pPr");
    kbi_xml_open(x, "w:pStyle");
    kbi_xml_attr(x, "w:val", DOCX_STYLE[kind]);
    kbi_xml_close(x);
    kbi_xml_close(x);
}

static void docx_para_end(out *o, block_kind kind)
{
    kbi_xml *x = &o->x;
    (void)kind;
    kbi_xml_close(x);
}

static void docx_run(out *o, const char *s, size_t n, unsigned style)
{
    kbi_xml *x = &o->x;
    kbi_xml_open(x, "w:r");
    if (style) {
        kbi_xml_open(x, "w:rPr");
        if (style & KBI_RUN_BOLD) {
            kbi_xml_open(x, "w:b");
            kbi_xml_close(x);
        }
        if (style & KBI_RUN_ITALIC) {
            kbi_xml_open(x, "w:i");
            kbi_xml_close(x);
        }
        kbi_xml_close(x);
    }
    kbi_xml_open(x, "w:t");
    kbi_xml_attr(x, "xml:space", "preserve");
    kbi_xml_text(x, s, n);
    kbi_xml_close(x);
    kbi_xml_close(x);
}

static void docx_break(out *o)
{
    kbi_xml *x = &o->x;
    kbi_xml_open(x, "w:r");
    kbi_xml_open(x, "w:br");
    kbi_xml_close(x);
    kbi_xml_close(x);
}

/* Column c's width: the first (labels) takes a third, the rest share. */
static int docx_col_w(size_t c, size_t ncols)
{
    if (ncols == 1)
        return DOCX_TEXT_W;
    int first = DOCX_TEXT_W / 3;
    return c ? (DOCX_TEXT_W - first) / (int)(ncols - 1) : first;
}

static void docx_table(out *o, const kbi_deck_slide *t)
{
    kbi_xml *x = &o->x;
    kbi_xml_open(x, "w:tbl");
    kbi_xml_open(x, "w:tblPr");
    kbi_xml_open(x, "w:tblStyle");
    kbi_xml_attr(x, "w:val", "TableGrid");
    kbi_xml_close(x);
    kbi_xml_open(x, "w:tblW");
    kbi_xml_attr(x, "w:w", "0");
    kbi_xml_attr(x, "w:type", "auto");
    kbi_xml_close(x);
    kbi_xml_close(x);
    kbi_xml_open(x, "w:tblGrid");
    for (size_t c = 0; c < t->ncols; c++) {
        kbi_xml_open(x, "w:gridCol");
        kbi_xml_attrf(x, "w:w", "%d", docx_col_w(c, t->ncols));
        kbi_xml_close(x);
    }
    kbi_xml_close(x);
    for (size_t r = 0; r < t->nrows; r++) {
        kbi_xml_open(x, "w:tr");
        if (!r) {
            kbi_xml_open(x, "w:trPr");
            kbi_xml_open(x, "w:tblHeader");
            kbi_xml_close(x);
            kbi_xml_close(x);
        }
        for (size_t c = 0; c < t->ncols; c++) {
            const char *cell = t->cells[r * t->ncols + c];
            kbi_xml_open(x, "w:tc");
            kbi_xml_open(x, "w:tcPr");
            kbi_xml_open(x, "w:tcW");
            kbi_xml_attrf(x, "w:w", "%d", docx_col_w(c, t->ncols));
            kbi_xml_attr(x, "w:type", "dxa");
            kbi_xml_close(x);
            kbi_xml_close(x);
            kbi_xml_open(x, "w:p");
            if (c && r && kbi_deck_col_numeric(t, c)) {
                kbi_xml_open(x, "w:pPr");
                kbi_xml_open(x, "w:jc");
                kbi_xml_attr(x, "w:val", "right");
                kbi_xml_close(x);
                kbi_xml_close(x);
            }
            docx_run(o, cell, strlen(cell), r ? 0 : KBI_RUN_BOLD);
            kbi_xml_close(x);
            kbi_xml_close(x);
        }
        kbi_xml_close(x);
    }
    kbi_xml_close(x);
}

static const format DOCX = {docx_para, docx_para_end, docx_run, docx_break,
                            docx_table};

static int docx_document(kbi_zipw *z, const kbi_deck *d, kb_error *err)
{
    out o = {0};
    kbi_xml *x = &o.x;
    if (kbi_xml_begin(x, "yes", 0))
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    kbi_xml_open(x, "w:document");
    kbi_xml_attr(x, "xmlns:w", W_NS);
    kbi_xml_attr(x, "xmlns:r", R_NS);
    kbi_xml_open(x, "w:body");
    walk(&DOCX, &o, d);
    kbi_xml_open(x, "w:sectPr");
    kbi_xml_open(x, "w:pgSz");
    kbi_xml_attr(x, "w:w", "11906");
    kbi_xml_attr(x, "w:h", "16838");
    kbi_xml_close(x);
    kbi_xml_open(x, "w:pgMar");
    const char *const sides[] = {"w:top",    "w:right",  "w:bottom", "w:left",
                                 "w:header", "w:footer", "w:gutter"};
    const char *const twips[] = {"1440", "1440", "1440", "1440",
                                 "708",  "708",  "0"};
    for (size_t i = 0; i < sizeof sides / sizeof *sides; i++)
        kbi_xml_attr(x, sides[i], twips[i]);
    kbi_xml_close(x);
    kbi_xml_close(x);
    return kbi_zipw_add_xml(z, "word/document.xml", x, err);
}

/* A paragraph style of styles.xml: its id, name, the style it is based on
 * and the one after it, then its paragraph and run properties as markup. */
typedef struct docx_style {
    const char *id, *name, *next, *ppr, *rpr;
} docx_style;

static const docx_style DOCX_STYLES[] = {
    {"Normal", "Normal", NULL, "<w:spacing w:after=\"120\"/>", NULL},
    {"Title", "Title", "Normal", "<w:spacing w:after=\"120\"/>",
     "<w:b/><w:sz w:val=\"48\"/>"},
    {"Subtitle", "Subtitle", "Normal", "<w:spacing w:after=\"60\"/>",
     "<w:sz w:val=\"28\"/>"},
    {"Date", "Date", "Normal", "<w:spacing w:after=\"240\"/>",
     "<w:color w:val=\"595959\"/>"},
    {"Heading1", "heading 1", "Normal",
     "<w:keepNext/><w:spacing w:before=\"360\" w:after=\"120\"/>"
     "<w:outlineLvl w:val=\"0\"/>",
     "<w:b/><w:sz w:val=\"32\"/>"},
    {"Heading2", "heading 2", "Normal",
     "<w:keepNext/><w:spacing w:before=\"240\" w:after=\"60\"/>"
     "<w:outlineLvl w:val=\"1\"/>",
     "<w:b/><w:sz w:val=\"26\"/>"},
    {"Quote", "Quote", "Normal",
     "<w:spacing w:after=\"120\"/><w:ind w:left=\"567\" w:right=\"567\"/>",
     NULL},
    {"Memo", "Memo", "Normal",
     "<w:spacing w:after=\"120\"/><w:ind w:left=\"1134\" w:right=\"567\"/>",
     "<w:color w:val=\"595959\"/><w:sz w:val=\"20\"/>"},
};

static int docx_styles(kbi_zipw *z, kb_error *err)
{
    kbi_xml x;
    if (kbi_xml_begin(&x, "yes", 0))
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    kbi_xml_open(&x, "w:styles");
    kbi_xml_attr(&x, "xmlns:w", W_NS);
    kbi_xml_raw(&x, "<w:docDefaults><w:rPrDefault><w:rPr>"
                    "<w:rFonts w:ascii=\"Times New Roman\" "
                    "w:hAnsi=\"Times New Roman\" w:cs=\"Times New Roman\"/>"
                    "<w:sz w:val=\"24\"/><w:lang w:val=\"sv-SE\"/>"
                    "</w:rPr></w:rPrDefault></w:docDefaults>");
    for (size_t i = 0; i < sizeof DOCX_STYLES / sizeof *DOCX_STYLES; i++) {
        const docx_style *s = &DOCX_STYLES[i];
        kbi_xml_open(&x, "w:style");
        kbi_xml_attr(&x, "w:type", "paragraph");
        kbi_xml_attr(&x, "w:styleId", s->id);
        if (!s->next)
            kbi_xml_attr(&x, "w:default", "1");
        kbi_xml_open(&x, "w:name");
        kbi_xml_attr(&x, "w:val", s->name);
        kbi_xml_close(&x);
        if (s->next) {
            kbi_xml_open(&x, "w:basedOn");
            kbi_xml_attr(&x, "w:val", "Normal");
            kbi_xml_close(&x);
            kbi_xml_open(&x, "w:next");
            kbi_xml_attr(&x, "w:val", s->next);
            kbi_xml_close(&x);
            kbi_xml_open(&x, "w:qFormat");
            kbi_xml_close(&x);
        }
        kbi_xml_open(&x, "w:pPr");
        kbi_xml_raw(&x, s->ppr);
        kbi_xml_close(&x);
        if (s->rpr) {
            kbi_xml_open(&x, "w:rPr");
            kbi_xml_raw(&x, s->rpr);
            kbi_xml_close(&x);
        }
        kbi_xml_close(&x);
    }
    kbi_xml_raw(&x, "<w:style w:type=\"table\" w:styleId=\"TableGrid\">"
                    "<w:name w:val=\"Table Grid\"/><w:tblPr><w:tblBorders>"
                    "<w:top w:val=\"single\" w:sz=\"4\" w:space=\"0\" "
                    "w:color=\"auto\"/>"
                    "<w:left w:val=\"single\" w:sz=\"4\" w:space=\"0\" "
                    "w:color=\"auto\"/>"
                    "<w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"0\" "
                    "w:color=\"auto\"/>"
                    "<w:right w:val=\"single\" w:sz=\"4\" w:space=\"0\" "
                    "w:color=\"auto\"/>"
                    "<w:insideH w:val=\"single\" w:sz=\"4\" w:space=\"0\" "
                    "w:color=\"auto\"/>"
                    "<w:insideV w:val=\"single\" w:sz=\"4\" w:space=\"0\" "
                    "w:color=\"auto\"/>"
                    "</w:tblBorders></w:tblPr></w:style>");
    return kbi_zipw_add_xml(z, "word/styles.xml", &x, err);
}

/* A relationships part with one relationship. */
static int docx_rels(kbi_zipw *z, const char *name, const char *type,
                     const char *target, kb_error *err)
{
    kbi_xml x;
    if (kbi_xml_begin(&x, "yes", 0))
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    kbi_xml_open(&x, "Relationships");
    kbi_xml_attr(&x, "xmlns", PKG_RELS);
    kbi_xml_open(&x, "Relationship");
    kbi_xml_attr(&x, "Id", "rId1");
    kbi_xml_attr(&x, "Type", type);
    kbi_xml_attr(&x, "Target", target);
    kbi_xml_close(&x);
    return kbi_zipw_add_xml(z, name, &x, err);
}

static int docx_content_types(kbi_zipw *z, kb_error *err)
{
    kbi_xml x;
    if (kbi_xml_begin(&x, "yes", 0))
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    kbi_xml_open(&x, "Types");
    kbi_xml_attr(
        &x, "xmlns",
        "http://schemas.openxmlformats.org/package/2006/content-types");
    kbi_xml_open(&x, "Default");
    kbi_xml_attr(&x, "Extension", "rels");
    kbi_xml_attr(&x, "ContentType",
                 "application/vnd.openxmlformats-package.relationships+xml");
    kbi_xml_close(&x);
    kbi_xml_open(&x, "Default");
    kbi_xml_attr(&x, "Extension", "xml");
    kbi_xml_attr(&x, "ContentType", "application/xml");
    kbi_xml_close(&x);
    const char *const parts[][2] = {
        {"/word/document.xml", "application/vnd.openxmlformats-"
                               "officedocument.wordprocessingml.document."
                               "main+xml"},
        {"/word/styles.xml", "application/vnd.openxmlformats-"
                             "officedocument.wordprocessingml.styles+xml"},
    };
    for (size_t i = 0; i < 2; i++) {
        kbi_xml_open(&x, "Override");
        kbi_xml_attr(&x, "PartName", parts[i][0]);
        kbi_xml_attr(&x, "ContentType", parts[i][1]);
        kbi_xml_close(&x);
    }
    return kbi_zipw_add_xml(z, "[Content_Types].xml", &x, err);
}

int kbi_deck_write_docx(const kbi_deck *d, FILE *f, kb_error *err)
{
    kbi_zipw *z;
    int rc = kbi_zipw_new(&z, err);
    if (rc)
        return rc;
    if (!(rc = docx_content_types(z, err)) &&
        !(rc = docx_rels(z, "_rels/.rels", R_NS "/officeDocument",
                         "word/document.xml", err)) &&
        !(rc = docx_rels(z, "word/_rels/document.xml.rels", R_NS "/styles",
                         "styles.xml", err)) &&
        !(rc = docx_styles(z, err)) && !(rc = docx_document(z, d, err)))
        rc = kbi_zipw_write(z, f, err);
    kbi_zipw_free(z);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* ODT                                                                       */
/* ------------------------------------------------------------------------ */

#define ODF_MIME    "application/vnd.oasis.opendocument.text"
#define ODF_VERSION "1.3"
#define NS_OFFICE   "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
#define NS_STYLE    "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
#define NS_TEXT     "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
#define NS_TABLE    "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
#define NS_FO       "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"

/* The paragraph style of each block_kind, as styles.xml defines it. */
static const char *const ODT_STYLE[] = {
    "Title",        "Subtitle",   "Date", "Heading_20_1",
    "Heading_20_2", "Quotations", "Memo",
};

static void odt_para(out *o, block_kind kind)
{
    kbi_xml *x = &o->x;
    int heading = kind == BLOCK_HEADING || kind == BLOCK_CONCEPT;
    kbi_xml_open(x, heading ? "text:h" : "text:p");
    kbi_xml_attr(x, "text:style-name", ODT_STYLE[kind]);
    if (heading)
        kbi_xml_attr(x, "text:outline-level",
                     kind == BLOCK_HEADING ? "1" : "2");
    o->collapse = 1;
}

static void odt_para_end(out *o, block_kind kind)
{
    kbi_xml *x = &o->x;
    (void)kind;
    kbi_xml_close(x);
}

/* s[0..n) with each space that ODF would collapse as <text:s/>. */
static void odt_text(out *o, const char *s, size_t n)
{
    kbi_xml *x = &o->x;
    size_t from = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != ' ') {
            o->collapse = 0;
            continue;
        }
        if (!o->collapse) {
            o->collapse = 1;
            continue;
        }
        size_t k = 0;
        while (i + k < n && s[i + k] == ' ')
            k++;
        kbi_xml_text(x, s + from, i - from);
        kbi_xml_open(x, "text:s");
        if (k > 1)
            kbi_xml_attrf(x, "text:c", "%zu", k);
        kbi_xml_close(x);
        i += k - 1;
        from = i + 1;
    }
    kbi_xml_text(x, s + from, n - from);
}

static void odt_run(out *o, const char *s, size_t n, unsigned style)
{
    kbi_xml *x = &o->x;
    static const char *const SPAN[] = {NULL, "B", "I", "BI"};
    if (style)
        kbi_xml_open(x, "text:span");
    if (style)
        kbi_xml_attr(x, "text:style-name", SPAN[style & 3]);
    odt_text(o, s, n);
    if (style)
        kbi_xml_close(x);
}

static void odt_break(out *o)
{
    kbi_xml *x = &o->x;
    kbi_xml_open(x, "text:line-break");
    kbi_xml_close(x);
    o->collapse = 1;
}

static void odt_cell(out *o, const char *s, const char *style)
{
    kbi_xml *x = &o->x;
    kbi_xml_open(x, "table:table-cell");
    kbi_xml_attr(x, "office:value-type", "string");
    kbi_xml_open(x, "text:p");
    kbi_xml_attr(x, "text:style-name", style);
    o->collapse = 1;
    odt_text(o, s, strlen(s));
    kbi_xml_close(x);
    kbi_xml_close(x);
}

static void odt_table(out *o, const kbi_deck_slide *t)
{
    kbi_xml *x = &o->x;
    kbi_xml_open(x, "table:table");
    kbi_xml_attr(x, "table:style-name", "Overview");
    kbi_xml_open(x, "table:table-column");
    kbi_xml_attr(x, "table:style-name", "Labels");
    kbi_xml_close(x);
    if (t->ncols > 1) {
        kbi_xml_open(x, "table:table-column");
        kbi_xml_attr(x, "table:style-name", "Counts");
        kbi_xml_attrf(x, "table:number-columns-repeated", "%zu", t->ncols - 1);
        kbi_xml_close(x);
    }
    for (size_t r = 0; r < t->nrows; r++) {
        if (!r)
            kbi_xml_open(x, "table:table-header-rows");
        kbi_xml_open(x, "table:table-row");
        for (size_t c = 0; c < t->ncols; c++)
            odt_cell(o, t->cells[r * t->ncols + c],
                     !r                                ? "Table_20_Heading"
                     : c && kbi_deck_col_numeric(t, c) ? "Number"
                                                       : "Table_20_Contents");
        kbi_xml_close(x);
        if (!r)
            kbi_xml_close(x);
    }
    kbi_xml_close(x);
}

static const format ODT = {odt_para, odt_para_end, odt_run, odt_break,
                           odt_table};

/* The root of an ODF part with the namespaces the parts use. */
static int odt_begin(kbi_xml *x, const char *root, kb_error *err)
{
    if (kbi_xml_begin(x, NULL, 0))
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    kbi_xml_open(x, root);
    kbi_xml_attr(x, "xmlns:office", NS_OFFICE);
    kbi_xml_attr(x, "xmlns:style", NS_STYLE);
    kbi_xml_attr(x, "xmlns:text", NS_TEXT);
    kbi_xml_attr(x, "xmlns:table", NS_TABLE);
    kbi_xml_attr(x, "xmlns:fo", NS_FO);
    kbi_xml_attr(x, "office:version", ODF_VERSION);
    return 0;
}

static int odt_content(kbi_zipw *z, const kbi_deck *d, kb_error *err)
{
    out o = {0};
    kbi_xml *x = &o.x;
    int rc = odt_begin(x, "office:document-content", err);
    if (rc)
        return rc;
    /* the overview's columns: its labels, then the counts sharing the rest
     * of the table's width */
    size_t ncols = 2;
    for (size_t i = 0; i < d->nslides; i++)
        if (d->slides[i].nrows && d->slides[i].ncols > 1)
            ncols = d->slides[i].ncols;
    char counts[160];
    snprintf(counts, sizeof counts,
             "<style:style style:name=\"Counts\" "
             "style:family=\"table-column\">"
             "<style:table-column-properties style:column-width=\"%zumm\"/>"
             "</style:style>",
             (size_t)107 / (ncols - 1));
    kbi_xml_raw(x, "<office:automatic-styles>");
    kbi_xml_raw(x, counts);
    kbi_xml_raw(
        x, ""
           "<style:style style:name=\"B\" style:family=\"text\">"
           "<style:text-properties fo:font-weight=\"bold\"/></style:style>"
           "<style:style style:name=\"I\" style:family=\"text\">"
           "<style:text-properties fo:font-style=\"italic\"/></style:style>"
           "<style:style style:name=\"BI\" style:family=\"text\">"
           "<style:text-properties fo:font-weight=\"bold\" "
           "fo:font-style=\"italic\"/></style:style>"
           "<style:style style:name=\"Overview\" style:family=\"table\">"
           "<style:table-properties style:width=\"16cm\" "
           "table:align=\"left\"/></style:style>"
           "<style:style style:name=\"Labels\" "
           "style:family=\"table-column\">"
           "<style:table-column-properties style:column-width=\"5.3cm\"/>"
           "</style:style>"
           "<style:style style:name=\"Number\" style:family=\"paragraph\" "
           "style:parent-style-name=\"Table_20_Contents\">"
           "<style:paragraph-properties fo:text-align=\"end\"/>"
           "</style:style>"
           "</office:automatic-styles>");
    kbi_xml_open(x, "office:body");
    kbi_xml_open(x, "office:text");
    walk(&ODT, &o, d);
    return kbi_zipw_add_xml(z, "content.xml", x, err);
}

static int odt_styles(kbi_zipw *z, kb_error *err)
{
    kbi_xml x;
    int rc = odt_begin(&x, "office:document-styles", err);
    if (rc)
        return rc;
    kbi_xml_raw(
        &x,
        "<office:styles>"
        "<style:default-style style:family=\"paragraph\">"
        "<style:text-properties style:font-name=\"Liberation Serif\" "
        "fo:font-family=\"'Liberation Serif', 'Times New Roman'\" "
        "fo:font-size=\"12pt\" fo:language=\"sv\" fo:country=\"SE\"/>"
        "</style:default-style>"
        "<style:style style:name=\"Standard\" style:family=\"paragraph\">"
        "<style:paragraph-properties fo:margin-bottom=\"0.21cm\"/>"
        "</style:style>"
        "<style:style style:name=\"Title\" style:family=\"paragraph\" "
        "style:parent-style-name=\"Standard\">"
        "<style:text-properties fo:font-size=\"24pt\" "
        "fo:font-weight=\"bold\"/></style:style>"
        "<style:style style:name=\"Subtitle\" style:family=\"paragraph\" "
        "style:parent-style-name=\"Standard\">"
        "<style:text-properties fo:font-size=\"14pt\"/></style:style>"
        "<style:style style:name=\"Date\" style:family=\"paragraph\" "
        "style:parent-style-name=\"Standard\">"
        "<style:paragraph-properties fo:margin-bottom=\"0.42cm\"/>"
        "<style:text-properties fo:color=\"#595959\"/></style:style>"
        "<style:style style:name=\"Heading_20_1\" style:display-name=\"Heading "
        "1\" style:family=\"paragraph\" style:parent-style-name=\"Standard\" "
        "style:default-outline-level=\"1\">"
        "<style:paragraph-properties fo:margin-top=\"0.64cm\" "
        "fo:margin-bottom=\"0.21cm\" fo:keep-with-next=\"always\"/>"
        "<style:text-properties fo:font-size=\"16pt\" "
        "fo:font-weight=\"bold\"/></style:style>"
        "<style:style style:name=\"Heading_20_2\" style:display-name=\"Heading "
        "2\" style:family=\"paragraph\" style:parent-style-name=\"Standard\" "
        "style:default-outline-level=\"2\">"
        "<style:paragraph-properties fo:margin-top=\"0.42cm\" "
        "fo:margin-bottom=\"0.11cm\" fo:keep-with-next=\"always\"/>"
        "<style:text-properties fo:font-size=\"13pt\" "
        "fo:font-weight=\"bold\"/></style:style>"
        "<style:style style:name=\"Quotations\" style:family=\"paragraph\" "
        "style:parent-style-name=\"Standard\">"
        "<style:paragraph-properties fo:margin-left=\"1cm\" "
        "fo:margin-right=\"1cm\"/></style:style>"
        "<style:style style:name=\"Memo\" style:family=\"paragraph\" "
        "style:parent-style-name=\"Standard\">"
        "<style:paragraph-properties fo:margin-left=\"2cm\" "
        "fo:margin-right=\"1cm\"/>"
        "<style:text-properties fo:font-size=\"10pt\" fo:color=\"#595959\"/>"
        "</style:style>"
        "<style:style style:name=\"Table_20_Contents\" "
        "style:display-name=\"Table Contents\" style:family=\"paragraph\" "
        "style:parent-style-name=\"Standard\"/>"
        "<style:style style:name=\"Table_20_Heading\" "
        "style:display-name=\"Table Heading\" style:family=\"paragraph\" "
        "style:parent-style-name=\"Table_20_Contents\">"
        "<style:text-properties fo:font-weight=\"bold\"/></style:style>"
        "</office:styles>"
        "<office:automatic-styles><style:page-layout style:name=\"A4\">"
        "<style:page-layout-properties fo:page-width=\"21cm\" "
        "fo:page-height=\"29.7cm\" fo:margin-top=\"2.5cm\" "
        "fo:margin-bottom=\"2.5cm\" fo:margin-left=\"2.5cm\" "
        "fo:margin-right=\"2.5cm\"/></style:page-layout>"
        "</office:automatic-styles>"
        "<office:master-styles><style:master-page style:name=\"Standard\" "
        "style:page-layout-name=\"A4\"/></office:master-styles>");
    return kbi_zipw_add_xml(z, "styles.xml", &x, err);
}

static int odt_manifest(kbi_zipw *z, kb_error *err)
{
    kbi_xml x;
    if (kbi_xml_begin(&x, NULL, 0))
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    kbi_xml_open(&x, "manifest:manifest");
    kbi_xml_attr(&x, "xmlns:manifest",
                 "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0");
    kbi_xml_attr(&x, "manifest:version", ODF_VERSION);
    const char *const entries[][2] = {
        {"/", ODF_MIME},
        {"content.xml", "text/xml"},
        {"styles.xml", "text/xml"},
    };
    for (size_t i = 0; i < 3; i++) {
        kbi_xml_open(&x, "manifest:file-entry");
        kbi_xml_attr(&x, "manifest:full-path", entries[i][0]);
        kbi_xml_attr(&x, "manifest:media-type", entries[i][1]);
        if (!i)
            kbi_xml_attr(&x, "manifest:version", ODF_VERSION);
        kbi_xml_close(&x);
    }
    return kbi_zipw_add_xml(z, "META-INF/manifest.xml", &x, err);
}

int kbi_deck_write_odt(const kbi_deck *d, FILE *f, kb_error *err)
{
    kbi_zipw *z;
    int rc = kbi_zipw_new(&z, err);
    if (rc)
        return rc;
    /* the mimetype first and stored, so that it can be read at offset 38 */
    if (!(rc = kbi_zipw_add(z, "mimetype", ODF_MIME, strlen(ODF_MIME), 1,
                            err)) &&
        !(rc = odt_manifest(z, err)) && !(rc = odt_styles(z, err)) &&
        !(rc = odt_content(z, d, err)))
        rc = kbi_zipw_write(z, f, err);
    kbi_zipw_free(z);
    return rc;
}
