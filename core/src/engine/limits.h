/*
 * limits.h: match-limit hits (engine.h's kbi_limit_hit) gathered per
 * concept and told as one notice each, with how many there were and where
 * the first was, so that a pattern that runs away on every segment gives
 * one line and not one per segment. May include: base/, engine/.
 */
#ifndef KBI_LIMITS_H
#define KBI_LIMITS_H

#include "kodbok.h"
#include "engine/engine.h"

#include <stddef.h>
#include <stdint.h>

typedef struct kbi_limit_row kbi_limit_row;

/* The hits so far, by concept in the order first hit. Zero it to start. */
typedef struct kbi_limit_tally {
    kbi_limit_row *v;
    size_t n, cap;
} kbi_limit_tally;

/*
 * Counts hit h in document `doc` (its name), `doc_key` telling documents
 * apart (hits come a document at a time). The first hit of a concept is
 * kept to be told; out of memory, it is only counted.
 */
void kbi_limits_add(kbi_limit_tally *t, int64_t doc_key, const char *doc,
                    const kbi_limit_hit *h);

/*
 * One notice per concept hit, in the order first hit, for codebook cb:
 * "DOC:START: pattern 'P' of concept 'C' hit the match limit in a KIND; it
 * counts as no match there", or, for more hits than one, "..., the first
 * of N hits in M documents; they count as no match there". `notice` may be
 * NULL. The tally is emptied.
 */
void kbi_limits_tell(kbi_limit_tally *t, const kb_codebook *cb,
                     kb_notice_fn notice, void *ctx);

/* The message kbi_limits_tell gives for the first concept hit, into
 * buf[size] ("" when there was no hit). */
void kbi_limits_first(const kbi_limit_tally *t, const kb_codebook *cb,
                      char *buf, size_t size);

/* Frees a tally's rows (not t itself). */
void kbi_limits_free(kbi_limit_tally *t);

#endif
