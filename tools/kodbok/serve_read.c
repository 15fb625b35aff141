/*
 * serve_read.c: the API's reads: the documents, one document with its
 * turns, quotes and manual codings, the codebook with counts, a matrix.
 */
#include "serve.h"

#include <stdlib.h>
#include <string.h>

/* GET /api/documents: as `kodbok docs --format json`. */
enum MHD_Result api_documents(const call *k)
{
    struct MHD_Connection *c = k->c;
    kb_project *p = k->p;
    kb_doc_list *l;
    kb_error err;
    if (kb_project_docs(&l, p, &err))
        return send_kb_error(c, &err);
    reply out;
    if (reply_start(&out)) {
        kb_doc_list_free(l);
        return MHD_NO;
    }
    json_object(&out.j, NULL);
    json_array(&out.j, "documents");
    for (size_t i = 0; i < kb_doc_list_count(l); i++) {
        json_object(&out.j, NULL);
        json_doc_info(&out.j, kb_doc_list_get(l, i));
        json_end(&out.j);
    }
    json_end(&out.j);
    json_end(&out.j);
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
    const kb_matrix *levels = cc->m[0];
    json_array(j, "levels");
    for (size_t c = 0; cc->by_level && c < kb_matrix_cols(levels); c++)
        json_string(j, NULL, kb_matrix_col_key(levels, c));
    json_end(j);
    json_array(j, "nodes");
    for (size_t i = 0; i < kb_codebook_count(cb); i++) {
        kb_code_kind kind = kb_codebook_get(cb, i)->kind;
        json_object(j, NULL);
        json_code_info(j, cb, i);
        for (size_t k = 0; k < 3; k++) {
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

/* GET /api/codebook: the last run's codebook as `codebook check --format
 * json` lists it, each code with its quotes counted in all and by level. */
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
    kb_quote_list *l = NULL;
    kb_quote_filter f = {0};
    f.counts_only = 1;
    f.skip_words = 1;
    code_counts cc = {0};
    reply out;
    enum MHD_Result ok;
    if (kb_codebook_load(&cb, run->codebook_path, &err) ||
        kb_project_quotes(&l, p, &f, &err) || count_codes(&cc, cb, l, &err)) {
        ok = send_kb_error(c, &err);
    } else if (reply_start(&out)) {
        ok = MHD_NO;
    } else {
        write_codebook(&out.j, cb, run, &cc);
        ok = reply_send(c, &out, MHD_HTTP_OK);
    }
    code_counts_free(&cc);
    kb_quote_list_free(l);
    kb_codebook_free(cb);
    kb_run_list_free(runs);
    return ok;
}

/* GET /api/matrix?rows=&cols=&count=&unit=: as `matrix --format json`. */
enum MHD_Result api_matrix(const call *k)
{
    struct MHD_Connection *c = k->c;
    kb_project *p = k->p;
    kb_export_options o = KB_EXPORT_OPTIONS_INIT;
    o.format = KB_EXPORT_JSON;
    o.rows = serve_arg(c, "rows");
    o.cols = serve_arg(c, "cols");
    const char *count = serve_arg(c, "count");
    const char *unit = serve_arg(c, "unit");
    if (count) {
        int kind = kb_count_kind_parse(count);
        if (kind < 0)
            return send_error(c, MHD_HTTP_BAD_REQUEST,
                              "unknown count (quotes, documents, cases, "
                              "words or presence)");
        o.count = (kb_count_kind)kind;
    }
    if (unit) {
        int u = kb_matrix_unit_parse(unit);
        if (u < 0)
            return send_error(c, MHD_HTTP_BAD_REQUEST,
                              "unknown unit (segment, turn, document or "
                              "case)");
        o.unit = (kb_matrix_unit)u;
    }
    kb_quote_filter f = {0};
    f.counts_only = 1;
    f.skip_words = o.count != KB_COUNT_WORDS;
    kb_quote_list *l;
    kb_error err;
    if (kb_project_quotes(&l, p, &f, &err))
        return send_kb_error(c, &err);
    reply out;
    if (reply_start(&out)) {
        kb_quote_list_free(l);
        return MHD_NO;
    }
    int rc = kb_matrix_write(out.f, l, &o, &err);
    kb_quote_list_free(l);
    if (rc) {
        reply_drop(&out);
        return send_kb_error(c, &err);
    }
    return reply_send(c, &out, MHD_HTTP_OK);
}
