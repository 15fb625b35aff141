/*
 * tagfile.h: tags files (tagfile.c) within the library: the writer
 * kb_tags_write uses, limited to one document for kb_document_remove, and
 * the fields' escaping and the reading of lines, which memos files
 * (memofile.c) share.
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

/* Writes the n fields of a line, each escaped (\\, \t, \n, \r), tabs
 * between them, a line feed after. */
void kbi_tagfile_put_line(FILE *f, const char *const *fields, size_t n);

/* Splits a line in place into unescaped fields; returns their number (max +
 * 1 when there are more than `max`), or -1 for a bad escape. */
int kbi_tagfile_split(char *s, char **fields, int max);

/* Called for each line of a file after its header; non-zero stops. */
typedef int (*kbi_tagfile_line_fn)(void *ctx, char *line);

/*
 * Reads the file at `path` as kodbok's line files are read (a tags or a
 * memos file, `what` naming it): its text in any encoding the project
 * reads, in one transaction, the first line held to the header of
 * `columns` (tab-separated), or of its first `nfewest` or more columns (a
 * file written before the last ones were added; *width, when not NULL,
 * gets how many the header has), blank lines skipped, fn(ctx, line) for
 * each other line with *lineno its number and *lines counting them.
 * Commits when every line is read; else rolls back and returns the error
 * (KB_EFORMAT, file:line, for a wrong header or an empty file).
 */
int kbi_tagfile_read(kb_project *p, const char *path, const char *what,
                     const char *const *columns, size_t ncolumns,
                     size_t nfewest, size_t *width, int *lineno, size_t *lines,
                     kbi_tagfile_line_fn fn, void *ctx, kb_notice_fn notice,
                     void *notice_ctx, kb_error *err);

#endif
