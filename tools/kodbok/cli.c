/*
 * cli.c: helpers shared by the subcommands: errors and exit codes, the
 * project path, times.
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void cli_errorf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("kodbok: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

/* The errno of a failed write to stdout, kept when first seen. */
static int stdout_errno;

int cli_stdout_failed(void)
{
    if (!ferror(stdout))
        return 0;
    if (!stdout_errno)
        stdout_errno = errno;
    return 1;
}

/* 0 when stdout was written whole (flushed now), else why not: the errno
 * of the flush, of the failure seen first, a pipe with no reader, or the
 * errno of an empty write, which tells a full device. */
static int stdout_error(void)
{
    errno = 0;
    if (fflush(stdout) == 0 && !ferror(stdout))
        return 0;
    if (errno)
        return errno;
    if (stdout_errno)
        return stdout_errno;
    /* a pipe whose reader has gone (an error on it now) */
    struct pollfd pfd = {fileno(stdout), POLLOUT, 0};
    if (poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLERR))
        return EPIPE;
    errno = 0;
    if (write(fileno(stdout), "", 0) < 0 && errno)
        return errno;
    return EIO;
}

/* Prints the one line of a failed standard output; returns exit 3 (or
 * ends kodbok by SIGPIPE for a closed pipe). */
static int stdout_failed(int e)
{
    if (e == EPIPE) {
        signal(SIGPIPE, SIG_DFL);
        raise(SIGPIPE);
        return EXIT_INTERNAL; /* SIGPIPE blocked: an exit code all the same */
    }
    cli_errorf("error writing standard output: %s", strerror(e));
    return EXIT_INTERNAL;
}

int cli_stdout_end(int rc)
{
    int e = stdout_error();
    if (!e)
        return rc;
    if (rc && e != EPIPE)
        return rc; /* the command has said why it failed */
    return stdout_failed(e);
}

int cli_exit_code(int code)
{
    switch (code) {
    case KB_OK:
        return 0;
    case KB_EINVAL:
        return EXIT_USAGE;
    case KB_ENOENT:
    case KB_EFORMAT:
    case KB_EEXIST:
    case KB_ENOTPROJ:
    case KB_ENORUN:
    case KB_EVERSION:
        return EXIT_INPUT;
    default:
        return EXIT_INTERNAL;
    }
}

/*
 * The names the library's messages give in backquotes, an argument or a
 * call as kodbok.h names it, and kodbok's words for them: its option for
 * the argument, its command for the call.
 */
static const struct {
    const char *library, *cli;
} NAMES[] = {
    {"attrs_path", "--attrs"},
    {"case_id", "--case"},
    {"coder", "--coder"},
    {"coders", "--coders"},
    {"format", "--format"},
    {"gold", "--gold"},
    {"line_ends", "--line-ends"},
    {"margin", "--margin"},
    {"name", "--name"},
    {"nth", "--nth"},
    {"reviewer", "--coder"},
    {"speaker_regex", "--speaker"},
    {"count", "--count"},
    {"jaccard", "--jaccard"},
    {"unit", "--unit"},
    {"kb_project_tags", "'kodbok tags --unplaced'"},
    {"author", "--author"},
    {"text", "--text"},
    {"at", "--at"},
    {"kb_memo_add", "'kodbok memo add'"},
    {"kb_memo_edit", "'kodbok memo edit'"},
    {"patterns", "--pattern"},
    {"kb_document_rename", "'kodbok docs mv'"},
    {"safe_csv", "--safe-csv"},
    {"encoding", "--encoding"},
};

/* kodbok's word for the library's name s[0..n), or NULL. */
static const char *cli_name(const char *s, size_t n)
{
    for (size_t i = 0; i < sizeof NAMES / sizeof *NAMES; i++)
        if (strlen(NAMES[i].library) == n && !strncmp(NAMES[i].library, s, n))
            return NAMES[i].cli;
    return NULL;
}

/* `message` into `out` with each backquoted name kodbok knows put in its
 * words ("choose one with `nth` 1 to 3": "... with --nth 1 to 3"). */
static void cli_words(char *out, size_t size, const char *message)
{
    size_t o = 0;
    for (const char *s = message; *s && o + 1 < size;) {
        const char *end = *s == '`' ? strchr(s + 1, '`') : NULL;
        const char *word = end ? cli_name(s + 1, (size_t)(end - s - 1)) : NULL;
        if (!word) {
            out[o++] = *s++;
            continue;
        }
        size_t n = strlen(word);
        if (n >= size - o)
            n = size - o - 1;
        memcpy(out + o, word, n);
        o += n;
        s = end + 1;
    }
    out[o] = '\0';
}

int cli_fail(const kb_error *err)
{
    /* a writer that stopped as standard output failed: its one line */
    if (err->code == KB_EIO && !err->file[0] && ferror(stdout))
        return stdout_failed(stdout_error());
    kb_error e = *err;
    cli_words(e.message, sizeof e.message, err->message);
    /* A flaw at a place in an option's value (a bad --speaker regex) is
     * placed in the option, as in a file, and is a usage error. */
    const char *option =
        e.argument[0] ? cli_name(e.argument, strlen(e.argument)) : NULL;
    int in_option = option && !e.file[0] && e.line > 0;
    if (in_option)
        snprintf(e.file, sizeof e.file, "%s", option);
    char buf[1200];
    kb_error_format(&e, buf, sizeof buf);
    if (e.code == KB_ENORUN)
        cli_errorf("%s (run 'kodbok code')", buf);
    else
        cli_errorf("%s", buf);
    return in_option ? EXIT_USAGE : cli_exit_code(e.code);
}

int cli_usage(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("kodbok: ", stderr);
    if (cmd)
        fprintf(stderr, "%s: ", cmd);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, " (try 'kodbok %s%s--help')\n", cmd ? cmd : "",
            cmd ? " " : "");
    va_end(ap);
    return EXIT_USAGE;
}

int cli_bad_option(const char *cmd, char **argv)
{
    const char *arg = optind > 0 ? argv[optind - 1] : "?";
    if (optopt && optopt != '?' && strchr(arg, optopt) && arg[1] != '-')
        return cli_usage(cmd, "unknown option or missing value: '-%c'", optopt);
    return cli_usage(cmd, "unknown option or missing value: '%s'", arg);
}

int cli_number(const char *s, long long min, long long max, long long *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (end == s || *end || errno || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

const char *cli_project_path(const char *given)
{
    if (given && *given)
        return given;
    const char *env = getenv("KODBOK_PROJECT");
    if (env && *env)
        return env;
    return KB_PROJECT_DEFAULT;
}

int cli_open(kb_project **p, const char *given)
{
    kb_error err;
    if (!kb_project_open(p, cli_project_path(given), &err))
        return 0;
    if (err.code != KB_ENOENT)
        return cli_fail(&err);
    char buf[1200];
    cli_errorf("%s (create one with 'kodbok init', or name one with -p)",
               kb_error_format(&err, buf, sizeof buf));
    return cli_exit_code(err.code);
}

int cli_check_format(const char *cmd, const char *format,
                     const char *const *allowed)
{
    if (!format)
        return 0;
    for (size_t i = 0; allowed[i]; i++)
        if (!strcmp(format, allowed[i]))
            return 0;
    char list[256] = "";
    for (size_t i = 0; allowed[i]; i++) {
        strncat(list, i ? ", " : "", sizeof list - strlen(list) - 1);
        strncat(list, allowed[i], sizeof list - strlen(list) - 1);
    }
    return cli_usage(cmd, "unknown format '%s' (one of: %s)", format, list);
}

int cli_pad(const char *s, int columns)
{
    return s ? columns + (int)strlen(s) - kb_text_width(s) : columns;
}

const char *cli_plural(size_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

void cli_notice(void *ctx, const char *message)
{
    (void)ctx;
    size_t size = 2 * strlen(message) + 64; /* room for every name's words */
    char *buf = malloc(size);
    if (buf)
        cli_words(buf, size, message);
    cli_errorf("%s", buf ? buf : message);
    free(buf);
}

/* s quoted for a shell when it needs it. */
static void print_shell_word(const char *s)
{
    if (*s && strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                        "0123456789._/-+,:@") == strlen(s)) {
        fputs(s, stderr);
        return;
    }
    fputc('\'', stderr);
    for (; *s; s++)
        if (*s == '\'')
            fputs("'\\''", stderr);
        else
            fputc(*s, stderr);
    fputc('\'', stderr);
}

static void on_pending(void *ctx, const kb_interviewer_pending *d)
{
    (void)ctx;
    int many = d->nspeakers > 1;
    fprintf(stderr,
            "kodbok: %s v%d was read with %s as %s, but the cases name %s "
            "%s: %s the role when imported again (kodbok import --reread ",
            d->document, d->version, d->speakers,
            many ? "respondents" : "respondent", many ? "them" : d->speakers,
            many ? "interviewers" : "interviewer",
            many ? "they take" : "it takes");
    print_shell_word(d->source_path);
    /* the name an import gives: the file's name without its extension */
    const char *base = strrchr(d->source_path, '/');
    base = base ? base + 1 : d->source_path;
    const char *dot = strrchr(base, '.');
    size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    if (strlen(d->document) != n || strncmp(d->document, base, n)) {
        fputs(" --name ", stderr);
        print_shell_word(d->document);
    }
    fputs(")\n", stderr);
}

void cli_interviewers_pending(kb_project *p)
{
    kb_error err;
    char buf[1200];
    fflush(stdout);
    if (kb_project_interviewers_pending(p, on_pending, NULL, &err))
        cli_errorf("warning: %s", kb_error_format(&err, buf, sizeof buf));
}

int cli_list_options(const char *cmd, const char *help,
                     const char *const *formats, int argc, char **argv,
                     const char **project, const char **format, int *stop)
{
    static const struct option opts[] = {
        {"project", required_argument, NULL, 'p'},
        {"format", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;
    *stop = 1;
    while ((c = getopt_long(argc, argv, "p:f:h", opts, NULL)) != -1) {
        if (c == 'p') {
            *project = optarg;
        } else if (c == 'f') {
            *format = optarg;
        } else if (c == 'h') {
            fputs(help, stdout);
            return 0;
        } else {
            return cli_bad_option(cmd, argv);
        }
    }
    int rc = cli_check_format(cmd, *format, formats);
    *stop = rc != 0;
    return rc;
}

const char *cli_coder(const char *given)
{
    if (given && *given)
        return given;
    const char *env = getenv("KODBOK_CODER");
    if (env && *env)
        return env;
    const struct passwd *pw = getpwuid(geteuid());
    if (pw && pw->pw_name && *pw->pw_name)
        return pw->pw_name;
    env = getenv("USER");
    return env && *env ? env : NULL;
}

int cli_run_codebook(kb_codebook **cb, kb_project *p, const char *path,
                     int64_t run, const char *changed)
{
    kb_run_list *runs;
    kb_error err;
    if (kb_project_runs(&runs, p, &err))
        return cli_fail(&err);
    const kb_run_info *info = NULL;
    for (size_t i = 0; i < kb_run_list_count(runs); i++) {
        const kb_run_info *r = kb_run_list_get(runs, i);
        if (!run || r->id == run)
            info = r; /* the last one, or run N */
    }
    int rc = 0;
    if (!path && !info) {
        cli_errorf("no runs yet (run 'kodbok code')");
        rc = EXIT_INPUT;
    } else if (kb_codebook_load(cb, path ? path : info->codebook_path, &err)) {
        rc = cli_fail(&err);
    } else if (info && strcmp(kb_codebook_hash(*cb), info->codebook_hash)) {
        cli_errorf("%s has changed since run %lld; %s",
                   path ? path : info->codebook_path, (long long)info->id,
                   changed);
    }
    kb_run_list_free(runs);
    return rc;
}

int cli_name_listed(const char *list, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = list; p && *p;) {
        size_t k = strcspn(p, ",");
        if (k == n && !strncmp(p, name, n))
            return 1;
        p += k + (p[k] == ',');
    }
    return 0;
}
