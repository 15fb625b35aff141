/*
 * present.h: what the quote and matrix exports (export.c) share with the
 * HTML pages (report.c): the words people read, the matrix as a table, a
 * quote's text as shown (present.c). docs/exports.md describes every shape.
 * May include: base/, quotes/, export/table.h.
 */
#ifndef KBI_EXPORT_PRESENT_H
#define KBI_EXPORT_PRESENT_H

#include "export/table.h"
#include "kodbok.h"

#include <stdio.h>

/* The words of a page or sheet that people read, in one language. */
typedef struct kbi_words {
    const char *lang;                         /* "sv", "en" */
    const char *total;                        /* "Totalt" */
    const char *dimension, *theme, *concept;  /* axis names */
    const char *speaker, *document, *case_id; /* axis names */
    const char *matrix, *quotes, *codebook;   /* page headings */
    const char *facets;                       /* the facets' heading */
    const char *up;                           /* the link back to the matrix */
    const char *manual;                       /* a manual coding's mark */
    const char *rules;    /* the rules' mark on a quote coders coded too */
    const char *accepted; /* the mark of a quote accepted in review */
    const char *featured; /* the mark of a quote a coder featured */
    const char *whole_theme, *whole_dimension; /* a tag on a whole code */
    const char *counts[5]; /* "quotes"... by kb_count_kind */
    const char *units[4];  /* "sentences"... by kb_matrix_unit */
    const char *jaccard;   /* what a Jaccard index is called */
    const char *journal;   /* the heading of the memos on the project */
} kbi_words;

/* The words for `lang` ("sv" or "en"; NULL: "sv"), or NULL if unknown. */
const kbi_words *kbi_words_for(const char *lang);

/* What people call a matrix axis: a facet's label, NAME of "attr:NAME",
 * else its word ("Tema" for "theme"). */
const char *kbi_axis_name(const kbi_words *w, const kb_quote_list *l,
                          const char *axis);

/* Checks the options (KB_EINVAL naming what is wrong) and copies them to
 * *out with the defaults filled in: axes "theme" and "level". */
int kbi_export_options_check(kb_export_options *out,
                             const kb_export_options *in, kb_error *err);

/* A quote's text as shown: the whole quote, or with max_words > 0 its
 * excerpt (kb_quote_excerpt), then in *own, which the caller frees. NULL
 * when out of memory. */
const char *kbi_export_quote_text(const kb_quote_row *q, size_t max_words,
                                  char **own);

/* What the cells of matrix m count, in words: the count (w->counts), or in
 * a co-occurrence matrix its units (w->units) or, with o->jaccard, the
 * Jaccard index. */
const char *kbi_matrix_counted(const kbi_words *w, const kb_matrix *m,
                               const kb_export_options *o);

/* The kind of a matrix table's cell columns: integers, or numbers for the
 * Jaccard indexes of a co-occurrence matrix shown with `jaccard`. */
kbi_column_kind kbi_export_cell_kind(const kb_matrix *m, int jaccard);

/* Sets table cell (row, col) to matrix cell (r, c), or to column c's total
 * when r is the matrix's row count: its count, or with `jaccard` a
 * co-occurrence cell's Jaccard index (three decimals; a total stays a
 * count). */
int kbi_export_matrix_value(kbi_table *t, size_t row, size_t col,
                            const kb_matrix *m, size_t r, size_t c, int jaccard,
                            kb_error *err);

/* The matrix as people read it: labels, a "Totalt" row and column. With
 * `link` ("#c" for HTML), each non-empty cell links to LINK-R-C; with
 * `jaccard`, cells show kbi_export_matrix_value's Jaccard index. */
int kbi_export_matrix_table(kbi_table **out, const kb_matrix *m,
                            const kb_quote_list *l, const kbi_words *w,
                            const char *row_axis, const char *link, int jaccard,
                            kb_error *err);

#endif
