/*
 * sentences.c: the Swedish sentence splitter.
 *
 * Invariant: sentence spans never cross the paragraph they were cut from
 * and never start or end with white space.
 */
#include "ingest/sentences.h"
#include "base/swar.h"

#include <stdint.h>
#include <string.h>
#include <utf8proc.h>

/* An abbreviation, with its length in bytes. */
typedef struct abbrev {
    const char *s;
    size_t n;
} abbrev;
#define W(w)                                                                   \
    {                                                                          \
        w, sizeof w - 1                                                        \
    }

/* Abbreviations after which a sentence never ends (lower case, no final .) */
static const abbrev never_end[] = {
    W("t.ex"), W("tex"),   W("bl.a"), W("p.g.a"), W("pga"),    W("d.v.s"),
    W("dvs"),  W("s.k"),   W("ca"),   W("cirka"), W("resp"),   W("kl"),
    W("nr"),   W("jfr"),   W("e.d"),  W("f.d"),   W("fr.o.m"), W("t.o.m"),
    W("o.d"),  W("m.a.o"), W("dr"),   W("prof"),  W("st"),     W("sid"),
    W("tel"),  W("ev"),    W("inkl"), W("exkl"),  W("ang"),    W("enl"),
    W("f.ö"),  W("mkt"),   W("ngt"),  W("obs"),   W("vs"),     W("el"),
    W("avd"),  W("tf"),    W("t.f"),  W("bl"),    W("s"),      W("ff"),
    W("kap"),  W("jan"),   W("feb"),  W("aug"),   W("sept"),   W("okt"),
    W("nov"),  W("dec"),   W("bil"),  W("ref"),   W("mån"),    W("tis"),
    W("ons"),  W("tors"),  W("fre"),  W("lör"),   W("sön"),    W("leg"),
    W("spec"), W("uppl"),  W("utg"),  W("vol"),
};

/* Abbreviations that may end a sentence: break only before a capital. */
static const abbrev may_end[] = {
    W("osv"),  W("o.s.v"), W("m.m"),   W("mm"),
    W("m.fl"), W("etc"),   W("o.dyl"), W("e.dyl"),
};
#undef W

static int in_list(const char *w, size_t n, const abbrev *list, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (list[i].n == n && memcmp(list[i].s, w, n) == 0)
            return 1;
    return 0;
}

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n';
}

/* Decodes the code point at s[i] (valid UTF-8 assumed); sets *n bytes. */
static utf8proc_int32_t cp_at(const char *s, size_t len, size_t i, size_t *n)
{
    utf8proc_int32_t cp = 0;
    utf8proc_ssize_t r = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                          (utf8proc_ssize_t)(len - i), &cp);
    *n = r > 0 ? (size_t)r : 1;
    return r > 0 ? cp : -1;
}

static int is_upper_cp(utf8proc_int32_t cp)
{
    utf8proc_category_t c = utf8proc_category(cp);
    return c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LT;
}

static int is_alpha_cp(utf8proc_int32_t cp)
{
    utf8proc_category_t c = utf8proc_category(cp);
    return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO;
}

/* Can a sentence start with the code point cp? */
static int starts_sentence(utf8proc_int32_t cp)
{
    if (is_upper_cp(cp) || (cp >= '0' && cp <= '9'))
        return 1;
    switch (cp) {
    case '"':
    case '\'':
    case '(':
    case '[':
    case '-':
    case 0x201C: /* “ */
    case 0x201D: /* ” (Swedish opens with it too) */
    case 0x2019: /* ’ */
    case 0x00AB: /* « */
    case 0x00BB: /* » */
    case 0x2013: /* – */
    case 0x2014: /* — */
        return 1;
    }
    return 0;
}

static int is_closer(const char *s, size_t len, size_t i, size_t *n)
{
    unsigned char c = (unsigned char)s[i];
    if (c == '"' || c == '\'' || c == ')' || c == ']') {
        *n = 1;
        return 1;
    }
    if (c >= 0x80) {
        utf8proc_int32_t cp = cp_at(s, len, i, n);
        return cp == 0x201D || cp == 0x2019 || cp == 0x00BB;
    }
    return 0;
}

/* Is s[i] the start of a terminal mark (. ! ? …)? Sets its byte length. */
static int is_terminal(const char *s, size_t len, size_t i, size_t *n,
                       int *ellipsis)
{
    unsigned char c = (unsigned char)s[i];
    *ellipsis = 0;
    if (c == '.' || c == '!' || c == '?') {
        *n = 1;
        return 1;
    }
    if (c == 0xE2 && i + 2 < len && (unsigned char)s[i + 1] == 0x80 &&
        (unsigned char)s[i + 2] == 0xA6) {
        *n = 3;
        *ellipsis = 1;
        return 1;
    }
    return 0;
}

/* Does w hold a byte that may start a terminal mark (. ! ? or 0xE2)? A
 * byte equal to c is a zero byte of w ^ (KBI_ONES * c); the test for a zero
 * byte may also flag a byte above a zero one, never one in a word that has
 * none. */
static int may_end_here(uint64_t w)
{
#define ZERO(x) (((x)-KBI_ONES) & ~(x)&KBI_HIGHS)
    return (ZERO(w ^ (KBI_ONES * '.')) | ZERO(w ^ (KBI_ONES * '!')) |
            ZERO(w ^ (KBI_ONES * '?')) | ZERO(w ^ (KBI_ONES * 0xE2))) != 0;
#undef ZERO
}

static size_t trim_end(const char *s, size_t start, size_t end)
{
    while (end > start && is_space((unsigned char)s[end - 1]))
        end--;
    return end;
}

size_t kbi_sentences_split(const char *s, size_t len, kbi_span_fn emit,
                           void *ctx)
{
    size_t count = 0, i = 0;
    while (i < len && is_space((unsigned char)s[i]))
        i++;
    size_t start = i;
    while (i < len) {
        size_t tn;
        int ell;
        /* skip to a byte that may start a terminal mark: . ! ? or the E2 of
         * …, eight bytes at a time while none of them is one */
        while (i + 8 <= len && !may_end_here(kbi_load8(s + i)))
            i += 8;
        const char *p = s + i, *end = s + len;
        while (p < end && *p != '.' && *p != '!' && *p != '?' &&
               (unsigned char)*p != 0xE2)
            p++;
        i = (size_t)(p - s);
        if (i >= len)
            break;
        if (!is_terminal(s, len, i, &tn, &ell)) {
            i++;
            continue;
        }
        /* The whole cluster of terminal marks, e.g. "?!" or "...". */
        size_t mark = i, j = i + tn, dots = s[i] == '.';
        int ellipsis = ell, only_dot = s[i] == '.';
        while (j < len && is_terminal(s, len, j, &tn, &ell)) {
            ellipsis |= ell;
            dots += s[j] == '.';
            only_dot &= s[j] == '.';
            j += tn;
        }
        if (dots >= 2)
            ellipsis = 1;
        /* "[...]" and "(...)" are omissions, not ends. */
        int bracketed = mark > 0 && (s[mark - 1] == '[' || s[mark - 1] == '(');
        size_t cn;
        while (j < len && is_closer(s, len, j, &cn))
            j += cn;
        if (j >= len)
            break;
        if (!is_space((unsigned char)s[j]) || ellipsis || bracketed) {
            i = j;
            continue;
        }
        size_t next = j;
        while (next < len && is_space((unsigned char)s[next]))
            next++;
        if (next >= len)
            break;
        size_t nb;
        utf8proc_int32_t ncp = cp_at(s, len, next, &nb);
        int brk = starts_sentence(ncp);
        if (brk && only_dot) {
            /* The word before the dot: back to white space or sentence start.
             */
            size_t ws = mark;
            while (ws > start && !is_space((unsigned char)s[ws - 1]))
                ws--;
            /* Drop opening punctuation such as "(" before the word. */
            while (ws < mark && (s[ws] == '(' || s[ws] == '"' || s[ws] == '['))
                ws++;
            char word[32];
            size_t wn = mark - ws;
            if (wn > 0 && wn < sizeof word) {
                /* Lower-case the word (ASCII and Swedish letters via utf8proc).
                 */
                size_t o = 0, k = ws;
                int all_digits = 1, letters = 0;
                while (k < mark && o + 4 < sizeof word) {
                    size_t kn;
                    utf8proc_int32_t cp = cp_at(s, len, k, &kn);
                    if (!(cp >= '0' && cp <= '9'))
                        all_digits = 0;
                    if (is_alpha_cp(cp))
                        letters++;
                    utf8proc_int32_t lc = utf8proc_tolower(cp);
                    o += (size_t)utf8proc_encode_char(
                        lc, (utf8proc_uint8_t *)word + o);
                    k += kn;
                }
                if (in_list(word, o, never_end,
                            sizeof never_end / sizeof never_end[0]))
                    brk = 0;
                else if (in_list(word, o, may_end,
                                 sizeof may_end / sizeof may_end[0]))
                    brk = is_upper_cp(ncp);
                else if (letters == 1 && wn <= 2 &&
                         is_upper_cp(cp_at(s, len, ws, &nb)))
                    brk = 0; /* an initial: "K. Berg" */
                else if (all_digits && ws == start)
                    brk = 0; /* list numbering: "1. Struktur" */
            }
        }
        if (brk) {
            emit(ctx, start, trim_end(s, start, j));
            count++;
            start = next;
        }
        i = next;
    }
    size_t end = trim_end(s, start, len);
    if (end > start) {
        emit(ctx, start, end);
        count++;
    }
    return count;
}
