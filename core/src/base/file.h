/*
 * file.h: whole files in and out. Reading a file into memory, and writing
 * one so that it is replaced in one rename or left as it was. Ground floor:
 * includes nothing of kodbok but kodbok.h (kb_error) and base/error.h.
 */
#ifndef KBI_FILE_H
#define KBI_FILE_H

#include "kodbok.h"

#include <stddef.h>
#include <stdio.h>

/* Reads a whole file into memory (caller frees *out). KB_ENOENT, KB_EIO. */
int kbi_file_read(unsigned char **out, size_t *len, const char *path,
                  kb_error *err);

/*
 * Creates an empty new file beside `path` ("PATH.PID-N.tmp", mode 0666 less
 * the umask, as for any new file) for output that replaces `path` in one
 * rename once it is complete. *tmp (caller frees) is its name. KB_EIO naming
 * `path` when the directory cannot be written, KB_ENOMEM.
 */
int kbi_file_temp_beside(char **tmp, const char *path, kb_error *err);

/*
 * The file a replacing write goes to (caller frees *out): `path` with its
 * symbolic links resolved when it exists, so that a link is written
 * through and not replaced. *regular is 0 when that is an existing file
 * other than a regular one (a device such as /dev/stdout, a FIFO), which
 * must be written in place: renaming over it would replace the device.
 * KB_ENOMEM.
 */
int kbi_file_target(char **out, int *regular, const char *path, kb_error *err);

/* Writes a file's contents to f; returns 0 or a KB_E* code (err filled). */
typedef int (*kbi_file_write_fn)(void *ctx, FILE *f, kb_error *err);

/*
 * Writes `path` through write(ctx, f, err) into a file beside it
 * (kbi_file_temp_beside) and renames that over `path` only when everything
 * was written and closed, so a failure leaves `path` as it was and no
 * partial file behind. A device or FIFO (kbi_file_target) is written in
 * place. Returns write's code, or KB_EIO (naming `path`) when writing,
 * closing or renaming fails, KB_ENOMEM.
 */
int kbi_file_write_atomic(const char *path, kbi_file_write_fn write, void *ctx,
                          kb_error *err);

#endif
