/*
 * fuzz.c: what the fuzz targets share (fuzz.h).
 */
#include "fuzz.h"

#include "base/utf8.h"
#include "codebook/codebook.h"
#include "ingest/transcript.h"

#include <utf8proc.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[64];

void fuzz_check(int cond, const char *what)
{
    if (!cond) {
        fprintf(stderr, "invariant broken: %s\n", what);
        abort();
    }
}

void fuzz_check_error(const kb_error *err)
{
    fuzz_check(err->code != 0, "a refusal has a code");
    fuzz_check(err->message[0] != '\0', "a refusal says why");
    fuzz_check(!strchr(err->message, '\n'), "a refusal is one line");
}

void fuzz_notice(void *ctx, const char *message)
{
    (void)ctx;
    fuzz_check(message && *message && !strchr(message, '\n'),
               "a notice is one line");
}

void fuzz_check_stored(const char *text, size_t len)
{
    fuzz_check(kbi_utf8_invalid_at((const unsigned char *)text, len) == len,
               "stored text is UTF-8");
    fuzz_check(strlen(text) == len, "no NUL in stored text");
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        fuzz_check(c >= 0x20 || c == '\t' || c == '\n' || c == 0x7f ||
                       c >= 0x80,
                   "no control character but tab and LF in stored text");
    }
    utf8proc_uint8_t *nfc = NULL;
    utf8proc_ssize_t n =
        utf8proc_map((const utf8proc_uint8_t *)text, (utf8proc_ssize_t)len,
                     &nfc, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
    fuzz_check(n >= 0, "stored text maps");
    fuzz_check((size_t)n == len && !memcmp(nfc, text, len),
               "stored text is NFC");
    free(nfc);
}

/* Whether node i of kind c->kind has a parent it may have, before it. */
static int parent_ok(const kb_codebook *cb, const kb_code_info *c, size_t i)
{
    if (c->parent == KB_NO_INDEX)
        return c->kind == KB_CODE_DIMENSION || c->kind == KB_CODE_THEME ||
               c->kind == KB_CODE_FACET;
    if (c->parent >= i)
        return 0;
    kb_code_kind up = kb_codebook_get(cb, c->parent)->kind;
    switch (c->kind) {
    case KB_CODE_THEME:
        return up == KB_CODE_DIMENSION;
    case KB_CODE_CONCEPT:
        return up == KB_CODE_THEME;
    case KB_CODE_VALUE:
        return up == KB_CODE_FACET;
    default:
        return 0;
    }
}

void fuzz_check_codebook(const kb_codebook *cb)
{
    size_t n = kb_codebook_count(cb);
    fuzz_check(n == cb->n, "codebook count");
    fuzz_check(strlen(kb_codebook_hash(cb)) == 64, "codebook hash");
    for (size_t i = 0; i < n; i++) {
        const kb_code_info *c = kb_codebook_get(cb, i);
        fuzz_check(c->kind >= KB_CODE_DIMENSION && c->kind <= KB_CODE_VALUE,
                   "node kind");
        fuzz_check(parent_ok(cb, c, i), "node's parent before it, of its tier");
        fuzz_check(c->id && *c->id && c->label && *c->label, "id and label");
        fuzz_check(kb_codebook_find(cb, c->kind, c->id) == i,
                   "id unique in its kind and found");
        const kbi_cnode *node = &cb->nodes[i];
        fuzz_check(node->npat == c->npatterns + c->nexcludes,
                   "patterns counted");
        for (size_t k = 0; k < node->npat; k++)
            fuzz_check(node->pat[k].source && node->pat[k].re,
                       "pattern compiled");
    }
    for (size_t i = 0; i < kb_codebook_warning_count(cb); i++)
        fuzz_notice(NULL, kb_codebook_warning(cb, i)->message);
    kb_codebook *again;
    kb_error err;
    fuzz_check(!kbi_codebook_parse(&again, (const unsigned char *)cb->source,
                                   cb->source_len, "again", &err),
               "a codebook's bytes parse again");
    fuzz_check(!strcmp(kb_codebook_hash(again), kb_codebook_hash(cb)) &&
                   kb_codebook_count(again) == n,
               "the same codebook again");
    kb_codebook_free(again);
}

void fuzz_check_written_codebook(int rc, const kb_error *err, const char *yaml)
{
    if (rc) {
        fuzz_check_error(err);
        fuzz_check(access(yaml, F_OK) != 0,
                   "a refused codebook is not written");
        return;
    }
    kb_codebook *cb;
    kb_error again;
    fuzz_check(!kb_codebook_load(&cb, yaml, &again),
               "a codebook written loads");
    fuzz_check_codebook(cb);
    kb_codebook_free(cb);
}

static void check_segs(const char *text, size_t len, const kbi_tseg_array *a)
{
    for (size_t i = 0; i < a->n; i++) {
        const kbi_tseg *s = &a->v[i];
        fuzz_check(s->b0 <= s->b1 && s->b1 <= len, "span in bounds");
        fuzz_check(s->c0 == kbi_utf8_count(text, s->b0), "start code point");
        fuzz_check(s->c1 == kbi_utf8_count(text, s->b1), "end code point");
        if (i > 0)
            fuzz_check(a->v[i - 1].b1 <= s->b0, "spans ordered");
    }
}

void fuzz_check_transcript(const char *text, size_t len)
{
    static kbi_parse_rules *rules;
    if (!rules && kbi_parse_rules_new(&rules, NULL, NULL, NULL))
        abort();
    kbi_transcript t = {0};
    if (kbi_transcript_parse(&t, text, len, rules, NULL))
        return;
    check_segs(text, len, &t.turns);
    check_segs(text, len, &t.paras);
    check_segs(text, len, &t.sents);
    for (size_t i = 0; i < t.sents.n; i++) {
        const kbi_tseg *s = &t.sents.v[i];
        fuzz_check(s->para < t.paras.n, "sentence has a paragraph");
        const kbi_tseg *p = &t.paras.v[s->para];
        fuzz_check(p->b0 <= s->b0 && s->b1 <= p->b1,
                   "sentence inside paragraph");
    }
    for (size_t i = 0; i < t.paras.n; i++) {
        const kbi_tseg *p = &t.paras.v[i];
        if (p->turn == KB_NO_INDEX)
            continue;
        fuzz_check(p->turn < t.turns.n, "paragraph's turn exists");
        const kbi_tseg *u = &t.turns.v[p->turn];
        fuzz_check(u->b0 <= p->b0 && p->b1 <= u->b1, "paragraph inside turn");
    }
    kbi_transcript_clear(&t);
}

/* Removes the folder and what the targets left in it (files only). */
static void remove_dir(void)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)))
            if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
                char path[sizeof dir + 256];
                snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
                unlink(path);
            }
        closedir(d);
    }
    rmdir(dir);
}

const char *fuzz_path(const char *name)
{
    static struct {
        char name[32], path[sizeof dir + 32];
    } paths[16];
    if (!dir[0]) {
        const char *tmp = getenv("TMPDIR");
        snprintf(dir, sizeof dir, "%s/kodbok-fuzz-XXXXXX",
                 tmp && *tmp && strlen(tmp) < 40 ? tmp : "/tmp");
        if (!mkdtemp(dir)) {
            perror(dir);
            abort();
        }
        atexit(remove_dir);
    }
    size_t i = 0;
    for (; i < sizeof paths / sizeof *paths && paths[i].name[0]; i++)
        if (!strcmp(paths[i].name, name))
            return paths[i].path;
    if (i == sizeof paths / sizeof *paths || strlen(name) >= 32)
        abort();
    snprintf(paths[i].name, sizeof paths[i].name, "%s", name);
    snprintf(paths[i].path, sizeof paths[i].path, "%s/%s", dir, name);
    return paths[i].path;
}

const char *fuzz_write(const char *name, const uint8_t *data, size_t size)
{
    const char *path = fuzz_path(name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f)) {
        perror(path);
        abort();
    }
    return path;
}

static unsigned char *fresh;
static size_t fresh_len;

/* Deletes the project file at path and its SQLite companions. */
static void project_unlink(const char *path)
{
    char side[sizeof dir + 300];
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
}

/* Reads the whole file at path into *out (caller frees); aborts if not. */
static void slurp(unsigned char **out, size_t *len, const char *path)
{
    FILE *f = fopen(path, "rb");
    long n = f && !fseek(f, 0, SEEK_END) ? ftell(f) : -1;
    *out = n > 0 ? malloc((size_t)n) : NULL;
    if (!*out || fseek(f, 0, SEEK_SET) ||
        fread(*out, 1, (size_t)n, f) != (size_t)n) {
        perror(path);
        abort();
    }
    fclose(f);
    *len = (size_t)n;
}

static void must(int rc, const kb_error *err)
{
    if (rc) {
        char msg[1200];
        fprintf(stderr, "fuzz project: %s\n",
                kb_error_format(err, msg, sizeof msg));
        abort();
    }
}

/* The project fuzz_project copies, made once. */
static void fresh_make(void)
{
    const char *path = fuzz_path("fresh.kodbok");
    char docs[2][600], cases[600], book[600];
    for (int i = 0; i < 2; i++)
        snprintf(docs[i], sizeof docs[i],
                 FUZZ_SOURCE_DIR "/corpora/vardsamverkan/ip0%d.txt", i ? 3 : 1);
    snprintf(cases, sizeof cases,
             FUZZ_SOURCE_DIR "/corpora/vardsamverkan/cases.csv");
    snprintf(book, sizeof book,
             FUZZ_SOURCE_DIR "/codebooks/vardsamverkan.yaml");
    const char *paths[] = {docs[0], docs[1]};
    kb_project *p;
    kb_codebook *cb;
    kb_error err;
    kb_import_options io = KB_IMPORT_OPTIONS_INIT;
    io.attrs_path = cases;
    kb_code_options co = KB_CODE_OPTIONS_INIT;
    must(kb_project_init(&p, path, &err), &err);
    must(kb_project_import(p, paths, 2, &io, &err), &err);
    must(kb_codebook_load(&cb, book, &err), &err);
    must(kb_project_code(NULL, p, cb, &co, &err), &err);
    kb_codebook_free(cb);
    kb_project_free(p);
    slurp(&fresh, &fresh_len, path);
    project_unlink(path);
}

kb_project *fuzz_project(void)
{
    if (!fresh)
        fresh_make();
    const char *path = fuzz_path("project.kodbok");
    project_unlink(path);
    fuzz_write("project.kodbok", fresh, fresh_len);
    kb_project *p;
    kb_error err;
    must(kb_project_open(&p, path, &err), &err);
    return p;
}

void fuzz_project_unchanged(kb_project *p)
{
    kb_project_free(p);
    unsigned char *now;
    size_t len;
    slurp(&now, &len, fuzz_path("project.kodbok"));
    fuzz_check(len == fresh_len && !memcmp(now, fresh, len),
               "a refused input leaves the project as it was");
    free(now);
}
