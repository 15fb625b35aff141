/*
 * qdpx_write.h: a project written as a REFI-QDA project (.qdpx):
 * kb_project_write_qdpx (kodbok.h) builds project.qde (users, the last
 * run's codebook, variables, cases, sources with their codings as
 * selections, memos as notes) and the sources/ folder in memory
 * (base/zipwrite), and writes the package only once complete
 * (docs/refi-qda.md).
 *
 * May include: base store codebook manual quotes (and exchange).
 */
#ifndef KBI_EXCHANGE_QDPX_WRITE_H
#define KBI_EXCHANGE_QDPX_WRITE_H

#include "kodbok.h"

#endif
