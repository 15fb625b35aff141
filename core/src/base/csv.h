/*
 * csv.h: an RFC 4180 reader for the small tables researchers keep in
 * spreadsheets (cases, later codebook sheets). The delimiter is guessed from
 * the header line (comma, semicolon as Swedish Excel writes, or tab).
 */
#ifndef KBI_CSV_H
#define KBI_CSV_H

#include "kodbok.h"

#include <stddef.h>

/* One row: nfields strings (NUL-terminated, borrowed for the call), the
 * 1-based code-point column where each field starts, and the row's line.
 * Return 0 to go on, or a negative code (with err filled) to stop. */
typedef int (*kbi_csv_row_fn)(void *ctx, size_t nfields,
                              const char *const *fields, const int *columns,
                              int line, kb_error *err);

/*
 * Parses text (valid UTF-8, LF line ends), calling fn per non-blank row.
 * Quoted fields may hold delimiters, doubled quotes and newlines; unquoted
 * fields are trimmed of blanks. Malformed quoting gives KB_EFORMAT with
 * file, line and column. Returns 0 or the first non-zero code.
 */
int kbi_csv_parse(const char *text, size_t len, const char *file,
                  kbi_csv_row_fn fn, void *ctx, kb_error *err);

#endif
