/*
 * table_html.c: a table as an HTML <table> fragment for a report to embed
 * (docs/exports.md). libxml2's xmlTextWriter does all escaping, so the
 * fragment is well-formed XML as well as valid HTML: no element is written
 * self-closed except <br/>, which stands for a newline in a cell. A cell
 * with a link holds its value in an <a href>.
 */
#include "export/table.h"
#include "error.h"

#include <inttypes.h>
#include <libxml/xmlwriter.h>
#include <string.h>

#define X(s) ((const xmlChar *)(s))

/* Writes text, each newline as <br/>. Returns 0, or -1 on error. */
static int text_with_breaks(xmlTextWriterPtr w, const char *s)
{
    for (;;) {
        const char *nl = strchr(s, '\n');
        size_t n = nl ? (size_t)(nl - s) : strlen(s);
        if (n && xmlTextWriterWriteFormatString(w, "%.*s", (int)n, s) < 0)
            return -1;
        if (!nl)
            return 0;
        if (xmlTextWriterStartElement(w, X("br")) < 0 ||
            xmlTextWriterEndElement(w) < 0)
            return -1;
        s = nl + 1;
    }
}

/* One <tr>: the header's <th scope="col"> cells, or a row's <td> cells
 * (integers with class="num"). Returns < 0 on error. */
static int write_row(xmlTextWriterPtr w, const kb_table *t, long row)
{
    if (xmlTextWriterStartElement(w, X("tr")) < 0)
        return -1;
    for (size_t c = 0; c < kb_table_columns(t); c++) {
        const kb_column *col = kb_table_column(t, c);
        int num = col->kind == KB_COLUMN_INT;
        if (xmlTextWriterStartElement(w, X(row < 0 ? "th" : "td")) < 0)
            return -1;
        if (row < 0 && xmlTextWriterWriteAttribute(w, X("scope"), X("col")) < 0)
            return -1;
        if (num && xmlTextWriterWriteAttribute(w, X("class"), X("num")) < 0)
            return -1;
        const kb_cell *cell = row < 0 ? NULL : kb_table_cell(t, (size_t)row, c);
        int rc = 0;
        if (cell && cell->link &&
            (xmlTextWriterStartElement(w, X("a")) < 0 ||
             xmlTextWriterWriteAttribute(w, X("href"), X(cell->link)) < 0))
            return -1;
        if (row < 0)
            rc = xmlTextWriterWriteString(w, X(col->id));
        else if (cell->set && num)
            rc = xmlTextWriterWriteFormatString(w, "%" PRId64, cell->value);
        else if (cell->set)
            rc = text_with_breaks(w, cell->text);
        if (rc >= 0 && cell && cell->link)
            rc = xmlTextWriterFullEndElement(w);
        /* Full end: <td></td>, never <td/>, which HTML would not close. */
        if (rc < 0 || xmlTextWriterFullEndElement(w) < 0)
            return -1;
    }
    if (xmlTextWriterEndElement(w) < 0 || xmlTextWriterWriteRaw(w, X("\n")) < 0)
        return -1;
    return 0;
}

/* <table>, its header and <tbody>. Returns < 0 on error. */
static int table_head(xmlTextWriterPtr w, const kb_table *t)
{
    if (xmlTextWriterStartElement(w, X("table")) < 0 ||
        xmlTextWriterWriteAttribute(w, X("class"), X("kodbok-table")) < 0 ||
        xmlTextWriterWriteAttribute(w, X("data-name"), X(kb_table_name(t))) <
            0 ||
        xmlTextWriterWriteRaw(w, X("\n")) < 0 ||
        xmlTextWriterStartElement(w, X("thead")) < 0 || write_row(w, t, -1) ||
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

int kb_table_html_element(xmlTextWriterPtr w, const kb_table *t)
{
    if (table_head(w, t))
        return -1;
    for (size_t r = 0; r < kb_table_rows(t); r++)
        if (write_row(w, t, (long)r))
            return -1;
    return table_end(w);
}

int kb_table_html_open(xmlTextWriterPtr *out, FILE *f, const kb_table *t,
                       kb_error *err)
{
    *out = NULL;
    xmlOutputBufferPtr buf = xmlOutputBufferCreateFile(f, NULL);
    if (!buf)
        return kb_fail(err, KB_ENOMEM, "out of memory");
    xmlTextWriterPtr w = xmlNewTextWriter(buf); /* owns `buf` from here */
    if (!w) {
        xmlOutputBufferClose(buf);
        return kb_fail(err, KB_ENOMEM, "out of memory");
    }
    if (table_head(w, t)) {
        xmlFreeTextWriter(w);
        return kb_fail(err, KB_EIO, "writing table %s as HTML failed",
                       kb_table_name(t));
    }
    *out = w;
    return 0;
}

int kb_table_html_row(xmlTextWriterPtr w, const kb_table *t, size_t row,
                      kb_error *err)
{
    if (write_row(w, t, (long)row))
        return kb_fail(err, KB_EIO, "writing table %s as HTML failed",
                       kb_table_name(t));
    return 0;
}

int kb_table_html_close(xmlTextWriterPtr w, kb_error *err)
{
    int rc = table_end(w);
    xmlFreeTextWriter(w); /* flushes; the stream stays open */
    return rc ? kb_fail(err, KB_EIO, "writing a table as HTML failed") : 0;
}
