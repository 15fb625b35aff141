/*
 * spec_runner.c: runs a transcript spec file (format in transcripts.spec)
 * through the public library API: each case's input is imported into a
 * fresh project and the segments found are compared, line by line, with
 * the expected ones. Also checks that every segment's code-point span, cut
 * out of the stored text, gives back the segment's text.
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
    buf input, options, expect[4]; /* expect[kind] */
    int has[4];
} spec_case;

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
    for (size_t i = 0; i < s->text_len; i++) {
        if (s->text[i] == '\n')
            puts_(out, "\\n");
        else
            put(out, &s->text[i], 1);
    }
    puts_(out, "\n");
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

static int run_case(spec_case *c, const char *tmp)
{
    char txt[512], db[512];
    snprintf(txt, sizeof txt, "%s/case.txt", tmp);
    snprintf(db, sizeof db, "%s/case.db", tmp);
    unlink(db);
    FILE *f = fopen(txt, "wb");
    if (!f)
        return 1;
    fwrite(c->input.s, 1, c->input.n, f);
    fclose(f);

    kb_import_options o = KB_IMPORT_OPTIONS_INIT;
    char *opts = c->options.s ? strdup(c->options.s) : NULL;
    for (char *line = opts ? strtok(opts, "\n") : NULL; line;
         line = strtok(NULL, "\n")) {
        if (!strncmp(line, "speaker=", 8))
            o.speaker_regex = line + 8;
        else if (!strncmp(line, "interviewer=", 12))
            o.interviewers = line + 12;
    }
    kb_project *p;
    kb_error err;
    char msg[1200];
    int failed = 0;
    const char *paths[] = {txt};
    kb_document *d = NULL;
    if (kb_project_init(&p, db, &err) ||
        kb_project_import(p, paths, 1, &o, &err) ||
        kb_document_load(&d, p, "case", 0, &err)) {
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
        }
        if (c->has[k] && strcmp(got.s, c->expect[k].s ? c->expect[k].s : "")) {
            printf("FAIL %s: %ss differ\n--- expected\n%s--- got\n%s", c->name,
                   kb_segment_kind_name(k), c->expect[k].s, got.s);
            failed = 1;
        }
        free(got.s);
    }
    kb_document_free(d);
    kb_project_free(p);
    free(opts);
    return failed;
}

static void case_reset(spec_case *c)
{
    free(c->input.s);
    free(c->options.s);
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
            else if (k) {
                target = &c.expect[k];
                c.has[k] = 1;
            } else {
                fprintf(stderr, "%s: unknown section '%s'\n", argv[1], what);
                return 2;
            }
            continue;
        }
        if (!target ||
            (target != &c.input && (line[0] == '#' || line[0] == '\n')))
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
