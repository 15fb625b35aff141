/*
 * zipwrite.c: a zip package built in memory (zipwrite.h). libzip writes
 * into a buffer source that is kept past zip_close and read back whole.
 */
#include "base/zipwrite.h"
#include "base/error.h"
#include "base/file.h"
#include "base/grow.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zip.h>

struct kbi_zipw {
    zip_source_t *src; /* the buffer the package is written into */
    zip_t *za;         /* NULL once closed */
    /* the parts' data, freed with the package: libzip frees a buffer it
     * was given to free on some of its failures and not on others */
    void **parts;
    size_t nparts, capparts;
};

int kbi_zipw_new(kbi_zipw **out, kb_error *err)
{
    *out = NULL;
    kbi_zipw *z = calloc(1, sizeof *z);
    zip_error_t ze;
    zip_error_init(&ze);
    if (z)
        z->src = zip_source_buffer_create(NULL, 0, 0, &ze);
    if (z && z->src) {
        z->za = zip_open_from_source(z->src, ZIP_TRUNCATE, &ze);
        if (z->za)
            zip_source_keep(z->src);
    }
    if (!z || !z->za) {
        int rc = kbi_fail(err, KB_ENOMEM, "cannot start a package: %s",
                          zip_error_strerror(&ze));
        zip_error_fini(&ze);
        if (z)
            zip_source_free(z->src);
        free(z);
        return rc;
    }
    zip_error_fini(&ze);
    *out = z;
    return 0;
}

/* Adds data (taken) as part `name`, stored or compressed. */
static int add(kbi_zipw *z, const char *name, void *data, size_t len, int store,
               kb_error *err)
{
    if (KBI_GROW(&z->parts, &z->capparts, z->nparts + 1)) {
        free(data);
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    }
    z->parts[z->nparts++] = data;
    zip_source_t *src = zip_source_buffer(z->za, data, len, 0);
    if (!src)
        return kbi_fail(err, KB_ENOMEM, "%s: %s", name, zip_strerror(z->za));
    zip_int64_t i = zip_file_add(z->za, name, src, ZIP_FL_ENC_UTF_8);
    if (i < 0) {
        zip_source_free(src);
        return kbi_fail(err, KB_EIO, "%s: %s", name, zip_strerror(z->za));
    }
    if (zip_file_set_mtime(z->za, (zip_uint64_t)i, KBI_ZIPW_MTIME, 0) < 0 ||
        (store &&
         zip_set_file_compression(z->za, (zip_uint64_t)i, ZIP_CM_STORE, 0) < 0))
        return kbi_fail(err, KB_EIO, "%s: %s", name, zip_strerror(z->za));
    return 0;
}

int kbi_zipw_add(kbi_zipw *z, const char *name, const void *data, size_t len,
                 int store, kb_error *err)
{
    void *copy = malloc(len ? len : 1);
    if (!copy)
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    memcpy(copy, data, len);
    return add(z, name, copy, len, store, err);
}

int kbi_zipw_take(kbi_zipw *z, const char *name, void *data, size_t len,
                  kb_error *err)
{
    return add(z, name, data, len, 0, err);
}

int kbi_zipw_add_xml(kbi_zipw *z, const char *name, kbi_xml *x, kb_error *err)
{
    size_t len;
    const char *xml = kbi_xml_finish(x, &len);
    int rc = xml ? kbi_zipw_add(z, name, xml, len, 0, err)
                 : kbi_fail(err, KB_ENOMEM, "%s: cannot write XML", name);
    kbi_xml_free(x);
    return rc;
}

int kbi_zipw_write(kbi_zipw *z, FILE *f, kb_error *err)
{
    if (zip_close(z->za) < 0) {
        int rc = kbi_fail(err, KB_EIO, "cannot close the package: %s",
                          zip_strerror(z->za));
        zip_discard(z->za);
        z->za = NULL;
        return rc;
    }
    z->za = NULL;
    zip_stat_t st;
    if (zip_source_stat(z->src, &st) < 0 || !(st.valid & ZIP_STAT_SIZE) ||
        zip_source_open(z->src) < 0)
        return kbi_fail(err, KB_ENOMEM, "cannot read the package back");
    void *data = malloc(st.size ? st.size : 1);
    int rc = 0;
    if (!data || zip_source_read(z->src, data, st.size) != (zip_int64_t)st.size)
        rc = kbi_fail(err, KB_ENOMEM, "cannot read the package back");
    zip_source_close(z->src);
    if (!rc && fwrite(data, 1, st.size, f) != st.size)
        rc = kbi_fail(err, KB_EIO, "cannot write the package");
    free(data);
    return rc;
}

static int save(void *ctx, FILE *f, kb_error *err)
{
    return kbi_zipw_write(ctx, f, err);
}

int kbi_zipw_save(kbi_zipw *z, const char *path, kb_error *err)
{
    return kbi_file_write_atomic(path, save, z, err);
}

void kbi_zipw_free(kbi_zipw *z)
{
    if (!z)
        return;
    if (z->za)
        zip_discard(z->za);
    zip_source_free(z->src);
    for (size_t i = 0; i < z->nparts; i++)
        free(z->parts[i]);
    free(z->parts);
    free(z);
}
