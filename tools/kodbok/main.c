/*
 * main.c: the kodbok command line: global options, then one subcommand.
 */
#include "cli.h"

#include <getopt.h>
#ifdef __linux__
#include <malloc.h> /* glibc's mallopt */
#endif
#include <signal.h>
#include <stdio.h>
#include <string.h>

/*
 * kodbok is two programs built from these sources. kodbok-full has every
 * command. kodbok, the one users run, leaves out the commands whose code
 * needs the format libraries (libxml2 with ICU, libzip, libxlsxwriter,
 * cmark) or the server's (libmicrohttpd with GnuTLS, jansson), and runs
 * them by starting kodbok-full with the same arguments: the other commands,
 * `code` first, start without loading those libraries, which cost more than
 * a small command's own work. The build links kodbok without them, so a
 * command listed here as its own that calls them does not link.
 */
#ifdef KODBOK_CLI_FULL
#define IN_FULL(fn) fn
#else
#define IN_FULL(fn) NULL
#endif

static const struct {
    const char *name;
    cli_command_fn fn;
    const char *summary;
} COMMANDS[] = {
    {"init", cmd_init, "create a new project file"},
    {"import", IN_FULL(cmd_import), "import transcripts (and a cases CSV)"},
    {"docs", cmd_docs, "list documents"},
    {"show", cmd_show, "show a document's turns, paragraphs or sentences"},
    {"cases", cmd_cases, "list cases, or import a cases CSV"},
    {"codebook", IN_FULL(cmd_codebook), "check a codebook and show its tree"},
    {"code", cmd_code, "code the project with a codebook (incremental)"},
    {"runs", cmd_runs, "list coding runs"},
    {"diff", cmd_diff, "quotes gained and lost between two runs"},
    {"structure", IN_FULL(cmd_structure),
     "the Gioia data-structure figure (SVG, DOT)"},
    {"tag", cmd_tag, "apply a code by hand to a passage"},
    {"untag", cmd_untag, "remove a manual coding"},
    {"tags", cmd_tags, "list, export or import manual codings"},
    {"feature", cmd_feature, "feature a quote, so that slides show it first"},
    {"memo", cmd_memo, "memos: the journal, on documents, cases, codes"},
    {"review", cmd_review, "accept or reject automatic quotes, one key each"},
    {"agree", cmd_agree, "agreement between coders (kappa, alpha)"},
    {"eval", cmd_eval, "the run's codes against a coder's: precision, recall"},
    {"suggest", cmd_suggest, "patterns for a concept learnt from a coder"},
    {"slides", IN_FULL(cmd_slides),
     "the quotes as a slide deck (PPTX, Markdown)"},
    {"search", IN_FULL(cmd_search), "keyword in context over the documents"},
    {"words", IN_FULL(cmd_words),
     "word frequencies, and keyness against a reference"},
    {"quotes", IN_FULL(cmd_quotes),
     "the quotes of a run as a table (CSV, XLSX, ...)"},
    {"matrix", IN_FULL(cmd_matrix),
     "quotes by theme and level (or any axes), co-occurrence"},
    {"report", IN_FULL(cmd_report),
     "one HTML page: the matrix, its quotes, the codebook"},
    {"export", IN_FULL(cmd_export),
     "the project for other tools (REFI-QDA .qdpx)"},
    {"serve", IN_FULL(cmd_serve), "the project in the browser, and a JSON API"},
    /* not in --help: the shells' completions ask it for the project's names */
    {"__complete", cmd_complete, NULL},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: kodbok [-p FILE] COMMAND [OPTIONS] [ARGS]\n\n"
               "Qualitative coding of interview transcripts.\n\n"
               "Commands:\n");
    for (size_t i = 0; i < sizeof COMMANDS / sizeof COMMANDS[0]; i++)
        if (COMMANDS[i].summary)
            fprintf(f, "  %-10s %s\n", COMMANDS[i].name, COMMANDS[i].summary);
    fprintf(f, "\nOptions:\n"
               "  -p, --project FILE  the project file (default: "
               "$KODBOK_PROJECT, else ./" KB_PROJECT_DEFAULT ")\n"
               "  -h, --help          this help; 'kodbok COMMAND --help' for "
               "a command\n"
               "      --version       print the version\n\n"
               "Exit codes: 0 success, 1 usage error, 2 bad input, 3 internal "
               "or I/O error,\n4 a gate failed (eval --baseline).\n");
}

/* SIGINT, SIGTERM, SIGHUP: the temporary files being written are removed,
 * then the signal ends kodbok as it would have (SA_RESETHAND: the default
 * action, raised again once the handler returns). */
static void on_signal(int sig)
{
    kb_output_remove_temps();
    raise(sig);
}

static void remove_temps_on_signals(void)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        struct sigaction old, sa = {0};
        /* a signal ignored by whoever started kodbok (nohup) stays so */
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
            continue;
        sa.sa_handler = on_signal;
        sa.sa_flags = (int)SA_RESETHAND;
        sigemptyset(&sa.sa_mask);
        sigaction(sigs[i], &sa, NULL);
    }
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"project", required_argument, NULL, 'p'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    const char *project = NULL;
    int c;
    /* Large blocks (a document's text, its fold) always mapped apart and
     * given back when freed: glibc would otherwise keep them in each
     * worker thread's heap once one had been freed, and a run of many
     * workers would hold one per worker. */
#ifdef M_MMAP_THRESHOLD
    mallopt(M_MMAP_THRESHOLD, 256 * 1024);
#endif
    opterr = 0; /* errors are reported as one line by cli_bad_option */
    /* "+": stop at the first non-option, the command. */
    while ((c = getopt_long(argc, argv, "+p:h", opts, NULL)) != -1) {
        switch (c) {
        case 'p':
            project = optarg;
            break;
        case 'h':
            usage(stdout);
            return cli_stdout_end(0);
        case 'V':
            printf("kodbok %s (schema %d)\n", KB_VERSION_STRING,
                   kb_schema_version());
            return cli_stdout_end(0);
        default:
            return cli_bad_option(NULL, argv);
        }
    }
    if (optind >= argc) {
        usage(stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[optind];
    for (size_t i = 0; i < sizeof COMMANDS / sizeof COMMANDS[0]; i++)
        if (!strcmp(cmd, COMMANDS[i].name)) {
#ifndef KODBOK_CLI_FULL
            if (!COMMANDS[i].fn)
                return cli_run_full(cmd, argv);
#endif
            int sub_argc = argc - optind;
            char **sub_argv = argv + optind;
            optind = 0; /* restart getopt for the command's own options */
            remove_temps_on_signals();
            return cli_stdout_end(COMMANDS[i].fn(sub_argc, sub_argv, project));
        }
    cli_errorf("unknown command '%s' (try 'kodbok --help')", cmd);
    return EXIT_USAGE;
}
