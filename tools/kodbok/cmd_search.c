/*
 * cmd_search.c: kodbok search — keyword in context over the current
 * versions of the documents: every match of a regex with its document,
 * case, position and the words around it.
 */
#include "cli.h"

#include <string.h>

static const char HELP[] =
    "usage: kodbok search REGEX [--context N] [--doc NAME]\n"
    "                           [--format text|json|csv|tsv]\n\n"
    "Finds every match of REGEX in the current version of each document\n"
    "and shows it in context. REGEX is PCRE2, caseless and Unicode-aware,\n"
    "as codebook patterns are (\\bröd(?:a)? tråd\\w*).\n\n"
    "  -C, --context N   code points of context on each side (default 40),\n"
    "                    cut back to whole words\n"
    "  -d, --doc NAME    only this document\n"
    "  -f, --format F    text: one aligned line per match (document, case,\n"
    "                    position, then the match in one column); json, csv\n"
    "                    and tsv: document, version, case, speaker, start,\n"
    "                    end, left, match, right\n";

int cmd_search(int argc, char **argv, const char *project)
{
    static const struct option opts[] = {
        {"project", required_argument, NULL, 'p'},
        {"context", required_argument, NULL, 'C'},
        {"doc", required_argument, NULL, 'd'},
        {"format", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    static const char *const formats[] = {"text", "json", "csv", "tsv", NULL};
    const char *format = "text";
    kb_search_options o = KB_SEARCH_OPTIONS_INIT;
    o.notice = cli_notice;
    long long v;
    int c;
    while ((c = getopt_long(argc, argv, "p:C:d:f:h", opts, NULL)) != -1) {
        switch (c) {
        case 'p':
            project = optarg;
            break;
        case 'C':
            if (cli_number(optarg, 0, 10000, &v))
                return cli_usage("search",
                                 "--context wants a number from 0 to 10000, "
                                 "not '%s'",
                                 optarg);
            o.context = (size_t)v;
            break;
        case 'd':
            o.document = optarg;
            break;
        case 'f':
            format = optarg;
            break;
        case 'h':
            fputs(HELP, stdout);
            return 0;
        default:
            return cli_bad_option("search", argv);
        }
    }
    if (argc - optind != 1)
        return cli_usage("search", argc - optind ? "one REGEX only"
                                                 : "what to search for: REGEX");
    if (cli_check_format("search", format, formats))
        return EXIT_USAGE;
    o.format = !strcmp(format, "json")  ? KB_SEARCH_JSON
               : !strcmp(format, "csv") ? KB_SEARCH_CSV
               : !strcmp(format, "tsv") ? KB_SEARCH_TSV
                                        : KB_SEARCH_TEXT;
    kb_project *p;
    int rc = cli_open(&p, project);
    if (rc)
        return rc;
    kb_error err;
    if (kb_search_write(stdout, p, argv[optind], &o, &err))
        rc = cli_fail(&err);
    kb_project_free(p);
    return rc;
}
