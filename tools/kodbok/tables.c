/*
 * tables.c: the options and the output shared by kodbok quotes, matrix and
 * report (tables.h).
 */
#define _XOPEN_SOURCE 700 /* realpath (XSI) beside the build's POSIX 2008 */
#include "tables.h"
#include "cli.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

void table_args_init(table_args *a, const char *cmd, const char *project)
{
    static const kb_export_options defaults = KB_EXPORT_OPTIONS_INIT;
    memset(a, 0, sizeof *a);
    a->cmd = cmd;
    a->project = project;
    a->opts = defaults;
    a->opts.notice = cli_notice;
}

void table_args_free(table_args *a)
{
    free(a->facet);
    free(a->attr);
}

/* Splits "NAME=VALUE" into a copy in *buf; 0, or -1 if it is not that. */
static int split_pair(const char *arg, char **buf, const char **name,
                      const char **value)
{
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg || !eq[1])
        return -1;
    free(*buf);
    if (!(*buf = strdup(arg)))
        return -1;
    (*buf)[eq - arg] = '\0';
    *name = *buf;
    *value = *buf + (eq - arg) + 1;
    return 0;
}

int table_option(table_args *a, int c, const char *arg)
{
    kb_quote_filter *f = &a->filter;
    kb_export_options *o = &a->opts;
    long long n;
    switch (c) {
    case 'p':
        a->project = arg;
        return 0;
    case 'o':
        a->output = arg;
        return 0;
    case 'f':
        a->format_given = 1;
        if (!(o->format = kb_export_format_parse(arg)))
            return cli_usage(a->cmd,
                             "unknown format '%s' (one of: text, csv, tsv, "
                             "md, html, json, xlsx, docx, odt, svg)",
                             arg);
        return 0;
    case OPT_RUN:
        if (cli_number(arg, 1, INT64_MAX, &n))
            return cli_usage(a->cmd, "--run wants a run number");
        f->run = n;
        return 0;
    case OPT_SOURCE:
        if (strcmp(arg, "auto") && strcmp(arg, "manual") && strcmp(arg, "all"))
            return cli_usage(a->cmd,
                             "unknown source '%s' (auto, manual or all)", arg);
        f->source = arg;
        return 0;
    case OPT_CODER:
        f->coder = arg;
        return 0;
    case OPT_DIMENSION:
        f->dimension = arg;
        return 0;
    case OPT_THEME:
        f->theme = arg;
        return 0;
    case OPT_CONCEPT:
        f->concept = arg;
        return 0;
    case OPT_FACET:
        if (split_pair(arg, &a->facet, &f->facet, &f->facet_value))
            return cli_usage(a->cmd, "--facet wants FACET=VALUE (level=lokal)");
        return 0;
    case OPT_CASE:
        f->case_id = arg;
        return 0;
    case OPT_ATTR:
        if (split_pair(arg, &a->attr, &f->attr, &f->attr_value))
            return cli_usage(a->cmd, "--attr wants NAME=VALUE (gender=kvinna)");
        return 0;
    case OPT_DOC:
        f->document = arg;
        return 0;
    case OPT_MAX_WORDS:
        if (cli_number(arg, 0, 1000000, &n))
            return cli_usage(a->cmd, "--max-words wants a number of words");
        o->max_words = (size_t)n;
        return 0;
    case OPT_BOM:
        o->bom = 1;
        return 0;
    case OPT_SAFE_CSV:
        o->safe_csv = 1;
        return 0;
    case OPT_DELIMITER:
        if (strcmp(arg, ",") && strcmp(arg, ";"))
            return cli_usage(a->cmd, "--delimiter is ',' or ';'");
        o->delimiter = arg[0];
        return 0;
    case OPT_LANG:
        if (strcmp(arg, "sv") && strcmp(arg, "en"))
            return cli_usage(a->cmd, "unknown language '%s' (sv or en)", arg);
        o->lang = arg;
        return 0;
    case OPT_ROWS:
        o->rows = arg;
        return 0;
    case OPT_COLS:
        o->cols = arg;
        return 0;
    case OPT_COUNT: {
        int k = kb_count_kind_parse(arg);
        if (k < 0)
            return cli_usage(a->cmd,
                             "unknown count '%s' (quotes, documents, cases, "
                             "words or presence)",
                             arg);
        o->count = (kb_count_kind)k;
        return 0;
    }
    case OPT_QUOTES:
        o->quotes = 1;
        return 0;
    case OPT_UNIT: {
        int u = kb_matrix_unit_parse(arg);
        if (u < 0)
            return cli_usage(a->cmd,
                             "unknown unit '%s' (segment, turn, document or "
                             "case)",
                             arg);
        o->unit = (kb_matrix_unit)u;
        return 0;
    }
    case OPT_JACCARD:
        o->jaccard = 1;
        return 0;
    case OPT_TITLE:
        o->title = arg;
        return 0;
    case OPT_COLUMNS:
        o->columns = arg;
        return 0;
    default:
        return -1;
    }
}

int table_parse(table_args *a, const char *cmd, const char *project, int argc,
                char **argv, const char *shortopts, const struct option *opts,
                const char *help)
{
    table_args_init(a, cmd, project);
    int c, rc = 0;
    while (!rc && (c = getopt_long(argc, argv, shortopts, opts, NULL)) != -1) {
        if (c == 'h') {
            fputs(help, stdout);
            return -1;
        }
        rc = table_option(a, c, optarg);
        if (rc < 0)
            rc = cli_bad_option(cmd, argv);
    }
    return rc;
}

int table_quotes(kb_quote_list **out, kb_project *p, const table_args *a)
{
    kb_error err;
    if (kb_project_quotes(out, p, &a->filter, &err))
        return cli_fail(&err);
    return 0;
}

/* Without -f, the format -o FILE's extension names (quotes.csv, M.XLSX),
 * if it names one; "txt" is the default, text. */
static void format_from_output(table_args *a)
{
    const char *dot = a->output ? strrchr(a->output, '.') : NULL;
    char ext[8];
    size_t n = dot ? strlen(dot + 1) : 0;
    if (a->format_given || !n || n >= sizeof ext || strchr(dot, '/'))
        return;
    for (size_t i = 0; i <= n; i++)
        ext[i] = (char)tolower((unsigned char)dot[1 + i]);
    kb_export_format f = kb_export_format_parse(ext);
    if (f)
        a->opts.format = f;
}

/* table_export with `write` of the whole list, or with `pages` of the
 * quotes a document at a time. */
static int export(table_args *a, int rc, table_write_fn write,
                  table_pages_fn pages)
{
    kb_project *p = NULL;
    kb_quote_list *l = NULL;
    kb_quote_pages *pg = NULL;
    kb_error err;
    table_out out;
    format_from_output(a);
    if (!rc && !(rc = cli_open(&p, a->project)) &&
        !(rc = pages ? (kb_project_quote_pages(&pg, p, &a->filter, &err)
                            ? cli_fail(&err)
                            : 0)
                     : table_quotes(&l, p, a)) &&
        !(rc = table_out_open(&out, a->output,
                              a->opts.format == KB_EXPORT_XLSX ||
                                  a->opts.format == KB_EXPORT_DOCX ||
                                  a->opts.format == KB_EXPORT_ODT))) {
        int failed = pages ? pages(out.f, pg, &a->opts, &err)
                           : write(out.f, l, &a->opts, &err);
        rc = table_out_close(&out, failed ? &err : NULL);
    }
    kb_quote_pages_free(pg);
    kb_quote_list_free(l);
    kb_project_free(p);
    table_args_free(a);
    return rc;
}

int table_export(table_args *a, int rc, table_write_fn write)
{
    return export(a, rc, write, NULL);
}

int table_export_pages(table_args *a, int rc, table_pages_fn write)
{
    return export(a, rc, NULL, write);
}
