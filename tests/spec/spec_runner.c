/*
 * spec_runner.c: runs a spec file (format in transcripts.spec, quotes in
 * coding.spec) through the public library API: each case's input is
 * imported into a fresh project and the segments found are compared, line
 * by line, with the expected ones; a case with a codebook is coded with it
 * and its quotes are compared likewise. Also checks that every segment's
 * code-point span, cut out of the stored text, gives back the segment's
 * text.
 * Usage: spec_runner FILE.spec
 * Prints "N passed, N failed" and exits non-zero on any failure.
 */
#include "kodbok.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct buf {
    char *s;
    size_t n, cap;
} buf;

static void put(buf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        b->cap = (b->n + n + 1) * 2;
        b->s = realloc(b->s, b->cap);
        if (!b->s)
            abort();
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = '\0';
}

static void puts_(buf *b, const char *s)
{
    put(b, s, strlen(s));
}

typedef struct spec_case {
    char name[256];
    buf input, options, codebook, cases;
    buf expect[4]; /* expect[kind] */
    int has[4];
    buf quotes; /* expected quotes */
    int has_quotes;
} spec_case;

/* Appends s, with each newline as "\n". */
static void put_escaped(buf *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n')
            puts_(out, "\\n");
        else
            put(out, &s[i], 1);
    }
}

/* Formats one segment as "speaker|role|time|text". */
static void format_segment(buf *out, const kb_segment *s)
{
    char t[32];
    puts_(out, s->speaker ? s->speaker : "-");
    puts_(out, "|");
    puts_(out, kb_role_name(s->role));
    puts_(out, "|");
    if (s->time_ms == KB_NO_TIME) {
        puts_(out, "-");
    } else {
        long long sec = s->time_ms / 1000, ms = s->time_ms % 1000;
        snprintf(t, sizeof t, "%02lld:%02lld:%02lld", sec / 3600, sec / 60 % 60,
                 sec % 60);
        if (ms)
            snprintf(t + 8, sizeof t - 8, ".%03lld", ms);
        puts_(out, t);
    }
    puts_(out, "|");
    put_escaped(out, s->text, s->text_len);
    puts_(out, "\n");
}

/* Formats one quote as "concept|speaker|facet=value;...|text". */
static void format_quote(buf *out, const kb_quote_list *l,
                         const kb_quote_row *q)
{
    puts_(out, q->concept ? q->concept : "-");
    puts_(out, "|");
    puts_(out, q->speaker ? q->speaker : "-");
    puts_(out, "|");
    size_t nf = kb_quote_list_facets(l);
    for (size_t i = 0; i < nf; i++) {
        puts_(out, i ? ";" : "");
        puts_(out, kb_quote_list_facet(l, i));
        puts_(out, "=");
        puts_(out, q->facets && q->facets[i] ? q->facets[i] : "-");
    }
    puts_(out, nf ? "|" : "-|");
    put_escaped(out, q->text, strlen(q->text));
    puts_(out, "\n");
}

static int write_file(const char *path, const buf *b)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return 1;
    fwrite(b->s ? b->s : "", 1, b->n, f);
    return fclose(f) != 0;
}

/* Codes the project with the case's codebook and compares its quotes. */
static int check_quotes(spec_case *c, kb_project *p, const char *tmp)
{
    char path[512], msg[1200];
    snprintf(path, sizeof path, "%s/codebook.yaml", tmp);
    if (write_file(path, &c->codebook))
        return 1;
    kb_codebook *cb;
    kb_error err;
    kb_code_options co = KB_CODE_OPTIONS_INIT;
    kb_run_summary sum;
    kb_quote_list *l = NULL;
    if (kb_codebook_load(&cb, path, &err)) {
        printf("FAIL %s: %s\n", c->name,
               kb_error_format(&err, msg, sizeof msg));
        return 1;
    }
    int rc = kb_project_code(&sum, p, cb, &co, &err) ||
             kb_project_quotes(&l, p, NULL, &err);
    kb_codebook_free(cb);
    if (rc) {
        printf("FAIL %s: %s\n", c->name,
               kb_error_format(&err, msg, sizeof msg));
        return 1;
    }
    buf got = {0};
    puts_(&got, "");
    for (size_t i = 0; i < kb_quote_list_count(l); i++)
        format_quote(&got, l, kb_quote_list_get(l, i));
    kb_quote_list_free(l);
    int failed = strcmp(got.s, c->quotes.s ? c->quotes.s : "") != 0;
    if (failed)
        printf("FAIL %s: quotes differ\n--- expected\n%s--- got\n%s", c->name,
               c->quotes.s ? c->quotes.s : "", got.s);
    free(got.s);
    return failed;
}

/* Byte offset of code point `cp` in s (valid UTF-8). */
static size_t cut_at(const char *s, size_t len, size_t cp)
{
    size_t i = 0, seen = 0;
    while (i < len && seen < cp) {
        i++;
        while (i < len && (((unsigned char)s[i]) & 0xC0) == 0x80)
            i++;
        seen++;
    }
    return i;
}

/* Whether s lies inside its turn and (a sentence) its paragraph. */
static int nested(const kb_document *d, const kb_segment *s)
{
    const kb_segment *t = NULL, *p = NULL;
    if (s->kind != KB_SEG_TURN && s->turn != KB_NO_INDEX &&
        !(t = kb_document_segment(d, KB_SEG_TURN, s->turn)))
        return 0;
    if (s->kind == KB_SEG_SENTENCE &&
        !(p = kb_document_segment(d, KB_SEG_PARAGRAPH, s->paragraph)))
        return 0;
    return (!t || (t->start <= s->start && s->end <= t->end)) &&
           (!p || (p->start <= s->start && s->end <= p->end));
}

static int run_case(spec_case *c, const char *tmp)
{
    char txt[512], db[512], cases[512];
    snprintf(txt, sizeof txt, "%s/intervju.txt", tmp);
    snprintf(db, sizeof db, "%s/case.db", tmp);
    snprintf(cases, sizeof cases, "%s/cases.csv", tmp);
    unlink(db);
    if (write_file(txt, &c->input))
        return 1;

    kb_import_options o = KB_IMPORT_OPTIONS_INIT;
    char *opts = c->options.s ? strdup(c->options.s) : NULL;
    for (char *line = opts ? strtok(opts, "\n") : NULL; line;
         line = strtok(NULL, "\n")) {
        if (!strncmp(line, "speaker=", 8))
            o.speaker_regex = line + 8;
        else if (!strncmp(line, "interviewer=", 12))
            o.interviewers = line + 12;
    }
    if (c->cases.s) {
        if (write_file(cases, &c->cases))
            return 1;
        o.attrs_path = cases;
    }
    kb_project *p;
    kb_error err;
    char msg[1200];
    int failed = 0;
    const char *paths[] = {txt};
    kb_document *d = NULL;
    if (kb_project_init(&p, db, &err) ||
        kb_project_import(p, paths, 1, &o, &err) ||
        kb_document_load(&d, p, "intervju", 0, &err)) {
        printf("FAIL %s: %s\n", c->name,
               kb_error_format(&err, msg, sizeof msg));
        kb_project_free(p);
        free(opts);
        return 1;
    }
    size_t tlen;
    const char *text = kb_document_text(d, &tlen);
    for (int k = KB_SEG_TURN; k <= KB_SEG_SENTENCE; k++) {
        buf got = {0};
        puts_(&got, "");
        for (size_t i = 0; i < kb_document_segment_count(d, k); i++) {
            const kb_segment *s = kb_document_segment(d, k, i);
            format_segment(&got, s);
            size_t b0 = cut_at(text, tlen, s->start);
            size_t b1 = cut_at(text, tlen, s->end);
            if (b1 - b0 != s->text_len ||
                memcmp(text + b0, s->text, s->text_len)) {
                printf("FAIL %s: %s %zu: code points %zu-%zu do not cut out "
                       "its text\n",
                       c->name, kb_segment_kind_name(k), i, s->start, s->end);
                failed = 1;
            }
            if (!nested(d, s)) {
                printf("FAIL %s: %s %zu lies outside its turn or paragraph\n",
                       c->name, kb_segment_kind_name(k), i);
                failed = 1;
            }
        }
        if (c->has[k] && strcmp(got.s, c->expect[k].s ? c->expect[k].s : "")) {
            printf("FAIL %s: %ss differ\n--- expected\n%s--- got\n%s", c->name,
                   kb_segment_kind_name(k),
                   c->expect[k].s ? c->expect[k].s : "", got.s);
            failed = 1;
        }
        free(got.s);
    }
    kb_document_free(d);
    if (c->has_quotes && check_quotes(c, p, tmp))
        failed = 1;
    kb_project_free(p);
    free(opts);
    return failed;
}

static void case_reset(spec_case *c)
{
    free(c->input.s);
    free(c->options.s);
    free(c->codebook.s);
    free(c->cases.s);
    free(c->quotes.s);
    for (int k = 0; k < 4; k++)
        free(c->expect[k].s);
    memset(c, 0, sizeof *c);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: spec_runner FILE.spec\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "r");
    if (!f) {
        perror(argv[1]);
        return 2;
    }
    char tmp[] = "/tmp/kodbok-spec-XXXXXX";
    if (!mkdtemp(tmp))
        return 2;
    spec_case c = {0};
    buf *target = NULL;
    int passed = 0, failed = 0, open = 0;
    char line[8192];
    for (;;) {
        char *got = fgets(line, sizeof line, f);
        if (!got || !strncmp(line, "=== ", 4)) {
            if (open) {
                if (run_case(&c, tmp))
                    failed++;
                else
                    passed++;
            }
            case_reset(&c);
            if (!got)
                break;
            open = 1;
            snprintf(c.name, sizeof c.name, "%.200s", line + 4);
            c.name[strcspn(c.name, "\n")] = '\0';
            target = NULL;
            continue;
        }
        if (!strncmp(line, "--- ", 4)) {
            char *what = line + 4;
            what[strcspn(what, "\n")] = '\0';
            kb_segment_kind k = kb_segment_kind_parse(what);
            if (!strcmp(what, "input"))
                target = &c.input;
            else if (!strcmp(what, "options"))
                target = &c.options;
            else if (!strcmp(what, "codebook"))
                target = &c.codebook;
            else if (!strcmp(what, "cases"))
                target = &c.cases;
            else if (!strcmp(what, "quotes")) {
                target = &c.quotes;
                c.has_quotes = 1;
            } else if (k) {
                target = &c.expect[k];
                c.has[k] = 1;
            } else {
                fprintf(stderr, "%s: unknown section '%s'\n", argv[1], what);
                return 2;
            }
            continue;
        }
        /* the input, codebook and cases are files, kept as written */
        int verbatim =
            target == &c.input || target == &c.codebook || target == &c.cases;
        if (!target || (!verbatim && (line[0] == '#' || line[0] == '\n')))
            continue;
        puts_(target, line);
    }
    fclose(f);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", tmp);
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
