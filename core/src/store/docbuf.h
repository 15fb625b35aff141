/*
 * docbuf.h: the buffers of documents freed during a run, kept by the
 * project for the next document loaded, so that a run over many documents
 * reuses pages already faulted in instead of touching fresh ones for each.
 * May include: base/.
 */
#ifndef KBI_DOCBUF_H
#define KBI_DOCBUF_H

#include "kodbok.h"

#include <stddef.h>

/* A document's text, segment pack and decoded segments, with their
 * capacities; `next` links a project's spare buffers. */
typedef struct kbi_doc_buffers {
    struct kbi_doc_buffers *next;
    char *text;
    unsigned char *pack;
    kb_segment *segs[3];
    size_t textcap, packcap, segcap[3];
} kbi_doc_buffers;

/* Keeps a copy of *b on the list *spare, unless the list is full (one set
 * per worker of a run). Non-zero if kept: the buffers are the list's now. */
int kbi_doc_buffers_push(kbi_doc_buffers **spare, const kbi_doc_buffers *b);

/* Takes the last buffers kept into *out (next: NULL); 0 if none. */
int kbi_doc_buffers_pop(kbi_doc_buffers **spare, kbi_doc_buffers *out);

/* Frees a list of spare buffers. NULL is fine. */
void kbi_doc_buffers_free(kbi_doc_buffers *b);

#endif
