/*
 * cmd_suggest.c: kodbok suggest — patterns for a concept learnt from a
 * coder's manual codings of it, each scored against the coder, a combined
 * rule, and the YAML to paste under the concept; --folds shows whether
 * they hold on documents they were not learnt from.
 */
#include "cli.h"
#include "tables.h"

#include <string.h>

static const char HELP[] =
    "usage: kodbok suggest CONCEPT --gold CODER [OPTIONS]\n\n"
    "Proposes patterns for CONCEPT from CODER's manual codings of it: the\n"
    "words, stems (\\w*) and two-word phrases most over-used (G2) in the\n"
    "units the coder coded against the other units of the documents the\n"
    "coder rated, each matched by the engine as 'kodbok code' would (the\n"
    "concept's scope, speakers, case rule and excludes) and scored against\n"
    "the coder (precision, recall, F1, as 'kodbok eval' counts them). Then\n"
    "a combined rule (candidates added while F1 rises) and its patterns as\n"
    "YAML to paste under the concept.\n\n"
    "  --gold CODER         the coder learnt from\n"
    "  --unit U             sentence (default), paragraph or turn\n"
    "  --folds K            learn on K-1 folds of the documents, score on\n"
    "                       the one held out, each fold in turn\n"
    "  --top N              candidates listed (default 20)\n"
    "  --run N              the codebook of run N (default: the latest)\n"
    "  --stop FILE          your stop words (one a line, # comments)\n"
    "  -f, --format F       text (default), json or yaml (the snippet)\n"
    "  -o, --output FILE    write to FILE (without it, or '-': stdout)\n";

int cmd_suggest(int argc, char **argv, const char *project)
{
    enum { OPT_GOLD = 400, OPT_SUNIT, OPT_FOLDS, OPT_TOP, OPT_SRUN, OPT_STOP };
    static const struct option opts[] = {
        {"project", required_argument, NULL, 'p'},
        {"output", required_argument, NULL, 'o'},
        {"format", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        {"gold", required_argument, NULL, OPT_GOLD},
        {"unit", required_argument, NULL, OPT_SUNIT},
        {"folds", required_argument, NULL, OPT_FOLDS},
        {"top", required_argument, NULL, OPT_TOP},
        {"run", required_argument, NULL, OPT_SRUN},
        {"stop", required_argument, NULL, OPT_STOP},
        {NULL, 0, NULL, 0},
    };
    static const char *const FORMATS[] = {"text", "json", "yaml", NULL};
    kb_suggest_options o = KB_SUGGEST_OPTIONS_INIT;
    const char *output = NULL, *format = "text";
    int c, rc = 0;
    long long n;
    while (!rc && (c = getopt_long(argc, argv, "p:o:f:h", opts, NULL)) != -1) {
        switch (c) {
        case 'h':
            fputs(HELP, stdout);
            return 0;
        case 'p':
            project = optarg;
            break;
        case 'o':
            output = optarg;
            break;
        case 'f':
            format = optarg;
            rc = cli_check_format("suggest", format, FORMATS);
            break;
        case OPT_GOLD:
            o.gold = optarg;
            break;
        case OPT_SUNIT:
            if (!(o.unit = kb_segment_kind_parse(optarg)))
                rc = cli_usage("suggest", "--unit is sentence, turn or "
                                          "paragraph");
            break;
        case OPT_FOLDS:
            if (cli_number(optarg, 2, 1000, &n))
                rc = cli_usage("suggest", "--folds wants 2 or more");
            o.folds = (size_t)n;
            break;
        case OPT_TOP:
            if (cli_number(optarg, 1, 100000, &n))
                rc = cli_usage("suggest", "--top wants a number of 1 or more");
            o.top = (size_t)n;
            break;
        case OPT_SRUN:
            if (cli_number(optarg, 1, INT64_MAX, &n))
                rc = cli_usage("suggest", "--run wants a run number");
            o.run = n;
            break;
        case OPT_STOP:
            o.stop_path = optarg;
            break;
        default:
            rc = cli_bad_option("suggest", argv);
        }
    }
    if (rc)
        return rc;
    if (optind >= argc)
        return cli_usage("suggest", "which concept? (kodbok suggest CONCEPT "
                                    "--gold CODER)");
    if (optind + 1 < argc)
        return cli_usage("suggest", "unexpected argument '%s'",
                         argv[optind + 1]);
    if (!o.gold)
        return cli_usage("suggest", "--gold CODER, please");
    o.concept = argv[optind];
    o.notice = cli_notice;
    kb_project *p = NULL;
    kb_suggest_report *r = NULL;
    kb_error err;
    table_out out;
    if (!(rc = cli_open(&p, project))) {
        if (kb_project_suggest(&r, p, &o, &err))
            rc = cli_fail(&err);
        else if (!(rc = table_out_open(&out, output, 0))) {
            kb_suggest_format f = !strcmp(format, "json")   ? KB_SUGGEST_JSON
                                  : !strcmp(format, "yaml") ? KB_SUGGEST_YAML
                                                            : KB_SUGGEST_TEXT;
            int failed = kb_suggest_write(out.f, r, f, &err);
            rc = table_out_close(&out, failed ? &err : NULL);
        }
    }
    kb_suggest_report_free(r);
    kb_project_free(p);
    return rc;
}
