/*
 * qdc_read.h: REFI-QDA codebooks read (qdc_read.c): the <CodeBook> of a
 * .qdc file or of a project's project.qde turned into kodbok's Gioia tiers
 * and written as codebook YAML; kb_codebook_from_qdc of kodbok.h. A code's
 * `kodbok:` block (docs/refi-qda.md) gives back its kind, id and rules;
 * without one the tree's shape decides. May include: base/, codebook/.
 */
#ifndef KBI_QDC_READ_H
#define KBI_QDC_READ_H

#include "base/file.h"
#include "kodbok.h"

#include <libxml/tree.h>
#include <stddef.h>

/* One node of the codebook read: a <Code>, or a dimension or theme made to
 * hold codes that had none (guid NULL). */
typedef struct kbi_qdc_code {
    char *guid; /* lower case, without braces; NULL for a node made here */
    char *name, *description, *color;
    char *id;
    kb_code_kind kind;
    size_t parent; /* the node it hangs under in the codebook, or KB_NO_INDEX */
    int codable, skipped;
    /* from the code's kodbok: block, NULL where absent */
    char *b_kind, *b_id, *b_was, *b_scope, *b_speakers, *b_caseless,
        *b_attribute, *b_default;
    char **b_patterns, **b_exclude;
    size_t nb_patterns, nb_exclude;
} kbi_qdc_code;

typedef struct kbi_qdc {
    kbi_qdc_code *codes;
    size_t n, cap;
    char *name; /* the codebook's name from its kodbok Set, or NULL */
    char *yaml; /* the codebook YAML (kbi_qdc_read) */
    size_t len;
} kbi_qdc;

/*
 * Reads the CodeBook element `cb` of document `file` into *q and renders
 * its YAML under the name `name` (unless the codebook names itself).
 * What is read leniently (schema problems, namespace variants, a tree
 * deeper than three tiers, colours kodbok has no place for) is told to
 * `notice`. KB_EFORMAT for a codebook without codes; KB_ENOMEM.
 */
int kbi_qdc_read(kbi_qdc *q, xmlNode *cb, const char *name, const char *file,
                 kb_notice_fn notice, void *ctx, kb_error *err);
void kbi_qdc_clear(kbi_qdc *q);

/* The node of a GUID as any file writes it (any case, braces), or NULL. */
const kbi_qdc_code *kbi_qdc_find(const kbi_qdc *q, const char *guid);

/* The value of the top-level `key` of the kodbok block at the end of a
 * Description (docs/refi-qda.md), as a new string, or NULL when it has
 * none (or out of memory). */
char *kbi_refi_block_value(const char *description, const char *key);

/* A GUID in one form (caller frees): lower case, braces and blanks
 * dropped. NULL when out of memory. */
char *kbi_refi_guid(const char *guid);

/*
 * Checks q's YAML as kb_codebook_load would and writes it to
 * `staged` (kbi_out_open of `yaml_path`), closed and not yet in place: the
 * caller ends it with kbi_out_end (1 to replace `yaml_path`, 0 to leave it).
 * Messages about the YAML name `source` (the REFI-QDA file). KB_EIO,
 * KB_EFORMAT, KB_ENOMEM; after a failure `staged` is ended already.
 */
int kbi_qdc_stage(const kbi_qdc *q, kbi_out *staged, const char *yaml_path,
                  const char *source, kb_error *err);

/* Is this XML element in a REFI-QDA namespace other than the one of
 * version 1.0 (`kind` "codebook" or "project")? Tells `notice` so once per
 * file, naming it; a missing namespace is told too. */
void kbi_refi_ns_check(const xmlNode *n, const char *kind, const char *file,
                       kb_notice_fn notice, void *ctx);

#endif
