/*
 * html.c: the visible text of an HTML page as transcript text (html.h).
 *
 * The bytes are decoded first, in the charset a <meta> names or else by
 * the text detection of base/decode.c, and parsed as UTF-8 by libxml2's
 * HTML parser told to ignore the <meta> (HTML_PARSE_IGNORE_ENC), without
 * network access. The parser recovers from malformed markup as browsers
 * do; it knows only HTML's own entities, and reads no document type.
 *
 * The tree is then walked in document order (without recursion) and its
 * text written as a browser would lay it out: blanks collapsed within a
 * block, a paragraph break (a blank line) at each block's start and end, a
 * line break at <br>, a tab between the cells of a table row, which is one
 * paragraph. Elements nobody sees are skipped with all they hold.
 */
#include "ingest/html.h"
#include "base/decode.h"
#include "base/error.h"
#include "base/grow.h"
#include "base/xmlread.h"

#include <libxml/HTMLparser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* How far into the page a <meta> naming the charset is looked for. */
#define META_SCAN 8192

/* Elements whose content nobody sees. */
static const char *const HIDDEN[] = {
    "head",   "script", "style",  "noscript", "template", "title",
    "iframe", "object", "embed",  "svg",      "math",     "canvas",
    "audio",  "video",  "select", "datalist", "map",      NULL,
};

/* Elements that stand as blocks of their own. */
static const char *const BLOCKS[] = {
    "address", "article", "aside",    "blockquote", "body",   "caption",
    "center",  "dd",      "details",  "dialog",     "dir",    "div",
    "dl",      "dt",      "fieldset", "figcaption", "figure", "footer",
    "form",    "h1",      "h2",       "h3",         "h4",     "h5",
    "h6",      "header",  "hgroup",   "hr",         "li",     "main",
    "menu",    "nav",     "ol",       "p",          "pre",    "section",
    "summary", "table",   "tbody",    "tfoot",      "thead",  "tr",
    "ul",      "html",    "legend",   "listing",    "xmp",    "plaintext",
    NULL,
};

static int in_list(const char *const *list, const char *name)
{
    for (size_t i = 0; list[i]; i++)
        if (!strcmp(list[i], name))
            return 1;
    return 0;
}

/* Does the CSS declaration list `style` hold `prop: value`? Blanks and
 * case do not matter. */
static int css_has(const char *style, const char *prop, const char *value)
{
    size_t pn = strlen(prop), vn = strlen(value);
    for (const char *p = style; *p; p++) {
        if (strncasecmp(p, prop, pn) ||
            (p > style && (p[-1] == '-' || (p[-1] >= 'a' && p[-1] <= 'z'))))
            continue; /* not it, or "max-display" */
        const char *q = p + pn;
        while (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r')
            q++;
        if (*q++ != ':')
            continue;
        while (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r')
            q++;
        if (!strncasecmp(q, value, vn))
            return 1;
    }
    return 0;
}

/* Is the element hidden: one nobody sees, or one with the hidden
 * attribute, aria-hidden="true", or a style that hides it? */
static int hidden(const xmlNode *n)
{
    if (in_list(HIDDEN, (const char *)n->name))
        return 1;
    if (kbi_xml_prop(n, "hidden"))
        return 1;
    const char *aria = kbi_xml_prop(n, "aria-hidden");
    if (aria && !strcasecmp(aria, "true"))
        return 1;
    if (!strcmp((const char *)n->name, "input"))
        return 1;
    const char *style = kbi_xml_prop(n, "style");
    return style && (css_has(style, "display", "none") ||
                     css_has(style, "visibility", "hidden"));
}

typedef struct walk {
    char *s;
    size_t n, cap;
    int brk;      /* breaks due before the next text: 1 a line, 2 a paragraph */
    int space;    /* a blank is due before the next text */
    int pre;      /* inside <pre>: blanks kept */
    int cell;     /* inside a table cell: blocks are blanks */
    int row_cell; /* the row has had a cell */
    const xmlNode *bold; /* a <b> or <strong> that opened a paragraph */
    size_t bold_at;      /* where its text starts in s */
    int colon;           /* a bold label just closed: ":" may follow */
} walk;

static int put(walk *w, const char *s, size_t n)
{
    if (KBI_GROW(&w->s, &w->cap, w->n + n + 1))
        return -1;
    memcpy(w->s + w->n, s, n);
    w->n += n;
    w->s[w->n] = '\0';
    return 0;
}

/* Is the output at the start of a line (or of nothing)? */
static int line_start(const walk *w)
{
    return w->n == 0 || w->s[w->n - 1] == '\n';
}

/* Asks for a break of `kind` before the next text (a blank in a cell). */
static void want_break(walk *w, int kind)
{
    if (w->cell && !w->pre)
        w->space = 1;
    else if (kind > w->brk)
        w->brk = kind;
}

/* Writes what is due before visible text: the breaks or the blank. */
static int before_text(walk *w)
{
    if (w->brk) {
        size_t have = 0;
        while (have < w->n && have < 2 && w->s[w->n - 1 - have] == '\n')
            have++;
        if (w->n && have < (size_t)w->brk &&
            put(w, "\n\n", (size_t)w->brk - have))
            return -1;
        w->brk = 0;
        w->space = 0;
    } else if (w->space) {
        if (!line_start(w) && w->s[w->n - 1] != '\t' && put(w, " ", 1))
            return -1;
        w->space = 0;
    }
    return 0;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* A text node's content, as the layout shows it. */
static int text(walk *w, const char *s)
{
    if (w->colon) {
        /* "<b>Karin Ek</b>:Jag" reads as "Karin Ek: Jag" */
        w->colon = 0;
        if (s[0] == ':' && s[1] && !is_space(s[1])) {
            if (before_text(w) || put(w, ":", 1))
                return -1;
            w->space = 1;
            s++;
        }
    }
    if (w->pre) {
        for (; *s; s++) {
            if (*s == '\r')
                continue;
            if (*s == '\n') {
                if (put(w, "\n", 1))
                    return -1;
                continue;
            }
            if (before_text(w) || put(w, s, 1))
                return -1;
        }
        return 0;
    }
    for (; *s; s++) {
        if (is_space(*s)) {
            w->space = 1;
            continue;
        }
        size_t k = 1;
        while (s[k] && !is_space(s[k]))
            k++;
        if (before_text(w) || put(w, s, k))
            return -1;
        s += k - 1;
    }
    return 0;
}

static int is_bold(const char *name)
{
    return !strcmp(name, "b") || !strcmp(name, "strong");
}

/* An element entered: breaks, cells, <pre>, bold labels. */
static int enter(walk *w, const xmlNode *n)
{
    const char *name = (const char *)n->name;
    if (!strcmp(name, "br")) {
        want_break(w, 1);
        return 0;
    }
    if (!strcmp(name, "td") || !strcmp(name, "th")) {
        if (w->row_cell) {
            if (before_text(w) || put(w, "\t", 1))
                return -1;
        }
        w->row_cell = 1;
        w->cell++;
        w->space = 0;
        return 0;
    }
    if (!strcmp(name, "tr")) {
        want_break(w, 2);
        w->row_cell = 0;
    } else if (in_list(BLOCKS, name)) {
        want_break(w, 2);
    }
    if (!strcmp(name, "pre"))
        w->pre++;
    if (is_bold(name) && !w->bold && (w->brk || line_start(w))) {
        w->bold = n;
        w->bold_at = w->n;
    }
    return 0;
}

/* An element left. */
static void leave(walk *w, const xmlNode *n)
{
    const char *name = (const char *)n->name;
    if (!strcmp(name, "td") || !strcmp(name, "th")) {
        w->cell--;
        w->space = 0;
        return;
    }
    if (!strcmp(name, "tr"))
        w->row_cell = 0;
    if (in_list(BLOCKS, name))
        want_break(w, 2);
    if (!strcmp(name, "pre"))
        w->pre--;
    if (w->bold == n) {
        w->bold = NULL;
        /* "<b>Karin Ek:</b>Jag" reads as "Karin Ek: Jag" */
        if (w->n > w->bold_at && w->s[w->n - 1] == ':')
            w->space = 1;
        else if (w->n > w->bold_at)
            w->colon = 1;
    }
}

/* The visible text under `root`, in document order. */
static int walk_tree(walk *w, const xmlNode *root)
{
    const xmlNode *n = root;
    while (n) {
        int down = 0;
        if (n->type == XML_ELEMENT_NODE && !hidden(n)) {
            if (enter(w, n))
                return -1;
            down = n->children != NULL;
            if (!down)
                leave(w, n);
        } else if ((n->type == XML_TEXT_NODE ||
                    n->type == XML_CDATA_SECTION_NODE) &&
                   n->content) {
            if (text(w, (const char *)n->content))
                return -1;
        }
        if (down) {
            n = n->children;
            continue;
        }
        while (n && n != root && !n->next) {
            n = n->parent;
            if (n && n->type == XML_ELEMENT_NODE)
                leave(w, n);
        }
        if (!n || n == root)
            break;
        n = n->next;
    }
    return 0;
}

/* The charset a <meta> names in the first META_SCAN bytes (<meta
 * charset="x"> or <meta http-equiv=... content="text/html; charset=x">),
 * into name; 0 if none. */
static int meta_charset(const unsigned char *raw, size_t len, char *name,
                        size_t size)
{
    size_t end = len < META_SCAN ? len : META_SCAN;
    for (size_t i = 0; i + 5 < end; i++) {
        if (raw[i] != '<' || strncasecmp((const char *)raw + i, "<meta", 5))
            continue;
        size_t close = i + 5;
        while (close < end && raw[close] != '>')
            close++;
        for (size_t k = i + 5; k + 7 < close; k++) {
            if (strncasecmp((const char *)raw + k, "charset", 7))
                continue;
            size_t p = k + 7;
            while (p < close && (raw[p] == ' ' || raw[p] == '\t'))
                p++;
            if (p >= close || raw[p] != '=')
                continue;
            p++;
            while (p < close &&
                   (raw[p] == ' ' || raw[p] == '"' || raw[p] == '\''))
                p++;
            size_t q = 0;
            while (p < close && q + 1 < size &&
                   ((raw[p] >= 'a' && raw[p] <= 'z') ||
                    (raw[p] >= 'A' && raw[p] <= 'Z') ||
                    (raw[p] >= '0' && raw[p] <= '9') || raw[p] == '-' ||
                    raw[p] == '_' || raw[p] == '.' || raw[p] == ':'))
                name[q++] = (char)raw[p++];
            name[q] = '\0';
            if (q)
                return 1;
        }
    }
    return 0;
}

/* raw decoded into UTF-8 by its <meta> charset, else by detection. */
static int decode(char **text, size_t *tlen, const unsigned char *raw, size_t n,
                  const char *file, kb_notice_fn notice, void *ctx,
                  kb_error *err)
{
    char charset[64], msg[600];
    if (meta_charset(raw, n, charset, sizeof charset)) {
        if (kbi_text_encoding_check(charset, NULL) == 0)
            return kbi_text_decode_as(text, tlen, charset, raw, n, file, err);
        if (notice) {
            snprintf(msg, sizeof msg,
                     "%s: the page names the charset '%s', which is not "
                     "known; its encoding is detected instead",
                     file, charset);
            notice(ctx, msg);
        }
    }
    const char *encoding;
    int rc = kbi_text_decode(text, tlen, &encoding, raw, n, file, err);
    if (!rc && notice && strcmp(encoding, "utf-8") != 0) {
        snprintf(msg, sizeof msg, "%s: not UTF-8; read as %s", file, encoding);
        notice(ctx, msg);
    }
    return rc;
}

int kbi_html_to_text(char **out, size_t *len, const unsigned char *raw,
                     size_t n, const char *file, kb_notice_fn notice, void *ctx,
                     kb_error *err)
{
    *out = NULL;
    *len = 0;
    if (n > KBI_XML_MAX)
        return kbi_fail_at(err, KB_EFORMAT, file, 0, 0,
                           "HTML larger than %zu MB: refused",
                           KBI_XML_MAX >> 20);
    char *utf8;
    size_t ulen;
    int rc = decode(&utf8, &ulen, raw, n, file, notice, ctx, err);
    if (rc)
        return rc;
    htmlParserCtxtPtr pc = htmlNewParserCtxt();
    if (!pc) {
        free(utf8);
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    }
    htmlDocPtr doc =
        htmlCtxtReadMemory(pc, utf8, (int)ulen, NULL, "UTF-8",
                           HTML_PARSE_NONET | HTML_PARSE_NOERROR |
                               HTML_PARSE_NOWARNING | HTML_PARSE_IGNORE_ENC);
    free(utf8);
    if (!doc) {
        const xmlError *e = xmlCtxtGetLastError(pc);
        rc = kbi_fail_at(err, KB_EFORMAT, file, e ? e->line : 0,
                         e ? e->int2 : 0, "not readable as HTML");
        htmlFreeParserCtxt(pc);
        return rc;
    }
    htmlFreeParserCtxt(pc);
    walk w = {0};
    rc = walk_tree(&w, xmlDocGetRootElement(doc)) ? -1 : 0;
    xmlFreeDoc(doc);
    if (rc) {
        free(w.s);
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    }
    while (w.n && (w.s[w.n - 1] == ' ' || w.s[w.n - 1] == '\n' ||
                   w.s[w.n - 1] == '\t'))
        w.n--;
    if (!w.n) {
        free(w.s);
        return kbi_fail_at(err, KB_EFORMAT, file, 0, 0,
                           "no visible text in the HTML page");
    }
    if (put(&w, "\n", 1)) {
        free(w.s);
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    }
    *out = w.s;
    *len = w.n;
    return 0;
}

/* Skips blanks, an XML declaration and comments from s[i]. */
static size_t skip_prolog(const char *s, size_t n, size_t i)
{
    for (;;) {
        while (i < n && is_space(s[i]))
            i++;
        if (i + 4 <= n && !memcmp(s + i, "<!--", 4)) {
            size_t k = i + 4;
            while (k + 3 <= n && memcmp(s + k, "-->", 3))
                k++;
            if (k + 3 > n)
                return n;
            i = k + 3;
        } else if (i + 5 <= n && !memcmp(s + i, "<?xml", 5)) {
            const char *e = memchr(s + i, '>', n - i);
            if (!e)
                return n;
            i = (size_t)(e - s) + 1;
        } else {
            return i;
        }
    }
}

int kbi_html_sniff(const unsigned char *raw, size_t len)
{
    const char *s = (const char *)raw;
    size_t n = len < META_SCAN ? len : META_SCAN, i = 0;
    if (n >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3))
        i = 3;
    i = skip_prolog(s, n, i);
    return (i + 14 <= n && !strncasecmp(s + i, "<!doctype html", 14)) ||
           (i + 5 <= n && !strncasecmp(s + i, "<html", 5) &&
            (i + 5 == n || s[i + 5] == '>' || is_space(s[i + 5])));
}
