/*
 * runs.h: the coding runs of a project read back: kb_project_runs and the
 * kb_run_list getters (declared in kodbok.h) are defined in runs.c, with
 * the lookups of a run that the diff, the counts and the manual codings share.
 * "Alive at run R" is from_run <= R AND (to_run IS NULL OR to_run >= R)
 * (run.c). Not part of the public API.
 *
 * May include: kodbok.h, base/, store/.
 */
#ifndef KBI_STORE_RUNS_H
#define KBI_STORE_RUNS_H

#include "kodbok.h"

#include <sqlite3.h>

#include <stdint.h>

/* The id of the last run before run `before` (INT64_MAX: the last run),
 * or 0 when there is none or it cannot be read. */
int64_t kbi_runs_last(sqlite3 *db, int64_t before);

/* Is there a run of id `id`? 0 also when it cannot be read. */
int kbi_runs_exists(kb_project *p, int64_t id);

/*
 * The codebook run `run` (0: the last) stored: *id the run's id, *raw and
 * *len its bytes, *path the path it was read from (NULL when none),
 * copies the caller frees. For kbi_codebook_parse_run. KB_ENORUN (no runs
 * yet), KB_ENOENT (no such run), KB_EDB, KB_ENOMEM.
 */
int kbi_runs_codebook(kb_project *p, int64_t run, int64_t *id,
                      unsigned char **raw, size_t *len, char **path,
                      kb_error *err);

#endif
