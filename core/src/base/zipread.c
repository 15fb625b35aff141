/*
 * zipread.c: safe reading of zip packages (zipread.h).
 *
 * The names and sizes are checked once, when the package is opened, from
 * its central directory; an entry's bytes are checked again as they are
 * unpacked, since a crafted package can claim one size and give another.
 */
#include "base/zipread.h"
#include "base/error.h"

#include <stdlib.h>
#include <string.h>
#include <zip.h>

struct kbi_zip {
    zip_t *za;
    char *file;
    size_t n;
    char **names; /* owned copies, in entry order */
    size_t *size; /* the size each entry claims unpacked */
};

int kbi_zip_sniff(const void *data, size_t len)
{
    return len >= 4 && !memcmp(data, "PK\x03\x04", 4);
}

/* Is `name` safe to take as a path inside the package? */
static int safe_name(const char *name)
{
    if (!*name || name[0] == '/' || strchr(name, '\\') ||
        (name[0] && name[1] == ':'))
        return 0;
    for (const char *p = name; *p;) {
        const char *end = strchr(p, '/');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n == 2 && p[0] == '.' && p[1] == '.')
            return 0;
        p += n + (end != NULL);
    }
    return 1;
}

static int refuse(kbi_zip *z, kb_error *err, const char *fmt, const char *what)
{
    int rc = kbi_fail_at(err, KB_EFORMAT, z->file, 0, 0, fmt, what);
    kbi_zip_free(z);
    return rc;
}

int kbi_zip_open(kbi_zip **out, const void *data, size_t len, const char *file,
                 kb_error *err)
{
    *out = NULL;
    kbi_zip *z = calloc(1, sizeof *z);
    if (!z || !(z->file = strdup(file ? file : ""))) {
        free(z);
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    }
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
    if (src && !(z->za = zip_open_from_source(src, ZIP_RDONLY, &ze)))
        zip_source_free(src);
    if (!z->za) {
        zip_error_fini(&ze);
        return refuse(z, err, "not a zip package%s", "");
    }
    zip_error_fini(&ze);
    zip_int64_t n = zip_get_num_entries(z->za, 0);
    z->n = n > 0 ? (size_t)n : 0;
    z->names = calloc(z->n + 1, sizeof *z->names);
    z->size = calloc(z->n + 1, sizeof *z->size);
    if (!z->names || !z->size) {
        kbi_zip_free(z);
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    }
    size_t total = 0;
    for (size_t i = 0; i < z->n; i++) {
        zip_stat_t st;
        if (zip_stat_index(z->za, i, 0, &st) || !(st.valid & ZIP_STAT_NAME) ||
            !(st.valid & ZIP_STAT_SIZE))
            return refuse(z, err, "an entry without a name or size%s", "");
        if (!safe_name(st.name))
            return refuse(z, err,
                          "entry '%s' is an absolute path or climbs out of "
                          "the package: refused",
                          st.name);
        if (!(z->names[i] = strdup(st.name))) {
            kbi_zip_free(z);
            return kbi_fail(err, KB_ENOMEM, "out of memory");
        }
        size_t packed =
            st.valid & ZIP_STAT_COMP_SIZE ? (size_t)st.comp_size : 0;
        z->size[i] = (size_t)st.size;
        if (st.size > KBI_ZIP_MAX_TOTAL - total ||
            (z->size[i] >= KBI_ZIP_RATIO_FROM &&
             z->size[i] / KBI_ZIP_MAX_RATIO > packed))
            return refuse(z, err,
                          "entry '%s' unpacks to more than the package can "
                          "hold (a zip bomb?): refused",
                          st.name);
        total += z->size[i];
    }
    *out = z;
    return 0;
}

void kbi_zip_free(kbi_zip *z)
{
    if (!z)
        return;
    if (z->za)
        zip_discard(z->za);
    for (size_t i = 0; z->names && i < z->n; i++)
        free(z->names[i]);
    free(z->names);
    free(z->size);
    free(z->file);
    free(z);
}

size_t kbi_zip_count(const kbi_zip *z)
{
    return z->n;
}

const char *kbi_zip_name(const kbi_zip *z, size_t i)
{
    return i < z->n ? z->names[i] : NULL;
}

static int same_name(const char *a, const char *b, int nocase)
{
    if (!nocase)
        return !strcmp(a, b);
    for (; *a && *b; a++, b++) {
        char x = *a >= 'A' && *a <= 'Z' ? (char)(*a + 32) : *a;
        char y = *b >= 'A' && *b <= 'Z' ? (char)(*b + 32) : *b;
        if (x != y)
            return 0;
    }
    return !*a && !*b;
}

long kbi_zip_find(const kbi_zip *z, const char *name, int nocase)
{
    for (size_t i = 0; i < z->n; i++)
        if (same_name(z->names[i], name, nocase))
            return (long)i;
    return -1;
}

int kbi_zip_read(const kbi_zip *z, size_t i, char **out, size_t *len,
                 kb_error *err)
{
    *out = NULL;
    *len = 0;
    if (i >= z->n)
        return kbi_fail(err, KB_EINVAL, "no entry %zu", i);
    char where[600];
    snprintf(where, sizeof where, "%s:%s", z->file, z->names[i]);
    zip_file_t *f = zip_fopen_index(z->za, i, 0);
    if (!f)
        return kbi_fail_at(err, KB_EFORMAT, where, 0, 0, "cannot unpack: %s",
                           zip_strerror(z->za));
    size_t claimed = z->size[i], cap = claimed + 1, n = 0;
    char *buf = malloc(cap);
    int rc = buf ? 0 : kbi_fail(err, KB_ENOMEM, "out of memory");
    while (!rc) {
        if (n == cap - 1) {
            /* one byte past the claimed size: the entry lies about it */
            char extra;
            zip_int64_t more = zip_fread(f, &extra, 1);
            if (more > 0)
                rc = kbi_fail_at(err, KB_EFORMAT, where, 0, 0,
                                 "gives more than the %zu bytes it claims: "
                                 "refused",
                                 claimed);
            else if (more < 0)
                rc = kbi_fail_at(err, KB_EFORMAT, where, 0, 0,
                                 "cannot unpack: %s", zip_file_strerror(f));
            break;
        }
        zip_int64_t got = zip_fread(f, buf + n, cap - 1 - n);
        if (got < 0)
            rc = kbi_fail_at(err, KB_EFORMAT, where, 0, 0, "cannot unpack: %s",
                             zip_file_strerror(f));
        else if (got == 0)
            break;
        else
            n += (size_t)got;
    }
    zip_fclose(f);
    if (rc) {
        free(buf);
        return rc;
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return 0;
}
