/*
 * codebook.c: loading and validating a codebook YAML file (libyaml's
 * document API) into a flat list of nodes, with every pattern compiled.
 *
 * Invariants of a loaded codebook: ids are unique among dimensions, themes
 * and concepts (and among facets, and among a facet's values); every theme
 * has concepts; every pattern compiles and cannot match the empty string;
 * each concept and facet value carries a SHA-256 of its matching rules, so
 * that a label-only edit changes no hash. The first error stops loading and
 * names file:line:column; warnings are kept on the codebook.
 */
#include "codebook/codebook.h"
#include "codebook/literals.h"
#include "base/controls.h"
#include "base/error.h"
#include "base/grow.h"
#include "base/hash.h"
#include "base/file.h"
#include "base/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#include <yaml.h>

/* ------------------------------------------------------------------------ */
/* Allocation of strings owned by the codebook                               */
/* ------------------------------------------------------------------------ */

/* A copy of s owned by the codebook; NULL for NULL or out of memory. */
static char *keep(kb_codebook *cb, const char *s)
{
    int fail = 0;
    return s ? kbi_pool_own(&cb->strings, strdup(s), &fail) : NULL;
}

void kb_codebook_free(kb_codebook *cb)
{
    if (!cb)
        return;
    for (size_t i = 0; i < cb->n; i++) {
        for (size_t k = 0; k < cb->nodes[i].npat; k++) {
            pcre2_code_free(cb->nodes[i].pat[k].re);
            kbi_literals_clear(&cb->nodes[i].pat[k].lits);
        }
        free(cb->nodes[i].pat);
    }
    free(cb->nodes);
    kbi_pool_free(&cb->strings);
    free(cb->warnings);
    free(cb);
}

/* ------------------------------------------------------------------------ */
/* Walking the YAML document                                                 */
/* ------------------------------------------------------------------------ */

static int parse(kb_codebook **out, const unsigned char *raw, size_t len,
                 const char *path, int stored, kb_error *err);

typedef struct loader {
    kb_codebook *cb;
    yaml_document_t doc;
    const char *file;
    const char *text; /* the file, for mapping regex offsets to columns */
    size_t len;
    kb_error *err;
    /* A run's stored codebook, read back: loaded as when it was stored
     * (a duplicate key's first value; control characters shown as \xHH),
     * not refused. */
    int stored;
    kbi_strset ids; /* "g:ID" (the tiers), "f:ID", "v:FACET:ID" */
    /* defaults */
    kb_segment_kind scope;
    kb_speakers speakers;
    int caseless;
} loader;

static int fail_at(loader *L, const yaml_node_t *n, int code, const char *msg)
{
    return kbi_fail_at(L->err, code, L->file,
                       n ? (int)n->start_mark.line + 1 : 0,
                       n ? (int)n->start_mark.column + 1 : 0, "%s", msg);
}

#define FAIL(L, node, ...)                                                     \
    do {                                                                       \
        char msg_[400];                                                        \
        snprintf(msg_, sizeof msg_, __VA_ARGS__);                              \
        return fail_at((L), (node), KB_EFORMAT, msg_);                         \
    } while (0)

static yaml_node_t *node(loader *L, yaml_node_item_t id)
{
    return yaml_document_get_node(&L->doc, id);
}

static const char *scalar(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value
                                            : NULL;
}

/*
 * Checks that every key of mapping `m` is in `allowed` (NULL-terminated);
 * an unknown key is an error naming the nearest allowed one.
 */
static int check_keys(loader *L, yaml_node_t *m, const char *what,
                      const char *const *allowed)
{
    if (m->type != YAML_MAPPING_NODE)
        FAIL(L, m, "%s must be a mapping (key: value)", what);
    const yaml_node_t *first[16] = {NULL}; /* by allowed key */
    for (yaml_node_pair_t *p = m->data.mapping.pairs.start;
         p < m->data.mapping.pairs.top; p++) {
        yaml_node_t *k = node(L, p->key);
        const char *key = scalar(k);
        if (!key)
            FAIL(L, k, "keys must be plain words");
        size_t known = 0;
        while (allowed[known] && strcmp(key, allowed[known]))
            known++;
        if (known >= sizeof first / sizeof *first)
            return kbi_fail(L->err, KB_EINVAL, "%s: too many keys", what);
        if (allowed[known] && first[known] && !L->stored)
            FAIL(L, k, "duplicate key '%s' in %s (first on line %d)", key, what,
                 (int)first[known]->start_mark.line + 1);
        if (allowed[known]) {
            first[known] = k;
            continue;
        }
        const char *best = NULL;
        size_t bestd = 99;
        for (size_t i = 0; allowed[i]; i++) {
            size_t d = kbi_edit_distance(key, allowed[i]);
            if (d < bestd) {
                bestd = d;
                best = allowed[i];
            }
        }
        if (best && bestd <= 3)
            FAIL(L, k, "unknown key '%s' in %s (did you mean '%s'?)", key, what,
                 best);
        FAIL(L, k, "unknown key '%s' in %s", key, what);
    }
    return 0;
}

static yaml_node_t *get(loader *L, yaml_node_t *m, const char *key)
{
    for (yaml_node_pair_t *p = m->data.mapping.pairs.start;
         p < m->data.mapping.pairs.top; p++)
        if (!strcmp(scalar(node(L, p->key)) ? scalar(node(L, p->key)) : "",
                    key))
            return node(L, p->value);
    return NULL;
}

static int value_column(loader *L, const yaml_node_t *n, size_t off);

/*
 * Text `key` of mapping m (a label, name, description...) into *out, NULL
 * when absent. It reaches every output, so it holds no control character
 * (a description may have tabs and line breaks): an error at the
 * character, or in a stored codebook the character shown as \xHH.
 */
static int get_string(loader *L, yaml_node_t *m, const char *key,
                      const char *what, const char **out)
{
    yaml_node_t *v = get(L, m, key);
    *out = NULL;
    if (!v)
        return 0;
    if (!scalar(v))
        FAIL(L, v, "'%s' of %s must be text", key, what);
    const char *s = scalar(v);
    int lines = !strcmp(key, "description");
    size_t at = kbi_control_at(s, v->data.scalar.length, lines);
    if (at < v->data.scalar.length && !L->stored) {
        char ch[64];
        kbi_char_describe(ch, sizeof ch, s + at);
        return kbi_fail_at(L->err, KB_EFORMAT, L->file,
                           (int)v->start_mark.line + 1, value_column(L, v, at),
                           "'%s' of %s has a control character (%s): %s hold "
                           "none%s",
                           key, what, ch, lines ? "descriptions" : "they",
                           lines ? " but tabs and line breaks" : "");
    }
    int fail = 0;
    *out = at < v->data.scalar.length
               ? kbi_pool_own(&L->cb->strings, kbi_escape_controls(s, lines),
                              &fail)
               : keep(L->cb, s);
    if (!*out)
        return kbi_fail(L->err, KB_ENOMEM, "out of memory");
    return 0;
}

static int parse_bool(loader *L, yaml_node_t *v, int *out)
{
    const char *s = scalar(v);
    if (s && (!strcmp(s, "true") || !strcmp(s, "yes"))) {
        *out = 1;
        return 0;
    }
    if (s && (!strcmp(s, "false") || !strcmp(s, "no"))) {
        *out = 0;
        return 0;
    }
    FAIL(L, v, "expected true or false");
}

static int parse_scope(loader *L, yaml_node_t *v, kb_segment_kind *out)
{
    kb_segment_kind k = kb_segment_kind_parse(scalar(v));
    if (!k)
        FAIL(L, v, "scope must be sentence, paragraph or turn");
    *out = k;
    return 0;
}

static int parse_speakers(loader *L, yaml_node_t *v, kb_speakers *out)
{
    const char *s = scalar(v);
    if (s && !strcmp(s, "respondents"))
        *out = KB_SPEAKERS_RESPONDENTS;
    else if (s && !strcmp(s, "interviewers"))
        *out = KB_SPEAKERS_INTERVIEWERS;
    else if (s && !strcmp(s, "all"))
        *out = KB_SPEAKERS_ALL;
    else
        FAIL(L, v, "speakers must be respondents, interviewers or all");
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Patterns                                                                  */
/* ------------------------------------------------------------------------ */

/*
 * The column (1-based, code points) in the file of byte `off` of scalar n's
 * value: quoted styles are walked character by character so that escapes
 * ('' in single quotes, \x in double quotes) land where they were written.
 */
static int value_column(loader *L, const yaml_node_t *n, size_t off)
{
    int col = (int)n->start_mark.column + 1;
    yaml_scalar_style_t st = n->data.scalar.style;
    if (st == YAML_LITERAL_SCALAR_STYLE || st == YAML_FOLDED_SCALAR_STYLE)
        return col;
    size_t i = n->start_mark.index; /* libyaml counts characters */
    /* Turn the character index into a byte offset in the file. */
    size_t b = 0;
    for (size_t c = 0; c < i && b < L->len; c++)
        b += kbi_utf8_seqlen((unsigned char)L->text[b]);
    const char *v = (const char *)n->data.scalar.value;
    if (st == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
        st == YAML_DOUBLE_QUOTED_SCALAR_STYLE) {
        b++;
        col++;
    }
    for (size_t k = 0; k < off && v[k] && b < L->len;) {
        size_t n1 = kbi_utf8_seqlen((unsigned char)v[k]);
        size_t src = n1;
        if (st == YAML_SINGLE_QUOTED_SCALAR_STYLE && L->text[b] == '\'')
            src = 2;
        else if (st == YAML_DOUBLE_QUOTED_SCALAR_STYLE && L->text[b] == '\\')
            src = 2;
        col += (int)(src == n1 ? 1 : 2);
        b += src;
        k += n1;
    }
    return col;
}

int kbi_pattern_compile(pcre2_code **re, char **nfc, const char *pat,
                        int caseless, int *ec, size_t *off)
{
    *re = NULL;
    if (nfc)
        *nfc = NULL;
    char *n = (char *)utf8proc_NFC((const utf8proc_uint8_t *)pat);
    if (!n)
        return KB_ENOMEM;
    PCRE2_SIZE o = 0;
    *re = pcre2_compile((PCRE2_SPTR)n, PCRE2_ZERO_TERMINATED,
                        PCRE2_UTF | PCRE2_UCP | (caseless ? PCRE2_CASELESS : 0),
                        ec, &o, NULL);
    *off = o;
    if (nfc)
        *nfc = n;
    else
        free(n);
    return *re ? 0 : KB_EFORMAT;
}

/*
 * The pattern of double-quoted scalar n as it would be written in single
 * quotes, each YAML escape left for the regex to read (\\ and \" become
 * \ and "), into buf; 0 when that is not sure to mean the same (an escape
 * only YAML knows, a pattern over several lines, too long for buf).
 */
static int single_quoted(loader *L, const yaml_node_t *n, char *buf,
                         size_t size)
{
    if (n->data.scalar.style != YAML_DOUBLE_QUOTED_SCALAR_STYLE ||
        n->start_mark.line != n->end_mark.line)
        return 0;
    size_t b = 0; /* the opening quote's byte (libyaml counts characters) */
    for (size_t c = 0; c < n->start_mark.index && b < L->len; c++)
        b += kbi_utf8_seqlen((unsigned char)L->text[b]);
    size_t k = 0;
    buf[k++] = '\'';
    for (b++; b < L->len && L->text[b] != '"'; b++) {
        char ch = L->text[b], out[2] = {ch, 0};
        if (ch == '\\') {
            char e = b + 1 < L->len ? L->text[++b] : 0;
            if (e == '\\' || e == '"')
                out[0] = e;
            else if (strchr("abBdDefnrstvwWAzZ0123456789.*+?()[]{}|^$-", e))
                out[0] = '\\', out[1] = e;
            else
                return 0;
        } else if (ch == '\'') {
            out[1] = '\'';
        }
        for (int i = 0; i < 2 && out[i]; i++) {
            if (k + 3 > size)
                return 0;
            buf[k++] = out[i];
        }
    }
    buf[k++] = '\'';
    buf[k] = '\0';
    return b < L->len;
}

/*
 * Refuses a pattern holding a C0 control character other than tab and
 * newline: stored texts have none, so it can never match, and it is almost
 * always a regex escape that YAML's double quotes read first ("\b" is a
 * backspace there, a word boundary in single quotes).
 */
static int check_controls(loader *L, const kbi_cnode *cn, const yaml_node_t *v)
{
    static const char *const names[32] = {
        [0] = "a NUL",        [7] = "a bell",
        [8] = "a backspace",  [11] = "a vertical tab",
        [12] = "a form feed", [13] = "a carriage return",
        [27] = "an escape"};
    static const char escapes[32] = {
        [0] = '0',  [7] = 'a',  [8] = 'b', [11] = 'v',
        [12] = 'f', [13] = 'r', [27] = 'e'};
    const unsigned char *s = v->data.scalar.value;
    size_t at = 0;
    while (at < v->data.scalar.length &&
           (s[at] >= 0x20 || s[at] == '\t' || s[at] == '\n'))
        at++;
    if (at == v->data.scalar.length)
        return 0;
    unsigned ch = s[at];
    char what[64], quoted[256], fix[400];
    snprintf(what, sizeof what, "%s (U+%04X)",
             names[ch] ? names[ch] : "a control character", ch);
    if (v->data.scalar.style != YAML_DOUBLE_QUOTED_SCALAR_STYLE)
        snprintf(fix, sizeof fix, "remove it");
    else if (escapes[ch] && single_quoted(L, v, quoted, sizeof quoted))
        snprintf(fix, sizeof fix,
                 "in double quotes YAML reads \"\\%c\" as that character;"
                 " write the pattern in single quotes: %s",
                 escapes[ch], quoted);
    else
        snprintf(fix, sizeof fix,
                 "in double quotes YAML reads a backslash escape as that "
                 "character; write the pattern in single quotes, where a "
                 "backslash reaches the regex");
    return kbi_fail_at(L->err, KB_EFORMAT, L->file, (int)v->start_mark.line + 1,
                       value_column(L, v, at),
                       "pattern of %s '%s' has %s, which no text contains: %s",
                       kb_code_kind_name(cn->info.kind), cn->info.id, what,
                       fix);
}

static int add_compiled(loader *L, kbi_cnode *cn, yaml_node_t *v,
                        pcre2_code *re, const char *pat, int exclude);

static int add_pattern(loader *L, kbi_cnode *cn, yaml_node_t *v, int exclude)
{
    const char *written = scalar(v);
    if (!written)
        FAIL(L, v, "a pattern must be text");
    int rc = check_controls(L, cn, v);
    if (rc)
        return rc;
    /* Texts are stored in NFC; a pattern typed in NFD must match them. */
    int ec;
    size_t off;
    char *pat;
    pcre2_code *re;
    rc = kbi_pattern_compile(&re, &pat, written, cn->info.caseless, &ec, &off);
    if (rc == KB_ENOMEM)
        return kbi_fail(L->err, KB_ENOMEM, "out of memory");
    if (rc) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(ec, msg, sizeof msg);
        free(pat);
        return kbi_fail_at(L->err, KB_EFORMAT, L->file,
                           (int)v->start_mark.line + 1, value_column(L, v, off),
                           "invalid regex: %s", (const char *)msg);
    }
    rc = add_compiled(L, cn, v, re, pat, exclude);
    free(pat);
    return rc;
}

/* Adds a compiled pattern (owned by the concept from here on, even when
 * this fails) whose NFC source is `pat`. */
static int add_compiled(loader *L, kbi_cnode *cn, yaml_node_t *v,
                        pcre2_code *re, const char *pat, int exclude)
{
    uint32_t minlen = 1;
    pcre2_pattern_info(re, PCRE2_INFO_MINLENGTH, &minlen);
    if (minlen == 0) {
        pcre2_code_free(re);
        FAIL(L, v, "pattern '%s' can match the empty string", pat);
    }
    const char *source = keep(L->cb, pat);
    if (!source || KBI_GROW(&cn->pat, &cn->cappat, cn->npat + 1)) {
        pcre2_code_free(re);
        return kbi_fail(L->err, KB_ENOMEM, "out of memory");
    }
    kbi_pattern *p = &cn->pat[cn->npat++];
    memset(p, 0, sizeof *p);
    p->source = source;
    p->re = re;
    p->exclude = exclude;
    p->line = (int)v->start_mark.line + 1;
    p->column = (int)v->start_mark.column + 1;
    if (exclude)
        cn->info.nexcludes++;
    else
        cn->info.npatterns++;
    if (!exclude) {
        if (kbi_literals_extract(&p->lits, pat))
            return kbi_fail(L->err, KB_ENOMEM, "out of memory");
        if (!p->lits.n) {
            kb_error w;
            kbi_fail_at(&w, 0, L->file, p->line, p->column,
                        "warning: pattern '%s' of '%s' has no required "
                        "literal; it runs on every segment (slow)",
                        pat, cn->info.id);
            if (KBI_GROW(&L->cb->warnings, &L->cb->capwarnings,
                         L->cb->nwarnings + 1) == 0)
                L->cb->warnings[L->cb->nwarnings++] = w;
        }
    }
    return 0;
}

static int add_patterns(loader *L, kbi_cnode *cn, yaml_node_t *v, int exclude)
{
    if (!v)
        return 0;
    if (v->type == YAML_SCALAR_NODE)
        return add_pattern(L, cn, v, exclude);
    if (v->type != YAML_SEQUENCE_NODE)
        FAIL(L, v, "%s must be a list of regular expressions",
             exclude ? "exclude" : "patterns");
    for (yaml_node_item_t *it = v->data.sequence.items.start;
         it < v->data.sequence.items.top; it++) {
        int rc = add_pattern(L, cn, node(L, *it), exclude);
        if (rc)
            return rc;
    }
    return 0;
}

/* The rules hash: what matching depends on, and nothing else. */
static int hash_rules(loader *L, kbi_cnode *cn)
{
    kbi_sha256 h;
    char hex[65], head[64];
    kbi_sha256_init(&h);
    snprintf(head, sizeof head, "v1 scope=%d speakers=%d caseless=%d\n",
             (int)cn->info.scope, (int)cn->info.speakers, cn->info.caseless);
    kbi_sha256_update(&h, head, strlen(head));
    for (size_t k = 0; k < cn->npat; k++) {
        kbi_sha256_update(&h, cn->pat[k].exclude ? "-" : "+", 1);
        kbi_sha256_update(&h, cn->pat[k].source, strlen(cn->pat[k].source) + 1);
    }
    kbi_sha256_hex(&h, hex);
    if (!(cn->info.rules_hash = keep(L->cb, hex)))
        return kbi_fail(L->err, KB_ENOMEM, "out of memory");
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Nodes                                                                     */
/* ------------------------------------------------------------------------ */

static int valid_id(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
              (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' || *s == '.'))
            return 0;
    return 1;
}

/* Adds a node with id, label, description and was; returns its index. */
static int add_node(loader *L, yaml_node_t *m, kb_code_kind kind, size_t parent,
                    size_t *index)
{
    kb_codebook *cb = L->cb;
    const char *what = kb_code_kind_name(kind);
    yaml_node_t *idn = get(L, m, "id");
    if (!idn)
        FAIL(L, m, "%s without an id", what);
    const char *id = scalar(idn);
    if (!id || !valid_id(id))
        FAIL(L, idn, "invalid id '%s' (letters, digits, '-', '_', '.')",
             id ? id : "");
    /* Unique among the Gioia tiers; facets and values have their own space:
     * each id is looked up in the set under its space's prefix. */
    char key[64];
    size_t klen = (size_t)snprintf(key, sizeof key, "%s:",
                                   kind <= KB_CODE_CONCEPT ? "g"
                                   : kind == KB_CODE_FACET ? "f"
                                                           : "v");
    if (kind == KB_CODE_VALUE)
        klen += (size_t)snprintf(key + klen, sizeof key - klen, "%zu:", parent);
    char *spaced = malloc(klen + strlen(id) + 1);
    if (!spaced)
        return kbi_fail(L->err, KB_ENOMEM, "out of memory");
    memcpy(spaced, key, klen);
    strcpy(spaced + klen, id);
    size_t before = L->ids.n;
    int fail = 0;
    kbi_strset_add(&L->ids, spaced, strlen(spaced), &fail);
    free(spaced);
    if (fail)
        return kbi_fail(L->err, KB_ENOMEM, "out of memory");
    for (size_t i = 0; L->ids.n == before && i < cb->n; i++) {
        /* taken: the first of that id, for the message */
        kb_code_kind k = cb->nodes[i].info.kind;
        int same_space = kind <= KB_CODE_CONCEPT
                             ? k <= KB_CODE_CONCEPT
                             : (kind == KB_CODE_FACET
                                    ? k == KB_CODE_FACET
                                    : k == KB_CODE_VALUE &&
                                          cb->nodes[i].info.parent == parent);
        if (same_space && !strcmp(cb->nodes[i].info.id, id))
            FAIL(L, idn, "duplicate id '%s' (first on line %d)", id,
                 cb->nodes[i].info.line);
    }
    if (KBI_GROW(&cb->nodes, &cb->cap, cb->n + 1))
        return kbi_fail(L->err, KB_ENOMEM, "out of memory");
    kbi_cnode *cn = &cb->nodes[cb->n];
    memset(cn, 0, sizeof *cn);
    cn->info.kind = kind;
    cn->info.parent = parent;
    cn->info.line = (int)m->start_mark.line + 1;
    cn->info.scope = L->scope;
    cn->info.speakers = L->speakers;
    cn->info.caseless = L->caseless;
    int rc;
    if (!(cn->info.id = keep(cb, id)))
        return kbi_fail(L->err, KB_ENOMEM, "out of memory");
    if ((rc = get_string(L, m, "label", what, &cn->info.label)) ||
        (rc = get_string(L, m, "description", what, &cn->info.description)) ||
        (rc = get_string(L, m, "was", what, &cn->info.was)))
        return rc;
    if (!cn->info.label || !*cn->info.label) /* "label:" with nothing */
        cn->info.label = cn->info.id;
    *index = cb->n++;
    return 0;
}

static int each_item(loader *L, yaml_node_t *seq, const char *what,
                     int (*fn)(loader *, yaml_node_t *, size_t), size_t parent)
{
    if (seq->type != YAML_SEQUENCE_NODE)
        FAIL(L, seq, "%s must be a list", what);
    if (seq->data.sequence.items.start == seq->data.sequence.items.top)
        FAIL(L, seq, "%s is empty", what);
    for (yaml_node_item_t *it = seq->data.sequence.items.start;
         it < seq->data.sequence.items.top; it++) {
        int rc = fn(L, node(L, *it), parent);
        if (rc)
            return rc;
    }
    return 0;
}

static int load_concept(loader *L, yaml_node_t *m, size_t theme)
{
    static const char *const keys[] = {
        "id",      "label", "description", "was",      "patterns",
        "exclude", "scope", "speakers",    "caseless", NULL};
    int rc = check_keys(L, m, "a concept", keys);
    size_t at;
    if (rc || (rc = add_node(L, m, KB_CODE_CONCEPT, theme, &at)))
        return rc;
    kbi_cnode *cn = &L->cb->nodes[at];
    yaml_node_t *v;
    if ((v = get(L, m, "scope")) && (rc = parse_scope(L, v, &cn->info.scope)))
        return rc;
    if ((v = get(L, m, "speakers")) &&
        (rc = parse_speakers(L, v, &cn->info.speakers)))
        return rc;
    if ((v = get(L, m, "caseless")) &&
        (rc = parse_bool(L, v, &cn->info.caseless)))
        return rc;
    if ((rc = add_patterns(L, cn, get(L, m, "patterns"), 0)) ||
        (rc = add_patterns(L, cn, get(L, m, "exclude"), 1)))
        return rc;
    cn = &L->cb->nodes[at];
    if (!cn->info.npatterns) {
        kb_error w;
        kbi_fail_at(&w, 0, L->file, cn->info.line,
                    (int)m->start_mark.column + 1,
                    "warning: concept '%s' has no patterns: manual coding only",
                    cn->info.id);
        if (!KBI_GROW(&L->cb->warnings, &L->cb->capwarnings,
                      L->cb->nwarnings + 1))
            L->cb->warnings[L->cb->nwarnings++] = w;
    }
    return hash_rules(L, cn);
}

static int load_theme(loader *L, yaml_node_t *m, size_t dimension)
{
    static const char *const keys[] = {"id",  "label",    "description",
                                       "was", "concepts", NULL};
    int rc = check_keys(L, m, "a theme", keys);
    size_t at;
    if (rc || (rc = add_node(L, m, KB_CODE_THEME, dimension, &at)))
        return rc;
    yaml_node_t *c = get(L, m, "concepts");
    if (!c)
        FAIL(L, m, "theme '%s' has no concepts", L->cb->nodes[at].info.id);
    if (c->type == YAML_SEQUENCE_NODE &&
        c->data.sequence.items.start == c->data.sequence.items.top)
        FAIL(L, c, "theme '%s' has no concepts", L->cb->nodes[at].info.id);
    return each_item(L, c, "concepts", load_concept, at);
}

static int load_dimension(loader *L, yaml_node_t *m, size_t parent)
{
    static const char *const keys[] = {"id",  "label",  "description",
                                       "was", "themes", NULL};
    (void)parent;
    int rc = check_keys(L, m, "a dimension", keys);
    size_t at;
    if (rc || (rc = add_node(L, m, KB_CODE_DIMENSION, KB_NO_INDEX, &at)))
        return rc;
    yaml_node_t *t = get(L, m, "themes");
    if (!t)
        FAIL(L, m, "dimension '%s' has no themes", L->cb->nodes[at].info.id);
    return each_item(L, t, "themes", load_theme, at);
}

static int load_value(loader *L, yaml_node_t *m, size_t facet)
{
    static const char *const keys[] = {"id",  "label",    "description",
                                       "was", "patterns", NULL};
    int rc = check_keys(L, m, "a facet value", keys);
    size_t at;
    if (rc || (rc = add_node(L, m, KB_CODE_VALUE, facet, &at)))
        return rc;
    kbi_cnode *cn = &L->cb->nodes[at];
    cn->info.scope = 0;
    cn->info.speakers = 0;
    if ((rc = add_patterns(L, cn, get(L, m, "patterns"), 0)))
        return rc;
    return hash_rules(L, &L->cb->nodes[at]);
}

static int load_facet(loader *L, yaml_node_t *m, size_t parent)
{
    static const char *const keys[] = {
        "id", "label", "description", "attribute", "default", "values", NULL};
    (void)parent;
    int rc = check_keys(L, m, "a facet", keys);
    size_t at;
    if (rc || (rc = add_node(L, m, KB_CODE_FACET, KB_NO_INDEX, &at)))
        return rc;
    kbi_cnode *cn = &L->cb->nodes[at];
    cn->info.scope = 0;
    cn->info.speakers = 0;
    if ((rc = get_string(L, m, "attribute", "a facet", &cn->info.attribute)) ||
        (rc = get_string(L, m, "default", "a facet", &cn->info.default_value)))
        return rc;
    yaml_node_t *v = get(L, m, "values");
    if (!v)
        FAIL(L, m, "facet '%s' has no values", cn->info.id);
    if ((rc = each_item(L, v, "values", load_value, at)))
        return rc;
    cn = &L->cb->nodes[at];
    if (!cn->info.default_value)
        return 0;
    for (size_t i = at + 1; i < L->cb->n; i++)
        if (L->cb->nodes[i].info.parent == at &&
            !strcmp(L->cb->nodes[i].info.id, cn->info.default_value))
            return 0;
    FAIL(L, get(L, m, "default"), "default '%s' is not a value of facet '%s'",
         cn->info.default_value, cn->info.id);
}

static int load_root(loader *L, yaml_node_t *root)
{
    static const char *const keys[] = {"kodbok",   "name",       "description",
                                       "defaults", "dimensions", "themes",
                                       "facets",   NULL};
    if (!root)
        FAIL(L, NULL, "empty codebook");
    int rc = check_keys(L, root, "the codebook", keys);
    if (rc)
        return rc;
    yaml_node_t *ver = get(L, root, "kodbok");
    if (!ver)
        FAIL(L, root, "not a kodbok codebook: 'kodbok: 1' is missing");
    if (!scalar(ver) || strcmp(scalar(ver), "1"))
        FAIL(L, ver, "codebook format %s is not known (this kodbok reads 1)",
             scalar(ver) ? scalar(ver) : "?");
    if ((rc = get_string(L, root, "name", "the codebook", &L->cb->name)))
        return rc;
    if (!L->cb->name)
        FAIL(L, root, "the codebook has no name");
    yaml_node_t *d = get(L, root, "defaults");
    if (d) {
        static const char *const dkeys[] = {"scope", "speakers", "caseless",
                                            NULL};
        yaml_node_t *v;
        if ((rc = check_keys(L, d, "defaults", dkeys)) ||
            ((v = get(L, d, "scope")) && (rc = parse_scope(L, v, &L->scope))) ||
            ((v = get(L, d, "speakers")) &&
             (rc = parse_speakers(L, v, &L->speakers))) ||
            ((v = get(L, d, "caseless")) &&
             (rc = parse_bool(L, v, &L->caseless))))
            return rc;
    }
    yaml_node_t *dims = get(L, root, "dimensions");
    yaml_node_t *themes = get(L, root, "themes");
    if (dims && themes)
        FAIL(L, themes,
             "themes go inside dimensions, or at the top when there "
             "are no dimensions, not both");
    if (!dims && !themes)
        FAIL(L, root, "the codebook has no themes");
    rc = dims ? each_item(L, dims, "dimensions", load_dimension, KB_NO_INDEX)
              : each_item(L, themes, "themes", load_theme, KB_NO_INDEX);
    yaml_node_t *facets = get(L, root, "facets");
    if (!rc && facets)
        rc = each_item(L, facets, "facets", load_facet, KB_NO_INDEX);
    return rc;
}

int kb_codebook_load(kb_codebook **out, const char *path, kb_error *err)
{
    *out = NULL;
    unsigned char *raw;
    size_t len;
    int rc = kbi_file_read(&raw, &len, path, KBI_INPUT_CODEBOOK, err);
    if (rc)
        return rc;
    rc = kbi_codebook_parse(out, raw, len, path, err);
    free(raw);
    return rc;
}

/*
 * Refuses YAML nested deeper than KBI_YAML_DEPTH (a codebook needs a
 * dozen levels) before the document is built, by libyaml's events: past
 * that depth libyaml's work grows with the square of the depth. A syntax
 * error stops the walk and is reported by the load that follows.
 */
static int check_depth(const unsigned char *raw, size_t len, const char *path,
                       kb_error *err)
{
    yaml_parser_t parser;
    yaml_event_t ev;
    int depth = 0, rc = 0, done = 0;
    if (!yaml_parser_initialize(&parser))
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    yaml_parser_set_input_string(&parser, raw, len);
    while (!done && !rc && yaml_parser_parse(&parser, &ev)) {
        if (ev.type == YAML_SEQUENCE_START_EVENT ||
            ev.type == YAML_MAPPING_START_EVENT) {
            if (++depth > KBI_YAML_DEPTH)
                rc = kbi_fail_at(
                    err, KB_EFORMAT, path, (int)ev.start_mark.line + 1,
                    (int)ev.start_mark.column + 1,
                    "YAML nested more than %d levels deep", KBI_YAML_DEPTH);
        } else if (ev.type == YAML_SEQUENCE_END_EVENT ||
                   ev.type == YAML_MAPPING_END_EVENT) {
            depth--;
        }
        /* the first document is the codebook */
        done = ev.type == YAML_DOCUMENT_END_EVENT ||
               ev.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&ev);
    }
    if (!rc && parser.error == YAML_MEMORY_ERROR)
        rc = kbi_fail(err, KB_ENOMEM, "out of memory");
    yaml_parser_delete(&parser);
    return rc;
}

int kbi_codebook_parse(kb_codebook **out, const unsigned char *raw, size_t len,
                       const char *path, kb_error *err)
{
    return parse(out, raw, len, path, 0, err);
}

int kbi_codebook_parse_run(kb_codebook **out, const unsigned char *raw,
                           size_t len, const char *path, kb_error *err)
{
    return parse(out, raw, len, path, 1, err);
}

static int parse(kb_codebook **out, const unsigned char *raw, size_t len,
                 const char *path, int stored, kb_error *err)
{
    *out = NULL;
    int rc = check_depth(raw, len, path, err);
    if (rc)
        return rc;
    kb_codebook *cb = calloc(1, sizeof *cb);
    if (!cb)
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    kbi_sha256 h;
    kbi_sha256_init(&h);
    kbi_sha256_update(&h, raw, len);
    kbi_sha256_hex(&h, cb->hash);
    int fail = 0;
    char *copy = malloc(len + 1);
    if (copy) {
        memcpy(copy, raw, len);
        copy[len] = '\0';
    }
    cb->source = kbi_pool_own(&cb->strings, copy, &fail);
    cb->source_len = len;
    cb->path = keep(cb, path);
    if (fail || !cb->source || (path && !cb->path)) {
        kb_codebook_free(cb);
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    }
    loader L = {.cb = cb,
                .file = path,
                .text = (const char *)raw,
                .len = len,
                .err = err,
                .stored = stored,
                .scope = KB_SEG_SENTENCE,
                .speakers = KB_SPEAKERS_RESPONDENTS,
                .caseless = 1};
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        kb_codebook_free(cb);
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    }
    yaml_parser_set_input_string(&parser, raw, len);
    if (!yaml_parser_load(&parser, &L.doc)) {
        char where[64] = "";
        if (parser.error == YAML_MEMORY_ERROR) {
            yaml_parser_delete(&parser);
            kb_codebook_free(cb);
            return kbi_fail(err, KB_ENOMEM, "out of memory");
        }
        if (parser.context)
            snprintf(where, sizeof where, " (from %d:%d)",
                     (int)parser.context_mark.line + 1,
                     (int)parser.context_mark.column + 1);
        rc = kbi_fail_at(err, KB_EFORMAT, path,
                         (int)parser.problem_mark.line + 1,
                         (int)parser.problem_mark.column + 1, "YAML: %s%s%s%s",
                         parser.problem ? parser.problem : "syntax error",
                         parser.context ? " " : "",
                         parser.context ? parser.context : "", where);
        yaml_parser_delete(&parser);
        kb_codebook_free(cb);
        return rc;
    }
    rc = load_root(&L, yaml_document_get_root_node(&L.doc));
    kbi_strset_free(&L.ids);
    yaml_document_delete(&L.doc);
    yaml_parser_delete(&parser);
    if (rc) {
        kb_codebook_free(cb);
        return rc;
    }
    *out = cb;
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Accessors                                                                 */
/* ------------------------------------------------------------------------ */

const char *kb_codebook_name(const kb_codebook *cb)
{
    return cb->name;
}

const char *kb_codebook_hash(const kb_codebook *cb)
{
    return cb->hash;
}

size_t kb_codebook_count(const kb_codebook *cb)
{
    return cb->n;
}

const kb_code_info *kb_codebook_get(const kb_codebook *cb, size_t i)
{
    return i < cb->n ? &cb->nodes[i].info : NULL;
}

size_t kb_codebook_find(const kb_codebook *cb, kb_code_kind kind,
                        const char *id)
{
    for (size_t i = 0; i < cb->n; i++)
        if (cb->nodes[i].info.kind == kind && !strcmp(cb->nodes[i].info.id, id))
            return i;
    return KB_NO_INDEX;
}

const char *kb_codebook_pattern(const kb_codebook *cb, size_t node, size_t i)
{
    if (node >= cb->n)
        return NULL;
    size_t seen = 0;
    for (size_t k = 0; k < cb->nodes[node].npat; k++)
        if (!cb->nodes[node].pat[k].exclude && seen++ == i)
            return cb->nodes[node].pat[k].source;
    return NULL;
}

size_t kb_codebook_warning_count(const kb_codebook *cb)
{
    return cb->nwarnings;
}

const kb_error *kb_codebook_warning(const kb_codebook *cb, size_t i)
{
    return i < cb->nwarnings ? &cb->warnings[i] : NULL;
}

const char *kbi_codebook_near_concept(const kb_codebook *cb,
                                      const char *concept)
{
    const char *near = NULL;
    size_t best = 4; /* at most 3 edits away */
    for (size_t i = 0; i < kb_codebook_count(cb); i++) {
        const kb_code_info *ci = kb_codebook_get(cb, i);
        size_t d = ci->kind == KB_CODE_CONCEPT
                       ? kbi_edit_distance(concept, ci->id)
                       : best;
        if (d < best) {
            best = d;
            near = ci->id;
        }
    }
    return near;
}
