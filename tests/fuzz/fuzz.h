/*
 * fuzz.h: what the fuzz targets share (fuzz.c): the entry point each
 * defines, the invariant check, and an input written to a file for the
 * parsers that read a path. Built with -DKODBOK_LIBFUZZER a target is a
 * libFuzzer program; otherwise replay.c's main() replays saved inputs.
 */
#ifndef KODBOK_FUZZ_H
#define KODBOK_FUZZ_H

#include "kodbok.h"

#include <stddef.h>
#include <stdint.h>

/* The target: runs one input; returns 0 (libFuzzer's contract). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Aborts with "invariant broken: what" unless cond. */
void fuzz_check(int cond, const char *what);

/* A refusal: a code, and a message of one line. Aborts if not. */
void fuzz_check_error(const kb_error *err);

/* A kb_notice_fn that checks each notice is one line and drops it. */
void fuzz_notice(void *ctx, const char *message);

/* text[0..len) is in the stored form: UTF-8 without NUL, CR or other C0
 * controls but tab and line feed, and NFC. Aborts if not. */
void fuzz_check_stored(const char *text, size_t len);

/* Parses text[0..len) (the stored form) as a transcript with the default
 * rules; if it parses, its turns, paragraphs and sentences are in bounds,
 * ordered and nested, in bytes and code points alike. Aborts if not. */
void fuzz_check_transcript(const char *text, size_t len);

/* A loaded codebook is sound: nodes in file order with parents of the
 * right kind before them, ids unique per kind and found, labels, every
 * pattern compiled, warnings of one line, and its bytes parse again into
 * the same codebook. Aborts if not. */
void fuzz_check_codebook(const kb_codebook *cb);

/* After a codebook was written from another format to `yaml` (rc, err:
 * what the writer returned; `yaml` absent before): refused with an error
 * of one line and nothing written, or a file that loads as a sound
 * codebook. Aborts if not. */
void fuzz_check_written_codebook(int rc, const kb_error *err, const char *yaml);

/*
 * A folder of this process's own, made at the first call and removed at
 * exit, and in it the path of file `name` (static storage, one per name:
 * the same for the same name; a few names only).
 */
const char *fuzz_path(const char *name);

/* Writes data[0..size) to fuzz_path(name) and returns that path; aborts
 * when it cannot be written. */
const char *fuzz_write(const char *name, const uint8_t *data, size_t size);

/*
 * A project to read into: a fresh copy, at fuzz_path("project.kodbok"), of
 * one made at the first call from the source tree's sample corpus (ip01
 * and ip03 with the sample cases, coded by the sample codebook). The
 * caller frees it, or hands it to fuzz_project_unchanged.
 */
kb_project *fuzz_project(void);

/* Frees p, made by fuzz_project, and checks that its file is still the
 * fresh copy byte for byte: a refused input stored nothing. */
void fuzz_project_unchanged(kb_project *p);

#endif
