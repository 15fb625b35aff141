/*
 * packs.c: the coding packs a run reads back, changes and writes again.
 */
#include "coding/packs.h"
#include "base/error.h"
#include "base/grow.h"

#include <stdlib.h>
#include <string.h>

/* Room for n packs read back. */
static int old_pack_room(kbi_run_ctx *c, size_t n)
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

int kbi_packs_read_row(kbi_run_ctx *c, sqlite3_stmt *st, size_t i)
{
    int rc = old_pack_room(c, i + 1);
    if (rc)
        return rc;
    kbi_old_pack *o = &c->old[i];
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

int kbi_packs_read(kbi_run_ctx *c, const char *sql, int64_t a, int64_t b,
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
        rc = kbi_packs_read_row(c, st, (*n)++);
    if (!rc)
        rc = old_pack_room(c, *n + 1);
    sqlite3_finalize(st);
    return rc;
}

int kbi_packs_copy(kbi_run_ctx *c, kbi_cpack *to, const kbi_cpack *from,
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

int kbi_packs_close(kbi_run_ctx *c, const char *sql)
{
    size_t n;
    int rc = kbi_packs_read(c, sql, c->prev, c->run, NULL, &n);
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
