/*
 * aggregate.c: quotes of a run with everything a table shows (document,
 * case, speaker, span, dimension, theme, concept, facet values, text), and
 * the matrix that counts them by two axes.
 *
 * The codebook a run saw is its snapshot in run_codes, so a table always
 * matches the run it comes from. Automatic codings are read in id order
 * with their facet values, straight from their packs (coding_packs,
 * codepack.h: the rows the tables `codings` and `coding_facets` show, but
 * not a million of them through SQLite), less the rejected ones, and each
 * document version is loaded once to cut the quotes from its text. Manual
 * codings (tags and review acceptances) follow, each placed on the segment
 * of its concept's scope that it starts in (place_in_scope) with its case
 * and speaker from the turn it starts in. This is the one definition of a
 * quote (docs/exports.md): the manual codings of one code on one segment
 * become one quote (group_manual), and one on the segment of an automatic
 * quote of its concept becomes part of it (fold_into_auto), so a list has
 * one row per quote and everything counted from it counts alike. The run's
 * codebook rules give the manual quotes their facet values; over both go
 * the values of any manual coding whose passage holds the quote or that is
 * part of it (docs/codebook.md).
 *
 * A list may hold a million quotes, so nothing is allocated per quote:
 * texts go into an arena, and the names they repeat (documents, concepts,
 * speakers, cases, facet values) are kept once in a string set; large
 * arrays are faulted in at once (kbi_prefault). Sorting is on numbers only
 * (sort_key below). A list read only to be counted (counts_only) has no
 * texts for its automatic quotes and is left in the order it was read.
 */
#include "quotes/aggregate.h"
#include "codebook/codebook.h"
#include "store/codepack.h"
#include "engine/engine.h"
#include "base/error.h"
#include "base/grow.h"
#include "manual/manual.h"
#include "store/document.h"
#include "store/project.h"
#include "store/store.h"
#include "base/utf8.h"

#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define ALIVE "c.from_run <= ?1 AND (c.to_run IS NULL OR c.to_run >= ?1)"

/* A code of the run's snapshot. */
typedef struct code_row {
    char *kind, *code, *parent, *label;
} code_row;

/* A concept with its theme and dimension and its place in the codebook,
 * looked up by id for every coding. */
typedef struct concept_ix {
    const code_row *concept, *theme, *dimension;
    size_t ord;  /* among the codes */
    size_t rank; /* among the concepts */
} concept_ix;

struct kb_quote_list {
    kb_quote_row *v;
    size_t n, cap;
    code_row *codes;
    size_t ncodes, capcodes;
    concept_ix *concepts; /* sorted by concept id */
    size_t nconcepts;
    const char **facets; /* facet ids of the run */
    size_t nfacets;
    size_t *ords;          /* per quote, its code's place in the codebook */
    size_t capords, nauto; /* the automatic quotes come first */
    kb_case_list *cases;   /* for attributes */
    const kb_case_info **case_ix; /* the cases by id (index_cases) */
    const char **attrs;           /* the attribute names, each once */
    size_t nattrs;
    kbi_pool strings;            /* the codes, manual codings */
    kbi_strset names;            /* documents, speakers, cases, facet values */
    kbi_arena texts;             /* the automatic quotes */
    struct version_ix *versions; /* by id */
    size_t nversions, capversions;
    int counts_only;    /* no texts for the automatic quotes, no order */
    int skip_words;     /* rows' words left 0 */
    const char **slots; /* room for facet values (add_row): the next */
    size_t slots_left, slotted;    /* rows given room */
    const struct concept_ix *last; /* the concept found last */
    kb_codebook *cb; /* the run's codebook, read when manual quotes need it */
    struct member *members; /* manual codings and the quotes they are in */
    size_t nmembers, capmembers;
    size_t *weights; /* a tally (kbi_project_quote_tally): per row, the
                        quotes a grouped row stands for, 0 for a row of
                        its own; else NULL */
    size_t capweights;
    int64_t *touched; /* a tally: the versions with manual codings, sorted */
    size_t ntouched;
};

/* A manual coding (its id) and the row of the quote it is part of. */
typedef struct member {
    int64_t id;
    size_t row;
} member;

/* A document version: its name and number, found by its id. */
typedef struct version_ix {
    int64_t id;
    const char *name; /* in names */
    int version;
} version_ix;

static const code_row *find_code(const kb_quote_list *l, const char *kind,
                                 const char *code)
{
    for (size_t i = 0; code && i < l->ncodes; i++)
        if (!strcmp(l->codes[i].code, code) && !strcmp(l->codes[i].kind, kind))
            return &l->codes[i];
    return NULL;
}

static int by_concept_id(const void *a, const void *b)
{
    return strcmp(((const concept_ix *)a)->concept->code,
                  ((const concept_ix *)b)->concept->code);
}

/* Indexes the run's concepts by id, each with its theme and dimension. */
static int index_concepts(kb_quote_list *l, kb_error *err)
{
    if (!(l->concepts = calloc(l->ncodes + 1, sizeof *l->concepts)))
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    for (size_t i = 0; i < l->ncodes; i++) {
        const code_row *c = &l->codes[i];
        if (strcmp(c->kind, "concept"))
            continue;
        const code_row *t = find_code(l, "theme", c->parent);
        l->concepts[l->nconcepts] =
            (concept_ix){c, t, t ? find_code(l, "dimension", t->parent) : NULL,
                         i, l->nconcepts};
        l->nconcepts++;
    }
    qsort(l->concepts, l->nconcepts, sizeof *l->concepts, by_concept_id);
    return 0;
}

static const concept_ix *find_concept(const kb_quote_list *l, const char *id)
{
    code_row key = {.code = (char *)id};
    concept_ix k = {.concept = &key};
    return bsearch(&k, l->concepts, l->nconcepts, sizeof k, by_concept_id);
}

size_t kbi_quote_list_concept_rank(const kb_quote_list *l, const char *id)
{
    const concept_ix *ix = id ? find_concept(l, id) : NULL;
    return ix ? ix->rank : l->nconcepts;
}

const char *kb_quote_list_label(const kb_quote_list *l, const char *code)
{
    for (size_t i = 0; code && i < l->ncodes; i++)
        if (!strcmp(l->codes[i].code, code))
            return l->codes[i].label;
    return NULL;
}

static int load_codes(kb_quote_list *l, kb_project *p, int64_t run,
                      kb_error *err)
{
    sqlite3_stmt *st;
    int rc = kbi_store_prepare(p->db, &st,
                               "SELECT kind, code, parent, label FROM run_codes"
                               " WHERE run_id = ? AND kind <> 'cases'"
                               " ORDER BY ord",
                               err);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, run);
    int fail = 0;
    while (!fail && sqlite3_step(st) == SQLITE_ROW) {
        if (KBI_GROW(&l->codes, &l->capcodes, l->ncodes + 1)) {
            fail = 1;
            break;
        }
        code_row *c = &l->codes[l->ncodes++];
        c->kind = (char *)kbi_store_keep(&l->strings, st, 0, &fail);
        c->code = (char *)kbi_store_keep(&l->strings, st, 1, &fail);
        c->parent = (char *)kbi_store_keep(&l->strings, st, 2, &fail);
        c->label = (char *)kbi_store_keep(&l->strings, st, 3, &fail);
        if (!fail && !strcmp(c->kind, "facet"))
            l->nfacets++;
    }
    sqlite3_finalize(st);
    if (fail)
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    if (l->nfacets && !(l->facets = calloc(l->nfacets, sizeof *l->facets)))
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    for (size_t i = 0, f = 0; i < l->ncodes; i++)
        if (!strcmp(l->codes[i].kind, "facet"))
            l->facets[f++] = l->codes[i].code;
    return 0;
}

/* Fills the quote's codes from its code of `kind` ("concept", "theme" or
 * "dimension") and its place in the codebook; does it pass the filters? A
 * code the run's codebook lacks keeps its id as its label. */
static int place_code(kb_quote_list *l, size_t i, const char *kind,
                      const char *code, const kb_quote_filter *f)
{
    kb_quote_row *q = &l->v[i];
    const code_row *c = NULL, *t = NULL, *d = NULL;
    size_t ord = l->ncodes;
    if (!strcmp(kind, "concept")) {
        /* codings come in runs of one concept, kept once (same address) */
        const concept_ix *ix = l->last && l->last->concept->code == code
                                   ? l->last
                                   : find_concept(l, code);
        l->last = ix;
        if (ix) {
            c = ix->concept;
            t = ix->theme;
            d = ix->dimension;
            ord = ix->ord;
        }
        q->concept = code;
        q->concept_label = c ? c->label : code;
    } else if (!strcmp(kind, "theme")) {
        if ((t = find_code(l, "theme", code)))
            d = find_code(l, "dimension", t->parent);
    } else {
        d = find_code(l, "dimension", code);
    }
    if (!c && (t || d))
        ord = (size_t)((t ? t : d) - l->codes);
    q->theme = t ? t->code : strcmp(kind, "theme") ? NULL : code;
    q->theme_label = t ? t->label : q->theme;
    q->dimension = d ? d->code : strcmp(kind, "dimension") ? NULL : code;
    q->dimension_label = d ? d->label : q->dimension;
    l->ords[i] = ord;
    return (!f->concept || (q->concept && !strcmp(f->concept, q->concept))) &&
           (!f->theme || (q->theme && !strcmp(f->theme, q->theme))) &&
           (!f->dimension ||
            (q->dimension && !strcmp(f->dimension, q->dimension)));
}

/* KB_ENOENT for a code filter the run's codebook does not have. */
static int check_codes(const kb_quote_list *l, const kb_quote_filter *f,
                       int64_t run, kb_error *err)
{
    const char *kinds[] = {"dimension", "theme", "concept"};
    const char *codes[] = {f->dimension, f->theme, f->concept};
    for (int k = 0; k < 3; k++) {
        if (!codes[k] || find_code(l, kinds[k], codes[k]))
            continue;
        for (int o = 0; o < 3; o++)
            if (find_code(l, kinds[o], codes[k]))
                return kbi_fail(err, KB_ENOENT, "'%s' is a %s, not a %s",
                                codes[k], kinds[o], kinds[k]);
        return kbi_fail(err, KB_ENOENT,
                        "no concept, theme or dimension '%s' in the codebook "
                        "of run %lld",
                        codes[k], (long long)run);
    }
    return 0;
}

/* Quotes given room for their facet values at a time. */
#define SLOT_BLOCK 65536

/* Room for one more quote, zeroed, with room for its facet values: its
 * own, so they move with it when the quotes are sorted. A row given back
 * (not counted in l->n) keeps its room for the next. */
static kb_quote_row *add_row(kb_quote_list *l)
{
    if (KBI_GROW_HOT(&l->v, &l->cap, l->n + 1) ||
        KBI_GROW_HOT(&l->ords, &l->capords, l->n + 1) ||
        (l->weights && KBI_GROW_HOT(&l->weights, &l->capweights, l->n + 1)))
        return NULL;
    if (l->weights)
        l->weights[l->n] = 0;
    kb_quote_row *q = &l->v[l->n];
    const char **values = l->n < l->slotted ? (const char **)q->facets : NULL;
    memset(q, 0, sizeof *q);
    q->time_ms = KB_NO_TIME;
    size_t nf = l->nfacets;
    if (nf && values) {
        memset(values, 0, nf * sizeof *values);
    } else if (nf) {
        if (!l->slots_left) {
            int fail = 0;
            size_t size = SLOT_BLOCK * nf * sizeof *values;
            if (!(l->slots = kbi_pool_own(&l->strings, calloc(1, size), &fail)))
                return NULL;
            kbi_prefault(l->slots, size);
            l->slots_left = SLOT_BLOCK;
        }
        values = l->slots;
        l->slots += nf;
        l->slots_left--;
        l->slotted = l->n + 1;
    }
    q->facets = values;
    return q;
}

static int by_version_id(const void *a, const void *b)
{
    int64_t x = ((const version_ix *)a)->id, y = ((const version_ix *)b)->id;
    return (x > y) - (x < y);
}

/* Every document version with its name, ordered by id. */
static int load_versions(kb_quote_list *l, kb_project *p, kb_error *err)
{
    sqlite3_stmt *st;
    int rc = kbi_store_prepare(p->db, &st,
                               "SELECT v.id, d.name, v.version FROM versions v"
                               " JOIN documents d ON d.id = v.document_id"
                               " ORDER BY v.id",
                               err);
    if (rc)
        return rc;
    int fail = 0;
    while (!fail && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (KBI_GROW(&l->versions, &l->capversions, l->nversions + 1)) {
            fail = 1;
            break;
        }
        version_ix *v = &l->versions[l->nversions++];
        v->id = sqlite3_column_int64(st, 0);
        v->name =
            kbi_strset_add(&l->names, (const char *)sqlite3_column_text(st, 1),
                           (size_t)sqlite3_column_bytes(st, 1), &fail);
        v->version = sqlite3_column_int(st, 2);
    }
    sqlite3_finalize(st);
    if (fail)
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    return rc == SQLITE_DONE ? 0
                             : kbi_store_fail(err, p->db, "reading versions");
}

/* The concept id of a coding, kept once: the run's own code string, or a
 * copy in the names for an id the run's codebook lacks. */
static const char *concept_id(kb_quote_list *l, const char *id, int *fail)
{
    if (l->last && !strcmp(l->last->concept->code, id))
        return l->last->concept->code;
    const concept_ix *ix = find_concept(l, id);
    return ix ? ix->concept->code
              : kbi_strset_add(&l->names, id, strlen(id), fail);
}

/* Adds `value` to a quote's slot of a facet: several values are
 * comma-separated. Sets *fail when out of memory. */
static void add_value(kb_quote_list *l, const char **slot, const char *value,
                      int *fail)
{
    if (!*slot) { /* kept once, as every quote has one of a few values */
        *slot = kbi_strset_add(&l->names, value, strlen(value), fail);
        return;
    }
    size_t a = strlen(*slot), b = strlen(value), n = a + 1 + b;
    char small[256], *joined = n < sizeof small ? small : malloc(n);
    if (!joined) {
        *fail = 1;
        return;
    }
    memcpy(joined, *slot, a);
    joined[a] = ',';
    memcpy(joined + a + 1, value, b);
    *slot = kbi_strset_add(&l->names, joined, n, fail);
    if (joined != small)
        free(joined);
}

/* The slot of facet `facet` of quote i, or NULL if the run has no such
 * facet (add_row gave every quote its slots). */
static const char **facet_slot(kb_quote_list *l, size_t i, const char *facet)
{
    for (size_t k = 0; k < l->nfacets; k++)
        if (!strcmp(l->facets[k], facet))
            return (const char **)&l->v[i].facets[k];
    return NULL;
}

/* The review columns of a coding that has any: a reviewer's decision on
 * it, or some coder's rejection. */
typedef struct reviewed {
    int64_t id;
    kb_decision decision; /* the reviewer's, or 0 */
    int rejected;
} reviewed;

/*
 * The codings of the run that some coder rejected, or that the filter's
 * reviewer decided on, in id order, with the review columns as the quote
 * rows show them: found from the manual codings (few), each column the
 * same lookup the codings table would take per coding.
 */
static int load_reviews(reviewed **out, size_t *n, kb_project *p, int64_t run,
                        const kb_quote_filter *f, kb_error *err)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st;
    int rejects = 0;
    int rc = kbi_store_prepare(p->db, &st,
                               "SELECT EXISTS (SELECT 1 FROM manual_codings"
                               " WHERE decision = 'reject' AND placed)",
                               err);
    if (rc)
        return rc;
    if (sqlite3_step(st) == SQLITE_ROW)
        rejects = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    if (!rejects && !f->reviewer)
        return 0;
    char sql[1536];
    snprintf(sql, sizeof sql,
             "SELECT DISTINCT c.id, %s, %s FROM manual_codings r JOIN codings"
             " c ON c.version_id = r.version_id AND c.concept = r.code AND"
             " c.segment_id = r.segment_id WHERE r.placed AND (r.decision ="
             " 'reject' OR r.coder = ?2) AND " ALIVE " ORDER BY c.id",
             f->reviewer ? "(SELECT m.decision FROM manual_codings m WHERE"
                           " m.version_id = c.version_id AND m.code ="
                           " c.concept AND m.segment_id = c.segment_id AND"
                           " m.coder = ?2 AND m.placed)"
                         : "NULL",
             rejects ? KBI_REJECTED("c") : "0");
    if ((rc = kbi_store_prepare(p->db, &st, sql, err)))
        return rc;
    sqlite3_bind_int64(st, 1, run);
    if (f->reviewer)
        sqlite3_bind_text(st, 2, f->reviewer, -1, SQLITE_STATIC);
    reviewed *v = NULL;
    size_t cap = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (KBI_GROW(&v, &cap, *n + 1)) {
            rc = SQLITE_NOMEM;
            break;
        }
        const char *dec = (const char *)sqlite3_column_text(st, 1);
        v[(*n)++] = (reviewed){sqlite3_column_int64(st, 0),
                               !dec                     ? 0
                               : !strcmp(dec, "accept") ? KB_DECISION_ACCEPT
                               : !strcmp(dec, "reject") ? KB_DECISION_REJECT
                                                        : KB_DECISION_TAG,
                               sqlite3_column_int(st, 2)};
    }
    sqlite3_finalize(st);
    *out = v;
    if (rc == SQLITE_NOMEM)
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    return rc == SQLITE_DONE ? 0
                             : kbi_store_fail(err, p->db, "reading reviews");
}

/* Adds an automatic quote's facet values, as its pack holds them. */
static int pack_values(kb_quote_list *l, const kbi_cpack *pk,
                       const kbi_centry *e)
{
    int fail = 0;
    for (size_t k = e->fat; k < e->fat + e->fn && !fail; k++) {
        const char **slot = facet_slot(l, l->n, pk->f[k].facet);
        if (slot)
            add_value(l, slot, pk->f[k].value, &fail);
    }
    return fail;
}

/* The versions that have manual codings, for a tally. */
static int load_touched(kb_quote_list *l, kb_project *p, kb_error *err)
{
    sqlite3_stmt *st;
    int rc = kbi_store_prepare(p->db, &st,
                               "SELECT DISTINCT version_id FROM manual_codings"
                               " WHERE placed ORDER BY version_id",
                               err);
    if (rc)
        return rc;
    size_t cap = 0;
    int fail = 0;
    while (!fail && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (KBI_GROW(&l->touched, &cap, l->ntouched + 1))
            fail = 1;
        else
            l->touched[l->ntouched++] = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    if (fail)
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    return rc == SQLITE_DONE
               ? 0
               : kbi_store_fail(err, p->db, "reading manual codings");
}

static int by_int64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* In a tally, are the automatic quotes of version `id` grouped (no manual
 * coding can merge into them or give them facet values)? */
static int grouped(const kb_quote_list *l, int64_t id)
{
    return l->weights &&
           !(l->ntouched && bsearch(&id, l->touched, l->ntouched,
                                    sizeof *l->touched, by_int64));
}

/* A tally: row l->n, a quote of a grouped pack whose rows begin at
 * `first`, joins the row of that pack with the same facet values (values
 * are kept once, so equal ones have one address), or becomes it. Does it
 * stand alone? */
static int group_row(kb_quote_list *l, size_t first)
{
    const kb_quote_row *q = &l->v[l->n];
    for (size_t j = first; j < l->n; j++) {
        const kb_quote_row *o = &l->v[j];
        size_t k = 0;
        while (k < l->nfacets && o->facets[k] == q->facets[k])
            k++;
        if (k == l->nfacets) {
            l->weights[j]++;
            return 0;
        }
    }
    l->weights[l->n] = 1;
    return 1;
}

/*
 * The run's automatic quotes with their facet values, in coding id order:
 * straight from the packs (codepack.h), the rows the tables `codings` and
 * `coding_facets` show, without a million rows through SQLite. A pack is
 * alive in the run when any of its codings is (its to_run), a coding when
 * its own to_run is 0 or not before the run. In a tally, the quotes of a
 * pack on a version without manual codings are grouped by facet values.
 */
static int load_codings(kb_quote_list *l, kb_project *p, int64_t run,
                        const kb_quote_filter *f, kb_error *err)
{
    reviewed *rev;
    size_t nrev, r = 0;
    int rc = load_reviews(&rev, &nrev, p, run, f, err);
    sqlite3_stmt *st = NULL;
    if (!rc)
        rc = kbi_store_prepare(p->db, &st,
                               "SELECT id, version_id, concept, codings FROM"
                               " coding_packs WHERE from_run <= ?1 AND (to_run"
                               " IS NULL OR to_run >= ?1) ORDER BY id",
                               err);
    if (rc) {
        free(rev);
        return rc;
    }
    sqlite3_bind_int64(st, 1, run);
    kbi_cpack pk = {0};
    int fail = 0;
    const version_ix *v = NULL;
    while (!fail && !rc && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        rc = 0;
        int64_t pack = sqlite3_column_int64(st, 0);
        version_ix key = {.id = sqlite3_column_int64(st, 1)};
        if (!v || v->id != key.id)
            v = bsearch(&key, l->versions, l->nversions, sizeof key,
                        by_version_id);
        if (!v) {
            rc = kbi_fail(err, KB_EDB,
                          "project store: a coding of no document version");
            break;
        }
        if (f->document && strcmp(f->document, v->name))
            continue;
        const char *concept =
            concept_id(l, (const char *)sqlite3_column_text(st, 2), &fail);
        if (fail ||
            (rc = kbi_cpack_decode(&pk, sqlite3_column_blob(st, 3),
                                   (size_t)sqlite3_column_bytes(st, 3), err)))
            break;
        int group = grouped(l, v->id);
        size_t first = l->n; /* the pack's first row */
        for (size_t i = 0; i < pk.n && !fail; i++) {
            const kbi_centry *e = &pk.v[i];
            if (e->to_run && e->to_run < run)
                continue;
            int64_t id = kbi_coding_id(pack, i);
            while (r < nrev && rev[r].id < id)
                r++;
            const reviewed *rv = r < nrev && rev[r].id == id ? &rev[r] : NULL;
            if ((rv && rv->rejected && !f->with_rejected) ||
                (rv && rv->decision && f->unreviewed))
                continue;
            kb_quote_row *q = add_row(l);
            if (!q) {
                fail = 1;
                break;
            }
            if (!place_code(l, l->n, "concept", concept, f))
                continue;
            q->start = (size_t)e->segment; /* the segment id, until resolved */
            q->match_start = (size_t)e->mstart;
            q->match_end = (size_t)e->mend;
            q->document = v->name;
            q->version = v->version;
            q->source = "auto";
            q->decision = rv ? rv->decision : (kb_decision)0;
            q->rejected = rv ? rv->rejected : 0;
            if ((fail = pack_values(l, &pk, e)))
                break;
            if (!group || group_row(l, first))
                l->n++;
        }
    }
    sqlite3_finalize(st);
    kbi_cpack_free(&pk);
    free(rev);
    if (fail)
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    if (rc && rc != SQLITE_DONE)
        return rc < 0 ? rc : kbi_store_fail(err, p->db, "reading codings");
    l->nauto = l->n;
    return 0;
}

/* Is code point (or byte) c a word character, and how many bytes of s[i..n)
 * is it (0: invalid UTF-8)? ASCII letters and digits and U+00C0..U+00FF
 * (but x and /, U+00D7 and U+00F7) are told apart without utf8proc: they
 * are most of the text. */
static int word_char(const char *s, size_t i, size_t n, size_t *k)
{
    unsigned char b = (unsigned char)s[i];
    if (b < 0x80) {
        *k = 1;
        return (unsigned)((b | 0x20) - 'a') < 26u || (unsigned)(b - '0') < 10u;
    }
    if (b == 0xC3 && i + 1 < n && ((unsigned char)s[i + 1] & 0xC0) == 0x80) {
        *k = 2;
        return s[i + 1] != '\x97' && s[i + 1] != '\xB7';
    }
    utf8proc_int32_t cp;
    utf8proc_ssize_t len = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                            (utf8proc_ssize_t)(n - i), &cp);
    *k = len > 0 ? (size_t)len : 0;
    return len > 0 && kbi_utf8_is_word(cp);
}

/*
 * Calls fn(ctx, start, end, cp_start) for each word of s[0..n): a run of
 * letters, digits and marks, as byte offsets, with the code point offset of
 * its start. Stops at invalid UTF-8.
 */
typedef void (*word_fn)(void *ctx, size_t start, size_t end, size_t cp);

static void each_word(const char *s, size_t n, word_fn fn, void *ctx)
{
    size_t i = 0, cps = 0, start = 0, start_cp = 0, k;
    int in = 0;
    while (i < n) {
        int w = word_char(s, i, n, &k);
        if (!k)
            break;
        if (w && !in) {
            start = i;
            start_cp = cps;
        } else if (!w && in) {
            fn(ctx, start, i, start_cp);
        }
        in = w;
        i += k;
        cps++;
    }
    if (in)
        fn(ctx, start, i, start_cp);
}

/* The high bit of each byte of x (all below 0x80) that is in [lo, hi]. */
static uint64_t bytes_within(uint64_t x, unsigned lo, unsigned hi)
{
    const uint64_t ones = 0x0101010101010101ULL;
    return (x + (0x80 - lo) * ones) & ~(x + (0x7F - hi) * ones) &
           0x8080808080808080ULL;
}

/*
 * The words of s[0..n), as each_word finds them, counted eight bytes at a
 * time where those are ASCII (a word starts at each letter or digit after
 * a byte that is neither), one character at a time elsewhere.
 */
static size_t count_words(const char *s, size_t n)
{
    size_t words = 0, i = 0, k;
    int in = 0;
    while (i < n) {
        if (i + 8 <= n) {
            uint64_t x = 0;
            for (int j = 7; j >= 0; j--) /* byte j in bits 8j..8j+7 */
                x = x << 8 | (unsigned char)s[i + (size_t)j];
            if (!(x & 0x8080808080808080ULL)) {
                uint64_t m = bytes_within(x | 0x2020202020202020ULL, 'a', 'z') |
                             bytes_within(x, '0', '9');
                uint64_t starts = m & ~(m << 8 | (in ? 0x80u : 0u));
                words +=
                    (size_t)(((starts >> 7) * 0x0101010101010101ULL) >> 56);
                in = (int)(m >> 63);
                i += 8;
                continue;
            }
        }
        int w = word_char(s, i, n, &k);
        if (!k)
            break;
        words += w && !in;
        in = w;
        i += k;
    }
    return words;
}

/* The words of a quote, for kb_quote_excerpt. */
typedef struct word_spans {
    size_t *start, *end, *cp, n;
} word_spans;

static void keep_word(void *ctx, size_t start, size_t end, size_t cp)
{
    word_spans *w = ctx;
    w->start[w->n] = start;
    w->end[w->n] = end;
    w->cp[w->n++] = cp;
}

int kb_quote_excerpt(char **out, const kb_quote_row *q, size_t max_words,
                     kb_error *err)
{
    *out = NULL;
    const char *s = q->text ? q->text : "";
    size_t n = strlen(s), total = count_words(s, n);
    if (!max_words || total <= max_words) {
        if (!(*out = strdup(s)))
            return kbi_fail(err, KB_ENOMEM, "out of memory");
        return 0;
    }
    word_spans w = {malloc(total * sizeof(size_t)),
                    malloc(total * sizeof(size_t)),
                    malloc(total * sizeof(size_t)), 0};
    char *r = NULL;
    if (w.start && w.end && w.cp) {
        each_word(s, n, keep_word, &w);
        /* the words the match covers: first and last */
        size_t ms = q->match_start > q->start ? q->match_start - q->start : 0;
        size_t me = q->match_end > q->start ? q->match_end - q->start : 0;
        size_t first = 0, last = 0;
        while (first + 1 < w.n && w.cp[first + 1] <= ms)
            first++;
        last = first;
        while (last + 1 < w.n && w.cp[last + 1] < me)
            last++;
        /* a window of max_words words, the match in its middle */
        size_t need = last - first + 1, lo = first;
        if (need < max_words) {
            size_t spare = max_words - need;
            lo = first > spare / 2 ? first - spare / 2 : 0;
        }
        if (lo + max_words > w.n)
            lo = w.n - max_words;
        size_t hi = lo + max_words - 1;
        /* from the text's start or the window's first word; to the text's
         * end or the window's last word and the marks up to the next space */
        size_t b = lo ? w.start[lo] : 0, e = w.end[hi];
        if (hi + 1 == w.n)
            e = n;
        else
            while (e < w.start[hi + 1] && s[e] != ' ' && s[e] != '\n' &&
                   s[e] != '\t')
                e++;
        static const char gap[] = "[\xe2\x80\xa6]";
        size_t len =
            (lo ? sizeof gap : 0) + (e - b) + (hi + 1 < w.n ? sizeof gap : 0);
        if ((r = malloc(len + 1))) {
            char *o = r;
            if (lo) {
                memcpy(o, gap, sizeof gap - 1);
                o += sizeof gap - 1;
                *o++ = ' ';
            }
            memcpy(o, s + b, e - b);
            o += e - b;
            if (hi + 1 < w.n) {
                *o++ = ' ';
                memcpy(o, gap, sizeof gap - 1);
                o += sizeof gap - 1;
            }
            *o = 0;
        }
    }
    free(w.start);
    free(w.end);
    free(w.cp);
    if (!r)
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    *out = r;
    return 0;
}

static int by_case_id(const void *a, const void *b)
{
    const kb_case_info *x = *(const kb_case_info *const *)a,
                       *y = *(const kb_case_info *const *)b;
    int c = strcmp(x->id, y->id);
    return c ? c : (x > y) - (x < y); /* list order among equal ids */
}

/* Sorts the cases by id for case_attr, which a table asks for each quote
 * and attribute, and lists their attribute names, each once, in the order
 * of the cases. */
static int index_cases(kb_quote_list *l, kb_error *err)
{
    size_t n = kb_case_list_count(l->cases), cap = 0;
    if (!(l->case_ix = malloc((n + 1) * sizeof *l->case_ix)))
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        const kb_case_info *ci = l->case_ix[i] = kb_case_list_get(l->cases, i);
        for (size_t a = 0; a < ci->nattrs; a++) {
            size_t k = 0;
            while (k < l->nattrs && strcmp(l->attrs[k], ci->attr_names[a]))
                k++;
            if (k < l->nattrs)
                continue;
            if (KBI_GROW(&l->attrs, &cap, l->nattrs + 1))
                return kbi_fail(err, KB_ENOMEM, "out of memory");
            l->attrs[l->nattrs++] = ci->attr_names[a];
        }
    }
    qsort(l->case_ix, n, sizeof *l->case_ix, by_case_id);
    return 0;
}

/* The value of attribute `name` of case `id`. */
static const char *case_attr(const kb_quote_list *l, const char *id,
                             const char *name)
{
    size_t lo = 0, hi = id ? kb_case_list_count(l->cases) : 0;
    while (lo < hi) { /* the first case of that id */
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(l->case_ix[mid]->id, id) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; id && i < kb_case_list_count(l->cases) &&
                        !strcmp(l->case_ix[i]->id, id);
         i++) {
        const kb_case_info *ci = l->case_ix[i];
        for (size_t a = 0; a < ci->nattrs; a++)
            if (!strcmp(ci->attr_names[a], name))
                return ci->attr_values[a];
    }
    return NULL;
}

size_t kb_quote_list_attributes(const kb_quote_list *l)
{
    return l->nattrs;
}

const char *kb_quote_list_attribute(const kb_quote_list *l, size_t i)
{
    return i < l->nattrs ? l->attrs[i] : NULL;
}

const char *kb_quote_attribute(const kb_quote_list *l, const kb_quote_row *q,
                               const char *name)
{
    return case_attr(l, q->case_id, name);
}

/* Calls fn for each value of a comma-separated facet list; stops at the
 * first non-zero return and gives it. */
static int each_listed(const char *list,
                       int (*fn)(void *ctx, const char *v, size_t n), void *ctx)
{
    for (const char *p = list; p && *p;) {
        const char *comma = strchr(p, ',');
        int rc = fn(ctx, p, comma ? (size_t)(comma - p) : strlen(p));
        if (rc)
            return rc;
        p = comma ? comma + 1 : NULL;
    }
    return 0;
}

static int is_value(void *ctx, const char *v, size_t n)
{
    const char *want = ctx;
    return strlen(want) == n && !memcmp(v, want, n);
}

int kbi_facet_listed(const char *list, const char *value)
{
    return each_listed(list, is_value, (void *)value);
}

/* The first segment of `kind` ending after code point `at` (its index), or
 * the number of segments of that kind when none does. */
static size_t segment_after(const kb_document *d, kb_segment_kind kind,
                            size_t at)
{
    size_t lo = 0, hi = kb_document_segment_count(d, kind);
    while (lo < hi) { /* segments of a kind are in text order */
        size_t mid = lo + (hi - lo) / 2;
        if (kb_document_segment(d, kind, mid)->end <= at)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Fills a manual quote's case and speaker from the turn it starts in. */
static int place_in_turn(kb_quote_list *l, kb_quote_row *q,
                         const kb_document *d)
{
    const kb_segment *t = kb_document_segment(
        d, KB_SEG_TURN, segment_after(d, KB_SEG_TURN, q->start));
    int fail = 0;
    q->speaker = q->case_id = NULL;
    if (t && t->start <= q->start) {
        q->time_ms = t->time_ms;
        q->role = t->role;
        if (t->speaker)
            q->speaker = kbi_strset_add(&l->names, t->speaker,
                                        strlen(t->speaker), &fail);
        if (t->case_id)
            q->case_id = kbi_strset_add(&l->names, t->case_id,
                                        strlen(t->case_id), &fail);
    }
    return fail ? KB_ENOMEM : 0;
}

/* The run's codebook, read once from the copy the run stored. */
static int run_codebook(kb_quote_list *l, kb_project *p, int64_t run,
                        kb_error *err)
{
    if (l->cb)
        return 0;
    sqlite3_stmt *st;
    int rc = kbi_store_prepare(p->db, &st,
                               "SELECT codebook, codebook_path FROM runs"
                               " WHERE id = ?",
                               err);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, run);
    if (sqlite3_step(st) != SQLITE_ROW)
        rc = kbi_store_fail(err, p->db, "reading the run's codebook");
    else
        rc = kbi_codebook_parse(&l->cb, sqlite3_column_blob(st, 0),
                                (size_t)sqlite3_column_bytes(st, 0),
                                (const char *)sqlite3_column_text(st, 1), err);
    sqlite3_finalize(st);
    return rc;
}

/*
 * The segment a manual quote is on: of its concept's scope in the run's
 * codebook (a sentence for a theme or dimension, or a concept the codebook
 * lacks), the one its passage starts in; a passage starting between two
 * segments is on the next one if it reaches into it, else on none.
 */
static void place_in_scope(const kb_quote_list *l, kb_quote_row *q,
                           const kb_document *d)
{
    kb_segment_kind kind = KB_SEG_SENTENCE;
    size_t node = q->concept && l->cb
                      ? kb_codebook_find(l->cb, KB_CODE_CONCEPT, q->concept)
                      : KB_NO_INDEX;
    if (node != KB_NO_INDEX)
        kind = kb_codebook_get(l->cb, node)->scope;
    size_t i = segment_after(d, kind, q->start);
    const kb_segment *s = kb_document_segment(d, kind, i);
    if (s && s->start < q->end) {
        q->kind = kind;
        q->index = i;
    }
}

/* Adds the name v[0..n) to the comma-separated list *slot, in name order,
 * once. Sets *fail when out of memory. */
static void list_insert(kb_quote_list *l, const char **slot, const char *v,
                        size_t n, int *fail)
{
    const char *s = *slot ? *slot : "";
    size_t len = strlen(s), at = len;
    for (const char *p = s; *p;) {
        const char *comma = strchr(p, ',');
        size_t k = comma ? (size_t)(comma - p) : strlen(p);
        int c = memcmp(p, v, k < n ? k : n);
        if (!c)
            c = (k > n) - (k < n);
        if (!c)
            return;
        if (c > 0) {
            at = (size_t)(p - s);
            break;
        }
        p += k + (comma != NULL);
    }
    char small[256],
        *b = len + n + 1 < sizeof small ? small : malloc(len + n + 2);
    if (!b) {
        *fail = 1;
        return;
    }
    size_t o = at;
    memcpy(b, s, at);
    if (at == len && len)
        b[o++] = ',';
    memcpy(b + o, v, n);
    o += n;
    if (at < len) {
        b[o++] = ',';
        memcpy(b + o, s + at, len - at);
        o += len - at;
    }
    *slot = kbi_strset_add(&l->names, b, o, fail);
    if (b != small)
        free(b);
}

/* Adds every name of the comma-separated list `from` to *slot. */
static void list_merge(kb_quote_list *l, const char **slot, const char *from,
                       int *fail)
{
    for (const char *p = from; p && *p;) {
        const char *comma = strchr(p, ',');
        size_t k = comma ? (size_t)(comma - p) : strlen(p);
        list_insert(l, slot, p, k, fail);
        p += k + (comma != NULL);
    }
}

/* Adds memo `m` to the quote's memos, "; " between, unless it is there. */
/* Is memo m one of the "; "-separated items of list? */
static int memo_listed(const char *list, const char *m)
{
    size_t n = strlen(m);
    for (const char *p = list; (p = strstr(p, m)); p++)
        if ((p == list || (p - list >= 2 && !memcmp(p - 2, "; ", 2))) &&
            (!p[n] || !strncmp(p + n, "; ", 2)))
            return 1;
    return 0;
}

static void memo_add(kb_quote_list *l, const char **slot, const char *m,
                     int *fail)
{
    if (!m || !*m || (*slot && memo_listed(*slot, m)))
        return;
    if (!*slot) {
        *slot = m;
        return;
    }
    size_t a = strlen(*slot), b = strlen(m);
    char *joined = malloc(a + b + 3);
    if (!joined) {
        *fail = 1;
        return;
    }
    memcpy(joined, *slot, a);
    memcpy(joined + a, "; ", 2);
    memcpy(joined + a + 2, m, b + 1);
    *slot = kbi_strset_add(&l->names, joined, a + b + 2, fail);
    free(joined);
}

/* The code a quote is of: its concept, else its theme, else its
 * dimension. */
static const char *code_of(const kb_quote_row *q)
{
    return q->concept ? q->concept : q->theme ? q->theme : q->dimension;
}

/*
 * Makes manual quote `src` part of quote `dst` (the quote of the same code
 * on the same segment): its coders, their decisions and memos join dst's,
 * and its manual codings belong to dst from now on. src is left dead
 * (source NULL) for drop_dead.
 */
static int fold(kb_quote_list *l, size_t dst, size_t src)
{
    kb_quote_row *d = &l->v[dst], *s = &l->v[src];
    int fail = 0;
    list_merge(l, &d->coder, s->coder, &fail);
    list_merge(l, &d->tagged_by, s->tagged_by, &fail);
    list_merge(l, &d->accepted_by, s->accepted_by, &fail);
    memo_add(l, &d->memo, s->memo, &fail);
    if (strcmp(d->source, "auto") && s->decision == KB_DECISION_TAG)
        d->decision = KB_DECISION_TAG; /* accepted only while no one tags */
    for (size_t k = 0; k < l->nmembers; k++)
        if (l->members[k].row == src)
            l->members[k].row = dst;
    s->source = NULL;
    return fail ? KB_ENOMEM : 0;
}

/* Removes the dead rows from row `from` on, keeping the order of the
 * others; rows are swapped, not copied, so each keeps its own room for
 * facet values (add_row). */
static int drop_dead(kb_quote_list *l, size_t from, kb_error *err)
{
    size_t *to = malloc((l->n - from + 1) * sizeof *to), o = from;
    if (!to)
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    for (size_t i = from; i < l->n; i++) {
        if (!l->v[i].source)
            continue;
        if (o != i) { /* rows o..i-1 are dead */
            kb_quote_row r = l->v[o];
            l->v[o] = l->v[i];
            l->v[i] = r;
            size_t ord = l->ords[o];
            l->ords[o] = l->ords[i];
            l->ords[i] = ord;
        }
        to[i - from] = o++;
    }
    for (size_t k = 0; k < l->nmembers; k++)
        if (l->members[k].row >= from)
            l->members[k].row = to[l->members[k].row - from];
    l->n = o;
    free(to);
    return 0;
}

/*
 * The manual quotes in rows [from, to), all of document d: those of one
 * code on one segment become one quote, on the passage from the first
 * start to the last end among them; then each gets its case and speaker
 * (from the turn it starts in) and its words.
 */
static int group_manual(kb_quote_list *l, size_t from, size_t to,
                        const kb_document *d, kb_error *err)
{
    size_t len;
    const char *text = kb_document_text(d, &len);
    int rc = 0, fail = 0;
    for (size_t i = from; i < to && !rc && !fail; i++) {
        kb_quote_row *a = &l->v[i];
        if (!a->source)
            continue;
        size_t start = a->start, end = a->end;
        for (size_t j = i + 1; a->kind && j < to && !rc; j++) {
            const kb_quote_row *b = &l->v[j];
            if (!b->source || b->kind != a->kind || b->index != a->index ||
                !b->concept != !a->concept || strcmp(code_of(a), code_of(b)))
                continue;
            start = b->start < start ? b->start : start;
            end = b->end > end ? b->end : end;
            rc = fold(l, i, j);
        }
        if (start != a->start || end != a->end) {
            size_t b0 = kbi_utf8_offset(text, len, start);
            size_t b1 = kbi_utf8_offset(text, len, end);
            a->text = kbi_arena_strndup(&l->texts, text + b0, b1 - b0, &fail);
            a->start = a->match_start = start;
            a->end = a->match_end = end;
        }
        if (!rc && !fail && (rc = place_in_turn(l, a, d)) == KB_ENOMEM)
            fail = 1;
        if (!fail && !l->skip_words)
            a->words = count_words(a->text, strlen(a->text));
    }
    if (fail || rc == KB_ENOMEM)
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    return rc;
}

/*
 * Appends the manual quotes of the documents' current versions: the placed
 * tags and review acceptances (of the filter's coder only, if it names
 * one), those of one code on one segment (place_in_scope) made one quote.
 */
static int load_manual(kb_quote_list *l, kb_project *p, int64_t run,
                       const kb_quote_filter *f, kb_error *err)
{
    sqlite3_stmt *st;
    int rc = kbi_store_prepare(
        p->db, &st,
        "SELECT d.name, v.version, m.coder, m.kind, m.code, m.start,"
        " m.\"end\", m.quote, m.memo, m.id, m.decision FROM manual_codings m"
        " JOIN versions v ON v.id = m.version_id JOIN documents d ON d.id ="
        " m.document_id WHERE m.placed AND m.decision IN ('tag', 'accept')"
        " AND v.version = d.current_version AND (?1 IS NULL OR m.coder = ?1)"
        " AND (?2 IS NULL OR d.name = ?2) ORDER BY d.name, m.id",
        err);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, f->coder, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, f->document, -1, SQLITE_STATIC);
    kb_document *d = NULL;
    size_t from = l->n; /* the first row of the loaded document */
    int fail = 0;
    while (!fail && !rc && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        rc = 0;
        kb_quote_row *q = add_row(l);
        if (!q) {
            fail = 1;
            break;
        }
        const char *kind = (const char *)sqlite3_column_text(st, 3);
        const char *code = kbi_store_keep(&l->strings, st, 4, &fail);
        if (fail || !place_code(l, l->n, kind, code, f))
            continue;
        /* kept once with the versions' names, for sorting by address */
        const char *doc = (const char *)sqlite3_column_text(st, 0);
        q->document = kbi_strset_add(&l->names, doc, strlen(doc), &fail);
        q->version = sqlite3_column_int(st, 1);
        q->coder = kbi_store_keep(&l->strings, st, 2, &fail);
        q->start = q->match_start = (size_t)sqlite3_column_int64(st, 5);
        q->end = q->match_end = (size_t)sqlite3_column_int64(st, 6);
        q->text = kbi_store_keep(&l->strings, st, 7, &fail);
        q->memo = kbi_store_keep(&l->strings, st, 8, &fail);
        if (q->memo && !*q->memo)
            q->memo = NULL;
        q->source = "manual";
        int accept =
            !strcmp((const char *)sqlite3_column_text(st, 10), "accept");
        q->decision = accept ? KB_DECISION_ACCEPT : KB_DECISION_TAG;
        *(accept ? &q->accepted_by : &q->tagged_by) = q->coder;
        if (fail || KBI_GROW(&l->members, &l->capmembers, l->nmembers + 1)) {
            fail = 1;
            break;
        }
        l->members[l->nmembers++] = (member){sqlite3_column_int64(st, 9), l->n};
        const kb_doc_info *info = d ? kb_document_info(d) : NULL;
        if (!info || strcmp(info->name, q->document)) {
            if (d && (rc = group_manual(l, from, l->n, d, err)))
                break;
            from = l->n;
            kbi_document_recycle(d, p);
            d = NULL;
            if ((rc = run_codebook(l, p, run, err)) ||
                (rc = kbi_document_load_kinds(&d, p, q->document, q->version,
                                              KBI_ALL_KINDS, err)))
                break;
        }
        place_in_scope(l, q, d);
        l->n++;
    }
    sqlite3_finalize(st);
    if (!fail && (!rc || rc == SQLITE_DONE) && d)
        rc = group_manual(l, from, l->n, d, err);
    kbi_document_recycle(d, p);
    if (fail)
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    if (rc && rc != SQLITE_DONE)
        return rc < 0 ? rc
                      : kbi_store_fail(err, p->db, "reading manual codings");
    return drop_dead(l, l->nauto, err);
}

/* A key of a quote: where it is and its concept. */
typedef struct quote_key {
    const char *document; /* kept once: compared by address */
    int version;
    kb_segment_kind kind;
    size_t index;
    const char *concept;
    size_t row;
} quote_key;

static int by_quote_key(const void *a, const void *b)
{
    const quote_key *x = a, *y = b;
    if (x->document != y->document)
        return (uintptr_t)x->document < (uintptr_t)y->document ? -1 : 1;
    if (x->version != y->version)
        return x->version < y->version ? -1 : 1;
    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    if (x->index != y->index)
        return x->index < y->index ? -1 : 1;
    return strcmp(x->concept, y->concept);
}

/* A manual quote of a concept on the segment of an automatic quote of the
 * same concept is part of it: one quote, found by the rules and coded by
 * its coders. The automatic quotes are resolved (kind and index). */
static int fold_into_auto(kb_quote_list *l, kb_error *err)
{
    if (l->n == l->nauto || !l->nauto)
        return 0;
    quote_key *k = malloc((l->n - l->nauto) * sizeof *k);
    size_t m = 0;
    if (!k)
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    for (size_t i = l->nauto; i < l->n; i++) {
        const kb_quote_row *q = &l->v[i];
        if (q->kind && q->concept)
            k[m++] = (quote_key){q->document, q->version, q->kind,
                                 q->index,    q->concept, i};
    }
    qsort(k, m, sizeof *k, by_quote_key);
    int rc = 0;
    for (size_t i = 0; m && i < l->nauto && !rc; i++) {
        const kb_quote_row *q = &l->v[i];
        if (!q->kind) /* a tally's grouped row */
            continue;
        quote_key key = {q->document, q->version, q->kind,
                         q->index,    q->concept, 0};
        const quote_key *hit = bsearch(&key, k, m, sizeof key, by_quote_key);
        if (hit && l->v[hit->row].source)
            rc = fold(l, i, hit->row);
    }
    free(k);
    if (rc)
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    return drop_dead(l, l->nauto, err);
}

/* The facet values of the manual quotes by the run codebook's rules. */
typedef struct rule_ctx {
    kb_quote_list *l;
    size_t i;
    int fail;
} rule_ctx;

static const char *rule_attr(void *ctx, const char *name)
{
    rule_ctx *r = ctx;
    return case_attr(r->l, r->l->v[r->i].case_id, name);
}

static int rule_value(void *ctx, const char *facet, const char *value,
                      const char *source)
{
    (void)source;
    rule_ctx *r = ctx;
    const char **slot = facet_slot(r->l, r->i, facet);
    if (slot)
        add_value(r->l, slot, value, &r->fail);
    return r->fail ? KB_ENOMEM : 0;
}

static int manual_rules(kb_quote_list *l, kb_project *p, int64_t run,
                        kb_error *err)
{
    if (!l->nfacets || l->n == l->nauto)
        return 0;
    kbi_engine *e = NULL;
    int rc = run_codebook(l, p, run, err);
    if (!rc)
        rc = kbi_engine_new(&e, l->cb, 0, err);
    rule_ctx r = {l, 0, 0};
    for (r.i = l->nauto; !rc && r.i < l->n; r.i++) {
        const kb_quote_row *q = &l->v[r.i];
        rc = kbi_engine_facets(e, q->text, strlen(q->text), 0, rule_attr,
                               rule_value, &r);
    }
    kbi_engine_free(e);
    return rc == KB_ENOMEM ? kbi_fail(err, KB_ENOMEM, "out of memory") : rc;
}

/* A manual coding's facet value on a passage, and the row of the quote the
 * coding is part of (SIZE_MAX: none in the list). */
typedef struct facet_tag {
    const char *document, *facet, *value;
    int version;
    size_t start, end;
    size_t row;
} facet_tag;

static int by_place(const void *a, const void *b)
{
    const facet_tag *x = a, *y = b;
    int c = strcmp(x->document, y->document);
    if (c)
        return c;
    if (x->version != y->version)
        return x->version < y->version ? -1 : 1;
    return (x->start > y->start) - (x->start < y->start);
}

static int by_member_id(const void *a, const void *b)
{
    int64_t x = ((const member *)a)->id, y = ((const member *)b)->id;
    return (x > y) - (x < y);
}

/* A tag of the quote's own: the tag's place, by the row of its quote. */
typedef struct own_tag {
    size_t row, tag;
} own_tag;

static int by_own_row(const void *a, const void *b)
{
    const own_tag *x = a, *y = b;
    if (x->row != y->row)
        return x->row < y->row ? -1 : 1;
    return (x->tag > y->tag) - (x->tag < y->tag);
}

/* Gives quote i the value of facet tag t: the first tag of a facet
 * replaces the rules' values (set[] marks the facets replaced). */
static void give_value(kb_quote_list *l, size_t i, const facet_tag *t,
                       const char **set, int *fail)
{
    const char **slot = facet_slot(l, i, t->facet);
    if (!slot)
        return;
    size_t fi = (size_t)(slot - (const char **)l->v[i].facets);
    if (!set[fi]) {
        set[fi] = t->facet;
        *slot = NULL;
    }
    if (!kbi_facet_listed(*slot, t->value))
        add_value(l, slot, t->value, fail);
}

/* The facet values of manual codings win over the rules for every quote
 * inside their passages, and for the quote each coding is part of: the
 * quote takes them all, whoever set them. */
static int apply_facet_tags(kb_quote_list *l, kb_project *p, kb_error *err)
{
    if (!l->nfacets || !l->n)
        return 0;
    sqlite3_stmt *st;
    int rc = kbi_store_prepare(
        p->db, &st,
        "SELECT d.name, v.version, m.start, m.\"end\", f.facet, f.value, m.id"
        " FROM manual_facets f JOIN manual_codings m ON m.id = f.coding_id"
        " JOIN versions v ON v.id = m.version_id JOIN documents d ON d.id ="
        " m.document_id WHERE m.placed ORDER BY f.facet, f.value",
        err);
    if (rc)
        return rc;
    if (l->nmembers)
        qsort(l->members, l->nmembers, sizeof *l->members, by_member_id);
    facet_tag *tags = NULL;
    own_tag *own = NULL;
    size_t n = 0, cap = 0, nown = 0, capown = 0;
    int fail = 0;
    while (!fail && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (KBI_GROW(&tags, &cap, n + 1)) {
            fail = 1;
            break;
        }
        facet_tag *t = &tags[n++];
        t->document = kbi_store_keep(&l->strings, st, 0, &fail);
        t->version = sqlite3_column_int(st, 1);
        t->start = (size_t)sqlite3_column_int64(st, 2);
        t->end = (size_t)sqlite3_column_int64(st, 3);
        t->facet = kbi_store_keep(&l->strings, st, 4, &fail);
        t->value = kbi_store_keep(&l->strings, st, 5, &fail);
        member key = {sqlite3_column_int64(st, 6), 0};
        const member *m = l->nmembers ? bsearch(&key, l->members, l->nmembers,
                                                sizeof key, by_member_id)
                                      : NULL;
        t->row = m ? m->row : SIZE_MAX;
    }
    sqlite3_finalize(st);
    if (!fail && rc != SQLITE_DONE) {
        free(tags);
        return kbi_store_fail(err, p->db, "reading manual facet values");
    }
    /* stable: a quote's values keep facet and value order */
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && by_place(&tags[j - 1], &tags[j]) > 0; j--) {
            facet_tag t = tags[j];
            tags[j] = tags[j - 1];
            tags[j - 1] = t;
        }
    for (size_t k = 0; k < n && !fail; k++)
        if (tags[k].row != SIZE_MAX) {
            if (KBI_GROW(&own, &capown, nown + 1))
                fail = 1;
            else
                own[nown++] = (own_tag){tags[k].row, k};
        }
    if (nown)
        qsort(own, nown, sizeof *own, by_own_row);
    const char **set = calloc(l->nfacets + 1, sizeof *set);
    fail |= !set;
    for (size_t i = 0, o = 0; i < l->n && n && !fail; i++) {
        kb_quote_row *q = &l->v[i];
        facet_tag key = {.document = q->document, .version = q->version};
        size_t lo = 0, hi = n;
        while (lo < hi) { /* the first tag of the quote's version */
            size_t mid = lo + (hi - lo) / 2;
            if (by_place(&tags[mid], &key) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        memset(set, 0, l->nfacets * sizeof *set);
        for (size_t k = lo;
             k < n && !strcmp(tags[k].document, q->document) &&
             tags[k].version == q->version && tags[k].start <= q->start;
             k++)
            if (tags[k].end >= q->end)
                give_value(l, i, &tags[k], set, &fail);
        while (o < nown && own[o].row < i)
            o++;
        for (; o < nown && own[o].row == i; o++)
            give_value(l, i, &tags[own[o].tag], set, &fail);
    }
    free(set);
    free(own);
    free(tags);
    return fail ? kbi_fail(err, KB_ENOMEM, "out of memory") : 0;
}

/* Drops the quotes that fail the case, source, attribute and facet
 * filters. */
static int filter_late(kb_quote_list *l, const kb_quote_filter *f,
                       kb_error *err)
{
    (void)err;
    size_t fi = l->nfacets; /* check_names found it */
    for (size_t k = 0; f->facet && k < l->nfacets; k++)
        if (!strcmp(l->facets[k], f->facet))
            fi = k;
    size_t o = 0;
    for (size_t i = 0; i < l->n; i++) {
        kb_quote_row *q = &l->v[i];
        if (f->case_id && (!q->case_id || strcmp(f->case_id, q->case_id)))
            continue;
        if (f->source &&
            ((!strcmp(f->source, "auto") && strcmp(q->source, "auto")) ||
             (!strcmp(f->source, "manual") && !q->coder)))
            continue;
        if (f->facet && (!q->facets || !q->facets[fi] ||
                         !kbi_facet_listed(q->facets[fi], f->facet_value)))
            continue;
        if (f->attr) {
            const char *v = case_attr(l, q->case_id, f->attr);
            if (!v || !f->attr_value || strcmp(v, f->attr_value))
                continue;
        }
        if (o != i) { /* rows before the first one left out stay */
            l->ords[o] = l->ords[i];
            l->v[o] = *q;
            if (l->weights)
                l->weights[o] = l->weights[i];
        }
        o++;
    }
    l->n = o;
    return 0;
}

/* Whether `table` has a row named `name`: 1, 0, or -1 (err set). */
static int known(kb_project *p, const char *table, const char *name,
                 kb_error *err)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT 1 FROM %s WHERE name = ?", table);
    sqlite3_stmt *st;
    if (kbi_store_prepare(p->db, &st, sql, err))
        return -1;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW    ? 1
           : rc == SQLITE_DONE ? 0
                               : kbi_store_fail(err, p->db, "reading names");
}

/* A facet, facet value, document or case the filter names but the run or
 * the project does not have is an error rather than an empty list (the
 * codes are check_codes'). */
static int check_names(const kb_quote_list *l, kb_project *p, int64_t run,
                       const kb_quote_filter *f, kb_error *err)
{
    if (f->facet) {
        if (!find_code(l, "facet", f->facet))
            return kbi_fail(err, KB_ENOENT, "no facet '%s' in run %lld",
                            f->facet, (long long)run);
        int value = 0;
        for (size_t i = 0; i < l->ncodes && !value; i++)
            value = !strcmp(l->codes[i].kind, "value") && l->codes[i].parent &&
                    !strcmp(l->codes[i].parent, f->facet) &&
                    !strcmp(l->codes[i].code, f->facet_value);
        if (!value)
            return kbi_fail(err, KB_ENOENT, "facet '%s' has no value '%s'",
                            f->facet, f->facet_value);
    }
    const char *const tables[] = {"documents", "cases"};
    const char *const names[] = {f->document, f->case_id};
    const char *const what[] = {"document", "case"};
    for (size_t k = 0; k < 2; k++) {
        int rc = names[k] ? known(p, tables[k], names[k], err) : 1;
        if (rc < 0)
            return err ? err->code : KB_EDB;
        if (!rc)
            return kbi_fail(err, KB_ENOENT, "no %s '%s'", what[k], names[k]);
    }
    return 0;
}

/*
 * Sorting a million quotes. Documents and coders are ranked once, a
 * document found by the address of its name (a list keeps its names once,
 * so equal names have one address) and a quote's code by its place in the
 * codebook (ords), so sorts compare numbers only, and rows are moved in
 * place. Once their facet values are in, the automatic quotes are put in
 * the resolver's order (document, version, segment); that is the list's
 * order too (document, position, codebook order, end, source, coder)
 * unless their concepts quote segments of different kinds, so at the end
 * only the manual quotes, which follow them, need sorting and merging in.
 */
typedef struct sort_key {
    uint32_t doc, ord, coder, i; /* ranks; the row */
    int64_t at, end; /* the version and segment id, or the quote's span */
} sort_key;

static int by_key(const void *a, const void *b)
{
    const sort_key *x = a, *y = b;
    if (x->doc != y->doc)
        return x->doc < y->doc ? -1 : 1;
    if (x->at != y->at)
        return x->at < y->at ? -1 : 1;
    if (x->ord != y->ord)
        return x->ord < y->ord ? -1 : 1;
    if (x->end != y->end)
        return x->end < y->end ? -1 : 1;
    if (x->coder != y->coder)
        return x->coder < y->coder ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

/* A rank found by a string's address. */
typedef struct place {
    const char *s;
    uint32_t at;
} place;

static int by_text(const void *a, const void *b)
{
    return strcmp(((const place *)a)->s, ((const place *)b)->s);
}

static int by_address(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t)((const place *)a)->s,
              y = (uintptr_t)((const place *)b)->s;
    return (x > y) - (x < y);
}

/* Ranks strings v[0..n) by text (equal texts one rank), then sorts them by
 * address for place_of. */
static void rank(place *v, size_t n)
{
    qsort(v, n, sizeof *v, by_text);
    for (size_t i = 0, r = 0; i < n; i++) {
        r += i && strcmp(v[i - 1].s, v[i].s);
        v[i].at = (uint32_t)r + 1; /* 0 is for no string (no coder) */
    }
    qsort(v, n, sizeof *v, by_address);
}

/* The rank of string s in v[0..n) (sorted by address), 0 for NULL. */
static uint32_t place_of(const place *v, size_t n, const char *s)
{
    place key = {s, 0};
    const place *hit = s ? bsearch(&key, v, n, sizeof key, by_address) : NULL;
    return hit ? hit->at : 0;
}

typedef struct sorter {
    place *docs, *coders;
    size_t ndocs, ncoders;
    sort_key *k;
    const char *last_doc; /* and its rank: */
    uint32_t doc;
} sorter;

static void sorter_free(sorter *o)
{
    free(o->docs);
    free(o->coders);
    free(o->k);
    memset(o, 0, sizeof *o);
}

/* Ranks the documents by name; room for n keys. */
static int sorter_init(sorter *o, const kb_quote_list *l, size_t n,
                       kb_error *err)
{
    memset(o, 0, sizeof *o);
    o->docs = malloc((l->nversions + 1) * sizeof *o->docs);
    o->k = malloc((n + 1) * sizeof *o->k);
    if (!o->docs || !o->k) {
        sorter_free(o);
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    }
    kbi_prefault(o->k, (n + 1) * sizeof *o->k);
    for (size_t i = 0; i < l->nversions; i++)
        o->docs[o->ndocs++] = (place){l->versions[i].name, 0};
    rank(o->docs, o->ndocs);
    return 0;
}

/* The rank of a quote's document (every document name of a list is kept
 * once, with the versions' names). Quotes come in runs of one document, so
 * the last one found is tried first. */
static uint32_t doc_rank(sorter *o, const char *doc)
{
    if (doc != o->last_doc) {
        o->last_doc = doc;
        o->doc = place_of(o->docs, o->ndocs, doc);
        assert(o->doc); /* a name not kept with the versions' */
    }
    return o->doc;
}

/*
 * Sorts k[0..n) (document ranks below `ndocs`): by document with a
 * counting sort, then each document's keys with qsort, so that a million
 * keys are sorted in small pieces that stay in the cache. KB_ENOMEM.
 */
static int sort_keys(sort_key *k, size_t n, size_t ndocs, kb_error *err)
{
    size_t *count = calloc(ndocs + 1, sizeof *count);
    size_t *at = malloc((ndocs + 1) * sizeof *at);
    sort_key *tmp = malloc((n + 1) * sizeof *tmp);
    if (!count || !at || !tmp) {
        free(count);
        free(at);
        free(tmp);
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    }
    kbi_prefault(tmp, n * sizeof *tmp);
    for (size_t i = 0; i < n; i++)
        count[k[i].doc]++;
    for (size_t r = 0, sum = 0; r < ndocs; r++) {
        at[r] = sum;
        sum += count[r];
    }
    for (size_t i = 0; i < n; i++)
        tmp[at[k[i].doc]++] = k[i];
    memcpy(k, tmp, n * sizeof *k);
    for (size_t r = 0, b = 0; r < ndocs; b += count[r++])
        qsort(k + b, count[r], sizeof *k, by_key);
    free(count);
    free(at);
    free(tmp);
    return 0;
}

/* Moves rows v[0..n) (and their places in the codebook, ords) into the
 * order of sorted keys k, in place: row j takes row k[j].i, each cycle of
 * the permutation followed once. */
static void sort_rows(kb_quote_row *v, size_t *ords, sort_key *k, size_t n)
{
    for (size_t j = 0; j < n; j++) {
        if (k[j].i == j)
            continue;
        kb_quote_row first = v[j];
        size_t first_ord = ords[j], at = j;
        while (k[at].i != j) {
            size_t from = k[at].i;
            v[at] = v[from];
            ords[at] = ords[from];
            k[at].i = (uint32_t)at;
            at = from;
        }
        v[at] = first;
        ords[at] = first_ord;
        k[at].i = (uint32_t)at;
    }
}

/* The automatic quotes in the resolver's order: its item j is row
 * k[j].i, so the rows need not move first. */
typedef struct resolving {
    kb_quote_list *l;
    const sort_key *k;
    const char *document; /* the last quote's document and version */
    int version;
    const char *speaker, *case_id;        /* its segment's, as the document */
    const char *kept_speaker, *kept_case; /* has them, and as the list does */
} resolving;

/* s as the list keeps it; `raw` and `kept` remember the last one, as
 * segments of one speaker share their document's copy of the label. */
static const char *keep_name(kb_quote_list *l, const char *s, const char **raw,
                             const char **kept, int *fail)
{
    if (!s)
        return NULL;
    if (s != *raw) {
        *kept = kbi_strset_add(&l->names, s, strlen(s), fail);
        *raw = *kept ? s : NULL;
    }
    return *kept;
}

static void quote_ref(void *ctx, size_t j, kbi_seg_ref *out)
{
    const resolving *r = ctx;
    const kb_quote_row *q = &r->l->v[r->k[j].i];
    *out = (kbi_seg_ref){q->document, q->version, (int64_t)q->start};
}

static int quote_use(void *ctx, size_t j, const kb_document *doc,
                     const kb_segment *s)
{
    resolving *r = ctx;
    kb_quote_list *l = r->l;
    kb_quote_row *q = &l->v[r->k[j].i];
    int fail = 0;
    (void)doc;
    if (q->document != r->document || q->version != r->version) {
        /* a document loaded anew: the names of the last one are gone */
        r->document = q->document;
        r->version = q->version;
        r->speaker = r->case_id = NULL;
    }
    q->kind = s->kind;
    q->index = s->index;
    q->start = s->start;
    q->end = s->end;
    q->speaker = keep_name(l, s->speaker, &r->speaker, &r->kept_speaker, &fail);
    q->case_id = keep_name(l, s->case_id, &r->case_id, &r->kept_case, &fail);
    q->time_ms = s->time_ms;
    q->role = s->role;
    if (!l->counts_only)
        q->text = kbi_arena_strndup(&l->texts, s->text, s->text_len, &fail);
    if (!l->skip_words)
        q->words = count_words(s->text, s->text_len);
    return fail ? KB_ENOMEM : 0;
}

/* Puts the automatic quotes in the resolver's order (document, version,
 * segment), so it reads them without a sorted copy of its own, and cuts
 * them out of their documents. A list that is only counted leaves its rows
 * where they are: the resolver visits them through the sorted keys. */
static int resolve(kb_quote_list *l, kb_project *p, kb_error *err)
{
    sorter o;
    int rc = sorter_init(&o, l, l->nauto, err);
    if (rc)
        return rc;
    size_t n = 0; /* the rows resolved: a tally's grouped rows are not */
    for (size_t i = 0; i < l->nauto; i++) {
        const kb_quote_row *q = &l->v[i];
        if (l->weights && l->weights[i])
            continue;
        /* by segment id, then codebook order: a version's segments have
         * consecutive ids, later versions higher ones, so this is the
         * resolver's order and, where every concept quotes one kind of
         * segment, the list's too (order_quotes then moves nothing) */
        o.k[n++] = (sort_key){doc_rank(&o, q->document),
                              (uint32_t)l->ords[i],
                              0,
                              (uint32_t)i,
                              (int64_t)q->start /* the segment */,
                              0};
    }
    resolving r = {.l = l, .k = o.k};
    if (!(rc = sort_keys(o.k, n, o.ndocs + 1, err))) {
        if (!l->counts_only) /* rows in order: k[j].i is j from here on */
            sort_rows(l->v, l->ords, o.k, n);
        rc = kbi_segments_resolve(p, n, quote_ref, quote_use, &r, err);
    }
    sorter_free(&o);
    return rc;
}

/* Every quote in the list's order (document, position, codebook order,
 * end, source, coder). The automatic quotes are in that order already
 * unless their concepts quote segments of different kinds; the manual ones
 * follow them, few, and are sorted and merged in. */
static int order_quotes(kb_quote_list *l, kb_error *err)
{
    sorter o;
    sort_key *merged = NULL;
    int rc = sorter_init(&o, l, l->n, err);
    if (!rc && !(o.coders = malloc((l->n + 1) * sizeof *o.coders)))
        rc = kbi_fail(err, KB_ENOMEM, "out of memory");
    if (rc) {
        sorter_free(&o);
        return rc;
    }
    for (size_t i = 0; i < l->n; i++)
        if (l->v[i].coder)
            o.coders[o.ncoders++] = (place){l->v[i].coder, 0};
    rank(o.coders, o.ncoders);
    size_t m = l->n; /* the end of the sorted run at the start */
    for (size_t i = 0; i < l->n; i++) {
        const kb_quote_row *q = &l->v[i];
        /* the rules' quote first ("auto" before "manual"), then coders by
         * name (a quote without one first) */
        uint32_t coder = place_of(o.coders, o.ncoders, q->coder) +
                         (strcmp(q->source, "auto") ? 1u << 31 : 0);
        o.k[i] = (sort_key){
            doc_rank(&o, q->document), (uint32_t)l->ords[i], coder, (uint32_t)i,
            (int64_t)q->start,         (int64_t)q->end};
        if (m == l->n && i && by_key(&o.k[i - 1], &o.k[i]) > 0)
            m = i;
    }
    int sorted = m == l->n;
    if (!sorted && l->n - m <= l->n / 8 &&
        (merged = malloc(l->n * sizeof *merged))) {
        /* a sorted run and a short tail: sort the tail, merge the two */
        kbi_prefault(merged, l->n * sizeof *merged);
        qsort(o.k + m, l->n - m, sizeof *o.k, by_key);
        size_t a = 0, b = m, w = 0;
        while (a < m || b < l->n)
            merged[w++] = b == l->n || (a < m && by_key(&o.k[a], &o.k[b]) <= 0)
                              ? o.k[a++]
                              : o.k[b++];
        free(o.k);
        o.k = merged;
        sorted = 1;
    }
    if (sorted || !(rc = sort_keys(o.k, l->n, o.ndocs + 1, err)))
        sort_rows(l->v, l->ords, o.k, l->n);
    sorter_free(&o);
    return rc;
}

static int64_t pick_run(kb_project *p, int64_t run, kb_error *err)
{
    sqlite3_stmt *st;
    int64_t id = 0;
    if (kbi_store_prepare(p->db, &st,
                          "SELECT MAX(id) FROM runs WHERE ?1 = 0 OR id = ?1",
                          err))
        return -1;
    sqlite3_bind_int64(st, 1, run);
    if (sqlite3_step(st) == SQLITE_ROW)
        id = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (!id) {
        if (run)
            kbi_fail(err, KB_ENOENT, "no run %lld", (long long)run);
        else
            kbi_fail(err, KB_ENORUN, "no runs yet");
        return -1;
    }
    return id;
}

/* kb_project_quotes, or with `tally` kbi_project_quote_tally. */
static int build_list(kb_quote_list **out, kb_project *p,
                      const kb_quote_filter *filter, int tally, kb_error *err)
{
    *out = NULL;
    kb_quote_filter none = {0};
    const kb_quote_filter *f = filter ? filter : &none;
    if ((f->facet && !f->facet_value) || (f->attr && !f->attr_value))
        return kbi_fail(err, KB_EINVAL,
                        "a facet or attribute filter needs a "
                        "value (name=value)");
    if (f->source && strcmp(f->source, "auto") && strcmp(f->source, "manual") &&
        strcmp(f->source, "all"))
        return kbi_fail(err, KB_EINVAL,
                        "unknown source '%s' (auto, manual or all)", f->source);
    int rc;
    if ((f->reviewer &&
         (rc = kbi_manual_coder_check(f->reviewer, "reviewer", err))) ||
        (f->coder && (rc = kbi_manual_coder_known(p->db, f->coder, err))))
        return rc;
    int64_t run = pick_run(p, f->run, err);
    if (run < 0)
        return err ? err->code : KB_ENOENT;
    kb_quote_list *l = calloc(1, sizeof *l);
    if (!l)
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    l->counts_only = f->counts_only;
    l->skip_words = f->skip_words;
    if ((tally && KBI_GROW(&l->weights, &l->capweights, 1) &&
         (rc = kbi_fail(err, KB_ENOMEM, "out of memory"))) ||
        (tally && (rc = load_touched(l, p, err))) ||
        (rc = load_codes(l, p, run, err)) || (rc = index_concepts(l, err)) ||
        (rc = check_codes(l, f, run, err)) ||
        (rc = check_names(l, p, run, f, err)) ||
        (rc = kb_project_cases(&l->cases, p, err)) ||
        (rc = index_cases(l, err)) || (rc = load_versions(l, p, err)) ||
        (rc = load_codings(l, p, run, f, err)) ||
        (rc = l->nauto > UINT32_MAX
                  ? kbi_fail(err, KB_ENOMEM, "more than 2^32 quotes")
                  : 0) ||
        (rc = resolve(l, p, err)) || (rc = load_manual(l, p, run, f, err)) ||
        (rc = fold_into_auto(l, err)) || (rc = manual_rules(l, p, run, err)) ||
        (rc = apply_facet_tags(l, p, err)) || (rc = filter_late(l, f, err)) ||
        (rc = l->counts_only ? 0 : order_quotes(l, err))) {
        kb_quote_list_free(l);
        return rc;
    }
    *out = l;
    return 0;
}

int kb_project_quotes(kb_quote_list **out, kb_project *p,
                      const kb_quote_filter *filter, kb_error *err)
{
    return build_list(out, p, filter, 0, err);
}

int kbi_project_quote_tally(kb_quote_list **out, kb_project *p, int64_t run,
                            kb_error *err)
{
    kb_quote_filter f = {.run = run, .counts_only = 1, .skip_words = 1};
    return build_list(out, p, &f, 1, err);
}

size_t kbi_quote_list_weight(const kb_quote_list *l, size_t i)
{
    return l->weights && l->weights[i] ? l->weights[i] : 1;
}

size_t kb_quote_list_count(const kb_quote_list *l)
{
    return l ? l->n : 0;
}

const kb_quote_row *kb_quote_list_get(const kb_quote_list *l, size_t i)
{
    return l && i < l->n ? &l->v[i] : NULL;
}

int kbi_quote_list_counts_only(const kb_quote_list *l)
{
    return l && l->counts_only;
}

size_t kb_quote_list_facets(const kb_quote_list *l)
{
    return l ? l->nfacets : 0;
}

const char *kb_quote_list_facet(const kb_quote_list *l, size_t i)
{
    return l && i < l->nfacets ? l->facets[i] : NULL;
}

void kb_quote_list_free(kb_quote_list *l)
{
    if (!l)
        return;
    kbi_pool_free(&l->strings);
    kbi_strset_free(&l->names);
    kbi_arena_free(&l->texts);
    free(l->versions);
    free(l->v);
    free(l->codes);
    free(l->concepts);
    free(l->facets);
    free(l->ords);
    free(l->members);
    free(l->weights);
    free(l->touched);
    kb_codebook_free(l->cb);
    free(l->case_ix);
    free(l->attrs);
    kb_case_list_free(l->cases);
    free(l);
}

/* ------------------------------------------------------------------------ */
/* The matrix                                                                */
/* ------------------------------------------------------------------------ */

/* One axis: its keys and labels, and how a quote's values are found. */
typedef struct axis {
    const char *name;
    const char *code_kind; /* "dimension", "theme", "concept", or NULL */
    size_t facet;          /* a facet's index, or nfacets */
    const char *attr;      /* "attr:NAME": NAME */
    const char **keys, **labels;
    size_t n, cap;
    const char *last; /* the value found last (a list keeps values once), */
    size_t last_n, last_at; /* its length and place */
} axis;

struct kb_matrix {
    axis rows, cols;
    kb_count_kind count;
    const kb_quote_list *quotes;
    kbi_pool strings;         /* values found on non-codebook axes */
    size_t *cell_at, *cell_n; /* rows x cols, into members */
    size_t *members;          /* quote indexes of each cell */
    size_t *counts, *row_totals, *col_totals, total;
};

static int axis_init(axis *a, const kb_quote_list *l, const char *name,
                     kb_error *err)
{
    memset(a, 0, sizeof *a);
    a->name = name;
    a->facet = l->nfacets;
    if (!strcmp(name, "dimension") || !strcmp(name, "theme") ||
        !strcmp(name, "concept"))
        a->code_kind = name;
    else if (!strncmp(name, "attr:", 5) && name[5])
        a->attr = name + 5;
    else if (strcmp(name, "speaker") && strcmp(name, "document")) {
        for (size_t k = 0; k < l->nfacets; k++)
            if (!strcmp(l->facets[k], name))
                a->facet = k;
        if (a->facet == l->nfacets)
            return kbi_fail(err, KB_EINVAL,
                            "unknown axis '%s' (dimension, theme, concept, a "
                            "facet, attr:NAME, speaker, document)",
                            name);
    }
    /* Codebook axes list every code, in codebook order. */
    for (size_t i = 0; i < l->ncodes; i++) {
        const code_row *c = &l->codes[i];
        int take = a->code_kind ? !strcmp(c->kind, a->code_kind)
                   : a->facet < l->nfacets
                       ? !strcmp(c->kind, "value") && c->parent &&
                             !strcmp(c->parent, l->facets[a->facet])
                       : 0;
        if (!take)
            continue;
        if (KBI_GROW(&a->keys, &a->cap, a->n + 1))
            return kbi_fail(err, KB_ENOMEM, "out of memory");
        a->keys[a->n++] = c->code;
    }
    return 0;
}

/* Calls fn for each value quote q has on axis a (a facet may give several,
 * and none is possible). */
static int each_value(const kb_matrix *m, const axis *a, const kb_quote_row *q,
                      int (*fn)(void *ctx, const char *v, size_t n), void *ctx)
{
    const char *v = NULL;
    if (a->code_kind)
        v = !strcmp(a->code_kind, "concept") ? q->concept
            : !strcmp(a->code_kind, "theme") ? q->theme
                                             : q->dimension;
    else if (a->attr)
        v = case_attr(m->quotes, q->case_id, a->attr);
    else if (!strcmp(a->name, "speaker"))
        v = q->speaker;
    else if (!strcmp(a->name, "document"))
        v = q->document;
    else if (q->facets)
        return each_listed(q->facets[a->facet], fn, ctx);
    return v ? fn(ctx, v, strlen(v)) : 0;
}

static size_t axis_place(const axis *a, const char *v, size_t n)
{
    for (size_t i = 0; i < a->n; i++) /* a code's id is its key: same address */
        if (a->keys[i] == v && !a->keys[i][n])
            return i;
    for (size_t i = 0; i < a->n; i++)
        if (strlen(a->keys[i]) == n && !memcmp(a->keys[i], v, n))
            return i;
    return a->n;
}

/* The place of value v[0..n) on axis a, or a->n, once the axis has all
 * its keys: the strings a list holds do not change, so the same address
 * and length are the same value. */
static size_t axis_find(axis *a, const char *v, size_t n)
{
    if (v == a->last && n == a->last_n)
        return a->last_at;
    size_t at = axis_place(a, v, n);
    a->last = v;
    a->last_n = n;
    a->last_at = at;
    return at;
}

typedef struct collect_ctx {
    axis *a;
    kbi_pool *pool;
} collect_ctx;

/* Adds a value found on a non-codebook axis. */
static int collect(void *ctx, const char *v, size_t n)
{
    collect_ctx *c = ctx;
    if (axis_place(c->a, v, n) < c->a->n)
        return 0;
    int fail = 0;
    char *s = kbi_pool_own(c->pool, strndup(v, n), &fail);
    if (fail || KBI_GROW(&c->a->keys, &c->a->cap, c->a->n + 1))
        return KB_ENOMEM;
    c->a->keys[c->a->n++] = s;
    return 0;
}

static int by_string(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The indexes of a quote's values on an axis, at most `max`. */
typedef struct index_ctx {
    axis *a;
    size_t v[16], n;
} index_ctx;

static int index_of(void *ctx, const char *v, size_t n)
{
    index_ctx *c = ctx;
    size_t i = axis_find(c->a, v, n);
    if (i < c->a->n && c->n < sizeof c->v / sizeof c->v[0])
        c->v[c->n++] = i;
    return 0;
}

/* The count over a set of quote indexes (without repeats). */
static size_t count_of(const kb_matrix *m, const size_t *q, size_t n)
{
    if (m->count == KB_COUNT_QUOTES)
        return n;
    if (m->count == KB_COUNT_WORDS) {
        size_t w = 0;
        for (size_t i = 0; i < n; i++)
            w += m->quotes->v[q[i]].words;
        return w;
    }
    /* distinct documents or cases: sort a copy of the names */
    const char **s = malloc((n ? n : 1) * sizeof *s);
    if (!s)
        return 0;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const kb_quote_row *r = &m->quotes->v[q[i]];
        const char *v =
            m->count == KB_COUNT_DOCUMENTS ? r->document : r->case_id;
        if (v)
            s[k++] = v;
    }
    qsort(s, k, sizeof *s, by_string);
    size_t distinct = 0;
    for (size_t i = 0; i < k; i++)
        distinct += !i || strcmp(s[i], s[i - 1]);
    free(s);
    return distinct;
}

/* Fills totals: rows, columns and all, each counting a quote once (a
 * quote with two values on an axis is in two cells of a row or column);
 * a mark per quote finds the distinct ones without sorting. */
static int totals(kb_matrix *m)
{
    size_t R = m->rows.n, C = m->cols.n, nq = m->quotes->n;
    size_t *buf = malloc((nq + 1) * sizeof *buf);
    unsigned char *seen = calloc(nq + 1, 1);
    if (!buf || !seen) {
        free(buf);
        free(seen);
        return KB_ENOMEM;
    }
    kbi_prefault(buf, nq * sizeof *buf);
    for (int pass = 0; pass < 3; pass++) { /* rows, columns, all */
        size_t outer = pass == 0 ? R : pass == 1 ? C : 1;
        size_t inner = pass == 0 ? C : pass == 1 ? R : R * C;
        for (size_t o = 0; o < outer; o++) {
            size_t n = 0;
            for (size_t i = 0; i < inner; i++) {
                size_t cell = pass == 0 ? o * C + i : pass == 1 ? i * C + o : i;
                const size_t *q = m->members + m->cell_at[cell];
                for (size_t k = 0; k < m->cell_n[cell]; k++)
                    if (!seen[q[k]]) {
                        seen[q[k]] = 1;
                        buf[n++] = q[k];
                    }
            }
            size_t count = count_of(m, buf, n);
            if (pass == 0)
                m->row_totals[o] = count;
            else if (pass == 1)
                m->col_totals[o] = count;
            else
                m->total = count;
            for (size_t k = 0; k < n; k++)
                seen[buf[k]] = 0;
        }
    }
    free(buf);
    free(seen);
    return 0;
}

static int fill_cells(kb_matrix *m)
{
    const kb_quote_list *l = m->quotes;
    size_t R = m->rows.n, C = m->cols.n, cells = R * C;
    m->cell_at = calloc(cells + 1, sizeof *m->cell_at);
    m->cell_n = calloc(cells + 1, sizeof *m->cell_n);
    m->counts = calloc(cells + 1, sizeof *m->counts);
    m->row_totals = calloc(R + 1, sizeof *m->row_totals);
    m->col_totals = calloc(C + 1, sizeof *m->col_totals);
    if (!m->cell_at || !m->cell_n || !m->counts || !m->row_totals ||
        !m->col_totals)
        return KB_ENOMEM;
    /* Two passes: sizes, then members (a cell's quotes in list order). */
    for (int pass = 0; pass < 2; pass++) {
        if (pass) {
            size_t at = 0;
            for (size_t c = 0; c < cells; c++) {
                m->cell_at[c] = at;
                at += m->cell_n[c];
                m->cell_n[c] = 0;
            }
            if (!(m->members = malloc((at + 1) * sizeof *m->members)))
                return KB_ENOMEM;
        }
        for (size_t i = 0; i < l->n; i++) {
            index_ctx r = {.a = &m->rows}, c = {.a = &m->cols};
            each_value(m, &m->rows, &l->v[i], index_of, &r);
            each_value(m, &m->cols, &l->v[i], index_of, &c);
            for (size_t a = 0; a < r.n; a++)
                for (size_t b = 0; b < c.n; b++) {
                    size_t cell = r.v[a] * C + c.v[b];
                    if (pass)
                        m->members[m->cell_at[cell] + m->cell_n[cell]] = i;
                    m->cell_n[cell]++;
                }
        }
    }
    for (size_t c = 0; c < cells; c++)
        m->counts[c] = count_of(m, m->members + m->cell_at[c], m->cell_n[c]);
    return totals(m);
}

static int axis_labels(axis *a, const kb_quote_list *l)
{
    if (!(a->labels = calloc(a->n + 1, sizeof *a->labels)))
        return KB_ENOMEM;
    for (size_t i = 0; i < a->n; i++) {
        const char *label = a->code_kind || a->facet < l->nfacets
                                ? kb_quote_list_label(l, a->keys[i])
                                : NULL;
        a->labels[i] = label ? label : a->keys[i];
    }
    return 0;
}

int kb_matrix_build(kb_matrix **out, const kb_quote_list *l, const char *rows,
                    const char *cols, kb_count_kind count, kb_error *err)
{
    *out = NULL;
    if (count < KB_COUNT_QUOTES || count > KB_COUNT_WORDS)
        return kbi_fail(err, KB_EINVAL, "unknown count");
    kb_matrix *m = calloc(1, sizeof *m);
    if (!m)
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    m->quotes = l;
    m->count = count;
    int rc;
    if ((rc = axis_init(&m->rows, l, rows, err)) ||
        (rc = axis_init(&m->cols, l, cols, err)))
        goto fail;
    axis *both[2] = {&m->rows, &m->cols};
    for (int k = 0; k < 2; k++) {
        axis *a = both[k];
        if (a->code_kind || a->facet < l->nfacets)
            continue; /* codebook axes are listed already */
        collect_ctx cc = {a, &m->strings};
        for (size_t i = 0; i < l->n && !rc; i++)
            rc = each_value(m, a, &l->v[i], collect, &cc);
        if (rc)
            goto nomem;
        qsort(a->keys, a->n, sizeof *a->keys, by_string);
    }
    if (axis_labels(&m->rows, l) || axis_labels(&m->cols, l) || fill_cells(m))
        goto nomem;
    *out = m;
    return 0;
nomem:
    rc = kbi_fail(err, KB_ENOMEM, "out of memory");
fail:
    kb_matrix_free(m);
    return rc;
}

size_t kb_matrix_rows(const kb_matrix *m)
{
    return m ? m->rows.n : 0;
}

size_t kb_matrix_cols(const kb_matrix *m)
{
    return m ? m->cols.n : 0;
}

const char *kb_matrix_row_key(const kb_matrix *m, size_t r)
{
    return r < m->rows.n ? m->rows.keys[r] : NULL;
}

const char *kb_matrix_row_label(const kb_matrix *m, size_t r)
{
    return r < m->rows.n ? m->rows.labels[r] : NULL;
}

const char *kb_matrix_col_key(const kb_matrix *m, size_t c)
{
    return c < m->cols.n ? m->cols.keys[c] : NULL;
}

const char *kb_matrix_col_label(const kb_matrix *m, size_t c)
{
    return c < m->cols.n ? m->cols.labels[c] : NULL;
}

size_t kb_matrix_cell(const kb_matrix *m, size_t r, size_t c)
{
    return r < m->rows.n && c < m->cols.n ? m->counts[r * m->cols.n + c] : 0;
}

size_t kb_matrix_row_total(const kb_matrix *m, size_t r)
{
    return r < m->rows.n ? m->row_totals[r] : 0;
}

size_t kb_matrix_col_total(const kb_matrix *m, size_t c)
{
    return c < m->cols.n ? m->col_totals[c] : 0;
}

size_t kb_matrix_total(const kb_matrix *m)
{
    return m ? m->total : 0;
}

size_t kb_matrix_cell_quotes(const kb_matrix *m, size_t r, size_t c,
                             const size_t **quotes)
{
    if (r >= m->rows.n || c >= m->cols.n) {
        *quotes = NULL;
        return 0;
    }
    size_t cell = r * m->cols.n + c;
    *quotes = m->members + m->cell_at[cell];
    return m->cell_n[cell];
}

void kb_matrix_free(kb_matrix *m)
{
    if (!m)
        return;
    free(m->rows.keys);
    free(m->rows.labels);
    free(m->cols.keys);
    free(m->cols.labels);
    kbi_pool_free(&m->strings);
    free(m->cell_at);
    free(m->cell_n);
    free(m->members);
    free(m->counts);
    free(m->row_totals);
    free(m->col_totals);
    free(m);
}
