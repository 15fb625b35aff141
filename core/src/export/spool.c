/*
 * spool.c: sections of bytes gathered in memory and, past the budget, in a
 * scratch file (spool.h). Each section has a buffer in memory and a list
 * of the pieces of it already in the file (offset and length); when the
 * buffers' room together passes the budget, every one is written to the
 * end of the file as a piece of its section and freed. A section's buffer is
 * written out too when it alone reaches PIECE bytes, so that pieces are
 * read back in buffers of about that size.
 */
#include "export/spool.h"
#include "base/error.h"
#include "base/file.h"
#include "base/grow.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PIECE 65536

typedef struct piece {
    long at;
    size_t n;
} piece;

typedef struct section {
    char *buf; /* in memory, not yet in the file */
    size_t n, cap;
    piece *pieces; /* in the file, in order */
    size_t npieces, cappieces;
} section;

struct kbi_spool {
    section *v;
    size_t n, cap;
    size_t held, budget; /* the buffers' room; at most this much */
    FILE *file;          /* the scratch file, once one is needed */
    long end;            /* its length */
    char *read;          /* a piece read back */
    size_t capread;
};

int kbi_spool_new(kbi_spool **out, size_t budget, kb_error *err)
{
    *out = calloc(1, sizeof **out);
    if (!*out)
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    (*out)->budget = budget;
    return 0;
}

/* Writes section k's buffer to the end of the file as its next piece. */
static int spill(kbi_spool *s, section *k, kb_error *err)
{
    if (!k->n)
        return 0;
    if (!s->file && !(s->file = kbi_scratch()))
        return kbi_fail(err, KB_EIO, "a scratch file: %s", strerror(errno));
    if (KBI_GROW(&k->pieces, &k->cappieces, k->npieces + 1))
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    if (fseek(s->file, s->end, SEEK_SET) ||
        fwrite(k->buf, 1, k->n, s->file) != k->n)
        return kbi_fail(err, KB_EIO, "writing a scratch file: %s",
                        strerror(errno));
    k->pieces[k->npieces++] = (piece){s->end, k->n};
    s->end += (long)k->n;
    s->held -= k->cap;
    free(k->buf); /* its room is counted against the budget too */
    k->buf = NULL;
    k->n = k->cap = 0;
    return 0;
}

int kbi_spool_put(kbi_spool *s, size_t k, const char *p, size_t n,
                  kb_error *err)
{
    if (k >= s->n) {
        if (KBI_GROW(&s->v, &s->cap, k + 1))
            return kbi_fail(err, KB_ENOMEM, "out of memory");
        memset(s->v + s->n, 0, (k + 1 - s->n) * sizeof *s->v);
        s->n = k + 1;
    }
    section *sec = &s->v[k];
    size_t cap = sec->cap;
    if (KBI_GROW(&sec->buf, &sec->cap, sec->n + n + 1))
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    s->held += sec->cap - cap;
    memcpy(sec->buf + sec->n, p, n);
    sec->n += n;
    int rc = 0;
    if (sec->n >= PIECE)
        rc = spill(s, sec, err);
    for (size_t i = 0; !rc && s->held > s->budget && i < s->n; i++)
        rc = spill(s, &s->v[i], err);
    return rc;
}

int kbi_spool_read(kbi_spool *s, size_t k,
                   int (*take)(void *ctx, const char *p, size_t n), void *ctx,
                   kb_error *err)
{
    if (k >= s->n)
        return 0;
    section *sec = &s->v[k];
    int rc = 0;
    for (size_t i = 0; i < sec->npieces && !rc; i++) {
        const piece *pc = &sec->pieces[i];
        if (KBI_GROW(&s->read, &s->capread, pc->n + 1))
            return kbi_fail(err, KB_ENOMEM, "out of memory");
        if (fseek(s->file, pc->at, SEEK_SET) ||
            fread(s->read, 1, pc->n, s->file) != pc->n)
            return kbi_fail(err, KB_EIO, "reading a scratch file: %s",
                            strerror(errno));
        s->read[pc->n] = '\0';
        rc = take(ctx, s->read, pc->n);
    }
    if (!rc && sec->n) {
        sec->buf[sec->n] = '\0';
        rc = take(ctx, sec->buf, sec->n);
    }
    return rc;
}

void kbi_spool_free(kbi_spool *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++) {
        free(s->v[i].buf);
        free(s->v[i].pieces);
    }
    free(s->v);
    free(s->read);
    if (s->file)
        fclose(s->file);
    free(s);
}
