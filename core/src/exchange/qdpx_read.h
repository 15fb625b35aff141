/*
 * qdpx_read.h: REFI-QDA projects read (qdpx_read.c): kb_project_import_qdpx
 * and kb_file_is_qdpx of kodbok.h, and the conversion of a source's
 * positions from the unit of the tool that wrote it to code points on the
 * stored text. May include: base/, store/, codebook/, manual/, ingest/,
 * exchange/.
 */
#ifndef KBI_QDPX_READ_H
#define KBI_QDPX_READ_H

#include "kodbok.h"

#include <stddef.h>

/* A source's text as kodbok stores it, with the way from the positions
 * of the file to it. */
typedef struct kbi_refi_text {
    char *text; /* NFC UTF-8, LF line ends */
    size_t len;
    size_t *map;  /* map[u]: the stored code point at unit u, or SIZE_MAX
                     where u falls inside a character */
    size_t units; /* the source's length in its unit (map has units + 1) */
    size_t *byte; /* byte[cp]: the byte offset of stored code point cp */
    size_t cps;   /* the stored text's length in code points */
} kbi_refi_text;

/*
 * Reads raw[0..len), a source file's UTF-8 bytes (a byte order mark is
 * skipped), into the stored form and the map from positions counted in
 * `unit` (CRLF counted as `crlf`, not AUTO) to stored code points.
 * KB_EFORMAT (naming `file`) when the bytes are not UTF-8; KB_ENOMEM.
 */
int kbi_refi_text_read(kbi_refi_text *t, const unsigned char *raw, size_t len,
                       kb_refi_unit unit, kb_refi_crlf crlf, const char *file,
                       kb_error *err);
void kbi_refi_text_clear(kbi_refi_text *t);

#endif
