/*
 * export.c: quotes and the matrix as tables in every format (kb_quotes_write,
 * kb_matrix_write). A quote list or a matrix becomes a kbi_table, which the
 * writers of table.c, table_html.c and table_xlsx.c put out; the matrix's
 * JSON, which nests quotes in cells, is written here, and the matrix with
 * its quotes in HTML by report.c. Quotes as a document for a manuscript
 * (DOCX, ODT) are the slides' deck of them (slides.c) written by
 * manuscript.c. docs/exports.md gives every shape.
 *
 * Invariants: a quote table borrows its strings from the quote list and the
 * matrix table from the matrix, so each table is freed before what it
 * borrows from; an XLSX workbook is built in a temporary folder that is
 * removed whatever happens.
 */
#include "export/export.h"
#include "export/heatmap.h"
#include "export/present.h"
#include "export/report.h"
#include "export/spool.h"
#include "export/table_write.h"
#include "export/table_xlsx.h"
#include "export/manuscript.h"
#include "export/slides.h"
#include "quotes/attributes.h"
#include "quotes/project_quotes.h"
#include "base/error.h"
#include "base/file.h"
#include "base/names.h"
#include "base/utf8.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

_Static_assert((int)KB_EXPORT_TEXT == (int)KBI_TABLE_TEXT &&
                   (int)KB_EXPORT_CSV == (int)KBI_TABLE_CSV &&
                   (int)KB_EXPORT_TSV == (int)KBI_TABLE_TSV &&
                   (int)KB_EXPORT_MD == (int)KBI_TABLE_MD &&
                   (int)KB_EXPORT_HTML == (int)KBI_TABLE_HTML &&
                   (int)KB_EXPORT_JSON == (int)KBI_TABLE_JSON &&
                   (int)KB_EXPORT_XLSX == (int)KBI_TABLE_XLSX,
               "export formats are table formats");

/* ------------------------------------------------------------------------ */
/* The quote table                                                           */
/* ------------------------------------------------------------------------ */

/* The kinds of quote column; an attribute and a facet column say which. */
typedef enum qkind {
    Q_DOCUMENT,
    Q_CASE,
    Q_ATTR,
    Q_SPEAKER,
    Q_ROLE,
    Q_TIME,
    Q_START,
    Q_END,
    Q_DIMENSION,
    Q_DIMENSION_LABEL,
    Q_THEME,
    Q_THEME_LABEL,
    Q_CONCEPT,
    Q_CONCEPT_LABEL,
    Q_FACET,
    Q_SOURCE,
    Q_CODER,
    Q_TAGGED_BY,
    Q_ACCEPTED_BY,
    Q_MEMO,
    Q_TEXT,
    Q_FEATURED_BY,
    NQKINDS
} qkind;

/* Each kind's id (the header in csv, tsv and json, and the name in
 * --columns) and its header for people, in Swedish and English. An
 * attribute's id is "attr:NAME" and a facet's its id; their headers are the
 * attribute's name and the facet's label. */
static const struct {
    const char *id, *sv, *en;
} QKINDS[NQKINDS] = {
    [Q_DOCUMENT] = {"document", "Dokument", "Document"},
    [Q_CASE] = {"case", "Fall", "Case"},
    [Q_SPEAKER] = {"speaker", "Talare", "Speaker"},
    [Q_ROLE] = {"role", "Roll", "Role"},
    [Q_TIME] = {"time", "Tid", "Time"},
    [Q_START] = {"start", "Start", "Start"},
    [Q_END] = {"end", "Slut", "End"},
    [Q_DIMENSION] = {"dimension", "Dimension (id)", "Dimension (id)"},
    [Q_DIMENSION_LABEL] = {"dimension_label", "Aggregerad dimension",
                           "Aggregate dimension"},
    [Q_THEME] = {"theme", "Tema (id)", "Theme (id)"},
    [Q_THEME_LABEL] = {"theme_label", "Tema", "Theme"},
    [Q_CONCEPT] = {"concept", "Begrepp (id)", "Concept (id)"},
    [Q_CONCEPT_LABEL] = {"concept_label", "Begrepp", "Concept"},
    [Q_SOURCE] = {"source", "Källa", "Source"},
    [Q_CODER] = {"coder", "Kodare", "Coder"},
    [Q_TAGGED_BY] = {"tagged_by", "Taggat av", "Tagged by"},
    [Q_ACCEPTED_BY] = {"accepted_by", "Accepterat av", "Accepted by"},
    [Q_MEMO] = {"memo", "Memo", "Memo"},
    [Q_TEXT] = {"text", "Citat", "Quote"},
    [Q_FEATURED_BY] = {"featured_by", "Utvalt av", "Featured by"},
};

/* The columns the text format shows unless told: those every format had
 * before the others were added (facets and attributes: see below). */
static const int TEXT_DEFAULT[NQKINDS] = {
    [Q_DOCUMENT] = 1, [Q_CASE] = 1,      [Q_SPEAKER] = 1, [Q_START] = 1,
    [Q_END] = 1,      [Q_DIMENSION] = 1, [Q_THEME] = 1,   [Q_CONCEPT] = 1,
    [Q_FACET] = 1,    [Q_SOURCE] = 1,    [Q_CODER] = 1,   [Q_TEXT] = 1};

/* A column of the quote table being written. */
typedef struct qcolumn {
    qkind kind;
    const char *name; /* Q_ATTR: the attribute's name */
    size_t facet;     /* Q_FACET: its index among the list's facets */
} qcolumn;

/* The quote columns chosen, and the attribute values of the last case. */
typedef struct qcolumns {
    qcolumn *v;
    size_t n;
    char time[32];       /* Q_TIME's text for the row being filled */
    int64_t time_ms;     /* the time of the row before, in */
    size_t time_row;     /* this row of the table + 1; 0: none, or the
                            table was emptied since */
    const char *case_id; /* whose values `values` holds */
    const char **values; /* per column: Q_ATTR's value for case_id */
} qcolumns;

static void qcolumns_free(qcolumns *c)
{
    free(c->v);
    free(c->values);
    memset(c, 0, sizeof *c);
}

static int qcolumn_add(qcolumns *c, qkind kind, const char *name, size_t facet,
                       kb_error *err)
{
    qcolumn *v = realloc(c->v, (c->n + 1) * sizeof *v);
    if (!v)
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    c->v = v;
    c->v[c->n++] = (qcolumn){kind, name, facet};
    return 0;
}

/* Every column in the default order, or only the text format's. */
static int qcolumns_default(qcolumns *c, const kb_quote_list *l, int text,
                            kb_error *err)
{
    int rc = 0;
    for (int k = 0; k < NQKINDS && !rc; k++) {
        if (text && !TEXT_DEFAULT[k])
            continue;
        if (k == Q_ATTR)
            for (size_t i = 0; i < kb_quote_list_attributes(l) && !rc; i++)
                rc = qcolumn_add(c, Q_ATTR, kb_quote_list_attribute(l, i), 0,
                                 err);
        else if (k == Q_FACET)
            for (size_t i = 0; i < kb_quote_list_facets(l) && !rc; i++)
                rc = qcolumn_add(c, Q_FACET, NULL, i, err);
        else
            rc = qcolumn_add(c, (qkind)k, NULL, 0, err);
    }
    return rc;
}

/* The nearest column id to `name`, for "did you mean", or NULL. */
static const char *nearest_column(const kb_quote_list *l, const char *name)
{
    const char *best = NULL;
    size_t bestd = 4; /* at most three edits away */
    for (int k = 0; k < NQKINDS; k++) {
        size_t d = QKINDS[k].id ? kbi_edit_distance(name, QKINDS[k].id) : 99;
        if (d < bestd)
            best = QKINDS[k].id, bestd = d;
    }
    for (size_t i = 0; i < kb_quote_list_facets(l); i++) {
        size_t d = kbi_edit_distance(name, kb_quote_list_facet(l, i));
        if (d < bestd)
            best = kb_quote_list_facet(l, i), bestd = d;
    }
    return best;
}

/* The columns named in `list` (comma-separated ids), in its order. */
static int qcolumns_parse(qcolumns *c, const kb_quote_list *l, const char *list,
                          kb_error *err)
{
    int rc = 0;
    for (const char *p = list; !rc && p;) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        char name[128];
        snprintf(name, sizeof name, "%.*s", (int)(n < 127 ? n : 127), p);
        p = comma ? comma + 1 : NULL;
        int found = 0;
        for (int k = 0; k < NQKINDS && !found && !rc; k++)
            if (QKINDS[k].id && !strcmp(name, QKINDS[k].id)) {
                found = 1;
                rc = qcolumn_add(c, (qkind)k, NULL, 0, err);
            }
        for (size_t i = 0; i < kb_quote_list_facets(l) && !found && !rc; i++)
            if (!strcmp(name, kb_quote_list_facet(l, i))) {
                found = 1;
                rc = qcolumn_add(c, Q_FACET, NULL, i, err);
            }
        for (size_t i = 0; !strncmp(name, "attr:", 5) && !found && !rc &&
                           i < kb_quote_list_attributes(l);
             i++)
            if (!strcmp(name + 5, kb_quote_list_attribute(l, i))) {
                found = 1;
                rc = qcolumn_add(c, Q_ATTR, kb_quote_list_attribute(l, i), 0,
                                 err);
            }
        if (found || rc)
            continue;
        if (!*name)
            return kbi_fail(err, KB_EINVAL, "an empty name in the columns '%s'",
                            list);
        const char *near = nearest_column(l, name);
        if (!strncmp(name, "attr:", 5))
            return kbi_attributes_check(l, name + 5, err);
        if (near)
            return kbi_fail(err, KB_EINVAL,
                            "unknown quote column '%s' (did you mean '%s'?)",
                            name, near);
        return kbi_fail(err, KB_EINVAL,
                        "unknown quote column '%s' (see the list in "
                        "docs/exports.md)",
                        name);
    }
    return rc;
}

/* Chooses the columns (`list`, or the format's defaults) and adds them
 * (after any of the caller's): ids for data, words of `w` for people. */
static int quote_columns(kbi_table *t, qcolumns *c, const kb_quote_list *l,
                         const char *list, kbi_table_format format,
                         const kbi_words *w, kb_error *err)
{
    int rc = list ? qcolumns_parse(c, l, list, err)
                  : qcolumns_default(c, l, format == KBI_TABLE_TEXT, err);
    if (!rc && !(c->values = calloc(c->n + 1, sizeof *c->values)))
        rc = kbi_fail(err, KB_ENOMEM, "out of memory");
    int data = format == KBI_TABLE_CSV || format == KBI_TABLE_TSV ||
               format == KBI_TABLE_JSON;
    int en = !strcmp(w->lang, "en");
    for (size_t i = 0; i < c->n && !rc; i++) {
        const qcolumn *q = &c->v[i];
        char id[160];
        const char *head = data ? QKINDS[q->kind].id
                           : en ? QKINDS[q->kind].en
                                : QKINDS[q->kind].sv;
        if (q->kind == Q_ATTR) {
            snprintf(id, sizeof id, "attr:%s", q->name);
            head = data ? id : q->name;
        } else if (q->kind == Q_FACET) {
            const char *f = kb_quote_list_facet(l, q->facet);
            head = data ? f : kbi_axis_name(w, l, f);
        }
        int num = q->kind == Q_START || q->kind == Q_END;
        rc = kbi_table_add_column(
            t, head, num ? KBI_COLUMN_INT : KBI_COLUMN_TEXT,
            q->kind == Q_TEXT ? 80 : 0, q->kind == Q_TEXT, err);
    }
    return rc;
}

/* The text of quote column `col` of q (borrowed from the list, or c's). */
static const char *quote_value(qcolumns *c, size_t col, const kb_quote_list *l,
                               const kb_quote_row *q)
{
    const qcolumn *k = &c->v[col];
    switch (k->kind) {
    case Q_DOCUMENT:
        return q->document;
    case Q_CASE:
        return q->case_id;
    case Q_ATTR:
        if (q->case_id != c->case_id) { /* the list keeps each id once */
            c->case_id = q->case_id;
            for (size_t i = 0; i < c->n; i++)
                c->values[i] = c->v[i].kind == Q_ATTR
                                   ? kb_quote_attribute(l, q, c->v[i].name)
                                   : NULL;
        }
        return c->values[col];
    case Q_SPEAKER:
        return q->speaker;
    case Q_ROLE:
        return q->role ? kb_role_name(q->role) : NULL;
    case Q_TIME:
        return q->time_ms == KB_NO_TIME ? NULL
                                        : kb_time_text(c->time, q->time_ms);
    case Q_DIMENSION:
        return q->dimension;
    case Q_DIMENSION_LABEL:
        return q->dimension_label;
    case Q_THEME:
        return q->theme;
    case Q_THEME_LABEL:
        return q->theme_label;
    case Q_CONCEPT:
        return q->concept;
    case Q_CONCEPT_LABEL:
        return q->concept_label;
    case Q_FACET:
        return q->facets ? q->facets[k->facet] : NULL;
    case Q_SOURCE:
        return q->source;
    case Q_CODER:
        return q->coder;
    case Q_TAGGED_BY:
        return q->tagged_by;
    case Q_ACCEPTED_BY:
        return q->accepted_by;
    case Q_MEMO:
        return q->memo;
    case Q_FEATURED_BY:
        return q->featured_by;
    default:
        return NULL;
    }
}

/* Fills the quote columns of `row` from column `c` on. */
static int quote_cells(kbi_table *t, size_t row, size_t c, qcolumns *cols,
                       const kb_quote_list *l, const kb_quote_row *q,
                       size_t max_words, kb_error *err)
{
    int rc = 0;
    for (size_t i = 0; i < cols->n && !rc; i++, c++) {
        qkind kind = cols->v[i].kind;
        if (kind == Q_START || kind == Q_END) {
            rc = kbi_table_set_int(
                t, row, c, (int64_t)(kind == Q_START ? q->start : q->end), err);
        } else if (kind == Q_TIME && q->time_ms != KB_NO_TIME &&
                   cols->time_row && cols->time_row == row &&
                   cols->time_ms == q->time_ms) {
            /* the time of the row above (quotes of a turn share it) */
            const kbi_cell *above = kbi_table_cell(t, row - 1, c);
            rc = kbi_table_set_text_ref(t, row, c, above->text, err);
            cols->time_row = row + 1;
        } else if (kind == Q_TIME) {
            const char *v = quote_value(cols, i, l, q);
            rc = v ? kbi_table_set_text(t, row, c, v, err) : 0;
            cols->time_ms = q->time_ms;
            cols->time_row = v ? row + 1 : 0;
        } else if (kind != Q_TEXT) {
            rc = kbi_table_set_text_ref(t, row, c, quote_value(cols, i, l, q),
                                        err);
        } else {
            char *own;
            const char *text = kbi_export_quote_text(q, max_words, &own);
            if (!text)
                return kbi_fail(err, KB_ENOMEM, "out of memory");
            rc = own ? kbi_table_set_text(t, row, c, text, err)
                     : kbi_table_set_text_stored(t, row, c, text, strlen(text),
                                                 err);
            free(own);
        }
    }
    return rc;
}

/* Rows a quote table holds at a time: a large table is written a block
 * at a time, into the same memory. */
#define BLOCK 4096

/* Quotes beyond a sheet's rows go on to "Quotes 2", "Quotes 3", ...: each
 * holds SHEET_ROWS, and a block that reaches a sheet's last row ends there
 * (blocks_add), so no block is split. */
#define SHEET_ROWS (KBI_SHEET_ROWS / BLOCK * BLOCK)

/* A quote table being filled a block at a time; each full block goes to
 * `put`, then the table is emptied for the next. */
typedef struct blocks {
    kbi_table *t;
    qcolumns cols; /* the quote columns, after the lead */
    size_t text;   /* the text's column in t, or (size_t)-1 */
    const kb_quote_list *l;
    kb_quote_pages *pages;  /* the quotes a document at a time, or NULL */
    size_t done;            /* rows sent to `put` */
    size_t max_words, lead; /* lead: the row and col columns, or none */
    int (*put)(void *ctx, const kbi_table *t, kb_error *err);
    void *ctx;
} blocks;

/* A quote table named `name` with the row and col columns first when
 * `lead`, the quote columns of o (o->columns, or the format's) after. */
static int blocks_init(blocks *b, const char *name, const kb_quote_list *l,
                       const kb_export_options *o, int lead, kb_error *err)
{
    memset(b, 0, sizeof *b);
    b->l = l;
    b->max_words = o->max_words;
    b->lead = lead ? 2 : 0;
    b->text = (size_t)-1;
    int rc = kbi_table_new(&b->t, name, err);
    if (!rc && lead)
        rc = kbi_table_add_column(b->t, "row", KBI_COLUMN_TEXT, 0, 0, err);
    if (!rc && lead)
        rc = kbi_table_add_column(b->t, "col", KBI_COLUMN_TEXT, 0, 0, err);
    if (!rc)
        rc = quote_columns(b->t, &b->cols, l, o->columns,
                           (kbi_table_format)o->format, kbi_words_for(o->lang),
                           err);
    for (size_t i = 0; !rc && i < b->cols.n; i++)
        if (b->cols.v[i].kind == Q_TEXT)
            b->text = b->lead + i;
    return rc;
}

static void blocks_free(blocks *b)
{
    kbi_table_free(b->t);
    qcolumns_free(&b->cols);
    b->t = NULL;
}

/* Sends the rows filled so far to `put` and empties the table. */
static int blocks_flush(blocks *b, kb_error *err)
{
    b->done += kbi_table_rows(b->t);
    b->cols.time_row = 0;
    int rc = b->put(b->ctx, b->t, err);
    kbi_table_clear(b->t);
    return rc;
}

/* Adds a row for quote i (with the cell's keys when the table has them). */
static int blocks_add(blocks *b, size_t i, const char *row, const char *col,
                      kb_error *err)
{
    int rc = 0;
    size_t r, rows = kbi_table_rows(b->t);
    if ((rows == BLOCK || (rows && (b->done + rows) % SHEET_ROWS == 0)) &&
        (rc = blocks_flush(b, err)))
        return rc;
    if ((rc = kbi_table_add_row(b->t, &r, err)))
        return rc;
    if (b->lead && ((rc = kbi_table_set_text_ref(b->t, r, 0, row, err)) ||
                    (rc = kbi_table_set_text_ref(b->t, r, 1, col, err))))
        return rc;
    return quote_cells(b->t, r, b->lead, &b->cols, b->l,
                       kb_quote_list_get(b->l, i), b->max_words, err);
}

/* Every quote in list order through `put`, the last block included: the
 * list's, or the pages' a document at a time, each page's rows sent before
 * the next page is read (the table borrows their texts). */
static int blocks_all(blocks *b,
                      int (*put)(void *, const kbi_table *, kb_error *),
                      void *ctx, kb_error *err)
{
    b->put = put;
    b->ctx = ctx;
    b->done = 0;
    int rc = 0;
    const kb_quote_list *page = b->l;
    if (b->pages) { /* the next page read while this one is written */
        kb_quote_pages_rewind(b->pages);
        if (!(rc = kbi_quote_pages_ahead(b->pages, 1, err)))
            rc = kb_quote_pages_next(b->pages, &page, err);
    }
    while (!rc && page) {
        b->l = page;
        for (size_t i = 0; i < kb_quote_list_count(page) && !rc; i++)
            rc = blocks_add(b, i, NULL, NULL, err);
        if (rc || !b->pages)
            break;
        if (!(rc = blocks_flush(b, err)))
            rc = kb_quote_pages_next(b->pages, &page, err);
    }
    if (b->pages) {
        int off = kbi_quote_pages_ahead(b->pages, 0, err);
        rc = rc ? rc : off;
        b->l = kb_quote_pages_list(b->pages);
    }
    return rc ? rc : blocks_flush(b, err);
}

/* Puts for blocks: into a table writer, a workbook's sheet (the first
 * block starts it), the text format's widths. */
static int put_writer(void *ctx, const kbi_table *t, kb_error *err)
{
    return kbi_table_writer_rows(ctx, t, err);
}

/* The sheet and row (counting from 1, under the header) of quote row i. */
static void sheet_of(size_t i, char name[32], size_t *row)
{
    size_t k = i / SHEET_ROWS;
    if (k)
        snprintf(name, 32, "Quotes %zu", k + 1);
    else
        snprintf(name, 32, "Quotes");
    *row = i % SHEET_ROWS + 2;
}

typedef struct sheet {
    kbi_workbook *b;
    size_t rows; /* written so far */
} sheet;

static int put_sheet(void *ctx, const kbi_table *t, kb_error *err)
{
    sheet *s = ctx;
    size_t n = kbi_table_rows(t), row;
    char name[32];
    sheet_of(s->rows, name, &row);
    /* a new sheet: the first one, or the next one when more rows come */
    int fresh = row == 2 && (!s->rows || n);
    s->rows += n;
    return fresh ? kbi_workbook_sheet(s->b, t, name, err)
                 : kbi_workbook_rows(s->b, t, err);
}

/* The text format's first pass: each block's widths measured and its rows
 * kept in a spool, a section each, so that the rows are written from there
 * once the widths are known and the quotes are read once. */
typedef struct kept {
    int *widths;
    kbi_spool *spool;
    size_t blocks;
    char *buf; /* a block packed */
    size_t cap;
} kept;

static int put_kept(void *ctx, const kbi_table *t, kb_error *err)
{
    kept *k = ctx;
    size_t n = 0;
    if (kbi_table_text_widths(t, k->widths))
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    int rc = kbi_table_pack(t, &k->buf, &n, &k->cap, err);
    return rc ? rc : kbi_spool_put(k->spool, k->blocks++, k->buf, n, err);
}

/* The second pass: a kept block (put once, so read back whole) into the
 * table and on to the writer. */
typedef struct replay {
    kbi_table *t;
    kbi_table_writer *w;
    kb_error *err;
} replay;

static int take_kept(void *ctx, const char *p, size_t n)
{
    replay *r = ctx;
    kbi_table_clear(r->t);
    int rc = kbi_table_unpack(r->t, p, n, r->err);
    return rc ? rc : kbi_table_writer_rows(r->w, r->t, r->err);
}

/* ------------------------------------------------------------------------ */
/* The matrix as tables                                                      */
/* ------------------------------------------------------------------------ */

/* The matrix as data (csv, tsv): keys, a label column, "total". */
static int data_table(kbi_table **out, const kb_matrix *m, const char *row_axis,
                      int jaccard, kb_error *err)
{
    size_t R = kb_matrix_rows(m), C = kb_matrix_cols(m);
    kbi_table *t;
    int rc = kbi_table_new(&t, "Matrix", err);
    if (!rc)
        rc = kbi_table_add_column(t, row_axis, KBI_COLUMN_TEXT, 0, 0, err);
    if (!rc)
        rc = kbi_table_add_column(t, "label", KBI_COLUMN_TEXT, 0, 0, err);
    for (size_t c = 0; c < C && !rc; c++)
        rc = kbi_table_add_column(t, kb_matrix_col_key(m, c),
                                  kbi_export_cell_kind(m, jaccard), 0, 0, err);
    if (!rc)
        rc = kbi_table_add_column(t, "total", KBI_COLUMN_INT, 0, 0, err);
    for (size_t r = 0; r <= R && !rc; r++) {
        int total = r == R;
        if ((rc = kbi_table_add_row(t, NULL, err)) ||
            (rc = kbi_table_set_text_ref(
                 t, r, 0, total ? NULL : kb_matrix_row_key(m, r), err)) ||
            (rc = kbi_table_set_text_ref(
                 t, r, 1, total ? "total" : kb_matrix_row_label(m, r), err)))
            break;
        for (size_t c = 0; c < C && !rc; c++)
            rc = kbi_export_matrix_value(t, r, c + 2, m, r, c, jaccard, err);
        if (!rc)
            rc = kbi_table_set_int(t, r, C + 2,
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

/* Links the matrix table's non-empty cells to the first row of their
 * quotes in the Quotes sheet, where the cells follow one another. */
static int link_cells(kbi_table *t, const kb_matrix *m, kb_error *err)
{
    size_t i = 0; /* the quote row the cell starts at */
    int rc = 0;
    for (size_t r = 0; r < kb_matrix_rows(m) && !rc; r++)
        for (size_t c = 0; c < kb_matrix_cols(m) && !rc; c++) {
            const size_t *qs;
            size_t n = kb_matrix_cell_quotes(m, r, c, &qs), row;
            char name[32], href[64];
            sheet_of(i, name, &row);
            snprintf(href, sizeof href,
                     i < SHEET_ROWS ? "internal:%s!A%zu" : "internal:'%s'!A%zu",
                     name, row);
            if (n)
                rc = kbi_table_set_link(t, r, c + 1, href, err);
            i += n;
        }
    return rc;
}

/* The quotes of every non-empty cell, cell after cell, each row with its
 * cell's row and col keys first. */
static int cell_blocks(blocks *b, const kb_matrix *m, kb_error *err)
{
    int rc = 0;
    for (size_t r = 0; r < kb_matrix_rows(m) && !rc; r++)
        for (size_t c = 0; c < kb_matrix_cols(m) && !rc; c++) {
            const size_t *qs;
            size_t n = kb_matrix_cell_quotes(m, r, c, &qs);
            for (size_t i = 0; i < n && !rc; i++)
                rc = blocks_add(b, qs[i], kb_matrix_row_key(m, r),
                                kb_matrix_col_key(m, c), err);
        }
    return rc ? rc : blocks_flush(b, err);
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

/* The quotes of a cell in JSON, a block at a time. */
typedef struct json_quotes {
    FILE *f;
    size_t written;
} json_quotes;

static int put_json(void *ctx, const kbi_table *t, kb_error *err)
{
    json_quotes *j = ctx;
    int rc = kbi_table_write_json_rows(
        j->f, t, j->written ? ",\n    " : "\n    ", ",\n    ", err);
    j->written += kbi_table_rows(t);
    return rc;
}

/* Writes the matrix as one JSON object (docs/exports.md); with `quotes`
 * (a quote table to fill, put through put_json) each cell holds its
 * quotes. */
static int matrix_json(FILE *f, const kb_matrix *m, blocks *quotes,
                       const kb_export_options *o, kb_error *err)
{
    size_t R = kb_matrix_rows(m), C = kb_matrix_cols(m);
    int pairs = kb_matrix_cooccurrence(m);
    fputc('{', f);
    if (member(f, 1, "rows", o->rows, err) ||
        member(f, 0, "cols", o->cols, err) ||
        member(f, 0, "count",
               pairs && o->count == KB_COUNT_QUOTES
                   ? "units"
                   : kbi_count_kind_name(o->count),
               err) ||
        (pairs && member(f, 0, "unit", kbi_matrix_unit_name(o->unit), err)))
        return KB_EIO;
    fputs(",\n \"cells\": [", f);
    for (size_t r = 0; r < R; r++)
        for (size_t c = 0; c < C; c++) {
            fputs(r || c ? ",\n  {" : "\n  {", f);
            if (member(f, 1, "row", kb_matrix_row_key(m, r), err) ||
                member(f, 0, "col", kb_matrix_col_key(m, c), err))
                return KB_EIO;
            fprintf(f, ", \"count\": %zu", kb_matrix_cell(m, r, c));
            char num[48];
            if (pairs)
                fprintf(
                    f, ", \"jaccard\": %s",
                    kbi_table_number_text(kb_matrix_jaccard(m, r, c), 6, num));
            if (quotes) {
                const size_t *qs;
                size_t n = kb_matrix_cell_quotes(m, r, c, &qs);
                ((json_quotes *)quotes->ctx)->written = 0; /* put_json */
                fputs(", \"quotes\": [", f);
                int rc = 0;
                for (size_t i = 0; i < n && !rc; i++)
                    rc = blocks_add(quotes, qs[i], NULL, NULL, err);
                if (rc || (rc = blocks_flush(quotes, err)))
                    return rc;
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
        return kbi_fail_at(err, KB_EIO, path, 0, 0, "cannot read: %s",
                           strerror(errno));
    char buf[1 << 16];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, n, out) != n)
            break;
    int bad = ferror(in) || ferror(out);
    fclose(in);
    return bad ? kbi_fail(err, KB_EIO, "writing the workbook failed") : 0;
}

/* A workbook built in a temporary folder, then copied to a stream. */
typedef struct xlsx {
    char dir[512], path[600];
    int slot[2]; /* dir's and path's in the registry of temporary files */
    kbi_workbook *b;
} xlsx;

/* Removes the workbook's folder and what it holds. */
static void xlsx_remove(xlsx *x)
{
    kbi_temp_dir_remove(x->dir);
    kbi_temp_drop(x->slot[0]);
    kbi_temp_drop(x->slot[1]);
}

static int xlsx_open(xlsx *x, kb_error *err)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(x->dir, sizeof x->dir, "%s/kodbok-XXXXXX",
             tmp && *tmp ? tmp : "/tmp");
    x->b = NULL;
    /* noted before it is made, as for every temporary file */
    x->slot[0] = kbi_temp_add(x->dir);
    x->slot[1] = -1;
    if (!mkdtemp(x->dir)) {
        int e = errno;
        kbi_temp_drop(x->slot[0]);
        return kbi_fail_at(err, KB_EIO, x->dir, 0, 0,
                           "cannot make a temporary folder: %s", strerror(e));
    }
    snprintf(x->path, sizeof x->path, "%s/export.xlsx", x->dir);
    x->slot[1] = kbi_temp_add(x->path);
    int rc = kbi_workbook_open(&x->b, x->path, err);
    if (rc)
        xlsx_remove(x);
    return rc;
}

/* Writes the workbook to `out` when rc is 0, and removes the folder. */
static int xlsx_close(xlsx *x, FILE *out, int rc, kb_error *err)
{
    if (rc)
        kbi_workbook_free(x->b);
    else if (!(rc = kbi_workbook_close(x->b, err)))
        rc = copy_file(out, x->path, err);
    xlsx_remove(x);
    return rc;
}

int kbi_export_table_write(FILE *out, const kbi_table *t,
                           const kb_export_options *o, kb_error *err)
{
    if (o->format != KB_EXPORT_XLSX) {
        size_t formulas = 0;
        kbi_table_options to = {o->bom, 0, o->delimiter, o->safe_csv,
                                &formulas};
        int rc = kbi_table_write(out, t, (kbi_table_format)o->format, &to, err);
        if (!rc && !o->safe_csv)
            kbi_table_formulas_notice(formulas, o->notice, o->ctx);
        return rc;
    }
    xlsx x = {0};
    int rc = xlsx_open(&x, err);
    return rc ? rc
              : xlsx_close(&x, out, kbi_workbook_sheet(x.b, t, NULL, err), err);
}

/* The quotes of the list as a workbook with one sheet. */
static int quotes_xlsx(FILE *out, blocks *b, kb_error *err)
{
    xlsx x = {0};
    int rc = xlsx_open(&x, err);
    if (rc)
        return rc;
    sheet s = {x.b, 0};
    return xlsx_close(&x, out, blocks_all(b, put_sheet, &s, err), err);
}

/* The quotes of the list in a stream format; text measured first, its rows
 * kept meanwhile (put_kept). */
static int quotes_stream(FILE *out, blocks *b, const kb_export_options *o,
                         kb_error *err)
{
    kept k = {0};
    int rc = 0;
    if (o->format == KB_EXPORT_TEXT) {
        if (!(k.widths = calloc(kbi_table_columns(b->t) + 1, sizeof *k.widths)))
            rc = kbi_fail(err, KB_ENOMEM, "out of memory");
        else if (!(rc = kbi_spool_new(&k.spool, KBI_SPOOL_BUDGET, err)))
            rc = blocks_all(b, put_kept, &k, err);
        free(k.buf);
    }
    size_t formulas = 0;
    kbi_table_options to = {o->bom, 0, o->delimiter, o->safe_csv, &formulas};
    kbi_table_writer *w = NULL;
    if (!rc)
        rc = kbi_table_writer_open(&w, out, b->t, (kbi_table_format)o->format,
                                   &to, k.widths, err);
    replay r = {b->t, w, err};
    for (size_t i = 0; !rc && k.spool && i < k.blocks; i++)
        rc = kbi_spool_read(k.spool, i, take_kept, &r, err);
    if (!rc && !k.spool)
        rc = blocks_all(b, put_writer, w, err);
    if (rc)
        kbi_table_writer_free(w);
    else
        rc = kbi_table_writer_close(w, err);
    free(k.widths);
    kbi_spool_free(k.spool);
    if (!rc && !o->safe_csv)
        kbi_table_formulas_notice(formulas, o->notice, o->ctx);
    return rc;
}

/* The quotes as a document for a manuscript: grouped as the slides are
 * (per theme and level, or per theme without a level facet), each quote
 * with its speaker, time and memo. */
static int quotes_document(FILE *out, const kb_quote_list *l,
                           const kb_export_options *o, kb_error *err)
{
    if (o->columns)
        return kbi_fail_arg(err, KB_EINVAL, "columns",
                            "a document has no columns to choose");
    kb_slides_options so = KB_SLIDES_OPTIONS_INIT;
    so.max_words = o->max_words;
    so.per = KB_SLIDES_THEME;
    for (size_t i = 0; i < kb_quote_list_facets(l); i++)
        if (!strcmp(kb_quote_list_facet(l, i), "level"))
            so.per = KB_SLIDES_THEME_LEVEL;
    kbi_deck *d;
    int rc = kbi_slides_deck_of(&d, l, &so, NULL, 1,
                                o->title ? o->title : "Citat", NULL, err);
    if (rc)
        return rc;
    rc = o->format == KB_EXPORT_DOCX ? kbi_deck_write_docx(d, out, err)
                                     : kbi_deck_write_odt(d, out, err);
    kbi_deck_free(d);
    return rc;
}

/* kb_quotes_write of the list `quotes`, or of `pages` a document at a
 * time (a document for a manuscript, grouped across documents, reads their
 * whole list). */
static int quotes_write(FILE *out, const kb_quote_list *quotes,
                        kb_quote_pages *pages, const kb_export_options *opts,
                        kb_error *err)
{
    kb_export_options o;
    blocks b = {0};
    if (pages)
        quotes = kb_quote_pages_list(pages);
    int rc = kbi_export_options_check(&o, opts, err);
    if (!rc && o.format == KB_EXPORT_SVG)
        rc = kbi_fail_arg(err, KB_EINVAL, "format",
                          "svg is a format of the matrix, not of quotes");
    if (!rc && kbi_quote_list_counts_only(quotes))
        rc = kbi_fail(err, KB_EINVAL, "a list read for counting has no texts");
    if (!rc && (o.format == KB_EXPORT_DOCX || o.format == KB_EXPORT_ODT)) {
        kb_quote_list *whole = NULL;
        if (pages && (rc = kbi_quote_pages_whole(&whole, pages, err)))
            return rc;
        rc = quotes_document(out, whole ? whole : quotes, &o, err);
        kb_quote_list_free(whole);
        return rc;
    }
    if (!rc)
        rc = blocks_init(&b, "Quotes", quotes, &o, 0, err);
    b.pages = pages;
    if (!rc)
        rc = o.format == KB_EXPORT_XLSX ? quotes_xlsx(out, &b, err)
                                        : quotes_stream(out, &b, &o, err);
    blocks_free(&b);
    return rc;
}

int kb_quotes_write(FILE *out, const kb_quote_list *quotes,
                    const kb_export_options *opts, kb_error *err)
{
    return quotes_write(out, quotes, NULL, opts, err);
}

int kb_quotes_write_pages(FILE *out, kb_quote_pages *pages,
                          const kb_export_options *opts, kb_error *err)
{
    return quotes_write(out, NULL, pages, opts, err);
}

/* The matrix in a format other than JSON and HTML with quotes: a table,
 * and in XLSX with quotes a Quotes sheet its cells link to. */
static int matrix_tables(FILE *out, const kb_matrix *m, const kb_quote_list *l,
                         const kb_export_options *o, kb_error *err)
{
    kbi_table *t = NULL;
    int data = o->format == KB_EXPORT_CSV || o->format == KB_EXPORT_TSV;
    int rc = data ? data_table(&t, m, o->rows, o->jaccard, err)
                  : kbi_export_matrix_table(&t, m, l, kbi_words_for(o->lang),
                                            o->rows, NULL, o->jaccard, err);
    if (!rc && !o->quotes)
        rc = kbi_export_table_write(out, t, o, err);
    else if (!rc) { /* XLSX: a Matrix sheet and a Quotes sheet */
        xlsx x = {0};
        blocks b = {0};
        if (!(rc = link_cells(t, m, err)) && !(rc = xlsx_open(&x, err))) {
            sheet s = {x.b, 0};
            if (!(rc = kbi_workbook_sheet(x.b, t, NULL, err)) &&
                !(rc = blocks_init(&b, "Quotes", l, o, 1, err))) {
                b.put = put_sheet;
                b.ctx = &s;
                rc = cell_blocks(&b, m, err);
            }
            rc = xlsx_close(&x, out, rc, err);
        }
        blocks_free(&b);
    }
    kbi_table_free(t);
    return rc;
}

int kb_matrix_write(FILE *out, const kb_quote_list *quotes,
                    const kb_export_options *opts, kb_error *err)
{
    kb_export_options o;
    int rc = kbi_export_options_check(&o, opts, err);
    if (rc)
        return rc;
    if (o.quotes && o.format != KB_EXPORT_HTML && o.format != KB_EXPORT_JSON &&
        o.format != KB_EXPORT_XLSX)
        return kbi_fail(err, KB_EINVAL,
                        "a matrix carries its quotes in html, json and xlsx "
                        "only");
    if (o.quotes && kbi_quote_list_counts_only(quotes))
        return kbi_fail(err, KB_EINVAL,
                        "a list read for counting has no quotes to show");
    if (o.format == KB_EXPORT_DOCX || o.format == KB_EXPORT_ODT)
        return kbi_fail_arg(err, KB_EINVAL, "format",
                            "a matrix is a table: docx and odt are for "
                            "quotes");
    kb_matrix *m;
    if ((rc = kb_matrix_build_units(&m, quotes, o.rows, o.cols, o.count, o.unit,
                                    err)))
        return rc;
    if (o.jaccard && !kb_matrix_cooccurrence(m))
        rc = kbi_fail_arg(err, KB_EINVAL, "jaccard",
                          "`jaccard`: the Jaccard index is of a matrix of two "
                          "code axes (dimension, theme, concept)");
    else if (o.format == KB_EXPORT_SVG)
        rc = kbi_heatmap_write(out, m, quotes, &o, err);
    else if (o.format == KB_EXPORT_JSON) {
        blocks b = {0};
        json_quotes j = {out, 0};
        if (!o.quotes ||
            !(rc = blocks_init(&b, "Quotes", quotes, &o, 0, err))) {
            b.put = put_json;
            b.ctx = &j;
            rc = matrix_json(out, m, o.quotes ? &b : NULL, &o, err);
        }
        blocks_free(&b);
        if (!rc && ferror(out))
            rc = kbi_fail(err, KB_EIO, "writing the matrix failed");
    } else if (o.format == KB_EXPORT_HTML && o.quotes) {
        rc = kbi_report_matrix_html(out, m, quotes, &o, err);
    } else {
        rc = matrix_tables(out, m, quotes, &o, err);
    }
    kb_matrix_free(m);
    return rc;
}
