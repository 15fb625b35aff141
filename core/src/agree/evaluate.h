/*
 * evaluate.h: the agreement and evaluation reports of a project:
 * kb_project_agree, kb_project_eval and their reports' accessors in kodbok.h
 * (evaluate.c), what an evaluation was of, for its baseline
 * (baseline.c), and the units of one concept as eval sees them, for the
 * rules proposed from a coder's codings (analysis/suggest.c). May include:
 * base/, store/, codebook/, manual/, agree/agree.h.
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

/*
 * The codebook of run `run` (0: the last), read from the copy the run
 * stored, with the run's id and (if `path`, caller frees) the path it
 * recorded. KB_ENORUN, KB_ENOENT (no such run), KB_EDB, KB_ENOMEM.
 */
int kbi_eval_run_codebook(kb_codebook **cb, int64_t *id, char **path,
                          kb_project *p, int64_t run, kb_error *err);

/* KB_ENOENT for a concept the codebook lacks, naming the nearest concept
 * (argument "concept"). */
int kbi_eval_unknown_concept(const kb_codebook *cb, const char *concept,
                             kb_error *err);

#include <stddef.h>
#include <stdint.h>

/* One unit of a concept as eval scores it against a coder. */
typedef struct kbi_gold_unit {
    size_t doc;        /* index into kbi_gold.docs */
    size_t start, end; /* code points */
    kb_role role;
    const char *text; /* NUL-terminated, owned by the kbi_gold */
    int gold;         /* 1: the coder coded the concept on it (a tag or an
                         accepted quote overlaps it) */
} kbi_gold_unit;

/* The units of one concept against one coder (kbi_eval_gold). */
typedef struct kbi_gold {
    const kb_codebook *cb; /* the run's codebook */
    size_t node;           /* the concept's node in it */
    const char *const *docs;
    size_t ndocs;         /* every current document, by name */
    kbi_gold_unit *units; /* those of the documents the coder rated whose
                             speaker the concept admits, in document order */
    size_t n, positives;
    struct kbi_eval_builder *b;
} kbi_gold;

/*
 * The units kb_project_eval scores concept `concept` on against coder
 * `gold` (its unit model, docs/agreement.md): segments of `unit` (0:
 * sentences) of the current versions of the documents the coder rated,
 * whose speaker the concept's rule admits, each with the coder's value.
 * The run (0: the last) gives the codebook. KB_ENOENT for an unknown
 * concept or coder (with the nearest name), KB_ENORUN, KB_EDB, KB_ENOMEM.
 */
int kbi_eval_gold(kbi_gold *out, kb_project *p, const char *gold,
                  const char *concept, int64_t run, kb_segment_kind unit_kind,
                  kb_notice_fn notice, void *ctx, kb_error *err);
void kbi_gold_free(kbi_gold *g);

/* The first of units [u0, u1) (one document's) that ends after code point
 * `start`: the first a passage starting there overlaps. */
size_t kbi_gold_first(const kbi_gold *g, size_t u0, size_t u1, size_t start);

/*
 * Adds to *sc (tp, fp, fn, then kb_eval_compute) the units marked in `on`
 * (a byte per unit: the automatic codes found it) against the coder's, as
 * kb_project_eval counts them, on the documents `in` chooses (in[d] != 0;
 * NULL: all).
 */
void kbi_gold_score(const kbi_gold *g, const unsigned char *on,
                    const unsigned char *in, kb_eval_scores *sc);

#endif
