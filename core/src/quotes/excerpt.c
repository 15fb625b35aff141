/*
 * excerpt.c: kb_quote_excerpt, a quote's text cut to a window of words with
 * its match in the middle and "[…]" where text is left out.
 */
#include "quotes/excerpt.h"
#include "quotes/words.h"
#include "base/error.h"

#include <stdlib.h>
#include <string.h>

/* The words of a quote, for kb_quote_excerpt. */
typedef struct word_spans {
    size_t *start, *end, *cp, n;
} word_spans;

static void keep_word(void *ctx, size_t start, size_t end, size_t cp)
{
    word_spans *w = ctx;
    w->start[w->n] = start;
    w->end[w->n] = end;
    w->cp[w->n++] = cp;
}

int kb_quote_excerpt(char **out, const kb_quote_row *q, size_t max_words,
                     kb_error *err)
{
    return kbi_quote_excerpt_marked(out, q, max_words, "[\xe2\x80\xa6]", err);
}

int kbi_quote_excerpt_marked(char **out, const kb_quote_row *q,
                             size_t max_words, const char *gap, kb_error *err)
{
    *out = NULL;
    const char *s = q->text ? q->text : "";
    size_t n = strlen(s), total = kbi_words_count(s, n);
    if (!max_words || total <= max_words) {
        if (!(*out = strdup(s)))
            return kbi_fail(err, KB_ENOMEM, "out of memory");
        return 0;
    }
    word_spans w = {malloc(total * sizeof(size_t)),
                    malloc(total * sizeof(size_t)),
                    malloc(total * sizeof(size_t)), 0};
    char *r = NULL;
    if (w.start && w.end && w.cp) {
        kbi_words_each(s, n, keep_word, &w);
        /* the words the match covers: first and last */
        size_t ms = q->match_start > q->start ? q->match_start - q->start : 0;
        size_t me = q->match_end > q->start ? q->match_end - q->start : 0;
        size_t first = 0, last = 0;
        while (first + 1 < w.n && w.cp[first + 1] <= ms)
            first++;
        last = first;
        while (last + 1 < w.n && w.cp[last + 1] < me)
            last++;
        /* a window of max_words words, the match in its middle */
        size_t need = last - first + 1, lo = first;
        if (need < max_words) {
            size_t spare = max_words - need;
            lo = first > spare / 2 ? first - spare / 2 : 0;
        }
        if (lo + max_words > w.n)
            lo = w.n - max_words;
        size_t hi = lo + max_words - 1;
        /* from the text's start or the window's first word; to the text's
         * end or the window's last word and the marks up to the next space */
        size_t b = lo ? w.start[lo] : 0, e = w.end[hi];
        if (hi + 1 == w.n)
            e = n;
        else
            while (e < w.start[hi + 1] && s[e] != ' ' && s[e] != '\n' &&
                   s[e] != '\t')
                e++;
        size_t glen = strlen(gap);
        size_t len =
            (lo ? glen + 1 : 0) + (e - b) + (hi + 1 < w.n ? glen + 1 : 0);
        if ((r = malloc(len + 1))) {
            char *o = r;
            if (lo) {
                memcpy(o, gap, glen);
                o += glen;
                *o++ = ' ';
            }
            memcpy(o, s + b, e - b);
            o += e - b;
            if (hi + 1 < w.n) {
                *o++ = ' ';
                memcpy(o, gap, glen);
                o += glen;
            }
            *o = 0;
        }
    }
    free(w.start);
    free(w.end);
    free(w.cp);
    if (!r)
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    *out = r;
    return 0;
}
