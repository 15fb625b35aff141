/*
 * cmd_memo.c: memos from the command line: kodbok memo add, edit, list and
 * rm (on the project's journal, a document, a case, a code or a manual
 * coding), and memo export and import (the memos file for git).
 */
#include "cli.h"
#include "json.h"
#include "tables.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char MEMO_HELP[] =
    "usage: kodbok memo add [TARGET [--at FACET=VALUE]] [--author NAME]\n"
    "                       (--text TEXT | --file F | -)\n"
    "       kodbok memo edit (ID | --coding ID) [--text TEXT | --file F | -]\n"
    "       kodbok memo list [TARGET] [--at FACET=VALUE] [--author NAME]\n"
    "                        [--format text|json|md]\n"
    "       kodbok memo rm (ID | --coding ID)\n"
    "       kodbok memo export -o FILE.tsv\n"
    "       kodbok memo import FILE.tsv\n\n"
    "Memos in Markdown: entries of the project's analytic journal, and notes\n"
    "on a document, a case, a code or a manual coding, each with its author\n"
    "and the times it was written and last changed.\n\n"
    "TARGET (for add, default --journal; for list, a filter):\n"
    "  --journal        the project's analytic journal\n"
    "  --doc NAME       a document\n"
    "  --case ID        a case\n"
    "  --code ID        a concept, theme or dimension of the last run's\n"
    "                   codebook\n"
    "  --coding ID      a manual coding, by the id 'kodbok tags' lists: its\n"
    "                   memo, the one 'kodbok tag --memo' writes\n"
    "  --at FACET=VALUE with --code: the code at one value of a facet\n"
    "                   (--at level=regional: the cell of a theme x level\n"
    "                   slide, whose lead statement the memo is); for list,\n"
    "                   alone: every code's memos at that value\n\n"
    "  --author NAME    default: $KODBOK_CODER, else the login name\n"
    "  --text TEXT      the memo's text\n"
    "  --file F         the text from file F ('-': standard input)\n"
    "  -                the text from standard input\n\n"
    "'memo edit' without a text opens the memo in $VISUAL, else $EDITOR,\n"
    "else vi, and stores what is saved (unchanged: nothing is stored).\n"
    "'memo export' writes the memos on the journal, documents, cases and\n"
    "codes as a sorted tab-separated file, a line per memo, that diffs and\n"
    "merges well in git; codings' memos travel in the tags file. 'memo\n"
    "import' reads one back: memos already there are left as they are, and\n"
    "conflicts are reported.\n";

enum {
    OPT_JOURNAL = 300,
    OPT_MDOC,
    OPT_MCASE,
    OPT_MCODE,
    OPT_MCODING,
    OPT_AUTHOR,
    OPT_TEXT,
    OPT_FILE,
    OPT_AT
};

/* The options memo's subcommands share, as parsed. */
typedef struct memo_args {
    const char *project, *author, *text, *file, *format, *output;
    const char *at; /* --at */
    kb_memo_about about;
    int targets; /* how many target options were given */
    char *arg;   /* the one positional argument, if any */
} memo_args;

/* Parses a subcommand's options; returns 0, -1 after printing help, or an
 * exit code. `allowed` are the option codes this subcommand takes. */
static int memo_parse(memo_args *a, const char *cmd, int argc, char **argv,
                      const char *project, const int *allowed)
{
    static const struct option opts[] = {
        {"project", required_argument, NULL, 'p'},
        {"format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {"journal", no_argument, NULL, OPT_JOURNAL},
        {"doc", required_argument, NULL, OPT_MDOC},
        {"case", required_argument, NULL, OPT_MCASE},
        {"code", required_argument, NULL, OPT_MCODE},
        {"coding", required_argument, NULL, OPT_MCODING},
        {"author", required_argument, NULL, OPT_AUTHOR},
        {"text", required_argument, NULL, OPT_TEXT},
        {"file", required_argument, NULL, OPT_FILE},
        {"at", required_argument, NULL, OPT_AT},
        {NULL, 0, NULL, 0},
    };
    memset(a, 0, sizeof *a);
    a->project = project;
    a->format = "text";
    int c;
    while ((c = getopt_long(argc, argv, "p:f:o:h", opts, NULL)) != -1) {
        if (c == 'p') {
            a->project = optarg;
            continue;
        }
        if (c == 'h') {
            fputs(MEMO_HELP, stdout);
            return -1;
        }
        int ok = 0;
        for (const int *k = allowed; *k; k++)
            ok |= *k == c;
        if (!ok)
            return c == '?' || c == ':' ? cli_bad_option(cmd, argv)
                                        : cli_usage(cmd, "%s takes no %s", cmd,
                                                    argv[optind - 1]);
        long long n;
        switch (c) {
        case 'f':
            a->format = optarg;
            break;
        case 'o':
            a->output = optarg;
            break;
        case OPT_JOURNAL:
            a->about.target = KB_MEMO_PROJECT;
            a->targets++;
            break;
        case OPT_MDOC:
        case OPT_MCASE:
        case OPT_MCODE:
            a->about.target = c == OPT_MDOC    ? KB_MEMO_DOCUMENT
                              : c == OPT_MCASE ? KB_MEMO_CASE
                                               : KB_MEMO_CODE;
            a->about.name = optarg;
            a->targets++;
            break;
        case OPT_MCODING:
            if (cli_number(optarg, 1, INT64_MAX, &n))
                return cli_usage(cmd, "--coding wants a coding's id");
            a->about.target = KB_MEMO_CODING;
            a->about.coding = n;
            a->targets++;
            break;
        case OPT_AUTHOR:
            a->author = optarg;
            break;
        case OPT_TEXT:
            a->text = optarg;
            break;
        case OPT_FILE:
            a->file = optarg;
            break;
        case OPT_AT:
            a->at = optarg;
            break;
        }
    }
    if (a->targets > 1)
        return cli_usage(cmd, "one of --journal, --doc, --case, --code and "
                              "--coding, please");
    if (a->at && a->targets && a->about.target != KB_MEMO_CODE)
        return cli_usage(cmd, "--at goes with --code: a memo on a code at a "
                              "facet value");
    const char *eq = a->at ? strchr(a->at, '=') : NULL;
    if (a->at && *a->at && (!eq || eq == a->at || !eq[1]))
        return cli_usage(cmd,
                         "--at '%s' is not FACET=VALUE (as "
                         "level=regional)",
                         a->at);
    a->about.at = a->at;
    if (optind < argc) {
        if (argc - optind > 1)
            return cli_usage(cmd, "unexpected argument '%s'", argv[optind + 1]);
        a->arg = argv[optind];
        if (!strcmp(a->arg, "-")) { /* the text from standard input */
            a->file = "-";
            a->arg = NULL;
        }
    }
    if (a->text && a->file)
        return cli_usage(cmd, "the text from --text or from a file, not both");
    return 0;
}

/* The text given by --text, --file or '-' into *out (caller frees); 0 or an
 * exit code. */
static int memo_text(const memo_args *a, char **out)
{
    *out = NULL;
    if (!a->text) {
        kb_error err;
        const char *path = strcmp(a->file, "-") ? a->file : "/dev/stdin";
        return kb_memo_text_read(out, path, &err) ? cli_fail(&err) : 0;
    }
    if (!(*out = strdup(a->text))) {
        cli_errorf("out of memory");
        return EXIT_INTERNAL;
    }
    return 0;
}

/* The memo's id from the positional argument or --coding; 0 or an exit
 * code. */
static int memo_which(const memo_args *a, const char *cmd, int64_t *id,
                      int *coding)
{
    long long n;
    *coding = a->about.target == KB_MEMO_CODING;
    if (*coding && !a->arg && a->targets == 1) {
        *id = a->about.coding;
        return 0;
    }
    if (a->targets || !a->arg)
        return cli_usage(cmd, "a memo's id (as 'kodbok memo list' shows it) "
                              "or --coding ID, please");
    if (cli_number(a->arg, 1, INT64_MAX, &n))
        return cli_usage(cmd, "'%s' is not a memo's id", a->arg);
    *id = n;
    return 0;
}

static int memo_add(int argc, char **argv, const char *project)
{
    static const int allowed[] = {
        OPT_JOURNAL, OPT_MDOC,   OPT_MCASE, OPT_MCODE, OPT_AT,
        OPT_MCODING, OPT_AUTHOR, OPT_TEXT,  OPT_FILE,  0};
    memo_args a;
    int rc = memo_parse(&a, "memo add", argc, argv, project, allowed);
    if (rc)
        return rc < 0 ? 0 : rc;
    if (a.arg)
        return cli_usage("memo add", "unexpected argument '%s'", a.arg);
    if (!a.text && !a.file)
        return cli_usage("memo add", "the text, please: --text TEXT, --file F"
                                     " or - (standard input)");
    if (a.at && !a.targets)
        return cli_usage("memo add", "--at goes with --code: a memo on a code "
                                     "at a facet value");
    if (!a.targets)
        a.about.target = KB_MEMO_PROJECT;
    const char *author = cli_coder(a.author);
    if (!author)
        return cli_usage("memo add",
                         "no author known: give --author or set KODBOK_CODER");
    char *text;
    if ((rc = memo_text(&a, &text)))
        return rc;
    kb_project *p;
    if ((rc = cli_open(&p, a.project))) {
        free(text);
        return rc;
    }
    kb_error err;
    int64_t id;
    rc = kb_memo_add(&id, p, &a.about, author, text, &err);
    kb_project_free(p);
    free(text);
    if (rc)
        return cli_fail(&err);
    if (a.about.target == KB_MEMO_CODING)
        printf("memo of manual coding %lld by %s\n", (long long)id, author);
    else
        printf("memo %lld by %s\n", (long long)id, author);
    return 0;
}

/* Runs the user's editor on `path` as git does ($VISUAL, else $EDITOR,
 * else vi, through the shell so that it may carry arguments); 0 or an exit
 * code. */
static int run_editor(const char *path)
{
    const char *ed = getenv("VISUAL");
    if (!ed || !*ed)
        ed = getenv("EDITOR");
    if (!ed || !*ed)
        ed = "vi";
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s \"$@\"", ed);
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) {
        cli_errorf("cannot start the editor: %s", strerror(errno));
        return EXIT_INTERNAL;
    }
    if (pid == 0) {
        execl("/bin/sh", "sh", "-c", cmd, ed, path, (char *)NULL);
        _exit(127);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) {
            cli_errorf("waiting for the editor: %s", strerror(errno));
            return EXIT_INTERNAL;
        }
    if (!WIFEXITED(status) || WEXITSTATUS(status)) {
        cli_errorf("the editor '%s' failed; nothing stored", ed);
        return EXIT_INPUT;
    }
    return 0;
}

/* The memo's text opened in the editor: written to `path` in a new
 * directory `dir`, and *out (caller frees) what was saved there. 0 or an
 * exit code. */
static int edit_in_editor(const char *old, char **out, char dir[256],
                          char path[300])
{
    *out = NULL;
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, 256, "%s/kodbok-memo-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        cli_errorf("cannot make a temporary directory: %s", strerror(errno));
        *dir = '\0';
        return EXIT_INTERNAL;
    }
    snprintf(path, 300, "%s/memo.md", dir);
    FILE *f = fopen(path, "w");
    if (!f || fprintf(f, "%s\n", old) < 0 || fclose(f)) {
        cli_errorf("%s: %s", path, strerror(errno));
        return EXIT_INTERNAL;
    }
    int rc = run_editor(path);
    kb_error err;
    if (!rc && kb_memo_text_read(out, path, &err))
        rc = cli_fail(&err);
    return rc;
}

/* 1 when s has something other than white space. */
static int has_words(const char *s)
{
    for (; s && *s; s++)
        if (!strchr(" \t\r\n\f\v", *s))
            return 1;
    return 0;
}

static int memo_edit(int argc, char **argv, const char *project)
{
    static const int allowed[] = {OPT_MCODING, OPT_TEXT, OPT_FILE, 0};
    memo_args a;
    int rc = memo_parse(&a, "memo edit", argc, argv, project, allowed);
    if (rc)
        return rc < 0 ? 0 : rc;
    int64_t id;
    int coding;
    if ((rc = memo_which(&a, "memo edit", &id, &coding)))
        return rc;
    kb_project *p;
    if ((rc = cli_open(&p, a.project)))
        return rc;
    char *text = NULL, dir[256] = "", path[300] = "";
    kb_error err;
    if (a.text || a.file) {
        rc = memo_text(&a, &text);
    } else { /* the memo as it is, into the editor */
        kb_memo_list *l;
        kb_memo_about one = {KB_MEMO_CODING, NULL, id, NULL};
        const kb_memo_info *m = NULL;
        if (kb_project_memos(&l, p, coding ? &one : NULL, NULL, &err)) {
            kb_project_free(p);
            return cli_fail(&err);
        }
        for (size_t i = 0; i < kb_memo_list_count(l) && !m; i++) {
            const kb_memo_info *x = kb_memo_list_get(l, i);
            if (coding || (x->target != KB_MEMO_CODING && x->id == id))
                m = x;
        }
        if (m)
            rc = edit_in_editor(m->text, &text, dir, path);
        else if (coding)
            rc = (cli_errorf("manual coding %lld has no memo (write one with "
                             "'kodbok memo add --coding %lld')",
                             (long long)id, (long long)id),
                  EXIT_INPUT);
        else
            rc = (cli_errorf("no memo %lld in the project", (long long)id),
                  EXIT_INPUT);
        kb_memo_list_free(l);
    }
    int changed = 0, keep = 0;
    const char *what = coding ? "memo of manual coding" : "memo";
    if (!rc && kb_memo_edit(&changed, p, id, coding, text, &err)) {
        rc = cli_fail(&err);
        keep = *path && has_words(text); /* what was written is not lost */
        if (keep)
            fprintf(stderr, "kodbok: nothing stored; your text is kept in %s\n",
                    path);
    } else if (!rc) {
        printf(changed ? "%s %lld changed\n"
                       : "%s %lld unchanged: nothing stored\n",
               what, (long long)id);
    }
    if (*dir && !keep) {
        remove(path);
        rmdir(dir);
    }
    free(text);
    kb_project_free(p);
    return rc;
}

static int memo_rm(int argc, char **argv, const char *project)
{
    static const int allowed[] = {OPT_MCODING, 0};
    memo_args a;
    int rc = memo_parse(&a, "memo rm", argc, argv, project, allowed);
    if (rc)
        return rc < 0 ? 0 : rc;
    int64_t id;
    int coding;
    if ((rc = memo_which(&a, "memo rm", &id, &coding)))
        return rc;
    kb_project *p;
    if ((rc = cli_open(&p, a.project)))
        return rc;
    kb_error err;
    rc = kb_memo_remove(p, id, coding, &err);
    kb_project_free(p);
    if (rc)
        return cli_fail(&err);
    printf("removed %s %lld\n", coding ? "the memo of manual coding" : "memo",
           (long long)id);
    return 0;
}

/* What a memo is on, in words: "journal", "document ip01", "concept
 * samverkan", "theme struktur at level=regional", "coding 12 (samverkan on
 * ip01)". */
static void memo_about(char *buf, size_t size, const kb_memo_info *m)
{
    switch (m->target) {
    case KB_MEMO_PROJECT:
        snprintf(buf, size, "journal");
        break;
    case KB_MEMO_CODE:
        snprintf(buf, size, "%s %s%s%s", kb_code_kind_name(m->kind), m->name,
                 *m->at ? " at " : "", m->at);
        break;
    case KB_MEMO_CODING:
        snprintf(buf, size, "coding %lld (%s on %s)", (long long)m->coding,
                 m->code, m->name);
        break;
    default:
        snprintf(buf, size, "%s %s", kb_memo_target_name(m->target), m->name);
    }
}

/* "2026-12-07 10:15" of an ISO 8601 time. */
static void memo_when(char buf[20], const char *iso)
{
    snprintf(buf, 20, "%.10s %.5s", iso, strlen(iso) > 11 ? iso + 11 : "");
}

static void memos_text(const kb_memo_list *l)
{
    for (size_t i = 0; i < kb_memo_list_count(l); i++) {
        const kb_memo_info *m = kb_memo_list_get(l, i);
        char about[300], made[20], changed[20];
        memo_about(about, sizeof about, m);
        memo_when(made, m->created_at);
        memo_when(changed, m->changed_at);
        if (m->target == KB_MEMO_CODING)
            printf("%s%s, %s, %s", i ? "\n" : "", about, m->author, made);
        else
            printf("%smemo %lld: %s, %s, %s", i ? "\n" : "", (long long)m->id,
                   about, m->author, made);
        if (strcmp(made, changed))
            printf(" (changed %s)", changed);
        fputc('\n', stdout);
        for (const char *s = m->text; *s;) {
            size_t n = strcspn(s, "\n");
            printf(n ? "    %.*s\n" : "\n", (int)n, s);
            s += n + (s[n] == '\n');
        }
    }
}

static void memos_json(const kb_memo_list *l)
{
    json j;
    json_init(&j, stdout);
    json_object(&j, NULL);
    json_array(&j, "memos");
    for (size_t i = 0; i < kb_memo_list_count(l); i++) {
        json_object(&j, NULL);
        json_memo_info(&j, kb_memo_list_get(l, i));
        json_end(&j);
    }
    json_end(&j);
    json_end(&j);
}

/* Markdown: a heading per memo, its text as written. */
static void memos_md(const kb_memo_list *l)
{
    for (size_t i = 0; i < kb_memo_list_count(l); i++) {
        const kb_memo_info *m = kb_memo_list_get(l, i);
        char about[300], made[20];
        memo_about(about, sizeof about, m);
        memo_when(made, m->created_at);
        printf("%s## %s, %s, %s\n\n%s\n", i ? "\n" : "", about, made, m->author,
               m->text);
    }
}

static int memo_list(int argc, char **argv, const char *project)
{
    static const int allowed[] = {OPT_JOURNAL, OPT_MDOC, OPT_MCASE,
                                  OPT_MCODE,   OPT_AT,   OPT_MCODING,
                                  OPT_AUTHOR,  'f',      0};
    static const char *const formats[] = {"text", "json", "md", NULL};
    memo_args a;
    int rc = memo_parse(&a, "memo list", argc, argv, project, allowed);
    if (rc)
        return rc < 0 ? 0 : rc;
    if ((rc = cli_check_format("memo list", a.format, formats)))
        return rc;
    if (a.arg)
        return cli_usage("memo list", "unexpected argument '%s'", a.arg);
    if (a.at && !a.targets)
        a.about.target = KB_MEMO_CODE; /* every code's memos at a.at */
    kb_project *p;
    if ((rc = cli_open(&p, a.project)))
        return rc;
    kb_memo_list *l;
    kb_error err;
    rc = kb_project_memos(&l, p, a.targets || a.at ? &a.about : NULL, a.author,
                          &err);
    kb_project_free(p);
    if (rc)
        return cli_fail(&err);
    if (!strcmp(a.format, "json"))
        memos_json(l);
    else if (!strcmp(a.format, "md"))
        memos_md(l);
    else
        memos_text(l);
    kb_memo_list_free(l);
    return 0;
}

static int memo_export(int argc, char **argv, const char *project)
{
    static const int allowed[] = {'o', 0};
    memo_args a;
    int rc = memo_parse(&a, "memo export", argc, argv, project, allowed);
    if (rc)
        return rc < 0 ? 0 : rc;
    if (!a.output)
        return cli_usage("memo export", "-o FILE.tsv, please");
    if (a.arg)
        return cli_usage("memo export", "unexpected argument '%s'", a.arg);
    kb_project *p;
    if ((rc = cli_open(&p, a.project)))
        return rc;
    table_out out;
    size_t n = 0;
    if (!(rc = table_out_open(&out, a.output, 0))) {
        kb_error err;
        int failed = kb_memos_write(out.f, &n, p, &err);
        rc = table_out_close(&out, failed ? &err : NULL);
    }
    kb_project_free(p);
    if (!rc && strcmp(a.output, "-"))
        printf("wrote %zu %s to %s\n", n, cli_plural(n, "memo", "memos"),
               a.output);
    return rc;
}

static int memo_import(int argc, char **argv, const char *project)
{
    static const int allowed[] = {0};
    memo_args a;
    int rc = memo_parse(&a, "memo import", argc, argv, project, allowed);
    if (rc)
        return rc < 0 ? 0 : rc;
    if (!a.arg)
        return cli_usage("memo import", "one memos file, please");
    kb_project *p;
    if ((rc = cli_open(&p, a.project)))
        return rc;
    kb_error err;
    kb_memos_import_report r;
    kb_memos_import_options o = KB_MEMOS_IMPORT_OPTIONS_INIT;
    o.notice = cli_notice;
    rc = kb_memos_import(&r, p, a.arg, &o, &err);
    kb_project_free(p);
    if (rc)
        return cli_fail(&err);
    printf("%s: %zu %s: %zu added, %zu already there, %zu %s (the "
           "project's kept)\n",
           a.arg, r.lines, cli_plural(r.lines, "memo", "memos"), r.added,
           r.same, r.conflicts,
           cli_plural(r.conflicts, "conflict", "conflicts"));
    return 0;
}

int cmd_memo(int argc, char **argv, const char *project)
{
    static const struct {
        const char *name;
        cli_command_fn fn;
    } SUB[] = {
        {"add", memo_add}, {"edit", memo_edit},     {"list", memo_list},
        {"rm", memo_rm},   {"export", memo_export}, {"import", memo_import},
    };
    if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
        fputs(MEMO_HELP, stdout);
        return 0;
    }
    for (size_t i = 0; argc > 1 && i < sizeof SUB / sizeof *SUB; i++)
        if (!strcmp(argv[1], SUB[i].name))
            return SUB[i].fn(argc - 1, argv + 1, project);
    if (argc > 1)
        return cli_usage("memo",
                         "unknown subcommand '%s' (add, edit, list, "
                         "rm, export or import)",
                         argv[1]);
    return cli_usage("memo", "add, edit, list, rm, export or import, please");
}
