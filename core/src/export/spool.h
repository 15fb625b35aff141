/*
 * spool.h: bytes gathered into numbered sections in any order and read
 * back section by section (spool.c): a page whose parts come in another
 * order than they are written (the report's quotes, cell by cell, read
 * document by document). Sections are held in memory up to a budget, then
 * in an anonymous scratch file (base/file.h), so a spool of any size
 * holds little memory.
 *
 * May include: kodbok.h, base/.
 */
#ifndef KBI_EXPORT_SPOOL_H
#define KBI_EXPORT_SPOOL_H

#include "kodbok.h"

#include <stddef.h>

typedef struct kbi_spool kbi_spool;

/* What the exports hold of a spool in memory before the scratch file. */
#define KBI_SPOOL_BUDGET ((size_t)16 << 20)

/* A spool holding at most `budget` bytes in memory. KB_ENOMEM. */
int kbi_spool_new(kbi_spool **out, size_t budget, kb_error *err);

/* Appends p[0..n) to section k (any number; sections never written to are
 * empty). KB_ENOMEM, KB_EIO (the scratch file). */
int kbi_spool_put(kbi_spool *s, size_t k, const char *p, size_t n,
                  kb_error *err);

/* Hands section k's bytes, in the order they were put, to `take` in
 * pieces (each NUL-terminated; the spool's until the next call). A
 * non-zero return of `take` stops and is returned. KB_ENOMEM, KB_EIO. */
int kbi_spool_read(kbi_spool *s, size_t k,
                   int (*take)(void *ctx, const char *p, size_t n), void *ctx,
                   kb_error *err);

void kbi_spool_free(kbi_spool *s);

#endif
