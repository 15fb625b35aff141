/*
 * cli.c: helpers shared by the subcommands: errors and exit codes, the
 * project path, times.
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <pwd.h>
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

int cli_fail(const kb_error *err)
{
    char buf[1200];
    kb_error_format(err, buf, sizeof buf);
    if (err->code == KB_ENORUN)
        cli_errorf("%s (run 'kodbok code')", buf);
    else
        cli_errorf("%s", buf);
    return cli_exit_code(err->code);
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
    if (kb_project_open(p, cli_project_path(given), &err))
        return cli_fail(&err);
    return 0;
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
    cli_errorf("%s", message);
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
