/*
 * test_hash.c: SHA-256 (nettle behind hash.h) against the FIPS 180-4
 * example vectors, fed whole and in pieces.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "base/hash.h"

static void hex_of(const char *msg, size_t len, size_t chunk, char hex[65])
{
    kbi_sha256 c;
    kbi_sha256_init(&c);
    for (size_t i = 0; i < len; i += chunk)
        kbi_sha256_update(&c, msg + i, len - i < chunk ? len - i : chunk);
    kbi_sha256_hex(&c, hex);
}

static void test_vectors(void **state)
{
    (void)state;
    char hex[65];
    hex_of("", 0, 1, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934c"
                             "a495991b7852b855");
    hex_of("abc", 3, 3, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9c"
                             "b410ff61f20015ad");
    const char *two =
        "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    for (size_t chunk = 1; chunk <= 64; chunk *= 3) {
        hex_of(two, strlen(two), chunk, hex);
        assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff"
                                 "2167f6ecedd419db06c1");
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_vectors)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
