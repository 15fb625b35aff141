/*
 * test_segpack.c: segment packs (segpack.h). Random segments of each kind
 * read back whole; kbi_segpack_seek lands where a walk from the first
 * segment would, for offsets in, between and after segments; and a pack of
 * format 1 (no marks, made here from a current one) reads back the same and
 * repacks to the current one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "store/segpack.h"
#include "base/varint.h"

static unsigned rnd_state = 12345;
static unsigned rnd(unsigned n)
{
    rnd_state = rnd_state * 1103515245u + 12345u;
    return (rnd_state >> 8) % n;
}

/* n segments in text order, with gaps between some and long ones among
 * them (byte lengths up to 2,000, so that varints take two bytes). */
static void make_kind(kbi_tseg_array *a, size_t n)
{
    a->v = calloc(n ? n : 1, sizeof *a->v);
    assert_non_null(a->v);
    a->n = a->cap = n;
    size_t b = 0, c = 0;
    for (size_t i = 0; i < n; i++) {
        kbi_tseg *g = &a->v[i];
        size_t gap = rnd(4) ? 0 : rnd(30), len = 1 + rnd(rnd(10) ? 200 : 2000);
        g->b0 = b + gap;
        g->b1 = g->b0 + len;
        g->c0 = c + gap;
        g->c1 = g->c0 + len - rnd(len);
        g->speaker = (int)rnd(5) - 1;
        g->time_ms = rnd(3) ? KB_NO_TIME : (int64_t)rnd(100000);
        g->turn = rnd(4) ? i / 3 : KB_NO_INDEX;
        g->para = rnd(4) ? i / 2 : KB_NO_INDEX;
        b = g->b1;
        c = g->c1;
    }
}

static void same_seg(const kbi_tseg *x, const kbi_tseg *y)
{
    assert_int_equal(x->b0, y->b0);
    assert_int_equal(x->b1, y->b1);
    assert_int_equal(x->c0, y->c0);
    assert_int_equal(x->c1, y->c1);
    assert_int_equal(x->speaker, y->speaker);
    assert_int_equal(x->time_ms, y->time_ms);
    assert_int_equal(x->turn, y->turn);
    assert_int_equal(x->para, y->para);
}

static void read_back(const unsigned char *blob, size_t len,
                      const kbi_tseg_array *kinds)
{
    kb_error err;
    for (int k = 0; k < 3; k++) {
        kbi_segpack_iter it;
        size_t n;
        assert_int_equal(kbi_segpack_open(&it, &n, blob, len, k, &err), 0);
        assert_int_equal(n, kinds[k].n);
        kbi_tseg g;
        for (size_t i = 0; i < n; i++) {
            assert_int_equal(kbi_segpack_next(&it, &g, &err), 1);
            same_seg(&g, &kinds[k].v[i]);
        }
        assert_int_equal(kbi_segpack_next(&it, &g, &err), 0);
    }
}

/* The same pack in format 1: its marks cut out, the lengths set again. */
static unsigned char *format1(const unsigned char *blob, size_t len,
                              size_t *out_len)
{
    const unsigned char *p = blob + 2, *end = blob + len;
    uint64_t count[3], bytes[3];
    for (int k = 0; k < 3; k++) {
        assert_int_equal(kbi_varint_get(&p, end, &count[k]), 0);
        assert_int_equal(kbi_varint_get(&p, end, &bytes[k]), 0);
    }
    unsigned char *v = malloc(len);
    assert_non_null(v);
    size_t n = 0;
    v[n++] = 'S';
    v[n++] = 1;
    size_t marks[3];
    for (int k = 0; k < 3; k++) {
        marks[k] = count[k] ? (count[k] - 1) / KBI_SEGPACK_MARK * 16 : 0;
        kbi_varint_put(v, &n, count[k]);
        kbi_varint_put(v, &n, bytes[k] - marks[k]);
    }
    for (int k = 0; k < 3; k++) {
        memcpy(v + n, p + marks[k], bytes[k] - marks[k]);
        n += bytes[k] - marks[k];
        p += bytes[k];
    }
    *out_len = n;
    return v;
}

static void test_round_trip_and_seek(void **state)
{
    (void)state;
    kb_error err;
    const size_t sizes[][3] = {
        {0, 0, 0}, {1, 1, 1}, {63, 64, 65}, {128, 129, 500}, {3, 40, 5000}};
    for (size_t t = 0; t < sizeof sizes / sizeof sizes[0]; t++) {
        kbi_tseg_array kinds[3];
        for (int k = 0; k < 3; k++)
            make_kind(&kinds[k], sizes[t][k]);
        const kbi_tseg_array *const in[3] = {&kinds[0], &kinds[1], &kinds[2]};
        unsigned char *blob;
        size_t len;
        assert_int_equal(kbi_segpack_encode(&blob, &len, in, &err), 0);
        assert_int_equal(blob[1], 2);
        read_back(blob, len, kinds);

        /* seek then walk: the first segment whose end is past b */
        const kbi_tseg_array *a = &kinds[2];
        size_t top = a->n ? a->v[a->n - 1].b1 + 10 : 10;
        for (int r = 0; r < 300; r++) {
            size_t b = rnd((unsigned)top), want = 0;
            while (want < a->n && a->v[want].b1 <= b)
                want++;
            kbi_segpack_iter it;
            size_t n;
            assert_int_equal(kbi_segpack_open(&it, &n, blob, len, 2, &err), 0);
            size_t at = kbi_segpack_seek(&it, 0, b);
            assert_true(at <= want);
            assert_int_equal(at % KBI_SEGPACK_MARK, 0);
            assert_true(want - at <= KBI_SEGPACK_MARK || want == a->n);
            kbi_tseg g;
            for (size_t i = at; i < a->n; i++) {
                assert_int_equal(kbi_segpack_next(&it, &g, &err), 1);
                same_seg(&g, &a->v[i]);
            }
            /* never backwards */
            assert_int_equal(kbi_segpack_open(&it, &n, blob, len, 2, &err), 0);
            size_t late = a->n ? a->n - 1 : 0;
            assert_int_equal(kbi_segpack_seek(&it, late, b), late);
        }

        /* format 1 reads the same, seeks nowhere, and repacks to this */
        size_t len1;
        unsigned char *old = format1(blob, len, &len1);
        read_back(old, len1, kinds);
        kbi_segpack_iter it;
        size_t n;
        assert_int_equal(kbi_segpack_open(&it, &n, old, len1, 2, &err), 0);
        assert_int_equal(kbi_segpack_seek(&it, 0, top), 0);
        unsigned char *re;
        size_t relen;
        assert_int_equal(kbi_segpack_repack(&re, &relen, old, len1, &err), 0);
        assert_non_null(re);
        assert_int_equal(relen, len);
        assert_memory_equal(re, blob, len);
        free(re);
        assert_int_equal(kbi_segpack_repack(&re, &relen, blob, len, &err), 0);
        assert_null(re); /* current already */
        old[1] = 3;
        assert_int_equal(kbi_segpack_open(&it, &n, old, len1, 0, &err), KB_EDB);
        free(old);
        free(blob);
        for (int k = 0; k < 3; k++)
            free(kinds[k].v);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip_and_seek),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
