/*
 * xmlread.c: safe XML parsing (xmlread.h).
 *
 * libxml2 2.9 has no option that refuses external entities outright, so a
 * document whose type declares an entity is refused before it is parsed:
 * none of the formats read here declares one, and a declared entity is how
 * XXE and expansion bombs begin. Parsing then runs without network access,
 * without loading a DTD and without substituting entities, on a parser
 * context of its own, so that its errors come back here and are never
 * printed.
 */
#include "base/xmlread.h"
#include "base/error.h"

#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <stdlib.h>
#include <string.h>

/* Does the document's prolog (before its first element) declare an
 * entity? A "<!ENTITY" can stand only in a document type declaration:
 * in text or attributes it would be escaped. */
static int declares_entity(const char *s, size_t len)
{
    static const char mark[] = "<!ENTITY";
    size_t n = sizeof mark - 1;
    for (size_t i = 0; i + n <= len; i++)
        if (s[i] == '<' && !memcmp(s + i, mark, n))
            return 1;
    return 0;
}

/* Line and column (1-based, in bytes) of offset `at` in s. */
static void place(const char *s, size_t at, int *line, int *col)
{
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < at; i++) {
        if (s[i] == '\n') {
            ++*line;
            *col = 1;
        } else {
            ++*col;
        }
    }
}

static void silent(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

/* A parser context's errors: the parse reports the last one itself; this
 * notes whether memory ran out on the way, which stops the parse with
 * some other error after it. */
#if LIBXML_VERSION >= 21200
static void on_error(void *ctx, const xmlError *e)
#else
static void on_error(void *ctx, xmlError *e)
#endif
{
    xmlParserCtxtPtr parser = ctx;
    if (e && e->code == XML_ERR_NO_MEMORY && parser && parser->_private)
        *(int *)parser->_private = 1;
}

int kbi_xml_read(xmlDocPtr *out, const void *data, size_t len, const char *file,
                 kb_error *err)
{
    *out = NULL;
    const char *s = data;
    if (len >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3)) {
        s += 3;
        len -= 3;
    }
    if (len > KBI_XML_MAX)
        return kbi_fail_at(err, KB_EFORMAT, file, 0, 0,
                           "XML larger than %zu MB: refused",
                           KBI_XML_MAX >> 20);
    if (declares_entity(s, len)) {
        int line, col;
        const char *at = strstr(s, "<!ENTITY");
        place(s, at ? (size_t)(at - s) : 0, &line, &col);
        return kbi_fail_at(err, KB_EFORMAT, file, line, col,
                           "the document declares an entity: refused");
    }
    /* libxml2 prints what it cannot tie to a context (running out of
     * memory in a tree function or before the context exists) through its
     * generic handler: silenced while it parses */
    xmlGenericErrorFunc printer = xmlGenericError;
    void *printer_ctx = xmlGenericErrorContext;
    xmlSetGenericErrorFunc(NULL, silent);
    int no_memory = 0;
    xmlParserCtxtPtr ctx = xmlNewParserCtxt();
    xmlDocPtr doc = NULL;
    if (ctx) {
        ctx->_private = &no_memory;
        ctx->sax->serror = on_error;
        doc = xmlCtxtReadMemory(ctx, s, (int)len, NULL, NULL,
                                XML_PARSE_NONET | XML_PARSE_NOERROR |
                                    XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
    }
    xmlSetGenericErrorFunc(printer_ctx, printer);
    int rc = 0;
    if (!ctx || no_memory) {
        /* the parse stopped there, whatever error it gave after */
        xmlFreeDoc(doc);
        doc = NULL;
        rc = kbi_fail(err, KB_ENOMEM, "out of memory");
    } else if (!doc || !ctx->wellFormed) {
        const xmlError *e = xmlCtxtGetLastError(ctx);
        char msg[300] = "not well-formed XML";
        if (e && e->message) {
            snprintf(msg, sizeof msg, "%s", e->message);
            size_t n = strlen(msg);
            while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
                msg[--n] = '\0';
        }
        rc = kbi_fail_at(err, KB_EFORMAT, file, e ? e->line : 0,
                         e ? e->int2 : 0, "%s", msg);
        xmlFreeDoc(doc);
        doc = NULL;
    }
    xmlFreeParserCtxt(ctx);
    *out = doc;
    return rc;
}

int kbi_xml_is(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE &&
           !strcmp((const char *)n->name, name);
}

const char *kbi_xml_prop(const xmlNode *n, const char *name)
{
    for (const xmlAttr *a = n ? n->properties : NULL; a; a = a->next)
        if (!strcmp((const char *)a->name, name))
            return a->children && a->children->type == XML_TEXT_NODE &&
                           a->children->content
                       ? (const char *)a->children->content
                       : "";
    return NULL;
}

char *kbi_xml_content(const xmlNode *n)
{
    xmlChar *t = xmlNodeGetContent(n);
    char *s = strdup(t ? (const char *)t : "");
    xmlFree(t);
    return s;
}

xmlNode *kbi_xml_child(const xmlNode *n, const char *name)
{
    for (xmlNode *c = n ? n->children : NULL; c; c = c->next)
        if (kbi_xml_is(c, name))
            return c;
    return NULL;
}
