/*
 * utf8.h: small helpers on UTF-8 text: code-point counts and offsets, word
 * characters, terminal widths, comma-separated lists, edit distance for
 * "did you mean", lists of names in messages (and kb_text_width,
 * kb_time_text of kodbok.h). Ground floor: includes nothing of kodbok but
 * kodbok.h and base/swar.h.
 */
#ifndef KBI_UTF8_H
#define KBI_UTF8_H

#include "kodbok.h"

#include <stddef.h>
#include <stdint.h>

/* Number of code points in s[0..n) (valid UTF-8). */
size_t kbi_utf8_count(const char *s, size_t n);

/*
 * The next item of a comma-separated list at *v ("Johanna Lind, Per Ek"),
 * without the spaces around it: its start, its length in *n (0 for an
 * empty item), and *v moved past it and its comma. NULL when the list is
 * done.
 */
const char *kbi_text_list_next(const char **v, size_t *n);

/* Byte offset of code point `cps` of s[0..n) (valid UTF-8); n if the text
 * is shorter. */
size_t kbi_utf8_offset(const char *s, size_t n, size_t cps);

/* True if the code point at byte `at` of s[0..n) is a combining mark (it
 * belongs with the character before it); 0 at or past the end. */
int kbi_utf8_mark_at(const char *s, size_t n, size_t at);

/* Byte offset of the first invalid UTF-8 sequence in s[0..len), or len. */
size_t kbi_utf8_invalid_at(const unsigned char *s, size_t len);

/* True if cp is a letter, digit or mark: what words are made of (quote word
 * counts, excerpts, search context cut at word boundaries). */
int kbi_utf8_is_word(int32_t cp);

/* Number of bytes of the UTF-8 sequence starting with byte c (1 for bad). */
size_t kbi_utf8_seqlen(unsigned char c);

/* The Levenshtein distance between a and b in bytes, for "did you mean";
 * 99 when either is 64 bytes or longer. */
size_t kbi_edit_distance(const char *a, const char *b);

/* Appends `name` to the ", "-separated list in buf[size], or "..." once
 * when it does not fit; nothing after that. For messages that name a few
 * documents or codes. */
void kbi_name_list_add(char *buf, size_t size, const char *name);

/* Terminal cells of the code point at p, whose bytes go into *k: East
 * Asian wide characters take two, combining marks none, a tab or a bad
 * byte one. kb_text_width (kodbok.h) adds them up. */
int kbi_char_width(const char *p, size_t *k);

#endif
