/*
 * codebook.h: the loaded codebook as the engine sees it: the public node
 * records plus each node's compiled patterns. Not part of the public API.
 */
#ifndef KBI_CODEBOOK_H
#define KBI_CODEBOOK_H

#include "codebook/literals.h"
#include "base/grow.h"
#include "kodbok.h"

#include <pcre2.h>

typedef struct kbi_pattern {
    const char *source; /* as written, owned by the codebook */
    pcre2_code *re;     /* JIT-compiled when a run asks (kbi_engine_jit) */
    int exclude;        /* an exclude pattern of a concept */
    int line, column;   /* where it stands in the file */
    kbi_literals lits;  /* its required literals (none for excludes) */
} kbi_pattern;

typedef struct kbi_cnode {
    kb_code_info info;
    kbi_pattern *pat; /* patterns and excludes in file order */
    size_t npat, cappat;
} kbi_cnode;

struct kb_codebook {
    const char *name;
    char hash[65];
    /* The bytes it was parsed from, which `hash` hashes: what a run stores
     * as its codebook. `path` only labels them (errors, notices, the run). */
    const char *source;
    size_t source_len;
    const char *path;
    kbi_cnode *nodes;
    size_t n, cap;
    kbi_pool strings; /* every string the nodes point to */
    kb_error *warnings;
    size_t nwarnings, capwarnings;
};

/* kb_codebook_load from the file's bytes in memory (a run's stored
 * codebook), which the codebook copies and keeps; `path` names it in
 * errors, in warnings and as the codebook's path. */
int kbi_codebook_parse(kb_codebook **out, const unsigned char *raw, size_t len,
                       const char *path, kb_error *err);
/* kbi_codebook_parse for a run's stored codebook, read back: loaded as it
 * was when the run stored it, by the rules of that time: a duplicate key
 * gives its first value, control characters in texts are shown as \xHH.
 * A file is never read this way. */
int kbi_codebook_parse_run(kb_codebook **out, const unsigned char *raw,
                           size_t len, const char *path, kb_error *err);

/* The deepest a codebook's YAML may nest (mappings and lists). */
#define KBI_YAML_DEPTH 64

/*
 * Compiles a pattern the way codebook patterns are compiled, for every
 * reader of a user's regex (codebooks, codebook sheets, search): the
 * pattern made NFC first, as stored texts are, then PCRE2 with UTF and UCP
 * (\w, \b and case folding by Unicode properties) and caseless when asked.
 * Not JIT-compiled: callers that match much do that.
 * @param[out] re   the code (pcre2_code_free)
 * @param[out] nfc  if not NULL, the NFC pattern the offset refers to
 *                  (caller frees), also on KB_EFORMAT
 * @return 0; KB_EFORMAT with PCRE2's error code and byte offset in *ec and
 *         *off; KB_ENOMEM.
 */
int kbi_pattern_compile(pcre2_code **re, char **nfc, const char *pat,
                        int caseless, int *ec, size_t *off);

/* The id of the concept of `cb` nearest to `concept` (at most three edits
 * away), for "did you mean"; NULL if none is that near. */
const char *kbi_codebook_near_concept(const kb_codebook *cb,
                                      const char *concept);

#endif
