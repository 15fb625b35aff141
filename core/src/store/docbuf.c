/*
 * docbuf.c: the spare document buffers of a project (docbuf.h).
 */
#include "store/docbuf.h"

#include <stdlib.h>

/* Buffers kept per project: one document per worker of a run. */
#define SPARE_BUFFERS 8

int kbi_doc_buffers_push(kbi_doc_buffers **spare, const kbi_doc_buffers *b)
{
    size_t kept = 0;
    for (const kbi_doc_buffers *k = *spare; k; k = k->next)
        kept++;
    kbi_doc_buffers *copy = kept < SPARE_BUFFERS ? malloc(sizeof *copy) : NULL;
    if (!copy)
        return 0;
    *copy = *b;
    copy->next = *spare;
    *spare = copy;
    return 1;
}

int kbi_doc_buffers_pop(kbi_doc_buffers **spare, kbi_doc_buffers *out)
{
    kbi_doc_buffers *b = *spare;
    if (!b)
        return 0;
    *spare = b->next;
    *out = *b;
    out->next = NULL;
    free(b);
    return 1;
}

void kbi_doc_buffers_free(kbi_doc_buffers *b)
{
    while (b) {
        kbi_doc_buffers *next = b->next;
        free(b->text);
        free(b->pack);
        for (int k = 0; k < 3; k++)
            free(b->segs[k]);
        free(b);
        b = next;
    }
}
