/*
 * rule.c: a concept's rule with other patterns. A pattern is checked as the
 * codebook loader checks one (codebook.c); the codebook made of it is YAML
 * written here and parsed by the loader, so that its concepts are compiled,
 * prefiltered and hashed exactly as a codebook file's.
 */
#include "codebook/rule.h"
#include "base/error.h"
#include "base/grow.h"
#include "base/utf8.h"
#include "codebook/codebook.h"

#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int kbi_yaml_quoted(char **buf, size_t *len, size_t *cap, const char *s)
{
    size_t n = strlen(s);
    if (kbi_grow(buf, cap, *len + 2 * n + 3, 1))
        return -1;
    (*buf)[(*len)++] = '\'';
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\'')
            (*buf)[(*len)++] = '\'';
        (*buf)[(*len)++] = s[i];
    }
    (*buf)[(*len)++] = '\'';
    (*buf)[*len] = '\0';
    return 0;
}

int kbi_rule_check(const char *pat, int caseless, size_t index,
                   const char *argument, kb_error *err)
{
    int line = (int)index + 1;
    for (size_t i = 0; pat[i]; i++)
        if ((unsigned char)pat[i] < 0x20 && pat[i] != '\t' && pat[i] != '\n') {
            kbi_fail_arg(err, KB_EFORMAT, argument,
                         "pattern %zu has a control character (U+%04X), "
                         "which no text contains",
                         index + 1, (unsigned)pat[i]);
            if (err) {
                err->line = line;
                err->column = (int)kbi_utf8_count(pat, i) + 1;
            }
            return KB_EFORMAT;
        }
    int ec;
    size_t off;
    char *nfc;
    pcre2_code *re;
    int rc = kbi_pattern_compile(&re, &nfc, pat, caseless, &ec, &off);
    if (rc == KB_ENOMEM)
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    int column = nfc ? (int)kbi_utf8_count(nfc, off) + 1 : 1;
    if (rc) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(ec, msg, sizeof msg);
        kbi_fail_arg(err, KB_EFORMAT, argument,
                     "pattern %zu: invalid regex at character %d: %s",
                     index + 1, column, (const char *)msg);
    } else {
        uint32_t minlen = 1;
        pcre2_pattern_info(re, PCRE2_INFO_MINLENGTH, &minlen);
        pcre2_code_free(re);
        if (!minlen) {
            column = 1;
            rc = kbi_fail_arg(err, KB_EFORMAT, argument,
                              "pattern %zu '%s' can match the empty string",
                              index + 1, nfc);
        }
    }
    free(nfc);
    if (rc && err) {
        err->line = line;
        err->column = column;
    }
    return rc;
}

static int append(char **buf, size_t *len, size_t *cap, const char *s)
{
    size_t n = strlen(s);
    if (kbi_grow(buf, cap, *len + n + 1, 1))
        return -1;
    memcpy(*buf + *len, s, n + 1);
    *len += n;
    return 0;
}

/* Concept c<k>'s settings and the start of its pattern list. */
static int concept_head(char **y, size_t *len, size_t *cap, const kbi_cnode *cn,
                        size_t k)
{
    static const char *const SPEAKERS[] = {"", "respondents", "interviewers",
                                           "all"};
    char line[200];
    snprintf(line, sizeof line,
             "      - id: c%zu\n        scope: %s\n        speakers: %s\n"
             "        caseless: %s\n",
             k, kb_segment_kind_name(cn->info.scope),
             SPEAKERS[cn->info.speakers], cn->info.caseless ? "true" : "false");
    int fail = append(y, len, cap, line);
    size_t excl = 0;
    for (size_t i = 0; i < cn->npat && !fail; i++) {
        if (!cn->pat[i].exclude)
            continue;
        fail = append(y, len, cap, excl++ ? ", " : "        exclude: [") ||
               kbi_yaml_quoted(y, len, cap, cn->pat[i].source);
    }
    if (excl && !fail)
        fail = append(y, len, cap, "]\n");
    return fail || append(y, len, cap, "        patterns: [");
}

int kbi_rule_codebook(kb_codebook **out, const kb_codebook *cb, size_t node,
                      const char *const *pats, size_t npats, int each,
                      kb_error *err)
{
    *out = NULL;
    const kbi_cnode *cn = &cb->nodes[node];
    char *y = NULL;
    size_t len = 0, cap = 0;
    int fail = append(&y, &len, &cap,
                      "kodbok: 1\nname: rule\nthemes:\n  - id: t\n"
                      "    concepts:\n");
    for (size_t k = 0; k < npats && !fail; k++) {
        if (each || k == 0)
            fail = concept_head(&y, &len, &cap, cn, k);
        else
            fail = append(&y, &len, &cap, ", ");
        fail = fail || kbi_yaml_quoted(&y, &len, &cap, pats[k]);
        if (!fail && (each || k + 1 == npats))
            fail = append(&y, &len, &cap, "]\n");
    }
    if (!npats && !fail)
        fail = concept_head(&y, &len, &cap, cn, 0) ||
               append(&y, &len, &cap, "]\n");
    if (fail) {
        free(y);
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    }
    int rc = kbi_codebook_parse(out, (const unsigned char *)y, len,
                                "the tried rule", err);
    free(y);
    return rc;
}
