/*
 * codings.c: the virtual tables `codings` and `coding_facets` over
 * coding_packs, the writer of packs, and the migration from rows to packs.
 *
 * A cursor walks packs with a query on coding_packs, decodes one pack at a
 * time and shows its codings (or their facet values) as rows. Every plan
 * walks packs in id order and codings in pack order, so rows come in
 * coding id order and an ORDER BY id costs nothing. Constraints the plans
 * use: id = (one pack), version_id = with or without concept = (the index
 * coding_packs_quote) and segment_id = (found by bisection in each pack),
 * concept = (coding_packs_concept), and id >= or > (a scan from that
 * pack); SQLite checks every other constraint on the rows.
 */
#include "store/codings.h"
#include "base/error.h"
#include "base/grow.h"
#include "store/store.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/* The virtual tables                                                        */
/* ------------------------------------------------------------------------ */

enum {
    COL_ID,
    COL_FROM,
    COL_TO,
    COL_VERSION,
    COL_CONCEPT,
    COL_SEGMENT,
    COL_MSTART,
    COL_MEND
};
enum { FCOL_ID, FCOL_FACET, FCOL_VALUE, FCOL_SOURCE };

enum plan {
    PLAN_SCAN,
    PLAN_ID,
    PLAN_QUOTE,
    PLAN_VERSION,
    PLAN_CONCEPT,
    PLAN_FROM,
    NPLANS
};

#define PACK_COLUMNS "SELECT id, version_id, concept, from_run, codings FROM"
static const char *const PLAN_SQL[NPLANS] = {
    PACK_COLUMNS " coding_packs ORDER BY id",
    PACK_COLUMNS " coding_packs WHERE id = ?1",
    PACK_COLUMNS " coding_packs WHERE version_id = ?1 AND concept = ?2"
                 " ORDER BY id",
    PACK_COLUMNS " coding_packs WHERE version_id = ?1 ORDER BY id",
    PACK_COLUMNS " coding_packs WHERE concept = ?1 ORDER BY id",
    PACK_COLUMNS " coding_packs WHERE id >= ?1 ORDER BY id",
};

/*
 * A decoded pack. Queries look codings up one at a time by id, or by
 * version and concept, from correlated subqueries run once per row of an
 * outer query; the last packs decoded are kept so that such a lookup does
 * not decode its pack again. A slot is good while nothing has changed in
 * the file since it was filled (`stamp`).
 */
typedef struct slot {
    int64_t pack, version, from_run;
    char *concept;
    size_t conceptcap;
    kbi_cpack p;
    uint64_t stamp[2];
    uint64_t used; /* the clock when last taken: the oldest free one goes */
    int pins;      /* cursors on it */
    int good;
} slot;

/* What both tables of a connection share: decoded packs, and statements
 * on coding_packs not in use, so that opening a cursor prepares nothing.
 * Those statements are finalized with the connection's others by
 * kbi_store_close before it closes; this only forgets them after. */
typedef struct shared {
    int refs; /* the two modules */
    slot **slots;
    size_t nslots, capslots;
    uint64_t clock;
    sqlite3_stmt **idle[NPLANS];
    size_t nidle[NPLANS], capidle[NPLANS];
} shared;

/* Decoded packs kept beyond those in use. */
#define KEPT_SLOTS 8

typedef struct ctab {
    sqlite3_vtab base;
    sqlite3 *db;
    shared *sh;
    int facets; /* coding_facets, not codings */
} ctab;

typedef struct ccur {
    sqlite3_vtab_cursor base;
    sqlite3_stmt *st; /* the packs being walked, or NULL */
    int plan;
    int64_t only; /* PLAN_ID: the one coding wanted, else -1 */
    int by_segment;
    int64_t segment; /* with by_segment: the codings of this segment only */
    slot *s;         /* the current pack, pinned */
    size_t i, k;     /* coding, and facet value of it (coding_facets) */
    int eof;
} ccur;

static void shared_unref(void *p)
{
    shared *sh = p;
    if (!sh || --sh->refs > 0)
        return;
    for (size_t i = 0; i < sh->nslots; i++) {
        kbi_cpack_free(&sh->slots[i]->p);
        free(sh->slots[i]->concept);
        free(sh->slots[i]);
    }
    free(sh->slots);
    for (int k = 0; k < NPLANS; k++)
        free(sh->idle[k]);
    free(sh);
}

/* Changes made in the file since the connection opened: this connection's
 * rows, and the data version that moves on with other connections'
 * commits. */
static void stamp_now(sqlite3 *db, uint64_t out[2])
{
    unsigned version = 0;
    sqlite3_file_control(db, "main", SQLITE_FCNTL_DATA_VERSION, &version);
    out[0] = (uint64_t)sqlite3_total_changes64(db);
    out[1] = version;
}

static int vt_connect(sqlite3 *db, void *aux, int argc, const char *const *argv,
                      sqlite3_vtab **out, char **errmsg)
{
    (void)argc;
    (void)errmsg;
    int facets = !strcmp(argv[0], "coding_facets");
    int rc = sqlite3_declare_vtab(
        db, facets ? "CREATE TABLE x(coding_id INTEGER, facet TEXT, value"
                     " TEXT, source TEXT)"
                   : "CREATE TABLE x(id INTEGER, from_run INTEGER, to_run"
                     " INTEGER, version_id INTEGER, concept TEXT,"
                     " segment_id INTEGER, match_start INTEGER, match_end"
                     " INTEGER)");
    if (rc != SQLITE_OK)
        return rc;
    ctab *t = sqlite3_malloc(sizeof *t);
    if (!t)
        return SQLITE_NOMEM;
    memset(t, 0, sizeof *t);
    t->db = db;
    t->sh = aux;
    t->facets = facets;
    *out = &t->base;
    return SQLITE_OK;
}

static int vt_disconnect(sqlite3_vtab *vt)
{
    sqlite3_free(vt);
    return SQLITE_OK;
}

static int vt_best_index(sqlite3_vtab *vt, sqlite3_index_info *ix)
{
    ctab *t = (ctab *)vt;
    int id_eq = -1, id_from = -1, version = -1, concept = -1, segment = -1;
    for (int i = 0; i < ix->nConstraint; i++) {
        const struct sqlite3_index_constraint *c = &ix->aConstraint[i];
        if (!c->usable)
            continue;
        if (c->iColumn == COL_ID && c->op == SQLITE_INDEX_CONSTRAINT_EQ)
            id_eq = i;
        else if (c->iColumn == COL_ID && (c->op == SQLITE_INDEX_CONSTRAINT_GE ||
                                          c->op == SQLITE_INDEX_CONSTRAINT_GT))
            id_from = i;
        else if (!t->facets && c->iColumn == COL_VERSION &&
                 c->op == SQLITE_INDEX_CONSTRAINT_EQ)
            version = i;
        else if (!t->facets && c->iColumn == COL_CONCEPT &&
                 c->op == SQLITE_INDEX_CONSTRAINT_EQ)
            concept = i;
        else if (!t->facets && c->iColumn == COL_SEGMENT &&
                 c->op == SQLITE_INDEX_CONSTRAINT_EQ)
            segment = i;
    }
    int plan = PLAN_SCAN;
    double cost = 1e6, rows = 1e6;
    if (id_eq >= 0) {
        plan = PLAN_ID;
        cost = rows = 1;
        ix->aConstraintUsage[id_eq].argvIndex = 1;
        ix->aConstraintUsage[id_eq].omit = 1;
    } else if (version >= 0) {
        plan = concept >= 0 ? PLAN_QUOTE : PLAN_VERSION;
        cost = concept >= 0 ? 20 : 2000;
        rows = concept >= 0 ? 50 : 10000;
        ix->aConstraintUsage[version].argvIndex = 1;
        ix->aConstraintUsage[version].omit = 1;
        if (concept >= 0) {
            ix->aConstraintUsage[concept].argvIndex = 2;
            ix->aConstraintUsage[concept].omit = 1;
        }
        if (segment >= 0) { /* found in each pack by bisection */
            ix->aConstraintUsage[segment].argvIndex = concept >= 0 ? 3 : 2;
            ix->aConstraintUsage[segment].omit = 1;
            ix->idxStr = "segment";
            cost /= 4;
            rows = 1;
        }
    } else if (concept >= 0) {
        plan = PLAN_CONCEPT;
        cost = 5e4;
        rows = 5000;
        ix->aConstraintUsage[concept].argvIndex = 1;
        ix->aConstraintUsage[concept].omit = 1;
    } else if (id_from >= 0) {
        plan = PLAN_FROM; /* from the constraint's pack; SQLite re-checks */
        cost = 5e5;
        rows = 5e5;
        ix->aConstraintUsage[id_from].argvIndex = 1;
    }
    ix->idxNum = plan;
    ix->estimatedCost = cost;
    ix->estimatedRows = (sqlite3_int64)rows;
    if (plan == PLAN_ID && !t->facets)
        ix->idxFlags = SQLITE_INDEX_SCAN_UNIQUE;
    if (ix->nOrderBy == 1 && ix->aOrderBy[0].iColumn == COL_ID &&
        !ix->aOrderBy[0].desc)
        ix->orderByConsumed = 1;
    return SQLITE_OK;
}

static int vt_open(sqlite3_vtab *vt, sqlite3_vtab_cursor **out)
{
    (void)vt;
    ccur *c = sqlite3_malloc(sizeof *c);
    if (!c)
        return SQLITE_NOMEM;
    memset(c, 0, sizeof *c);
    c->eof = 1;
    *out = &c->base;
    return SQLITE_OK;
}

/* Lets go of the cursor's pack and statement. */
static void release(ccur *c)
{
    shared *sh = ((ctab *)c->base.pVtab)->sh;
    if (c->s)
        c->s->pins--;
    c->s = NULL;
    if (c->st) {
        sqlite3_reset(c->st);
        sqlite3_clear_bindings(c->st);
        if (KBI_GROW(&sh->idle[c->plan], &sh->capidle[c->plan],
                     sh->nidle[c->plan] + 1))
            sqlite3_finalize(c->st);
        else
            sh->idle[c->plan][sh->nidle[c->plan]++] = c->st;
    }
    c->st = NULL;
}

static int vt_close(sqlite3_vtab_cursor *cur)
{
    release((ccur *)cur);
    sqlite3_free(cur);
    return SQLITE_OK;
}

static int fail_vt(ccur *c, const char *msg)
{
    sqlite3_vtab *vt = c->base.pVtab;
    sqlite3_free(vt->zErrMsg);
    vt->zErrMsg = sqlite3_mprintf("%s", msg);
    return SQLITE_ERROR;
}

/* Pins the kept slot of `pack` if it is still good. */
static slot *slot_find(shared *sh, int64_t pack, const uint64_t stamp[2])
{
    for (size_t i = 0; i < sh->nslots; i++) {
        slot *s = sh->slots[i];
        if (s->good && s->pack == pack && s->stamp[0] == stamp[0] &&
            s->stamp[1] == stamp[1]) {
            s->pins++;
            s->used = ++sh->clock;
            return s;
        }
    }
    return NULL;
}

/* A free slot to fill: the one longest unused, or a new one. */
static slot *slot_take(shared *sh)
{
    slot *best = NULL;
    size_t nfree = 0;
    for (size_t i = 0; i < sh->nslots; i++) {
        slot *s = sh->slots[i];
        if (s->pins)
            continue;
        nfree++;
        if (!best || !s->good || (best->good && s->used < best->used))
            best = s;
    }
    if (!best || (nfree < KEPT_SLOTS && best->good)) {
        slot *s = calloc(1, sizeof *s);
        if (!s || KBI_GROW(&sh->slots, &sh->capslots, sh->nslots + 1)) {
            free(s);
            if (!best)
                return NULL;
        } else {
            sh->slots[sh->nslots++] = best = s;
        }
    }
    best->good = 0;
    best->pins = 1;
    best->used = ++sh->clock;
    return best;
}

/* Sets c->s to the pack of the current row of c->st, decoded or kept. */
static int pack_of_row(ccur *c)
{
    ctab *t = (ctab *)c->base.pVtab;
    uint64_t stamp[2];
    stamp_now(t->db, stamp);
    int64_t pack = sqlite3_column_int64(c->st, 0);
    if ((c->s = slot_find(t->sh, pack, stamp)))
        return SQLITE_OK;
    slot *s = slot_take(t->sh);
    if (!s)
        return SQLITE_NOMEM;
    c->s = s;
    s->pack = pack;
    s->version = sqlite3_column_int64(c->st, 1);
    const char *concept = (const char *)sqlite3_column_text(c->st, 2);
    size_t len = concept ? strlen(concept) + 1 : 1;
    if (KBI_GROW(&s->concept, &s->conceptcap, len))
        return SQLITE_NOMEM;
    memcpy(s->concept, concept ? concept : "", len);
    s->from_run = sqlite3_column_int64(c->st, 3);
    kb_error err;
    if (kbi_cpack_decode(&s->p, sqlite3_column_blob(c->st, 4),
                         (size_t)sqlite3_column_bytes(c->st, 4), &err))
        return fail_vt(c, err.message);
    s->stamp[0] = stamp[0];
    s->stamp[1] = stamp[1];
    s->good = 1;
    return SQLITE_OK;
}

/* Moves to the next pack of c->st; sets eof after the last. */
static int next_pack(ccur *c)
{
    if (c->s)
        c->s->pins--;
    c->s = NULL;
    c->i = c->k = 0;
    int rc = c->st ? sqlite3_step(c->st) : SQLITE_DONE;
    if (rc == SQLITE_DONE) {
        c->eof = 1;
        return SQLITE_OK;
    }
    if (rc != SQLITE_ROW)
        return rc;
    if ((rc = pack_of_row(c)) == SQLITE_OK && c->by_segment) {
        /* the first coding of the segment: codings are in segment order */
        const kbi_cpack *p = &c->s->p;
        size_t lo = 0, hi = p->n;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (p->v[mid].segment < c->segment)
                lo = mid + 1;
            else
                hi = mid;
        }
        c->i = lo;
    }
    return rc;
}

/* Moves on from the current position (first past it, with `advance`) to
 * the first row there is. */
static int settle(ccur *c, int advance)
{
    int facets = ((ctab *)c->base.pVtab)->facets;
    for (;;) {
        if (c->eof)
            return SQLITE_OK;
        const kbi_cpack *p = &c->s->p;
        if (advance) {
            advance = 0;
            if (facets)
                c->k++;
            else
                c->i++;
        }
        if (c->only >= 0 && (int64_t)c->i < c->only) {
            c->i = (size_t)c->only; /* the one coding asked for */
            c->k = 0;
        }
        if (facets && c->i < p->n && c->k >= p->v[c->i].fn) {
            c->i++;
            c->k = 0;
            continue;
        }
        if (c->i < p->n && (c->only < 0 || (int64_t)c->i == c->only) &&
            (!c->by_segment || p->v[c->i].segment == c->segment))
            return SQLITE_OK;
        int rc = c->only >= 0 ? (c->eof = 1, SQLITE_OK) : next_pack(c);
        if (rc != SQLITE_OK)
            return rc;
    }
}

static int vt_filter(sqlite3_vtab_cursor *cur, int plan, const char *idx,
                     int argc, sqlite3_value **argv)
{
    ccur *c = (ccur *)cur;
    ctab *t = (ctab *)cur->pVtab;
    shared *sh = t->sh;
    release(c);
    if (plan < 0 || plan >= NPLANS)
        return SQLITE_ERROR;
    c->eof = 0;
    c->only = -1;
    c->by_segment = idx != NULL; /* the last argument is the segment */
    c->i = c->k = 0;
    int64_t from = 0; /* the pack to start at (PLAN_ID, PLAN_FROM) */
    if (plan == PLAN_ID || plan == PLAN_FROM) {
        int type = sqlite3_value_numeric_type(argv[0]);
        int64_t id = sqlite3_value_int64(argv[0]);
        if (type == SQLITE_NULL ||
            (plan == PLAN_ID && (type != SQLITE_INTEGER || id < 0))) {
            c->eof = 1; /* no coding has such an id */
            return SQLITE_OK;
        }
        from = id < 0 ? 0 : id / (int64_t)KBI_CPACK_MAX;
        if (plan == PLAN_ID) {
            c->only = id % (int64_t)KBI_CPACK_MAX;
            uint64_t stamp[2];
            stamp_now(t->db, stamp);
            if ((c->s = slot_find(sh, from, stamp))) /* kept: no query */
                return settle(c, 0);
        }
    }
    c->plan = plan;
    if (sh->nidle[plan])
        c->st = sh->idle[plan][--sh->nidle[plan]];
    else if (sqlite3_prepare_v2(t->db, PLAN_SQL[plan], -1, &c->st, NULL) !=
             SQLITE_OK)
        return fail_vt(c, sqlite3_errmsg(t->db));
    if (c->by_segment) {
        if (sqlite3_value_numeric_type(argv[argc - 1]) != SQLITE_INTEGER) {
            c->eof = 1; /* segment ids are integers */
            return SQLITE_OK;
        }
        c->segment = sqlite3_value_int64(argv[--argc]);
    }
    if (plan == PLAN_ID || plan == PLAN_FROM)
        sqlite3_bind_int64(c->st, 1, from);
    else
        for (int i = 0; i < argc; i++)
            sqlite3_bind_value(c->st, i + 1, argv[i]);
    int rc = next_pack(c);
    return rc != SQLITE_OK ? rc : settle(c, 0);
}

static int vt_next(sqlite3_vtab_cursor *cur)
{
    return settle((ccur *)cur, 1);
}

static int vt_eof(sqlite3_vtab_cursor *cur)
{
    return ((ccur *)cur)->eof;
}

static int vt_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col)
{
    ccur *c = (ccur *)cur;
    const slot *s = c->s;
    const kbi_centry *e = &s->p.v[c->i];
    if (((ctab *)cur->pVtab)->facets) {
        const kbi_cfacet *f = &s->p.f[e->fat + c->k];
        switch (col) {
        case FCOL_ID:
            sqlite3_result_int64(ctx, kbi_coding_id(s->pack, c->i));
            break;
        case FCOL_FACET:
            sqlite3_result_text(ctx, f->facet, -1, SQLITE_TRANSIENT);
            break;
        case FCOL_VALUE:
            sqlite3_result_text(ctx, f->value, -1, SQLITE_TRANSIENT);
            break;
        case FCOL_SOURCE:
            sqlite3_result_text(ctx, kbi_fsource_name(f->source), -1,
                                SQLITE_STATIC);
            break;
        }
        return SQLITE_OK;
    }
    switch (col) {
    case COL_ID:
        sqlite3_result_int64(ctx, kbi_coding_id(s->pack, c->i));
        break;
    case COL_FROM:
        sqlite3_result_int64(ctx, s->from_run);
        break;
    case COL_TO:
        if (e->to_run)
            sqlite3_result_int64(ctx, e->to_run);
        else
            sqlite3_result_null(ctx);
        break;
    case COL_VERSION:
        sqlite3_result_int64(ctx, s->version);
        break;
    case COL_CONCEPT:
        sqlite3_result_text(ctx, s->concept, -1, SQLITE_TRANSIENT);
        break;
    case COL_SEGMENT:
        sqlite3_result_int64(ctx, e->segment);
        break;
    case COL_MSTART:
        sqlite3_result_int64(ctx, e->mstart);
        break;
    case COL_MEND:
        sqlite3_result_int64(ctx, e->mend);
        break;
    }
    return SQLITE_OK;
}

static int vt_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *rowid)
{
    ccur *c = (ccur *)cur;
    *rowid = kbi_coding_id(c->s->pack, c->i);
    return SQLITE_OK;
}

static const sqlite3_module MODULE = {
    .iVersion = 0,
    .xCreate = NULL, /* eponymous only */
    .xConnect = vt_connect,
    .xBestIndex = vt_best_index,
    .xDisconnect = vt_disconnect,
    .xDestroy = NULL,
    .xOpen = vt_open,
    .xClose = vt_close,
    .xFilter = vt_filter,
    .xNext = vt_next,
    .xEof = vt_eof,
    .xColumn = vt_column,
    .xRowid = vt_rowid,
};

int kbi_codings_register(sqlite3 *db, kb_error *err)
{
    shared *sh = calloc(1, sizeof *sh);
    if (!sh)
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    sh->refs = 2; /* each module lets go of it when the connection closes */
    if (sqlite3_create_module_v2(db, "codings", &MODULE, sh, shared_unref) !=
        SQLITE_OK) {
        shared_unref(sh); /* called for the failed module too */
        shared_unref(sh);
        return kbi_store_fail(err, db, "registering the codings tables");
    }
    if (sqlite3_create_module_v2(db, "coding_facets", &MODULE, sh,
                                 shared_unref) != SQLITE_OK)
        return kbi_store_fail(err, db, "registering the codings tables");
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Writing packs                                                             */
/* ------------------------------------------------------------------------ */

int kbi_packw_prepare(kbi_packw *w, sqlite3 *db, kb_error *err)
{
    memset(w, 0, sizeof *w);
    w->db = db;
    int rc = kbi_store_prepare(db, &w->ins,
                               "INSERT INTO coding_packs(version_id, concept,"
                               " from_run, to_run, codings, alive) VALUES(?, ?,"
                               " ?, ?, ?, ?)",
                               err);
    if (!rc)
        rc = kbi_store_prepare(db, &w->upd,
                               "UPDATE coding_packs SET to_run = ?1, codings ="
                               " ?2, alive = ?3 WHERE id = ?4",
                               err);
    if (!rc)
        rc = kbi_store_prepare(db, &w->del,
                               "DELETE FROM coding_packs WHERE id = ?", err);
    if (rc)
        kbi_packw_free(w);
    return rc;
}

/* Binds to_run (0: NULL), the blob and the number of alive codings as
 * parameters at, at + 1 and at + 2 of st and steps it. */
static int step_pack(kbi_packw *w, sqlite3_stmt *st, int at, int64_t to,
                     const void *blob, size_t len, size_t alive, kb_error *err)
{
    if (to)
        sqlite3_bind_int64(st, at, to);
    else
        sqlite3_bind_null(st, at);
    sqlite3_bind_blob(st, at + 1, blob, (int)len, SQLITE_STATIC);
    sqlite3_bind_int64(st, at + 2, (int64_t)alive);
    int rc = sqlite3_step(st) == SQLITE_DONE
                 ? 0
                 : kbi_store_fail(err, w->db, "storing codings");
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc;
}

static int write_pack(kbi_packw *w, sqlite3_stmt *st, int at,
                      const kbi_cpack *p, kb_error *err)
{
    unsigned char *blob;
    size_t len;
    int rc = kbi_cpack_encode(p, &blob, &len, err);
    if (rc)
        return rc;
    rc = step_pack(w, st, at, kbi_cpack_to_run(p), blob, len,
                   kbi_cpack_alive(p), err);
    free(blob);
    return rc;
}

static void bind_key(kbi_packw *w, int64_t version, const char *concept,
                     int64_t from_run)
{
    sqlite3_bind_int64(w->ins, 1, version);
    sqlite3_bind_text(w->ins, 2, concept, -1, SQLITE_STATIC);
    sqlite3_bind_int64(w->ins, 3, from_run);
}

int kbi_packw_insert(kbi_packw *w, int64_t version, const char *concept,
                     int64_t from_run, const kbi_cpack *p, kb_error *err)
{
    if (!p->n)
        return 0;
    if (p->n > KBI_CPACK_MAX)
        return kbi_fail(err, KB_EINVAL, "more codings than a pack holds");
    bind_key(w, version, concept, from_run);
    return write_pack(w, w->ins, 4, p, err);
}

int kbi_packw_insert_blob(kbi_packw *w, int64_t version, const char *concept,
                          int64_t from_run, const void *blob, size_t len,
                          size_t *n, kb_error *err)
{
    int rc = kbi_cpack_count(blob, len, n, err);
    if (rc || !*n)
        return rc;
    if (*n > KBI_CPACK_MAX)
        return kbi_fail(err, KB_EINVAL, "more codings than a pack holds");
    bind_key(w, version, concept, from_run);
    return step_pack(w, w->ins, 4, 0, blob, len, *n, err);
}

int kbi_packw_update(kbi_packw *w, int64_t id, const kbi_cpack *p,
                     kb_error *err)
{
    if (!p->n) {
        sqlite3_bind_int64(w->del, 1, id);
        int rc = sqlite3_step(w->del) == SQLITE_DONE
                     ? 0
                     : kbi_store_fail(err, w->db, "storing codings");
        sqlite3_reset(w->del);
        return rc;
    }
    sqlite3_bind_int64(w->upd, 4, id);
    return write_pack(w, w->upd, 1, p, err);
}

void kbi_packw_free(kbi_packw *w)
{
    sqlite3_finalize(w->ins);
    sqlite3_finalize(w->upd);
    sqlite3_finalize(w->del);
    w->ins = w->upd = w->del = NULL;
}

/* ------------------------------------------------------------------------ */
/* The migration                                                             */
/* ------------------------------------------------------------------------ */

typedef struct group {
    int64_t version, from_run;
    char *concept;
    kbi_cpack p;
    kbi_pool strings; /* facet strings of the pack being built */
} group;

static int flush_group(kbi_packw *w, group *g, kb_error *err)
{
    int rc =
        kbi_packw_insert(w, g->version, g->concept, g->from_run, &g->p, err);
    kbi_cpack_reset(&g->p);
    kbi_pool_free(&g->strings);
    return rc;
}

/* Copies a text column into the group's pool. */
static const char *keep(group *g, sqlite3_stmt *st, int i, int *fail)
{
    const char *s = kbi_store_keep(&g->strings, st, i, fail);
    return s ? s : "";
}

int kbi_codings_pack_rows(sqlite3 *db, kb_error *err)
{
    sqlite3_stmt *rows = NULL, *facets = NULL;
    kbi_packw w = {0};
    group g = {0};
    int rc;
    if ((rc = kbi_store_prepare(
             db, &rows,
             "SELECT id, version_id, concept, from_run, to_run, segment_id,"
             " match_start, match_end FROM codings ORDER BY version_id,"
             " concept, from_run, segment_id, id",
             err)) ||
        (rc = kbi_store_prepare(db, &facets,
                                "SELECT facet, value, source FROM coding_facets"
                                " WHERE coding_id = ? ORDER BY facet, value",
                                err)) ||
        (rc = kbi_packw_prepare(&w, db, err)))
        goto out;
    int fail = 0;
    while (!rc && sqlite3_step(rows) == SQLITE_ROW) {
        int64_t version = sqlite3_column_int64(rows, 1);
        const char *concept = (const char *)sqlite3_column_text(rows, 2);
        int64_t from = sqlite3_column_int64(rows, 3);
        if (!concept)
            concept = "";
        if (g.concept &&
            (g.version != version || g.from_run != from ||
             strcmp(g.concept, concept) || g.p.n == KBI_CPACK_MAX)) {
            if ((rc = flush_group(&w, &g, err)))
                break;
        }
        if (!g.p.n) {
            free(g.concept);
            if (!(g.concept = strdup(concept))) {
                rc = kbi_fail(err, KB_ENOMEM, "out of memory");
                break;
            }
            g.version = version;
            g.from_run = from;
        }
        if ((rc = kbi_cpack_add(&g.p, sqlite3_column_int64(rows, 5),
                                sqlite3_column_int64(rows, 6),
                                sqlite3_column_int64(rows, 7),
                                sqlite3_column_int64(rows, 4), err)))
            break;
        sqlite3_bind_int64(facets, 1, sqlite3_column_int64(rows, 0));
        while (!rc && sqlite3_step(facets) == SQLITE_ROW) {
            const char *facet = keep(&g, facets, 0, &fail);
            const char *value = keep(&g, facets, 1, &fail);
            int source =
                kbi_fsource_parse((const char *)sqlite3_column_text(facets, 2));
            rc = fail ? kbi_fail(err, KB_ENOMEM, "out of memory")
                      : kbi_cpack_facet(&g.p, facet, value,
                                        source < 0 ? KBI_FSRC_PATTERN : source,
                                        err);
        }
        sqlite3_reset(facets);
    }
    if (!rc && g.p.n)
        rc = flush_group(&w, &g, err);
out:
    sqlite3_finalize(rows);
    sqlite3_finalize(facets);
    kbi_packw_free(&w);
    kbi_cpack_free(&g.p);
    kbi_pool_free(&g.strings);
    free(g.concept);
    return rc;
}
