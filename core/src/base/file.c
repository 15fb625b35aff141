/*
 * file.c: reading whole files, and replacing files atomically (a temporary
 * file beside the target, renamed over it once complete).
 */
#define _XOPEN_SOURCE 700 /* realpath (XSI) beside the build's POSIX 2008 */
#include "base/file.h"
#include "base/error.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

int kbi_file_temp_beside(char **tmp, const char *path, kb_error *err)
{
    size_t size = strlen(path) + 40;
    if (!(*tmp = malloc(size)))
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    for (int i = 0;; i++) {
        snprintf(*tmp, size, "%s.%ld-%d.tmp", path, (long)getpid(), i);
        int fd = open(*tmp, O_WRONLY | O_CREAT | O_EXCL, 0666);
        if (fd >= 0) {
            close(fd);
            return 0;
        }
        if (errno != EEXIST || i == 99) {
            int e = errno;
            free(*tmp);
            *tmp = NULL;
            return kbi_fail_at(err, KB_EIO, path, 0, 0, "cannot write: %s",
                               strerror(e));
        }
    }
}

int kbi_file_target(char **out, int *regular, const char *path, kb_error *err)
{
    /* realpath fails where a link names no path (/dev/stdout on a pipe is
     * "pipe:[...]"), but stat still tells what is there */
    char *real = realpath(path, NULL);
    struct stat st;
    *regular = stat(real ? real : path, &st) != 0 || S_ISREG(st.st_mode);
    *out = real ? real : strdup(path);
    return *out ? 0 : kbi_fail(err, KB_ENOMEM, "out of memory");
}

/* Opens `file`, writes it through write() and closes it; errors name
 * `path`. */
static int write_through(const char *file, const char *path,
                         kbi_file_write_fn write, void *ctx, kb_error *err)
{
    FILE *f = fopen(file, "wb");
    if (!f)
        return kbi_fail_at(err, KB_EIO, path, 0, 0, "cannot write: %s",
                           strerror(errno));
    int rc = write(ctx, f, err);
    int bad = ferror(f), e = errno;
    if (fclose(f) && !rc)
        rc = kbi_fail_at(err, KB_EIO, path, 0, 0, "cannot write: %s",
                         strerror(errno));
    else if (bad && !rc)
        rc = kbi_fail_at(err, KB_EIO, path, 0, 0, "cannot write: %s",
                         strerror(e));
    return rc;
}

int kbi_file_write_atomic(const char *path, kbi_file_write_fn write, void *ctx,
                          kb_error *err)
{
    char *target, *tmp = NULL;
    int regular;
    int rc = kbi_file_target(&target, &regular, path, err);
    if (rc)
        return rc;
    if (!regular) {
        rc = write_through(target, path, write, ctx, err);
        free(target);
        return rc;
    }
    if (!(rc = kbi_file_temp_beside(&tmp, target, err)) &&
        !(rc = write_through(tmp, path, write, ctx, err)) &&
        rename(tmp, target))
        rc = kbi_fail_at(err, KB_EIO, path, 0, 0, "cannot write: %s",
                         strerror(errno));
    if (rc && tmp)
        unlink(tmp);
    free(tmp);
    free(target);
    return rc;
}
