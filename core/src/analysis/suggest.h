/*
 * suggest.h: patterns proposed for a concept from a coder's codings of it
 * (suggest.c): kb_project_suggest and its report in kodbok.h, and the
 * report's insides, which suggest_write.c reads.
 *
 * May include: kodbok.h, base/, store/, codebook/, engine/, agree/,
 * analysis/vocab.h, analysis/keyness.h, analysis/stopwords.h.
 */
#ifndef KBI_ANALYSIS_SUGGEST_H
#define KBI_ANALYSIS_SUGGEST_H

#include "base/grow.h"
#include "kodbok.h"

struct kb_suggest_report {
    kb_suggestion *v;
    size_t n;
    kb_suggestion combined;
    const char **combined_patterns; /* the combined rule's, in order */
    size_t ncombined;
    const char *concept, *gold; /* copies */
    size_t units, positives, folds;
    kb_segment_kind unit;
    kbi_pool strings;
};

#endif
