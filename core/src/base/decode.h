/*
 * decode.h: bytes to text. Decoding of transcript files into the one form
 * kodbok stores: NFC UTF-8 with LF line ends and no control characters but
 * tab and newline. Detects encodings and byte order marks, and refuses
 * office formats and binary data. Ground floor: includes nothing of kodbok
 * but kodbok.h and base/ (error, grow, swar, utf8, file).
 */
#ifndef KBI_DECODE_H
#define KBI_DECODE_H

#include "kodbok.h"
#include "base/file.h"

#include <stddef.h>
#include <stdint.h>

/*
 * Decodes a file's bytes into NUL-terminated NFC UTF-8 with LF line ends.
 * Accepts UTF-8 with or without BOM, UTF-16LE/BE and UTF-32LE/BE with BOM,
 * and, when the bytes are not valid UTF-8, Windows-1252 (or ISO-8859-1),
 * unless the file is UTF-8 elsewhere (Latin-1 letters or punctuation as
 * UTF-8): that is refused at the first bad byte, since a whole file read
 * as Windows-1252 would garble the rest. Refuses empty input, NUL bytes,
 * control characters and binary-looking data with KB_EFORMAT and the line and
 * column concerned. On success *out (caller frees) holds the text, *out_len its
 * length in bytes, and *encoding a static name ("utf-8", "windows-1252", ...).
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
 * A file's bytes as NFC UTF-8 text (caller frees *out): kbi_text_decode, or
 * kbi_text_decode_as when `given` is not NULL; *encoding is the encoding
 * detected, or `given`. When a detected one is not UTF-8, `notice` (may be
 * NULL) hears "FILE: not UTF-8; read as ENCODING". C1 control characters
 * (U+0080 to U+009F) are left out, and `notice` hears how many and where
 * the first stood. `path` names the file in messages.
 */
int kbi_text_read(char **out, size_t *len, const char **encoding,
                  const char *given, const unsigned char *raw, size_t rawlen,
                  const char *path, kb_notice_fn notice, void *ctx,
                  kb_error *err);

/* kbi_file_read (an input of kind `kind`) then kbi_text_read. */
int kbi_text_load(char **out, size_t *len, const char **encoding,
                  const char *given, const char *path, kbi_input kind,
                  kb_notice_fn notice, void *ctx, kb_error *err);

/*
 * Text made of another format (a Word document's paragraphs, ...), UTF-8
 * but not yet in the stored form, into it (caller frees *out): checked as
 * UTF-8, LF line ends, NFC, control characters refused and C1 ones left out
 * as kbi_text_read does, white space only refused. `text` stays the
 * caller's; `file` names the input in messages.
 */
int kbi_text_normalise(char **out, size_t *len, const char *text, size_t n,
                       const char *file, kb_notice_fn notice, void *ctx,
                       kb_error *err);

/*
 * Word processor, spreadsheet and PDF files, known by their first bytes (a
 * ZIP package by the names of its parts): "a Word document (DOCX)", and in
 * *save_as what to save it as for reading it as text ("plain text (.txt)",
 * "CSV"). NULL for anything else.
 */
const char *kbi_office_format(const unsigned char *raw, size_t len,
                              const char **save_as);

/* Is `needle` among the first `len` bytes of `raw`? */
int kbi_bytes_hold(const unsigned char *raw, size_t len, const char *needle);

/* True if NFC leaves the code point as it is wherever it stands: a starter
 * that no composition takes as its second part and that NFC keeps. A line of
 * such code points is NFC already. */
int kbi_nfc_inert(int32_t cp);

#endif
