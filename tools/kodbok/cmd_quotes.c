/*
 * cmd_quotes.c: kodbok quotes — one row per quote of a run, with its
 * document, case and its attributes, speaker, role, time, span, codes with
 * their labels, facet values, source, coder, memo and text, in any table
 * format; --columns chooses.
 */
#include "cli.h"
#include "tables.h"

#include <string.h>

static const char HELP[] =
    "usage: kodbok quotes [OPTIONS]\n\n"
    "Lists the quotes of the latest coding run, one row each: document,\n"
    "case, one column per case attribute (attr:NAME), speaker, role, time,\n"
    "start, end (code points), dimension, dimension_label, theme,\n"
    "theme_label, concept, concept_label, one column per facet (level),\n"
    "source, coder, memo, text. The text format shows document, case,\n"
    "speaker, start, end, the code ids, the facets, source, coder and text\n"
    "unless --columns says otherwise. Headers are these ids in csv, tsv and\n"
    "json, and words in --lang for people (text, md, html, xlsx).\n\n"
    "docx and odt are a document for a manuscript: the quotes under a\n"
    "heading per theme and level (as the slides group them) and per\n"
    "first-order concept, each with its case, speaker, time and memo.\n\n"
    "  --columns A,B,...    these columns, in this order\n"
    "  -f, --format F       text (default), csv, tsv, md, html, json, xlsx,\n"
    "                       docx, odt\n"
    "  --title TEXT         docx, odt: the document's title (default: "
    "Citat)\n"
    "  --bom                csv, tsv: a UTF-8 byte order mark first (Excel)\n"
    "  --safe-csv           csv, tsv: a ' before each cell a spreadsheet "
    "would\n"
    "                       read as a formula (=, +, -, @ first)\n"
    "  --delimiter ;        csv: ';' between fields (Swedish "
    "Excel)\n" TABLE_OPTIONS_HELP;

int cmd_quotes(int argc, char **argv, const char *project)
{
    static const struct option opts[] = {
        TABLE_OPTIONS,
        {"format", required_argument, NULL, 'f'},
        {"bom", no_argument, NULL, OPT_BOM},
        {"safe-csv", no_argument, NULL, OPT_SAFE_CSV},
        {"delimiter", required_argument, NULL, OPT_DELIMITER},
        {"columns", required_argument, NULL, OPT_COLUMNS},
        {"title", required_argument, NULL, OPT_TITLE},
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
    return table_export_pages(&a, rc, kb_quotes_write_pages);
}
