/*
 * json.c: the CLI's JSON writer (see json.h). Strings are escaped by the
 * library's kb_json_quote, so all of kodbok's JSON agrees.
 */
#include "json.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

void json_init(json *j, FILE *f)
{
    memset(j, 0, sizeof *j);
    j->f = f;
}

/* Writes the comma, the line break in arrays, and the key. */
static void member(json *j, const char *key)
{
    if (j->depth > 0) {
        int d = j->depth - 1;
        int lines = j->array[d] && d <= 1; /* records of a top-level list */
        if (j->count[d]++)
            fputs(lines ? ",\n  " : ", ", j->f);
        else if (lines)
            fputs("\n  ", j->f);
    }
    if (key) {
        kb_json_quote(j->f, key, strlen(key), NULL);
        fputs(": ", j->f);
    }
}

static void open_nested(json *j, const char *key, int array)
{
    member(j, key);
    fputc(array ? '[' : '{', j->f);
    if (j->depth < JSON_MAX_DEPTH) {
        j->count[j->depth] = 0;
        j->array[j->depth] = array;
    }
    j->depth++;
}

void json_object(json *j, const char *key)
{
    open_nested(j, key, 0);
}

void json_array(json *j, const char *key)
{
    open_nested(j, key, 1);
}

void json_end(json *j)
{
    int d = --j->depth;
    if (j->array[d])
        fputs(j->count[d] && d <= 1 ? "\n]" : "]", j->f);
    else
        fputc('}', j->f);
    if (d == 0)
        fputc('\n', j->f);
}

void json_string_n(json *j, const char *key, const char *s, size_t n)
{
    member(j, key);
    kb_json_quote(j->f, s, n, NULL);
}

void json_string(json *j, const char *key, const char *s)
{
    if (!s) {
        json_null(j, key);
        return;
    }
    json_string_n(j, key, s, strlen(s));
}

void json_int(json *j, const char *key, int64_t v)
{
    member(j, key);
    fprintf(j->f, "%" PRId64, v);
}

void json_number(json *j, const char *key, double v)
{
    if (isnan(v)) {
        json_null(j, key);
        return;
    }
    member(j, key);
    fprintf(j->f, "%.6g", v);
}

void json_size(json *j, const char *key, size_t v)
{
    if (v == KB_NO_INDEX) {
        json_null(j, key);
        return;
    }
    member(j, key);
    fprintf(j->f, "%zu", v);
}

void json_bool(json *j, const char *key, int v)
{
    member(j, key);
    fputs(v ? "true" : "false", j->f);
}

void json_null(json *j, const char *key)
{
    member(j, key);
    fputs("null", j->f);
}

void json_doc_info(json *j, const kb_doc_info *d)
{
    json_string(j, "name", d->name);
    json_int(j, "version", d->version);
    json_bool(j, "changed", d->changed);
    json_string(j, "case", d->case_id);
    json_string(j, "source", d->source_path);
    json_string(j, "encoding", d->encoding);
    json_string(j, "hash", d->hash);
    json_string(j, "imported_at", d->imported_at);
    json_size(j, "chars", d->chars);
    json_size(j, "turns", d->turns);
    json_size(j, "paragraphs", d->paragraphs);
    json_size(j, "sentences", d->sentences);
    json_string(j, "speaker_rule", d->speaker_rule);
    json_string(j, "interviewers", d->interviewers);
    json_bool(j, "encoding_given", d->encoding_given);
    json_string(j, "format", d->format);
    json_object(j, "header");
    for (size_t h = 0; h < d->nheader; h++)
        json_string(j, d->header[h].key, d->header[h].value);
    json_end(j);
}

void json_code_info(json *j, const kb_codebook *cb, size_t i)
{
    const kb_code_info *c = kb_codebook_get(cb, i);
    json_string(j, "kind", kb_code_kind_name(c->kind));
    json_string(j, "id", c->id);
    json_string(j, "label", c->label);
    json_string(j, "description", c->description);
    json_string(j, "parent",
                c->parent == KB_NO_INDEX ? NULL
                                         : kb_codebook_get(cb, c->parent)->id);
    json_int(j, "line", c->line);
    if (c->kind == KB_CODE_CONCEPT || c->kind == KB_CODE_VALUE) {
        json_array(j, "patterns");
        for (size_t k = 0; k < c->npatterns; k++)
            json_string(j, NULL, kb_codebook_pattern(cb, i, k));
        json_end(j);
        json_string(j, "rules_hash", c->rules_hash);
    }
    if (c->kind == KB_CODE_CONCEPT)
        json_string(j, "scope", kb_segment_kind_name(c->scope));
}

void json_try_report(json *j, const kb_try_report *r, const char *concept)
{
    size_t units;
    const kb_eval_scores *sc = kb_try_report_scores(r, &units);
    json_string(j, "concept", concept);
    json_size(j, "hits", kb_try_report_count(r));
    json_size(j, "documents", kb_try_report_documents(r));
    json_size(j, "units", units);
    json_array(j, "sample");
    for (size_t i = 0; i < kb_try_report_count(r); i++) {
        const kb_try_hit *h = kb_try_report_get(r, i);
        if (!h->text)
            break;
        json_object(j, NULL);
        json_string(j, "document", h->document);
        json_size(j, "start", h->start);
        json_size(j, "end", h->end);
        json_string(j, "text", h->text);
        json_end(j);
    }
    json_end(j);
    json_string(j, "coder", kb_try_report_coder(r));
    static const char *const counts[] = {"tp", "fp", "fn"};
    for (int k = 0; k < 3; k++) {
        if (!sc)
            json_null(j, counts[k]);
        else
            json_size(j, counts[k], k == 0 ? sc->tp : k == 1 ? sc->fp : sc->fn);
    }
    json_number(j, "precision", sc ? sc->precision : NAN);
    json_number(j, "recall", sc ? sc->recall : NAN);
    json_number(j, "f1", sc ? sc->f1 : NAN);
}
