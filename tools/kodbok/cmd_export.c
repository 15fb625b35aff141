/*
 * cmd_export.c: kodbok export qdpx — the project as a REFI-QDA project for
 * NVivo, MAXQDA, ATLAS.ti, QualCoder and others.
 */
#include "cli.h"

#include <string.h>

static const char HELP[] =
    "usage: kodbok export qdpx -o FILE.qdpx [--line-ends lf|crlf] "
    "[--name NAME]\n\n"
    "Writes the project as a REFI-QDA project: the documents' current\n"
    "texts, the cases and their attributes, the last run's codebook, its\n"
    "automatic quotes (under the user 'kodbok rules'), every coder's manual\n"
    "codings and their memos. Positions count code points, end exclusive.\n\n"
    "  -o, --output FILE   the .qdpx to write (replaced once complete)\n"
    "  --line-ends crlf    write the texts with CRLF and count each CRLF as\n"
    "                      two, as Windows tools do (default: lf)\n"
    "  --name NAME         the project's name (default: the project file's)\n";

enum { OPT_LINE_ENDS = 256, OPT_NAME };

int cmd_export(int argc, char **argv, const char *project)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},
        {"project", required_argument, NULL, 'p'},
        {"line-ends", required_argument, NULL, OPT_LINE_ENDS},
        {"name", required_argument, NULL, OPT_NAME},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    kb_qdpx_options o = KB_QDPX_OPTIONS_INIT;
    const char *output = NULL;
    int c;
    optind = 0; /* a fresh scan: main() used getopt already */
    while ((c = getopt_long(argc, argv, "o:p:h", opts, NULL)) != -1) {
        switch (c) {
        case 'o':
            output = optarg;
            break;
        case 'p':
            project = optarg;
            break;
        case 'h':
            fputs(HELP, stdout);
            return 0;
        case OPT_LINE_ENDS:
            if (!strcmp(optarg, "lf"))
                o.line_ends = KB_LINE_ENDS_LF;
            else if (!strcmp(optarg, "crlf"))
                o.line_ends = KB_LINE_ENDS_CRLF;
            else
                return cli_usage("export", "--line-ends wants lf or crlf");
            break;
        case OPT_NAME:
            o.name = optarg;
            break;
        default:
            return cli_bad_option("export", argv);
        }
    }
    if (optind >= argc)
        return cli_usage("export", "which format? (qdpx)");
    if (strcmp(argv[optind], "qdpx"))
        return cli_usage("export", "unknown format '%s' (qdpx)", argv[optind]);
    if (optind + 1 != argc || !output)
        return cli_usage("export", "qdpx wants -o FILE.qdpx");
    kb_project *p;
    int rc = cli_open(&p, project);
    if (rc)
        return rc;
    kb_error err;
    if (kb_project_write_qdpx(p, output, &o, &err))
        rc = cli_fail(&err);
    else
        printf("wrote %s\n", output);
    kb_project_free(p);
    return rc;
}
