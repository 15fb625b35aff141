/*
 * manual.h: manual codings inside the library (manual.c): tags, the rows
 * of manual_codings, re-anchoring them on a new version, and the SQL other
 * modules use to leave rejected quotes out. The public side is the "Manual
 * codings" section of kodbok.h. May include: base/, store/, manual/.
 */
#ifndef KBI_MANUAL_H
#define KBI_MANUAL_H

#include "base/grow.h"
#include "kodbok.h"
#include "manual/anchor.h"

#include <sqlite3.h>
#include <stdint.h>

/*
 * True (1) when the automatic coding aliased `c` (a row of `codings`) is a
 * rejected quote: some coder rejected its concept on its segment of its
 * version. Every table and export of quotes adds
 * "AND NOT " KBI_REJECTED("c") to its WHERE clause. A rejection is re-anchored
 * with its document, so it holds across re-runs and re-imports until the
 * quote's text changes.
 */
#define KBI_REJECTED(c)                                                        \
    "EXISTS (SELECT 1 FROM manual_codings m_ WHERE m_.version_id = " c         \
    ".version_id AND m_.code = " c ".concept AND m_.segment_id = " c           \
    ".segment_id AND m_.decision = 'reject' AND m_.placed)"

/*
 * The codebook node kind ("concept", "theme", "dimension") of `code` in the
 * last run's codebook snapshot, into kind[16]. KB_ENOENT when the project
 * has no run yet or the codebook has no such node.
 */
int kbi_manual_code_kind(sqlite3 *db, const char *code, char kind[16],
                         kb_error *err);

/* Checks a coder's name: not empty, at most 64 bytes, no white space, no
 * control character, no comma. KB_EINVAL otherwise, about `argument` (the
 * caller's argument that gave the name, as kodbok.h names it; NULL for a
 * name read from a file). A memo's author ("author") is checked alike and
 * named so. */
int kbi_manual_coder_check(const char *coder, const char *argument,
                           kb_error *err);

/* KB_ENOENT when `coder` has no manual codings in the project, naming the
 * nearest coder when one is near (did you mean), else the coders there
 * are. */
int kbi_manual_coder_known(sqlite3 *db, const char *coder, kb_error *err);

/* One row of manual_codings to write (strings borrowed). */
typedef struct kbi_manual_row {
    int64_t document_id, version_id;
    const char *coder, *kind, *code, *decision, *memo;
    kbi_place place;
    const kbi_anchor *anchor;
    kb_segment_kind segment_kind; /* review decisions; 0 for tags */
    int64_t segment_id;
    const char *const *facets; /* "facet=value", checked */
    size_t nfacets;
    int featured; /* the coder featured the quote it is part of */
} kbi_manual_row;

/* The ids of document `doc` and of its current version. KB_ENOENT when
 * there is no such document, KB_EDB. */
int kbi_manual_current_version(sqlite3 *db, const char *doc, int64_t *doc_id,
                               int64_t *vid, kb_error *err);

/*
 * Inserts a row with its facets (inside the caller's transaction). *id gets
 * its id. KB_EEXIST (nothing written) when the coder already has a manual
 * coding of that code on that span of that version.
 */
int kbi_manual_insert(sqlite3 *db, const kbi_manual_row *r, int64_t *id,
                      kb_error *err);

/*
 * Runs st, a DELETE of manual codings ending "RETURNING id, memo", in one
 * transaction. KB_EEXIST, and nothing removed, when one of them has a memo
 * (it would be lost with it); KB_ENOENT with `what` when none matched;
 * KB_EDB.
 */
int kbi_manual_delete(kb_project *p, sqlite3_stmt *st, const char *what,
                      kb_error *err);

/* Checks "facet=value" pairs against the last run's codebook: KB_EINVAL
 * for one not of that form, KB_ENOENT naming an unknown facet or value and
 * the nearest one (or, none near, the ones there are). */
int kbi_manual_facets_check(sqlite3 *db, const char *const *facets, size_t n,
                            kb_error *err);

/*
 * After import.c stored version `version` of document `doc_id` (named
 * `name`): moves the document's manual codings on older versions, placed or
 * kept aside, to the new version by quote and context (kbi_anchor_place). A
 * review decision must find its quote as a whole segment of its kind again.
 * One that cannot be placed is kept aside (placed = 0, on the version it
 * last stood on) and named through `notice`. Runs inside the caller's
 * transaction.
 */
int kbi_manual_reanchor(kb_project *p, int64_t doc_id, const char *name,
                        int version, kb_notice_fn notice, void *ctx,
                        kb_error *err);

/* The id of the segment of `kind` in `d` spanning exactly [start, end), or
 * 0 if none does; -1 (err set) on failure. */
int64_t kbi_manual_segment_at(kb_document *d, kb_segment_kind kind,
                              size_t start, size_t end, kb_error *err);

#endif
