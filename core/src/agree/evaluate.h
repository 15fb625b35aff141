/*
 * evaluate.h: the agreement and evaluation reports of a project:
 * kb_project_agree, kb_project_eval and their reports' accessors in kodbok.h
 * (evaluate.c), which need nothing more here. May include: base/, store/,
 * codebook/, manual/, agree/agree.h.
 */
#ifndef KBI_EVALUATE_H
#define KBI_EVALUATE_H

#include "kodbok.h"

#endif
