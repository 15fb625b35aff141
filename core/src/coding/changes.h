/*
 * changes.h: what changed since the previous run. A run compares the
 * codebook with the previous run's snapshot (rules hashes per concept,
 * facets and their values, cases and mappings), moves the codings of
 * renamed codes to their new ids, records its own snapshot and closes the
 * codings of removed concepts and replaced document versions. Includes
 * coding/context.h and coding/packs.h only of coding/.
 */
#ifndef KBI_CODING_CHANGES_H
#define KBI_CODING_CHANGES_H

#include "coding/context.h"

/*
 * Marks in c->changed each concept whose rules differ from the previous
 * run's (or that is new), and sets c->facets_changed when a facet, a value,
 * the cases or the mappings changed. A concept renamed with `was: old-id`
 * takes over the alive codings of its old id when that is gone.
 */
int kbi_changes_compare(kbi_run_ctx *c);

/*
 * Moves the manual codings (tags and review decisions) and the memos of
 * every node renamed with `was: old-id` to its new id, when the old id is
 * gone. A coder who has the new id on the same passage already keeps that
 * one, and so does a memo of the new id's with the same author and time.
 */
int kbi_changes_rename_manual(kbi_run_ctx *c);

/* Records this run's codebook in run_codes: every node with its rules hash
 * (a facet with its attribute), and the hash of cases and mappings. */
int kbi_changes_snapshot(kbi_run_ctx *c);

/* Closes codings of concepts no longer in the codebook, and of versions
 * that are no longer current. Runs after kbi_changes_snapshot, so both the
 * previous run's concepts and this run's are in run_codes. */
int kbi_changes_close_removed(kbi_run_ctx *c);

#endif
