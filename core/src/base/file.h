/*
 * file.h: whole files in and out. Reading a file into memory, and the one
 * way kodbok writes a file: into a temporary file beside it, made with an
 * exclusive create, renamed over it only when complete (a device or FIFO
 * written in place), and the registry of the temporary files being
 * written, which kb_output_remove_temps removes (from a signal handler).
 * May include: nothing of kodbok but kodbok.h and base/error.h.
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
 * Notes a temporary file or folder being written, so that
 * kb_output_remove_temps removes it (a folder with the files in it: one
 * made for this process alone); returns its slot for kbi_temp_drop,
 * or -1 when the registry is full (the file is then simply not removed on
 * a signal). `path` must stay valid until it is dropped.
 */
int kbi_temp_add(const char *path);

/* Forgets the temporary file of `slot` (done or removed); -1 is a no-op. */
void kbi_temp_drop(int slot);

/* Removes folder `dir` and the files in it (not folders in it), by system
 * calls only, so also from a signal handler. 0, or -1 (errno set). */
int kbi_temp_dir_remove(const char *dir);

/*
 * An anonymous scratch file, open for reading and writing, in TMPDIR (or
 * /tmp) and already unlinked: nothing is left when the process ends, how
 * ever it ends. NULL (errno set) when none can be made.
 */
FILE *kbi_scratch(void);

/*
 * Creates an empty new file beside `path` ("PATH.PID-N.tmp", mode 0666 less
 * the umask, as for any new file; O_EXCL, so a link planted at that name is
 * never followed) and notes it in the registry (*slot, kbi_temp_drop).
 * *tmp (caller frees) is its name. KB_EIO naming `path` when the directory
 * cannot be written, KB_ENOMEM.
 */
int kbi_file_temp_beside(char **tmp, int *slot, const char *path,
                         kb_error *err);

/*
 * A file being written. kbi_out_open resolves `path`: an existing path is
 * followed through its symbolic links (a link the user made stays a link,
 * and the file it names is replaced); an existing device or FIFO is opened
 * and written in place, never replaced; anything else (a regular file, no
 * file, a dangling link, which is then replaced by the file) is written to
 * a temporary file beside it (kbi_file_temp_beside), which kbi_out_end
 * renames over it.
 */
typedef struct kbi_out_sink kbi_out_sink;
typedef struct kbi_out {
    FILE *f;            /* where to write; NULL once closed */
    char *path;         /* as given, for messages */
    char *target;       /* the file replaced: path through its links */
    char *tmp;          /* the file written, NULL when written in place */
    int slot;           /* tmp's slot in the registry */
    kbi_out_sink *sink; /* f's file descriptor, why a write failed */
} kbi_out;

/* Opens `path` for writing as above. KB_EIO (naming `path`), KB_ENOMEM. */
int kbi_out_open(kbi_out *o, const char *path, kb_error *err);

/*
 * Flushes and closes o->f: KB_EIO naming the path and why (the errno of
 * the first write that failed) when any write or the close failed. The
 * temporary file then holds the whole output, to be read back before
 * kbi_out_end replaces the target with it.
 */
int kbi_out_close(kbi_out *o, kb_error *err);

/*
 * Ends the output: when `ok`, closes it (kbi_out_close) and renames the
 * temporary file over the target; otherwise, or when that fails, removes
 * the temporary file, leaving the target as it was. Frees what o holds,
 * whatever it returns: 0 or KB_EIO.
 */
int kbi_out_end(kbi_out *o, int ok, kb_error *err);

/* Writes a file's contents to f; returns 0 or a KB_E* code (err filled). */
typedef int (*kbi_file_write_fn)(void *ctx, FILE *f, kb_error *err);

/*
 * Writes `path` through write(ctx, f, err) by kbi_out_open and _end: the
 * target is replaced only when everything was written and closed. Returns
 * write's code, or KB_EIO (naming `path`), KB_ENOMEM.
 */
int kbi_file_write_atomic(const char *path, kbi_file_write_fn write, void *ctx,
                          kb_error *err);

#endif
