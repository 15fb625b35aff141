/*
 * tables.h: what the table commands (quotes, matrix, report) share: their
 * options (which quotes, which format, where to), parsed in one place so
 * that the commands agree, and the output file, which is written beside
 * its path and renamed over it only when complete.
 */
#ifndef KODBOK_TABLES_H
#define KODBOK_TABLES_H

#include "kodbok.h"
#include "output.h"

#include <getopt.h>
#include <stdio.h>

/* Option codes beyond the short letters (-p, -f, -o, -h). */
enum {
    OPT_RUN = 256,
    OPT_SOURCE,
    OPT_CODER,
    OPT_DIMENSION,
    OPT_THEME,
    OPT_CONCEPT,
    OPT_FACET,
    OPT_CASE,
    OPT_ATTR,
    OPT_DOC,
    OPT_MAX_WORDS,
    OPT_BOM,
    OPT_DELIMITER,
    OPT_LANG,
    OPT_ROWS,
    OPT_COLS,
    OPT_COUNT,
    OPT_QUOTES,
    OPT_TITLE,
    OPT_COLUMNS,
    OPT_UNIT,
    OPT_JACCARD,
    OPT_SAFE_CSV
};

/* The long options every table command takes: which quotes, -p, -o, -h. */
#define TABLE_OPTIONS                                                          \
    {"project", required_argument, NULL, 'p'},                                 \
        {"output", required_argument, NULL, 'o'},                              \
        {"help", no_argument, NULL, 'h'},                                      \
        {"run", required_argument, NULL, OPT_RUN},                             \
        {"source", required_argument, NULL, OPT_SOURCE},                       \
        {"coder", required_argument, NULL, OPT_CODER},                         \
        {"dimension", required_argument, NULL, OPT_DIMENSION},                 \
        {"theme", required_argument, NULL, OPT_THEME},                         \
        {"concept", required_argument, NULL, OPT_CONCEPT},                     \
        {"facet", required_argument, NULL, OPT_FACET},                         \
        {"case", required_argument, NULL, OPT_CASE},                           \
        {"attr", required_argument, NULL, OPT_ATTR},                           \
        {"doc", required_argument, NULL, OPT_DOC},                             \
        {"max-words", required_argument, NULL, OPT_MAX_WORDS},                 \
    {                                                                          \
        "lang", required_argument, NULL, OPT_LANG                              \
    }

/* Help text for TABLE_OPTIONS. */
#define TABLE_OPTIONS_HELP                                                     \
    "\nWhich quotes (all of the latest run by default):\n"                     \
    "  --run N              the quotes of run N\n"                             \
    "  --source S           auto, manual or all (default)\n"                   \
    "  --coder NAME         manual codings of this coder\n"                    \
    "  --dimension ID, --theme ID, --concept ID\n"                             \
    "                       quotes of this code (an id of the run)\n"          \
    "  --facet F=V          quotes with value V of facet F (level=lokal)\n"    \
    "  --case ID            quotes of this case\n"                             \
    "  --attr K=V           quotes of cases whose attribute K is V\n"          \
    "  --doc NAME           quotes of this document\n"                         \
    "\nOutput:\n"                                                              \
    "  --max-words N        shorten longer quotes around their match [...]\n"  \
    "  --lang sv|en         words people read (Totalt, Tema, ...)\n"           \
    "  -o, --output FILE    write to FILE (without it, or '-': stdout); its\n" \
    "                       extension is the format unless -f says one\n"

/* A table command's options as parsed. */
typedef struct table_args {
    const char *cmd; /* "quotes", "matrix", "report" */
    const char *project, *output;
    kb_quote_filter filter;
    kb_export_options opts;
    int format_given;   /* -f was given; else -o FILE's extension may name it */
    char *facet, *attr; /* copies of --facet and --attr, split at '=' */
} table_args;

void table_args_init(table_args *a, const char *cmd, const char *project);
void table_args_free(table_args *a);

/*
 * Takes option `c` (as getopt_long returned it) with its argument. Returns
 * 0 when taken, -1 when it is not one of the table options, or an exit
 * code after a usage error was printed.
 */
int table_option(table_args *a, int c, const char *arg);

/*
 * Starts `a` for command `cmd` and takes all its options (short ones in
 * `shortopts`, long ones in `opts`) through table_option. Returns 0; -1
 * when it printed `help` (the command exits 0); or an exit code after a
 * usage error. The caller frees `a` in every case.
 */
int table_parse(table_args *a, const char *cmd, const char *project, int argc,
                char **argv, const char *shortopts, const struct option *opts,
                const char *help);

/* A writer of a table of quotes: kb_quotes_write, kb_matrix_write. */
typedef int (*table_write_fn)(FILE *out, const kb_quote_list *quotes,
                              const kb_export_options *opts, kb_error *err);

/*
 * The end of a table command: unless `rc` already holds an exit code,
 * opens the project, reads the quotes the options ask for and writes them
 * with `write` to the output (replaced only when all went well). Frees `a`.
 * Returns the command's exit code.
 */
int table_export(table_args *a, int rc, table_write_fn write);

/* A writer of quotes a document at a time: kb_quotes_write_pages. */
typedef int (*table_pages_fn)(FILE *out, kb_quote_pages *pages,
                              const kb_export_options *opts, kb_error *err);

/* table_export with the quotes read a document at a time by `write`, so
 * that no more than a document's are held. */
int table_export_pages(table_args *a, int rc, table_pages_fn write);

/* The quotes the options ask for; returns 0 or an exit code. */
int table_quotes(kb_quote_list **out, kb_project *p, const table_args *a);

#endif
