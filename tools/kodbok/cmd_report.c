/*
 * cmd_report.c: kodbok report — one self-contained HTML page with the
 * matrix, each cell's quotes, the codebook's tree with the codes' memos,
 * and the analytic journal.
 */
#include "cli.h"
#include "tables.h"

#include <string.h>

static const char HELP[] =
    "usage: kodbok report [CODEBOOK] [-o report.html] [OPTIONS]\n\n"
    "Writes one HTML page that needs nothing else (no scripts, nothing\n"
    "fetched): the matrix of the run's quotes (theme by level unless asked\n"
    "otherwise), each cell linking to its quotes listed below under their\n"
    "first-order concepts, the codebook's tree with descriptions, counts\n"
    "and the memos on each code, and the project's journal, the memos on\n"
    "the project ('kodbok memo'), dated. Without CODEBOOK, the run's\n"
    "codebook (its file as it is now).\n\n"
    "  --rows A, --cols B   the matrix's axes (see 'kodbok matrix --help')\n"
    "  --count C            quotes (default), documents, cases, words or\n"
    "                       presence\n"
    "  --unit U, --jaccard  a co-occurrence matrix's unit and cells (see\n"
    "                       'kodbok matrix --help')\n"
    "  --title TEXT         the page's title (default: the codebook's "
    "name)\n" TABLE_OPTIONS_HELP;

int cmd_report(int argc, char **argv, const char *project)
{
    static const struct option opts[] = {
        TABLE_OPTIONS,
        {"rows", required_argument, NULL, OPT_ROWS},
        {"cols", required_argument, NULL, OPT_COLS},
        {"count", required_argument, NULL, OPT_COUNT},
        {"unit", required_argument, NULL, OPT_UNIT},
        {"jaccard", no_argument, NULL, OPT_JACCARD},
        {"title", required_argument, NULL, OPT_TITLE},
        {NULL, 0, NULL, 0},
    };
    table_args a;
    int rc =
        table_parse(&a, "report", project, argc, argv, "p:o:h", opts, HELP);
    if (rc < 0) {
        table_args_free(&a);
        return 0;
    }
    if (!rc && argc - optind > 1)
        rc = cli_usage("report", "one codebook at most");
    const char *path = optind < argc ? argv[optind] : NULL;
    /* the page shows no word counts but a matrix of them */
    a.filter.skip_words = a.opts.count != KB_COUNT_WORDS;
    kb_project *p = NULL;
    kb_quote_pages *pg = NULL;
    kb_codebook *cb = NULL;
    kb_memo_list *memos = NULL;
    kb_error err;
    table_out out;
    if (!rc && !(rc = cli_open(&p, a.project)) &&
        kb_project_memos(&memos, p, NULL, NULL, &err))
        rc = cli_fail(&err);
    a.opts.memos = memos;
    if (rc ||
        (rc = kb_project_quote_pages(&pg, p, &a.filter, &err) ? cli_fail(&err)
                                                              : 0) ||
        (rc = cli_run_codebook(&cb, p, path, a.filter.run,
                               "the quotes are that run's")) ||
        (rc = table_out_open(&out, a.output, 0))) {
        kb_codebook_free(cb);
        kb_quote_pages_free(pg);
        kb_memo_list_free(memos);
        kb_project_free(p);
        table_args_free(&a);
        return rc;
    }
    int failed = kb_report_write_pages(out.f, pg, cb, &a.opts, &err);
    rc = table_out_close(&out, failed ? &err : NULL);
    kb_codebook_free(cb);
    kb_quote_pages_free(pg);
    kb_memo_list_free(memos);
    kb_project_free(p);
    table_args_free(&a);
    return rc;
}
