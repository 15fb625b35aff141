/*
 * random.c: random bytes from the system (random.h).
 */
#include "base/random.h"
#include "base/error.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#ifdef KBI_LINUX_EXTRAS
#include <sys/random.h>
#endif

int kbi_random_bytes(void *buf, size_t n, kb_error *err)
{
    unsigned char *p = buf;
#ifdef KBI_LINUX_EXTRAS
    for (size_t done = 0; done < n;) {
        ssize_t got = getrandom(p + done, n - done, 0);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return kbi_fail(err, KB_EIO, "no random numbers: %s",
                            strerror(got < 0 ? errno : EIO));
        done += (size_t)got;
    }
    return 0;
#else
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return kbi_fail(err, KB_EIO, "no random numbers: /dev/urandom: %s",
                        strerror(errno));
    size_t done = 0;
    while (done < n) {
        ssize_t got = read(fd, p + done, n - done);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        done += (size_t)got;
    }
    int e = errno;
    close(fd);
    return done == n
               ? 0
               : kbi_fail(err, KB_EIO, "no random numbers: /dev/urandom: %s",
                          strerror(e ? e : EIO));
#endif
}

int kb_random_hex(char *out, size_t digits, kb_error *err)
{
    unsigned char raw[128];
    if (digits % 2 || digits / 2 > sizeof raw)
        return kbi_fail_arg(err, KB_EINVAL, "digits",
                            "an even number of digits up to %zu, not %zu",
                            2 * sizeof raw, digits);
    out[0] = '\0';
    int rc = kbi_random_bytes(raw, digits / 2, err);
    if (rc)
        return rc;
    for (size_t i = 0; i < digits / 2; i++)
        snprintf(out + 2 * i, 3, "%02x", raw[i]);
    out[digits] = '\0';
    return 0;
}
