/*
 * text.h: bytes to text. Decoding of transcript files into NFC UTF-8 with LF
 * line ends, UTF-8 helpers for code-point offsets, and the Swedish sentence
 * splitter. Ground floor: depends on nothing else in kodbok but error.h.
 */
#ifndef KBI_TEXT_H
#define KBI_TEXT_H

#include "kodbok.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * Decodes a file's bytes into NUL-terminated NFC UTF-8 with LF line ends.
 * Accepts UTF-8 with or without BOM, UTF-16LE/BE and UTF-32LE/BE with BOM,
 * and, when the bytes are not valid UTF-8, Windows-1252 (or ISO-8859-1).
 * Refuses empty input, NUL bytes, control characters and binary-looking
 * data with KB_EFORMAT and the line and column concerned.
 * On success *out (caller frees) holds the text, *out_len its length in
 * bytes, and *encoding a static name ("utf-8", "windows-1252", ...).
 * `file` names the input in error messages only.
 */
int kbi_text_decode(char **out, size_t *out_len, const char **encoding,
                    const unsigned char *raw, size_t len, const char *file,
                    kb_error *err);

/*
 * kbi_text_decode with the encoding given instead of detected: `encoding` is
 * a name iconv knows ("utf-8", "windows-1252", "utf-16le", "mac", ...). A
 * byte sequence not valid in it is KB_EFORMAT naming the line and column
 * it would have been at; a leading byte order mark is dropped. Office
 * files, empty text and control characters are refused as there.
 */
int kbi_text_decode_as(char **out, size_t *out_len, const char *encoding,
                       const unsigned char *raw, size_t len, const char *file,
                       kb_error *err);

/* 0 if iconv can decode from encoding `name`, else KB_EINVAL saying so. */
int kbi_text_encoding_check(const char *name, kb_error *err);

/*
 * kbi_file_read then kbi_text_decode, or kbi_text_decode_as when `given` is
 * not NULL: a text file as NFC UTF-8 (caller frees *out); *encoding is the
 * encoding detected, or `given`. When a detected one is not UTF-8,
 * `notice` (may be NULL) hears "FILE: not UTF-8; read as ENCODING". C1
 * control characters (U+0080 to U+009F) are left out, and `notice` hears
 * how many and where the first stood.
 */
int kbi_text_load(char **out, size_t *len, const char **encoding,
                  const char *given, const char *path, kb_notice_fn notice,
                  void *ctx, kb_error *err);

/* Reads a whole file into memory (caller frees *out). KB_ENOENT, KB_EIO. */
int kbi_file_read(unsigned char **out, size_t *len, const char *path,
                  kb_error *err);

/*
 * Creates an empty new file beside `path` ("PATH.PID-N.tmp", mode 0666 less
 * the umask, as for any new file) for output that replaces `path` in one
 * rename once it is complete. *tmp (caller frees) is its name. KB_EIO naming
 * `path` when the directory cannot be written, KB_ENOMEM.
 */
int kbi_file_temp_beside(char **tmp, const char *path, kb_error *err);

/*
 * The file a replacing write goes to (caller frees *out): `path` with its
 * symbolic links resolved when it exists, so that a link is written
 * through and not replaced. *regular is 0 when that is an existing file
 * other than a regular one (a device such as /dev/stdout, a FIFO), which
 * must be written in place: renaming over it would replace the device.
 * KB_ENOMEM.
 */
int kbi_file_target(char **out, int *regular, const char *path, kb_error *err);

/* Writes a file's contents to f; returns 0 or a KB_E* code (err filled). */
typedef int (*kbi_file_write_fn)(void *ctx, FILE *f, kb_error *err);

/*
 * Writes `path` through write(ctx, f, err) into a file beside it
 * (kbi_file_temp_beside) and renames that over `path` only when everything
 * was written and closed, so a failure leaves `path` as it was and no
 * partial file behind. A device or FIFO (kbi_file_target) is written in
 * place. Returns write's code, or KB_EIO (naming `path`) when writing,
 * closing or renaming fails, KB_ENOMEM.
 */
int kbi_file_write_atomic(const char *path, kbi_file_write_fn write, void *ctx,
                          kb_error *err);

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

/* True if NFC leaves the code point as it is wherever it stands: a starter
 * that no composition takes as its second part and that NFC keeps. A line of
 * such code points is NFC already. */
int kbi_nfc_inert(int32_t cp);

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

/*
 * Appends the case fold (Unicode full case folding, code point by code
 * point) of s[0..n) to *out (length *len, capacity *cap, kept terminated).
 * The prefilter folds pattern literals and segment text with it alike.
 * Returns 0, or -1 when out of memory.
 */
int kbi_fold(char **out, size_t *len, size_t *cap, const char *s, size_t n);

/* kbi_fold, also telling whether every code point folded to as many bytes
 * as it had (*same = 1): then byte offsets in the fold are those of s. */
int kbi_fold_text(char **out, size_t *len, size_t *cap, const char *s, size_t n,
                  int *same);

/*
 * Folds s[0..n) for comparing a typed quote with a stored text: case folded
 * as kbi_fold; every double quotation mark (" “ ” „ « » ″) becomes ", every
 * single one (' ‘ ’ ‚ ‹ › ′ ´ `) ', every dash and hyphen (- ‐ ‑ ‒ – — ―
 * −) -, and each run of white space (tab, line break, no-break and other
 * Unicode spaces) one space. *out (NUL-terminated) and *from are new
 * arrays: from[i] is the byte offset in s of the code point that gave byte
 * i of the fold, and from[*len] is n. Returns 0, or -1 when out of memory.
 */
int kbi_fold_loose(char **out, size_t *len, size_t **from, const char *s,
                   size_t n);

/* Callback receiving a sentence as a byte span [start, end) of the input. */
typedef void (*kbi_span_fn)(void *ctx, size_t start, size_t end);

/*
 * Splits one paragraph of Swedish text into sentences, calling `emit` once
 * per sentence in order with spans trimmed of surrounding white space. Does
 * not break on abbreviations (t.ex., bl.a., p.g.a., d.v.s., s.k., ca., resp.,
 * kl., nr., ...), initials, decimals, dates, ellipses or "[...]"; breaks
 * after osv., m.m., m.fl., etc. only before a capital letter. Returns the
 * number of sentences.
 */
size_t kbi_sentences_split(const char *s, size_t len, kbi_span_fn emit,
                           void *ctx);

#endif
