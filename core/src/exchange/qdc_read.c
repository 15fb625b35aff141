/*
 * qdc_read.c: a REFI-QDA code tree into kodbok's tiers (qdc_read.h).
 *
 * A code's kind is the one its `kodbok:` block names (what kodbok wrote,
 * docs/refi-qda.md); a code without a block takes its kind from its place:
 * under a dimension a theme (or, as a leaf, a concept), under a theme or a
 * concept a concept, under a facet or value a value; at the top a code
 * with grandchildren is a dimension, one with children a theme, a leaf a
 * concept. Concepts without a theme go to a theme made for them
 * ("Okategoriserade koder"), themes without a dimension, when the
 * codebook has dimensions, to a dimension made for them. A non-codable
 * leaf without a block (an empty folder) is left out. Ids are the block's,
 * else made from the name, unique across the tiers.
 */
#include "exchange/qdc_read.h"
#include "base/error.h"
#include "base/file.h"
#include "base/grow.h"
#include "base/xmlread.h"
#include "codebook/codebook.h"
#include "codebook/codebook_csv.h"

#include <ctype.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <yaml.h>

#define QDC_NS "urn:QDA-XML:codebook:1.0"
#define QDE_NS "urn:QDA-XML:project:1.0"

static void say(kb_notice_fn notice, void *ctx, const char *file,
                const char *fmt, ...)
{
    if (!notice)
        return;
    char msg[600], line[1200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(line, sizeof line, "%s: %s", file, msg);
    notice(ctx, line);
}

void kbi_refi_ns_check(const xmlNode *n, const char *kind, const char *file,
                       kb_notice_fn notice, void *ctx)
{
    const char *want = !strcmp(kind, "codebook") ? QDC_NS : QDE_NS;
    const char *href = n->ns && n->ns->href ? (const char *)n->ns->href : NULL;
    if (!href)
        say(notice, ctx, file,
            "no namespace (the schema wants %s); read as "
            "REFI-QDA 1.0",
            want);
    else if (strcmp(href, want))
        say(notice, ctx, file, "namespace %s is not %s; read as REFI-QDA 1.0",
            href, want);
}

char *kbi_refi_guid(const char *guid)
{
    size_t n = strlen(guid);
    char *out = malloc(n + 1), *o = out;
    if (!out)
        return NULL;
    for (const char *p = guid; *p; p++)
        if (*p != '{' && *p != '}' && !isspace((unsigned char)*p))
            *o++ = (char)tolower((unsigned char)*p);
    *o = '\0';
    return out;
}

/* Is g (normalised) of GUIDType's shape? */
static int guid_ok(const char *g)
{
    static const int groups[] = {8, 4, 4, 4, 12};
    for (int k = 0; k < 5; k++) {
        for (int i = 0; i < groups[k]; i++, g++)
            if (!isxdigit((unsigned char)*g))
                return 0;
        if (*g != (k < 4 ? '-' : '\0'))
            return 0;
        g++;
    }
    return 1;
}

/* A colour as "#rrggbb" (caller frees), or NULL when it is none kodbok
 * can read: #RGB, #RRGGBB, and the forms tools write outside the schema,
 * RRGGBB without '#' and #RRGGBBAA (alpha dropped). */
static char *color_norm(const char *c)
{
    if (*c == '#')
        c++;
    size_t n = strlen(c);
    for (size_t i = 0; i < n; i++)
        if (!isxdigit((unsigned char)c[i]))
            return NULL;
    char *out = malloc(8);
    if (!out)
        return NULL;
    if (n == 3)
        snprintf(out, 8, "#%c%c%c%c%c%c", c[0], c[0], c[1], c[1], c[2], c[2]);
    else if (n == 6 || n == 8)
        snprintf(out, 8, "#%.6s", c);
    else {
        free(out);
        return NULL;
    }
    for (char *p = out; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return out;
}

/* ---- the kodbok: block ---------------------------------------------- */

/* Splits a Description at its last line that is exactly "kodbok:": *block
 * points at that line (NULL if none) and *desc_len is the length of what
 * comes before it, less the blank line between. */
static void block_split(const char *d, const char **block, size_t *desc_len)
{
    *block = NULL;
    *desc_len = strlen(d);
    for (const char *p = d; (p = strstr(p, "kodbok:")) != NULL; p++)
        if ((p == d || p[-1] == '\n') &&
            (p[7] == '\n' || p[7] == '\0' || (p[7] == '\r' && p[8] == '\n')))
            *block = p;
    if (!*block)
        return;
    size_t n = (size_t)(*block - d);
    while (n && (d[n - 1] == '\n' || d[n - 1] == '\r'))
        n--;
    *desc_len = n;
}

char *kbi_refi_block_value(const char *description, const char *key)
{
    const char *block;
    size_t dlen;
    block_split(description, &block, &dlen);
    if (!block)
        return NULL;
    yaml_parser_t ps;
    if (!yaml_parser_initialize(&ps))
        return NULL;
    yaml_parser_set_input_string(&ps, (const unsigned char *)block,
                                 strlen(block));
    yaml_event_t ev;
    int depth = 0, at_key = 1, want = 0;
    char *value = NULL;
    while (!value && yaml_parser_parse(&ps, &ev)) {
        yaml_event_type_t t = ev.type;
        if (t == YAML_MAPPING_START_EVENT || t == YAML_SEQUENCE_START_EVENT)
            depth++;
        else if (t == YAML_MAPPING_END_EVENT || t == YAML_SEQUENCE_END_EVENT)
            depth--;
        if (depth == 2 && t == YAML_SCALAR_EVENT) {
            const char *v = (const char *)ev.data.scalar.value;
            if (at_key)
                want = !strcmp(v, key);
            else if (want)
                value = strdup(v);
            at_key = !at_key;
        } else if (depth == 3 && t == YAML_SEQUENCE_START_EVENT) {
            at_key = 1; /* a list's value: the next scalar at 2 is a key */
        }
        int end = t == YAML_STREAM_END_EVENT;
        yaml_event_delete(&ev);
        if (end)
            break;
    }
    yaml_parser_delete(&ps);
    return value;
}

typedef struct block_key {
    const char *key;
    size_t off;
} block_key;

#define BK(k, f)                                                               \
    {                                                                          \
        k, offsetof(kbi_qdc_code, f)                                           \
    }
static const block_key SCALARS[] = {
    BK("kind", b_kind),
    BK("id", b_id),
    BK("was", b_was),
    BK("scope", b_scope),
    BK("speakers", b_speakers),
    BK("caseless", b_caseless),
    BK("attribute", b_attribute),
    BK("default", b_default),
};

/* Parses the mapping under `kodbok:` into c's b_ fields. Unknown keys are
 * passed over; a block that is not YAML is told and ignored. Returns
 * KB_ENOMEM or 0. For the codebook Set's block, `name` gets its name. */
static int block_parse(kbi_qdc_code *c, char **name, const char *block,
                       const char *file, kb_notice_fn notice, void *ctx)
{
    yaml_parser_t ps;
    if (!yaml_parser_initialize(&ps))
        return KB_ENOMEM;
    yaml_parser_set_input_string(&ps, (const unsigned char *)block,
                                 strlen(block));
    yaml_event_t ev;
    int depth = 0, rc = 0, bad = 0;
    char *key = NULL;
    char ***list = NULL;
    size_t *nlist = NULL;
    for (;;) {
        if (!yaml_parser_parse(&ps, &ev)) {
            bad = 1;
            break;
        }
        yaml_event_type_t t = ev.type;
        if (t == YAML_STREAM_END_EVENT) {
            yaml_event_delete(&ev);
            break;
        }
        if (t == YAML_MAPPING_START_EVENT)
            depth++;
        else if (t == YAML_MAPPING_END_EVENT)
            depth--;
        else if (t == YAML_SEQUENCE_START_EVENT && depth == 2 && key && c) {
            list = !strcmp(key, "patterns")  ? &c->b_patterns
                   : !strcmp(key, "exclude") ? &c->b_exclude
                                             : NULL;
            nlist = list == &c->b_patterns ? &c->nb_patterns : &c->nb_exclude;
        } else if (t == YAML_SEQUENCE_END_EVENT) {
            list = NULL;
            free(key);
            key = NULL;
        } else if (t == YAML_SCALAR_EVENT && depth == 2) {
            const char *v = (const char *)ev.data.scalar.value;
            if (list) {
                char **grown = realloc(*list, (*nlist + 1) * sizeof **list);
                if (!grown || !(grown[*nlist] = strdup(v))) {
                    if (grown)
                        *list = grown;
                    rc = KB_ENOMEM;
                } else {
                    *list = grown;
                    ++*nlist;
                }
            } else if (!key) {
                if (!(key = strdup(v)))
                    rc = KB_ENOMEM;
            } else {
                if (c)
                    for (size_t k = 0; k < sizeof SCALARS / sizeof *SCALARS;
                         k++)
                        if (!strcmp(key, SCALARS[k].key)) {
                            char **f = (char **)((char *)c + SCALARS[k].off);
                            free(*f);
                            if (!(*f = strdup(v)))
                                rc = KB_ENOMEM;
                        }
                if (name && !strcmp(key, "name")) {
                    free(*name);
                    if (!(*name = strdup(v)))
                        rc = KB_ENOMEM;
                }
                free(key);
                key = NULL;
            }
        }
        yaml_event_delete(&ev);
        if (rc)
            break;
    }
    free(key);
    yaml_parser_delete(&ps);
    if (bad)
        say(notice, ctx, file,
            "a kodbok: block that is not YAML, read as "
            "description");
    return rc;
}

/* ---- reading the tree ------------------------------------------------ */

typedef struct reader {
    kbi_qdc *q;
    const char *file;
    kb_notice_fn notice;
    void *ctx;
    size_t bad_guids, bad_colors, colors, nameless;
} reader;

static int add_node(kbi_qdc *q, size_t *at)
{
    if (KBI_GROW(&q->codes, &q->cap, q->n + 1))
        return KB_ENOMEM;
    memset(&q->codes[q->n], 0, sizeof q->codes[q->n]);
    q->codes[q->n].parent = KB_NO_INDEX;
    *at = q->n++;
    return 0;
}

/* The codes under `parent` (an element holding <Code>s), depth first;
 * their parents in `up` (index into q->codes, KB_NO_INDEX at the top). */
static int read_codes(reader *r, const xmlNode *parent, size_t up,
                      kb_error *err)
{
    for (xmlNode *n = parent->children; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE || !kbi_xml_is(n, "Code"))
            continue;
        size_t i;
        if (add_node(r->q, &i))
            return kbi_fail(err, KB_ENOMEM, "out of memory");
        kbi_qdc_code *c = &r->q->codes[i];
        c->parent = up;
        const char *g = kbi_xml_prop(n, "guid"), *nm = kbi_xml_prop(n, "name"),
                   *cod = kbi_xml_prop(n, "isCodable"),
                   *col = kbi_xml_prop(n, "color");
        if (g && !(c->guid = kbi_refi_guid(g)))
            return kbi_fail(err, KB_ENOMEM, "out of memory");
        if (!c->guid || !guid_ok(c->guid))
            r->bad_guids++;
        if (!nm || !*nm)
            r->nameless++;
        c->name = strdup(nm && *nm ? nm : g ? g : "kod");
        c->codable = !cod || !strcmp(cod, "true") || !strcmp(cod, "1");
        if (col) {
            r->colors++;
            if (!(c->color = color_norm(col)))
                r->bad_colors++;
        }
        const xmlNode *dn = kbi_xml_child(n, "Description");
        char *desc = dn ? kbi_xml_content(dn) : NULL;
        if (!c->name || (dn && !desc)) {
            free(desc);
            return kbi_fail(err, KB_ENOMEM, "out of memory");
        }
        if (desc) {
            const char *block;
            size_t dlen;
            block_split(desc, &block, &dlen);
            int fail = block &&
                       block_parse(c, NULL, block, r->file, r->notice, r->ctx);
            if (!fail && dlen && !(c->description = strndup(desc, dlen)))
                fail = 1;
            free(desc);
            if (fail)
                return kbi_fail(err, KB_ENOMEM, "out of memory");
        }
        int rc = read_codes(r, n, i, err);
        if (rc)
            return rc;
    }
    return 0;
}

/* ---- kinds, ids ------------------------------------------------------ */

static int has_children(const kbi_qdc *q, size_t i)
{
    for (size_t k = i + 1; k < q->n; k++)
        if (q->codes[k].parent == i && !q->codes[k].skipped)
            return 1;
    return 0;
}

static int has_grandchildren(const kbi_qdc *q, size_t i)
{
    for (size_t k = i + 1; k < q->n; k++)
        if (q->codes[k].parent == i && has_children(q, k))
            return 1;
    return 0;
}

static int kind_named(const char *s, kb_code_kind *k)
{
    static const char *const names[] = {"",        "dimension", "theme",
                                        "concept", "facet",     "value"};
    for (int i = 1; i <= 5; i++)
        if (s && !strcmp(s, names[i])) {
            *k = (kb_code_kind)i;
            return 1;
        }
    return 0;
}

/* A node made to hold codes without a place: a dimension or theme. */
static int made_node(kbi_qdc *q, kb_code_kind kind, const char *name,
                     size_t parent, size_t *at)
{
    if (add_node(q, at))
        return KB_ENOMEM;
    kbi_qdc_code *c = &q->codes[*at];
    c->kind = kind;
    c->parent = parent;
    c->name = strdup(name);
    return c->name ? 0 : KB_ENOMEM;
}

/* Gives every node its kind and its parent in the codebook. */
static int place_nodes(reader *r, kb_error *err)
{
    kbi_qdc *q = r->q;
    size_t n = q->n, flattened = 0, folders = 0;
    int dims = 0;
    /* empty folders: non-codable leaves without a block */
    for (size_t k = n; k-- > 0;)
        if (!q->codes[k].codable && !q->codes[k].b_kind && !has_children(q, k))
            q->codes[k].skipped = 1, folders++;
    for (size_t i = 0; i < n; i++) {
        kbi_qdc_code *c = &q->codes[i];
        if (c->skipped)
            continue;
        kb_code_kind k;
        if (kind_named(c->b_kind, &k)) {
            c->kind = k;
        } else if (c->parent == KB_NO_INDEX) {
            c->kind = has_grandchildren(q, i) ? KB_CODE_DIMENSION
                      : has_children(q, i)    ? KB_CODE_THEME
                                              : KB_CODE_CONCEPT;
        } else {
            kb_code_kind pk = q->codes[c->parent].kind;
            c->kind =
                pk == KB_CODE_DIMENSION
                    ? (has_children(q, i) ? KB_CODE_THEME : KB_CODE_CONCEPT)
                : pk == KB_CODE_FACET || pk == KB_CODE_VALUE ? KB_CODE_VALUE
                                                             : KB_CODE_CONCEPT;
        }
        dims |= c->kind == KB_CODE_DIMENSION;
    }
    /* parents in the codebook: concepts hang under a theme, values under
     * a facet, deeper codes under their nearest such ancestor */
    size_t other_dim = KB_NO_INDEX, other_theme = KB_NO_INDEX;
    for (size_t i = 0; i < n; i++) {
        kbi_qdc_code *c = &q->codes[i];
        if (c->skipped)
            continue;
        kb_code_kind want = c->kind == KB_CODE_CONCEPT ? KB_CODE_THEME
                            : c->kind == KB_CODE_THEME ? KB_CODE_DIMENSION
                            : c->kind == KB_CODE_VALUE ? KB_CODE_FACET
                                                       : (kb_code_kind)0;
        size_t p = c->parent;
        int depth = 0;
        while (p != KB_NO_INDEX && q->codes[p].kind != want)
            p = q->codes[p].parent, depth++;
        if (depth && p != KB_NO_INDEX)
            flattened++;
        if (!want) {
            c->parent = KB_NO_INDEX;
            continue;
        }
        if (p == KB_NO_INDEX && c->kind == KB_CODE_VALUE)
            c->kind = KB_CODE_CONCEPT, want = KB_CODE_THEME;
        if (p != KB_NO_INDEX) {
            c->parent = p;
            continue;
        }
        if (want == KB_CODE_DIMENSION && !dims) {
            c->parent = KB_NO_INDEX;
            continue;
        }
        /* a concept or a theme without its parent tier */
        size_t d = c->parent;
        while (d != KB_NO_INDEX && q->codes[d].kind != KB_CODE_DIMENSION)
            d = q->codes[d].parent;
        int rc = 0;
        if (want == KB_CODE_DIMENSION || (dims && d == KB_NO_INDEX)) {
            if (other_dim == KB_NO_INDEX)
                rc = made_node(q, KB_CODE_DIMENSION, "Okategoriserat",
                               KB_NO_INDEX, &other_dim);
            d = other_dim;
        }
        if (!rc && want == KB_CODE_DIMENSION) {
            q->codes[i].parent = d;
            continue;
        }
        if (!rc && d != KB_NO_INDEX && d != other_dim) {
            /* a leaf under a dimension: a theme of its own in it */
            char name[512];
            snprintf(name, sizeof name, "%s: övrigt", q->codes[d].name);
            size_t t = KB_NO_INDEX;
            for (size_t k = n; k < q->n && t == KB_NO_INDEX; k++)
                if (q->codes[k].kind == KB_CODE_THEME &&
                    q->codes[k].parent == d)
                    t = k;
            if (t == KB_NO_INDEX)
                rc = made_node(q, KB_CODE_THEME, name, d, &t);
            if (!rc)
                q->codes[i].parent = t;
        } else if (!rc) {
            if (other_theme == KB_NO_INDEX)
                rc = made_node(q, KB_CODE_THEME, "Okategoriserade koder", d,
                               &other_theme);
            if (!rc)
                q->codes[i].parent = other_theme;
        }
        if (rc)
            return kbi_fail(err, KB_ENOMEM, "out of memory");
    }
    if (flattened)
        say(r->notice, r->ctx, r->file,
            "%zu codes deeper than kodbok's tiers were made concepts of the "
            "theme above them",
            flattened);
    if (folders)
        say(r->notice, r->ctx, r->file,
            "%zu non-codable codes without codes inside (empty folders) left "
            "out",
            folders);
    if (other_theme != KB_NO_INDEX || other_dim != KB_NO_INDEX)
        say(r->notice, r->ctx, r->file,
            "codes without a theme were put under 'Okategoriserade koder'%s",
            other_dim != KB_NO_INDEX ? " in the dimension 'Okategoriserat'"
                                     : "");
    return 0;
}

static int id_taken(const kbi_qdc *q, size_t upto, const char *id,
                    kb_code_kind kind)
{
    int tiers = kind <= KB_CODE_CONCEPT;
    for (size_t k = 0; k < upto; k++) {
        const kbi_qdc_code *o = &q->codes[k];
        if (o->skipped || !o->id || strcmp(o->id, id))
            continue;
        if (tiers ? o->kind <= KB_CODE_CONCEPT
                  : o->kind == kind && o->parent == q->codes[upto].parent)
            return 1;
    }
    return 0;
}

static int valid_id(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_' && *s != '.')
            return 0;
    return 1;
}

static int assign_ids(reader *r, kb_error *err)
{
    kbi_qdc *q = r->q;
    for (size_t i = 0; i < q->n; i++) {
        kbi_qdc_code *c = &q->codes[i];
        if (c->skipped)
            continue;
        char *base = c->b_id && valid_id(c->b_id) ? strdup(c->b_id)
                                                  : kbi_codebook_slug(c->name);
        if (!base)
            return kbi_fail(err, KB_ENOMEM, "out of memory");
        if (!*base) {
            free(base);
            base = strdup("kod");
            if (!base)
                return kbi_fail(err, KB_ENOMEM, "out of memory");
        }
        size_t need = strlen(base) + 24;
        if (!(c->id = malloc(need))) {
            free(base);
            return kbi_fail(err, KB_ENOMEM, "out of memory");
        }
        snprintf(c->id, need, "%s", base);
        for (int k = 2; id_taken(q, i, c->id, c->kind); k++)
            snprintf(c->id, need, "%s-%d", base, k);
        if (c->b_id && strcmp(c->b_id, c->id))
            say(r->notice, r->ctx, r->file,
                "code '%s': id '%s' taken or not an id, given '%s'", c->name,
                c->b_id, c->id);
        free(base);
    }
    return 0;
}

/* ---- YAML ------------------------------------------------------------- */

typedef struct out {
    char *b;
    size_t n, cap;
    int fail;
} out;

static void put(out *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int need = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (o->fail || need < 0 ||
        KBI_GROW(&o->b, &o->cap, o->n + (size_t)need + 1)) {
        o->fail = 1;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(o->b + o->n, (size_t)need + 1, fmt, ap);
    va_end(ap);
    o->n += (size_t)need;
}

/* A YAML scalar: single-quoted, or double-quoted with escapes when it
 * holds a control character. */
static void put_str(out *o, const char *s)
{
    int plain = 1;
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p < 0x20)
            plain = 0;
    if (plain) {
        put(o, "'");
        for (const char *p = s; *p; p++)
            put(o, *p == '\'' ? "''" : "%c", *p);
        put(o, "'");
        return;
    }
    put(o, "\"");
    for (const char *p = s; *p; p++) {
        unsigned char ch = (unsigned char)*p;
        if (ch == '\\' || ch == '"')
            put(o, "\\%c", ch);
        else if (ch == '\n')
            put(o, "\\n");
        else if (ch == '\t')
            put(o, "\\t");
        else if (ch == '\r')
            put(o, "\\r");
        else if (ch < 0x20)
            put(o, "\\x%02x", ch);
        else
            put(o, "%c", ch);
    }
    put(o, "\"");
}

static void put_list(out *o, const char *ind, const char *key, char *const *v,
                     size_t n)
{
    if (!n)
        return;
    put(o, "%s%s:\n", ind, key);
    for (size_t k = 0; k < n; k++) {
        put(o, "%s  - ", ind);
        put_str(o, v[k]);
        put(o, "\n");
    }
}

/* id, label, colour, description and the block's keys for a kind. */
static void put_node(out *o, const kbi_qdc_code *c, const char *ind)
{
    put(o, "%s- id: %s\n%s  label: ", ind, c->id, ind);
    put_str(o, c->name);
    put(o, "\n");
    if (c->color)
        put(o,
            "%s  # color: '%s' (REFI-QDA; kodbok codebooks have no "
            "colours)\n",
            ind, c->color);
    if (c->description) {
        put(o, "%s  description: ", ind);
        put_str(o, c->description);
        put(o, "\n");
    }
    const struct {
        const char *key, *v;
        int kinds; /* bits of kb_code_kind */
    } keys[] = {
        {"was", c->b_was, 1 << 1 | 1 << 2 | 1 << 3},
        {"scope", c->b_scope, 1 << 3},
        {"speakers", c->b_speakers, 1 << 3},
        {"caseless", c->b_caseless, 1 << 3},
        {"attribute", c->b_attribute, 1 << 4},
        {"default", c->b_default, 1 << 4},
    };
    char sub[64];
    snprintf(sub, sizeof sub, "%.56s  ", ind);
    for (size_t k = 0; k < sizeof keys / sizeof *keys; k++)
        if (keys[k].v && keys[k].kinds & (1 << c->kind)) {
            put(o, "%s  %s: ", ind, keys[k].key);
            put_str(o, keys[k].v);
            put(o, "\n");
        }
    if (c->kind == KB_CODE_CONCEPT || c->kind == KB_CODE_VALUE)
        put_list(o, sub, "patterns", c->b_patterns, c->nb_patterns);
    if (c->kind == KB_CODE_CONCEPT)
        put_list(o, sub, "exclude", c->b_exclude, c->nb_exclude);
}

/* The nodes of `kind` under `parent` as the list `key`, the key at `ind`,
 * each node's dash two further in, and what each holds under it. */
static void put_children(out *o, const kbi_qdc *q, size_t parent,
                         kb_code_kind kind, const char *key, const char *ind)
{
    int any = 0;
    char node[64], sub[64];
    snprintf(node, sizeof node, "%.56s  ", ind);
    snprintf(sub, sizeof sub, "%.56s    ", ind);
    for (size_t i = 0; i < q->n; i++) {
        const kbi_qdc_code *c = &q->codes[i];
        if (c->skipped || c->kind != kind || c->parent != parent)
            continue;
        if (!any++)
            put(o, "%s%s:\n", ind, key);
        put_node(o, c, node);
        if (kind == KB_CODE_DIMENSION)
            put_children(o, q, i, KB_CODE_THEME, "themes", sub);
        else if (kind == KB_CODE_THEME)
            put_children(o, q, i, KB_CODE_CONCEPT, "concepts", sub);
        else if (kind == KB_CODE_FACET)
            put_children(o, q, i, KB_CODE_VALUE, "values", sub);
    }
}

static int render(kbi_qdc *q, const char *name)
{
    out o = {0};
    int dims = 0;
    for (size_t i = 0; i < q->n; i++)
        dims |= !q->codes[i].skipped && q->codes[i].kind == KB_CODE_DIMENSION;
    put(&o, "kodbok: 1\nname: ");
    put_str(&o, q->name ? q->name : name);
    put(&o, "\n");
    if (dims)
        put_children(&o, q, KB_NO_INDEX, KB_CODE_DIMENSION, "dimensions", "");
    else
        put_children(&o, q, KB_NO_INDEX, KB_CODE_THEME, "themes", "");
    put_children(&o, q, KB_NO_INDEX, KB_CODE_FACET, "facets", "");
    if (o.fail) {
        free(o.b);
        return KB_ENOMEM;
    }
    q->yaml = o.b;
    q->len = o.n;
    return 0;
}

/* ---- the codebook ------------------------------------------------------ */

/* The kodbok Set among `sets` names the codebook. */
static int read_sets(reader *r, const xmlNode *sets)
{
    for (xmlNode *s = sets ? sets->children : NULL; s; s = s->next) {
        if (s->type != XML_ELEMENT_NODE || !kbi_xml_is(s, "Set"))
            continue;
        const xmlNode *dn = kbi_xml_child(s, "Description");
        char *d = dn ? kbi_xml_content(dn) : NULL;
        const char *block;
        size_t dlen;
        int rc = 0;
        if (d) {
            block_split(d, &block, &dlen);
            kbi_qdc_code probe;
            memset(&probe, 0, sizeof probe);
            if (block) {
                rc = block_parse(&probe, &r->q->name, block, r->file, r->notice,
                                 r->ctx);
                if (!probe.b_kind || strcmp(probe.b_kind, "codebook")) {
                    free(r->q->name);
                    r->q->name = NULL;
                }
            }
            free(probe.b_kind);
            free(probe.b_id);
        }
        free(d);
        if (rc)
            return rc;
    }
    return 0;
}

int kbi_qdc_read(kbi_qdc *q, xmlNode *cb, const char *name, const char *file,
                 kb_notice_fn notice, void *ctx, kb_error *err)
{
    memset(q, 0, sizeof *q);
    reader r = {.q = q, .file = file, .notice = notice, .ctx = ctx};
    const xmlNode *codes = kbi_xml_child(cb, "Codes");
    if (!codes)
        return kbi_fail_at(err, KB_EFORMAT, file, cb->line, 0,
                           "a codebook without <Codes>");
    int rc = read_codes(&r, codes, KB_NO_INDEX, err);
    if (rc)
        return rc;
    if (!q->n)
        return kbi_fail_at(err, KB_EFORMAT, file, codes->line, 0,
                           "a codebook without codes");
    /* a codebook file holds its sets; a project holds them beside its
     * codebook */
    const xmlNode *sets = kbi_xml_child(cb, "Sets");
    if (!sets && cb->parent && cb->parent->type == XML_ELEMENT_NODE)
        sets = kbi_xml_child(cb->parent, "Sets");
    if (sets && !kbi_xml_child(sets, "Set"))
        say(notice, ctx, file,
            "an empty <Sets/> (the schema wants a <Set> "
            "in it); read anyway");
    if (read_sets(&r, sets))
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    if (r.bad_guids)
        say(notice, ctx, file,
            "%zu codes without a GUID of the schema's "
            "form; read anyway",
            r.bad_guids);
    if (r.nameless)
        say(notice, ctx, file, "%zu codes without a name, named by their GUID",
            r.nameless);
    if (r.bad_colors)
        say(notice, ctx, file, "%zu colours not #RGB or #RRGGBB, left out",
            r.bad_colors);
    if (r.colors > r.bad_colors)
        say(notice, ctx, file,
            "kodbok codebooks have no colours: the %zu colours are kept as "
            "comments in the YAML",
            r.colors - r.bad_colors);
    if ((rc = place_nodes(&r, err)) != 0 || (rc = assign_ids(&r, err)) != 0)
        return rc;
    if (render(q, name))
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    return 0;
}

void kbi_qdc_clear(kbi_qdc *q)
{
    for (size_t i = 0; i < q->n; i++) {
        kbi_qdc_code *c = &q->codes[i];
        free(c->guid);
        free(c->name);
        free(c->description);
        free(c->color);
        free(c->id);
        for (size_t k = 0; k < sizeof SCALARS / sizeof *SCALARS; k++)
            free(*(char **)((char *)c + SCALARS[k].off));
        for (size_t k = 0; k < c->nb_patterns; k++)
            free(c->b_patterns[k]);
        for (size_t k = 0; k < c->nb_exclude; k++)
            free(c->b_exclude[k]);
        free(c->b_patterns);
        free(c->b_exclude);
    }
    free(q->codes);
    free(q->name);
    free(q->yaml);
    memset(q, 0, sizeof *q);
}

const kbi_qdc_code *kbi_qdc_find(const kbi_qdc *q, const char *guid)
{
    char *g = kbi_refi_guid(guid);
    const kbi_qdc_code *found = NULL;
    for (size_t i = 0; g && i < q->n && !found; i++)
        if (q->codes[i].guid && !q->codes[i].skipped &&
            !strcmp(q->codes[i].guid, g))
            found = &q->codes[i];
    free(g);
    return found;
}

int kbi_qdc_stage(const kbi_qdc *q, kbi_out *staged, const char *yaml_path,
                  const char *source, kb_error *err)
{
    kb_codebook *cb;
    int rc = kbi_codebook_parse(&cb, (const unsigned char *)q->yaml, q->len,
                                yaml_path, err);
    kb_codebook_free(cb);
    if (rc) {
        /* the YAML is ours: say which file it came from */
        char msg[sizeof err->message];
        snprintf(msg, sizeof msg, "%s", err->message);
        return kbi_fail_at(err, rc, source, 0, 0,
                           "the codebook made of it does not load: %s", msg);
    }
    if ((rc = kbi_out_open(staged, yaml_path, err)))
        return rc;
    fwrite(q->yaml, 1, q->len, staged->f);
    if ((rc = kbi_out_close(staged, err)))
        kbi_out_end(staged, 0, NULL);
    return rc;
}

int kb_codebook_from_qdc(const char *qdc_path, const char *yaml_path,
                         const kb_qdc_import_options *opts, kb_error *err)
{
    kb_qdc_import_options defaults = KB_QDC_IMPORT_OPTIONS_INIT;
    if (!opts)
        opts = &defaults;
    if (opts->version != KB_QDC_IMPORT_OPTIONS_VERSION)
        return kbi_fail(err, KB_EINVAL,
                        "codebook import options of an "
                        "unknown version");
    unsigned char *data;
    size_t len;
    int rc = kbi_file_read(&data, &len, qdc_path, KBI_INPUT_CODEBOOK, err);
    if (rc)
        return rc;
    xmlDocPtr doc = NULL;
    kbi_qdc q = {0};
    rc = kbi_xml_read(&doc, data, len, qdc_path, err);
    xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
    if (!rc && (!root || !kbi_xml_is(root, "CodeBook")))
        rc = kbi_fail_at(err, KB_EFORMAT, qdc_path, root ? root->line : 0, 0,
                         "not a REFI-QDA codebook: its root is <%s>, not "
                         "<CodeBook>",
                         root ? (const char *)root->name : "");
    if (!rc) {
        kbi_refi_ns_check(root, "codebook", qdc_path, opts->notice, opts->ctx);
        /* "dir/studie.qdc" names the codebook "studie" */
        const char *base = strrchr(qdc_path, '/');
        base = base ? base + 1 : qdc_path;
        const char *dot = strrchr(base, '.');
        char stem[512];
        snprintf(
            stem, sizeof stem, "%.*s",
            (int)(dot && dot != base ? (size_t)(dot - base) : strlen(base)),
            base);
        rc = kbi_qdc_read(&q, root, opts->name ? opts->name : stem, qdc_path,
                          opts->notice, opts->ctx, err);
    }
    kbi_out staged;
    if (!rc && !(rc = kbi_qdc_stage(&q, &staged, yaml_path, qdc_path, err)))
        rc = kbi_out_end(&staged, 1, err);
    kbi_qdc_clear(&q);
    xmlFreeDoc(doc);
    free(data);
    return rc;
}

int kb_file_is_qdc(const char *path)
{
    FILE *f = kbi_file_regular(path) ? fopen(path, "rb") : NULL;
    if (!f)
        return 0;
    char buf[4096];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    const char *p = buf;
    if (!strncmp(p, "\xEF\xBB\xBF", 3))
        p += 3;
    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
            p++;
        if (!strncmp(p, "<?", 2) || !strncmp(p, "<!", 2)) {
            /* a document type's internal subset holds '>' of its own */
            const char *end = strchr(p, '>'), *subset = strchr(p, '[');
            if (end && subset && subset < end && (subset = strchr(subset, ']')))
                end = strchr(subset, '>');
            if (!end)
                return 0;
            p = end + 1;
            continue;
        }
        if (*p != '<')
            return 0;
        p++;
        size_t len = strcspn(p, " \t\r\n/>");
        const char *colon = memchr(p, ':', len);
        const char *local = colon ? colon + 1 : p;
        return (size_t)(p + len - local) == 8 && !strncmp(local, "CodeBook", 8);
    }
}
