/*
 * tokens.c: coders' access tokens (see tokens.h). A token is made here from
 * the system's random numbers (kb_random_hex), given to the caller once and
 * stored as its SHA-256 in hex, so that the project file does not hold what
 * lets anyone in; a token is found by the hash of what a request carries.
 */
#include "store/tokens.h"
#include "base/error.h"
#include "base/hash.h"
#include "base/random.h"
#include "store/project.h"
#include "store/store.h"

#include <stdlib.h>
#include <string.h>

/* The SHA-256 of token, in hex. */
static void token_hash(char hex[65], const char *token)
{
    kbi_sha256 h;
    kbi_sha256_init(&h);
    kbi_sha256_update(&h, token, strlen(token));
    kbi_sha256_hex(&h, hex);
}

/* A coder's name is printed in lists and links: not empty, no control
 * characters. */
static int coder_check(const char *coder, kb_error *err)
{
    if (!coder || !*coder)
        return kbi_fail_arg(err, KB_EINVAL, "coder", "the coder is empty");
    for (const unsigned char *c = (const unsigned char *)coder; *c; c++)
        if (*c < 0x20 || *c == 0x7f)
            return kbi_fail_arg(err, KB_EINVAL, "coder",
                                "the coder '%s' has a control character",
                                coder);
    return 0;
}

int kb_coder_token_new(char token[KB_TOKEN_LEN + 1], int *replaced,
                       kb_project *p, const char *coder, kb_error *err)
{
    token[0] = '\0';
    if (replaced)
        *replaced = 0;
    int rc = coder_check(coder, err);
    if (rc)
        return rc;
    if ((rc = kb_random_hex(token, KB_TOKEN_LEN, err)))
        return rc;
    char hex[65];
    token_hash(hex, token);
    sqlite3_stmt *st;
    if ((rc = kbi_store_begin(p->db, err)))
        return rc;
    if ((rc = kbi_store_prepare(
             p->db, &st, "SELECT 1 FROM coder_tokens WHERE coder = ?", err)))
        goto fail;
    sqlite3_bind_text(st, 1, coder, -1, SQLITE_STATIC);
    int had = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    if ((rc = kbi_store_prepare(
             p->db, &st,
             "INSERT OR REPLACE INTO coder_tokens(coder, token_sha256,"
             " created_at) VALUES(?, ?,"
             " strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
             err)))
        goto fail;
    sqlite3_bind_text(st, 1, coder, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, hex, -1, SQLITE_STATIC);
    rc = sqlite3_step(st) == SQLITE_DONE
             ? 0
             : kbi_store_fail(err, p->db, "storing a token");
    sqlite3_finalize(st);
    if (rc || (rc = kbi_store_commit(p->db, err)))
        goto fail;
    if (replaced)
        *replaced = had;
    return 0;
fail:
    kbi_store_rollback(p->db);
    token[0] = '\0';
    return rc;
}

int kb_coder_token_remove(kb_project *p, const char *coder, kb_error *err)
{
    sqlite3_stmt *st;
    int rc = kbi_store_prepare(p->db, &st,
                               "DELETE FROM coder_tokens WHERE coder = ?", err);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, coder, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = kbi_store_fail(err, p->db, "removing a token");
    else if (!sqlite3_changes(p->db))
        rc = kbi_fail_arg(err, KB_ENOENT, "coder",
                          "the coder '%s' has no token", coder);
    sqlite3_finalize(st);
    return rc;
}

int kb_coder_token_find(char **coder, kb_project *p, const char *token,
                        kb_error *err)
{
    *coder = NULL;
    char hex[65];
    token_hash(hex, token);
    sqlite3_stmt *st;
    int rc;
    if ((rc = kbi_store_prepare(
             p->db, &st,
             "SELECT coder FROM coder_tokens WHERE token_sha256 = ?", err)))
        return rc;
    sqlite3_bind_text(st, 1, hex, -1, SQLITE_STATIC);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        if (!(*coder = kbi_store_strdup(st, 0)))
            rc = kbi_fail(err, KB_ENOMEM, "out of memory");
    } else if (step != SQLITE_DONE) {
        rc = kbi_store_fail(err, p->db, "finding a token");
    }
    sqlite3_finalize(st);
    return rc;
}

int kb_project_token_coders(kb_project *p, kb_token_coder_fn fn, void *ctx,
                            kb_error *err)
{
    sqlite3_stmt *st;
    int rc = kbi_store_prepare(
        p->db, &st, "SELECT coder, created_at FROM coder_tokens ORDER BY coder",
        err);
    if (rc)
        return rc;
    int step = SQLITE_DONE;
    while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW)
        rc = fn(ctx, (const char *)sqlite3_column_text(st, 0),
                (const char *)sqlite3_column_text(st, 1));
    if (!rc && step != SQLITE_DONE)
        rc = kbi_store_fail(err, p->db, "listing tokens");
    sqlite3_finalize(st);
    return rc;
}
