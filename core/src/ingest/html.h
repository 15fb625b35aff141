/*
 * html.h: an HTML page (a transcript saved from a browser, a word processor
 * or a transcription service) into plain-text transcript text
 * (docs/transcripts.md, "HTML"): the visible text in reading order, a
 * paragraph per block, UTF-8 with LF line ends, not yet NFC.
 * May include: base/.
 */
#ifndef KBI_HTML_H
#define KBI_HTML_H

#include "kodbok.h"

#include <stddef.h>

/* Is raw an HTML page: "<!DOCTYPE html" or "<html" first, after a byte
 * order mark, blanks, an XML declaration and comments (any case)? */
int kbi_html_sniff(const unsigned char *raw, size_t len);

/*
 * The visible text of the page raw[0..n) into *out (caller frees,
 * NUL-terminated; *len its length in bytes), parsed by libxml2's HTML
 * parser without network access. Block elements make paragraphs separated
 * by a blank line, <br> a line break, a table row one paragraph with its
 * cells separated by tabs; blanks are collapsed as a browser does (but
 * inside <pre>); scripts, styles, the head and hidden elements are left
 * out; a bold label ending in a colon at a paragraph's start is followed by
 * a blank. The charset is the one a <meta> names, else detected as for a
 * text file (base/decode.c; `notice`, may be NULL, hears it when that is
 * not UTF-8). `file` names the input in messages. KB_EFORMAT with line and
 * column for bytes not valid in the charset, a page over KBI_XML_MAX bytes
 * or one without visible text; KB_ENOMEM.
 */
int kbi_html_to_text(char **out, size_t *len, const unsigned char *raw,
                     size_t n, const char *file, kb_notice_fn notice, void *ctx,
                     kb_error *err);

#endif
