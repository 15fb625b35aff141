/*
 * present.c: what the exports show people, shared by the quote and matrix
 * tables (export.c) and the HTML pages (report.c): the words in Swedish and
 * English, axis names, a quote's text as shown, the matrix as a table.
 */
#include "export/present.h"
#include "base/error.h"
#include "base/names.h"
#include "quotes/matrix.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/* Words and options                                                         */
/* ------------------------------------------------------------------------ */

static const kbi_words SV = {
    .lang = "sv",
    .total = "Totalt",
    .dimension = "Aggregerad dimension",
    .theme = "Tema",
    .concept = "Begrepp",
    .speaker = "Talare",
    .document = "Dokument",
    .case_id = "Fall",
    .matrix = "Matris",
    .quotes = "Citat",
    .codebook = "Kodbok",
    .facets = "Facetter",
    .up = "Till matrisen",
    .manual = "manuell",
    .rules = "regel",
    .accepted = "accepterat",
    .featured = "utvald",
    .whole_theme = "hela temat",
    .whole_dimension = "hela dimensionen",
    .counts = {"citat", "dokument", "fall", "ord", "förekomst"},
    .units = {"meningar", "turer", "dokument", "fall"},
    .jaccard = "Jaccard",
    .journal = "Analytisk dagbok"};

static const kbi_words EN = {
    .lang = "en",
    .total = "Total",
    .dimension = "Aggregate dimension",
    .theme = "Theme",
    .concept = "Concept",
    .speaker = "Speaker",
    .document = "Document",
    .case_id = "Case",
    .matrix = "Matrix",
    .quotes = "Quotes",
    .codebook = "Codebook",
    .facets = "Facets",
    .up = "Back to the matrix",
    .manual = "manual",
    .rules = "rules",
    .accepted = "accepted",
    .featured = "featured",
    .whole_theme = "whole theme",
    .whole_dimension = "whole dimension",
    .counts = {"quotes", "documents", "cases", "words", "presence"},
    .units = {"sentences", "turns", "documents", "cases"},
    .jaccard = "Jaccard",
    .journal = "Analytic journal"};

/* The names of kb_count_kind, for JSON. */
const kbi_words *kbi_words_for(const char *lang)
{
    if (!lang || !strcmp(lang, "sv"))
        return &SV;
    return !strcmp(lang, "en") ? &EN : NULL;
}

const char *kbi_axis_name(const kbi_words *w, const kb_quote_list *l,
                          const char *axis)
{
    static const char *const axes[] = {"dimension", "theme",    "concept",
                                       "speaker",   "document", "case"};
    const char *const names[] = {w->dimension, w->theme,    w->concept,
                                 w->speaker,   w->document, w->case_id};
    for (size_t i = 0; i < sizeof axes / sizeof *axes; i++)
        if (!strcmp(axis, axes[i]))
            return names[i];
    if (!strncmp(axis, "attr:", 5))
        return axis + 5;
    for (size_t k = 0; k < kb_quote_list_facets(l); k++)
        if (!strcmp(kb_quote_list_facet(l, k), axis)) {
            const char *label = kb_quote_list_label(l, axis);
            return label ? label : axis;
        }
    return axis;
}

int kbi_export_options_check(kb_export_options *out,
                             const kb_export_options *in, kb_error *err)
{
    static const kb_export_options defaults = KB_EXPORT_OPTIONS_INIT;
    *out = in ? *in : defaults;
    if (out->version != KB_EXPORT_OPTIONS_VERSION)
        return kbi_fail(err, KB_EINVAL, "export options of version %u",
                        out->version);
    if (out->format < KB_EXPORT_TEXT || out->format > KB_EXPORT_SVG)
        return kbi_fail(err, KB_EINVAL, "unknown export format %d",
                        (int)out->format);
    if (out->delimiter && out->delimiter != ',' && out->delimiter != ';')
        return kbi_fail(err, KB_EINVAL,
                        "CSV delimiter '%c': only ',' and ';' are written",
                        out->delimiter);
    if (out->count < KB_COUNT_QUOTES || out->count > KB_COUNT_PRESENCE)
        return kbi_fail(err, KB_EINVAL, "unknown count %d", (int)out->count);
    if (!kbi_matrix_unit_name((int)out->unit))
        return kbi_fail(err, KB_EINVAL, "unknown unit %d", (int)out->unit);
    if (!kbi_words_for(out->lang))
        return kbi_fail(err, KB_EINVAL, "unknown language '%s' (sv or en)",
                        out->lang);
    if (!out->rows)
        out->rows = KBI_MATRIX_ROWS;
    if (!out->cols)
        out->cols = KBI_MATRIX_COLS;
    return 0;
}

const char *kbi_export_quote_text(const kb_quote_row *q, size_t max_words,
                                  char **own)
{
    *own = NULL;
    const char *text = q->text ? q->text : "";
    if (!max_words || (q->words && q->words <= max_words))
        return text;
    return kb_quote_excerpt(own, q, max_words, NULL) ? NULL : *own;
}

/* ------------------------------------------------------------------------ */
/* The matrix as tables                                                      */
/* ------------------------------------------------------------------------ */

const char *kbi_matrix_counted(const kbi_words *w, const kb_matrix *m,
                               const kb_export_options *o)
{
    if (!kb_matrix_cooccurrence(m) || o->count == KB_COUNT_PRESENCE)
        return w->counts[o->count];
    return o->jaccard ? w->jaccard : w->units[o->unit];
}

kbi_column_kind kbi_export_cell_kind(const kb_matrix *m, int jaccard)
{
    return jaccard && kb_matrix_cooccurrence(m) ? KBI_COLUMN_NUMBER
                                                : KBI_COLUMN_INT;
}

int kbi_export_matrix_value(kbi_table *t, size_t row, size_t col,
                            const kb_matrix *m, size_t r, size_t c, int jaccard,
                            kb_error *err)
{
    int total = r == kb_matrix_rows(m);
    size_t n = total ? kb_matrix_col_total(m, c) : kb_matrix_cell(m, r, c);
    if (kbi_export_cell_kind(m, jaccard) == KBI_COLUMN_INT)
        return kbi_table_set_int(t, row, col, (int64_t)n, err);
    return kbi_table_set_number(t, row, col,
                                total ? (double)n : kb_matrix_jaccard(m, r, c),
                                total ? 0 : 3, err);
}

int kbi_export_matrix_table(kbi_table **out, const kb_matrix *m,
                            const kb_quote_list *l, const kbi_words *w,
                            const char *row_axis, const char *link, int jaccard,
                            kb_error *err)
{
    size_t R = kb_matrix_rows(m), C = kb_matrix_cols(m);
    kbi_table *t;
    int rc = kbi_table_new(&t, "Matrix", err);
    if (!rc)
        rc = kbi_table_add_column(t, kbi_axis_name(w, l, row_axis),
                                  KBI_COLUMN_TEXT, 40, 1, err);
    for (size_t c = 0; c < C && !rc; c++)
        rc = kbi_table_add_column(t, kb_matrix_col_label(m, c),
                                  kbi_export_cell_kind(m, jaccard), 0, 0, err);
    if (!rc)
        rc = kbi_table_add_column(t, w->total, KBI_COLUMN_INT, 0, 0, err);
    for (size_t r = 0; r <= R && !rc; r++) {
        int total = r == R; /* the last row holds the column totals */
        if ((rc = kbi_table_add_row(t, NULL, err)) ||
            (rc = kbi_table_set_text_ref(
                 t, r, 0, total ? w->total : kb_matrix_row_label(m, r), err)))
            break;
        for (size_t c = 0; c < C && !rc; c++) {
            rc = kbi_export_matrix_value(t, r, c + 1, m, r, c, jaccard, err);
            const size_t *qs;
            char href[64];
            if (!rc && link && !total && kb_matrix_cell_quotes(m, r, c, &qs)) {
                snprintf(href, sizeof href, "%s-%zu-%zu", link, r, c);
                rc = kbi_table_set_link(t, r, c + 1, href, err);
            }
        }
        if (!rc)
            rc = kbi_table_set_int(t, r, C + 1,
                                   (int64_t)(total ? kb_matrix_total(m)
                                                   : kb_matrix_row_total(m, r)),
                                   err);
    }
    if (rc) {
        kbi_table_free(t);
        return rc;
    }
    *out = t;
    return 0;
}
