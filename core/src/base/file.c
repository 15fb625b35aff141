/*
 * file.c: reading whole files, and replacing files atomically (a temporary
 * file beside the target, renamed over it once complete).
 */
#define _XOPEN_SOURCE 700 /* realpath (XSI) beside the build's POSIX 2008 */
#include "base/file.h"
#include "base/error.h"
#include "base/killpoint.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int kbi_file_read(unsigned char **out, size_t *len, const char *path,
                  kb_error *err)
{
    *out = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        int e = errno;
        return kbi_fail_at(err, e == ENOENT ? KB_ENOENT : KB_EIO, path, 0, 0,
                           "%s", e == ENOENT ? "no such file" : strerror(e));
    }
    /* Room for the whole file at once when its size is known, and a byte
     * more so that the read that finds the end needs no more. */
    struct stat sb;
    size_t cap = 1 << 16, n = 0;
    if (fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 0)
        cap = (size_t)sb.st_size + 1;
    unsigned char *buf = malloc(cap);
    if (!buf) {
        fclose(f);
        return kbi_fail_at(err, KB_ENOMEM, path, 0, 0, "out of memory");
    }
    for (;;) {
        if (n == cap) {
            unsigned char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                fclose(f);
                return kbi_fail_at(err, KB_ENOMEM, path, 0, 0, "out of memory");
            }
            buf = nb;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    int bad = ferror(f);
    int e = errno;
    fclose(f);
    if (bad) {
        free(buf);
        /* Reading a directory fails here with EISDIR. */
        return kbi_fail_at(err, KB_EIO, path, 0, 0, "%s",
                           e == EISDIR ? "is a directory" : strerror(e));
    }
    *out = buf;
    *len = n;
    return 0;
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
            kbi_killpoint();
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
        (kbi_killpoint(), rename(tmp, target)))
        rc = kbi_fail_at(err, KB_EIO, path, 0, 0, "cannot write: %s",
                         strerror(errno));
    if (rc && tmp)
        unlink(tmp);
    free(tmp);
    free(target);
    return rc;
}
