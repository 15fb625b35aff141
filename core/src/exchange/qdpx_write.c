/*
 * qdpx_write.c: projects as REFI-QDA projects (see qdpx_write.h,
 * docs/refi-qda.md).
 */
#include "exchange/qdpx_write.h"

#include "base/error.h"
#include "base/grow.h"
#include "base/file.h"
#include "base/xml.h"
#include "base/zipwrite.h"
#include "exchange/guid.h"
#include "exchange/qdc_write.h"
#include "exchange/refi.h"
#include "quotes/list.h"
#include "store/project.h"
#include "store/runs.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A quote or manual coding, by its document: sorted by document, then
 * as listed. */
typedef struct by_doc {
    const char *doc;
    size_t i;
} by_doc;

typedef struct qdpx {
    kb_project *p;
    kb_line_ends line_ends;
    kb_error *err;
    kb_doc_list *docs;
    kb_case_list *cases;
    kb_tag_list *tags;
    kb_memo_list *memos;   /* every memo; those of codings come with tags */
    kb_quote_list *quotes; /* the last run's automatic quotes, or NULL */
    const kb_codebook *cb; /* the last run's codebook, or NULL */
    by_doc *by_doc_q;      /* the quotes by document */
    by_doc *by_doc_t;      /* the placed manual codings by document */
    size_t nt;
    const char **coders; /* sorted, each once */
    size_t ncoders;
    kbi_zipw *pkg;
    kbi_xml x;
} qdpx;

static int oom(qdpx *q)
{
    return kbi_fail(q->err, KB_ENOMEM, "out of memory writing the project");
}

/* Writes attribute `name` holding the GUID of kind + key. */
static int guid_attr(qdpx *q, const char *name, const char *kind,
                     const char *key)
{
    char g[KBI_GUID_LEN + 1];
    if (kbi_guid(g, kind, key))
        return oom(q);
    kbi_xml_attr(&q->x, name, g);
    return 0;
}

/* An empty element `el` with targetGUID of kind + key. */
static int ref(qdpx *q, const char *el, const char *kind, const char *key)
{
    kbi_xml_open(&q->x, el);
    int rc = guid_attr(q, "targetGUID", kind, key);
    kbi_xml_close(&q->x);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* What is written, gathered                                                 */
/* ------------------------------------------------------------------------ */

static int by_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int by_doc_cmp(const void *a, const void *b)
{
    const by_doc *x = a, *y = b;
    int c = strcmp(x->doc, y->doc);
    return c ? c : (x->i > y->i) - (x->i < y->i);
}

/* Reads the documents, cases, manual codings and the last run's automatic
 * quotes and codebook, and orders them by document. */
static int gather(qdpx *q)
{
    int rc = kb_project_docs(&q->docs, q->p, q->err);
    if (!rc)
        rc = kb_project_cases(&q->cases, q->p, q->err);
    if (!rc)
        rc = kb_project_tags(&q->tags, q->p, NULL, q->err);
    if (!rc)
        rc = kb_project_memos(&q->memos, q->p, NULL, NULL, q->err);
    int64_t run = kbi_runs_last(q->p->db, INT64_MAX);
    if (!rc && run) {
        kb_quote_filter f = {0};
        f.run = run;
        f.source = "auto";
        f.skip_words = 1;
        rc = kb_project_quotes(&q->quotes, q->p, &f, q->err);
        if (!rc)
            rc = kbi_quote_list_codebook(q->quotes, q->p, run, q->err);
        if (!rc)
            q->cb = q->quotes->cb;
    }
    if (rc)
        return rc;
    size_t nq = kb_quote_list_count(q->quotes);
    size_t ntags = kb_tag_list_count(q->tags);
    size_t nmemos = kb_memo_list_count(q->memos);
    q->by_doc_q = malloc((nq ? nq : 1) * sizeof *q->by_doc_q);
    q->by_doc_t = malloc((ntags ? ntags : 1) * sizeof *q->by_doc_t);
    q->coders = malloc((ntags + nmemos + 1) * sizeof *q->coders);
    if (!q->by_doc_q || !q->by_doc_t || !q->coders)
        return oom(q);
    for (size_t i = 0; i < nq; i++)
        q->by_doc_q[i] = (by_doc){kb_quote_list_get(q->quotes, i)->document, i};
    kbi_sort(q->by_doc_q, nq, sizeof *q->by_doc_q, by_doc_cmp);
    for (size_t i = 0; i < ntags; i++) {
        const kb_tag_info *t = kb_tag_list_get(q->tags, i);
        if (!t->placed)
            continue;
        q->by_doc_t[q->nt++] = (by_doc){t->document, i};
        q->coders[q->ncoders++] = t->coder;
    }
    for (size_t i = 0; i < nmemos; i++) { /* the memos' authors are users */
        const kb_memo_info *m = kb_memo_list_get(q->memos, i);
        if (m->target != KB_MEMO_CODING)
            q->coders[q->ncoders++] = m->author;
    }
    kbi_sort(q->by_doc_t, q->nt, sizeof *q->by_doc_t, by_doc_cmp);
    kbi_sort(q->coders, q->ncoders, sizeof *q->coders, by_name);
    size_t k = 0;
    for (size_t i = 0; i < q->ncoders; i++)
        if (!k || strcmp(q->coders[k - 1], q->coders[i]))
            q->coders[k++] = q->coders[i];
    q->ncoders = k;
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Memos as notes                                                            */
/* ------------------------------------------------------------------------ */

/* The stored target of a memo of table memos: "project", "document",
 * "case", or a code's kind. */
static const char *memo_target(const kb_memo_info *m)
{
    return m->target == KB_MEMO_CODE ? kb_code_kind_name(m->kind)
                                     : kb_memo_target_name(m->target);
}

/* The key of a memo's note GUID: what the memo is known by, its `at` only
 * when it has one, so that the notes of memos on a thing as a whole keep
 * their GUIDs (caller frees). */
static char *memo_key(const kb_memo_info *m)
{
    const char *t = memo_target(m);
    size_t n = strlen(t) + strlen(m->name) + strlen(m->at) + strlen(m->author) +
               strlen(m->created_at) + 6;
    char *k = malloc(n);
    if (k)
        snprintf(k, n, "%s\t%s\t%s\t%s%s%s", t, m->name, m->author,
                 m->created_at, *m->at ? "\t" : "", m->at);
    return k;
}

/* NoteRefs to the notes of the memos on `target` (its stored name) named
 * `name`. */
static int memo_refs(qdpx *q, kbi_xml *x, const char *target, const char *name)
{
    int rc = 0;
    for (size_t i = 0; i < kb_memo_list_count(q->memos) && !rc; i++) {
        const kb_memo_info *m = kb_memo_list_get(q->memos, i);
        if (m->target == KB_MEMO_CODING || strcmp(memo_target(m), target) ||
            strcmp(m->name, name))
            continue;
        char *key = memo_key(m), g[KBI_GUID_LEN + 1];
        if (!key || kbi_guid(g, "memo:", key))
            rc = oom(q);
        free(key);
        if (rc)
            break;
        kbi_xml_open(x, "NoteRef");
        kbi_xml_attr(x, "targetGUID", g);
        kbi_xml_close(x);
    }
    return rc;
}

/* A code's NoteRefs, for kbi_qdc_codes. */
static int code_notes(void *ctx, kbi_xml *x, const kb_code_info *c)
{
    if (c->kind != KB_CODE_DIMENSION && c->kind != KB_CODE_THEME &&
        c->kind != KB_CODE_CONCEPT)
        return 0;
    return memo_refs(ctx, x, kb_code_kind_name(c->kind), c->id);
}

/* ------------------------------------------------------------------------ */
/* Users, codebook, variables, cases                                         */
/* ------------------------------------------------------------------------ */

static int user(qdpx *q, const char *name)
{
    kbi_xml_open(&q->x, "User");
    int rc = guid_attr(q, "guid", "user:", name);
    kbi_xml_attr(&q->x, "name", name);
    kbi_xml_attr(&q->x, "id", name);
    kbi_xml_close(&q->x);
    return rc;
}

static int users(qdpx *q)
{
    if (!q->cb && !q->ncoders)
        return 0;
    kbi_xml_open(&q->x, "Users");
    int rc = q->cb ? user(q, KBI_REFI_RULES_USER) : 0;
    for (size_t i = 0; i < q->ncoders && !rc; i++)
        rc = user(q, q->coders[i]);
    kbi_xml_close(&q->x);
    return rc;
}

/* The codebook, its dimensions and themes codable when coded by hand. */
static int codebook(qdpx *q)
{
    if (!q->cb)
        return 0;
    size_t n = kb_codebook_count(q->cb);
    unsigned char *coded = calloc(n ? n : 1, 1);
    if (!coded)
        return oom(q);
    for (size_t i = 0; i < q->nt; i++) {
        const kb_tag_info *t = kb_tag_list_get(q->tags, q->by_doc_t[i].i);
        size_t c = kb_codebook_find(q->cb, t->kind, t->code);
        if (c != KB_NO_INDEX)
            coded[c] = 1;
    }
    kbi_xml_open(&q->x, "CodeBook");
    int rc = kbi_qdc_codes(&q->x, q->cb, coded, code_notes, q, q->err);
    kbi_xml_close(&q->x);
    free(coded);
    return rc;
}

/* The case attributes' names, each once, in the order they are first met
 * (cases by id, attributes in column order). */
static int attribute_names(qdpx *q, const char ***names, size_t *n)
{
    size_t cap = 0;
    *names = NULL;
    *n = 0;
    for (size_t i = 0; i < kb_case_list_count(q->cases); i++) {
        const kb_case_info *c = kb_case_list_get(q->cases, i);
        for (size_t a = 0; a < c->nattrs; a++) {
            size_t k = 0;
            while (k < *n && strcmp((*names)[k], c->attr_names[a]))
                k++;
            if (k < *n)
                continue;
            if (KBI_GROW(names, &cap, *n + 1))
                return oom(q);
            (*names)[(*n)++] = c->attr_names[a];
        }
    }
    return 0;
}

static int variables(qdpx *q)
{
    const char **names;
    size_t n;
    int rc = attribute_names(q, &names, &n);
    if (!rc && n) {
        kbi_xml_open(&q->x, "Variables");
        for (size_t i = 0; i < n && !rc; i++) {
            kbi_xml_open(&q->x, "Variable");
            rc = guid_attr(q, "guid", "variable:", names[i]);
            kbi_xml_attr(&q->x, "name", names[i]);
            kbi_xml_attr(&q->x, "typeOfVariable", "Text");
            kbi_xml_close(&q->x);
        }
        kbi_xml_close(&q->x);
    }
    free(names);
    return rc;
}

/* A case's mapping (a document, a speaker in it, the interviewer's label),
 * which REFI-QDA has no place for, in a kodbok block as its Description. */
static int case_map(qdpx *q, const kb_case_info *c)
{
    const char *keys[] = {"document", "speaker", "interviewer"};
    const char *vals[] = {c->document, c->speaker, c->interviewer};
    char *buf = NULL;
    size_t len = 0, cap = 0;
    int bad = 0;
    for (int k = 0; k < 3; k++) {
        if (!vals[k])
            continue;
        if (!len)
            bad |= kbi_xml_append(&buf, &len, &cap, KBI_REFI_BLOCK "\n");
        bad |= kbi_qdc_yaml_key(&buf, &len, &cap, keys[k], vals[k]);
    }
    if (!bad && len) {
        kbi_xml_open(&q->x, "Description");
        kbi_xml_text(&q->x, buf, len);
        kbi_xml_close(&q->x);
    }
    free(buf);
    return bad ? kbi_fail(q->err, KB_ENOMEM, "out of memory") : 0;
}

static int cases(qdpx *q)
{
    size_t n = kb_case_list_count(q->cases);
    if (!n)
        return 0;
    int rc = 0;
    kbi_xml_open(&q->x, "Cases");
    for (size_t i = 0; i < n && !rc; i++) {
        const kb_case_info *c = kb_case_list_get(q->cases, i);
        kbi_xml_open(&q->x, "Case");
        rc = guid_attr(q, "guid", "case:", c->id);
        kbi_xml_attr(&q->x, "name", c->id);
        if (!rc)
            rc = case_map(q, c);
        for (size_t a = 0; a < c->nattrs && !rc; a++) {
            kbi_xml_open(&q->x, "VariableValue");
            rc = ref(q, "VariableRef", "variable:", c->attr_names[a]);
            kbi_xml_open(&q->x, "TextValue");
            kbi_xml_text(&q->x, c->attr_values[a], strlen(c->attr_values[a]));
            kbi_xml_close(&q->x);
            kbi_xml_close(&q->x);
        }
        /* the case's sources: the documents it is the case of, however
         * they came to be (the cases' document column, a case named like
         * the document, or one given with the import) */
        for (size_t d = 0; d < kb_doc_list_count(q->docs) && !rc; d++) {
            const kb_doc_info *di = kb_doc_list_get(q->docs, d);
            if (di->case_id && !strcmp(di->case_id, c->id))
                rc = ref(q, "SourceRef", "source:", di->name);
        }
        kbi_xml_close(&q->x);
    }
    kbi_xml_close(&q->x);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* Sources and their selections                                              */
/* ------------------------------------------------------------------------ */

/* A document's text as written, and its positions' shift. */
typedef struct source_text {
    char *text;
    size_t len;
    size_t *lf; /* CRLF: the code point offsets of the LFs, ascending */
    size_t nlf;
} source_text;

/* A stored offset as written: + one per line end before it (CRLF). */
static size_t position(const source_text *s, size_t at)
{
    size_t lo = 0, hi = s->nlf;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->lf[mid] < at)
            lo = mid + 1;
        else
            hi = mid;
    }
    return at + lo;
}

static int source_text_make(qdpx *q, source_text *s, const char *text,
                            size_t len)
{
    size_t lines = 0;
    if (q->line_ends == KB_LINE_ENDS_CRLF)
        for (size_t i = 0; i < len; i++)
            lines += text[i] == '\n';
    s->text = malloc(len + lines + 1);
    s->lf = malloc((lines ? lines : 1) * sizeof *s->lf);
    if (!s->text || !s->lf)
        return oom(q);
    size_t o = 0, cp = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char b = (unsigned char)text[i];
        if (lines && b == '\n') {
            s->lf[s->nlf++] = cp;
            s->text[o++] = '\r';
        }
        s->text[o++] = (char)b;
        cp += (b & 0xC0) != 0x80;
    }
    s->len = o;
    return 0;
}

/* The name a selection's GUIDs are derived from. */
static char *selection_key(const char *doc, int version, size_t start,
                           size_t end, const char *code, const char *user)
{
    int n = snprintf(NULL, 0, "%s/%d/%zu/%zu/%s/%s", doc, version, start, end,
                     code, user);
    char *k = n < 0 ? NULL : malloc((size_t)n + 1);
    if (k)
        snprintf(k, (size_t)n + 1, "%s/%d/%zu/%zu/%s/%s", doc, version, start,
                 end, code, user);
    return k;
}

/* A <Coding> of the code with GUID `code_guid` by `user`, its own GUID
 * from the selection's key and `what`. */
static int coding(qdpx *q, const char *key, const char *what,
                  const char *code_guid, const char *user)
{
    size_t n = strlen(key) + 1 + strlen(what) + 1;
    char *k = malloc(n);
    if (!k)
        return oom(q);
    snprintf(k, n, "%s/%s", key, what);
    kbi_xml_open(&q->x, "Coding");
    int rc = guid_attr(q, "guid", "coding:", k);
    if (!rc)
        rc = guid_attr(q, "creatingUser", "user:", user);
    free(k);
    kbi_xml_open(&q->x, "CodeRef");
    kbi_xml_attr(&q->x, "targetGUID", code_guid);
    kbi_xml_close(&q->x);
    kbi_xml_close(&q->x);
    return rc;
}

/* The Coding of facet value `value` of facet `facet` (both ids), if the
 * codebook has it. */
static int value_coding(qdpx *q, const char *key, const char *facet,
                        size_t flen, const char *value, size_t vlen,
                        const char *user)
{
    char *f = strndup(facet, flen), *v = strndup(value, vlen);
    int rc = f && v ? 0 : oom(q);
    size_t fi = rc ? KB_NO_INDEX : kb_codebook_find(q->cb, KB_CODE_FACET, f);
    for (size_t i = fi + 1; fi != KB_NO_INDEX && i < kb_codebook_count(q->cb);
         i++) {
        const kb_code_info *c = kb_codebook_get(q->cb, i);
        if (c->kind != KB_CODE_VALUE || c->parent != fi || strcmp(c->id, v))
            continue;
        char g[KBI_GUID_LEN + 1];
        size_t n = strlen(f) + 1 + strlen(v) + 1;
        char *what = malloc(n);
        if (!what || kbi_qdc_guid(g, q->cb, i)) {
            free(what);
            rc = oom(q);
            break;
        }
        snprintf(what, n, "%s=%s", f, v);
        rc = coding(q, key, what, g, user);
        free(what);
        break;
    }
    free(f);
    free(v);
    return rc;
}

/* Opens a <PlainTextSelection> with its GUID and positions. */
static int selection_open(qdpx *q, const source_text *s, const char *key,
                          size_t start, size_t end, const char *user)
{
    kbi_xml_open(&q->x, "PlainTextSelection");
    int rc = guid_attr(q, "guid", "selection:", key);
    kbi_xml_attrf(&q->x, "startPosition", "%zu", position(s, start));
    kbi_xml_attrf(&q->x, "endPosition", "%zu", position(s, end));
    if (!rc)
        rc = guid_attr(q, "creatingUser", "user:", user);
    return rc;
}

/* The selection of an automatic quote, with its concept and facet values. */
static int auto_selection(qdpx *q, const source_text *s, const kb_quote_row *r)
{
    char *key = selection_key(r->document, r->version, r->start, r->end,
                              r->concept, KBI_REFI_RULES_USER);
    if (!key)
        return oom(q);
    int rc = selection_open(q, s, key, r->start, r->end, KBI_REFI_RULES_USER);
    char g[KBI_GUID_LEN + 1];
    if (!rc)
        rc = kbi_guid(g, "code:", r->concept)
                 ? oom(q)
                 : coding(q, key, r->concept, g, KBI_REFI_RULES_USER);
    for (size_t f = 0; r->facets && f < kb_quote_list_facets(q->quotes) && !rc;
         f++) {
        const char *fid = kb_quote_list_facet(q->quotes, f);
        for (const char *v = r->facets[f]; v && *v && !rc;) {
            size_t n = strcspn(v, ",");
            rc = value_coding(q, key, fid, strlen(fid), v, n,
                              KBI_REFI_RULES_USER);
            v += n + (v[n] == ',');
        }
    }
    kbi_xml_close(&q->x);
    free(key);
    return rc;
}

/* The selection of a manual coding: its decision (and whether its coder
 * featured it) in a `kodbok:` block, the code (none for a rejection), its
 * facet values, a NoteRef to its memo. */
static int manual_selection(qdpx *q, const source_text *s, const kb_tag_info *t)
{
    char *key = selection_key(t->document, t->version, t->start, t->end,
                              t->code, t->coder);
    if (!key)
        return oom(q);
    int rc = selection_open(q, s, key, t->start, t->end, t->coder);
    char *desc = NULL;
    size_t len = 0, cap = 0;
    if (kbi_xml_append(&desc, &len, &cap, KBI_REFI_BLOCK "\n") ||
        kbi_qdc_yaml_word(&desc, &len, &cap, "decision",
                          kb_decision_name(t->decision)) ||
        kbi_qdc_yaml_key(&desc, &len, &cap, "code", t->code) ||
        (t->featured &&
         kbi_qdc_yaml_word(&desc, &len, &cap, "featured", "true")))
        rc = rc ? rc : oom(q);
    kbi_xml_open(&q->x, "Description");
    kbi_xml_text(&q->x, desc ? desc : "", len);
    kbi_xml_close(&q->x);
    free(desc);
    size_t ci = q->cb ? kb_codebook_find(q->cb, t->kind, t->code) : KB_NO_INDEX;
    char g[KBI_GUID_LEN + 1];
    if (!rc && t->decision != KB_DECISION_REJECT && ci != KB_NO_INDEX)
        rc = kbi_qdc_guid(g, q->cb, ci) ? oom(q)
                                        : coding(q, key, t->code, g, t->coder);
    for (const char *f = t->facets; f && *f && !rc;) {
        size_t n = strcspn(f, ";");
        const char *eq = memchr(f, '=', n);
        if (eq)
            rc = value_coding(q, key, f, (size_t)(eq - f), eq + 1,
                              n - (size_t)(eq - f) - 1, t->coder);
        f += n + (f[n] == ';');
    }
    if (!rc && t->memo && *t->memo)
        rc = ref(q, "NoteRef", "note:", key);
    kbi_xml_close(&q->x);
    free(key);
    return rc;
}

/* Adds data[0..len) (taken) to the package as `name`. */
static int package_add(qdpx *q, const char *name, char *data, size_t len)
{
    return kbi_zipw_take(q->pkg, name, data, len, q->err);
}

/* Document `name`'s source: its text into sources/, its selections. */
static int source(qdpx *q, const char *name, size_t *qi, size_t *ti)
{
    kb_document *doc;
    int rc = kb_document_load(&doc, q->p, name, 0, q->err);
    if (rc)
        return rc;
    size_t len;
    const char *text = kb_document_text(doc, &len);
    source_text s = {0};
    char g[KBI_GUID_LEN + 1], path[64], internal[64];
    rc = source_text_make(q, &s, text, len);
    kb_document_free(doc);
    if (!rc && kbi_guid(g, "source:", name))
        rc = oom(q);
    if (!rc) {
        snprintf(path, sizeof path, "sources/%s.txt", g);
        snprintf(internal, sizeof internal, "internal://%s.txt", g);
        rc = package_add(q, path, s.text, s.len);
        s.text = NULL;
    }
    if (!rc) {
        kbi_xml_open(&q->x, "TextSource");
        kbi_xml_attr(&q->x, "guid", g);
        kbi_xml_attr(&q->x, "name", name);
        kbi_xml_attr(&q->x, "plainTextPath", internal);
    }
    size_t nq = kb_quote_list_count(q->quotes);
    for (; !rc && *qi < nq; ++*qi) {
        const kb_quote_row *r =
            kb_quote_list_get(q->quotes, q->by_doc_q[*qi].i);
        int c = strcmp(r->document, name);
        if (c > 0)
            break;
        if (!c)
            rc = auto_selection(q, &s, r);
    }
    for (; !rc && *ti < q->nt; ++*ti) {
        const kb_tag_info *t = kb_tag_list_get(q->tags, q->by_doc_t[*ti].i);
        int c = strcmp(t->document, name);
        if (c > 0)
            break;
        if (!c)
            rc = manual_selection(q, &s, t);
    }
    if (!rc)
        rc = memo_refs(q, &q->x, "document", name);
    if (!rc)
        kbi_xml_close(&q->x);
    free(s.text);
    free(s.lf);
    return rc;
}

static int sources(qdpx *q)
{
    size_t n = kb_doc_list_count(q->docs);
    const char **names = malloc((n ? n : 1) * sizeof *names);
    if (!names)
        return oom(q);
    for (size_t i = 0; i < n; i++)
        names[i] = kb_doc_list_get(q->docs, i)->name;
    kbi_sort(names, n, sizeof *names, by_name);
    int rc = 0;
    size_t qi = 0, ti = 0;
    if (n)
        kbi_xml_open(&q->x, "Sources");
    for (size_t i = 0; i < n && !rc; i++)
        rc = source(q, names[i], &qi, &ti);
    if (n && !rc)
        kbi_xml_close(&q->x);
    free(names);
    return rc;
}

/* The memos of manual codings, then the other memos, as notes. */
static int notes(qdpx *q)
{
    int open = 0, rc = 0;
    for (size_t i = 0; i < q->nt && !rc; i++) {
        const kb_tag_info *t = kb_tag_list_get(q->tags, q->by_doc_t[i].i);
        if (!t->memo || !*t->memo)
            continue;
        char *key = selection_key(t->document, t->version, t->start, t->end,
                                  t->code, t->coder);
        if (!key)
            return oom(q);
        if (!open++)
            kbi_xml_open(&q->x, "Notes");
        kbi_xml_open(&q->x, "Note");
        rc = guid_attr(q, "guid", "note:", key);
        kbi_xml_attr(&q->x, "name", "memo");
        if (!rc)
            rc = guid_attr(q, "creatingUser", "user:", t->coder);
        kbi_xml_open(&q->x, "PlainTextContent");
        kbi_xml_text(&q->x, t->memo, strlen(t->memo));
        kbi_xml_close(&q->x);
        kbi_xml_close(&q->x);
        free(key);
    }
    /* the memos on the project, documents, cases and codes, each saying in
     * a kodbok block what it is on (a case has no NoteRef in REFI-QDA) */
    for (size_t i = 0; i < kb_memo_list_count(q->memos) && !rc; i++) {
        const kb_memo_info *m = kb_memo_list_get(q->memos, i);
        if (m->target == KB_MEMO_CODING)
            continue;
        char *key = memo_key(m), *desc = NULL;
        size_t len = 0, cap = 0;
        if (!key || kbi_xml_append(&desc, &len, &cap, KBI_REFI_BLOCK "\n") ||
            kbi_qdc_yaml_word(&desc, &len, &cap, "memo", memo_target(m)) ||
            (*m->name &&
             kbi_qdc_yaml_key(&desc, &len, &cap, "name", m->name)) ||
            (*m->at && kbi_qdc_yaml_key(&desc, &len, &cap, "at", m->at)))
            rc = oom(q);
        if (!rc && !open++)
            kbi_xml_open(&q->x, "Notes");
        if (!rc) {
            kbi_xml_open(&q->x, "Note");
            rc = guid_attr(q, "guid", "memo:", key);
            kbi_xml_attrf(
                &q->x, "name", "%s%s%s%s%s",
                m->target == KB_MEMO_PROJECT ? "journal" : memo_target(m),
                *m->name ? " " : "", m->name, *m->at ? " at " : "", m->at);
        }
        if (!rc)
            rc = guid_attr(q, "creatingUser", "user:", m->author);
        if (!rc) {
            kbi_xml_attr(&q->x, "creationDateTime", m->created_at);
            kbi_xml_attr(&q->x, "modifiedDateTime", m->changed_at);
            kbi_xml_open(&q->x, "Description");
            kbi_xml_text(&q->x, desc, len);
            kbi_xml_close(&q->x);
            kbi_xml_open(&q->x, "PlainTextContent");
            kbi_xml_text(&q->x, m->text, strlen(m->text));
            kbi_xml_close(&q->x);
            kbi_xml_close(&q->x);
        }
        free(desc);
        free(key);
    }
    if (open && !rc)
        kbi_xml_close(&q->x);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* The package                                                               */
/* ------------------------------------------------------------------------ */

/* The project's name: the file's name without its directory and
 * extension. */
static char *project_name(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    return strndup(base,
                   dot && dot != base ? (size_t)(dot - base) : strlen(base));
}

static int project_qde(qdpx *q, const char *name)
{
    if (kbi_xml_begin(&q->x, NULL, 1))
        return oom(q);
    kbi_xml_open(&q->x, "Project");
    kbi_xml_attr(&q->x, "xmlns", KBI_REFI_NS_PROJECT);
    kbi_xml_attr(&q->x, "name", name);
    kbi_xml_attr(&q->x, "origin", KBI_REFI_ORIGIN);
    int rc = users(q);
    if (!rc)
        rc = codebook(q);
    if (!rc)
        rc = variables(q);
    if (!rc)
        rc = cases(q);
    if (!rc)
        rc = sources(q);
    if (!rc)
        rc = notes(q);
    if (!rc && q->cb) {
        kbi_xml_open(&q->x, "Sets");
        rc = kbi_qdc_set(&q->x, q->cb, q->err);
        kbi_xml_close(&q->x);
    }
    if (!rc) {
        kbi_xml_open(&q->x, "Description");
        kbi_xml_textf(&q->x,
                      "Written by %s. positions: code points, end exclusive;"
                      " line ends: %s",
                      KBI_REFI_ORIGIN,
                      q->line_ends == KB_LINE_ENDS_CRLF ? "CRLF" : "LF");
        kbi_xml_close(&q->x);
    }
    if (!rc) /* the journal: notes on the project as a whole */
        rc = memo_refs(q, &q->x, "project", "");
    kbi_xml_close(&q->x);
    size_t len = 0;
    const char *doc = rc ? NULL : kbi_xml_finish(&q->x, &len);
    char *copy = doc ? malloc(len ? len : 1) : NULL;
    if (!rc && !copy)
        rc = oom(q);
    if (!rc) {
        memcpy(copy, doc, len);
        rc = package_add(q, "project.qde", copy, len);
    }
    kbi_xml_free(&q->x);
    return rc;
}

int kb_project_write_qdpx(kb_project *p, const char *path,
                          const kb_qdpx_options *opts, kb_error *err)
{
    kb_qdpx_options defaults = KB_QDPX_OPTIONS_INIT;
    if (!opts)
        opts = &defaults;
    if (opts->version != KB_QDPX_OPTIONS_VERSION)
        return kbi_fail(err, KB_EINVAL, "qdpx options of version %u, not %u",
                        opts->version, KB_QDPX_OPTIONS_VERSION);
    if (opts->line_ends != KB_LINE_ENDS_LF &&
        opts->line_ends != KB_LINE_ENDS_CRLF)
        return kbi_fail_arg(err, KB_EINVAL, "line_ends", "unknown line ends %d",
                            (int)opts->line_ends);
    qdpx q = {.p = p, .line_ends = opts->line_ends, .err = err};
    char *name = opts->name ? strdup(opts->name) : project_name(p->path);
    int rc = name ? gather(&q) : kbi_fail(err, KB_ENOMEM, "out of memory");
    if (!rc)
        rc = kbi_zipw_new(&q.pkg, err);
    if (!rc)
        rc = project_qde(&q, name);
    if (!rc)
        rc = kbi_zipw_save(q.pkg, path, err);
    kbi_zipw_free(q.pkg);
    if (rc && err && !err->file[0])
        kbi_error_set_file(err, path);
    free(name);
    free(q.by_doc_q);
    free(q.by_doc_t);
    free(q.coders);
    kb_quote_list_free(q.quotes);
    kb_tag_list_free(q.tags);
    kb_memo_list_free(q.memos);
    kb_case_list_free(q.cases);
    kb_doc_list_free(q.docs);
    return rc;
}
