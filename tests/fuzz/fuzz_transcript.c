/*
 * fuzz_transcript.c: fuzz target for decoding and transcript parsing. Any
 * byte string must either be refused with an error or give the stored form
 * (fuzz_check_stored) whose turns, paragraphs and sentences are in bounds,
 * ordered, nested and agree in bytes and code points. A libFuzzer target,
 * or a replay of saved inputs (fuzz.h).
 */
#include "fuzz.h"

#include "base/decode.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text;
    size_t len;
    const char *enc;
    if (kbi_text_decode(&text, &len, &enc, data, size, "fuzz", NULL))
        return 0;
    fuzz_check_stored(text, len);
    fuzz_check_transcript(text, len);
    free(text);
    return 0;
}
