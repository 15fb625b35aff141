/*
 * list.h: the insides of a quote list (struct kb_quote_list), shared by the
 * files of quotes/ that build and read it and included by no one else: its
 * rows, the run's codes and concepts they are of, the document versions
 * they are on and the run's codebook; a row added and its codes placed.
 * Other folders see a list through kodbok.h and the headers of quotes/.
 *
 * A list may hold a million quotes, so nothing is allocated per quote:
 * texts go into an arena, and the names they repeat (documents, concepts,
 * speakers, cases, facet values) are kept once in a string set; large
 * arrays are faulted in at once (kbi_prefault).
 *
 * May include: kodbok.h, base/, store/, codebook/, engine/.
 */
#ifndef KBI_QUOTES_LIST_H
#define KBI_QUOTES_LIST_H

#include "base/grow.h"
#include "kodbok.h"

#include <stddef.h>
#include <stdint.h>

/* A code of the run's snapshot. */
typedef struct kbi_code_row {
    char *kind, *code, *parent, *label;
} kbi_code_row;

/* A concept with its theme and dimension and its place in the codebook,
 * looked up by id for every coding. */
typedef struct kbi_concept_ix {
    const kbi_code_row *concept, *theme, *dimension;
    size_t ord;  /* among the codes */
    size_t rank; /* among the concepts */
} kbi_concept_ix;

struct kb_quote_list {
    kb_quote_row *v;
    size_t n, cap;
    kbi_code_row *codes;
    size_t ncodes, capcodes;
    kbi_concept_ix *concepts; /* sorted by concept id */
    size_t nconcepts;
    const char **facets; /* facet ids of the run */
    size_t nfacets;
    size_t *ords;          /* per quote, its code's place in the codebook */
    size_t capords, nauto; /* the automatic quotes come first */
    kb_case_list *cases;   /* for attributes */
    const kb_case_info **case_ix; /* the cases by id (kbi_attributes_index) */
    const char **attrs;           /* the attribute names, each once */
    size_t nattrs;
    kbi_pool strings; /* the codes, manual codings */
    kbi_strset names; /* documents, speakers, cases, facet values */
    kbi_arena texts;  /* the automatic quotes */
    struct kbi_version_ix *versions; /* by id */
    size_t nversions, capversions;
    int counts_only; /* no texts for the automatic quotes, no order */
    int skip_words;  /* rows' words left 0 */
    /* room for facet values (kbi_quote_list_add_row): the next */
    const char **slots;
    size_t slots_left, slotted;        /* rows given room */
    const struct kbi_concept_ix *last; /* the concept found last */
    kb_codebook *cb; /* the run's codebook, read when manual quotes need it */
    kb_project *project; /* borrowed: the segments of a co-occurrence matrix
                            by segment or turn are read from it (units.c) */
    struct kbi_member *members; /* manual codings and the quotes they are in */
    size_t nmembers, capmembers;
    size_t *weights; /* a tally (kbi_project_quote_tally): per row, the
                        quotes a grouped row stands for, 0 for a row of
                        its own; else NULL */
    size_t capweights;
    int64_t *touched; /* a tally: the versions with manual codings, sorted */
    size_t ntouched;
    int across;       /* a tally grouped across documents too: a row stands for
                         the quotes of a concept with the same facet values on
                         any document without manual codings, and has none */
    kbi_slots groups; /* then its rows by concept and facet values */
    int alive_counts; /* a tally by code of the latest run: a grouped pack
                         is one row of its alive count (coding_packs.alive),
                         none decoded */
    struct kbi_reviewed *reviews; /* the run's reviewed codings by id */
    size_t nreviews;
    int reviews_read;            /* reviews read (once for every page) */
    struct kbi_engine *rules;    /* the run codebook's facet rules, built once
                                    when manual quotes need them */
    struct kbi_place *doc_ranks; /* the documents ranked by name, once for
                                    every sort (order.c) */
    size_t ndoc_ranks;
};

/* A manual coding (its id) and the row of the quote it is part of. */
typedef struct kbi_member {
    int64_t id;
    size_t row;
} kbi_member;

/* A document version: its name and number, found by its id. */
typedef struct kbi_version_ix {
    int64_t id;
    const char *name; /* in names */
    int version;
} kbi_version_ix;

/* The code `code` of `kind` ("concept", "theme", "dimension", "facet",
 * "value") in the run's snapshot, or NULL. */
const kbi_code_row *kbi_quote_list_find_code(const kb_quote_list *l,
                                             const char *kind,
                                             const char *code);

/* The run's concept `id` with its theme and dimension, or NULL
 * (kbi_quote_list_index_concepts first). */
const kbi_concept_ix *kbi_quote_list_find_concept(const kb_quote_list *l,
                                                  const char *id);

/* Reads the codes of run `run`'s snapshot (table run_codes) in codebook
 * order, and the run's facet ids. KB_EDB, KB_ENOMEM. */
int kbi_quote_list_load_codes(kb_quote_list *l, kb_project *p, int64_t run,
                              kb_error *err);

/* Indexes the run's concepts by id, each with its theme and dimension
 * (after kbi_quote_list_load_codes). KB_ENOMEM. */
int kbi_quote_list_index_concepts(kb_quote_list *l, kb_error *err);

/* Fills row i's codes from its code of `kind` ("concept", "theme" or
 * "dimension") and its place in the codebook; does it pass the filter's
 * codes? */
int kbi_quote_list_place_code(kb_quote_list *l, size_t i, const char *kind,
                              const char *code, const kb_quote_filter *f);

/* Room for one more row (l->n, not counted yet), zeroed, with room for its
 * facet values; NULL when out of memory. */
kb_quote_row *kbi_quote_list_add_row(kb_quote_list *l);

/* Reads every document version with its name, ordered by id. KB_EDB,
 * KB_ENOMEM. */
int kbi_quote_list_load_versions(kb_quote_list *l, kb_project *p,
                                 kb_error *err);

/* The document version of id `id`, or NULL. */
const kbi_version_ix *kbi_quote_list_find_version(const kb_quote_list *l,
                                                  int64_t id);

/* Reads the run's codebook into l->cb, once. KB_EDB, KB_EFORMAT,
 * KB_ENOMEM. */
int kbi_quote_list_codebook(kb_quote_list *l, kb_project *p, int64_t run,
                            kb_error *err);

#endif
