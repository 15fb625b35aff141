/*
 * export.c: quotes and the matrix as tables in every format (kb_quotes_write,
 * kb_matrix_write). A quote list or a matrix becomes a kb_table, which the
 * writers of table.c, table_html.c and table_xlsx.c put out; the matrix's
 * JSON, which nests quotes in cells, is written here, and the matrix with
 * its quotes in HTML by report.c. docs/exports.md gives every shape.
 *
 * Invariants: a quote table borrows its strings from the quote list and the
 * matrix table from the matrix, so each table is freed before what it
 * borrows from; an XLSX workbook is built in a temporary folder that is
 * removed whatever happens.
 */
#include "export/export.h"
#include "error.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

_Static_assert((int)KB_EXPORT_TEXT == (int)KB_TABLE_TEXT &&
                   (int)KB_EXPORT_CSV == (int)KB_TABLE_CSV &&
                   (int)KB_EXPORT_TSV == (int)KB_TABLE_TSV &&
                   (int)KB_EXPORT_MD == (int)KB_TABLE_MD &&
                   (int)KB_EXPORT_HTML == (int)KB_TABLE_HTML &&
                   (int)KB_EXPORT_JSON == (int)KB_TABLE_JSON &&
                   (int)KB_EXPORT_XLSX == (int)KB_TABLE_XLSX,
               "export formats are table formats");

kb_export_format kb_export_format_parse(const char *name)
{
    return (kb_export_format)kb_table_format_parse(name);
}

/* ------------------------------------------------------------------------ */
/* Words and options                                                         */
/* ------------------------------------------------------------------------ */

static const kb_words SV = {
    "sv",      "Totalt",       "Aggregerad dimension", "Tema",
    "Begrepp", "Talare",       "Dokument",             "Matris",
    "Citat",   "Kodbok",       "Facetter",             "Till matrisen",
    "manuell", {"citat", "dokument", "fall", "ord"}};

static const kb_words EN = {
    "en",      "Total",   "Aggregate dimension", "Theme",
    "Concept", "Speaker", "Document",            "Matrix",
    "Quotes",  "Codebook", "Facets",             "Back to the matrix",
    "manual",  {"quotes", "documents", "cases", "words"}};

/* The names of kb_count_kind, for JSON. */
static const char *const COUNTS[] = {"quotes", "documents", "cases", "words"};

const kb_words *kb_words_for(const char *lang)
{
    if (!lang || !strcmp(lang, "sv"))
        return &SV;
    return !strcmp(lang, "en") ? &EN : NULL;
}

const char *kb_axis_name(const kb_words *w, const kb_quote_list *l,
                         const char *axis)
{
    static const char *const axes[] = {"dimension", "theme", "concept",
                                       "speaker", "document"};
    const char *const names[] = {w->dimension, w->theme, w->concept,
                                 w->speaker, w->document};
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

int kb_export_options_check(kb_export_options *out,
                            const kb_export_options *in, kb_error *err)
{
    static const kb_export_options defaults = KB_EXPORT_OPTIONS_INIT;
    *out = in ? *in : defaults;
    if (out->version != KB_EXPORT_OPTIONS_VERSION)
        return kb_fail(err, KB_EINVAL, "export options of version %u",
                       out->version);
    if (out->format < KB_EXPORT_TEXT || out->format > KB_EXPORT_XLSX)
        return kb_fail(err, KB_EINVAL, "unknown export format %d",
                       (int)out->format);
    if (out->delimiter && out->delimiter != ',' && out->delimiter != ';')
        return kb_fail(err, KB_EINVAL,
                       "CSV delimiter '%c': only ',' and ';' are written",
                       out->delimiter);
    if (out->count < KB_COUNT_QUOTES || out->count > KB_COUNT_WORDS)
        return kb_fail(err, KB_EINVAL, "unknown count %d", (int)out->count);
    if (!kb_words_for(out->lang))
        return kb_fail(err, KB_EINVAL, "unknown language '%s' (sv or en)",
                       out->lang);
    if (!out->rows)
        out->rows = "theme";
    if (!out->cols)
        out->cols = "level";
    return 0;
}

const char *kb_export_quote_text(const kb_quote_row *q, size_t max_words,
                                 char **own)
{
    *own = NULL;
    const char *text = q->text ? q->text : "";
    if (!max_words || (q->words && q->words <= max_words))
        return text;
    return kb_quote_excerpt(own, q, max_words, NULL) ? NULL : *own;
}

/* ------------------------------------------------------------------------ */
/* The quote table                                                           */
/* ------------------------------------------------------------------------ */

/* Adds the quote columns (after any of the caller's). */
static int quote_columns(kb_table *t, const kb_quote_list *l, kb_error *err)
{
    static const char *const before[] = {"document", "case",  "speaker",
                                         "start",    "end",   "dimension",
                                         "theme",    "concept"};
    int rc = 0;
    for (size_t i = 0; i < 8 && !rc; i++)
        rc = kb_table_add_column(t, before[i],
                                 i == 3 || i == 4 ? KB_COLUMN_INT
                                                  : KB_COLUMN_TEXT,
                                 0, 0, err);
    for (size_t k = 0; k < kb_quote_list_facets(l) && !rc; k++)
        rc = kb_table_add_column(t, kb_quote_list_facet(l, k), KB_COLUMN_TEXT,
                                 0, 0, err);
    if (!rc)
        rc = kb_table_add_column(t, "source", KB_COLUMN_TEXT, 0, 0, err);
    if (!rc)
        rc = kb_table_add_column(t, "coder", KB_COLUMN_TEXT, 0, 0, err);
    if (!rc)
        rc = kb_table_add_column(t, "text", KB_COLUMN_TEXT, 80, 1, err);
    return rc;
}

/* Fills the quote columns of `row` from column `c` on. */
static int quote_cells(kb_table *t, size_t row, size_t c, const kb_quote_row *q,
                       size_t nfacets, size_t max_words, kb_error *err)
{
    const char *const before[] = {q->document, q->case_id, q->speaker};
    const char *const codes[] = {q->dimension, q->theme, q->concept};
    int rc = 0;
    for (size_t i = 0; i < 3 && !rc; i++)
        rc = kb_table_set_text_ref(t, row, c++, before[i], err);
    if (!rc)
        rc = kb_table_set_int(t, row, c++, (int64_t)q->start, err);
    if (!rc)
        rc = kb_table_set_int(t, row, c++, (int64_t)q->end, err);
    for (size_t i = 0; i < 3 && !rc; i++)
        rc = kb_table_set_text_ref(t, row, c++, codes[i], err);
    for (size_t k = 0; k < nfacets && !rc; k++)
        rc = kb_table_set_text_ref(t, row, c++, q->facets ? q->facets[k] : NULL,
                                   err);
    if (!rc)
        rc = kb_table_set_text_ref(t, row, c++, q->source, err);
    if (!rc)
        rc = kb_table_set_text_ref(t, row, c++, q->coder, err);
    if (rc)
        return rc;
    char *own;
    const char *text = kb_export_quote_text(q, max_words, &own);
    if (!text)
        return kb_fail(err, KB_ENOMEM, "out of memory");
    rc = own ? kb_table_set_text(t, row, c, text, err)
             : kb_table_set_text_ref(t, row, c, text, err);
    free(own);
    return rc;
}

/* The quotes in list order, as the table "Quotes". */
static int quote_table(kb_table **out, const kb_quote_list *l,
                       size_t max_words, kb_error *err)
{
    kb_table *t;
    int rc = kb_table_new(&t, "Quotes", err);
    if (rc)
        return rc;
    rc = quote_columns(t, l, err);
    size_t n = kb_quote_list_count(l), nf = kb_quote_list_facets(l);
    for (size_t i = 0; i < n && !rc; i++)
        if (!(rc = kb_table_add_row(t, NULL, err)))
            rc = quote_cells(t, i, 0, kb_quote_list_get(l, i), nf, max_words,
                             err);
    if (rc) {
        kb_table_free(t);
        return rc;
    }
    *out = t;
    return 0;
}

/* ------------------------------------------------------------------------ */
/* The matrix as tables                                                      */
/* ------------------------------------------------------------------------ */

int kb_export_matrix_table(kb_table **out, const kb_matrix *m,
                           const kb_quote_list *l, const kb_words *w,
                           const char *row_axis, const char *link,
                           kb_error *err)
{
    size_t R = kb_matrix_rows(m), C = kb_matrix_cols(m);
    kb_table *t;
    int rc = kb_table_new(&t, "Matrix", err);
    if (!rc)
        rc = kb_table_add_column(t, kb_axis_name(w, l, row_axis),
                                 KB_COLUMN_TEXT, 40, 1, err);
    for (size_t c = 0; c < C && !rc; c++)
        rc = kb_table_add_column(t, kb_matrix_col_label(m, c), KB_COLUMN_INT,
                                 0, 0, err);
    if (!rc)
        rc = kb_table_add_column(t, w->total, KB_COLUMN_INT, 0, 0, err);
    for (size_t r = 0; r <= R && !rc; r++) {
        int total = r == R; /* the last row holds the column totals */
        if ((rc = kb_table_add_row(t, NULL, err)) ||
            (rc = kb_table_set_text_ref(
                 t, r, 0, total ? w->total : kb_matrix_row_label(m, r), err)))
            break;
        for (size_t c = 0; c < C && !rc; c++) {
            size_t n = total ? kb_matrix_col_total(m, c) : kb_matrix_cell(m, r, c);
            rc = kb_table_set_int(t, r, c + 1, (int64_t)n, err);
            const size_t *qs;
            char href[64];
            if (!rc && link && !total && kb_matrix_cell_quotes(m, r, c, &qs)) {
                snprintf(href, sizeof href, "%s-%zu-%zu", link, r, c);
                rc = kb_table_set_link(t, r, c + 1, href, err);
            }
        }
        if (!rc)
            rc = kb_table_set_int(
                t, r, C + 1,
                (int64_t)(total ? kb_matrix_total(m) : kb_matrix_row_total(m, r)),
                err);
    }
    if (rc) {
        kb_table_free(t);
        return rc;
    }
    *out = t;
    return 0;
}

/* The matrix as data (csv, tsv): keys, a label column, "total". */
static int data_table(kb_table **out, const kb_matrix *m, const char *row_axis,
                      kb_error *err)
{
    size_t R = kb_matrix_rows(m), C = kb_matrix_cols(m);
    kb_table *t;
    int rc = kb_table_new(&t, "Matrix", err);
    if (!rc)
        rc = kb_table_add_column(t, row_axis, KB_COLUMN_TEXT, 0, 0, err);
    if (!rc)
        rc = kb_table_add_column(t, "label", KB_COLUMN_TEXT, 0, 0, err);
    for (size_t c = 0; c < C && !rc; c++)
        rc = kb_table_add_column(t, kb_matrix_col_key(m, c), KB_COLUMN_INT, 0, 0,
                                 err);
    if (!rc)
        rc = kb_table_add_column(t, "total", KB_COLUMN_INT, 0, 0, err);
    for (size_t r = 0; r <= R && !rc; r++) {
        int total = r == R;
        if ((rc = kb_table_add_row(t, NULL, err)) ||
            (rc = kb_table_set_text_ref(t, r, 0,
                                        total ? NULL : kb_matrix_row_key(m, r),
                                        err)) ||
            (rc = kb_table_set_text_ref(
                 t, r, 1, total ? "total" : kb_matrix_row_label(m, r), err)))
            break;
        for (size_t c = 0; c < C && !rc; c++)
            rc = kb_table_set_int(
                t, r, c + 2,
                (int64_t)(total ? kb_matrix_col_total(m, c)
                                : kb_matrix_cell(m, r, c)),
                err);
        if (!rc)
            rc = kb_table_set_int(
                t, r, C + 2,
                (int64_t)(total ? kb_matrix_total(m) : kb_matrix_row_total(m, r)),
                err);
    }
    if (rc) {
        kb_table_free(t);
        return rc;
    }
    *out = t;
    return 0;
}

/*
 * The quotes of every non-empty cell, cell after cell, with the cell's row
 * and column keys first (the Quotes sheet of a matrix workbook); the
 * matrix table's cells link to their first row.
 */
static int cell_quote_table(kb_table **out, kb_table *matrix, const kb_matrix *m,
                            const kb_quote_list *l, size_t max_words,
                            kb_error *err)
{
    kb_table *t;
    int rc = kb_table_new(&t, "Quotes", err);
    if (!rc)
        rc = kb_table_add_column(t, "row", KB_COLUMN_TEXT, 0, 0, err);
    if (!rc)
        rc = kb_table_add_column(t, "col", KB_COLUMN_TEXT, 0, 0, err);
    if (!rc)
        rc = quote_columns(t, l, err);
    size_t nf = kb_quote_list_facets(l), row = 0;
    for (size_t r = 0; r < kb_matrix_rows(m) && !rc; r++)
        for (size_t c = 0; c < kb_matrix_cols(m) && !rc; c++) {
            const size_t *qs;
            size_t n = kb_matrix_cell_quotes(m, r, c, &qs);
            if (n) { /* Excel rows count from 1, and row 1 is the header */
                char href[64];
                snprintf(href, sizeof href, "internal:Quotes!A%zu", row + 2);
                rc = kb_table_set_link(matrix, r, c + 1, href, err);
            }
            for (size_t i = 0; i < n && !rc; i++, row++)
                if (!(rc = kb_table_add_row(t, NULL, err)) &&
                    !(rc = kb_table_set_text_ref(t, row, 0,
                                                 kb_matrix_row_key(m, r), err)) &&
                    !(rc = kb_table_set_text_ref(t, row, 1,
                                                 kb_matrix_col_key(m, c), err)))
                    rc = quote_cells(t, row, 2, kb_quote_list_get(l, qs[i]), nf,
                                     max_words, err);
        }
    if (rc) {
        kb_table_free(t);
        return rc;
    }
    *out = t;
    return 0;
}

/* ------------------------------------------------------------------------ */
/* The matrix as JSON                                                        */
/* ------------------------------------------------------------------------ */

/* A key and a JSON string, ", " first unless `first`. */
static int member(FILE *f, int first, const char *key, const char *value,
                  kb_error *err)
{
    fprintf(f, "%s\"%s\": ", first ? "" : ", ", key);
    if (!value) {
        fputs("null", f);
        return 0;
    }
    return kb_json_quote(f, value, strlen(value), err);
}

/* Writes the matrix as one JSON object (docs/exports.md); with `quotes`
 * (the list as a table) each cell holds its quotes' rows. */
static int matrix_json(FILE *f, const kb_matrix *m, const kb_table *quotes,
                       const kb_export_options *o, kb_error *err)
{
    size_t R = kb_matrix_rows(m), C = kb_matrix_cols(m);
    fputc('{', f);
    if (member(f, 1, "rows", o->rows, err) ||
        member(f, 0, "cols", o->cols, err) ||
        member(f, 0, "count", COUNTS[o->count], err))
        return KB_EIO;
    fputs(",\n \"cells\": [", f);
    for (size_t r = 0; r < R; r++)
        for (size_t c = 0; c < C; c++) {
            fputs(r || c ? ",\n  {" : "\n  {", f);
            if (member(f, 1, "row", kb_matrix_row_key(m, r), err) ||
                member(f, 0, "col", kb_matrix_col_key(m, c), err))
                return KB_EIO;
            fprintf(f, ", \"count\": %zu", kb_matrix_cell(m, r, c));
            if (quotes) {
                const size_t *qs;
                size_t n = kb_matrix_cell_quotes(m, r, c, &qs);
                fputs(", \"quotes\": [", f);
                for (size_t i = 0; i < n; i++) {
                    fputs(i ? ",\n    " : "\n    ", f);
                    if (kb_table_write_json_row(f, quotes, qs[i], err))
                        return KB_EIO;
                }
                fputs(n ? "\n  ]" : "]", f);
            }
            fputc('}', f);
        }
    fputs(R && C ? "\n ],\n \"row_totals\": [" : "],\n \"row_totals\": [", f);
    for (size_t r = 0; r < R; r++) {
        fputs(r ? ",\n  {" : "\n  {", f);
        if (member(f, 1, "row", kb_matrix_row_key(m, r), err) ||
            member(f, 0, "label", kb_matrix_row_label(m, r), err))
            return KB_EIO;
        fprintf(f, ", \"count\": %zu}", kb_matrix_row_total(m, r));
    }
    fputs(R ? "\n ],\n \"col_totals\": [" : "],\n \"col_totals\": [", f);
    for (size_t c = 0; c < C; c++) {
        fputs(c ? ",\n  {" : "\n  {", f);
        if (member(f, 1, "col", kb_matrix_col_key(m, c), err) ||
            member(f, 0, "label", kb_matrix_col_label(m, c), err))
            return KB_EIO;
        fprintf(f, ", \"count\": %zu}", kb_matrix_col_total(m, c));
    }
    fprintf(f, "%s,\n \"total\": %zu}\n", C ? "\n ]" : "]", kb_matrix_total(m));
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Writing                                                                   */
/* ------------------------------------------------------------------------ */

/* Copies the file at `path` to `out`. */
static int copy_file(FILE *out, const char *path, kb_error *err)
{
    FILE *in = fopen(path, "rb");
    if (!in)
        return kb_fail_at(err, KB_EIO, path, 0, 0, "cannot read: %s",
                          strerror(errno));
    char buf[1 << 16];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, n, out) != n)
            break;
    int bad = ferror(in) || ferror(out);
    fclose(in);
    return bad ? kb_fail(err, KB_EIO, "writing the workbook failed") : 0;
}

/* Tables as one workbook, built in a temporary folder, copied to `out`. */
static int write_xlsx(FILE *out, const kb_table *const *tables, size_t n,
                      kb_error *err)
{
    const char *tmp = getenv("TMPDIR");
    char dir[512], path[600];
    snprintf(dir, sizeof dir, "%s/kodbok-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir))
        return kb_fail_at(err, KB_EIO, dir, 0, 0,
                          "cannot make a temporary folder: %s",
                          strerror(errno));
    snprintf(path, sizeof path, "%s/export.xlsx", dir);
    int rc = kb_table_write_xlsx(path, tables, n, err);
    if (!rc)
        rc = copy_file(out, path, err);
    unlink(path);
    rmdir(dir);
    return rc;
}

/* One table in a stream format, or as a one-sheet workbook. */
static int write_table(FILE *out, const kb_table *t, const kb_export_options *o,
                       kb_error *err)
{
    if (o->format == KB_EXPORT_XLSX)
        return write_xlsx(out, &t, 1, err);
    kb_table_options to = {o->bom, 0, o->delimiter};
    return kb_table_write(out, t, (kb_table_format)o->format, &to, err);
}

int kb_quotes_write(FILE *out, const kb_quote_list *quotes,
                    const kb_export_options *opts, kb_error *err)
{
    kb_export_options o;
    kb_table *t;
    int rc = kb_export_options_check(&o, opts, err);
    if (rc || (rc = quote_table(&t, quotes, o.max_words, err)))
        return rc;
    rc = write_table(out, t, &o, err);
    kb_table_free(t);
    return rc;
}

/* The matrix in a format other than JSON and HTML with quotes. */
static int matrix_tables(FILE *out, const kb_matrix *m, const kb_quote_list *l,
                         const kb_export_options *o, kb_error *err)
{
    kb_table *t = NULL, *q = NULL;
    int data = o->format == KB_EXPORT_CSV || o->format == KB_EXPORT_TSV;
    int rc = data ? data_table(&t, m, o->rows, err)
                  : kb_export_matrix_table(&t, m, l, kb_words_for(o->lang),
                                           o->rows, NULL, err);
    if (!rc && o->quotes) /* XLSX: a Quotes sheet */
        rc = cell_quote_table(&q, t, m, l, o->max_words, err);
    if (!rc && q) {
        const kb_table *both[2] = {t, q};
        rc = write_xlsx(out, both, 2, err);
    } else if (!rc) {
        rc = write_table(out, t, o, err);
    }
    kb_table_free(q);
    kb_table_free(t);
    return rc;
}

int kb_matrix_write(FILE *out, const kb_quote_list *quotes,
                    const kb_export_options *opts, kb_error *err)
{
    kb_export_options o;
    int rc = kb_export_options_check(&o, opts, err);
    if (rc)
        return rc;
    if (o.quotes && o.format != KB_EXPORT_HTML && o.format != KB_EXPORT_JSON &&
        o.format != KB_EXPORT_XLSX)
        return kb_fail(err, KB_EINVAL,
                       "a matrix carries its quotes in html, json and xlsx "
                       "only");
    kb_matrix *m;
    if ((rc = kb_matrix_build(&m, quotes, o.rows, o.cols, o.count, err)))
        return rc;
    if (o.format == KB_EXPORT_JSON) {
        kb_table *q = NULL;
        if (!o.quotes || !(rc = quote_table(&q, quotes, o.max_words, err)))
            rc = matrix_json(out, m, q, &o, err);
        kb_table_free(q);
        if (!rc && ferror(out))
            rc = kb_fail(err, KB_EIO, "writing the matrix failed");
    } else if (o.format == KB_EXPORT_HTML && o.quotes) {
        rc = kb_export_matrix_html(out, m, quotes, &o, err);
    } else {
        rc = matrix_tables(out, m, quotes, &o, err);
    }
    kb_matrix_free(m);
    return rc;
}
