/*
 * search.c: keyword in context (kodbok search). Every match of one regex in
 * the current version of each document, with the case and speaker of the
 * turn it falls in and up to N code points of context on each side, cut
 * back to whole words; and the hits written as aligned text lines or as a
 * table (CSV, TSV, JSON through export/table.h).
 *
 * Invariants: the regex is compiled as codebook patterns are
 * (kbi_pattern_compile) and cannot match the empty string, so the scan
 * always advances; matches do not overlap; positions are code points in
 * the stored text, counted incrementally so a document is walked once;
 * memory is one document at a time, plus the hits kb_search_write keeps
 * to align or tabulate them.
 */
#include "export/search.h"
#include "codebook/codebook.h"
#include "engine/engine.h"
#include "base/error.h"
#include "export/table.h"
#include "export/table_write.h"
#include "base/grow.h"
#include "store/document.h"
#include "store/project.h"
#include "base/utf8.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* The code point starting at byte i of s[0..n), or -1. */
static int32_t cp_at(const char *s, size_t n, size_t i)
{
    utf8proc_int32_t cp;
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                          (utf8proc_ssize_t)(n - i), &cp);
    return k > 0 ? cp : -1;
}

/* The start of the code point before byte i (i > 0). */
static size_t back_one(const char *s, size_t i)
{
    do
        i--;
    while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80);
    return i;
}

static int word_at(const char *s, size_t n, size_t i)
{
    return i < n && kbi_utf8_is_word(cp_at(s, n, i));
}

/*
 * The left context of a match at byte ms: [b, ms), at most `context` code
 * points, without the part of a word the window cut into (unless the
 * window is one word) and without white space and punctuation at its start.
 */
static size_t left_start(const char *s, size_t n, size_t ms, size_t context)
{
    size_t b = ms;
    for (size_t k = 0; k < context && b > 0; k++)
        b = back_one(s, b);
    if (b > 0 && word_at(s, n, b) && word_at(s, n, back_one(s, b))) {
        size_t w = b;
        while (w < ms && word_at(s, n, w))
            w += kbi_utf8_seqlen((unsigned char)s[w]);
        if (w < ms)
            b = w;
    }
    /* nor the end of the sentence before it: ". Sen sitter" is "Sen sitter" */
    while (b < ms && strchr(" \n\t.,;:!?", s[b]))
        b++;
    return b;
}

/* The right context of a match ending at byte me: [me, end), likewise. */
static size_t right_end(const char *s, size_t n, size_t me, size_t context)
{
    size_t e = me;
    for (size_t k = 0; k < context && e < n; k++)
        e += kbi_utf8_seqlen((unsigned char)s[e]);
    if (e < n && e > me && word_at(s, n, e) && word_at(s, n, back_one(s, e))) {
        size_t w = e;
        while (w > me && word_at(s, n, back_one(s, w)))
            w = back_one(s, w);
        if (w > me)
            e = w;
    }
    while (e > me && (s[e - 1] == ' ' || s[e - 1] == '\n' || s[e - 1] == '\t'))
        e--;
    return e;
}

/* The turn holding code point `at`, or NULL (turns are in text order). */
static const kb_segment *turn_at(const kb_document *doc, size_t at)
{
    size_t lo = 0, hi = kb_document_segment_count(doc, KB_SEG_TURN);
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const kb_segment *t = kb_document_segment(doc, KB_SEG_TURN, mid);
        if (t->end <= at)
            lo = mid + 1;
        else
            hi = mid;
    }
    const kb_segment *t = kb_document_segment(doc, KB_SEG_TURN, lo);
    return t && t->start <= at && at < t->end ? t : NULL;
}

typedef struct scan {
    pcre2_code *re;
    pcre2_match_data *md;
    pcre2_match_context *mctx;
    size_t context;
    char *buf; /* left, match and right, each NUL-terminated */
    size_t cap;
    kb_search_fn fn;
    void *ctx;
    kb_error *err;
    size_t limit_lines, limit_docs; /* lines passed over at the match limit */
    char *limit_doc;                /* the first such line's document */
    size_t limit_cp;                /* and where it was passed over */
} scan;

/* Calls fn for one match: [ms, me) bytes, starting at code point cp. */
static int report(scan *S, const kb_document *doc, const char *s, size_t n,
                  size_t ms, size_t me, size_t cp)
{
    size_t b = left_start(s, n, ms, S->context);
    size_t e = right_end(s, n, me, S->context);
    if (KBI_GROW(&S->buf, &S->cap, e - b + 3))
        return kbi_fail(S->err, KB_ENOMEM, "out of memory");
    char *left = S->buf, *match = left + (ms - b) + 1,
         *right = match + (me - ms) + 1;
    memcpy(left, s + b, ms - b);
    match[-1] = '\0';
    memcpy(match, s + ms, me - ms);
    right[-1] = '\0';
    memcpy(right, s + me, e - me);
    right[e - me] = '\0';
    const kb_doc_info *info = kb_document_info(doc);
    size_t end = cp + kbi_utf8_count(s + ms, me - ms);
    const kb_segment *t = turn_at(doc, cp);
    kb_search_hit h = {info->name,
                       info->version,
                       t ? t->case_id : info->case_id,
                       t ? t->speaker : NULL,
                       cp,
                       end,
                       left,
                       match,
                       right};
    return S->fn(S->ctx, &h);
}

/* Whether pcre2_match's return r is a limit hit (match, depth, JIT
 * stack), as the engine counts them. */
static int limit_hit(int r)
{
    return r == PCRE2_ERROR_MATCHLIMIT || r == PCRE2_ERROR_DEPTHLIMIT ||
           r == PCRE2_ERROR_JIT_STACKLIMIT;
}

/*
 * Every match in one document. The regex runs over the whole text; when it
 * hits the match limit, the rest of the document is searched a line at a
 * time (a line is the subject, so nothing matches across its end), and a
 * line that hits the limit again is counted and passed over.
 */
static int scan_document(scan *S, const kb_document *doc)
{
    size_t n;
    const char *s = kb_document_text(doc, &n);
    size_t at = 0, cp = 0, cp_at_byte = 0; /* cp counts [0, cp_at_byte) */
    size_t end = n;  /* the subject's end: n, or the end of a line */
    int by_line = 0; /* since a limit hit: a line at a time */
    int hit_here = 0;
    while (at < n) {
        if (by_line && end <= at) {
            const char *nl = memchr(s + at, '\n', n - at);
            end = nl ? (size_t)(nl - s) : n;
        }
        int r = pcre2_match(S->re, (PCRE2_SPTR)s, end, at, PCRE2_NO_UTF_CHECK,
                            S->md, S->mctx);
        if (r == PCRE2_ERROR_NOMATCH && !by_line)
            return 0;
        if (limit_hit(r) && !by_line) {
            by_line = 1;
            end = 0;
            continue;
        }
        if (limit_hit(r)) {
            if (!S->limit_lines++) {
                cp += kbi_utf8_count(s + cp_at_byte, at - cp_at_byte);
                cp_at_byte = at;
                S->limit_cp = cp;
                if (!(S->limit_doc = strdup(kb_document_info(doc)->name)))
                    return kbi_fail(S->err, KB_ENOMEM, "out of memory");
            }
            S->limit_docs += !hit_here;
            hit_here = 1;
        }
        if (r == PCRE2_ERROR_NOMATCH || limit_hit(r)) {
            at = end + 1; /* the next line */
            continue;
        }
        if (r < 0) {
            PCRE2_UCHAR msg[256];
            pcre2_get_error_message(r, msg, sizeof msg);
            return kbi_fail(S->err, KB_EFORMAT, "%s: the regex failed: %s",
                            kb_document_info(doc)->name, (const char *)msg);
        }
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(S->md);
        size_t ms = ov[0], me = ov[1];
        cp += kbi_utf8_count(s + cp_at_byte, ms - cp_at_byte);
        cp_at_byte = ms;
        int rc = report(S, doc, s, n, ms, me, cp);
        if (rc)
            return rc;
        /* the regex cannot match empty, but \K can end a match early */
        at = me > ms ? me : ms + kbi_utf8_seqlen((unsigned char)s[ms]);
    }
    return 0;
}

/* Compiles the regex, refusing one that can match the empty string. */
static int compile(pcre2_code **re, const char *regex, kb_error *err)
{
    int ec;
    size_t off;
    char *nfc;
    int rc = kbi_pattern_compile(re, &nfc, regex, 1, &ec, &off);
    if (rc == KB_ENOMEM)
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    if (rc) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(ec, msg, sizeof msg);
        int column = (int)kbi_utf8_count(nfc, off) + 1;
        free(nfc);
        return kbi_fail_at(err, KB_EFORMAT, NULL, 0, column,
                           "invalid regex at column %d: %s", column,
                           (const char *)msg);
    }
    free(nfc);
    uint32_t minlen = 1;
    pcre2_pattern_info(*re, PCRE2_INFO_MINLENGTH, &minlen);
    if (!minlen) {
        pcre2_code_free(*re);
        *re = NULL;
        return kbi_fail(err, KB_EFORMAT,
                        "regex '%s' can match the empty string", regex);
    }
    pcre2_jit_compile(*re, PCRE2_JIT_COMPLETE);
    return 0;
}

int kb_project_search(kb_project *p, const char *regex,
                      const kb_search_options *opts, kb_search_fn fn, void *ctx,
                      kb_error *err)
{
    static const kb_search_options defaults = KB_SEARCH_OPTIONS_INIT;
    const kb_search_options *o = opts ? opts : &defaults;
    if (o->version < 1 || o->version > KB_SEARCH_OPTIONS_VERSION)
        return kbi_fail(err, KB_EINVAL, "search options version %u, not %d",
                        o->version, KB_SEARCH_OPTIONS_VERSION);
    kb_notice_fn notice = o->version >= 2 ? o->notice : NULL;
    scan S = {.context = o->context, .fn = fn, .ctx = ctx, .err = err};
    int rc = compile(&S.re, regex, err);
    if (rc)
        return rc;
    kb_doc_list *docs = NULL;
    S.md = pcre2_match_data_create_from_pattern(S.re, NULL);
    S.mctx = pcre2_match_context_create(NULL);
    if (!S.md || !S.mctx)
        rc = kbi_fail(err, KB_ENOMEM, "out of memory");
    else {
        /* the coding engine's limits: a pattern that would run away on a
         * segment there stops here too */
        pcre2_set_match_limit(S.mctx, KBI_MATCH_LIMIT);
        pcre2_set_depth_limit(S.mctx, KBI_MATCH_LIMIT / 10);
        rc = kb_project_docs(&docs, p, err);
    }
    size_t found = 0;
    for (size_t i = 0; !rc && i < kb_doc_list_count(docs); i++) {
        const char *name = kb_doc_list_get(docs, i)->name;
        if (o->document && strcmp(o->document, name))
            continue;
        found++;
        kb_document *doc;
        if (!(rc = kb_document_load(&doc, p, name, 0, err))) {
            rc = scan_document(&S, doc);
            kbi_document_recycle(doc, p);
        }
    }
    if (!rc && o->document && !found)
        rc = kbi_fail(err, KB_ENOENT, "no document '%s'", o->document);
    if (!rc && S.limit_lines && notice) {
        char msg[700];
        snprintf(msg, sizeof msg,
                 "%s:%zu: the regex hit the match limit here, the first of "
                 "%zu line%s in %zu document%s; no match is reported there",
                 S.limit_doc, S.limit_cp, S.limit_lines,
                 S.limit_lines == 1 ? "" : "s", S.limit_docs,
                 S.limit_docs == 1 ? "" : "s");
        notice(o->ctx, msg);
    }
    free(S.limit_doc);
    kb_doc_list_free(docs);
    pcre2_match_context_free(S.mctx);
    pcre2_match_data_free(S.md);
    pcre2_code_free(S.re);
    free(S.buf);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* Writing hits                                                              */
/* ------------------------------------------------------------------------ */

/* The columns of the table formats. */
enum {
    C_DOC,
    C_VERSION,
    C_CASE,
    C_SPEAKER,
    C_START,
    C_END,
    C_LEFT,
    C_MATCH,
    C_RIGHT,
    NCOLS
};

typedef struct table_out {
    kbi_table *t;
    kb_error *err;
} table_out;

static int put_row(void *ctx, const kb_search_hit *h)
{
    table_out *o = ctx;
    kbi_table *t = o->t;
    size_t r;
    int rc = kbi_table_add_row(t, &r, o->err);
    const char *texts[NCOLS] = {
        [C_DOC] = h->document, [C_CASE] = h->case_id, [C_SPEAKER] = h->speaker,
        [C_LEFT] = h->left,    [C_MATCH] = h->match,  [C_RIGHT] = h->right};
    for (size_t c = 0; !rc && c < NCOLS; c++) {
        if (c == C_VERSION || c == C_START || c == C_END)
            rc = kbi_table_set_int(t, r, c,
                                   c == C_VERSION ? h->version
                                   : c == C_START ? (int64_t)h->start
                                                  : (int64_t)h->end,
                                   o->err);
        else
            rc = kbi_table_set_text(t, r, c, texts[c], o->err);
    }
    return rc;
}

/* Context as one line: each run of white space one space. */
static void put_flat(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '\n' || *s == '\t' || *s == ' ') {
            while (s[1] == '\n' || s[1] == '\t' || s[1] == ' ')
                s++;
            fputc(' ', f);
        } else {
            fputc(*s, f);
        }
    }
}

/* The width of s as put_flat prints it, in terminal cells; -1 (memory). */
static int flat_width(const char *s)
{
    char *c = strdup(s);
    if (!c)
        return -1;
    size_t o = 0;
    for (const char *t = s; *t; t++) {
        int space = *t == '\n' || *t == '\t' || *t == ' ';
        if (space && o && c[o - 1] == ' ')
            continue;
        c[o++] = space ? ' ' : *t;
    }
    c[o] = '\0';
    int w = kb_text_width(c);
    free(c);
    return w;
}

/* A text cell, "-" when empty. */
static const char *cell_text(const kbi_table *t, size_t r, size_t c)
{
    const kbi_cell *x = kbi_table_cell(t, r, c);
    return x->set ? x->text : "-";
}

/*
 * The hits as aligned lines: document, case, speaker and start in columns,
 * then the left context right-aligned so that every match starts in the
 * same column, the match and the right context. Context is on one line.
 */
static int write_text(FILE *out, const kbi_table *t, kb_error *err)
{
    static const size_t cols[] = {C_DOC, C_CASE, C_SPEAKER, C_START, C_LEFT};
    int w[NCOLS] = {0};
    size_t rows = kbi_table_rows(t);
    for (size_t r = 0; r < rows; r++)
        for (size_t k = 0; k < sizeof cols / sizeof cols[0]; k++) {
            size_t c = cols[k];
            char num[32];
            if (c == C_START)
                snprintf(num, sizeof num, "%" PRId64,
                         kbi_table_cell(t, r, c)->value);
            const char *s = c == C_START ? num : cell_text(t, r, c);
            int cw = c == C_LEFT ? flat_width(s) : kb_text_width(s);
            if (cw < 0)
                return kbi_fail(err, KB_ENOMEM, "out of memory");
            w[c] = cw > w[c] ? cw : w[c];
        }
    for (size_t r = 0; r < rows; r++) {
        for (size_t k = 0; k < 3; k++) {
            const char *s = cell_text(t, r, cols[k]);
            fprintf(out, "%s%*s  ", s, w[cols[k]] - kb_text_width(s), "");
        }
        const char *left = cell_text(t, r, C_LEFT);
        fprintf(out, "%*" PRId64 "  %*s", w[C_START],
                kbi_table_cell(t, r, C_START)->value,
                w[C_LEFT] - flat_width(left), "");
        put_flat(out, kbi_table_cell(t, r, C_LEFT)->text);
        put_flat(out, kbi_table_cell(t, r, C_MATCH)->text);
        put_flat(out, kbi_table_cell(t, r, C_RIGHT)->text);
        fputc('\n', out);
    }
    if (fflush(out) || ferror(out))
        return kbi_fail(err, KB_EIO, "writing the search results failed");
    return 0;
}

int kb_search_write(FILE *out, kb_project *p, const char *regex,
                    const kb_search_options *opts, kb_error *err)
{
    static const kb_search_options defaults = KB_SEARCH_OPTIONS_INIT;
    const kb_search_options *o = opts ? opts : &defaults;
    if (o->format != KB_SEARCH_TEXT && o->format != KB_SEARCH_CSV &&
        o->format != KB_SEARCH_TSV && o->format != KB_SEARCH_JSON)
        return kbi_fail(err, KB_EINVAL, "unknown search format %d",
                        (int)o->format);
    static const struct {
        const char *id;
        kbi_column_kind kind;
    } cols[NCOLS] = {
        {"document", KBI_COLUMN_TEXT}, {"version", KBI_COLUMN_INT},
        {"case", KBI_COLUMN_TEXT},     {"speaker", KBI_COLUMN_TEXT},
        {"start", KBI_COLUMN_INT},     {"end", KBI_COLUMN_INT},
        {"left", KBI_COLUMN_TEXT},     {"match", KBI_COLUMN_TEXT},
        {"right", KBI_COLUMN_TEXT},
    };
    table_out t = {NULL, err};
    int rc = kbi_table_new(&t.t, "Search", err);
    for (size_t c = 0; !rc && c < NCOLS; c++)
        rc = kbi_table_add_column(t.t, cols[c].id, cols[c].kind, 0, 0, err);
    if (!rc)
        rc = kb_project_search(p, regex, o, put_row, &t, err);
    if (!rc && o->format == KB_SEARCH_TEXT)
        rc = write_text(out, t.t, err);
    else if (!rc) {
        size_t formulas = 0;
        kbi_table_options to = {0, 0, 0, o->safe_csv, &formulas};
        rc = kbi_table_write(out, t.t,
                             o->format == KB_SEARCH_CSV   ? KBI_TABLE_CSV
                             : o->format == KB_SEARCH_TSV ? KBI_TABLE_TSV
                                                          : KBI_TABLE_JSON,
                             &to, err);
        if (!rc && !o->safe_csv)
            kbi_table_formulas_notice(formulas, o->notice, o->ctx);
    }
    kbi_table_free(t.t);
    return rc;
}
