/*
 * suggest.c: kb_project_suggest. The coder's units of the concept come from
 * eval's unit model (agree/evaluate.h). A learning, over some of the
 * documents, counts the words and adjacent word pairs of the coded units
 * against the other units (vocab.c) and turns the over-used ones (G²,
 * keyness.c) into candidate patterns: whole words, stems shared by two or
 * more forms, two-word phrases. Every candidate of every learning is then
 * matched once by the engine, as a concept of a codebook made for it with
 * the concept's scope, speakers, case rule and excludes, and its quotes
 * marked on the units as eval marks a run's; a candidate's scores are
 * counted from those marks, and the combined rule is the union of
 * candidates chosen greedily. With folds, a learning per fold leaves its
 * documents out and is scored on them.
 */
#include "analysis/suggest.h"
#include "agree/evaluate.h"
#include "analysis/stopwords.h"
#include "analysis/vocab.h"
#include "base/error.h"
#include "base/grow.h"
#include "base/utf8.h"
#include "codebook/codebook.h"
#include "codebook/rule.h"
#include "engine/engine.h"
#include "manual/manual.h"
#include "quotes/words.h"
#include "store/document.h"
#include "store/project.h"
#include "store/store.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Candidates a learning keeps, by G², before any is matched. */
#define KBI_SUGGEST_CANDIDATES 60
/* The shortest stem proposed, in code points. */
#define KBI_SUGGEST_STEM 4
/* Patterns in a combined rule at most. */
#define KBI_SUGGEST_COMBINED 8
/* G² a candidate needs: p < 0.05. */
#define KBI_SUGGEST_G2 3.84

/* A candidate: its pattern (an index into the universe), what it is, and
 * its counts in the learning that proposed it. */
typedef struct cand {
    size_t pat;
    const char *kind;
    size_t in_units, elsewhere;
    double g2;
} cand;

/* What one learning proposed. */
typedef struct learning {
    cand *c;
    size_t n, cap;
} learning;

typedef struct suggest {
    kb_project *p;
    kb_error *err;
    kbi_gold g;
    kbi_vocab stop;
    size_t *fold; /* per document: its fold */
    size_t nfolds;
    /* the universe of patterns, each once, and the units each marks */
    kbi_vocab pats;
    uint64_t *marks; /* npats x words, bit u of row k: pattern k marks u */
    size_t words;    /* 64-bit words per row */
    kbi_pool strings;
} suggest;

static int oom(suggest *s)
{
    return kbi_fail(s->err, KB_ENOMEM, "out of memory");
}

/* ------------------------------------------------------------------------ */
/* Learning: candidates from the coded units against the others              */
/* ------------------------------------------------------------------------ */

typedef struct tokens {
    kbi_vocab *v;
    const char *text;
    size_t prev_end; /* byte after the previous word, or SIZE_MAX */
    size_t prev;     /* its index in v, or KB_NO_INDEX */
    size_t *seq;     /* word indexes of the unit, KB_NO_INDEX between
                        words not separated by white space only */
    size_t n, cap;
    int fail;
} tokens;

static void token(void *ctx, size_t start, size_t end, size_t cp)
{
    (void)cp;
    tokens *t = ctx;
    if (t->fail)
        return;
    size_t len, k = KB_NO_INDEX;
    const char *f;
    if (kbi_vocab_has_letter(t->text + start, end - start)) {
        if (!(f = kbi_vocab_fold(t->v, t->text + start, end - start, &len)) ||
            kbi_vocab_add(t->v, f, len, &k)) {
            t->fail = 1;
            return;
        }
    }
    int space = t->n > 0;
    for (size_t i = t->prev_end; space && i < start; i++)
        if (t->text[i] != ' ' && t->text[i] != '\t' && t->text[i] != '\n')
            space = 0;
    if (t->n && !space && KBI_GROW(&t->seq, &t->cap, t->n + 1) == 0)
        t->seq[t->n++] = KB_NO_INDEX;
    if (KBI_GROW(&t->seq, &t->cap, t->n + 1)) {
        t->fail = 1;
        return;
    }
    t->seq[t->n++] = k;
    t->prev_end = end;
}

/* Adds one occurrence on `side` for document `doc` to entry k of v. */
static void tally(kbi_vocab *v, size_t k, int side, size_t doc)
{
    kbi_vocab_word *e = &v->v[k];
    e->count[side]++;
    if (e->last[side] != doc + 1) {
        e->last[side] = doc + 1;
        e->docs[side]++;
    }
    v->tokens[side]++;
}

/* Counts words (into w) and word pairs (into pairs) of the units of the
 * documents `in` chooses (in[d] != 0), coded units on side 0. */
static int count_units(suggest *s, const unsigned char *in, kbi_vocab *w,
                       kbi_vocab *pairs)
{
    tokens t = {.v = w};
    char *buf = NULL;
    size_t cap = 0;
    int rc = 0;
    for (size_t u = 0; u < s->g.n && !rc; u++) {
        const kbi_gold_unit *un = &s->g.units[u];
        if (!in[un->doc])
            continue;
        int side = un->gold ? 0 : 1;
        t.text = un->text;
        t.n = 0;
        t.prev_end = 0;
        kbi_words_each(un->text, strlen(un->text), token, &t);
        if (t.fail)
            break;
        for (size_t i = 0; i < t.n; i++) {
            if (t.seq[i] != KB_NO_INDEX)
                tally(w, t.seq[i], side, un->doc);
            if (i + 1 >= t.n || t.seq[i] == KB_NO_INDEX ||
                t.seq[i + 1] == KB_NO_INDEX)
                continue;
            const kbi_vocab_word *a = &w->v[t.seq[i]], *b = &w->v[t.seq[i + 1]];
            size_t n = a->len + 1 + b->len, k;
            if (KBI_GROW(&buf, &cap, n + 1)) {
                t.fail = 1;
                break;
            }
            memcpy(buf, a->word, a->len);
            buf[a->len] = ' ';
            memcpy(buf + a->len + 1, b->word, b->len);
            if (kbi_vocab_add(pairs, buf, n, &k)) {
                t.fail = 1;
                break;
            }
            tally(pairs, k, side, un->doc);
        }
    }
    free(t.seq);
    free(buf);
    return t.fail ? oom(s) : rc;
}

/* Adds pattern `pat` as a candidate of learning l, the pattern once in the
 * universe. */
static int propose(suggest *s, learning *l, const char *pat, const char *kind,
                   size_t in_units, size_t elsewhere, double g2)
{
    size_t k;
    if (kbi_vocab_add(&s->pats, pat, strlen(pat), &k))
        return oom(s);
    for (size_t i = 0; i < l->n; i++)
        if (l->c[i].pat == k)
            return 0;
    if (KBI_GROW(&l->c, &l->cap, l->n + 1))
        return oom(s);
    l->c[l->n++] = (cand){k, kind, in_units, elsewhere, g2};
    return 0;
}

/* G² of counts a (coded units) and b (others) when over-used, else 0. */
static double over(const kbi_vocab *v, size_t a, size_t b)
{
    kb_keyness k;
    kb_keyness_compute(&k, (double)a, (double)b, (double)v->tokens[0],
                       (double)v->tokens[1]);
    return k.sign > 0 ? k.g2 : 0;
}

static int is_stop(const suggest *s, const kbi_vocab_word *w)
{
    return kbi_vocab_find(&s->stop, w->word, w->len) != KB_NO_INDEX;
}

static int by_word(const void *x, const void *y)
{
    const kbi_vocab_word *a = *(const kbi_vocab_word *const *)x,
                         *b = *(const kbi_vocab_word *const *)y;
    return strcmp(a->word, b->word);
}

/* Code points two words share at their start, as a byte length in *bytes. */
static size_t common_prefix(const char *a, const char *b, size_t *bytes)
{
    size_t i = 0, cps = 0;
    *bytes = 0;
    while (a[i] && a[i] == b[i]) {
        i++;
        if ((a[i] & 0xC0) != 0x80) { /* a code point ends here */
            cps++;
            *bytes = i;
        }
    }
    return cps;
}

/* The stems of over-used words: each prefix of KBI_SUGGEST_STEM code
 * points or more that two neighbouring over-used forms (in sorted order)
 * share, with the counts of every form it starts. */
static int stems(suggest *s, learning *l, const kbi_vocab *w)
{
    const kbi_vocab_word **v = malloc((w->n ? w->n : 1) * sizeof *v);
    if (!v)
        return oom(s);
    size_t n = 0;
    for (size_t i = 0; i < w->n; i++)
        if (w->v[i].count[0] && !is_stop(s, &w->v[i]) &&
            (double)w->v[i].count[0] * (double)w->tokens[1] >
                (double)w->v[i].count[1] * (double)w->tokens[0])
            v[n++] = &w->v[i];
    kbi_sort(v, n, sizeof *v, by_word);
    int rc = 0;
    char pat[300];
    for (size_t i = 0; i + 1 < n && !rc; i++) {
        size_t bytes;
        if (common_prefix(v[i]->word, v[i + 1]->word, &bytes) <
                KBI_SUGGEST_STEM ||
            bytes > 200)
            continue;
        size_t a = 0, b = 0;
        for (size_t k = 0; k < w->n; k++)
            if (w->v[k].len >= bytes &&
                !memcmp(w->v[k].word, v[i]->word, bytes)) {
                a += w->v[k].count[0];
                b += w->v[k].count[1];
            }
        double g2 = over(w, a, b);
        if (g2 < KBI_SUGGEST_G2)
            continue;
        snprintf(pat, sizeof pat, "\\b%.*s\\w*", (int)bytes, v[i]->word);
        rc = propose(s, l, pat, "stem", a, b, g2);
    }
    free(v);
    return rc;
}

static int by_g2(const void *x, const void *y)
{
    const cand *a = x, *b = y;
    return (a->g2 < b->g2) - (a->g2 > b->g2);
}

/* One learning over the documents `in` chooses. */
static int learn(suggest *s, const unsigned char *in, learning *l)
{
    kbi_vocab w = {0}, pairs = {0};
    int rc = count_units(s, in, &w, &pairs);
    char pat[600];
    for (size_t i = 0; i < w.n && !rc; i++) {
        const kbi_vocab_word *e = &w.v[i];
        double g2 = over(&w, e->count[0], e->count[1]);
        if (e->count[0] < 2 || g2 < KBI_SUGGEST_G2 || is_stop(s, e) ||
            e->len > 250)
            continue;
        snprintf(pat, sizeof pat, "\\b%s\\b", e->word);
        rc = propose(s, l, pat, "word", e->count[0], e->count[1], g2);
    }
    if (!rc)
        rc = stems(s, l, &w);
    for (size_t i = 0; i < pairs.n && !rc; i++) {
        const kbi_vocab_word *e = &pairs.v[i];
        const char *sp = strchr(e->word, ' ');
        size_t a = kbi_vocab_find(&w, e->word, (size_t)(sp - e->word)),
               b = kbi_vocab_find(&w, sp + 1, strlen(sp + 1));
        pairs.tokens[0] = w.tokens[0];
        pairs.tokens[1] = w.tokens[1];
        double g2 = over(&pairs, e->count[0], e->count[1]);
        if (e->count[0] < 2 || g2 < KBI_SUGGEST_G2 || e->len > 500 ||
            (is_stop(s, &w.v[a]) && is_stop(s, &w.v[b])))
            continue;
        snprintf(pat, sizeof pat, "\\b%.*s\\s+%s\\b", (int)(sp - e->word),
                 e->word, sp + 1);
        rc = propose(s, l, pat, "phrase", e->count[0], e->count[1], g2);
    }
    kbi_vocab_free(&w);
    kbi_vocab_free(&pairs);
    if (!rc) {
        kbi_sort(l->c, l->n, sizeof *l->c, by_g2);
        if (l->n > KBI_SUGGEST_CANDIDATES)
            l->n = KBI_SUGGEST_CANDIDATES;
    }
    return rc;
}

/* ------------------------------------------------------------------------ */
/* Matching: every candidate by the engine                                   */
/* ------------------------------------------------------------------------ */

/* A codebook with a concept per pattern of the universe, each with the
 * concept's scope, speakers, case rule and excludes. */
static int candidates_codebook(suggest *s, kb_codebook **out)
{
    const char **pats = malloc(s->pats.n * sizeof *pats);
    if (!pats)
        return oom(s);
    for (size_t k = 0; k < s->pats.n; k++)
        pats[k] = s->pats.v[k].word;
    int rc =
        kbi_rule_codebook(out, s->g.cb, s->g.node, pats, s->pats.n, 1, s->err);
    free(pats);
    return rc;
}

/* Marks units [u0, u1) of one document that [start, end) overlaps for
 * pattern k. */
static void mark(suggest *s, size_t k, size_t u0, size_t u1, size_t start,
                 size_t end)
{
    for (size_t u = kbi_gold_first(&s->g, u0, u1, start);
         u < u1 && s->g.units[u].start < end; u++)
        s->marks[k * s->words + u / 64] |= (uint64_t)1 << (u % 64);
}

/* Every pattern of the universe matched on the documents with units. */
static int match_all(suggest *s)
{
    s->words = (s->g.n + 63) / 64;
    if (!s->pats.n)
        return 0;
    if (!(s->marks = calloc(s->pats.n * s->words, sizeof *s->marks)))
        return oom(s);
    kb_codebook *cb = NULL;
    kbi_engine *e = NULL;
    size_t nodes = 0;
    int rc = candidates_codebook(s, &cb);
    if (!rc) {
        nodes = kb_codebook_count(cb);
        kbi_engine_jit(cb, NULL);
        rc = kbi_engine_new(&e, cb, 0, s->err);
    }
    unsigned char *mask = rc ? NULL : calloc(nodes, 1);
    size_t *cand_of = rc ? NULL : malloc(nodes * sizeof *cand_of);
    if (!rc && (!mask || !cand_of))
        rc = oom(s);
    for (size_t i = 0, k = 0; !rc && i < nodes; i++) {
        mask[i] = kb_codebook_get(cb, i)->kind == KB_CODE_CONCEPT;
        cand_of[i] = mask[i] ? k++ : KB_NO_INDEX;
    }
    kbi_quotes q = {0};
    for (size_t u0 = 0; !rc && u0 < s->g.n;) {
        size_t d = s->g.units[u0].doc, u1 = u0;
        while (u1 < s->g.n && s->g.units[u1].doc == d)
            u1++;
        kb_document *doc;
        if ((rc = kbi_document_load_kinds(&doc, s->p, s->g.docs[d], 0,
                                          KBI_ALL_KINDS, s->err)))
            break;
        q.n = 0;
        rc = kbi_engine_code(e, doc, mask, &q, NULL, NULL, s->err);
        for (size_t i = 0; !rc && i < q.n; i++) {
            const kb_segment *sg =
                kb_document_segment(doc, q.v[i].kind, q.v[i].segment);
            if (sg)
                mark(s, cand_of[q.v[i].concept], u0, u1, sg->start, sg->end);
        }
        kbi_document_recycle(doc, s->p);
        u0 = u1;
    }
    free(q.v);
    free(mask);
    free(cand_of);
    kbi_engine_free(e);
    kb_codebook_free(cb);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* Scoring                                                                   */
/* ------------------------------------------------------------------------ */

static int marked(const suggest *s, size_t k, size_t u)
{
    return (int)(s->marks[k * s->words + u / 64] >> (u % 64) & 1);
}

/* The units pattern k marks, as one byte per unit. */
static void unit_bytes(const suggest *s, size_t k, unsigned char *on)
{
    for (size_t u = 0; u < s->g.n; u++)
        on[u] = (unsigned char)marked(s, k, u);
}

static double f1_of(const kb_eval_scores *sc)
{
    return isnan(sc->f1) ? 0 : sc->f1;
}

/* The combined rule of learning l on the documents `in` chooses: the
 * candidates added one at a time, each the one that raises F1 most, while
 * F1 rises. Its patterns (indexes) into chosen[], their union into on[]. */
static size_t combine(const suggest *s, const learning *l,
                      const unsigned char *in, size_t *chosen,
                      unsigned char *on, unsigned char *tmp)
{
    size_t n = 0;
    double best_f1 = 0;
    memset(on, 0, s->g.n);
    while (n < KBI_SUGGEST_COMBINED) {
        size_t best = KB_NO_INDEX;
        for (size_t i = 0; i < l->n; i++) {
            for (size_t u = 0; u < s->g.n; u++)
                tmp[u] = on[u] | (unsigned char)marked(s, l->c[i].pat, u);
            kb_eval_scores sc = {0};
            kbi_gold_score(&s->g, tmp, in, &sc);
            if (f1_of(&sc) > best_f1 + 1e-12) {
                best_f1 = f1_of(&sc);
                best = i;
            }
        }
        if (best == KB_NO_INDEX)
            break;
        chosen[n++] = l->c[best].pat;
        for (size_t u = 0; u < s->g.n; u++)
            on[u] |= (unsigned char)marked(s, l->c[best].pat, u);
    }
    return n;
}

/* ------------------------------------------------------------------------ */
/* The report                                                                */
/* ------------------------------------------------------------------------ */

static int by_f1(const void *x, const void *y)
{
    const kb_suggestion *a = x, *b = y;
    double fa = f1_of(&a->s), fb = f1_of(&b->s);
    if (fa != fb)
        return fa > fb ? -1 : 1;
    return (a->g2 < b->g2) - (a->g2 > b->g2);
}

static void suggest_free(suggest *s)
{
    kbi_gold_free(&s->g);
    kbi_vocab_free(&s->stop);
    kbi_vocab_free(&s->pats);
    free(s->fold);
    free(s->marks);
}

/* Splits the documents with units into folds, in name order by turns. */
static int set_folds(suggest *s, size_t k)
{
    if (!(s->fold = calloc(s->g.ndocs ? s->g.ndocs : 1, sizeof *s->fold)))
        return oom(s);
    size_t rated = 0, last = KB_NO_INDEX;
    for (size_t u = 0; u < s->g.n; u++)
        if (s->g.units[u].doc != last) {
            last = s->g.units[u].doc;
            s->fold[last] = k ? rated % k : 0;
            rated++;
        }
    if (k && rated < k)
        return kbi_fail_arg(s->err, KB_EINVAL, "folds",
                            "%zu folds need as many documents the coder "
                            "rated; there are %zu",
                            k, rated);
    s->nfolds = k;
    return 0;
}

/* The pattern of the combined rule: its patterns joined by newlines. */
static char *joined(const suggest *s, const size_t *chosen, size_t n)
{
    size_t len = 1;
    for (size_t i = 0; i < n; i++)
        len += s->pats.v[chosen[i]].len + 1;
    char *out = malloc(len), *at = out;
    if (!out)
        return NULL;
    *at = '\0';
    for (size_t i = 0; i < n; i++) {
        if (i)
            *at++ = '\n';
        memcpy(at, s->pats.v[chosen[i]].word, s->pats.v[chosen[i]].len + 1);
        at += s->pats.v[chosen[i]].len;
    }
    return out;
}

/* Fills the report from the learning on all documents (l[0]) and, with
 * folds, those of each fold (l[1..nfolds]). */
static int report(suggest *s, learning *l, kb_suggest_report *r, size_t top)
{
    size_t nunits = s->g.n ? s->g.n : 1, nd = s->g.ndocs ? s->g.ndocs : 1;
    unsigned char *on = malloc(nunits), *tmp = malloc(nunits),
                  *all = malloc(nd), *train = malloc(nd), *held = malloc(nd);
    size_t *chosen = malloc(KBI_SUGGEST_COMBINED * sizeof *chosen);
    int fail = !on || !tmp || !all || !train || !held || !chosen;
    if (!fail) {
        memset(all, 1, nd);
        r->v = calloc(l[0].n ? l[0].n : 1, sizeof *r->v);
        fail = !r->v;
    }
    for (size_t i = 0; !fail && i < l[0].n; i++) {
        const cand *c = &l[0].c[i];
        kb_suggestion *g = &r->v[r->n++];
        g->pattern = s->pats.v[c->pat].word;
        g->kind = c->kind;
        g->in_units = c->in_units;
        g->elsewhere = c->elsewhere;
        g->g2 = c->g2;
        unit_bytes(s, c->pat, on);
        kbi_gold_score(&s->g, on, all, &g->s);
        kb_eval_compute(&g->held, 0, 0, 0);
        kb_eval_compute(&g->train, 0, 0, 0);
    }
    size_t n = fail ? 0 : combine(s, &l[0], all, chosen, on, tmp);
    kb_suggestion *cg = &r->combined;
    cg->kind = "combined";
    if (!fail)
        kbi_gold_score(&s->g, on, all, &cg->s);
    kb_eval_compute(&cg->held, 0, 0, 0);
    kb_eval_compute(&cg->train, 0, 0, 0);
    if (!fail && n) {
        cg->pattern = kbi_pool_own(&r->strings, joined(s, chosen, n), &fail);
        r->combined_patterns =
            kbi_pool_own(&r->strings, malloc(n * sizeof(char *)), &fail);
        fail = fail || !cg->pattern || !r->combined_patterns;
        for (size_t i = 0; !fail && i < n; i++)
            r->combined_patterns[i] = s->pats.v[chosen[i]].word;
        r->ncombined = fail ? 0 : n;
    }
    for (size_t f = 0; !fail && f < s->nfolds; f++) {
        const learning *lf = &l[1 + f];
        for (size_t d = 0; d < nd; d++) {
            held[d] = s->fold && s->fold[d] == f;
            train[d] = !held[d];
        }
        for (size_t i = 0; i < r->n; i++) {
            kb_suggestion *g = &r->v[i];
            size_t k = l[0].c[i].pat, j = 0;
            while (j < lf->n && lf->c[j].pat != k)
                j++;
            if (j < lf->n) {
                g->folds_found++;
                unit_bytes(s, k, on);
            } else {
                memset(on, 0, nunits);
            }
            kbi_gold_score(&s->g, on, held, &g->held);
            if (j < lf->n)
                kbi_gold_score(&s->g, on, train, &g->train);
        }
        combine(s, lf, train, chosen, on, tmp);
        kbi_gold_score(&s->g, on, train, &cg->train);
        kbi_gold_score(&s->g, on, held, &cg->held);
    }
    if (!fail) {
        kbi_sort(r->v, r->n, sizeof *r->v, by_f1);
        if (r->n > top)
            r->n = top;
    }
    free(on);
    free(tmp);
    free(all);
    free(train);
    free(held);
    free(chosen);
    return fail ? oom(s) : 0;
}

/* KB_ENOENT when the coder is unknown, or has no tag or accepted quote of
 * a concept the run's codebook has; 0 when they have, or when eval's
 * checks will name what is unknown (the concept). */
static int has_codings(kb_project *p, const char *gold, const char *concept,
                       int64_t run, kb_error *err)
{
    sqlite3_stmt *st;
    int rc = kbi_store_prepare(
        p->db, &st,
        "SELECT EXISTS (SELECT 1 FROM manual_codings WHERE coder = ?1),"
        " EXISTS (SELECT 1 FROM run_codes WHERE kind = 'concept' AND code = ?2"
        " AND run_id = CASE WHEN ?3 = 0 THEN (SELECT MAX(id) FROM runs) ELSE"
        " ?3 END), EXISTS (SELECT 1 FROM"
        " manual_codings WHERE coder = ?1 AND kind = 'concept' AND code = ?2"
        " AND decision <> 'reject' AND placed)",
        err);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, gold, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, concept, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, run);
    if (sqlite3_step(st) != SQLITE_ROW)
        rc = kbi_store_fail(err, p->db, "looking up the coder's codings");
    else if (!sqlite3_column_int(st, 0) &&
             !kbi_manual_coder_check(gold, "gold", err))
        rc = kbi_manual_coder_known(p->db, gold, err);
    else if (sqlite3_column_int(st, 0) && sqlite3_column_int(st, 1) &&
             !sqlite3_column_int(st, 2))
        rc = kbi_fail_arg(err, KB_ENOENT, "gold",
                          "coder '%s' has no codings of concept '%s'", gold,
                          concept);
    sqlite3_finalize(st);
    return rc;
}

int kb_project_suggest(kb_suggest_report **out, kb_project *p,
                       const kb_suggest_options *o, kb_error *err)
{
    *out = NULL;
    if (!o || o->version != KB_SUGGEST_OPTIONS_VERSION)
        return kbi_fail(err, KB_EINVAL,
                        "suggest options of an unknown version");
    if (!o->concept || !*o->concept)
        return kbi_fail_arg(err, KB_EINVAL, "concept", "no concept given");
    if (!o->gold || !*o->gold)
        return kbi_fail_arg(err, KB_EINVAL, "gold", "no coder given");
    if (o->folds == 1)
        return kbi_fail_arg(err, KB_EINVAL, "folds",
                            "`folds` is 2 or more (or 0 for none)");
    suggest s = {.p = p, .err = err};
    kb_suggest_report *r = calloc(1, sizeof *r);
    learning *l = calloc(1 + o->folds, sizeof *l);
    unsigned char *in = NULL;
    int rc = !r || !l ? oom(&s) : 0;
    if (!rc)
        rc = has_codings(p, o->gold, o->concept, o->run, err);
    if (!rc)
        rc = kbi_eval_gold(&s.g, p, o->gold, o->concept, o->run, o->unit,
                           o->notice, o->ctx, err);
    if (!rc && !s.g.positives)
        rc = kbi_fail_arg(err, KB_ENOENT, "gold",
                          "coder '%s' has no codings of concept '%s' on its "
                          "units",
                          o->gold, o->concept);
    if (!rc)
        rc = kbi_stopwords_load(&s.stop, o->stop_path, err);
    if (!rc)
        rc = set_folds(&s, o->folds);
    if (!rc && !(in = malloc(s.g.ndocs ? s.g.ndocs : 1)))
        rc = oom(&s);
    for (size_t f = 0; !rc && f <= o->folds; f++) {
        for (size_t d = 0; d < s.g.ndocs; d++)
            in[d] = !f || s.fold[d] != f - 1;
        rc = learn(&s, in, &l[f]);
    }
    if (!rc)
        rc = match_all(&s);
    if (!rc)
        rc = report(&s, l, r, o->top ? o->top : 20);
    if (!rc) {
        int fail = 0;
        r->concept = kbi_pool_own(&r->strings, strdup(o->concept), &fail);
        r->gold = kbi_pool_own(&r->strings, strdup(o->gold), &fail);
        for (size_t i = 0; i < r->n && !fail; i++)
            r->v[i].pattern =
                kbi_pool_own(&r->strings, strdup(r->v[i].pattern), &fail);
        for (size_t i = 0; i < r->ncombined && !fail; i++)
            r->combined_patterns[i] = kbi_pool_own(
                &r->strings, strdup(r->combined_patterns[i]), &fail);
        r->units = s.g.n;
        r->positives = s.g.positives;
        r->folds = o->folds;
        r->unit = o->unit ? o->unit : KB_SEG_SENTENCE;
        if (fail)
            rc = oom(&s);
    }
    for (size_t f = 0; l && f <= o->folds; f++)
        free(l[f].c);
    free(l);
    free(in);
    suggest_free(&s);
    if (rc) {
        kb_suggest_report_free(r);
        return rc;
    }
    *out = r;
    return 0;
}

size_t kb_suggest_report_count(const kb_suggest_report *r)
{
    return r ? r->n : 0;
}

const kb_suggestion *kb_suggest_report_get(const kb_suggest_report *r, size_t i)
{
    return r && i < r->n ? &r->v[i] : NULL;
}

const kb_suggestion *kb_suggest_report_combined(const kb_suggest_report *r)
{
    return r ? &r->combined : NULL;
}

size_t kb_suggest_report_units(const kb_suggest_report *r, size_t *positives)
{
    if (positives)
        *positives = r ? r->positives : 0;
    return r ? r->units : 0;
}

void kb_suggest_report_free(kb_suggest_report *r)
{
    if (!r)
        return;
    kbi_pool_free(&r->strings);
    free(r->v);
    free(r);
}
