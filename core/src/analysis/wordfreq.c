/*
 * wordfreq.c: kb_project_words. A selection becomes spans of text per
 * document (the quotes it chooses, or the turns of the documents and cases
 * it chooses); each document's text is read once and the words inside
 * each side's spans counted (vocab.c); rows are made of the words that are
 * not stop words, with keyness (keyness.c) against the reference.
 */
#include "analysis/wordfreq.h"
#include "analysis/keyness.h"
#include "analysis/stopwords.h"
#include "base/error.h"
#include "base/grow.h"
#include "base/utf8.h"
#include "store/caselist.h"
#include "store/document.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct kb_word_table {
    kbi_vocab vocab; /* the words the rows point to */
    kb_word_row *rows;
    size_t n;
    int keyness;
};

/* The spans of one side, per document. */
typedef struct side_spans {
    kbi_span **v; /* per document */
    size_t *n, *cap;
} side_spans;

typedef struct job {
    kb_project *p;
    kb_error *err;
    kb_doc_list *docs;
    size_t ndocs;
    kb_case_list *cases; /* read when a selection names an attribute */
    side_spans side[2];
} job;

static int oom(kb_error *err)
{
    return kbi_fail(err, KB_ENOMEM, "out of memory");
}

int kbi_vocab_spans(kbi_vocab *v, int side, size_t doc, const char *text,
                    size_t n, const kbi_span *spans, size_t nspans,
                    kb_error *err)
{
    size_t byte = 0, cp = 0; /* a cursor moved forward only */
    for (size_t i = 0; i < nspans; i++) {
        size_t b0 =
            byte + kbi_utf8_offset(text + byte, n - byte, spans[i].start - cp);
        size_t b1 = b0 + kbi_utf8_offset(text + b0, n - b0,
                                         spans[i].end - spans[i].start);
        int rc = kbi_vocab_text(v, side, doc, text + b0, b1 - b0, 0, err);
        if (rc)
            return rc;
        byte = b1;
        cp = spans[i].end;
    }
    return 0;
}

static int add_span(job *j, int side, size_t d, size_t start, size_t end)
{
    side_spans *s = &j->side[side];
    if (end <= start)
        return 0;
    if (KBI_GROW(&s->v[d], &s->cap[d], s->n[d] + 1))
        return oom(j->err);
    s->v[d][s->n[d]++] = (kbi_span){start, end};
    return 0;
}

static int by_start(const void *x, const void *y)
{
    const kbi_span *a = x, *b = y;
    return (a->start > b->start) - (a->start < b->start);
}

/* Sorts and merges each document's spans of `side`. */
static void settle(job *j, int side)
{
    side_spans *s = &j->side[side];
    for (size_t d = 0; d < j->ndocs; d++) {
        kbi_span *v = s->v[d];
        size_t n = s->n[d], o = 0;
        if (!n)
            continue;
        kbi_sort(v, n, sizeof *v, by_start);
        for (size_t i = 1; i < n; i++) {
            if (v[i].start <= v[o].end) {
                if (v[i].end > v[o].end)
                    v[o].end = v[i].end;
            } else {
                v[++o] = v[i];
            }
        }
        s->n[d] = o + 1;
    }
}

static size_t doc_index(const job *j, const char *name)
{
    size_t lo = 0, hi = j->ndocs;
    while (lo < hi) { /* the list is by name */
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(kb_doc_list_get(j->docs, mid)->name, name);
        if (!c)
            return mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return KB_NO_INDEX;
}

static int has_code_filter(const kb_quote_filter *f)
{
    return f->dimension || f->theme || f->concept || f->facet || f->source ||
           f->coder;
}

static unsigned roles_of(const kb_word_selection *s)
{
    return s->roles ? s->roles : 1u << KB_ROLE_RESPONDENT;
}

/* The quotes of a selection with a code filter as spans. */
static int quote_spans(job *j, int side, const kb_word_selection *s)
{
    kb_quote_list *l;
    kb_quote_filter f = s->filter;
    f.skip_words = 1;
    int rc = kb_project_quotes(&l, j->p, &f, j->err);
    if (rc)
        return rc;
    unsigned roles = roles_of(s);
    for (size_t i = 0; i < kb_quote_list_count(l) && !rc; i++) {
        const kb_quote_row *q = kb_quote_list_get(l, i);
        size_t d = doc_index(j, q->document);
        if (d == KB_NO_INDEX || !(roles >> q->role & 1) ||
            q->version != kb_doc_list_get(j->docs, d)->version)
            continue; /* a run's quote of an older version */
        rc = add_span(j, side, d, q->start, q->end);
    }
    kb_quote_list_free(l);
    return rc;
}

/* The value of attribute `name` of case `id`, or NULL. */
static const char *case_attr(const job *j, const char *id, const char *name)
{
    for (size_t i = 0; id && i < kb_case_list_count(j->cases); i++) {
        const kb_case_info *c = kb_case_list_get(j->cases, i);
        if (strcmp(c->id, id))
            continue;
        for (size_t a = 0; a < c->nattrs; a++)
            if (!strcmp(c->attr_names[a], name))
                return c->attr_values[a];
    }
    return NULL;
}

/* The turns a selection without a code filter chooses as spans; with
 * `minus`, those outside the spans of side 0 (the rest of the corpus). */
static int text_spans(job *j, int side, const kb_word_selection *s, int minus)
{
    const kb_quote_filter *f = &s->filter;
    if (f->document && doc_index(j, f->document) == KB_NO_INDEX)
        return kbi_fail_arg(j->err, KB_ENOENT, "document",
                            "no document '%s' in the project", f->document);
    int rc = 0;
    if (f->attr &&
        ((!j->cases && (rc = kb_project_cases(&j->cases, j->p, j->err))) ||
         (rc = kbi_caselist_attribute_check(j->cases, f->attr, j->err))))
        return rc;
    unsigned roles = roles_of(s);
    for (size_t d = 0; d < j->ndocs && !rc; d++) {
        const kb_doc_info *di = kb_doc_list_get(j->docs, d);
        if (f->document && strcmp(f->document, di->name))
            continue;
        kb_document *doc;
        if ((rc = kbi_document_load_kinds(&doc, j->p, di->name, 0,
                                          KBI_KIND_BIT(KB_SEG_TURN), j->err)))
            break;
        const kbi_span *cut = j->side[0].v[d];
        size_t ncut = minus ? j->side[0].n[d] : 0, c = 0;
        size_t nturns = kb_document_segment_count(doc, KB_SEG_TURN);
        for (size_t t = 0; t < nturns && !rc; t++) {
            const kb_segment *sg = kb_document_segment(doc, KB_SEG_TURN, t);
            const char *cs = sg->case_id ? sg->case_id : di->case_id;
            if (!(roles >> sg->role & 1) ||
                (f->case_id && (!cs || strcmp(cs, f->case_id))))
                continue;
            if (f->attr) {
                const char *v = case_attr(j, cs, f->attr);
                if (!v || strcmp(v, f->attr_value))
                    continue;
            }
            size_t at = sg->start;
            for (; c < ncut && cut[c].start < sg->end && !rc; c++) {
                if (cut[c].end <= at)
                    continue;
                if (cut[c].start > at)
                    rc = add_span(j, side, d, at, cut[c].start);
                at = cut[c].end;
                if (at >= sg->end)
                    break;
            }
            if (!rc && at < sg->end)
                rc = add_span(j, side, d, at, sg->end);
        }
        kbi_document_recycle(doc, j->p);
    }
    return rc;
}

static int select_side(job *j, int side, const kb_word_selection *s, int minus)
{
    int rc = !minus && has_code_filter(&s->filter)
                 ? quote_spans(j, side, s)
                 : text_spans(j, side, s, minus);
    if (!rc)
        settle(j, side);
    return rc;
}

/* Counts the words of every document's spans, both sides. */
static int count(job *j, kbi_vocab *v, int sides)
{
    int rc = 0;
    for (size_t d = 0; d < j->ndocs && !rc; d++) {
        if (!j->side[0].n[d] && (sides < 2 || !j->side[1].n[d]))
            continue;
        kb_document *doc;
        if ((rc = kbi_document_load_kinds(
                 &doc, j->p, kb_doc_list_get(j->docs, d)->name, 0, 0, j->err)))
            break;
        size_t n;
        const char *text = kb_document_text(doc, &n);
        for (int s = 0; s < sides && !rc; s++)
            rc = kbi_vocab_spans(v, s, d, text, n, j->side[s].v[d],
                                 j->side[s].n[d], j->err);
        kbi_document_recycle(doc, j->p);
    }
    return rc;
}

static int by_count(const void *x, const void *y)
{
    const kb_word_row *a = x, *b = y;
    if (a->count != b->count)
        return a->count > b->count ? -1 : 1;
    return strcmp(a->word, b->word);
}

static int by_g2(const void *x, const void *y)
{
    const kb_word_row *a = x, *b = y;
    if (a->k.g2 != b->k.g2)
        return a->k.g2 > b->k.g2 ? -1 : 1;
    if (a->k.sign != b->k.sign)
        return a->k.sign > b->k.sign ? -1 : 1;
    return strcmp(a->word, b->word);
}

static int make_rows(kb_word_table *t, const kbi_vocab *stop,
                     const kb_words_options *o, kb_error *err)
{
    const kbi_vocab *v = &t->vocab;
    if (!(t->rows = malloc((v->n ? v->n : 1) * sizeof *t->rows)))
        return oom(err);
    double c = (double)v->tokens[0], d = (double)v->tokens[1];
    size_t min = o->min ? o->min : 1;
    for (size_t i = 0; i < v->n; i++) {
        const kbi_vocab_word *w = &v->v[i];
        size_t seen = w->count[0] + (t->keyness ? w->count[1] : 0);
        if (seen < min || (!t->keyness && !w->count[0]) ||
            kbi_vocab_find(stop, w->word, w->len) != KB_NO_INDEX)
            continue;
        kb_word_row *r = &t->rows[t->n++];
        memset(r, 0, sizeof *r);
        r->word = w->word;
        r->count = w->count[0];
        r->documents = w->docs[0];
        r->per_10k = c > 0 ? 10000.0 * (double)w->count[0] / c : 0;
        if (t->keyness) {
            r->ref_count = w->count[1];
            r->ref_documents = w->docs[1];
            r->ref_per_10k = d > 0 ? 10000.0 * (double)w->count[1] / d : 0;
            kb_keyness_compute(&r->k, (double)w->count[0], (double)w->count[1],
                               c, d);
        }
    }
    kbi_sort(t->rows, t->n, sizeof *t->rows, t->keyness ? by_g2 : by_count);
    if (o->top && t->n > o->top)
        t->n = o->top;
    return 0;
}

static void job_free(job *j)
{
    for (int s = 0; s < 2; s++) {
        for (size_t d = 0; j->side[s].v && d < j->ndocs; d++)
            free(j->side[s].v[d]);
        free(j->side[s].v);
        free(j->side[s].n);
        free(j->side[s].cap);
    }
    kb_doc_list_free(j->docs);
    kb_case_list_free(j->cases);
}

int kb_project_words(kb_word_table **out, kb_project *p,
                     const kb_words_options *o, kb_error *err)
{
    *out = NULL;
    if (!o || o->version != KB_WORDS_OPTIONS_VERSION)
        return kbi_fail(err, KB_EINVAL, "words options of an unknown version");
    kb_word_table *t = calloc(1, sizeof *t);
    if (!t)
        return oom(err);
    t->keyness = o->ref_rest || o->ref;
    kbi_vocab stop = {0};
    job j = {.p = p, .err = err};
    int rc = 0;
    if (!o->no_stop)
        rc = kbi_stopwords_load(&stop, o->stop_path, err);
    if (!rc)
        rc = kb_project_docs(&j.docs, p, err);
    if (!rc) {
        j.ndocs = kb_doc_list_count(j.docs);
        for (int s = 0; s < 2 && !rc; s++) {
            size_t n = j.ndocs ? j.ndocs : 1;
            j.side[s].v = calloc(n, sizeof *j.side[s].v);
            j.side[s].n = calloc(n, sizeof *j.side[s].n);
            j.side[s].cap = calloc(n, sizeof *j.side[s].cap);
            if (!j.side[s].v || !j.side[s].n || !j.side[s].cap)
                rc = oom(err);
        }
    }
    if (!rc)
        rc = select_side(&j, 0, &o->sel, 0);
    if (!rc && o->ref_rest) {
        kb_word_selection rest = {{0}, o->sel.roles};
        rc = select_side(&j, 1, &rest, 1);
    } else if (!rc && o->ref) {
        rc = select_side(&j, 1, o->ref, 0);
    }
    if (!rc)
        rc = count(&j, &t->vocab, t->keyness ? 2 : 1);
    if (!rc)
        rc = make_rows(t, &stop, o, err);
    job_free(&j);
    kbi_vocab_free(&stop);
    if (rc) {
        kb_word_table_free(t);
        return rc;
    }
    *out = t;
    return 0;
}

size_t kb_word_table_count(const kb_word_table *t)
{
    return t ? t->n : 0;
}

const kb_word_row *kb_word_table_get(const kb_word_table *t, size_t i)
{
    return t && i < t->n ? &t->rows[i] : NULL;
}

size_t kb_word_table_tokens(const kb_word_table *t, int ref)
{
    return t ? t->vocab.tokens[ref ? 1 : 0] : 0;
}

int kb_word_table_keyness(const kb_word_table *t)
{
    return t ? t->keyness : 0;
}

void kb_word_table_free(kb_word_table *t)
{
    if (!t)
        return;
    kbi_vocab_free(&t->vocab);
    free(t->rows);
    free(t);
}
