/*
 * segpack.c: packing a version's segments into one blob (see segpack.h).
 */
#include "segpack.h"
#include "error.h"
#include "grow.h"
#include "varint.h"

#include <stdlib.h>
#include <string.h>

#define SEGPACK_FIELDS 8

typedef struct buf {
    unsigned char *v;
    size_t n, cap;
} buf;

static uint64_t index_field(size_t i)
{
    return i == KB_NO_INDEX ? 0 : (uint64_t)i + 1;
}

/* Appends one kind's section to *b. */
static int encode_kind(buf *b, const kb_tseg_array *a, kb_error *err)
{
    if (KB_GROW(&b->v, &b->cap, b->n + a->n * SEGPACK_FIELDS * KB_VARINT_MAX))
        return kb_fail(err, KB_ENOMEM, "out of memory");
    size_t pc = 0, pb = 0;
    for (size_t i = 0; i < a->n; i++) {
        const kb_tseg *g = &a->v[i];
        if (g->c0 < pc || g->b0 < pb || g->c1 < g->c0 || g->b1 < g->b0 ||
            g->time_ms < KB_NO_TIME)
            return kb_fail(err, KB_EINVAL,
                           "segments out of order at segment %zu", i);
        kb_varint_put(b->v, &b->n, (uint64_t)(g->speaker + 1));
        kb_varint_put(b->v, &b->n, index_field(g->turn));
        kb_varint_put(b->v, &b->n, index_field(g->para));
        kb_varint_put(b->v, &b->n, g->c0 - pc);
        kb_varint_put(b->v, &b->n, g->c1 - g->c0);
        kb_varint_put(b->v, &b->n, g->b0 - pb);
        kb_varint_put(b->v, &b->n, g->b1 - g->b0);
        kb_varint_put(b->v, &b->n, (uint64_t)(g->time_ms + 1));
        pc = g->c0;
        pb = g->b0;
    }
    return 0;
}

int kb_segpack_encode(unsigned char **out, size_t *len,
                      const kb_tseg_array *const kinds[3], kb_error *err)
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
        v = malloc(2 + 6 * KB_VARINT_MAX + sec[0].n + sec[1].n + sec[2].n);
        if (!v)
            rc = kb_fail(err, KB_ENOMEM, "out of memory");
    }
    if (!rc) {
        v[n++] = 'S';
        v[n++] = 1;
        for (int k = 0; k < 3; k++) {
            kb_varint_put(v, &n, kinds[k]->n);
            kb_varint_put(v, &n, sec[k].n);
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
    return kb_fail(err, KB_EDB, "project store: damaged segment pack");
}

int kb_segpack_open(kb_segpack_iter *it, size_t *n, const unsigned char *blob,
                    size_t len, int k, kb_error *err)
{
    memset(it, 0, sizeof *it);
    *n = 0;
    if (!blob || len < 2 || blob[0] != 'S' || blob[1] != 1 || k < 0 || k > 2)
        return corrupt(err);
    const unsigned char *p = blob + 2, *end = blob + len;
    uint64_t count[3], bytes[3];
    for (int i = 0; i < 3; i++)
        if (kb_varint_get(&p, end, &count[i]) ||
            kb_varint_get(&p, end, &bytes[i]))
            return corrupt(err);
    for (int i = 0; i < k; i++) {
        if (bytes[i] > (uint64_t)(end - p))
            return corrupt(err);
        p += bytes[i];
    }
    if (bytes[k] > (uint64_t)(end - p))
        return corrupt(err);
    it->p = p;
    it->end = p + bytes[k];
    it->left = *n = (size_t)count[k];
    return 0;
}

int kb_segpack_next(kb_segpack_iter *it, kb_tseg *out, kb_error *err)
{
    if (!it->left)
        return 0;
    uint64_t f[SEGPACK_FIELDS];
    for (int i = 0; i < SEGPACK_FIELDS; i++)
        if (kb_varint_get(&it->p, it->end, &f[i]))
            return corrupt(err);
    kb_tseg *g = &it->prev;
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
