/*
 * cmd_codebook.c: kodbok codebook check FILE — validate a codebook and
 * print its tree with counts; warnings go to stderr. kodbok codebook
 * import (a spreadsheet) and export (REFI-QDA).
 */
#include "cli.h"
#include "json.h"

#include <stdio.h>
#include <string.h>

static const char HELP[] =
    "usage: kodbok codebook check FILE [--format text|json]\n"
    "usage: kodbok codebook check FILE [--format text|json]\n"
    "       kodbok codebook import SHEET.csv|FILE.qdc -o CODEBOOK.yaml "
    "[--name NAME]\n"
    "       kodbok codebook export [--format qdc] -o FILE.qdc [CODEBOOK]\n\n"
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
    "code's rules at the end of its description.\n";

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

static size_t children(const kb_codebook *cb, size_t parent)
{
    size_t n = 0;
    for (size_t i = 0; i < kb_codebook_count(cb); i++)
        n += kb_codebook_get(cb, i)->parent == parent;
    return n;
}

static void print_text(const char *path, const kb_codebook *cb)
{
    size_t count[6] = {0}, patterns = 0, excludes = 0;
    for (size_t i = 0; i < kb_codebook_count(cb); i++) {
        const kb_code_info *c = kb_codebook_get(cb, i);
        count[c->kind]++;
        patterns += c->npatterns;
        excludes += c->nexcludes;
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
            printf("  (%zu %s)\n", children(cb, i),
                   cli_plural(children(cb, i), "theme", "themes"));
            break;
        case KB_CODE_THEME:
            printf("  (%zu %s)\n", children(cb, i),
                   cli_plural(children(cb, i), "concept", "concepts"));
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
            printf("  (%zu %s%s%s%s%s)\n", children(cb, i),
                   cli_plural(children(cb, i), "value", "values"),
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

int cmd_codebook(int argc, char **argv, const char *project)
{
    static const char *const formats[] = {"text", "json", NULL};
    const char *format = "text";
    if (argc >= 2 && !strcmp(argv[1], "import"))
        return import_sheet(argc - 1, argv + 1);
    if (argc >= 2 && !strcmp(argv[1], "export"))
        return export_qdc(argc - 1, argv + 1, project);
    int stop, rc = cli_list_options("codebook", HELP, formats, argc, argv,
                                    &project, &format, &stop);
    if (stop)
        return rc;
    if (optind >= argc)
        return cli_usage("codebook", "which action? (check, import, export)");
    if (strcmp(argv[optind], "check") != 0)
        return cli_usage("codebook",
                         "unknown action '%s' (check, import, export)",
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
    if (!strcmp(format, "json"))
        print_json(cb);
    else
        print_text(path, cb);
    kb_codebook_free(cb);
    return 0;
}
