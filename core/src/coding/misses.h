/*
 * misses.h: what a run's coding misses, told through the options' notice
 * (and, with strict, as an error): concepts that match nothing, and
 * documents without turns of a role some concepts are limited to.
 * Includes coding/context.h only of coding/.
 */
#ifndef KBI_CODING_MISSES_H
#define KBI_CODING_MISSES_H

#include "coding/context.h"

/* Names, in a notice, each concept with patterns that has no alive coding
 * on any current document (after kbi_changes_close_removed and
 * kbi_pipeline_code_all, every alive pack is on a current version); with
 * strict, fails when there is one. */
int kbi_misses_unmatched(kbi_run_ctx *c);

/* For each role some concept is limited to, a notice naming the current
 * documents without turns of that role, where those concepts find
 * nothing. */
int kbi_misses_role_gaps(kbi_run_ctx *c);

#endif
