/*
 * segpack.c: packing a version's segments into one blob (see segpack.h).
 */
#include "store/segpack.h"
#include "base/error.h"
#include "base/grow.h"
#include "base/varint.h"

#include <stdlib.h>
#include <string.h>

#define SEGPACK_FIELDS 8
#define SEGPACK_FORMAT 2
#define MARK_BYTES     16 /* a mark: four 32-bit numbers */

typedef struct buf {
    unsigned char *v;
    size_t n, cap;
} buf;

static uint64_t index_field(size_t i)
{
    return i == KB_NO_INDEX ? 0 : (uint64_t)i + 1;
}

static void put32(unsigned char *p, size_t x)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(x >> (8 * i));
}

static size_t get32(const unsigned char *p)
{
    return (size_t)p[0] | (size_t)p[1] << 8 | (size_t)p[2] << 16 |
           (size_t)p[3] << 24;
}

static size_t marks_of(size_t count)
{
    return count ? (count - 1) / KBI_SEGPACK_MARK : 0;
}

/* Appends one kind's section to *b: its marks, then its segments. */
static int encode_kind(buf *b, const kbi_tseg_array *a, kb_error *err)
{
    if (!a->n)
        return 0; /* an empty section (and b->v may be no buffer yet) */
    size_t nmarks = marks_of(a->n);
    if (KBI_GROW(&b->v, &b->cap,
                 b->n + nmarks * MARK_BYTES +
                     a->n * SEGPACK_FIELDS * KBI_VARINT_MAX))
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    unsigned char *marks = b->v + b->n;
    b->n += nmarks * MARK_BYTES;
    size_t data = b->n, pc = 0, pb = 0, end = 0; /* end: the largest b1 */
    for (size_t i = 0; i < a->n; i++) {
        const kbi_tseg *g = &a->v[i];
        if (g->c0 < pc || g->b0 < pb || g->c1 < g->c0 || g->b1 < g->b0 ||
            g->time_ms < KB_NO_TIME)
            return kbi_fail(err, KB_EINVAL,
                            "segments out of order at segment %zu", i);
        if (g->b1 > UINT32_MAX || g->c1 > UINT32_MAX)
            return kbi_fail(err, KB_EINVAL, "a text over 4 GB");
        if (i && i % KBI_SEGPACK_MARK == 0) {
            unsigned char *m = marks + (i / KBI_SEGPACK_MARK - 1) * MARK_BYTES;
            put32(m, b->n - data);
            put32(m + 4, pc);
            put32(m + 8, pb);
            put32(m + 12, end);
        }
        if (g->b1 > end)
            end = g->b1;
        kbi_varint_put(b->v, &b->n, (uint64_t)(g->speaker + 1));
        kbi_varint_put(b->v, &b->n, index_field(g->turn));
        kbi_varint_put(b->v, &b->n, index_field(g->para));
        kbi_varint_put(b->v, &b->n, g->c0 - pc);
        kbi_varint_put(b->v, &b->n, g->c1 - g->c0);
        kbi_varint_put(b->v, &b->n, g->b0 - pb);
        kbi_varint_put(b->v, &b->n, g->b1 - g->b0);
        kbi_varint_put(b->v, &b->n, (uint64_t)(g->time_ms + 1));
        pc = g->c0;
        pb = g->b0;
    }
    return 0;
}

int kbi_segpack_encode(unsigned char **out, size_t *len,
                       const kbi_tseg_array *const kinds[3], kb_error *err)
{
    *out = NULL;
    *len = 0;
    buf sec[3] = {{0}};
    int rc = 0;
    for (int k = 0; k < 3 && !rc; k++)
        rc = encode_kind(&sec[k], kinds[k], err);
    unsigned char *v = NULL;
    size_t n = 0;
    if (!rc) {
        v = malloc(2 + 6 * KBI_VARINT_MAX + sec[0].n + sec[1].n + sec[2].n);
        if (!v)
            rc = kbi_fail(err, KB_ENOMEM, "out of memory");
    }
    if (!rc) {
        v[n++] = 'S';
        v[n++] = SEGPACK_FORMAT;
        for (int k = 0; k < 3; k++) {
            kbi_varint_put(v, &n, kinds[k]->n);
            kbi_varint_put(v, &n, sec[k].n);
        }
        for (int k = 0; k < 3; k++) {
            if (sec[k].n)
                memcpy(v + n, sec[k].v, sec[k].n);
            n += sec[k].n;
        }
        *out = v;
        *len = n;
    }
    for (int k = 0; k < 3; k++)
        free(sec[k].v);
    return rc;
}

static int corrupt(kb_error *err)
{
    return kbi_fail(err, KB_EDB, "project store: damaged segment pack");
}

int kbi_segpack_open(kbi_segpack_iter *it, size_t *n, const unsigned char *blob,
                     size_t len, int k, kb_error *err)
{
    memset(it, 0, sizeof *it);
    *n = 0;
    if (!blob || len < 2 || blob[0] != 'S' || blob[1] < 1 ||
        blob[1] > SEGPACK_FORMAT || k < 0 || k > 2)
        return corrupt(err);
    const unsigned char *p = blob + 2, *end = blob + len;
    uint64_t count[3], bytes[3];
    for (int i = 0; i < 3; i++)
        if (kbi_varint_get(&p, end, &count[i]) ||
            kbi_varint_get(&p, end, &bytes[i]))
            return corrupt(err);
    for (int i = 0; i < k; i++) {
        if (bytes[i] > (uint64_t)(end - p))
            return corrupt(err);
        p += bytes[i];
    }
    if (bytes[k] > (uint64_t)(end - p))
        return corrupt(err);
    it->end = p + bytes[k];
    it->count = it->left = *n = (size_t)count[k];
    if (blob[1] >= 2) { /* format 1 had no marks */
        it->nmarks = marks_of(it->count);
        if (it->nmarks > bytes[k] / MARK_BYTES)
            return corrupt(err);
        it->marks = p;
        p += it->nmarks * MARK_BYTES;
    }
    it->data = it->p = p;
    return 0;
}

size_t kbi_segpack_seek(kbi_segpack_iter *it, size_t at, size_t b)
{
    /* the last mark whose segment before ends at or before b */
    size_t lo = 0, hi = it->nmarks;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (get32(it->marks + mid * MARK_BYTES + 12) <= b)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t to = lo * KBI_SEGPACK_MARK;
    if (!lo || to <= at)
        return at;
    const unsigned char *m = it->marks + (lo - 1) * MARK_BYTES;
    size_t off = get32(m);
    if (off > (size_t)(it->end - it->data))
        return at; /* damaged: the walk from here will say so */
    it->p = it->data + off;
    it->prev.c0 = get32(m + 4);
    it->prev.b0 = get32(m + 8);
    it->left = it->count - to;
    return to;
}

int kbi_segpack_next(kbi_segpack_iter *it, kbi_tseg *out, kb_error *err)
{
    if (!it->left)
        return 0;
    uint64_t f[SEGPACK_FIELDS];
    for (int i = 0; i < SEGPACK_FIELDS; i++)
        if (kbi_varint_get(&it->p, it->end, &f[i]))
            return corrupt(err);
    kbi_tseg *g = &it->prev;
    g->speaker = (int)f[0] - 1;
    g->turn = f[1] ? (size_t)f[1] - 1 : KB_NO_INDEX;
    g->para = f[2] ? (size_t)f[2] - 1 : KB_NO_INDEX;
    g->c0 += (size_t)f[3];
    g->c1 = g->c0 + (size_t)f[4];
    g->b0 += (size_t)f[5];
    g->b1 = g->b0 + (size_t)f[6];
    g->time_ms = (int64_t)f[7] - 1;
    *out = *g;
    it->left--;
    return 1;
}

int kbi_segpack_repack(unsigned char **out, size_t *len,
                       const unsigned char *blob, size_t blen, kb_error *err)
{
    *out = NULL;
    *len = 0;
    if (blen >= 2 && blob[0] == 'S' && blob[1] == SEGPACK_FORMAT)
        return 0;
    kbi_tseg_array kinds[3] = {{0}};
    int rc = 0;
    for (int k = 0; k < 3 && !rc; k++) {
        kbi_segpack_iter it;
        size_t n;
        if ((rc = kbi_segpack_open(&it, &n, blob, blen, k, err)))
            break;
        if (KBI_GROW(&kinds[k].v, &kinds[k].cap, n)) {
            rc = kbi_fail(err, KB_ENOMEM, "out of memory");
            break;
        }
        for (; kinds[k].n < n && !rc; kinds[k].n++)
            if ((rc = kbi_segpack_next(&it, &kinds[k].v[kinds[k].n], err)) >= 0)
                rc = rc ? 0 : corrupt(err); /* 0: fewer than counted */
    }
    const kbi_tseg_array *const in[3] = {&kinds[0], &kinds[1], &kinds[2]};
    if (!rc)
        rc = kbi_segpack_encode(out, len, in, err);
    for (int k = 0; k < 3; k++)
        free(kinds[k].v);
    return rc;
}
