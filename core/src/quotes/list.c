/*
 * list.c: the quote list as a container: the run's codes and concepts
 * looked up, a row added and its codes placed, the document versions and
 * the run's codebook read, and the list's getters and kb_quote_list_free.
 * What the list holds is in list.h; how it is filled, in
 * project_quotes.c.
 */
#include "quotes/list.h"
#include "codebook/codebook.h"
#include "engine/engine.h"
#include "base/controls.h"
#include "base/error.h"
#include "base/grow.h"
#include "store/project.h"
#include "store/runs.h"
#include "store/store.h"

#include <stdlib.h>
#include <string.h>

const kbi_code_row *kbi_quote_list_find_code(const kb_quote_list *l,
                                             const char *kind, const char *code)
{
    for (size_t i = 0; code && i < l->ncodes; i++)
        if (!strcmp(l->codes[i].code, code) && !strcmp(l->codes[i].kind, kind))
            return &l->codes[i];
    return NULL;
}

static int by_concept_id(const void *a, const void *b)
{
    return strcmp(((const kbi_concept_ix *)a)->concept->code,
                  ((const kbi_concept_ix *)b)->concept->code);
}

/* Indexes the run's concepts by id, each with its theme and dimension. */
int kbi_quote_list_index_concepts(kb_quote_list *l, kb_error *err)
{
    if (!(l->concepts = calloc(l->ncodes + 1, sizeof *l->concepts)))
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    for (size_t i = 0; i < l->ncodes; i++) {
        const kbi_code_row *c = &l->codes[i];
        if (strcmp(c->kind, "concept"))
            continue;
        const kbi_code_row *t = kbi_quote_list_find_code(l, "theme", c->parent);
        l->concepts[l->nconcepts] = (kbi_concept_ix){
            c, t,
            t ? kbi_quote_list_find_code(l, "dimension", t->parent) : NULL, i,
            l->nconcepts};
        l->nconcepts++;
    }
    kbi_sort(l->concepts, l->nconcepts, sizeof *l->concepts, by_concept_id);
    return 0;
}

const kbi_concept_ix *kbi_quote_list_find_concept(const kb_quote_list *l,
                                                  const char *id)
{
    kbi_code_row key = {.code = (char *)id};
    kbi_concept_ix k = {.concept = &key};
    return bsearch(&k, l->concepts, l->nconcepts, sizeof k, by_concept_id);
}

const char *kb_quote_list_label(const kb_quote_list *l, const char *code)
{
    for (size_t i = 0; code && i < l->ncodes; i++)
        if (!strcmp(l->codes[i].code, code))
            return l->codes[i].label;
    return NULL;
}

int kbi_quote_list_load_codes(kb_quote_list *l, kb_project *p, int64_t run,
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
        kbi_code_row *c = &l->codes[l->ncodes++];
        c->kind = (char *)kbi_store_keep(&l->strings, st, 0, &fail);
        c->code = (char *)kbi_store_keep(&l->strings, st, 1, &fail);
        c->parent = (char *)kbi_store_keep(&l->strings, st, 2, &fail);
        c->label = (char *)kbi_store_keep(&l->strings, st, 3, &fail);
        /* a label stored before codebooks were checked for control
         * characters is shown with them as \xHH */
        if (!fail && c->label &&
            kbi_control_at(c->label, strlen(c->label), 0) < strlen(c->label))
            c->label = kbi_pool_own(&l->strings,
                                    kbi_escape_controls(c->label, 0), &fail);
        if (!fail && !strcmp(c->kind, "facet"))
            l->nfacets++;
    }
    if (fail) {
        sqlite3_finalize(st);
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    }
    if ((rc = kbi_store_finish(st, p->db, "the run's codes", err)))
        return rc;
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
int kbi_quote_list_place_code(kb_quote_list *l, size_t i, const char *kind,
                              const char *code, const kb_quote_filter *f)
{
    kb_quote_row *q = &l->v[i];
    const kbi_code_row *c = NULL, *t = NULL, *d = NULL;
    size_t ord = l->ncodes;
    if (!strcmp(kind, "concept")) {
        /* codings come in runs of one concept, kept once (same address) */
        const kbi_concept_ix *ix = l->last && l->last->concept->code == code
                                       ? l->last
                                       : kbi_quote_list_find_concept(l, code);
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
        if ((t = kbi_quote_list_find_code(l, "theme", code)))
            d = kbi_quote_list_find_code(l, "dimension", t->parent);
    } else {
        d = kbi_quote_list_find_code(l, "dimension", code);
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

/* Quotes given room for their facet values at a time. */
#define SLOT_BLOCK 65536

/* Room for one more quote, zeroed, with room for its facet values: its
 * own, so they move with it when the quotes are sorted. A row given back
 * (not counted in l->n) keeps its room for the next. */
kb_quote_row *kbi_quote_list_add_row(kb_quote_list *l)
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
    int64_t x = ((const kbi_version_ix *)a)->id,
            y = ((const kbi_version_ix *)b)->id;
    return (x > y) - (x < y);
}

/* Every document version with its name, ordered by id. */
int kbi_quote_list_load_versions(kb_quote_list *l, kb_project *p, kb_error *err)
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
        kbi_version_ix *v = &l->versions[l->nversions++];
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

const kbi_version_ix *kbi_quote_list_find_version(const kb_quote_list *l,
                                                  int64_t id)
{
    kbi_version_ix key = {.id = id};
    return bsearch(&key, l->versions, l->nversions, sizeof key, by_version_id);
}

/* The run's codebook, read once from the copy the run stored. */
int kbi_quote_list_codebook(kb_quote_list *l, kb_project *p, int64_t run,
                            kb_error *err)
{
    if (l->cb)
        return 0;
    unsigned char *raw;
    size_t len;
    char *path;
    int rc = kbi_runs_codebook(p, run, &run, &raw, &len, &path, err);
    if (!rc)
        rc = kbi_codebook_parse_run(&l->cb, raw, len, path, err);
    free(raw);
    free(path);
    return rc;
}

size_t kb_quote_list_count(const kb_quote_list *l)
{
    return l ? l->n : 0;
}

const char *kb_quote_code(const kb_quote_row *q, kb_code_kind *kind)
{
    kb_code_kind k = q->concept ? KB_CODE_CONCEPT
                     : q->theme ? KB_CODE_THEME
                                : KB_CODE_DIMENSION;
    if (kind)
        *kind = k;
    return k == KB_CODE_CONCEPT ? q->concept
           : k == KB_CODE_THEME ? q->theme
                                : q->dimension;
}

const kb_quote_row *kb_quote_list_get(const kb_quote_list *l, size_t i)
{
    return l && i < l->n ? &l->v[i] : NULL;
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
    free(l->reviews);
    free(l->doc_ranks);
    kbi_slots_free(&l->groups);
    kbi_engine_free(l->rules);
    kb_codebook_free(l->cb);
    free(l->case_ix);
    free(l->attrs);
    kb_case_list_free(l->cases);
    free(l);
}
