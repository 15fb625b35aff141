/*
 * subtitles.c: WebVTT and SRT into transcript text.
 *
 * The file is decoded like a text file (base/decode.c: encoding, byte order
 * mark, LF line ends), then read as blocks separated by blank lines. A block
 * is a cue when its first or second line is a time line ("start --> end",
 * cue settings after it ignored); what comes before the time line is the
 * cue's identifier or number. WebVTT's header and NOTE, STYLE and REGION
 * blocks are skipped. A block without a time line after a cue is more text
 * of that cue (an SRT with a blank line inside a cue); before any cue it is
 * an error.
 *
 * Each cue line is cut into pieces by who speaks: a voice tag <v Name> (to
 * </v> or the cue's end), a "Name:" or "[Name]" label at the line's start
 * (name-shaped, as the parser's labels: kbi_name_shaped), or "- " at the
 * line's start, a change of speaker without a name. Pieces are merged into
 * turns: a piece with the speaker of the open turn, or with none, continues
 * it (lines joined with a space); another speaker, or a dash, starts a new
 * line with the cue's start time. Before any speaker, text without one is
 * cut into paragraphs where a cue ends a sentence, so that long speakerless
 * files keep their times.
 */
#include "ingest/subtitles.h"
#include "base/decode.h"
#include "base/error.h"
#include "base/grow.h"
#include "base/utf8.h"
#include "ingest/transcript.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A timestamp the parser reads has at most two digits of hours. */
#define MAX_HOURS 99

typedef struct sbuf {
    char *s;
    size_t n, cap;
} sbuf;

static int put(sbuf *b, const char *s, size_t n)
{
    if (KBI_GROW(&b->s, &b->cap, b->n + n + 1))
        return -1;
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = '\0';
    return 0;
}

typedef struct conv {
    const char *file;
    kb_notice_fn notice;
    void *ctx;
    kb_error *err;
    int vtt;
    sbuf out;
    char *turn;      /* the speaker of the open line, or NULL */
    int open;        /* a line is open */
    int dash_noted;  /* the notice about dashes in named turns was given */
    sbuf piece;      /* the text of the piece being read */
    int space;       /* a blank is due before the piece's next text */
    char *voice;     /* who speaks the piece, or NULL */
    int dash;        /* the piece starts with a dash */
    int64_t time_ms; /* the start of the cue being read */
    int line;        /* the line being read */
    int dash_line;   /* the line of the piece's dash */
} conv;

static int nomem(conv *c)
{
    return kbi_fail(c->err, KB_ENOMEM, "out of memory");
}

/* Appends text to the piece, blanks collapsed to one. */
static int piece_put(conv *c, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == ' ' || s[i] == '\t') {
            c->space = 1;
            continue;
        }
        if (c->space && c->piece.n && put(&c->piece, " ", 1))
            return -1;
        c->space = 0;
        if (put(&c->piece, s + i, 1))
            return -1;
    }
    return 0;
}

/* Does the output end a sentence (., !, ?, or an ellipsis, then closing
 * quotes or brackets)? */
static int ends_sentence(const sbuf *b)
{
    size_t i = b->n;
    while (i > 0) {
        unsigned char ch = (unsigned char)b->s[i - 1];
        if (ch == '"' || ch == '\'' || ch == ')' || ch == ']')
            i--;
        else if (i >= 3 && !memcmp(b->s + i - 3, "\xE2\x80\x9D", 3))
            i -= 3; /* ” */
        else if (i >= 3 && !memcmp(b->s + i - 3, "\xE2\x80\x99", 3))
            i -= 3; /* ’ */
        else
            break;
    }
    if (i == 0)
        return 0;
    char last = b->s[i - 1];
    return last == '.' || last == '!' || last == '?' ||
           (i >= 3 && !memcmp(b->s + i - 3, "\xE2\x80\xA6", 3));
}

/* Starts a line: "[hh:mm:ss] Name: " (".mmm" after the seconds when the
 * time has milliseconds). */
static int line_start(conv *c, const char *speaker)
{
    char t[32];
    int64_t s = c->time_ms / 1000, ms = c->time_ms % 1000;
    int k =
        snprintf(t, sizeof t, "[%02lld:%02lld:%02lld", (long long)(s / 3600),
                 (long long)(s / 60 % 60), (long long)(s % 60));
    if (ms)
        k += snprintf(t + k, sizeof t - (size_t)k, ".%03lld", (long long)ms);
    k += snprintf(t + k, sizeof t - (size_t)k, "] ");
    if ((c->out.n && put(&c->out, "\n\n", 2)) || put(&c->out, t, (size_t)k))
        return -1;
    if (speaker &&
        (put(&c->out, speaker, strlen(speaker)) || put(&c->out, ": ", 2)))
        return -1;
    c->open = 1;
    return 0;
}

/* Sets the speaker of the open line (NULL: none). */
static int set_turn(conv *c, const char *speaker)
{
    free(c->turn);
    c->turn = NULL;
    if (speaker && !(c->turn = strdup(speaker)))
        return -1;
    return 0;
}

/* The piece read so far into the output: merged into the open line or
 * starting a new one. */
static int flush(conv *c)
{
    int rc = 0;
    if (!c->piece.n)
        goto done;
    if (c->voice) {
        if (!(c->open && c->turn && !strcmp(c->turn, c->voice))) {
            if (line_start(c, c->voice) || set_turn(c, c->voice))
                return nomem(c);
        } else if (put(&c->out, " ", 1)) {
            return nomem(c);
        }
    } else if (c->dash || !c->open || (!c->turn && ends_sentence(&c->out))) {
        if (c->dash && c->turn && c->notice && !c->dash_noted) {
            char msg[600];
            snprintf(msg, sizeof msg,
                     "%s:%d: a cue line starting with '- ' names no "
                     "speaker; its text is a paragraph of %s's turn",
                     c->file, c->dash_line, c->turn);
            c->notice(c->ctx, msg);
            c->dash_noted = 1;
        }
        if (line_start(c, NULL) || set_turn(c, NULL))
            return nomem(c);
    } else if (put(&c->out, " ", 1)) {
        return nomem(c);
    }
    if (put(&c->out, c->piece.s, c->piece.n))
        return nomem(c);
done:
    c->piece.n = 0;
    c->space = 0;
    c->dash = 0;
    return rc;
}

/* Flushes the piece and sets who speaks the next one. */
static int speaker_change(conv *c, const char *name, size_t n, int dash)
{
    int rc = flush(c);
    if (rc)
        return rc;
    free(c->voice);
    c->voice = NULL;
    c->dash = dash;
    if (name && !(c->voice = strndup(name, n)))
        return nomem(c);
    return 0;
}

/* A voice tag's name ("v.loud Karin  Ek"): blanks collapsed, classes left
 * out, cut before a "(", "[" or ":", which a label cannot hold. Sets the
 * speaker; an empty name is none. */
static int voice_tag(conv *c, const char *s, size_t n)
{
    size_t i = 1;
    while (i < n && s[i] != ' ' && s[i] != '\t')
        i++; /* ".class.class" */
    char name[256];
    size_t k = 0;
    int blank = 0;
    for (; i < n && k + 1 < sizeof name; i++) {
        if (s[i] == '(' || s[i] == '[' || s[i] == ':')
            break; /* "Dr. Berg (läkare)": what cannot stand in a label */
        if (s[i] == ' ' || s[i] == '\t') {
            blank = k > 0;
            continue;
        }
        if (blank)
            name[k++] = ' ';
        blank = 0;
        if (k + 1 < sizeof name)
            name[k++] = s[i];
    }
    /* do not cut a character in two */
    while (k && kbi_utf8_invalid_at((const unsigned char *)name, k) < k)
        k--;
    return speaker_change(c, k ? name : NULL, k, 0);
}

/* A character reference of WebVTT at s[0] ("&amp;", "&#229;"): writes its
 * UTF-8 to u (up to 4 bytes, none for &lrm; and &rlm;) and returns its
 * length in s, or 0 if it is none. */
static size_t reference(const char *s, size_t n, char *u, size_t *ulen)
{
    static const struct {
        const char *name, *text;
    } NAMED[] = {{"&amp;", "&"},         {"&lt;", "<"},  {"&gt;", ">"},
                 {"&nbsp;", "\xC2\xA0"}, {"&lrm;", ""},  {"&rlm;", ""},
                 {"&quot;", "\""},       {"&apos;", "'"}};
    for (size_t k = 0; k < sizeof NAMED / sizeof NAMED[0]; k++) {
        size_t len = strlen(NAMED[k].name);
        if (len <= n && !memcmp(s, NAMED[k].name, len)) {
            *ulen = strlen(NAMED[k].text);
            memcpy(u, NAMED[k].text, *ulen);
            return len;
        }
    }
    if (n < 4 || s[1] != '#')
        return 0;
    size_t i = 2;
    int hex = s[i] == 'x' || s[i] == 'X';
    i += (size_t)hex;
    long cp = 0;
    size_t d0 = i;
    for (; i < n && i - d0 < 7; i++) {
        char ch = s[i];
        int v = ch >= '0' && ch <= '9'          ? ch - '0'
                : hex && ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
                : hex && ch >= 'A' && ch <= 'F' ? ch - 'A' + 10
                                                : -1;
        if (v < 0)
            break;
        cp = cp * (hex ? 16 : 10) + v;
    }
    if (i == d0 || i >= n || s[i] != ';' || cp < 0x20 || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF) || (cp >= 0x7F && cp < 0xA0))
        return 0;
    unsigned char *o = (unsigned char *)u;
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        *ulen = 1;
    } else if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | cp >> 6);
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        *ulen = 2;
    } else if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | cp >> 12);
        o[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        *ulen = 3;
    } else {
        o[0] = (unsigned char)(0xF0 | cp >> 18);
        o[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
        o[3] = (unsigned char)(0x80 | (cp & 0x3F));
        *ulen = 4;
    }
    return i + 1;
}

/* The length of a tag at s[0]: "<" and a letter, "/" or digit (a WebVTT
 * timestamp tag) up to ">", or "{\" up to "}" (SRT's override codes); 0 if
 * s does not start one. */
static size_t tag_at(const char *s, size_t n)
{
    char close;
    if (n >= 3 && s[0] == '<' &&
        ((s[1] >= 'a' && s[1] <= 'z') || (s[1] >= 'A' && s[1] <= 'Z') ||
         (s[1] >= '0' && s[1] <= '9') || s[1] == '/'))
        close = '>';
    else if (n >= 3 && s[0] == '{' && s[1] == '\\')
        close = '}';
    else
        return 0;
    const char *e = memchr(s, close, n);
    return e ? (size_t)(e - s) + 1 : 0;
}

/* A label at the start of a cue line: "Name: " or "[Name] ", the name
 * shaped as the parser's labels are. Returns the length up to the text, 0
 * if none; [*l0, *l1) is the name. */
static size_t label_at(const char *s, size_t n, size_t *l0, size_t *l1)
{
    if (n && s[0] == '[') {
        const char *e = memchr(s, ']', n);
        if (!e)
            return 0;
        size_t p = (size_t)(e - s);
        if (p < 2 || (p + 1 < n && s[p + 1] != ' ' && s[p + 1] != '\t') ||
            !kbi_name_shaped(s, 1, p) || kbi_note_word(s + 1, p - 1))
            return 0;
        *l0 = 1;
        *l1 = p;
        return p + 1;
    }
    for (size_t p = 0; p < n && p < 60; p++) {
        if (s[p] == '(' || s[p] == '[' || s[p] == '<')
            return 0;
        if (s[p] == ':' &&
            (p + 1 == n || s[p + 1] == ' ' || s[p + 1] == '\t')) {
            if (p == 0 || !kbi_name_shaped(s, 0, p))
                return 0;
            *l0 = 0;
            *l1 = p;
            return p + 1;
        }
    }
    return 0;
}

/* One line of a cue's text. */
static int cue_line(conv *c, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    int rc;
    if (i < n && s[i] == '-' && (i + 1 == n || s[i + 1] == ' ')) {
        if ((rc = speaker_change(c, NULL, 0, 1)))
            return rc;
        c->dash_line = c->line;
        i++;
        while (i < n && s[i] == ' ')
            i++;
    } else {
        c->space = 1; /* lines of a cue are joined with a blank */
    }
    int at_start = 1;
    while (i < n) {
        size_t t = tag_at(s + i, n - i);
        if (t) {
            if (s[i] == '<' && s[i + 1] == 'v' &&
                (s[i + 2] == '>' || s[i + 2] == '.' || s[i + 2] == ' ' ||
                 s[i + 2] == '\t')) {
                if ((rc = voice_tag(c, s + i + 1, t - 2)))
                    return rc;
                at_start = 0;
            } else if (t == 4 && !memcmp(s + i, "</v>", 4)) {
                if ((rc = speaker_change(c, NULL, 0, 0)))
                    return rc;
            }
            i += t;
            continue;
        }
        size_t l0, l1, l;
        if (at_start && (l = label_at(s + i, n - i, &l0, &l1))) {
            if ((rc = speaker_change(c, s + i + l0, l1 - l0, 0)))
                return rc;
            i += l;
            at_start = 0;
            continue;
        }
        at_start = 0;
        size_t run = 1;
        if (c->vtt && s[i] == '&') {
            char u[4];
            size_t ulen;
            size_t r = reference(s + i, n - i, u, &ulen);
            if (r) {
                if (piece_put(c, u, ulen))
                    return nomem(c);
                i += r;
                continue;
            }
        }
        while (i + run < n && s[i + run] != '<' && s[i + run] != '{' &&
               s[i + run] != '&')
            run++;
        if (piece_put(c, s + i, run))
            return nomem(c);
        i += run;
    }
    return 0;
}

/*
 * A time at s[*i]: [hh:]mm:ss with "." or "," and up to three digits of
 * fraction (hours of any number of digits). Advances *i; -1 if malformed.
 */
static int cue_time(const char *s, size_t *i, size_t end, int64_t *ms)
{
    long part[3];
    int np = 0;
    for (;;) {
        size_t d0 = *i;
        long v = 0;
        while (*i < end && s[*i] >= '0' && s[*i] <= '9' && *i - d0 < 6)
            v = v * 10 + (s[(*i)++] - '0');
        if (*i == d0 || np == 3 || (np > 0 && *i - d0 != 2))
            return -1;
        part[np++] = v;
        if (*i < end && s[*i] == ':') {
            (*i)++;
            continue;
        }
        break;
    }
    if (np < 2 || (np == 3 && part[1] > 59) || part[np - 1] > 59)
        return -1;
    long frac = 0;
    if (*i < end && (s[*i] == '.' || s[*i] == ',')) {
        (*i)++;
        size_t d0 = *i;
        while (*i < end && s[*i] >= '0' && s[*i] <= '9' && *i - d0 < 3)
            frac = frac * 10 + (s[(*i)++] - '0');
        if (*i == d0 || (*i < end && s[*i] >= '0' && s[*i] <= '9'))
            return -1;
        for (size_t k = *i - d0; k < 3; k++)
            frac *= 10;
    }
    long h = np == 3 ? part[0] : 0, m = part[np - 2], sec = part[np - 1];
    *ms = ((int64_t)h * 3600 + m * 60 + sec) * 1000 + frac;
    return 0;
}

/* Reads the time line s[0..n) (line `line`), "start --> end settings",
 * into c->time_ms. */
static int time_line(conv *c, const char *s, size_t n, int line)
{
    const char *form = c->vtt ? "hh:mm:ss.ttt" : "hh:mm:ss,ttt";
    size_t i = 0;
    int64_t end_ms;
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    size_t bad = i;
    if (cue_time(s, &i, n, &c->time_ms) == 0) {
        while (i < n && (s[i] == ' ' || s[i] == '\t'))
            i++;
        if (i + 3 <= n && !memcmp(s + i, "-->", 3)) {
            i += 3;
            while (i < n && (s[i] == ' ' || s[i] == '\t'))
                i++;
            bad = i;
            if (cue_time(s, &i, n, &end_ms) == 0 &&
                (i == n || s[i] == ' ' || s[i] == '\t'))
                goto ok;
        }
    }
    return kbi_fail_at(c->err, KB_EFORMAT, c->file, line,
                       (int)kbi_utf8_count(s, bad) + 1,
                       "not a cue time line: expected %s --> %s", form, form);
ok:
    if (c->time_ms / 3600000 > MAX_HOURS)
        return kbi_fail_at(c->err, KB_EFORMAT, c->file, line, 1,
                           "a cue at %d hours or more cannot be kept as a "
                           "timestamp",
                           MAX_HOURS + 1);
    return 0;
}

/* Does the line s[0..n) start with the word w, then a blank or its end? */
static int starts_word(const char *s, size_t n, const char *w)
{
    size_t k = strlen(w);
    return n >= k && !memcmp(s, w, k) &&
           (n == k || s[k] == ' ' || s[k] == '\t');
}

/* Does s[0..n) hold "-->", the mark of a time line? */
static int has_arrow(const char *s, size_t n)
{
    for (size_t i = 0; i + 3 <= n; i++)
        if (s[i] == '-' && s[i + 1] == '-' && s[i + 2] == '>')
            return 1;
    return 0;
}

typedef struct span {
    size_t b, e;
} span;

/* The cues of the decoded text into c->out. */
static int read_cues(conv *c, const char *text, size_t len)
{
    span *lines = NULL;
    size_t nlines = 0, cap = 0;
    for (size_t p = 0; p < len;) {
        const char *nl = memchr(text + p, '\n', len - p);
        size_t e = nl ? (size_t)(nl - text) : len;
        if (KBI_GROW(&lines, &cap, nlines + 1)) {
            free(lines);
            return nomem(c);
        }
        lines[nlines++] = (span){p, e};
        p = e + 1;
    }
    int rc = 0, had_cue = 0;
    size_t l = 0;
#define LINE(k)  (text + lines[k].b), (lines[k].e - lines[k].b)
#define BLANK(k) (strspn(text + lines[k].b, " \t") >= lines[k].e - lines[k].b)
    if (c->vtt) {
        if (!nlines || !starts_word(LINE(0), "WEBVTT")) {
            rc = kbi_fail_at(c->err, KB_EFORMAT, c->file, 1, 1,
                             "not WebVTT: the first line must be WEBVTT");
            goto out;
        }
        while (l < nlines && !BLANK(l) && !has_arrow(LINE(l)))
            l++; /* the header */
    }
    while (l < nlines) {
        if (BLANK(l)) {
            l++;
            continue;
        }
        size_t b = l;
        while (l < nlines && !BLANK(l))
            l++;
        /* the block is lines [b, l) */
        if (c->vtt &&
            (starts_word(LINE(b), "NOTE") || starts_word(LINE(b), "STYLE") ||
             starts_word(LINE(b), "REGION")))
            continue;
        size_t t = b;
        if (!has_arrow(LINE(b)))
            t = b + 1 < l && has_arrow(LINE(b + 1)) ? b + 1 : l;
        if (t == l) {
            size_t n = lines[b].e - lines[b].b;
            if (strspn(text + lines[b].b, "0123456789") == n) {
                rc = kbi_fail_at(c->err, KB_EFORMAT, c->file,
                                 (int)(b + 1 < l ? b + 2 : b + 1), 1,
                                 "a cue number without a time line "
                                 "(start --> end)");
                goto out;
            }
            if (!had_cue) {
                rc = kbi_fail_at(c->err, KB_EFORMAT, c->file, (int)b + 1, 1,
                                 "text before the first cue (no line "
                                 "start --> end)");
                goto out;
            }
        } else {
            if ((rc = flush(c)) || (rc = time_line(c, LINE(t), (int)t + 1)))
                goto out;
            had_cue = 1;
            free(c->voice);
            c->voice = NULL; /* a voice lasts to the end of its cue */
            t++;
        }
        /* the text lines, [t, l) */
        for (size_t k = (t == l ? b : t); k < l; k++) {
            c->line = (int)k + 1;
            if ((rc = cue_line(c, LINE(k))))
                goto out;
        }
        c->space = 0;
    }
#undef LINE
#undef BLANK
    if ((rc = flush(c)))
        goto out;
    if (!c->out.n) {
        rc = kbi_fail_at(c->err, KB_EFORMAT, c->file, 0, 0,
                         "no cue has any text");
        goto out;
    }
    if (put(&c->out, "\n", 1))
        rc = nomem(c);
out:
    free(lines);
    return rc;
}

static int convert(char **out, size_t *len, const unsigned char *raw, size_t n,
                   const char *file, kb_notice_fn notice, void *ctx,
                   kb_error *err, int vtt)
{
    *out = NULL;
    *len = 0;
    char *text;
    size_t tlen;
    const char *encoding;
    int rc = kbi_text_decode(&text, &tlen, &encoding, raw, n, file, err);
    if (rc)
        return rc;
    if (notice && strcmp(encoding, "utf-8") != 0) {
        char msg[600];
        snprintf(msg, sizeof msg, "%s: not UTF-8; read as %s", file, encoding);
        notice(ctx, msg);
    }
    conv c = {
        .file = file, .notice = notice, .ctx = ctx, .err = err, .vtt = vtt};
    rc = read_cues(&c, text, tlen);
    free(text);
    free(c.turn);
    free(c.voice);
    free(c.piece.s);
    if (rc) {
        free(c.out.s);
        return rc;
    }
    *out = c.out.s;
    *len = c.out.n;
    return 0;
}

int kbi_vtt_to_text(char **out, size_t *len, const unsigned char *raw, size_t n,
                    const char *file, kb_notice_fn notice, void *ctx,
                    kb_error *err)
{
    return convert(out, len, raw, n, file, notice, ctx, err, 1);
}

int kbi_srt_to_text(char **out, size_t *len, const unsigned char *raw, size_t n,
                    const char *file, kb_notice_fn notice, void *ctx,
                    kb_error *err)
{
    return convert(out, len, raw, n, file, notice, ctx, err, 0);
}

/* The first bytes of raw as ASCII, without a byte order mark: UTF-16 read a
 * unit at a time, anything else byte by byte. Returns the length. */
static size_t head(char *h, size_t cap, const unsigned char *raw, size_t len)
{
    size_t i = 0, step = 1, lo = 0;
    if (len >= 3 && raw[0] == 0xEF && raw[1] == 0xBB && raw[2] == 0xBF) {
        i = 3;
    } else if (len >= 2 && raw[0] == 0xFF && raw[1] == 0xFE) {
        i = 2, step = 2, lo = 0;
    } else if (len >= 2 && raw[0] == 0xFE && raw[1] == 0xFF) {
        i = 2, step = 2, lo = 1;
    }
    size_t k = 0;
    for (; i + step - 1 < len && k + 1 < cap; i += step) {
        if (step == 2 && raw[i + 1 - lo] != 0)
            break;
        h[k++] = (char)raw[i + lo];
    }
    h[k] = '\0';
    return k;
}

int kbi_vtt_sniff(const unsigned char *raw, size_t len)
{
    char h[16];
    size_t n = head(h, sizeof h, raw, len);
    return n >= 6 && !memcmp(h, "WEBVTT", 6) &&
           (n == 6 || h[6] == ' ' || h[6] == '\t' || h[6] == '\r' ||
            h[6] == '\n');
}

int kbi_srt_sniff(const unsigned char *raw, size_t len)
{
    char h[128];
    size_t n = head(h, sizeof h, raw, len), i = 0;
    while (i < n && (h[i] == '\r' || h[i] == '\n' || h[i] == ' '))
        i++;
    size_t d = i;
    while (i < n && h[i] >= '0' && h[i] <= '9')
        i++;
    if (i == d)
        return 0;
    while (i < n && (h[i] == ' ' || h[i] == '\t'))
        i++;
    if (i < n && h[i] == '\r')
        i++;
    if (i >= n || h[i] != '\n')
        return 0;
    i++;
    size_t e = i;
    while (e < n && h[e] != '\r' && h[e] != '\n')
        e++;
    int64_t ms;
    size_t p = i;
    if (cue_time(h, &p, e, &ms))
        return 0;
    while (p < e && h[p] == ' ')
        p++;
    return p + 3 <= e && !memcmp(h + p, "-->", 3);
}
