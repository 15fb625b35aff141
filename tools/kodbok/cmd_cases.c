/*
 * cmd_cases.c: kodbok cases — list cases with their attributes, or
 * `kodbok cases import FILE` to load a cases CSV.
 */
#include "cli.h"
#include "json.h"

#include <string.h>

static const char HELP[] =
    "usage: kodbok cases [--format text|json]\n"
    "       kodbok cases import FILE\n\n"
    "Lists cases (respondents) and their attributes, or loads them from a\n"
    "CSV with a header 'case,...'. Optional columns 'document' and 'speaker'\n"
    "map a case to a document or to one speaker in it (focus groups), and\n"
    "'interviewer' names the interviewer's label in the case's document\n"
    "(read by later imports); every other column is an attribute. Without a "
    "'document' column, a case maps\n"
    "to the document of the same name.\n";

static void print_json(const kb_case_list *l)
{
    json j;
    json_init(&j, stdout);
    json_object(&j, NULL);
    json_array(&j, "cases");
    for (size_t i = 0; i < kb_case_list_count(l); i++) {
        const kb_case_info *c = kb_case_list_get(l, i);
        json_object(&j, NULL);
        json_case_info(&j, c);
        json_end(&j);
    }
    json_end(&j);
    json_end(&j);
}

static void print_text(const kb_case_list *l)
{
    if (!kb_case_list_count(l)) {
        printf("no cases (load them with 'kodbok cases import cases.csv')\n");
        return;
    }
    for (size_t i = 0; i < kb_case_list_count(l); i++) {
        const kb_case_info *c = kb_case_list_get(l, i);
        printf("%-*s %5zu %s", cli_pad(c->id, 8), c->id, c->segments,
               cli_plural(c->segments, "turn", "turns"));
        if (c->document)
            printf("  %s%s%s", c->document, c->speaker ? " / " : "",
                   c->speaker ? c->speaker : "");
        if (c->interviewer)
            printf("  interviewer: %s", c->interviewer);
        for (size_t a = 0; a < c->nattrs; a++)
            printf("  %s=%s", c->attr_names[a], c->attr_values[a]);
        putchar('\n');
    }
}

int cmd_cases(int argc, char **argv, const char *project)
{
    static const char *const formats[] = {"text", "json", NULL};
    const char *format = "text";
    int stop, rc = cli_list_options("cases", HELP, formats, argc, argv,
                                    &project, &format, &stop);
    if (stop)
        return rc;
    int importing = optind < argc && !strcmp(argv[optind], "import");
    if (importing && optind + 2 != argc)
        return cli_usage("cases", "import wants one CSV file");
    if (!importing && optind < argc)
        return cli_usage("cases", "unexpected argument '%s'", argv[optind]);
    kb_project *p;
    if ((rc = cli_open(&p, project)) != 0)
        return rc;
    kb_error err;
    if (importing) {
        kb_cases_options o = KB_CASES_OPTIONS_INIT;
        o.notice = cli_notice;
        rc = kb_project_load_cases(p, argv[optind + 1], &o, &err);
        if (!rc) {
            printf("loaded cases from %s\n", argv[optind + 1]);
            cli_interviewers_pending(p);
        }
        kb_project_free(p);
        return rc ? cli_fail(&err) : 0;
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
