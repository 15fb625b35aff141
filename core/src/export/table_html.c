/*
 * table_html.c: a table as an HTML <table> fragment for a report to embed
 * (docs/exports.md). libxml2's xmlTextWriter writes the structure and
 * escapes the header, so the fragment is well-formed XML as well as valid
 * HTML: no element is written self-closed except <br/>, which stands for a
 * newline in a cell. A cell with a link holds its value in an <a href>.
 * The body rows' tags are constants put together in memory (body_row);
 * their values are escaped by kbi_xml_escape_append, as libxml2 escapes.
 */
#include "export/table_html.h"
#include "base/error.h"
#include "base/xml.h"

#include <libxml/xmlwriter.h>
#include <stdlib.h>
#include <string.h>

#define X(s) ((const xmlChar *)(s))

/* The header row: <th scope="col"> cells (integers with class="num"). */
static int head_row(xmlTextWriterPtr w, const kbi_table *t)
{
    if (xmlTextWriterStartElement(w, X("tr")) < 0)
        return -1;
    for (size_t c = 0; c < kbi_table_columns(t); c++) {
        const kbi_column *col = kbi_table_column(t, c);
        if (xmlTextWriterStartElement(w, X("th")) < 0 ||
            xmlTextWriterWriteAttribute(w, X("scope"), X("col")) < 0 ||
            (col->kind != KBI_COLUMN_TEXT &&
             xmlTextWriterWriteAttribute(w, X("class"), X("num")) < 0) ||
            xmlTextWriterWriteString(w, X(col->id)) < 0 ||
            xmlTextWriterFullEndElement(w) < 0)
            return -1;
    }
    if (xmlTextWriterEndElement(w) < 0 || xmlTextWriterWriteRaw(w, X("\n")) < 0)
        return -1;
    return 0;
}

/* Rows' markup, built in memory and written in one call; `fail` is
 * sticky. */
typedef struct row_buf {
    char *p;
    size_t n, cap;
    int fail;
} row_buf;

static void puts_raw(row_buf *b, const char *s)
{
    b->fail = b->fail || kbi_xml_append(&b->p, &b->n, &b->cap, s);
}

/* Text escaped as libxml2 escapes it, newlines as <br/> with `br`. */
static void put_escaped(row_buf *b, const char *s, int br)
{
    b->fail = b->fail || kbi_xml_escape_append(&b->p, &b->n, &b->cap, s, br);
}

/*
 * A body row: <td> cells, integers with class="num", a link's value in
 * <a href>, each newline in a text as <br/>. The tags are constants; every
 * value and href is escaped as libxml2 escapes (kbi_xml_escape_append).
 * Rows are built in memory and handed to the writer a block at a time,
 * since element calls would cost mallocs per cell, which a million rows
 * feel. Empty cells are <td></td>, never <td/>, which HTML would not
 * close.
 */
static void body_row(row_buf *b, const kbi_table *t, size_t row)
{
    puts_raw(b, "<tr>");
    for (size_t c = 0; c < kbi_table_columns(t); c++) {
        const kbi_column *col = kbi_table_column(t, c);
        const kbi_cell *cell = kbi_table_cell(t, row, c);
        int num = col->kind == KBI_COLUMN_INT;
        puts_raw(b,
                 col->kind != KBI_COLUMN_TEXT ? "<td class=\"num\">" : "<td>");
        if (cell->link) {
            puts_raw(b, "<a href=\"");
            put_escaped(b, cell->link, 0);
            puts_raw(b, "\">");
        }
        if (cell->set && num) {
            char digits[24];
            puts_raw(b, kbi_table_int_text(cell->value, digits));
        } else if (cell->set) {
            put_escaped(b, cell->text, 1);
        }
        puts_raw(b, cell->link ? "</a></td>" : "</td>");
    }
    puts_raw(b, "</tr>\n");
}

/* Every row of t, put together in memory and handed to the writer in one
 * call. Returns 0, or -1 on error. */
static int body_rows(xmlTextWriterPtr w, const kbi_table *t)
{
    row_buf b = {0};
    for (size_t r = 0; r < kbi_table_rows(t); r++)
        body_row(&b, t, r);
    int rc = b.fail || (b.n && xmlTextWriterWriteRaw(w, X(b.p)) < 0) ? -1 : 0;
    free(b.p);
    return rc;
}

/* <table>, its header and <tbody>. Returns < 0 on error. */
static int table_head(xmlTextWriterPtr w, const kbi_table *t)
{
    if (xmlTextWriterStartElement(w, X("table")) < 0 ||
        xmlTextWriterWriteAttribute(w, X("class"), X("kodbok-table")) < 0 ||
        xmlTextWriterWriteAttribute(w, X("data-name"), X(kbi_table_name(t))) <
            0 ||
        xmlTextWriterWriteRaw(w, X("\n")) < 0 ||
        xmlTextWriterStartElement(w, X("thead")) < 0 || head_row(w, t) ||
        xmlTextWriterEndElement(w) < 0 ||
        xmlTextWriterWriteRaw(w, X("\n")) < 0 ||
        xmlTextWriterStartElement(w, X("tbody")) < 0 ||
        xmlTextWriterWriteRaw(w, X("\n")) < 0)
        return -1;
    return 0;
}

/* </tbody></table>. Returns < 0 on error. */
static int table_end(xmlTextWriterPtr w)
{
    if (xmlTextWriterFullEndElement(w) < 0 ||
        xmlTextWriterWriteRaw(w, X("\n")) < 0 ||
        xmlTextWriterEndElement(w) < 0 ||
        xmlTextWriterWriteRaw(w, X("\n")) < 0 || xmlTextWriterFlush(w) < 0)
        return -1;
    return 0;
}

int kbi_table_html_element(xmlTextWriterPtr w, const kbi_table *t)
{
    if (table_head(w, t) || body_rows(w, t))
        return -1;
    return table_end(w);
}

int kbi_table_html_open(xmlTextWriterPtr *out, FILE *f, const kbi_table *t,
                        kb_error *err)
{
    *out = NULL;
    xmlOutputBufferPtr buf = kbi_xml_stream_out(f);
    if (!buf)
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    xmlTextWriterPtr w = xmlNewTextWriter(buf); /* owns `buf` from here */
    if (!w) {
        xmlOutputBufferClose(buf);
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    }
    if (table_head(w, t)) {
        xmlFreeTextWriter(w);
        return kbi_fail(err, KB_EIO, "writing table %s as HTML failed",
                        kbi_table_name(t));
    }
    *out = w;
    return 0;
}

int kbi_table_html_rows(xmlTextWriterPtr w, const kbi_table *t, kb_error *err)
{
    if (body_rows(w, t))
        return kbi_fail(err, KB_EIO, "writing table %s as HTML failed",
                        kbi_table_name(t));
    return 0;
}

int kbi_table_html_close(xmlTextWriterPtr w, kb_error *err)
{
    int rc = table_end(w);
    xmlFreeTextWriter(w); /* flushes; the stream stays open */
    return rc ? kbi_fail(err, KB_EIO, "writing a table as HTML failed") : 0;
}
