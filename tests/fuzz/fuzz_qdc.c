/*
 * fuzz_qdc.c: fuzz target for REFI-QDA codebooks (exchange/qdc_read.c, on
 * base/xmlread.c). Any bytes must either be refused with an error of one
 * line and no file written, or give a YAML codebook that loads as a sound
 * one (fuzz_check_written_codebook); kb_file_is_qdc must answer for any.
 * A libFuzzer target, or a replay of saved inputs (fuzz.h).
 */
#include "fuzz.h"

#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_write("codebook.qdc", data, size);
    int is = kb_file_is_qdc(fuzz_path("codebook.qdc"));
    fuzz_check(is == 0 || is == 1, "kb_file_is_qdc answers 0 or 1");
    const char *yaml = fuzz_path("codebook.yaml");
    unlink(yaml);
    kb_qdc_import_options o = KB_QDC_IMPORT_OPTIONS_INIT;
    o.notice = fuzz_notice;
    kb_error err;
    int rc = kb_codebook_from_qdc(fuzz_path("codebook.qdc"), yaml, &o, &err);
    fuzz_check_written_codebook(rc, &err, yaml);
    return 0;
}
