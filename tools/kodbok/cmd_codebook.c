/*
 * cmd_codebook.c: kodbok codebook check FILE — validate a codebook and
 * print its tree with counts; warnings go to stderr. kodbok codebook
 * import (a spreadsheet) and export (REFI-QDA); kodbok codebook try, a
 * concept's rule with other patterns over the project's texts.
 */
#include "cli.h"
#include "output.h"
#include "json.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char HELP[] =
    "usage: kodbok codebook check FILE [--format text|json]\n"
    "usage: kodbok codebook check FILE [--format text|json]\n"
    "       kodbok codebook import SHEET.csv|FILE.qdc -o CODEBOOK.yaml "
    "[--name NAME]\n"
    "       kodbok codebook export [--format qdc] -o FILE.qdc [CODEBOOK]\n"
    "       kodbok codebook try CONCEPT --pattern RE [--pattern RE ...] "
    "[--coder NAME]\n                           [--unit U] [--run N] "
    "[--sample N] [--format text|json]\n\n"
    "check: validates a codebook (YAML) and prints its dimensions, themes,\n"
    "concepts and facets with counts. Errors name file:line:column; warnings\n"
    "(slow patterns, concepts without patterns) go to stderr and do not "
    "fail.\n\n"
    "import: writes a codebook from a spreadsheet saved as CSV, one row per\n"
    "concept; columns theme, concept (required), dimension, description,\n"
    "patterns and exclude (one regex per line in the cell), scope, speakers,\n"
    "id. Blank dimension and theme cells repeat the row above.\n"
    "A REFI-QDA codebook (.qdc: XML with a CodeBook root, as NVivo, MAXQDA,\n"
    "ATLAS.ti, QualCoder and Taguette export) is read instead when the file\n"
    "is one, whatever its name: its code tree becomes dimensions, themes and\n"
    "concepts (docs/refi-qda.md).\n\n"
    "export: writes a codebook (without CODEBOOK, the last run's) as a\n"
    "REFI-QDA codebook for NVivo, MAXQDA, ATLAS.ti and others: dimensions,\n"
    "themes and facets as codes holding their concepts and values, each\n"
    "code's rules at the end of its description.\n\n"
    "try: the concept of the last run's codebook with its patterns replaced\n"
    "by the --pattern ones (its scope, speakers, case rule and excludes\n"
    "kept), matched over every document: its quotes, as 'kodbok code' would\n"
    "make them, and with --coder, its precision, recall and F1 against that\n"
    "coder as 'kodbok eval --gold' counts them (--unit as eval's). Lists the\n"
    "first --sample quotes (default 10). Nothing is stored.\n";

static int import_sheet(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},
        {"name", required_argument, NULL, 'n'},
        {NULL, 0, NULL, 0},
    };
    const char *output = NULL, *name = NULL;
    int c;
    optind = 0; /* a fresh scan: main() used getopt already */
    while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
        if (c == 'o')
            output = optarg;
        else if (c == 'n')
            name = optarg;
        else
            return cli_bad_option("codebook import", argv);
    }
    if (optind + 1 != argc || !output)
        return cli_usage("codebook", "import wants SHEET.csv -o CODEBOOK.yaml");
    kb_error err;
    if (kb_file_is_qdc(argv[optind])) {
        kb_qdc_import_options o = KB_QDC_IMPORT_OPTIONS_INIT;
        o.name = name;
        o.notice = cli_notice;
        if (kb_codebook_from_qdc(argv[optind], output, &o, &err))
            return cli_fail(&err);
    } else if (kb_codebook_from_csv(argv[optind], output,
                                    name ? name : argv[optind], &err)) {
        return cli_fail(&err);
    }
    printf("wrote %s\n", output);
    return 0;
}

static int write_qdc(FILE *f, void *ctx, kb_error *err)
{
    return kb_codebook_write_qdc(f, ctx, NULL, err);
}

static int export_qdc(int argc, char **argv, const char *project)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},
        {"format", required_argument, NULL, 'f'},
        {"project", required_argument, NULL, 'p'},
        {NULL, 0, NULL, 0},
    };
    const char *output = NULL;
    int c;
    optind = 0; /* a fresh scan: main() used getopt already */
    while ((c = getopt_long(argc, argv, "o:f:p:", opts, NULL)) != -1) {
        if (c == 'o')
            output = optarg;
        else if (c == 'p')
            project = optarg;
        else if (c != 'f')
            return cli_bad_option("codebook export", argv);
        else if (strcmp(optarg, "qdc"))
            return cli_usage("codebook", "unknown format '%s' (qdc)", optarg);
    }
    if (optind + 1 < argc || !output)
        return cli_usage("codebook",
                         "export wants -o FILE.qdc and at most one codebook");
    kb_codebook *cb = NULL;
    kb_error err;
    int rc = 0;
    if (optind < argc) {
        if (kb_codebook_load(&cb, argv[optind], &err))
            return cli_fail(&err);
    } else {
        kb_project *p;
        if ((rc = cli_open(&p, project)))
            return rc;
        rc = cli_run_codebook(&cb, p, NULL, 0, "it is written as it is now");
        kb_project_free(p);
    }
    if (!rc)
        rc = cli_write_output(output, write_qdc, cb);
    kb_codebook_free(cb);
    if (!rc && strcmp(output, "-"))
        printf("wrote %s\n", output);
    return rc;
}

static int print_text(const char *path, const kb_codebook *cb)
{
    size_t count[6] = {0}, patterns = 0, excludes = 0;
    /* each code's children, counted in one pass over the codes */
    size_t *nchildren = calloc(kb_codebook_count(cb) + 1, sizeof *nchildren);
    if (!nchildren) {
        cli_errorf("out of memory");
        return EXIT_INTERNAL;
    }
    for (size_t i = 0; i < kb_codebook_count(cb); i++) {
        const kb_code_info *c = kb_codebook_get(cb, i);
        count[c->kind]++;
        patterns += c->npatterns;
        excludes += c->nexcludes;
        if (c->parent != KB_NO_INDEX)
            nchildren[c->parent]++;
    }
    printf("%s: %s\n", path, kb_codebook_name(cb));
    printf("%zu %s, %zu %s, %zu %s, %zu %s with %zu %s; %zu %s, %zu %s\n\n",
           count[KB_CODE_DIMENSION],
           cli_plural(count[KB_CODE_DIMENSION], "dimension", "dimensions"),
           count[KB_CODE_THEME],
           cli_plural(count[KB_CODE_THEME], "theme", "themes"),
           count[KB_CODE_CONCEPT],
           cli_plural(count[KB_CODE_CONCEPT], "concept", "concepts"),
           count[KB_CODE_FACET],
           cli_plural(count[KB_CODE_FACET], "facet", "facets"),
           count[KB_CODE_VALUE],
           cli_plural(count[KB_CODE_VALUE], "value", "values"), patterns,
           cli_plural(patterns, "pattern", "patterns"), excludes,
           cli_plural(excludes, "exclude", "excludes"));
    for (size_t i = 0; i < kb_codebook_count(cb); i++) {
        const kb_code_info *c = kb_codebook_get(cb, i);
        int depth = 0;
        for (size_t p = c->parent; p != KB_NO_INDEX;
             p = kb_codebook_get(cb, p)->parent)
            depth++;
        printf("%*s%s %s  %s", depth * 2, "", kb_code_kind_name(c->kind), c->id,
               c->label);
        switch (c->kind) {
        case KB_CODE_DIMENSION:
            printf("  (%zu %s)\n", nchildren[i],
                   cli_plural(nchildren[i], "theme", "themes"));
            break;
        case KB_CODE_THEME:
            printf("  (%zu %s)\n", nchildren[i],
                   cli_plural(nchildren[i], "concept", "concepts"));
            break;
        case KB_CODE_CONCEPT:
            printf("  (%zu %s", c->npatterns,
                   cli_plural(c->npatterns, "pattern", "patterns"));
            if (c->nexcludes)
                printf(", %zu %s", c->nexcludes,
                       cli_plural(c->nexcludes, "exclude", "excludes"));
            printf(", %s)\n", kb_segment_kind_name(c->scope));
            break;
        case KB_CODE_FACET:
            printf("  (%zu %s%s%s%s%s)\n", nchildren[i],
                   cli_plural(nchildren[i], "value", "values"),
                   c->attribute ? ", attribute " : "",
                   c->attribute ? c->attribute : "",
                   c->default_value ? ", default " : "",
                   c->default_value ? c->default_value : "");
            break;
        case KB_CODE_VALUE:
            printf("  (%zu %s)\n", c->npatterns,
                   cli_plural(c->npatterns, "pattern", "patterns"));
            break;
        }
    }
    free(nchildren);
    return 0;
}

static void print_json(const kb_codebook *cb)
{
    json j;
    json_init(&j, stdout);
    json_object(&j, NULL);
    json_string(&j, "name", kb_codebook_name(cb));
    json_string(&j, "hash", kb_codebook_hash(cb));
    json_array(&j, "nodes");
    for (size_t i = 0; i < kb_codebook_count(cb); i++) {
        json_object(&j, NULL);
        json_code_info(&j, cb, i);
        json_end(&j);
    }
    json_end(&j);
    json_end(&j);
}

static void print_try(const kb_try_report *r, const char *concept)
{
    size_t n = kb_try_report_count(r), units;
    printf("%s: %zu %s in %zu %s\n", concept, n,
           cli_plural(n, "quote", "quotes"), kb_try_report_documents(r),
           cli_plural(kb_try_report_documents(r), "document", "documents"));
    const kb_eval_scores *sc = kb_try_report_scores(r, &units);
    if (sc)
        printf("against %s on %zu units: tp %zu, fp %zu, fn %zu; precision "
               "%.3f, recall %.3f, F1 %.3f\n",
               kb_try_report_coder(r), units, sc->tp, sc->fp, sc->fn,
               isnan(sc->precision) ? 0 : sc->precision,
               isnan(sc->recall) ? 0 : sc->recall, isnan(sc->f1) ? 0 : sc->f1);
    else if (kb_try_report_coder(r))
        printf("%s has not coded %s: no scores\n", kb_try_report_coder(r),
               concept);
    for (size_t i = 0; i < n; i++) {
        const kb_try_hit *h = kb_try_report_get(r, i);
        if (!h->text)
            break;
        printf("%s %zu:%zu  %s\n", h->document, h->start, h->end, h->text);
    }
}

static int try_rule(int argc, char **argv, const char *project)
{
    enum { OPT_PATTERN = 400, OPT_CODER, OPT_UNIT, OPT_RUN, OPT_SAMPLE };
    static const struct option opts[] = {
        {"project", required_argument, NULL, 'p'},
        {"format", required_argument, NULL, 'f'},
        {"pattern", required_argument, NULL, OPT_PATTERN},
        {"coder", required_argument, NULL, OPT_CODER},
        {"unit", required_argument, NULL, OPT_UNIT},
        {"run", required_argument, NULL, OPT_RUN},
        {"sample", required_argument, NULL, OPT_SAMPLE},
        {NULL, 0, NULL, 0},
    };
    static const char *const FORMATS[] = {"text", "json", NULL};
    kb_try_options o = KB_TRY_OPTIONS_INIT;
    const char **pats = calloc((size_t)argc, sizeof *pats);
    const char *format = "text";
    long long n;
    int c, rc = pats ? 0 : cli_usage("codebook", "out of memory");
    o.sample = 10;
    optind = 0; /* a fresh scan: main() used getopt already */
    while (!rc && (c = getopt_long(argc, argv, "p:f:", opts, NULL)) != -1) {
        switch (c) {
        case 'p':
            project = optarg;
            break;
        case 'f':
            format = optarg;
            rc = cli_check_format("codebook", format, FORMATS);
            break;
        case OPT_PATTERN:
            pats[o.npatterns++] = optarg;
            break;
        case OPT_CODER:
            o.coder = optarg;
            break;
        case OPT_UNIT:
            if (!(o.unit = kb_segment_kind_parse(optarg)))
                rc = cli_usage("codebook", "--unit is sentence, turn or "
                                           "paragraph");
            break;
        case OPT_RUN:
            if (cli_number(optarg, 1, INT64_MAX, &n))
                rc = cli_usage("codebook", "--run wants a run number");
            o.run = n;
            break;
        case OPT_SAMPLE:
            if (cli_number(optarg, 0, 1000000, &n))
                rc = cli_usage("codebook", "--sample wants a number");
            o.sample = (size_t)n;
            break;
        default:
            rc = cli_bad_option("codebook try", argv);
        }
    }
    if (!rc && optind + 1 != argc)
        rc = cli_usage("codebook", "try wants one concept");
    if (!rc && !o.npatterns)
        rc = cli_usage("codebook", "try wants --pattern RE (one or more)");
    kb_project *p = NULL;
    kb_try_report *r = NULL;
    kb_error err;
    if (!rc) {
        o.concept = argv[optind];
        o.patterns = pats;
        o.notice = cli_notice;
        rc = cli_open(&p, project);
    }
    if (!rc && kb_project_try(&r, p, &o, &err))
        rc = cli_fail(&err);
    if (!rc && !strcmp(format, "json")) {
        json j;
        json_init(&j, stdout);
        json_object(&j, NULL);
        json_try_report(&j, r, o.concept);
        json_end(&j);
    } else if (!rc) {
        print_try(r, o.concept);
    }
    kb_try_report_free(r);
    kb_project_free(p);
    free(pats);
    return rc;
}

int cmd_codebook(int argc, char **argv, const char *project)
{
    static const char *const formats[] = {"text", "json", NULL};
    const char *format = "text";
    if (argc >= 2 && !strcmp(argv[1], "import"))
        return import_sheet(argc - 1, argv + 1);
    if (argc >= 2 && !strcmp(argv[1], "export"))
        return export_qdc(argc - 1, argv + 1, project);
    if (argc >= 2 && !strcmp(argv[1], "try"))
        return try_rule(argc - 1, argv + 1, project);
    int stop, rc = cli_list_options("codebook", HELP, formats, argc, argv,
                                    &project, &format, &stop);
    if (stop)
        return rc;
    if (optind >= argc)
        return cli_usage("codebook",
                         "which action? (check, import, export, try)");
    if (strcmp(argv[optind], "check") != 0)
        return cli_usage("codebook",
                         "unknown action '%s' (check, import, export, try)",
                         argv[optind]);
    if (optind + 2 != argc)
        return cli_usage("codebook", "check wants one codebook file");
    const char *path = argv[optind + 1];
    kb_codebook *cb;
    kb_error err;
    if (kb_codebook_load(&cb, path, &err))
        return cli_fail(&err);
    char buf[1200];
    for (size_t i = 0; i < kb_codebook_warning_count(cb); i++)
        cli_errorf(
            "%s", kb_error_format(kb_codebook_warning(cb, i), buf, sizeof buf));
    rc = 0;
    if (!strcmp(format, "json"))
        print_json(cb);
    else
        rc = print_text(path, cb);
    kb_codebook_free(cb);
    return rc;
}
