/*
 * serve_read.c: the API's reads: the documents, one document with its
 * turns, quotes and manual codings, the codebook with counts, a matrix.
 */
#include "serve.h"

#include <stdlib.h>
#include <string.h>

/* A coder's progress on a document: manual codings by decision, and the
 * last run's automatic quotes they have not decided on. */
typedef struct progress {
    size_t tags, accepted, rejected, unreviewed;
} progress;

/* The documents' names sorted, each with its index in the list. */
typedef struct doc_index {
    const char *name;
    size_t i;
} doc_index;

static int by_name(const void *a, const void *b)
{
    return strcmp(((const doc_index *)a)->name, ((const doc_index *)b)->name);
}

static size_t doc_find(const doc_index *ix, size_t n, const char *name)
{
    doc_index key = {name, 0};
    const doc_index *d = bsearch(&key, ix, n, sizeof *ix, by_name);
    return d ? d->i : KB_NO_INDEX;
}

/* Every coder's progress per document: the coders with manual codings and
 * the request's coder, sorted, into *coders (the names borrowed from *tags
 * and the server) and pr[doc * ncoders + coder]. */
typedef struct progress_table {
    kb_tag_list *tags;
    const char **coders;
    size_t ncoders;
    progress *pr;
} progress_table;

static int by_coder(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static size_t coder_find(const progress_table *t, const char *name)
{
    const char **c =
        bsearch(&name, t->coders, t->ncoders, sizeof *t->coders, by_coder);
    return c ? (size_t)(c - t->coders) : KB_NO_INDEX;
}

static void progress_free(progress_table *t)
{
    kb_tag_list_free(t->tags);
    free(t->coders);
    free(t->pr);
}

static int progress_count(progress_table *t, const call *k, const doc_index *ix,
                          size_t ndocs, kb_error *err)
{
    int rc = kb_project_tags(&t->tags, k->p, NULL, err);
    size_t n = rc ? 0 : kb_tag_list_count(t->tags);
    if (!rc && !(t->coders = malloc((n + 1) * sizeof *t->coders)))
        rc = KB_ENOMEM;
    if (rc)
        return rc;
    t->coders[t->ncoders++] = k->coder;
    for (size_t i = 0; i < n; i++)
        t->coders[t->ncoders++] = kb_tag_list_get(t->tags, i)->coder;
    qsort(t->coders, t->ncoders, sizeof *t->coders, by_coder);
    size_t u = 0;
    for (size_t i = 0; i < t->ncoders; i++)
        if (!u || strcmp(t->coders[u - 1], t->coders[i]))
            t->coders[u++] = t->coders[i];
    t->ncoders = u;
    if (!(t->pr = calloc(ndocs * t->ncoders + 1, sizeof *t->pr)))
        return KB_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        const kb_tag_info *g = kb_tag_list_get(t->tags, i);
        size_t d = doc_find(ix, ndocs, g->document);
        if (!g->placed || d == KB_NO_INDEX)
            continue;
        progress *p = &t->pr[d * t->ncoders + coder_find(t, g->coder)];
        p->tags += g->decision == KB_DECISION_TAG;
        p->accepted += g->decision == KB_DECISION_ACCEPT;
        p->rejected += g->decision == KB_DECISION_REJECT;
    }
    for (size_t c = 0; c < t->ncoders; c++) {
        kb_quote_filter f = {0};
        f.source = "auto";
        f.reviewer = t->coders[c];
        f.unreviewed = 1;
        f.counts_only = 1;
        f.skip_words = 1;
        kb_quote_list *l;
        rc = kb_project_quotes(&l, k->p, &f, err);
        if (rc == KB_ENORUN)
            return 0; /* nothing to review before a run */
        if (rc)
            return rc;
        for (size_t i = 0; i < kb_quote_list_count(l); i++) {
            size_t d = doc_find(ix, ndocs, kb_quote_list_get(l, i)->document);
            if (d != KB_NO_INDEX)
                t->pr[d * t->ncoders + c].unreviewed++;
        }
        kb_quote_list_free(l);
    }
    return 0;
}

static void write_progress(json *j, const progress_table *t, size_t d)
{
    json_object(j, "progress");
    for (size_t c = 0; c < t->ncoders; c++) {
        const progress *p = &t->pr[d * t->ncoders + c];
        json_object(j, t->coders[c]);
        json_size(j, "tags", p->tags);
        json_size(j, "accepted", p->accepted);
        json_size(j, "rejected", p->rejected);
        json_size(j, "unreviewed", p->unreviewed);
        json_end(j);
    }
    json_end(j);
}

/* GET /api/documents: as `kodbok docs --format json`, each document with
 * its coders' progress. */
enum MHD_Result api_documents(const call *k)
{
    struct MHD_Connection *c = k->c;
    kb_project *p = k->p;
    kb_doc_list *l;
    kb_error err;
    if (kb_project_docs(&l, p, &err))
        return send_kb_error(c, &err);
    size_t n = kb_doc_list_count(l);
    doc_index *ix = malloc((n + 1) * sizeof *ix);
    progress_table t = {0};
    int rc = ix ? 0 : KB_ENOMEM;
    for (size_t i = 0; i < n && ix; i++)
        ix[i] = (doc_index){kb_doc_list_get(l, i)->name, i};
    if (ix)
        qsort(ix, n, sizeof *ix, by_name);
    if (!rc)
        rc = progress_count(&t, k, ix, n, &err);
    reply out;
    if (rc || reply_start(&out)) {
        free(ix);
        progress_free(&t);
        kb_doc_list_free(l);
        return rc && rc != KB_ENOMEM ? send_kb_error(c, &err) : MHD_NO;
    }
    json_object(&out.j, NULL);
    json_array(&out.j, "documents");
    for (size_t i = 0; i < n; i++) {
        json_object(&out.j, NULL);
        json_doc_info(&out.j, kb_doc_list_get(l, i));
        write_progress(&out.j, &t, i);
        json_end(&out.j);
    }
    json_end(&out.j);
    json_end(&out.j);
    free(ix);
    progress_free(&t);
    kb_doc_list_free(l);
    return reply_send(c, &out, MHD_HTTP_OK);
}

static void write_turns(json *j, const kb_document *d)
{
    json_array(j, "turns");
    size_t n = kb_document_segment_count(d, KB_SEG_TURN);
    for (size_t i = 0; i < n; i++) {
        const kb_segment *t = kb_document_segment(d, KB_SEG_TURN, i);
        json_object(j, NULL);
        json_size(j, "index", t->index);
        json_string(j, "speaker", t->speaker);
        json_string(j, "role", kb_role_name(t->role));
        json_string(j, "case", t->case_id);
        if (t->time_ms == KB_NO_TIME)
            json_null(j, "time_ms");
        else
            json_int(j, "time_ms", t->time_ms);
        json_size(j, "start", t->start);
        json_size(j, "end", t->end);
        json_string_n(j, "text", t->text, t->text_len);
        json_end(j);
    }
    json_end(j);
}

/* The quotes of the last run on document `name` (none before a run). */
static int write_quotes(json *j, kb_project *p, const char *name, kb_error *err)
{
    kb_quote_filter f = {0};
    f.document = name;
    f.with_rejected = 1;
    f.skip_words = 1;
    kb_quote_list *l = NULL;
    int rc = kb_project_quotes(&l, p, &f, err);
    if (rc && rc != KB_ENORUN)
        return rc;
    json_array(j, "quotes");
    for (size_t i = 0; l && i < kb_quote_list_count(l); i++) {
        const kb_quote_row *q = kb_quote_list_get(l, i);
        json_object(j, NULL);
        json_size(j, "start", q->start);
        json_size(j, "end", q->end);
        json_string(j, "dimension", q->dimension);
        json_string(j, "theme", q->theme);
        json_string(j, "concept", q->concept);
        json_string(j, "source", q->source);
        json_string(j, "coder", q->coder);
        json_string(j, "decision", kb_decision_name(q->decision));
        json_bool(j, "rejected", q->rejected);
        json_string(j, "featured_by", q->featured_by);
        json_end(j);
    }
    json_end(j);
    kb_quote_list_free(l);
    return 0;
}

/* The placed manual codings of every coder on document `name`. */
static int write_tags(json *j, kb_project *p, const char *name, kb_error *err)
{
    kb_tag_list *l;
    int rc = kb_project_tags(&l, p, NULL, err);
    if (rc)
        return rc;
    json_array(j, "tags");
    for (size_t i = 0; i < kb_tag_list_count(l); i++) {
        const kb_tag_info *t = kb_tag_list_get(l, i);
        if (!t->placed || strcmp(t->document, name))
            continue;
        json_object(j, NULL);
        json_int(j, "id", t->id);
        json_string(j, "coder", t->coder);
        json_string(j, "kind", kb_code_kind_name(t->kind));
        json_string(j, "code", t->code);
        json_string(j, "decision", kb_decision_name(t->decision));
        json_size(j, "start", t->start);
        json_size(j, "end", t->end);
        json_string(j, "facets", t->facets);
        json_string(j, "memo", t->memo);
        json_end(j);
    }
    json_end(j);
    kb_tag_list_free(l);
    return 0;
}

/* GET /api/documents/NAME: its turns, quotes and manual codings. */
enum MHD_Result api_document(const call *k)
{
    struct MHD_Connection *c = k->c;
    kb_project *p = k->p;
    const char *name = k->rest;
    kb_document *d;
    kb_error err;
    if (kb_document_load(&d, p, name, 0, &err))
        return send_kb_error(c, &err);
    reply out;
    if (reply_start(&out)) {
        kb_document_free(d);
        return MHD_NO;
    }
    json_object(&out.j, NULL);
    json_doc_info(&out.j, kb_document_info(d));
    write_turns(&out.j, d);
    kb_document_free(d);
    int rc = write_quotes(&out.j, p, name, &err);
    if (!rc)
        rc = write_tags(&out.j, p, name, &err);
    if (rc) {
        reply_drop(&out);
        return send_kb_error(c, &err);
    }
    json_end(&out.j);
    return reply_send(c, &out, MHD_HTTP_OK);
}

/* The quotes of each code (dimension, theme, concept) counted by level,
 * as `matrix --rows KIND --cols level` counts them: a matrix per kind, by
 * "document" (totals only) when the codebook has no facet "level". */
typedef struct code_counts {
    kb_matrix *m[3];
    int by_level;
    size_t *row; /* per codebook node: its row in its kind's matrix + 1 */
} code_counts;

static const kb_code_kind CODE_KINDS[3] = {KB_CODE_DIMENSION, KB_CODE_THEME,
                                           KB_CODE_CONCEPT};

static int count_codes(code_counts *cc, const kb_codebook *cb,
                       const kb_quote_list *l, kb_error *err)
{
    memset(cc, 0, sizeof *cc);
    cc->by_level = kb_codebook_find(cb, KB_CODE_FACET, "level") != KB_NO_INDEX;
    if (!(cc->row = calloc(kb_codebook_count(cb), sizeof *cc->row))) {
        err->code = KB_ENOMEM;
        snprintf(err->message, sizeof err->message, "out of memory");
        return KB_ENOMEM;
    }
    for (size_t k = 0; k < 3; k++) {
        int rc = kb_matrix_build(&cc->m[k], l, kb_code_kind_name(CODE_KINDS[k]),
                                 cc->by_level ? "level" : "document",
                                 KB_COUNT_QUOTES, err);
        if (rc)
            return rc;
        for (size_t r = 0; r < kb_matrix_rows(cc->m[k]); r++) {
            size_t node = kb_codebook_find(cb, CODE_KINDS[k],
                                           kb_matrix_row_key(cc->m[k], r));
            if (node != KB_NO_INDEX)
                cc->row[node] = r + 1;
        }
    }
    return 0;
}

static void code_counts_free(code_counts *cc)
{
    for (size_t k = 0; k < 3; k++)
        kb_matrix_free(cc->m[k]);
    free(cc->row);
}

static void write_codebook(json *j, const kb_codebook *cb,
                           const kb_run_info *run, const code_counts *cc)
{
    json_object(j, NULL);
    json_string(j, "name", kb_codebook_name(cb));
    json_string(j, "hash", kb_codebook_hash(cb));
    json_string(j, "path", run->codebook_path);
    json_int(j, "run", run->id);
    json_bool(j, "changed", strcmp(kb_codebook_hash(cb), run->codebook_hash));
    if (cc) {
        const kb_matrix *levels = cc->m[0];
        json_array(j, "levels");
        for (size_t c = 0; cc->by_level && c < kb_matrix_cols(levels); c++)
            json_string(j, NULL, kb_matrix_col_key(levels, c));
        json_end(j);
    }
    json_array(j, "nodes");
    for (size_t i = 0; i < kb_codebook_count(cb); i++) {
        kb_code_kind kind = kb_codebook_get(cb, i)->kind;
        json_object(j, NULL);
        json_code_info(j, cb, i);
        for (size_t k = 0; cc && k < 3; k++) {
            if (kind != CODE_KINDS[k])
                continue;
            const kb_matrix *m = cc->m[k];
            size_t r = cc->row[i];
            json_size(j, "quotes", r ? kb_matrix_row_total(m, r - 1) : 0);
            json_object(j, "by_level");
            for (size_t c = 0; cc->by_level && c < kb_matrix_cols(m); c++)
                json_size(j, kb_matrix_col_key(m, c),
                          r ? kb_matrix_cell(m, r - 1, c) : 0);
            json_end(j);
        }
        json_end(j);
    }
    json_end(j);
    json_end(j);
}

/* GET /api/codebook[?counts=no]: the last run's codebook as `codebook check
 * --format json` lists it, each code with its quotes counted in all and by
 * level (not with counts=no: the codes alone, without reading a coding). */
enum MHD_Result api_codebook(const call *k)
{
    struct MHD_Connection *c = k->c;
    kb_project *p = k->p;
    kb_run_list *runs;
    kb_error err;
    if (kb_project_runs(&runs, p, &err))
        return send_kb_error(c, &err);
    size_t nr = kb_run_list_count(runs);
    if (!nr) {
        kb_run_list_free(runs);
        return send_error(c, MHD_HTTP_CONFLICT,
                          "the project has not been coded yet: no codebook");
    }
    const kb_run_info *run = kb_run_list_get(runs, nr - 1);
    kb_codebook *cb = NULL;
    const kb_quote_list *l = NULL;
    serve_held *held = NULL;
    code_counts cc = {0};
    reply out;
    enum MHD_Result ok;
    const char *counts = serve_arg(c, "counts");
    int with_counts = !counts || strcmp(counts, "no");
    if (kb_codebook_load(&cb, run->codebook_path, &err) ||
        (with_counts && (serve_counts(&l, &held, k, SERVE_LIST_GROUPED, &err) ||
                         count_codes(&cc, cb, l, &err)))) {
        ok = send_kb_error(c, &err);
    } else if (reply_start(&out)) {
        ok = MHD_NO;
    } else {
        write_codebook(&out.j, cb, run, with_counts ? &cc : NULL);
        ok = reply_send(c, &out, MHD_HTTP_OK);
    }
    code_counts_free(&cc);
    if (held)
        serve_counts_release(k, held);
    kb_codebook_free(cb);
    kb_run_list_free(runs);
    return ok;
}

/* The axes, count and unit of a matrix from the query into *o: 0, or -1
 * with the 400 queued in *ok. */
static int matrix_query(struct MHD_Connection *c, kb_export_options *o,
                        enum MHD_Result *ok)
{
    o->format = KB_EXPORT_JSON;
    o->rows = serve_arg(c, "rows");
    o->cols = serve_arg(c, "cols");
    const char *count = serve_arg(c, "count");
    const char *unit = serve_arg(c, "unit");
    if (count) {
        int kind = kb_count_kind_parse(count);
        if (kind < 0) {
            *ok = send_error(c, MHD_HTTP_BAD_REQUEST,
                             "unknown count (quotes, documents, cases, "
                             "words or presence)");
            return -1;
        }
        o->count = (kb_count_kind)kind;
    }
    if (unit) {
        int u = kb_matrix_unit_parse(unit);
        if (u < 0) {
            *ok = send_error(c, MHD_HTTP_BAD_REQUEST,
                             "unknown unit (segment, turn, document or "
                             "case)");
            return -1;
        }
        o->unit = (kb_matrix_unit)u;
    }
    return 0;
}

/* GET /api/matrix?rows=&cols=&count=&unit=: as `matrix --format json`. */
enum MHD_Result api_matrix(const call *k)
{
    struct MHD_Connection *c = k->c;
    kb_export_options o = KB_EXPORT_OPTIONS_INIT;
    enum MHD_Result ok;
    if (matrix_query(c, &o, &ok))
        return ok;
    const kb_quote_list *l;
    serve_held *held;
    kb_error err;
    serve_list kind = o.count == KB_COUNT_WORDS ? SERVE_LIST_WORDS
                      : kb_matrix_groupable(o.rows, o.cols, o.count)
                          ? SERVE_LIST_GROUPED
                          : SERVE_LIST_PLAIN;
    if (serve_counts(&l, &held, k, kind, &err))
        return send_kb_error(c, &err);
    reply out;
    if (reply_start(&out)) {
        serve_counts_release(k, held);
        return MHD_NO;
    }
    int rc = kb_matrix_write(out.f, l, &o, &err);
    serve_counts_release(k, held);
    if (rc) {
        reply_drop(&out);
        return send_kb_error(c, &err);
    }
    return reply_send(c, &out, MHD_HTTP_OK);
}

/* The cell of m at row key `row` and column key `col` into *r, *cc: 0, or
 * -1 when the matrix has no such row or column. */
static int cell_of(const kb_matrix *m, const char *row, const char *col,
                   size_t *r, size_t *cc)
{
    for (*r = 0; *r < kb_matrix_rows(m); ++*r)
        if (!strcmp(kb_matrix_row_key(m, *r), row))
            break;
    for (*cc = 0; *cc < kb_matrix_cols(m); ++*cc)
        if (!strcmp(kb_matrix_col_key(m, *cc), col))
            break;
    return *r < kb_matrix_rows(m) && *cc < kb_matrix_cols(m) ? 0 : -1;
}

static void write_cell_quotes(json *j, const kb_matrix *m, size_t r, size_t c,
                              const kb_quote_list *l)
{
    const size_t *qs;
    size_t n = kb_matrix_cell_quotes(m, r, c, &qs);
    json_object(j, NULL);
    json_string(j, "row", kb_matrix_row_key(m, r));
    json_string(j, "col", kb_matrix_col_key(m, c));
    json_size(j, "count", kb_matrix_cell(m, r, c));
    json_array(j, "quotes");
    for (size_t i = 0; i < n; i++) {
        const kb_quote_row *q = kb_quote_list_get(l, qs[i]);
        json_object(j, NULL);
        json_string(j, "document", q->document);
        json_size(j, "start", q->start);
        json_size(j, "end", q->end);
        json_string(j, "concept", q->concept);
        json_string(j, "label",
                    q->concept ? q->concept_label
                    : q->theme ? q->theme_label
                               : q->dimension_label);
        json_string(j, "theme", q->theme);
        json_string(j, "case", q->case_id);
        json_string(j, "speaker", q->speaker);
        json_string(j, "coder", q->coder);
        json_string(j, "source", q->source);
        json_string(j, "text", q->text);
        json_end(j);
    }
    json_end(j);
    json_end(j);
}

/* GET /api/matrix/quotes?rows=&cols=&row=KEY&col=KEY&count=&unit=: the
 * quotes cell (row, col) of that matrix counts, as `matrix --quotes
 * --format json` gives them in the cell. */
enum MHD_Result api_matrix_quotes(const call *k)
{
    struct MHD_Connection *c = k->c;
    kb_export_options o = KB_EXPORT_OPTIONS_INIT;
    enum MHD_Result ok;
    if (matrix_query(c, &o, &ok))
        return ok;
    const char *row = serve_arg(c, "row"), *col = serve_arg(c, "col");
    if (!row || !col)
        return send_error(c, MHD_HTTP_BAD_REQUEST,
                          "a cell is named by `row` and `col` (keys)");
    kb_quote_filter f = {0};
    f.skip_words = o.count != KB_COUNT_WORDS;
    kb_quote_list *l;
    kb_matrix *m = NULL;
    kb_error err;
    if (kb_project_quotes(&l, k->p, &f, &err))
        return send_kb_error(c, &err);
    size_t r, cc;
    reply out;
    if (kb_matrix_build_units(&m, l, o.rows ? o.rows : "theme",
                              o.cols ? o.cols : "level", o.count, o.unit,
                              &err)) {
        ok = send_kb_error(c, &err);
    } else if (cell_of(m, row, col, &r, &cc)) {
        ok = send_error(c, MHD_HTTP_NOT_FOUND, "the matrix has no such cell");
    } else if (reply_start(&out)) {
        ok = MHD_NO;
    } else {
        write_cell_quotes(&out.j, m, r, cc, l);
        ok = reply_send(c, &out, MHD_HTTP_OK);
    }
    kb_matrix_free(m);
    kb_quote_list_free(l);
    return ok;
}
