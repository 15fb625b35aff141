/*
 * cmd_slides.c: kodbok slides — the quotes of a run as a slide deck (PPTX
 * or Markdown for Marp and Pandoc): a title slide, the outline, the
 * respondents' background, the coding structure, the theme × level
 * overview, then a slide per theme and level (or per theme).
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static const char HELP[] =
    "usage: kodbok slides [--format md|pptx] [--per theme-level|theme]\n"
    "                     [--max-quotes N] [--max-words N] [--featured-only]\n"
    "                     [--cite none|case|label|full] [--label TEMPLATE]\n"
    "                     [--quote-marks none|sv] [--omission MARK]\n"
    "                     [--background ATTR,...] [--no-outline]\n"
    "                     [--no-background] [--no-structure] [--no-overview]\n"
    "                     [--source auto|manual|all] [--coder X] [--run N]\n"
    "                     [--notes] -o FILE\n\n"
    "Writes the quotes of a coding run as a slide deck: a title slide, the\n"
    "outline with the slides' numbers, the respondents' background, the\n"
    "coding structure, the theme x level overview, then a slide per theme\n"
    "and level (\"Struktur: Regional niv\xc3\xa5\"): the memos on that cell "
    "as its lead\n"
    "('kodbok memo add --code THEME --at level=VALUE'), the first-order\n"
    "concepts in bold and their quotes below, featured ones first ('kodbok\n"
    "feature'). Each quote's provenance (case, who coded it) is in the\n"
    "speaker notes. A slide that overflows is spread evenly over slides\n"
    "titled \"(forts.)\", its quotes shortened or fewer shown until each\n"
    "has at least three.\n\n"
    "  -f, --format md|pptx    Markdown for Marp and Pandoc, or PowerPoint;\n"
    "                          default from FILE (.pptx), else md\n"
    "  -P, --per theme-level|theme\n"
    "                          a slide per theme and level (default), or per\n"
    "                          theme\n"
    "  -n, --max-quotes N      at most N quotes per concept on a slide, the\n"
    "                          featured and representative ones; the rest\n"
    "                          are counted (\"+ 4 citat till\")\n"
    "  -w, --max-words N       quotes shortened to N words around the match\n"
    "      --featured-only     only the quotes coders featured\n"
    "      --cite WHAT         after each quote on the slide: none (default),\n"
    "                          case (\"(ip03)\"), label (see --label) or\n"
    "                          full (\"(ip03, regel, manuell: anna)\")\n"
    "      --label TEMPLATE    a quote's label from its case's attributes,\n"
    "                          \"{role}, {level}\" (default \"{role}\")\n"
    "      --quote-marks none|sv\n"
    "                          sv: quotes in Swedish quotation marks\n"
    "      --omission MARK     where a quote is cut (default \"[...]\")\n"
    "      --background ATTRS  the case attributes of the background table,\n"
    "                          comma-separated, the first its rows\n"
    "      --no-outline, --no-background, --no-structure, --no-overview\n"
    "                          leave that slide out\n"
    "  -s, --source S          auto, manual or all (default) codings\n"
    "  -c, --coder X           manual codings of coder X only\n"
    "  -r, --run N             the quotes of run N (default: the last)\n"
    "      --notes             the memos on each slide's theme and concepts\n"
    "                          in its speaker notes too ('kodbok memo')\n"
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
        {"cite", required_argument, NULL, 'C'},
        {"label", required_argument, NULL, 'L'},
        {"quote-marks", required_argument, NULL, 'M'},
        {"omission", required_argument, NULL, 'O'},
        {"featured-only", no_argument, NULL, 'F'},
        {"background", required_argument, NULL, 'B'},
        {"no-outline", no_argument, NULL, 1},
        {"no-background", no_argument, NULL, 2},
        {"no-structure", no_argument, NULL, 4},
        {"no-overview", no_argument, NULL, 8},
        {NULL, 0, NULL, 0},
    };
    static const char *const formats[] = {"md", "pptx", NULL};
    static const char *const cites[] = {"none", "case", "label", "full", NULL};
    const char *format = NULL, *per = "theme-level", *output = NULL,
               *cite = "none", *marks = "none";
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
        case 'C':
            cite = optarg;
            break;
        case 'L':
            o.label = optarg;
            break;
        case 'M':
            marks = optarg;
            break;
        case 'O':
            o.omission = optarg;
            break;
        case 'F':
            o.featured_only = 1;
            break;
        case 'B':
            o.background = optarg;
            break;
        case 1:
        case 2:
        case 4:
        case 8:
            o.parts &= ~(unsigned)c;
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
    for (size_t i = 0;; i++) {
        if (!cites[i])
            return cli_usage("slides",
                             "unknown --cite '%s' (none, case, label or full)",
                             cite);
        if (!strcmp(cite, cites[i])) {
            o.cite = (kb_slides_cite)i;
            break;
        }
    }
    if (!strcmp(marks, "sv"))
        o.marks = KB_MARKS_SV;
    else if (strcmp(marks, "none"))
        return cli_usage("slides", "unknown --quote-marks '%s' (none or sv)",
                         marks);
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
