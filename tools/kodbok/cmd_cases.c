/*
 * cmd_cases.c: kodbok cases — list cases with their attributes, or
 * `kodbok cases import FILE` to load a cases CSV.
 */
#include "cli.h"

#include <getopt.h>
#include <string.h>

static const char HELP[] =
    "usage: kodbok cases [--format text|json]\n"
    "       kodbok cases import FILE\n\n"
    "Lists cases (respondents) and their attributes, or loads them from a\n"
    "CSV with a header 'case,...'. Optional columns 'document' and 'speaker'\n"
    "map a case to a document or to one speaker in it (focus groups); every\n"
    "other column is an attribute. Without a 'document' column, a case maps\n"
    "to the document of the same name.\n";

static void print_json(const kb_case_list *l)
{
    printf("{\"cases\": [");
    for (size_t i = 0; i < kb_case_list_count(l); i++) {
        const kb_case_info *c = kb_case_list_get(l, i);
        printf("%s\n  {\"case\": ", i ? "," : "");
        json_cstr(stdout, c->id);
        printf(", \"document\": ");
        json_cstr(stdout, c->document);
        printf(", \"speaker\": ");
        json_cstr(stdout, c->speaker);
        printf(", \"turns\": %zu, \"attributes\": {", c->segments);
        for (size_t a = 0; a < c->nattrs; a++) {
            printf("%s", a ? ", " : "");
            json_cstr(stdout, c->attr_names[a]);
            printf(": ");
            json_cstr(stdout, c->attr_values[a]);
        }
        printf("}}");
    }
    printf("%s]}\n", kb_case_list_count(l) ? "\n" : "");
}

static void print_text(const kb_case_list *l)
{
    if (!kb_case_list_count(l)) {
        printf("no cases (load them with 'kodbok cases import cases.csv')\n");
        return;
    }
    for (size_t i = 0; i < kb_case_list_count(l); i++) {
        const kb_case_info *c = kb_case_list_get(l, i);
        printf("%-8s %5zu turns", c->id, c->segments);
        if (c->document)
            printf("  %s%s%s", c->document, c->speaker ? " / " : "",
                   c->speaker ? c->speaker : "");
        for (size_t a = 0; a < c->nattrs; a++)
            printf("  %s=%s", c->attr_names[a], c->attr_values[a]);
        putchar('\n');
    }
}

int cmd_cases(int argc, char **argv, const char *project)
{
    static const struct option opts[] = {
        {"project", required_argument, NULL, 'p'},
        {"format", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    static const char *const formats[] = {"text", "json", NULL};
    const char *format = "text";
    int c;
    while ((c = getopt_long(argc, argv, "p:f:h", opts, NULL)) != -1) {
        if (c == 'p')
            project = optarg;
        else if (c == 'f')
            format = optarg;
        else if (c == 'h')
            return fputs(HELP, stdout), 0;
        else
            return cli_bad_option("cases", argv);
    }
    int importing = optind < argc && !strcmp(argv[optind], "import");
    if (importing && optind + 2 != argc)
        return cli_usage("cases", "import wants one CSV file");
    if (!importing && optind < argc)
        return cli_usage("cases", "unexpected argument '%s'", argv[optind]);
    int rc = cli_check_format("cases", format, formats);
    if (rc)
        return rc;
    kb_project *p;
    if ((rc = cli_open(&p, project)) != 0)
        return rc;
    kb_error err;
    if (importing) {
        rc = kb_project_load_cases(p, argv[optind + 1], cli_notice, NULL, &err);
        kb_project_free(p);
        if (rc)
            return cli_fail(&err);
        printf("loaded cases from %s\n", argv[optind + 1]);
        return 0;
    }
    kb_case_list *l;
    rc = kb_project_cases(&l, p, &err);
    kb_project_free(p);
    if (rc)
        return cli_fail(&err);
    if (!strcmp(format, "json"))
        print_json(l);
    else
        print_text(l);
    kb_case_list_free(l);
    return 0;
}
