/*
 * evaluate.h: the agreement and evaluation reports of a project:
 * kb_project_agree, kb_project_eval and their reports' accessors in kodbok.h
 * (evaluate.c), and what an evaluation was of, for its baseline
 * (baseline.c). May include: base/, store/, codebook/, manual/,
 * agree/agree.h.
 */
#ifndef KBI_EVALUATE_H
#define KBI_EVALUATE_H

#include "kodbok.h"

/* What an evaluation was of; the strings are borrowed from the report. */
typedef struct kbi_eval_about {
    const char *gold;
    kb_segment_kind unit;
    kb_code_kind by;
    const char *codebook_path; /* as the run recorded it */
    const char *codebook_hash;
} kbi_eval_about;

void kbi_eval_report_about(const kb_eval_report *r, kbi_eval_about *out);

#endif
