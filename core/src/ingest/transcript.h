/*
 * ingest.h: turning decoded text into a transcript: speaker turns,
 * paragraphs and sentences with byte and code-point spans, speakers and
 * timestamps. Every input format ends up here as NFC UTF-8 text with LF line
 * ends (text.c); later formats (DOCX, VTT, ...) add their own front ends in
 * this folder behind the same kb_transcript.
 */
#ifndef KB_INGEST_H
#define KB_INGEST_H

#include "kodbok.h"

#include <stddef.h>
#include <stdint.h>

/* Compiled speaker and interviewer rules, shared by all files of an import. */
typedef struct kb_parse_rules kb_parse_rules;

/*
 * Compiles the rules. `speaker_regex` (PCRE2, may be NULL) replaces the
 * built-in speaker labels; `interviewers` (comma-separated labels, may be
 * NULL for the defaults) names the interviewer speakers. A bad regex gives
 * KB_EINVAL naming the column in the pattern.
 */
int kb_parse_rules_new(kb_parse_rules **out, const char *speaker_regex,
                       const char *interviewers, kb_error *err);
void kb_parse_rules_free(kb_parse_rules *r);

/* One segment of a transcript. */
typedef struct kb_tseg {
    size_t b0, b1; /* byte span in the text */
    size_t c0, c1; /* code-point span in the text */
    int speaker;   /* index into kb_transcript.speakers, -1 for none */
    int64_t time_ms;
    size_t turn; /* enclosing turn index or KB_NO_INDEX */
    size_t para; /* enclosing paragraph index (sentences) or KB_NO_INDEX */
} kb_tseg;

typedef struct kb_tseg_array {
    kb_tseg *v;
    size_t n, cap;
} kb_tseg_array;

/* A `Key: value` line of the header block: byte spans in the text. */
typedef struct kb_theader {
    size_t k0, k1, v0, v1;
} kb_theader;

typedef struct kb_transcript {
    kb_tseg_array turns, paras, sents;
    char **speakers;         /* distinct labels in order of first turn */
    kb_role *roles;          /* role of each speaker */
    kb_role_source *sources; /* why it has that role */
    size_t nspeakers;
    kb_theader *header; /* the header block, outside every segment */
    size_t nheader, capheader;
} kb_transcript;

/*
 * Parses text (NUL-terminated, valid NFC UTF-8, LF line ends) into *t, which
 * must be zeroed, cleared or reset. A header block of `Key: value` lines
 * at the start (docs/transcripts.md) is metadata: it is in no segment, and
 * an interviewer it names (`Intervjuare: Johanna Lind`) has that role.
 * Only allocation can fail (KB_ENOMEM).
 */
int kb_transcript_parse(kb_transcript *t, const char *text, size_t len,
                        const kb_parse_rules *rules, kb_error *err);

/*
 * Gives the speakers named (case-insensitively) by `name` the interviewer
 * role, for `source`. Returns how many it changed.
 */
size_t kb_transcript_name_interviewer(kb_transcript *t, const char *name,
                                      size_t len, kb_role_source source);

/* Frees what a transcript holds and zeroes it. */
void kb_transcript_clear(kb_transcript *t);
/* Empties it but keeps its segment arrays for the next parse (an import of
 * many files then grows them once). */
void kb_transcript_reset(kb_transcript *t);

#endif
