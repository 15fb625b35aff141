/*
 * output.h: where a command's output goes: standard output, or a file
 * written by kb_output (a temporary file beside it, renamed over it once
 * whole; a device or a pipe written in place), and the one line said when
 * writing it failed.
 */
#ifndef KODBOK_OUTPUT_H
#define KODBOK_OUTPUT_H

#include "kodbok.h"

#include <stdio.h>

/* An output being written: stdout, or a file (kb_output: a temporary file
 * beside the target, or a device or a pipe written in place). */
typedef struct table_out {
    FILE *f;
    kb_output *out; /* NULL for stdout */
} table_out;

/* Opens `path` (NULL or "-": stdout) for writing; returns 0 or an exit
 * code. A workbook or document (`binary`) is not written to a terminal. */
int table_out_open(table_out *o, const char *path, int binary);

/* Ends the output: without `failed` (the writer's error), the file
 * replaces its path; with it, the file is removed and the path left as it
 * was, and the error printed (a failed write to the file as the file's:
 * its path and why). Returns 0 or the exit code. Standard output is
 * checked once the command returns (main.c). */
int table_out_close(table_out *o, const kb_error *failed);

/* Writes through a library writer into a stream. */
typedef int (*cli_write_fn)(FILE *f, void *ctx, kb_error *err);

/* Writes `output` (NULL or "-": stdout) through write(f, ctx, err) by
 * table_out_open and _close. Returns 0 or the exit code, the failure
 * printed. */
int cli_write_output(const char *output, cli_write_fn write, void *ctx);

#endif
