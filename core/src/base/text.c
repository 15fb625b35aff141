/*
 * text.c: decoding transcript bytes into the one form kodbok stores (NFC
 * UTF-8, LF line ends, no control characters but tab and newline) and the
 * Swedish sentence splitter.
 *
 * Invariants: kbi_text_decode's output is valid UTF-8, so later stages may
 * match with PCRE2_NO_UTF_CHECK; sentence spans never cross the paragraph
 * they were cut from and never start or end with white space.
 */
#define _XOPEN_SOURCE 700 /* realpath (XSI) beside the build's POSIX 2008 */
#include "base/text.h"
#include "base/error.h"
#include "base/grow.h"

#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <pthread.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utf8proc.h>

/* ------------------------------------------------------------------------ */
/* Reading files                                                             */
/* ------------------------------------------------------------------------ */

int kbi_file_read(unsigned char **out, size_t *len, const char *path,
                  kb_error *err)
{
    *out = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        int e = errno;
        return kbi_fail_at(err, e == ENOENT ? KB_ENOENT : KB_EIO, path, 0, 0,
                           "%s", e == ENOENT ? "no such file" : strerror(e));
    }
    /* Room for the whole file at once when its size is known, and a byte
     * more so that the read that finds the end needs no more. */
    struct stat sb;
    size_t cap = 1 << 16, n = 0;
    if (fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 0)
        cap = (size_t)sb.st_size + 1;
    unsigned char *buf = malloc(cap);
    if (!buf) {
        fclose(f);
        return kbi_fail_at(err, KB_ENOMEM, path, 0, 0, "out of memory");
    }
    for (;;) {
        if (n == cap) {
            unsigned char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                fclose(f);
                return kbi_fail_at(err, KB_ENOMEM, path, 0, 0, "out of memory");
            }
            buf = nb;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    int bad = ferror(f);
    int e = errno;
    fclose(f);
    if (bad) {
        free(buf);
        /* Reading a directory fails here with EISDIR. */
        return kbi_fail_at(err, KB_EIO, path, 0, 0, "%s",
                           e == EISDIR ? "is a directory" : strerror(e));
    }
    *out = buf;
    *len = n;
    return 0;
}

static void position_of(const char *s, size_t at, int *line, int *col);

/*
 * Leaves out the C1 controls U+0080 to U+009F, which no transcript means to
 * hold: they come of Windows-1252's quotation marks, dashes and euro sign
 * read as ISO-8859-1 (or of a file once converted so). Says how many, and
 * where the first stood, through `notice`.
 */
static void drop_c1(char *s, size_t *len, const char *path, kb_notice_fn notice,
                    void *ctx)
{
    size_t n = *len, o = 0, dropped = 0;
    int line = 0, col = 0;
    unsigned first = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] >= 0x80 &&
            (unsigned char)s[i + 1] <= 0x9F) {
            if (!dropped++) {
                first = (unsigned char)s[i + 1];
                position_of(s, i, &line, &col);
            }
            i++;
            continue;
        }
        s[o++] = (char)c;
    }
    if (!dropped)
        return;
    s[o] = '\0';
    *len = o;
    if (notice) {
        char msg[700];
        snprintf(msg, sizeof msg,
                 "%s:%d:%d: %zu control character%s (U+0080 to U+009F) left "
                 "out, the first U+%04X: bytes that Windows-1252 reads as "
                 "quotation marks, dashes or the euro sign; if the file is in "
                 "windows-1252, import it with that encoding",
                 path, line, col, dropped, dropped == 1 ? "" : "s", first);
        notice(ctx, msg);
    }
}

int kbi_text_load(char **out, size_t *len, const char **encoding,
                  const char *given, const char *path, kb_notice_fn notice,
                  void *ctx, kb_error *err)
{
    unsigned char *raw;
    size_t rawlen;
    int rc = kbi_file_read(&raw, &rawlen, path, err);
    if (rc)
        return rc;
    if (given) {
        rc = kbi_text_decode_as(out, len, given, raw, rawlen, path, err);
        *encoding = rc ? NULL : given;
    } else {
        rc = kbi_text_decode(out, len, encoding, raw, rawlen, path, err);
        if (!rc && notice && strcmp(*encoding, "utf-8") != 0) {
            char msg[600];
            snprintf(msg, sizeof msg, "%s: not UTF-8; read as %s", path,
                     *encoding);
            notice(ctx, msg);
        }
    }
    free(raw);
    if (!rc)
        drop_c1(*out, len, path, notice, ctx);
    return rc;
}

int kbi_file_temp_beside(char **tmp, const char *path, kb_error *err)
{
    size_t size = strlen(path) + 40;
    if (!(*tmp = malloc(size)))
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    for (int i = 0;; i++) {
        snprintf(*tmp, size, "%s.%ld-%d.tmp", path, (long)getpid(), i);
        int fd = open(*tmp, O_WRONLY | O_CREAT | O_EXCL, 0666);
        if (fd >= 0) {
            close(fd);
            return 0;
        }
        if (errno != EEXIST || i == 99) {
            int e = errno;
            free(*tmp);
            *tmp = NULL;
            return kbi_fail_at(err, KB_EIO, path, 0, 0, "cannot write: %s",
                               strerror(e));
        }
    }
}

int kbi_file_target(char **out, int *regular, const char *path, kb_error *err)
{
    /* realpath fails where a link names no path (/dev/stdout on a pipe is
     * "pipe:[...]"), but stat still tells what is there */
    char *real = realpath(path, NULL);
    struct stat st;
    *regular = stat(real ? real : path, &st) != 0 || S_ISREG(st.st_mode);
    *out = real ? real : strdup(path);
    return *out ? 0 : kbi_fail(err, KB_ENOMEM, "out of memory");
}

/* Opens `file`, writes it through write() and closes it; errors name
 * `path`. */
static int write_through(const char *file, const char *path,
                         kbi_file_write_fn write, void *ctx, kb_error *err)
{
    FILE *f = fopen(file, "wb");
    if (!f)
        return kbi_fail_at(err, KB_EIO, path, 0, 0, "cannot write: %s",
                           strerror(errno));
    int rc = write(ctx, f, err);
    int bad = ferror(f), e = errno;
    if (fclose(f) && !rc)
        rc = kbi_fail_at(err, KB_EIO, path, 0, 0, "cannot write: %s",
                         strerror(errno));
    else if (bad && !rc)
        rc = kbi_fail_at(err, KB_EIO, path, 0, 0, "cannot write: %s",
                         strerror(e));
    return rc;
}

int kbi_file_write_atomic(const char *path, kbi_file_write_fn write, void *ctx,
                          kb_error *err)
{
    char *target, *tmp = NULL;
    int regular;
    int rc = kbi_file_target(&target, &regular, path, err);
    if (rc)
        return rc;
    if (!regular) {
        rc = write_through(target, path, write, ctx, err);
        free(target);
        return rc;
    }
    if (!(rc = kbi_file_temp_beside(&tmp, target, err)) &&
        !(rc = write_through(tmp, path, write, ctx, err)) &&
        rename(tmp, target))
        rc = kbi_fail_at(err, KB_EIO, path, 0, 0, "cannot write: %s",
                         strerror(errno));
    if (rc && tmp)
        unlink(tmp);
    free(tmp);
    free(target);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* UTF-8 helpers                                                             */
/* ------------------------------------------------------------------------ */

int kbi_utf8_is_word(int32_t cp)
{
    utf8proc_category_t c = utf8proc_category(cp);
    return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_ND) ||
           c == UTF8PROC_CATEGORY_NL || c == UTF8PROC_CATEGORY_NO;
}

size_t kbi_utf8_seqlen(unsigned char c)
{
    if (c < 0x80)
        return 1;
    if (c >= 0xF0)
        return 4;
    if (c >= 0xE0)
        return 3;
    if (c >= 0xC0)
        return 2;
    return 1;
}

void kbi_name_list_add(char *buf, size_t size, const char *name)
{
    size_t len = strlen(buf);
    if (len >= 3 && !strcmp(buf + len - 3, "..."))
        return;
    const char *sep = len ? ", " : "";
    if (len + strlen(sep) + strlen(name) + 6 < size)
        snprintf(buf + len, size - len, "%s%s", sep, name);
    else
        snprintf(buf + len, size - len, "%s...", sep);
}

size_t kbi_edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), prev[64], cur[64];
    if (lb >= 64 || la >= 64)
        return 99;
    for (size_t j = 0; j <= lb; j++)
        prev[j] = j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
            size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
            cur[j] =
                sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
        }
        memcpy(prev, cur, (lb + 1) * sizeof *prev);
    }
    return prev[lb];
}

int kbi_char_width(const char *p, size_t *k)
{
    if ((unsigned char)*p >= 0x20 && (unsigned char)*p < 0x7f) {
        *k = 1; /* printable ASCII: one cell */
        return 1;
    }
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)p, -1, &cp);
    *k = n > 0 ? (size_t)n : 1;
    if (n <= 0 || cp == '\t')
        return 1;
    return utf8proc_charwidth(cp);
}

const char *kb_time_text(char *buf, int64_t ms)
{
    int64_t s = ms / 1000, frac = ms % 1000;
    if (frac)
        snprintf(buf, 32,
                 "%02" PRId64 ":%02" PRId64 ":%02" PRId64 ".%03" PRId64,
                 s / 3600, s / 60 % 60, s % 60, frac);
    else
        snprintf(buf, 32, "%02" PRId64 ":%02" PRId64 ":%02" PRId64, s / 3600,
                 s / 60 % 60, s % 60);
    return buf;
}

int kb_text_width(const char *s)
{
    int widest = 0, w = 0;
    for (size_t k; s && *s; s += k) {
        if (*s == '\n') {
            k = 1;
            w = 0;
            continue;
        }
        w += kbi_char_width(s, &k);
        if (w > widest)
            widest = w;
    }
    return widest;
}

#define ONES  0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

static uint64_t load8(const void *p)
{
    uint64_t w;
    memcpy(&w, p, 8);
    return w;
}

/* The high bit of each byte of w that is below k (k <= 0x80), exactly: the
 * low seven bits plus 0x80 - k carry into bit 7 iff they reach k, and no
 * carry crosses a byte. */
static uint64_t below(uint64_t w, unsigned k)
{
    uint64_t t = (w & ~HIGHS) + ONES * (0x80 - k);
    return ~(t | w) & HIGHS;
}

size_t kbi_utf8_count(const char *s, size_t n)
{
    /* Continuation bytes are 10xxxxxx: count them eight at a time. The
     * marks are one bit a byte, so shifted down and multiplied by ONES they
     * add up in the top byte (no popcount instruction needed). */
    size_t cont = 0, i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w = load8(s + i);
        cont += (size_t)((((w & ~(w << 1) & HIGHS) >> 7) * ONES) >> 56);
    }
    for (; i < n; i++)
        cont += ((unsigned char)s[i] & 0xC0) == 0x80;
    return n - cont;
}

size_t kbi_utf8_offset(const char *s, size_t n, size_t cps)
{
    size_t i = 0;
    for (; i < n && cps; cps--)
        i += kbi_utf8_seqlen((unsigned char)s[i]);
    return i < n ? i : n;
}

int kbi_utf8_mark_at(const char *s, size_t n, size_t at)
{
    if (at >= n)
        return 0;
    utf8proc_int32_t cp;
    if (utf8proc_iterate((const utf8proc_uint8_t *)s + at,
                         (utf8proc_ssize_t)(n - at), &cp) < 0)
        return 0;
    const utf8proc_property_t *p = utf8proc_get_property(cp);
    return p->combining_class || p->category == UTF8PROC_CATEGORY_MN ||
           p->category == UTF8PROC_CATEGORY_MC ||
           p->category == UTF8PROC_CATEGORY_ME;
}

size_t kbi_utf8_invalid_at(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        if (i + 8 <= len && !(load8(s + i) & HIGHS)) {
            i += 8; /* eight ASCII bytes */
            continue;
        }
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t n =
            utf8proc_iterate(s + i, (utf8proc_ssize_t)(len - i), &cp);
        if (n < 0)
            return i;
        i += (size_t)n;
    }
    return len;
}

const char *kbi_text_list_next(const char **v, size_t *n)
{
    const char *s = *v;
    if (!s || !*s)
        return NULL;
    while (*s == ' ')
        s++;
    const char *e = strchr(s, ',');
    size_t len = e ? (size_t)(e - s) : strlen(s);
    *v = s + len + (e != NULL);
    while (len && s[len - 1] == ' ')
        len--;
    *n = len;
    return s;
}

/* Line and column (1-based, columns in code points) of byte offset `at`;
 * a line ends at LF, or at a CR no LF follows. */
static void position_of(const char *s, size_t at, int *line, int *col)
{
    int l = 1;
    size_t ls = 0;
    for (size_t i = 0; i < at; i++)
        if (s[i] == '\n' || (s[i] == '\r' && i + 1 < at && s[i + 1] != '\n')) {
            l++;
            ls = i + 1;
        }
    *line = l;
    *col = (int)kbi_utf8_count(s + ls, at - ls) + 1;
}

/* ------------------------------------------------------------------------ */
/* Decoding                                                                  */
/* ------------------------------------------------------------------------ */

/* Converts with iconv into a fresh UTF-8 buffer. */
static int convert(char **out, size_t *out_len, const char *from,
                   const unsigned char *raw, size_t len, const char *file,
                   kb_error *err)
{
    iconv_t cd = iconv_open("UTF-8", from);
    if (cd == (iconv_t)-1)
        return kbi_fail_at(err, KB_EIO, file, 0, 0,
                           "cannot convert from %s on this system", from);
    size_t cap = len * 2 + 16;
    char *buf = malloc(cap + 1);
    if (!buf) {
        iconv_close(cd);
        return kbi_fail_at(err, KB_ENOMEM, file, 0, 0, "out of memory");
    }
    char *in = (char *)raw, *op = buf;
    size_t inleft = len, outleft = cap;
    while (inleft > 0) {
        size_t r = iconv(cd, &in, &inleft, &op, &outleft);
        if (r != (size_t)-1)
            break;
        if (errno == E2BIG) {
            size_t used = (size_t)(op - buf);
            char *nb = realloc(buf, cap * 2 + 1);
            if (!nb) {
                free(buf);
                iconv_close(cd);
                return kbi_fail_at(err, KB_ENOMEM, file, 0, 0, "out of memory");
            }
            buf = nb;
            cap *= 2;
            op = buf + used;
            outleft = cap - used;
            continue;
        }
        /* where the bad bytes start in the text decoded so far */
        int e = errno, line, col;
        *op = '\0';
        position_of(buf, (size_t)(op - buf), &line, &col);
        unsigned char bad = (unsigned char)*in;
        free(buf);
        iconv_close(cd);
        if (e == EINVAL)
            return kbi_fail_at(err, KB_EFORMAT, file, line, col,
                               "the file ends inside a %s character", from);
        return kbi_fail_at(err, KB_EFORMAT, file, line, col,
                           "byte 0x%02X is not valid %s", bad, from);
    }
    iconv_close(cd);
    *out = buf;
    *out_len = (size_t)(op - buf);
    buf[*out_len] = '\0';
    return 0;
}

/* Copies into a NUL-terminated buffer of its own. */
static int copy_utf8(char **out, size_t *out_len, const unsigned char *raw,
                     size_t len, const char *file, kb_error *err)
{
    char *buf = malloc(len + 1);
    if (!buf)
        return kbi_fail_at(err, KB_ENOMEM, file, 0, 0, "out of memory");
    memcpy(buf, raw, len);
    buf[len] = '\0';
    *out = buf;
    *out_len = len;
    return 0;
}

/*
 * CRLF and CR to LF, vertical tab and form feed (Word's manual breaks) to
 * LF, a trailing ^Z dropped; any other C0 control is refused.
 */
static int normalise_lines(char *s, size_t *len, const char *file,
                           kb_error *err)
{
    size_t n = *len, o = 0;
    if (n && s[n - 1] == 0x1A)
        n--;
    for (size_t i = 0; i < n; i++) {
        /* Eight bytes at a time while none is a control but LF and tab. */
        while (i + 8 <= n) {
            uint64_t w = load8(s + i);
            uint64_t ctl = below(w, 0x20);
            if (ctl && (ctl & ~(below(w ^ (ONES * '\n'), 1) |
                                below(w ^ (ONES * '\t'), 1))))
                break;
            if (o != i)
                memmove(s + o, s + i, 8);
            o += 8;
            i += 8;
        }
        if (i >= n)
            break;
        unsigned char c = (unsigned char)s[i];
        if (c == '\r') {
            s[o++] = '\n';
            if (i + 1 < n && s[i + 1] == '\n')
                i++;
        } else if (c == '\v' || c == '\f') {
            s[o++] = '\n';
        } else if (c < 0x20 && c != '\n' && c != '\t') {
            int line, col;
            s[o] = '\0';
            position_of(s, o, &line, &col);
            return kbi_fail_at(err, KB_EFORMAT, file, line, col,
                               c ? "not a text file (control character "
                                   "0x%02X)"
                                 : "not a text file (NUL byte 0x%02X)",
                               c);
        } else {
            s[o++] = (char)c;
        }
    }
    s[o] = '\0';
    *len = o;
    return 0;
}

int kbi_nfc_inert(int32_t cp)
{
    if (cp < 0x300)
        return 1;
    if (cp > 0x10FFFF || (cp >= 0x1160 && cp < 0x1200)) /* Hangul V, T */
        return 0;
    const utf8proc_property_t *p = utf8proc_get_property(cp);
    if (p->combining_class || p->comp_exclusion ||
        p->category == UTF8PROC_CATEGORY_MN ||
        p->category == UTF8PROC_CATEGORY_MC ||
        p->category == UTF8PROC_CATEGORY_ME)
        return 0;
    /* NFC keeps it as it is: no singleton or other one-way mapping */
    utf8proc_uint8_t in[4], *out = NULL;
    utf8proc_ssize_t n = utf8proc_encode_char(cp, in);
    utf8proc_ssize_t m =
        utf8proc_map(in, n, &out, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
    int same = m == n && !memcmp(in, out, (size_t)n);
    free(out);
    return same;
}

/* Memo of kbi_nfc_inert over the Basic Multilingual Plane: 0 not asked, 1
 * inert, 2 not. One per document, allocated at its first code point above
 * U+02FF. */
typedef struct inert_memo {
    unsigned char *v;
} inert_memo;

/* True if every code point of s[0..len) is NFC-inert: then the line is NFC
 * as it stands. Most lines of Swedish text are ASCII, Latin-1 and general
 * punctuation, and never reach utf8proc. */
static int surely_nfc(inert_memo *memo, const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        /* U+0300 is CC 80; lead bytes below CC start code points < U+0300. */
        if (c < 0xCC) {
            i++;
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                              (utf8proc_ssize_t)(len - i), &cp);
        if (n <= 0 || cp > 0xFFFF)
            return 0;
        if (!memo->v && !(memo->v = calloc(0x10000, 1)))
            return 0;
        if (!memo->v[cp])
            memo->v[cp] = kbi_nfc_inert(cp) ? 1 : 2;
        if (memo->v[cp] != 1)
            return 0;
        i += (size_t)n;
    }
    return 1;
}

typedef struct growbuf {
    char *s;
    size_t n, cap;
} growbuf;

static int grow_put(growbuf *g, const void *p, size_t n)
{
    if (KBI_GROW(&g->s, &g->cap, g->n + n + 1))
        return -1;
    memcpy(g->s + g->n, p, n);
    g->n += n;
    g->s[g->n] = '\0';
    return 0;
}

/*
 * NFC, line by line: no composition crosses a newline, lines below U+0300
 * are NFC already, and utf8proc's four bytes per code point then cost the
 * longest line rather than the whole document. A new buffer is made only
 * when some line changes.
 */
static int to_nfc(char **text, size_t *len, const char *file, kb_error *err)
{
    const char *s = *text;
    size_t n = *len, i = 0;
    growbuf out = {0};
    inert_memo memo = {0};
    int changed = 0;
    while (i < n) {
        const char *nl = memchr(s + i, '\n', n - i);
        size_t e = nl ? (size_t)(nl - s) + 1 : n;
        if (surely_nfc(&memo, s + i, e - i)) {
            if (changed && grow_put(&out, s + i, e - i))
                goto nomem;
            i = e;
            continue;
        }
        utf8proc_uint8_t *dst = NULL;
        utf8proc_ssize_t m = utf8proc_map((const utf8proc_uint8_t *)s + i,
                                          (utf8proc_ssize_t)(e - i), &dst,
                                          UTF8PROC_STABLE | UTF8PROC_COMPOSE);
        if (m < 0) {
            free(out.s);
            free(memo.v);
            return kbi_fail_at(
                err, m == UTF8PROC_ERROR_NOMEM ? KB_ENOMEM : KB_EFORMAT, file,
                0, 0, "cannot normalise text: %s", utf8proc_errmsg(m));
        }
        if (!changed &&
            ((size_t)m != e - i || memcmp(dst, s + i, (size_t)m) != 0)) {
            changed = 1;
            if (grow_put(&out, s, i)) {
                free(dst);
                goto nomem;
            }
        }
        int bad = changed && grow_put(&out, dst, (size_t)m);
        free(dst);
        if (bad)
            goto nomem;
        i = e;
    }
    free(memo.v);
    if (changed) {
        free(*text);
        *text = out.s;
        *len = out.n;
    }
    return 0;
nomem:
    free(memo.v);
    free(out.s);
    return kbi_fail_at(err, KB_ENOMEM, file, 0, 0, "out of memory");
}

static int has_nul(const unsigned char *raw, size_t len, size_t *at)
{
    const unsigned char *p = memchr(raw, 0, len);
    if (!p)
        return 0;
    *at = (size_t)(p - raw);
    return 1;
}

/* Is `needle` among the first `len` bytes of `raw`? */
static int holds(const unsigned char *raw, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    for (const unsigned char *p = raw; len >= n;) {
        const unsigned char *c = memchr(p, needle[0], len - n + 1);
        if (!c)
            return 0;
        if (!memcmp(c, needle, n))
            return 1;
        len -= (size_t)(c - p) + 1;
        p = c + 1;
    }
    return 0;
}

/*
 * Word processor, spreadsheet and PDF files, known by their first bytes (a
 * ZIP package by the names of its parts): "a Word document (DOCX)", and
 * what to save it as instead. NULL for anything else.
 */
static const char *office_format(const unsigned char *raw, size_t len,
                                 const char **save_as)
{
    *save_as = "plain text (.txt)";
    if (len >= 5 && !memcmp(raw, "%PDF-", 5))
        return "a PDF file";
    if (len >= 5 && !memcmp(raw, "{\\rtf", 5))
        return "a Rich Text document (RTF)";
    if (len >= 8 && !memcmp(raw, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8))
        return "an Office 97-2003 document (DOC or XLS)";
    if (len < 4 || memcmp(raw, "PK\x03\x04", 4))
        return NULL;
    /* ODF puts its media type first, stored as it is, after the part's
     * name "mimetype"; OOXML names its parts word/, xl/, ppt/. */
    if (holds(raw, len, "mimetypeapplication/vnd.oasis.opendocument.text"))
        return "an OpenDocument text (ODT)";
    if (holds(raw, len, "word/"))
        return "a Word document (DOCX)";
    *save_as = "CSV";
    if (holds(raw, len,
              "mimetypeapplication/vnd.oasis.opendocument.spreadsheet"))
        return "an OpenDocument spreadsheet (ODS)";
    if (holds(raw, len, "xl/"))
        return "an Excel workbook (XLSX)";
    *save_as = "plain text (.txt)";
    if (holds(raw, len, "ppt/"))
        return "a PowerPoint presentation (PPTX)";
    return "a ZIP archive";
}

/* Share of bytes >= 0x80 above which non-UTF-8 input is taken as binary. */
#define BINARY_HIGH_SHARE 0.3

/* Refuses what no encoding makes a transcript of: an empty file, and
 * Word, OpenDocument, RTF and PDF files. */
static int check_bytes(const unsigned char *raw, size_t len, const char *file,
                       kb_error *err)
{
    if (len == 0)
        return kbi_fail_at(err, KB_EFORMAT, file, 0, 0, "empty file");
    const char *save_as, *format = office_format(raw, len, &save_as);
    if (format)
        return kbi_fail_at(err, KB_EFORMAT, file, 0, 0,
                           "%s; save it as %s and import that", format,
                           save_as);
    return 0;
}

/* Valid UTF-8 into a buffer of its own, or an error at the first bad
 * byte, saying `after` ("" or " after a UTF-8 byte order mark"). */
static int take_utf8(char **out, size_t *out_len, const unsigned char *raw,
                     size_t len, const char *after, const char *file,
                     kb_error *err)
{
    size_t at = kbi_utf8_invalid_at(raw, len);
    if (at < len) {
        int line, col;
        position_of((const char *)raw, at, &line, &col);
        return kbi_fail_at(err, KB_EFORMAT, file, line, col,
                           "invalid UTF-8%s (byte 0x%02X)", after, raw[at]);
    }
    return copy_utf8(out, out_len, raw, len, file, err);
}

/* Decoded text made NFC with LF line ends, refused when it has control
 * characters or nothing but white space; frees it on failure. */
static int finish_text(char **out, size_t *out_len, char *text, size_t n,
                       const char *file, kb_error *err)
{
    int rc;
    if ((rc = normalise_lines(text, &n, file, err)) != 0 ||
        (rc = to_nfc(&text, &n, file, err)) != 0) {
        free(text);
        return rc;
    }
    size_t i = 0;
    while (i < n && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n'))
        i++;
    if (i == n) {
        free(text);
        return kbi_fail_at(err, KB_EFORMAT, file, 0, 0,
                           "empty file (white space only)");
    }
    *out = text;
    *out_len = n;
    return 0;
}

int kbi_text_encoding_check(const char *name, kb_error *err)
{
    iconv_t cd = iconv_open("UTF-8", name);
    if (cd == (iconv_t)-1)
        return kbi_fail(err, KB_EINVAL,
                        "unknown encoding '%s' (names as iconv knows them: "
                        "utf-8, windows-1252, iso-8859-1, utf-16le, mac, ...)",
                        name);
    iconv_close(cd);
    return 0;
}

int kbi_text_decode_as(char **out, size_t *out_len, const char *encoding,
                       const unsigned char *raw, size_t len, const char *file,
                       kb_error *err)
{
    *out = NULL;
    *out_len = 0;
    char *text = NULL;
    size_t n = 0;
    int rc = check_bytes(raw, len, file, err);
    if (rc)
        return rc;
    if (!strcasecmp(encoding, "utf-8") || !strcasecmp(encoding, "utf8")) {
        size_t bom = len >= 3 && !memcmp(raw, "\xEF\xBB\xBF", 3) ? 3 : 0;
        rc = take_utf8(&text, &n, raw + bom, len - bom, "", file, err);
    } else {
        rc = convert(&text, &n, encoding, raw, len, file, err);
    }
    if (rc)
        return rc;
    /* a byte order mark the encoding's name did not take (UTF-16LE) */
    if (n >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3)) {
        memmove(text, text + 3, n - 2);
        n -= 3;
    }
    return finish_text(out, out_len, text, n, file, err);
}

int kbi_text_decode(char **out, size_t *out_len, const char **encoding,
                    const unsigned char *raw, size_t len, const char *file,
                    kb_error *err)
{
    *out = NULL;
    *out_len = 0;
    *encoding = NULL;
    int rc = check_bytes(raw, len, file, err);
    if (rc)
        return rc;

    char *text = NULL;
    size_t n = 0;
    static const struct {
        const char *bom;
        size_t len;
        const char *name;
    } boms[] = {
        {"\x00\x00\xFE\xFF", 4, "UTF-32BE"},
        {"\xFF\xFE\x00\x00", 4, "UTF-32LE"},
        {"\xFE\xFF", 2, "UTF-16BE"},
        {"\xFF\xFE", 2, "UTF-16LE"},
        {"\xEF\xBB\xBF", 3, "UTF-8"},
    };
    static const char *names[] = {"utf-32be", "utf-32le", "utf-16be",
                                  "utf-16le", "utf-8"};
    for (size_t b = 0; b < sizeof boms / sizeof boms[0]; b++) {
        if (len < boms[b].len || memcmp(raw, boms[b].bom, boms[b].len) != 0)
            continue;
        const unsigned char *body = raw + boms[b].len;
        size_t blen = len - boms[b].len;
        if (b == 4)
            rc = take_utf8(&text, &n, body, blen,
                           " after a UTF-8 byte order mark", file, err);
        else
            rc = convert(&text, &n, boms[b].name, body, blen, file, err);
        if (rc)
            return rc;
        *encoding = names[b];
        goto decoded;
    }

    size_t nul_at;
    if (has_nul(raw, len, &nul_at)) {
        int line, col;
        position_of((const char *)raw, nul_at, &line, &col);
        return kbi_fail_at(err, KB_EFORMAT, file, line, col,
                           "not a text file (NUL byte; binary, or UTF-16 "
                           "without a byte order mark)");
    }
    if (kbi_utf8_invalid_at(raw, len) == len) {
        rc = copy_utf8(&text, &n, raw, len, file, err);
        *encoding = "utf-8";
    } else {
        size_t high = 0;
        for (size_t i = 0; i < len; i++)
            high += raw[i] >= 0x80;
        if ((double)high > BINARY_HIGH_SHARE * (double)len)
            return kbi_fail_at(err, KB_EFORMAT, file, 0, 0,
                               "not a text file (not UTF-8 and %zu%% of its "
                               "bytes are not ASCII)",
                               high * 100 / len);
        rc = convert(&text, &n, "WINDOWS-1252", raw, len, file, NULL);
        *encoding = "windows-1252";
        if (rc) {
            rc = convert(&text, &n, "ISO-8859-1", raw, len, file, err);
            *encoding = "iso-8859-1";
        }
    }
    if (rc)
        return rc;

decoded:
    if ((rc = finish_text(out, out_len, text, n, file, err)) != 0)
        *encoding = NULL;
    return rc;
}

/* ------------------------------------------------------------------------ */
/* Case folding                                                              */
/* ------------------------------------------------------------------------ */

/* Appends the fold of code point cp (Unicode full case folding, by
 * utf8proc) at out, which has room for 16 bytes; returns its length. */
static size_t fold_cp(utf8proc_int32_t cp, unsigned char *out)
{
    utf8proc_int32_t buf[4];
    int bound = 0;
    utf8proc_ssize_t m =
        utf8proc_decompose_char(cp, buf, 4, UTF8PROC_CASEFOLD, &bound);
    if (m < 0 || m > 4) {
        buf[0] = cp;
        m = 1;
    }
    size_t n = 0;
    for (utf8proc_ssize_t j = 0; j < m; j++)
        n += (size_t)utf8proc_encode_char(buf[j], out + n);
    return n;
}

/* The folds of U+0080..U+07FF, the code points of two UTF-8 bytes (Latin
 * letters beyond ASCII, Greek, Cyrillic), worked out once by fold_cp. */
typedef struct fold2 {
    unsigned char len, b[7]; /* len 0: longer, fold it one by one */
} fold2;
static fold2 FOLD2[0x800];
static pthread_once_t fold2_once = PTHREAD_ONCE_INIT;

static void fold2_init(void)
{
    for (utf8proc_int32_t cp = 0x80; cp < 0x800; cp++) {
        unsigned char b[16];
        size_t n = fold_cp(cp, b);
        if (n <= sizeof FOLD2[cp].b) {
            FOLD2[cp].len = (unsigned char)n;
            memcpy(FOLD2[cp].b, b, n);
        }
    }
}

int kbi_fold_text(char **out, size_t *len, size_t *cap, const char *s, size_t n,
                  int *same)
{
    pthread_once(&fold2_once, fold2_init);
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, o = *len;
    int keep = 1;
    while (i < n) {
        if (o + 24 > *cap && KBI_GROW(out, cap, o + (n - i) + 24))
            return -1;
        unsigned char *d = (unsigned char *)*out + o;
        if (i + 8 <= n) {
            /* ASCII eight at a time: A-Z get 0x20, other bytes (non-ASCII
             * ones too) stay; the bytes up to the first non-ASCII one are
             * kept */
            uint64_t w = load8(u + i);
            uint64_t lowered = w | (below(w, 'Z' + 1) & ~below(w, 'A')) >> 2;
            size_t ascii = 8;
            if (w & HIGHS)
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
                ascii = (size_t)__builtin_ctzll(w & HIGHS) / 8;
#else
                ascii = (size_t)__builtin_clzll(w & HIGHS) / 8;
#endif
            if (ascii) {
                memcpy(d, &lowered, 8);
                i += ascii;
                o += ascii;
                continue;
            }
        }
        unsigned c = u[i];
        if (c < 0x80) {
            *d = (unsigned char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
            i++;
            o++;
            continue;
        }
        if (c >= 0xC2 && c < 0xE0 && i + 1 < n && (u[i + 1] & 0xC0) == 0x80) {
            const fold2 *f = &FOLD2[(c & 0x1F) << 6 | (u[i + 1] & 0x3F)];
            if (f->len) {
                memcpy(d, f->b, f->len);
                keep &= f->len == 2;
                o += f->len;
                i += 2;
                continue;
            }
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t k =
            utf8proc_iterate(u + i, (utf8proc_ssize_t)(n - i), &cp);
        if (k <= 0) { /* not UTF-8: left out */
            keep = 0;
            i++;
            continue;
        }
        size_t m = fold_cp(cp, d);
        keep &= m == (size_t)k;
        o += m;
        i += (size_t)k;
    }
    if (o + 1 > *cap && KBI_GROW(out, cap, o + 1))
        return -1;
    (*out)[o] = '\0';
    *len = o;
    if (same)
        *same = keep;
    return 0;
}

int kbi_fold(char **out, size_t *len, size_t *cap, const char *s, size_t n)
{
    return kbi_fold_text(out, len, cap, s, n, NULL);
}

/* What a code point of typed text stands for when quotes are compared:
 * ' ', '"', '\'' or '-' for the marks that are typed one for another, or 0
 * for a code point compared by its case fold. */
static int loose_class(utf8proc_int32_t cp)
{
    switch (cp) {
    case '\t':
    case '\n':
    case '\r':
        return ' ';
    case '"':
    case 0x00AB: /* « */
    case 0x00BB: /* » */
    case 0x201C: /* “ */
    case 0x201D: /* ” */
    case 0x201E: /* „ */
    case 0x201F: /* ‟ */
    case 0x2033: /* ″ */
        return '"';
    case '\'':
    case '`':
    case 0x00B4: /* ´ */
    case 0x2018: /* ‘ */
    case 0x2019: /* ’ */
    case 0x201A: /* ‚ */
    case 0x201B: /* ‛ */
    case 0x2032: /* ′ */
    case 0x2039: /* ‹ */
    case 0x203A: /* › */
        return '\'';
    case '-':
    case 0x2212: /* − */
    case 0xFE58: /* ﹘ */
    case 0xFE63: /* ﹣ */
    case 0xFF0D: /* － */
        return '-';
    }
    if (cp >= 0x2010 && cp <= 0x2015) /* ‐ ‑ ‒ – — ― */
        return '-';
    if (utf8proc_category(cp) == UTF8PROC_CATEGORY_ZS)
        return ' ';
    return 0;
}

int kbi_fold_loose(char **out, size_t *len, size_t **from, const char *s,
                   size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t capf = n + 16, capa = n + 16, o = 0;
    char *f = malloc(capf);
    size_t *at = malloc(capa * sizeof *at);
    if (!f || !at)
        goto oom;
    for (size_t i = 0; i < n;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k =
            utf8proc_iterate(u + i, (utf8proc_ssize_t)(n - i), &cp);
        if (k <= 0) { /* not UTF-8: left out */
            i++;
            continue;
        }
        unsigned char b[16];
        int cls = loose_class(cp);
        size_t m = 1;
        if (cls == ' ' && o && f[o - 1] == ' ')
            m = 0; /* a run of white space is one space */
        else if (cls)
            b[0] = (unsigned char)cls;
        else
            m = fold_cp(cp, b);
        if (KBI_GROW(&f, &capf, o + m + 1) || KBI_GROW(&at, &capa, o + m + 1))
            goto oom;
        for (size_t j = 0; j < m; j++) {
            f[o] = (char)b[j];
            at[o++] = i;
        }
        i += (size_t)k;
    }
    f[o] = '\0';
    at[o] = n;
    *out = f;
    *len = o;
    *from = at;
    return 0;
oom:
    free(f);
    free(at);
    return -1;
}

/* ------------------------------------------------------------------------ */
/* Sentences                                                                 */
/* ------------------------------------------------------------------------ */

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
 * byte equal to c is a zero byte of w ^ (ONES * c); the test for a zero
 * byte may also flag a byte above a zero one, never one in a word that has
 * none. */
static int may_end_here(uint64_t w)
{
#define ZERO(x) (((x)-ONES) & ~(x)&HIGHS)
    return (ZERO(w ^ (ONES * '.')) | ZERO(w ^ (ONES * '!')) |
            ZERO(w ^ (ONES * '?')) | ZERO(w ^ (ONES * 0xE2))) != 0;
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
        while (i + 8 <= len && !may_end_here(load8(s + i)))
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
