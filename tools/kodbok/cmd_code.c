/*
 * cmd_code.c: kodbok code (a coding run), kodbok runs (the list) and
 * kodbok diff (quotes gained and lost between two runs).
 */
#include "cli.h"
#include "json.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char CODE_HELP[] =
    "usage: kodbok code CODEBOOK [--dry-run] [--strict] [--jobs N] [-q]\n\n"
    "Codes the project with a codebook. Incremental: only concepts whose\n"
    "rules changed, and documents added or changed, since the last run are\n"
    "matched again. Prints a summary and the quotes per theme.\n\n"
    "  --dry-run  match and count, store nothing\n"
    "  --strict   a pattern hitting the match limit, or a concept whose\n"
    "             patterns match nothing in any document, is an error\n"
    "             (exit 2) and nothing is stored\n"
    "  --jobs N   match documents on N threads (default: the cores, at most "
    "8)\n"
    "  -q         print only the summary line\n";

static void progress(void *ctx, size_t done, size_t total)
{
    (void)ctx;
    int width = 30, filled = total ? (int)(done * (size_t)width / total) : 0;
    fprintf(stderr, "\r[%.*s%*s] %zu/%zu documents", filled,
            "##############################", width - filled, "", done, total);
    if (done == total)
        fputs("\r\033[K", stderr);
}

static void per_theme(kb_project *p, int64_t run)
{
    kb_count_list *l;
    kb_error err;
    if (kb_project_count(&l, p, run, "theme", &err))
        return;
    printf("quotes per theme (the rules' and the coders', less rejected "
           "ones):\n");
    for (size_t i = 0; i < kb_count_list_count(l); i++) {
        const kb_count *c = kb_count_list_get(l, i);
        printf("  %-*s %6zu %s\n", cli_pad(c->label, 36), c->label, c->quotes,
               cli_plural(c->quotes, "quote", "quotes"));
    }
    kb_count_list_free(l);
}

/* "ip04 changed" when a few documents are named, else "5 changed". */
static void print_documents(size_t n, const char *names, const char *why)
{
    char *shown =
        n <= 3 && !strstr(names, "...") ? kb_text_escape(names) : NULL;
    if (shown)
        printf("%s %s", shown, why); /* a name stored before the rule: \xHH */
    else
        printf("%zu %s", n, why);
    free(shown);
}

/* The summary line: what was matched again and why, the quotes gained and
 * lost, the time. */
static void print_summary(const char *name, const kb_run_summary *s)
{
    printf("%s: ", name);
    if (!s->documents)
        printf("no document matched");
    else
        printf("%zu %s matched", s->documents,
               cli_plural(s->documents, "document", "documents"));
    if (s->documents_changed || s->documents_new) {
        printf(" (");
        if (s->documents_changed)
            print_documents(s->documents_changed, s->changed_names, "changed");
        if (s->documents_changed && s->documents_new)
            printf("; ");
        if (s->documents_new)
            print_documents(s->documents_new, s->new_names, "new");
        printf(")");
    }
    size_t changed = s->concepts_matched - s->concepts_new;
    const char *concepts = cli_plural(changed, "concept", "concepts");
    if (!s->concepts_matched)
        printf(", no concept changed");
    else if (!changed)
        printf(", %zu new %s", s->concepts_new,
               cli_plural(s->concepts_new, "concept", "concepts"));
    else if (!s->concepts_new)
        printf(", %zu %s changed", changed, concepts);
    else
        printf(", %zu %s changed and %zu new", changed, concepts,
               s->concepts_new);
    double mb = (double)s->bytes / 1e6;
    printf(", +%zu -%zu quotes found by the rules (%zu in all)", s->gained,
           s->lost, s->quotes);
    if (s->kept)
        printf(", %zu no longer found but kept (accepted in review)", s->kept);
    printf(", %.2f s, %.1f MB/s", s->seconds,
           s->seconds > 0 ? mb / s->seconds : 0.0);
    if (s->limit_hits)
        printf(" (match limit hit, see above)");
    if (s->unmatched)
        printf("; %zu %s nothing (see above)", s->unmatched,
               cli_plural(s->unmatched, "concept matches", "concepts match"));
    printf("\n");
}

int cmd_code(int argc, char **argv, const char *project)
{
    static const struct option opts[] = {
        {"project", required_argument, NULL, 'p'},
        {"dry-run", no_argument, NULL, 'n'},
        {"strict", no_argument, NULL, 's'},
        {"jobs", required_argument, NULL, 'j'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    kb_code_options o = KB_CODE_OPTIONS_INIT;
#ifdef _SC_NPROCESSORS_ONLN /* not POSIX, but Linux, macOS and BSDs have it */
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
#else
    long cores = 2;
#endif
    o.jobs = cores < 1 ? 1 : cores > 8 ? 8 : (int)cores;
    int quiet = 0, c;
    while ((c = getopt_long(argc, argv, "p:qj:h", opts, NULL)) != -1) {
        switch (c) {
        case 'p':
            project = optarg;
            break;
        case 'n':
            o.dry_run = 1;
            break;
        case 's':
            o.strict = 1;
            break;
        case 'q':
            quiet = 1;
            break;
        case 'j': {
            long long v;
            if (cli_number(optarg, 1, KB_MAX_JOBS, &v))
                return cli_usage("code", "--jobs wants a number from 1 to %d",
                                 KB_MAX_JOBS);
            o.jobs = (int)v;
            break;
        }
        case 'h':
            fputs(CODE_HELP, stdout);
            return 0;
        default:
            return cli_bad_option("code", argv);
        }
    }
    if (optind + 1 != argc)
        return cli_usage("code", "one codebook file, please");
    const char *path = argv[optind];
    kb_codebook *cb;
    kb_error err;
    if (kb_codebook_load(&cb, path, &err))
        return cli_fail(&err);
    kb_project *p;
    int rc = cli_open(&p, project);
    if (rc) {
        kb_codebook_free(cb);
        return rc;
    }
    o.notice = cli_notice;
    if (isatty(2))
        o.progress = progress;
    kb_run_summary s;
    rc = kb_project_code(&s, p, cb, &o, &err);
    kb_codebook_free(cb);
    if (rc == KB_EFORMAT) { /* only the strict checks fail so: name them */
        char buf[1200];
        kb_project_free(p);
        cli_errorf("%s (--strict)", kb_error_format(&err, buf, sizeof buf));
        return cli_exit_code(rc);
    }
    if (rc) {
        kb_project_free(p);
        return cli_fail(&err);
    }
    char name[32] = "dry run";
    if (!o.dry_run)
        snprintf(name, sizeof name, "run %lld", (long long)s.run);
    print_summary(name, &s);
    if (!o.dry_run && !quiet)
        per_theme(p, s.run);
    kb_project_free(p);
    return 0;
}

static const char RUNS_HELP[] =
    "usage: kodbok runs [--format text|json]\n\n"
    "Lists coding runs. Gained, lost and quotes count the quotes the rules\n"
    "found (automatic codings, before review); the matrix and the exports\n"
    "count the coders' quotes too, and leave rejected ones out.\n";

int cmd_runs(int argc, char **argv, const char *project)
{
    static const char *const formats[] = {"text", "json", NULL};
    const char *format = "text";
    int stop, rc = cli_list_options("runs", RUNS_HELP, formats, argc, argv,
                                    &project, &format, &stop);
    if (stop)
        return rc;
    if (optind < argc)
        return cli_usage("runs", "unexpected argument '%s'", argv[optind]);
    kb_project *p;
    if ((rc = cli_open(&p, project)))
        return rc;
    kb_run_list *l;
    kb_error err;
    rc = kb_project_runs(&l, p, &err);
    kb_project_free(p);
    if (rc)
        return cli_fail(&err);
    if (!strcmp(format, "json")) {
        json j;
        json_init(&j, stdout);
        json_object(&j, NULL);
        json_array(&j, "runs");
        for (size_t i = 0; i < kb_run_list_count(l); i++) {
            const kb_run_info *r = kb_run_list_get(l, i);
            json_object(&j, NULL);
            json_int(&j, "run", r->id);
            json_string(&j, "started_at", r->started_at);
            json_string(&j, "codebook", r->codebook_path);
            json_string(&j, "codebook_name", r->codebook_name);
            json_string(&j, "codebook_hash", r->codebook_hash);
            json_size(&j, "documents", r->documents);
            json_size(&j, "documents_new", r->documents_new);
            json_size(&j, "documents_changed", r->documents_changed);
            json_size(&j, "concepts_matched", r->concepts_matched);
            json_size(&j, "gained", r->gained);
            json_size(&j, "lost", r->lost);
            json_size(&j, "quotes", r->quotes);
            json_end(&j);
        }
        json_end(&j);
        json_end(&j);
    } else if (!kb_run_list_count(l)) {
        printf("no runs yet (run 'kodbok code CODEBOOK')\n");
    } else {
        /* gained, lost and quotes are the rules' (automatic codings);
         * docs: matched again, new and changed of them in full; concepts:
         * new or changed, matched on every document */
        printf("%4s  %-20s  %-28s %5s %5s %7s %8s %7s %7s %11s\n", "run",
               "started", "codebook", "docs", "new", "changed", "concepts",
               "gained", "lost", "rule quotes");
        for (size_t i = 0; i < kb_run_list_count(l); i++) {
            const kb_run_info *r = kb_run_list_get(l, i);
            printf("%4lld  %-20s  %-*s %5zu %5zu %7zu %8zu %7zu %7zu %11zu\n",
                   (long long)r->id, r->started_at,
                   cli_pad(r->codebook_path, 28), r->codebook_path,
                   r->documents, r->documents_new, r->documents_changed,
                   r->concepts_matched, r->gained, r->lost, r->quotes);
        }
    }
    kb_run_list_free(l);
    return 0;
}

static const char DIFF_HELP[] =
    "usage: kodbok diff [RUN_A RUN_B] [--moves] [--format text|json]\n\n"
    "The rules' quotes gained and lost from run A to run B (default: the\n"
    "last two), per theme and concept, with a tally per facet value. RUN_A 0\n"
    "means before any run: every quote of RUN_B shows as gained. A quote on\n"
    "a new version of its document with its text unchanged is not a gain or\n"
    "a loss (--moves lists these too); a lost quote a coder accepted in\n"
    "review is listed as kept.\n\n"
    "  --moves  list the quotes moved by an edit elsewhere in their document\n";

static int parse_run(const char *s, int64_t *out)
{
    long long v;
    if (cli_number(s, 0, INT64_MAX, &v))
        return -1;
    *out = v;
    return 0;
}

static const char *change_name(kb_change c)
{
    return c == KB_GAINED  ? "gained"
           : c == KB_LOST  ? "lost"
           : c == KB_MOVED ? "moved"
                           : "kept";
}

/* Is item i listed (moves only with --moves)? */
static int listed(const kb_diff *d, size_t i, int moves)
{
    return moves || kb_diff_get(d, i)->change != KB_MOVED;
}

static void diff_text(const kb_diff *d, int moves)
{
    int64_t a, b;
    kb_diff_runs(d, &a, &b);
    size_t n = kb_diff_count(d), counts[5] = {0};
    for (size_t i = 0; i < n; i++)
        counts[kb_diff_get(d, i)->change]++;
    size_t changed = counts[KB_GAINED] + counts[KB_LOST];
    printf("run %lld -> run %lld: %zu %s changed (+%zu -%zu)", (long long)a,
           (long long)b, changed, cli_plural(changed, "quote", "quotes"),
           counts[KB_GAINED], counts[KB_LOST]);
    if (counts[KB_KEPT])
        printf(", %zu no longer found by the rules but kept (accepted in "
               "review)",
               counts[KB_KEPT]);
    if (counts[KB_MOVED])
        printf(", %zu unchanged on a new version%s", counts[KB_MOVED],
               moves ? "" : " (--moves lists them)");
    printf("\n");
    const char *theme = NULL, *concept = NULL;
    for (size_t i = 0; i < n; i++) {
        const kb_diff_item *it = kb_diff_get(d, i);
        if (!listed(d, i, moves))
            continue;
        if (!theme || strcmp(theme, it->theme ? it->theme : "")) {
            theme = it->theme ? it->theme : "";
            printf("\n%s (%s)\n", it->theme_label ? it->theme_label : theme,
                   theme);
            concept = NULL;
        }
        if (!concept || strcmp(concept, it->concept)) {
            concept = it->concept;
            size_t c[5] = {0};
            for (size_t k = i;
                 k < n && !strcmp(kb_diff_get(d, k)->concept, concept); k++)
                c[kb_diff_get(d, k)->change]++;
            printf("  %s (%s): +%zu -%zu", concept,
                   it->concept_label ? it->concept_label : concept,
                   c[KB_GAINED], c[KB_LOST]);
            if (c[KB_KEPT])
                printf(", %zu kept", c[KB_KEPT]);
            if (moves && c[KB_MOVED])
                printf(", %zu moved", c[KB_MOVED]);
            printf("\n");
        }
        if (it->change == KB_KEPT)
            printf("    = %s %zu-%zu [%s] %s (no longer found by the rules, "
                   "kept: accepted by %s)\n",
                   it->document, it->start, it->end, it->facets, it->text,
                   it->kept_by);
        else if (it->change == KB_MOVED)
            printf("    ~ %s v%d %zu-%zu -> v%d %zu-%zu [%s] %s\n",
                   it->document, it->from_version, it->from_start, it->from_end,
                   it->version, it->start, it->end, it->facets, it->text);
        else
            printf("    %c %s %zu-%zu [%s] %s\n",
                   it->change == KB_GAINED ? '+' : '-', it->document, it->start,
                   it->end, it->facets, it->text);
    }
    /* A tally per facet value, of the gains and losses. */
    char *keys[256];
    size_t plus[256], minus[256], nk = 0;
    for (size_t i = 0; i < n; i++) {
        const kb_diff_item *it = kb_diff_get(d, i);
        if (it->change != KB_GAINED && it->change != KB_LOST)
            continue;
        char *f = strdup(it->facets ? it->facets : ""), *save = NULL;
        for (char *t = f ? strtok_r(f, ";", &save) : NULL; t;
             t = strtok_r(NULL, ";", &save)) {
            size_t k = 0;
            while (k < nk && strcmp(keys[k], t))
                k++;
            if (k == nk && nk < 256) {
                keys[nk] = strdup(t);
                plus[nk] = minus[nk] = 0;
                nk++;
            }
            if (k < nk)
                it->change == KB_GAINED ? plus[k]++ : minus[k]++;
        }
        free(f);
    }
    if (nk)
        printf("\nper facet value:\n");
    for (size_t k = 0; k < nk; k++) {
        printf("  %-28s +%zu -%zu\n", keys[k], plus[k], minus[k]);
        free(keys[k]);
    }
}

int cmd_diff(int argc, char **argv, const char *project)
{
    static const struct option opts[] = {
        {"project", required_argument, NULL, 'p'},
        {"format", required_argument, NULL, 'f'},
        {"moves", no_argument, NULL, 'm'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    static const char *const formats[] = {"text", "json", NULL};
    const char *format = "text";
    int moves = 0, c, rc;
    while ((c = getopt_long(argc, argv, "p:f:mh", opts, NULL)) != -1) {
        if (c == 'p') {
            project = optarg;
        } else if (c == 'f') {
            format = optarg;
        } else if (c == 'm') {
            moves = 1;
        } else if (c == 'h') {
            fputs(DIFF_HELP, stdout);
            return 0;
        } else {
            return cli_bad_option("diff", argv);
        }
    }
    if ((rc = cli_check_format("diff", format, formats)))
        return rc;
    int64_t a = 0, b = 0;
    if (argc - optind == 2) {
        if (parse_run(argv[optind], &a) || parse_run(argv[optind + 1], &b))
            return cli_usage("diff", "runs are numbers (see 'kodbok runs')");
    } else if (argc != optind) {
        return cli_usage("diff", "two runs, or none for the last two");
    }
    kb_project *p;
    if ((rc = cli_open(&p, project)))
        return rc;
    kb_diff *d;
    kb_error err;
    rc = kb_project_diff(&d, p, a, b, &err);
    kb_project_free(p);
    if (rc)
        return cli_fail(&err);
    if (!strcmp(format, "json")) {
        json j;
        json_init(&j, stdout);
        json_object(&j, NULL);
        kb_diff_runs(d, &a, &b);
        json_int(&j, "from_run", a);
        json_int(&j, "to_run", b);
        json_array(&j, "changes");
        for (size_t i = 0; i < kb_diff_count(d); i++) {
            const kb_diff_item *it = kb_diff_get(d, i);
            if (!listed(d, i, moves))
                continue;
            json_object(&j, NULL);
            json_string(&j, "change", change_name(it->change));
            json_string(&j, "concept", it->concept);
            json_string(&j, "theme", it->theme);
            json_string(&j, "theme_label", it->theme_label);
            json_string(&j, "concept_label", it->concept_label);
            json_string(&j, "document", it->document);
            json_int(&j, "version", it->version);
            json_size(&j, "start", it->start);
            json_size(&j, "end", it->end);
            json_string(&j, "text", it->text);
            if (it->change == KB_KEPT)
                json_string(&j, "kept_by", it->kept_by);
            if (it->change == KB_MOVED) {
                json_int(&j, "from_version", it->from_version);
                json_size(&j, "from_start", it->from_start);
                json_size(&j, "from_end", it->from_end);
            }
            /* "level=lokal;level=regional" -> {"level": ["lokal", ...]}; the
             * pairs come sorted by facet. */
            json_object(&j, "facets");
            char *f = strdup(it->facets ? it->facets : ""), *save = NULL;
            char last[128] = "";
            for (char *t = f ? strtok_r(f, ";", &save) : NULL; t;
                 t = strtok_r(NULL, ";", &save)) {
                char *eq = strchr(t, '=');
                if (!eq)
                    continue;
                *eq = '\0';
                if (strcmp(last, t)) {
                    if (last[0])
                        json_end(&j);
                    json_array(&j, t);
                    snprintf(last, sizeof last, "%s", t);
                }
                json_string(&j, NULL, eq + 1);
            }
            if (last[0])
                json_end(&j);
            free(f);
            json_end(&j);
            json_end(&j);
        }
        json_end(&j);
        json_end(&j);
    } else {
        diff_text(d, moves);
    }
    kb_diff_free(d);
    return 0;
}
