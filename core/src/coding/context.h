/*
 * context.h: the state of one coding run (kb_project_code), shared by the
 * files of coding/ that carry it out: changes, packs, facets, pipeline,
 * misses and run. Only those include it. Includes base/, store/, codebook/
 * and engine/ headers; nothing of coding/.
 */
#ifndef KBI_CODING_CONTEXT_H
#define KBI_CODING_CONTEXT_H

#include "kodbok.h"
#include "engine/engine.h"
#include "engine/limits.h"
#include "store/codings.h"
#include "store/project.h"
#include "store/store.h"

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

/* Case attributes, for the facets' attribute fallback. */
typedef struct kbi_case_attr {
    char *case_id, *name, *value;
} kbi_case_attr;

/* Facet values worked out per segment of the document being settled. */
typedef struct kbi_facet_value {
    const char *facet, *value;
    int source; /* kbi_fsource */
} kbi_facet_value;
typedef struct kbi_memo_slot {
    uint32_t gen;   /* worked out for the document of this generation */
    uint32_t at, n; /* its values in vals */
} kbi_memo_slot;
typedef struct kbi_facet_memo {
    kbi_memo_slot *slots[3]; /* by kind, by segment index */
    size_t cap[3];
    uint32_t gen; /* the document's: slots of older ones are stale */
    kbi_facet_value *vals;
    size_t nvals, capvals;
} kbi_facet_memo;

/* What the matching pass found on one document version (run.c): per
 * concept with quotes, its codings packed (kbi_cpack_encode), with their
 * facet values; and the limit hits, told when it is stored. */
typedef struct kbi_stash_concept {
    size_t concept;      /* node index */
    unsigned char *blob; /* in memory, or NULL: at `off` in the scratch */
    long long off;
    size_t len;
} kbi_stash_concept;
typedef struct kbi_stash {
    int64_t vid;
    int covered; /* the previous run covered the version: changed concepts */
    char *cases; /* the cases of its document and speakers (pipeline.c) */
    size_t bytes;
    kbi_limit_hit *hits;
    size_t nhits;
    kbi_stash_concept *concepts; /* in codebook order */
    size_t n;
} kbi_stash;

typedef struct kbi_run_ctx {
    kb_project *p;
    const kb_codebook *cb;
    const kb_code_options *o;
    kbi_engine *engine; /* for facets and locating, in the main thread */
    int few;            /* few concepts changed: locate them by literals */
    kbi_engine *engines[KB_MAX_JOBS]; /* one per worker */
    size_t njobs;
    int64_t run, prev;
    size_t ndocs;           /* current documents */
    unsigned char *changed; /* per node: concept rules changed or new */
    int facets_changed;
    char cases_hash[65]; /* see cases_hash() */
    kbi_case_attr *attrs;
    size_t nattrs, capattrs;
    kb_run_summary *sum;
    kb_error *err;
    kbi_limit_tally limits; /* match-limit hits, told once per concept */
    sqlite3_stmt *alive;    /* the packs with alive codings of a quote */
    kbi_packw w;
    struct kbi_old_pack *old; /* packs read back to be changed */
    size_t capold;
    struct kbi_alive_ref *refs; /* their alive codings */
    size_t caprefs;
    kbi_cpack fresh; /* the codings a run makes on one version and concept */
    kbi_cpack found; /* the quotes of one concept on one version, as codings */
    kbi_facet_memo memo;
    /* The matching pass (run.c) reads a snapshot, matches and keeps what
     * it found in `stash`, writing nothing; the storing pass, in the write
     * transaction, takes a version's codings from there when the project
     * has not changed in a way that matters to them (stash_valid). */
    int matching;
    kbi_stash *stash; /* sorted by vid */
    size_t nstash, capstash;
    int stash_valid; /* changed concepts and case attributes as matched */
    /* the stash's packs, in a scratch file so that a run's memory does not
     * grow with its quotes (in memory when no scratch file can be made) */
    FILE *spill;
    int no_spill;
    long long spilled;
    unsigned char *spillbuf;
    size_t spillcap;
} kbi_run_ctx;

/* A pack read back to be changed. */
typedef struct kbi_old_pack {
    int64_t id, version, from_run;
    char *concept;
    kbi_cpack p;
    int dirty;
} kbi_old_pack;

/* An alive coding of an old pack, in segment order. */
typedef struct kbi_alive_ref {
    int64_t segment;
    size_t pack, entry;
    int seen;
} kbi_alive_ref;

/* Steps st (a statement that stores) and makes it ready for the next row;
 * 0, or the store's error. */
static inline int kbi_run_step(kbi_run_ctx *c, sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW
               ? 0
               : kbi_store_fail(c->err, c->p->db, "storing codings");
}

#endif
