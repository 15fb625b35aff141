/*
 * cmd_show.c: kodbok show — a document's memos, then its turns, paragraphs
 * or sentences with speaker, case, timestamp and code-point positions; or
 * its raw text.
 */
#include "cli.h"
#include "json.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char HELP[] =
    "usage: kodbok show DOC [--segments turn|paragraph|sentence]\n"
    "                  [--format text|json] [--version N] [--raw]\n\n"
    "Shows a document's memos ('kodbok memo add --doc') and its segments\n"
    "(default: turns). Positions are Unicode code points from the start of\n"
    "the stored text, end exclusive.\n\n"
    "  --segments KIND  turn, paragraph or sentence\n"
    "  --format F       text (default) or json\n"
    "  --version N      an older version (default: the current one)\n"
    "  --raw            print the stored text itself (NFC UTF-8, LF)\n";

static void print_json(const kb_document *d, kb_segment_kind kind,
                       const kb_memo_list *memos)
{
    const kb_doc_info *i = kb_document_info(d);
    json j;
    json_init(&j, stdout);
    json_object(&j, NULL);
    /* "document" names it; the other kb_doc_info keys follow as in docs. */
    json_string(&j, "document", i->name);
    json_doc_info(&j, i);
    json_array(&j, "memos");
    for (size_t k = 0; k < kb_memo_list_count(memos); k++) {
        const kb_memo_info *m = kb_memo_list_get(memos, k);
        json_object(&j, NULL);
        json_int(&j, "id", m->id);
        json_string(&j, "author", m->author);
        json_string(&j, "created_at", m->created_at);
        json_string(&j, "changed_at", m->changed_at);
        json_string(&j, "text", m->text);
        json_end(&j);
    }
    json_end(&j);
    json_string(&j, "segment_kind", kb_segment_kind_name(kind));
    json_array(&j, "segments");
    size_t n = kb_document_segment_count(d, kind);
    for (size_t k = 0; k < n; k++) {
        const kb_segment *s = kb_document_segment(d, kind, k);
        char t[32];
        json_object(&j, NULL);
        json_size(&j, "index", s->index);
        json_string(&j, "kind", kb_segment_kind_name(s->kind));
        json_string(&j, "speaker", s->speaker);
        json_string(&j, "role", kb_role_name(s->role));
        json_string(&j, "case", s->case_id);
        json_size(&j, "start", s->start);
        json_size(&j, "end", s->end);
        if (s->time_ms == KB_NO_TIME) {
            json_null(&j, "time");
            json_null(&j, "time_ms");
        } else {
            json_string(&j, "time", kb_time_text(t, s->time_ms));
            json_int(&j, "time_ms", s->time_ms);
        }
        json_size(&j, "turn", s->turn);
        json_size(&j, "paragraph", s->paragraph);
        json_string_n(&j, "text", s->text, s->text_len);
        json_end(&j);
    }
    json_end(&j);
    json_end(&j);
}

static void print_text(const kb_document *d, kb_segment_kind kind,
                       const kb_memo_list *memos)
{
    const kb_doc_info *i = kb_document_info(d);
    size_t n = kb_document_segment_count(d, kind);
    printf("%s v%d%s%s: %zu %s%s\n", i->name, i->version,
           i->case_id ? ", case " : "", i->case_id ? i->case_id : "", n,
           kb_segment_kind_name(kind), n == 1 ? "" : "s");
    for (size_t h = 0; h < i->nheader; h++)
        printf("%s: %s\n", i->header[h].key, i->header[h].value);
    for (size_t k = 0; k < kb_memo_list_count(memos); k++) {
        const kb_memo_info *m = kb_memo_list_get(memos, k);
        printf("\nmemo %lld (%s, %.10s):\n  ", (long long)m->id, m->author,
               m->created_at);
        for (const char *t = m->text; *t; t++) {
            putchar(*t);
            if (*t == '\n' && t[1] && t[1] != '\n')
                fputs("  ", stdout);
        }
        putchar('\n');
    }
    for (size_t k = 0; k < n; k++) {
        const kb_segment *s = kb_document_segment(d, kind, k);
        char t[32];
        printf("\n#%zu", s->index);
        if (s->time_ms != KB_NO_TIME)
            printf(" [%s]", kb_time_text(t, s->time_ms));
        if (s->speaker)
            printf(" %s (%s%s%s)", s->speaker, kb_role_name(s->role),
                   s->case_id ? ", " : "", s->case_id ? s->case_id : "");
        printf(" %zu-%zu\n  ", s->start, s->end);
        for (size_t b = 0; b < s->text_len; b++) {
            putchar(s->text[b]);
            if (s->text[b] == '\n')
                fputs("  ", stdout);
        }
        putchar('\n');
    }
}

int cmd_show(int argc, char **argv, const char *project)
{
    static const struct option opts[] = {
        {"project", required_argument, NULL, 'p'},
        {"segments", required_argument, NULL, 's'},
        {"format", required_argument, NULL, 'f'},
        {"version", required_argument, NULL, 'v'},
        {"raw", no_argument, NULL, 'r'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    static const char *const formats[] = {"text", "json", NULL};
    const char *format = "text";
    kb_segment_kind kind = KB_SEG_TURN;
    int version = 0, raw = 0, c;
    while ((c = getopt_long(argc, argv, "p:f:s:h", opts, NULL)) != -1) {
        switch (c) {
        case 'p':
            project = optarg;
            break;
        case 'f':
            format = optarg;
            break;
        case 's':
            if (!(kind = kb_segment_kind_parse(optarg)))
                return cli_usage("show",
                                 "unknown segment kind '%s' (turn, "
                                 "paragraph or sentence)",
                                 optarg);
            break;
        case 'v': {
            long long v;
            if (cli_number(optarg, 1, 1000000, &v))
                return cli_usage("show", "--version wants a number >= 1");
            version = (int)v;
            break;
        }
        case 'r':
            raw = 1;
            break;
        case 'h':
            fputs(HELP, stdout);
            return 0;
        default:
            return cli_bad_option("show", argv);
        }
    }
    if (optind + 1 != argc)
        return cli_usage("show", optind >= argc ? "which document?"
                                                : "one document at a time");
    int rc = cli_check_format("show", format, formats);
    if (rc)
        return rc;
    kb_project *p;
    if ((rc = cli_open(&p, project)) != 0)
        return rc;
    kb_document *d;
    kb_error err;
    kb_memo_list *memos = NULL;
    kb_memo_about about = {KB_MEMO_DOCUMENT, argv[optind], 0, NULL};
    rc = kb_document_load(&d, p, argv[optind], version, &err);
    if (!rc && !raw && (rc = kb_project_memos(&memos, p, &about, NULL, &err)))
        kb_document_free(d);
    kb_project_free(p);
    if (rc)
        return cli_fail(&err);
    if (raw) {
        size_t len;
        const char *text = kb_document_text(d, &len);
        fwrite(text, 1, len, stdout);
        cli_stdout_failed(); /* keeps why it failed, if it did */
    } else if (!strcmp(format, "json")) {
        print_json(d, kind, memos);
    } else {
        print_text(d, kind, memos);
    }
    kb_memo_list_free(memos);
    kb_document_free(d);
    return 0;
}
