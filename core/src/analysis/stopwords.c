/*
 * stopwords.c: the stop-word lists (stopwords.h). The shipped list is
 * stopwords_sv.txt, made a C string at build time (core/embed.cmake).
 */
#include "analysis/stopwords.h"
#include "base/error.h"
#include "base/file.h"
#include "base/utf8.h"
#include "quotes/words.h"

#include <stdlib.h>
#include <string.h>

static const char SHIPPED[] =
#include KBI_STOPWORDS_INC
    ;

typedef struct line_words {
    size_t n, start, end;
} line_words;

static void one_word(void *ctx, size_t start, size_t end, size_t cp)
{
    (void)cp;
    line_words *w = ctx;
    if (!w->n++) {
        w->start = start;
        w->end = end;
    }
}

/* The words of text[0..n), one a line; `path` names it in errors. */
static int parse(kbi_vocab *set, const char *text, size_t n, const char *path,
                 kb_error *err)
{
    int line = 0;
    for (size_t i = 0; i < n;) {
        const char *eol = memchr(text + i, '\n', n - i);
        size_t len = eol ? (size_t)(eol - text) - i : n - i;
        const char *s = text + i;
        line++;
        i += len + 1;
        const char *hash = memchr(s, '#', len);
        if (hash)
            len = (size_t)(hash - s);
        if (kbi_utf8_invalid_at((const unsigned char *)s, len) != len)
            return kbi_fail_at(err, KB_EFORMAT, path, line, 1,
                               "a stop word list is UTF-8 text");
        line_words w = {0, 0, 0};
        kbi_words_each(s, len, one_word, &w);
        if (w.n > 1)
            return kbi_fail_at(err, KB_EFORMAT, path, line, 1,
                               "one stop word a line ('%.*s')", (int)len, s);
        size_t flen, k;
        const char *f;
        if (w.n &&
            (!(f = kbi_vocab_fold(set, s + w.start, w.end - w.start, &flen)) ||
             kbi_vocab_add(set, f, flen, &k)))
            return kbi_fail(err, KB_ENOMEM, "out of memory");
    }
    return 0;
}

int kbi_stopwords_load(kbi_vocab *set, const char *path, kb_error *err)
{
    if (!path)
        return parse(set, SHIPPED, sizeof SHIPPED - 1, "stopwords_sv.txt", err);
    unsigned char *text = NULL;
    size_t n = 0;
    int rc = kbi_file_read(&text, &n, path, KBI_INPUT_OTHER, err);
    if (!rc)
        rc = parse(set, (const char *)text, n, path, err);
    free(text);
    return rc;
}
