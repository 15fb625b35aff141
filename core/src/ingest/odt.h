/*
 * odt.h: OpenDocument texts (ODT) read as transcript text: the body of
 * content.xml, paragraph by paragraph and heading by heading, lists item
 * by item, tables row by row, tracked changes as accepted, notes and
 * comments left out (docs/transcripts.md, "Formats"). May include: base/,
 * ingest/.
 */
#ifndef KBI_ODT_H
#define KBI_ODT_H

#include "kodbok.h"

#include <stddef.h>

/* Is raw[0..len) a zip package whose media type is an OpenDocument text? */
int kbi_odt_sniff(const unsigned char *raw, size_t len);

/*
 * The document's text as plain-text transcript text, UTF-8 with LF line
 * ends, not yet NFC (caller frees *out). `notice` (may be NULL) hears
 * what was left out, when the document has any. `file` names it in
 * messages. KB_EFORMAT for a package that is not an OpenDocument text,
 * unsafe or malformed; KB_ENOMEM.
 */
int kbi_odt_to_text(char **out, size_t *len, const unsigned char *raw, size_t n,
                    const char *file, kb_notice_fn notice, void *ctx,
                    kb_error *err);

#endif
