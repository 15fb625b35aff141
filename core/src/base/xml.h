/*
 * xml.h: an XML document written into memory with libxml2's xmlTextWriter,
 * for the writers that build XML (the PPTX parts, the SVG figure), or
 * streamed to a FILE (HTML pages too large to hold). Every call is safe
 * after a failure: the first one is kept in `bad` and reported once, by
 * kbi_xml_finish or kbi_xml_end_stream. Writing to memory keeps libxml2 from
 * doing I/O or printing anything itself; so does a stream's own writer
 * (kbi_xml_stream_out), whose failures stay in the stream's error flag.
 */
#ifndef KBI_BASE_XML_H
#define KBI_BASE_XML_H

#include <libxml/xmlwriter.h>
#include <stddef.h>
#include <stdio.h>

typedef struct kbi_xml {
    xmlBufferPtr buf;
    xmlTextWriterPtr w;
    FILE *f; /* the stream written, NULL in memory */
    int bad;
} kbi_xml;

/* Starts a UTF-8 document; `standalone` ("yes" or NULL) goes into the XML
 * declaration, `indent` asks for indented output. -1 if out of memory. */
int kbi_xml_begin(kbi_xml *x, const char *standalone, int indent);

/* libxml2's output onto `f`: a failed write (a full disk) is not told to
 * libxml2, which would print it, but left in f's error flag (ferror), and
 * later writes are skipped. NULL if out of memory. */
xmlOutputBufferPtr kbi_xml_stream_out(FILE *f);

/* Starts writing onto `f` with no XML declaration (an HTML page); the
 * stream stays open. -1 if out of memory. */
int kbi_xml_begin_stream(kbi_xml *x, FILE *f);

/* Closes the open elements, flushes and frees the writer of a stream.
 * Returns 0, or -1 if any call or a write to the stream failed. */
int kbi_xml_end_stream(kbi_xml *x);

void kbi_xml_open(kbi_xml *x, const char *name);
/* Closes with an end tag even when empty (<td></td>, as HTML needs). */
void kbi_xml_close_full(kbi_xml *x);
void kbi_xml_close(kbi_xml *x);
void kbi_xml_attr(kbi_xml *x, const char *name, const char *value);
/* An attribute whose value is printf-formatted. */
void kbi_xml_attrf(kbi_xml *x, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Text s[0..n), escaped. */
void kbi_xml_text(kbi_xml *x, const char *s, size_t n);
void kbi_xml_textf(kbi_xml *x, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Appends text s to the growable buffer *buf (*len bytes used of *cap, kept
 * NUL-terminated) escaped as libxml2's xmlEncodeSpecialChars escapes
 * element text: &, <, > and " as entities, everything else as it is (its
 * &#13; for CR cannot occur: table and store text holds no CR); with `br`,
 * each newline as <br/>. For markup built in memory and handed to the
 * writer whole (kbi_xml_raw): a library call per value costs two mallocs,
 * which a million quotes feel. Returns 0, or -1 when out of memory.
 */
int kbi_xml_escape_append(char **buf, size_t *len, size_t *cap, const char *s,
                          int br);
/* Appends s as it is, the same way; 0 or -1. */
int kbi_xml_append(char **buf, size_t *len, size_t *cap, const char *s);
/* Writes markup s as it is (an open start tag is closed first). */
void kbi_xml_raw(kbi_xml *x, const char *s);

/* Ends the document and gives its bytes, valid until kbi_xml_free, or NULL
 * if any call failed. */
const char *kbi_xml_finish(kbi_xml *x, size_t *len);

/* Frees the writer and the bytes. */
void kbi_xml_free(kbi_xml *x);

#endif
