/*
 * cmd_tag.c: manual codings from the command line: kodbok tag (apply a
 * code by hand), kodbok untag (remove one), kodbok tags (list them) and
 * kodbok feature (feature a quote, given by a passage as tag gives one).
 */
#include "cli.h"
#include "output.h"
#include "json.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FACETS 32

static const char TAG_HELP[] =
    "usage: kodbok tag DOC CODE (--quote TEXT [--nth N] | --span START:END |\n"
    "                            --segment ID) [--coder NAME] [--memo TEXT]\n"
    "                  [--facet FACET=VALUE]...\n\n"
    "Applies a concept, theme or dimension of the last run's codebook by hand\n"
    "to a passage of a document's current version.\n\n"
    "  --quote TEXT     the passage's text; if it does not occur exactly,\n"
    "                   it is compared ignoring case, the kind of quotation\n"
    "                   marks and dashes, and line breaks and spaces\n"
    "  --nth N          its Nth occurrence, when it occurs more than once\n"
    "  --span S:E       code points S to E (end exclusive), as 'kodbok show'\n"
    "                   prints them\n"
    "  --segment ID     a whole segment: sentence:12, paragraph:3, turn:7, or\n"
    "                   just 12 (a sentence), numbered as 'kodbok show' does\n"
    "  --coder NAME     default: $KODBOK_CODER, else the login name\n"
    "  --memo TEXT      a note kept with the coding\n"
    "  --facet F=V      a facet value for the passage, e.g. level=lokal\n";

static const char UNTAG_HELP[] =
    "usage: kodbok untag DOC CODE (--quote TEXT [--nth N] | --span START:END\n"
    "                              | --segment ID) [--coder NAME]\n"
    "       kodbok untag --id N\n\n"
    "Removes one manual coding (a tag, or a review decision) of the coder,\n"
    "given by its passage as for 'kodbok tag', or by the id 'kodbok tags'\n"
    "lists.\n";

static const char TAGS_HELP[] =
    "usage: kodbok tags [--coder NAME] [--unplaced] [--format text|json|tsv]\n"
    "       kodbok tags export [--coder NAME] -o FILE.tsv\n"
    "       kodbok tags import FILE.tsv\n\n"
    "Lists manual codings (tags and review decisions), by document and\n"
    "position. --unplaced lists only those kept aside because a re-import\n"
    "could not place them.\n\n"
    "'tags export' writes them as a sorted tab-separated file, a line per\n"
    "coding, that diffs and merges well in git (--format tsv prints the\n"
    "same). 'tags import' reads one back: codings already there are left as\n"
    "they are, and conflicts are reported.\n";

static const char FEATURE_HELP[] =
    "usage: kodbok feature DOC CODE (--quote TEXT [--nth N] | --span "
    "START:END |\n"
    "                                --segment ID) [--coder NAME] [--remove]\n"
    "       kodbok feature --list [--coder NAME] [--format text|json]\n\n"
    "Features a quote of the last run for the coder, so that slides show it\n"
    "first: the quote of CODE (a concept, theme or dimension) in DOC that\n"
    "holds the passage, or lies inside it. The passage is given as for\n"
    "'kodbok tag'. A quote the rules found is accepted for the coder as\n"
    "well, as 'kodbok review' accepts one; a quote the coder rejected cannot\n"
    "be featured. --list lists the featured quotes.\n\n"
    "  --quote TEXT     the passage's text, compared as 'kodbok tag' does\n"
    "  --nth N          its Nth occurrence, when it occurs more than once\n"
    "  --span S:E       code points S to E (end exclusive)\n"
    "  --segment ID     a whole segment: sentence:12, paragraph:3, turn:7, or\n"
    "                   just 12 (a sentence)\n"
    "  --coder NAME     default: $KODBOK_CODER, else the login name\n"
    "  --remove         take the featuring back (the tag or acceptance stays)\n"
    "  --list           the featured quotes (of --coder only, when given)\n"
    "  --format F       for --list: text (default) or json\n";

/* The passage options tag, untag and feature share. */
typedef struct passage_args {
    kb_where at;
    int given, nth;
} passage_args;

/* Handles one passage option; returns 0, or an exit code. */
static int passage_option(const char *cmd, int c, const char *arg,
                          passage_args *pa)
{
    long long a, b;
    char *colon;
    switch (c) {
    case 'Q':
        pa->at.by = KB_AT_QUOTE;
        pa->at.quote = arg;
        break;
    case 'N':
        if (cli_number(arg, 1, 1000000000, &a))
            return cli_usage(cmd, "--nth wants a number >= 1");
        pa->at.nth = (size_t)a;
        pa->nth = 1;
        return 0;
    case 'S':
        colon = strchr(arg, ':');
        if (!colon)
            return cli_usage(cmd, "--span wants START:END");
        *colon = '\0';
        if (cli_number(arg, 0, INT64_MAX, &a) ||
            cli_number(colon + 1, 0, INT64_MAX, &b)) {
            *colon = ':';
            return cli_usage(cmd, "--span wants START:END, two numbers");
        }
        *colon = ':';
        pa->at.by = KB_AT_SPAN;
        pa->at.start = (size_t)a;
        pa->at.end = (size_t)b;
        break;
    case 'G':
        colon = strchr(arg, ':');
        pa->at.kind = KB_SEG_SENTENCE;
        if (colon) {
            *colon = '\0';
            pa->at.kind = kb_segment_kind_parse(arg);
            *colon = ':';
            if (!pa->at.kind)
                return cli_usage(cmd,
                                 "--segment wants sentence:N, paragraph:N, "
                                 "turn:N or N");
        }
        if (cli_number(colon ? colon + 1 : arg, 0, INT64_MAX, &a))
            return cli_usage(cmd, "--segment wants sentence:N, paragraph:N, "
                                  "turn:N or N");
        pa->at.by = KB_AT_SEGMENT;
        pa->at.index = (size_t)a;
        break;
    }
    pa->given++;
    return 0;
}

static int passage_check(const char *cmd, const passage_args *pa)
{
    if (pa->given != 1)
        return cli_usage(cmd, "give the passage once: --quote, --span or "
                              "--segment");
    if (pa->nth && pa->at.by != KB_AT_QUOTE)
        return cli_usage(cmd, "--nth goes with --quote");
    return 0;
}

#define PASSAGE_OPTIONS                                                        \
    {"quote", required_argument, NULL, 'Q'},                                   \
        {"nth", required_argument, NULL, 'N'},                                 \
        {"span", required_argument, NULL, 'S'},                                \
    {                                                                          \
        "segment", required_argument, NULL, 'G'                                \
    }

static void print_passage(const char *doc, const char *code, const char *coder,
                          const kb_where *at, const char *verb)
{
    printf("%s %s on %s", verb, code, doc);
    if (at->quote) {
        fputs(" \"", stdout);
        for (const char *c = at->quote; *c; c++)
            putchar(*c == '\n' || *c == '\t' ? ' ' : *c);
        putchar('"');
    }
    if (at->by == KB_AT_SPAN)
        printf(" %zu:%zu", at->start, at->end);
    else
        printf(" %s %zu", kb_segment_kind_name(at->kind), at->index);
    printf(" (%s)\n", coder);
}

int cmd_tag(int argc, char **argv, const char *project)
{
    static const struct option opts[] = {
        {"project", required_argument, NULL, 'p'},
        PASSAGE_OPTIONS,
        {"coder", required_argument, NULL, 'c'},
        {"memo", required_argument, NULL, 'm'},
        {"facet", required_argument, NULL, 'F'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    passage_args pa = {0};
    kb_tag_options o = KB_TAG_OPTIONS_INIT;
    const char *facets[MAX_FACETS];
    int c, rc;
    while ((c = getopt_long(argc, argv, "p:h", opts, NULL)) != -1) {
        switch (c) {
        case 'p':
            project = optarg;
            break;
        case 'c':
            o.coder = optarg;
            break;
        case 'm':
            o.memo = optarg;
            break;
        case 'F':
            if (o.nfacets == MAX_FACETS)
                return cli_usage("tag", "at most %d facets", MAX_FACETS);
            facets[o.nfacets++] = optarg;
            break;
        case 'Q':
        case 'N':
        case 'S':
        case 'G':
            if ((rc = passage_option("tag", c, optarg, &pa)))
                return rc;
            break;
        case 'h':
            fputs(TAG_HELP, stdout);
            return 0;
        default:
            return cli_bad_option("tag", argv);
        }
    }
    if (argc - optind != 2)
        return cli_usage("tag", "a document and a code, please");
    if ((rc = passage_check("tag", &pa)))
        return rc;
    o.coder = cli_coder(o.coder);
    o.facets = facets;
    kb_project *p;
    if ((rc = cli_open(&p, project)))
        return rc;
    kb_error err;
    int64_t id;
    kb_tag_list *l = NULL;
    rc = kb_tag_add(&id, p, argv[optind], argv[optind + 1], &pa.at, &o, &err);
    /* A quote is found loosely: say what text it took, and where. */
    if (!rc && pa.at.by == KB_AT_QUOTE &&
        kb_project_tags(&l, p, o.coder, &err) == 0)
        for (size_t i = 0; i < kb_tag_list_count(l); i++) {
            const kb_tag_info *t = kb_tag_list_get(l, i);
            if (t->id == id) {
                pa.at.quote = t->quote;
                pa.at.by = KB_AT_SPAN;
                pa.at.start = t->start;
                pa.at.end = t->end;
            }
        }
    kb_project_free(p);
    if (rc)
        return cli_fail(&err);
    print_passage(argv[optind], argv[optind + 1], o.coder, &pa.at, "tagged");
    kb_tag_list_free(l);
    return 0;
}

int cmd_untag(int argc, char **argv, const char *project)
{
    static const struct option opts[] = {
        {"project", required_argument, NULL, 'p'},
        PASSAGE_OPTIONS,
        {"coder", required_argument, NULL, 'c'},
        {"id", required_argument, NULL, 'i'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    passage_args pa = {0};
    const char *coder = NULL;
    long long id = 0;
    int c, rc;
    while ((c = getopt_long(argc, argv, "p:h", opts, NULL)) != -1) {
        switch (c) {
        case 'p':
            project = optarg;
            break;
        case 'c':
            coder = optarg;
            break;
        case 'i':
            if (cli_number(optarg, 1, INT64_MAX, &id))
                return cli_usage("untag", "--id wants a number >= 1");
            break;
        case 'Q':
        case 'N':
        case 'S':
        case 'G':
            if ((rc = passage_option("untag", c, optarg, &pa)))
                return rc;
            break;
        case 'h':
            fputs(UNTAG_HELP, stdout);
            return 0;
        default:
            return cli_bad_option("untag", argv);
        }
    }
    if (id && (argc != optind || pa.given || coder))
        return cli_usage("untag", "--id goes alone");
    if (!id && argc - optind != 2)
        return cli_usage("untag", "a document and a code, or --id N");
    if (!id && (rc = passage_check("untag", &pa)))
        return rc;
    kb_project *p;
    if ((rc = cli_open(&p, project)))
        return rc;
    kb_error err;
    coder = cli_coder(coder);
    rc = id ? kb_tag_remove_id(p, id, &err)
            : kb_tag_remove(p, argv[optind], argv[optind + 1], &pa.at, coder,
                            &err);
    kb_project_free(p);
    if (rc)
        return cli_fail(&err);
    if (id)
        printf("removed manual coding %lld\n", id);
    else
        print_passage(argv[optind], argv[optind + 1], coder, &pa.at, "removed");
    return 0;
}

/* Writes up to `max` code points of s on one line. */
static void put_short(const char *s, int max)
{
    int n = 0;
    for (const char *c = s; *c; c++) {
        if (((unsigned char)*c & 0xC0) != 0x80 && n++ == max) {
            fputs("…", stdout);
            return;
        }
        putchar(*c == '\n' || *c == '\t' ? ' ' : *c);
    }
}

static void tags_text(const kb_tag_list *l, int unplaced)
{
    size_t shown = 0;
    for (size_t i = 0; i < kb_tag_list_count(l); i++) {
        const kb_tag_info *t = kb_tag_list_get(l, i);
        if (unplaced && t->placed)
            continue;
        if (!shown++)
            printf("%5s  %-12s %-13s %-10s %-6s %-28s %s\n", "id", "document",
                   "span", "coder", "what", "code", "quote");
        char span[48];
        snprintf(span, sizeof span, "%zu-%zu", t->start, t->end);
        printf("%5lld  %-*s %-13s %-*s %-6s %-*s ", (long long)t->id,
               cli_pad(t->document, 12), t->document, span,
               cli_pad(t->coder, 10), t->coder, kb_decision_name(t->decision),
               cli_pad(t->code, 28), t->code);
        put_short(t->quote, 50);
        if (*t->facets)
            printf(" [%s]", t->facets);
        if (t->featured)
            fputs(" (featured)", stdout);
        if (!t->placed)
            printf(" (kept aside: not placed after v%d)", t->version);
        putchar('\n');
    }
    if (!shown)
        printf(unplaced ? "no manual codings kept aside\n"
                        : "no manual codings (add one with 'kodbok tag')\n");
}

static void tags_json(const kb_tag_list *l, int unplaced)
{
    json j;
    json_init(&j, stdout);
    json_object(&j, NULL);
    json_array(&j, "tags");
    for (size_t i = 0; i < kb_tag_list_count(l); i++) {
        const kb_tag_info *t = kb_tag_list_get(l, i);
        if (unplaced && t->placed)
            continue;
        json_object(&j, NULL);
        json_int(&j, "id", t->id);
        json_string(&j, "document", t->document);
        json_int(&j, "version", t->version);
        json_bool(&j, "placed", t->placed);
        json_string(&j, "coder", t->coder);
        json_string(&j, "kind", kb_code_kind_name(t->kind));
        json_string(&j, "code", t->code);
        json_string(&j, "decision", kb_decision_name(t->decision));
        json_size(&j, "start", t->start);
        json_size(&j, "end", t->end);
        json_string(&j, "quote", t->quote);
        json_string(&j, "before", t->before);
        json_string(&j, "after", t->after);
        json_string(&j, "segment", kb_segment_kind_name(t->segment));
        json_string(&j, "facets", t->facets);
        json_string(&j, "memo", t->memo);
        json_string(&j, "created_at", t->created_at);
        json_bool(&j, "featured", t->featured);
        json_end(&j);
    }
    json_end(&j);
    json_end(&j);
}

static int tags_export(int argc, char **argv, const char *project)
{
    static const struct option opts[] = {
        {"project", required_argument, NULL, 'p'},
        {"coder", required_argument, NULL, 'c'},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *coder = NULL, *out = NULL;
    int c, rc;
    while ((c = getopt_long(argc, argv, "p:o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'p':
            project = optarg;
            break;
        case 'c':
            coder = optarg;
            break;
        case 'o':
            out = optarg;
            break;
        case 'h':
            fputs(TAGS_HELP, stdout);
            return 0;
        default:
            return cli_bad_option("tags export", argv);
        }
    }
    if (!out)
        return cli_usage("tags export", "-o FILE.tsv, please");
    if (optind < argc)
        return cli_usage("tags export", "unexpected argument '%s'",
                         argv[optind]);
    kb_project *p;
    if ((rc = cli_open(&p, project)))
        return rc;
    /* Written beside the target, then renamed over it: never half a file. */
    table_out o;
    if ((rc = table_out_open(&o, out, 0))) {
        kb_project_free(p);
        return rc;
    }
    kb_error err;
    size_t n = 0;
    int failed = kb_tags_write(o.f, &n, p, coder, &err);
    kb_project_free(p);
    if ((rc = table_out_close(&o, failed ? &err : NULL)))
        return rc;
    if (strcmp(out, "-"))
        printf("wrote %zu %s to %s\n", n,
               cli_plural(n, "manual coding", "manual codings"), out);
    return 0;
}

static int tags_import(int argc, char **argv, const char *project)
{
    static const struct option opts[] = {
        {"project", required_argument, NULL, 'p'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c, rc;
    while ((c = getopt_long(argc, argv, "p:h", opts, NULL)) != -1) {
        if (c == 'p') {
            project = optarg;
        } else if (c == 'h') {
            fputs(TAGS_HELP, stdout);
            return 0;
        } else {
            return cli_bad_option("tags import", argv);
        }
    }
    if (argc - optind != 1)
        return cli_usage("tags import", "one tags file, please");
    kb_project *p;
    if ((rc = cli_open(&p, project)))
        return rc;
    kb_error err;
    kb_tags_import_report r;
    kb_tags_import_options o = KB_TAGS_IMPORT_OPTIONS_INIT;
    o.notice = cli_notice;
    rc = kb_tags_import(&r, p, argv[optind], &o, &err);
    kb_project_free(p);
    if (rc)
        return cli_fail(&err);
    printf("%s: %zu %s: %zu added, %zu already there, %zu %s (the "
           "project's kept), %zu kept aside\n",
           argv[optind], r.lines,
           cli_plural(r.lines, "manual coding", "manual codings"), r.added,
           r.same, r.conflicts,
           cli_plural(r.conflicts, "conflict", "conflicts"), r.unplaced);
    if (r.featured)
        printf("%zu of the codings already there featured now, as the file "
               "features them\n",
               r.featured);
    return 0;
}

int cmd_tags(int argc, char **argv, const char *project)
{
    if (argc > 1 && !strcmp(argv[1], "export"))
        return tags_export(argc - 1, argv + 1, project);
    if (argc > 1 && !strcmp(argv[1], "import"))
        return tags_import(argc - 1, argv + 1, project);
    static const struct option opts[] = {
        {"project", required_argument, NULL, 'p'},
        {"coder", required_argument, NULL, 'c'},
        {"format", required_argument, NULL, 'f'},
        {"unplaced", no_argument, NULL, 'u'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    static const char *const formats[] = {"text", "json", "tsv", NULL};
    const char *coder = NULL, *format = "text";
    int unplaced = 0, c, rc;
    while ((c = getopt_long(argc, argv, "p:f:h", opts, NULL)) != -1) {
        switch (c) {
        case 'p':
            project = optarg;
            break;
        case 'c':
            coder = optarg;
            break;
        case 'f':
            format = optarg;
            break;
        case 'u':
            unplaced = 1;
            break;
        case 'h':
            fputs(TAGS_HELP, stdout);
            return 0;
        default:
            return cli_bad_option("tags", argv);
        }
    }
    if ((rc = cli_check_format("tags", format, formats)))
        return rc;
    if (optind < argc)
        return cli_usage("tags", "unexpected argument '%s'", argv[optind]);
    kb_project *p;
    if ((rc = cli_open(&p, project)))
        return rc;
    kb_tag_list *l;
    kb_error err;
    if (!strcmp(format, "tsv")) {
        if (unplaced)
            return cli_usage("tags", "--unplaced lists as text or json");
        rc = kb_tags_write(stdout, NULL, p, coder, &err);
        kb_project_free(p);
        return rc ? cli_fail(&err) : 0;
    }
    rc = kb_project_tags(&l, p, coder, &err);
    kb_project_free(p);
    if (rc)
        return cli_fail(&err);
    if (!strcmp(format, "json"))
        tags_json(l, unplaced);
    else
        tags_text(l, unplaced);
    kb_tag_list_free(l);
    return 0;
}

/* The featured quotes (of `coder` only, when not NULL). */
static int feature_list(kb_project *p, const char *coder, const char *format)
{
    kb_quote_filter f = {.coder = coder};
    kb_quote_list *l;
    kb_error err;
    if (kb_project_quotes(&l, p, &f, &err))
        return cli_fail(&err);
    int text = !strcmp(format, "text");
    size_t shown = 0;
    json j;
    json_init(&j, stdout);
    if (!text) {
        json_object(&j, NULL);
        json_array(&j, "featured");
    }
    for (size_t i = 0; i < kb_quote_list_count(l); i++) {
        const kb_quote_row *q = kb_quote_list_get(l, i);
        if (!q->featured_by ||
            (coder && !cli_name_listed(q->featured_by, coder)))
            continue;
        if (!text) {
            json_object(&j, NULL);
            json_string(&j, "document", q->document);
            json_int(&j, "version", q->version);
            json_size(&j, "start", q->start);
            json_size(&j, "end", q->end);
            json_string(&j, "dimension", q->dimension);
            json_string(&j, "theme", q->theme);
            json_string(&j, "concept", q->concept);
            json_string(&j, "source", q->source);
            json_string(&j, "featured_by", q->featured_by);
            json_string(&j, "text", q->text);
            json_end(&j);
            continue;
        }
        if (!shown++)
            printf("%-12s %-13s %-28s %-16s %s\n", "document", "span", "code",
                   "featured by", "quote");
        char span[48];
        snprintf(span, sizeof span, "%zu-%zu", q->start, q->end);
        printf("%-*s %-13s %-*s %-*s ", cli_pad(q->document, 12), q->document,
               span, cli_pad(kb_quote_code(q, NULL), 28),
               kb_quote_code(q, NULL), cli_pad(q->featured_by, 16),
               q->featured_by);
        put_short(q->text, 50);
        putchar('\n');
    }
    if (!text) {
        json_end(&j);
        json_end(&j);
    } else if (!shown) {
        printf("no featured quotes (feature one with 'kodbok feature')\n");
    }
    kb_quote_list_free(l);
    return 0;
}

/*
 * The quote of `code` in document `doc` of the last run whose span holds
 * [start, end) or lies inside it: its index in l, or an exit code with
 * the failure printed when none or several do.
 */
static int feature_find(size_t *out, const kb_quote_list *l, const char *doc,
                        const char *code, size_t start, size_t end)
{
    size_t found = 0, first = 0;
    char spans[160] = "";
    for (size_t i = 0; i < kb_quote_list_count(l); i++) {
        const kb_quote_row *q = kb_quote_list_get(l, i);
        if (strcmp(kb_quote_code(q, NULL), code) ||
            !((q->start <= start && end <= q->end) ||
              (start <= q->start && q->end <= end)))
            continue;
        if (!found++)
            first = i;
        size_t used = strlen(spans);
        if (used + 40 < sizeof spans)
            snprintf(spans + used, sizeof spans - used, "%s%zu-%zu",
                     used ? ", " : "", q->start, q->end);
    }
    if (found == 1) {
        *out = first;
        return 0;
    }
    if (!found && !kb_quote_list_label(l, code)) {
        cli_errorf("no concept, theme or dimension '%s' in the last run's "
                   "codebook",
                   code);
        return EXIT_INPUT;
    }
    if (!found) {
        cli_errorf("no quote of '%s' in '%s' holds %zu:%zu or lies inside it "
                   "(see 'kodbok quotes --doc %s')",
                   code, doc, start, end, doc);
        return EXIT_INPUT;
    }
    cli_errorf("%zu quotes of '%s' in '%s' lie inside %zu:%zu (%s): give a "
               "passage of one of them",
               found, code, doc, start, end, spans);
    return EXIT_INPUT;
}

int cmd_feature(int argc, char **argv, const char *project)
{
    static const struct option opts[] = {
        {"project", required_argument, NULL, 'p'},
        PASSAGE_OPTIONS,
        {"coder", required_argument, NULL, 'c'},
        {"remove", no_argument, NULL, 'r'},
        {"list", no_argument, NULL, 'l'},
        {"format", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    static const char *const formats[] = {"text", "json", NULL};
    passage_args pa = {0};
    const char *coder = NULL, *format = NULL;
    int remove = 0, list = 0, c, rc;
    while ((c = getopt_long(argc, argv, "p:f:h", opts, NULL)) != -1) {
        switch (c) {
        case 'p':
            project = optarg;
            break;
        case 'c':
            coder = optarg;
            break;
        case 'r':
            remove = 1;
            break;
        case 'l':
            list = 1;
            break;
        case 'f':
            format = optarg;
            break;
        case 'Q':
        case 'N':
        case 'S':
        case 'G':
            if ((rc = passage_option("feature", c, optarg, &pa)))
                return rc;
            break;
        case 'h':
            fputs(FEATURE_HELP, stdout);
            return 0;
        default:
            return cli_bad_option("feature", argv);
        }
    }
    if (list && (argc != optind || pa.given || remove))
        return cli_usage("feature", "--list takes only --coder and --format");
    if (!list && format)
        return cli_usage("feature", "--format goes with --list");
    if (list &&
        (rc = cli_check_format("feature", format ? format : "text", formats)))
        return rc;
    if (!list && argc - optind != 2)
        return cli_usage("feature", "a document and a code, or --list");
    if (!list && (rc = passage_check("feature", &pa)))
        return rc;
    kb_project *p;
    if ((rc = cli_open(&p, project)))
        return rc;
    if (list) {
        rc = feature_list(p, coder, format ? format : "text");
        kb_project_free(p);
        return rc;
    }
    const char *doc = argv[optind], *code = argv[optind + 1];
    coder = cli_coder(coder);
    kb_quote_filter f = {.document = doc, .with_rejected = 1};
    kb_quote_list *l = NULL;
    kb_error err;
    size_t start, end, i;
    if (kb_passage_find(&start, &end, p, doc, &pa.at, &err) ||
        kb_project_quotes(&l, p, &f, &err)) {
        kb_project_free(p);
        return cli_fail(&err);
    }
    if (!(rc = feature_find(&i, l, doc, code, start, end))) {
        const kb_quote_row *q = kb_quote_list_get(l, i);
        if (kb_quote_feature(p, q, coder, !remove, &err))
            rc = cli_fail(&err);
        else {
            printf("%s %s on %s %zu-%zu (%s): ",
                   remove ? "unfeatured" : "featured", code, doc, q->start,
                   q->end, coder);
            put_short(q->text, 60);
            putchar('\n');
        }
    }
    kb_quote_list_free(l);
    kb_project_free(p);
    return rc;
}
