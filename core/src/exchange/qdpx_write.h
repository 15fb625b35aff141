/*
 * qdpx_write.h: a project written as a REFI-QDA project (.qdpx):
 * kb_project_write_qdpx (kodbok.h) builds project.qde (users, the last
 * run's codebook, variables, cases, sources with their codings as
 * selections, memos as notes) and the sources/ folder in memory, and
 * writes the zip beside its target before renaming it (docs/refi-qda.md).
 *
 * May include: base store codebook manual quotes (and exchange).
 */
#ifndef KBI_EXCHANGE_QDPX_WRITE_H
#define KBI_EXCHANGE_QDPX_WRITE_H

#include "kodbok.h"

#include <time.h>

/* The fixed time written as every entry's modification time, so that the
 * same project gives the same bytes: 1980-01-01 12:00 UTC, the first day a
 * zip can hold. */
#define KBI_QDPX_MTIME ((time_t)315576000)

#endif
