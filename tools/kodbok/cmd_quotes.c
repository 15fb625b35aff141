/*
 * cmd_quotes.c: kodbok quotes — one row per quote of a run, with its
 * document, case, speaker, span, codes, facet values, source and text, in
 * any table format.
 */
#include "cli.h"
#include "tables.h"

#include <string.h>

static const char HELP[] =
    "usage: kodbok quotes [OPTIONS]\n\n"
    "Lists the quotes of the latest coding run, one row each: document,\n"
    "case, speaker, start, end (code points), dimension, theme, concept,\n"
    "one column per facet (level), source, coder, text.\n\n"
    "  -f, --format F       text (default), csv, tsv, md, html, json, xlsx\n"
    "  --bom                csv, tsv: a UTF-8 byte order mark first (Excel)\n"
    "  --delimiter ;        csv: ';' between fields (Swedish "
    "Excel)\n" TABLE_OPTIONS_HELP;

int cmd_quotes(int argc, char **argv, const char *project)
{
    static const struct option opts[] = {
        TABLE_OPTIONS,
        {"format", required_argument, NULL, 'f'},
        {"bom", no_argument, NULL, OPT_BOM},
        {"delimiter", required_argument, NULL, OPT_DELIMITER},
        {NULL, 0, NULL, 0},
    };
    table_args a;
    int rc =
        table_parse(&a, "quotes", project, argc, argv, "p:f:o:h", opts, HELP);
    if (rc < 0) {
        table_args_free(&a);
        return 0;
    }
    if (!rc && optind < argc)
        rc = cli_usage("quotes", "unexpected argument '%s'", argv[optind]);
    a.filter.skip_words = 1; /* no column of them; --max-words counts its own */
    return table_export(&a, rc, kb_quotes_write);
}
