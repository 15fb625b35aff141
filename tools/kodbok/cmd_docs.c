/*
 * cmd_docs.c: kodbok docs — list the documents (current versions).
 */
#include "cli.h"
#include "json.h"

#include <string.h>

static const char HELP[] =
    "usage: kodbok docs [--format text|json]\n\n"
    "Lists documents: name, version, case, segment counts, encoding, and\n"
    "whether the current version replaced an older one (changed).\n";

static void print_json(const kb_doc_list *l)
{
    json j;
    json_init(&j, stdout);
    json_object(&j, NULL);
    json_array(&j, "documents");
    for (size_t i = 0; i < kb_doc_list_count(l); i++) {
        json_object(&j, NULL);
        json_doc_info(&j, kb_doc_list_get(l, i));
        json_end(&j);
    }
    json_end(&j);
    json_end(&j);
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
        const char *case_id = d->case_id ? d->case_id : "-";
        printf("%-*s %3d %-*s %6zu %6zu %6zu %8zu  %-12s %s\n",
               cli_pad(d->name, 16), d->name, d->version, cli_pad(case_id, 8),
               case_id, d->turns, d->paragraphs, d->sentences, d->chars,
               d->encoding, d->changed ? "changed" : "");
    }
}

int cmd_docs(int argc, char **argv, const char *project)
{
    static const char *const formats[] = {"text", "json", NULL};
    const char *format = "text";
    int stop, rc = cli_list_options("docs", HELP, formats, argc, argv, &project,
                                    &format, &stop);
    if (stop)
        return rc;
    if (optind < argc)
        return cli_usage("docs", "unexpected argument '%s'", argv[optind]);
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
