/*
 * fixture.c: the sample project the unit tests build on (fixture.h).
 */
#include "fixture.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>

void fixture_write(const char *dir, const char *name, const char *text)
{
    char path[600];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

FILE *fixture_mem_open(fixture_mem *m)
{
    m->buf = NULL;
    m->len = 0;
    m->f = open_memstream(&m->buf, &m->len);
    assert_non_null(m->f);
    return m->f;
}

char *fixture_mem_end(fixture_mem *m)
{
    assert_int_equal(fclose(m->f), 0);
    return m->buf;
}

void fixture_tmpdir(char *dir, size_t size, const char *name)
{
    snprintf(dir, size, "/tmp/kodbok-%s-XXXXXX", name);
    assert_non_null(mkdtemp(dir));
}

int fixture_rmdir(const char *dir)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

void fixture_import_sample(kb_project *p, const char *source)
{
    static const char *const names[] = {"ip01", "ip02", "ip03",      "ip04",
                                        "ip05", "ip06", "ip07",      "ip08",
                                        "ip09", "ip10", "fokusgrupp"};
    enum { N = sizeof names / sizeof *names };
    char paths[N][512], cases[512];
    const char *pp[N];
    for (size_t i = 0; i < N; i++) {
        snprintf(paths[i], sizeof paths[i], "%s/corpora/vardsamverkan/%s.txt",
                 source, names[i]);
        pp[i] = paths[i];
    }
    snprintf(cases, sizeof cases, "%s/corpora/vardsamverkan/cases.csv", source);
    kb_import_options o = KB_IMPORT_OPTIONS_INIT;
    o.attrs_path = cases;
    kb_error err;
    char msg[1200];
    if (kb_project_import(p, pp, N, &o, &err))
        fail_msg("%s", kb_error_format(&err, msg, sizeof msg));
}

kb_project *fixture_sample(const char *source, const char *db_path,
                           const char *codebook_path)
{
    char sample[512];
    if (!codebook_path) {
        snprintf(sample, sizeof sample, "%s/codebooks/vardsamverkan.yaml",
                 source);
        codebook_path = sample;
    }
    kb_project *p;
    kb_codebook *cb;
    kb_error err;
    char msg[1200];
    kb_code_options co = KB_CODE_OPTIONS_INIT;
    kb_run_summary sum;
    if (kb_project_init(&p, db_path, &err))
        fail_msg("%s", kb_error_format(&err, msg, sizeof msg));
    fixture_import_sample(p, source);
    if (kb_codebook_load(&cb, codebook_path, &err))
        fail_msg("%s", kb_error_format(&err, msg, sizeof msg));
    if (kb_project_code(&sum, p, cb, &co, &err))
        fail_msg("%s", kb_error_format(&err, msg, sizeof msg));
    kb_codebook_free(cb);
    return p;
}
