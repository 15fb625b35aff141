/*
 * packs.h: a run's bookkeeping of the coding packs it reads back to change:
 * reading them into the run's slots, copying codings between packs, and
 * closing every alive coding of some packs. Includes coding/context.h only
 * of coding/.
 */
#ifndef KBI_CODING_PACKS_H
#define KBI_CODING_PACKS_H

#include "coding/context.h"

/* Reads the row of st (id, version_id, from_run, concept, codings) into
 * c->old[i]. */
int kbi_packs_read_row(kbi_run_ctx *c, sqlite3_stmt *st, size_t i);

/*
 * Reads the packs `sql` selects (id, version_id, from_run, concept,
 * codings; ?1 = a, ?2 = b, ?3 = s) into c->old[0..*n), all before any is
 * written back, with one more slot free for the caller.
 */
int kbi_packs_read(kbi_run_ctx *c, const char *sql, int64_t a, int64_t b,
                   const char *s, size_t *n);

/* Appends coding i of `from`, with its facet values, to `to`. */
int kbi_packs_copy(kbi_run_ctx *c, kbi_cpack *to, const kbi_cpack *from,
                   size_t i);

/* Sets to_run on every alive coding of the packs `sql` selects (as
 * kbi_packs_read, ?1 = the previous run, ?2 = this run): they are lost. */
int kbi_packs_close(kbi_run_ctx *c, const char *sql);

#endif
