/*
 * test_refi_write.c: what kodbok writes for REFI-QDA tools. The GUIDs
 * against RFC 4122's version 5 (checked against Python's uuid5); a
 * codebook written as .qdc validated against Codebook.xsd and its rules
 * blocks read back by libyaml; the sample project written as .qdpx, read
 * back with libzip and libxml2, validated against Project.xsd, its
 * selections holding their quotes' text in code points (and with CRLF line
 * ends), its memos as notes, and the same bytes on a second export.
 *
 * Usage: test_refi_write SOURCE_DIR SHARED_DIR (the schemas are in
 * SHARED_DIR/refi-qda; the schema tests skip without them).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "exchange/guid.h"
#include "fixture.h"
#include "kodbok.h"

#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <yaml.h>
#include <zip.h>

static const char *source, *shared;

/* ------------------------------------------------------------------------ */
/* GUIDs                                                                     */
/* ------------------------------------------------------------------------ */

static void guid_is_rfc4122_v5(void **state)
{
    (void)state;
    char g[KBI_GUID_LEN + 1];
    /* The DNS namespace and www.example.com (Python: uuid.uuid5). */
    assert_int_equal(kbi_guid_v5(g, "6ba7b810-9dad-11d1-80b4-00c04fd430c8",
                                 "www.", "example.com"),
                     0);
    assert_string_equal(g, "2ed6657d-e927-568b-95e1-2665a8aea6a2");
    /* kodbok's namespace is uuid5(NAMESPACE_URL, "kodbok:refi-qda"). */
    assert_int_equal(kbi_guid_v5(g, "6ba7b811-9dad-11d1-80b4-00c04fd430c8",
                                 "kodbok:", "refi-qda"),
                     0);
    assert_string_equal(g, KBI_GUID_NAMESPACE);
    assert_int_equal(kbi_guid(g, "code:", "helheten-viktig"), 0);
    assert_string_equal(g, "a3c9af7b-a326-5214-8745-d219b79bb90e");
    char h[KBI_GUID_LEN + 1];
    assert_int_equal(kbi_guid(h, "source:", "helheten-viktig"), 0);
    assert_string_not_equal(g, h);
    assert_int_equal(kbi_guid_v5(g, "not-a-uuid", "a", "b"), -1);
    assert_string_equal(g, "");
}

/* ------------------------------------------------------------------------ */
/* Helpers                                                                   */
/* ------------------------------------------------------------------------ */

/* Is the document valid against SHARED/refi-qda/NAME? -1: no schema. */
static int schema_valid(xmlDocPtr doc, const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/refi-qda/%s", shared, name);
    if (access(path, R_OK))
        return -1;
    xmlSchemaParserCtxtPtr pc = xmlSchemaNewParserCtxt(path);
    xmlSchemaPtr schema = xmlSchemaParse(pc);
    assert_non_null(schema);
    xmlSchemaValidCtxtPtr vc = xmlSchemaNewValidCtxt(schema);
    int rc = xmlSchemaValidateDoc(vc, doc);
    xmlSchemaFreeValidCtxt(vc);
    xmlSchemaFree(schema);
    xmlSchemaFreeParserCtxt(pc);
    return rc == 0;
}

static int is(xmlNodePtr n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name);
}

static char *prop(xmlNodePtr n, const char *name)
{
    return (char *)xmlGetProp(n, BAD_CAST name);
}

static xmlNodePtr child(xmlNodePtr n, const char *name)
{
    for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next)
        if (is(c, name))
            return c;
    return NULL;
}

/* Every element `name` under n, depth first, into v (up to max). */
static size_t all(xmlNodePtr n, const char *name, xmlNodePtr *v, size_t max,
                  size_t k)
{
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (is(c, name) && k < max)
            v[k++] = c;
        if (c->type == XML_ELEMENT_NODE)
            k = all(c, name, v, max, k);
    }
    return k;
}

/* The `kodbok:` block of a Description read by libyaml: the values of
 * `key` (a scalar, or the items of a flow list) joined by '\x1f'. */
static char *block_values(const char *desc, const char *key)
{
    const char *b = strstr(desc, "kodbok:\n");
    assert_non_null(b);
    assert_true(b == desc || (b[-1] == '\n' && b[-2] == '\n'));
    yaml_parser_t p;
    yaml_event_t e;
    yaml_parser_initialize(&p);
    yaml_parser_set_input_string(&p, (const unsigned char *)b, strlen(b));
    char *out = calloc(1, 1);
    size_t len = 0;
    int depth = 0, want = 0, expect_key = 1;
    for (;;) {
        assert_int_equal(yaml_parser_parse(&p, &e), 1);
        yaml_event_type_t t = e.type;
        if (t == YAML_MAPPING_START_EVENT)
            depth++, expect_key = 1;
        else if (t == YAML_MAPPING_END_EVENT)
            depth--;
        else if (t == YAML_SEQUENCE_START_EVENT)
            depth++;
        else if (t == YAML_SEQUENCE_END_EVENT)
            depth--, want = 0, expect_key = 1;
        else if (t == YAML_SCALAR_EVENT) {
            const char *v = (const char *)e.data.scalar.value;
            if (depth == 2 && expect_key) {
                want = !strcmp(v, key);
                expect_key = 0;
            } else if (want) {
                size_t n = strlen(v);
                out = realloc(out, len + n + 2);
                if (len)
                    out[len++] = '\x1f';
                memcpy(out + len, v, n + 1);
                len += n;
                if (depth == 2)
                    want = 0;
            }
            if (depth == 2 && !want && t == YAML_SCALAR_EVENT &&
                strcmp(v, key) && !expect_key)
                expect_key = 1;
        }
        yaml_event_delete(&e);
        if (t == YAML_STREAM_END_EVENT)
            break;
    }
    yaml_parser_delete(&p);
    return out;
}

/* ------------------------------------------------------------------------ */
/* QDC                                                                       */
/* ------------------------------------------------------------------------ */

static const char CODEBOOK[] =
    "kodbok: 1\n"
    "name: Ledarskap i vården\n"
    "defaults: { scope: paragraph }\n"
    "dimensions:\n"
    "  - id: styrning\n"
    "    label: Styrning\n"
    "    description: Hur verksamheten styrs.\n"
    "    themes:\n"
    "      - id: mandat\n"
    "        label: Mandat\n"
    "        concepts:\n"
    "          - id: mandat-saknas\n"
    "            label: Mandat saknas\n"
    "            description: 'Chefen \"får inte\" besluta.'\n"
    "            patterns: ['\\bfår inte besluta\\b', 'chefens '' mandat', "
    "\"tab\\there\"]\n"
    "            exclude: ['\\binte alls\\b']\n"
    "            speakers: all\n"
    "            caseless: false\n"
    "            was: mandat-brist\n"
    "          - id: manuell\n"
    "            label: Bara för hand\n"
    "facets:\n"
    "  - id: level\n"
    "    label: Nivå\n"
    "    attribute: level\n"
    "    default: lokal\n"
    "    values:\n"
    "      - { id: regional, label: Regional, patterns: ['\\bVGR\\b'] }\n"
    "      - { id: lokal, label: Lokal }\n";

static xmlDocPtr write_qdc(const kb_codebook *cb)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    kb_error err;
    kb_qdc_options o = KB_QDC_OPTIONS_INIT;
    int rc = kb_codebook_write_qdc(f, cb, &o, &err);
    fclose(f);
    if (rc)
        fail_msg("%s", err.message);
    xmlDocPtr doc =
        xmlReadMemory(buf, (int)len, "codebook.qdc", NULL, XML_PARSE_NONET);
    free(buf);
    assert_non_null(doc);
    return doc;
}

static void qdc_codes_and_rules(void **state)
{
    (void)state;
    char dir[256], path[512];
    fixture_tmpdir(dir, sizeof dir, "qdc");
    snprintf(path, sizeof path, "%s/cb.yaml", dir);
    FILE *f = fopen(path, "w");
    fputs(CODEBOOK, f);
    fclose(f);
    kb_codebook *cb;
    kb_error err;
    if (kb_codebook_load(&cb, path, &err))
        fail_msg("%s", err.message);
    xmlDocPtr doc = write_qdc(cb);
    xmlNodePtr root = xmlDocGetRootElement(doc);
    assert_true(is(root, "CodeBook"));
    assert_string_equal((const char *)root->ns->href,
                        "urn:QDA-XML:codebook:1.0");
    int valid = schema_valid(doc, "Codebook.xsd");
    assert_true(valid != 0);

    xmlNodePtr codes[64];
    size_t n = all(root, "Code", codes, 64, 0);
    assert_int_equal(n, kb_codebook_count(cb));
    for (size_t i = 0; i < n; i++) {
        const kb_code_info *c = kb_codebook_get(cb, i);
        char *name = prop(codes[i], "name"),
             *codable = prop(codes[i], "isCodable");
        char *guid = prop(codes[i], "guid");
        assert_string_equal(name, c->label);
        assert_string_equal(codable, c->kind == KB_CODE_CONCEPT ||
                                             c->kind == KB_CODE_VALUE
                                         ? "true"
                                         : "false");
        /* nested as in the codebook */
        xmlNodePtr up = codes[i]->parent;
        if (c->parent == KB_NO_INDEX)
            assert_true(is(up, "Codes"));
        else
            assert_ptr_equal(up, codes[c->parent]);
        xmlChar *desc = xmlNodeGetContent(child(codes[i], "Description"));
        char *kind = block_values((const char *)desc, "kind");
        char *id = block_values((const char *)desc, "id");
        assert_string_equal(kind, kb_code_kind_name(c->kind));
        assert_string_equal(id, c->id);
        if (c->description) {
            size_t dl = strlen(c->description);
            assert_memory_equal(desc, c->description, dl);
            assert_memory_equal(desc + dl, "\n\nkodbok:\n", 10);
        }
        if (c->kind == KB_CODE_CONCEPT || c->kind == KB_CODE_DIMENSION) {
            char g[KBI_GUID_LEN + 1];
            kbi_guid(g, "code:", c->id);
            assert_string_equal(guid, g);
        }
        free(kind);
        free(id);
        xmlFree(desc);
        xmlFree(name);
        xmlFree(codable);
        xmlFree(guid);
    }
    /* The concept's rules, read back by libyaml as they were written. */
    size_t ci = kb_codebook_find(cb, KB_CODE_CONCEPT, "mandat-saknas");
    xmlChar *desc = xmlNodeGetContent(child(codes[ci], "Description"));
    char *pats = block_values((const char *)desc, "patterns");
    assert_string_equal(pats, "\\bfår inte besluta\\b\x1f"
                              "chefens ' mandat\x1f"
                              "tab\there");
    char *ex = block_values((const char *)desc, "exclude");
    char *scope = block_values((const char *)desc, "scope");
    char *speakers = block_values((const char *)desc, "speakers");
    char *caseless = block_values((const char *)desc, "caseless");
    char *was = block_values((const char *)desc, "was");
    assert_string_equal(ex, "\\binte alls\\b");
    assert_string_equal(scope, "paragraph");
    assert_string_equal(speakers, "all");
    assert_string_equal(caseless, "false");
    assert_string_equal(was, "mandat-brist");
    free(pats), free(ex), free(scope), free(speakers), free(caseless);
    free(was);
    xmlFree(desc);
    size_t fi = kb_codebook_find(cb, KB_CODE_FACET, "level");
    desc = xmlNodeGetContent(child(codes[fi], "Description"));
    char *attr = block_values((const char *)desc, "attribute");
    char *def = block_values((const char *)desc, "default");
    assert_string_equal(attr, "level");
    assert_string_equal(def, "lokal");
    free(attr), free(def);
    xmlFree(desc);
    /* The codebook's name in its set. */
    xmlNodePtr set = child(child(root, "Sets"), "Set");
    assert_non_null(set);
    desc = xmlNodeGetContent(child(set, "Description"));
    char *name = block_values((const char *)desc, "name");
    assert_string_equal(name, "Ledarskap i vården");
    free(name);
    xmlFree(desc);
    xmlFreeDoc(doc);
    kb_codebook_free(cb);
    assert_int_equal(fixture_rmdir(dir), 0);
    if (valid < 0)
        skip();
}

/* ------------------------------------------------------------------------ */
/* QDPX                                                                      */
/* ------------------------------------------------------------------------ */

/* Entry `name` of the zip at `path` (caller frees), NULL if absent. */
static char *zip_entry(const char *path, const char *name, size_t *len)
{
    int e;
    zip_t *za = zip_open(path, ZIP_RDONLY, &e);
    assert_non_null(za);
    zip_stat_t st;
    char *data = NULL;
    if (!zip_stat(za, name, 0, &st)) {
        zip_file_t *zf = zip_fopen(za, name, 0);
        data = malloc(st.size + 1);
        assert_int_equal(zip_fread(zf, data, st.size), (zip_int64_t)st.size);
        data[st.size] = '\0';
        *len = st.size;
        zip_fclose(zf);
    }
    zip_close(za);
    return data;
}

/* The bytes of code points [start, end) of s. */
static char *cp_slice(const char *s, size_t start, size_t end)
{
    size_t cp = 0, i = 0, b = 0;
    for (; s[i]; i++) {
        if (((unsigned char)s[i] & 0xC0) != 0x80) {
            if (cp == start)
                b = i;
            if (cp == end)
                break;
            cp++;
        }
    }
    return strndup(s + b, i - b);
}

/* s with every LF as CRLF. */
static char *crlf(const char *s)
{
    char *o = malloc(2 * strlen(s) + 1), *w = o;
    for (; *s; s++) {
        if (*s == '\n')
            *w++ = '\r';
        *w++ = *s;
    }
    *w = '\0';
    return o;
}

/* Checks the .qdpx at `path` against the project; `le` its line ends. */
static void check_qdpx(kb_project *p, const char *path, kb_line_ends le)
{
    size_t len;
    char *qde = zip_entry(path, "project.qde", &len);
    assert_non_null(qde);
    xmlDocPtr doc =
        xmlReadMemory(qde, (int)len, "project.qde", NULL, XML_PARSE_NONET);
    assert_non_null(doc);
    free(qde);
    xmlNodePtr root = xmlDocGetRootElement(doc);
    assert_true(is(root, "Project"));
    assert_int_not_equal(schema_valid(doc, "Project.xsd"), 0);

    kb_error err;
    kb_quote_filter f = {0};
    f.source = "auto";
    kb_quote_list *auto_q;
    kb_tag_list *tags;
    kb_doc_list *docs;
    assert_int_equal(kb_project_quotes(&auto_q, p, &f, &err), 0);
    assert_int_equal(kb_project_tags(&tags, p, NULL, &err), 0);
    assert_int_equal(kb_project_docs(&docs, p, &err), 0);

    static xmlNodePtr v[20000];
    size_t nsrc = all(root, "TextSource", v, 20000, 0);
    assert_int_equal(nsrc, kb_doc_list_count(docs));
    size_t nsel = 0, rules_sel = 0, checked = 0;
    char rules[KBI_GUID_LEN + 1];
    kbi_guid(rules, "user:", "kodbok rules");
    for (size_t d = 0; d < nsrc; d++) {
        xmlNodePtr ts = v[d];
        char *name = prop(ts, "name"), *guid = prop(ts, "guid");
        char *ptp = prop(ts, "plainTextPath");
        char want[128], entry[128];
        snprintf(want, sizeof want, "internal://%s.txt", guid);
        assert_string_equal(ptp, want);
        snprintf(entry, sizeof entry, "sources/%s.txt", guid);
        size_t tl;
        char *text = zip_entry(path, entry, &tl);
        assert_non_null(text);
        kb_document *doc_k;
        assert_int_equal(kb_document_load(&doc_k, p, name, 0, &err), 0);
        const char *stored = kb_document_text(doc_k, NULL);
        char *expect = le == KB_LINE_ENDS_CRLF ? crlf(stored) : strdup(stored);
        assert_string_equal(text, expect);
        for (xmlNodePtr s = ts->children; s; s = s->next) {
            if (!is(s, "PlainTextSelection"))
                continue;
            nsel++;
            char *user = prop(s, "creatingUser");
            char *a = prop(s, "startPosition"), *b = prop(s, "endPosition");
            size_t start = strtoul(a, NULL, 10), end = strtoul(b, NULL, 10);
            char *got = cp_slice(text, start, end);
            if (!strcmp(user, rules)) {
                /* the quote's text, found among the document's quotes */
                rules_sel++;
                int found = 0;
                for (size_t i = 0; i < kb_quote_list_count(auto_q) && !found;
                     i++) {
                    const kb_quote_row *r = kb_quote_list_get(auto_q, i);
                    if (strcmp(r->document, name))
                        continue;
                    char *qt = le == KB_LINE_ENDS_CRLF ? crlf(r->text)
                                                       : strdup(r->text);
                    found = !strcmp(qt, got);
                    free(qt);
                }
                assert_true(found);
                checked++;
            }
            free(got);
            xmlFree(user), xmlFree(a), xmlFree(b);
        }
        free(expect);
        free(text);
        kb_document_free(doc_k);
        xmlFree(name), xmlFree(guid), xmlFree(ptp);
    }
    size_t placed = 0, memos = 0;
    for (size_t i = 0; i < kb_tag_list_count(tags); i++) {
        placed += kb_tag_list_get(tags, i)->placed;
        memos += *kb_tag_list_get(tags, i)->memo != '\0';
    }
    assert_int_equal(rules_sel, kb_quote_list_count(auto_q));
    assert_int_equal(nsel, rules_sel + placed);
    assert_true(checked > 0);
    assert_int_equal(all(root, "Note", v, 20000, 0), memos);
    /* A memo's note says it. */
    xmlChar *memo = xmlNodeGetContent(
        child(child(child(root, "Notes"), "Note"), "PlainTextContent"));
    assert_string_equal((const char *)memo, "Tydligt om mandatet.");
    xmlFree(memo);
    kb_doc_list_free(docs);
    kb_tag_list_free(tags);
    kb_quote_list_free(auto_q);
    xmlFreeDoc(doc);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    *len = (size_t)ftell(f);
    rewind(f);
    char *b = malloc(*len + 1);
    assert_int_equal(fread(b, 1, *len, f), *len);
    fclose(f);
    return b;
}

static void qdpx_project(void **state)
{
    (void)state;
    char dir[256], db[512], out[512], again[512];
    fixture_tmpdir(dir, sizeof dir, "qdpx");
    snprintf(db, sizeof db, "%s/p.db", dir);
    snprintf(out, sizeof out, "%s/p.qdpx", dir);
    snprintf(again, sizeof again, "%s/again.qdpx", dir);
    kb_project *p = fixture_sample(source, db, NULL);
    kb_error err;
    char tags[1024];
    snprintf(tags, sizeof tags, "%s/corpora/vardsamverkan/tags/anna.tsv",
             source);
    assert_int_equal(kb_tags_import(NULL, p, tags, NULL, &err), 0);
    /* a tag with a memo and a level */
    kb_tag_list *tl;
    assert_int_equal(kb_project_tags(&tl, p, NULL, &err), 0);
    const kb_tag_info *t0 = kb_tag_list_get(tl, 0);
    kb_where at = {.by = KB_AT_SPAN, .start = t0->start, .end = t0->end};
    kb_tag_options to = KB_TAG_OPTIONS_INIT;
    const char *facets[] = {"level=lokal"};
    to.coder = "cecilia";
    to.memo = "Tydligt om mandatet.";
    to.facets = facets;
    to.nfacets = 1;
    char *doc0 = strdup(t0->document), *code0 = strdup(t0->code);
    kb_tag_list_free(tl);
    if (kb_tag_add(NULL, p, doc0, code0, &at, &to, &err))
        fail_msg("%s", err.message);

    kb_qdpx_options o = KB_QDPX_OPTIONS_INIT;
    if (kb_project_write_qdpx(p, out, &o, &err))
        fail_msg("%s", err.message);
    check_qdpx(p, out, KB_LINE_ENDS_LF);
    /* The same project, the same bytes (GUIDs, times). */
    assert_int_equal(kb_project_write_qdpx(p, again, &o, &err), 0);
    size_t la, lb;
    char *a = slurp(out, &la), *b = slurp(again, &lb);
    assert_int_equal(la, lb);
    assert_memory_equal(a, b, la);
    free(a), free(b);
    /* The facet value of Cecilia's tag is a coding of the value's code. */
    size_t len;
    char *qde = zip_entry(out, "project.qde", &len);
    char lokal[KBI_GUID_LEN + 1], cecilia[KBI_GUID_LEN + 1], ref[80];
    kbi_guid(lokal, "value:", "level/lokal");
    kbi_guid(cecilia, "user:", "cecilia");
    snprintf(ref, sizeof ref, "<CodeRef targetGUID=\"%s\"/>", lokal);
    const char *sel = strstr(qde, cecilia); /* the User, then selections */
    assert_non_null(sel);
    assert_non_null(strstr(qde, ref));
    free(qde);

    o.line_ends = KB_LINE_ENDS_CRLF;
    assert_int_equal(kb_project_write_qdpx(p, out, &o, &err), 0);
    check_qdpx(p, out, KB_LINE_ENDS_CRLF);

    /* Bad options change nothing. */
    o.line_ends = (kb_line_ends)7;
    assert_int_equal(kb_project_write_qdpx(p, again, &o, &err), KB_EINVAL);
    assert_string_equal(err.argument, "line_ends");
    kb_project_free(p);
    free(doc0), free(code0);
    assert_int_equal(fixture_rmdir(dir), 0);
}

int main(int argc, char **argv)
{
    source = argc > 1 ? argv[1] : ".";
    shared = argc > 2 ? argv[2] : "../shared";
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(guid_is_rfc4122_v5),
        cmocka_unit_test(qdc_codes_and_rules),
        cmocka_unit_test(qdpx_project),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
