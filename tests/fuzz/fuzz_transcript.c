/*
 * fuzz_transcript.c: fuzz target for decoding and transcript parsing. Any
 * byte string must either be refused with an error or give segments whose
 * spans are in bounds, ordered, nested and agree in bytes and code points.
 *
 * Built with -DKODBOK_LIBFUZZER and -fsanitize=fuzzer it is a libFuzzer
 * target; otherwise main() replays every file in the folders it is given,
 * so the saved corpus runs as a regression test under ctest.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/transcript.h"
#include "base/decode.h"
#include "base/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int cond, const char *what)
{
    if (!cond) {
        fprintf(stderr, "invariant broken: %s\n", what);
        abort();
    }
}

static void check_array(const char *text, size_t len, const kbi_tseg_array *a)
{
    for (size_t i = 0; i < a->n; i++) {
        const kbi_tseg *s = &a->v[i];
        check(s->b0 <= s->b1 && s->b1 <= len, "span in bounds");
        check(s->c0 == kbi_utf8_count(text, s->b0), "start code point");
        check(s->c1 == kbi_utf8_count(text, s->b1), "end code point");
        if (i > 0)
            check(a->v[i - 1].b1 <= s->b0, "spans ordered");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static kbi_parse_rules *rules;
    if (!rules && kbi_parse_rules_new(&rules, NULL, NULL, NULL))
        abort();
    char *text;
    size_t len;
    const char *enc;
    if (kbi_text_decode(&text, &len, &enc, data, size, "fuzz", NULL))
        return 0;
    check(strlen(text) == len, "no NUL in decoded text");
    kbi_transcript t = {0};
    if (kbi_transcript_parse(&t, text, len, rules, NULL) == 0) {
        check_array(text, len, &t.turns);
        check_array(text, len, &t.paras);
        check_array(text, len, &t.sents);
        for (size_t i = 0; i < t.sents.n; i++) {
            const kbi_tseg *s = &t.sents.v[i];
            check(s->para < t.paras.n, "sentence has a paragraph");
            const kbi_tseg *p = &t.paras.v[s->para];
            check(p->b0 <= s->b0 && s->b1 <= p->b1,
                  "sentence inside paragraph");
        }
        for (size_t i = 0; i < t.paras.n; i++) {
            const kbi_tseg *p = &t.paras.v[i];
            if (p->turn == KB_NO_INDEX)
                continue;
            const kbi_tseg *u = &t.turns.v[p->turn];
            check(u->b0 <= p->b0 && p->b1 <= u->b1, "paragraph inside turn");
        }
        kbi_transcript_clear(&t);
    }
    free(text);
    return 0;
}

#ifndef KODBOK_LIBFUZZER
static int replay(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 1;
    static uint8_t buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    LLVMFuzzerTestOneInput(buf, n);
    return 0;
}

int main(int argc, char **argv)
{
    int files = 0;
    for (int i = 1; i < argc; i++) {
        DIR *d = opendir(argv[i]);
        if (!d) {
            files += replay(argv[i]) == 0;
            continue;
        }
        struct dirent *e;
        while ((e = readdir(d))) {
            if (e->d_name[0] == '.')
                continue;
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", argv[i], e->d_name);
            if (replay(path) == 0)
                files++;
        }
        closedir(d);
    }
    printf("%d passed, 0 failed\n", files);
    return files > 0 ? 0 : 1;
}
#endif
