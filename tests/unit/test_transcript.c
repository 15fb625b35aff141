/*
 * test_transcript.c: what the transcript parser (core/src/ingest/transcript.c)
 * does that tests/spec/transcripts.spec cannot show: the error for a bad
 * speaker pattern. Speakers, timestamps, turns, paragraphs, sentences and
 * offsets are specs there.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ingest/transcript.h"

static void test_bad_speaker_regex(void **state)
{
    (void)state;
    kbi_parse_rules *r;
    kb_error err;
    assert_int_equal(kbi_parse_rules_new(&r, "Anf(\\d", NULL, &err),
                     KB_EFORMAT);
    assert_string_equal(err.argument, "speaker_regex");
    assert_string_equal(err.file, "");
    assert_int_equal(err.line, 1);
    assert_int_equal(err.column, 7);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_speaker_regex),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
