/*
 * bench_naive.c: times the naive loop (every pattern on every segment, the
 * tests' oracle) and the prefiltered engine over the documents of a
 * project, without storing anything, for `make bench`.
 * Usage: bench_naive PROJECT CODEBOOK MAX_MB
 * Prints "naive MB/s" and "engine MB/s" lines.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "codebook/codebook.h"
#include "engine/engine.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double run(kb_project *p, const kb_codebook *cb, int naive,
                  double max_mb, size_t *quotes)
{
    kbi_engine *e;
    kb_error err;
    if (kbi_engine_new(&e, cb, naive, &err))
        exit(3);
    unsigned char *mask = malloc(kb_codebook_count(cb));
    memset(mask, 1, kb_codebook_count(cb));
    kb_doc_list *docs;
    if (kb_project_docs(&docs, p, &err))
        exit(3);
    double bytes = 0, seconds = 0;
    *quotes = 0;
    for (size_t i = 0; i < kb_doc_list_count(docs) && bytes < max_mb * 1e6;
         i++) {
        kb_document *d;
        if (kb_document_load(&d, p, kb_doc_list_get(docs, i)->name, 0, &err))
            exit(3);
        size_t len;
        kb_document_text(d, &len);
        kbi_quotes q = {0};
        double t0 = now();
        if (kbi_engine_code(e, d, mask, &q, NULL, NULL, &err))
            exit(3);
        seconds += now() - t0;
        bytes += (double)len;
        *quotes += q.n;
        free(q.v);
        kb_document_free(d);
    }
    kb_doc_list_free(docs);
    free(mask);
    kbi_engine_free(e);
    return bytes / 1e6 / seconds;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: bench_naive PROJECT CODEBOOK MAX_MB\n");
        return 1;
    }
    kb_project *p;
    kb_codebook *cb;
    kb_error err;
    char msg[1200];
    if (kb_project_open(&p, argv[1], &err) ||
        kb_codebook_load(&cb, argv[2], &err)) {
        fprintf(stderr, "%s\n", kb_error_format(&err, msg, sizeof msg));
        return 2;
    }
    kbi_engine_jit(cb, NULL); /* as a full run does */
    double max_mb = atof(argv[3]);
    size_t qn, qe;
    double naive = run(p, cb, 1, max_mb, &qn);
    double engine = run(p, cb, 0, max_mb, &qe);
    printf("naive %.2f MB/s (%zu quotes)\n", naive, qn);
    printf("engine %.2f MB/s (%zu quotes)\n", engine, qe);
    kb_codebook_free(cb);
    kb_project_free(p);
    return qn == qe ? 0 : 4;
}
