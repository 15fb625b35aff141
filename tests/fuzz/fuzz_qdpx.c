/*
 * fuzz_qdpx.c: fuzz target for REFI-QDA projects (exchange/qdpx_read.c, on
 * base/zipread.c and base/xmlread.c) imported into a project
 * (fuzz_project). Any bytes must either be refused with an error of one
 * line, leaving the project file as it was and no codebook written, or
 * import: then the codebook written, if any, loads as a sound one.
 * kb_file_is_qdpx must answer for any. A libFuzzer target, or a replay of
 * saved inputs (fuzz.h).
 */
#include "fuzz.h"

#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_write("project.qdpx", data, size);
    int is = kb_file_is_qdpx(path);
    fuzz_check(is == 0 || is == 1, "kb_file_is_qdpx answers 0 or 1");
    const char *yaml = fuzz_path("qdpx.yaml");
    unlink(yaml);
    kb_project *p = fuzz_project();
    kb_qdpx_import_options o = KB_QDPX_IMPORT_OPTIONS_INIT;
    o.codebook_path = yaml;
    o.notice = fuzz_notice;
    kb_qdpx_report r;
    kb_error err;
    int rc = kb_project_import_qdpx(&r, p, path, &o, &err);
    if (rc) {
        fuzz_project_unchanged(p);
        fuzz_check_written_codebook(rc, &err, yaml);
        return 0;
    }
    kb_project_free(p);
    if (!access(yaml, F_OK))
        fuzz_check_written_codebook(0, &err, yaml);
    return 0;
}
