/*
 * cmd_import.c: kodbok import — read transcripts (and a cases CSV) into the
 * project, all in one transaction, and print what each file became.
 */
#include "cli.h"

#include <getopt.h>
#include <string.h>

static const char HELP[] =
    "usage: kodbok import FILE... [--case ID] [--attrs cases.csv]\n"
    "                    [--speaker REGEX] [--interviewer NAME[,NAME]]\n"
    "                    [--name NAME] [-q]\n\n"
    "Imports plain-text transcripts (UTF-8, UTF-16 with BOM, Windows-1252).\n"
    "All files are stored in one transaction: if one is bad, none is.\n"
    "A file whose text is unchanged is skipped; a changed one becomes a new\n"
    "version of its document.\n\n"
    "  --case ID          map every imported document to case ID\n"
    "  --attrs FILE       load cases and their attributes from a CSV first\n"
    "                     (columns: case,document,speaker,level,...)\n"
    "  --speaker REGEX    speaker labels are what REGEX matches at a line's\n"
    "                     start (group 'name' or 1 is the speaker), instead "
    "of\n"
    "                     the built-in labels\n"
    "  --interviewer L    comma-separated labels of interviewer speakers\n"
    "                     (default: I, Int, Intervjuare, Interviewer,\n"
    "                     Moderator, ...)\n"
    "  --name NAME        document name (one file only; default: file name\n"
    "                     without extension)\n"
    "  -q, --quiet        print only the summary line\n";

typedef struct tally {
    int quiet;
    size_t files, added, updated, unchanged, turns;
} tally;

static const char *status_name(kb_import_status s)
{
    switch (s) {
    case KB_IMPORT_NEW:
        return "new";
    case KB_IMPORT_UPDATED:
        return "changed";
    case KB_IMPORT_UNCHANGED:
        return "unchanged";
    }
    return "?";
}

static void on_file(void *ctx, const kb_import_report *r)
{
    tally *t = ctx;
    t->files++;
    t->added += r->status == KB_IMPORT_NEW;
    t->updated += r->status == KB_IMPORT_UPDATED;
    t->unchanged += r->status == KB_IMPORT_UNCHANGED;
    t->turns += r->turns;
    if (t->quiet)
        return;
    if (r->status == KB_IMPORT_UNCHANGED)
        printf("%-*s unchanged (v%d)\n", cli_pad(r->name, 16), r->name,
               r->version);
    else
        printf("%-*s %s v%d: %zu speakers, %zu turns, %zu paragraphs, %zu "
               "sentences, %zu chars (%s)\n",
               cli_pad(r->name, 16), r->name, status_name(r->status),
               r->version, r->speakers, r->turns, r->paragraphs, r->sentences,
               r->chars, r->encoding);
}

int cmd_import(int argc, char **argv, const char *project)
{
    static const struct option opts[] = {
        {"project", required_argument, NULL, 'p'},
        {"case", required_argument, NULL, 'c'},
        {"attrs", required_argument, NULL, 'a'},
        {"speaker", required_argument, NULL, 's'},
        {"interviewer", required_argument, NULL, 'i'},
        {"name", required_argument, NULL, 'n'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    kb_import_options o = KB_IMPORT_OPTIONS_INIT;
    tally t = {0};
    int c;
    while ((c = getopt_long(argc, argv, "p:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'p':
            project = optarg;
            break;
        case 'c':
            o.case_id = optarg;
            break;
        case 'a':
            o.attrs_path = optarg;
            break;
        case 's':
            o.speaker_regex = optarg;
            break;
        case 'i':
            o.interviewers = optarg;
            break;
        case 'n':
            o.name = optarg;
            break;
        case 'q':
            t.quiet = 1;
            break;
        case 'h':
            fputs(HELP, stdout);
            return 0;
        default:
            return cli_bad_option("import", argv);
        }
    }
    if (optind >= argc)
        return cli_usage("import", "no files to import");
    kb_project *p;
    int rc = cli_open(&p, project);
    if (rc)
        return rc;
    o.notice = cli_notice;
    o.on_file = on_file;
    o.ctx = &t;
    kb_error err;
    rc = kb_project_import(p, (const char *const *)argv + optind,
                           (size_t)(argc - optind), &o, &err);
    kb_project_free(p);
    if (rc)
        return cli_fail(&err);
    printf("imported %zu file%s: %zu new, %zu changed, %zu unchanged; %zu "
           "turns\n",
           t.files, t.files == 1 ? "" : "s", t.added, t.updated, t.unchanged,
           t.turns);
    return 0;
}
