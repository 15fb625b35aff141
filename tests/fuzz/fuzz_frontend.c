/*
 * fuzz_frontend.c: fuzz target for one transcript front end (DOCX, ODT,
 * HTML, WebVTT, SRT: FUZZ_FORMAT names it, one program each). Any byte
 * string must either be refused with an error or give, from the front
 * end, UTF-8 text without NUL or CR, and, read as that format, the stored
 * form (fuzz_check_stored) that parses as a transcript with sound spans
 * (fuzz_check_transcript). A libFuzzer target, or a replay of saved
 * inputs (fuzz.h).
 */
#include "fuzz.h"

#include "base/utf8.h"
#include "ingest/formats.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const kbi_format *f;
    if (!f && (kbi_format_find(&f, FUZZ_FORMAT, NULL) || !f))
        abort();
    kb_error err;
    char *text;
    size_t len;
    if (!f->to_text(&text, &len, data, size, "fuzz", fuzz_notice, NULL, &err)) {
        fuzz_check(kbi_utf8_invalid_at((const unsigned char *)text, len) == len,
                   "front end gives UTF-8");
        fuzz_check(strlen(text) == len, "front end gives no NUL");
        fuzz_check(!memchr(text, '\r', len), "front end gives LF line ends");
        free(text);
    } else {
        fuzz_check_error(&err);
    }
    const char *enc;
    if (kbi_format_read(&text, &len, &enc, f, NULL, data, size, "fuzz",
                        fuzz_notice, NULL, &err)) {
        fuzz_check_error(&err);
        return 0;
    }
    fuzz_check_stored(text, len);
    fuzz_check_transcript(text, len);
    free(text);
    return 0;
}
