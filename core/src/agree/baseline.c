/*
 * baseline.c: the baseline gate (baseline.h). A baseline is written in one
 * fixed form, key order and number format, so that the same evaluation
 * gives the same bytes and a changed figure is a changed line; it is read
 * back by libyaml and every node held to the form JSON has (flow
 * collections, double-quoted strings, plain numbers, null, true, false).
 * Figures are compared as saved, rounded to six decimals.
 */
#include "agree/baseline.h"
#include "agree/evaluate.h"

#include "base/error.h"
#include "base/grow.h"
#include "base/file.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

/* What the first member names, and the version of the form. */
#define KBI_BASELINE_KIND    "eval baseline"
#define KBI_BASELINE_VERSION 1
#define KBI_BASELINE_SCALE   1e6 /* six decimals */

/* ------------------------------------------------------------------------ */
/* Saving                                                                    */
/* ------------------------------------------------------------------------ */

static int by_code(const void *a, const void *b)
{
    const kb_code_eval *x = *(const kb_code_eval *const *)a;
    const kb_code_eval *y = *(const kb_code_eval *const *)b;
    return strcmp(x->code, y->code);
}

/* Rounded to the six decimals saved (v is from 0 to 1). */
static long long scaled(double v)
{
    return (long long)(v * KBI_BASELINE_SCALE + 0.5);
}

/* A figure from 0 to 1 with six decimals, written with integers so that no
 * locale puts a comma in it. */
static void number(FILE *f, const char *key, double v)
{
    long long u = isnan(v) ? 0 : scaled(v);
    if (isnan(v))
        fprintf(f, ", \"%s\": null", key);
    else
        fprintf(f, ", \"%s\": %lld.%06lld", key, u / 1000000, u % 1000000);
}

/* A line's figures after its first member. */
static void figures(FILE *f, const kb_eval_scores *s)
{
    fprintf(f, ", \"tp\": %zu, \"fp\": %zu, \"fn\": %zu", s->tp, s->fp, s->fn);
    number(f, "precision", s->precision);
    number(f, "recall", s->recall);
    number(f, "f1", s->f1);
}

typedef struct saving {
    const kb_eval_report *r;
    const kb_code_eval **sorted;
} saving;

static int save(void *ctx, FILE *f, kb_error *err)
{
    const saving *s = ctx;
    kbi_eval_about a;
    kbi_eval_report_about(s->r, &a);
    fprintf(f, "{\"kodbok\": \"%s\", \"version\": %d,\n", KBI_BASELINE_KIND,
            KBI_BASELINE_VERSION);
    int rc = 0;
    const char *keys[] = {"gold", "unit", "by"};
    const char *values[] = {a.gold, kb_segment_kind_name(a.unit),
                            kb_code_kind_name(a.by)};
    for (size_t i = 0; !rc && i < 3; i++) {
        fprintf(f, " \"%s\": ", keys[i]);
        rc = kb_json_quote(f, values[i], strlen(values[i]), err);
        fputs(",\n", f);
    }
    fputs(" \"codebook\": {\"path\": ", f);
    if (!rc)
        rc = kb_json_quote(f, a.codebook_path, strlen(a.codebook_path), err);
    fputs(", \"hash\": ", f);
    if (!rc)
        rc = kb_json_quote(f, a.codebook_hash, strlen(a.codebook_hash), err);
    fputs("},\n \"concepts\": [", f);
    size_t n = kb_eval_report_count(s->r);
    for (size_t i = 0; !rc && i < n; i++) {
        const kb_code_eval *e = s->sorted[i];
        fputs(i ? ",\n  {\"concept\": " : "\n  {\"concept\": ", f);
        rc = kb_json_quote(f, e->code, strlen(e->code), err);
        fputs(", \"label\": ", f);
        if (!rc)
            rc = kb_json_quote(f, e->label, strlen(e->label), err);
        figures(f, &e->s);
        fputc('}', f);
    }
    fputs(n ? "\n ],\n \"overall\": {\"concept\": null"
            : "],\n \"overall\": "
              "{\"concept\": null",
          f);
    figures(f, &kb_eval_report_overall(s->r)->s);
    fputs("}}\n", f);
    if (!rc && ferror(f))
        rc = kbi_fail(err, KB_EIO, "cannot write the baseline");
    return rc;
}

int kb_eval_baseline_save(const kb_eval_report *r, const char *path,
                          kb_error *err)
{
    if (!r)
        return kbi_fail_arg(err, KB_EINVAL, "r", "no evaluation to save");
    if (!path || !*path)
        return kbi_fail_arg(err, KB_EINVAL, "path", "no file to save to");
    size_t n = kb_eval_report_count(r);
    saving s = {r, malloc((n ? n : 1) * sizeof *s.sorted)};
    if (!s.sorted)
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++)
        s.sorted[i] = kb_eval_report_get(r, i);
    kbi_sort(s.sorted, n, sizeof *s.sorted, by_code);
    int rc = kbi_file_write_atomic(path, save, &s, err);
    free(s.sorted);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* Reading                                                                   */
/* ------------------------------------------------------------------------ */

typedef struct reader {
    yaml_document_t doc;
    const char *path;
    kb_error *err;
} reader;

static int fail_at(const reader *rd, const yaml_node_t *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* KB_EFORMAT at node n (NULL: the file). */
static int fail_at(const reader *rd, const yaml_node_t *n, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return kbi_fail_at(rd->err, KB_EFORMAT, rd->path,
                       n ? (int)n->start_mark.line + 1 : 0,
                       n ? (int)n->start_mark.column + 1 : 0, "%s", msg);
}

static const char *scalar(const yaml_node_t *n)
{
    return (const char *)n->data.scalar.value;
}

/* A plain scalar is a JSON number:
 * -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static int is_number(const char *s)
{
    s += *s == '-';
    if (*s == '0')
        s++;
    else if (*s >= '1' && *s <= '9')
        while (*s >= '0' && *s <= '9')
            s++;
    else
        return 0;
    if (*s == '.') {
        if (!(*++s >= '0' && *s <= '9'))
            return 0;
        while (*s >= '0' && *s <= '9')
            s++;
    }
    if (*s == 'e' || *s == 'E') {
        s += s[1] == '+' || s[1] == '-';
        if (!(*++s >= '0' && *s <= '9'))
            return 0;
        while (*s >= '0' && *s <= '9')
            s++;
    }
    return !*s;
}

/* The value of a JSON number (is_number holds), read without the locale
 * strtod would follow. */
static double json_number(const char *s)
{
    int neg = *s == '-';
    double v = 0, scale = 1;
    s += neg;
    for (; *s >= '0' && *s <= '9'; s++)
        v = v * 10 + (*s - '0');
    if (*s == '.')
        for (s++; *s >= '0' && *s <= '9'; s++)
            v += (*s - '0') * (scale /= 10);
    if (*s == 'e' || *s == 'E') {
        int eneg = *++s == '-', e = 0;
        s += *s == '-' || *s == '+';
        for (; *s >= '0' && *s <= '9' && e < 400; s++)
            e = e * 10 + (*s - '0');
        for (; e > 0; e--)
            v = eneg ? v / 10 : v * 10;
    }
    return neg ? -v : v;
}

/* Holds every node to JSON's forms; keys are strings. */
static int check_json(reader *rd, yaml_node_t *n, int depth)
{
    if (depth > 8)
        return fail_at(rd, n, "nested too deep");
    switch (n->type) {
    case YAML_SCALAR_NODE:
        if (n->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE)
            return 0;
        if (n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
            (is_number(scalar(n)) || !strcmp(scalar(n), "null") ||
             !strcmp(scalar(n), "true") || !strcmp(scalar(n), "false")))
            return 0;
        return fail_at(rd, n, "not JSON: '%s'", scalar(n));
    case YAML_SEQUENCE_NODE:
        if (n->data.sequence.style != YAML_FLOW_SEQUENCE_STYLE)
            return fail_at(rd, n, "not JSON: a list not in [ ]");
        for (yaml_node_item_t *i = n->data.sequence.items.start;
             i < n->data.sequence.items.top; i++) {
            int rc =
                check_json(rd, yaml_document_get_node(&rd->doc, *i), depth + 1);
            if (rc)
                return rc;
        }
        return 0;
    case YAML_MAPPING_NODE:
        if (n->data.mapping.style != YAML_FLOW_MAPPING_STYLE)
            return fail_at(rd, n, "not JSON: an object not in { }");
        for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
             p < n->data.mapping.pairs.top; p++) {
            yaml_node_t *k = yaml_document_get_node(&rd->doc, p->key);
            if (k->type != YAML_SCALAR_NODE ||
                k->data.scalar.style != YAML_DOUBLE_QUOTED_SCALAR_STYLE)
                return fail_at(rd, k, "not JSON: a key not in quotes");
            int rc = check_json(rd, yaml_document_get_node(&rd->doc, p->value),
                                depth + 1);
            if (rc)
                return rc;
        }
        return 0;
    default:
        return fail_at(rd, n, "not JSON");
    }
}

/* The member `key` of object n, or NULL. */
static yaml_node_t *member(reader *rd, const yaml_node_t *n, const char *key)
{
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
         p < n->data.mapping.pairs.top; p++)
        if (!strcmp(scalar(yaml_document_get_node(&rd->doc, p->key)), key))
            return yaml_document_get_node(&rd->doc, p->value);
    return NULL;
}

/* The member `key` of object n, a string (or with `number`, a number or
 * null); NULL after failing. */
static yaml_node_t *need(reader *rd, const yaml_node_t *n, const char *key,
                         int number)
{
    yaml_node_t *v = member(rd, n, key);
    int quoted = v && v->type == YAML_SCALAR_NODE &&
                 v->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE;
    if (!v)
        fail_at(rd, n, "the baseline's object has no \"%s\"", key);
    else if (v->type != YAML_SCALAR_NODE || quoted == number ||
             (number && !strcmp(scalar(v), "true")) ||
             (number && !strcmp(scalar(v), "false")))
        fail_at(rd, v, "\"%s\" should be %s", key,
                number ? "a number or null" : "a string");
    else
        return v;
    return NULL;
}

/* Member `key` must be `want`; its value names the baseline's side. */
static int same(reader *rd, const yaml_node_t *root, const char *key,
                const char *want, const char *what)
{
    yaml_node_t *v = need(rd, root, key, 0);
    if (!v)
        return KB_EFORMAT;
    if (strcmp(scalar(v), want))
        return fail_at(rd, v, "the baseline is of %s '%s', not '%s'", what,
                       scalar(v), want);
    return 0;
}

/* ------------------------------------------------------------------------ */
/* The gate                                                                  */
/* ------------------------------------------------------------------------ */

struct kb_gate {
    kb_gate_row *rows;
    size_t n, failed;
    kb_gate_row overall;
    char **strings; /* the rows' codes and labels, owned */
    size_t nstrings;
};

/* A baseline's code, its F1 and where it was read. */
typedef struct saved {
    const char *code, *label;
    double f1;
    const yaml_node_t *at;
} saved;

static int by_saved(const void *a, const void *b)
{
    return strcmp(((const saved *)a)->code, ((const saved *)b)->code);
}

static double f1_of(reader *rd, const yaml_node_t *line, int *rc)
{
    yaml_node_t *v = need(rd, line, "f1", 1);
    if (!v) {
        *rc = KB_EFORMAT;
        return NAN;
    }
    double f = strcmp(scalar(v), "null") ? json_number(scalar(v)) : NAN;
    if (!isnan(f) && (f < 0 || f > 1))
        *rc =
            fail_at(rd, v, "\"f1\" should lie from 0 to 1, not %s", scalar(v));
    return f;
}

/* The baseline's codes, sorted, into *out; the gold coder, unit and kind
 * of code held to the evaluation's. */
static int read_saved(saved **out, size_t *n, double *overall, reader *rd,
                      const kb_eval_report *r)
{
    yaml_node_t *root = yaml_document_get_root_node(&rd->doc);
    if (!root)
        return fail_at(rd, NULL, "an empty file is no baseline");
    int rc = check_json(rd, root, 0);
    if (rc)
        return rc;
    if (root->type != YAML_MAPPING_NODE)
        return fail_at(rd, root, "a baseline is an object");
    yaml_node_t *kind = need(rd, root, "kodbok", 0);
    if (!kind)
        return KB_EFORMAT;
    if (strcmp(scalar(kind), KBI_BASELINE_KIND))
        return fail_at(rd, kind, "not an eval baseline ('%s')", scalar(kind));
    yaml_node_t *v = need(rd, root, "version", 1);
    if (!v)
        return KB_EFORMAT;
    if (strcmp(scalar(v), "1"))
        return fail_at(rd, v, "a baseline of version %s (this kodbok reads %d)",
                       scalar(v), KBI_BASELINE_VERSION);
    kbi_eval_about a;
    kbi_eval_report_about(r, &a);
    if ((rc = same(rd, root, "gold", a.gold, "gold coder")) ||
        (rc = same(rd, root, "unit", kb_segment_kind_name(a.unit), "unit")) ||
        (rc = same(rd, root, "by", kb_code_kind_name(a.by), "codes by")))
        return rc;
    yaml_node_t *list = member(rd, root, "concepts");
    if (!list || list->type != YAML_SEQUENCE_NODE)
        return fail_at(rd, list ? list : root,
                       "the baseline should have a list \"concepts\"");
    yaml_node_t *all = member(rd, root, "overall");
    if (!all || all->type != YAML_MAPPING_NODE)
        return fail_at(rd, all ? all : root,
                       "the baseline should have an object \"overall\"");
    *overall = f1_of(rd, all, &rc);
    size_t cap = (size_t)(list->data.sequence.items.top -
                          list->data.sequence.items.start);
    saved *s = calloc(cap ? cap : 1, sizeof *s);
    if (!s)
        return kbi_fail(rd->err, KB_ENOMEM, "out of memory");
    size_t k = 0;
    for (yaml_node_item_t *i = list->data.sequence.items.start;
         !rc && i < list->data.sequence.items.top; i++) {
        yaml_node_t *line = yaml_document_get_node(&rd->doc, *i);
        if (line->type != YAML_MAPPING_NODE) {
            rc = fail_at(rd, line, "a concept's line should be an object");
            break;
        }
        yaml_node_t *code = need(rd, line, "concept", 0);
        yaml_node_t *label = member(rd, line, "label");
        if (!code) {
            rc = KB_EFORMAT;
            break;
        }
        s[k] = (saved){scalar(code),
                       label && label->type == YAML_SCALAR_NODE ? scalar(label)
                                                                : NULL,
                       f1_of(rd, line, &rc), code};
        k++;
    }
    if (!rc) {
        kbi_sort(s, k, sizeof *s, by_saved);
        for (size_t i = 1; !rc && i < k; i++)
            if (!strcmp(s[i].code, s[i - 1].code))
                rc =
                    fail_at(rd, s[i].at > s[i - 1].at ? s[i].at : s[i - 1].at,
                            "concept '%s' is in the baseline twice", s[i].code);
    }
    if (rc) {
        free(s);
        return rc;
    }
    *out = s;
    *n = k;
    return 0;
}

/* The file read and parsed into rd->doc; a syntax error at its place. */
static int load(reader *rd)
{
    unsigned char *data;
    size_t len;
    int rc = kbi_file_read(&data, &len, rd->path, KBI_INPUT_OTHER, rd->err);
    if (rc)
        return rc;
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        free(data);
        return kbi_fail(rd->err, KB_ENOMEM, "out of memory");
    }
    yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
    yaml_parser_set_input_string(&parser, data, len);
    if (!yaml_parser_load(&parser, &rd->doc)) {
        rc = kbi_fail_at(rd->err, KB_EFORMAT, rd->path,
                         (int)parser.problem_mark.line + 1,
                         (int)parser.problem_mark.column + 1, "not JSON: %s",
                         parser.problem ? parser.problem : "unreadable");
        memset(&rd->doc, 0, sizeof rd->doc);
    }
    yaml_parser_delete(&parser);
    free(data);
    return rc;
}

static kb_gate_status status(double old_f1, double new_f1, long long margin)
{
    if (isnan(old_f1) || isnan(new_f1))
        return KB_GATE_SAME;
    long long d = scaled(new_f1) - scaled(old_f1);
    return d < -margin ? KB_GATE_FELL
           : d > 0     ? KB_GATE_ROSE
           : d < 0     ? KB_GATE_WITHIN
                       : KB_GATE_SAME;
}

/* A copy of s owned by g; NULL stays NULL. -1 if out of memory. */
static int keep(kb_gate *g, const char **s)
{
    if (!*s)
        return 0;
    char *c = strdup(*s);
    if (!c)
        return -1;
    g->strings[g->nstrings++] = c;
    *s = c;
    return 0;
}

static int add_row(kb_gate *g, const char *code, const char *label,
                   double old_f1, double new_f1, kb_gate_status st)
{
    kb_gate_row *row = &g->rows[g->n++];
    *row = (kb_gate_row){code, label, st, old_f1, new_f1};
    g->failed += st == KB_GATE_FELL;
    return keep(g, &row->code) || keep(g, &row->label) ? -1 : 0;
}

/* Both sides merged by code into g. */
static int merge(kb_gate *g, const saved *s, size_t ns,
                 const kb_code_eval **cur, size_t nc, long long margin)
{
    size_t i = 0, j = 0;
    int bad = 0;
    while (!bad && (i < ns || j < nc)) {
        int c = i == ns ? 1 : j == nc ? -1 : strcmp(s[i].code, cur[j]->code);
        if (c < 0) {
            bad = add_row(g, s[i].code, s[i].label, s[i].f1, NAN, KB_GATE_GONE);
            i++;
        } else if (c > 0) {
            bad = add_row(g, cur[j]->code, cur[j]->label, NAN, cur[j]->s.f1,
                          KB_GATE_NEW);
            j++;
        } else {
            bad = add_row(g, cur[j]->code, cur[j]->label, s[i].f1, cur[j]->s.f1,
                          status(s[i].f1, cur[j]->s.f1, margin));
            i++;
            j++;
        }
    }
    return bad;
}

int kb_eval_gate(kb_gate **out, const kb_eval_report *r,
                 const char *baseline_path, const kb_gate_options *opts,
                 kb_error *err)
{
    *out = NULL;
    static const kb_gate_options defaults = KB_GATE_OPTIONS_INIT;
    const kb_gate_options *o = opts ? opts : &defaults;
    if (o->version != KB_GATE_OPTIONS_VERSION)
        return kbi_fail(err, KB_EINVAL, "gate options of an unknown version");
    if (!(o->margin >= 0 && o->margin <= 1))
        return kbi_fail_arg(err, KB_EINVAL, "margin",
                            "`margin` should lie from 0 to 1");
    if (!r || !baseline_path)
        return kbi_fail(err, KB_EINVAL, "no evaluation or no baseline");
    reader rd = {.path = baseline_path, .err = err};
    saved *s = NULL;
    size_t ns = 0, nc = kb_eval_report_count(r);
    double overall = NAN;
    int rc = load(&rd);
    if (rc)
        return rc;
    rc = read_saved(&s, &ns, &overall, &rd, r);
    kb_gate *g = rc ? NULL : calloc(1, sizeof *g);
    const kb_code_eval **cur = rc ? NULL : malloc((nc ? nc : 1) * sizeof *cur);
    if (g) {
        g->rows = calloc(ns + nc + 1, sizeof *g->rows);
        g->strings = calloc(2 * (ns + nc) + 1, sizeof *g->strings);
    }
    if (!rc && (!g || !cur || !g->rows || !g->strings))
        rc = kbi_fail(err, KB_ENOMEM, "out of memory");
    if (!rc) {
        for (size_t i = 0; i < nc; i++)
            cur[i] = kb_eval_report_get(r, i);
        kbi_sort(cur, nc, sizeof *cur, by_code);
        double now = kb_eval_report_overall(r)->s.f1;
        long long margin = scaled(o->margin);
        g->overall = (kb_gate_row){NULL, NULL, status(overall, now, margin),
                                   overall, now};
        if (merge(g, s, ns, cur, nc, margin))
            rc = kbi_fail(err, KB_ENOMEM, "out of memory");
    }
    free(cur);
    free(s);
    yaml_document_delete(&rd.doc);
    if (rc) {
        kb_gate_free(g);
        return rc;
    }
    *out = g;
    return 0;
}

size_t kb_gate_count(const kb_gate *g)
{
    return g ? g->n : 0;
}

const kb_gate_row *kb_gate_get(const kb_gate *g, size_t i)
{
    return g && i < g->n ? &g->rows[i] : NULL;
}

const kb_gate_row *kb_gate_overall(const kb_gate *g)
{
    return g ? &g->overall : NULL;
}

size_t kb_gate_failed(const kb_gate *g)
{
    return g ? g->failed : 0;
}

void kb_gate_free(kb_gate *g)
{
    if (!g)
        return;
    for (size_t i = 0; i < g->nstrings; i++)
        free(g->strings[i]);
    free(g->strings);
    free(g->rows);
    free(g);
}
