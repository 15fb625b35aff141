/*
 * cmd_slides.c: kodbok slides — the quotes of a run as a slide deck (PPTX
 * or Markdown for Marp and Pandoc): a title slide, the theme × level
 * overview, then a slide per theme and level (or per theme).
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static const char HELP[] =
    "usage: kodbok slides [--format md|pptx] [--per theme-level|theme]\n"
    "                     [--max-quotes N] [--max-words N]\n"
    "                     [--source auto|manual|all] [--coder X] [--run N]\n"
    "                     [--notes] -o FILE\n\n"
    "Writes the quotes of a coding run as a slide deck: a title slide, an\n"
    "overview with the theme x level matrix, then a slide per theme and\n"
    "level (\"Struktur: Regional niv\xc3\xa5\") with the first-order "
    "concepts in bold\n"
    "and their quotes below, each followed by its case. Slides that\n"
    "overflow continue on a next slide, titled \"(forts.)\".\n\n"
    "  -f, --format md|pptx    Markdown for Marp and Pandoc, or PowerPoint;\n"
    "                          default from FILE (.pptx), else md\n"
    "  -P, --per theme-level|theme\n"
    "                          a slide per theme and level (default), or per\n"
    "                          theme with the level after each case\n"
    "  -n, --max-quotes N      at most N quotes per concept on a slide; the\n"
    "                          rest are counted (\"+ 4 citat till\")\n"
    "  -w, --max-words N       quotes shortened to N words around the match\n"
    "  -s, --source S          auto, manual or all (default) codings\n"
    "  -c, --coder X           manual codings of coder X only\n"
    "  -r, --run N             the quotes of run N (default: the last)\n"
    "      --notes             the memos on each slide's theme and concepts\n"
    "                          as its speaker notes ('kodbok memo')\n"
    "  -o, --output FILE       the deck; Markdown may go to stdout ('-' or\n"
    "                          no -o), a PPTX needs a file\n";

/* A whole number option into *out; a usage error otherwise. */
static int number(const char *name, const char *s, long long max,
                  long long *out)
{
    if (cli_number(s, 0, max, out))
        return cli_usage("slides", "%s wants a whole number, not '%s'", name,
                         s);
    return 0;
}

int cmd_slides(int argc, char **argv, const char *project)
{
    static const struct option opts[] = {
        {"project", required_argument, NULL, 'p'},
        {"format", required_argument, NULL, 'f'},
        {"per", required_argument, NULL, 'P'},
        {"max-quotes", required_argument, NULL, 'n'},
        {"max-words", required_argument, NULL, 'w'},
        {"source", required_argument, NULL, 's'},
        {"coder", required_argument, NULL, 'c'},
        {"run", required_argument, NULL, 'r'},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {"notes", no_argument, NULL, 'N'},
        {NULL, 0, NULL, 0},
    };
    static const char *const formats[] = {"md", "pptx", NULL};
    const char *format = NULL, *per = "theme-level", *output = NULL;
    kb_quote_filter filter = {0};
    kb_slides_options o = KB_SLIDES_OPTIONS_INIT;
    long long v;
    int c;
    while ((c = getopt_long(argc, argv, "p:f:P:n:w:s:c:r:o:h", opts, NULL)) !=
           -1) {
        switch (c) {
        case 'p':
            project = optarg;
            break;
        case 'f':
            format = optarg;
            break;
        case 'P':
            per = optarg;
            break;
        case 'n':
        case 'w':
            if (number(c == 'n' ? "--max-quotes" : "--max-words", optarg,
                       1000000, &v))
                return EXIT_USAGE;
            *(c == 'n' ? &o.max_quotes : &o.max_words) = (size_t)v;
            break;
        case 's':
            filter.source = optarg;
            break;
        case 'c':
            filter.coder = optarg;
            break;
        case 'r':
            if (number("--run", optarg, INT64_MAX, &v))
                return EXIT_USAGE;
            filter.run = v;
            break;
        case 'o':
            output = optarg;
            break;
        case 'N':
            o.notes = 1;
            break;
        case 'h':
            fputs(HELP, stdout);
            return 0;
        default:
            return cli_bad_option("slides", argv);
        }
    }
    if (optind < argc)
        return cli_usage("slides", "unexpected argument '%s'", argv[optind]);
    if (cli_check_format("slides", format, formats))
        return EXIT_USAGE;
    if (!strcmp(per, "theme-level"))
        o.per = KB_SLIDES_THEME_LEVEL;
    else if (!strcmp(per, "theme"))
        o.per = KB_SLIDES_THEME;
    else
        return cli_usage("slides", "unknown --per '%s' (theme-level or theme)",
                         per);
    if (filter.source && strcmp(filter.source, "auto") &&
        strcmp(filter.source, "manual") && strcmp(filter.source, "all"))
        return cli_usage("slides", "unknown source '%s' (auto, manual or all)",
                         filter.source);
    if (output && !strcmp(output, "-"))
        output = NULL;
    if (format)
        o.format = !strcmp(format, "pptx") ? KB_SLIDES_PPTX : KB_SLIDES_MD;
    if (!output && o.format == KB_SLIDES_PPTX)
        return cli_usage("slides", "a PPTX deck needs -o FILE");
    o.filter = &filter;

    kb_project *p;
    int rc = cli_open(&p, project);
    if (rc)
        return rc;
    kb_error err;
    if (kb_slides_write(stdout, p, output, &o, &err))
        rc = cli_fail(&err);
    kb_project_free(p);
    return rc;
}
