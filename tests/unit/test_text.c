/*
 * test_text.c: decoding of transcript bytes (base/decode.c), the UTF-8
 * helpers and case folding (base/utf8.c, base/fold.c) and the Swedish
 * sentence splitter (ingest/sentences.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "base/decode.h"
#include "base/utf8.h"
#include "base/fold.h"
#include "ingest/sentences.h"

#include <utf8proc.h>

/* Decodes raw bytes; returns the code and leaves text in *out. */
static int decode(const char *raw, size_t len, char **out, const char **enc,
                  kb_error *err)
{
    size_t n;
    return kbi_text_decode(out, &n, enc, (const unsigned char *)raw, len,
                           "t.txt", err);
}

static void test_utf8_plain_and_bom(void **state)
{
    (void)state;
    char *t;
    const char *enc;
    kb_error err;
    assert_int_equal(decode("R: hej\n", 7, &t, &enc, &err), 0);
    assert_string_equal(t, "R: hej\n");
    assert_string_equal(enc, "utf-8");
    free(t);
    assert_int_equal(decode("\xEF\xBB\xBFR: h\xC3\xA5", 9, &t, &enc, &err), 0);
    assert_string_equal(t, "R: h\xC3\xA5");
    assert_string_equal(enc, "utf-8");
    free(t);
}

static void test_decode_as(void **state)
{
    (void)state;
    char *t;
    size_t n;
    kb_error err;
    /* UTF-16LE with its BOM, given: the BOM is dropped */
    const char le[] = "\xFF\xFER\x00\xE5\x00";
    assert_int_equal(kbi_text_decode_as(&t, &n, "utf-16le",
                                        (const unsigned char *)le,
                                        sizeof le - 1, "t.txt", &err),
                     0);
    assert_string_equal(t, "R\xC3\xA5");
    free(t);
    /* Mac Roman with CR line ends; an invalid byte after two lines is
     * placed by the text decoded before it */
    const char mac[] = "I: p\x8C\rR: m\x8Cnga";
    assert_int_equal(kbi_text_decode_as(&t, &n, "mac",
                                        (const unsigned char *)mac,
                                        sizeof mac - 1, "t.txt", &err),
                     0);
    assert_string_equal(t, "I: p\xC3\xA5\nR: m\xC3\xA5nga");
    free(t);
    const char bad[] = "I: \x93ja\x94\rR: n\xE5\r\n\x81";
    assert_int_equal(kbi_text_decode_as(&t, &n, "windows-1252",
                                        (const unsigned char *)bad,
                                        sizeof bad - 1, "t.txt", &err),
                     KB_EFORMAT);
    assert_int_equal(err.line, 3);
    assert_int_equal(err.column, 1);
    assert_int_equal(kbi_text_encoding_check("mac", &err), 0);
    assert_int_equal(kbi_text_encoding_check("no-such-code", &err), KB_EINVAL);
}

static void test_list_next(void **state)
{
    (void)state;
    const char *v = " Johanna Lind ,, Per Ek", *item;
    size_t n;
    assert_non_null(item = kbi_text_list_next(&v, &n));
    assert_int_equal(n, 12);
    assert_memory_equal(item, "Johanna Lind", 12);
    assert_non_null(kbi_text_list_next(&v, &n));
    assert_int_equal(n, 0);
    assert_non_null(item = kbi_text_list_next(&v, &n));
    assert_memory_equal(item, "Per Ek", n);
    assert_int_equal(n, 6);
    assert_null(kbi_text_list_next(&v, &n));
}

static void test_utf16_with_bom(void **state)
{
    (void)state;
    char *t;
    const char *enc;
    kb_error err;
    /* "Rå\r\n" in UTF-16LE and UTF-16BE with BOMs */
    const char le[] = "\xFF\xFER\x00\xE5\x00\r\x00\n\x00";
    assert_int_equal(decode(le, sizeof le - 1, &t, &enc, &err), 0);
    assert_string_equal(t, "R\xC3\xA5\n");
    assert_string_equal(enc, "utf-16le");
    free(t);
    const char be[] = "\xFE\xFF\x00R\x00\xE5";
    assert_int_equal(decode(be, sizeof be - 1, &t, &enc, &err), 0);
    assert_string_equal(t, "R\xC3\xA5");
    assert_string_equal(enc, "utf-16be");
    free(t);
}

static void test_windows_1252(void **state)
{
    (void)state;
    char *t;
    const char *enc;
    kb_error err;
    /* "Vårdcentral – bra" with å = E5 and en dash = 96 */
    const char raw[] = "V\xE5rdcentral \x96 bra";
    assert_int_equal(decode(raw, sizeof raw - 1, &t, &enc, &err), 0);
    assert_string_equal(t, "V\xC3\xA5rdcentral \xE2\x80\x93 bra");
    assert_string_equal(enc, "windows-1252");
    free(t);
}

static void test_line_ends_and_nfc(void **state)
{
    (void)state;
    char *t;
    const char *enc;
    kb_error err;
    assert_int_equal(decode("a\r\nb\rc\n", 7, &t, &enc, &err), 0);
    assert_string_equal(t, "a\nb\nc\n");
    free(t);
    /* a + combining ring above (macOS) becomes one code point å */
    assert_int_equal(decode("Va\xCC\x8Ardcentral", 13, &t, &enc, &err), 0);
    assert_string_equal(t, "V\xC3\xA5rdcentral");
    assert_int_equal(kbi_utf8_count(t, strlen(t)), 11);
    free(t);
}

/*
 * The NFC fast path trusts kbi_nfc_inert. Checked over all of Unicode
 * against utf8proc itself: an inert code point is unchanged by NFC alone,
 * and neither it nor the first part of its decomposition is ever a later
 * part of any canonical decomposition (so nothing before it can compose
 * with it), nor a Hangul vowel or trailing consonant.
 */
static void test_nfc_inert_exhaustive(void **state)
{
    (void)state;
    unsigned char *later = calloc(0x110000, 1);
    assert_non_null(later);
    utf8proc_int32_t d[32];
    for (utf8proc_int32_t cp = 0; cp < 0x110000; cp++) {
        utf8proc_ssize_t n =
            utf8proc_decompose_char(cp, d, 32, UTF8PROC_DECOMPOSE, NULL);
        for (utf8proc_ssize_t k = 1; k < n; k++)
            later[d[k]] = 1;
    }
    for (utf8proc_int32_t cp = 0x1161; cp <= 0x11C2; cp++)
        later[cp] = 1;
    size_t inert = 0;
    for (utf8proc_int32_t cp = 0; cp < 0x110000; cp++) {
        if ((cp >= 0xD800 && cp < 0xE000) || !kbi_nfc_inert(cp))
            continue;
        inert++;
        utf8proc_ssize_t n =
            utf8proc_decompose_char(cp, d, 32, UTF8PROC_DECOMPOSE, NULL);
        assert_true(n >= 1);
        if (later[cp] || later[d[0]] ||
            utf8proc_get_property(d[0])->combining_class)
            fail_msg("U+%04X is not inert", (unsigned)cp);
        utf8proc_uint8_t in[4], *out = NULL;
        utf8proc_ssize_t len = utf8proc_encode_char(cp, in);
        utf8proc_ssize_t m =
            utf8proc_map(in, len, &out, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
        if (m != len || memcmp(in, out, (size_t)len))
            fail_msg("NFC changes U+%04X", (unsigned)cp);
        free(out);
    }
    /* ASCII, å ä ö, typographic quotes and dashes are inert; combining
     * marks, U+212B ANGSTROM SIGN (NFC: Å) and Hangul vowels are not. */
    assert_true(inert > 100000);
    static const int32_t yes[] = {'a',    0xE5,   0xE4,   0xF6,  0xC5,
                                  0x201D, 0x2013, 0x2026, 0xAC00};
    static const int32_t no[] = {0x300, 0x30A, 0x212B, 0x2126, 0x1161, 0x11A8};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        assert_true(kbi_nfc_inert(yes[i]));
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        assert_false(kbi_nfc_inert(no[i]));
    free(later);
}

/* Lines with and without the fast path: an Angstrom sign and a decomposed
 * å are composed, the typographic punctuation beside them is kept. */
static void test_nfc_mixed_lines(void **state)
{
    (void)state;
    char *t;
    const char *enc;
    kb_error err;
    const char *raw = "\xE2\x80\x9DJa\xE2\x80\x9D \xE2\x80\x93 s\xC3\xA5\n"
                      "\xE2\x84\xAB och a\xCC\x8A \xE2\x80\xA6\n";
    assert_int_equal(decode(raw, strlen(raw), &t, &enc, &err), 0);
    assert_string_equal(t, "\xE2\x80\x9DJa\xE2\x80\x9D \xE2\x80\x93 s\xC3\xA5\n"
                           "\xC3\x85 och \xC3\xA5 \xE2\x80\xA6\n");
    free(t);
}

/* Line ends and controls at every offset of the eight-byte scan, next to
 * LF and tab (which are kept) and to each other. */
static void test_controls_at_every_offset(void **state)
{
    (void)state;
    static const char ctl[] = {'\v', '\f', '\r', '\n', '\t', 0x01, 0x1F};
    for (size_t at = 0; at < 24; at++)
        for (size_t k = 0; k < sizeof ctl; k++) {
            char raw[64], want[64];
            memset(raw, 'a', sizeof raw);
            raw[40] = '\0';
            raw[at] = ctl[k];
            raw[at + 1] = '\n'; /* "\v\n", "\r\n", ... */
            raw[at + 2] = '\t';
            memcpy(want, raw, sizeof want);
            size_t len = 40, wlen = 40;
            if (ctl[k] == '\v' || ctl[k] == '\f')
                want[at] = '\n';
            if (ctl[k] == '\r') { /* CRLF: one LF */
                memmove(want + at, want + at + 1, 40 - at);
                wlen--;
            }
            char *t;
            const char *enc;
            kb_error err;
            int rc = decode(raw, len, &t, &enc, &err);
            if (ctl[k] == 0x01 || ctl[k] == 0x1F) {
                assert_int_equal(rc, KB_EFORMAT);
                assert_int_equal(err.line, 1);
                assert_int_equal(err.column, (int)at + 1);
                continue;
            }
            assert_int_equal(rc, 0);
            assert_int_equal(strlen(t), wlen);
            assert_memory_equal(t, want, wlen);
            free(t);
        }
}

/* The eight-at-a-time count against one byte at a time. */
static void test_utf8_count(void **state)
{
    (void)state;
    unsigned x = 12345;
    for (int round = 0; round < 2000; round++) {
        char s[48];
        size_t n = (size_t)round % sizeof s, want = 0;
        for (size_t i = 0; i < n; i++) {
            x = x * 1103515245u + 12345u;
            s[i] = (char)(x >> 16);
            want += ((unsigned char)s[i] & 0xC0) != 0x80;
        }
        assert_int_equal(kbi_utf8_count(s, n), want);
    }
}

static void test_refusals(void **state)
{
    (void)state;
    char *t = NULL;
    const char *enc;
    kb_error err;
    assert_int_equal(decode("", 0, &t, &enc, &err), KB_EFORMAT);
    assert_string_equal(err.message, "empty file");
    assert_int_equal(decode(" \n\t\n", 4, &t, &enc, &err), KB_EFORMAT);
    assert_int_equal(decode("ab\ncd\x00", 6, &t, &enc, &err), KB_EFORMAT);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, 3);
    assert_string_equal(err.file, "t.txt");
    assert_int_equal(decode("ok\n\x01x", 5, &t, &enc, &err), KB_EFORMAT);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, 1);
    /* mostly high bytes, not UTF-8: binary */
    const char bin[] = "\x89\xF0\xA3\xC9\xFE\xE8\x81\xD3";
    assert_int_equal(decode(bin, sizeof bin - 1, &t, &enc, &err), KB_EFORMAT);
    assert_null(t);
}

/* ---- sentences --------------------------------------------------------- */

typedef struct collected {
    char out[16][256];
    size_t n;
    const char *src;
} collected;

static void collect(void *ctx, size_t s, size_t e)
{
    collected *c = ctx;
    assert_true(c->n < 16);
    memcpy(c->out[c->n], c->src + s, e - s);
    c->out[c->n][e - s] = '\0';
    c->n++;
}

static collected split(const char *s)
{
    collected c = {.src = s};
    size_t n = kbi_sentences_split(s, strlen(s), collect, &c);
    assert_int_equal(n, c.n);
    return c;
}

static void expect(const char *in, size_t n, ...)
{
    collected c = split(in);
    va_list ap;
    va_start(ap, n);
    if (c.n != n) {
        for (size_t i = 0; i < c.n; i++)
            print_error("  got [%s]\n", c.out[i]);
    }
    assert_int_equal(c.n, n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(c.out[i], va_arg(ap, const char *));
    va_end(ap);
}

/* kbi_fold_text against utf8proc_map's case folding, over every code point
 * in blocks of 64 between ASCII runs (so the eight-at-a-time path and the
 * two-byte table are both crossed), and its same-length flag. */
static void test_fold_exhaustive(void **state)
{
    (void)state;
    char *out = NULL;
    size_t cap = 0;
    for (int32_t base = 0; base < 0x110000; base += 64) {
        unsigned char in[64 * 4 + 64 * 12];
        size_t n = 0;
        int same = 1;
        for (int32_t cp = base; cp < base + 64; cp++) {
            if (cp == 0 || (cp >= 0xD800 && cp < 0xE000))
                continue;
            memcpy(in + n, "xAbCdEfGhIj", 11);
            n += 11;
            utf8proc_ssize_t k = utf8proc_encode_char(cp, in + n);
            utf8proc_uint8_t *one = NULL;
            utf8proc_ssize_t m =
                utf8proc_map(in + n, k, &one, UTF8PROC_CASEFOLD);
            assert_true(m > 0);
            same &= m == k;
            free(one);
            n += (size_t)k;
        }
        utf8proc_uint8_t *want = NULL;
        utf8proc_ssize_t wn =
            utf8proc_map(in, (utf8proc_ssize_t)n, &want, UTF8PROC_CASEFOLD);
        assert_true(wn >= 0);
        size_t len = 0;
        int got_same = -1;
        assert_int_equal(
            kbi_fold_text(&out, &len, &cap, (const char *)in, n, &got_same), 0);
        if (len != (size_t)wn || memcmp(out, want, len))
            fail_msg("fold differs in U+%04X..U+%04X", (unsigned)base,
                     (unsigned)base + 63);
        assert_int_equal(got_same, same);
        free(want);
    }
    /* appended to what is there, and kept terminated */
    size_t len = 3;
    memcpy(out, "ab:", 3);
    assert_int_equal(kbi_fold_text(&out, &len, &cap, "ÅSA Straße",
                                   strlen("ÅSA Straße"), NULL),
                     0);
    assert_string_equal(out, "ab:åsa strasse");
    free(out);
}

static void test_sentences_basic(void **state)
{
    (void)state;
    expect("Det fungerar. Men inte alltid! Varför då? Ingen vet.", 4,
           "Det fungerar.", "Men inte alltid!", "Varför då?", "Ingen vet.");
    expect("  En mening utan punkt  ", 1, "En mening utan punkt");
    expect("Han sa: \"Nej.\" Sedan gick han.", 2, "Han sa: \"Nej.\"",
           "Sedan gick han.");
    expect("Vad är kedjan? vem vet", 1, "Vad är kedjan? vem vet");
}

static void test_sentences_abbreviations(void **state)
{
    (void)state;
    expect("Vi har t.ex. Göteborg och bl.a. Borås med. Det räcker.", 2,
           "Vi har t.ex. Göteborg och bl.a. Borås med.", "Det räcker.");
    expect("Det var p.g.a. Covid och d.v.s. Ett nytt läge.", 1,
           "Det var p.g.a. Covid och d.v.s. Ett nytt läge.");
    expect("Den s.k. Kokboken styr. Mötet är kl. 14 i rum nr. 5 med ca. 40 "
           "personer, resp. 30.",
           2, "Den s.k. Kokboken styr.",
           "Mötet är kl. 14 i rum nr. 5 med ca. 40 personer, resp. 30.");
    expect("SIP, vårdplaner m.m. och annat osv. och mer.", 1,
           "SIP, vårdplaner m.m. och annat osv. och mer.");
    expect("Vi pratade om SIP osv. Sedan kom pandemin.", 2,
           "Vi pratade om SIP osv.", "Sedan kom pandemin.");
    expect("Enligt A. Berg är det så.", 1, "Enligt A. Berg är det så.");
}

static void test_sentences_numbers_and_ellipses(void **state)
{
    (void)state;
    expect("Det kostar 2.5 miljoner eller 3,5 procent. Sen 12.3.2020 hände "
           "det.",
           2, "Det kostar 2.5 miljoner eller 3,5 procent.",
           "Sen 12.3.2020 hände det.");
    expect("Det var... Alltså, vi visste inte. Och sen… Ja.", 2,
           "Det var... Alltså, vi visste inte.", "Och sen… Ja.");
    expect("Vi sa [...] Det blev bra. Sen slut.", 2,
           "Vi sa [...] Det blev bra.", "Sen slut.");
    expect("1. Struktur är viktigt. 2019. Det året.", 2,
           "1. Struktur är viktigt.", "2019. Det året.");
    expect("Det hände 2019. Sedan kom covid.", 2, "Det hände 2019.",
           "Sedan kom covid.");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8_plain_and_bom),
        cmocka_unit_test(test_utf16_with_bom),
        cmocka_unit_test(test_windows_1252),
        cmocka_unit_test(test_line_ends_and_nfc),
        cmocka_unit_test(test_nfc_inert_exhaustive),
        cmocka_unit_test(test_nfc_mixed_lines),
        cmocka_unit_test(test_controls_at_every_offset),
        cmocka_unit_test(test_utf8_count),
        cmocka_unit_test(test_fold_exhaustive),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_decode_as),
        cmocka_unit_test(test_list_next),
        cmocka_unit_test(test_sentences_basic),
        cmocka_unit_test(test_sentences_abbreviations),
        cmocka_unit_test(test_sentences_numbers_and_ellipses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
