/*
 * edit.c: kb_codebook_set_patterns. The file is loaded as a codebook (it
 * must be one), then parsed again as a YAML document whose nodes carry
 * their marks; the concept's mapping is found under a `concepts` list by
 * its id, and the bytes of its `patterns` value (from the first item to
 * the end of the last, for a block list) are replaced with the new list in
 * the same style: a block list item per line at the same indent, a flow
 * list on one line, a single scalar as a scalar. A concept without
 * `patterns` gets a line after its `id` (an entry after it, in a flow
 * mapping). The result is parsed as a codebook before it is written over
 * the file (one rename). libyaml's marks count characters, not bytes.
 */
#include "codebook/edit.h"
#include "base/error.h"
#include "base/file.h"
#include "base/grow.h"
#include "base/utf8.h"
#include "codebook/codebook.h"
#include "codebook/rule.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

typedef struct edit {
    const char *text; /* the file */
    size_t len;
    size_t bom;          /* bytes of a byte order mark, which marks skip */
    yaml_document_t doc; /* its nodes */
    const char *concept;
} edit;

/* The byte offset of a mark's character index. */
static size_t byte_at(const edit *e, yaml_mark_t m)
{
    size_t b = e->bom;
    for (size_t c = 0; c < m.index && b < e->len; c++)
        b += kbi_utf8_seqlen((unsigned char)e->text[b]);
    return b < e->len ? b : e->len;
}

static int is_scalar(const yaml_node_t *n, const char *s)
{
    return n && n->type == YAML_SCALAR_NODE &&
           n->data.scalar.length == strlen(s) &&
           !memcmp(n->data.scalar.value, s, n->data.scalar.length);
}

/* The pair of mapping m whose key is `key`, or NULL. */
static yaml_node_pair_t *pair_of(edit *e, yaml_node_t *m, const char *key)
{
    for (yaml_node_pair_t *p = m->data.mapping.pairs.start;
         p < m->data.mapping.pairs.top; p++)
        if (is_scalar(yaml_document_get_node(&e->doc, p->key), key))
            return p;
    return NULL;
}

/* The concept's mapping: an item of a `concepts` list under n whose id is
 * e->concept; NULL when none. */
static yaml_node_t *find(edit *e, yaml_node_t *n, int depth)
{
    if (!n || depth > 16)
        return NULL;
    if (n->type == YAML_SEQUENCE_NODE) {
        for (yaml_node_item_t *i = n->data.sequence.items.start;
             i < n->data.sequence.items.top; i++) {
            yaml_node_t *f =
                find(e, yaml_document_get_node(&e->doc, *i), depth + 1);
            if (f)
                return f;
        }
        return NULL;
    }
    if (n->type != YAML_MAPPING_NODE)
        return NULL;
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
         p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *v = yaml_document_get_node(&e->doc, p->value);
        if (v && v->type == YAML_SEQUENCE_NODE &&
            is_scalar(yaml_document_get_node(&e->doc, p->key), "concepts")) {
            for (yaml_node_item_t *i = v->data.sequence.items.start;
                 i < v->data.sequence.items.top; i++) {
                yaml_node_t *c = yaml_document_get_node(&e->doc, *i);
                yaml_node_pair_t *id = c && c->type == YAML_MAPPING_NODE
                                           ? pair_of(e, c, "id")
                                           : NULL;
                if (id && is_scalar(yaml_document_get_node(&e->doc, id->value),
                                    e->concept))
                    return c;
            }
        }
        yaml_node_t *f = find(e, v, depth + 1);
        if (f)
            return f;
    }
    return NULL;
}

/* A growing output buffer. */
typedef struct out {
    char *b;
    size_t n, cap;
    int fail;
} out;

static void put(out *o, const char *s, size_t n)
{
    if (o->fail || kbi_grow(&o->b, &o->cap, o->n + n + 1, 1)) {
        o->fail = 1;
        return;
    }
    memcpy(o->b + o->n, s, n);
    o->n += n;
    o->b[o->n] = '\0';
}

static void puts_(out *o, const char *s)
{
    put(o, s, strlen(s));
}

static void quoted(out *o, const char *s)
{
    if (!o->fail && kbi_yaml_quoted(&o->b, &o->n, &o->cap, s))
        o->fail = 1;
}

/* The patterns as a flow list. */
static void flow(out *o, const char *const *pats, size_t n)
{
    puts_(o, "[");
    for (size_t i = 0; i < n; i++) {
        if (i)
            puts_(o, ", ");
        quoted(o, pats[i]);
    }
    puts_(o, "]");
}

/*
 * The replacement: bytes [*from, *to) of the file become o's text. KB_ENOENT
 * when the concept is not found (the codebook has it, so this is only a
 * concept the walk cannot reach).
 */
static int replacement(edit *e, yaml_node_t *c, const char *const *pats,
                       size_t n, size_t *from, size_t *to, out *o)
{
    yaml_node_pair_t *p = pair_of(e, c, "patterns");
    if (!p) {
        yaml_node_pair_t *id = pair_of(e, c, "id");
        yaml_node_t *k = yaml_document_get_node(&e->doc, id->key),
                    *v = yaml_document_get_node(&e->doc, id->value);
        size_t at = byte_at(e, v->end_mark);
        if (c->data.mapping.style == YAML_FLOW_MAPPING_STYLE) {
            puts_(o, ", patterns: ");
        } else {
            while (at < e->len && e->text[at] != '\n' && e->text[at] != '\r')
                at++;
            puts_(o, at < e->len && e->text[at] == '\r' ? "\r\n" : "\n");
            for (size_t i = 0; i < k->start_mark.column; i++)
                puts_(o, " ");
            puts_(o, "patterns: ");
        }
        flow(o, pats, n);
        *from = *to = at;
        return 0;
    }
    yaml_node_t *k = yaml_document_get_node(&e->doc, p->key),
                *v = yaml_document_get_node(&e->doc, p->value);
    if (v->type == YAML_SEQUENCE_NODE &&
        v->data.sequence.style == YAML_BLOCK_SEQUENCE_STYLE &&
        v->data.sequence.items.top > v->data.sequence.items.start) {
        yaml_node_t *last =
            yaml_document_get_node(&e->doc, v->data.sequence.items.top[-1]);
        *to = byte_at(e, last->end_mark);
        if (!n) { /* `patterns: []` in place of the list */
            *from = byte_at(e, k->end_mark);
            puts_(o, ": []");
            return 0;
        }
        *from = byte_at(e, v->start_mark);
        const char *nl = strstr(e->text, "\r\n") ? "\r\n" : "\n";
        for (size_t i = 0; i < n; i++) {
            if (i) {
                puts_(o, nl);
                for (size_t s = 0; s < v->start_mark.column; s++)
                    puts_(o, " ");
            }
            puts_(o, "- ");
            quoted(o, pats[i]);
        }
        return 0;
    }
    *from = byte_at(e, v->start_mark);
    *to = byte_at(e, v->end_mark);
    if (v->type == YAML_SCALAR_NODE && *from == *to) { /* `patterns:` bare */
        *from = byte_at(e, k->end_mark);
        puts_(o, ": ");
    }
    if (v->type == YAML_SCALAR_NODE && n == 1)
        quoted(o, pats[0]);
    else
        flow(o, pats, n);
    return 0;
}

/* KB_ENOENT naming the nearest concept. */
static int no_concept(const kb_codebook *cb, const char *path,
                      const char *concept, kb_error *err)
{
    const char *near = kbi_codebook_near_concept(cb, concept);
    if (near)
        return kbi_fail_at(err, KB_ENOENT, path, 0, 0,
                           "no concept '%s' (did you mean '%s'?)", concept,
                           near);
    return kbi_fail_at(err, KB_ENOENT, path, 0, 0, "no concept '%s'", concept);
}

static int write_all(void *ctx, FILE *f, kb_error *err)
{
    const out *o = ctx;
    (void)err;
    return fwrite(o->b, 1, o->n, f) == o->n ? 0 : KB_EIO;
}

int kb_codebook_set_patterns(const char *path, const char *concept,
                             const char *const *patterns, size_t npatterns,
                             kb_error *err)
{
    if (!concept || !*concept)
        return kbi_fail_arg(err, KB_EINVAL, "concept", "no concept given");
    if (npatterns && !patterns)
        return kbi_fail_arg(err, KB_EINVAL, "patterns", "no patterns given");
    for (size_t i = 0; i < npatterns; i++)
        if (!patterns[i] || strpbrk(patterns[i], "\r\n"))
            return kbi_fail_arg(err, KB_EINVAL, "patterns", "pattern %zu is %s",
                                i + 1,
                                patterns[i] ? "over several lines" : "NULL");
    kb_codebook *cb = NULL;
    int rc = kb_codebook_load(&cb, path, err);
    if (rc)
        return rc;
    if (kb_codebook_find(cb, KB_CODE_CONCEPT, concept) == KB_NO_INDEX) {
        rc = no_concept(cb, path, concept, err);
        kb_codebook_free(cb);
        return rc;
    }
    edit e = {.text = cb->source, .len = cb->source_len, .concept = concept};
    if (e.len >= 3 && !memcmp(e.text, "\xEF\xBB\xBF", 3))
        e.bom = 3;
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        kb_codebook_free(cb);
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)e.text, e.len);
    out o = {0};
    if (!yaml_parser_load(&parser, &e.doc)) {
        rc = kbi_fail_at(err, KB_EFORMAT, path, 0, 0, "YAML: %s",
                         parser.problem ? parser.problem : "syntax error");
    } else {
        yaml_node_t *c = find(&e, yaml_document_get_root_node(&e.doc), 0);
        size_t from = 0, to = 0;
        if (!c)
            rc = no_concept(cb, path, concept, err);
        else if (!(rc = replacement(&e, c, patterns, npatterns, &from, &to,
                                    &o))) {
            out whole = {0};
            put(&whole, e.text, from);
            put(&whole, o.b ? o.b : "", o.n);
            put(&whole, e.text + to, e.len - to);
            free(o.b);
            o = whole;
        }
        yaml_document_delete(&e.doc);
    }
    yaml_parser_delete(&parser);
    kb_codebook *check = NULL;
    if (!rc && o.fail)
        rc = kbi_fail(err, KB_ENOMEM, "out of memory");
    if (!rc)
        rc = kbi_codebook_parse(&check, (const unsigned char *)o.b, o.n, path,
                                err);
    if (!rc) {
        size_t node = kb_codebook_find(check, KB_CODE_CONCEPT, concept);
        if (node == KB_NO_INDEX ||
            kb_codebook_get(check, node)->npatterns != npatterns)
            rc = kbi_fail_at(err, KB_EFORMAT, path, 0, 0,
                             "the edit of concept '%s' would not give its "
                             "patterns; the file is unchanged",
                             concept);
    }
    if (!rc)
        rc = kbi_file_write_atomic(path, write_all, &o, err);
    kb_codebook_free(check);
    kb_codebook_free(cb);
    free(o.b);
    return rc;
}
