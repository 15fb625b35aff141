/*
 * anchor.c: where a manual coding stands in a text. A passage given by
 * quote, span or segment is placed in a document; its anchor (the exact
 * text and up to KBI_CONTEXT_CHARS code points of context each side) is cut
 * from the text; and an anchor is found again in an edited text.
 *
 * Invariants: every place handed out lies on code-point boundaries of the
 * text, does not split a character from a combining mark that follows it,
 * and has start < end with code-point and byte spans agreeing.
 */
#include "manual/anchor.h"
#include "base/error.h"
#include "base/grow.h"
#include "store/document.h"
#include "store/project.h"
#include "base/decode.h"
#include "base/utf8.h"
#include "base/fold.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

void kbi_anchor_excerpt(char out[256], const char *s, size_t n)
{
    size_t cut = kbi_utf8_offset(s, n, 60);
    if (cut > 240)
        cut = kbi_utf8_offset(s, n, 20);
    memcpy(out, s, cut);
    strcpy(out + cut, cut < n ? "…" : "");
    for (char *c = out; *c; c++)
        if (*c == '\n' || *c == '\t')
            *c = ' ';
}

static int only_space(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strchr(" \t\n", s[i]))
            return 0;
    return 1;
}

/* Checks that [b0, b1) of the text keeps its combining marks. */
static int check_bounds(const char *text, size_t len, size_t b0, size_t b1,
                        const char *doc, kb_error *err)
{
    size_t at = kbi_utf8_mark_at(text, len, b0)   ? b0
                : kbi_utf8_mark_at(text, len, b1) ? b1
                                                  : len + 1;
    if (at <= len)
        return kbi_fail(err, KB_EINVAL,
                        "the passage would split a character from its "
                        "combining mark at %zu in '%s'",
                        kbi_utf8_count(text, at), doc);
    if (only_space(text + b0, b1 - b0))
        return kbi_fail(err, KB_EINVAL,
                        "the passage in '%s' is only white "
                        "space",
                        doc);
    return 0;
}

/* A word of a folded text: where it is in the fold and in the text. */
typedef struct word {
    const char *s;
    size_t n, at; /* bytes in the fold; byte offset in the text */
} word;

/* Appends the words (runs of letters, digits and marks) of fold f[0..n),
 * whose byte i came from text offset from[i], to *w. */
static int words_of(word **w, size_t *nw, size_t *cap, const char *f, size_t n,
                    const size_t *from)
{
    size_t i = 0, start = 0;
    int in = 0;
    while (i <= n) {
        int32_t cp = 0;
        size_t k = 1;
        if (i < n) {
            k = kbi_utf8_seqlen((unsigned char)f[i]);
            utf8proc_int32_t c;
            if (utf8proc_iterate((const unsigned char *)f + i,
                                 (utf8proc_ssize_t)(n - i), &c) > 0)
                cp = c;
        }
        int is = i < n && kbi_utf8_is_word(cp);
        if (is && !in)
            start = i;
        if (!is && in) {
            if (KBI_GROW(w, cap, *nw + 1))
                return -1;
            (*w)[(*nw)++] = (word){f + start, i - start, from[start]};
        }
        in = is;
        i += k;
    }
    return 0;
}

static int word_eq(const word *a, const word *b)
{
    return a->n == b->n && !memcmp(a->s, b->s, a->n);
}

/* How many of the quote's words q[0..m) the window w[0..n) has, each word
 * counted at most as often as both have it. */
static size_t shared_words(const word *q, size_t m, const word *w, size_t n)
{
    size_t shared = 0;
    for (size_t i = 0; i < m; i++) {
        size_t cq = 0, cw = 0, j;
        for (j = 0; j < i && !word_eq(&q[j], &q[i]); j++)
            ;
        if (j < i)
            continue; /* counted with its first occurrence */
        for (j = i; j < m; j++)
            cq += word_eq(&q[j], &q[i]);
        for (j = 0; j < n; j++)
            cw += word_eq(&w[j], &q[i]);
        shared += cq < cw ? cq : cw;
    }
    return shared;
}

/* The most sentences a suggested passage spans. */
#define SUGGEST_SENTENCES 4

/*
 * The passage of d nearest to a quote that does not occur, for "did you
 * mean": the run of consecutive sentences (as long as the quote, or one
 * sentence) holding the largest share of the quote's words, then the
 * shortest such; offered when it holds at least half of them. `ft` is the
 * document's text folded by kbi_fold_loose (`from` its offsets), fq the
 * quote's. Writes "" into out when there is nothing to offer.
 */
static int suggest(char out[320], kb_document *d, const char *ft, size_t ftn,
                   const size_t *from, const char *fq, size_t fqn,
                   const size_t *qfrom)
{
    word *qw = NULL, *tw = NULL;
    size_t nq = 0, capq = 0, nt = 0, capt = 0;
    *out = '\0';
    size_t len;
    const char *text = kb_document_text(d, &len);
    int rc = 0;
    if (words_of(&qw, &nq, &capq, fq, fqn, qfrom) ||
        words_of(&tw, &nt, &capt, ft, ftn, from))
        rc = -1;
    kb_error ignore;
    size_t ns = rc || !nq || kbi_document_need(d, KB_SEG_SENTENCE, &ignore)
                    ? 0
                    : kb_document_segment_count(d, KB_SEG_SENTENCE);
    size_t best_shared = 0, best_words = 0, best_first = 0, best_last = 0;
    size_t w0 = 0; /* the first word of sentence i */
    for (size_t i = 0; i < ns; i++) {
        const kb_segment *si = kb_document_segment(d, KB_SEG_SENTENCE, i);
        size_t b0 = (size_t)(si->text - text);
        while (w0 < nt && tw[w0].at < b0)
            w0++;
        size_t w1 = w0;
        for (size_t j = i; j < ns && j < i + SUGGEST_SENTENCES; j++) {
            const kb_segment *sj = kb_document_segment(d, KB_SEG_SENTENCE, j);
            size_t b1 = (size_t)(sj->text - text) + sj->text_len;
            while (w1 < nt && tw[w1].at < b1)
                w1++;
            size_t shared = shared_words(qw, nq, tw + w0, w1 - w0);
            /* more of the quote's words, then fewer words besides */
            if (shared > best_shared ||
                (shared == best_shared && shared && w1 - w0 < best_words)) {
                best_shared = shared;
                best_words = w1 - w0;
                best_first = i;
                best_last = j;
            }
            if (w1 - w0 >= nq)
                break;
        }
    }
    if (best_shared && 2 * best_shared >= nq) {
        const kb_segment *a =
            kb_document_segment(d, KB_SEG_SENTENCE, best_first);
        const kb_segment *b =
            kb_document_segment(d, KB_SEG_SENTENCE, best_last);
        char ex[256], where[64] = "";
        kbi_anchor_excerpt(ex, a->text,
                           (size_t)(b->text - a->text) + b->text_len);
        if (a->turn != KB_NO_INDEX)
            snprintf(where, sizeof where, "turn %zu, ", a->turn);
        /* cut where it is long, as messages are */
        if (snprintf(out, 320, "; did you mean: «%s» (%s, %ssentence %zu)", ex,
                     kb_document_info(d)->name, where, best_first) < 0)
            out[0] = '\0';
    }
    free(qw);
    free(tw);
    return rc;
}

/*
 * The nth occurrence of a quote: of its exact text if that occurs; if not,
 * compared loosely (kbi_fold_loose: case, quotation marks, dashes, white
 * space), the span being the text's own. Several occurrences without nth
 * are an error either way, as is a quote found neither way, which names
 * the nearest passage when there is one.
 */
static int find_quote(kbi_place *out, kb_document *d, const kb_where *at,
                      kb_error *err)
{
    size_t len;
    const char *text = kb_document_text(d, &len);
    const char *doc = kb_document_info(d)->name;
    char *q = NULL, *ft = NULL, *fq = NULL;
    size_t *from = NULL, *qfrom = NULL;
    size_t qlen = 0, ftn = 0, fqn = 0;
    const char *enc;
    if (!at->quote || !*at->quote)
        return kbi_fail(err, KB_EINVAL, "an empty quote");
    kb_error derr;
    if (kbi_text_decode(&q, &qlen, &enc, (const unsigned char *)at->quote,
                        strlen(at->quote), "quote", &derr))
        return kbi_fail(err, KB_EINVAL, "the quote is not text: %s",
                        derr.message);
    size_t n = 0, hit = 0, hit_end = 0;
    for (const char *s = text; (s = strstr(s, q)) != NULL;
         s += kbi_utf8_seqlen((unsigned char)*s)) {
        n++;
        if (n == at->nth || (at->nth == 0 && n == 1)) {
            hit = (size_t)(s - text);
            hit_end = hit + qlen;
        }
    }
    int rc = 0;
    if (!n && (kbi_fold_loose(&fq, &fqn, &qfrom, q, qlen) ||
               kbi_fold_loose(&ft, &ftn, &from, text, len)))
        rc = kbi_fail(err, KB_ENOMEM, "out of memory");
    if (!n && !rc) {
        char *f0 = fq;
        size_t fn = fqn;
        for (; fn && *f0 == ' '; f0++, fn--)
            ;
        for (; fn && f0[fn - 1] == ' '; fn--)
            ;
        f0[fn] = '\0';
        for (const char *s = ft; fn && (s = strstr(s, f0)) != NULL;
             s += kbi_utf8_seqlen((unsigned char)*s)) {
            n++;
            if (n == at->nth || (at->nth == 0 && n == 1)) {
                size_t i = (size_t)(s - ft), last = from[i + fn - 1];
                hit = from[i];
                hit_end = last + kbi_utf8_seqlen((unsigned char)text[last]);
            }
        }
    }
    char ex[256], more[320] = "";
    kbi_anchor_excerpt(ex, q, qlen);
    if (!rc && n == 0)
        rc = suggest(more, d, ft, ftn, from, fq, fqn, qfrom)
                 ? kbi_fail(err, KB_ENOMEM, "out of memory")
                 : kbi_fail(err, KB_ENOENT,
                            "the quote \"%s\" does not occur in '%s'%s", ex,
                            doc, more);
    else if (!rc && at->nth == 0 && n > 1)
        rc = kbi_fail_arg(err, KB_EINVAL, "nth",
                          "the quote \"%s\" occurs %zu times in '%s': choose "
                          "one with `nth` 1 to %zu",
                          ex, n, doc, n);
    else if (!rc && at->nth > n)
        rc = kbi_fail_arg(err, KB_ENOENT, "nth",
                          "the quote \"%s\" occurs only %zu time%s in '%s', "
                          "not %zu",
                          ex, n, n == 1 ? "" : "s", doc, at->nth);
    if (!rc) {
        out->bstart = hit;
        out->bend = hit_end;
        rc = check_bounds(text, len, out->bstart, out->bend, doc, err);
    }
    free(q);
    free(ft);
    free(fq);
    free(from);
    free(qfrom);
    return rc;
}

int kbi_place_find(kbi_place *out, kb_document *d, const kb_where *at,
                   kb_error *err)
{
    size_t len;
    const char *text = kb_document_text(d, &len);
    const kb_doc_info *info = kb_document_info(d);
    int rc = 0;
    switch (at->by) {
    case KB_AT_QUOTE:
        if ((rc = find_quote(out, d, at, err)))
            return rc;
        out->start = kbi_utf8_count(text, out->bstart);
        out->end = out->start +
                   kbi_utf8_count(text + out->bstart, out->bend - out->bstart);
        return 0;
    case KB_AT_SPAN:
        if (at->start >= at->end || at->end > info->chars)
            return kbi_fail(err, KB_EINVAL,
                            "span %zu:%zu is not inside '%s' (0:%zu, start "
                            "before end)",
                            at->start, at->end, info->name, info->chars);
        out->start = at->start;
        out->end = at->end;
        out->bstart = kbi_utf8_offset(text, len, at->start);
        out->bend =
            out->bstart + kbi_utf8_offset(text + out->bstart, len - out->bstart,
                                          at->end - at->start);
        return check_bounds(text, len, out->bstart, out->bend, info->name, err);
    case KB_AT_SEGMENT: {
        const kb_segment *s = NULL;
        if (kb_segment_kind_name(at->kind) &&
            !(rc = kbi_document_need(d, at->kind, err)))
            s = kb_document_segment(d, at->kind, at->index);
        if (rc)
            return rc;
        if (!s) {
            size_t n = kb_document_segment_count(d, at->kind);
            return kbi_fail(
                err, KB_ENOENT, "'%s' has no %s %zu (%zu in all)", info->name,
                kb_segment_kind_name(at->kind) ? kb_segment_kind_name(at->kind)
                                               : "segment",
                at->index, n);
        }
        out->start = s->start;
        out->end = s->end;
        out->bstart = (size_t)(s->text - text);
        out->bend = out->bstart + s->text_len;
        return 0;
    }
    }
    return kbi_fail(err, KB_EINVAL,
                    "no passage given (quote, span or segment)");
}

void kbi_anchor_clear(kbi_anchor *a)
{
    free(a->quote);
    free(a->before);
    free(a->after);
    a->quote = a->before = a->after = NULL;
}

int kbi_anchor_make(kbi_anchor *out, const char *text, size_t len,
                    const kbi_place *pl, kb_error *err)
{
    size_t b = pl->bstart;
    for (int k = 0; b > 0 && k < KBI_CONTEXT_CHARS; k++)
        do
            b--;
        while (b > 0 && ((unsigned char)text[b] & 0xC0) == 0x80);
    size_t e = pl->bend + kbi_utf8_offset(text + pl->bend, len - pl->bend,
                                          KBI_CONTEXT_CHARS);
    out->quote = strndup(text + pl->bstart, pl->bend - pl->bstart);
    out->before = strndup(text + b, pl->bstart - b);
    out->after = strndup(text + pl->bend, e - pl->bend);
    if (!out->quote || !out->before || !out->after) {
        kbi_anchor_clear(out);
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    }
    return 0;
}

/* Bytes that text[0..at) ends with in common with ctx's end. */
static size_t common_suffix(const char *text, size_t at, const char *ctx)
{
    size_t n = strlen(ctx), k = 0;
    while (k < n && k < at && text[at - 1 - k] == ctx[n - 1 - k])
        k++;
    return k;
}

/* Bytes that text[at..len) starts with in common with ctx's start. */
static size_t common_prefix(const char *text, size_t len, size_t at,
                            const char *ctx)
{
    size_t k = 0;
    while (ctx[k] && at + k < len && text[at + k] == ctx[k])
        k++;
    return k;
}

int kbi_anchor_place(kbi_place *out, const char *text, size_t len,
                     const kbi_anchor *a, size_t hint)
{
    size_t qlen = strlen(a->quote), n = 0, best = 0, best_score = 0,
           best_dist = 0;
    if (!qlen)
        return 0;
    for (const char *s = text; (s = strstr(s, a->quote)) != NULL;
         s += kbi_utf8_seqlen((unsigned char)*s)) {
        size_t at = (size_t)(s - text);
        size_t score = common_suffix(text, at, a->before) +
                       common_prefix(text, len, at + qlen, a->after);
        size_t dist = at > hint ? at - hint : hint - at;
        if (!n++ || score > best_score ||
            (score == best_score && dist < best_dist)) {
            best = at;
            best_score = score;
            best_dist = dist;
        }
    }
    /* Several occurrences and no context shared with any: ambiguous. */
    if (!n || (n > 1 && !best_score))
        return 0;
    if (kbi_utf8_mark_at(text, len, best) ||
        kbi_utf8_mark_at(text, len, best + qlen))
        return 0;
    out->bstart = best;
    out->bend = best + qlen;
    out->start = kbi_utf8_count(text, best);
    out->end = out->start + kbi_utf8_count(a->quote, qlen);
    return 1;
}
