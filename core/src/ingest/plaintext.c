/*
 * plaintext.c: transcript text built from the paragraphs, breaks, runs and
 * table cells of a document (plaintext.h).
 *
 * Speaker labels are recognised by form only where the text alone would
 * not show them, and rewritten to the `Label: ` the parser reads; whether
 * a label is taken as a speaker stays the parser's decision.
 */
#include "ingest/plaintext.h"
#include "base/error.h"
#include "base/grow.h"
#include "base/xmlread.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The longest label the parser takes (docs/transcripts.md). */
#define LABEL_MAX 60
/* The most words a label cell may have. */
#define LABEL_WORDS 4

static void put(kbi_plain *b, const char *s, size_t n)
{
    if (b->nomem || KBI_GROW(&b->s, &b->cap, b->n + n + 2)) {
        b->nomem = 1;
        return;
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = '\0';
}

static int blank(char c)
{
    return c == ' ' || c == '\t';
}

/* s[a..z) replaced by ": " */
static void colon_at(kbi_plain *b, size_t a, size_t z)
{
    if (b->nomem)
        return;
    if (z - a < 2 && KBI_GROW(&b->s, &b->cap, b->n + 3)) {
        b->nomem = 1;
        return;
    }
    memmove(b->s + a + 2, b->s + z, b->n - z + 1);
    memcpy(b->s + a, ": ", 2);
    b->n = b->n - (z - a) + 2;
}

/* Is s[a..z) text that is more than blanks? */
static int has_text(const char *s, size_t a, size_t z)
{
    for (size_t i = a; i < z; i++)
        if (!blank(s[i]))
            return 1;
    return 0;
}

/* Is s[a..z) (trimmed) shaped like a label: short, no colon, a few words? */
static int label_shaped(const char *s, size_t a, size_t z)
{
    if (z <= a || z - a > LABEL_MAX || memchr(s + a, ':', z - a) ||
        memchr(s + a, '\t', z - a))
        return 0;
    size_t words = 1;
    for (size_t i = a; i < z; i++)
        words += s[i] == ' ' && i + 1 < z && s[i + 1] != ' ';
    return words <= LABEL_WORDS;
}

/* Is s[a..z) a time only ("00:12:34", "[12:34]", "#00:01:02-5#")? */
static int time_shaped(const char *s, size_t a, size_t z)
{
    int digits = 0, colon = 0;
    for (size_t i = a; i < z; i++) {
        char c = s[i];
        if (c >= '0' && c <= '9')
            digits++;
        else if (c == ':')
            colon++;
        else if (!strchr("[]()#-.,", c) && !blank(c))
            return 0;
    }
    return digits && colon;
}

/* A line that starts with bold text and has a tab after it, with only
 * blanks between: "IP3<tab>Jag..." becomes "IP3: Jag...". */
static void bold_label(kbi_plain *b)
{
    const char *s = b->s;
    size_t a = b->line, e = b->bold_end, t;
    if (e == a || b->nomem)
        return;
    const char *tab = memchr(s + a, '\t', b->n - a);
    if (!tab)
        return;
    t = (size_t)(tab - s);
    if (t > e && has_text(s, e, t))
        return;
    size_t z = t;
    while (z > a && blank(s[z - 1]))
        z--;
    while (a < z && blank(s[a]))
        a++;
    if (a == b->line && label_shaped(s, a, z) && has_text(s, t + 1, b->n))
        colon_at(b, z, t + 1);
}

/* A row whose first cell with text (after cells of a time only) is shaped
 * like a label and is followed by text: the tab after it becomes ": ". */
static void row_label(kbi_plain *b)
{
    size_t n = b->ncells < KBI_PLAIN_CELLS ? b->ncells : KBI_PLAIN_CELLS;
    const char *s = b->s;
    for (size_t c = 0; c + 1 < n && !b->nomem; c++) {
        size_t a = b->cell[c], z = b->cell[c + 1] - 1; /* the tab */
        size_t tab = z;
        while (a < z && blank(s[a]))
            a++;
        while (z > a && blank(s[z - 1]))
            z--;
        if (a == z || time_shaped(s, a, z))
            continue;
        if (label_shaped(s, a, z) && has_text(s, tab + 1, b->n))
            colon_at(b, z, tab + 1);
        return;
    }
}

static void line_start(kbi_plain *b)
{
    b->line = b->n;
    b->bold_end = b->n;
    b->bold_off = 0;
}

/* A blank between the parts of a table cell, unless one stands there. */
static void cell_blank(kbi_plain *b)
{
    if (b->n > b->line && !blank(b->s[b->n - 1]))
        put(b, " ", 1);
}

void kbi_plain_put(kbi_plain *b, const char *s, size_t n, int bold)
{
    if (!n)
        return;
    if (b->blank) {
        b->blank = 0;
        cell_blank(b);
    }
    put(b, s, n);
    if (bold && !b->bold_off)
        b->bold_end = b->n;
    else if (!bold)
        b->bold_off = 1;
}

void kbi_plain_newline(kbi_plain *b)
{
    if (b->row) {
        b->blank = 1;
        return;
    }
    bold_label(b);
    put(b, "\n", 1);
    line_start(b);
}

void kbi_plain_row(kbi_plain *b)
{
    if (b->row++) {
        b->blank = 1;
        return;
    }
    b->ncells = 0;
}

void kbi_plain_cell(kbi_plain *b)
{
    if (b->row > 1) {
        b->blank = 1;
        return;
    }
    b->blank = 0;
    if (b->ncells)
        put(b, "\t", 1);
    if (b->ncells < KBI_PLAIN_CELLS)
        b->cell[b->ncells] = b->n;
    b->ncells++;
}

void kbi_plain_row_end(kbi_plain *b)
{
    if (!b->row || --b->row)
        return;
    b->blank = 0;
    row_label(b);
    /* trailing blanks of empty cells */
    while (b->n > b->line && blank(b->s[b->n - 1]))
        b->n--;
    put(b, "\n", 1);
    line_start(b);
}

int kbi_plain_finish(char **out, size_t *len, kbi_plain *b, const char *file,
                     kb_error *err)
{
    *out = NULL;
    *len = 0;
    if (b->nomem) {
        free(b->s);
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    }
    size_t a = 0, z = b->n;
    while (a < z && b->s[a] == '\n')
        a++;
    while (z > a && b->s[z - 1] == '\n')
        z--;
    size_t k = a;
    while (k < z && (blank(b->s[k]) || b->s[k] == '\n'))
        k++;
    if (k == z) {
        free(b->s);
        return kbi_fail_at(err, KB_EFORMAT, file, 0, 0,
                           "the document holds no text");
    }
    memmove(b->s, b->s + a, z - a);
    b->s[z - a] = '\n';
    b->s[z - a + 1] = '\0';
    *out = b->s;
    *len = z - a + 1;
    return 0;
}

int kbi_plain_package(kbi_zip **zip, xmlDocPtr *doc, const unsigned char *raw,
                      size_t n, const char *part, const char *what,
                      const char *file, kb_error *err)
{
    *zip = NULL;
    *doc = NULL;
    kbi_zip *z;
    int rc = kbi_zip_open(&z, raw, n, file, err);
    if (rc)
        return rc;
    long i = kbi_zip_find(z, part, 1);
    if (i < 0) {
        kbi_zip_free(z);
        return kbi_fail_at(err, KB_EFORMAT, file, 0, 0,
                           "not %s: the package has no part %s", what, part);
    }
    char *xml, *where = NULL;
    size_t len;
    if ((rc = kbi_zip_read(z, (size_t)i, &xml, &len, err)) != 0) {
        kbi_zip_free(z);
        return rc;
    }
    size_t wn = strlen(file) + strlen(part) + 2;
    if (!(where = malloc(wn)))
        rc = kbi_fail(err, KB_ENOMEM, "out of memory");
    else {
        snprintf(where, wn, "%s:%s", file, part);
        rc = kbi_xml_read(doc, xml, len, where, err);
    }
    free(where);
    free(xml);
    if (rc)
        kbi_zip_free(z);
    else
        *zip = z;
    return rc;
}

void kbi_plain_left_out(const kbi_left_out *v, size_t nv, const char *file,
                        kb_notice_fn notice, void *ctx)
{
    char msg[700];
    size_t k = 0;
    int any = 0;
    if (!notice)
        return;
    k += (size_t)snprintf(msg, sizeof msg, "%s: left out:", file);
    for (size_t i = 0; i < nv && k < sizeof msg; i++) {
        if (!v[i].n)
            continue;
        if (v[i].many)
            k += (size_t)snprintf(msg + k, sizeof msg - k, "%s %zu %s",
                                  any ? "," : "", v[i].n,
                                  v[i].n == 1 ? v[i].one : v[i].many);
        else
            k += (size_t)snprintf(msg + k, sizeof msg - k, "%s %s",
                                  any ? "," : "", v[i].one);
        any = 1;
    }
    if (!any)
        return;
    if (k < sizeof msg)
        snprintf(msg + k, sizeof msg - k, " (only the body's text is read)");
    notice(ctx, msg);
}
