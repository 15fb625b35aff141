/*
 * cmd_structure.c: kodbok structure — the Gioia data-structure figure of a
 * codebook (concepts, themes, dimensions) as SVG or Graphviz DOT, with the
 * quotes of the latest run per node when asked.
 */
#include "cli.h"
#include "output.h"

#include <stdlib.h>
#include <string.h>

static const char HELP[] =
    "usage: kodbok structure [CODEBOOK] [--format svg|dot] [--counts]\n"
    "                        [--lang sv|en] [-o FILE]\n\n"
    "Draws the Gioia data structure of a codebook: first-order concepts on\n"
    "the left, second-order themes in the middle, aggregate dimensions on\n"
    "the right, joined by lines. Without CODEBOOK, the codebook of the latest\n"
    "coding run (its file as it is now).\n\n"
    "  -f, --format svg|dot  SVG laid out by kodbok (default), or DOT for\n"
    "                        Graphviz; a FILE ending in .dot or .gv picks dot\n"
    "  -c, --counts          the latest run's quotes per node, as (n)\n"
    "  -l, --lang sv|en      column headers in Swedish (default) or English\n"
    "  -o, --output FILE     write to FILE (without it, or '-': stdout)\n";

/* The latest run, or 0 when there is none. */
static int latest_run(kb_project *p, kb_run_list **runs,
                      const kb_run_info **last)
{
    kb_error err;
    if (kb_project_runs(runs, p, &err))
        return cli_fail(&err);
    size_t n = kb_run_list_count(*runs);
    *last = n ? kb_run_list_get(*runs, n - 1) : NULL;
    return 0;
}

/* Counts of one axis ("concept", "theme" or "dimension") into
 * counts[node]. */
static int fill_counts(size_t *counts, kb_project *p, const kb_codebook *cb,
                       const char *axis, kb_code_kind kind)
{
    kb_count_list *l;
    kb_error err;
    if (kb_project_count(&l, p, 0, axis, &err))
        return cli_fail(&err);
    for (size_t i = 0; i < kb_count_list_count(l); i++) {
        const kb_count *c = kb_count_list_get(l, i);
        size_t node = kb_codebook_find(cb, kind, c->key);
        if (node != KB_NO_INDEX)
            counts[node] = c->quotes;
    }
    kb_count_list_free(l);
    return 0;
}

/*
 * Quotes per node at the latest run, as kb_project_count gives them (the
 * quotes of the matrix and the report): a concept's, a theme's (its
 * concepts' and those tagged with the whole theme), a dimension's
 * likewise. A node the run did not have gets KB_NO_COUNT.
 */
static int run_counts(size_t **out, kb_project *p, const kb_codebook *cb)
{
    size_t n = kb_codebook_count(cb);
    size_t *counts = malloc((n ? n : 1) * sizeof *counts);
    if (!counts) {
        cli_errorf("out of memory");
        return EXIT_INTERNAL;
    }
    for (size_t i = 0; i < n; i++)
        counts[i] = KB_NO_COUNT;
    int rc = fill_counts(counts, p, cb, "concept", KB_CODE_CONCEPT);
    if (!rc)
        rc = fill_counts(counts, p, cb, "theme", KB_CODE_THEME);
    if (!rc)
        rc = fill_counts(counts, p, cb, "dimension", KB_CODE_DIMENSION);
    if (rc) {
        free(counts);
        return rc;
    }
    *out = counts;
    return 0;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && !strcmp(s + n - k, suffix);
}

typedef struct figure {
    const kb_codebook *cb;
    const kb_structure_options *o;
} figure;

static int write_figure(FILE *f, void *ctx, kb_error *err)
{
    const figure *fig = ctx;
    return kb_structure_write(f, fig->cb, fig->o, err);
}

int cmd_structure(int argc, char **argv, const char *project)
{
    static const struct option opts[] = {
        {"project", required_argument, NULL, 'p'},
        {"format", required_argument, NULL, 'f'},
        {"counts", no_argument, NULL, 'c'},
        {"lang", required_argument, NULL, 'l'},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    static const char *const formats[] = {"svg", "dot", NULL};
    static const char *const langs[] = {"sv", "en", NULL};
    const char *format = NULL, *output = NULL, *lang = "sv";
    int counts = 0, c;
    while ((c = getopt_long(argc, argv, "p:f:cl:o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'p':
            project = optarg;
            break;
        case 'f':
            format = optarg;
            break;
        case 'c':
            counts = 1;
            break;
        case 'l':
            lang = optarg;
            break;
        case 'o':
            output = optarg;
            break;
        case 'h':
            fputs(HELP, stdout);
            return 0;
        default:
            return cli_bad_option("structure", argv);
        }
    }
    if (argc - optind > 1)
        return cli_usage("structure", "one codebook at most");
    if (cli_check_format("structure", format, formats))
        return EXIT_USAGE;
    for (size_t i = 0;; i++) {
        if (!langs[i])
            return cli_usage("structure", "unknown language '%s' (sv or en)",
                             lang);
        if (!strcmp(lang, langs[i]))
            break;
    }
    if (!format)
        format =
            output && (ends_with(output, ".dot") || ends_with(output, ".gv"))
                ? "dot"
                : "svg";
    const char *path = optind < argc ? argv[optind] : NULL;

    kb_project *p = NULL;
    kb_run_list *runs = NULL;
    const kb_run_info *last = NULL;
    int rc = 0;
    if (!path || counts) {
        if ((rc = cli_open(&p, project)) || (rc = latest_run(p, &runs, &last)))
            goto done;
        if (!last) {
            cli_errorf("no runs yet: %s",
                       path ? "run 'kodbok code' before --counts"
                            : "name a codebook, or run 'kodbok code' first");
            rc = EXIT_INPUT;
            goto done;
        }
        if (!path)
            path = last->codebook_path;
    }
    kb_codebook *cb;
    kb_error err;
    if (kb_codebook_load(&cb, path, &err)) {
        rc = cli_fail(&err);
        goto done;
    }
    kb_structure_options o = KB_STRUCTURE_OPTIONS_INIT;
    o.format = !strcmp(format, "dot") ? KB_STRUCTURE_DOT : KB_STRUCTURE_SVG;
    o.lang = lang;
    size_t *n = NULL;
    if (counts) {
        if (strcmp(kb_codebook_hash(cb), last->codebook_hash))
            cli_errorf("%s has changed since run %lld; the counts are that "
                       "run's",
                       path, (long long)last->id);
        rc = run_counts(&n, p, cb);
        o.counts = n;
    }
    if (!rc)
        rc = cli_write_output(output, write_figure, &(figure){cb, &o});
    free(n);
    kb_codebook_free(cb);
done:
    kb_run_list_free(runs);
    kb_project_free(p);
    return rc;
}
