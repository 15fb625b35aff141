/*
 * replay.c: the main() of every fuzz target built as a plain program (not
 * with KODBOK_LIBFUZZER): runs LLVMFuzzerTestOneInput on each file named,
 * and on each file in the folders named, so that a target's saved corpus
 * is a regression test under ctest. Each input is read into a buffer of
 * exactly its size, so that a read past its end is caught under ASan.
 */
#include "fuzz.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>

/* Runs the target on the file at path; -1 if it cannot be read. */
static int replay(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    long n = fseek(f, 0, SEEK_END) ? -1 : ftell(f);
    /* Exactly n bytes, so that ASan sees a read past the input's end. */
    uint8_t *buf = n >= 0 ? malloc(n ? (size_t)n : 1) : NULL;
    int bad = !buf || fseek(f, 0, SEEK_SET) ||
              fread(buf, 1, (size_t)n, f) != (size_t)n;
    fclose(f);
    if (!bad)
        LLVMFuzzerTestOneInput(buf, (size_t)n);
    free(buf);
    return bad ? -1 : 0;
}

int main(int argc, char **argv)
{
    int files = 0, failed = 0;
    for (int i = 1; i < argc; i++) {
        DIR *d = opendir(argv[i]);
        if (!d) {
            if (replay(argv[i]))
                failed++;
            else
                files++;
            continue;
        }
        struct dirent *e;
        while ((e = readdir(d))) {
            if (e->d_name[0] == '.')
                continue;
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", argv[i], e->d_name);
            if (replay(path)) {
                fprintf(stderr, "%s: cannot be read\n", path);
                failed++;
            } else {
                files++;
            }
        }
        closedir(d);
    }
    printf("%d passed, %d failed\n", files, failed);
    return files > 0 && !failed ? 0 : 1;
}
