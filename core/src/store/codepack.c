/*
 * codepack.c: packing codings into one blob (see codepack.h).
 */
#include "store/codepack.h"
#include "base/error.h"
#include "base/grow.h"
#include "base/varint.h"

#include <stdlib.h>
#include <string.h>

static const char *const SOURCES[] = {"manual", "pattern", "attribute",
                                      "default"};
#define NSOURCES ((int)(sizeof SOURCES / sizeof SOURCES[0]))

const char *kbi_fsource_name(int source)
{
    return source >= 0 && source < NSOURCES ? SOURCES[source] : NULL;
}

int kbi_fsource_parse(const char *name)
{
    for (int i = 0; name && i < NSOURCES; i++)
        if (!strcmp(name, SOURCES[i]))
            return i;
    return -1;
}

static int nomem(kb_error *err)
{
    return kbi_fail(err, KB_ENOMEM, "out of memory");
}

int kbi_cpack_add(kbi_cpack *p, int64_t segment, int64_t mstart, int64_t mend,
                  int64_t to_run, kb_error *err)
{
    if (KBI_GROW(&p->v, &p->cap, p->n + 1))
        return nomem(err);
    p->v[p->n++] = (kbi_centry){segment, mstart, mend, to_run, p->nf, 0};
    return 0;
}

int kbi_cpack_facet(kbi_cpack *p, const char *facet, const char *value,
                    int source, kb_error *err)
{
    if (!p->n)
        return kbi_fail(err, KB_EINVAL, "a facet value without a coding");
    if (KBI_GROW(&p->f, &p->capf, p->nf + 1))
        return nomem(err);
    p->f[p->nf++] = (kbi_cfacet){facet, value, source};
    p->v[p->n - 1].fn++;
    return 0;
}

static uint64_t zigzag(int64_t x)
{
    return x < 0 ? ((uint64_t)(-(x + 1)) << 1) | 1 : (uint64_t)x << 1;
}

static int64_t unzigzag(uint64_t x)
{
    return x & 1 ? -(int64_t)(x >> 1) - 1 : (int64_t)(x >> 1);
}

/* The strings of a pack's facet values, each once. A pack has a handful
 * (facet and value ids), so a list searched from the end will do. */
typedef struct strtab {
    const char **v;
    size_t n, cap, bytes;
} strtab;

static long strtab_find(const strtab *t, const char *s)
{
    for (size_t i = t->n; i-- > 0;)
        if (t->v[i] == s || !strcmp(t->v[i], s))
            return (long)i;
    return -1;
}

static int strtab_add(strtab *t, const char *s)
{
    if (strtab_find(t, s) >= 0)
        return 0;
    if (KBI_GROW(&t->v, &t->cap, t->n + 1))
        return -1;
    t->v[t->n++] = s;
    t->bytes += strlen(s) + 1 + KBI_VARINT_MAX;
    return 0;
}

int kbi_cpack_encode(const kbi_cpack *p, unsigned char **out, size_t *len,
                     kb_error *err)
{
    *out = NULL;
    *len = 0;
    strtab t = {0};
    for (size_t i = 0; i < p->nf; i++)
        if (!p->f[i].facet || !p->f[i].value ||
            !kbi_fsource_name(p->f[i].source) ||
            strtab_add(&t, p->f[i].facet) || strtab_add(&t, p->f[i].value)) {
            free(t.v);
            return p->f[i].facet && p->f[i].value &&
                           kbi_fsource_name(p->f[i].source)
                       ? nomem(err)
                       : kbi_fail(err, KB_EINVAL, "an incomplete facet value");
        }
    size_t room = 2 + 2 * KBI_VARINT_MAX + t.bytes + p->n * 5 * KBI_VARINT_MAX +
                  p->nf * 3 * KBI_VARINT_MAX;
    unsigned char *b = malloc(room);
    if (!b) {
        free(t.v);
        return nomem(err);
    }
    size_t n = 0;
    b[n++] = 'C';
    b[n++] = 1;
    kbi_varint_put(b, &n, p->n);
    kbi_varint_put(b, &n, t.n);
    for (size_t i = 0; i < t.n; i++) {
        size_t l = strlen(t.v[i]);
        kbi_varint_put(b, &n, l);
        memcpy(b + n, t.v[i], l + 1);
        n += l + 1;
    }
    int64_t seg = 0, ms = 0;
    for (size_t i = 0; i < p->n; i++) {
        const kbi_centry *e = &p->v[i];
        if (e->segment < seg || e->segment < 0 || e->mend < e->mstart ||
            e->to_run < 0 || e->fat + e->fn > p->nf) {
            free(b);
            free(t.v);
            return kbi_fail(err, KB_EINVAL,
                            "codings out of segment order at coding %zu", i);
        }
        kbi_varint_put(b, &n, (uint64_t)(e->segment - seg));
        kbi_varint_put(b, &n, zigzag(e->mstart - ms));
        kbi_varint_put(b, &n, (uint64_t)(e->mend - e->mstart));
        kbi_varint_put(b, &n, (uint64_t)e->to_run);
        kbi_varint_put(b, &n, e->fn);
        for (size_t k = 0; k < e->fn; k++) {
            const kbi_cfacet *f = &p->f[e->fat + k];
            kbi_varint_put(b, &n, (uint64_t)strtab_find(&t, f->facet));
            kbi_varint_put(b, &n, (uint64_t)strtab_find(&t, f->value));
            kbi_varint_put(b, &n, (uint64_t)f->source);
        }
        seg = e->segment;
        ms = e->mstart;
    }
    free(t.v);
    *out = b;
    *len = n;
    return 0;
}

static int damaged(kb_error *err)
{
    return kbi_fail(err, KB_EDB, "project store: damaged coding pack");
}

/* Reads the head of pack blob[0..len) at *s: its format, then the number
 * of its codings (each takes a byte at least). -1: not a coding pack. */
static int pack_head(const unsigned char **s, size_t len, uint64_t *n)
{
    const unsigned char *end = *s + len;
    if (len < 2 || (*s)[0] != 'C' || (*s)[1] != 1)
        return -1;
    *s += 2;
    return kbi_varint_get(s, end, n) || *n > len ? -1 : 0;
}

int kbi_cpack_decode(kbi_cpack *p, const void *blob, size_t len, kb_error *err)
{
    kbi_cpack_reset(p);
    if (!blob || len < 2)
        return damaged(err);
    if (KBI_GROW(&p->blob, &p->blobcap, len))
        return nomem(err);
    memcpy(p->blob, blob, len);
    const unsigned char *s = p->blob, *end = p->blob + len;
    uint64_t n, nstr;
    if (pack_head(&s, len, &n) || kbi_varint_get(&s, end, &nstr) ||
        nstr > len) /* each takes a byte at least */
        return damaged(err);
    const char **str = malloc((nstr ? nstr : 1) * sizeof *str);
    if (!str || KBI_GROW(&p->v, &p->cap, n)) {
        free(str);
        return nomem(err);
    }
    int rc = 0;
    for (uint64_t i = 0; i < nstr && !rc; i++) {
        uint64_t l;
        if (kbi_varint_get(&s, end, &l) || l >= (uint64_t)(end - s) || s[l])
            rc = damaged(err);
        else {
            str[i] = (const char *)s;
            s += l + 1;
        }
    }
    int64_t seg = 0, ms = 0;
    for (uint64_t i = 0; i < n && !rc; i++) {
        uint64_t f[5];
        for (int k = 0; k < 5 && !rc; k++)
            if (kbi_varint_get(&s, end, &f[k]))
                rc = damaged(err);
        if (rc || f[0] > INT64_MAX - (uint64_t)seg || f[2] > INT64_MAX / 2 ||
            f[3] > INT64_MAX || f[4] > (uint64_t)(end - s)) {
            rc = damaged(err);
            break;
        }
        seg += (int64_t)f[0];
        ms += unzigzag(f[1]);
        if ((rc = kbi_cpack_add(p, seg, ms, ms + (int64_t)f[2], (int64_t)f[3],
                                err)))
            break;
        for (uint64_t k = 0; k < f[4] && !rc; k++) {
            uint64_t a, b, src;
            if (kbi_varint_get(&s, end, &a) || kbi_varint_get(&s, end, &b) ||
                kbi_varint_get(&s, end, &src) || a >= nstr || b >= nstr ||
                src >= (uint64_t)NSOURCES)
                rc = damaged(err);
            else
                rc = kbi_cpack_facet(p, str[a], str[b], (int)src, err);
        }
    }
    free(str);
    if (!rc && s != end)
        rc = damaged(err);
    if (rc)
        kbi_cpack_reset(p);
    return rc;
}

int kbi_cpack_count(const void *blob, size_t len, size_t *n, kb_error *err)
{
    const unsigned char *s = blob;
    uint64_t v;
    *n = 0;
    if (!blob || pack_head(&s, len, &v))
        return damaged(err);
    *n = (size_t)v;
    return 0;
}

size_t kbi_cpack_alive(const kbi_cpack *p)
{
    size_t n = 0;
    for (size_t i = 0; i < p->n; i++)
        n += !p->v[i].to_run;
    return n;
}

int64_t kbi_cpack_to_run(const kbi_cpack *p)
{
    int64_t last = 0;
    for (size_t i = 0; i < p->n; i++) {
        if (!p->v[i].to_run)
            return 0;
        if (p->v[i].to_run > last)
            last = p->v[i].to_run;
    }
    return last;
}

void kbi_cpack_reset(kbi_cpack *p)
{
    p->n = p->nf = 0;
}

void kbi_cpack_free(kbi_cpack *p)
{
    free(p->v);
    free(p->f);
    free(p->blob);
    memset(p, 0, sizeof *p);
}
