/*
 * import.h: importing transcripts into a project: kb_project_import of kodbok.h
 * (import.c), and kbi_import_text for texts read from packages (REFI-QDA
 * projects). May include: base/, store/, manual/, ingest/.
 */
#ifndef KBI_IMPORT_H
#define KBI_IMPORT_H

#include "kodbok.h"

#include <stdint.h>

/* What kbi_import_text stored: the document and its current version. */
typedef struct kbi_imported {
    int64_t document_id, version_id;
    int version;
    kb_import_status status;
} kbi_imported;

/*
 * Imports `text` (len bytes of stored text: NFC UTF-8 with LF line ends,
 * as base/decode gives it) as document `name`, inside the caller's
 * transaction, as kb_project_import imports a file: parsed with the rules
 * the document was read with last (a new one: the built-in rules), a
 * changed text a new version with its manual codings re-anchored, an
 * unchanged one left as it is. `source` is recorded as where the text came
 * from; `case_name`, when not NULL, is the document's case. The caller
 * maps cases (kbi_cases_resolve) before it commits.
 */
int kbi_import_text(kbi_imported *out, kb_project *p, const char *name,
                    const char *source, const char *text, size_t len,
                    const char *case_name, kb_notice_fn notice, void *ctx,
                    kb_error *err);

#endif
