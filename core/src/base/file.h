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

/*
 * The kinds of input kodbok reads whole, each with a cap on its size
 * (docs/limits.md, "Inputs"), which an environment variable of its own
 * (KODBOK_MAX_TRANSCRIPT_MB, ...) sets in MiB.
 */
typedef enum kbi_input {
    KBI_INPUT_TRANSCRIPT, /* a transcript in any format, a QDPX source */
    KBI_INPUT_CODEBOOK,   /* a codebook: YAML, CSV, QDC */
    KBI_INPUT_TAGS,       /* a tags file, a memos file */
    KBI_INPUT_CASES,      /* a cases CSV */
    KBI_INPUT_PROJECT,    /* a REFI-QDA project (QDPX) */
    KBI_INPUT_OTHER       /* a stop word list, a baseline, a memo's text */
} kbi_input;

/*
 * Reads a whole file into memory (caller frees *out): a regular file, a
 * pipe, a FIFO or a device, up to the cap on its kind of input. Past it,
 * KB_EFORMAT naming the file, the cap and the variable that raises it,
 * without reading further (a regular file's size is known before). Also
 * KB_ENOENT, KB_EIO (a directory too), KB_EINVAL (the variable set to
 * anything but a whole number of MiB from 1), KB_ENOMEM.
 */
int kbi_file_read(unsigned char **out, size_t *len, const char *path,
                  kbi_input kind, kb_error *err);

/*
 * 1 when `path` is a regular file, 0 otherwise (a pipe, a FIFO, a device,
 * a directory, nothing): what is not regular may be read once only, or
 * block until written to, so it is not opened to peek at its first bytes.
 */
int kbi_file_regular(const char *path);

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
