/*
 * fuzz_codebook_csv.c: fuzz target for codebooks from a spreadsheet CSV
 * (codebook/codebook_csv.c). Any bytes must either be refused with an
 * error of one line and no file written, or give a YAML codebook that
 * loads as a sound one (fuzz_check_written_codebook). A libFuzzer target,
 * or a replay of saved inputs (fuzz.h).
 */
#include "fuzz.h"

#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *csv = fuzz_write("sheet.csv", data, size);
    const char *yaml = fuzz_path("sheet.yaml");
    unlink(yaml);
    kb_error err;
    int rc = kb_codebook_from_csv(csv, yaml, "fuzz", &err);
    fuzz_check_written_codebook(rc, &err, yaml);
    return 0;
}
