/*
 * tagfile.h: tags files (tagfile.c) within the library: the writer
 * kb_tags_write uses, limited to one document for kb_document_remove, and
 * the fields' escaping, which memos files (memofile.c) share.
 */
#ifndef KBI_TAGFILE_H
#define KBI_TAGFILE_H

#include "kodbok.h"

#include <stdio.h>

/*
 * kb_tags_write, of the codings of one document only when `document` is
 * not NULL (then none is no error).
 */
int kbi_tagfile_write(kb_project *p, const char *coder, const char *document,
                      FILE *f, size_t *written, kb_error *err);

/* Writes one field escaped (\\, \t, \n, \r), then a tab, or a line
 * feed when it is the line's `last`. */
void kbi_tagfile_put_field(FILE *f, const char *s, int last);

/* Splits a line in place into unescaped fields; returns their number (max +
 * 1 when there are more than `max`), or -1 for a bad escape. */
int kbi_tagfile_split(char *s, char **fields, int max);

#endif
