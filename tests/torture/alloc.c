/*
 * alloc.c: the allocation-failure torture test (docs/torture.md). This
 * program defines malloc, calloc, realloc, free and the aligned allocators
 * itself, forwarding them to glibc's (__libc_malloc, ...), so that every
 * allocation of the process goes through it: kodbok's own, and SQLite's,
 * libxml2's, libyaml's, libzip's, libxlsxwriter's, PCRE2's, utf8proc's and
 * glibc's (strdup, stdio, iconv) on kodbok's behalf. Each operation is run
 * once to count its allocations and keep its result, then again with the
 * Nth allocation failing, for every N up to a few hundred and a sample
 * beyond. Each run must either fail with an error or succeed with the
 * result of the run that failed nothing (a library may retry or do without
 * the memory); it must free every block it took, leave the project as it
 * was when it failed (its tables compared, times aside), in no open
 * transaction, and leave a file it replaces as it was.
 *
 * Operations: the codebook (kb_codebook_load), ingest (kb_project_import
 * of text, DOCX and WebVTT), coding (kb_project_code) and exports (quotes
 * as CSV, XLSX and JSON, the matrix, slides as PPTX, the structure as SVG).
 *
 * Usage: torture_alloc SOURCE_DIR [OPERATION]
 * Glibc only; not built with the sanitizers, whose allocator replaces
 * malloc too (tests/CMakeLists.txt).
 */
#define _GNU_SOURCE /* dladdr */
#include <dirent.h>
#include <dlfcn.h>
#include <libxml/xmlerror.h>
#include <execinfo.h>
#include <errno.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "kodbok.h"
#include "store/project.h"

/* ---- the allocator ------------------------------------------------------ */

extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t n);
extern void __libc_free(void *p);
extern void *__libc_memalign(size_t align, size_t n);

static long alloc_count; /* allocations since the count was reset */
static long fail_at;     /* the allocation that fails (1-based), 0: none */
static long failed;      /* allocations failed since the count was reset */
static int quiet;        /* warming up: failures not counted or shown */
static long trace_at;    /* TORTURE_TRACE: the allocation whose stack is
                            printed, to find who failed to free */

/* The blocks allocated while `tracking`, not freed yet, each with the code
 * that allocated it: open addressing, deleted by shifting back. */
enum { SLOTS = 1 << 20 };
static struct block {
    void *p, *caller;
} blocks[SLOTS];
/* TORTURE_STACKS: each block's stack as well, printed when it leaks */
enum { DEPTH = 12 };
static void *(*stacks)[DEPTH];
static size_t tracked;
static int tracking;
static long live; /* every block allocated and not freed */
static int lock;

static size_t slot_of(const void *p)
{
    return (size_t)(((uintptr_t)p >> 4) * 0x9e3779b97f4a7c15ull >> 44) &
           (SLOTS - 1);
}

static void take_lock(void)
{
    while (__atomic_exchange_n(&lock, 1, __ATOMIC_ACQUIRE))
        ;
}

static void drop_lock(void)
{
    __atomic_store_n(&lock, 0, __ATOMIC_RELEASE);
}

static void *track(void *p, void *caller)
{
    if (p)
        __atomic_add_fetch(&live, 1, __ATOMIC_RELAXED);
    if (!p || !tracking)
        return p;
    take_lock();
    if (tracked < SLOTS / 2) {
        size_t i = slot_of(p);
        while (blocks[i].p)
            i = (i + 1) & (SLOTS - 1);
        blocks[i].p = p;
        blocks[i].caller = caller;
        if (stacks) {
            memset(stacks[i], 0, sizeof stacks[i]);
            backtrace(stacks[i], DEPTH);
        }
        tracked++;
    }
    drop_lock();
    return p;
}

static void untrack(void *p)
{
    if (p)
        __atomic_sub_fetch(&live, 1, __ATOMIC_RELAXED);
    if (!p || !tracked)
        return;
    take_lock();
    size_t i = slot_of(p);
    while (blocks[i].p && blocks[i].p != p)
        i = (i + 1) & (SLOTS - 1);
    if (blocks[i].p) {
        tracked--;
        /* shift the run after it back over the hole */
        size_t hole = i;
        for (size_t j = (i + 1) & (SLOTS - 1); blocks[j].p;
             j = (j + 1) & (SLOTS - 1)) {
            size_t home = slot_of(blocks[j].p);
            if (((j - home) & (SLOTS - 1)) >= ((j - hole) & (SLOTS - 1))) {
                blocks[hole] = blocks[j];
                if (stacks)
                    memcpy(stacks[hole], stacks[j], sizeof stacks[j]);
                hole = j;
            }
        }
        blocks[hole].p = NULL;
    }
    drop_lock();
}

static void trace(void)
{
    void *frames[32];
    int n = backtrace(frames, 32);
    backtrace_symbols_fd(frames, n, 2);
    fputs("--\n", stderr);
}

/* Whether this allocation is the one to fail. */
static void *failed_in; /* the code whose allocation failed */

/* Libraries, and library functions, whose own allocations are never
 * failed, because they crash when one fails (docs/torture.md):
 * libxlsxwriter 1.1 uses the NULL its strdup gives in
 * worksheet_write_string (constant memory mode); PCRE2 10.42's JIT
 * compiler reads through a NULL block of its own (a pattern left without
 * JIT code would only be matched slower). */
static const char *const SPARED[] = {"libxlsxwriter"};
static const char *const SPARED_FN[] = {"pcre2_jit_compile_8"};
static long spared_runs; /* runs where the allocation to fail was spared */

/* Whether the allocation being made is one of SPARED's or SPARED_FN's. */
static int spared(void)
{
    void *frames[24];
    int n = backtrace(frames, 24);
    for (int i = 1; i < n; i++) {
        Dl_info info;
        if (!dladdr(frames[i], &info) || !info.dli_fname)
            continue;
        for (size_t k = 0; k < sizeof SPARED / sizeof *SPARED; k++)
            if (strstr(info.dli_fname, SPARED[k]))
                return 1;
        for (size_t k = 0; k < sizeof SPARED_FN / sizeof *SPARED_FN; k++)
            if (info.dli_sname && !strcmp(info.dli_sname, SPARED_FN[k]))
                return 1;
    }
    return 0;
}

static int fail_now(void *caller)
{
    long n = __atomic_add_fetch(&alloc_count, 1, __ATOMIC_RELAXED);
    if (trace_at && fail_at == trace_at && n == trace_at)
        trace();
    if (fail_at && n == fail_at && spared()) {
        spared_runs++;
        return 0;
    }
    if (fail_at && n == fail_at) {
        __atomic_add_fetch(&failed, 1, __ATOMIC_RELAXED);
        failed_in = caller;
        errno = ENOMEM;
        return 1;
    }
    return 0;
}

void *malloc(size_t n)
{
    void *caller = __builtin_return_address(0);
    return fail_now(caller) ? NULL : track(__libc_malloc(n), caller);
}

void *calloc(size_t n, size_t size)
{
    void *caller = __builtin_return_address(0);
    return fail_now(caller) ? NULL : track(__libc_calloc(n, size), caller);
}

void free(void *p)
{
    untrack(p);
    __libc_free(p);
}

static void *resize(void *p, size_t n, void *caller)
{
    if (!p)
        return fail_now(caller) ? NULL : track(__libc_malloc(n), caller);
    if (n == 0) {
        free(p);
        return NULL;
    }
    if (fail_now(caller))
        return NULL;
    void *q = __libc_realloc(p, n);
    if (q && q != p) {
        untrack(p);
        track(q, caller);
    }
    return q;
}

void *realloc(void *p, size_t n)
{
    return resize(p, n, __builtin_return_address(0));
}

void *reallocarray(void *p, size_t n, size_t size);
void *reallocarray(void *p, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size) {
        errno = ENOMEM;
        return NULL;
    }
    return resize(p, n * size, __builtin_return_address(0));
}

static void *aligned(size_t align, size_t n, void *caller)
{
    return fail_now(caller) ? NULL : track(__libc_memalign(align, n), caller);
}

void *memalign(size_t align, size_t n);
void *memalign(size_t align, size_t n)
{
    return aligned(align, n, __builtin_return_address(0));
}

void *aligned_alloc(size_t align, size_t n)
{
    return aligned(align, n, __builtin_return_address(0));
}

int posix_memalign(void **out, size_t align, size_t n)
{
    void *p = aligned(align, n, __builtin_return_address(0));
    if (!p)
        return ENOMEM;
    *out = p;
    return 0;
}

void *valloc(size_t n);
void *valloc(size_t n)
{
    return aligned((size_t)sysconf(_SC_PAGESIZE), n,
                   __builtin_return_address(0));
}

void *pvalloc(size_t n);
void *pvalloc(size_t n)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    return aligned(page, (n + page - 1) / page * page,
                   __builtin_return_address(0));
}

/* ---- test helpers ------------------------------------------------------- */

/* Libraries known to lose blocks of their own when one of their own
 * allocations fails (docs/torture.md): such a block is counted, not a
 * failure, when the allocation that failed was that library's. */
static const char *const LEAKY[] = {"libyaml", "libxml2"};
static long theirs; /* blocks those libraries lost */

/* The shared object holding code address a ("?" if none). */
static const char *object_of(void *a, const char **fn)
{
    Dl_info info;
    *fn = "?";
    if (!a || !dladdr(a, &info))
        return "?";
    if (info.dli_sname)
        *fn = info.dli_sname;
    return info.dli_fname ? info.dli_fname : "?";
}

/* The blocks still tracked, reported and forgotten: how many are lost by
 * kodbok (not by a library of LEAKY on its own failed allocation). */
static size_t leaks(const char *name, long n)
{
    size_t bad = 0, shown = 0;
    if (!tracked)
        return 0;
    const char *fn;
    const char *failing = failed_in ? object_of(failed_in, &fn) : "";
    for (size_t i = 0; i < SLOTS; i++) {
        if (!blocks[i].p)
            continue;
        const char *obj = object_of(blocks[i].caller, &fn);
        int excused = 0;
        for (size_t k = 0; k < sizeof LEAKY / sizeof *LEAKY; k++)
            excused |= strstr(obj, LEAKY[k]) && strstr(failing, LEAKY[k]);
        if (excused) {
            theirs++;
        } else {
            bad++;
            if (!quiet && shown++ < 5) {
                fprintf(stderr,
                        "  %s at %ld: not freed: allocated by %s (%s)\n", name,
                        n, fn, obj);
                if (stacks)
                    backtrace_symbols_fd(stacks[i], DEPTH, 2);
            }
        }
        blocks[i].p = NULL;
    }
    tracked = 0;
    return bad;
}

static int failures;

#define CHECK(cond, ...)                                                       \
    do {                                                                       \
        if (!(cond) && !quiet) {                                               \
            fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);               \
            fprintf(stderr, __VA_ARGS__);                                      \
            fputc('\n', stderr);                                               \
            failures++;                                                        \
        }                                                                      \
    } while (0)

static void die(const char *what, const kb_error *err)
{
    fprintf(stderr, "torture_alloc: %s: %s\n", what,
            err ? err->message : strerror(errno));
    exit(1);
}

static char dir[64];
static const char *source;

static void path_in(char *buf, size_t size, const char *name)
{
    snprintf(buf, size, "%s/%s", dir, name);
}

static void write_file(const char *name, const char *text)
{
    char path[256];
    path_in(path, sizeof path, name);
    FILE *f = fopen(path, "w");
    if (!f || fputs(text, f) == EOF || fclose(f))
        die(path, NULL);
}

/* The bytes of a file (NULL when it does not exist); caller frees. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t cap = 0;
    *len = 0;
    for (;;) {
        if (*len + 4096 > cap) {
            cap = cap * 2 + 4096;
            buf = realloc(buf, cap);
            if (!buf)
                die("realloc", NULL);
        }
        size_t got = fread(buf + *len, 1, cap - *len, f);
        *len += got;
        if (got == 0)
            break;
    }
    fclose(f);
    return buf;
}

static void copy_file(const char *from, const char *to)
{
    size_t len;
    char *bytes = slurp(from, &len);
    if (!bytes)
        die(from, NULL);
    FILE *f = fopen(to, "wb");
    if (!f || fwrite(bytes, 1, len, f) != len || fclose(f))
        die(to, NULL);
    free(bytes);
}

/* Files in the test directory: a temporary file left behind is a failure. */
static int dir_entries(void)
{
    DIR *d = opendir(dir);
    if (!d)
        die(dir, NULL);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        /* the project's WAL, which SQLite keeps or removes on closing */
        size_t len = strlen(e->d_name);
        if (len > 4 && (!strcmp(e->d_name + len - 4, "-wal") ||
                        !strcmp(e->d_name + len - 4, "-shm")))
            continue;
        n += e->d_name[0] != '.';
        if (getenv("TORTURE_VERBOSE"))
            fprintf(stderr, " %s", e->d_name);
    }
    if (getenv("TORTURE_VERBOSE"))
        fputc('\n', stderr);
    closedir(d);
    return n;
}

/* FNV-1a, folded over a row's values. */
static uint64_t fnv(uint64_t h, const void *data, size_t n)
{
    const unsigned char *b = data;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 0x100000001b3ull;
    return h;
}

/* A checksum of a project's tables: every row of every table (times,
 * which differ between runs, left out), summed over rows so that their
 * order does not matter. Read by a connection of its own. */
static uint64_t project_sum(const char *path)
{
    sqlite3 *db;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        die(path, NULL);
    sqlite3_stmt *tables;
    if (sqlite3_prepare_v2(db,
                           "SELECT name FROM sqlite_schema WHERE type ="
                           " 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'"
                           " ORDER BY name",
                           -1, &tables, NULL) != SQLITE_OK)
        die(sqlite3_errmsg(db), NULL);
    uint64_t sum = 0;
    while (sqlite3_step(tables) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(tables, 0);
        char *sql = sqlite3_mprintf("SELECT * FROM \"%w\"", name);
        sqlite3_stmt *rows;
        if (sqlite3_prepare_v2(db, sql, -1, &rows, NULL) != SQLITE_OK)
            die(sqlite3_errmsg(db), NULL);
        sqlite3_free(sql);
        while (sqlite3_step(rows) == SQLITE_ROW) {
            uint64_t h = fnv(0xcbf29ce484222325ull, name, strlen(name));
            for (int c = 0; c < sqlite3_column_count(rows); c++) {
                const char *col = sqlite3_column_name(rows, c);
                size_t cl = strlen(col);
                if ((cl > 3 && !strcmp(col + cl - 3, "_at")) ||
                    !strcmp(col, "seconds"))
                    continue;
                const void *v = sqlite3_column_blob(rows, c);
                h = fnv(h, v ? v : "", (size_t)sqlite3_column_bytes(rows, c));
                h = fnv(h, &c, sizeof c);
            }
            sum += h;
        }
        sqlite3_finalize(rows);
    }
    sqlite3_finalize(tables);
    sqlite3_close(db);
    return sum;
}

/* ---- the operations ----------------------------------------------------- */

/* What an operation works on: the project (opened before it runs, freed
 * after), the codebook, and the file it writes. */
typedef struct work {
    kb_project *p;
    kb_codebook *cb;
    char out[256];   /* the output file, "" if none */
    FILE *f;         /* opened on `out` before the operation, for a writer */
    char result[64]; /* what it did, compared with the run failing nothing */
} work;

typedef int (*op_fn)(work *w, kb_error *err);

static char base_db[256], coded_db[256], work_db[256], cb_path[256];
static char txt_path[256], docx_path[256], vtt_path[256];

static int op_codebook(work *w, kb_error *err)
{
    kb_codebook *cb;
    int rc = kb_codebook_load(&cb, cb_path, err);
    if (rc)
        return rc;
    snprintf(w->result, sizeof w->result, "%zu %s", kb_codebook_count(cb),
             kb_codebook_hash(cb));
    kb_codebook_free(cb);
    return 0;
}

static int import_one(work *w, const char *path, kb_error *err)
{
    const char *paths[] = {path};
    return kb_project_import(w->p, paths, 1, NULL, err);
}

/* What an import did: the documents the project has. Run with no
 * allocation failing. */
static int imported(work *w, kb_error *err)
{
    kb_doc_list *docs;
    int rc = kb_project_docs(&docs, w->p, err);
    if (rc)
        return rc;
    snprintf(w->result, sizeof w->result, "%zu", kb_doc_list_count(docs));
    kb_doc_list_free(docs);
    return 0;
}

static int op_import_txt(work *w, kb_error *err)
{
    return import_one(w, txt_path, err);
}

static int op_import_docx(work *w, kb_error *err)
{
    return import_one(w, docx_path, err);
}

static int op_import_vtt(work *w, kb_error *err)
{
    return import_one(w, vtt_path, err);
}

static int op_code(work *w, kb_error *err)
{
    kb_run_summary sum;
    int rc = kb_project_code(&sum, w->p, w->cb, NULL, err);
    if (!rc)
        snprintf(w->result, sizeof w->result, "%zu %zu %zu", sum.documents,
                 sum.quotes, sum.gained);
    return rc;
}

static int write_quotes(work *w, kb_export_format format, int matrix,
                        kb_error *err)
{
    kb_quote_list *quotes;
    int rc = kb_project_quotes(&quotes, w->p, NULL, err);
    if (rc)
        return rc;
    kb_export_options opts = KB_EXPORT_OPTIONS_INIT;
    opts.format = format;
    rc = matrix ? kb_matrix_write(w->f, quotes, &opts, err)
                : kb_quotes_write(w->f, quotes, &opts, err);
    kb_quote_list_free(quotes);
    return rc;
}

static int op_quotes_csv(work *w, kb_error *err)
{
    return write_quotes(w, KB_EXPORT_CSV, 0, err);
}

static int op_quotes_xlsx(work *w, kb_error *err)
{
    return write_quotes(w, KB_EXPORT_XLSX, 0, err);
}

static int op_quotes_json(work *w, kb_error *err)
{
    return write_quotes(w, KB_EXPORT_JSON, 0, err);
}

static int op_matrix(work *w, kb_error *err)
{
    return write_quotes(w, KB_EXPORT_CSV, 1, err);
}

static int op_slides(work *w, kb_error *err)
{
    kb_slides_options opts = KB_SLIDES_OPTIONS_INIT;
    opts.format = KB_SLIDES_PPTX;
    return kb_slides_write(NULL, w->p, w->out, &opts, err);
}

static int op_structure(work *w, kb_error *err)
{
    return kb_structure_write(w->f, w->cb, NULL, err);
}

/* How an operation runs: on which project, writing what. */
enum { NO_PROJECT, BASE, CODED };
enum { NO_FILE, STREAM, REPLACED };

static const struct op {
    const char *name;
    op_fn fn;
    int project;
    int output;
    int codebook;  /* loaded before it runs */
    op_fn outcome; /* run after it, when it succeeded, failing nothing */
} OPS[] = {
    {"codebook", op_codebook, NO_PROJECT, NO_FILE, 0, NULL},
    {"import-txt", op_import_txt, CODED, NO_FILE, 0, imported},
    {"import-docx", op_import_docx, CODED, NO_FILE, 0, imported},
    {"import-vtt", op_import_vtt, CODED, NO_FILE, 0, imported},
    {"code", op_code, BASE, NO_FILE, 1, NULL},
    {"quotes-csv", op_quotes_csv, CODED, STREAM, 0, NULL},
    {"quotes-xlsx", op_quotes_xlsx, CODED, STREAM, 0, NULL},
    {"quotes-json", op_quotes_json, CODED, STREAM, 0, NULL},
    {"matrix", op_matrix, CODED, STREAM, 0, NULL},
    {"slides-pptx", op_slides, CODED, REPLACED, 0, NULL},
    {"structure-svg", op_structure, NO_PROJECT, STREAM, 1, NULL},
};

static char stream_buf[1 << 16];
static const char PREVIOUS[] = "the previous file\n";

/* One run of `op` failing allocation `n` (0: none). Returns 0 when it
 * failed with an error, 1 when it succeeded (w->result, and the output in
 * *out when out is not NULL), and counts the allocations in *allocs. */
static int run(const struct op *op, long n, long *allocs, char **out,
               size_t *outlen, char *result)
{
    work w = {0};
    kb_error err = {0};
    int entries0 = dir_entries();
    const char *db = op->project == BASE ? base_db : coded_db;
    uint64_t sum0 = 0;
    xmlResetLastError();
    long live0 = live;
    if (op->project != NO_PROJECT) {
        copy_file(db, work_db);
        sum0 = project_sum(work_db);
        if (kb_project_open(&w.p, work_db, &err))
            die("open", &err);
    }
    if (op->codebook && kb_codebook_load(&w.cb, cb_path, &err))
        die("codebook", &err);
    if (op->output != NO_FILE) {
        path_in(w.out, sizeof w.out, op->output == STREAM ? "out" : "out.pptx");
        if (op->output == STREAM) {
            w.f = fopen(w.out, "wb");
            if (!w.f || setvbuf(w.f, stream_buf, _IOFBF, sizeof stream_buf))
                die(w.out, NULL);
        } else {
            write_file("out.pptx", PREVIOUS);
        }
    }

    failed = 0;
    failed_in = NULL;
    long spared0 = spared_runs;
    alloc_count = 0;
    fail_at = n;
    tracking = 1;
    int rc = op->fn(&w, &err);
    fail_at = 0;
    *allocs = alloc_count;
    int hit = failed > 0 || spared_runs > spared0;
    if (!rc && op->outcome && op->outcome(&w, &err))
        die("after the operation", &err);

    if (w.f && fclose(w.f))
        die(w.out, NULL);
    int ok = rc == 0;
    if (ok) {
        CHECK(!n || hit, "%s: succeeded without the failure", op->name);
        strcpy(result, w.result);
    } else {
        CHECK(n && hit, "%s: failed with nothing failing: %s", op->name,
              err.message);
        CHECK(rc < 0 && err.code == rc && err.message[0],
              "%s at %ld: returned %d without its error", op->name, n, rc);
    }
    if (w.p) {
        CHECK(sqlite3_get_autocommit(w.p->db),
              "%s at %ld: a transaction left open", op->name, n);
        kb_project_free(w.p);
        if (!ok)
            CHECK(project_sum(work_db) == sum0,
                  "%s at %ld: failed (%s) but changed the project", op->name, n,
                  err.message);
    }
    kb_codebook_free(w.cb);
    if (op->output == REPLACED && !ok) {
        size_t len;
        char *bytes = slurp(w.out, &len);
        CHECK(bytes && len == strlen(PREVIOUS) && !memcmp(bytes, PREVIOUS, len),
              "%s at %ld: failed but replaced its file", op->name, n);
        free(bytes);
    }
    /* libxml2's last error: a cache of its own */
    xmlResetLastError();
    tracking = 0;
    long theirs0 = theirs;
    size_t lost = leaks(op->name, n);
    CHECK(!lost, "%s at %ld: %zu blocks not freed (%s)", op->name, n, lost,
          ok ? "succeeded" : err.message);
    /* blocks from before the operation (the project's connection) */
    CHECK(lost || live - live0 == theirs - theirs0,
          "%s at %ld: %ld blocks not freed (%s)", op->name, n,
          live - live0 - (theirs - theirs0), ok ? "succeeded" : err.message);
    if (out && ok && op->output != NO_FILE)
        *out = slurp(w.out, outlen);
    if (op->output != NO_FILE)
        unlink(w.out);
    if (op->project != NO_PROJECT) {
        char aside[300];
        unlink(work_db);
        snprintf(aside, sizeof aside, "%s-wal", work_db);
        unlink(aside);
        snprintf(aside, sizeof aside, "%s-shm", work_db);
        unlink(aside);
    }
    CHECK(dir_entries() == entries0, "%s at %ld: left a file behind (%s)",
          op->name, n, ok ? "succeeded" : err.message);
    if (!ok && n && getenv("TORTURE_VERBOSE"))
        fprintf(stderr, "  %s at %ld: %s\n", op->name, n, err.message);
    return ok;
}

/* An entry of a zip package in memory (NULL if none); caller frees. */
static char *zip_entry(const char *zip, size_t len, zip_uint64_t i,
                       const char **name, size_t *n)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(zip, len, 0, &ze);
    zip_t *za = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
    char *bytes = NULL;
    zip_stat_t st;
    if (za && i < (zip_uint64_t)zip_get_num_entries(za, 0) &&
        !zip_stat_index(za, i, 0, &st)) {
        static char entry[256];
        snprintf(entry, sizeof entry, "%s", st.name);
        *name = entry;
        zip_file_t *f = zip_fopen_index(za, i, 0);
        bytes = f ? malloc(st.size + 1) : NULL;
        if (bytes && zip_fread(f, bytes, st.size) != (zip_int64_t)st.size) {
            free(bytes);
            bytes = NULL;
        }
        *n = st.size;
        if (f)
            zip_fclose(f);
    }
    if (za)
        zip_discard(za);
    else if (src)
        zip_source_free(src);
    zip_error_fini(&ze);
    return bytes;
}

/* Whether an output is the reference's: byte for byte, or for a workbook
 * entry for entry, but for its properties (docProps/core.xml), which hold
 * the time it was written. */
static int same_output(const char *a, size_t alen, const char *b, size_t blen)
{
    if (alen == blen && !memcmp(a, b, alen))
        return 1;
    if (alen < 4 || memcmp(a, "PK\3\4", 4))
        return 0;
    for (zip_uint64_t i = 0;; i++) {
        const char *an = NULL, *bn = NULL;
        size_t al = 0, bl = 0;
        char *ae = zip_entry(a, alen, i, &an, &al);
        char name[256];
        snprintf(name, sizeof name, "%s", an ? an : "");
        char *be = zip_entry(b, blen, i, &bn, &bl);
        int same = (!ae && !be) || (ae && be && !strcmp(name, bn) &&
                                    (!strcmp(name, "docProps/core.xml") ||
                                     (al == bl && !memcmp(ae, be, al))));
        int end = !ae || !be;
        free(ae);
        free(be);
        if (!same || end)
            return same;
    }
}

/* Every N up to DENSE, then every STRIDE-th, growing, to the end. */
enum { DENSE = 300 };

static int torture(const struct op *op)
{
    long total, allocs;
    char *ref = NULL, *out = NULL;
    size_t reflen = 0, outlen = 0;
    char ref_result[64] = "", result[64];
    /* Once to warm up: what libraries set up on first use and keep
     * (libxml2's encoding handlers, SQLite's and PCRE2's tables) is no
     * leak. */
    quiet = 1;
    run(op, 0, &total, NULL, NULL, result);
    quiet = 0;
    int f0 = failures;
    if (!run(op, 0, &total, &ref, &reflen, ref_result)) {
        fprintf(stderr, "%s: fails with no allocation failing\n", op->name);
        return 1;
    }
    long tried = 0, errors = 0, step = 1;
    for (long n = 1; n <= total; n += step) {
        tried++;
        result[0] = '\0';
        out = NULL;
        if (run(op, n, &allocs, &out, &outlen, result)) {
            CHECK(!strcmp(result, ref_result),
                  "%s at %ld: succeeded with %s, not %s", op->name, n, result,
                  ref_result);
            if (op->output != NO_FILE)
                CHECK(out && same_output(ref, reflen, out, outlen),
                      "%s at %ld: succeeded with other output", op->name, n);
        } else {
            errors++;
        }
        free(out);
        if (n >= DENSE)
            step = n / DENSE * 7 + 1;
        if (failures - f0 > 20)
            break;
    }
    free(ref);
    printf("%-14s %6ld allocations, %4ld failed in turn: %4ld errors, %4ld "
           "done without\n",
           op->name, total, tried, errors, tried - errors);
    fflush(stdout);
    return 0;
}

/* ---- the projects ------------------------------------------------------- */

static const char TRANSCRIPT[] =
    "Intervjuare: Hur hänger samverkan ihop mellan nivåerna?\n"
    "Respondent: Det saknas en röd tråd. Det som beslutas högt upp når inte "
    "fram till oss som arbetar nära patienterna.\n"
    "Intervjuare: Och vårdcentralen?\n"
    "Respondent: Samverkan borde utgå från vårdcentralen, den är navet. "
    "Ordförandeskapet i delregionen blir en bisyssla.\n";

static const char TRANSCRIPT2[] =
    "Intervjuare: Vad är svårast i samverkan?\n"
    "Respondent: Det är svårt att överblicka. Vi har olika kartor och ingen "
    "vet vem som har mandat. Kommunerna hamnar mellan stolarna.\n"
    "Intervjuare: Finns det något som fungerar?\n"
    "Respondent: Vi träffas varje vecka, och på alla nivåer finns nu en "
    "kontaktperson.\n";

static void make_projects(void)
{
    kb_error err;
    kb_project *p;
    write_file("ny.txt", TRANSCRIPT2);
    write_file("ip01.txt", TRANSCRIPT);
    path_in(txt_path, sizeof txt_path, "ny.txt");
    snprintf(docx_path, sizeof docx_path,
             "%s/tests/cli/data/formats/intervju.docx", source);
    snprintf(vtt_path, sizeof vtt_path,
             "%s/tests/cli/data/subtitles/samtal.vtt", source);
    snprintf(cb_path, sizeof cb_path, "%s/codebooks/vardsamverkan.yaml",
             source);
    path_in(base_db, sizeof base_db, "base.kodbok");
    path_in(coded_db, sizeof coded_db, "coded.kodbok");
    path_in(work_db, sizeof work_db, "work.kodbok");

    char ip01[256];
    path_in(ip01, sizeof ip01, "ip01.txt");
    const char *paths[] = {ip01};
    if (kb_project_init(&p, base_db, &err) ||
        kb_project_import(p, paths, 1, NULL, &err))
        die("base project", &err);
    kb_project_free(p);
    copy_file(base_db, coded_db);

    kb_codebook *cb;
    if (kb_codebook_load(&cb, cb_path, &err) ||
        kb_project_open(&p, coded_db, &err) ||
        kb_project_code(NULL, p, cb, NULL, &err))
        die("coded project", &err);
    kb_tag_options topts = KB_TAG_OPTIONS_INIT;
    topts.coder = "karin";
    kb_where at = {.by = KB_AT_QUOTE, .quote = "vårdcentralen", .nth = 1};
    if (kb_tag_add(NULL, p, "ip01", "utga-fran-vardcentralen", &at, &topts,
                   &err))
        die("tag", &err);
    kb_project_free(p);
    kb_codebook_free(cb);
    /* Only the project files: the WAL checkpointed into each by its
     * close, so that a copy is the whole project. */
    char tmp[300];
    snprintf(tmp, sizeof tmp, "%s-wal", base_db);
    unlink(tmp);
    snprintf(tmp, sizeof tmp, "%s-wal", coded_db);
    unlink(tmp);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: torture_alloc SOURCE_DIR [OPERATION]\n");
        return 2;
    }
    source = argv[1];
    if (getenv("TORTURE_STACKS") &&
        !(stacks = __libc_calloc(SLOTS, sizeof *stacks)))
        die("TORTURE_STACKS", NULL);
    const char *t = getenv("TORTURE_TRACE");
    if (t)
        trace_at = atol(t);
    void *frames[1];
    backtrace(frames, 1); /* loads what backtrace needs, before it is used
                             inside malloc */
    snprintf(dir, sizeof dir, "/tmp/kodbok-torture-XXXXXX");
    if (!mkdtemp(dir))
        die("mkdtemp", NULL);
    /* The workbook's temporary file is made in TMPDIR: here, where a file
     * left behind is seen. */
    setenv("TMPDIR", dir, 1);
    /* glibc's tzset (libzip's mktime) replaces its copy of TZ on every
     * call while TZ is unset: a block that looks lost */
    setenv("TZ", "UTC", 1);
    make_projects();
    int bad = 0, ran = 0;
    for (size_t i = 0; i < sizeof OPS / sizeof OPS[0]; i++) {
        if (argc > 2 && strcmp(argv[2], OPS[i].name))
            continue;
        ran++;
        bad |= torture(&OPS[i]);
    }
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd))
        fprintf(stderr, "torture_alloc: cannot remove %s\n", dir);
    if (!ran) {
        fprintf(stderr, "torture_alloc: no operation %s\n", argv[2]);
        return 2;
    }
    if (spared_runs)
        printf("%ld runs left the allocation to fail to a library that "
               "cannot fail (libxlsxwriter)\n",
               spared_runs);
    if (theirs)
        printf("libyaml and libxml2 lost %ld blocks of their own on their "
               "failed allocations\n",
               theirs);
    if (failures)
        fprintf(stderr, "%d failures\n", failures);
    return bad || failures ? 1 : 0;
}
