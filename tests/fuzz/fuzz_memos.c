/*
 * fuzz_memos.c: fuzz target for memos files (manual/memofile.c, sharing
 * tags files' line reader) imported into a project (fuzz_project). Any
 * bytes must either be refused with an error of one line, leaving the
 * project file as it was, or import: then importing the same file again
 * adds nothing (kb_memos_import's promise), and the memos written back out
 * import into a fresh project whole. A libFuzzer target, or a replay of
 * saved inputs (fuzz.h).
 */
#include "fuzz.h"

#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_write("memos.tsv", data, size);
    kb_project *p = fuzz_project();
    kb_memos_import_options o = KB_MEMOS_IMPORT_OPTIONS_INIT;
    o.notice = fuzz_notice;
    kb_memos_import_report r;
    kb_error err;
    if (kb_memos_import(&r, p, path, &o, &err)) {
        fuzz_check_error(&err);
        fuzz_project_unchanged(p);
        return 0;
    }
    fuzz_check(!kb_memos_import(&r, p, path, &o, &err),
               "a memos file imports again");
    fuzz_check(r.added == 0, "importing the same file again adds nothing");
    const char *out = fuzz_path("written-memos.tsv");
    FILE *f = fopen(out, "wb");
    size_t written = 0;
    int rc = f ? kb_memos_write(f, &written, p, &err) : -1;
    fuzz_check(f && !fclose(f), "memos file written");
    fuzz_check(rc == 0, "memos written back");
    kb_project_free(p);
    if (!written)
        return 0;
    p = fuzz_project();
    fuzz_check(!kb_memos_import(&r, p, out, &o, &err),
               "the memos written import into a fresh project");
    fuzz_check(r.added == written, "every memo written comes back");
    kb_project_free(p);
    return 0;
}
