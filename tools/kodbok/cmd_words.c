/*
 * cmd_words.c: kodbok words — word frequencies of a selection of the text
 * (the quotes the table options choose, or the whole text of the documents),
 * respondents only unless asked, without stop words, and with --vs their
 * keyness against a second selection or the rest of the corpus; in any
 * table format or as a bar chart in SVG.
 */
#include "cli.h"
#include "tables.h"

#include <stdlib.h>
#include <string.h>

static const char HELP[] =
    "usage: kodbok words [OPTIONS]\n\n"
    "Counts the words of a selection: the quotes the options below choose\n"
    "(--theme, --concept, --dimension, --facet, --source, --coder), or with\n"
    "none of those the whole text of the documents (--doc, --case, --attr\n"
    "narrow it), in turns of respondents unless --role or --all-speakers\n"
    "say otherwise. Words are folded to lower case; Swedish stop words are\n"
    "left out of the list (but counted in its size). Columns: word, count,\n"
    "per_10000, documents; with --vs also the reference's count, G2 with p\n"
    "stars, log_ratio, pct_diff, bic and use (+ over-used, - under-used),\n"
    "sorted by G2.\n\n"
    "  --vs SEL             keyness against SEL: 'rest' (the rest of the\n"
    "                       text) or terms joined by commas: theme:ID,\n"
    "                       concept:ID, dimension:ID, facet:F=V, case:ID,\n"
    "                       attr:K=V, doc:NAME, source:S, coder:NAME,\n"
    "                       role:ROLE, all-speakers (facet:level=regional)\n"
    "  --case-attr K=V      the same as --attr\n"
    "  --role ROLE          respondent, interviewer or none (repeatable)\n"
    "  --all-speakers       every speaker's words\n"
    "  --stop FILE          your stop words (one a line, # comments)\n"
    "  --no-stop            list every word\n"
    "  --top N              the first N rows\n"
    "  --min N              words seen at least N times (with --vs: in both)\n"
    "  -f, --format F       text (default), csv, tsv, md, html, json, xlsx,\n"
    "                       svg (a bar chart)\n"
    "  --title TEXT         svg: the chart's title\n"
    "  --bom                csv, tsv: a UTF-8 byte order mark first (Excel)\n"
    "  --safe-csv           csv, tsv: a ' before each cell a spreadsheet "
    "would\n"
    "                       read as a formula (=, +, -, @ first)\n"
    "  --delimiter ;        csv: ';' between fields (Swedish "
    "Excel)\n" TABLE_OPTIONS_HELP;

enum {
    OPT_VS = OPT_COLUMNS + 100,
    OPT_ROLE,
    OPT_ALL_SPEAKERS,
    OPT_STOP,
    OPT_NO_STOP,
    OPT_TOP,
    OPT_MIN
};

/* Adds role `name` to *roles; 0, or -1 if it is no role. */
static int add_role(unsigned *roles, const char *name)
{
    for (int r = KB_ROLE_NONE; r <= KB_ROLE_INTERVIEWER; r++)
        if (!strcmp(name, kb_role_name((kb_role)r))) {
            *roles |= 1u << r;
            return 0;
        }
    return -1;
}

/* The terms of --vs: each a table option's name and its code. */
static const struct {
    const char *name;
    int code;
} TERMS[] = {
    {"theme", OPT_THEME},
    {"concept", OPT_CONCEPT},
    {"dimension", OPT_DIMENSION},
    {"facet", OPT_FACET},
    {"case", OPT_CASE},
    {"attr", OPT_ATTR},
    {"case-attr", OPT_ATTR},
    {"doc", OPT_DOC},
    {"source", OPT_SOURCE},
    {"coder", OPT_CODER},
    {"run", OPT_RUN},
};

/* --vs SEL into `ref` (its filter and roles) or *rest. */
static int parse_vs(table_args *ref, unsigned *roles, int *rest, char *sel)
{
    if (!strcmp(sel, "rest")) {
        *rest = 1;
        return 0;
    }
    for (char *save = NULL, *t = strtok_r(sel, ",", &save); t;
         t = strtok_r(NULL, ",", &save)) {
        if (!strcmp(t, "all-speakers")) {
            *roles = KB_ROLES_ALL;
            continue;
        }
        char *colon = strchr(t, ':');
        if (!colon)
            return cli_usage("words",
                             "--vs: '%s' is not KEY:VALUE (facet:level="
                             "regional) nor 'rest'",
                             t);
        *colon = '\0';
        const char *value = colon + 1;
        if (!strcmp(t, "role")) {
            if (add_role(roles, value))
                return cli_usage("words",
                                 "--vs: unknown role '%s' (respondent, "
                                 "interviewer or none)",
                                 value);
            continue;
        }
        size_t i = 0;
        while (i < sizeof TERMS / sizeof *TERMS && strcmp(TERMS[i].name, t))
            i++;
        if (i == sizeof TERMS / sizeof *TERMS)
            return cli_usage("words",
                             "--vs: unknown term '%s' (theme, concept, "
                             "dimension, facet, case, attr, doc, source, "
                             "coder, role, all-speakers)",
                             t);
        int rc = table_option(ref, TERMS[i].code, value);
        if (rc)
            return rc;
    }
    return 0;
}

int cmd_words(int argc, char **argv, const char *project)
{
    static const struct option opts[] = {
        TABLE_OPTIONS,
        {"format", required_argument, NULL, 'f'},
        {"bom", no_argument, NULL, OPT_BOM},
        {"safe-csv", no_argument, NULL, OPT_SAFE_CSV},
        {"delimiter", required_argument, NULL, OPT_DELIMITER},
        {"title", required_argument, NULL, OPT_TITLE},
        {"case-attr", required_argument, NULL, OPT_ATTR},
        {"vs", required_argument, NULL, OPT_VS},
        {"role", required_argument, NULL, OPT_ROLE},
        {"all-speakers", no_argument, NULL, OPT_ALL_SPEAKERS},
        {"stop", required_argument, NULL, OPT_STOP},
        {"no-stop", no_argument, NULL, OPT_NO_STOP},
        {"top", required_argument, NULL, OPT_TOP},
        {"min", required_argument, NULL, OPT_MIN},
        {NULL, 0, NULL, 0},
    };
    table_args a, ref;
    table_args_init(&a, "words", project);
    table_args_init(&ref, "words", project);
    kb_words_options wo = KB_WORDS_OPTIONS_INIT;
    kb_word_selection vs = {{0}, 0};
    char *vs_arg = NULL;
    int svg = 0, c, rc = 0;
    long long n;
    while (!rc && (c = getopt_long(argc, argv, "p:f:o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'h':
            fputs(HELP, stdout);
            table_args_free(&a);
            table_args_free(&ref);
            return 0;
        case 'f':
            svg = !strcmp(optarg, "svg");
            if (!svg)
                rc = table_option(&a, c, optarg);
            break;
        case OPT_MAX_WORDS:
            rc = cli_usage("words", "--max-words shortens quotes; words "
                                    "counts whole ones");
            break;
        case OPT_VS:
            free(vs_arg);
            if (!(vs_arg = strdup(optarg))) {
                cli_errorf("out of memory");
                rc = EXIT_INTERNAL;
            }
            break;
        case OPT_ROLE:
            if (add_role(&wo.sel.roles, optarg))
                rc = cli_usage("words",
                               "unknown role '%s' (respondent, interviewer "
                               "or none)",
                               optarg);
            break;
        case OPT_ALL_SPEAKERS:
            wo.sel.roles = KB_ROLES_ALL;
            break;
        case OPT_STOP:
            wo.stop_path = optarg;
            break;
        case OPT_NO_STOP:
            wo.no_stop = 1;
            break;
        case OPT_TOP:
        case OPT_MIN:
            if (cli_number(optarg, 1, 100000000, &n))
                rc = cli_usage("words", "--%s wants a number of 1 or more",
                               c == OPT_TOP ? "top" : "min");
            else if (c == OPT_TOP)
                wo.top = (size_t)n;
            else
                wo.min = (size_t)n;
            break;
        default:
            rc = table_option(&a, c, optarg);
            if (rc < 0)
                rc = cli_bad_option("words", argv);
        }
    }
    if (!rc && optind < argc)
        rc = cli_usage("words", "unexpected argument '%s'", argv[optind]);
    if (!rc && wo.stop_path && wo.no_stop)
        rc = cli_usage("words", "--stop and --no-stop exclude each other");
    if (!rc && vs_arg) {
        vs.roles = wo.sel.roles;
        unsigned roles = 0;
        rc = parse_vs(&ref, &roles, &wo.ref_rest, vs_arg);
        if (roles)
            vs.roles = roles;
        vs.filter = ref.filter;
        vs.filter.run = vs.filter.run ? vs.filter.run : a.filter.run;
        wo.ref = wo.ref_rest ? NULL : &vs;
    }
    wo.sel.filter = a.filter;
    kb_project *p = NULL;
    kb_word_table *t = NULL;
    table_out out;
    kb_error err;
    if (!rc && !(rc = cli_open(&p, a.project))) {
        if (kb_project_words(&t, p, &wo, &err))
            rc = cli_fail(&err);
        else if (!(rc = table_out_open(&out, a.output,
                                       a.opts.format == KB_EXPORT_XLSX))) {
            int failed = svg ? kb_words_chart_write(out.f, t, &a.opts, &err)
                             : kb_words_write(out.f, t, &a.opts, &err);
            rc = table_out_close(&out, failed ? &err : NULL);
        }
    }
    kb_word_table_free(t);
    kb_project_free(p);
    free(vs_arg);
    table_args_free(&a);
    table_args_free(&ref);
    return rc;
}
