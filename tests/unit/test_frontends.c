/*
 * test_frontends.c: HTML, WebVTT and SRT into transcript text
 * (core/src/ingest/html.c, subtitles.c). Each input, written here in the
 * style of our interviews with healthcare leaders, must give exactly the
 * text expected, and that text must parse (ingest/transcript.c) into the
 * same turns, paragraphs and sentences, with the same speakers, roles and
 * timestamps, as a plain-text transcript of the same talk written the way a
 * researcher would type it. Malformed inputs give one error with the line
 * and column; sniffing tells the formats from each other and from text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ingest/html.h"
#include "ingest/subtitles.h"
#include "ingest/transcript.h"

#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef int (*to_text_fn)(char **, size_t *, const unsigned char *, size_t,
                          const char *, kb_notice_fn, void *, kb_error *);

/* Notices heard, one a line. */
typedef struct heard {
    char s[4096];
} heard;

static void hear(void *ctx, const char *msg)
{
    heard *h = ctx;
    size_t n = strlen(h->s);
    snprintf(h->s + n, sizeof h->s - n, "%s\n", msg);
}

/* Converts `in` (len bytes; 0: strlen) and checks the text is `want`. */
static void converts(to_text_fn fn, const char *in, size_t len,
                     const char *file, const char *want, heard *h)
{
    char *out;
    size_t n;
    kb_error err;
    int rc = fn(&out, &n, (const unsigned char *)in, len ? len : strlen(in),
                file, h ? hear : NULL, h, &err);
    if (rc)
        fail_msg("%s: %s", file, err.message);
    if (strcmp(out, want)) {
        fprintf(stderr, "%s gave\n---\n%s---\nnot\n---\n%s---\n", file, out,
                want);
        fail();
    }
    assert_int_equal(n, strlen(out));
    free(out);
}

/* The segments of a parse, one a line: kind, speaker, role, time, text. */
static char *segments(const char *text)
{
    kbi_parse_rules *rules;
    kb_error err;
    assert_int_equal(kbi_parse_rules_new(&rules, NULL, NULL, &err), 0);
    kbi_transcript t = {0};
    assert_int_equal(kbi_transcript_parse(&t, text, strlen(text), rules, &err),
                     0);
    size_t cap = strlen(text) * 8 + 4096, n = 0;
    char *s = malloc(cap);
    assert_non_null(s);
    const kbi_tseg_array *kinds[3] = {&t.turns, &t.paras, &t.sents};
    for (int k = 0; k < 3; k++) {
        for (size_t i = 0; i < kinds[k]->n; i++) {
            const kbi_tseg *g = &kinds[k]->v[i];
            n += (size_t)snprintf(
                s + n, cap - n, "%c|%s|%s|%lld|%.*s\n", "tps"[k],
                g -> speaker >= 0 ? t.speakers[g->speaker] : "-",
                g->speaker >= 0 ? kb_role_name(t.roles[g->speaker]) : "-",
                (long long)g->time_ms, (int)(g->b1 - g->b0), text + g->b0);
            assert_true(n < cap);
        }
    }
    kbi_transcript_clear(&t);
    kbi_parse_rules_free(rules);
    return s;
}

/* The converted text and the plain transcript parse alike, and have turns. */
static void same_segments(to_text_fn fn, const char *in, size_t len,
                          const char *txt)
{
    char *out;
    size_t n;
    kb_error err;
    assert_int_equal(fn(&out, &n, (const unsigned char *)in,
                        len ? len : strlen(in), "in", NULL, NULL, &err),
                     0);
    char *a = segments(out), *b = segments(txt);
    if (strcmp(a, b)) {
        fprintf(stderr, "converted\n%s\nplain text\n%s\n", a, b);
        fail();
    }
    assert_non_null(strstr(a, "t|")); /* it has turns */
    free(a);
    free(b);
    free(out);
}

/* The error converting `in`: its code, line, column and a word of it. */
static void refuses(to_text_fn fn, const char *in, int line, int column,
                    const char *says)
{
    char *out = NULL;
    size_t n;
    kb_error err;
    assert_int_equal(fn(&out, &n, (const unsigned char *)in, strlen(in),
                        "bad.vtt", NULL, NULL, &err),
                     KB_EFORMAT);
    assert_null(out);
    assert_string_equal(err.file, "bad.vtt");
    assert_int_equal(err.line, line);
    assert_int_equal(err.column, column);
    if (!strstr(err.message, says))
        fail_msg("'%s' does not say '%s'", err.message, says);
}

/* ------------------------------------------------------------------------ */
/* WebVTT                                                                     */
/* ------------------------------------------------------------------------ */

static const char VTT[] =
    "\xEF\xBB\xBFWEBVTT - Intervju 3, vårdcentralen\r\n"
    "Kind: captions\r\n"
    "Language: sv\r\n"
    "\r\n"
    "NOTE Transkriberad automatiskt och\r\n"
    "granskad av Johanna.\r\n"
    "\r\n"
    "STYLE\r\n"
    "::cue(v[voice=\"Karin Ek\"]) { color: yellow }\r\n"
    "\r\n"
    "1\r\n"
    "00:00:01.000 --> 00:00:05.500 align:start position:10%\r\n"
    "<v Johanna Lind>Välkommen, och tack för att du\r\n"
    "ställer upp.</v>\r\n"
    "\r\n"
    "2\r\n"
    "00:00:05.500 --> 00:00:09.000\r\n"
    "<v Johanna Lind>Vill du börja med att beskriva din roll?\r\n"
    "\r\n"
    "intro-3\r\n"
    "00:09.200 --> 00:14.000 line:0\r\n"
    "<v.chef Karin  Ek>Jag är vårdenhetschef på en vårdcentral i "
    "<i>Region</i> Norrbotten.\r\n"
    "\r\n"
    "00:14.000 --> 00:19.750\r\n"
    "Vi har ungefär 12&nbsp;000 listade &amp; tre läkare.\r\n"
    "\r\n"
    "NOTE paus i inspelningen\r\n"
    "\r\n"
    "00:19.750 --> 00:23.000\r\n"
    "<v Karin Ek><c.yellow>Det</c> är mycket <00:00:21.000>att hålla "
    "ihop.</v>\r\n"
    "\r\n"
    "00:00:23.000 --> 00:00:26.000\r\n"
    "<v Johanna Lind>Hur ser samverkan ut med kommunen?</v>\r\n"
    "\r\n"
    "00:00:26.000 --> 00:00:31.000\r\n"
    "<v Karin Ek (respondent)>Den har blivit bättre sedan vi fick en "
    "gemensam "
    "&lt;SIP&gt;-rutin.\r\n";

static const char VTT_TEXT[] =
    "[00:00:01] Johanna Lind: Välkommen, och tack för att du ställer upp. "
    "Vill du börja med att beskriva din roll?\n"
    "\n"
    "[00:00:09.200] Karin Ek: Jag är vårdenhetschef på en vårdcentral i "
    "Region Norrbotten. Vi har ungefär 12\u00A0000 listade & tre läkare. "
    "Det är mycket att hålla ihop.\n"
    "\n"
    "[00:00:23] Johanna Lind: Hur ser samverkan ut med kommunen?\n"
    "\n"
    "[00:00:26] Karin Ek: Den har blivit bättre sedan vi fick en gemensam "
    "<SIP>-rutin.\n";

/* The same talk as a researcher types it, timestamps in other forms. */
static const char VTT_TXT[] =
    "(00:01) Johanna Lind: Välkommen, och tack för att du ställer upp. "
    "Vill du börja med att beskriva din roll?\n"
    "#00:00:09-2# Karin Ek: Jag är vårdenhetschef på en vårdcentral i "
    "Region Norrbotten. Vi har ungefär 12\u00A0000 listade & tre läkare. "
    "Det är mycket att hålla ihop.\n"
    "00:00:23 Johanna Lind: Hur ser samverkan ut med kommunen?\n"
    "[0:00:26] Karin Ek: Den har blivit bättre sedan vi fick en gemensam "
    "<SIP>-rutin.\n";

static void test_vtt(void **state)
{
    (void)state;
    converts(kbi_vtt_to_text, VTT, 0, "ip3.vtt", VTT_TEXT, NULL);
    same_segments(kbi_vtt_to_text, VTT, 0, VTT_TXT);
}

/* Cues without a speaker before any: paragraphs end where a cue ends a
 * sentence, each with its start time; after a speaker they continue the
 * turn. A Zoom-style "Name:" label names the speaker too. */
static void test_vtt_without_voices(void **state)
{
    (void)state;
    converts(kbi_vtt_to_text,
             "WEBVTT\n\n"
             "00:00:00.000 --> 00:00:03.000\n"
             "Vi började med att kartlägga\n\n"
             "00:00:03.000 --> 00:00:05.000\n"
             "alla flöden mellan sjukhuset och kommunen.\n\n"
             "00:00:05.000 --> 00:00:08.000\n"
             "Det tog ett halvår.\n\n"
             "00:00:08.000 --> 00:00:10.000\n"
             "Intervjuare: Varför så länge?\n\n"
             "00:00:10.000 --> 00:00:12.000\n"
             "Respondent: Alla hade sina egna system.\n\n"
             "00:00:12.000 --> 00:00:14.000\n"
             "Inget pratade med något annat.\n",
             0, "okänd.vtt",
             "[00:00:00] Vi började med att kartlägga alla flöden mellan "
             "sjukhuset och kommunen.\n\n"
             "[00:00:05] Det tog ett halvår.\n\n"
             "[00:00:08] Intervjuare: Varför så länge?\n\n"
             "[00:00:10] Respondent: Alla hade sina egna system. Inget "
             "pratade med något annat.\n",
             NULL);
}

static void test_vtt_errors(void **state)
{
    (void)state;
    refuses(kbi_vtt_to_text, "WEBVTT\n\n00:00:01.000 --> 00:0x:05.000\nHej\n",
            3, 18, "not a cue time line");
    refuses(kbi_vtt_to_text, "WEBVTT\n\n1\n00:00:01.000 -> 00:00:05.000\nHej\n",
            4, 1, "a cue number without a time line");
    refuses(kbi_vtt_to_text, "WEBVTT\n\n00:61:01 --> 00:62:05.000\nHej\n", 3, 1,
            "hh:mm:ss.ttt");
    refuses(kbi_vtt_to_text, "WEBVTT\n\nVälkommen hit.\n", 3, 1,
            "text before the first cue");
    refuses(kbi_vtt_to_text, "Välkommen hit.\n", 1, 1, "WEBVTT");
    refuses(kbi_vtt_to_text, "WEBVTT\n\nNOTE bara en anteckning\n", 0, 0,
            "no cue has any text");
}

/* ------------------------------------------------------------------------ */
/* SRT                                                                        */
/* ------------------------------------------------------------------------ */

static const char SRT[] =
    "1\r\n"
    "00:00:02,000 --> 00:00:06,000\r\n"
    "<font color=\"#ffff00\">Intervjuare: Hur länge har du arbetat\r\n"
    "som enhetschef?</font>\r\n"
    "\r\n"
    "2\r\n"
    "00:00:06,500 --> 00:00:11,000\r\n"
    "[Respondent] Sedan 2015, först inom\r\n"
    "<i>hemtjänsten</i> och sedan på äldreboendet.\r\n"
    "\r\n"
    "3\r\n"
    "00:00:11,000 --> 00:00:14,250\r\n"
    "{\\an8}Det var en stor omställning – på gott och ont.\r\n"
    "\r\n"
    "4\r\n"
    "00:00:15,000 --> 00:00:18,000\r\n"
    "Intervjuare: Vad var svårast?\r\n"
    "- Personalen, tror jag.\r\n"
    "\r\n"
    "5\r\n"
    "00:00:18,000 --> 00:00:22,000\r\n"
    "Respondent: Att få alla att dra åt samma håll.\r\n"
    "\r\n"
    "6\r\n"
    "00:00:22,000 --> 00:00:24,000\r\n"
    "[skratt] Det är inte lätt.\r\n";

static const char SRT_TEXT[] =
    "[00:00:02] Intervjuare: Hur länge har du arbetat som enhetschef?\n"
    "\n"
    "[00:00:06.500] Respondent: Sedan 2015, först inom hemtjänsten och "
    "sedan på äldreboendet. Det var en stor omställning – på gott och ont.\n"
    "\n"
    "[00:00:15] Intervjuare: Vad var svårast?\n"
    "\n"
    "[00:00:15] Personalen, tror jag.\n"
    "\n"
    "[00:00:18] Respondent: Att få alla att dra åt samma håll. [skratt] Det "
    "är inte lätt.\n";

static const char SRT_TXT[] =
    "[00:00:02] Intervjuare: Hur länge har du arbetat som enhetschef?\n"
    "[00:00:06,500] Respondent: Sedan 2015, först inom hemtjänsten och "
    "sedan på äldreboendet. Det var en stor omställning – på gott och ont.\n"
    "[00:00:15] Intervjuare: Vad var svårast?\n\n"
    "[00:00:15] Personalen, tror jag.\n"
    "[00:00:18] Respondent: Att få alla att dra åt samma håll. [skratt] Det "
    "är inte lätt.\n";

/* s in windows-1252 (caller frees; *n its length). */
static char *cp1252(const char *s, size_t *n)
{
    iconv_t cd = iconv_open("WINDOWS-1252", "UTF-8");
    assert_true(cd != (iconv_t)-1);
    size_t in = strlen(s), left = in + 1;
    char *out = malloc(left), *o = out, *i = (char *)s;
    assert_true(iconv(cd, &i, &in, &o, &left) != (size_t)-1);
    iconv_close(cd);
    *n = (size_t)(o - out);
    return out;
}

static void test_srt(void **state)
{
    (void)state;
    heard h = {{0}};
    converts(kbi_srt_to_text, SRT, 0, "ip5.srt", SRT_TEXT, &h);
    assert_string_equal(h.s, "ip5.srt:18: a cue line starting with '- ' "
                             "names no speaker; its text is a paragraph of "
                             "Intervjuare's turn\n");
    same_segments(kbi_srt_to_text, SRT, 0, SRT_TXT);
}

static void test_srt_windows_1252(void **state)
{
    (void)state;
    size_t n;
    char *raw = cp1252(SRT, &n);
    assert_non_null(memchr(raw, 0xE5, n)); /* å is one byte */
    heard h = {{0}};
    converts(kbi_srt_to_text, raw, n, "ip5.srt", SRT_TEXT, &h);
    assert_non_null(strstr(h.s, "ip5.srt: not UTF-8; read as windows-1252\n"));
    same_segments(kbi_srt_to_text, raw, n, SRT_TXT);
    free(raw);
}

/* A blank line inside a cue's text, as some tools write: more of the same
 * cue. A cue number whose time line is malformed is an error. */
static void test_srt_blocks(void **state)
{
    (void)state;
    converts(kbi_srt_to_text,
             "1\n00:00:01,000 --> 00:00:03,000\nIP3: Vi har daglig\n\n"
             "styrning vid tavlan.\n\n"
             "2\n00:00:03,000 --> 00:00:05,000\nIP3: Varje morgon.\n",
             0, "x.srt",
             "[00:00:01] IP3: Vi har daglig styrning vid tavlan. Varje "
             "morgon.\n",
             NULL);
    refuses(kbi_srt_to_text,
            "1\n00:00:01,000 --> 00:00:03,000\nIP3: Ja.\n\n"
            "2\n00:00:03,000 --> 00:00:05;000\nIP3: Nej.\n",
            6, 18, "hh:mm:ss,ttt");
}

static void test_sniff(void **state)
{
    (void)state;
#define S(fn, lit) fn((const unsigned char *)(lit), sizeof(lit) - 1)
    assert_true(S(kbi_vtt_sniff, "WEBVTT\n\n"));
    assert_true(S(kbi_vtt_sniff, "\xEF\xBB\xBFWEBVTT - titel\r\n"));
    assert_true(S(kbi_vtt_sniff, "WEBVTT"));
    assert_false(S(kbi_vtt_sniff, "WEBVTTX\n"));
    assert_false(S(kbi_vtt_sniff, "Intervjuare: WEBVTT?\n"));
    assert_true(S(kbi_srt_sniff, "1\n00:00:01,000 --> 00:00:04,000\nHej\n"));
    assert_true(
        S(kbi_srt_sniff, "\xEF\xBB\xBF\r\n12\r\n01:02:03,500 --> x\r\n"));
    assert_true(S(kbi_srt_sniff, "\xFF\xFE"
                                 "1\0\n\0"
                                 "0\0000\0:\0000\0000\0:\0000\0001\0,\0"
                                 "0\0000\0000\0 \0-\0-\0>\0"));
    assert_false(S(kbi_srt_sniff, "1. Inledning\n00:00:01 Hej\n"));
    assert_false(S(kbi_srt_sniff, "WEBVTT\n\n1\n00:00:01.000 --> x\n"));
    assert_false(S(kbi_srt_sniff, "[00:00:01] R: Ja.\n"));
    assert_true(S(kbi_html_sniff, "<!DOCTYPE html>\n<html>"));
    assert_true(S(kbi_html_sniff, "\xEF\xBB\xBF <!-- sparad -->\n<!doctype "
                                  "HTML>"));
    assert_true(S(kbi_html_sniff, "<?xml version=\"1.0\"?>\n<html "
                                  "xmlns=\"http://www.w3.org/1999/xhtml\">"));
    assert_true(S(kbi_html_sniff, "<HTML lang=sv>"));
    assert_false(S(kbi_html_sniff, "<htmlx>"));
    assert_false(S(kbi_html_sniff, "<p>Intervjuare: Hej</p>"));
    assert_false(S(kbi_html_sniff, "Intervjuare: <html> är ett språk.\n"));
#undef S
}

/* ------------------------------------------------------------------------ */
/* HTML                                                                       */
/* ------------------------------------------------------------------------ */

static const char HTML[] =
    "<!DOCTYPE html>\n"
    "<html lang=\"sv\"><head><meta charset=\"utf-8\">"
    "<title>Intervju 7</title>\n"
    "<style>p { color: red }</style>"
    "<script>var x = \"<p>inte text</p>\";</script></head>\n"
    "<body>\n"
    "<h1>Intervju med   en\n   verksamhetschef</h1>\n"
    "<p><b>Intervjuare:</b>Hur organiserar ni &quot;trygg hemg&aring;ng&quot;"
    "?</p>\n"
    "<p><strong>Verksamhetschef</strong>: Vi har ett team med\n"
    "   sjuksköterskor&nbsp;och arbetsterapeuter.<br>De träffar "
    "patienten&hellip;</p>\n"
    "<div hidden>Dold kommentar</div>\n"
    "<p style=\"color: grey; DISPLAY : none\">Också dold</p>\n"
    "<p>Synlig <span style=\"visibility:hidden\">osynlig</span>text.</p>\n"
    "<span aria-hidden=\"true\">ikon</span>\n"
    "<noscript>Slå på javascript</noscript>\n"
    "<template><p>Mall</p></template>\n"
    "<ul><li>Planering<ul><li>Vårdplan</li><li>SIP</li></ul></li>"
    "<li>Uppföljning</li></ul>\n"
    "<table><tr><th>Vecka</th><th>Besök</th></tr>\n"
    "<tr><td><p>1</p></td><td>3 &amp; 4</td></tr></table>\n"
    "<blockquote>Citat ur &#8220;rutinen&#8221;.</blockquote>\n"
    "<p><b>Intervjuare:</b> Och sedan?</p>\n"
    "<p><b>Verksamhetschef:</b> Sedan följer vi upp.\n"
    "<pre>  rad ett\n  rad två</pre>\n"
    "</body></html>\n";

static const char HTML_TEXT[] =
    "Intervju med en verksamhetschef\n\n"
    "Intervjuare: Hur organiserar ni \"trygg hemgång\"?\n\n"
    "Verksamhetschef: Vi har ett team med sjuksköterskor\u00A0och "
    "arbetsterapeuter.\nDe träffar patienten…\n\n"
    "Synlig text.\n\n"
    "Planering\n\n"
    "Vårdplan\n\n"
    "SIP\n\n"
    "Uppföljning\n\n"
    "Vecka\tBesök\n\n"
    "1\t3 & 4\n\n"
    "Citat ur \u201Crutinen\u201D.\n\n"
    "Intervjuare: Och sedan?\n\n"
    "Verksamhetschef: Sedan följer vi upp.\n\n"
    "  rad ett\n  rad två\n";

static const char HTML_TXT[] =
    "Intervju med en verksamhetschef\n"
    "Intervjuare: Hur organiserar ni \"trygg hemgång\"?\n"
    "Verksamhetschef: Vi har ett team med sjuksköterskor\u00A0och "
    "arbetsterapeuter.\n"
    "De träffar patienten…\n\n"
    "Synlig text.\n\n"
    "Planering\n\nVårdplan\n\nSIP\n\nUppföljning\n\n"
    "Vecka\tBesök\n\n"
    "1\t3 & 4\n\n"
    "Citat ur \u201Crutinen\u201D.\n"
    "Intervjuare: Och sedan?\n"
    "Verksamhetschef: Sedan följer vi upp.\n\n"
    "  rad ett\n  rad två\n";

static void test_html(void **state)
{
    (void)state;
    converts(kbi_html_to_text, HTML, 0, "ip7.html", HTML_TEXT, NULL);
    same_segments(kbi_html_to_text, HTML, 0, HTML_TXT);
}

/* Unclosed and stray tags read as a browser reads them; a bold label
 * before its colon. */
static void test_html_malformed(void **state)
{
    (void)state;
    converts(kbi_html_to_text,
             "<html><body><p>Första stycket<p>Andra <b>fet</i> text</div>"
             "<li>punkt</ul><p><b>IP3</b>:Ja, absolut.<p><b>IP3</b> sa "
             "inget & gick",
             0, "trasig.html",
             "Första stycket\n\nAndra fet text\n\npunkt\n\nIP3: Ja, "
             "absolut.\n\nIP3 sa inget & gick\n",
             NULL);
    refuses(kbi_html_to_text, "<html><body><p>  </p><script>x</script>", 0, 0,
            "no visible text");
}

/* A transcript kept as a table, speakers in the first column: the rows
 * read as labelled turns. */
static void test_html_table(void **state)
{
    (void)state;
    static const char table[] =
        "<html><body><table>\n"
        "<tr><td><b>Karin Ek:</b></td><td>Vi har tre team,<br>och en "
        "samordnare.</td></tr>\n"
        "<tr><td><b>Karin Ek:</b></td><td>Samordnaren håller ihop "
        "allt.</td></tr>\n"
        "</table></body></html>";
    converts(kbi_html_to_text, table, 0, "tabell.html",
             "Karin Ek:\tVi har tre team, och en samordnare.\n\n"
             "Karin Ek:\tSamordnaren håller ihop allt.\n",
             NULL);
    same_segments(kbi_html_to_text, table, 0,
                  "Karin Ek: Vi har tre team, och en samordnare.\n\n"
                  "Karin Ek: Samordnaren håller ihop allt.\n");
}

/* The charset a <meta> names, else detection (Windows-1252 here). */
static void test_html_charset(void **state)
{
    (void)state;
    size_t n;
    char *raw = cp1252("<html><head><meta http-equiv=\"Content-Type\" "
                       "content=\"text/html; charset=iso-8859-1\"></head>"
                       "<body><p>Vårdcentralen på Öland</p></body></html>",
                       &n);
    heard h = {{0}};
    converts(kbi_html_to_text, raw, n, "a.html", "Vårdcentralen på Öland\n",
             &h);
    assert_string_equal(h.s, "");
    free(raw);
    raw = cp1252("<html><body><p>Äldreomsorg – en översikt</p></body></html>",
                 &n);
    converts(kbi_html_to_text, raw, n, "b.html", "Äldreomsorg – en översikt\n",
             &h);
    assert_string_equal(h.s, "b.html: not UTF-8; read as windows-1252\n");
    free(raw);
    refuses(kbi_html_to_text,
            "<html><head><meta charset=\"utf-8\"></head><body>\n<p>V\xE5rd", 2,
            5, "UTF-8");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vtt),
        cmocka_unit_test(test_vtt_without_voices),
        cmocka_unit_test(test_vtt_errors),
        cmocka_unit_test(test_srt),
        cmocka_unit_test(test_srt_windows_1252),
        cmocka_unit_test(test_srt_blocks),
        cmocka_unit_test(test_sniff),
        cmocka_unit_test(test_html),
        cmocka_unit_test(test_html_malformed),
        cmocka_unit_test(test_html_table),
        cmocka_unit_test(test_html_charset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
