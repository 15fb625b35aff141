/*
 * fixture.h: the sample project the unit tests build on: a temporary
 * directory, and corpora/vardsamverkan (its transcripts and cases) imported
 * into a new project and coded with codebooks/vardsamverkan.yaml or another
 * codebook. Failures fail the calling cmocka test.
 */
#ifndef KODBOK_TEST_FIXTURE_H
#define KODBOK_TEST_FIXTURE_H

#include <stddef.h>
#include <stdio.h>

#include "kodbok.h"

/** Makes a new directory /tmp/kodbok-NAME-XXXXXX and writes its path to
 * `dir`. */
void fixture_tmpdir(char *dir, size_t size, const char *name);

/** Writes `text` as the file `name` in `dir` (a failed test if it
 * cannot). */
void fixture_write(const char *dir, const char *name, const char *text);

/** A stream into memory: fixture_mem_open starts it, fixture_mem_end
 * closes it and gives the bytes written (free them). */
typedef struct fixture_mem {
    FILE *f;
    char *buf;
    size_t len;
} fixture_mem;

FILE *fixture_mem_open(fixture_mem *m);
char *fixture_mem_end(fixture_mem *m);

/** Removes `dir` and everything in it: 0, or -1 when that fails (a cmocka
 * teardown's result). */
int fixture_rmdir(const char *dir);

/** Imports the sample corpus under `source` (the source tree) into `p`:
 * its transcripts, with its cases CSV. */
void fixture_import_sample(kb_project *p, const char *source);

/** A new project at `db_path` holding the sample corpus coded with the
 * codebook at `codebook_path`, or with the sample codebook when it is
 * NULL. Free with kb_project_free. */
kb_project *fixture_sample(const char *source, const char *db_path,
                           const char *codebook_path);

#endif
