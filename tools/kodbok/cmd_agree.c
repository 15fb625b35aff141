/*
 * cmd_agree.c: kodbok agree (agreement between coders, per code and
 * pooled) and kodbok eval (the run's codes scored against a coder's).
 * Undefined figures print as "n/a" and as JSON null (docs/agreement.md).
 */
#include "cli.h"
#include "json.h"

#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CODERS 32

static const char AGREE_HELP[] =
    "usage: kodbok agree --coders A,B[,C...] [--unit sentence|turn|paragraph]\n"
    "                    [--by concept|theme] [--format text|json]\n\n"
    "Agreement between coders' manual codings, per code and overall: the\n"
    "units, the units a coder marked present, observed agreement, Cohen's\n"
    "kappa (two coders), Krippendorff's alpha (nominal) and the positive\n"
    "agreement. Units are segments of the --unit kind (default: sentence)\n"
    "that the code's codebook rule lets it apply to; a coder with no manual\n"
    "codings in a document counts as not having rated it. When the coders\n"
    "made review decisions, the figures are also given apart: over their own\n"
    "tags only, and over their decisions on the same automatic quotes\n"
    "(docs/agreement.md).\n";

static const char EVAL_HELP[] =
    "usage: kodbok eval --gold CODER [--run RUN] [--unit sentence|turn|"
    "paragraph]\n"
    "                   [--by concept|theme] [--show fp|fn] [--format "
    "text|json]\n"
    "                   [--save FILE] [--baseline FILE [--margin M]]\n\n"
    "Scores the automatic codes of a run (default: the last) against a\n"
    "coder's manual codes as gold: per code and overall (micro-averaged)\n"
    "tp, fp, fn, precision, recall and F1, over the units of the documents\n"
    "the coder rated. --show fp (or fn) lists the passages only the run (or\n"
    "only the coder) coded.\n\n"
    "The baseline gate (docs/analysis.md):\n"
    "  --save FILE       save this evaluation as a baseline (JSON, a line\n"
    "                    per code, the same bytes for the same figures)\n"
    "  --baseline FILE   compare with a saved baseline of the same gold\n"
    "                    coder, unit and --by; exit 4 when a code's F1 fell\n"
    "                    by more than the margin (with --save: save only\n"
    "                    when the gate passes)\n"
    "  --margin M        how far an F1 may fall, 0 to 1 (default 0.05)\n";

/* The options agree and eval share; returns 0 or an exit code, -1 for a
 * character this parser does not know. */
static int common_option(const char *cmd, int c, kb_segment_kind *unit,
                         kb_code_kind *by, const char **format,
                         const char **project)
{
    switch (c) {
    case 'p':
        *project = optarg;
        return 0;
    case 'u':
        if (!(*unit = kb_segment_kind_parse(optarg)))
            return cli_usage(cmd, "--unit is sentence, turn or paragraph");
        return 0;
    case 'b':
        if (!strcmp(optarg, "concept"))
            *by = KB_CODE_CONCEPT;
        else if (!strcmp(optarg, "theme"))
            *by = KB_CODE_THEME;
        else
            return cli_usage(cmd, "--by is concept or theme");
        return 0;
    case 'f':
        *format = optarg;
        return 0;
    }
    return -1;
}

#define COMMON_OPTIONS                                                         \
    {"project", required_argument, NULL, 'p'},                                 \
        {"unit", required_argument, NULL, 'u'},                                \
        {"by", required_argument, NULL, 'b'},                                  \
        {"format", required_argument, NULL, 'f'},                              \
    {                                                                          \
        "help", no_argument, NULL, 'h'                                         \
    }

static void figure(double v)
{
    if (isnan(v))
        printf(" %9s", "n/a");
    else
        printf(" %9.3f", v);
}

/* Which figures a text row shows: tags and accepted quotes together,
 * tags alone, or review decisions. */
enum { ROW_ALL, ROW_TAGS, ROW_REVIEW };

/* One row of text of kind `what`. */
static void agree_row(const kb_code_agreement *a, int what)
{
    const kb_agreement *f = what == ROW_ALL    ? &a->a
                            : what == ROW_TAGS ? &a->tags
                                               : &a->review;
    printf("%-34s %6zu %8zu %7zu", a->code ? a->code : "overall (pooled)",
           f->units, f->pairable,
           what == ROW_ALL    ? a->present
           : what == ROW_TAGS ? a->tags_present
                              : a->accepted);
    figure(f->observed);
    figure(f->kappa);
    figure(f->alpha);
    if (what != ROW_REVIEW)
        figure(what == ROW_ALL ? a->positive : a->tags_positive);
    putchar('\n');
}

/* The text table of one kind: header, a row per code, the pooled row. */
static void agree_table(const kb_agree_report *r, const char *by, int what)
{
    if (what == ROW_REVIEW)
        printf("%-34s %6s %8s %7s %9s %9s %9s\n", by, "quotes", "pairable",
               "accept", "agreement", "kappa", "alpha");
    else
        printf("%-34s %6s %8s %7s %9s %9s %9s %9s\n", by, "units", "pairable",
               "present", "agreement", "kappa", "alpha", "positive");
    for (size_t i = 0; i < kb_agree_report_count(r); i++)
        if (what != ROW_REVIEW || kb_agree_report_get(r, i)->review.units)
            agree_row(kb_agree_report_get(r, i), what);
    agree_row(kb_agree_report_overall(r), what);
}

int cmd_agree(int argc, char **argv, const char *project)
{
    static const struct option opts[] = {
        COMMON_OPTIONS,
        {"coders", required_argument, NULL, 'c'},
        {NULL, 0, NULL, 0},
    };
    static const char *const formats[] = {"text", "json", NULL};
    kb_agree_options o = KB_AGREE_OPTIONS_INIT;
    const char *format = "text", *coders[MAX_CODERS];
    char *list = NULL;
    int c, rc;
    o.unit = KB_SEG_SENTENCE;
    o.by = KB_CODE_CONCEPT;
    while ((c = getopt_long(argc, argv, "p:f:h", opts, NULL)) != -1) {
        if (c == 'c') {
            list = optarg;
        } else if (c == 'h') {
            fputs(AGREE_HELP, stdout);
            return 0;
        } else if ((rc = common_option("agree", c, &o.unit, &o.by, &format,
                                       &project)) != 0) {
            return rc > 0 ? rc : cli_bad_option("agree", argv);
        }
    }
    if (optind < argc)
        return cli_usage("agree", "unexpected argument '%s'", argv[optind]);
    if ((rc = cli_check_format("agree", format, formats)))
        return rc;
    if (!list)
        return cli_usage("agree", "--coders A,B, please");
    for (char *save = NULL, *t = strtok_r(list, ",", &save); t;
         t = strtok_r(NULL, ",", &save)) {
        if (o.ncoders == MAX_CODERS)
            return cli_usage("agree", "at most %d coders", MAX_CODERS);
        coders[o.ncoders++] = t;
    }
    if (o.ncoders < 2)
        return cli_usage("agree", "--coders wants two coders or more, "
                                  "separated by commas");
    o.coders = coders;
    o.notice = cli_notice;
    kb_project *p;
    if ((rc = cli_open(&p, project)))
        return rc;
    kb_agree_report *r;
    kb_error err;
    rc = kb_project_agree(&r, p, &o, &err);
    kb_project_free(p);
    if (rc)
        return cli_fail(&err);
    const char *by = kb_code_kind_name(o.by);
    if (!strcmp(format, "json")) {
        json j;
        json_init(&j, stdout);
        json_object(&j, NULL);
        json_agree_report(&j, r, &o, 0);
        json_end(&j);
    } else {
        printf("agreement of");
        for (size_t i = 0; i < o.ncoders; i++)
            printf("%s %s", i ? "," : "", coders[i]);
        printf(" on %ss, by %s\n\n", kb_segment_kind_name(o.unit), by);
        const kb_code_agreement *ov = kb_agree_report_overall(r);
        if (!ov->review.units) {
            agree_table(r, by, ROW_ALL);
        } else {
            /* Decisions on the same suggestions are not independent
             * coding: the figures that pool them say so, and both are
             * given apart. */
            printf("tags and accepted quotes together (an accepted quote is "
                   "a decision on a machine\nsuggestion, not independent "
                   "coding: the two apart below)\n");
            agree_table(r, by, ROW_ALL);
            printf("\ntags only (independent coding; accepted quotes not "
                   "counted)\n");
            agree_table(r, by, ROW_TAGS);
            printf("\nreview decisions on the same automatic quotes (accept "
                   "1, reject 0; a quote per row)\n");
            agree_table(r, by, ROW_REVIEW);
        }
    }
    kb_agree_report_free(r);
    return 0;
}

static void eval_row(json *j, const char *key, const kb_code_eval *e)
{
    if (j) {
        json_object(j, key);
        json_string(j, "concept", e->code);
        json_string(j, "label", e->label);
        json_size(j, "tp", e->s.tp);
        json_size(j, "fp", e->s.fp);
        json_size(j, "fn", e->s.fn);
        json_number(j, "precision", e->s.precision);
        json_number(j, "recall", e->s.recall);
        json_number(j, "f1", e->s.f1);
        json_end(j);
        return;
    }
    printf("%-34s %5zu %5zu %5zu", e->code ? e->code : "overall (micro)",
           e->s.tp, e->s.fp, e->s.fn);
    figure(e->s.precision);
    figure(e->s.recall);
    figure(e->s.f1);
    putchar('\n');
}

/* The words of kb_gate_status, in its order. */
static const char *const GATE_STATUS[] = {"same", "fell", "within",
                                          "rose", "new",  "gone"};

/* An F1 of the gate in text: three decimals, or n/a. */
static void gate_f1(double v)
{
    if (isnan(v))
        printf("%5s", "n/a");
    else
        printf("%5.3f", v);
}

static void gate_row(json *j, const char *key, const kb_gate_row *g)
{
    if (j) {
        json_object(j, key);
        json_string(j, "concept", g->code);
        json_string(j, "label", g->label);
        json_string(j, "status", GATE_STATUS[g->status]);
        json_number(j, "old_f1", g->old_f1);
        json_number(j, "new_f1", g->new_f1);
        json_end(j);
        return;
    }
    printf("  %-7s %-*s ", g->code ? GATE_STATUS[g->status] : "",
           cli_pad(g->code ? g->code : "overall (micro)", 34),
           g->code ? g->code : "overall (micro)");
    gate_f1(g->old_f1);
    printf(" -> ");
    gate_f1(g->new_f1);
    putchar('\n');
}

/* The comparison with the baseline: in JSON a member "gate" of the eval
 * object; in text the codes that moved, then the overall row. */
static void gate_write(json *j, const kb_gate *g, const char *path,
                       double margin)
{
    size_t fell = kb_gate_failed(g);
    if (j) {
        json_object(j, "gate");
        json_string(j, "baseline", path);
        json_number(j, "margin", margin);
        json_bool(j, "passed", !fell);
        json_size(j, "fell", fell);
        json_array(j, "concepts");
        for (size_t i = 0; i < kb_gate_count(g); i++)
            gate_row(j, NULL, kb_gate_get(g, i));
        json_end(j);
        gate_row(j, "overall", kb_gate_overall(g));
        json_end(j);
        return;
    }
    printf("\nbaseline %s, margin %.3f: %s", path, margin,
           fell ? "FAILED, " : "passed");
    if (fell)
        printf("%zu %s fell\n", fell, cli_plural(fell, "code", "codes"));
    else
        putchar('\n');
    for (size_t i = 0; i < kb_gate_count(g); i++)
        if (kb_gate_get(g, i)->status != KB_GATE_SAME)
            gate_row(NULL, NULL, kb_gate_get(g, i));
    gate_row(NULL, NULL, kb_gate_overall(g));
}

/* The codes that fell, on stderr after the report; returns EXIT_GATE. */
static int gate_failed(const kb_gate *g, double margin)
{
    char list[900] = "";
    size_t len = 0;
    for (size_t i = 0; i < kb_gate_count(g); i++) {
        const kb_gate_row *r = kb_gate_get(g, i);
        if (r->status == KB_GATE_FELL && len + 64 < sizeof list)
            len += (size_t)snprintf(list + len, sizeof list - len,
                                    "%s%s %.3f -> %.3f", len ? ", " : "",
                                    r->code, r->old_f1, r->new_f1);
    }
    cli_errorf("eval: the baseline gate failed: F1 fell by more than %.3f: "
               "%s",
               margin, list);
    return EXIT_GATE;
}

int cmd_eval(int argc, char **argv, const char *project)
{
    static const struct option opts[] = {
        COMMON_OPTIONS,
        {"gold", required_argument, NULL, 'g'},
        {"run", required_argument, NULL, 'r'},
        {"show", required_argument, NULL, 's'},
        {"save", required_argument, NULL, 'S'},
        {"baseline", required_argument, NULL, 'B'},
        {"margin", required_argument, NULL, 'M'},
        {NULL, 0, NULL, 0},
    };
    static const char *const formats[] = {"text", "json", NULL};
    kb_eval_options o = KB_EVAL_OPTIONS_INIT;
    kb_gate_options go = KB_GATE_OPTIONS_INIT;
    const char *format = "text", *save = NULL, *baseline = NULL;
    int margin_given = 0;
    int show = -1, c, rc; /* 1: false positives, 0: false negatives */
    long long run;
    o.unit = KB_SEG_SENTENCE;
    o.by = KB_CODE_CONCEPT;
    while ((c = getopt_long(argc, argv, "p:f:h", opts, NULL)) != -1) {
        if (c == 'g') {
            o.gold = optarg;
        } else if (c == 'r') {
            if (cli_number(optarg, 1, INT64_MAX, &run))
                return cli_usage("eval", "--run wants a run number");
            o.run = run;
        } else if (c == 's') {
            if (strcmp(optarg, "fp") && strcmp(optarg, "fn"))
                return cli_usage("eval", "--show is fp or fn");
            show = !strcmp(optarg, "fp");
        } else if (c == 'S') {
            save = optarg;
        } else if (c == 'B') {
            baseline = optarg;
        } else if (c == 'M') {
            char *end;
            go.margin = strtod(optarg, &end);
            if (end == optarg || *end || !(go.margin >= 0 && go.margin <= 1))
                return cli_usage("eval", "--margin wants a number from 0 to "
                                         "1 (0.05)");
            margin_given = 1;
        } else if (c == 'h') {
            fputs(EVAL_HELP, stdout);
            return 0;
        } else if ((rc = common_option("eval", c, &o.unit, &o.by, &format,
                                       &project)) != 0) {
            return rc > 0 ? rc : cli_bad_option("eval", argv);
        }
    }
    if (optind < argc)
        return cli_usage("eval", "unexpected argument '%s'", argv[optind]);
    if ((rc = cli_check_format("eval", format, formats)))
        return rc;
    if (!o.gold)
        return cli_usage("eval", "--gold CODER, please");
    if (margin_given && !baseline)
        return cli_usage("eval", "--margin goes with --baseline FILE");
    o.notice = cli_notice;
    kb_project *p;
    if ((rc = cli_open(&p, project)))
        return rc;
    kb_eval_report *r;
    kb_error err;
    rc = kb_project_eval(&r, p, &o, &err);
    kb_project_free(p);
    if (rc)
        return cli_fail(&err);
    kb_gate *g = NULL;
    if (baseline && kb_eval_gate(&g, r, baseline, &go, &err)) {
        kb_eval_report_free(r);
        return cli_fail(&err);
    }
    const char *by = kb_code_kind_name(o.by);
    if (!strcmp(format, "json")) {
        json j;
        json_init(&j, stdout);
        json_object(&j, NULL);
        json_int(&j, "run", kb_eval_report_run(r));
        json_string(&j, "gold", o.gold);
        json_string(&j, "unit", kb_segment_kind_name(o.unit));
        json_string(&j, "by", by);
        json_array(&j, "concepts");
        for (size_t i = 0; i < kb_eval_report_count(r); i++)
            eval_row(&j, NULL, kb_eval_report_get(r, i));
        json_end(&j);
        eval_row(&j, "overall", kb_eval_report_overall(r));
        if (show >= 0) {
            json_array(&j, "passages");
            for (size_t i = 0; i < kb_eval_report_passage_count(r); i++) {
                const kb_eval_passage *ps = kb_eval_report_passage(r, i);
                if (ps->false_positive != show)
                    continue;
                json_object(&j, NULL);
                json_string(&j, "kind", show ? "fp" : "fn");
                json_string(&j, "concept", ps->code);
                json_string(&j, "document", ps->document);
                json_size(&j, "start", ps->start);
                json_size(&j, "end", ps->end);
                json_string(&j, "text", ps->text);
                json_end(&j);
            }
            json_end(&j);
        }
        if (g)
            gate_write(&j, g, baseline, go.margin);
        json_end(&j);
    } else {
        printf("run %lld against %s as gold, on %ss, by %s\n\n",
               (long long)kb_eval_report_run(r), o.gold,
               kb_segment_kind_name(o.unit), by);
        printf("%-34s %5s %5s %5s %9s %9s %9s\n", by, "tp", "fp", "fn",
               "precision", "recall", "f1");
        for (size_t i = 0; i < kb_eval_report_count(r); i++)
            eval_row(NULL, NULL, kb_eval_report_get(r, i));
        eval_row(NULL, NULL, kb_eval_report_overall(r));
        if (show >= 0)
            printf("\n%s (%s):\n", show ? "false positives" : "false negatives",
                   show ? "coded by the run, not by the coder"
                        : "coded by the coder, not by the run");
        for (size_t i = 0; show >= 0 && i < kb_eval_report_passage_count(r);
             i++) {
            const kb_eval_passage *ps = kb_eval_report_passage(r, i);
            if (ps->false_positive != show)
                continue;
            printf("  %s %s %zu-%zu: ", ps->code, ps->document, ps->start,
                   ps->end);
            for (const char *t = ps->text; *t; t++)
                putchar(*t == '\n' ? ' ' : *t);
            putchar('\n');
        }
        if (g)
            gate_write(NULL, g, baseline, go.margin);
    }
    rc = 0;
    if (g && kb_gate_failed(g))
        rc = gate_failed(g, go.margin);
    else if (save && kb_eval_baseline_save(r, save, &err))
        rc = cli_fail(&err);
    else if (save && strcmp(format, "json"))
        printf("\nsaved the baseline to %s\n", save);
    kb_gate_free(g);
    kb_eval_report_free(r);
    return rc;
}
