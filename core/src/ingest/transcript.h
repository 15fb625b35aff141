/*
 * ingest.h: turning decoded text into a transcript: speaker turns,
 * paragraphs and sentences with byte and code-point spans, speakers and
 * timestamps. Every input format ends up here as NFC UTF-8 text with LF line
 * ends (base/decode.c); later formats (DOCX, VTT, ...) add their own front ends
 * in this folder behind the same kbi_transcript.
 */
#ifndef KBI_INGEST_H
#define KBI_INGEST_H

#include "kodbok.h"

#include <stddef.h>
#include <stdint.h>

/* Compiled speaker and interviewer rules, shared by all files of an import. */
typedef struct kbi_parse_rules kbi_parse_rules;

/*
 * Compiles the rules. `speaker_regex` (PCRE2, may be NULL) replaces the
 * built-in speaker labels; `interviewers` (comma-separated labels, may be
 * NULL for the defaults) names the interviewer speakers. A bad regex gives
 * KB_EINVAL naming the column in the pattern.
 */
int kbi_parse_rules_new(kbi_parse_rules **out, const char *speaker_regex,
                        const char *interviewers, kb_error *err);
void kbi_parse_rules_free(kbi_parse_rules *r);

/* One segment of a transcript. */
typedef struct kbi_tseg {
    size_t b0, b1; /* byte span in the text */
    size_t c0, c1; /* code-point span in the text */
    int speaker;   /* index into kbi_transcript.speakers, -1 for none */
    int64_t time_ms;
    size_t turn; /* enclosing turn index or KB_NO_INDEX */
    size_t para; /* enclosing paragraph index (sentences) or KB_NO_INDEX */
} kbi_tseg;

typedef struct kbi_tseg_array {
    kbi_tseg *v;
    size_t n, cap;
} kbi_tseg_array;

/* A `Key: value` line of the header block: byte spans in the text. */
typedef struct kbi_theader {
    size_t k0, k1, v0, v1;
} kbi_theader;

typedef struct kbi_transcript {
    kbi_tseg_array turns, paras, sents;
    char **speakers;         /* distinct labels in order of first turn */
    kb_role *roles;          /* role of each speaker */
    kb_role_source *sources; /* why it has that role */
    size_t nspeakers;
    kbi_theader *header; /* the header block, outside every segment */
    size_t nheader, capheader;
} kbi_transcript;

/*
 * Parses text (NUL-terminated, valid NFC UTF-8, LF line ends) into *t, which
 * must be zeroed, cleared or reset. A header block of `Key: value` lines
 * at the start (docs/transcripts.md) is metadata: it is in no segment, and
 * an interviewer it names (`Intervjuare: Johanna Lind`) has that role.
 * Only allocation can fail (KB_ENOMEM).
 */
int kbi_transcript_parse(kbi_transcript *t, const char *text, size_t len,
                         const kbi_parse_rules *rules, kb_error *err);

/*
 * Gives the speakers named (case-insensitively) by `name` the interviewer
 * role, for `source`. Returns how many it changed.
 */
size_t kbi_transcript_name_interviewer(kbi_transcript *t, const char *name,
                                       size_t len, kb_role_source source);

/* Frees what a transcript holds and zeroes it. */
void kbi_transcript_clear(kbi_transcript *t);
/* Empties it but keeps its segment arrays for the next parse (an import of
 * many files then grows them once). */
void kbi_transcript_reset(kbi_transcript *t);

#endif
