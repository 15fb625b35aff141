/*
 * baseline.h: the baseline gate: an evaluation saved as a baseline file
 * (kb_eval_baseline_save) and the rules held to it (kb_eval_gate and the
 * gate's accessors in kodbok.h, baseline.c), which need nothing more here.
 * The file is JSON, read by libyaml (JSON's flow collections, double-quoted
 * strings and plain numbers are YAML) with every node held to JSON's forms.
 * May include: base/, agree/evaluate.h.
 */
#ifndef KBI_BASELINE_H
#define KBI_BASELINE_H

#include "kodbok.h"

#endif
