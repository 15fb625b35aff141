/*
 * vocab.h: the words of texts counted (vocab.c): each word folded to lower
 * case once, with its count and the documents it occurs in, on two sides
 * (a selection and its reference; a coder's units and the others), and
 * word sets (stop words) looked up by the same table.
 *
 * May include: kodbok.h, base/, quotes/words.h.
 */
#ifndef KBI_ANALYSIS_VOCAB_H
#define KBI_ANALYSIS_VOCAB_H

#include "base/grow.h"
#include "kodbok.h"

#include <stddef.h>

/* A word and its counts. */
typedef struct kbi_vocab_word {
    const char *word; /* folded, NUL-terminated, in the vocab's arena */
    size_t len;
    size_t count[2]; /* occurrences on side 0 and side 1 */
    size_t docs[2];  /* documents on each side */
    size_t last[2];  /* the last document counted on each side, plus one */
} kbi_vocab_word;

typedef struct kbi_vocab {
    kbi_arena copies;
    kbi_vocab_word *v;
    size_t n, cap;
    size_t *slots; /* index + 1, 0 for free; a power of two, half used */
    size_t nslots;
    size_t tokens[2]; /* words counted on each side (kbi_vocab_text) */
    char *fold;       /* scratch for folding */
    size_t foldlen, foldcap;
} kbi_vocab;

/* The index of word w[0..n) (already folded), or KB_NO_INDEX. */
size_t kbi_vocab_find(const kbi_vocab *v, const char *w, size_t n);

/* The index of word w[0..n) (already folded), added with zero counts when
 * new. -1 when out of memory. */
int kbi_vocab_add(kbi_vocab *v, const char *w, size_t n, size_t *index);

/* Folds s[0..n) to lower case (Unicode case folding) into v's scratch
 * buffer, returned with its length in *len; NULL when out of memory. */
const char *kbi_vocab_fold(kbi_vocab *v, const char *s, size_t n, size_t *len);

/* Whether s[0..n) holds a letter (a run of digits is not a word). */
int kbi_vocab_has_letter(const char *s, size_t n);

/* Counts every word of text[0..n) that has a letter on side `side` for
 * document `doc` (0-based); words that start before code point `from`
 * (counted from the text's start) are skipped. KB_ENOMEM. */
int kbi_vocab_text(kbi_vocab *v, int side, size_t doc, const char *text,
                   size_t n, size_t from, kb_error *err);

void kbi_vocab_free(kbi_vocab *v);

#endif
