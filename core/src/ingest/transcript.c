/*
 * transcript.c: the line-based transcript parser behind every format.
 *
 * A transcript is read line by line. Each line may start with timestamps
 * ("[00:12:34]", "(12:34)", "00:12:34", "#00:12:34-5#") and then a speaker
 * label ("R:", "IP3:", "Respondent 2:", "ANNA BERG:", "[Margareta] ...", or
 * what the user's regex matches). A label is accepted when it is a known
 * role word, when the same name-shaped label starts two or more lines, or
 * when the document is a dialogue such as a play (nine lines in ten, notes
 * aside, start with a name-shaped or recurring label, and two or more
 * speakers recur), so that "Problemet är: ..." in running text is not a
 * speaker. Where "NAME:" labels speak, a "[NAME]" line is a stage note.
 * Accepted labels start turns; every other non-blank line is a paragraph of
 * the open turn (or of none, before the first turn). Headings ("== ... ==",
 * "# ...") end the open turn. Sentences are cut inside paragraphs.
 *
 * Invariants: spans are trimmed, in document order, sentences lie inside
 * their paragraph and paragraphs inside their turn; timestamps and labels are
 * never inside a span; code-point offsets agree with byte offsets.
 */
#include "ingest/transcript.h"
#include "base/error.h"
#include "base/grow.h"
#include "base/utf8.h"
#include "ingest/sentences.h"

#include <pcre2.h>
#include <utf8proc.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Longest prefix (code points) taken as a colon label. */
#define LABEL_MAX_CP 60
/* Longest bracket label. */
#define BRACKET_MAX_CP 40
/* A dialogue (a play), where every label candidate speaks: this share of
 * the text lines (notes aside) starts with a name-shaped or known label... */
#define DIALOGUE_SHARE 0.9
/* ... and at least this many speakers recur. One-off name-shaped labels
 * then speak too, and any one-off label once this many speakers recur
 * ("ANNA och PER:", "En röst i salongen:"). */
#define DIALOGUE_VOICES     2
#define DIALOGUE_ANY_VOICES 3

struct kbi_parse_rules {
    pcre2_code *user;        /* user's speaker regex, or NULL */
    pcre2_code *role_word;   /* labels that are speakers by name */
    pcre2_code *interviewer; /* default interviewer labels */
    pcre2_code *meta_key;    /* header keys that are metadata by name */
    char **interviewers;     /* user's interviewer labels, or NULL */
    size_t ninterviewers;
};

static const char ROLE_WORDS[] =
    "^(?:I|R|IP|IP\\s?\\d+|P\\s?\\d+|Int|Intervjuare(?:n)?(?:\\s?\\d+)?|"
    "Interviewer(?:\\s?\\d+)?|Interviewee(?:\\s?\\d+)?|"
    "Respondent(?:en)?(?:\\s?\\d+)?|Moderator(?:n)?(?:\\s?\\d+)?|"
    "Deltagare(?:n)?(?:\\s?\\d+)?|Informant(?:en)?(?:\\s?\\d+)?|"
    "Intervjuperson(?:en)?(?:\\s?\\d+)?|Ledare|Samtalsledare)$";

static const char INTERVIEWER_WORDS[] =
    "^(?:I|Int|Intervjuare(?:n)?(?:\\s?\\d+)?|Interviewer(?:\\s?\\d+)?|"
    "Moderator(?:n)?(?:\\s?\\d+)?|Mod|Ledare|Samtalsledare)$";

/* Keys of a header block that make it one by themselves (role words such
 * as Intervjuare need a name for a value: see header_block). */
static const char META_KEYS[] =
    "^(?:Datum|Date|Tid|Tidpunkt|Time|Klockslag|Plats|Ort|Place|Location|"
    "Längd|Duration|Projekt|Project|Studie|Study|Ämne|Topic|Tema|Fil|File|"
    "Filnamn|Ljudfil|Inspelning|Recording|Transkribent|Transkriberad av|"
    "Transkription|Transcriber|Transcribed by|Intervju(?:\\s?nr)?|Interview|"
    "Kod|Code|ID|Titel|Title|Roll|Role|Befattning|Yrke|Organisation|"
    "Verksamhet|Enhet|Region|Kommun|Ålder|Age|Kön|Gender)(?:\\s?\\d+)?$";

/* Bracketed words that are transcriber notes, not speakers. */
static const char *const NOTE_WORDS[] = {
    "skratt",    "skrattar", "paus",   "ohörbart", "ohörbar",    "tystnad",
    "avbrott",   "oklart",   "hostar", "suck",     "inaudible",  "laughter",
    "crosstalk", "pause",    "slut",   "start",    "inspelning", "överhörning",
};

int kbi_note_word(const char *s, size_t n)
{
    for (size_t k = 0; k < sizeof NOTE_WORDS / sizeof NOTE_WORDS[0]; k++)
        if (strlen(NOTE_WORDS[k]) == n && strncasecmp(NOTE_WORDS[k], s, n) == 0)
            return 1;
    return 0;
}

static pcre2_code *compile(const char *pat, uint32_t flags, int *errcode,
                           PCRE2_SIZE *erroff)
{
    pcre2_code *re =
        pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED,
                      PCRE2_UTF | PCRE2_UCP | flags, errcode, erroff, NULL);
    if (re)
        pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
    return re;
}

int kbi_parse_rules_new(kbi_parse_rules **out, const char *speaker_regex,
                        const char *interviewers, kb_error *err)
{
    *out = NULL;
    kbi_parse_rules *r = calloc(1, sizeof *r);
    if (!r)
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    int ec;
    PCRE2_SIZE off;
    r->role_word = compile(ROLE_WORDS, PCRE2_CASELESS, &ec, &off);
    r->interviewer = compile(INTERVIEWER_WORDS, PCRE2_CASELESS, &ec, &off);
    r->meta_key = compile(META_KEYS, PCRE2_CASELESS, &ec, &off);
    if (!r->role_word || !r->interviewer || !r->meta_key) {
        kbi_parse_rules_free(r);
        return kbi_fail(err, KB_ENOMEM, "cannot compile built-in rules");
    }
    if (speaker_regex) {
        r->user = compile(speaker_regex, PCRE2_ANCHORED, &ec, &off);
        if (!r->user) {
            PCRE2_UCHAR msg[256];
            pcre2_get_error_message(ec, msg, sizeof msg);
            kbi_parse_rules_free(r);
            int rc = kbi_fail_arg(err, KB_EFORMAT, "speaker_regex",
                                  "invalid regex: %s", (const char *)msg);
            if (err) { /* the position is in the pattern, line 1 */
                err->line = 1;
                err->column = (int)kbi_utf8_count(speaker_regex, off) + 1;
            }
            return rc;
        }
    }
    if (interviewers) {
        const char *p = interviewers;
        size_t count = 1;
        for (const char *q = p; *q; q++)
            count += *q == ',';
        r->interviewers = calloc(count, sizeof *r->interviewers);
        if (!r->interviewers) {
            kbi_parse_rules_free(r);
            return kbi_fail(err, KB_ENOMEM, "out of memory");
        }
        while (*p) {
            const char *e = strchr(p, ',');
            size_t n = e ? (size_t)(e - p) : strlen(p);
            while (n && (*p == ' ')) {
                p++;
                n--;
            }
            while (n && p[n - 1] == ' ')
                n--;
            if (n) {
                char *s = strndup(p, n);
                if (!s) {
                    kbi_parse_rules_free(r);
                    return kbi_fail(err, KB_ENOMEM, "out of memory");
                }
                r->interviewers[r->ninterviewers++] = s;
            }
            p = e ? e + 1 : p + strlen(p);
        }
    }
    *out = r;
    return 0;
}

void kbi_parse_rules_free(kbi_parse_rules *r)
{
    if (!r)
        return;
    pcre2_code_free(r->user);
    pcre2_code_free(r->role_word);
    pcre2_code_free(r->interviewer);
    pcre2_code_free(r->meta_key);
    for (size_t i = 0; i < r->ninterviewers; i++)
        free(r->interviewers[i]);
    free(r->interviewers);
    free(r);
}

static int re_whole(const pcre2_code *re, const char *s, size_t n)
{
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
    if (!md)
        return 0;
    int rc = pcre2_match(re, (PCRE2_SPTR)s, n, 0, PCRE2_NO_UTF_CHECK, md, NULL);
    pcre2_match_data_free(md);
    return rc >= 0;
}

static kb_role role_of(const kbi_parse_rules *r, const char *label)
{
    if (r->interviewers) {
        for (size_t i = 0; i < r->ninterviewers; i++)
            if (strcasecmp(r->interviewers[i], label) == 0)
                return KB_ROLE_INTERVIEWER;
        return KB_ROLE_RESPONDENT;
    }
    return re_whole(r->interviewer, label, strlen(label)) ? KB_ROLE_INTERVIEWER
                                                          : KB_ROLE_RESPONDENT;
}

/* ------------------------------------------------------------------------ */
/* Line scanning                                                             */
/* ------------------------------------------------------------------------ */

enum line_kind { LINE_BLANK, LINE_HEADING, LINE_TEXT, LINE_HEADER };
enum label_kind { LABEL_NONE, LABEL_COLON, LABEL_BRACKET, LABEL_USER };

typedef struct line {
    size_t b0, b1; /* the line without its LF */
    size_t text;   /* where the text starts if no label is accepted */
    size_t after;  /* where the text starts if the label is accepted */
    size_t lab0, lab1;
    int64_t time_ms;    /* last timestamp on the line start, or KB_NO_TIME */
    int64_t time_after; /* ... including one right after the label */
    unsigned char kind, label;
    int id; /* candidate label id, -1 for none */
} line;

static int is_blank(unsigned char c)
{
    return c == ' ' || c == '\t';
}

static size_t skip_blank(const char *s, size_t i, size_t end)
{
    while (i < end && is_blank((unsigned char)s[i]))
        i++;
    return i;
}

static int digits(const char *s, size_t *i, size_t end, int min, int max,
                  long *val)
{
    int n = 0;
    long v = 0;
    while (*i < end && s[*i] >= '0' && s[*i] <= '9' && n < max) {
        v = v * 10 + (s[*i] - '0');
        (*i)++;
        n++;
    }
    *val = v;
    return n >= min;
}

/*
 * Parses a timestamp at s[i]: [h:mm:ss], [mm:ss], (h:mm:ss), (mm:ss), bare
 * h:mm:ss, #h:mm:ss-f# (f4), each with optional fractions. Returns the byte
 * after it (and trailing blanks, and a dash separator), or i if none.
 */
static size_t timestamp(const char *s, size_t i, size_t end, int64_t *ms)
{
    size_t p = i;
    char open = s[p], close = 0;
    if (open == '[')
        close = ']';
    else if (open == '(')
        close = ')';
    else if (open == '#')
        close = '#';
    if (close)
        p++;
    long part[3], frac = 0;
    int nparts = 0, fracdigits = 0;
    if (!digits(s, &p, end, 1, 2, &part[nparts++]))
        return i;
    while (nparts < 3 && p < end && s[p] == ':') {
        p++;
        if (!digits(s, &p, end, 2, 2, &part[nparts++]))
            return i;
    }
    if (nparts < 2 || (!close && nparts < 3))
        return i;
    if (p < end &&
        (s[p] == '.' || s[p] == ',' || (close == '#' && s[p] == '-'))) {
        size_t q = p + 1;
        size_t before = q;
        if (digits(s, &q, end, 1, 3, &frac)) {
            fracdigits = (int)(q - before);
            p = q;
        }
    }
    if (close) {
        if (p >= end || s[p] != close)
            return i;
        p++;
    }
    if (p < end && !is_blank((unsigned char)s[p]))
        return i;
    long h = nparts == 3 ? part[0] : 0;
    long m = nparts == 3 ? part[1] : part[0];
    long sec = nparts == 3 ? part[2] : part[1];
    if (m > 59 || sec > 59)
        return i;
    while (fracdigits > 0 && fracdigits < 3) {
        frac *= 10;
        fracdigits++;
    }
    *ms = ((h * 60 + m) * 60 + sec) * 1000 + frac;
    p = skip_blank(s, p, end);
    /* "00:12:34 - R: ..." */
    if (p + 1 < end && s[p] == '-' && is_blank((unsigned char)s[p + 1]))
        p = skip_blank(s, p + 1, end);
    return p;
}

static size_t timestamps(const char *s, size_t i, size_t end, int64_t *ms)
{
    for (;;) {
        size_t p = timestamp(s, i, end, ms);
        if (p == i)
            return i;
        i = p;
    }
}

/* Decodes one code point (valid UTF-8). */
static int32_t next_cp(const char *s, size_t *i)
{
    int32_t cp;
    utf8proc_iterate((const utf8proc_uint8_t *)s + *i, -1, &cp);
    *i += kbi_utf8_seqlen((unsigned char)s[*i]);
    return cp;
}

int kbi_name_shaped(const char *s, size_t b, size_t e)
{
    int words = 0;
    size_t i = b;
    while (i < e) {
        size_t w0 = i;
        while (i < e && s[i] != ' ')
            i++;
        size_t wn = i - w0;
        words++;
        size_t k = w0;
        int32_t cp = next_cp(s, &k);
        utf8proc_category_t cat = utf8proc_category(cp);
        int ok = cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT ||
                 (cp >= '0' && cp <= '9');
        if (!ok && wn >= 1 && wn <= 3 && /* none before a leading space */
            (s[w0 + wn - 1] == '.' || (wn == 2 && !strncmp(s + w0, "af", 2)) ||
             (wn == 2 && !strncmp(s + w0, "de", 2)) ||
             (wn == 3 && !strncmp(s + w0, "von", 3)) ||
             (wn == 3 && !strncmp(s + w0, "van", 3))))
            ok = 1;
        if (!ok)
            return 0;
        while (i < e && s[i] == ' ')
            i++;
    }
    return words >= 1 && words <= 4;
}

/* "[Margareta] text": a capitalised name in brackets, not a note word. */
static size_t bracket_label(const char *s, size_t i, size_t end, size_t *l0,
                            size_t *l1)
{
    if (i >= end || s[i] != '[')
        return 0;
    size_t p = i + 1, cps = 0;
    while (p < end && s[p] != ']') {
        unsigned char c = (unsigned char)s[p];
        if (strchr(".,;!?()[\":", c) || ++cps > BRACKET_MAX_CP)
            return 0;
        p += kbi_utf8_seqlen(c);
    }
    if (p >= end || p == i + 1)
        return 0;
    size_t after = p + 1;
    if (after < end && !is_blank((unsigned char)s[after]))
        return 0;
    if (is_blank((unsigned char)s[i + 1]) || is_blank((unsigned char)s[p - 1]))
        return 0;
    if (!kbi_name_shaped(s, i + 1, p))
        return 0;
    if (kbi_note_word(s + i + 1, p - i - 1))
        return 0;
    *l0 = i + 1;
    *l1 = p;
    return skip_blank(s, after, end);
}

/* "NAME: text": the prefix before the first colon followed by a blank. */
static size_t colon_label(const char *s, size_t i, size_t end, size_t *l0,
                          size_t *l1)
{
    size_t p = i, cps = 0;
    while (p < end && cps < LABEL_MAX_CP) {
        unsigned char c = (unsigned char)s[p];
        if (c == ':' && (p + 1 == end || is_blank((unsigned char)s[p + 1])))
            break;
        if (c == '(' || c == '[' || c == '\t')
            return 0;
        p += kbi_utf8_seqlen(c);
        cps++;
    }
    if (p >= end || s[p] != ':' || p == i)
        return 0;
    if (is_blank((unsigned char)s[i]) || is_blank((unsigned char)s[p - 1]))
        return 0;
    if (p - i >= 4 && !strncmp(s + i, "http", 4))
        return 0;
    *l0 = i;
    *l1 = p;
    return skip_blank(s, p + 1, end);
}

/* The user's regex is matched on the line alone, from `i` (after any
 * timestamp) to its end, so that `^` and `$` mean the start and end of the
 * line. */
static size_t user_label(const pcre2_code *re, pcre2_match_data *md,
                         const char *s, size_t i, size_t end, size_t *l0,
                         size_t *l1)
{
    int rc = pcre2_match(re, (PCRE2_SPTR)(s + i), end - i, 0,
                         PCRE2_NO_UTF_CHECK, md, NULL);
    if (rc < 0)
        return 0;
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
    if (ov[1] == ov[0])
        return 0;
    size_t b = i + ov[0], e = i + ov[1];
    int n = pcre2_substring_number_from_name(re, (PCRE2_SPTR) "name");
    if (n <= 0 && rc >= 2)
        n = 1;
    if (n > 0 && n < rc && ov[2 * n] != PCRE2_UNSET) {
        b = i + ov[2 * n];
        e = i + ov[2 * n + 1];
    } else {
        while (e > b && (s[e - 1] == ':' || is_blank((unsigned char)s[e - 1])))
            e--;
    }
    while (b < e && is_blank((unsigned char)s[b]))
        b++;
    while (e > b && is_blank((unsigned char)s[e - 1]))
        e--;
    if (b == e)
        return 0;
    size_t after = i + ov[1];
    if (after < end && s[after] == ':')
        after++;
    *l0 = b;
    *l1 = e;
    return skip_blank(s, after, end);
}

/* A line that is only a bracketed or parenthesised note. */
static int is_note(const char *s, size_t b, size_t e)
{
    return e > b + 1 && (s[b] == '[' || s[b] == '(') &&
           (s[e - 1] == ']' || s[e - 1] == ')');
}

static int is_heading(const char *s, size_t b, size_t e)
{
    if (e - b >= 4 && !strncmp(s + b, "==", 2) && !strncmp(s + e - 2, "==", 2))
        return 1;
    size_t i = b;
    while (i < e && i - b < 6 && s[i] == '#')
        i++;
    return i > b && i < e && s[i] == ' ';
}

/* ------------------------------------------------------------------------ */
/* Candidate label table (open addressing)                                   */
/* ------------------------------------------------------------------------ */

typedef struct label_entry {
    size_t b, n;  /* bytes in the text */
    size_t count; /* lines starting with it */
    int strong;   /* a role word or the user's regex */
    int accepted;
    int speaker; /* transcript speaker index once it starts a turn */
} label_entry;

typedef struct label_table {
    label_entry *v;
    size_t n, cap;
    kbi_slots index;  /* the labels by their text */
    const char *text; /* the transcript they are in */
} label_table;

static size_t label_hash(const void *ctx, size_t i)
{
    const label_table *t = ctx;
    return (size_t)kbi_hash_bytes(t->text + t->v[i].b, t->v[i].n);
}

/* Is label i the text of `key` (a label_entry's b and n)? */
static int same_label(const void *ctx, size_t i, const void *key)
{
    const label_table *t = ctx;
    const label_entry *e = &t->v[i], *k = key;
    return e->n == k->n && !memcmp(t->text + e->b, t->text + k->b, k->n);
}

/* Returns the id of the label text[b..b+n), adding it; -1 on allocation
 * failure. */
static int table_intern(label_table *t, const char *text, size_t b, size_t n)
{
    t->text = text;
    label_entry key = {b, n, 0, 0, 0, -1};
    size_t h = (size_t)kbi_hash_bytes(text + b, n);
    size_t at = kbi_slots_find(&t->index, h, same_label, t, &key);
    if (at != SIZE_MAX)
        return (int)at;
    if (KBI_GROW(&t->v, &t->cap, t->n + 1) ||
        kbi_slots_add(&t->index, t->n, h, label_hash, t))
        return -1;
    t->v[t->n] = key;
    return (int)t->n++;
}

/* ------------------------------------------------------------------------ */
/* Header block                                                              */
/* ------------------------------------------------------------------------ */

/* Longest header block, in lines, and longest key, in bytes. */
#define HEADER_MAX_LINES 12
#define HEADER_KEY_MAX   40

/* A "Key: value" line that may stand in a header block: no timestamp, a
 * key of at most four words starting with a letter, and a value. */
static int header_line(const char *s, const line *L, size_t *k0, size_t *k1,
                       size_t *v0)
{
    if (L->kind != LINE_TEXT || L->time_ms != KB_NO_TIME)
        return 0;
    size_t after = colon_label(s, L->text, L->b1, k0, k1);
    if (!after || after >= L->b1 || *k1 - *k0 > HEADER_KEY_MAX)
        return 0;
    size_t i = *k0;
    utf8proc_category_t cat = utf8proc_category(next_cp(s, &i));
    if (cat < UTF8PROC_CATEGORY_LU || cat > UTF8PROC_CATEGORY_LO)
        return 0;
    int words = 1;
    for (size_t k = *k0; k < *k1; k++)
        words += s[k] == ' ';
    *v0 = after;
    return words <= 4;
}

static int same_ci(const char *s, size_t b0, size_t b1, size_t c0, size_t c1)
{
    return b1 - b0 == c1 - c0 && !strncasecmp(s + b0, s + c0, b1 - b0);
}

/* The name a header value gives: up to its first comma, trimmed. */
static size_t value_name(const char *s, size_t v0, size_t v1)
{
    const char *comma = memchr(s + v0, ',', v1 - v0);
    size_t e = comma ? (size_t)(comma - s) : v1;
    while (e > v0 && is_blank((unsigned char)s[e - 1]))
        e--;
    return e;
}

/* A person's name: two to four name-shaped words, no final stop. */
static int person_name(const char *s, size_t b, size_t e)
{
    if (e <= b || strchr(".?!", s[e - 1]) || !memchr(s + b, ' ', e - b))
        return 0;
    return kbi_name_shaped(s, b, e);
}

/*
 * Finds the header block (docs/transcripts.md): the "Key: value" lines from
 * the first non-blank line on, when more text follows them, no key occurs
 * twice or starts a line later (then they are talk), and one of them is
 * metadata: a key such as Datum or Plats, a value naming a later speaker
 * ("Intervjuare: Johanna Lind" before "Johanna Lind: ..."), or a role word
 * with a person's name ("Respondent: Karin Ek, vårdenhetschef"). Marks its
 * lines LINE_HEADER and takes them out of the label counts.
 */
static int header_block(kbi_transcript *t, const kbi_parse_rules *r,
                        const char *s, line *lines, size_t nlines,
                        label_table *tab, size_t *text_lines)
{
    size_t h0 = 0, k0[HEADER_MAX_LINES], k1[HEADER_MAX_LINES],
           v0[HEADER_MAX_LINES];
    while (h0 < nlines && lines[h0].kind == LINE_BLANK)
        h0++;
    size_t h1 = h0;
    while (h1 < nlines && h1 - h0 < HEADER_MAX_LINES &&
           header_line(s, &lines[h1], &k0[h1 - h0], &k1[h1 - h0], &v0[h1 - h0]))
        h1++;
    size_t n = h1 - h0, more = h1;
    if (!n ||
        (n == HEADER_MAX_LINES && h1 < nlines &&
         header_line(s, &lines[h1], &(size_t){0}, &(size_t){0}, &(size_t){0})))
        return 0;
    while (more < nlines && lines[more].kind == LINE_BLANK)
        more++;
    if (more == nlines)
        return 0; /* nothing but the block: it is the text */
    for (size_t a = 0; a < n; a++)
        for (size_t b = 0; b < a; b++)
            if (same_ci(s, k0[a], k1[a], k0[b], k1[b]))
                return 0;
    int meta = 0;
    for (size_t i = h1; i < nlines; i++) {
        const line *L = &lines[i];
        size_t c0, c1;
        if (L->kind != LINE_TEXT || !colon_label(s, L->text, L->b1, &c0, &c1))
            c0 = c1 = 0;
        const label_entry *E = L->id >= 0 ? &tab->v[L->id] : NULL;
        for (size_t a = 0; a < n; a++) {
            if ((c1 > c0 && same_ci(s, k0[a], k1[a], c0, c1)) ||
                (E && same_ci(s, k0[a], k1[a], E->b, E->b + E->n)))
                return 0;
            size_t ve = value_name(s, v0[a], lines[h0 + a].b1);
            if (E && same_ci(s, v0[a], ve, E->b, E->b + E->n))
                meta = 1;
        }
    }
    for (size_t a = 0; a < n && !meta; a++)
        meta = re_whole(r->meta_key, s + k0[a], k1[a] - k0[a]) ||
               (re_whole(r->role_word, s + k0[a], k1[a] - k0[a]) &&
                person_name(s, v0[a], value_name(s, v0[a], lines[h0 + a].b1)));
    if (!meta)
        return 0;
    for (size_t a = 0; a < n; a++) {
        line *L = &lines[h0 + a];
        if (L->id >= 0)
            tab->v[L->id].count--;
        L->id = -1;
        L->kind = LINE_HEADER;
        (*text_lines)--;
        if (KBI_GROW(&t->header, &t->capheader, t->nheader + 1))
            return -1;
        t->header[t->nheader++] = (kbi_theader){k0[a], k1[a], v0[a], L->b1};
    }
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Building segments                                                         */
/* ------------------------------------------------------------------------ */

static int push(kbi_tseg_array *a, kbi_tseg s)
{
    if (KBI_GROW(&a->v, &a->cap, a->n + 1))
        return -1;
    a->v[a->n++] = s;
    return 0;
}

typedef struct sent_ctx {
    kbi_transcript *t;
    const char *text;
    size_t base;           /* paragraph start byte: spans are relative */
    size_t last_b, last_c; /* last (byte, code point) pair counted */
    kbi_tseg proto;
    int failed;
} sent_ctx;

static size_t cp_of(sent_ctx *c, size_t b)
{
    c->last_c += kbi_utf8_count(c->text + c->last_b, b - c->last_b);
    c->last_b = b;
    return c->last_c;
}

static void on_sentence(void *ctx, size_t start, size_t end)
{
    sent_ctx *c = ctx;
    kbi_tseg s = c->proto;
    s.b0 = c->base + start;
    s.b1 = c->base + end;
    s.c0 = cp_of(c, s.b0);
    s.c1 = cp_of(c, s.b1);
    if (push(&c->t->sents, s))
        c->failed = 1;
}

static int add_speaker(kbi_transcript *t, const kbi_parse_rules *r,
                       const char *s, size_t n)
{
    char **ns = realloc(t->speakers, (t->nspeakers + 1) * sizeof *ns);
    if (!ns)
        return -1;
    t->speakers = ns;
    kb_role *nr = realloc(t->roles, (t->nspeakers + 1) * sizeof *nr);
    if (!nr)
        return -1;
    t->roles = nr;
    kb_role_source *nsrc =
        realloc(t->sources, (t->nspeakers + 1) * sizeof *nsrc);
    if (!nsrc)
        return -1;
    t->sources = nsrc;
    char *label = strndup(s, n);
    if (!label)
        return -1;
    t->speakers[t->nspeakers] = label;
    t->roles[t->nspeakers] = role_of(r, label);
    t->sources[t->nspeakers] = KB_ROLE_BY_LABEL;
    return (int)t->nspeakers++;
}

size_t kbi_transcript_name_interviewer(kbi_transcript *t, const char *name,
                                       size_t len, kb_role_source source)
{
    size_t changed = 0;
    for (size_t k = 0; k < t->nspeakers; k++)
        if (strlen(t->speakers[k]) == len &&
            !strncasecmp(t->speakers[k], name, len) &&
            t->roles[k] != KB_ROLE_INTERVIEWER) {
            t->roles[k] = KB_ROLE_INTERVIEWER;
            t->sources[k] = source;
            changed++;
        }
    return changed;
}

void kbi_transcript_reset(kbi_transcript *t)
{
    t->turns.n = t->paras.n = t->sents.n = t->nheader = 0;
    for (size_t i = 0; i < t->nspeakers; i++)
        free(t->speakers[i]);
    free(t->speakers);
    free(t->roles);
    free(t->sources);
    t->speakers = NULL;
    t->roles = NULL;
    t->sources = NULL;
    t->nspeakers = 0;
}

void kbi_transcript_clear(kbi_transcript *t)
{
    free(t->turns.v);
    free(t->paras.v);
    free(t->sents.v);
    for (size_t i = 0; i < t->nspeakers; i++)
        free(t->speakers[i]);
    free(t->speakers);
    free(t->roles);
    free(t->sources);
    free(t->header);
    memset(t, 0, sizeof *t);
}

int kbi_transcript_parse(kbi_transcript *t, const char *text, size_t len,
                         const kbi_parse_rules *rules, kb_error *err)
{
    line *lines = NULL;
    size_t nlines = 0, cap = 0;
    label_table tab = {0};
    pcre2_match_data *md = NULL;
    int rc = KB_ENOMEM;
    if (rules->user &&
        !(md = pcre2_match_data_create_from_pattern(rules->user, NULL)))
        goto out;

    /* Pass 1: classify lines and collect candidate labels. */
    size_t text_lines = 0, labelled_lines = 0;
    for (size_t b = 0; b < len;) {
        const char *nl = memchr(text + b, '\n', len - b);
        size_t e = nl ? (size_t)(nl - text) : len;
        if (KBI_GROW(&lines, &cap, nlines + 1))
            goto out;
        line *L = &lines[nlines++];
        memset(L, 0, sizeof *L);
        L->b0 = b;
        L->b1 = e;
        while (L->b1 > b && is_blank((unsigned char)text[L->b1 - 1]))
            L->b1--;
        L->id = -1;
        L->time_ms = L->time_after = KB_NO_TIME;
        size_t p = skip_blank(text, b, L->b1);
        if (p == L->b1) {
            L->kind = LINE_BLANK;
        } else if (is_heading(text, p, L->b1)) {
            L->kind = LINE_HEADING;
            L->text = p;
        } else {
            L->kind = LINE_TEXT;
            p = timestamps(text, p, L->b1, &L->time_ms);
            L->text = p;
            L->time_after = L->time_ms;
            size_t l0 = 0, l1 = 0, after = 0;
            if (rules->user) {
                if ((after =
                         user_label(rules->user, md, text, p, L->b1, &l0, &l1)))
                    L->label = LABEL_USER;
            } else if ((after = bracket_label(text, p, L->b1, &l0, &l1))) {
                L->label = LABEL_BRACKET;
            } else if ((after = colon_label(text, p, L->b1, &l0, &l1))) {
                L->label = LABEL_COLON;
            }
            if (L->label) {
                L->lab0 = l0;
                L->lab1 = l1;
                L->after = timestamps(text, after, L->b1, &L->time_after);
                if ((L->id = table_intern(&tab, text, l0, l1 - l0)) < 0)
                    goto out;
                tab.v[L->id].count++;
            }
            /* Whole-line notes ("[Ridå.]") do not count for the share. */
            text_lines += L->label || !is_note(text, p, L->b1);
        }
        if (!nl)
            break;
        b = e + 1;
    }

    if (header_block(t, rules, text, lines, nlines, &tab, &text_lines))
        goto out;

    /* Pass 2: which labels are speakers. */
    size_t voices = 0;
    for (size_t k = 0; k < tab.n; k++) {
        label_entry *E = &tab.v[k];
        if (!E->count)
            continue; /* it only stood in the header block */
        int shaped = kbi_name_shaped(text, E->b, E->b + E->n);
        E->strong = re_whole(rules->role_word, text + E->b, E->n);
        E->accepted = E->strong || (E->count >= 2 && shaped);
        voices += E->accepted;
        if (E->accepted || shaped)
            labelled_lines += E->count;
    }
    int dialogue =
        voices >= DIALOGUE_VOICES && text_lines > 0 &&
        (double)labelled_lines >= DIALOGUE_SHARE * (double)text_lines;
    int colon_speakers = 0;
    for (size_t i = 0; i < nlines; i++) {
        line *L = &lines[i];
        if (L->id < 0)
            continue;
        label_entry *E = &tab.v[L->id];
        if (L->label == LABEL_USER ||
            (dialogue && L->label == LABEL_COLON &&
             (voices >= DIALOGUE_ANY_VOICES ||
              kbi_name_shaped(text, E->b, E->b + E->n))))
            E->accepted = 1;
        colon_speakers |= E->accepted && L->label == LABEL_COLON;
    }
    /* One transcript, one label style: where "NAME:" labels speak, a line
     * "[LAURA]" is a stage note, not a speaker. */
    for (size_t i = 0; i < nlines; i++) {
        line *L = &lines[i];
        if (L->id >= 0 && (!tab.v[L->id].accepted ||
                           (colon_speakers && L->label == LABEL_BRACKET)))
            L->id = -1;
    }

    /* Pass 3: segments. */
    size_t cp = 0, at = 0; /* code point of byte `at` */
    int64_t now = KB_NO_TIME;
    size_t turn = KB_NO_INDEX;
    kbi_tseg *open = NULL;
    sent_ctx sc = {.t = t, .text = text};
    for (size_t i = 0; i < nlines; i++) {
        line *L = &lines[i];
        if (L->kind == LINE_BLANK || L->kind == LINE_HEADER)
            continue;
        size_t start = L->text;
        if (L->kind == LINE_HEADING) {
            open = NULL;
            turn = KB_NO_INDEX;
        } else {
            if (L->time_ms != KB_NO_TIME)
                now = L->time_ms;
            if (L->id >= 0) {
                label_entry *E = &tab.v[L->id];
                if (E->speaker < 0 &&
                    (E->speaker = add_speaker(t, rules, text + E->b, E->n)) < 0)
                    goto out;
                start = L->after;
                cp += kbi_utf8_count(text + at, start - at);
                at = start;
                if (L->time_after != KB_NO_TIME)
                    now = L->time_after;
                kbi_tseg ts = {start,      start, cp,          cp,
                               E->speaker, now,   KB_NO_INDEX, KB_NO_INDEX};
                if (push(&t->turns, ts))
                    goto out;
                turn = t->turns.n - 1;
                open = &t->turns.v[turn];
            }
        }
        if (start >= L->b1)
            continue; /* a label with no text on its line */
        cp += kbi_utf8_count(text + at, start - at);
        at = start;
        size_t pcp0 = cp;
        cp += kbi_utf8_count(text + at, L->b1 - at);
        at = L->b1;
        int speaker = open ? open->speaker : -1;
        kbi_tseg ps = {start, L->b1, pcp0, cp, speaker, now, turn, KB_NO_INDEX};
        if (push(&t->paras, ps))
            goto out;
        if (open) {
            open = &t->turns.v[turn];
            if (open->b0 == open->b1) { /* the label stood alone on its line */
                open->b0 = start;
                open->c0 = pcp0;
            }
            open->b1 = L->b1;
            open->c1 = cp;
        }
        sc.base = start;
        sc.last_b = start;
        sc.last_c = pcp0;
        sc.proto = ps;
        sc.proto.para = t->paras.n - 1;
        kbi_sentences_split(text + start, L->b1 - start, on_sentence, &sc);
        if (sc.failed)
            goto out;
    }
    /* "Intervjuare: Johanna Lind" in the header names the interviewer. */
    for (size_t h = 0; h < t->nheader; h++) {
        const kbi_theader *H = &t->header[h];
        if (re_whole(rules->interviewer, text + H->k0, H->k1 - H->k0)) {
            size_t e = value_name(text, H->v0, H->v1);
            kbi_transcript_name_interviewer(t, text + H->v0, e - H->v0,
                                            KB_ROLE_BY_HEADER);
        }
    }
    rc = 0;
out:
    if (rc) {
        kbi_transcript_clear(t);
        kbi_fail(err, rc, "out of memory");
    }
    pcre2_match_data_free(md);
    free(lines);
    free(tab.v);
    kbi_slots_free(&tab.index);
    return rc;
}
