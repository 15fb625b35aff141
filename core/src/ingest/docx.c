/*
 * docx.c: Word documents as transcript text (docx.h).
 *
 * Elements are known by their local names (any namespace prefix). The body
 * is read in document order; what is inside a run or a paragraph and is
 * not text (drawings, text boxes, equations, field instructions) is left
 * out, as is everything tracked as deleted. A complex field's result is
 * ordinary runs between its field characters and is read as text.
 */
#include "ingest/docx.h"
#include "base/decode.h"
#include "base/error.h"
#include "base/xmlread.h"
#include "base/zipread.h"
#include "ingest/plaintext.h"

#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>

#define DOCUMENT "word/document.xml"

typedef struct walk {
    kbi_plain b;
    size_t footnotes, endnotes, comments;
} walk;

int kbi_docx_sniff(const unsigned char *raw, size_t len)
{
    return kbi_zip_sniff(raw, len) && kbi_bytes_hold(raw, len, DOCUMENT);
}

/* Is n one of the names in the NULL-ended list? */
static int is_any(const xmlNode *n, const char *const *names)
{
    for (; *names; names++)
        if (kbi_xml_is(n, *names))
            return 1;
    return 0;
}

/* A toggle property (w:b) set: present, and not w:val false. */
static int toggle_on(const xmlNode *n)
{
    if (!n)
        return 0;
    const char *v = kbi_xml_prop(n, "val");
    return !v || !(!strcmp(v, "0") || !strcmp(v, "false") || !strcmp(v, "off"));
}

/* The text children of n (w:t, w:delText's like) appended. */
static void put_text(walk *w, const xmlNode *n, int bold)
{
    for (const xmlNode *c = n->children; c; c = c->next)
        if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) &&
            c->content)
            kbi_plain_put(&w->b, (const char *)c->content,
                          strlen((const char *)c->content), bold);
}

/* Inside a run and a paragraph: left out with all they hold. */
static const char *const LEFT_OUT[] = {
    "del",        "moveFrom",  "delText",          "instrText", "delInstrText",
    "rPr",        "pPr",       "drawing",          "pict",      "object",
    "oMath",      "oMathPara", "AlternateContent", "fldChar",   "sym",
    "softHyphen", NULL};

static void run(walk *w, const xmlNode *r)
{
    int bold = toggle_on(kbi_xml_child(kbi_xml_child(r, "rPr"), "b"));
    for (const xmlNode *c = r->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || is_any(c, LEFT_OUT))
            continue;
        if (kbi_xml_is(c, "t"))
            put_text(w, c, bold);
        else if (kbi_xml_is(c, "tab") || kbi_xml_is(c, "ptab"))
            kbi_plain_put(&w->b, "\t", 1, bold);
        else if (kbi_xml_is(c, "br") || kbi_xml_is(c, "cr"))
            kbi_plain_newline(&w->b);
        else if (kbi_xml_is(c, "noBreakHyphen"))
            kbi_plain_put(&w->b, "\xE2\x80\x91", 3, bold);
        else if (kbi_xml_is(c, "footnoteReference"))
            w->footnotes++;
        else if (kbi_xml_is(c, "endnoteReference"))
            w->endnotes++;
        else if (kbi_xml_is(c, "commentReference"))
            w->comments++;
    }
}

/* The inline content of a paragraph: runs, and what holds runs (insertions,
 * moves to here, hyperlinks, simple fields, content controls, smart tags). */
static void inline_content(walk *w, const xmlNode *n)
{
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || is_any(c, LEFT_OUT))
            continue;
        if (kbi_xml_is(c, "r"))
            run(w, c);
        else
            inline_content(w, c);
    }
}

/* Is the paragraph's mark deleted (tracked), so that it joins the next? */
static int mark_deleted(const xmlNode *p)
{
    const xmlNode *rpr = kbi_xml_child(kbi_xml_child(p, "pPr"), "rPr");
    return kbi_xml_child(rpr, "del") || kbi_xml_child(rpr, "moveFrom");
}

static void block(walk *w, const xmlNode *n);

static void table(walk *w, const xmlNode *tbl)
{
    for (const xmlNode *tr = tbl->children; tr; tr = tr->next) {
        if (!kbi_xml_is(tr, "tr"))
            continue;
        kbi_plain_row(&w->b);
        for (const xmlNode *tc = tr->children; tc; tc = tc->next) {
            if (!kbi_xml_is(tc, "tc"))
                continue;
            kbi_plain_cell(&w->b);
            block(w, tc);
        }
        kbi_plain_row_end(&w->b);
    }
}

/* Block content: paragraphs and tables, and what holds them (content
 * controls, custom XML, tracked insertions). */
static void block(walk *w, const xmlNode *n)
{
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || is_any(c, LEFT_OUT) ||
            kbi_xml_is(c, "sectPr") || kbi_xml_is(c, "tcPr") ||
            kbi_xml_is(c, "tblPr"))
            continue;
        if (kbi_xml_is(c, "p")) {
            inline_content(w, c);
            if (!mark_deleted(c))
                kbi_plain_newline(&w->b);
        } else if (kbi_xml_is(c, "tbl")) {
            table(w, c);
        } else {
            block(w, c);
        }
    }
}

/* Does the tree under n hold a w:t with more than blanks? */
static int has_text(const xmlNode *n)
{
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (kbi_xml_is(c, "t"))
            for (const xmlNode *t = c->children; t; t = t->next)
                if (t->type == XML_TEXT_NODE && t->content &&
                    strspn((const char *)t->content, " \t\r\n") <
                        strlen((const char *)t->content))
                    return 1;
        if (has_text(c))
            return 1;
    }
    return 0;
}

/* Do the package's headers and footers hold text? Those that cannot be
 * read are passed over: they are left out in any case. */
static int headers_with_text(const kbi_zip *z, const char *file)
{
    for (size_t i = 0; i < kbi_zip_count(z); i++) {
        const char *name = kbi_zip_name(z, i);
        if (strncmp(name, "word/header", 11) &&
            strncmp(name, "word/footer", 11))
            continue;
        char *xml;
        size_t len;
        xmlDocPtr doc;
        if (kbi_zip_read(z, i, &xml, &len, NULL))
            continue;
        int text = !kbi_xml_read(&doc, xml, len, file, NULL) &&
                   has_text(xmlDocGetRootElement(doc));
        xmlFreeDoc(doc);
        free(xml);
        if (text)
            return 1;
    }
    return 0;
}

int kbi_docx_to_text(char **out, size_t *len, const unsigned char *raw,
                     size_t n, const char *file, kb_notice_fn notice, void *ctx,
                     kb_error *err)
{
    *out = NULL;
    *len = 0;
    kbi_zip *z;
    xmlDocPtr doc;
    int rc = kbi_plain_package(&z, &doc, raw, n, DOCUMENT, "a Word document",
                               file, err);
    if (rc)
        return rc;
    const xmlNode *body = kbi_xml_child(xmlDocGetRootElement(doc), "body");
    walk w = {0};
    if (!body) {
        rc = kbi_fail_at(err, KB_EFORMAT, file, 0, 0,
                         "not a Word document: %s has no body", DOCUMENT);
    } else {
        block(&w, body);
        kbi_left_out left[] = {
            {w.footnotes, "footnote", "footnotes"},
            {w.endnotes, "endnote", "endnotes"},
            {w.comments, "comment", "comments"},
            {(size_t)headers_with_text(z, file), "the headers and footers",
             NULL},
        };
        rc = kbi_plain_finish(out, len, &w.b, file, err);
        if (!rc)
            kbi_plain_left_out(left, sizeof left / sizeof left[0], file, notice,
                               ctx);
    }
    xmlFreeDoc(doc);
    kbi_zip_free(z);
    return rc;
}
