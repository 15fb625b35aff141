/*
 * word_table.c: a kb_word_table written as a table (export.c's writer of a
 * table in any format; JSON as an object with the selections' sizes and
 * the rows, numbers as numbers) and as a bar chart in SVG for print.
 */
#include "export/word_table.h"
#include "base/error.h"
#include "base/json.h"
#include "base/xml.h"
#include "export/export.h"
#include "export/present.h"
#include "export/table.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The columns: id (csv, tsv, json), Swedish and English headers, and
 * whether it needs a reference. */
enum {
    C_WORD,
    C_COUNT,
    C_PER,
    C_DOCS,
    C_RCOUNT,
    C_RPER,
    C_RDOCS,
    C_G2,
    C_P,
    C_LR,
    C_PCT,
    C_BIC,
    C_USE,
    NCOLS
};

static const struct {
    const char *id, *sv, *en;
    int ref;              /* a column of the reference (with keyness only) */
    kbi_column_kind kind; /* text, a count, or a figure of `decimals` */
    int decimals;
} COLS[NCOLS] = {
    {"word", "Ord", "Word", 0, KBI_COLUMN_TEXT, 0},
    {"count", "Antal", "Count", 0, KBI_COLUMN_INT, 0},
    {"per_10000", "Per 10 000 ord", "Per 10,000 words", 0, KBI_COLUMN_NUMBER,
     1},
    {"documents", "Dokument", "Documents", 0, KBI_COLUMN_INT, 0},
    {"ref_count", "Antal (jämförelse)", "Count (reference)", 1, KBI_COLUMN_INT,
     0},
    {"ref_per_10000", "Per 10 000 ord (jämförelse)",
     "Per 10,000 words (reference)", 1, KBI_COLUMN_NUMBER, 1},
    {"ref_documents", "Dokument (jämförelse)", "Documents (reference)", 1,
     KBI_COLUMN_INT, 0},
    {"g2", "G²", "G²", 1, KBI_COLUMN_NUMBER, 2},
    {"p", "p", "p", 1, KBI_COLUMN_TEXT, 0},
    {"log_ratio", "Log ratio", "Log ratio", 1, KBI_COLUMN_NUMBER, 2},
    {"pct_diff", "%DIFF", "%DIFF", 1, KBI_COLUMN_NUMBER, 1},
    {"bic", "BIC", "BIC", 1, KBI_COLUMN_NUMBER, 2},
    {"use", "Över/under", "Over/under", 1, KBI_COLUMN_TEXT, 0},
};

/* The stars of a p level: "***" for 0.001 ... "" for none. */
static const char *stars(double p)
{
    return p <= 0.001 ? "***" : p <= 0.01 ? "**" : p <= 0.05 ? "*" : "";
}

/* The text of a row's text column c other than the word ("" for none). */
static const char *mark(const kb_word_row *r, int c)
{
    if (c == C_P)
        return stars(r->k.p);
    return r->k.sign > 0 ? "+" : r->k.sign < 0 ? "-" : "";
}

/* The figure of a row's number column c (NaN for none). */
static double figure(const kb_word_row *r, int c)
{
    switch (c) {
    case C_PER:
        return r->per_10k;
    case C_RPER:
        return r->ref_per_10k;
    case C_G2:
        return r->k.g2;
    case C_LR:
        return r->k.log_ratio;
    case C_PCT:
        return r->k.pct_diff;
    default:
        return r->k.bic;
    }
}

static size_t count_of(const kb_word_row *r, int c)
{
    return c == C_COUNT    ? r->count
           : c == C_DOCS   ? r->documents
           : c == C_RCOUNT ? r->ref_count
                           : r->ref_documents;
}

static int build_table(kbi_table **out, const kb_word_table *w,
                       const kb_export_options *o, kb_error *err)
{
    int people = o->format == KB_EXPORT_TEXT || o->format == KB_EXPORT_MD ||
                 o->format == KB_EXPORT_HTML || o->format == KB_EXPORT_XLSX;
    int en = o->lang && !strcmp(o->lang, "en"), key = kb_word_table_keyness(w);
    kbi_table *t;
    int rc = kbi_table_new(&t, en ? "Words" : "Ord", err);
    for (int c = 0; c < NCOLS && !rc; c++)
        if (key || !COLS[c].ref)
            rc = kbi_table_add_column(
                t, people ? (en ? COLS[c].en : COLS[c].sv) : COLS[c].id,
                COLS[c].kind, 0, 0, err);
    for (size_t i = 0; i < kb_word_table_count(w) && !rc; i++) {
        const kb_word_row *r = kb_word_table_get(w, i);
        size_t row, col = 0;
        rc = kbi_table_add_row(t, &row, err);
        for (int c = 0; c < NCOLS && !rc; c++) {
            if (!key && COLS[c].ref)
                continue;
            if (c == C_WORD)
                rc = kbi_table_set_text(t, row, col, r->word, err);
            else if (COLS[c].kind == KBI_COLUMN_INT)
                rc = kbi_table_set_int(t, row, col, (int64_t)count_of(r, c),
                                       err);
            else if (COLS[c].kind == KBI_COLUMN_NUMBER) {
                if (!isnan(figure(r, c)))
                    rc = kbi_table_set_number(t, row, col, figure(r, c),
                                              COLS[c].decimals, err);
            } else if (*mark(r, c))
                rc = kbi_table_set_text(t, row, col, mark(r, c), err);
            col++;
        }
    }
    if (rc) {
        kbi_table_free(t);
        return rc;
    }
    *out = t;
    return 0;
}

/* The table as one JSON object: the sizes, then the rows with numbers. */
static int write_json(FILE *f, const kb_word_table *w, kb_error *err)
{
    int key = kb_word_table_keyness(w);
    fprintf(f, "{\"words\": %zu", kb_word_table_tokens(w, 0));
    if (key)
        fprintf(f, ", \"reference_words\": %zu", kb_word_table_tokens(w, 1));
    fputs(", \"rows\": [", f);
    for (size_t i = 0; i < kb_word_table_count(w); i++) {
        const kb_word_row *r = kb_word_table_get(w, i);
        fputs(i ? ",\n  {\"word\": " : "\n  {\"word\": ", f);
        int rc = kb_json_quote(f, r->word, strlen(r->word), err);
        if (rc)
            return rc;
        fprintf(f, ", \"count\": %zu, \"per_10000\": %.4f, \"documents\": %zu",
                r->count, r->per_10k, r->documents);
        if (key) {
            fprintf(f,
                    ", \"ref_count\": %zu, \"ref_per_10000\": %.4f, "
                    "\"ref_documents\": %zu, \"g2\": %.4f, \"p\": ",
                    r->ref_count, r->ref_per_10k, r->ref_documents, r->k.g2);
            if (r->k.p < 1)
                fprintf(f, "%g", r->k.p);
            else
                fputs("null", f);
            fprintf(f, ", \"log_ratio\": %.4f, \"pct_diff\": ", r->k.log_ratio);
            if (isnan(r->k.pct_diff))
                fputs("null", f);
            else
                fprintf(f, "%.4f", r->k.pct_diff);
            fprintf(f, ", \"bic\": %.4f, \"use\": \"%s\"", r->k.bic,
                    r->k.sign > 0   ? "+"
                    : r->k.sign < 0 ? "-"
                                    : "");
        }
        fputc('}', f);
    }
    fputs(kb_word_table_count(w) ? "\n]}\n" : "]}\n", f);
    return ferror(f) ? kbi_fail(err, KB_EIO, "writing the words failed") : 0;
}

int kb_words_write(FILE *out, const kb_word_table *w,
                   const kb_export_options *opts, kb_error *err)
{
    kb_export_options o;
    int rc = kbi_export_options_check(&o, opts, err);
    if (rc)
        return rc;
    if (o.format == KB_EXPORT_JSON)
        return write_json(out, w, err);
    kbi_table *t;
    if ((rc = build_table(&t, w, &o, err)))
        return rc;
    rc = kbi_export_table_write(out, t, &o, err);
    kbi_table_free(t);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* The bar chart                                                             */
/* ------------------------------------------------------------------------ */

#define CHART_WIDTH 760
#define LABEL_WIDTH 180 /* the words, right-aligned before the bars */
#define BAR_MAX     470
#define ROW         24
#define BAR         16
#define TOP         56
#define FOOT        56

/* A bar's value: the count, or with a reference G². */
static double bar_value(const kb_word_table *w, const kb_word_row *r)
{
    return kb_word_table_keyness(w) ? r->k.g2 : (double)r->count;
}

int kb_words_chart_write(FILE *out, const kb_word_table *w,
                         const kb_export_options *opts, kb_error *err)
{
    kb_export_options o;
    int rc = kbi_export_options_check(&o, opts, err);
    if (rc)
        return rc;
    int en = o.lang && !strcmp(o.lang, "en"), key = kb_word_table_keyness(w);
    size_t n = kb_word_table_count(w);
    double most = 0;
    for (size_t i = 0; i < n; i++)
        if (bar_value(w, kb_word_table_get(w, i)) > most)
            most = bar_value(w, kb_word_table_get(w, i));
    int height = TOP + (int)n * ROW + FOOT;
    kbi_xml s;
    if (kbi_xml_begin(&s, NULL, 1))
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    kbi_xml_open(&s, "svg");
    kbi_xml_attr(&s, "xmlns", "http://www.w3.org/2000/svg");
    kbi_xml_attr(&s, "version", "1.1");
    kbi_xml_attrf(&s, "width", "%d", CHART_WIDTH);
    kbi_xml_attrf(&s, "height", "%d", height);
    kbi_xml_attrf(&s, "viewBox", "0 0 %d %d", CHART_WIDTH, height);
    kbi_xml_attr(&s, "font-family",
                 "DejaVu Sans, Liberation Sans, Arial, "
                 "sans-serif");
    kbi_xml_attr(&s, "font-size", "13");
    const char *title =
        o.title ? o.title
        : key   ? (en ? "Keyness (log-likelihood G²)" : "Nyckelord (G²)")
                : (en ? "Word frequencies" : "Ordfrekvenser");
    kbi_xml_open(&s, "title");
    kbi_xml_text(&s, title, strlen(title));
    kbi_xml_close(&s);
    kbi_xml_open(&s, "rect");
    kbi_xml_attr(&s, "width", "100%");
    kbi_xml_attr(&s, "height", "100%");
    kbi_xml_attr(&s, "fill", "#ffffff");
    kbi_xml_close(&s);
    kbi_xml_open(&s, "text");
    kbi_xml_attr(&s, "x", "16");
    kbi_xml_attr(&s, "y", "28");
    kbi_xml_attr(&s, "font-size", "17");
    kbi_xml_attr(&s, "font-weight", "bold");
    kbi_xml_text(&s, title, strlen(title));
    kbi_xml_close(&s);
    for (size_t i = 0; i < n; i++) {
        const kb_word_row *r = kb_word_table_get(w, i);
        int y = TOP + (int)i * ROW;
        double v = bar_value(w, r);
        int len = most > 0 ? (int)(BAR_MAX * v / most + 0.5) : 0;
        int under = key && r->k.sign < 0;
        kbi_xml_open(&s, "text");
        kbi_xml_attrf(&s, "x", "%d", LABEL_WIDTH - 8);
        kbi_xml_attrf(&s, "y", "%d", y + BAR - 3);
        kbi_xml_attr(&s, "text-anchor", "end");
        kbi_xml_text(&s, r->word, strlen(r->word));
        kbi_xml_close(&s);
        kbi_xml_open(&s, "rect");
        kbi_xml_attrf(&s, "x", "%d", LABEL_WIDTH);
        kbi_xml_attrf(&s, "y", "%d", y);
        kbi_xml_attrf(&s, "width", "%d", len > 1 ? len : 1);
        kbi_xml_attrf(&s, "height", "%d", BAR);
        kbi_xml_attr(&s, "fill", under ? "#d9d9d9" : "#404040");
        kbi_xml_attr(&s, "stroke", "#000000");
        kbi_xml_attr(&s, "stroke-width", "0.75");
        kbi_xml_close(&s);
        kbi_xml_open(&s, "text");
        kbi_xml_attrf(&s, "x", "%d", LABEL_WIDTH + (len > 1 ? len : 1) + 6);
        kbi_xml_attrf(&s, "y", "%d", y + BAR - 3);
        if (key)
            kbi_xml_textf(&s, "%.1f%s", v, stars(r->k.p));
        else
            kbi_xml_textf(&s, "%zu", r->count);
        kbi_xml_close(&s);
    }
    kbi_xml_open(&s, "line");
    kbi_xml_attrf(&s, "x1", "%d", LABEL_WIDTH);
    kbi_xml_attrf(&s, "y1", "%d", TOP - 4);
    kbi_xml_attrf(&s, "x2", "%d", LABEL_WIDTH);
    kbi_xml_attrf(&s, "y2", "%d", TOP + (int)n * ROW);
    kbi_xml_attr(&s, "stroke", "#000000");
    kbi_xml_close(&s);
    const char *foot =
        key ? (en ? "Bar: G². Dark: more frequent in the selection; light: "
                    "less frequent. * p < 0.05, ** p < 0.01, *** p < 0.001"
                  : "Stapel: G². Mörk: vanligare i urvalet; ljus: ovanligare. "
                    "* p < 0,05, ** p < 0,01, *** p < 0,001")
            : (en ? "Bar: occurrences in the selection"
                  : "Stapel: förekomster i urvalet");
    kbi_xml_open(&s, "text");
    kbi_xml_attr(&s, "x", "16");
    kbi_xml_attrf(&s, "y", "%d", TOP + (int)n * ROW + 30);
    kbi_xml_attr(&s, "font-size", "12");
    kbi_xml_text(&s, foot, strlen(foot));
    kbi_xml_close(&s);
    kbi_xml_close(&s);
    size_t len;
    const char *xml = kbi_xml_finish(&s, &len);
    rc = !xml ? kbi_fail(err, KB_ENOMEM, "out of memory")
         : fwrite(xml, 1, len, out) != len
             ? kbi_fail(err, KB_EIO, "writing the chart failed")
             : 0;
    kbi_xml_free(&s);
    return rc;
}
