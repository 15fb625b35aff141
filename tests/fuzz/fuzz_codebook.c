/*
 * fuzz_codebook.c: fuzz target for the codebook YAML reader
 * (codebook/codebook.c, libyaml). Any bytes must either be refused with an
 * error of one line or load as a sound codebook (fuzz_check_codebook). A
 * libFuzzer target, or a replay of saved inputs (fuzz.h).
 */
#include "fuzz.h"

#include "codebook/codebook.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    kb_codebook *cb;
    kb_error err;
    if (kbi_codebook_parse(&cb, data, size, "fuzz.yaml", &err)) {
        fuzz_check_error(&err);
        return 0;
    }
    fuzz_check_codebook(cb);
    kb_codebook_free(cb);
    return 0;
}
