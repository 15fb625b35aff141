/*
 * vocab.c: words counted on two sides (vocab.h), in an open-addressing
 * table over their folded copies.
 */
#include "analysis/vocab.h"
#include "base/error.h"
#include "base/fold.h"
#include "quotes/words.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

size_t kbi_vocab_find(const kbi_vocab *v, const char *w, size_t n)
{
    if (!v->nslots)
        return KB_NO_INDEX;
    size_t mask = v->nslots - 1, i = (size_t)kbi_hash_bytes(w, n) & mask;
    for (; v->slots[i]; i = (i + 1) & mask) {
        const kbi_vocab_word *e = &v->v[v->slots[i] - 1];
        if (e->len == n && !memcmp(e->word, w, n))
            return v->slots[i] - 1;
    }
    return KB_NO_INDEX;
}

/* Doubles the slots and places every word again. */
static int rehash(kbi_vocab *v)
{
    size_t nslots = v->nslots ? v->nslots * 2 : 1024;
    size_t *slots = calloc(nslots, sizeof *slots);
    if (!slots)
        return -1;
    for (size_t k = 0; k < v->n; k++) {
        size_t i =
            (size_t)kbi_hash_bytes(v->v[k].word, v->v[k].len) & (nslots - 1);
        while (slots[i])
            i = (i + 1) & (nslots - 1);
        slots[i] = k + 1;
    }
    free(v->slots);
    v->slots = slots;
    v->nslots = nslots;
    return 0;
}

int kbi_vocab_add(kbi_vocab *v, const char *w, size_t n, size_t *index)
{
    size_t k = kbi_vocab_find(v, w, n);
    if (k != KB_NO_INDEX) {
        *index = k;
        return 0;
    }
    if ((v->n + 1) * 2 > v->nslots && rehash(v))
        return -1;
    int fail = 0;
    char *copy = kbi_arena_strndup(&v->copies, w, n, &fail);
    if (fail || KBI_GROW(&v->v, &v->cap, v->n + 1))
        return -1;
    v->v[v->n] = (kbi_vocab_word){.word = copy, .len = n};
    size_t mask = v->nslots - 1, i = (size_t)kbi_hash_bytes(w, n) & mask;
    while (v->slots[i])
        i = (i + 1) & mask;
    v->slots[i] = v->n + 1;
    *index = v->n++;
    return 0;
}

const char *kbi_vocab_fold(kbi_vocab *v, const char *s, size_t n, size_t *len)
{
    v->foldlen = 0;
    if (kbi_fold(&v->fold, &v->foldlen, &v->foldcap, s, n))
        return NULL;
    *len = v->foldlen;
    return v->fold;
}

int kbi_vocab_has_letter(const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                              (utf8proc_ssize_t)(n - i), &cp);
        if (k <= 0)
            return 0;
        if (cp >= 0x80 || (unsigned)((cp | 0x20) - 'a') < 26u)
            return 1;
        i += (size_t)k;
    }
    return 0;
}

typedef struct walk {
    kbi_vocab *v;
    const char *text;
    int side;
    size_t doc, from;
    int fail;
} walk;

/* 1 for the ending after an abbreviation's colon (the s of VVG:s, the en
 * of KoK:en): it inflects the abbreviation, which is counted as the word. */
static int colon_ending(const char *text, size_t start, size_t n)
{
    unsigned char before = start >= 2 ? (unsigned char)text[start - 2] : 0;
    return n <= 3 && start >= 2 && text[start - 1] == ':' &&
           (before >= 0x80 || (unsigned)((before | 0x20) - 'a') < 26u ||
            (unsigned)(before - '0') < 10u);
}

static void count_word(void *ctx, size_t start, size_t end, size_t cp)
{
    walk *w = ctx;
    if (w->fail || cp < w->from)
        return;
    const char *s = w->text + start;
    size_t n = end - start, len, k;
    if (!kbi_vocab_has_letter(s, n) || colon_ending(w->text, start, n))
        return;
    const char *f = kbi_vocab_fold(w->v, s, n, &len);
    if (!f || kbi_vocab_add(w->v, f, len, &k)) {
        w->fail = 1;
        return;
    }
    kbi_vocab_word *e = &w->v->v[k];
    e->count[w->side]++;
    if (e->last[w->side] != w->doc + 1) {
        e->last[w->side] = w->doc + 1;
        e->docs[w->side]++;
    }
    w->v->tokens[w->side]++;
}

int kbi_vocab_text(kbi_vocab *v, int side, size_t doc, const char *text,
                   size_t n, size_t from, kb_error *err)
{
    walk w = {v, text, side, doc, from, 0};
    kbi_words_each(text, n, count_word, &w);
    return w.fail ? kbi_fail(err, KB_ENOMEM, "out of memory") : 0;
}

void kbi_vocab_free(kbi_vocab *v)
{
    kbi_arena_free(&v->copies);
    free(v->v);
    free(v->slots);
    free(v->fold);
    memset(v, 0, sizeof *v);
}
