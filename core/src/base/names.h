/*
 * names.h: the names of kodbok.h's enumerations (kb_segment_kind_name,
 * kb_role_name, kb_code_kind_name, kb_decision_name, kb_count_kind_parse,
 * kb_export_format_parse) are defined in names.c and declared in kodbok.h;
 * this header adds what kodbok.h has no call for. May include: kodbok.h.
 */
#ifndef KBI_NAMES_H
#define KBI_NAMES_H

#include "kodbok.h"

/* The name of a count kind (kb_export_options.count: "quotes",
 * "documents", "cases", "words", "presence"), NULL for another number. */
const char *kbi_count_kind_name(int kind);

/* The name of a co-occurrence unit (kb_matrix_unit: "segment", "turn",
 * "document", "case"), NULL for another number. */
const char *kbi_matrix_unit_name(int unit);

/* The name of a concept's speakers, as a codebook writes it:
 * "respondents", "interviewers", "all"; NULL for another number. */
const char *kbi_speakers_name(kb_speakers s);

#endif
