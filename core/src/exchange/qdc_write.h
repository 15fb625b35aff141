/*
 * qdc_write.h: a codebook written as REFI-QDA codes (docs/refi-qda.md, "The
 * codebook"): the Gioia tiers and the facets as nested <Code>s, each with
 * its rules in a `kodbok:` block at the end of its <Description>, and the
 * codebook as a <Set>. kb_codebook_write_qdc (kodbok.h) writes a whole .qdc;
 * the project writer (qdpx_write.c) puts the same codes into project.qde.
 *
 * May include: base codebook (and exchange).
 */
#ifndef KBI_EXCHANGE_QDC_WRITE_H
#define KBI_EXCHANGE_QDC_WRITE_H

#include "base/xml.h"
#include "kodbok.h"

/* Writes a code's <NoteRef>s into x, after its Description (a project's
 * codes may have them, a .qdc's not); 0 or a KB_E* code. */
typedef int (*kbi_qdc_notes_fn)(void *ctx, kbi_xml *x, const kb_code_info *c);

/*
 * Writes <Codes> with every node of `cb` into x. `coded` is NULL or holds,
 * per node (kb_codebook_get's index), 1 for a dimension or theme coded by
 * hand, which is then written codable. `notes` (NULL: none) writes each
 * code's NoteRefs. KB_EINVAL for a codebook without nodes (the schemas want
 * a code), KB_ENOMEM.
 */
int kbi_qdc_codes(kbi_xml *x, const kb_codebook *cb, const unsigned char *coded,
                  kbi_qdc_notes_fn notes, void *ctx, kb_error *err);

/* Writes the codebook's <Set> (its name and format in a `kodbok:` block)
 * into x, inside an open <Sets>. KB_ENOMEM. */
int kbi_qdc_set(kbi_xml *x, const kb_codebook *cb, kb_error *err);

/* Writes the GUID of node i of `cb` (docs/refi-qda.md, "GUIDs") into
 * out[KBI_GUID_LEN + 1]; -1 if hashing failed. */
int kbi_qdc_guid(char *out, const kb_codebook *cb, size_t i);

/* The lines of a kodbok block (docs/refi-qda.md), appended to the text
 * *buf (*len of *cap, NUL-ended): "  key: " and the scalar s quoted as
 * YAML (single quotes, or double quotes with escapes for a tab or a line
 * break), or "  key: word" for a bare word (a name of kodbok's, a
 * boolean). 0, or -1 when out of memory. */
int kbi_qdc_yaml_key(char **buf, size_t *len, size_t *cap, const char *key,
                     const char *s);
int kbi_qdc_yaml_word(char **buf, size_t *len, size_t *cap, const char *key,
                      const char *word);

#endif
