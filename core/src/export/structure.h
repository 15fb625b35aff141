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
 * The codebook run `run` (0: the last) of project p stored, loaded as the
 * run read it (kb_codebook_free). KB_ENORUN, KB_ENOENT, KB_EFORMAT, KB_EDB,
 * KB_ENOMEM.
 */
int kbi_structure_run_codebook(kb_codebook **cb, kb_project *p, int64_t run,
                               kb_error *err);

/*
 * The quotes of list l each node of cb has, for the figure's counts: a
 * concept's, a theme's (its concepts' and those coded with the whole
 * theme), a dimension's, as every count of the quotes is made;
 * KB_NO_COUNT for a facet or value. *out is indexed like kb_codebook_get
 * (free). KB_ENOMEM.
 */
int kbi_structure_list_counts(size_t **out, const kb_codebook *cb,
                              const kb_quote_list *l, kb_error *err);

#endif
