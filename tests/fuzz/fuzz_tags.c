/*
 * fuzz_tags.c: fuzz target for tags files (manual/tagfile.c) imported into
 * a project (fuzz_project). Any bytes must either be refused with an error
 * of one line, leaving the project file as it was, or import: then
 * importing the same file again adds nothing and features nothing
 * (kb_tags_import's promise), and the codings written back out as a tags
 * file import into a fresh project whole. A libFuzzer target, or a replay of
 * saved inputs (fuzz.h).
 */
#include "fuzz.h"

#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_write("tags.tsv", data, size);
    kb_project *p = fuzz_project();
    kb_tags_import_options o = KB_TAGS_IMPORT_OPTIONS_INIT;
    o.notice = fuzz_notice;
    kb_tags_import_report r;
    kb_error err;
    if (kb_tags_import(&r, p, path, &o, &err)) {
        fuzz_check_error(&err);
        fuzz_project_unchanged(p);
        return 0;
    }
    fuzz_check(r.added + r.same + r.conflicts + r.unplaced + r.featured <=
                   r.lines,
               "each line counted once");
    fuzz_check(!kb_tags_import(&r, p, path, &o, &err),
               "a tags file imports again");
    fuzz_check(r.added == 0 && r.featured == 0,
               "importing the same file again adds nothing");
    const char *out = fuzz_path("written.tsv");
    FILE *f = fopen(out, "wb");
    size_t written = 0;
    int rc = f ? kb_tags_write(f, &written, p, NULL, &err) : -1;
    fuzz_check(f && !fclose(f), "tags file written");
    fuzz_check(rc == 0 || err.code == KB_ENOENT, "tags written back");
    kb_project_free(p);
    if (!written)
        return 0;
    p = fuzz_project();
    fuzz_check(!kb_tags_import(&r, p, out, &o, &err),
               "the tags written import into a fresh project");
    fuzz_check(r.lines == written && r.added == written,
               "every coding written comes back");
    kb_project_free(p);
    return 0;
}
