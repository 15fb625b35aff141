/*
 * zipread.h: zip packages people hand us (DOCX, ODT, QDPX) read with libzip
 * safely: every entry's name is checked (no absolute path, no `..`, no
 * backslash), and the sizes the entries claim and the bytes they really
 * give are capped, in all and against their compressed size, so that a zip
 * bomb is refused, not unpacked. May include: base/.
 */
#ifndef KBI_BASE_ZIPREAD_H
#define KBI_BASE_ZIPREAD_H

#include "kodbok.h"

#include <stddef.h>

/* The most a package may unpack to, in all. */
#define KBI_ZIP_MAX_TOTAL ((size_t)1 << 30)
/* The most an entry may unpack to per byte it takes in the package. */
#define KBI_ZIP_MAX_RATIO 200
/* Entries smaller than this unpacked are not held to the ratio. */
#define KBI_ZIP_RATIO_FROM ((size_t)1 << 20)

typedef struct kbi_zip kbi_zip;

/* Does data[0..len) begin like a zip package? */
int kbi_zip_sniff(const void *data, size_t len);

/*
 * Opens the package data[0..len), which stays the caller's until
 * kbi_zip_free. `file` names it in messages. KB_EFORMAT for what is not a
 * zip package, an entry name that is absolute or climbs out (`..`), or
 * sizes past the caps; KB_ENOMEM.
 */
int kbi_zip_open(kbi_zip **out, const void *data, size_t len, const char *file,
                 kb_error *err);
void kbi_zip_free(kbi_zip *z);

/* The number of entries, and entry i's name (UTF-8). */
size_t kbi_zip_count(const kbi_zip *z);
const char *kbi_zip_name(const kbi_zip *z, size_t i);

/* The index of the entry named `name` (ASCII letters compared without case
 * with `nocase`), or -1. */
long kbi_zip_find(const kbi_zip *z, const char *name, int nocase);

/*
 * Entry i unpacked into *out (NUL-terminated, caller frees), *len its
 * length. Reading stops with KB_EFORMAT if the entry gives more than it
 * claimed or more than the caps allow; KB_ENOMEM.
 */
int kbi_zip_read(const kbi_zip *z, size_t i, char **out, size_t *len,
                 kb_error *err);

#endif
