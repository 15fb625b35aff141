/*
 * formats.h: the input formats a transcript may come in, as a table of
 * front ends, and the one way a file's bytes become the stored text:
 * the format detected by content (or given), its front end's plain-text
 * transcript text, then the normalisation and checks of a text file
 * (base/decode.h). May include: base/, ingest/.
 */
#ifndef KBI_FORMATS_H
#define KBI_FORMATS_H

#include "kodbok.h"

#include <stddef.h>

/* Is raw[0..len) in the format? */
typedef int (*kbi_sniff_fn)(const unsigned char *raw, size_t len);

/* The file's bytes as plain-text transcript text (docs/transcripts.md):
 * UTF-8, LF line ends, not yet NFC (caller frees *out). `file` names the
 * input in messages; `notice` hears what was left out. */
typedef int (*kbi_to_text_fn)(char **out, size_t *len, const unsigned char *raw,
                              size_t n, const char *file, kb_notice_fn notice,
                              void *ctx, kb_error *err);

/* An input format. Plain text has no sniffer (it is what is left) and no
 * converter (its bytes are decoded in their encoding). */
typedef struct kbi_format {
    const char *name; /* "text", "docx", ...: the name kept with a version */
    const char *what; /* "a Word document (DOCX)" */
    kbi_sniff_fn sniff;
    kbi_to_text_fn to_text;
} kbi_format;

/*
 * The format named `name` ("text", "docx", ...; case does not matter), or,
 * for NULL, "" and "auto", NULL in *out: detect it. KB_EINVAL about the
 * argument "format" for a name not in the table, listing the names.
 */
int kbi_format_find(const kbi_format **out, const char *name, kb_error *err);

/* The format raw[0..len) is in, by its content: plain text unless a front
 * end's sniffer knows it. */
const kbi_format *kbi_format_detect(const unsigned char *raw, size_t len);

/*
 * A file's bytes as the stored text (NFC UTF-8, LF line ends; caller frees
 * *out) read as format `f`: plain text is decoded with the encoding
 * `given` (NULL: detected; base/decode.h), and *encoding is the one used;
 * other formats are converted by their front end (their encoding is their
 * own, *encoding "utf-8"), then normalised and checked as text is. A PDF,
 * RTF or legacy Word file is refused saying what to save it as. `path`
 * names the file in messages; `notice` hears what was left out or guessed.
 */
int kbi_format_read(char **out, size_t *len, const char **encoding,
                    const kbi_format *f, const char *given,
                    const unsigned char *raw, size_t n, const char *path,
                    kb_notice_fn notice, void *ctx, kb_error *err);

#endif
