/*
 * cmd_matrix.c: kodbok matrix — the quotes counted by two axes (theme by
 * level unless asked otherwise) with row and column totals, or the
 * co-occurrence of two axes of codes in units, in any table format or as
 * an SVG heat map, the cells with their quotes in html, json and xlsx.
 */
#include "cli.h"
#include "tables.h"

#include <string.h>

static const char HELP[] =
    "usage: kodbok matrix [--rows A] [--cols B] [--count C] [--quotes]\n"
    "                     [--unit U] [--jaccard] [OPTIONS]\n\n"
    "Counts the quotes of the latest coding run by two axes, with row and\n"
    "column totals. An axis is dimension, theme, concept, a facet (level),\n"
    "attr:NAME (a case attribute), speaker, document or case.\n\n"
    "When both axes are codes (dimension, theme, concept), a cell counts\n"
    "the units that hold both codes: a code holds a unit when one of its\n"
    "quotes lies in it (co-occurrence; the diagonal of concept by concept\n"
    "is the units holding each concept).\n\n"
    "  --rows A             the rows' axis (default: theme)\n"
    "  --cols B             the columns' axis (default: level)\n"
    "  --count C            quotes (default; units in co-occurrence),\n"
    "                       documents, cases, words, or presence (0/1)\n"
    "  --unit U             co-occurrence in: segment (the sentences a quote\n"
    "                       overlaps, default), turn, document or case\n"
    "  --jaccard            co-occurrence cells show the Jaccard index\n"
    "                       (units with both / units with either)\n"
    "  --quotes             each cell with its quotes (html, json, xlsx)\n"
    "  -f, --format F       text (default), csv, tsv, md, html, json, xlsx,\n"
    "                       svg (a heat map)\n"
    "  --bom                csv, tsv: a UTF-8 byte order mark first (Excel)\n"
    "  --safe-csv           csv, tsv: a ' before each cell a spreadsheet "
    "would\n"
    "                       read as a formula (=, +, -, @ first)\n"
    "  --delimiter ;        csv: ';' between fields (Swedish "
    "Excel)\n" TABLE_OPTIONS_HELP;

int cmd_matrix(int argc, char **argv, const char *project)
{
    static const struct option opts[] = {
        TABLE_OPTIONS,
        {"format", required_argument, NULL, 'f'},
        {"bom", no_argument, NULL, OPT_BOM},
        {"safe-csv", no_argument, NULL, OPT_SAFE_CSV},
        {"delimiter", required_argument, NULL, OPT_DELIMITER},
        {"rows", required_argument, NULL, OPT_ROWS},
        {"cols", required_argument, NULL, OPT_COLS},
        {"count", required_argument, NULL, OPT_COUNT},
        {"quotes", no_argument, NULL, OPT_QUOTES},
        {"unit", required_argument, NULL, OPT_UNIT},
        {"jaccard", no_argument, NULL, OPT_JACCARD},
        {NULL, 0, NULL, 0},
    };
    table_args a;
    int rc =
        table_parse(&a, "matrix", project, argc, argv, "p:f:o:h", opts, HELP);
    if (rc < 0) {
        table_args_free(&a);
        return 0;
    }
    kb_export_format f = a.opts.format;
    if (!rc && optind < argc)
        rc = cli_usage("matrix", "unexpected argument '%s'", argv[optind]);
    else if (!rc && a.opts.quotes && f != KB_EXPORT_HTML &&
             f != KB_EXPORT_JSON && f != KB_EXPORT_XLSX)
        rc = cli_usage("matrix", "--quotes goes with html, json or xlsx");
    a.filter.counts_only = !a.opts.quotes;
    a.filter.skip_words = a.opts.count != KB_COUNT_WORDS;
    a.filter.grouped =
        a.filter.counts_only
            ? kb_matrix_groupable(a.opts.rows, a.opts.cols, a.opts.count)
            : 0;
    return table_export(&a, rc, kb_matrix_write);
}
