/*
 * cmd_init.c: kodbok init — create a new, empty project file.
 */
#include "cli.h"

#include <getopt.h>

static const char HELP[] =
    "usage: kodbok init [-p FILE]\n\n"
    "Creates an empty project (default ./" KB_PROJECT_DEFAULT
    ", or $KODBOK_PROJECT).\n"
    "Refuses to overwrite an existing file.\n";

int cmd_init(int argc, char **argv, const char *project)
{
    static const struct option opts[] = {
        {"project", required_argument, NULL, 'p'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;
    while ((c = getopt_long(argc, argv, "p:h", opts, NULL)) != -1) {
        if (c == 'p')
            project = optarg;
        else if (c == 'h')
            return fputs(HELP, stdout), 0;
        else
            return cli_bad_option("init", argv);
    }
    if (optind < argc)
        return cli_usage("init", "unexpected argument '%s'", argv[optind]);
    const char *path = cli_project_path(project);
    kb_project *p;
    kb_error err;
    if (kb_project_init(&p, path, &err))
        return cli_fail(&err);
    kb_project_free(p);
    printf("created project %s\n", path);
    return 0;
}
