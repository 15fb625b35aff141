/*
 * file.c: reading whole files; writing them through a temporary file
 * beside the target, renamed over it once complete; the registry of the
 * temporary files being written.
 */
#ifdef KBI_LINUX_EXTRAS /* Linux, unless the build is POSIX only */
#define _GNU_SOURCE     /* fopencookie, O_TMPFILE, getdents64; realpath */
#else
#define _XOPEN_SOURCE 700 /* realpath (XSI) */
#endif
#include "base/file.h"
#include "base/error.h"
#include "base/killpoint.h"

#include <errno.h>
#include <stdatomic.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef KBI_LINUX_EXTRAS
#include <sys/syscall.h>
#else
#include <dirent.h>
#endif

/* The caps, in MiB, and the variables that set them, by kbi_input. */
static const struct {
    size_t mib;
    const char *var, *what;
} CAPS[] = {
    [KBI_INPUT_TRANSCRIPT] = {256, "KODBOK_MAX_TRANSCRIPT_MB", "a transcript"},
    [KBI_INPUT_CODEBOOK] = {64, "KODBOK_MAX_CODEBOOK_MB", "a codebook"},
    [KBI_INPUT_TAGS] = {256, "KODBOK_MAX_TAGS_MB", "a tags or memos file"},
    [KBI_INPUT_CASES] = {64, "KODBOK_MAX_CASES_MB", "a cases file"},
    [KBI_INPUT_PROJECT] = {2048, "KODBOK_MAX_PROJECT_MB", "a project file"},
    [KBI_INPUT_OTHER] = {64, "KODBOK_MAX_INPUT_MB", "this input"},
};

/* The cap in bytes on an input of kind `kind`, and the variable that sets
 * it; KB_EINVAL when that is set to anything but a whole number of MiB. */
static int input_cap(size_t *cap, const char **var, kbi_input kind,
                     kb_error *err)
{
    *var = CAPS[kind].var;
    *cap = CAPS[kind].mib << 20;
    const char *v = getenv(*var);
    if (!v || !*v)
        return 0;
    char *end;
    errno = 0;
    unsigned long long mib = strtoull(v, &end, 10);
    if (*v < '0' || *v > '9' || *end || errno || mib < 1 ||
        mib > (SIZE_MAX >> 21))
        return kbi_fail(err, KB_EINVAL,
                        "%s is '%s', not a size in MiB (a whole number from "
                        "1)",
                        *var, v);
    *cap = (size_t)mib << 20;
    return 0;
}

/* The error of an input past its cap. */
static int too_big(kb_error *err, const char *path, kbi_input kind, size_t cap,
                   const char *var)
{
    return kbi_fail_at(err, KB_EFORMAT, path, 0, 0,
                       "larger than the %zu MiB %s may have (set %s to a "
                       "larger number of MiB to read it)",
                       cap >> 20, CAPS[kind].what, var);
}

int kbi_file_read(unsigned char **out, size_t *len, const char *path,
                  kbi_input kind, kb_error *err)
{
    *out = NULL;
    *len = 0;
    size_t max;
    const char *var;
    int rc = input_cap(&max, &var, kind, err);
    if (rc)
        return rc;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        return kbi_fail_at(err, e == ENOENT ? KB_ENOENT : KB_EIO, path, 0, 0,
                           "%s", e == ENOENT ? "no such file" : strerror(e));
    }
    /* Room for the whole file at once when its size is known, and a byte
     * more so that the read that finds the end needs no more. Pipes, FIFOs
     * and devices have no size: they are read until the end or the cap. */
    struct stat sb;
    size_t cap = 1 << 16, n = 0;
    if (fstat(fd, &sb))
        sb.st_mode = 0; /* nothing known: read as a pipe is */
    if (S_ISDIR(sb.st_mode)) {
        close(fd);
        return kbi_fail_at(err, KB_EIO, path, 0, 0, "is a directory");
    }
    if (S_ISREG(sb.st_mode) && (uintmax_t)sb.st_size > max) {
        close(fd);
        return too_big(err, path, kind, max, var);
    }
    if (S_ISREG(sb.st_mode) && sb.st_size > 0)
        cap = (size_t)sb.st_size + 1;
    unsigned char *buf = malloc(cap);
    int e = 0;
    while (buf) {
        if (n == cap) {
            if (n > max)
                break;
            /* one byte past the cap tells that there is more */
            size_t want = cap > max / 2 ? max + 1 : cap * 2;
            unsigned char *nb = realloc(buf, want);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap = want;
        }
        /* cppcheck-suppress nullPointerArithmeticRedundantCheck
         * buf is not NULL here: the loop ends where it becomes so */
        ssize_t got = read(fd, buf + n, cap - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0) {
            e = got < 0 ? errno : 0;
            break;
        }
        n += (size_t)got;
    }
    close(fd);
    if (!buf)
        return kbi_fail_at(err, KB_ENOMEM, path, 0, 0, "out of memory");
    if (e || n > max) {
        free(buf);
        return e ? kbi_fail_at(err, KB_EIO, path, 0, 0, "%s", strerror(e))
                 : too_big(err, path, kind, max, var);
    }
    *out = buf;
    *len = n;
    return 0;
}

int kbi_file_regular(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

/* ------------------------------------------------------------------------ */
/* The temporary files being written                                         */
/* ------------------------------------------------------------------------ */

/* A slot per temporary file or folder; more at once than this are written
 * but not removed on a signal. Lock-free atomics are async-signal-safe. */
#define TEMPS 64
static _Atomic(const char *) temps[TEMPS];

int kbi_temp_add(const char *path)
{
    for (int i = 0; i < TEMPS; i++) {
        const char *none = NULL;
        if (atomic_compare_exchange_strong(&temps[i], &none, path))
            return i;
    }
    return -1;
}

void kbi_temp_drop(int slot)
{
    if (slot >= 0 && slot < TEMPS)
        atomic_store(&temps[slot], NULL);
}

int kbi_temp_dir_remove(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
#ifdef KBI_LINUX_EXTRAS
    /* getdents64, not readdir, which may allocate */
    char buf[4096];
    long n;
    while ((n = syscall(SYS_getdents64, fd, buf, sizeof buf)) > 0)
        for (long at = 0; at < n;) {
            struct dirent64_head {
                uint64_t ino;
                int64_t off;
                unsigned short reclen;
                unsigned char type;
                char name[];
            } *d = (struct dirent64_head *)(buf + at);
            if (strcmp(d->name, ".") && strcmp(d->name, ".."))
                unlinkat(fd, d->name, 0);
            at += d->reclen;
        }
    close(fd);
#else
    /* readdir may allocate: from a signal handler this is the best
     * POSIX offers */
    DIR *d = fdopendir(fd);
    if (!d) {
        close(fd);
        return -1;
    }
    for (struct dirent *e; (e = readdir(d));)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            unlinkat(fd, e->d_name, 0);
    closedir(d);
#endif
    return rmdir(dir);
}

void kb_output_remove_temps(void)
{
    int saved = errno;
    /* files first, then the folders they were in, with what a library
     * made in them */
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < TEMPS; i++) {
            const char *p = atomic_load(&temps[i]);
            if (p && (pass ? kbi_temp_dir_remove(p) : unlink(p)) == 0)
                atomic_store(&temps[i], NULL);
        }
    errno = saved;
}

/* ------------------------------------------------------------------------ */
/* Writing a file                                                            */
/* ------------------------------------------------------------------------ */

/* Creates "PATH.PID-N.tmp" exclusively; *fd is open for writing and *slot
 * holds it in the registry. The name is noted before the file is made: a
 * signal between the two would otherwise leave the file behind. */
static int temp_create(char **tmp, int *fd, int *slot, const char *path,
                       const char *named, kb_error *err)
{
    size_t size = strlen(path) + 40;
    if (!(*tmp = malloc(size)))
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    for (int i = 0;; i++) {
        snprintf(*tmp, size, "%s.%ld-%d.tmp", path, (long)getpid(), i);
        *slot = kbi_temp_add(*tmp);
        /* O_EXCL: a file, or a link planted at the name, is never opened */
        *fd = open(*tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                   0666);
        if (*fd >= 0) {
            kbi_killpoint();
            return 0;
        }
        int e = errno;
        kbi_temp_drop(*slot);
        *slot = -1;
        if (e != EEXIST || i == 99) {
            free(*tmp);
            *tmp = NULL;
            return kbi_fail_at(err, KB_EIO, named, 0, 0, "cannot write: %s",
                               strerror(e));
        }
    }
}

int kbi_file_temp_beside(char **tmp, int *slot, const char *path, kb_error *err)
{
    int fd;
    int rc = temp_create(tmp, &fd, slot, path, path, err);
    if (rc)
        return rc;
    close(fd);
    return 0;
}

/* The file descriptor under an output's stream, and the errno of its first
 * failed write: the stream's error flag says that a write failed, this
 * says why (a full disk, a file size limit). */
struct kbi_out_sink {
    int fd;
    int err;
};

#ifdef KBI_LINUX_EXTRAS /* the stream over the sink (kbi_out_open) */
static ssize_t sink_write(void *ctx, const char *p, size_t n)
{
    kbi_out_sink *s = ctx;
    for (size_t done = 0; done < n;) {
        ssize_t w = write(s->fd, p + done, n - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            if (!s->err)
                s->err = w < 0 ? errno : EIO;
            /* 0, not -1: glibc's fwrite takes a cookie's -1 for a count
             * (it reads past the caller's buffer); anything short of n
             * sets the stream's error flag all the same */
            return 0;
        }
        done += (size_t)w;
    }
    return (ssize_t)n;
}

static int sink_close(void *ctx)
{
    kbi_out_sink *s = ctx;
    int rc = close(s->fd);
    if (rc && !s->err)
        s->err = errno;
    return rc;
}
#endif

FILE *kbi_scratch(void)
{
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir)
        dir = "/tmp";
    int fd = -1;
#ifdef O_TMPFILE
    fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
#endif
    if (fd < 0) { /* a file system without O_TMPFILE: named, then unlinked */
        char path[4096];
        if (snprintf(path, sizeof path, "%s/kodbok-XXXXXX", dir) >=
            (int)sizeof path) {
            errno = ENAMETOOLONG;
            return NULL;
        }
        if ((fd = mkstemp(path)) < 0)
            return NULL;
        unlink(path);
    }
    FILE *f = fdopen(fd, "w+b");
    if (!f)
        close(fd);
    else /* a run writes it in many small packs: fewer, larger writes */
        setvbuf(f, NULL, _IOFBF, (size_t)1 << 18);
    return f;
}

/* Fails `o`'s open with errno e; frees what it holds. */
static int open_failed(kbi_out *o, int e, kb_error *err)
{
    int rc = kbi_fail_at(err, KB_EIO, o->path, 0, 0, "cannot write: %s",
                         strerror(e));
    kbi_out_end(o, 0, NULL);
    return rc;
}

int kbi_out_open(kbi_out *o, const char *path, kb_error *err)
{
    memset(o, 0, sizeof *o);
    o->slot = -1;
    /* realpath fails where a link names no path (/dev/stdout on a pipe is
     * "pipe:[...]", a dangling link), but stat still tells what is there */
    char *real = realpath(path, NULL);
    o->path = strdup(path);
    o->target = real ? real : strdup(path);
    o->sink = malloc(sizeof *o->sink);
    if (!o->path || !o->target || !o->sink) {
        kbi_out_end(o, 0, NULL);
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    }
    struct stat st;
    int fd = -1;
    if (stat(o->target, &st) == 0 && !S_ISREG(st.st_mode)) {
        /* a device or a FIFO (a directory fails here): written as it is */
        fd = open(o->target, O_WRONLY | O_NOCTTY | O_CLOEXEC);
        if (fd < 0)
            return open_failed(o, errno, err);
        if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
            close(fd); /* replaced by a regular file meanwhile */
            fd = -1;
        }
    }
    if (fd < 0) {
        int rc = temp_create(&o->tmp, &fd, &o->slot, o->target, o->path, err);
        if (rc) {
            kbi_out_end(o, 0, NULL);
            return rc;
        }
    }
    *o->sink = (kbi_out_sink){fd, 0};
#ifdef KBI_LINUX_EXTRAS
    cookie_io_functions_t io = {NULL, sink_write, NULL, sink_close};
    o->f = fopencookie(o->sink, "w", io);
#else
    o->f = fdopen(fd, "w"); /* why a write failed: errno when it is seen */
#endif
    if (!o->f) {
        int e = errno;
        close(fd);
        return open_failed(o, e, err);
    }
    return 0;
}

int kbi_out_close(kbi_out *o, kb_error *err)
{
    if (!o->f)
        return 0;
    int bad = fflush(o->f) != 0 || ferror(o->f);
    if (bad && !o->sink->err)
        o->sink->err = errno;
    bad |= fclose(o->f) != 0;
    if (bad && !o->sink->err)
        o->sink->err = errno;
    o->f = NULL;
    if (!bad)
        return 0;
    return kbi_fail_at(err, KB_EIO, o->path, 0, 0, "cannot write: %s",
                       strerror(o->sink->err ? o->sink->err : EIO));
}

int kbi_out_end(kbi_out *o, int ok, kb_error *err)
{
    int rc = 0;
    if (ok)
        rc = kbi_out_close(o, err);
    else if (o->f)
        fclose(o->f);
    o->f = NULL;
    int renamed = 0;
    if (ok && !rc && o->tmp) {
        kbi_killpoint();
        if (rename(o->tmp, o->target) == 0)
            renamed = 1;
        else
            rc = kbi_fail_at(err, KB_EIO, o->path, 0, 0, "cannot write: %s",
                             strerror(errno));
    }
    if (o->tmp && !renamed)
        unlink(o->tmp);
    kbi_temp_drop(o->slot);
    free(o->tmp);
    free(o->target);
    free(o->path);
    free(o->sink);
    memset(o, 0, sizeof *o);
    o->slot = -1;
    return rc;
}

int kbi_file_write_atomic(const char *path, kbi_file_write_fn write, void *ctx,
                          kb_error *err)
{
    kbi_out o;
    int rc = kbi_out_open(&o, path, err);
    if (rc)
        return rc;
    rc = write(ctx, o.f, err);
    /* a write that failed is told as the file's: its path and why */
    int own = rc == KB_EIO && ferror(o.f);
    int end = kbi_out_end(&o, !rc || own, err);
    return rc && !own ? rc : end;
}

/* ------------------------------------------------------------------------ */
/* The public face: kb_output                                                */
/* ------------------------------------------------------------------------ */

struct kb_output {
    kbi_out o;
};

int kb_output_open(kb_output **out, FILE **f, const char *path, kb_error *err)
{
    *out = NULL;
    *f = NULL;
    kb_output *k = malloc(sizeof *k);
    if (!k)
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    int rc = kbi_out_open(&k->o, path, err);
    if (rc) {
        free(k);
        return rc;
    }
    *out = k;
    *f = k->o.f;
    return 0;
}

int kb_output_close(kb_output *o, int keep, kb_error *err)
{
    if (!o)
        return 0;
    int rc = kbi_out_end(&o->o, keep, err);
    free(o);
    return rc;
}
