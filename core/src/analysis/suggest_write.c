/*
 * suggest_write.c: kb_suggest_write. Figures are given to two decimals,
 * "-" (text) or null (JSON) where a ratio has no denominator.
 */
#include "analysis/suggest_write.h"
#include "analysis/suggest.h"
#include "base/error.h"

#include <math.h>
#include <string.h>

/* A figure to two decimals into buf[16], "-" when undefined. */
static const char *fig(double v, char buf[16])
{
    if (isnan(v))
        return "-";
    snprintf(buf, 16, "%.2f", v);
    return buf;
}

/* The pattern as a YAML single-quoted scalar. */
static void yaml_quoted(FILE *f, const char *s)
{
    fputc('\'', f);
    for (; *s; s++) {
        if (*s == '\'')
            fputc('\'', f);
        fputc(*s, f);
    }
    fputc('\'', f);
}

static void write_yaml(FILE *f, const kb_suggest_report *r)
{
    const kb_suggestion *c = &r->combined;
    char p[16], q[16], b[16];
    fprintf(f,
            "# patterns for %s learnt from %s: precision %s, recall %s, "
            "F1 %s on %zu %ss",
            r->concept, r->gold, fig(c->s.precision, p), fig(c->s.recall, q),
            fig(c->s.f1, b), r->units, kb_segment_kind_name(r->unit));
    if (r->folds)
        fprintf(f, "; held out in %zu folds: precision %s, recall %s, F1 %s",
                r->folds, fig(c->held.precision, p), fig(c->held.recall, q),
                fig(c->held.f1, b));
    fputc('\n', f);
    if (!r->ncombined) {
        fputs("# no pattern found: the coder's units share no distinctive "
              "words\n",
              f);
        return;
    }
    fputs("patterns:\n", f);
    for (size_t i = 0; i < r->ncombined; i++) {
        fputs("  - ", f);
        yaml_quoted(f, r->combined_patterns[i]);
        fputc('\n', f);
    }
}

/* Columns of a score: P, R, F1. */
static void text_scores(FILE *f, const kb_eval_scores *s)
{
    char a[16], b[16], c[16];
    fprintf(f, " %5s %5s %5s", fig(s->precision, a), fig(s->recall, b),
            fig(s->f1, c));
}

static void write_text(FILE *f, const kb_suggest_report *r)
{
    fprintf(f, "Concept %s, coder %s: %zu of %zu %ss coded.\n\n", r->concept,
            r->gold, r->positives, r->units, kb_segment_kind_name(r->unit));
    int width = 7; /* terminal cells: patterns hold å, ä, ö */
    for (size_t i = 0; i < r->n; i++)
        if (kb_text_width(r->v[i].pattern) > width)
            width = kb_text_width(r->v[i].pattern);
    fprintf(f, "%-*s  %-6s %5s %5s %8s %5s %5s %5s", width, "pattern", "kind",
            "in", "out", "G2", "P", "R", "F1");
    if (r->folds)
        fprintf(f, "  %5s %5s %5s %5s", "heldP", "heldR", "heldF", "folds");
    fputc('\n', f);
    for (size_t i = 0; i < r->n; i++) {
        const kb_suggestion *g = &r->v[i];
        fprintf(f, "%s%*s  %-6s %5zu %5zu %8.2f", g->pattern,
                width - kb_text_width(g->pattern), "", g->kind, g->in_units,
                g->elsewhere, g->g2);
        text_scores(f, &g->s);
        if (r->folds) {
            fputc(' ', f);
            text_scores(f, &g->held);
            fprintf(f, " %zu/%zu", g->folds_found, r->folds);
        }
        fputc('\n', f);
    }
    if (!r->n)
        fputs("(no candidate: no word is over-used in the coded units)\n", f);
    const kb_suggestion *c = &r->combined;
    fprintf(f, "\n%-56s", "Combined rule, against the coder on every unit:");
    text_scores(f, &c->s);
    fputc('\n', f);
    if (r->folds) {
        fprintf(f, "%-56s",
                "Each fold's rule, on the documents it was learnt from:");
        text_scores(f, &c->train);
        fprintf(f, "\n%-56s", "Each fold's rule, on the fold held out:");
        text_scores(f, &c->held);
        fputc('\n', f);
    }
    fputs("\nReady to paste under the concept:\n\n", f);
    write_yaml(f, r);
}

/* A score as JSON members. */
static void json_scores(FILE *f, const kb_eval_scores *s)
{
    fprintf(f, "\"tp\": %zu, \"fp\": %zu, \"fn\": %zu", s->tp, s->fp, s->fn);
    const char *names[] = {"precision", "recall", "f1"};
    double v[] = {s->precision, s->recall, s->f1};
    for (int i = 0; i < 3; i++)
        if (isnan(v[i]))
            fprintf(f, ", \"%s\": null", names[i]);
        else
            fprintf(f, ", \"%s\": %.4f", names[i], v[i]);
}

static int json_string(FILE *f, const char *s, kb_error *err)
{
    return kb_json_quote(f, s, strlen(s), err);
}

static int json_suggestion(FILE *f, const kb_suggest_report *r,
                           const kb_suggestion *g, kb_error *err)
{
    fputs("{\"pattern\": ", f);
    int rc = json_string(f, g->pattern ? g->pattern : "", err);
    if (rc)
        return rc;
    fprintf(f, ", \"kind\": \"%s\", ", g->kind);
    if (strcmp(g->kind, "combined"))
        fprintf(f, "\"in_units\": %zu, \"elsewhere\": %zu, \"g2\": %.4f, ",
                g->in_units, g->elsewhere, g->g2);
    json_scores(f, &g->s);
    if (r->folds) {
        fputs(", \"train\": {", f);
        json_scores(f, &g->train);
        fputs("}, \"held_out\": {", f);
        json_scores(f, &g->held);
        fputc('}', f);
        if (strcmp(g->kind, "combined"))
            fprintf(f, ", \"folds_found\": %zu", g->folds_found);
    }
    fputc('}', f);
    return 0;
}

static int write_json(FILE *f, const kb_suggest_report *r, kb_error *err)
{
    fputs("{\"concept\": ", f);
    int rc = json_string(f, r->concept, err);
    if (!rc) {
        fputs(", \"gold\": ", f);
        rc = json_string(f, r->gold, err);
    }
    if (rc)
        return rc;
    fprintf(f,
            ", \"unit\": \"%s\", \"units\": %zu, \"positives\": %zu, "
            "\"folds\": %zu,\n \"candidates\": [",
            kb_segment_kind_name(r->unit), r->units, r->positives, r->folds);
    for (size_t i = 0; i < r->n && !rc; i++) {
        fputs(i ? ",\n  " : "\n  ", f);
        rc = json_suggestion(f, r, &r->v[i], err);
    }
    if (rc)
        return rc;
    fputs("],\n \"combined\": ", f);
    if ((rc = json_suggestion(f, r, &r->combined, err)))
        return rc;
    fputs(",\n \"patterns\": [", f);
    for (size_t i = 0; i < r->ncombined && !rc; i++) {
        if (i)
            fputs(", ", f);
        rc = json_string(f, r->combined_patterns[i], err);
    }
    fputs("]}\n", f);
    return rc;
}

int kb_suggest_write(FILE *out, const kb_suggest_report *r,
                     kb_suggest_format format, kb_error *err)
{
    int rc = 0;
    switch (format) {
    case KB_SUGGEST_TEXT:
        write_text(out, r);
        break;
    case KB_SUGGEST_JSON:
        rc = write_json(out, r, err);
        break;
    case KB_SUGGEST_YAML:
        write_yaml(out, r);
        break;
    default:
        return kbi_fail_arg(err, KB_EINVAL, "format",
                            "unknown suggestion format %d", (int)format);
    }
    if (!rc && ferror(out))
        rc = kbi_fail(err, KB_EIO, "writing the suggestions failed");
    return rc;
}
