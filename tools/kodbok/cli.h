/*
 * cli.h: what the kodbok subcommands share: the command table, argument
 * and error helpers, exit codes, times. JSON output is in json.h.
 *
 * Exit codes: 0 success, 1 usage error, 2 bad input (missing or malformed
 * file, unknown document or case), 3 internal or I/O error, 4 the baseline
 * gate failed (eval --baseline: a code's F1 fell by more than the margin).
 */
#ifndef KODBOK_CLI_H
#define KODBOK_CLI_H

#include "kodbok.h"

#include <getopt.h>
#include <stdio.h>

enum { EXIT_USAGE = 1, EXIT_INPUT = 2, EXIT_INTERNAL = 3, EXIT_GATE = 4 };

/* A subcommand: argv[0] is the command's name; -p FILE before the command
 * arrives as `project` (NULL if not given). Returns the exit code. */
typedef int (*cli_command_fn)(int argc, char **argv, const char *project);

/* Runs kodbok-full with the same arguments, for `cmd`, a command the light
 * program leaves out (main.c). Returns only when it could not be started:
 * the reason printed, exit 3. */
int cli_run_full(const char *cmd, char **argv);

/* Prints "kodbok: MESSAGE" to stderr. */
void cli_errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints a library error as one line and returns its exit code. The
 * library names its arguments and calls as kodbok.h does; kodbok puts its
 * own options and commands in their place. */
int cli_fail(const kb_error *err);

/*
 * Standard output at the end of a command (main.c): flushed and checked.
 * A write that failed since the command began (a full disk, /dev/full)
 * prints "kodbok: error writing standard output: REASON" and gives exit 3
 * when the command had succeeded (a failed command has said why already);
 * a closed pipe ends kodbok quietly by SIGPIPE, as it ends any Unix tool.
 * Returns the exit code.
 */
int cli_stdout_end(int rc);

/* 1 when a write to standard output has failed: a command that writes
 * much stops early (the error is told by cli_stdout_end). */
int cli_stdout_failed(void);

/* Exit code for a kb_code. */
int cli_exit_code(int code);

/* Usage error: prints the message and "try 'kodbok CMD --help'"; returns 1. */
int cli_usage(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* After getopt_long returned '?' or ':': names the bad option; returns 1. */
int cli_bad_option(const char *cmd, char **argv);

/* The project path from -p, KODBOK_PROJECT or the default. */
const char *cli_project_path(const char *given);

/* Opens the project or prints why not; returns 0 or an exit code. */
int cli_open(kb_project **p, const char *given);

/*
 * Parses the options of a listing command (-p/--project, -f/--format,
 * -h/--help) and checks the format against `formats`. Sets *stop when the
 * command is over (help printed, or an error) and returns its exit code.
 */
int cli_list_options(const char *cmd, const char *help,
                     const char *const *formats, int argc, char **argv,
                     const char **project, const char **format, int *stop);

/* Parses a whole decimal number in [min, max]; 0, or -1 if it is not. */
int cli_number(const char *s, long long min, long long max, long long *out);

/* Checks --format against the allowed names ("text", "json", ...). */
int cli_check_format(const char *cmd, const char *format,
                     const char *const *allowed);

/* The printf field width ("%-*s", "%*s") that pads s to `columns`
 * terminal cells: `columns` plus the bytes s has beyond its width on a
 * terminal (kb_text_width), so that å, ä and ö take one cell like any
 * letter. Every text listing pads names this way. */
int cli_pad(const char *s, int columns);

/* Is `name` one of the names of `list` (comma-separated, as a quote's
 * coders are), NULL being none? */
int cli_name_listed(const char *list, const char *name);

/* `one` when n is 1, else `many`: "1 document", "2 documents". */
const char *cli_plural(size_t n, const char *one, const char *many);

/* Loads the codebook of run `run` (0: the last) from the file the run
 * names, or `path` when given; prints a notice ending in `changed` when
 * that file has changed since the run. Returns 0 or the exit code, the
 * failure printed (no runs yet, when `path` is NULL). */
int cli_run_codebook(kb_codebook **cb, kb_project *p, const char *path,
                     int64_t run, const char *changed);

/* Notice callback printing "kodbok: MESSAGE" to stderr, with kodbok's
 * words for the names of kodbok.h in it, as cli_fail. */
void cli_notice(void *ctx, const char *message);

/* After cases were loaded: a notice line for every document whose current
 * version has a speaker the cases now name its interviewer with another
 * role, with the import that gives it the role. A failure to check is a
 * warning, since the cases are stored. */
void cli_interviewers_pending(kb_project *p);

/* The coder: `given`, else $KODBOK_CODER, else the login name; NULL if
 * none is known. */
const char *cli_coder(const char *given);

int cmd_init(int argc, char **argv, const char *project);
int cmd_import(int argc, char **argv, const char *project);
int cmd_docs(int argc, char **argv, const char *project);
int cmd_show(int argc, char **argv, const char *project);
int cmd_cases(int argc, char **argv, const char *project);
int cmd_codebook(int argc, char **argv, const char *project);
int cmd_code(int argc, char **argv, const char *project);
int cmd_runs(int argc, char **argv, const char *project);
int cmd_diff(int argc, char **argv, const char *project);
int cmd_export(int argc, char **argv, const char *project);
int cmd_structure(int argc, char **argv, const char *project);
int cmd_tag(int argc, char **argv, const char *project);
int cmd_untag(int argc, char **argv, const char *project);
int cmd_tags(int argc, char **argv, const char *project);
int cmd_feature(int argc, char **argv, const char *project);
int cmd_review(int argc, char **argv, const char *project);
int cmd_agree(int argc, char **argv, const char *project);
int cmd_eval(int argc, char **argv, const char *project);
int cmd_slides(int argc, char **argv, const char *project);
int cmd_search(int argc, char **argv, const char *project);
int cmd_quotes(int argc, char **argv, const char *project);
int cmd_matrix(int argc, char **argv, const char *project);
int cmd_report(int argc, char **argv, const char *project);
int cmd_words(int argc, char **argv, const char *project);
int cmd_suggest(int argc, char **argv, const char *project);
int cmd_memo(int argc, char **argv, const char *project);
int cmd_serve(int argc, char **argv, const char *project);
int cmd_complete(int argc, char **argv, const char *project);

#endif
