/*
 * odt.c: OpenDocument texts as transcript text (odt.h).
 *
 * Elements are known by their local names (any namespace prefix). White
 * space in the text is collapsed as OpenDocument says: a run of blanks and
 * line ends is one space, none at a paragraph's start, and text:s, text:tab
 * and text:line-break stand for the spaces, tabs and breaks that are meant.
 * Tracked changes are read as accepted: inserted text stands in the body,
 * and the deleted text is kept apart in text:tracked-changes, which is left
 * out.
 */
#include "ingest/odt.h"
#include "base/decode.h"
#include "base/error.h"
#include "base/xmlread.h"
#include "base/zipread.h"
#include "ingest/plaintext.h"

#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>

#define CONTENT    "content.xml"
#define MEDIA_TYPE "mimetypeapplication/vnd.oasis.opendocument.text"

/* The most automatic text styles taken as bold. */
#define BOLD_STYLES 256

typedef struct walk {
    kbi_plain b;
    int collapse; /* a blank stands before, or the paragraph starts */
    size_t footnotes, endnotes, annotations;
    const char *bold[BOLD_STYLES];
    size_t nbold;
} walk;

int kbi_odt_sniff(const unsigned char *raw, size_t len)
{
    return kbi_zip_sniff(raw, len) && kbi_bytes_hold(raw, len, MEDIA_TYPE);
}

/* The automatic styles whose text is bold (LibreOffice's T1, P2, ...). */
static void bold_styles(walk *w, const xmlNode *root)
{
    const xmlNode *styles = kbi_xml_child(root, "automatic-styles");
    for (const xmlNode *s = styles ? styles->children : NULL; s; s = s->next) {
        const char *name = kbi_xml_prop(s, "name");
        const char *weight =
            kbi_xml_prop(kbi_xml_child(s, "text-properties"), "font-weight");
        if (kbi_xml_is(s, "style") && name && weight &&
            (!strcmp(weight, "bold") || atoi(weight) >= 600) &&
            w->nbold < BOLD_STYLES)
            w->bold[w->nbold++] = name;
    }
}

static int style_bold(const walk *w, const xmlNode *n, int bold)
{
    const char *name = kbi_xml_prop(n, "style-name");
    if (!name)
        return bold;
    for (size_t i = 0; i < w->nbold; i++)
        if (!strcmp(w->bold[i], name))
            return 1;
    return bold;
}

/* Text as OpenDocument shows it: blank runs collapsed. */
static void put_text(walk *w, const char *s, int bold)
{
    while (*s) {
        size_t k = strcspn(s, " \t\r\n");
        kbi_plain_put(&w->b, s, k, bold);
        if (k)
            w->collapse = 0;
        s += k;
        size_t blanks = strspn(s, " \t\r\n");
        if (blanks && !w->collapse) {
            kbi_plain_put(&w->b, " ", 1, bold);
            w->collapse = 1;
        }
        s += blanks;
    }
}

static void line_break(walk *w)
{
    kbi_plain_newline(&w->b);
    w->collapse = 1;
}

/* Left out with all they hold; notes and comments are counted. */
static const char *const LEFT_OUT[] = {"tracked-changes",
                                       "change",
                                       "change-start",
                                       "change-end",
                                       "annotation-end",
                                       "soft-page-break",
                                       "frame",
                                       "custom-shape",
                                       "sequence-decls",
                                       "variable-decls",
                                       "user-field-decls",
                                       "forms",
                                       "ruby-text",
                                       NULL};

static int left_out(walk *w, const xmlNode *n)
{
    if (kbi_xml_is(n, "note")) {
        const char *class = kbi_xml_prop(n, "note-class");
        if (class && !strcmp(class, "endnote"))
            w->endnotes++;
        else
            w->footnotes++;
        return 1;
    }
    if (kbi_xml_is(n, "annotation")) {
        w->annotations++;
        return 1;
    }
    for (const char *const *l = LEFT_OUT; *l; l++)
        if (kbi_xml_is(n, *l))
            return 1;
    return 0;
}

static void inline_content(walk *w, const xmlNode *n, int bold)
{
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (c->type == XML_TEXT_NODE && c->content) {
            put_text(w, (const char *)c->content, bold);
            continue;
        }
        if (c->type != XML_ELEMENT_NODE || left_out(w, c))
            continue;
        if (kbi_xml_is(c, "s")) {
            const char *count = kbi_xml_prop(c, "c");
            long k = count ? atol(count) : 1;
            for (long i = 0; i < (k < 1 ? 1 : k > 1000 ? 1000 : k); i++)
                kbi_plain_put(&w->b, " ", 1, bold);
            w->collapse = 0;
        } else if (kbi_xml_is(c, "tab")) {
            kbi_plain_put(&w->b, "\t", 1, bold);
            w->collapse = 0;
        } else if (kbi_xml_is(c, "line-break")) {
            line_break(w);
        } else {
            inline_content(w, c, style_bold(w, c, bold));
        }
    }
}

static void block(walk *w, const xmlNode *n);

/* Rows, also inside header rows, row groups and rows elements. */
static void table_rows(walk *w, const xmlNode *n)
{
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (!kbi_xml_is(c, "table-row")) {
            if (c->type == XML_ELEMENT_NODE)
                table_rows(w, c);
            continue;
        }
        kbi_plain_row(&w->b);
        for (const xmlNode *cell = c->children; cell; cell = cell->next) {
            if (!kbi_xml_is(cell, "table-cell"))
                continue; /* covered cells: merged into the one before */
            kbi_plain_cell(&w->b);
            block(w, cell);
        }
        kbi_plain_row_end(&w->b);
    }
}

/* Paragraphs and headings, lists, tables, sections. */
static void block(walk *w, const xmlNode *n)
{
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || left_out(w, c))
            continue;
        if (kbi_xml_is(c, "p") || kbi_xml_is(c, "h")) {
            w->collapse = 1;
            inline_content(w, c, style_bold(w, c, 0));
            line_break(w);
        } else if (kbi_xml_is(c, "table")) {
            table_rows(w, c);
        } else {
            block(w, c);
        }
    }
}

int kbi_odt_to_text(char **out, size_t *len, const unsigned char *raw, size_t n,
                    const char *file, kb_notice_fn notice, void *ctx,
                    kb_error *err)
{
    *out = NULL;
    *len = 0;
    kbi_zip *z;
    xmlDocPtr doc;
    int rc = kbi_plain_package(&z, &doc, raw, n, CONTENT,
                               "an OpenDocument text", file, err);
    if (rc)
        return rc;
    const xmlNode *root = xmlDocGetRootElement(doc);
    const xmlNode *text = kbi_xml_child(kbi_xml_child(root, "body"), "text");
    walk w = {0};
    if (!text) {
        rc = kbi_fail_at(err, KB_EFORMAT, file, 0, 0,
                         "not an OpenDocument text: %s has no office:text",
                         CONTENT);
    } else {
        bold_styles(&w, root);
        block(&w, text);
        kbi_left_out left[] = {
            {w.footnotes, "footnote", "footnotes"},
            {w.endnotes, "endnote", "endnotes"},
            {w.annotations, "comment", "comments"},
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
