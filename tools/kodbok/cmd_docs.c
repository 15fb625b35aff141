/*
 * cmd_docs.c: kodbok docs — list the documents (current versions), remove
 * one (docs rm) or rename one (docs mv).
 */
#include "cli.h"
#include "json.h"

#include <getopt.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char HELP[] =
    "usage: kodbok docs [--format text|json]\n"
    "       kodbok docs rm NAME [--force [-o FILE]]\n"
    "       kodbok docs mv OLD NEW\n\n"
    "Lists documents: name, version, case, segment counts, what the version\n"
    "was read as (a plain text's encoding, else its format: docx, odt, vtt,\n"
    "srt, html), and whether the current version replaced an older one\n"
    "(changed).\n\n"
    "'docs rm' removes a document with all its versions, speakers and\n"
    "codings, in one transaction. It refuses while the document has manual\n"
    "codings (tags or review decisions), unless --force: they are then\n"
    "first written to a tags file ('kodbok tags import FILE' reads it back),\n"
    "-o FILE or NAME-removed-DATE-TIME.tsv beside the project.\n\n"
    "'docs mv' renames a document; its versions, codings, manual codings,\n"
    "memos and the cases that name it follow. NEW must be a valid name\n"
    "(printable, no tabs or line breaks, no white space at the ends, at\n"
    "most 200 characters) that no other document has. A name listed with\n"
    "\\x escapes was stored before names were checked: give OLD as stored,\n"
    "e.g. $'ip01\\e[31m' in bash.\n";

static void print_json(const kb_doc_list *l)
{
    json j;
    json_init(&j, stdout);
    json_object(&j, NULL);
    json_array(&j, "documents");
    for (size_t i = 0; i < kb_doc_list_count(l); i++) {
        json_object(&j, NULL);
        json_doc_info(&j, kb_doc_list_get(l, i));
        json_end(&j);
    }
    json_end(&j);
    json_end(&j);
}

static void print_text(const kb_doc_list *l)
{
    if (!kb_doc_list_count(l)) {
        printf("no documents (import some with 'kodbok import FILE...')\n");
        return;
    }
    printf("%-16s %3s %-8s %6s %6s %6s %8s  %-12s %s\n", "document", "ver",
           "case", "turns", "paras", "sents", "chars", "read as", "status");
    for (size_t i = 0; i < kb_doc_list_count(l); i++) {
        const kb_doc_info *d = kb_doc_list_get(l, i);
        const char *case_id = d->case_id ? d->case_id : "-";
        /* a plain text is told by its encoding, another file by its format */
        const char *read_as =
            d->format && strcmp(d->format, "text") ? d->format : d->encoding;
        /* a name stored before names were checked, shown with \x escapes */
        char *name = kb_text_escape(d->name);
        const char *shown = name ? name : "?";
        printf("%-*s %3d %-*s %6zu %6zu %6zu %8zu  %-12s %s\n",
               cli_pad(shown, 16), shown, d->version, cli_pad(case_id, 8),
               case_id, d->turns, d->paragraphs, d->sentences, d->chars,
               read_as, d->changed ? "changed" : "");
        free(name);
    }
}

/* kodbok docs mv OLD NEW */
static int rename_doc(int argc, char **argv, const char *project)
{
    static const struct option opts[] = {
        {"project", required_argument, NULL, 'p'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;
    optind = 0; /* glibc: parse this argv afresh */
    while ((c = getopt_long(argc, argv, "p:h", opts, NULL)) != -1) {
        if (c == 'p') {
            project = optarg;
        } else if (c == 'h') {
            fputs(HELP, stdout);
            return 0;
        } else {
            return cli_bad_option("docs", argv);
        }
    }
    if (optind + 2 != argc)
        return cli_usage("docs", "mv wants OLD NEW");
    kb_project *p;
    int rc = cli_open(&p, project);
    if (rc)
        return rc;
    kb_error err;
    rc = kb_document_rename(p, argv[optind], argv[optind + 1], &err);
    kb_project_free(p);
    if (rc)
        return cli_fail(&err);
    char *old = kb_text_escape(argv[optind]);
    printf("renamed %s to %s\n", old ? old : "the document", argv[optind + 1]);
    free(old);
    return 0;
}

/* kodbok docs rm NAME [--force [-o FILE]] */
static int remove_doc(int argc, char **argv, const char *project)
{
    static const struct option opts[] = {
        {"project", required_argument, NULL, 'p'},
        {"force", no_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *out = NULL;
    int force = 0, c;
    optind = 0; /* glibc: parse this argv afresh */
    while ((c = getopt_long(argc, argv, "p:fo:h", opts, NULL)) != -1) {
        switch (c) {
        case 'p':
            project = optarg;
            break;
        case 'f':
            force = 1;
            break;
        case 'o':
            out = optarg;
            break;
        case 'h':
            fputs(HELP, stdout);
            return 0;
        default:
            return cli_bad_option("docs", argv);
        }
    }
    if (optind + 1 != argc)
        return cli_usage("docs", optind >= argc ? "rm: which document?"
                                                : "rm: one document at a time");
    if (out && !force)
        return cli_usage("docs", "rm: -o goes with --force");
    const char *name = argv[optind];
    char path[4096];
    if (force && !out) {
        /* beside the project, named by the document and the time */
        char dir[4096], stamp[32];
        snprintf(dir, sizeof dir, "%s", cli_project_path(project));
        time_t now = time(NULL);
        strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", localtime(&now));
        snprintf(path, sizeof path, "%s/%s-removed-%s.tsv", dirname(dir), name,
                 stamp);
        out = path;
    }
    kb_project *p;
    int rc = cli_open(&p, project);
    if (rc)
        return rc;
    kb_doc_removal r;
    kb_error err;
    rc = kb_document_remove(p, name, force ? out : NULL, &r, &err);
    kb_project_free(p);
    if (rc == KB_EEXIST && !force) {
        cli_errorf("%s; 'kodbok docs rm %s --force' saves them to a tags "
                   "file first",
                   err.message, name);
        return cli_exit_code(rc);
    }
    if (rc)
        return cli_fail(&err);
    printf("removed %s: %d version%s, %zu manual coding%s", name, r.versions,
           r.versions == 1 ? "" : "s", r.manual, r.manual == 1 ? "" : "s");
    if (r.manual)
        printf(" (%zu saved to %s%s)", r.saved, out,
               r.aside ? "; those kept aside cannot be" : "");
    putchar('\n');
    return 0;
}

int cmd_docs(int argc, char **argv, const char *project)
{
    if (argc > 1 && !strcmp(argv[1], "rm"))
        return remove_doc(argc - 1, argv + 1, project);
    if (argc > 1 && !strcmp(argv[1], "mv"))
        return rename_doc(argc - 1, argv + 1, project);
    static const char *const formats[] = {"text", "json", NULL};
    const char *format = "text";
    int stop, rc = cli_list_options("docs", HELP, formats, argc, argv, &project,
                                    &format, &stop);
    if (stop)
        return rc;
    if (optind < argc)
        return cli_usage("docs", "unexpected argument '%s'", argv[optind]);
    kb_project *p;
    if ((rc = cli_open(&p, project)) != 0)
        return rc;
    kb_doc_list *l;
    kb_error err;
    rc = kb_project_docs(&l, p, &err);
    kb_project_free(p);
    if (rc)
        return cli_fail(&err);
    if (!strcmp(format, "json"))
        print_json(l);
    else
        print_text(l);
    kb_doc_list_free(l);
    return 0;
}
