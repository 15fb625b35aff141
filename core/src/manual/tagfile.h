/*
 * tagfile.h: tags files (tagfile.c) within the library: the writer
 * kb_tags_write uses, limited to one document for kb_document_remove.
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

#endif
