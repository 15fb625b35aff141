/*
 * run.c: coding runs, incrementally.
 *
 * A coding row is alive from run `from_run` while `to_run` is NULL; a run
 * that removes it sets `to_run` to the previous run, so "the codings of run
 * R" are those with from_run <= R and (to_run IS NULL or to_run >= R). A new
 * run therefore writes only what changed:
 * - concepts whose rules hash differs from the previous run's (or that are
 *   new) are matched again on every current document version;
 * - document versions the previous run did not cover (new or changed
 *   documents) are matched with every concept;
 * - codings of removed concepts and of replaced versions are closed;
 * - for a concept matched again, quotes found before and now are kept as
 *   they are, so `kodbok diff` shows only real gains and losses.
 * Facet values are computed when a coding is made, and again for every
 * alive coding when the facets' rules change. Everything happens in one
 * transaction; a dry run rolls it back after counting. Documents are
 * matched on `jobs` worker threads, each with an engine of its own, while
 * the main thread reads the next ones and stores what the last ones gave
 * (code_all's pipeline); SQLite is used by the main thread only.
 */
#include "codebook/codebook.h"
#include "coding/diff.h"
#include "store/codings.h"
#include "engine/engine.h"
#include "base/error.h"
#include "base/grow.h"
#include "base/hash.h"
#include "store/project.h"
#include "store/store.h"
#include "base/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <time.h>

/* Case attributes, for the facets' attribute fallback. */
typedef struct case_attr {
    char *case_id, *name, *value;
} case_attr;

/* Facet values worked out per segment of the document being settled. */
typedef struct facet_value {
    const char *facet, *value;
    int source; /* kbi_fsource */
} facet_value;
typedef struct memo_slot {
    uint32_t gen;   /* worked out for the document of this generation */
    uint32_t at, n; /* its values in vals */
} memo_slot;
typedef struct facet_memo {
    memo_slot *slots[3]; /* by kind, by segment index */
    size_t cap[3];
    uint32_t gen; /* the document's: slots of older ones are stale */
    facet_value *vals;
    size_t nvals, capvals;
} facet_memo;

typedef struct run_ctx {
    kb_project *p;
    const kb_codebook *cb;
    const kb_code_options *o;
    kbi_engine *engine; /* for facets and locating, in the main thread */
    int few;            /* few concepts changed: locate them by literals */
    kbi_engine *engines[KB_MAX_JOBS]; /* one per worker */
    size_t njobs;
    int64_t run, prev;
    const char *codebook_path;
    size_t ndocs;           /* current documents */
    unsigned char *changed; /* per node: concept rules changed or new */
    int facets_changed;
    char cases_hash[65]; /* see cases_hash() */
    case_attr *attrs;
    size_t nattrs, capattrs;
    kb_run_summary *sum;
    kb_error *err;
    int strict_fail;
    char strict_msg[600];
    sqlite3_stmt *alive; /* the packs with alive codings of a quote */
    kbi_packw w;
    struct old_pack *old; /* packs read back to be changed */
    size_t capold;
    struct alive_ref *refs; /* their alive codings */
    size_t caprefs;
    kbi_cpack fresh; /* the codings a run makes on one version and concept */
    facet_memo memo;
} run_ctx;

/* A pack read back to be changed. */
typedef struct old_pack {
    int64_t id, version, from_run;
    char *concept;
    kbi_cpack p;
    int dirty;
} old_pack;

/* An alive coding of an old pack, in segment order. */
typedef struct alive_ref {
    int64_t segment;
    size_t pack, entry;
    int seen;
} alive_ref;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int step(run_ctx *c, sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW
               ? 0
               : kbi_store_fail(c->err, c->p->db, "storing codings");
}

/* ------------------------------------------------------------------------ */
/* Packs read back                                                           */
/* ------------------------------------------------------------------------ */

/* Room for n packs read back. */
static int old_pack_room(run_ctx *c, size_t n)
{
    size_t cap = c->capold;
    if (n <= cap)
        return 0;
    if (KBI_GROW(&c->old, &cap, n))
        return kbi_fail(c->err, KB_ENOMEM, "out of memory");
    memset(c->old + c->capold, 0, (cap - c->capold) * sizeof *c->old);
    c->capold = cap;
    return 0;
}

/* Reads the row of st (id, version_id, from_run, concept, codings) into
 * c->old[i]. */
static int old_pack_read(run_ctx *c, sqlite3_stmt *st, size_t i)
{
    int rc = old_pack_room(c, i + 1);
    if (rc)
        return rc;
    old_pack *o = &c->old[i];
    o->id = sqlite3_column_int64(st, 0);
    o->version = sqlite3_column_int64(st, 1);
    o->from_run = sqlite3_column_int64(st, 2);
    o->dirty = 0;
    free(o->concept);
    if (!(o->concept = kbi_store_strdup(st, 3)))
        return kbi_fail(c->err, KB_ENOMEM, "out of memory");
    return kbi_cpack_decode(&o->p, sqlite3_column_blob(st, 4),
                            (size_t)sqlite3_column_bytes(st, 4), c->err);
}

/*
 * Reads the packs `sql` selects (id, version_id, from_run, concept,
 * codings; ?1 = a, ?2 = b, ?3 = s) into c->old[0..*n), all before any is
 * written back, with one more slot free for the caller.
 */
static int read_packs(run_ctx *c, const char *sql, int64_t a, int64_t b,
                      const char *s, size_t *n)
{
    *n = 0;
    sqlite3_stmt *st;
    int rc = kbi_store_prepare(c->p->db, &st, sql, c->err);
    if (rc)
        return rc;
    int params = sqlite3_bind_parameter_count(st);
    if (params >= 1)
        sqlite3_bind_int64(st, 1, a);
    if (params >= 2)
        sqlite3_bind_int64(st, 2, b);
    if (params >= 3)
        sqlite3_bind_text(st, 3, s, -1, SQLITE_STATIC);
    while (!rc && sqlite3_step(st) == SQLITE_ROW)
        rc = old_pack_read(c, st, (*n)++);
    if (!rc)
        rc = old_pack_room(c, *n + 1);
    sqlite3_finalize(st);
    return rc;
}

/* Appends coding i of `from`, with its facet values, to `to`. */
static int copy_coding(run_ctx *c, kbi_cpack *to, const kbi_cpack *from,
                       size_t i)
{
    const kbi_centry *e = &from->v[i];
    int rc =
        kbi_cpack_add(to, e->segment, e->mstart, e->mend, e->to_run, c->err);
    for (size_t k = 0; k < e->fn && !rc; k++) {
        const kbi_cfacet *f = &from->f[e->fat + k];
        rc = kbi_cpack_facet(to, f->facet, f->value, f->source, c->err);
    }
    return rc;
}

/* Sets to_run on every alive coding of the packs `sql` selects (as
 * read_packs, ?1 = the previous run, ?2 = this run): they are lost. */
static int close_packs(run_ctx *c, const char *sql)
{
    size_t n;
    int rc = read_packs(c, sql, c->prev, c->run, NULL, &n);
    for (size_t k = 0; k < n && !rc; k++) {
        kbi_cpack *p = &c->old[k].p;
        for (size_t i = 0; i < p->n; i++)
            if (!p->v[i].to_run) {
                p->v[i].to_run = c->prev;
                c->sum->lost++;
            }
        rc = kbi_packw_update(&c->w, c->old[k].id, p, c->err);
    }
    return rc;
}

/* ------------------------------------------------------------------------ */
/* What changed since the previous run                                       */
/* ------------------------------------------------------------------------ */

/*
 * A hash of what facet values fall back on: every case attribute, and the
 * case of every speaker of a current version. Kept with each run (as the
 * run_codes row kind 'cases'), so that a re-loaded cases CSV or a new
 * mapping sets the facets of alive codings again.
 */
static int cases_hash(run_ctx *c, char hex[65])
{
    static const char *const sql[] = {
        "SELECT c.name || '\x1f' || a.name || '\x1f' || a.value FROM cases c"
        " JOIN case_attributes a ON a.case_id = c.id ORDER BY c.name, a.name",
        "SELECT s.id || '\x1f' || COALESCE(c.name, '') FROM speakers s JOIN"
        " versions v ON v.id = s.version_id JOIN documents d ON d.id ="
        " v.document_id AND d.current_version = v.version LEFT JOIN cases c"
        " ON c.id = s.case_id ORDER BY s.id",
        "SELECT d.name || '\x1f' || COALESCE(c.name, '') FROM documents d"
        " LEFT JOIN cases c ON c.id = d.case_id ORDER BY d.name",
    };
    kbi_sha256 h;
    kbi_sha256_init(&h);
    for (size_t q = 0; q < sizeof sql / sizeof sql[0]; q++) {
        sqlite3_stmt *st;
        int rc = kbi_store_prepare(c->p->db, &st, sql[q], c->err);
        if (rc) {
            kbi_sha256_hex(&h, hex);
            return rc;
        }
        while (sqlite3_step(st) == SQLITE_ROW) {
            const unsigned char *t = sqlite3_column_text(st, 0);
            kbi_sha256_update(&h, t ? (const char *)t : "",
                              t ? strlen((const char *)t) + 1 : 1);
        }
        sqlite3_finalize(st);
        kbi_sha256_update(&h, "\x1e", 1);
    }
    return kbi_sha256_hex(&h, hex)
               ? kbi_fail(c->err, KB_ENOMEM, "out of memory")
               : 0;
}

/*
 * Moves the alive codings of concept `was` to `id` (none after the run that
 * renamed it) and sets *compare_as to `was`, whose rules hash the previous
 * run has if it is the run before the rename.
 */
static int rename_concept(run_ctx *c, const char *was, const char *id,
                          const char **compare_as)
{
    size_t n;
    int rc = read_packs(c,
                        "SELECT id, version_id, from_run, concept, codings"
                        " FROM coding_packs WHERE concept = ?3 AND to_run IS"
                        " NULL",
                        0, 0, was, &n);
    for (size_t k = 0; k < n && !rc; k++) {
        /* the alive codings move to a pack of the new id; the others stay
         * with the old one, as they were */
        old_pack *o = &c->old[k];
        kbi_cpack *moved = &c->fresh, *kept = &c->old[n].p;
        kbi_cpack_reset(moved);
        kbi_cpack_reset(kept);
        for (size_t i = 0; i < o->p.n && !rc; i++)
            rc = copy_coding(c, o->p.v[i].to_run ? kept : moved, &o->p, i);
        if (!rc)
            rc = kbi_packw_insert(&c->w, o->version, id, o->from_run, moved,
                                  c->err);
        if (!rc)
            rc = kbi_packw_update(&c->w, o->id, kept, c->err);
    }
    *compare_as = was;
    return rc;
}

/*
 * Moves the manual codings (tags and review decisions) of every node
 * renamed with `was: old-id` to its new id, when the old id is gone. A
 * coder who has the new id on the same passage already keeps that one.
 */
static int rename_manual(run_ctx *c)
{
    const kb_codebook *cb = c->cb;
    sqlite3_stmt *st = NULL;
    int rc = kbi_store_prepare(c->p->db, &st,
                               "UPDATE OR IGNORE manual_codings SET code = ?1"
                               " WHERE kind = ?3 AND code = ?2",
                               c->err);
    for (size_t i = 0; !rc && i < cb->n; i++) {
        const kb_code_info *ci = &cb->nodes[i].info;
        if (!ci->was ||
            (ci->kind != KB_CODE_CONCEPT && ci->kind != KB_CODE_THEME &&
             ci->kind != KB_CODE_DIMENSION) ||
            kb_codebook_find(cb, ci->kind, ci->was) != KB_NO_INDEX)
            continue;
        sqlite3_bind_text(st, 1, ci->id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, ci->was, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, kb_code_kind_name(ci->kind), -1,
                          SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = kbi_store_fail(c->err, c->p->db, "renaming manual codings");
        sqlite3_reset(st);
    }
    if (st)
        sqlite3_finalize(st);
    return rc;
}

static int compare_codebooks(run_ctx *c)
{
    const kb_codebook *cb = c->cb;
    c->changed = calloc(cb->n ? cb->n : 1, 1);
    if (!c->changed)
        return kbi_fail(c->err, KB_ENOMEM, "out of memory");
    sqlite3_stmt *st;
    int rc = kbi_store_prepare(c->p->db, &st,
                               "SELECT rules_hash FROM run_codes WHERE run_id ="
                               " ?1 AND kind = ?2 AND code = ?3",
                               c->err);
    if (rc)
        return rc;
    for (size_t i = 0; i < cb->n; i++) {
        const kb_code_info *ci = &cb->nodes[i].info;
        if (ci->kind != KB_CODE_CONCEPT && ci->kind != KB_CODE_VALUE &&
            ci->kind != KB_CODE_FACET)
            continue;
        /* A concept renamed with `was: old-id` is compared with, and takes
         * over the codings of, its old id when that is gone. */
        const char *id = ci->id;
        if (ci->kind == KB_CODE_CONCEPT && ci->was &&
            kb_codebook_find(cb, KB_CODE_CONCEPT, ci->was) == KB_NO_INDEX &&
            (rc = rename_concept(c, ci->was, ci->id, &id)))
            break;
        sqlite3_bind_int64(st, 1, c->prev);
        sqlite3_bind_text(st, 2, kb_code_kind_name(ci->kind), -1,
                          SQLITE_STATIC);
        sqlite3_bind_text(st, 3, id, -1, SQLITE_STATIC);
        const char *want =
            ci->kind == KB_CODE_FACET ? ci->attribute : ci->rules_hash;
        int found = sqlite3_step(st) == SQLITE_ROW;
        if (!found && id != ci->id) {
            /* renamed in an earlier run: the previous run knew the new id */
            sqlite3_reset(st);
            sqlite3_bind_text(st, 3, ci->id, -1, SQLITE_STATIC);
            found = sqlite3_step(st) == SQLITE_ROW;
        }
        int same = found &&
                   ((sqlite3_column_type(st, 0) == SQLITE_NULL && !want) ||
                    (want && sqlite3_column_text(st, 0) &&
                     !strcmp((const char *)sqlite3_column_text(st, 0), want)));
        sqlite3_reset(st);
        if (ci->kind == KB_CODE_CONCEPT) {
            c->changed[i] = !same;
            c->sum->concepts_new += !found;
        } else if (!same)
            c->facets_changed = 1;
    }
    sqlite3_finalize(st);
    if (rc)
        return rc;
    /* Changed cases or mappings change the facets that fall back on them. */
    if ((rc = cases_hash(c, c->cases_hash)))
        return rc;
    if ((rc =
             kbi_store_prepare(c->p->db, &st,
                               "SELECT rules_hash FROM run_codes WHERE run_id ="
                               " ? AND kind = 'cases'",
                               c->err)))
        return rc;
    sqlite3_bind_int64(st, 1, c->prev);
    if (sqlite3_step(st) != SQLITE_ROW ||
        strcmp((const char *)sqlite3_column_text(st, 0), c->cases_hash))
        c->facets_changed = 1;
    sqlite3_finalize(st);
    /* A facet or value that is gone also changes the facets. */
    if (c->prev && !c->facets_changed) {
        if ((rc =
                 kbi_store_prepare(c->p->db, &st,
                                   "SELECT kind, code FROM run_codes WHERE"
                                   " run_id = ? AND kind IN ('facet', 'value')",
                                   c->err)))
            return rc;
        sqlite3_bind_int64(st, 1, c->prev);
        while (sqlite3_step(st) == SQLITE_ROW) {
            const char *kind = (const char *)sqlite3_column_text(st, 0);
            const char *code = (const char *)sqlite3_column_text(st, 1);
            if (kb_codebook_find(
                    cb, !strcmp(kind, "facet") ? KB_CODE_FACET : KB_CODE_VALUE,
                    code) == KB_NO_INDEX)
                c->facets_changed = 1;
        }
        sqlite3_finalize(st);
    }
    return 0;
}

static int snapshot_codebook(run_ctx *c)
{
    sqlite3_stmt *st;
    int rc = kbi_store_prepare(
        c->p->db, &st,
        "INSERT INTO run_codes(run_id, ord, kind, code, parent, label,"
        " rules_hash) VALUES(?, ?, ?, ?, ?, ?, ?)",
        c->err);
    if (rc)
        return rc;
    for (size_t i = 0; i < c->cb->n && !rc; i++) {
        const kb_code_info *ci = &c->cb->nodes[i].info;
        sqlite3_bind_int64(st, 1, c->run);
        sqlite3_bind_int64(st, 2, (int64_t)i);
        sqlite3_bind_text(st, 3, kb_code_kind_name(ci->kind), -1,
                          SQLITE_STATIC);
        sqlite3_bind_text(st, 4, ci->id, -1, SQLITE_STATIC);
        if (ci->parent != KB_NO_INDEX)
            sqlite3_bind_text(st, 5, c->cb->nodes[ci->parent].info.id, -1,
                              SQLITE_STATIC);
        sqlite3_bind_text(st, 6, ci->label, -1, SQLITE_STATIC);
        /* a facet records its attribute, so a new attribute is a change */
        sqlite3_bind_text(
            st, 7, ci->kind == KB_CODE_FACET ? ci->attribute : ci->rules_hash,
            -1, SQLITE_STATIC);
        rc = step(c, st);
    }
    if (!rc) {
        sqlite3_bind_int64(st, 1, c->run);
        sqlite3_bind_int64(st, 2, (int64_t)c->cb->n);
        sqlite3_bind_text(st, 3, "cases", -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, "*", -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 6, "cases and mappings", -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 7, c->cases_hash, -1, SQLITE_STATIC);
        rc = step(c, st);
    }
    sqlite3_finalize(st);
    return rc;
}

/* Closes codings of concepts no longer in the codebook, and of versions
 * that are no longer current. Runs after snapshot_codebook, so both the
 * previous run's concepts and this run's are in run_codes. */
static int close_removed(run_ctx *c)
{
    sqlite3_stmt *st;
    int rc = kbi_store_prepare(
        c->p->db, &st,
        "SELECT EXISTS (SELECT code FROM run_codes WHERE run_id = ?1 AND"
        " kind = 'concept' EXCEPT SELECT code FROM run_codes WHERE run_id ="
        " ?2 AND kind = 'concept')",
        c->err);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, c->prev);
    sqlite3_bind_int64(st, 2, c->run);
    int removed = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    /* Looked at only when a concept went: it reads every alive pack. */
    if (removed &&
        (rc = close_packs(c, "SELECT id, version_id, from_run, concept,"
                             " codings FROM coding_packs WHERE to_run IS NULL"
                             " AND concept IN (SELECT code FROM run_codes"
                             " WHERE run_id = ?1 AND kind = 'concept' EXCEPT"
                             " SELECT code FROM run_codes WHERE run_id = ?2"
                             " AND kind = 'concept')")))
        return rc;
    return close_packs(c, "SELECT id, version_id, from_run, concept, codings"
                          " FROM coding_packs WHERE to_run IS NULL AND"
                          " version_id IN (SELECT v.id FROM versions v JOIN"
                          " documents d ON d.id = v.document_id AND"
                          " v.version <> d.current_version)");
}

/* ------------------------------------------------------------------------ */
/* Facets                                                                    */
/* ------------------------------------------------------------------------ */

static int load_case_attrs(run_ctx *c)
{
    sqlite3_stmt *st;
    int rc = kbi_store_prepare(c->p->db, &st,
                               "SELECT c.name, a.name, a.value FROM cases c"
                               " JOIN case_attributes a ON a.case_id = c.id",
                               c->err);
    if (rc)
        return rc;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (KBI_GROW(&c->attrs, &c->capattrs, c->nattrs + 1)) {
            sqlite3_finalize(st);
            return kbi_fail(c->err, KB_ENOMEM, "out of memory");
        }
        case_attr *a = &c->attrs[c->nattrs++];
        a->case_id = kbi_store_strdup(st, 0);
        a->name = kbi_store_strdup(st, 1);
        a->value = kbi_store_strdup(st, 2);
    }
    sqlite3_finalize(st);
    return 0;
}

static const char *case_attr_value(run_ctx *c, const char *case_id,
                                   const char *name)
{
    if (!case_id || !name)
        return NULL;
    for (size_t i = 0; i < c->nattrs; i++)
        if (c->attrs[i].case_id && !strcmp(c->attrs[i].case_id, case_id) &&
            c->attrs[i].name && !strcmp(c->attrs[i].name, name))
            return c->attrs[i].value;
    return NULL;
}

/* Appends one facet value of a segment to the memo's pool. */
static int memo_value(run_ctx *c, const char *facet, const char *value,
                      const char *source)
{
    facet_memo *m = &c->memo;
    if (KBI_GROW(&m->vals, &m->capvals, m->nvals + 1))
        return kbi_fail(c->err, KB_ENOMEM, "out of memory");
    m->vals[m->nvals++] =
        (facet_value){facet, value, kbi_fsource_parse(source)};
    return 0;
}

/* A segment whose facet values are being worked out. */
typedef struct facet_call {
    run_ctx *c;
    const char *case_id;
} facet_call;

static const char *call_attr(void *ctx, const char *name)
{
    facet_call *fc = ctx;
    return case_attr_value(fc->c, fc->case_id, name);
}

static int call_value(void *ctx, const char *facet, const char *value,
                      const char *source)
{
    return memo_value(((facet_call *)ctx)->c, facet, value, source);
}

/* The facet values of segment s by the precedence rule (docs/codebook.md),
 * appended to the memo's pool. Runs leave manual facet tags to the readers
 * of quotes (aggregate.c). */
static int segment_facets(run_ctx *c, const kb_segment *s, uint64_t values)
{
    facet_call fc = {c, s->case_id};
    return kbi_engine_facets(c->engine, s->text, s->text_len, values, call_attr,
                             call_value, &fc);
}

/* Forgets the segments of the previous document, and makes room for
 * those of doc: a new generation, so that no slot is cleared and a re-run
 * that codes a few segments of a large document touches only theirs. */
static int memo_reset(run_ctx *c, const kb_document *doc)
{
    facet_memo *m = &c->memo;
    m->nvals = 0;
    if (!++m->gen) { /* wrapped: forget every slot */
        for (int k = 0; k < 3; k++)
            if (m->cap[k])
                memset(m->slots[k], 0, m->cap[k] * sizeof *m->slots[k]);
        m->gen = 1;
    }
    /* Every slot is stale now, so a kind that needs more of them gets a
     * fresh zeroed array: calloc's pages are faulted in only where a slot
     * is used, not all at once as clearing them would. */
    for (int k = 0; k < 3; k++) {
        size_t n = kb_document_segment_count(doc, (kb_segment_kind)(k + 1));
        if (n <= m->cap[k])
            continue;
        free(m->slots[k]);
        size_t cap = m->cap[k] ? m->cap[k] : 1024;
        while (cap < n)
            cap *= 2;
        if (!(m->slots[k] = calloc(cap, sizeof *m->slots[k]))) {
            m->cap[k] = 0;
            return kbi_fail(c->err, KB_ENOMEM, "out of memory");
        }
        m->cap[k] = cap;
    }
    return 0;
}

/* The memo's slot for segment `index` of `kind` in doc, computing its
 * values the first time. Many concepts code the same segment; its facets
 * are worked out once, and the segment itself is read only then. */
static int memo_find(run_ctx *c, const kb_document *doc, kb_segment_kind kind,
                     size_t index, uint64_t values, memo_slot **out)
{
    facet_memo *m = &c->memo;
    memo_slot *slot = &m->slots[kind - 1][index];
    if (slot->gen != m->gen) {
        const kb_segment *s = kb_document_segment(doc, kind, index);
        if (!s)
            return kbi_fail(c->err, KB_EDB, "segment index out of range");
        size_t at = m->nvals;
        int rc = segment_facets(c, s, values);
        if (rc)
            return rc;
        *slot = (memo_slot){m->gen, (uint32_t)at, (uint32_t)(m->nvals - at)};
    }
    *out = slot;
    return 0;
}

/* Gives the last coding of p the facet values of its segment (`index` of
 * `kind` in doc); `values` as a quote has them (engine.h), or 0. */
static int code_facets(run_ctx *c, kbi_cpack *p, const kb_document *doc,
                       kb_segment_kind kind, size_t index, uint64_t values)
{
    memo_slot *slot = NULL;
    int rc = memo_find(c, doc, kind, index, values, &slot);
    for (size_t i = 0; !rc && i < slot->n; i++) {
        const facet_value *v = &c->memo.vals[slot->at + i];
        rc = kbi_cpack_facet(p, v->facet, v->value, v->source, c->err);
    }
    return rc;
}

/* ------------------------------------------------------------------------ */
/* Matching one document version                                             */
/* ------------------------------------------------------------------------ */

typedef struct limit_ctx {
    run_ctx *c;
    const char *doc;
} limit_ctx;

static void on_limit(void *ctx, const kbi_limit_hit *h)
{
    limit_ctx *l = ctx;
    run_ctx *c = l->c;
    char msg[600];
    snprintf(msg, sizeof msg,
             "%s:%zu: pattern '%s' of concept '%s' hit the match limit in a "
             "%s; it counts as no match there",
             l->doc, h->start, h->pattern, c->cb->nodes[h->concept].info.id,
             kb_segment_kind_name(h->kind));
    c->sum->limit_hits++;
    if (c->o->strict) { /* the error will say it, once */
        if (!c->strict_fail)
            snprintf(c->strict_msg, sizeof c->strict_msg, "%s", msg);
        c->strict_fail = 1;
    } else if (c->o->notice) {
        c->o->notice(c->o->ctx, msg);
    }
}

static int by_segment(const void *x, const void *y)
{
    const alive_ref *a = x, *b = y;
    if (a->segment != b->segment)
        return a->segment < b->segment ? -1 : 1;
    if (a->pack != b->pack)
        return a->pack < b->pack ? -1 : 1;
    return (a->entry > b->entry) - (a->entry < b->entry);
}

/* Brings the alive codings of one concept on one version to `quotes`:
 * new ones go into a new pack of this run, lost ones get their to_run. */
static int settle_concept(run_ctx *c, int64_t vid, size_t ci,
                          const kb_document *doc, const kbi_quote *q, size_t nq)
{
    const char *concept = c->cb->nodes[ci].info.id;
    size_t nold = 0, na = 0;
    int rc = 0;
    sqlite3_bind_int64(c->alive, 1, vid);
    sqlite3_bind_text(c->alive, 2, concept, -1, SQLITE_STATIC);
    while (!rc && sqlite3_step(c->alive) == SQLITE_ROW)
        rc = old_pack_read(c, c->alive, nold++);
    sqlite3_reset(c->alive);
    for (size_t k = 0; k < nold && !rc; k++)
        for (size_t i = 0; i < c->old[k].p.n && !rc; i++) {
            if (c->old[k].p.v[i].to_run)
                continue;
            if (KBI_GROW(&c->refs, &c->caprefs, na + 1))
                rc = kbi_fail(c->err, KB_ENOMEM, "out of memory");
            else
                c->refs[na++] = (alive_ref){c->old[k].p.v[i].segment, k, i, 0};
        }
    if (nold > 1)
        qsort(c->refs, na, sizeof *c->refs, by_segment);
    /* Both lists are in segment order. */
    alive_ref *alive = c->refs;
    kbi_cpack *fresh = &c->fresh;
    kbi_cpack_reset(fresh);
    size_t a = 0;
    for (size_t k = 0; k < nq && !rc; k++) {
        if (q[k].segment >= kb_document_segment_count(doc, q[k].kind)) {
            rc = kbi_fail(c->err, KB_EDB, "segment index out of range");
            break;
        }
        int64_t seg =
            kbi_segment_id(kbi_document_first_segment(doc),
                           kb_document_info(doc), q[k].kind, q[k].segment);
        while (a < na && alive[a].segment < seg)
            a++;
        if (a < na && alive[a].segment == seg) {
            alive[a++].seen = 1;
            continue;
        }
        if (fresh->n == KBI_CPACK_MAX) {
            if ((rc = kbi_packw_insert(&c->w, vid, concept, c->run, fresh,
                                       c->err)))
                break;
            kbi_cpack_reset(fresh);
        }
        if ((rc = kbi_cpack_add(fresh, seg, (int64_t)q[k].mstart,
                                (int64_t)q[k].mend, 0, c->err)))
            break;
        c->sum->gained++;
        rc = code_facets(c, fresh, doc, q[k].kind, q[k].segment, q[k].values);
    }
    if (!rc)
        rc = kbi_packw_insert(&c->w, vid, concept, c->run, fresh, c->err);
    for (size_t k = 0; k < na && !rc; k++) {
        if (alive[k].seen)
            continue;
        old_pack *o = &c->old[alive[k].pack];
        o->p.v[alive[k].entry].to_run = c->prev;
        o->dirty = 1;
        c->sum->lost++;
    }
    for (size_t k = 0; k < nold && !rc; k++)
        if (c->old[k].dirty)
            rc = kbi_packw_update(&c->w, c->old[k].id, &c->old[k].p, c->err);
    return rc;
}

/*
 * One document version to match: found and settled by the main thread,
 * its text read by the main thread too or, with two workers or more, by
 * the worker on a connection of its own (so that reading is split), then
 * decoded and matched by the worker with an engine of its own.
 * Limit hits are collected and reported when the job is settled, in
 * document order.
 */
typedef struct job {
    int64_t vid;
    const char *name;
    int version, covered;
    const unsigned char *mask;
    int locate; /* few concepts changed: match where their literals are */
    int body;   /* the worker reads the text (kbi_document_load_body) */
    const kb_codebook *cb;
    kb_document *doc;
    kbi_quotes quotes;
    kbi_limit_hit *hits;
    size_t nhits, caphits;
    int done; /* matched (the pipeline's lock guards it) */
    int rc;
    kb_error err;
} job;

static void job_limit(void *ctx, const kbi_limit_hit *h)
{
    job *j = ctx;
    if (!KBI_GROW(&j->hits, &j->caphits, j->nhits + 1))
        j->hits[j->nhits++] = *h;
}

/*
 * A re-run of a few concepts on a document the previous run covered:
 * instead of reading every segment, find where each concept's literals occur
 * in the text and read and match only the segments holding them. Exact, as
 * every match contains a literal (engine/literals.c). Sets *done, or leaves
 * it 0 when a concept has nothing to locate by (the caller then matches the
 * usual way).
 */
static int code_located(kbi_engine *e, job *j, int *done)
{
    *done = 0;
    size_t len;
    const char *text = kb_document_text(j->doc, &len);
    size_t *offs = NULL, *seqs = NULL, noffs = 0, nseqs = 0, ocap = 0, scap = 0;
    int rc = 0;
    /* rc: 1 while every concept so far was located and matched */
    for (size_t ci = 0; ci < j->cb->n; ci++) {
        if (!j->mask[ci] || j->cb->nodes[ci].info.kind != KB_CODE_CONCEPT)
            continue;
        noffs = nseqs = 0;
        rc = kbi_engine_locate(e, ci, text, len, &offs, &noffs, &ocap, &j->err);
        if (rc <= 0)
            break; /* an error, or nothing to locate by */
        kb_segment_kind kind = j->cb->nodes[ci].info.scope;
        if ((rc = kbi_document_segments_at(j->doc, kind, offs, noffs, &seqs,
                                           &nseqs, &scap, &j->err)) ||
            (rc = kbi_engine_code_at(e, j->doc, ci, seqs, nseqs, &j->quotes,
                                     job_limit, j, &j->err)))
            break;
        rc = 1;
    }
    if (rc > 0) {
        *done = 1;
        rc = 0;
    }
    free(offs);
    free(seqs);
    return rc;
}

/* A worker's part of a job: reading the text if the main thread did not,
 * decoding the segments it needs, matching. */
static void job_run(job *j, kbi_engine *e, sqlite3 *reader)
{
    if (j->body && (j->rc = kbi_document_load_body(j->doc, reader, 0, &j->err)))
        return;
    if (j->locate) {
        int done = 0;
        if ((j->rc = code_located(e, j, &done)) || done)
            return;
        j->quotes.n = j->nhits = 0; /* match the usual way after all */
    }
    for (size_t i = 0; i < j->cb->n && !j->rc; i++)
        if (j->mask[i] && j->cb->nodes[i].info.kind == KB_CODE_CONCEPT)
            j->rc =
                kbi_document_need(j->doc, j->cb->nodes[i].info.scope, &j->err);
    if (!j->rc)
        j->rc = kbi_engine_code(e, j->doc, j->mask, &j->quotes, job_limit, j,
                                &j->err);
}

static int job_settle(run_ctx *c, job *j)
{
    limit_ctx lc = {c, j->name};
    for (size_t i = 0; i < j->nhits; i++)
        on_limit(&lc, &j->hits[i]);
    if (j->rc) {
        *c->err = j->err;
        return j->rc;
    }
    int rc = memo_reset(c, j->doc);
    /* Quotes come grouped by concept, in segment order. */
    const kbi_quote *q = j->quotes.v;
    for (size_t ci = 0, at = 0; ci < c->cb->n && !rc; ci++) {
        if (!j->mask[ci] || c->cb->nodes[ci].info.kind != KB_CODE_CONCEPT)
            continue;
        size_t from = at;
        while (at < j->quotes.n && q[at].concept == ci)
            at++;
        rc = settle_concept(c, j->vid, ci, j->doc, q + from, at - from);
    }
    size_t len;
    kb_document_text(j->doc, &len);
    c->sum->bytes += len;
    return rc;
}

static void job_clear(run_ctx *c, job *j)
{
    kbi_document_recycle(j->doc, c->p);
    free(j->quotes.v);
    free(j->hits);
    memset(j, 0, sizeof *j);
}

/* Recomputes the facets of every alive coding of a version made before
 * this run; a coding with a manual facet value keeps its values. */
static int refacet_version(run_ctx *c, int64_t vid, const char *name,
                           int version)
{
    size_t n;
    int rc = read_packs(c,
                        "SELECT id, version_id, from_run, concept, codings"
                        " FROM coding_packs WHERE version_id = ?1 AND to_run"
                        " IS NULL AND from_run < ?2",
                        vid, c->run, NULL, &n);
    if (rc || !n)
        return rc;
    kb_document *doc;
    if ((rc = kb_document_load(&doc, c->p, name, version, c->err)))
        return rc;
    rc = memo_reset(c, doc);
    for (size_t k = 0; k < n && !rc; k++) {
        const kbi_cpack *p = &c->old[k].p;
        kbi_cpack *re = &c->old[n].p;
        kbi_cpack_reset(re);
        for (size_t i = 0; i < p->n && !rc; i++) {
            const kbi_centry *e = &p->v[i];
            int manual = 0;
            for (size_t f = 0; f < e->fn; f++)
                manual |= p->f[e->fat + f].source == KBI_FSRC_MANUAL;
            size_t seq = 0;
            kb_segment_kind kind = kbi_document_locate(doc, e->segment, &seq);
            const kb_segment *s = kb_document_segment(doc, kind, seq);
            if (e->to_run || manual || !s)
                rc = copy_coding(c, re, p, i);
            else if (!(rc = kbi_cpack_add(re, e->segment, e->mstart, e->mend, 0,
                                          c->err)))
                rc = code_facets(c, re, doc, kind, seq, 0);
        }
        if (!rc)
            rc = kbi_packw_update(&c->w, c->old[k].id, re, c->err);
    }
    kbi_document_recycle(doc, c->p);
    return rc;
}

typedef struct todo {
    int64_t vid;
    char *name;
    int version, covered;
    int known; /* the previous run had a version of the document */
} todo;

/* Counts and names a document matched in full: changed when the previous
 * run had a version of it, else new. */
static void name_document(kb_run_summary *sum, const char *name, int known)
{
    if (known) {
        sum->documents_changed++;
        kbi_name_list_add(sum->changed_names, sizeof sum->changed_names, name);
    } else {
        sum->documents_new++;
        kbi_name_list_add(sum->new_names, sizeof sum->new_names, name);
    }
}

/*
 * The documents of a run flow through a window of jobs, in order: the main
 * thread reads one (SQLite), a worker decodes and matches it, the main
 * thread settles it. Workers match while the main thread reads and settles
 * others, and no more than `cap` documents are in memory at once.
 */
typedef struct pipeline {
    pthread_mutex_t mu;
    pthread_cond_t cv; /* a job was read or matched, or the run stops */
    job *ring;
    size_t *items; /* per slot: the todo it is */
    size_t cap;
    size_t head, next, tail; /* jobs settled, taken by workers, read */
    int stop;
} pipeline;

typedef struct worker {
    pipeline *pl;
    kbi_engine *engine;
    sqlite3 *reader; /* its connection for texts, or NULL: main reads */
} worker;

static void *work(void *arg)
{
    worker *w = arg;
    pipeline *pl = w->pl;
    pthread_mutex_lock(&pl->mu);
    for (;;) {
        while (!pl->stop && pl->next == pl->tail)
            pthread_cond_wait(&pl->cv, &pl->mu);
        if (pl->next == pl->tail) /* stopping, and nothing left */
            break;
        job *j = &pl->ring[pl->next++ % pl->cap];
        pthread_mutex_unlock(&pl->mu);
        job_run(j, w->engine, w->reader);
        pthread_mutex_lock(&pl->mu);
        j->done = 1;
        pthread_cond_broadcast(&pl->cv);
    }
    pthread_mutex_unlock(&pl->mu);
    return NULL;
}

/* What follows a document's settling, or stands for it when nothing of it
 * is matched again: codings made before this run get the new facet rules,
 * the run records the version, and the progress moves on. */
static int finish_doc(run_ctx *c, const todo *t, size_t finished, size_t n)
{
    int rc = 0;
    if (c->facets_changed && t->covered)
        rc = refacet_version(c, t->vid, t->name, t->version);
    sqlite3_stmt *st;
    if (!rc && !(rc = kbi_store_cached(c->p->db, &c->p->stmts, &st,
                                       "INSERT INTO run_versions(run_id,"
                                       " version_id) VALUES(?1, ?2)",
                                       c->err))) {
        sqlite3_bind_int64(st, 1, c->run);
        sqlite3_bind_int64(st, 2, t->vid);
        rc = step(c, st);
    }
    if (c->o->progress)
        c->o->progress(c->o->ctx, finished, n);
    return rc;
}

/* Waits for the oldest job to be matched, settles and finishes it. */
static int settle_head(run_ctx *c, pipeline *pl, const todo *list, size_t n,
                       size_t *finished)
{
    size_t slot = pl->head % pl->cap;
    job *j = &pl->ring[slot];
    pthread_mutex_lock(&pl->mu);
    while (!j->done)
        pthread_cond_wait(&pl->cv, &pl->mu);
    pthread_mutex_unlock(&pl->mu);
    int rc = job_settle(c, j);
    c->sum->documents++;
    if (!rc)
        rc = finish_doc(c, &list[pl->items[slot]], ++*finished, n);
    job_clear(c, j);
    pl->head++;
    return rc;
}

/*
 * With two workers or more, each reads its documents' texts on a
 * connection of its own: reading 100 MB is most of a re-run, and one
 * thread would read for all. One worker matches while the main thread
 * reads. Returns 1 when every worker has its reader; else none has one
 * and the main thread reads.
 */
static int open_readers(run_ctx *c, worker *ws)
{
    int ok = c->njobs > 1;
    for (size_t t = 0; ok && t < c->njobs; t++)
        ok = !kbi_store_open_reader(&ws[t].reader, c->p->path, NULL);
    for (size_t t = 0; !ok && t < c->njobs; t++) {
        kbi_store_close(ws[t].reader);
        ws[t].reader = NULL;
    }
    return ok;
}

static int code_all(run_ctx *c)
{
    sqlite3_stmt *st;
    int rc = kbi_store_prepare(
        c->p->db, &st,
        "SELECT v.id, d.name, v.version, EXISTS (SELECT 1 FROM run_versions r"
        " WHERE r.run_id = ?1 AND r.version_id = v.id), EXISTS (SELECT 1 FROM"
        " run_versions r JOIN versions o ON o.id = r.version_id WHERE"
        " r.run_id = ?1 AND o.document_id = d.id) FROM documents d JOIN"
        " versions v ON v.document_id = d.id AND v.version = d.current_version"
        " ORDER BY d.name",
        c->err);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, c->prev);
    todo *list = NULL;
    size_t n = 0, cap = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (KBI_GROW(&list, &cap, n + 1)) {
            rc = kbi_fail(c->err, KB_ENOMEM, "out of memory");
            break;
        }
        list[n].vid = sqlite3_column_int64(st, 0);
        list[n].name = kbi_store_strdup(st, 1);
        list[n].version = sqlite3_column_int(st, 2);
        list[n].covered = sqlite3_column_int(st, 3);
        list[n++].known = sqlite3_column_int(st, 4);
    }
    sqlite3_finalize(st);
    c->ndocs = n;
    for (size_t i = 0; i < n; i++)
        if (!list[i].covered)
            name_document(c->sum, list[i].name, list[i].known);

    unsigned char *all = malloc(c->cb->n ? c->cb->n : 1);
    if (!all && !rc)
        rc = kbi_fail(c->err, KB_ENOMEM, "out of memory");
    if (all)
        memset(all, 1, c->cb->n);
    int any_changed = 0;
    size_t nchanged = 0;
    for (size_t i = 0; i < c->cb->n; i++) {
        any_changed |= c->changed[i];
        nchanged += c->changed[i];
    }
    c->few = nchanged > 0 && nchanged <= KBI_FEW_CONCEPTS;
    int any_new = 0;
    for (size_t i = 0; i < n; i++)
        any_new |= !list[i].covered;
    kbi_engine_jit(c->cb, any_new ? NULL : c->changed);

    pipeline pl = {.cap = c->njobs + 1};
    pl.ring = calloc(pl.cap, sizeof *pl.ring);
    pl.items = calloc(pl.cap, sizeof *pl.items);
    if ((!pl.ring || !pl.items) && !rc)
        rc = kbi_fail(c->err, KB_ENOMEM, "out of memory");
    pthread_mutex_init(&pl.mu, NULL);
    pthread_cond_init(&pl.cv, NULL);
    worker ws[KB_MAX_JOBS] = {{0}};
    int readers = (any_new || any_changed) && open_readers(c, ws);
    pthread_t tid[KB_MAX_JOBS];
    size_t nthreads = 0;
    for (; !rc && nthreads < c->njobs; nthreads++) {
        ws[nthreads].pl = &pl;
        ws[nthreads].engine = c->engines[nthreads];
        if (pthread_create(&tid[nthreads], NULL, work, &ws[nthreads]))
            break;
    }
    readers = readers && nthreads == c->njobs;
    size_t finished = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        if (list[i].covered && !any_changed) { /* nothing to match again */
            rc = finish_doc(c, &list[i], ++finished, n);
            continue;
        }
        while (!rc && pl.tail - pl.head == pl.cap)
            rc = settle_head(c, &pl, list, n, &finished);
        if (rc)
            break;
        size_t slot = pl.tail % pl.cap;
        job *j = &pl.ring[slot];
        memset(j, 0, sizeof *j);
        pl.items[slot] = i;
        j->vid = list[i].vid;
        j->name = list[i].name;
        j->version = list[i].version;
        j->covered = list[i].covered;
        j->cb = c->cb;
        j->mask = list[i].covered ? c->changed : all;
        j->locate = list[i].covered && c->few;
        j->body = readers;
        if ((rc = readers ? kbi_document_load_head(&j->doc, c->p, j->name,
                                                   j->version, c->err)
                          : kbi_document_load_kinds(&j->doc, c->p, j->name,
                                                    j->version, 0, c->err)))
            break;
        if (!nthreads) { /* no thread to be had: match here */
            job_run(j, c->engines[0], NULL);
            j->done = 1;
            pl.next++;
        }
        pthread_mutex_lock(&pl.mu);
        pl.tail++;
        pthread_cond_broadcast(&pl.cv);
        pthread_mutex_unlock(&pl.mu);
    }
    while (!rc && pl.head < pl.tail)
        rc = settle_head(c, &pl, list, n, &finished);
    pthread_mutex_lock(&pl.mu);
    pl.stop = 1;
    pthread_cond_broadcast(&pl.cv);
    pthread_mutex_unlock(&pl.mu);
    for (size_t t = 0; t < nthreads; t++)
        pthread_join(tid[t], NULL);
    for (size_t t = 0; t < c->njobs; t++)
        kbi_store_close(ws[t].reader);
    for (; pl.ring && pl.head < pl.tail; pl.head++) /* after a failure */
        job_clear(c, &pl.ring[pl.head % pl.cap]);
    pthread_cond_destroy(&pl.cv);
    pthread_mutex_destroy(&pl.mu);
    free(pl.ring);
    free(pl.items);
    for (size_t i = 0; i < n; i++)
        free(list[i].name);
    free(list);
    free(all);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* What the coding misses                                                    */
/* ------------------------------------------------------------------------ */

static void notice(run_ctx *c, const char *msg)
{
    if (c->o->notice)
        c->o->notice(c->o->ctx, msg);
}

/* Names, in a notice, each concept with patterns that has no alive coding
 * on any current document (after close_removed and code_all, every alive
 * pack is on a current version); with strict, fails when there is one. */
static int report_unmatched(run_ctx *c)
{
    if (!c->ndocs)
        return 0;
    sqlite3_stmt *st;
    int rc = kbi_store_prepare(c->p->db, &st,
                               "SELECT EXISTS (SELECT 1 FROM coding_packs WHERE"
                               " concept = ? AND to_run IS NULL)",
                               c->err);
    const char *first = NULL;
    for (size_t i = 0; i < c->cb->n && !rc; i++) {
        const kb_code_info *ci = &c->cb->nodes[i].info;
        if (ci->kind != KB_CODE_CONCEPT || !ci->npatterns)
            continue;
        sqlite3_bind_text(st, 1, ci->id, -1, SQLITE_STATIC);
        int rs = sqlite3_step(st);
        int found = rs == SQLITE_ROW && sqlite3_column_int(st, 0);
        sqlite3_reset(st);
        if (rs != SQLITE_ROW) {
            rc = kbi_store_fail(c->err, c->p->db, "reading codings");
            break;
        }
        if (found)
            continue;
        char msg[600];
        snprintf(msg, sizeof msg,
                 "%s:%d: warning: concept '%s' matches nothing in any of the "
                 "%zu document%s",
                 c->codebook_path, ci->line, ci->id, c->ndocs,
                 c->ndocs == 1 ? "" : "s");
        notice(c, msg);
        if (!c->sum->unmatched++)
            first = ci->id;
    }
    sqlite3_finalize(st);
    if (!rc && c->o->strict && c->sum->unmatched == 1)
        rc = kbi_fail(c->err, KB_EFORMAT,
                      "concept '%s' matches nothing in any document", first);
    else if (!rc && c->o->strict && c->sum->unmatched)
        rc = kbi_fail(c->err, KB_EFORMAT,
                      "%zu concepts match nothing in any document, '%s' first",
                      c->sum->unmatched, first);
    return rc;
}

/* How many concepts with patterns are limited to `who`; the first few
 * ids into buf, ", "-separated. */
static size_t limited_to(const run_ctx *c, kb_speakers who, char *buf,
                         size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < c->cb->n; i++) {
        const kb_code_info *ci = &c->cb->nodes[i].info;
        if (ci->kind == KB_CODE_CONCEPT && ci->npatterns &&
            ci->speakers == who && n++ < 3)
            kbi_name_list_add(buf, size, ci->id);
    }
    return n;
}

/* For each role some concept is limited to, a notice naming the current
 * documents without turns of that role, where those concepts find
 * nothing. */
static int report_role_gaps(run_ctx *c)
{
    static const struct {
        kb_speakers who;
        const char *role, *plural;
    } roles[] = {{KB_SPEAKERS_RESPONDENTS, "respondent", "respondents"},
                 {KB_SPEAKERS_INTERVIEWERS, "interviewer", "interviewers"}};
    int rc = 0;
    for (size_t r = 0; r < 2 && !rc; r++) {
        char ids[300], concepts[400];
        size_t nc = limited_to(c, roles[r].who, ids, sizeof ids);
        if (!nc)
            continue;
        sqlite3_stmt *st;
        if ((rc = kbi_store_prepare(
                 c->p->db, &st,
                 "SELECT d.name FROM documents d JOIN versions v ON"
                 " v.document_id = d.id AND v.version = d.current_version"
                 " WHERE NOT EXISTS (SELECT 1 FROM speakers s WHERE"
                 " s.version_id = v.id AND s.role = ? AND s.turns > 0)"
                 " ORDER BY d.name",
                 c->err)))
            break;
        sqlite3_bind_text(st, 1, roles[r].role, -1, SQLITE_STATIC);
        char docs[300] = "";
        size_t n = 0;
        while (sqlite3_step(st) == SQLITE_ROW) {
            kbi_name_list_add(docs, sizeof docs,
                              (const char *)sqlite3_column_text(st, 0));
            n++;
        }
        sqlite3_finalize(st);
        if (!n)
            continue;
        c->sum->role_gaps += n;
        if (nc == 1)
            snprintf(concepts, sizeof concepts,
                     "concept '%s' (speakers: %s) finds", ids, roles[r].plural);
        else if (nc <= 3)
            snprintf(concepts, sizeof concepts,
                     "concepts %s (speakers: %s) find", ids, roles[r].plural);
        else
            snprintf(concepts, sizeof concepts,
                     "the %zu concepts with speakers: %s find", nc,
                     roles[r].plural);
        char msg[800];
        snprintf(msg, sizeof msg,
                 "warning: %s %s no %s turns: %s nothing there", docs,
                 n == 1 ? "has" : "have", roles[r].role, concepts);
        notice(c, msg);
    }
    return rc;
}

/* ------------------------------------------------------------------------ */
/* A run                                                                     */
/* ------------------------------------------------------------------------ */

/* Has some coder accepted a quote in review (1, or 1 when unsure)? */
static int any_accepted(kb_project *p)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(p->db,
                           "SELECT EXISTS (SELECT 1 FROM manual_codings WHERE"
                           " decision = 'accept' AND placed)",
                           -1, &st, NULL) != SQLITE_OK)
        return 1;
    int yes = sqlite3_step(st) != SQLITE_ROW || sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return yes;
}

int kb_project_code(kb_project *p, const kb_codebook *cb,
                    const char *codebook_path, const kb_code_options *opts,
                    kb_run_summary *out, kb_error *err)
{
    kb_code_options defaults = KB_CODE_OPTIONS_INIT;
    if (!opts)
        opts = &defaults;
    if (opts->version != KB_CODE_OPTIONS_VERSION)
        return kbi_fail(err, KB_EINVAL, "code options of an unknown version");
    kb_run_summary sum = {0};
    double t0 = now();
    run_ctx c = {.p = p,
                 .cb = cb,
                 .o = opts,
                 .sum = &sum,
                 .err = err,
                 .codebook_path = codebook_path};
    /* The codebook's text, kept with the run as it was read now. */
    unsigned char *raw = NULL;
    size_t rawlen;
    if (kbi_file_read(&raw, &rawlen, codebook_path, err))
        return err ? err->code : KB_EIO;
    char *text = (char *)raw;
    c.njobs = opts->jobs < 1 ? 1 : (size_t)opts->jobs;
    if (c.njobs > KB_MAX_JOBS)
        c.njobs = KB_MAX_JOBS;
    int rc = kbi_engine_new(&c.engine, cb, 0, err);
    for (size_t i = 0; i < c.njobs && !rc; i++)
        rc = kbi_engine_new(&c.engines[i], cb, 0, err);
    if (rc)
        goto out;
    if ((rc = kbi_store_begin(p->db, err)))
        goto out;
    sqlite3_stmt *st;
    if ((rc = kbi_store_prepare(p->db, &st,
                                "SELECT COALESCE(MAX(id), 0) FROM"
                                " runs",
                                err)))
        goto rollback;
    if (sqlite3_step(st) == SQLITE_ROW)
        c.prev = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if ((rc = kbi_store_prepare(p->db, &st,
                                "INSERT INTO runs(codebook_path, codebook_name,"
                                " codebook_hash, codebook) VALUES(?, ?, ?, ?)",
                                err)))
        goto rollback;
    sqlite3_bind_text(st, 1, codebook_path, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, kb_codebook_name(cb), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, kb_codebook_hash(cb), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, text, (int)rawlen, SQLITE_STATIC);
    rc =
        sqlite3_step(st) == SQLITE_DONE ? 0 : kbi_store_fail(err, p->db, "run");
    sqlite3_finalize(st);
    if (rc)
        goto rollback;
    c.run = sqlite3_last_insert_rowid(p->db);
    if ((rc = kbi_store_prepare(p->db, &c.alive,
                                "SELECT id, version_id, from_run, concept,"
                                " codings FROM coding_packs WHERE version_id ="
                                " ? AND concept = ? AND to_run IS NULL ORDER"
                                " BY id",
                                err)) ||
        (rc = kbi_packw_prepare(&c.w, p->db, err)) ||
        (rc = compare_codebooks(&c)) || (rc = rename_manual(&c)) ||
        (rc = snapshot_codebook(&c)) || (rc = load_case_attrs(&c)) ||
        (rc = close_removed(&c)) || (rc = code_all(&c)) ||
        (rc = report_role_gaps(&c)))
        goto rollback;
    if (c.strict_fail) {
        rc = kbi_fail(err, KB_EFORMAT, "%s", c.strict_msg);
        goto rollback;
    }
    if ((rc = report_unmatched(&c)))
        goto rollback;
    for (size_t i = 0; i < cb->n; i++)
        sum.concepts_matched += c.changed[i];
    /* Quotes alive: the previous run's, plus what this one gained and
     * minus what it lost (no count over every coding). */
    if ((rc = kbi_store_prepare(p->db, &st,
                                "SELECT COALESCE((SELECT quotes FROM runs WHERE"
                                " id = ?), 0)",
                                err)))
        goto rollback;
    sqlite3_bind_int64(st, 1, c.prev);
    if (sqlite3_step(st) == SQLITE_ROW)
        sum.quotes =
            (size_t)sqlite3_column_int64(st, 0) + sum.gained - sum.lost;
    sqlite3_finalize(st);
    /* gains and losses as diff gives them: not moves, not kept quotes.
     * Both pair a lost quote (sum.lost counts every coding the run
     * closed); a move's other half is on a new version of a document the
     * last run had (documents_changed), a kept quote is one a coder
     * accepted. A run with neither needs no pairing. */
    if (sum.lost && (sum.documents_changed || any_accepted(p)) &&
        (rc = kbi_diff_tally(p, c.prev, c.run, &sum.moved, &sum.kept, err)))
        goto rollback;
    sum.gained -= sum.moved;
    sum.lost -= sum.moved + sum.kept;
    sum.seconds = now() - t0;
    sum.run = opts->dry_run ? 0 : c.run;
    if ((rc =
             kbi_store_prepare(p->db, &st,
                               "UPDATE runs SET documents = ?, concepts_matched"
                               " = ?, gained = ?, lost = ?, seconds = ?, quotes"
                               " = ? WHERE id = ?",
                               err)))
        goto rollback;
    sqlite3_bind_int64(st, 1, (int64_t)sum.documents);
    sqlite3_bind_int64(st, 2, (int64_t)sum.concepts_matched);
    sqlite3_bind_int64(st, 3, (int64_t)sum.gained);
    sqlite3_bind_int64(st, 4, (int64_t)sum.lost);
    sqlite3_bind_double(st, 5, sum.seconds);
    sqlite3_bind_int64(st, 6, (int64_t)sum.quotes);
    sqlite3_bind_int64(st, 7, c.run);
    rc = step(&c, st);
    sqlite3_finalize(st);
    if (rc)
        goto rollback;
    if (opts->dry_run)
        kbi_store_rollback(p->db);
    else if ((rc = kbi_store_commit(p->db, err)))
        goto rollback;
    if (out)
        *out = sum;
    goto out;
rollback:
    kbi_store_rollback(p->db);
out:
    sqlite3_finalize(c.alive);
    kbi_packw_free(&c.w);
    for (size_t i = 0; i < c.capold; i++) {
        kbi_cpack_free(&c.old[i].p);
        free(c.old[i].concept);
    }
    free(c.old);
    free(c.refs);
    kbi_cpack_free(&c.fresh);
    for (int k = 0; k < 3; k++)
        free(c.memo.slots[k]);
    free(c.memo.vals);
    for (size_t i = 0; i < c.nattrs; i++) {
        free(c.attrs[i].case_id);
        free(c.attrs[i].name);
        free(c.attrs[i].value);
    }
    free(c.attrs);
    free(c.changed);
    kbi_engine_free(c.engine);
    for (size_t i = 0; i < KB_MAX_JOBS; i++)
        kbi_engine_free(c.engines[i]);
    free(text);
    return rc;
}
