/*
 * xml.c: XML documents in memory or onto a stream through xmlTextWriter
 * (see xml.h).
 */
#include "base/xml.h"
#include "base/grow.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* libxml2 (2.9) reports some failures only through its generic error
 * handler, which prints them: a list node the writer could not allocate
 * loses an element with no error returned. Each writer call runs with a
 * handler of its own that marks the document bad instead. */
static void caught(void *ctx, const char *msg, ...)
{
    (void)msg;
    *(int *)ctx = 1;
}

/* Runs stmt with `flag` set by any message libxml2 gives meanwhile. */
#define CATCH(flag, stmt)                                                      \
    do {                                                                       \
        xmlGenericErrorFunc printer_ = xmlGenericError;                        \
        void *printer_ctx_ = xmlGenericErrorContext;                           \
        xmlSetGenericErrorFunc(&(flag), caught);                               \
        stmt;                                                                  \
        xmlSetGenericErrorFunc(printer_ctx_, printer_);                        \
    } while (0)

/* A writer call (negative on failure) on document x. */
#define CALL(x, call)                                                          \
    do {                                                                       \
        int caught_ = 0;                                                       \
        CATCH(caught_, (x)->bad |= (call) < 0);                                \
        (x)->bad |= caught_;                                                   \
    } while (0)

int kbi_xml_begin(kbi_xml *x, const char *standalone, int indent)
{
    memset(x, 0, sizeof *x);
    int lost = 0; /* what it said is not needed: NULL says it */
    CATCH(lost, x->buf = xmlBufferCreate();
          if (x->buf) x->w = xmlNewTextWriterMemory(x->buf, 0));
    if (!x->w) {
        xmlBufferFree(x->buf);
        x->buf = NULL;
        return -1;
    }
    if (indent)
        CALL(x, xmlTextWriterSetIndent(x->w, 1));
    CALL(x, xmlTextWriterStartDocument(x->w, NULL, "UTF-8", standalone));
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
    xmlOutputBufferPtr out = NULL;
    int lost = 0;
    CATCH(lost, out = kbi_xml_stream_out(f);
          if (out) x->w = xmlNewTextWriter(out));
    if (!out)
        return -1;
    if (!x->w) { /* owns `out` from here */
        xmlOutputBufferClose(out);
        return -1;
    }
    x->f = f;
    return 0;
}

int kbi_xml_end_stream(kbi_xml *x)
{
    if (!x->bad)
        CALL(x, xmlTextWriterEndDocument(x->w));
    if (!x->bad)
        CALL(x, xmlTextWriterFlush(x->w));
    xmlFreeTextWriter(x->w); /* the stream stays open */
    x->w = NULL;
    return x->bad || ferror(x->f) ? -1 : 0;
}

void kbi_xml_close_full(kbi_xml *x)
{
    CALL(x, xmlTextWriterFullEndElement(x->w));
}

void kbi_xml_open(kbi_xml *x, const char *name)
{
    CALL(x, xmlTextWriterStartElement(x->w, BAD_CAST name));
}

void kbi_xml_close(kbi_xml *x)
{
    CALL(x, xmlTextWriterEndElement(x->w));
}

void kbi_xml_attr(kbi_xml *x, const char *name, const char *value)
{
    CALL(x, xmlTextWriterWriteAttribute(x->w, BAD_CAST name, BAD_CAST value));
}

void kbi_xml_attrf(kbi_xml *x, const char *name, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    CALL(x, xmlTextWriterWriteVFormatAttribute(x->w, BAD_CAST name, fmt, ap));
    va_end(ap);
}

void kbi_xml_textf(kbi_xml *x, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    CALL(x, xmlTextWriterWriteVFormatString(x->w, fmt, ap));
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

void kbi_xml_text(kbi_xml *x, const char *s, size_t n)
{
    /* Escaped here as xmlTextWriterWriteString escapes text (&, <, >, ",
     * CR), and written raw: libxml2 (2.9) writes nothing and reports no
     * error when it has no memory to escape the text itself. */
    char *buf = NULL;
    size_t len = 0, cap = 0;
    int bad = KBI_GROW(&buf, &cap, n + 1);
    for (size_t i = 0, from = 0; !bad && i <= n; i++) {
        char c = i < n ? s[i] : '\0';
        const char *e = c == '&'    ? "&amp;"
                        : c == '<'  ? "&lt;"
                        : c == '>'  ? "&gt;"
                        : c == '"'  ? "&quot;"
                        : c == '\r' ? "&#13;"
                                    : NULL;
        if (!e && i < n && c)
            continue;
        bad = append(&buf, &len, &cap, s + from, i - from) ||
              (e && kbi_xml_append(&buf, &len, &cap, e));
        from = i + 1;
        if (!e)
            break; /* the end, or a NUL, where the text ends */
    }
    x->bad |= bad;
    if (!bad)
        CALL(x, xmlTextWriterWriteRaw(x->w, BAD_CAST buf));
    free(buf);
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
    CALL(x, xmlTextWriterWriteRaw(x->w, BAD_CAST s));
}

const char *kbi_xml_finish(kbi_xml *x, size_t *len)
{
    if (!x->bad)
        CALL(x, xmlTextWriterEndDocument(x->w));
    if (!x->bad)
        CALL(x, xmlTextWriterFlush(x->w)); /* into buf */
    xmlFreeTextWriter(x->w);
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
