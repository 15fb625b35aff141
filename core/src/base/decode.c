/*
 * decode.c: decoding transcript bytes into the one form kodbok stores (NFC
 * UTF-8, LF line ends, no control characters but tab and newline).
 *
 * Invariant: kbi_text_decode's output is valid UTF-8, so later stages may
 * match with PCRE2_NO_UTF_CHECK.
 */
#include "base/decode.h"
#include "base/error.h"
#include "base/file.h"
#include "base/grow.h"
#include "base/swar.h"
#include "base/utf8.h"

#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

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
            uint64_t w = kbi_load8(s + i);
            uint64_t ctl = kbi_below(w, 0x20);
            if (ctl && (ctl & ~(kbi_below(w ^ (KBI_ONES * '\n'), 1) |
                                kbi_below(w ^ (KBI_ONES * '\t'), 1))))
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

int kbi_bytes_hold(const unsigned char *raw, size_t len, const char *needle)
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

const char *kbi_office_format(const unsigned char *raw, size_t len,
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
    if (kbi_bytes_hold(raw, len,
                       "mimetypeapplication/vnd.oasis.opendocument.text"))
        return "an OpenDocument text (ODT)";
    if (kbi_bytes_hold(raw, len, "word/"))
        return "a Word document (DOCX)";
    *save_as = "CSV";
    if (kbi_bytes_hold(
            raw, len, "mimetypeapplication/vnd.oasis.opendocument.spreadsheet"))
        return "an OpenDocument spreadsheet (ODS)";
    if (kbi_bytes_hold(raw, len, "xl/"))
        return "an Excel workbook (XLSX)";
    *save_as = "plain text (.txt)";
    if (kbi_bytes_hold(raw, len, "ppt/"))
        return "a PowerPoint presentation (PPTX)";
    return "a ZIP archive";
}

/* Share of bytes >= 0x80 above which non-UTF-8 input is taken as binary. */
#define BINARY_HIGH_SHARE 0.3

/*
 * Whether raw holds UTF-8 text of a kind Windows-1252 text never has: a
 * letter of Latin-1 (U+0080 to U+00FF: å, ä, ö, é, no-break space) or
 * general punctuation (U+2000 to U+2FFF: dashes, curly quotation marks),
 * as UTF-8. In Windows-1252 those bytes read as a capital A with a mark,
 * or an a with a circumflex, followed by symbols: the look of text
 * decoded wrongly, not of text written so.
 */
static int has_utf8_letters(const unsigned char *raw, size_t len)
{
    for (size_t i = 0; i + 1 < len; i++) {
        unsigned char c = raw[i];
        if (c != 0xC2 && c != 0xC3 && c != 0xE2)
            continue;
        size_t k = kbi_utf8_seqlen(c);
        if (i + k <= len && kbi_utf8_invalid_at(raw + i, k) == k)
            return 1;
    }
    return 0;
}

/* Refuses what no encoding makes a transcript of: an empty file, and
 * Word, OpenDocument, RTF and PDF files. */
static int check_bytes(const unsigned char *raw, size_t len, const char *file,
                       kb_error *err)
{
    if (len == 0)
        return kbi_fail_at(err, KB_EFORMAT, file, 0, 0, "empty file");
    const char *save_as, *format = kbi_office_format(raw, len, &save_as);
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
    } else if (has_utf8_letters(raw, len)) {
        /* UTF-8 but for some bytes (a line pasted from a Windows-1252
         * file): read as Windows-1252, every other å would be garbled */
        size_t at = kbi_utf8_invalid_at(raw, len);
        int line, col;
        position_of((const char *)raw, at, &line, &col);
        return kbi_fail_at(err, KB_EFORMAT, file, line, col,
                           "invalid UTF-8 (byte 0x%02X) in a file that is "
                           "UTF-8 elsewhere: correct this line, or give the "
                           "file's encoding (`encoding`) to read all of it "
                           "in that",
                           raw[at]);
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
/* Reading and decoding a file                                              */
/* ------------------------------------------------------------------------ */

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

int kbi_text_read(char **out, size_t *len, const char **encoding,
                  const char *given, const unsigned char *raw, size_t rawlen,
                  const char *path, kb_notice_fn notice, void *ctx,
                  kb_error *err)
{
    int rc;
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
    if (!rc)
        drop_c1(*out, len, path, notice, ctx);
    return rc;
}

int kbi_text_load(char **out, size_t *len, const char **encoding,
                  const char *given, const char *path, kbi_input kind,
                  kb_notice_fn notice, void *ctx, kb_error *err)
{
    unsigned char *raw;
    size_t rawlen;
    int rc = kbi_file_read(&raw, &rawlen, path, kind, err);
    if (rc)
        return rc;
    rc = kbi_text_read(out, len, encoding, given, raw, rawlen, path, notice,
                       ctx, err);
    free(raw);
    return rc;
}

int kbi_text_normalise(char **out, size_t *len, const char *text, size_t n,
                       const char *file, kb_notice_fn notice, void *ctx,
                       kb_error *err)
{
    char *copy;
    size_t m;
    int rc =
        take_utf8(&copy, &m, (const unsigned char *)text, n, "", file, err);
    if (!rc)
        rc = finish_text(out, len, copy, m, file, err);
    if (!rc)
        drop_c1(*out, len, file, notice, ctx);
    return rc;
}
