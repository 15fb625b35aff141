/*
 * test_zipxml.c: the safe readers of packages and XML (base/zipread.c,
 * base/xmlread.c): what they read, and the hostile inputs they refuse (an
 * entry that climbs out of the package, a zip bomb, XXE, entity expansion).
 * Packages are written by libzip itself, an independent writer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fixture.h"

#include "base/xmlread.h"
#include "base/zipread.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

static char dir[512];

/* A package of n entries (names[i], bodies[i] of lens[i] bytes) written
 * by libzip into *out. */
static size_t package(unsigned char **out, size_t n, const char *const *names,
                      const char *const *bodies, const size_t *lens)
{
    char path[600];
    snprintf(path, sizeof path, "%s/p.zip", dir);
    remove(path);
    int e;
    zip_t *za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &e);
    assert_non_null(za);
    for (size_t i = 0; i < n; i++) {
        zip_source_t *s = zip_source_buffer(za, bodies[i], lens[i], 0);
        assert_non_null(s);
        assert_true(zip_file_add(za, names[i], s, ZIP_FL_ENC_UTF_8) >= 0);
    }
    assert_int_equal(zip_close(za), 0);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    rewind(f);
    *out = malloc((size_t)len);
    assert_int_equal(fread(*out, 1, (size_t)len, f), (size_t)len);
    fclose(f);
    return (size_t)len;
}

static void test_zip_reads_entries(void **state)
{
    (void)state;
    const char *names[] = {"mimetype", "Content/Text.xml"};
    const char *bodies[] = {"application/x-test", "<a>hej på dig</a>"};
    size_t lens[] = {strlen(bodies[0]), strlen(bodies[1])};
    unsigned char *data;
    size_t len = package(&data, 2, names, bodies, lens);
    assert_true(kbi_zip_sniff(data, len));
    kbi_zip *z;
    kb_error err;
    assert_int_equal(kbi_zip_open(&z, data, len, "t.zip", &err), 0);
    assert_int_equal(kbi_zip_count(z), 2);
    assert_int_equal(kbi_zip_find(z, "content/text.XML", 1), 1);
    assert_int_equal(kbi_zip_find(z, "content/text.XML", 0), -1);
    char *body;
    size_t n;
    assert_int_equal(kbi_zip_read(z, 1, &body, &n, &err), 0);
    assert_int_equal(n, lens[1]);
    assert_string_equal(body, bodies[1]);
    free(body);
    kbi_zip_free(z);
    free(data);
}

/* A package with the one entry `name` is refused with a message holding
 * `want`. */
static void refused(const char *name, const char *body, size_t len,
                    const char *want)
{
    unsigned char *data;
    size_t n = package(&data, 1, &name, &body, &len);
    kbi_zip *z = NULL;
    kb_error err;
    assert_int_equal(kbi_zip_open(&z, data, n, "t.zip", &err), KB_EFORMAT);
    assert_null(z);
    assert_string_equal(err.file, "t.zip");
    if (!strstr(err.message, want))
        fail_msg("'%s' does not say '%s'", err.message, want);
    free(data);
}

static void test_zip_refuses_paths(void **state)
{
    (void)state;
    refused("../evil.txt", "x", 1, "climbs out");
    refused("word/../../evil.txt", "x", 1, "climbs out");
    refused("/etc/evil", "x", 1, "absolute");
    refused("a\\b.txt", "x", 1, "absolute");
}

static void test_zip_refuses_bomb(void **state)
{
    (void)state;
    /* 64 MB of zeros deflates to some 64 KB: a ratio of about 1000 */
    size_t big = (size_t)64 << 20;
    char *zeros = calloc(big, 1);
    assert_non_null(zeros);
    refused("word/document.xml", zeros, big, "zip bomb");
    free(zeros);
}

static void test_zip_refuses_garbage(void **state)
{
    (void)state;
    kbi_zip *z;
    kb_error err;
    static const char junk[] = "PK\x03\x04 this is no package at all";
    assert_int_equal(kbi_zip_open(&z, junk, sizeof junk, "j.docx", &err),
                     KB_EFORMAT);
    assert_string_equal(err.file, "j.docx");
}

static void test_xml_reads(void **state)
{
    (void)state;
    static const char doc[] = "\xEF\xBB\xBF<?xml version=\"1.0\"?>\n"
                              "<r xmlns:w=\"urn:x\"><w:p w:val=\"1\">"
                              "å</w:p><q/></r>";
    xmlDocPtr d;
    kb_error err;
    assert_int_equal(kbi_xml_read(&d, doc, sizeof doc - 1, "d.xml", &err), 0);
    xmlNode *root = xmlDocGetRootElement(d);
    assert_true(kbi_xml_is(root, "r"));
    xmlNode *p = kbi_xml_child(root, "p");
    assert_non_null(p);
    assert_string_equal(kbi_xml_prop(p, "val"), "1");
    assert_null(kbi_xml_prop(p, "other"));
    assert_non_null(kbi_xml_child(root, "q"));
    xmlFreeDoc(d);
}

static void xml_refused(const char *doc, int line, const char *want)
{
    xmlDocPtr d = NULL;
    kb_error err;
    assert_int_equal(kbi_xml_read(&d, doc, strlen(doc), "h.xml", &err),
                     KB_EFORMAT);
    assert_null(d);
    assert_string_equal(err.file, "h.xml");
    assert_int_equal(err.line, line);
    if (!strstr(err.message, want))
        fail_msg("'%s' does not say '%s'", err.message, want);
}

static void test_xml_refuses_hostile(void **state)
{
    (void)state;
    xml_refused("<?xml version=\"1.0\"?>\n<!DOCTYPE r [\n"
                "<!ENTITY x SYSTEM \"file:///etc/passwd\">\n]>\n<r>&x;</r>",
                3, "declares an entity");
    xml_refused("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n"
                " <!ENTITY lol \"lol\">\n"
                " <!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
                "]>\n<lolz>&lol2;</lolz>",
                3, "declares an entity");
    xml_refused("<r>\n<a>\n</r>", 3, "");
}

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fixture_tmpdir(dir, sizeof dir, "zipxml");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_zip_reads_entries),
        cmocka_unit_test(test_zip_refuses_paths),
        cmocka_unit_test(test_zip_refuses_bomb),
        cmocka_unit_test(test_zip_refuses_garbage),
        cmocka_unit_test(test_xml_reads),
        cmocka_unit_test(test_xml_refuses_hostile),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    fixture_rmdir(dir);
    return rc;
}
