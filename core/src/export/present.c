/*
 * present.c: what the exports show people, shared by the quote and matrix
 * tables (export.c) and the HTML pages (report.c): the words in Swedish and
 * English, axis names, a quote's text as shown, the matrix as a table.
 */
#include "export/present.h"
#include "base/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/* Words and options                                                         */
/* ------------------------------------------------------------------------ */

static const kbi_words SV = {.lang = "sv",
                             .total = "Totalt",
                             .dimension = "Aggregerad dimension",
                             .theme = "Tema",
                             .concept = "Begrepp",
                             .speaker = "Talare",
                             .document = "Dokument",
                             .matrix = "Matris",
                             .quotes = "Citat",
                             .codebook = "Kodbok",
                             .facets = "Facetter",
                             .up = "Till matrisen",
                             .manual = "manuell",
                             .rules = "regel",
                             .accepted = "accepterat",
                             .whole_theme = "hela temat",
                             .whole_dimension = "hela dimensionen",
                             .counts = {"citat", "dokument", "fall", "ord"},
                             .journal = "Analytisk dagbok"};

static const kbi_words EN = {
    .lang = "en",
    .total = "Total",
    .dimension = "Aggregate dimension",
    .theme = "Theme",
    .concept = "Concept",
    .speaker = "Speaker",
    .document = "Document",
    .matrix = "Matrix",
    .quotes = "Quotes",
    .codebook = "Codebook",
    .facets = "Facets",
    .up = "Back to the matrix",
    .manual = "manual",
    .rules = "rules",
    .accepted = "accepted",
    .whole_theme = "whole theme",
    .whole_dimension = "whole dimension",
    .counts = {"quotes", "documents", "cases", "words"},
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
    static const char *const axes[] = {"dimension", "theme", "concept",
                                       "speaker", "document"};
    const char *const names[] = {w->dimension, w->theme, w->concept, w->speaker,
                                 w->document};
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
    if (out->format < KB_EXPORT_TEXT || out->format > KB_EXPORT_ODT)
        return kbi_fail(err, KB_EINVAL, "unknown export format %d",
                        (int)out->format);
    if (out->delimiter && out->delimiter != ',' && out->delimiter != ';')
        return kbi_fail(err, KB_EINVAL,
                        "CSV delimiter '%c': only ',' and ';' are written",
                        out->delimiter);
    if (out->count < KB_COUNT_QUOTES || out->count > KB_COUNT_WORDS)
        return kbi_fail(err, KB_EINVAL, "unknown count %d", (int)out->count);
    if (!kbi_words_for(out->lang))
        return kbi_fail(err, KB_EINVAL, "unknown language '%s' (sv or en)",
                        out->lang);
    if (!out->rows)
        out->rows = "theme";
    if (!out->cols)
        out->cols = "level";
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

int kbi_export_matrix_table(kbi_table **out, const kb_matrix *m,
                            const kb_quote_list *l, const kbi_words *w,
                            const char *row_axis, const char *link,
                            kb_error *err)
{
    size_t R = kb_matrix_rows(m), C = kb_matrix_cols(m);
    kbi_table *t;
    int rc = kbi_table_new(&t, "Matrix", err);
    if (!rc)
        rc = kbi_table_add_column(t, kbi_axis_name(w, l, row_axis),
                                  KBI_COLUMN_TEXT, 40, 1, err);
    for (size_t c = 0; c < C && !rc; c++)
        rc = kbi_table_add_column(t, kb_matrix_col_label(m, c), KBI_COLUMN_INT,
                                  0, 0, err);
    if (!rc)
        rc = kbi_table_add_column(t, w->total, KBI_COLUMN_INT, 0, 0, err);
    for (size_t r = 0; r <= R && !rc; r++) {
        int total = r == R; /* the last row holds the column totals */
        if ((rc = kbi_table_add_row(t, NULL, err)) ||
            (rc = kbi_table_set_text_ref(
                 t, r, 0, total ? w->total : kb_matrix_row_label(m, r), err)))
            break;
        for (size_t c = 0; c < C && !rc; c++) {
            size_t n =
                total ? kb_matrix_col_total(m, c) : kb_matrix_cell(m, r, c);
            rc = kbi_table_set_int(t, r, c + 1, (int64_t)n, err);
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
