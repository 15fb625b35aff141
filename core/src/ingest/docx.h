/*
 * docx.h: Word documents (DOCX, Office Open XML) read as transcript text:
 * the body of word/document.xml, paragraph by paragraph, tracked changes
 * as accepted, tables row by row, footnotes, endnotes, comments, headers
 * and footers left out (docs/transcripts.md, "Formats"). May include:
 * base/, ingest/.
 */
#ifndef KBI_DOCX_H
#define KBI_DOCX_H

#include "kodbok.h"

#include <stddef.h>

/* Is raw[0..len) a zip package with a part word/document.xml? */
int kbi_docx_sniff(const unsigned char *raw, size_t len);

/*
 * The document's text as plain-text transcript text, UTF-8 with LF line
 * ends, not yet NFC (caller frees *out). `notice` (may be NULL) hears
 * what was left out, when the document has any. `file` names it in
 * messages. KB_EFORMAT for a package that is not a Word document, unsafe
 * or malformed; KB_ENOMEM.
 */
int kbi_docx_to_text(char **out, size_t *len, const unsigned char *raw,
                     size_t n, const char *file, kb_notice_fn notice, void *ctx,
                     kb_error *err);

#endif
