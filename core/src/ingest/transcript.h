/*
 * transcript.h: turning decoded text into a transcript: speaker turns,
 * paragraphs and sentences with byte and code-point spans, speakers and
 * timestamps. Every input format ends up here as NFC UTF-8 text with LF line
 * ends (base/decode.c); later formats (DOCX, VTT, ...) add their own front ends
 * in this folder behind the same kbi_transcript.
 */
#ifndef KBI_INGEST_H
#define KBI_INGEST_H

#include "kodbok.h"
#include "store/segpack.h"

#include <stddef.h>
#include <stdint.h>

/* Compiled speaker and interviewer rules, shared by all files of an import. */
typedef struct kbi_parse_rules kbi_parse_rules;

/*
 * Compiles the rules. `speaker_regex` (PCRE2, may be NULL) replaces the
 * built-in speaker labels; `interviewers` (comma-separated labels, may be
 * NULL for the defaults) names the interviewer speakers. A bad regex gives
 * KB_EFORMAT about the argument "speaker_regex", at line 1 and the column
 * in the pattern.
 */
int kbi_parse_rules_new(kbi_parse_rules **out, const char *speaker_regex,
                        const char *interviewers, kb_error *err);
void kbi_parse_rules_free(kbi_parse_rules *r);

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

/*
 * Does s[b..e) (valid UTF-8) look like a name, as a speaker label must
 * unless it is a role word? At most four words, each starting with a
 * capital letter or a digit, or a short particle ("v.", "af", "von").
 */
int kbi_name_shaped(const char *s, size_t b, size_t e);

/* Is s[0..n) a transcriber's note word, never a speaker ("skratt", "paus",
 * "ohörbart", ...; any ASCII case)? */
int kbi_note_word(const char *s, size_t n);

/* Frees what a transcript holds and zeroes it. */
void kbi_transcript_clear(kbi_transcript *t);
/* Empties it but keeps its segment arrays for the next parse (an import of
 * many files then grows them once). */
void kbi_transcript_reset(kbi_transcript *t);

#endif
