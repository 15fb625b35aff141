/*
 * test_deck.c: the slide deck model, its layout and its writers
 * (core/src/export). A deck with Swedish text, quotes holding <>&"' and
 * Markdown specials, slides too long for one page and a table too long for
 * one page is written as PPTX and reopened with libzip and libxml2 (every
 * part well-formed and declared, every relationship resolved, titles and
 * texts as built), and as Markdown (front matter, separators, headings,
 * escaping).
 *
 * With --tools it checks the deck with the programs that are installed:
 * LibreOffice converts the PPTX to PDF, whose pages are counted (pdfinfo)
 * and whose words must lie inside their boxes (pdftotext -bbox); Pandoc
 * turns the Markdown into a PPTX with as many slides, and so does Marp into
 * HTML. It exits 77 (skipped) when none of them is installed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#include "codebook/codebook.h"
#include "export/deck.h"
#include "export/pptx.h"
#include "export/slides_md.h"
#include "export/structure.h"
#include "fixture.h"

#define NS_A "http://schemas.openxmlformats.org/drawingml/2006/main"
#define NS_P "http://schemas.openxmlformats.org/presentationml/2006/main"
#define NS_R                                                                   \
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

/* ------------------------------------------------------------------------ */
/* The sample deck                                                           */
/* ------------------------------------------------------------------------ */

#define LONG_QUOTES   10 /* five-line quotes on the long slide */
#define CONCEPT_ROWS  40 /* rows of the long table */
#define TITLE         "Vårdsamverkan i Väst: åäö ÅÄÖ"
#define SUBTITLE      "Citat <per> tema & nivå \"2024\" 'vår'"
#define LABEL_SPECIAL "Roller & <ansvar>"
#define LABEL_LONG    "Hemsjukvård"
#define LABEL_GIANT   "Helheten viktig"

static const char *const special_quotes[] = {
    "Vi säger \"samverkan\" men menar <olika> saker & det är 'svårt'.",
    "Åtgärder > 3 st & < 10 st: \"så är det\" -- ]]> <!-- inte -->",
    ("*Inte kursiv* _inte heller_ [ingen länk](http://x.se) `kod` # $x$ "
     "a|b ~c~ \\d &amp; {e} ^f <b>g</b>"), /* one quote on two lines */
};
static const char *const special_cases[] = {" (ip01)", " (ip02)", " (ip03)"};

/* Quote i of the long slide: five lines, the last ending in its case. */
static void long_quote(char *buf, size_t n, int i)
{
    snprintf(buf, n,
             "Rad 1 av citat %d om hemsjukvård.\nRad 2 av citat %d.\n"
             "Rad 3 av citat %d.\nRad 4 av citat %d.\nRad 5 av citat %d.",
             i, i, i, i, i);
}

/* A quote far taller than a page, one paragraph without line breaks. */
static char *giant_quote(void)
{
    size_t cap = 8192, len = 0;
    char *s = malloc(cap);
    assert_non_null(s);
    for (int i = 1; i <= 60; i++)
        len += (size_t)snprintf(s + len, cap - len,
                                "%sDet här är mening %d i ett långt citat "
                                "om samverkan, vård och omsorg i kommunen.",
                                i > 1 ? " " : "", i);
    assert_true(len < cap);
    return s;
}

static void ok(int rc, const kb_error *err)
{
    if (rc)
        fail_msg("%s", err->message);
}

static kbi_deck *sample_deck(void)
{
    kbi_deck *d;
    kb_error err;
    ok(kbi_deck_new(&d, TITLE, SUBTITLE, "3 maj 2024", &err), &err);

    const char *head[] = {"Tema", "Regional", "Lokal", "Nivåoberoende"};
    ok(kbi_deck_table_add(d, "Översikt", 4, head, &err), &err);
    const char *rows[][4] = {{"Struktur", "3", "10", "1"},
                             {"Ledarskap <&> styrning", "12", "0", "4"}};
    for (int r = 0; r < 2; r++)
        ok(kbi_deck_row_add(d, rows[r], &err), &err);

    ok(kbi_deck_slide_add(d, "Struktur: Regional nivå", &err), &err);
    ok(kbi_deck_para_add(d, 0, &err), &err);
    ok(kbi_deck_run_add(d, KBI_RUN_BOLD, LABEL_SPECIAL, &err), &err);
    for (int i = 0; i < 3; i++) {
        ok(kbi_deck_para_add(d, 1, &err), &err);
        ok(kbi_deck_run_add(d, KBI_RUN_PLAIN, special_quotes[i], &err), &err);
        ok(kbi_deck_run_add(d, KBI_RUN_ITALIC, special_cases[i], &err), &err);
    }

    ok(kbi_deck_slide_add(d, "Struktur: Lokal nivå", &err), &err);
    ok(kbi_deck_para_add(d, 0, &err), &err);
    ok(kbi_deck_run_add(d, KBI_RUN_BOLD, LABEL_LONG, &err), &err);
    for (int i = 1; i <= LONG_QUOTES; i++) {
        char q[256];
        long_quote(q, sizeof q, i);
        ok(kbi_deck_para_add(d, 1, &err), &err);
        ok(kbi_deck_run_add(d, KBI_RUN_PLAIN, q, &err), &err);
    }

    ok(kbi_deck_slide_add(d, "Struktur: Nivåoberoende", &err), &err);
    ok(kbi_deck_para_add(d, 0, &err), &err);
    ok(kbi_deck_run_add(d, KBI_RUN_BOLD, LABEL_GIANT, &err), &err);
    ok(kbi_deck_para_add(d, 1, &err), &err);
    char *g = giant_quote();
    ok(kbi_deck_run_add(d, KBI_RUN_PLAIN, g, &err), &err);
    free(g);

    const char *chead[] = {"Tema", "Begrepp", "Citat"};
    ok(kbi_deck_table_add(d, "Begrepp per tema", 3, chead, &err), &err);
    for (int r = 1; r <= CONCEPT_ROWS; r++) {
        char name[32], count[16];
        snprintf(name, sizeof name, "Begrepp %d", r);
        snprintf(count, sizeof count, "%d", r * 3);
        const char *cells[] = {"Struktur", name, count};
        ok(kbi_deck_row_add(d, cells, &err), &err);
    }
    return d;
}

/*
 * Pages the long slide and the long table take, from the layout rules in
 * docs/slides.md: a label (level 0) and five-line quotes (level 1) per page,
 * the label repeated on each continuation; single-line table rows under a
 * repeated header.
 */
static size_t long_slide_pages(void)
{
    double h = KBI_DECK_BODY_H - 2 * KBI_DECK_INSET_Y;
    double label =
        kbi_deck_level_space(0) + kbi_deck_level_pt(0) * KBI_DECK_LINE;
    double quote =
        kbi_deck_level_space(1) + 5 * kbi_deck_level_pt(1) * KBI_DECK_LINE;
    size_t per_page = (size_t)((h - label) / quote);
    return (LONG_QUOTES + per_page - 1) / per_page;
}

static size_t long_table_pages(void)
{
    double row = KBI_DECK_TABLE_PT * KBI_DECK_LINE + 2 * KBI_DECK_INSET_Y;
    size_t per_page = (size_t)((KBI_DECK_BODY_H - row) / row);
    return (CONCEPT_ROWS + per_page - 1) / per_page;
}

/* ------------------------------------------------------------------------ */
/* Reading a PPTX back                                                       */
/* ------------------------------------------------------------------------ */

typedef struct part {
    char *name;
    xmlDocPtr doc;
} part;

typedef struct package {
    part *parts;
    size_t n;
} package;

static void package_open(package *pk, const char *path)
{
    int zerr = 0;
    zip_t *za = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &zerr);
    if (!za)
        fail_msg("zip_open %s: error %d", path, zerr);
    zip_int64_t n = zip_get_num_entries(za, 0);
    assert_true(n > 0);
    pk->n = (size_t)n;
    pk->parts = calloc(pk->n, sizeof *pk->parts);
    assert_non_null(pk->parts);
    for (zip_uint64_t i = 0; i < (zip_uint64_t)n; i++) {
        zip_stat_t st;
        assert_int_equal(zip_stat_index(za, i, 0, &st), 0);
        char *buf = malloc(st.size + 1);
        assert_non_null(buf);
        zip_file_t *zf = zip_fopen_index(za, i, 0);
        assert_non_null(zf);
        assert_int_equal(zip_fread(zf, buf, st.size), (zip_int64_t)st.size);
        zip_fclose(zf);
        pk->parts[i].name = strdup(st.name);
        pk->parts[i].doc =
            xmlReadMemory(buf, (int)st.size, st.name, NULL, XML_PARSE_NONET);
        if (!pk->parts[i].doc)
            fail_msg("%s is not well-formed XML", st.name);
        free(buf);
    }
    zip_close(za);
}

static void package_free(package *pk)
{
    for (size_t i = 0; i < pk->n; i++) {
        free(pk->parts[i].name);
        xmlFreeDoc(pk->parts[i].doc);
    }
    free(pk->parts);
}

static xmlDocPtr part_doc(const package *pk, const char *name)
{
    for (size_t i = 0; i < pk->n; i++)
        if (!strcmp(pk->parts[i].name, name))
            return pk->parts[i].doc;
    return NULL;
}

/* Evaluates an XPath with prefixes a, p, r, ct and rel (caller frees). */
static xmlXPathObjectPtr xpath(xmlDocPtr doc, const char *expr)
{
    xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
    assert_non_null(ctx);
    xmlXPathRegisterNs(ctx, BAD_CAST "a", BAD_CAST NS_A);
    xmlXPathRegisterNs(ctx, BAD_CAST "p", BAD_CAST NS_P);
    xmlXPathRegisterNs(ctx, BAD_CAST "r", BAD_CAST NS_R);
    xmlXPathRegisterNs(
        ctx, BAD_CAST "ct",
        BAD_CAST
        "http://schemas.openxmlformats.org/package/2006/content-types");
    xmlXPathRegisterNs(
        ctx, BAD_CAST "rel",
        BAD_CAST
        "http://schemas.openxmlformats.org/package/2006/relationships");
    xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST expr, ctx);
    xmlXPathFreeContext(ctx);
    assert_non_null(o);
    return o;
}

static size_t nodes(xmlXPathObjectPtr o)
{
    return o->nodesetval ? (size_t)o->nodesetval->nodeNr : 0;
}

static xmlNodePtr node(xmlXPathObjectPtr o, size_t i)
{
    return o->nodesetval->nodeTab[i];
}

/* An attribute's value (caller frees), NULL if absent. */
static char *prop(xmlNodePtr n, const char *name)
{
    return (char *)xmlGetProp(n, BAD_CAST name);
}

/* Appends s to the malloc'd string *acc. */
static void append(char **acc, const char *s)
{
    size_t a = *acc ? strlen(*acc) : 0;
    *acc = realloc(*acc, a + strlen(s) + 1);
    assert_non_null(*acc);
    strcpy(*acc + a, s);
}

/* The text of a DrawingML paragraph: its a:t, a:br as "\n". */
static char *para_text(xmlNodePtr p)
{
    char *s = calloc(1, 1);
    for (xmlNodePtr c = p->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (!strcmp((const char *)c->name, "br")) {
            append(&s, "\n");
        } else if (!strcmp((const char *)c->name, "r")) {
            for (xmlNodePtr t = c->children; t; t = t->next)
                if (t->type == XML_ELEMENT_NODE &&
                    !strcmp((const char *)t->name, "t")) {
                    xmlChar *v = xmlNodeGetContent(t);
                    append(&s, (const char *)v);
                    xmlFree(v);
                }
        }
    }
    return s;
}

/* Joins a source part's folder and a relative target ("../x"). */
static void resolve(char *out, size_t n, const char *source, const char *target)
{
    if (target[0] == '/') {
        snprintf(out, n, "%s", target + 1);
        return;
    }
    /* "ppt/slides/_rels/slide1.xml.rels" describes "ppt/slides/slide1.xml" */
    char dir[512];
    snprintf(dir, sizeof dir, "%s", source);
    char *rels = strstr(dir, "_rels/");
    assert_non_null(rels);
    *rels = '\0';
    while (!strncmp(target, "../", 3)) {
        size_t len = strlen(dir);
        assert_true(len > 0); /* no climbing above the package root */
        dir[len - 1] = '\0';
        char *slash = strrchr(dir, '/');
        if (slash)
            slash[1] = '\0';
        else
            dir[0] = '\0';
        target += 3;
    }
    snprintf(out, n, "%s%s", dir, target);
}

/* The slide parts in presentation order, from presentation.xml. */
static char **slide_parts(const package *pk, size_t *count)
{
    xmlDocPtr pres = part_doc(pk, "ppt/presentation.xml");
    xmlDocPtr rels = part_doc(pk, "ppt/_rels/presentation.xml.rels");
    assert_non_null(pres);
    assert_non_null(rels);
    xmlXPathObjectPtr ids = xpath(pres, "/p:presentation/p:sldIdLst/p:sldId");
    *count = nodes(ids);
    char **names = calloc(*count + 1, sizeof *names);
    for (size_t i = 0; i < *count; i++) {
        xmlChar *rid = xmlGetNsProp(node(ids, i), BAD_CAST "id", BAD_CAST NS_R);
        assert_non_null(rid);
        char q[128];
        snprintf(q, sizeof q, "/rel:Relationships/rel:Relationship[@Id='%s']",
                 (const char *)rid);
        xmlXPathObjectPtr r = xpath(rels, q);
        assert_int_equal(nodes(r), 1);
        char *target = prop(node(r, 0), "Target");
        char full[512];
        resolve(full, sizeof full, "ppt/_rels/presentation.xml.rels", target);
        names[i] = strdup(full);
        xmlFree(target);
        xmlXPathFreeObject(r);
        xmlFree(rid);
    }
    xmlXPathFreeObject(ids);
    return names;
}

static void free_strings(char **v)
{
    for (size_t i = 0; v && v[i]; i++)
        free(v[i]);
    free(v);
}

/* The text of the title placeholder of a slide part. */
static char *slide_title(const package *pk, const char *name)
{
    xmlXPathObjectPtr o =
        xpath(part_doc(pk, name), "//p:sp[p:nvSpPr/p:nvPr/p:ph[@type='title' "
                                  "or @type='ctrTitle']]/p:txBody/a:p");
    assert_int_equal(nodes(o), 1);
    char *t = para_text(node(o, 0));
    xmlXPathFreeObject(o);
    return t;
}

/* The paragraphs of the body placeholder (idx 1) of a slide part. */
static char **slide_body(const package *pk, const char *name, size_t *n)
{
    xmlXPathObjectPtr o =
        xpath(part_doc(pk, name),
              "//p:sp[p:nvSpPr/p:nvPr/p:ph[@idx='1']]/p:txBody/a:p");
    *n = nodes(o);
    char **v = calloc(*n + 1, sizeof *v);
    for (size_t i = 0; i < *n; i++)
        v[i] = para_text(node(o, i));
    xmlXPathFreeObject(o);
    return v;
}

/* ------------------------------------------------------------------------ */
/* Tests: the model                                                          */
/* ------------------------------------------------------------------------ */

static void test_model_errors(void **state)
{
    (void)state;
    kbi_deck *d;
    kb_error err;
    assert_int_equal(kbi_deck_new(&d, "bad \xC3\x28", NULL, NULL, &err),
                     KB_EINVAL);
    assert_null(d);
    ok(kbi_deck_new(&d, NULL, NULL, NULL, &err), &err);
    assert_string_equal(d->title, "");
    assert_int_equal(kbi_deck_para_add(d, 0, &err), KB_EINVAL);
    ok(kbi_deck_slide_add(d, "S", &err), &err);
    assert_int_equal(kbi_deck_run_add(d, 0, "x", &err), KB_EINVAL);
    assert_int_equal(kbi_deck_para_add(d, KBI_DECK_LEVELS, &err), KB_EINVAL);
    assert_int_equal(kbi_deck_para_add(d, -1, &err), KB_EINVAL);
    ok(kbi_deck_para_add(d, 0, &err), &err);
    assert_int_equal(kbi_deck_run_add(d, 0, "\xFF", &err), KB_EINVAL);
    ok(kbi_deck_run_add(d, 0,
                        "a\tb\x01"
                        "c\nd",
                        &err),
       &err);
    /* control characters but newline become spaces */
    assert_string_equal(d->slides[0].paras[0].runs[0].text, "a b c\nd");
    ok(kbi_deck_run_add(d, 0, "x\xEF\xBF\xBEy\xEF\xBF\xBF", &err), &err);
    assert_string_equal(d->slides[0].paras[0].runs[1].text,
                        "x\xEF\xBF\xBDy\xEF\xBF\xBD");
    assert_int_equal(kbi_deck_row_add(d, NULL, &err), KB_EINVAL);
    const char *h[] = {"a"};
    assert_int_equal(kbi_deck_table_add(d, "T", 0, h, &err), KB_EINVAL);
    ok(kbi_deck_table_add(d, "T", 1, h, &err), &err);
    assert_int_equal(kbi_deck_para_add(d, 0, &err), KB_EINVAL);
    kbi_deck_free(d);
    kbi_deck_free(NULL);
}

/* ------------------------------------------------------------------------ */
/* Tests: PPTX                                                               */
/* ------------------------------------------------------------------------ */

static char tmpdir[64];

static void temp_path(char *out, size_t n, const char *name)
{
    if (!tmpdir[0]) {
        snprintf(tmpdir, sizeof tmpdir, "/tmp/kodbok-deck-XXXXXX");
        assert_non_null(mkdtemp(tmpdir));
    }
    snprintf(out, n, "%s/%s", tmpdir, name);
}

static void write_sample(const char *path)
{
    kbi_deck *d = sample_deck();
    kb_error err;
    ok(kbi_deck_write_pptx(d, path, &err), &err);
    kbi_deck_free(d);
}

/* The package at `path` holds together: every part well-formed and typed,
 * every relationship's target there, 16:9. */
static void check_package(const char *path)
{
    package pk = {0};
    package_open(&pk, path); /* every part parsed: well-formed */

    /* Every part is declared in [Content_Types].xml, by name or extension. */
    xmlDocPtr ct = part_doc(&pk, "[Content_Types].xml");
    assert_non_null(ct);
    for (size_t i = 0; i < pk.n; i++) {
        if (!strcmp(pk.parts[i].name, "[Content_Types].xml"))
            continue;
        char q[512];
        snprintf(q, sizeof q, "/ct:Types/ct:Override[@PartName='/%s']",
                 pk.parts[i].name);
        xmlXPathObjectPtr o = xpath(ct, q);
        size_t found = nodes(o);
        xmlXPathFreeObject(o);
        if (!found) {
            const char *ext = strrchr(pk.parts[i].name, '.');
            assert_non_null(ext);
            snprintf(q, sizeof q, "/ct:Types/ct:Default[@Extension='%s']",
                     ext + 1);
            o = xpath(ct, q);
            found = nodes(o);
            xmlXPathFreeObject(o);
        }
        if (!found)
            fail_msg("%s has no content type", pk.parts[i].name);
    }
    /* The XML parts have types of their own, not Default's application/xml:
     * slides are slides and so on. */
    static const char *const typed[][2] = {
        {"/ppt/presentation.xml", "presentation.main+xml"},
        {"/ppt/slides/slide1.xml", "presentationml.slide+xml"},
        {"/ppt/slideLayouts/slideLayout1.xml",
         "presentationml.slideLayout+xml"},
        {"/ppt/slideMasters/slideMaster1.xml",
         "presentationml.slideMaster+xml"},
        {"/ppt/theme/theme1.xml", "theme+xml"},
        {"/ppt/presProps.xml", "presProps+xml"},
        {"/ppt/viewProps.xml", "viewProps+xml"},
        {"/ppt/tableStyles.xml", "tableStyles+xml"},
        {"/docProps/core.xml", "core-properties+xml"},
        {"/docProps/app.xml", "extended-properties+xml"},
    };
    size_t xml_parts = 0, overrides = 0;
    for (size_t i = 0; i < pk.n; i++) {
        size_t len = strlen(pk.parts[i].name);
        xml_parts += len > 4 && !strcmp(pk.parts[i].name + len - 4, ".xml") &&
                     strcmp(pk.parts[i].name, "[Content_Types].xml");
    }
    for (size_t i = 0; i < sizeof typed / sizeof *typed; i++) {
        char q[256];
        snprintf(q, sizeof q, "/ct:Types/ct:Override[@PartName='%s']",
                 typed[i][0]);
        xmlXPathObjectPtr o = xpath(ct, q);
        assert_int_equal(nodes(o), 1);
        char *type = prop(node(o, 0), "ContentType");
        size_t tl = strlen(type), wl = strlen(typed[i][1]);
        if (tl < wl || strcmp(type + tl - wl, typed[i][1]))
            fail_msg("%s has type %s", typed[i][0], type);
        xmlFree(type);
        xmlXPathFreeObject(o);
    }
    /* ... and every override names a part that exists. */
    xmlXPathObjectPtr ov = xpath(ct, "/ct:Types/ct:Override");
    overrides = nodes(ov);
    assert_int_equal(overrides, xml_parts);
    for (size_t i = 0; i < nodes(ov); i++) {
        char *name = prop(node(ov, i), "PartName");
        if (!part_doc(&pk, name + 1))
            fail_msg("override for missing part %s", name);
        xmlFree(name);
    }
    xmlXPathFreeObject(ov);

    /* Every relationship target exists; the package relationships exist. */
    assert_non_null(part_doc(&pk, "_rels/.rels"));
    size_t nrels = 0;
    for (size_t i = 0; i < pk.n; i++) {
        const char *name = pk.parts[i].name;
        size_t len = strlen(name);
        if (len < 5 || strcmp(name + len - 5, ".rels"))
            continue;
        xmlXPathObjectPtr o =
            xpath(pk.parts[i].doc, "/rel:Relationships/rel:Relationship");
        assert_true(nodes(o) > 0);
        for (size_t r = 0; r < nodes(o); r++) {
            char *target = prop(node(o, r), "Target");
            char *mode = prop(node(o, r), "TargetMode");
            char full[512];
            resolve(full, sizeof full, name, target);
            if (!mode && !part_doc(&pk, full))
                fail_msg("%s: target %s (%s) is missing", name, target, full);
            nrels++;
            xmlFree(target);
            xmlFree(mode);
        }
        xmlXPathFreeObject(o);
    }
    assert_true(nrels > 10);

    /* 16:9 */
    xmlXPathObjectPtr sz =
        xpath(part_doc(&pk, "ppt/presentation.xml"), "//p:sldSz");
    assert_int_equal(nodes(sz), 1);
    char *cx = prop(node(sz, 0), "cx"), *cy = prop(node(sz, 0), "cy");
    assert_int_equal(atoll(cx) * 9, atoll(cy) * 16);
    xmlFree(cx);
    xmlFree(cy);
    xmlXPathFreeObject(sz);
    package_free(&pk);
}

static void test_pptx_package(void **state)
{
    (void)state;
    char path[128];
    temp_path(path, sizeof path, "package.pptx");
    write_sample(path);
    check_package(path);
    /* no notes: no notes master */
    package pk = {0};
    package_open(&pk, path);
    assert_null(part_doc(&pk, "ppt/notesMasters/notesMaster1.xml"));
    xmlXPathObjectPtr o =
        xpath(part_doc(&pk, "ppt/presentation.xml"), "//p:notesMasterIdLst");
    assert_int_equal(nodes(o), 0);
    xmlXPathFreeObject(o);
    package_free(&pk);
    unlink(path);
}

/* ------------------------------------------------------------------------ */
/* Speaker notes                                                             */
/* ------------------------------------------------------------------------ */

static const char NOTES_A[] = "Första raden om <&> \"citat\"\nAndra -- raden";
static const char NOTES_T[] = "Tabellens anteckning";

/* A deck whose first text slide (three pages long) and table have notes,
 * and a text slide between without. */
static kbi_deck *notes_deck(void)
{
    kbi_deck *d;
    kb_error err;
    ok(kbi_deck_new(&d, TITLE, NULL, NULL, &err), &err);
    ok(kbi_deck_slide_add(d, "Med anteckningar", &err), &err);
    ok(kbi_deck_notes_add(d, "Första raden om <&> \"citat\"", &err), &err);
    ok(kbi_deck_para_add(d, 0, &err), &err);
    ok(kbi_deck_run_add(d, KBI_RUN_BOLD, LABEL_LONG, &err), &err);
    for (int i = 1; i <= LONG_QUOTES; i++) {
        char q[256];
        long_quote(q, sizeof q, i);
        ok(kbi_deck_para_add(d, 1, &err), &err);
        ok(kbi_deck_run_add(d, KBI_RUN_PLAIN, q, &err), &err);
    }
    ok(kbi_deck_notes_add(d, "Andra -- raden", &err), &err);
    ok(kbi_deck_slide_add(d, "Utan", &err), &err);
    ok(kbi_deck_para_add(d, 0, &err), &err);
    ok(kbi_deck_run_add(d, KBI_RUN_PLAIN, "Text", &err), &err);
    const char *head[] = {"Tema", "Citat"};
    ok(kbi_deck_table_add(d, "Tabell", 2, head, &err), &err);
    const char *row[] = {"Struktur", "3"};
    ok(kbi_deck_row_add(d, row, &err), &err);
    ok(kbi_deck_notes_add(d, NOTES_T, &err), &err);
    return d;
}

/* The notes page of slide part `slide` by its relationship (NULL: none),
 * checked to point back at the slide and at the notes master. */
static xmlDocPtr notes_of(const package *pk, const char *slide)
{
    char rels[256];
    const char *base = strrchr(slide, '/') + 1;
    snprintf(rels, sizeof rels, "ppt/slides/_rels/%s.rels", base);
    xmlXPathObjectPtr o = xpath(
        part_doc(pk, rels),
        "/rel:Relationships/rel:Relationship[@Type='" NS_R "/notesSlide']");
    assert_true(nodes(o) <= 1);
    if (!nodes(o)) {
        xmlXPathFreeObject(o);
        return NULL;
    }
    char *target = prop(node(o, 0), "Target"), full[256];
    resolve(full, sizeof full, rels, target);
    xmlFree(target);
    xmlXPathFreeObject(o);
    xmlDocPtr notes = part_doc(pk, full);
    assert_non_null(notes);
    char back[256];
    snprintf(back, sizeof back, "ppt/notesSlides/_rels/%s.rels",
             strrchr(full, '/') + 1);
    o = xpath(part_doc(pk, back), "/rel:Relationships/rel:Relationship");
    assert_int_equal(nodes(o), 2);
    for (size_t i = 0; i < 2; i++) {
        char *t = prop(node(o, i), "Target"), to[256];
        resolve(to, sizeof to, back, t);
        if (strcmp(to, slide) &&
            strcmp(to, "ppt/notesMasters/notesMaster1.xml"))
            fail_msg("%s points at %s", back, to);
        xmlFree(t);
    }
    xmlXPathFreeObject(o);
    return notes;
}

/* The paragraphs of a notes page's body, joined by '\n' (caller frees). */
static char *notes_text(xmlDocPtr notes)
{
    xmlXPathObjectPtr o =
        xpath(notes, "/p:notes/p:cSld/p:spTree/p:sp[p:nvSpPr/p:nvPr/"
                     "p:ph[@type='body']]/p:txBody/a:p");
    char *s = calloc(1, 1);
    for (size_t i = 0; i < nodes(o); i++) {
        char *t = para_text(node(o, i));
        if (i)
            append(&s, "\n");
        append(&s, t);
        free(t);
    }
    xmlXPathFreeObject(o);
    /* and the slide's picture */
    o = xpath(notes, "//p:sp/p:nvSpPr/p:nvPr/p:ph[@type='sldImg']");
    assert_int_equal(nodes(o), 1);
    xmlXPathFreeObject(o);
    return s;
}

static void test_pptx_notes(void **state)
{
    (void)state;
    char path[128];
    temp_path(path, sizeof path, "notes.pptx");
    kbi_deck *d = notes_deck();
    kb_error err;
    ok(kbi_deck_write_pptx(d, path, &err), &err);
    kbi_deck_free(d);
    check_package(path);
    package pk = {0};
    package_open(&pk, path);
    size_t n;
    char **names = slide_parts(&pk, &n);
    size_t long_pages = long_slide_pages();
    assert_true(long_pages > 1);
    assert_int_equal(n, 1 + long_pages + 1 + 1);
    for (size_t i = 0; i < n; i++) {
        xmlDocPtr notes = notes_of(&pk, names[i]);
        char *title = slide_title(&pk, names[i]);
        if (i == 1 || i == n - 1) { /* the slide's first page, the table */
            if (!notes)
                fail_msg("%s (%s) has no notes", names[i], title);
            char *t = notes_text(notes);
            assert_string_equal(t, i == 1 ? NOTES_A : NOTES_T);
            free(t);
        } else if (notes) {
            fail_msg("%s (%s) has notes", names[i], title);
        }
        free(title);
    }
    free_strings(names);
    /* the presentation names the notes master, which has its theme */
    xmlXPathObjectPtr o = xpath(part_doc(&pk, "ppt/presentation.xml"),
                                "/p:presentation/p:notesMasterIdLst/"
                                "p:notesMasterId/@r:id");
    assert_int_equal(nodes(o), 1);
    xmlChar *id = xmlNodeGetContent(node(o, 0));
    xmlXPathFreeObject(o);
    char q[256];
    snprintf(q, sizeof q,
             "/rel:Relationships/rel:Relationship[@Id='%s' and @Target="
             "'notesMasters/notesMaster1.xml']",
             (char *)id);
    xmlFree(id);
    o = xpath(part_doc(&pk, "ppt/_rels/presentation.xml.rels"), q);
    assert_int_equal(nodes(o), 1);
    xmlXPathFreeObject(o);
    /* in the order the schema wants: masters, notes master, slides */
    o = xpath(part_doc(&pk, "ppt/presentation.xml"),
              "/p:presentation/*[2][self::p:notesMasterIdLst]");
    assert_int_equal(nodes(o), 1);
    xmlXPathFreeObject(o);
    assert_non_null(part_doc(&pk, "ppt/theme/theme2.xml"));
    package_free(&pk);
    unlink(path);
}

static void test_notes_errors(void **state)
{
    (void)state;
    kbi_deck *d;
    kb_error err;
    ok(kbi_deck_new(&d, TITLE, NULL, NULL, &err), &err);
    assert_int_equal(kbi_deck_notes_add(d, "x", &err), KB_EINVAL);
    ok(kbi_deck_slide_add(d, "S", &err), &err);
    assert_int_equal(kbi_deck_notes_add(d, "bad \xff", &err), KB_EINVAL);
    assert_null(d->slides[0].notes);
    ok(kbi_deck_notes_add(d,
                          "a\x01"
                          "b",
                          &err),
       &err);
    assert_string_equal(d->slides[0].notes, "a b");
    kbi_deck_free(d);
}

static void test_md_notes(void **state)
{
    (void)state;
    kbi_deck *d = notes_deck();
    kb_error err;
    char *buf = NULL;
    size_t len;
    FILE *f = open_memstream(&buf, &len);
    ok(kbi_deck_write_md(d, f, &err), &err);
    fclose(f);
    kbi_deck_free(d);
    /* a comment after the first page of each slide with notes, "--" in it
     * broken up; none on the other pages */
    const char *a = strstr(buf, "\n<!--\nFörsta raden om <&> \"citat\"\n"
                                "Andra - - raden\n-->\n");
    assert_non_null(a);
    assert_null(strstr(a + 1, "\n<!--\nFörsta"));
    const char *second = strstr(buf, "\n# Med anteckningar (forts.)");
    assert_non_null(second);
    assert_true(a < second);
    const char *t = strstr(buf, "\n<!--\nTabellens anteckning\n-->\n");
    assert_non_null(t);
    assert_true(t > strstr(buf, "\n# Tabell"));
    size_t comments = 0;
    for (const char *p = buf; (p = strstr(p, "<!--")); p++)
        comments++;
    assert_int_equal(comments, 2);
    free(buf);
}

static void test_pptx_slides(void **state)
{
    (void)state;
    char path[128];
    temp_path(path, sizeof path, "slides.pptx");
    write_sample(path);
    package pk = {0};
    package_open(&pk, path);
    size_t n;
    char **slides = slide_parts(&pk, &n);

    /* Titles: cover, overview, one page, the long slide continued, the
     * giant quote continued, the long table continued. */
    size_t at = 0;
    char *t = slide_title(&pk, slides[at++]);
    assert_string_equal(t, TITLE);
    free(t);
    t = slide_title(&pk, slides[at++]);
    assert_string_equal(t, "Översikt");
    free(t);
    t = slide_title(&pk, slides[at++]);
    assert_string_equal(t, "Struktur: Regional nivå");
    free(t);
    size_t first_long = at;
    for (size_t i = 0; i < long_slide_pages(); i++) {
        t = slide_title(&pk, slides[at++]);
        assert_string_equal(t, i ? "Struktur: Lokal nivå (forts.)"
                                 : "Struktur: Lokal nivå");
        free(t);
    }
    t = slide_title(&pk, slides[at]);
    assert_string_equal(t, "Struktur: Nivåoberoende");
    free(t);
    size_t first_giant = at++;
    for (;;) {
        assert_true(at < n);
        t = slide_title(&pk, slides[at]);
        int more = !strcmp(t, "Struktur: Nivåoberoende (forts.)");
        free(t);
        if (!more)
            break;
        at++;
    }
    size_t giant_pages = at - first_giant;
    assert_true(giant_pages >= 2);
    for (size_t i = 0; i < long_table_pages(); i++) {
        t = slide_title(&pk, slides[at++]);
        assert_string_equal(t, i ? "Begrepp per tema (forts.)"
                                 : "Begrepp per tema");
        free(t);
    }
    assert_int_equal(at, n);

    /* The cover's subtitle and date, verbatim. */
    size_t np;
    char **body = slide_body(&pk, slides[0], &np);
    assert_int_equal(np, 2);
    assert_string_equal(body[0], SUBTITLE);
    assert_string_equal(body[1], "3 maj 2024");
    free_strings(body);

    /* The quotes with <>&"' and their case ids after them, verbatim, under
     * a bold label; the case ids italic. */
    body = slide_body(&pk, slides[2], &np);
    assert_int_equal(np, 4);
    assert_string_equal(body[0], LABEL_SPECIAL);
    for (size_t i = 0; i < 3; i++) {
        char want[512];
        snprintf(want, sizeof want, "%s%s", special_quotes[i],
                 special_cases[i]);
        assert_string_equal(body[i + 1], want);
    }
    free_strings(body);
    xmlXPathObjectPtr o =
        xpath(part_doc(&pk, slides[2]), "//p:sp[p:nvSpPr/p:nvPr/p:ph[@idx='1']]"
                                        "/p:txBody/a:p[1]/a:r/a:rPr[@b='1']");
    assert_int_equal(nodes(o), 1);
    xmlXPathFreeObject(o);
    o = xpath(part_doc(&pk, slides[2]), "//a:r[a:rPr/@i='1']/a:t");
    assert_int_equal(nodes(o), 3);
    xmlXPathFreeObject(o);

    /* The long slide: every quote once, in order, with its five lines; each
     * continuation page repeats the label on top. */
    int next = 1;
    for (size_t s = first_long; s < first_giant; s++) {
        body = slide_body(&pk, slides[s], &np);
        assert_true(np >= 2);
        assert_string_equal(body[0], LABEL_LONG);
        for (size_t i = 1; i < np; i++) {
            char want[256];
            long_quote(want, sizeof want, next++);
            assert_string_equal(body[i], want);
        }
        free_strings(body);
    }
    assert_int_equal(next, LONG_QUOTES + 1);

    /* The giant quote, split between words across its pages: the pieces
     * after each page's label put together are the quote. */
    char *giant = giant_quote();
    size_t off = 0, pieces = 0;
    for (size_t s = first_giant; s < first_giant + giant_pages; s++) {
        body = slide_body(&pk, slides[s], &np);
        assert_int_equal(np, 2);
        assert_string_equal(body[0], LABEL_GIANT);
        size_t len = strlen(body[1]);
        assert_true(len > 0);
        assert_memory_equal(body[1], giant + off, len);
        off += len;
        if (giant[off]) /* a page ends between words */
            assert_true(giant[off - 1] == ' ' && giant[off] != ' ');
        pieces++;
        free_strings(body);
    }
    assert_int_equal(off, strlen(giant));
    assert_int_equal(pieces, giant_pages);
    free(giant);

    /* The overview table: header and rows, verbatim. */
    o = xpath(part_doc(&pk, slides[1]), "//a:tbl/a:tr");
    assert_int_equal(nodes(o), 3);
    xmlXPathFreeObject(o);
    o = xpath(part_doc(&pk, slides[1]), "//a:tbl/a:tr[3]/a:tc[1]/a:txBody/a:p");
    assert_int_equal(nodes(o), 1);
    char *cell = para_text(node(o, 0));
    assert_string_equal(cell, "Ledarskap <&> styrning");
    free(cell);
    xmlXPathFreeObject(o);
    o = xpath(part_doc(&pk, slides[1]), "//a:tbl/a:tr[1]/a:tc/a:txBody/a:p");
    assert_int_equal(nodes(o), 4);
    cell = para_text(node(o, 3));
    assert_string_equal(cell, "Nivåoberoende");
    free(cell);
    xmlXPathFreeObject(o);

    /* The long table: each page has the header, the rows follow in order. */
    int row = 1;
    for (size_t s = at - long_table_pages(); s < at; s++) {
        o = xpath(part_doc(&pk, slides[s]), "//a:tbl/a:tr");
        assert_true(nodes(o) >= 2);
        for (size_t r = 0; r < nodes(o); r++) {
            xmlXPathContextPtr c = xmlXPathNewContext(part_doc(&pk, slides[s]));
            xmlXPathRegisterNs(c, BAD_CAST "a", BAD_CAST NS_A);
            xmlXPathObjectPtr p = xmlXPathNodeEval(
                node(o, r), BAD_CAST "a:tc[2]/a:txBody/a:p", c);
            assert_int_equal(nodes(p), 1);
            char *v = para_text(node(p, 0));
            char want[32];
            snprintf(want, sizeof want, "Begrepp %d", row);
            assert_string_equal(v, r ? want : "Begrepp");
            row += r > 0;
            free(v);
            xmlXPathFreeObject(p);
            xmlXPathFreeContext(c);
        }
        xmlXPathFreeObject(o);
    }
    assert_int_equal(row, CONCEPT_ROWS + 1);

    free_strings(slides);
    package_free(&pk);
    unlink(path);
}

/* A word wider than a line, many lines long (as text without spaces, such
 * as Chinese, or a long URL): it breaks inside and continues, in order. */
static void test_pptx_long_word(void **state)
{
    (void)state;
    size_t n = 4000;
    char *word = malloc(2 * n + 1);
    for (size_t i = 0; i < n; i++)
        memcpy(word + 2 * i, "å", 2);
    word[2 * n] = '\0';
    kbi_deck *d;
    kb_error err;
    ok(kbi_deck_new(&d, "T", NULL, NULL, &err), &err);
    ok(kbi_deck_slide_add(d, "Ord", &err), &err);
    ok(kbi_deck_para_add(d, 1, &err), &err);
    ok(kbi_deck_run_add(d, KBI_RUN_PLAIN, word, &err), &err);
    char path[128];
    temp_path(path, sizeof path, "word.pptx");
    ok(kbi_deck_write_pptx(d, path, &err), &err);
    kbi_deck_free(d);

    package pk = {0};
    package_open(&pk, path);
    size_t slides;
    char **names = slide_parts(&pk, &slides);
    assert_true(slides >= 3); /* the cover and two pages or more */
    size_t off = 0;
    for (size_t s = 1; s < slides; s++) {
        char *t = slide_title(&pk, names[s]);
        assert_string_equal(t, s > 1 ? "Ord (forts.)" : "Ord");
        free(t);
        size_t np;
        char **body = slide_body(&pk, names[s], &np);
        assert_int_equal(np, 1);
        size_t len = strlen(body[0]);
        assert_true(len > 0);
        assert_memory_equal(body[0], word + off, len);
        off += len;
        free_strings(body);
    }
    assert_int_equal(off, 2 * n);
    free_strings(names);
    package_free(&pk);
    free(word);
    unlink(path);
}

static void test_pptx_io_error(void **state)
{
    (void)state;
    kbi_deck *d = sample_deck();
    kb_error err;
    assert_int_equal(
        kbi_deck_write_pptx(d, "/nonexistent-kodbok-dir/x.pptx", &err), KB_EIO);
    assert_string_equal(err.file, "/nonexistent-kodbok-dir/x.pptx");
    kbi_deck_free(d);
}

/* ------------------------------------------------------------------------ */
/* Tests: Markdown                                                           */
/* ------------------------------------------------------------------------ */

static char *sample_md(size_t *len)
{
    kbi_deck *d = sample_deck();
    kb_error err;
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    assert_non_null(f);
    ok(kbi_deck_write_md(d, f, &err), &err);
    fclose(f);
    kbi_deck_free(d);
    return buf;
}

/* The lines of s (modified in place), NULL-terminated (caller frees). */
static char **lines_of(char *s, size_t *n)
{
    size_t cap = 16;
    char **v = malloc(cap * sizeof *v);
    *n = 0;
    for (char *p = s; *p;) {
        if (*n + 2 > cap)
            v = realloc(v, (cap *= 2) * sizeof *v);
        v[(*n)++] = p;
        char *nl = strchr(p, '\n');
        if (!nl)
            break;
        *nl = '\0';
        p = nl + 1;
    }
    v[*n] = NULL;
    return v;
}

/*
 * Undoes CommonMark backslash escapes in s, failing if a Markdown special
 * character stands unescaped. Returns a new string.
 */
static char *unescape_md(const char *s)
{
    char *out = malloc(strlen(s) + 1), *o = out;
    for (; *s; s++) {
        if (*s == '\\' && s[1] &&
            strchr("\\`*_[]<>#|~$&^{}+-=:.()!\"'", s[1])) {
            *o++ = *++s;
            continue;
        }
        if (strchr("\\`*_[]<>#|~$&^{}", *s))
            fail_msg("unescaped '%c' in Markdown text: %s", *s, s);
        *o++ = *s;
    }
    *o = '\0';
    return out;
}

static void test_md(void **state)
{
    (void)state;
    size_t len;
    char *md = sample_md(&len);
    assert_int_equal(strlen(md), len);
    size_t n;
    char **lines = lines_of(md, &n);

    /* Front matter for Marp. */
    assert_string_equal(lines[0], "---");
    size_t i = 1, marp = 0;
    for (; i < n && strcmp(lines[i], "---"); i++)
        marp += !strcmp(lines[i], "marp: true");
    assert_int_equal(marp, 1);
    assert_true(i < n);

    /* Pages: separated by ---, each under one level-1 heading. */
    size_t seps = 0, heads = 0, pages_giant = 0, pages_long = 0;
    for (size_t k = i + 1; k < n; k++) {
        if (!strcmp(lines[k], "---")) {
            seps++;
            assert_string_equal(lines[k - 1], ""); /* not a setext heading */
            assert_true(k + 2 < n);
            assert_string_equal(lines[k + 1], "");
            assert_true(!strncmp(lines[k + 2], "# ", 2));
        }
        if (!strncmp(lines[k], "# ", 2)) {
            heads++;
            pages_long += !strncmp(lines[k], "# Struktur: Lokal nivå", 22);
            pages_giant += !strncmp(lines[k], "# Struktur: Nivåoberoende", 25);
        }
    }
    assert_int_equal(heads, seps + 1);
    assert_int_equal(pages_long, long_slide_pages());
    assert_true(pages_giant >= 2);
    /* cover, overview, regional, long slide, giant, long table */
    assert_int_equal(heads,
                     3 + long_slide_pages() + pages_giant + long_table_pages());

    /* The title, escaped; the quotes with specials on list lines, escaped
     * so that undoing the escapes gives them back, each followed by its
     * case id in italics. */
    size_t titles = 0, quotes = 0;
    for (size_t k = i + 1; k < n; k++) {
        if (!strncmp(lines[k], "# ", 2) && !titles++) {
            char *t = unescape_md(lines[k] + 2);
            assert_string_equal(t, TITLE);
            free(t);
        }
        for (size_t q = 0; q < 3; q++) {
            char tail[32];
            snprintf(tail, sizeof tail, " *%s*", special_cases[q] + 1);
            size_t ll = strlen(lines[k]), tl = strlen(tail);
            if (strncmp(lines[k], "- ", 2) || ll < tl ||
                strcmp(lines[k] + ll - tl, tail))
                continue;
            lines[k][ll - tl] = '\0';
            char *t = unescape_md(lines[k] + 2);
            assert_string_equal(t, special_quotes[q]);
            free(t);
            quotes++;
        }
    }
    assert_int_equal(quotes, 3);
    /* the bold label */
    int bold = 0;
    for (size_t k = 0; k < n; k++)
        bold += !strcmp(lines[k], "**Roller \\& \\<ansvar\\>**");
    assert_int_equal(bold, 1);
    free(lines);
    free(md);
}

static void test_md_line_starts(void **state)
{
    (void)state;
    kbi_deck *d;
    kb_error err;
    ok(kbi_deck_new(&d, "T", NULL, NULL, &err), &err);
    ok(kbi_deck_slide_add(d, "# Rubrik", &err), &err);
    const char *texts[] = {"1. inte en lista", "- inte heller",
                           "+ plus",           "> inget citat",
                           "  = ingen rubrik", "rad\n2) ny rad"};
    for (size_t i = 0; i < 6; i++) {
        ok(kbi_deck_para_add(d, 0, &err), &err);
        ok(kbi_deck_run_add(d, 0, texts[i], &err), &err);
    }
    char *buf = NULL;
    size_t len;
    FILE *f = open_memstream(&buf, &len);
    ok(kbi_deck_write_md(d, f, &err), &err);
    fclose(f);
    kbi_deck_free(d);
    /* No line may open a block: list, quote, heading (but the titles). */
    size_t n;
    char **lines = lines_of(buf, &n);
    size_t k = 1, paras = 0;
    while (k < n && strcmp(lines[k], "---")) /* the front matter */
        k++;
    for (k++; k < n; k++) {
        const char *l = lines[k];
        if (!*l || !strcmp(l, "---"))
            continue;
        if (!strncmp(l, "# ", 2)) {
            assert_true(!strcmp(l, "# T") || !strcmp(l, "# \\# Rubrik"));
            continue;
        }
        assert_false(l[0] == ' ' || l[0] == '-' || l[0] == '+' || l[0] == '>' ||
                     l[0] == '=' || l[0] == '#');
        size_t digits = strspn(l, "0123456789");
        assert_false(digits && (l[digits] == '.' || l[digits] == ')'));
        paras++;
    }
    assert_int_equal(paras, 7); /* six paragraphs, one with a line break */
    free(lines);
    free(buf);
}

/* ------------------------------------------------------------------------ */
/* Tests: figure slides                                                      */
/* ------------------------------------------------------------------------ */

#define FIG_TITLE "Kodningsstruktur"

static const char *const FIG_HEADERS[] = {"Första ordningens begrepp",
                                          "Andra ordningens teman",
                                          "Aggregerade dimensioner"};

static const char *src_dir; /* the source tree (argv[1]), for the run test */

static void test_figure_model(void **state)
{
    (void)state;
    kbi_deck *d;
    kb_error err;
    ok(kbi_deck_new(&d, "F", NULL, NULL, &err), &err);
    kbi_deck_shape sh = {.x = 0,
                         .y = 0,
                         .w = 100,
                         .h = 40,
                         .text = "Ruta",
                         .pt = 12,
                         .line = 14,
                         .fill = "FFFFFF",
                         .stroke = "",
                         .ink = "000000"};
    assert_int_equal(kbi_deck_shape_add(d, &sh, NULL, &err), KB_EINVAL);
    assert_int_equal(kbi_deck_figure_add(d, "F", 0, 10, &err), KB_EINVAL);
    ok(kbi_deck_figure_add(d, "F", 400, 100, &err), &err);
    /* a figure takes neither paragraphs nor rows */
    assert_int_equal(kbi_deck_para_add(d, 0, &err), KB_EINVAL);
    const char *row[] = {"x"};
    assert_int_equal(kbi_deck_row_add(d, row, &err), KB_EINVAL);
    size_t a, b;
    ok(kbi_deck_shape_add(d, &sh, &a, &err), &err);
    sh.x = 300;
    sh.y = 60;
    ok(kbi_deck_shape_add(d, &sh, &b, &err), &err);
    assert_int_equal(a, 0);
    assert_int_equal(b, 1);
    kbi_deck_shape bad = sh;
    snprintf(bad.ink, sizeof bad.ink, "%s", "");
    assert_int_equal(kbi_deck_shape_add(d, &bad, NULL, &err), KB_EINVAL);
    bad = sh;
    snprintf(bad.fill, sizeof bad.fill, "%s", "12345G");
    assert_int_equal(kbi_deck_shape_add(d, &bad, NULL, &err), KB_EINVAL);
    bad = sh;
    bad.text = "\xC3\x28";
    assert_int_equal(kbi_deck_shape_add(d, &bad, NULL, &err), KB_EINVAL);
    bad = sh;
    bad.h = 0;
    assert_int_equal(kbi_deck_shape_add(d, &bad, NULL, &err), KB_EINVAL);
    assert_int_equal(kbi_deck_link_add(d, a, 2, "000000", &err), KB_EINVAL);
    assert_int_equal(kbi_deck_link_add(d, a, a, "000000", &err), KB_EINVAL);
    assert_int_equal(kbi_deck_link_add(d, a, b, "black", &err), KB_EINVAL);
    ok(kbi_deck_link_add(d, a, b, "8a96a3", &err), &err);
    assert_string_equal(d->slides[0].figure->links[0].rgb, "8A96A3");
    assert_int_equal(d->slides[0].figure->nshapes, 2);
    assert_int_equal(d->slides[0].figure->nlinks, 1);

    /* one page, the drawing scaled whole into the body box and centred */
    kbi_deck_pages pages = {0};
    ok(kbi_deck_paginate(&pages, d, &err), &err);
    assert_int_equal(pages.n, 2);
    const kbi_deck_page *pg = &pages.v[1];
    assert_int_equal(pg->kind, KBI_PAGE_FIGURE);
    double w = KBI_DECK_W - 2 * KBI_DECK_MARGIN;
    assert_float_equal(pg->scale, w / 400, 1e-9); /* the width binds */
    assert_float_equal(pg->fig_x, KBI_DECK_MARGIN, 1e-9);
    assert_float_equal(
        pg->fig_y, KBI_DECK_BODY_Y + (KBI_DECK_BODY_H - 100 * pg->scale) / 2,
        1e-9);
    kbi_deck_pages_free(&pages);
    kbi_deck_free(d);
}

/* Appends printf output to a growing string. */
static void appendf(char **acc, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    append(acc, buf);
}

/* The label of a concept: short, or (every third) long enough to wrap. */
static void concept_label(char *out, size_t n, int d, int t, int c)
{
    snprintf(out, n, "Begrepp %d.%d.%d%s", d, t, c,
             c % 3 ? ""
                   : " om samverkan mellan vårdcentralen och kommunerna "
                     "i Västra Götaland");
}

/*
 * A codebook of `dims` dimensions of `themes` themes of `concepts`
 * concepts, and with `big` > 0 a last dimension of one theme of `big`
 * concepts; every label unique.
 */
static kb_codebook *figure_codebook(int dims, int themes, int concepts, int big)
{
    char *y = NULL;
    append(&y, "kodbok: 1\nname: Figur\ndimensions:\n");
    for (int d = 0; d < dims + (big > 0); d++) {
        int last = d == dims;
        appendf(&y, "  - id: d%d\n    label: Dimension %d\n    themes:\n", d,
                d);
        for (int t = 0; t < (last ? 1 : themes); t++) {
            appendf(&y,
                    "      - id: t%d-%d\n        label: Tema %d.%d\n"
                    "        concepts:\n",
                    d, t, d, t);
            for (int c = 0; c < (last ? big : concepts); c++) {
                char label[160];
                concept_label(label, sizeof label, d, t, c);
                appendf(&y,
                        "          - id: c%d-%d-%d\n"
                        "            label: %s\n",
                        d, t, c, label);
            }
        }
    }
    kb_codebook *cb;
    kb_error err;
    ok(kbi_codebook_parse(&cb, (const unsigned char *)y, strlen(y),
                          "figur.yaml", &err),
       &err);
    free(y);
    return cb;
}

/* The label a node shows: its label, with its count after a no-break
 * space when counts are given. */
static char *shown(const kb_codebook *cb, size_t i, const size_t *counts)
{
    char *s = NULL;
    append(&s, kb_codebook_get(cb, i)->label);
    if (counts && counts[i] != KB_NO_COUNT)
        appendf(&s, "\xC2\xA0(%zu)", counts[i]);
    return s;
}

/* A figure slide read back: its shapes' ids, boxes (EMU) and texts (lines
 * joined by spaces), and its connectors. */
typedef struct fig_shape {
    long id;
    long long x, y, w, h;
    char *text;
} fig_shape;

typedef struct fig_slide {
    char *title;
    fig_shape *shapes;
    size_t nshapes;
    size_t nlinks;
} fig_slide;

static long long emu_prop(xmlNodePtr n, const char *name)
{
    char *v = prop(n, name);
    assert_non_null(v);
    long long x = atoll(v);
    xmlFree(v);
    return x;
}

/* The child element `name` of n, or NULL. */
static xmlNodePtr child(xmlNodePtr n, const char *name)
{
    for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && !strcmp((const char *)c->name, name))
            return c;
    return NULL;
}

/* The position and size in an xfrm. */
static void read_xfrm(xmlNodePtr xfrm, long long *x, long long *y, long long *w,
                      long long *h)
{
    assert_non_null(xfrm);
    *x = emu_prop(child(xfrm, "off"), "x");
    *y = emu_prop(child(xfrm, "off"), "y");
    *w = emu_prop(child(xfrm, "ext"), "cx");
    *h = emu_prop(child(xfrm, "ext"), "cy");
}

static const fig_shape *shape_of(const fig_slide *s, long id)
{
    for (size_t i = 0; i < s->nshapes; i++)
        if (s->shapes[i].id == id)
            return &s->shapes[i];
    return NULL;
}

#define EMU_PT 12700LL

/*
 * Reads figure slide `name` and checks it as PowerPoint sees it: every
 * shape inside the page's body, no text under `min_sz` (hundredths of a
 * point), every connector glued by stCxn and endCxn to shapes of this
 * slide (the right edge's site of the one, the left edge's of the other)
 * and drawn from the one to the other, flipped where it runs upwards.
 */
static void read_figure_slide(const package *pk, const char *name,
                              fig_slide *out, long min_sz)
{
    xmlDocPtr doc = part_doc(pk, name);
    assert_non_null(doc);
    out->title = slide_title(pk, name);
    xmlXPathObjectPtr o =
        xpath(doc, "//p:spTree/p:sp[not(p:nvSpPr/p:nvPr/p:ph)]");
    out->nshapes = nodes(o);
    out->shapes = calloc(out->nshapes + 1, sizeof *out->shapes);
    for (size_t i = 0; i < out->nshapes; i++) {
        xmlNodePtr sp = node(o, i);
        fig_shape *f = &out->shapes[i];
        xmlNodePtr c = child(child(sp, "nvSpPr"), "cNvPr");
        f->id = (long)emu_prop(c, "id");
        read_xfrm(child(child(sp, "spPr"), "xfrm"), &f->x, &f->y, &f->w, &f->h);
        if (f->x < KBI_DECK_MARGIN * EMU_PT - 1 ||
            f->y < KBI_DECK_BODY_Y * EMU_PT - 1 ||
            f->x + f->w > (KBI_DECK_W - KBI_DECK_MARGIN) * EMU_PT + 1 ||
            f->y + f->h > (KBI_DECK_BODY_Y + KBI_DECK_BODY_H) * EMU_PT + 1)
            fail_msg("%s: shape %ld outside the body", name, f->id);
        xmlNodePtr body = child(sp, "txBody");
        assert_non_null(child(child(body, "bodyPr"), "noAutofit"));
        f->text = calloc(1, 1);
        for (xmlNodePtr p = body->children; p; p = p->next) {
            if (p->type != XML_ELEMENT_NODE ||
                strcmp((const char *)p->name, "p"))
                continue;
            char *t = para_text(p);
            for (char *nl = strchr(t, '\n'); nl; nl = strchr(nl, '\n'))
                *nl = ' ';
            append(&f->text, t);
            free(t);
        }
    }
    xmlXPathFreeObject(o);
    /* every size of the figure's text */
    o = xpath(doc, "//p:spTree/p:sp[not(p:nvSpPr/p:nvPr/p:ph)]//a:rPr");
    assert_true(nodes(o) >= out->nshapes);
    for (size_t i = 0; i < nodes(o); i++)
        if (emu_prop(node(o, i), "sz") < min_sz)
            fail_msg("%s: text of %lld/100 pt", name,
                     emu_prop(node(o, i), "sz"));
    xmlXPathFreeObject(o);

    o = xpath(doc, "//p:spTree/p:cxnSp");
    out->nlinks = nodes(o);
    for (size_t i = 0; i < out->nlinks; i++) {
        xmlNodePtr cx = node(o, i);
        xmlNodePtr nv = child(child(cx, "nvCxnSpPr"), "cNvCxnSpPr");
        xmlNodePtr st = child(nv, "stCxn"), en = child(nv, "endCxn");
        assert_non_null(st);
        assert_non_null(en);
        assert_int_equal(emu_prop(st, "idx"), 3);
        assert_int_equal(emu_prop(en, "idx"), 1);
        const fig_shape *a = shape_of(out, (long)emu_prop(st, "id"));
        const fig_shape *b = shape_of(out, (long)emu_prop(en, "id"));
        if (!a || !b)
            fail_msg("%s: a connector names no shape of its slide", name);
        xmlNodePtr pr = child(cx, "spPr");
        xmlNodePtr geom = child(pr, "prstGeom");
        char *prst = prop(geom, "prst");
        assert_string_equal(prst, "bentConnector3");
        xmlFree(prst);
        xmlNodePtr xf = child(pr, "xfrm");
        long long x, y, w, h;
        read_xfrm(xf, &x, &y, &w, &h);
        long long x0 = a->x + a->w, y0 = a->y + a->h / 2, x1 = b->x,
                  y1 = b->y + b->h / 2;
        char *flip = prop(xf, "flipV");
        assert_true(llabs(x - (x0 < x1 ? x0 : x1)) <= 2);
        assert_true(llabs(w - llabs(x1 - x0)) <= 2);
        assert_true(llabs(y - (y0 < y1 ? y0 : y1)) <= 2);
        assert_true(llabs(h - llabs(y1 - y0)) <= 2);
        /* upwards: flipped */
        if (y1 < y0 - 2)
            assert_true(flip && !strcmp(flip, "1"));
        else if (y1 > y0 + 2)
            assert_null(flip);
        xmlFree(flip);
    }
    xmlXPathFreeObject(o);
}

static void fig_slide_free(fig_slide *s)
{
    for (size_t i = 0; i < s->nshapes; i++)
        free(s->shapes[i].text);
    free(s->shapes);
    free(s->title);
}

/* How many shapes of s show `text`. */
static size_t shapes_showing(const fig_slide *s, const char *text)
{
    size_t n = 0;
    for (size_t i = 0; i < s->nshapes; i++)
        n += !strcmp(s->shapes[i].text, text);
    return n;
}

/* The figure slides of the PPTX of deck d (all but the cover). */
static fig_slide *figure_pptx(kbi_deck *d, const char *file, size_t *n,
                              long min_sz)
{
    char path[128];
    kb_error err;
    temp_path(path, sizeof path, file);
    ok(kbi_deck_write_pptx(d, path, &err), &err);
    check_package(path);
    package pk = {0};
    package_open(&pk, path);
    size_t count;
    char **names = slide_parts(&pk, &count);
    assert_true(count >= 2);
    *n = count - 1;
    fig_slide *v = calloc(count, sizeof *v);
    for (size_t i = 1; i < count; i++)
        read_figure_slide(&pk, names[i], &v[i - 1], min_sz);
    free_strings(names);
    package_free(&pk);
    return v;
}

/*
 * Each node of cb on the slides where the figure puts it: each concept on
 * exactly one, with its theme and its theme's dimension; on each slide a
 * node is on, once; the column headers once on every slide; one
 * connector per box with a parent.
 */
static void check_figure_nodes(const kb_codebook *cb, const size_t *counts,
                               const fig_slide *v, size_t n)
{
    size_t nodes_n = kb_codebook_count(cb);
    for (size_t s = 0; s < n; s++) {
        for (int h = 0; h < 3; h++)
            assert_int_equal(shapes_showing(&v[s], FIG_HEADERS[h]), 1);
        size_t boxes = 0, linked = 0;
        for (size_t i = 0; i < nodes_n; i++) {
            const kb_code_info *c = kb_codebook_get(cb, i);
            if (c->kind < KB_CODE_DIMENSION || c->kind > KB_CODE_CONCEPT)
                continue;
            char *t = shown(cb, i, counts);
            size_t k = shapes_showing(&v[s], t);
            assert_true(k <= 1);
            boxes += k;
            linked += k && c->parent != KB_NO_INDEX;
            free(t);
        }
        assert_int_equal(v[s].nshapes, boxes + 3);
        assert_int_equal(v[s].nlinks, linked);
    }
    for (size_t i = 0; i < nodes_n; i++) {
        const kb_code_info *c = kb_codebook_get(cb, i);
        if (c->kind != KB_CODE_CONCEPT)
            continue;
        char *t = shown(cb, i, counts);
        char *theme = shown(cb, c->parent, counts);
        size_t dim = kb_codebook_get(cb, c->parent)->parent;
        char *dimension = dim == KB_NO_INDEX ? NULL : shown(cb, dim, counts);
        size_t on = 0;
        for (size_t s = 0; s < n; s++)
            if (shapes_showing(&v[s], t)) {
                on++;
                assert_int_equal(shapes_showing(&v[s], theme), 1);
                if (dimension)
                    assert_int_equal(shapes_showing(&v[s], dimension), 1);
            }
        if (on != 1)
            fail_msg("concept '%s' on %zu slides", t, on);
        free(t);
        free(theme);
        free(dimension);
    }
}

/* A small figure: one slide, every box once, its counts shown. */
static void test_figure_pptx(void **state)
{
    (void)state;
    kb_codebook *cb = figure_codebook(2, 1, 3, 0);
    size_t n = kb_codebook_count(cb);
    size_t *counts = malloc(n * sizeof *counts);
    for (size_t i = 0; i < n; i++)
        counts[i] = i % 4 ? i * 7 : KB_NO_COUNT;
    kbi_deck *d;
    kb_error err;
    ok(kbi_deck_new(&d, TITLE, NULL, NULL, &err), &err);
    ok(kbi_structure_deck(d, cb, counts, FIG_TITLE, &err), &err);
    assert_int_equal(d->nslides, 1);
    size_t slides;
    fig_slide *v = figure_pptx(d, "figure.pptx", &slides, 1000);
    assert_int_equal(slides, 1);
    assert_string_equal(v[0].title, FIG_TITLE);
    /* three headers, two dimensions, two themes, six concepts */
    assert_int_equal(v[0].nshapes, 3 + 2 + 2 + 6);
    assert_int_equal(v[0].nlinks, 2 + 6);
    check_figure_nodes(cb, counts, v, slides);
    fig_slide_free(&v[0]);
    free(v);
    kbi_deck_free(d);
    free(counts);
    kb_codebook_free(cb);
}

/*
 * A figure too tall for one slide: on several, titled "(forts.)" after the
 * first, whole themes on each but for a theme too tall for a slide of its
 * own, and no label under ten points.
 */
static void test_figure_split(void **state)
{
    (void)state;
    kb_codebook *cb = figure_codebook(3, 4, 8, 40);
    kbi_deck *d;
    kb_error err;
    ok(kbi_deck_new(&d, TITLE, NULL, NULL, &err), &err);
    ok(kbi_structure_deck(d, cb, NULL, FIG_TITLE, &err), &err);
    size_t slides;
    fig_slide *v = figure_pptx(d, "split.pptx", &slides, 1000);
    assert_true(slides >= 4);
    assert_int_equal(slides, d->nslides);
    for (size_t s = 0; s < slides; s++)
        assert_string_equal(v[s].title, s ? FIG_TITLE " (forts.)" : FIG_TITLE);
    check_figure_nodes(cb, NULL, v, slides);
    /* whole themes: a theme of the first dimensions has all its concepts
     * on the one slide it is on */
    size_t n = kb_codebook_count(cb), big_on = 0;
    for (size_t i = 0; i < n; i++) {
        const kb_code_info *c = kb_codebook_get(cb, i);
        if (c->kind != KB_CODE_THEME)
            continue;
        size_t on = 0;
        for (size_t s = 0; s < slides; s++)
            on += shapes_showing(&v[s], c->label);
        if (!strcmp(c->id, "t3-0"))
            big_on = on;
        else
            assert_int_equal(on, 1);
    }
    assert_true(big_on >= 2); /* forty concepts need more than a slide */
    for (size_t s = 0; s < slides; s++)
        fig_slide_free(&v[s]);
    free(v);
    kbi_deck_free(d);
    kb_codebook_free(cb);
}

/* Decodes base64 s[0..n) into a new string (caller frees). */
static char *unbase64(const char *s, size_t n, size_t *len)
{
    static const char abc[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char *out = malloc(n * 3 / 4 + 4);
    size_t k = 0;
    unsigned bits = 0, acc = 0;
    for (size_t i = 0; i < n && s[i] != '='; i++) {
        const char *p = strchr(abc, s[i]);
        if (!p || !s[i])
            fail_msg("not base64: '%c'", s[i]);
        acc = acc << 6 | (unsigned)(p - abc);
        if ((bits += 6) >= 8) {
            bits -= 8;
            out[k++] = (char)(acc >> bits & 0xFF);
        }
    }
    out[k] = '\0';
    *len = k;
    return out;
}

/* The texts of an SVG's groups: each <g>'s <text> lines joined by spaces,
 * appended to v[*n]. */
static void svg_texts(xmlNodePtr e, char ***v, size_t *n)
{
    for (xmlNodePtr c = e->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || strcmp((const char *)c->name, "g"))
            continue;
        char *t = NULL;
        for (xmlNodePtr l = c->children; l; l = l->next)
            if (l->type == XML_ELEMENT_NODE &&
                !strcmp((const char *)l->name, "text")) {
                xmlChar *s = xmlNodeGetContent(l);
                if (t)
                    append(&t, " ");
                append(&t, (const char *)s);
                xmlFree(s);
            }
        if (t) {
            *v = realloc(*v, (*n + 2) * sizeof **v);
            (*v)[(*n)++] = t;
            (*v)[*n] = NULL;
        }
        svg_texts(c, v, n);
    }
}

/* The Markdown of a split figure: an SVG image per slide, inlined as a
 * data URI, well-formed, each concept on one of them with its theme. */
static void test_figure_md(void **state)
{
    (void)state;
    kb_codebook *cb = figure_codebook(3, 4, 8, 0);
    kbi_deck *d;
    kb_error err;
    ok(kbi_deck_new(&d, TITLE, NULL, NULL, &err), &err);
    ok(kbi_structure_deck(d, cb, NULL, FIG_TITLE, &err), &err);
    char *md = NULL;
    size_t len;
    FILE *f = open_memstream(&md, &len);
    assert_non_null(f);
    ok(kbi_deck_write_md(d, f, &err), &err);
    fclose(f);
    size_t nl;
    char **lines = lines_of(md, &nl);
    size_t images = 0, n = kb_codebook_count(cb);
    size_t *seen = calloc(n, sizeof *seen);
    for (size_t k = 0; k < nl; k++) {
        const char *pre = "](data:image/svg+xml;base64,";
        char *at = strstr(lines[k], pre);
        if (!at)
            continue;
        assert_true(!strncmp(lines[k], "![" FIG_TITLE, 2 + strlen(FIG_TITLE)));
        assert_string_equal(lines[k - 2], images ? "# " FIG_TITLE " (forts.)"
                                                 : "# " FIG_TITLE);
        at += strlen(pre);
        char *end = strchr(at, ')');
        assert_non_null(end);
        assert_string_equal(end, ")");
        size_t svg_len;
        char *svg = unbase64(at, (size_t)(end - at), &svg_len);
        xmlDocPtr doc = xmlReadMemory(svg, (int)svg_len, "figure.svg", NULL,
                                      XML_PARSE_NONET);
        if (!doc)
            fail_msg("figure %zu is not well-formed SVG", images + 1);
        xmlNodePtr root = xmlDocGetRootElement(doc);
        assert_string_equal((const char *)root->name, "svg");
        char **texts = NULL;
        size_t nt = 0;
        svg_texts(root, &texts, &nt);
        for (size_t i = 0; i < n; i++) {
            const kb_code_info *c = kb_codebook_get(cb, i);
            for (size_t t = 0; t < nt; t++)
                if (!strcmp(texts[t], c->label)) {
                    seen[i]++;
                    /* a concept's theme is in the same image */
                    if (c->kind == KB_CODE_CONCEPT) {
                        size_t th = 0;
                        for (size_t u = 0; u < nt; u++)
                            th +=
                                !strcmp(texts[u],
                                        kb_codebook_get(cb, c->parent)->label);
                        assert_int_equal(th, 1);
                    }
                }
        }
        for (int h = 0; h < 3; h++) {
            size_t k2 = 0;
            for (size_t t = 0; t < nt; t++)
                k2 += !strcmp(texts[t], FIG_HEADERS[h]);
            assert_int_equal(k2, 1);
        }
        for (size_t t = 0; t < nt; t++)
            free(texts[t]);
        free(texts);
        xmlFreeDoc(doc);
        free(svg);
        images++;
    }
    assert_int_equal(images, d->nslides);
    assert_true(images >= 2);
    for (size_t i = 0; i < n; i++)
        if (kb_codebook_get(cb, i)->kind == KB_CODE_CONCEPT)
            assert_int_equal(seen[i], 1);
    free(seen);
    free(lines);
    free(md);
    kbi_deck_free(d);
    kb_codebook_free(cb);
}

/* The figure of a run: its stored codebook, each node's count from the
 * run's quote list, which is what kb_project_count gives it too. */
static void test_figure_run(void **state)
{
    (void)state;
    if (!src_dir)
        skip();
    char dir[128], db[160];
    fixture_tmpdir(dir, sizeof dir, "figure");
    snprintf(db, sizeof db, "%s/p.kodbok", dir);
    kb_project *p = fixture_sample(src_dir, db, NULL);
    kb_error err;
    /* the counts kodbok structure --counts shows (none: no quote) */
    kb_codebook *cb;
    char path[600];
    snprintf(path, sizeof path, "%s/codebooks/vardsamverkan.yaml", src_dir);
    ok(kb_codebook_load(&cb, path, &err), &err);
    size_t n = kb_codebook_count(cb);
    size_t *counts = malloc(n * sizeof *counts);
    for (size_t i = 0; i < n; i++)
        counts[i] =
            kb_codebook_get(cb, i)->kind <= KB_CODE_CONCEPT ? 0 : KB_NO_COUNT;
    static const char *const axes[] = {"dimension", "theme", "concept"};
    for (int a = 0; a < 3; a++) {
        kb_count_list *l;
        ok(kb_project_count(&l, p, 0, axes[a], &err), &err);
        for (size_t i = 0; i < kb_count_list_count(l); i++) {
            const kb_count *c = kb_count_list_get(l, i);
            size_t node = kb_codebook_find(cb, (kb_code_kind)(a + 1), c->key);
            assert_true(node != KB_NO_INDEX);
            counts[node] = c->quotes;
        }
        kb_count_list_free(l);
    }
    kb_codebook *stored;
    size_t *got;
    kb_quote_list *quotes;
    ok(kbi_structure_run_codebook(&stored, p, 0, &err), &err);
    ok(kb_project_quotes(&quotes, p, NULL, &err), &err);
    ok(kbi_structure_list_counts(&got, stored, quotes, &err), &err);
    assert_int_equal(kb_codebook_count(stored), n);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(kb_codebook_get(stored, i)->id,
                            kb_codebook_get(cb, i)->id);
        assert_int_equal(got[i], counts[i]);
    }
    kbi_deck *d;
    ok(kbi_deck_new(&d, TITLE, NULL, NULL, &err), &err);
    ok(kbi_structure_deck(d, stored, got, FIG_TITLE, &err), &err);
    assert_true(d->nslides >= 2);
    free(got);
    kb_quote_list_free(quotes);
    kb_codebook_free(stored);
    size_t slides;
    fig_slide *v = figure_pptx(d, "run.pptx", &slides, 1000);
    check_figure_nodes(cb, counts, v, slides);
    for (size_t s = 0; s < slides; s++)
        fig_slide_free(&v[s]);
    free(v);
    assert_int_equal(kbi_structure_run_codebook(&stored, p, 99, &err),
                     KB_ENOENT);
    free(counts);
    kb_codebook_free(cb);
    kbi_deck_free(d);
    kb_project_free(p);
    assert_int_equal(fixture_rmdir(dir), 0);
}

/* ------------------------------------------------------------------------ */
/* --tools: LibreOffice, poppler and Pandoc, when installed                  */
/* ------------------------------------------------------------------------ */

static int have(const char *prog)
{
    char cmd[256];
    /* the sanitized run leaves LibreOffice out: its files are the plain
     * run's bytes, rendered there already */
    if (getenv("KODBOK_TEST_NO_OFFICE") &&
        (!strcmp(prog, "soffice") || !strcmp(prog, "libreoffice")))
        return 0;
    snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", prog);
    return system(cmd) == 0;
}

static int run(const char *fmt, ...)
{
    char cmd[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    return system(cmd);
}

/* Slides in a PPTX: its ppt/slides/slideN.xml parts. */
static size_t pptx_slides(const char *path)
{
    package pk = {0};
    package_open(&pk, path);
    size_t n;
    char **names = slide_parts(&pk, &n);
    free_strings(names);
    package_free(&pk);
    return n;
}

/* "Pages: N" from pdfinfo, else the /Type /Page objects of the PDF. */
static size_t pdf_pages(const char *pdf)
{
    char line[256];
    size_t pages = 0;
    if (have("pdfinfo")) {
        snprintf(line, sizeof line, "pdfinfo '%s'", pdf);
        FILE *p = popen(line, "r");
        assert_non_null(p);
        while (fgets(line, sizeof line, p))
            if (!strncmp(line, "Pages:", 6))
                pages = (size_t)atol(line + 6);
        pclose(p);
        return pages;
    }
    FILE *f = fopen(pdf, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    rewind(f);
    char *b = malloc((size_t)size + 1);
    assert_int_equal(fread(b, 1, (size_t)size, f), (size_t)size);
    fclose(f);
    b[size] = '\0';
    for (long i = 0; i + 10 < size; i++)
        if (!memcmp(b + i, "/Type", 5)) {
            long j = i + 5;
            while (b[j] == ' ')
                j++;
            pages += !memcmp(b + j, "/Page", 5) && b[j + 5] != 's';
        }
    free(b);
    return pages;
}

static double num_prop(xmlNodePtr n, const char *name)
{
    char *v = prop(n, name);
    assert_non_null(v);
    double d = atof(v);
    xmlFree(v);
    return d;
}

/*
 * Every word pdftotext finds lies inside its box: the title's on each page
 * but the cover, the body's (text or table) below it, the page's width.
 */
static void check_boxes(const char *html)
{
    xmlDocPtr doc = xmlReadFile(html, NULL, XML_PARSE_NONET);
    assert_non_null(doc);
    size_t page = 0, words = 0;
    xmlNodePtr n = xmlDocGetRootElement(doc);
    while (n) {
        if (n->type == XML_ELEMENT_NODE) {
            const char *name = (const char *)n->name;
            if (!strcmp(name, "page"))
                page++;
            if (!strcmp(name, "word") && page > 1) {
                double y0 = num_prop(n, "yMin"), y1 = num_prop(n, "yMax");
                double x1 = num_prop(n, "xMax");
                double bottom = y0 < KBI_DECK_BODY_Y
                                    ? KBI_DECK_TITLE_Y + KBI_DECK_TITLE_H
                                    : KBI_DECK_BODY_Y + KBI_DECK_BODY_H;
                if (y1 > bottom + 1 || x1 > KBI_DECK_W - KBI_DECK_MARGIN + 1)
                    fail_msg("page %zu: word outside its box at (%.1f, %.1f)",
                             page, x1, y1);
                words++;
            }
        }
        if (n->children && n->type == XML_ELEMENT_NODE) {
            n = n->children;
            continue;
        }
        while (n && !n->next)
            n = n->parent;
        if (n)
            n = n->next;
    }
    assert_true(words > 100);
    xmlFreeDoc(doc);
}

static void test_libreoffice(void **state)
{
    (void)state;
    const char *office = have("soffice") ? "soffice" : "libreoffice";
    if (!have(office))
        skip();
    char pptx[128], pdf[128];
    temp_path(pptx, sizeof pptx, "render.pptx");
    temp_path(pdf, sizeof pdf, "render.pdf");
    write_sample(pptx);
    /* its own profile, so that it runs beside a user's LibreOffice */
    assert_int_equal(run("cd '%s' && timeout 600 %s "
                         "-env:UserInstallation=file://%s/profile --headless "
                         "--convert-to pdf --outdir '%s' '%s' >/dev/null 2>&1",
                         tmpdir, office, tmpdir, tmpdir, pptx),
                     0);
    assert_int_equal(access(pdf, R_OK), 0);
    assert_int_equal(pdf_pages(pdf), pptx_slides(pptx));
    if (have("pdftotext")) {
        char html[128];
        temp_path(html, sizeof html, "render.html");
        assert_int_equal(run("pdftotext -bbox '%s' '%s'", pdf, html), 0);
        check_boxes(html);
    }
}

/* LibreOffice draws the figure slides of a figure too tall for one: a
 * page per slide, every word inside the page's title or body. */
static void test_libreoffice_figure(void **state)
{
    (void)state;
    const char *office = have("soffice") ? "soffice" : "libreoffice";
    if (!have(office))
        skip();
    char pptx[128], pdf[128];
    temp_path(pptx, sizeof pptx, "figure-render.pptx");
    temp_path(pdf, sizeof pdf, "figure-render.pdf");
    kb_codebook *cb = figure_codebook(3, 4, 8, 40);
    kbi_deck *d;
    kb_error err;
    ok(kbi_deck_new(&d, TITLE, NULL, NULL, &err), &err);
    ok(kbi_structure_deck(d, cb, NULL, FIG_TITLE, &err), &err);
    ok(kbi_deck_write_pptx(d, pptx, &err), &err);
    kbi_deck_free(d);
    kb_codebook_free(cb);
    assert_int_equal(run("cd '%s' && timeout 600 %s "
                         "-env:UserInstallation=file://%s/profile --headless "
                         "--convert-to pdf --outdir '%s' '%s' >/dev/null 2>&1",
                         tmpdir, office, tmpdir, tmpdir, pptx),
                     0);
    assert_int_equal(access(pdf, R_OK), 0);
    assert_int_equal(pdf_pages(pdf), pptx_slides(pptx));
    if (have("pdftotext")) {
        char html[128];
        temp_path(html, sizeof html, "figure-render.html");
        assert_int_equal(run("pdftotext -bbox '%s' '%s'", pdf, html), 0);
        check_boxes(html);
    }
}

/* LibreOffice opens the notes deck and keeps its notes: converted to ODP,
 * each slide with notes has them on its notes page. */
static void test_libreoffice_notes(void **state)
{
    (void)state;
    const char *office = have("soffice") ? "soffice" : "libreoffice";
    if (!have(office))
        skip();
    char pptx[128], odp[128];
    temp_path(pptx, sizeof pptx, "notes.pptx");
    temp_path(odp, sizeof odp, "notes.odp");
    kbi_deck *d = notes_deck();
    kb_error err;
    ok(kbi_deck_write_pptx(d, pptx, &err), &err);
    kbi_deck_free(d);
    assert_int_equal(run("cd '%s' && timeout 600 %s "
                         "-env:UserInstallation=file://%s/profile --headless "
                         "--convert-to odp --outdir '%s' '%s' >/dev/null 2>&1",
                         tmpdir, office, tmpdir, tmpdir, pptx),
                     0);
    int zerr = 0;
    zip_t *za = zip_open(odp, ZIP_RDONLY, &zerr);
    assert_non_null(za);
    zip_stat_t st;
    assert_int_equal(zip_stat(za, "content.xml", 0, &st), 0);
    char *buf = malloc(st.size + 1);
    zip_file_t *zf = zip_fopen(za, "content.xml", 0);
    assert_int_equal(zip_fread(zf, buf, st.size), (zip_int64_t)st.size);
    zip_fclose(zf);
    zip_close(za);
    xmlDocPtr doc = xmlReadMemory(buf, (int)st.size, "content.xml", NULL,
                                  XML_PARSE_NONET | XML_PARSE_HUGE);
    free(buf);
    assert_non_null(doc);
    xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
    xmlXPathRegisterNs(ctx, BAD_CAST "draw",
                       BAD_CAST
                       "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0");
    xmlXPathRegisterNs(
        ctx, BAD_CAST "presentation",
        BAD_CAST "urn:oasis:names:tc:opendocument:xmlns:presentation:1.0");
    xmlXPathObjectPtr pages =
        xmlXPathEvalExpression(BAD_CAST "//draw:page", ctx);
    assert_int_equal(nodes(pages), 1 + long_slide_pages() + 2);
    for (size_t i = 0; i < nodes(pages); i++) {
        ctx->node = node(pages, i);
        xmlXPathObjectPtr t =
            xmlXPathEvalExpression(BAD_CAST "string(presentation:notes)", ctx);
        const char *text = (const char *)t->stringval;
        int want = i == 1 || i + 1 == nodes(pages);
        if (want && !strstr(text, i == 1 ? "Andra -- raden" : NOTES_T))
            fail_msg("page %zu lost its notes: '%s'", i + 1, text);
        if (want && i == 1 && !strstr(text, "Första raden om <&> \"citat\""))
            fail_msg("page 2 lost its first note: '%s'", text);
        if (!want && (strstr(text, "raden") || strstr(text, NOTES_T)))
            fail_msg("page %zu has notes: '%s'", i + 1, text);
        xmlXPathFreeObject(t);
    }
    xmlXPathFreeObject(pages);
    xmlXPathFreeContext(ctx);
    xmlFreeDoc(doc);
}

static void test_pandoc(void **state)
{
    (void)state;
    if (!have("pandoc"))
        skip();
    char md_path[128], out[128];
    temp_path(md_path, sizeof md_path, "deck.md");
    temp_path(out, sizeof out, "pandoc.pptx");
    size_t len;
    char *md = sample_md(&len);
    FILE *f = fopen(md_path, "wb");
    assert_non_null(f);
    fwrite(md, 1, len, f);
    fclose(f);
    free(md);
    assert_int_equal(run("pandoc '%s' -o '%s' 2>/dev/null", md_path, out), 0);
    char ours[128];
    temp_path(ours, sizeof ours, "ours.pptx");
    write_sample(ours);
    assert_int_equal(pptx_slides(out), pptx_slides(ours));
}

static void test_marp(void **state)
{
    (void)state;
    if (!have("marp"))
        skip();
    char md_path[128], html[128];
    temp_path(md_path, sizeof md_path, "marp.md");
    temp_path(html, sizeof html, "marp.html");
    size_t len;
    char *md = sample_md(&len);
    FILE *f = fopen(md_path, "wb");
    assert_non_null(f);
    fwrite(md, 1, len, f);
    fclose(f);
    free(md);
    assert_int_equal(run("marp '%s' -o '%s' >/dev/null 2>&1", md_path, html),
                     0);
    /* Marp numbers its slides: the last number is their count. */
    f = fopen(html, "rb");
    assert_non_null(f);
    size_t slides = 0;
    char buf[4096];
    const char *key = "data-marpit-pagination=\"";
    while (fgets(buf, sizeof buf, f))
        for (char *p = strstr(buf, key); p; p = strstr(p + 1, key)) {
            size_t v = (size_t)atol(p + strlen(key));
            if (v > slides)
                slides = v;
        }
    fclose(f);
    char ours[128];
    temp_path(ours, sizeof ours, "ours-marp.pptx");
    write_sample(ours);
    assert_int_equal(slides, pptx_slides(ours));
}

static int cleanup(void **state)
{
    (void)state;
    if (tmpdir[0])
        run("rm -rf '%s'", tmpdir);
    return 0;
}

int main(int argc, char **argv)
{
    src_dir = argc > 1 && strcmp(argv[1], "--tools") ? argv[1] : NULL;
    if (argc > 1 && !strcmp(argv[1], "--tools")) {
        if (!have("soffice") && !have("libreoffice") && !have("pandoc") &&
            !have("marp")) {
            puts("skipped: none of LibreOffice, Pandoc and Marp is installed");
            return 77;
        }
        const struct CMUnitTest tools[] = {
            cmocka_unit_test(test_libreoffice),
            cmocka_unit_test(test_libreoffice_notes),
            cmocka_unit_test(test_libreoffice_figure),
            cmocka_unit_test(test_pandoc),
            cmocka_unit_test(test_marp),
        };
        return cmocka_run_group_tests(tools, NULL, cleanup);
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_model_errors),
        cmocka_unit_test(test_pptx_package),
        cmocka_unit_test(test_pptx_slides),
        cmocka_unit_test(test_pptx_long_word),
        cmocka_unit_test(test_pptx_io_error),
        cmocka_unit_test(test_md),
        cmocka_unit_test(test_md_line_starts),
        cmocka_unit_test(test_pptx_notes),
        cmocka_unit_test(test_notes_errors),
        cmocka_unit_test(test_md_notes),
        cmocka_unit_test(test_figure_model),
        cmocka_unit_test(test_figure_pptx),
        cmocka_unit_test(test_figure_split),
        cmocka_unit_test(test_figure_md),
        cmocka_unit_test(test_figure_run),
    };
    return cmocka_run_group_tests(tests, NULL, cleanup);
}
