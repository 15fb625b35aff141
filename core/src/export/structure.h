/*
 * structure.h: the Gioia data-structure figure (structure.c): as SVG or DOT,
 * kb_structure_write of kodbok.h; and as figure slides of a deck, laid out
 * as the SVG is, split over slides where one would scale the labels below
 * a readable size. May include: base/, store/, codebook/, export/svg.h,
 * export/deck.h.
 */
#ifndef KBI_STRUCTURE_H
#define KBI_STRUCTURE_H

#include "export/deck.h"
#include "kodbok.h"

#include <stdint.h>

/*
 * Appends the data-structure figure of cb to deck d as figure slides, the
 * first titled `title`, the others "<title> (forts.)". Boxes, labels,
 * colours and lines are the SVG's (Swedish column headers), with counts[i]
 * as "(n)" after node i's label when counts is not NULL (KB_NO_COUNT: none;
 * indexed like kb_codebook_get). A figure that would be scaled below about
 * ten points on one slide goes on several, whole themes on each (a theme
 * too tall for a slide of its own goes on several, concept by concept),
 * with the column headers on each and a dimension's box on each slide with
 * one of its themes. KB_ENOMEM, KB_EINVAL.
 */
int kbi_structure_deck(kbi_deck *d, const kb_codebook *cb, const size_t *counts,
                       const char *title, kb_error *err);

/*
 * The figure's input for run `run` (0: the last) of project p: *cb the
 * codebook the run stored (kb_codebook_free), *counts the quotes
 * kb_project_count gives each of its nodes at that run, indexed like
 * kb_codebook_get, KB_NO_COUNT for a node without (free), as `kodbok
 * structure --counts` shows them. Both NULL on failure. KB_ENORUN,
 * KB_ENOENT, KB_EFORMAT, KB_EDB, KB_ENOMEM.
 */
int kbi_structure_run_counts(kb_codebook **cb, size_t **counts, kb_project *p,
                             int64_t run, kb_error *err);

/*
 * kbi_structure_deck of run `run` (0: the last) of project p, with the
 * codebook and counts of kbi_structure_run_counts. KB_ENORUN, KB_ENOENT,
 * KB_EFORMAT, KB_EDB, KB_ENOMEM, KB_EINVAL.
 */
int kbi_structure_run_deck(kbi_deck *d, kb_project *p, int64_t run,
                           const char *title, kb_error *err);

#endif
