/*
 * xml.c: XML documents in memory or onto a stream through xmlTextWriter
 * (see xml.h).
 */
#include "base/xml.h"
#include "base/grow.h"

#include <stdarg.h>
#include <string.h>

int kbi_xml_begin(kbi_xml *x, const char *standalone, int indent)
{
    memset(x, 0, sizeof *x);
    x->buf = xmlBufferCreate();
    if (x->buf)
        x->w = xmlNewTextWriterMemory(x->buf, 0);
    if (!x->w) {
        xmlBufferFree(x->buf);
        x->buf = NULL;
        return -1;
    }
    if (indent)
        x->bad |= xmlTextWriterSetIndent(x->w, 1) < 0;
    x->bad |= xmlTextWriterStartDocument(x->w, NULL, "UTF-8", standalone) < 0;
    return 0;
}

/* Writes to the FILE; a failure is left in its error flag (ferror), not
 * told to libxml2, which would print it: later writes are skipped. */
static int stream_write(void *ctx, const char *p, int len)
{
    FILE *f = ctx;
    if (!ferror(f))
        fwrite(p, 1, (size_t)len, f);
    return len;
}

xmlOutputBufferPtr kbi_xml_stream_out(FILE *f)
{
    return xmlOutputBufferCreateIO(stream_write, NULL, f, NULL);
}

int kbi_xml_begin_stream(kbi_xml *x, FILE *f)
{
    memset(x, 0, sizeof *x);
    xmlOutputBufferPtr out = kbi_xml_stream_out(f);
    if (!out)
        return -1;
    if (!(x->w = xmlNewTextWriter(out))) { /* owns `out` from here */
        xmlOutputBufferClose(out);
        return -1;
    }
    x->f = f;
    return 0;
}

int kbi_xml_end_stream(kbi_xml *x)
{
    if (!x->bad)
        x->bad =
            xmlTextWriterEndDocument(x->w) < 0 || xmlTextWriterFlush(x->w) < 0;
    xmlFreeTextWriter(x->w); /* the stream stays open */
    x->w = NULL;
    return x->bad || ferror(x->f) ? -1 : 0;
}

void kbi_xml_close_full(kbi_xml *x)
{
    x->bad |= xmlTextWriterFullEndElement(x->w) < 0;
}

void kbi_xml_open(kbi_xml *x, const char *name)
{
    x->bad |= xmlTextWriterStartElement(x->w, BAD_CAST name) < 0;
}

void kbi_xml_close(kbi_xml *x)
{
    x->bad |= xmlTextWriterEndElement(x->w) < 0;
}

void kbi_xml_attr(kbi_xml *x, const char *name, const char *value)
{
    x->bad |=
        xmlTextWriterWriteAttribute(x->w, BAD_CAST name, BAD_CAST value) < 0;
}

void kbi_xml_attrf(kbi_xml *x, const char *name, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    x->bad |=
        xmlTextWriterWriteVFormatAttribute(x->w, BAD_CAST name, fmt, ap) < 0;
    va_end(ap);
}

void kbi_xml_text(kbi_xml *x, const char *s, size_t n)
{
    xmlChar *t = xmlStrndup(BAD_CAST s, (int)n);
    if (!t) {
        x->bad = 1;
        return;
    }
    x->bad |= xmlTextWriterWriteString(x->w, t) < 0;
    xmlFree(t);
}

void kbi_xml_textf(kbi_xml *x, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    x->bad |= xmlTextWriterWriteVFormatString(x->w, fmt, ap) < 0;
    va_end(ap);
}

static int append(char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
    if (KBI_GROW(buf, cap, *len + n + 1))
        return -1;
    memcpy(*buf + *len, s, n);
    *len += n;
    (*buf)[*len] = '\0';
    return 0;
}

int kbi_xml_append(char **buf, size_t *len, size_t *cap, const char *s)
{
    return append(buf, len, cap, s, strlen(s));
}

int kbi_xml_escape_append(char **buf, size_t *len, size_t *cap, const char *s,
                          int br)
{
    const char *special = br ? "&<>\"\n" : "&<>\"";
    for (;;) {
        size_t n = strcspn(s, special);
        if (append(buf, len, cap, s, n))
            return -1;
        const char *e = s[n] == '&'   ? "&amp;"
                        : s[n] == '<' ? "&lt;"
                        : s[n] == '>' ? "&gt;"
                        : s[n] == '"' ? "&quot;"
                        : s[n]        ? "<br/>"
                                      : NULL;
        if (!e)
            return 0;
        if (kbi_xml_append(buf, len, cap, e))
            return -1;
        s += n + 1;
    }
}

void kbi_xml_raw(kbi_xml *x, const char *s)
{
    x->bad |= xmlTextWriterWriteRaw(x->w, BAD_CAST s) < 0;
}

const char *kbi_xml_finish(kbi_xml *x, size_t *len)
{
    if (!x->bad)
        x->bad = xmlTextWriterEndDocument(x->w) < 0;
    xmlFreeTextWriter(x->w); /* flushes into buf */
    x->w = NULL;
    *len = x->bad ? 0 : (size_t)xmlBufferLength(x->buf);
    return x->bad ? NULL : (const char *)xmlBufferContent(x->buf);
}

void kbi_xml_free(kbi_xml *x)
{
    xmlFreeTextWriter(x->w);
    xmlBufferFree(x->buf);
    x->w = NULL;
    x->buf = NULL;
}
