/*
 * cmd_import.c: kodbok import — read transcripts (and a cases CSV) into the
 * project, all in one transaction, and print what each file became.
 */
#include "cli.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static const char HELP[] =
    "usage: kodbok import FILE... [--case ID] [--attrs cases.csv]\n"
    "                    [--speaker REGEX] [--interviewer NAME[,NAME]]\n"
    "                    [--encoding NAME] [--format FORMAT] [--name NAME]\n"
    "                    [--reread] [-q]\n\n"
    "Imports transcripts: plain text (UTF-8, UTF-16 with BOM, Windows-1252,\n"
    "or any encoding given with --encoding), Word documents (.docx) and\n"
    "OpenDocument texts (.odt), each read as the format its content shows.\n"
    "All files are stored in one transaction: if one is bad, none is.\n"
    "A file whose text is unchanged is skipped; a changed one becomes a new\n"
    "version of its document. A document is read with the --speaker,\n"
    "--interviewer and --encoding it was read with last, unless they are\n"
    "given again; an unchanged file given other ones is read again into a\n"
    "new version.\n\n"
    "  --case ID          map every imported document to case ID\n"
    "  --attrs FILE       load cases and their attributes from a CSV first\n"
    "                     (columns: case,document,speaker,level,...)\n"
    "  --speaker REGEX    speaker labels are what REGEX matches at a line's\n"
    "                     start (group 'name' or 1 is the speaker), instead "
    "of\n"
    "                     the built-in labels\n"
    "                     ('' for the built-in labels again)\n"
    "  --interviewer L    comma-separated labels of interviewer speakers\n"
    "                     (default: I, Int, Intervjuare, Interviewer,\n"
    "                     Moderator, ...; '' for the default again)\n"
    "  --encoding NAME    decode with NAME instead of detecting the encoding\n"
    "                     (utf-8, windows-1252, iso-8859-1, utf-16le,\n"
    "                     utf-16be, mac, ...: names as iconv knows them;\n"
    "                     '' or auto to detect again); plain text only\n"
    "  --format FORMAT    read every file as FORMAT (text, docx, odt, vtt,\n"
    "                     srt, html) instead of the format its content\n"
    "                     shows\n"
    "  --reread           read unchanged files again into new versions\n"
    "  --name NAME        document name (one file only; default: file name\n"
    "                     without extension)\n"
    "  -q, --quiet        print only the summary line\n\n"
    "A REFI-QDA project (.qdpx: a zip holding one .qde, as NVivo, MAXQDA,\n"
    "ATLAS.ti and QualCoder export), given alone, is imported whole: its text\n"
    "sources, cases and variables, and its codings as manual codings of its\n"
    "users (docs/refi-qda.md):\n"
    "  --codebook-out FILE     write its codebook as YAML to FILE (default:\n"
    "                          the .qdpx's path with .yaml)\n"
    "  --positions UNIT        auto, codepoints, utf16 or bytes: how its\n"
    "                          selections count (auto: by the tool)\n"
    "  --crlf auto|one|two     how its selections count a CRLF\n";

/* kodbok import FILE.qdpx: a REFI-QDA project. */
static int import_qdpx(kb_project *p, const char *path,
                       kb_qdpx_import_options *o, const char *codebook_out)
{
    char yaml[4096];
    if (!codebook_out) {
        const char *slash = strrchr(path, '/'), *dot = strrchr(path, '.');
        size_t n = dot && (!slash || dot > slash) ? (size_t)(dot - path)
                                                  : strlen(path);
        snprintf(yaml, sizeof yaml, "%.*s.yaml", (int)n, path);
        codebook_out = yaml;
    }
    o->codebook_path = codebook_out;
    o->notice = cli_notice;
    kb_qdpx_report r;
    kb_error err;
    if (kb_project_import_qdpx(&r, p, path, o, &err))
        return cli_fail(&err);
    static const char *const units[] = {"", "code points", "UTF-16 units",
                                        "UTF-8 bytes"};
    printf("imported %s (%s; positions in %s, CRLF as %s)\n", path,
           *r.origin ? r.origin : "no origin", units[r.unit],
           r.crlf == KB_REFI_CRLF_ONE ? "one" : "two");
    printf("%zu new or changed documents, %zu unchanged, %zu sources left "
           "out; %zu cases\n",
           r.sources, r.unchanged, r.sources_left, r.cases);
    printf("%zu manual codings by %zu %s (%zu with memos), %zu already "
           "there, %zu left out\n",
           r.codings, r.coders, cli_plural(r.coders, "coder", "coders"),
           r.memos, r.duplicates, r.codings_left);
    if (r.memo_notes || r.memo_notes_left)
        printf("%zu %s from notes (journal, documents, cases, codes), %zu "
               "left out\n",
               r.memo_notes, cli_plural(r.memo_notes, "memo", "memos"),
               r.memo_notes_left);
    if (r.codes)
        printf("codebook: %zu codes, written to %s\n", r.codes, codebook_out);
    return 0;
}

typedef struct tally {
    int quiet;
    size_t files, added, updated, unchanged, reread, turns;
} tally;

/* "1 turn", "2 turns" */
static const char *count(char *buf, size_t n, const char *one, const char *many)
{
    snprintf(buf, 64, "%zu %s", n, n == 1 ? one : many);
    return buf;
}

static const char *status_name(kb_import_status s)
{
    switch (s) {
    case KB_IMPORT_NEW:
        return "new";
    case KB_IMPORT_UPDATED:
        return "changed";
    case KB_IMPORT_UNCHANGED:
        return "unchanged";
    case KB_IMPORT_REREAD:
        return "re-read";
    }
    return "?";
}

/* How the speakers were found, for warnings. */
static void print_rule(const char *rule)
{
    if (rule)
        fprintf(stderr, "--speaker '%s'", rule);
    else
        fputs("the built-in speaker labels", stderr);
}

/* One line on stderr when a version has lost most of its turns or
 * speakers, has no speakers, or has no interviewer. */
static void warn(const kb_import_report *r)
{
    if (r->status == KB_IMPORT_UNCHANGED)
        return;
    if (r->prev_version &&
        (r->turns * 2 < r->prev_turns || r->speakers * 2 < r->prev_speakers)) {
        fprintf(stderr,
                "kodbok: warning: %s v%d has %zu %s and %zu %s, v%d had %zu "
                "and %zu; v%d was read with ",
                r->name, r->version, r->turns,
                cli_plural(r->turns, "turn", "turns"), r->speakers,
                cli_plural(r->speakers, "speaker", "speakers"), r->prev_version,
                r->prev_turns, r->prev_speakers, r->version);
        print_rule(r->speaker_rule);
        fprintf(stderr, ", v%d with ", r->prev_version);
        print_rule(r->prev_speaker_rule);
        fputc('\n', stderr);
    } else if (!r->speakers) {
        fprintf(stderr, "kodbok: warning: %s v%d: no speaker found by ",
                r->name, r->version);
        print_rule(r->speaker_rule);
        fputs(", so it has no turns; give its labels with --speaker REGEX "
              "(docs/transcripts.md)\n",
              stderr);
    } else {
        for (size_t k = 0; k < r->speakers; k++)
            if (r->speaker_list[k].role == KB_ROLE_INTERVIEWER)
                return;
        fprintf(stderr,
                "kodbok: warning: %s v%d: no interviewer among its "
                "speakers (",
                r->name, r->version);
        for (size_t k = 0; k < r->speakers; k++)
            fprintf(stderr, "%s%s", k ? ", " : "", r->speaker_list[k].label);
        fputs("); name one with --interviewer or an 'interviewer' column in "
              "the cases file\n",
              stderr);
    }
}

/* "interviewer: Johanna Lind (12 turns; named in the header); respondent:
 * Karin Ek (12 turns)" */
static void print_speakers(const kb_import_report *r)
{
    static const kb_role roles[] = {KB_ROLE_INTERVIEWER, KB_ROLE_RESPONDENT};
    char b[64];
    printf("%-16s ", "");
    if (!r->speakers) {
        printf("no speakers\n");
        return;
    }
    for (size_t i = 0; i < 2; i++) {
        size_t n = 0;
        for (size_t k = 0; k < r->speakers; k++)
            n += r->speaker_list[k].role == roles[i];
        printf("%s%s%s:", i ? "; " : "", kb_role_name(roles[i]),
               n > 1 ? "s" : "");
        if (!n)
            printf(" none");
        for (size_t k = 0, j = 0; k < r->speakers; k++) {
            const kb_speaker_info *s = &r->speaker_list[k];
            if (s->role != roles[i])
                continue;
            printf("%s %s (%s%s)", j++ ? "," : "", s->label,
                   count(b, s->turns, "turn", "turns"),
                   s->source == KB_ROLE_BY_HEADER ? "; named in the header"
                   : s->source == KB_ROLE_BY_CASE ? "; named by the cases"
                                                  : "");
        }
    }
    putchar('\n');
}

static void on_file(void *ctx, const kb_import_report *r)
{
    tally *t = ctx;
    char b[5][64], how[32] = "detected";
    t->files++;
    t->added += r->status == KB_IMPORT_NEW;
    t->updated += r->status == KB_IMPORT_UPDATED;
    t->unchanged += r->status == KB_IMPORT_UNCHANGED;
    t->reread += r->status == KB_IMPORT_REREAD;
    t->turns += r->turns;
    fflush(stdout);
    warn(r);
    if (t->quiet)
        return;
    if (r->status == KB_IMPORT_UNCHANGED) {
        printf("%-*s unchanged (v%d)\n", cli_pad(r->name, 16), r->name,
               r->version);
        return;
    }
    if (r->encoding_source == KB_ENCODING_GIVEN)
        snprintf(how, sizeof how, "given");
    else if (r->encoding_source == KB_ENCODING_KEPT)
        snprintf(how, sizeof how, "kept from v%d", r->prev_version);
    /* plain text says its encoding and where it came from, other formats
     * their name */
    char source[96];
    if (strcmp(r->format, "text"))
        snprintf(source, sizeof source, "%s", r->format);
    else
        snprintf(source, sizeof source, "%s, %s", r->encoding, how);
    printf("%-*s %s v%d%s: %s, %s, %s, %s, %s (%s)\n", cli_pad(r->name, 16),
           r->name, status_name(r->status), r->version,
           r->status == KB_IMPORT_REREAD ? " (same text)" : "",
           count(b[0], r->speakers, "speaker", "speakers"),
           count(b[1], r->turns, "turn", "turns"),
           count(b[2], r->paragraphs, "paragraph", "paragraphs"),
           count(b[3], r->sentences, "sentence", "sentences"),
           count(b[4], r->chars, "char", "chars"), source);
    print_speakers(r);
    if (r->nheader) {
        printf("%-16s header:", "");
        for (size_t h = 0; h < r->nheader; h++)
            printf("%s %s", h ? "," : "", r->header[h].key);
        putchar('\n');
    }
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
        {"reread", no_argument, NULL, 'r'},
        {"encoding", required_argument, NULL, 'e'},
        {"format", required_argument, NULL, 'f'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {"codebook-out", required_argument, NULL, 'B'},
        {"positions", required_argument, NULL, 'U'},
        {"crlf", required_argument, NULL, 'C'},
        {NULL, 0, NULL, 0},
    };
    kb_import_options o = KB_IMPORT_OPTIONS_INIT;
    kb_qdpx_import_options qo = KB_QDPX_IMPORT_OPTIONS_INIT;
    const char *codebook_out = NULL;
    static const char *const units[] = {"auto", "codepoints", "utf16", "bytes",
                                        NULL};
    static const char *const crlfs[] = {"auto", "two", "one", NULL};
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
        case 'r':
            o.reread = 1;
            break;
        case 'e':
            o.encoding = optarg;
            break;
        case 'f':
            o.format = optarg;
            break;
        case 'q':
            t.quiet = 1;
            break;
        case 'h':
            fputs(HELP, stdout);
            return 0;
        case 'B':
            codebook_out = optarg;
            break;
        case 'U':
        case 'C': {
            const char *const *names = c == 'U' ? units : crlfs;
            int k = 0;
            while (names[k] && strcmp(names[k], optarg))
                k++;
            if (!names[k])
                return cli_usage("import", "%s wants %s, not '%s'",
                                 c == 'U' ? "--positions" : "--crlf",
                                 c == 'U' ? "auto, codepoints, utf16 or bytes"
                                          : "auto, one or two",
                                 optarg);
            if (c == 'U')
                qo.unit = (kb_refi_unit)k;
            else
                qo.crlf = (kb_refi_crlf)k;
            break;
        }
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
    if (argc - optind == 1 && kb_file_is_qdpx(argv[optind])) {
        rc = import_qdpx(p, argv[optind], &qo, codebook_out);
        kb_project_free(p);
        return rc;
    }
    o.notice = cli_notice;
    o.on_file = on_file;
    o.ctx = &t;
    kb_error err;
    rc = kb_project_import(p, (const char *const *)argv + optind,
                           (size_t)(argc - optind), &o, &err);
    if (!rc && o.attrs_path)
        cli_interviewers_pending(p);
    kb_project_free(p);
    if (rc)
        return cli_fail(&err);
    char b[64], rr[80] = "";
    if (t.reread)
        snprintf(rr, sizeof rr, ", %zu re-read", t.reread);
    printf("imported %zu file%s: %zu new, %zu changed%s, %zu unchanged; %s\n",
           t.files, t.files == 1 ? "" : "s", t.added, t.updated, rr,
           t.unchanged, count(b, t.turns, "turn", "turns"));
    return 0;
}
