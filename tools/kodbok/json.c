/*
 * json.c: the CLI's JSON writer (see json.h). Strings are escaped by the
 * library's kb_json_quote, so all of kodbok's JSON agrees.
 */
#include "json.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
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

void json_case_info(json *j, const kb_case_info *c)
{
    json_string(j, "case", c->id);
    json_string(j, "document", c->document);
    json_string(j, "speaker", c->speaker);
    json_string(j, "interviewer", c->interviewer);
    json_size(j, "turns", c->segments);
    json_object(j, "attributes");
    for (size_t a = 0; a < c->nattrs; a++)
        json_string(j, c->attr_names[a], c->attr_values[a]);
    json_end(j);
}

void json_memo_info(json *j, const kb_memo_info *m)
{
    if (m->target == KB_MEMO_CODING)
        json_null(j, "id");
    else
        json_int(j, "id", m->id);
    json_string(j, "target", kb_memo_target_name(m->target));
    json_string(j, "kind",
                m->target == KB_MEMO_CODE ? kb_code_kind_name(m->kind) : NULL);
    json_string(j, "name", m->name);
    if (m->target == KB_MEMO_CODING)
        json_int(j, "coding", m->coding);
    else
        json_null(j, "coding");
    json_string(j, "code", m->code);
    json_string(j, "author", m->author);
    json_string(j, "created_at", m->created_at);
    json_string(j, "changed_at", m->changed_at);
    json_string(j, "text", m->text);
    json_string(j, "at", m->at);
}

/* The figures of one table: `present` is the key the count of units
 * marked present (or quotes accepted) goes under. */
static void agree_figures(json *j, const kb_agreement *a, const char *units,
                          const char *present, size_t npresent, double positive,
                          int with_positive)
{
    json_size(j, units, a->units);
    json_size(j, "pairable", a->pairable);
    json_size(j, present, npresent);
    json_number(j, "agreement", a->observed);
    json_number(j, "kappa", a->kappa);
    json_number(j, "alpha", a->alpha);
    if (with_positive)
        json_number(j, "positive", positive);
}

/* One code's figures (or the pooled ones), an object named `key`. */
static void agree_code(json *j, const char *key, const kb_code_agreement *a,
                       const char *by)
{
    json_object(j, key);
    json_string(j, "concept", a->code);
    json_string(j, "code", a->code);
    json_string(j, "kind", a->code ? by : NULL);
    json_string(j, "label", a->label);
    agree_figures(j, &a->a, "units", "present", a->present, a->positive, 1);
    json_object(j, "tags");
    agree_figures(j, &a->tags, "units", "present", a->tags_present,
                  a->tags_positive, 1);
    json_end(j);
    json_object(j, "review");
    agree_figures(j, &a->review, "quotes", "accepted", a->accepted, NAN, 0);
    json_end(j);
    json_end(j);
}

/* s cut to at most `max` bytes at a space, "…" after it (0: whole). */
static void text_cut(json *j, const char *key, const char *s, size_t max)
{
    size_t n = strlen(s);
    if (!max || n <= max) {
        json_string_n(j, key, s, n);
        return;
    }
    size_t cut = max;
    while (cut && s[cut] != ' ')
        cut--;
    if (!cut) /* one long word: at a character's start */
        for (cut = max; cut && ((unsigned char)s[cut] & 0xC0) == 0x80; cut--)
            ;
    char *t = malloc(cut + sizeof "…");
    if (!t) {
        json_string_n(j, key, s, cut);
        return;
    }
    memcpy(t, s, cut);
    strcpy(t + cut, "…");
    json_string(j, key, t);
    free(t);
}

void json_agree_report(json *j, const kb_agree_report *r,
                       const kb_agree_options *o, size_t text_max)
{
    const char *by = kb_code_kind_name(o->by ? o->by : KB_CODE_CONCEPT);
    json_array(j, "coders");
    for (size_t i = 0; i < o->ncoders; i++)
        json_string(j, NULL, o->coders[i]);
    json_end(j);
    json_string(j, "unit",
                kb_segment_kind_name(o->unit ? o->unit : KB_SEG_SENTENCE));
    json_string(j, "by", by);
    json_array(j, "codes");
    for (size_t i = 0; i < kb_agree_report_count(r); i++)
        agree_code(j, NULL, kb_agree_report_get(r, i), by);
    json_end(j);
    agree_code(j, "overall", kb_agree_report_overall(r), by);
    json_array(j, "disagreements");
    for (size_t i = 0; i < kb_agree_report_disagreement_count(r); i++) {
        const kb_agree_disagreement *d = kb_agree_report_disagreement(r, i);
        json_object(j, NULL);
        json_string(j, "document", d->document);
        json_size(j, "start", d->start);
        json_size(j, "end", d->end);
        json_string(j, "code", d->code);
        json_string(j, "label", d->label);
        json_string(j, "marked_by", d->marked_by);
        text_cut(j, "text", d->text, text_max);
        json_end(j);
    }
    json_end(j);
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
