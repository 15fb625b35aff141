/*
 * cases.h: the project's cases (cases.c): loading a cases CSV and mapping
 * documents and speakers to cases. May include: base/, store/.
 */
#ifndef KBI_CASES_H
#define KBI_CASES_H

#include "kodbok.h"

#include <stddef.h>

/*
 * Maps documents and speakers to cases again after documents or cases
 * changed: a document's case is the one given with its import, else a case
 * whose `document` is the document and whose `speaker` is empty, else the case
 * whose id is the document's name. A speaker's case is the case naming that
 * document and speaker, else (for respondents) the document's case.
 * Runs inside the caller's transaction.
 */
int kbi_cases_resolve(kb_project *p, kb_error *err);

/*
 * Reads and decodes a cases CSV (caller frees *text), before the
 * transaction it is loaded in begins: a file that blocks (a FIFO with no
 * writer yet) then holds no lock while it is waited for.
 */
int kbi_cases_read(char **text, size_t *len, const char *csv_path,
                   kb_notice_fn notice, void *ctx, kb_error *err);

/*
 * Loads the cases CSV text[0..len) kbi_cases_read read from csv_path
 * inside the caller's transaction (kb_project_load_cases without
 * BEGIN/COMMIT and without resolving).
 */
int kbi_cases_load_tx(kb_project *p, const char *csv_path, const char *text,
                      size_t len, kb_error *err);

/* Where a case is mapped, as the cases CSV's columns say it: a document,
 * one speaker in it, the interviewer's label; NULL: none. */
typedef struct kbi_case_map {
    const char *document, *speaker, *interviewer;
} kbi_case_map;

/*
 * Adds case `name`, or keeps the one of that name, and gives it the mapping
 * `map` (NULL: none) and the attributes names[i] = values[i] in place of
 * those it had (a case read from a REFI-QDA project), inside the caller's
 * transaction.
 */
int kbi_cases_put(kb_project *p, const char *name, const kbi_case_map *map,
                  const char *const *names, const char *const *values, size_t n,
                  kb_error *err);

/* SQL: does case row `c` (a prefix such as "c." or "") name the
 * interviewer of the document named by SQL expression `doc` whose
 * assigned case id is `assigned`? The case given with the import, else one
 * whose `document` is the document and whose `speaker` is empty, else the
 * case named like the document that has no `document`. */
#define KBI_CASE_OF_DOCUMENT(c, doc, assigned)                                 \
    "(" c "id = " assigned " OR (" c "document = " doc " AND " c               \
    "speaker IS NULL) OR (" c "name = " doc " AND " c "document IS NULL))"

#endif
