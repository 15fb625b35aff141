/*
 * cmd_complete.c: kodbok __complete KIND, the names of the project the
 * shells' completions offer (tools/completions/), one a line: documents,
 * cases, codes (the latest run's ids) or coders. Not in --help. A project
 * that cannot be opened has no names to offer: nothing is printed and the
 * exit is 0, so that a completion never writes over the prompt.
 */
#include "cli.h"

#include <string.h>

static int print_name(void *ctx, const char *name)
{
    (void)ctx;
    return puts(name) < 0;
}

int cmd_complete(int argc, char **argv, const char *project)
{
    static const struct {
        const char *name;
        kb_name_kind kind;
    } KINDS[] = {{"documents", KB_NAMES_DOCUMENTS},
                 {"cases", KB_NAMES_CASES},
                 {"codes", KB_NAMES_CODES},
                 {"coders", KB_NAMES_CODERS}};
    if (argc != 2) {
        cli_errorf("__complete wants one of documents, cases, codes, coders");
        return EXIT_USAGE;
    }
    for (size_t i = 0; i < sizeof KINDS / sizeof KINDS[0]; i++) {
        if (strcmp(argv[1], KINDS[i].name))
            continue;
        kb_project *p;
        kb_error err;
        if (kb_project_open(&p, cli_project_path(project), &err))
            return 0;
        kb_project_names(p, KINDS[i].kind, print_name, NULL, &err);
        kb_project_free(p);
        return 0;
    }
    cli_errorf("__complete: unknown kind '%s' (documents, cases, codes, "
               "coders)",
               argv[1]);
    return EXIT_USAGE;
}
