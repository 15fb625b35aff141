/*
 * diff.h: what changed between two coding runs: kb_project_diff and the
 * kb_diff getters (declared in kodbok.h) are defined in diff.c, with the
 * tally of moved and kept quotes that a run's summary (run.c) shows. Not
 * part of the public API.
 *
 * May include: kodbok.h, base/, store/, coding/runs.h.
 */
#ifndef KBI_CODING_DIFF_H
#define KBI_CODING_DIFF_H

#include "kodbok.h"

#include <stddef.h>
#include <stdint.h>

/*
 * The moved and kept quotes from run a to a later run b, as
 * kb_project_diff finds them, reading only the lost quotes and the gained
 * quotes of the documents that lost some (a run's summary).
 */
int kbi_diff_tally(kb_project *p, int64_t a, int64_t b, size_t *moved,
                   size_t *kept, kb_error *err);

#endif
