/*
 * controls.h: control characters in texts that reach outputs (document
 * names, codebook labels, table cells): found, named in messages, written
 * visibly as \xHH; and the one rule for document names (docs/transcripts.md,
 * "Document names"), kb_document_name_check and kb_text_escape of kodbok.h.
 * May include: kodbok.h, base/.
 */
#ifndef KBI_CONTROLS_H
#define KBI_CONTROLS_H

#include "kodbok.h"

#include <stddef.h>

/* Byte offset of the first control character of s[0..n) (valid UTF-8):
 * C0, DEL or C1 (U+0080 to U+009F), tab and line feed allowed when
 * `lines`; n when there is none. */
size_t kbi_control_at(const char *s, size_t n, int lines);

/* The code point at s (valid UTF-8) as a message names it, into buf:
 * "U+001B, an escape". */
void kbi_char_describe(char *buf, size_t size, const char *s);

/* A copy of s (caller frees) with each control character (tab and line
 * feed kept when `lines`) and each byte that is not valid UTF-8 written as
 * \xHH; NULL when out of memory. */
char *kbi_escape_controls(const char *s, int lines);

/* A name that passes kb_document_name_check made from `from` (valid
 * UTF-8), into out[size]: control characters and line breaks made spaces,
 * white space at the ends cut, at most `chars` code points; "" when
 * nothing is left. For names that come from another program's files (a
 * REFI-QDA project's sources), which cannot be given one by hand. Returns
 * 1 when the name differs from `from`. */
int kbi_name_make(char *out, size_t size, const char *from, size_t chars);

#endif
