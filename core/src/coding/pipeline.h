/*
 * pipeline.h: matching the current documents of a run. Documents are matched
 * on `jobs` worker threads, each with an engine of its own, while the main
 * thread reads the next ones and settles what the last ones gave; SQLite is
 * used by the main thread, and by workers only on connections of their own
 * for reading texts. Includes coding/context.h, coding/packs.h and
 * coding/facets.h only of coding/.
 */
#ifndef KBI_CODING_PIPELINE_H
#define KBI_CODING_PIPELINE_H

#include "coding/context.h"

/* Matches every current document version that needs it (new or changed
 * documents with every concept, others with the changed concepts only),
 * settles the codings, records the versions the run covered and, when the
 * facets' rules changed, sets the facets of older codings again. A version
 * the matching pass matched (c->stash) is not matched again. */
int kbi_pipeline_code_all(kbi_run_ctx *c);

/* In the matching pass (c->matching) it stores nothing: what each version
 * gives is kept in c->stash, for the storing pass to take. Frees it. */
void kbi_pipeline_stash_free(kbi_run_ctx *c);

#endif
