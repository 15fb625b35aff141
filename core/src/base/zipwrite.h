/*
 * zipwrite.h: a zip package built in memory with libzip (the office
 * documents kb_quotes_write writes, PPTX decks, REFI-QDA projects): parts added
 * compressed, or stored (an ODF mimetype, which must come first and
 * uncompressed), each at one fixed time so that the same parts give the same
 * bytes, then the package's bytes handed back. May include: base/.
 */
#ifndef KBI_BASE_ZIPWRITE_H
#define KBI_BASE_ZIPWRITE_H

#include "base/xml.h"
#include "kodbok.h"

#include <stddef.h>
#include <stdio.h>
#include <time.h>

/* The time every part carries: 1980-01-01, zip's first day. */
#define KBI_ZIPW_MTIME ((time_t)315576000)

typedef struct kbi_zipw kbi_zipw;

/* A new empty package in memory (free with kbi_zipw_free). KB_ENOMEM. */
int kbi_zipw_new(kbi_zipw **out, kb_error *err);

/* Adds data[0..len) (copied) as part `name`; `store` leaves it
 * uncompressed. KB_ENOMEM, KB_EIO. */
int kbi_zipw_add(kbi_zipw *z, const char *name, const void *data, size_t len,
                 int store, kb_error *err);

/* As kbi_zipw_add, compressed, taking data (a malloc'd block, freed by the
 * package, also when adding fails). */
int kbi_zipw_take(kbi_zipw *z, const char *name, void *data, size_t len,
                  kb_error *err);

/* Ends the XML document x and adds it as part `name`; x is freed. */
int kbi_zipw_add_xml(kbi_zipw *z, const char *name, kbi_xml *x, kb_error *err);

/* Closes the package and writes its bytes to f. KB_EIO, KB_ENOMEM. */
int kbi_zipw_write(kbi_zipw *z, FILE *f, kb_error *err);

/* Closes the package and writes it to `path` as kbi_file_write_atomic does:
 * complete, or the file as it was. KB_EIO, KB_ENOMEM. */
int kbi_zipw_save(kbi_zipw *z, const char *path, kb_error *err);

/* Frees the package; NULL is fine. */
void kbi_zipw_free(kbi_zipw *z);

#endif
