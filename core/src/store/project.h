/*
 * project.h: the kb_project object shared by the modules that work on an
 * open project (import, cases, documents). Not part of the public API.
 */
#ifndef KBI_PROJECT_H
#define KBI_PROJECT_H

#include "kodbok.h"
#include "store/store.h"

#include <sqlite3.h>

typedef struct kbi_doc_buffers kbi_doc_buffers;

struct kb_project {
    sqlite3 *db;
    char *path;
    kbi_doc_buffers *spare; /* of recycled documents (kbi_document_recycle) */
    kbi_stmt_cache stmts;   /* finalized by kbi_store_close */
};

/* Frees d but keeps its text and segment buffers in p for the next
 * document loaded, so that a run over many documents does not fault in
 * fresh pages for each; p frees them when it is freed. */
void kbi_document_recycle(kb_document *d, kb_project *p);
void kbi_doc_buffers_free(kbi_doc_buffers *b);

/*
 * Maps documents and speakers to cases again after documents or cases
 * changed: a document's case is the one named with --case, else a case whose
 * `document` is the document and whose `speaker` is empty, else the case
 * whose id is the document's name. A speaker's case is the case naming that
 * document and speaker, else (for respondents) the document's case.
 * Runs inside the caller's transaction.
 */
int kbi_cases_resolve(kb_project *p, kb_error *err);

/*
 * Loads a cases CSV inside the caller's transaction (kb_project_load_cases
 * without BEGIN/COMMIT and without resolving).
 */
int kbi_cases_load_tx(kb_project *p, const char *csv_path, kb_notice_fn notice,
                      void *ctx, kb_error *err);

/* SQL: does case row `c` (a prefix such as "c." or "") name the
 * interviewer of the document named by SQL expression `doc` whose
 * assigned case id is `assigned`? The case given with the import, else one
 * whose `document` is the document and whose `speaker` is empty, else the
 * case named like the document that has no `document`. */
#define KBI_CASE_OF_DOCUMENT(c, doc, assigned)                                 \
    "(" c "id = " assigned " OR (" c "document = " doc " AND " c               \
    "speaker IS NULL) OR (" c "name = " doc " AND " c "document IS NULL))"

/* Bits for kbi_document_load_kinds: KBI_KIND_BIT(KB_SEG_TURN), ... */
#define KBI_KIND_BIT(kind) (1u << (unsigned)(kind))
#define KBI_ALL_KINDS                                                          \
    (KBI_KIND_BIT(KB_SEG_TURN) | KBI_KIND_BIT(KB_SEG_PARAGRAPH) |              \
     KBI_KIND_BIT(KB_SEG_SENTENCE))

/* kb_document_load with only the segment kinds in `kinds`; the others
 * count 0. For runs that need one or two kinds of a large document. */
int kbi_document_load_kinds(kb_document **out, kb_project *p, const char *name,
                            int version, unsigned kinds, kb_error *err);

/*
 * kbi_document_load_kinds in two steps, for a run whose workers read texts
 * on connections of their own: the head (the version's row, its speakers,
 * buffers recycled in p) on p's connection, then the body (text and
 * segment pack, and the kinds in `kinds`) on any connection to the same
 * project, `db`. Until the body is read the document has no text.
 */
int kbi_document_load_head(kb_document **out, kb_project *p, const char *name,
                           int version, kb_error *err);
int kbi_document_load_body(kb_document *d, sqlite3 *db, unsigned kinds,
                           kb_error *err);

/* The id of a version's segment (codings.segment_id): a version's segments
 * are numbered consecutively, turns then paragraphs then sentences, from
 * `first` (versions.first_segment). */
int64_t kbi_segment_id(int64_t first, const kb_doc_info *info,
                       kb_segment_kind kind, size_t seq);

/* The kind and index of segment `id` of a loaded document; 0 if the id is
 * not one of its segments. */
kb_segment_kind kbi_document_locate(const kb_document *d, int64_t id,
                                    size_t *seq);

/* Decodes the segments of `kind` of a document loaded without them. */
int kbi_document_need(kb_document *d, kb_segment_kind kind, kb_error *err);

/*
 * The indexes of the segments of `kind` that hold the byte offsets
 * offs[0..n) (sorted), appended to *seqs without repeats. Decodes that kind
 * if the document was loaded without it.
 */
int kbi_document_segments_at(kb_document *d, kb_segment_kind kind,
                             const size_t *offs, size_t n, size_t **seqs,
                             size_t *nseqs, size_t *cap, kb_error *err);

/* A coding's place: document, version and segment id. */
typedef struct kbi_seg_ref {
    const char *document;
    int version;
    int64_t segment;
} kbi_seg_ref;

/*
 * Finds the segments of n items, loading each document version once: the
 * items are visited grouped by document and version, `ref` says where item
 * i is and `use` gets its segment (with the loaded document) and returns
 * non-zero only when out of memory. A segment id that is not in its version
 * is KB_EDB.
 */
int kbi_segments_resolve(kb_project *p, size_t n,
                         void (*ref)(void *ctx, size_t i, kbi_seg_ref *out),
                         int (*use)(void *ctx, size_t i, const kb_document *doc,
                                    const kb_segment *s),
                         void *ctx, kb_error *err);

/* The id of a loaded document's first segment. */
int64_t kbi_document_first_segment(const kb_document *d);

#endif
