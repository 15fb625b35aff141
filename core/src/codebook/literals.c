/*
 * literals.c: required-literal extraction from PCRE2 pattern syntax.
 *
 * A "factor" is a set of strings one of which every match contains; NULL
 * (n == 0) means none is known. A sequence's factor is the best of its
 * elements' (longest shortest string, then fewest strings); an
 * alternation's is the union of its branches' if every branch has one.
 * Invariant: the result only ever under-approximates what PCRE2 requires.
 *
 * A factor also knows whether it leads: whether every match of its
 * sequence (or alternation) begins with one of its strings, nothing but
 * zero-width assertions before it. Where unsure, it does not lead. And it
 * knows what stands right before its strings in a match, when that is a
 * white space character (after \s or \s+) or a word boundary (after \b).
 */
#include "codebook/literals.h"
#include "base/grow.h"
#include "base/fold.h"

#include <stdlib.h>
#include <string.h>

typedef struct factor {
    char **v;
    size_t n, cap;
    int lead;   /* every match begins with one of v */
    int before; /* kbi_lit_before: what precedes them in a match */
} factor;

typedef struct parser {
    const char *s;
    size_t i, len;
    int unsure; /* a construct we cannot reason about: give up */
    int nomem;
} parser;

static void factor_clear(factor *f)
{
    for (size_t i = 0; i < f->n; i++)
        free(f->v[i]);
    free(f->v);
    memset(f, 0, sizeof *f);
}

static int factor_add(parser *p, factor *f, const char *s, size_t n)
{
    char *c = malloc(n + 1);
    if (!c || KBI_GROW(&f->v, &f->cap, f->n + 1)) {
        free(c);
        p->nomem = 1;
        return -1;
    }
    memcpy(c, s, n);
    c[n] = '\0';
    f->v[f->n++] = c;
    return 0;
}

/* Shortest string's length: the factor's worth (0 for none). */
static size_t worth(const factor *f)
{
    if (!f->n)
        return 0;
    size_t w = strlen(f->v[0]);
    for (size_t i = 1; i < f->n; i++)
        if (strlen(f->v[i]) < w)
            w = strlen(f->v[i]);
    return w;
}

/* Keeps the better of *best and *cand in *best; frees the other. */
static void keep_better(factor *best, factor *cand)
{
    size_t wb = worth(best), wc = worth(cand);
    if (wc > wb || (wc == wb && wc > 0 && cand->n < best->n)) {
        factor_clear(best);
        *best = *cand;
        memset(cand, 0, sizeof *cand);
    } else {
        factor_clear(cand);
    }
}

/* Reads a quantifier at p->i; returns its minimum (1 if none). */
static long quantifier(parser *p, int *present)
{
    *present = 1;
    long min = 1;
    char c = p->i < p->len ? p->s[p->i] : 0;
    if (c == '?' || c == '*') {
        min = 0;
        p->i++;
    } else if (c == '+') {
        p->i++;
    } else if (c == '{') {
        /* {n}, {n,} or {n,m}; any other brace is a literal one. PCRE2
         * 10.43 reads {,m} and spaces inside as a quantifier too: a brace
         * of digits, commas and spaces that is not one of the three is
         * left unsure. */
        size_t j = p->i + 1, end = j;
        while (end < p->len && strchr("0123456789, ", p->s[end]) && p->s[end])
            end++;
        if (end >= p->len || p->s[end] != '}') {
            *present = 0; /* a literal brace */
            return 1;
        }
        long v = 0;
        size_t d = j;
        for (; d < end && p->s[d] >= '0' && p->s[d] <= '9'; d++)
            if (v <= 65535) /* PCRE2's largest; more does not compile */
                v = v * 10 + (p->s[d] - '0');
        size_t m = d < end && p->s[d] == ',' ? d + 1 : d;
        while (m < end && p->s[m] >= '0' && p->s[m] <= '9')
            m++;
        if (d == j || m != end) {
            p->unsure |= end > j; /* "{,3}", "{ 2 }": by version */
            *present = 0;
            return 1;
        }
        p->i = end + 1;
        min = v;
    } else {
        *present = 0;
        return 1;
    }
    if (p->i < p->len && (p->s[p->i] == '?' || p->s[p->i] == '+'))
        p->i++; /* lazy or possessive */
    return min;
}

/* Skips a character class starting at '['. */
/* Whether a POSIX class ("[:alpha:]") begins at s[i] ('['), as PCRE2
 * reads it: its ":]" comes before any ']' or "[:". Sets *end to its ']'. */
static int posix_class(const parser *p, size_t i, size_t *end)
{
    if (i + 1 >= p->len || !p->s[i + 1] || !strchr(":.=", p->s[i + 1]))
        return 0;
    char term = p->s[i + 1];
    for (size_t j = i + 2; j + 1 < p->len; j++) {
        char c = p->s[j];
        if (c == '\\' && (p->s[j + 1] == ']' || p->s[j + 1] == '\\'))
            j++;
        else if ((c == '[' && p->s[j + 1] == term) || c == ']')
            return 0;
        else if (c == term && p->s[j + 1] == ']') {
            *end = j + 1;
            return 1;
        }
    }
    return 0;
}

static void skip_class(parser *p)
{
    p->i++;
    /* before its first character, which is literal even when ']': "\E",
     * "\Q\E" and one '^', in any order, as PCRE2 reads them */
    for (int negated = 0;;) {
        if (p->i + 1 < p->len && !strncmp(p->s + p->i, "\\E", 2))
            p->i += 2;
        else if (p->i + 3 < p->len && !strncmp(p->s + p->i, "\\Q\\E", 4))
            p->i += 4;
        else if (!negated && p->i < p->len && p->s[p->i] == '^') {
            negated = 1;
            p->i++;
        } else
            break;
    }
    if (p->i < p->len && p->s[p->i] == ']')
        p->i++;
    while (p->i < p->len && p->s[p->i] != ']') {
        if (p->s[p->i] == '\\' && p->i + 1 < p->len && p->s[p->i + 1] == 'Q') {
            /* [\Q]\E] quotes its ']' */
            const char *e = strstr(p->s + p->i + 2, "\\E");
            p->i = e ? (size_t)(e - p->s) + 1 : p->len;
        } else if (p->s[p->i] == '\\')
            p->i++;
        else if (p->s[p->i] == '[') {
            size_t end;
            if (posix_class(p, p->i, &end))
                p->i = end;
        }
        p->i++;
    }
    p->i++;
}

static void skip_group(parser *p)
{
    int depth = 1;
    p->i++;
    while (p->i < p->len && depth > 0) {
        char c = p->s[p->i];
        if (c == '\\')
            p->i++;
        else if (c == '[')
            skip_class(p), p->i--;
        else if (c == '(')
            depth++;
        else if (c == ')')
            depth--;
        p->i++;
    }
}

static void parse_alt(parser *p, factor *out, int before);

/* Sequence state: the literal run being built and the best factor so far;
 * `consumed` once something before may have consumed a character. */
typedef struct seq {
    char run[256];
    size_t rn;
    int run_lead;   /* the run began before anything consumed */
    int run_before; /* what preceded the run */
    int consumed;
    int before; /* what the last element leaves before the next one */
    factor best;
} seq;

static void end_run(parser *p, seq *q)
{
    if (q->rn) {
        factor f = {0};
        factor_add(p, &f, q->run, q->rn);
        f.lead = q->run_lead;
        f.before = q->run_before;
        keep_better(&q->best, &f);
        q->rn = 0;
    }
}

static void add_literal(parser *p, seq *q, const char *c, size_t n, long min,
                        int quantified)
{
    if (min == 0) { /* optional: the run ends before it */
        end_run(p, q);
        q->consumed = 1;
        q->before = KBI_LIT_ANY;
        return;
    }
    if (!q->rn) {
        q->run_lead = !q->consumed;
        q->run_before = q->before;
    }
    q->consumed = 1;
    q->before = KBI_LIT_ANY;
    if (q->rn + n < sizeof q->run) {
        memcpy(q->run + q->rn, c, n);
        q->rn += n;
    }
    if (quantified)
        end_run(p, q); /* "a+" or "a{2,}": one 'a' is sure, then the run ends */
}

/* Something that may consume characters and is no literal: the run ends. */
static void consume(parser *p, seq *q)
{
    end_run(p, q);
    q->consumed = 1;
    q->before = KBI_LIT_ANY;
}

/* Parses one sequence up to '|' or ')' or the end; `before` is what
 * precedes it. */
static void parse_seq(parser *p, factor *out, int before)
{
    seq q = {0};
    q.before = before;
    while (p->i < p->len && !p->unsure && !p->nomem) {
        char c = p->s[p->i];
        if (c == '|' || c == ')')
            break;
        int present;
        if (c == '\\') {
            char e = p->i + 1 < p->len ? p->s[p->i + 1] : 0;
            p->i += 2;
            if (e == 'Q') { /* \Q...\E */
                size_t end = p->i;
                while (end < p->len &&
                       !(p->s[end] == '\\' && end + 1 < p->len &&
                         p->s[end + 1] == 'E'))
                    end++;
                /* A quantifier after \E is the last character's. */
                size_t last = end;
                while (last > p->i &&
                       ((unsigned char)p->s[--last] & 0xC0) == 0x80)
                    ;
                for (size_t k = p->i; k < last; k++)
                    add_literal(p, &q, p->s + k, 1, 1, 0);
                p->i = end + 2 < p->len ? end + 2 : p->len;
                long min = quantifier(p, &present);
                if (last < end)
                    add_literal(p, &q, p->s + last, end - last, min, present);
                else if (present)
                    p->unsure = 1; /* "\Q\E+": the atom before's */
                continue;
            }
            if (e == 'E' && (quantifier(p, &present), present)) {
                p->unsure = 1; /* a lone \E is nothing: "b\E?" is "b?" */
                continue;
            }
            if (strchr("bBAzZGK", e) && e) { /* zero-width */
                if (q.rn || e != 'b' || !quantifier(p, &present))
                    q.before = KBI_LIT_ANY;
                else
                    q.before = KBI_LIT_AFTER_BOUNDARY;
                continue;
            }
            if (e == 'p' || e == 'P' || e == 'g' || e == 'k' || e == 'x' ||
                e == 'o' || e == 'N' || e == 'c') {
                char open = p->i < p->len && e != 'c' ? p->s[p->i] : 0;
                if (open == '{' ||
                    ((e == 'g' || e == 'k') && (open == '<' || open == '\''))) {
                    char close = p->s[p->i] == '{'   ? '}'
                                 : p->s[p->i] == '<' ? '>'
                                                     : '\'';
                    while (p->i < p->len && p->s[p->i] != close)
                        p->i++;
                    p->i++;
                } else if (e == 'x') { /* up to two hex digits */
                    for (int k = 0;
                         k < 2 && p->i < p->len &&
                         strchr("0123456789abcdefABCDEF", p->s[p->i]) &&
                         p->s[p->i];
                         k++)
                        p->i++;
                } else if (e == 'g') { /* \g1, \g-1, \g+12 */
                    if (p->i < p->len &&
                        (p->s[p->i] == '-' || p->s[p->i] == '+'))
                        p->i++;
                    while (p->i < p->len && p->s[p->i] >= '0' &&
                           p->s[p->i] <= '9')
                        p->i++;
                } else if (e != 'N') { /* \N: any but a newline */
                    p->i++;            /* \pL, \cA */
                }
                quantifier(p, &present);
                consume(p, &q);
                continue;
            }
            if ((e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z') ||
                (e >= '0' && e <= '9') || !e) {
                /* \w \d \s \n \1 ...: not a literal we can use */
                while (e >= '0' && e <= '9' && p->i < p->len &&
                       p->s[p->i] >= '0' && p->s[p->i] <= '9')
                    p->i++;
                long min = quantifier(p, &present);
                consume(p, &q);
                if (e == 's' && min > 0)
                    q.before = KBI_LIT_AFTER_SPACE;
                continue;
            }
            /* an escaped character stands for itself, all its bytes: a
             * quantifier after it is the whole character's */
            size_t from = p->i - 1, end = p->i;
            while (end < p->len && ((unsigned char)p->s[end] & 0xC0) == 0x80)
                end++;
            p->i = end;
            long min = quantifier(p, &present);
            add_literal(p, &q, p->s + from, end - from, min, present);
            continue;
        }
        if (c == '[' || c == '.') {
            if (c == '[')
                skip_class(p);
            else
                p->i++;
            quantifier(p, &present);
            consume(p, &q);
            continue;
        }
        if (c == '^' || c == '$') {
            p->i++;
            quantifier(p, &present);
            end_run(p, &q);
            q.before = KBI_LIT_ANY;
            continue;
        }
        if (c == '(') {
            const char *g = p->s + p->i + 1;
            size_t left = p->len - p->i - 1;
            int lookaround = (left >= 1 && (g[0] == '*')) ||
                             (left >= 2 && g[0] == '?' &&
                              (g[1] == '=' || g[1] == '!' || g[1] == '#')) ||
                             (left >= 3 && g[0] == '?' && g[1] == '<' &&
                              (g[2] == '=' || g[2] == '!'));
            if (left >= 2 && g[0] == '?' && g[1] == '#') {
                /* a comment ends at the first ')', brackets and all */
                const char *close = memchr(g, ')', left);
                p->i = close ? (size_t)(close - p->s) + 1 : p->len;
                /* a quantifier after it is the atom's before: "a(?#)?" */
                if (quantifier(p, &present), present)
                    p->unsure = 1;
                continue;
            }
            if (lookaround) {
                skip_group(p);
                quantifier(p, &present); /* "(?<=x)?": still no literal */
                continue;
            }
            if (left >= 1 && g[0] == '?') {
                /* (?: (?> (?| (?<name> (?P<name> (?'name' (?i) (?i: ... */
                size_t k = 1;
                if (k < left && (g[k] == ':' || g[k] == '>' || g[k] == '|')) {
                    p->i += 3;
                } else if (k < left &&
                           (g[k] == '<' || g[k] == '\'' ||
                            (g[k] == 'P' && k + 1 < left && g[k + 1] == '<'))) {
                    char close = g[k] == '\'' ? '\'' : '>';
                    size_t j = p->i + 2;
                    while (j < p->len && p->s[j] != close)
                        j++;
                    p->i = j + 1;
                } else {
                    /* option setting: (?i) (?-i) (?i:...) */
                    size_t j = p->i + 2;
                    while (j < p->len && strchr("imnsxJU-^a", p->s[j]) &&
                           p->s[j])
                        j++;
                    if (j >= p->len || memchr(p->s + p->i, 'x', j - p->i)) {
                        p->unsure = 1; /* extended mode or recursion */
                        break;
                    }
                    if (p->s[j] == ')') {
                        p->i = j + 1;
                        continue;
                    }
                    if (p->s[j] != ':') {
                        p->unsure = 1;
                        break;
                    }
                    p->i = j + 1;
                }
            } else {
                p->i++;
            }
            factor inner = {0};
            end_run(p, &q);
            parse_alt(p, &inner, q.before);
            if (p->i < p->len && p->s[p->i] == ')')
                p->i++;
            long min = quantifier(p, &present);
            inner.lead &= !q.consumed && !q.rn;
            consume(p, &q);
            if (min > 0)
                keep_better(&q.best, &inner);
            else
                factor_clear(&inner);
            continue;
        }
        /* A literal character (one UTF-8 sequence). */
        size_t n = 1;
        unsigned char u = (unsigned char)c;
        if (u >= 0xF0)
            n = 4;
        else if (u >= 0xE0)
            n = 3;
        else if (u >= 0xC0)
            n = 2;
        if (p->i + n > p->len)
            n = p->len - p->i;
        const char *lit = p->s + p->i;
        p->i += n;
        long min = quantifier(p, &present);
        add_literal(p, &q, lit, n, min, present);
    }
    end_run(p, &q);
    *out = q.best;
}

static void parse_alt(parser *p, factor *out, int before)
{
    factor all = {0};
    int none = 0;
    all.lead = 1;
    for (int first = 1;; first = 0) {
        factor f = {0};
        parse_seq(p, &f, before);
        if (!f.n)
            none = 1;
        all.lead &= f.lead;
        all.before = first || f.before == all.before ? f.before : KBI_LIT_ANY;
        for (size_t i = 0; i < f.n && !none; i++) {
            if (KBI_GROW(&all.v, &all.cap, all.n + 1)) {
                p->nomem = 1;
                break;
            }
            all.v[all.n++] = f.v[i];
            f.v[i] = NULL;
        }
        factor_clear(&f);
        if (p->i < p->len && p->s[p->i] == '|' && !p->unsure && !p->nomem) {
            p->i++;
            continue;
        }
        break;
    }
    if (none || p->unsure || p->nomem)
        factor_clear(&all);
    all.lead &= all.n > 0;
    *out = all;
}

int kbi_literals_extract(kbi_literals *out, const char *pattern)
{
    memset(out, 0, sizeof *out);
    parser p = {pattern, 0, strlen(pattern), 0, 0};
    factor f = {0};
    parse_alt(&p, &f, KBI_LIT_ANY);
    if (p.i < p.len || p.unsure) /* an unbalanced ')' or unknown syntax */
        factor_clear(&f);
    if (p.nomem) {
        factor_clear(&f);
        return -1;
    }
    out->raw = calloc(f.n ? f.n : 1, sizeof *out->raw);
    if (!out->raw) {
        factor_clear(&f);
        return -1;
    }
    for (size_t i = 0; i < f.n; i++) {
        if (!(out->raw[i] = strdup(f.v[i]))) {
            for (size_t k = 0; k < i; k++)
                free(out->raw[k]);
            free(out->raw);
            out->raw = NULL;
            factor_clear(&f);
            return -1;
        }
    }
    for (size_t i = 0; i < f.n; i++) {
        char *folded = NULL;
        size_t flen = 0, fcap = 0;
        if (kbi_fold(&folded, &flen, &fcap, f.v[i], strlen(f.v[i]))) {
            free(folded);
            out->v = f.v;
            out->n = f.n;
            kbi_literals_clear(out);
            return -1;
        }
        free(f.v[i]);
        f.v[i] = folded;
    }
    out->v = f.v;
    out->n = f.n;
    /* \K and \G move or pin the match start, and a (*VERB) such as
     * (*SKIP) steers where a search tries next: with one, trying one start
     * at a time might not find what a search of the whole subject does */
    out->lead = f.lead && !strstr(pattern, "(*") && !strstr(pattern, "\\K") &&
                !strstr(pattern, "\\G");
    out->before = f.before;
    return 0;
}

void kbi_literals_clear(kbi_literals *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i]);
        if (l->raw)
            free(l->raw[i]);
    }
    free(l->v);
    free(l->raw);
    memset(l, 0, sizeof *l);
}
