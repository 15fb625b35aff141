/*
 * cmd_docs.c: kodbok docs — list the documents (current versions).
 */
#include "cli.h"

#include <getopt.h>
#include <string.h>

static const char HELP[] =
    "usage: kodbok docs [--format text|json]\n\n"
    "Lists documents: name, version, case, segment counts, encoding, and\n"
    "whether the current version replaced an older one (changed).\n";

static void print_json(const kb_doc_list *l)
{
    printf("{\"documents\": [");
    for (size_t i = 0; i < kb_doc_list_count(l); i++) {
        const kb_doc_info *d = kb_doc_list_get(l, i);
        printf("%s\n  {\"name\": ", i ? "," : "");
        json_cstr(stdout, d->name);
        printf(", \"version\": %d, \"changed\": %s, \"case\": ", d->version,
               d->changed ? "true" : "false");
        json_cstr(stdout, d->case_id);
        printf(", \"source\": ");
        json_cstr(stdout, d->source_path);
        printf(", \"encoding\": ");
        json_cstr(stdout, d->encoding);
        printf(", \"hash\": ");
        json_cstr(stdout, d->hash);
        printf(", \"imported_at\": ");
        json_cstr(stdout, d->imported_at);
        printf(", \"chars\": %zu, \"turns\": %zu, \"paragraphs\": %zu, "
               "\"sentences\": %zu}",
               d->chars, d->turns, d->paragraphs, d->sentences);
    }
    printf("%s]}\n", kb_doc_list_count(l) ? "\n" : "");
}

static void print_text(const kb_doc_list *l)
{
    if (!kb_doc_list_count(l)) {
        printf("no documents (import some with 'kodbok import FILE...')\n");
        return;
    }
    printf("%-16s %3s %-8s %6s %6s %6s %8s  %-12s %s\n", "document", "ver",
           "case", "turns", "paras", "sents", "chars", "encoding", "status");
    for (size_t i = 0; i < kb_doc_list_count(l); i++) {
        const kb_doc_info *d = kb_doc_list_get(l, i);
        printf("%-16s %3d %-8s %6zu %6zu %6zu %8zu  %-12s %s\n", d->name,
               d->version, d->case_id ? d->case_id : "-", d->turns,
               d->paragraphs, d->sentences, d->chars, d->encoding,
               d->changed ? "changed" : "");
    }
}

int cmd_docs(int argc, char **argv, const char *project)
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
            return cli_bad_option("docs", argv);
    }
    if (optind < argc)
        return cli_usage("docs", "unexpected argument '%s'", argv[optind]);
    int rc = cli_check_format("docs", format, formats);
    if (rc)
        return rc;
    kb_project *p;
    if ((rc = cli_open(&p, project)) != 0)
        return rc;
    kb_doc_list *l;
    kb_error err;
    rc = kb_project_docs(&l, p, &err);
    kb_project_free(p);
    if (rc)
        return cli_fail(&err);
    if (!strcmp(format, "json"))
        print_json(l);
    else
        print_text(l);
    kb_doc_list_free(l);
    return 0;
}
