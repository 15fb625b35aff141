/*
 * subtitles.h: WebVTT and SRT files, as auto-transcription tools write
 * them, into plain-text transcript text (docs/transcripts.md, "WebVTT and
 * SRT"): cues merged into speaker turns, each turn a line starting with the
 * start time of its first cue, "[00:01:02] Name: text", so that a quote can
 * be found in the recording. The text is UTF-8 with LF line ends, not yet
 * NFC; ingest/transcript.c reads it like any text transcript.
 * May include: base/, ingest/transcript.h.
 */
#ifndef KBI_SUBTITLES_H
#define KBI_SUBTITLES_H

#include "kodbok.h"

#include <stddef.h>

/* Is raw a WebVTT file: a "WEBVTT" line first (after a byte order mark)? */
int kbi_vtt_sniff(const unsigned char *raw, size_t len);

/*
 * A WebVTT file into transcript text in *out (caller frees, NUL-terminated;
 * *len its length in bytes). Voice tags (<v Name>, <v.class Name>) and
 * "Name:" or "[Name]" at a cue line's start name the speaker; other tags
 * are dropped and character references decoded; NOTE, STYLE and REGION
 * blocks and cue settings are skipped. `file` names the input in messages;
 * `notice` (may be NULL) hears what was read otherwise than it stands.
 * KB_EFORMAT with line and column for a file that does not start with
 * WEBVTT, a malformed cue time or text outside a cue; KB_ENOMEM.
 */
int kbi_vtt_to_text(char **out, size_t *len, const unsigned char *raw, size_t n,
                    const char *file, kb_notice_fn notice, void *ctx,
                    kb_error *err);

/* Is raw an SRT file: a cue number and then a time line "00:00:01,000 -->
 * 00:00:04,000" first (after a byte order mark, in UTF-8 or UTF-16)? */
int kbi_srt_sniff(const unsigned char *raw, size_t len);

/*
 * An SRT file into transcript text, as kbi_vtt_to_text: the bytes decoded
 * first in the encoding base/decode.c detects (`notice` hears which when it
 * is not UTF-8); numbered cues; "Name:", "[Name]" and "- " (a speaker
 * change without a name) at a cue line's start; <i>, <b>, <font> and {\...}
 * tags dropped.
 */
int kbi_srt_to_text(char **out, size_t *len, const unsigned char *raw, size_t n,
                    const char *file, kb_notice_fn notice, void *ctx,
                    kb_error *err);

#endif
