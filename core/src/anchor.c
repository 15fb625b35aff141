/*
 * anchor.c: where a manual coding stands in a text. A passage given by
 * quote, span or segment is placed in a document; its anchor (the exact
 * text and up to KB_CONTEXT_CHARS code points of context each side) is cut
 * from the text; and an anchor is found again in an edited text.
 *
 * Invariants: every place handed out lies on code-point boundaries of the
 * text, does not split a character from a combining mark that follows it,
 * and has start < end with code-point and byte spans agreeing.
 */
#include "error.h"
#include "manual.h"
#include "project.h"
#include "text.h"

#include <stdlib.h>
#include <string.h>

void kb_anchor_excerpt(char out[256], const char *s, size_t n)
{
    size_t cut = kb_utf8_offset(s, n, 60);
    if (cut > 240)
        cut = kb_utf8_offset(s, n, 20);
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
    size_t at = kb_utf8_mark_at(text, len, b0)   ? b0
                : kb_utf8_mark_at(text, len, b1) ? b1
                                                 : len + 1;
    if (at <= len)
        return kb_fail(err, KB_EINVAL,
                       "the passage would split a character from its "
                       "combining mark at %zu in '%s'",
                       kb_utf8_count(text, at), doc);
    if (only_space(text + b0, b1 - b0))
        return kb_fail(err, KB_EINVAL,
                       "the passage in '%s' is only white "
                       "space",
                       doc);
    return 0;
}

static int find_quote(kb_place *out, const char *text, size_t len,
                      const kb_where *at, const char *doc, kb_error *err)
{
    char *q = NULL;
    size_t qlen = 0;
    const char *enc;
    if (!at->quote || !*at->quote)
        return kb_fail(err, KB_EINVAL, "an empty quote");
    kb_error derr;
    if (kb_text_decode(&q, &qlen, &enc, (const unsigned char *)at->quote,
                       strlen(at->quote), "quote", &derr))
        return kb_fail(err, KB_EINVAL, "the quote is not text: %s",
                       derr.message);
    size_t n = 0, hit = 0;
    char ex[256];
    for (const char *s = text; (s = strstr(s, q)) != NULL;
         s += kb_utf8_seqlen((unsigned char)*s)) {
        n++;
        if (n == at->nth || (at->nth == 0 && n == 1))
            hit = (size_t)(s - text);
    }
    int rc = 0;
    kb_anchor_excerpt(ex, q, qlen);
    if (n == 0)
        rc = kb_fail(err, KB_ENOENT, "the quote \"%s\" does not occur in '%s'",
                     ex, doc);
    else if (at->nth == 0 && n > 1)
        rc = kb_fail(err, KB_EINVAL,
                     "the quote \"%s\" occurs %zu times in '%s': choose one "
                     "with --nth 1 to %zu",
                     ex, n, doc, n);
    else if (at->nth > n)
        rc = kb_fail(err, KB_ENOENT,
                     "the quote \"%s\" occurs only %zu time%s in '%s', not "
                     "%zu",
                     ex, n, n == 1 ? "" : "s", doc, at->nth);
    if (!rc) {
        out->bstart = hit;
        out->bend = hit + qlen;
        rc = check_bounds(text, len, out->bstart, out->bend, doc, err);
    }
    free(q);
    return rc;
}

int kb_place_find(kb_place *out, kb_document *d, const kb_where *at,
                  kb_error *err)
{
    size_t len;
    const char *text = kb_document_text(d, &len);
    const kb_doc_info *info = kb_document_info(d);
    int rc = 0;
    switch (at->by) {
    case KB_AT_QUOTE:
        if ((rc = find_quote(out, text, len, at, info->name, err)))
            return rc;
        out->start = kb_utf8_count(text, out->bstart);
        out->end = out->start +
                   kb_utf8_count(text + out->bstart, out->bend - out->bstart);
        return 0;
    case KB_AT_SPAN:
        if (at->start >= at->end || at->end > info->chars)
            return kb_fail(err, KB_EINVAL,
                           "span %zu:%zu is not inside '%s' (0:%zu, start "
                           "before end)",
                           at->start, at->end, info->name, info->chars);
        out->start = at->start;
        out->end = at->end;
        out->bstart = kb_utf8_offset(text, len, at->start);
        out->bend =
            out->bstart + kb_utf8_offset(text + out->bstart, len - out->bstart,
                                         at->end - at->start);
        return check_bounds(text, len, out->bstart, out->bend, info->name, err);
    case KB_AT_SEGMENT: {
        const kb_segment *s = NULL;
        if (kb_segment_kind_name(at->kind) &&
            !(rc = kb_document_need(d, at->kind, err)))
            s = kb_document_segment(d, at->kind, at->index);
        if (rc)
            return rc;
        if (!s) {
            size_t n = kb_document_segment_count(d, at->kind);
            return kb_fail(
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
    return kb_fail(err, KB_EINVAL, "no passage given (quote, span or segment)");
}

void kb_anchor_clear(kb_anchor *a)
{
    free(a->quote);
    free(a->before);
    free(a->after);
    a->quote = a->before = a->after = NULL;
}

int kb_anchor_make(kb_anchor *out, const char *text, size_t len,
                   const kb_place *pl, kb_error *err)
{
    size_t b = pl->bstart;
    for (int k = 0; b > 0 && k < KB_CONTEXT_CHARS; k++)
        do
            b--;
        while (b > 0 && ((unsigned char)text[b] & 0xC0) == 0x80);
    size_t e = pl->bend + kb_utf8_offset(text + pl->bend, len - pl->bend,
                                         KB_CONTEXT_CHARS);
    out->quote = strndup(text + pl->bstart, pl->bend - pl->bstart);
    out->before = strndup(text + b, pl->bstart - b);
    out->after = strndup(text + pl->bend, e - pl->bend);
    if (!out->quote || !out->before || !out->after) {
        kb_anchor_clear(out);
        return kb_fail(err, KB_ENOMEM, "out of memory");
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

int kb_anchor_place(kb_place *out, const char *text, size_t len,
                    const kb_anchor *a, size_t hint)
{
    size_t qlen = strlen(a->quote), n = 0, best = 0, best_score = 0,
           best_dist = 0;
    if (!qlen)
        return 0;
    for (const char *s = text; (s = strstr(s, a->quote)) != NULL;
         s += kb_utf8_seqlen((unsigned char)*s)) {
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
    if (kb_utf8_mark_at(text, len, best) ||
        kb_utf8_mark_at(text, len, best + qlen))
        return 0;
    out->bstart = best;
    out->bend = best + qlen;
    out->start = kb_utf8_count(text, best);
    out->end = out->start + kb_utf8_count(a->quote, qlen);
    return 1;
}
