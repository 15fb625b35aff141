/*
 * test_formats.c: the DOCX and ODT front ends (ingest/docx.c, odt.c,
 * plaintext.c) on documents written here part by part, each showing one
 * construct (breaks, fields, tracked changes, bold labels, tables, white
 * space), and the dispatch that picks a format by content (formats.c).
 * Packages are written by libzip in memory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fixture.h"

#include "ingest/docx.h"
#include "ingest/formats.h"
#include "ingest/odt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

/* A zip package of one part `name` holding `xml` (and, with `first`, a
 * stored part "mimetype" before it), its bytes in *len (caller frees). */
static unsigned char *package(size_t *len, const char *first, const char *name,
                              const char *xml)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
    assert_non_null(src);
    zip_t *za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
    assert_non_null(za);
    zip_source_keep(src);
    if (first) {
        zip_int64_t i = zip_file_add(
            za, "mimetype", zip_source_buffer(za, first, strlen(first), 0), 0);
        assert_true(i >= 0);
        assert_int_equal(
            zip_set_file_compression(za, (zip_uint64_t)i, ZIP_CM_STORE, 0), 0);
    }
    assert_true(zip_file_add(za, name,
                             zip_source_buffer(za, xml, strlen(xml), 0),
                             0) >= 0);
    assert_int_equal(zip_close(za), 0);
    zip_stat_t st;
    assert_int_equal(zip_source_stat(src, &st), 0);
    unsigned char *out = malloc(st.size);
    assert_int_equal(zip_source_open(src), 0);
    assert_int_equal(zip_source_read(src, out, st.size), (zip_int64_t)st.size);
    zip_source_close(src);
    zip_source_free(src);
    *len = st.size;
    return out;
}

#define W                                                                      \
    "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\""

/* The text a Word document with body `body` is read as (caller frees). */
static char *docx(const char *body, kb_error *err, int *rc)
{
    char xml[8192];
    snprintf(xml, sizeof xml,
             "<?xml version=\"1.0\"?><w:document " W "><w:body>%s</w:body>"
             "</w:document>",
             body);
    size_t n, len;
    unsigned char *raw = package(&n, NULL, "word/document.xml", xml);
    assert_true(kbi_docx_sniff(raw, n));
    assert_false(kbi_odt_sniff(raw, n));
    char *out = NULL;
    *rc = kbi_docx_to_text(&out, &len, raw, n, "t.docx", NULL, NULL, err);
    free(raw);
    if (!*rc)
        assert_int_equal(strlen(out), len);
    return out;
}

static void docx_is(const char *body, const char *want)
{
    kb_error err;
    int rc;
    char *got = docx(body, &err, &rc);
    if (rc)
        fail_msg("%s", err.message);
    assert_string_equal(got, want);
    free(got);
}

#define P(x) "<w:p>" x "</w:p>"
#define R(x) "<w:r>" x "</w:r>"
#define T(x) "<w:t xml:space=\"preserve\">" x "</w:t>"
#define BOLD "<w:rPr><w:b/></w:rPr>"

static void test_docx_breaks_and_fields(void **state)
{
    (void)state;
    /* paragraphs are lines, an empty one a blank line; soft breaks end a
     * line; tabs stay; a no-break hyphen and a no-break space are kept */
    docx_is(P(R(T("Rad ett"))) P("") P(R(T("a") "<w:br/>" T("b") "<w:cr/>" T(
                "c") "<w:tab/>" T("d") "<w:noBreakHyphen/>" T("e\xC2\xA0"
                                                              "f"))),
            "Rad ett\n\na\nb\nc\td\xE2\x80\x91"
            "e\xC2\xA0"
            "f\n");
    /* a field's result, not its instruction; a simple field's runs */
    docx_is(
        P(R(T("Sida ")) R("<w:fldChar w:fldCharType=\"begin\"/>") R(
            "<w:instrText> PAGE </w:instrText>") R("<w:fldChar "
                                                   "w:fldCharType=\"separate\"/"
                                                   ">") R(T("3"))
              R("<w:fldChar w:fldCharType=\"end\"/>") "<w:fldSimple w:instr=\" "
                                                      "DATE \">" R(
                                                          T(" i dag")) "</"
                                                                       "w:"
                                                                       "fldSimp"
                                                                       "le>"),
        "Sida 3 i dag\n");
    /* drawings and text boxes are left out */
    docx_is(P(R(T("Före ")) R("<w:drawing><w:txbxContent>" P(
                R(T("ruta"))) "</w:txbxContent></w:drawing>") R(T("efter"))),
            "Före efter\n");
    /* blank lines at the start and end are dropped */
    docx_is(P("") P("") P(R(T("Text"))) P("") P(""), "Text\n");
}

static void test_docx_tracked_changes(void **state)
{
    (void)state;
    docx_is(
        P(R(T("Vi har ")) "<w:ins w:id=\"1\">" R(T(
            "inte ")) "</w:ins>"
                      "<w:del w:id=\"2\">" R(
                          "<w:delText>gärna "
                          "</w:delText>") "</w:del>" R(T("ringt.")) "<w:"
                                                                    "moveFrom"
                                                                    " w:id="
                                                                    "\"3\""
                                                                    ">" R(T(
                                                                        " flytt"
                                                                        "a"
                                                                        "d")) "<"
                                                                              "/"
                                                                              "w"
                                                                              ":"
                                                                              "m"
                                                                              "o"
                                                                              "v"
                                                                              "e"
                                                                              "F"
                                                                              "r"
                                                                              "o"
                                                                              "m"
                                                                              ">")
            P("<w:moveTo w:id=\"4\">" R(T("Hit.")) "</w:moveTo>"),
        "Vi har inte ringt.\nHit.\n");
    /* a paragraph whose mark was deleted joins the next one */
    docx_is("<w:p><w:pPr><w:rPr><w:del w:id=\"5\"/></w:rPr></w:pPr>" R(
                T("Första halvan ")) "</w:p>" P(R(T("och andra."))),
            "Första halvan och andra.\n");
}

static void test_docx_bold_labels(void **state)
{
    (void)state;
    /* bold before a tab at a line's start: a label */
    docx_is(P(R(BOLD T("IP3")) R("<w:tab/>" T("Jag tror det."))),
            "IP3: Jag tror det.\n");
    docx_is(P(R(BOLD T("Intervjuare ") "<w:tab/>") R(T("Varför?"))),
            "Intervjuare: Varför?\n");
    /* bold with a colon of its own, and bold then a colon: already text */
    docx_is(P(R(BOLD T("IP3:")) R("<w:tab/>" T("Ja."))), "IP3:\tJa.\n");
    docx_is(P(R(BOLD T("Intervjuare")) R(T(": Hur?"))), "Intervjuare: Hur?\n");
    /* not a label: bold switched off, bold not at the start, nothing after
     * the tab, too many words */
    docx_is(P(R("<w:rPr><w:b w:val=\"0\"/></w:rPr>" T("IP3"))
                  R("<w:tab/>" T("Ja."))),
            "IP3\tJa.\n");
    docx_is(P(R(T("Jag ")) R(BOLD T("vet")) R("<w:tab/>" T("inte."))),
            "Jag vet\tinte.\n");
    docx_is(P(R(BOLD T("IP3")) R("<w:tab/>")), "IP3\t\n");
    docx_is(P(R(BOLD T("Det här är inte en etikett")) R("<w:tab/>" T("x"))),
            "Det här är inte en etikett\tx\n");
    /* each line of a paragraph on its own */
    docx_is(P(R(T("Text")) R("<w:br/>") R(BOLD T("R")) R("<w:tab/>" T("Ja."))),
            "Text\nR: Ja.\n");
}

#define TR(x) "<w:tr>" x "</w:tr>"
#define TC(x) "<w:tc>" x "</w:tc>"

static void test_docx_tables(void **state)
{
    (void)state;
    /* a row is a line; a label cell, after a time cell, takes the colon;
     * a cell's paragraphs are joined by a blank */
    docx_is("<w:tbl>" TR(TC(P(R(T("00:01:02")))) TC(P(R(T("IP3"))))
                             TC(P(R(T("Ja."))) P(R(T("Absolut.")))))
                TR(TC(P(R(T("I"))))
                       TC(P(R(T("Och sen?"))))) "</w:tbl>" P(R(T("Efter."))),
            "00:01:02\tIP3: Ja. Absolut.\nI: Och sen?\nEfter.\n");
    /* not labels: a long first cell, a first cell with a colon, nothing
     * after the label; empty cells at the end are trimmed */
    docx_is("<w:tbl>" TR(TC(P(R(T("Region Stockholm och Region Uppsala och "
                                  "flera kommuner")))) TC(P(R(T("12")))))
                TR(TC(P(R(T("R:")))) TC(P(R(T("Ja.")))))
                    TR(TC(P(R(T("Bara")))) TC(P("")) TC(P(""))) "</w:tbl>",
            "Region Stockholm och Region Uppsala och flera kommuner\t12\n"
            "R:\tJa.\nBara\n");
    /* a table inside a cell stays in the row */
    docx_is("<w:tbl>" TR(TC(P(R(T("A")))) TC("<w:tbl>" TR(TC(
                P(R(T("inre")))) TC(P(R(T("tabell"))))) "</w:tbl>")) "</w:tbl>",
            "A: inre tabell\n");
}

static void test_docx_refused(void **state)
{
    (void)state;
    kb_error err;
    int rc;
    char *got = docx(P("") P(R(T("  "))), &err, &rc);
    assert_null(got);
    assert_int_equal(rc, KB_EFORMAT);
    assert_string_equal(err.message, "the document holds no text");
    size_t n, len;
    unsigned char *raw = package(&n, NULL, "word/document.xml",
                                 "<w:document " W "><w:body><w:p>");
    assert_int_equal(
        kbi_docx_to_text(&got, &len, raw, n, "t.docx", NULL, NULL, &err),
        KB_EFORMAT);
    assert_non_null(strstr(err.file, "t.docx:word/document.xml"));
    free(raw);
    raw = package(&n, NULL, "word/other.xml", "<a/>");
    assert_false(kbi_docx_sniff(raw, n));
    assert_int_equal(
        kbi_docx_to_text(&got, &len, raw, n, "t.docx", NULL, NULL, &err),
        KB_EFORMAT);
    assert_string_equal(err.message, "not a Word document: the package has "
                                     "no part word/document.xml");
    free(raw);
}

#define ODT_TYPE "application/vnd.oasis.opendocument.text"
#define NS                                                                     \
    "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "       \
    "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" "           \
    "xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\" "         \
    "xmlns:fo=\"urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0\""

static void odt_is(const char *body, const char *want)
{
    char xml[8192];
    snprintf(xml, sizeof xml,
             "<office:document-content " NS "><office:automatic-styles>"
             "<style:style style:name=\"T1\" style:family=\"text\">"
             "<style:text-properties fo:font-weight=\"bold\"/></style:style>"
             "</office:automatic-styles><office:body><office:text>%s"
             "</office:text></office:body></office:document-content>",
             body);
    size_t n, len;
    unsigned char *raw = package(&n, ODT_TYPE, "content.xml", xml);
    assert_true(kbi_odt_sniff(raw, n));
    assert_false(kbi_docx_sniff(raw, n));
    char *got;
    kb_error err;
    if (kbi_odt_to_text(&got, &len, raw, n, "t.odt", NULL, NULL, &err))
        fail_msg("%s", err.message);
    assert_string_equal(got, want);
    free(got);
    free(raw);
}

static void test_odt(void **state)
{
    (void)state;
    /* white space collapsed as ODF says; text:s, tab, line break */
    odt_is("<text:p>  Två   ord\n och <text:s text:c=\"2\"/>tre</text:p>"
           "<text:h>Rubrik</text:h><text:p/>"
           "<text:p>a<text:tab/>b<text:line-break/> c</text:p>",
           "Två ord och   tre\nRubrik\n\na\tb\nc\n");
    /* lists item by item, sections, bold labels by automatic style,
     * tracked changes accepted, notes and comments left out */
    odt_is("<text:tracked-changes><text:changed-region text:id=\"c1\">"
           "<text:deletion><text:p>borta</text:p></text:deletion>"
           "</text:changed-region></text:tracked-changes>"
           "<text:list><text:list-item><text:p>Ett</text:p></text:list-item>"
           "<text:list-item><text:p>Två</text:p></text:list-item></text:list>"
           "<text:section><text:p><text:span text:style-name=\"T1\">IP3"
           "</text:span><text:tab/>Ja<text:change text:change-id=\"c1\"/>."
           "<text:note><text:note-body><text:p>Fotnot</text:p></text:note-body>"
           "</text:note><office:annotation><text:p>Kommentar</text:p>"
           "</office:annotation></text:p></text:section>",
           "Ett\nTvå\nIP3: Ja.\n");
}

static void test_detect(void **state)
{
    (void)state;
    size_t n;
    unsigned char *raw = package(&n, ODT_TYPE, "content.xml", "<a/>");
    assert_string_equal(kbi_format_detect(raw, n)->name, "odt");
    free(raw);
    raw = package(&n, NULL, "word/document.xml", "<a/>");
    assert_string_equal(kbi_format_detect(raw, n)->name, "docx");
    free(raw);
    const char *text = "R: PK och word/document.xml\n";
    assert_string_equal(
        kbi_format_detect((const unsigned char *)text, strlen(text))->name,
        "text");
    const kbi_format *f;
    kb_error err;
    assert_int_equal(kbi_format_find(&f, "auto", &err), 0);
    assert_null(f);
    assert_int_equal(kbi_format_find(&f, NULL, &err), 0);
    assert_null(f);
    assert_int_equal(kbi_format_find(&f, "DOCX", &err), 0);
    assert_string_equal(f->name, "docx");
    assert_int_equal(kbi_format_find(&f, "doc", &err), KB_EINVAL);
    assert_string_equal(err.argument, "format");
}

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_docx_breaks_and_fields),
        cmocka_unit_test(test_docx_tracked_changes),
        cmocka_unit_test(test_docx_bold_labels),
        cmocka_unit_test(test_docx_tables),
        cmocka_unit_test(test_docx_refused),
        cmocka_unit_test(test_odt),
        cmocka_unit_test(test_detect),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
