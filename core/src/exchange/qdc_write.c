/*
 * qdc_write.c: codebooks as REFI-QDA codes and .qdc files (see
 * qdc_write.h, docs/refi-qda.md).
 */
#include "exchange/qdc_write.h"

#include "base/error.h"
#include "base/names.h"
#include "codebook/codebook.h"
#include "exchange/guid.h"
#include "exchange/refi.h"

#include <stdlib.h>
#include <string.h>

int kbi_qdc_guid(char *out, const kb_codebook *cb, size_t i)
{
    const kb_code_info *c = kb_codebook_get(cb, i);
    if (c->kind == KB_CODE_FACET)
        return kbi_guid(out, "facet:", c->id);
    if (c->kind != KB_CODE_VALUE)
        return kbi_guid(out, "code:", c->id);
    const kb_code_info *f = kb_codebook_get(cb, c->parent);
    size_t n = strlen(f->id) + 1 + strlen(c->id) + 1;
    char *key = malloc(n);
    if (!key)
        return -1;
    snprintf(key, n, "%s/%s", f->id, c->id);
    int rc = kbi_guid(out, "value:", key);
    free(key);
    return rc;
}

/* Appends s to the text *buf (*len of *cap, NUL-ended) as a YAML flow
 * scalar: in single quotes, or in double quotes with escapes when it holds
 * a tab or a line break. 0, or -1 when out of memory. */
static int yaml_scalar(char **buf, size_t *len, size_t *cap, const char *s)
{
    int dq = strpbrk(s, "\t\n\r") != NULL;
    char one[2] = {0, 0};
    if (kbi_xml_append(buf, len, cap, dq ? "\"" : "'"))
        return -1;
    for (const char *c = s; *c; c++) {
        const char *e = NULL;
        if (!dq)
            e = *c == '\'' ? "''" : NULL;
        else
            e = *c == '\\'   ? "\\\\"
                : *c == '"'  ? "\\\""
                : *c == '\t' ? "\\t"
                : *c == '\n' ? "\\n"
                : *c == '\r' ? "\\r"
                             : NULL;
        if (!e) {
            one[0] = *c;
            e = one;
        }
        if (kbi_xml_append(buf, len, cap, e))
            return -1;
    }
    return kbi_xml_append(buf, len, cap, dq ? "\"" : "'");
}

int kbi_qdc_yaml_key(char **buf, size_t *len, size_t *cap, const char *key,
                     const char *s)
{
    return kbi_xml_append(buf, len, cap, "  ") ||
           kbi_xml_append(buf, len, cap, key) ||
           kbi_xml_append(buf, len, cap, ": ") ||
           yaml_scalar(buf, len, cap, s) || kbi_xml_append(buf, len, cap, "\n");
}

int kbi_qdc_yaml_word(char **buf, size_t *len, size_t *cap, const char *key,
                      const char *word)
{
    return kbi_xml_append(buf, len, cap, "  ") ||
           kbi_xml_append(buf, len, cap, key) ||
           kbi_xml_append(buf, len, cap, ": ") ||
           kbi_xml_append(buf, len, cap, word) ||
           kbi_xml_append(buf, len, cap, "\n");
}

/* Appends "  key: [...]" with the node's patterns (exclude 0) or excludes
 * (1), or nothing when it has none. */
static int yaml_patterns(char **buf, size_t *len, size_t *cap,
                         const kbi_cnode *node, int exclude)
{
    size_t listed = 0;
    for (size_t k = 0; k < node->npat; k++) {
        if (node->pat[k].exclude != exclude)
            continue;
        if (kbi_xml_append(buf, len, cap,
                           listed++  ? ", "
                           : exclude ? "  exclude: ["
                                     : "  patterns: [") ||
            yaml_scalar(buf, len, cap, node->pat[k].source))
            return -1;
    }
    return listed ? kbi_xml_append(buf, len, cap, "]\n") : 0;
}

/* The Description of node i: its description, a blank line, its block. */
static char *description(const kb_codebook *cb, size_t i)
{
    const kbi_cnode *node = &cb->nodes[i];
    const kb_code_info *c = &node->info;
    char *buf = NULL;
    size_t len = 0, cap = 0;
    int bad = 0;
    if (c->description && *c->description)
        bad |= kbi_xml_append(&buf, &len, &cap, c->description) ||
               kbi_xml_append(&buf, &len, &cap, "\n\n");
    bad |= kbi_xml_append(&buf, &len, &cap, KBI_REFI_BLOCK "\n") ||
           kbi_qdc_yaml_word(&buf, &len, &cap, "kind",
                             kb_code_kind_name(c->kind)) ||
           kbi_qdc_yaml_key(&buf, &len, &cap, "id", c->id);
    if (c->was)
        bad |= kbi_qdc_yaml_key(&buf, &len, &cap, "was", c->was);
    if (c->kind == KB_CODE_CONCEPT || c->kind == KB_CODE_VALUE)
        bad |= yaml_patterns(&buf, &len, &cap, node, 0);
    if (c->kind == KB_CODE_CONCEPT)
        bad |= yaml_patterns(&buf, &len, &cap, node, 1) ||
               kbi_qdc_yaml_word(&buf, &len, &cap, "scope",
                                 kb_segment_kind_name(c->scope)) ||
               kbi_qdc_yaml_word(&buf, &len, &cap, "speakers",
                                 kbi_speakers_name(c->speakers));
    if (c->kind == KB_CODE_CONCEPT || c->kind == KB_CODE_VALUE)
        bad |= kbi_qdc_yaml_word(&buf, &len, &cap, "caseless",
                                 c->caseless ? "true" : "false");
    if (c->kind == KB_CODE_FACET && c->attribute)
        bad |= kbi_qdc_yaml_key(&buf, &len, &cap, "attribute", c->attribute);
    if (c->kind == KB_CODE_FACET && c->default_value)
        bad |= kbi_qdc_yaml_key(&buf, &len, &cap, "default", c->default_value);
    if (bad) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* What every code of a <Codes> is written with. */
typedef struct codes_ctx {
    const kb_codebook *cb;
    const unsigned char *coded;
    kbi_qdc_notes_fn notes;
    void *ctx;
    kb_error *err;
} codes_ctx;

/* Writes node i and the nodes under it. */
static int code(kbi_xml *x, const codes_ctx *k, size_t i)
{
    const kb_codebook *cb = k->cb;
    const unsigned char *coded = k->coded;
    kb_error *err = k->err;
    const kb_code_info *c = kb_codebook_get(cb, i);
    char guid[KBI_GUID_LEN + 1];
    char *desc = description(cb, i);
    if (!desc || kbi_qdc_guid(guid, cb, i)) {
        free(desc);
        return kbi_fail(err, KB_ENOMEM, "out of memory writing code '%s'",
                        c->id);
    }
    int codable = c->kind == KB_CODE_CONCEPT || c->kind == KB_CODE_VALUE ||
                  (coded && coded[i]);
    kbi_xml_open(x, "Code");
    kbi_xml_attr(x, "guid", guid);
    kbi_xml_attr(x, "name", c->label);
    kbi_xml_attr(x, "isCodable", codable ? "true" : "false");
    kbi_xml_open(x, "Description");
    kbi_xml_text(x, desc, strlen(desc));
    kbi_xml_close(x);
    free(desc);
    int rc = k->notes ? k->notes(k->ctx, x, c) : 0;
    size_t n = kb_codebook_count(cb);
    for (size_t j = i + 1; j < n && !rc; j++)
        if (kb_codebook_get(cb, j)->parent == i)
            rc = code(x, k, j);
    kbi_xml_close(x);
    return rc;
}

int kbi_qdc_codes(kbi_xml *x, const kb_codebook *cb, const unsigned char *coded,
                  kbi_qdc_notes_fn notes, void *ctx, kb_error *err)
{
    const codes_ctx k = {cb, coded, notes, ctx, err};
    size_t n = kb_codebook_count(cb);
    if (!n)
        return kbi_fail(err, KB_EINVAL,
                        "codebook '%s' has no codes, which REFI-QDA needs",
                        kb_codebook_name(cb));
    int rc = 0;
    kbi_xml_open(x, "Codes");
    for (size_t i = 0; i < n && !rc; i++)
        if (kb_codebook_get(cb, i)->parent == KB_NO_INDEX)
            rc = code(x, &k, i);
    kbi_xml_close(x);
    return rc;
}

int kbi_qdc_set(kbi_xml *x, const kb_codebook *cb, kb_error *err)
{
    const char *name = kb_codebook_name(cb);
    char guid[KBI_GUID_LEN + 1];
    char *buf = NULL;
    size_t len = 0, cap = 0;
    if (kbi_guid(guid, "codebook:", name) ||
        kbi_xml_append(&buf, &len, &cap, KBI_REFI_BLOCK "\n") ||
        kbi_qdc_yaml_word(&buf, &len, &cap, "kind", "codebook") ||
        kbi_qdc_yaml_word(&buf, &len, &cap, "format", "1") ||
        kbi_qdc_yaml_key(&buf, &len, &cap, "name", name)) {
        free(buf);
        return kbi_fail(err, KB_ENOMEM, "out of memory writing codebook '%s'",
                        name);
    }
    kbi_xml_open(x, "Set");
    kbi_xml_attr(x, "guid", guid);
    kbi_xml_attr(x, "name", name);
    kbi_xml_open(x, "Description");
    kbi_xml_text(x, buf, len);
    kbi_xml_close(x);
    kbi_xml_close(x);
    free(buf);
    return 0;
}

int kb_codebook_write_qdc(FILE *out, const kb_codebook *cb,
                          const kb_qdc_options *opts, kb_error *err)
{
    if (opts && opts->version != KB_QDC_OPTIONS_VERSION)
        return kbi_fail(err, KB_EINVAL, "qdc options of version %u, not %u",
                        opts->version, KB_QDC_OPTIONS_VERSION);
    kbi_xml x;
    if (kbi_xml_begin(&x, NULL, 1))
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    kbi_xml_open(&x, "CodeBook");
    kbi_xml_attr(&x, "xmlns", KBI_REFI_NS_CODEBOOK);
    kbi_xml_attr(&x, "origin", KBI_REFI_ORIGIN);
    int rc = kbi_qdc_codes(&x, cb, NULL, NULL, NULL, err);
    if (!rc) {
        kbi_xml_open(&x, "Sets");
        rc = kbi_qdc_set(&x, cb, err);
        kbi_xml_close(&x);
    }
    kbi_xml_close(&x);
    size_t len = 0;
    const char *doc = rc ? NULL : kbi_xml_finish(&x, &len);
    if (!rc && !doc)
        rc = kbi_fail(err, KB_ENOMEM, "out of memory writing the codebook");
    if (!rc && (fwrite(doc, 1, len, out) != len || fflush(out)))
        rc = kbi_fail(err, KB_EIO, "cannot write the codebook");
    kbi_xml_free(&x);
    return rc;
}
