/*
 * cmd_review.c: kodbok review — walks through the automatic quotes the
 * coder has not reviewed, each with its context, and takes one key per
 * quote: accept, feature (accept and feature), reject, skip, undo (back one
 * quote, what was stored on it removed) or quit. On a terminal a key is read
 * without Enter; from a pipe or file the first character of each line counts,
 * so the walk can be scripted. Each decision is stored at once. Documents
 * imported again since the run fail the walk before it shows anything.
 */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

static const char HELP[] =
    "usage: kodbok review [--concept ID] [--doc NAME] [--coder NAME]\n\n"
    "Walks through the automatic quotes of the last run that the coder has\n"
    "not reviewed, by document and position, and shows each with its\n"
    "context. Keys: a accept, f feature (accept it and feature it, so that\n"
    "slides show it first; see 'kodbok feature'), r reject, s skip, u undo\n"
    "(back to the quote before, its decision or featuring removed), q quit.\n"
    "A rejected quote is left out of tables and exports from then on, also\n"
    "after re-runs, until its text changes. Decisions are stored as they are\n"
    "made; at the end kodbok says where it stopped.\n\n"
    "  --concept ID  only this concept's quotes\n"
    "  --doc NAME    only this document's quotes\n"
    "  --coder NAME  default: $KODBOK_CODER, else the login name\n";

/* Prints up to `max` code points of s[0..n) on the current line, from the
 * end when `tail`, with "…" where it is cut; line breaks become spaces. */
static void put_cut(const char *s, size_t n, size_t max, int tail)
{
    size_t cps = 0, from = 0, to = n;
    for (size_t i = 0; i < n; i++)
        cps += ((unsigned char)s[i] & 0xC0) != 0x80;
    if (cps > max) {
        size_t skip = tail ? cps - max : 0, keep = max, k = 0;
        for (size_t i = 0; i < n; i++) {
            if (((unsigned char)s[i] & 0xC0) == 0x80)
                continue;
            if (k == skip)
                from = i;
            if (k == skip + keep) {
                to = i;
                break;
            }
            k++;
        }
        if (tail)
            fputs("…", stdout);
    }
    for (size_t i = from; i < to; i++)
        putchar(s[i] == '\n' || s[i] == '\t' ? ' ' : s[i]);
    if (cps > max && !tail)
        fputs("…", stdout);
}

/* The quote inside its turn, with the turn before it (often the question). */
static void show_context(const kb_document *d, const kb_quote_row *q)
{
    const kb_segment *s = kb_document_segment(d, q->kind, q->index);
    if (!s)
        return;
    size_t ti = q->kind == KB_SEG_TURN ? q->index : s->turn;
    const kb_segment *turn =
        ti == KB_NO_INDEX ? NULL : kb_document_segment(d, KB_SEG_TURN, ti);
    const kb_segment *prev = ti == KB_NO_INDEX || !ti
                                 ? NULL
                                 : kb_document_segment(d, KB_SEG_TURN, ti - 1);
    if (prev) {
        printf("  %s: ", prev->speaker ? prev->speaker : "-");
        put_cut(prev->text, prev->text_len, 160, 1);
        putchar('\n');
    }
    const char *t0 = turn ? turn->text : s->text;
    const char *t1 = turn ? turn->text + turn->text_len : s->text + s->text_len;
    printf("  %s: ", s->speaker ? s->speaker : "-");
    put_cut(t0, (size_t)(s->text - t0), 240, 1);
    fputs("»", stdout);
    put_cut(s->text, s->text_len, 100000, 0);
    fputs("«", stdout);
    put_cut(s->text + s->text_len, (size_t)(t1 - (s->text + s->text_len)), 240,
            0);
    putchar('\n');
}

/* One key: on a terminal without Enter, else the first non-blank character
 * of a line. EOF is 'q'. */
static int read_key(int tty)
{
    if (tty) {
        struct termios old, raw;
        tcgetattr(0, &old);
        raw = old;
        raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
        raw.c_cc[VMIN] = 1;
        raw.c_cc[VTIME] = 0;
        tcsetattr(0, TCSANOW, &raw);
        int c = getchar();
        tcsetattr(0, TCSANOW, &old);
        putchar('\n');
        return c == EOF || c == 4 ? 'q' : c;
    }
    char line[256];
    if (!fgets(line, sizeof line, stdin))
        return 'q';
    for (char *c = line; *c; c++)
        if (*c != ' ' && *c != '\t')
            return *c == '\n' ? ' ' : *c;
    return ' ';
}

/* What the walk did at a quote: its index and the key ('a', 'f', 'r',
 * 's'); for 'f', whether it featured the coder's tag (else it stored an
 * acceptance, featured). */
typedef struct step {
    size_t quote;
    int key;
    int tagged;
} step;

int cmd_review(int argc, char **argv, const char *project)
{
    static const struct option opts[] = {
        {"project", required_argument, NULL, 'p'},
        {"concept", required_argument, NULL, 'k'},
        {"doc", required_argument, NULL, 'd'},
        {"coder", required_argument, NULL, 'c'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    kb_quote_filter o = {.source = "auto", .unreviewed = 1};
    int c, rc;
    while ((c = getopt_long(argc, argv, "p:h", opts, NULL)) != -1) {
        switch (c) {
        case 'p':
            project = optarg;
            break;
        case 'k':
            o.concept = optarg;
            break;
        case 'd':
            o.document = optarg;
            break;
        case 'c':
            o.reviewer = optarg;
            break;
        case 'h':
            fputs(HELP, stdout);
            return 0;
        default:
            return cli_bad_option("review", argv);
        }
    }
    if (optind < argc)
        return cli_usage("review", "unexpected argument '%s'", argv[optind]);
    o.reviewer = cli_coder(o.reviewer);
    kb_project *p;
    if ((rc = cli_open(&p, project)))
        return rc;
    kb_quote_list *l;
    kb_error err;
    if ((rc = kb_project_quotes(&l, p, &o, &err))) {
        kb_project_free(p);
        return cli_fail(&err);
    }
    /* Nothing is shown before every quote is known to be decidable. */
    if ((rc = kb_quote_list_check_current(p, l, &err))) {
        kb_quote_list_free(l);
        kb_project_free(p);
        return cli_fail(&err);
    }
    size_t n = kb_quote_list_count(l), i = 0, acc = 0, rej = 0, skip = 0,
           feat = 0;
    step *done = malloc((n ? n : 1) * sizeof *done);
    size_t ndone = 0;
    int tty = isatty(0), quit = 0;
    kb_document *doc = NULL;
    if (!done) {
        kb_quote_list_free(l);
        kb_project_free(p);
        cli_errorf("out of memory");
        return EXIT_INTERNAL;
    }
    if (!n)
        printf("nothing to review: %s has decided on every quote%s%s%s%s\n",
               o.reviewer, o.concept ? " of " : "", o.concept ? o.concept : "",
               o.document ? " in " : "", o.document ? o.document : "");
    while (i < n && !quit && !rc) {
        const kb_quote_row *q = kb_quote_list_get(l, i);
        if (!doc || strcmp(kb_document_info(doc)->name, q->document)) {
            kb_document_free(doc);
            if ((rc = kb_document_load(&doc, p, q->document, q->version, &err)))
                break;
        }
        printf("\n[%zu/%zu] %s %zu-%zu  %s (%s)  %s\n", i + 1, n, q->document,
               q->start, q->end, q->concept, q->concept_label,
               q->theme_label ? q->theme_label : "");
        show_context(doc, q);
        for (;;) {
            printf("a accept, f feature, r reject, s skip, u undo, q quit? ");
            fflush(stdout);
            int k = read_key(tty), tagged = 0;
            if (!tty)
                putchar('\n');
            if (k == 'f') {
                /* the coder's own tag on it is featured, else the quote is
                 * accepted featured: undo takes back the one or the other */
                tagged = cli_name_listed(q->tagged_by, o.reviewer);
                rc = kb_quote_feature(p, q, o.reviewer, 1, &err);
                feat++;
            } else if (k == 'a' || k == 'r') {
                rc = kb_quote_decide(
                    p, q, o.reviewer,
                    k == 'a' ? KB_DECISION_ACCEPT : KB_DECISION_REJECT, &err);
                k == 'a' ? acc++ : rej++;
            } else if (k == 's') {
                skip++;
            } else if (k == 'u') {
                if (!ndone) {
                    printf("nothing to undo in this review\n");
                    continue;
                }
                const step *u = &done[--ndone];
                const kb_quote_row *uq = kb_quote_list_get(l, u->quote);
                if (u->key == 's') {
                    skip--;
                } else if (u->key == 'f') {
                    rc = u->tagged
                             ? kb_quote_feature(p, uq, o.reviewer, 0, &err)
                             : kb_quote_undecide(p, uq, o.reviewer, &err);
                    feat--;
                } else {
                    rc = kb_quote_undecide(p, uq, o.reviewer, &err);
                    u->key == 'a' ? acc-- : rej--;
                }
                if (!rc)
                    printf("undone: %s of %s %zu-%zu (%s)\n",
                           u->key == 'a'   ? "accept"
                           : u->key == 'f' ? "feature"
                           : u->key == 'r' ? "reject"
                                           : "skip",
                           uq->document, uq->start, uq->end, uq->concept);
                i = u->quote;
                break;
            } else if (k == 'q') {
                quit = 1;
            } else {
                continue;
            }
            if (!quit)
                done[ndone++] = (step){i++, k, tagged};
            break;
        }
    }
    free(done);
    kb_document_free(doc);
    kb_project_free(p);
    if (rc) {
        kb_quote_list_free(l);
        return cli_fail(&err);
    }
    if (n) {
        printf("\n%s: %zu accepted, %zu rejected, %zu skipped", o.reviewer, acc,
               rej, skip);
        if (feat)
            printf(", %zu featured", feat);
        fputs("; ", stdout);
        if (quit) {
            const kb_quote_row *q = kb_quote_list_get(l, i);
            printf("stopped at quote %zu of %zu (%s %zu-%zu, %s); %zu not "
                   "reviewed\n",
                   i + 1, n, q->document, q->start, q->end, q->concept,
                   n - acc - rej - feat);
        } else {
            printf("reached the end; %zu not reviewed\n", n - acc - rej - feat);
        }
    }
    kb_quote_list_free(l);
    return 0;
}
