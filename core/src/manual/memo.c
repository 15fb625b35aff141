/*
 * memo.c: memos: writing, changing, removing and listing them.
 *
 * A memo on the project, a document, a case or a code is a row of table
 * memos (docs/schema.md), named by what it is about as the memos file names
 * it (the document's name, the case's id, the code's id, and for a memo on
 * a code at a facet value its "facet=value"), so that it keeps its meaning
 * in another project. A manual coding's memo is the coding's own memo
 * column, which tags files carry with the coding (docs/manual.md): kb_memo_*
 * reaches it through the coding's id. Every call that writes is one
 * statement, so one transaction. Listing them is store/memolist.c's.
 */
#include "manual/memo.h"
#include "base/decode.h"
#include "base/error.h"
#include "base/file.h"
#include "base/utf8.h"
#include "manual/manual.h"
#include "store/project.h"
#include "store/store.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void kbi_memo_now(char out[32])
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    size_t n = strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out + n, 32 - n, ".%03dZ", (int)(ts.tv_nsec / 1000000L) % 1000);
}

int kbi_memo_time_ok(const char *s)
{
    static const char form[] = "dddd-dd-ddTdd:dd:dd";
    size_t i = 0;
    for (; form[i]; i++)
        if (form[i] == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != form[i])
            return 0;
    if (s[i] == '.') {
        size_t k = ++i;
        while (isdigit((unsigned char)s[i]))
            i++;
        if (i == k || i - k > 9)
            return 0;
    }
    return s[i] == 'Z' && !s[i + 1];
}

int kbi_memo_text(char **out, const char *text, kb_error *err)
{
    *out = NULL;
    size_t n = text ? strlen(text) : 0, lead = 0;
    while (n && isspace((unsigned char)text[n - 1]))
        n--;
    while (lead < n && isspace((unsigned char)text[lead]))
        lead++;
    if (lead == n)
        return kbi_fail_arg(err, KB_EINVAL, "text", "an empty memo text");
    kb_error e;
    size_t len;
    if (kbi_text_normalise(out, &len, text, n, "text", NULL, NULL, &e))
        return kbi_fail_arg(err, e.code == KB_ENOMEM ? KB_ENOMEM : KB_EINVAL,
                            "text", "the memo's text: %s", e.message);
    while (len && isspace((unsigned char)(*out)[len - 1]))
        (*out)[--len] = '\0';
    return 0;
}

/* KB_ENOENT for `what` 'name', with the name of `sql`'s rows nearest to it
 * when one is near. */
static int no_such(sqlite3 *db, const char *sql, const char *what,
                   const char *name, kb_error *err)
{
    sqlite3_stmt *st;
    int rc = kbi_store_prepare(db, &st, sql, err);
    if (rc)
        return rc;
    char near[160] = "";
    size_t best = 4; /* at most 3 edits away */
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *c = (const char *)sqlite3_column_text(st, 0);
        size_t d = kbi_edit_distance(name, c);
        if (d < best) {
            best = d;
            snprintf(near, sizeof near, " (did you mean '%.100s'?)", c);
        }
    }
    sqlite3_finalize(st);
    return kbi_fail(err, KB_ENOENT, "no %s '%s' in the project%s", what, name,
                    near);
}

/* 1 if `sql` with `name` bound gives a row, 0 if not, or a KB_E* code. */
static int exists(sqlite3 *db, const char *sql, const char *name, kb_error *err)
{
    sqlite3_stmt *st;
    int rc = kbi_store_prepare(db, &st, sql, err);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    int there = rc == SQLITE_ROW;
    sqlite3_finalize(st);
    return there || rc == SQLITE_DONE
               ? there
               : kbi_store_fail(err, db, "looking up a memo's target");
}

int kbi_memo_target_check(sqlite3 *db, const char *target, const char *name,
                          char target_out[16], kb_error *err)
{
    int rc;
    if (!strcmp(target, "project")) {
        if (name && *name)
            return kbi_fail_arg(err, KB_EINVAL, "about",
                                "a memo on the project names nothing");
        snprintf(target_out, 16, "project");
        return 0;
    }
    if (!name || !*name)
        return kbi_fail_arg(err, KB_EINVAL, "about",
                            "a memo on a %s needs its name", target);
    if (!strcmp(target, "document") || !strcmp(target, "case")) {
        int doc = !strcmp(target, "document");
        rc = exists(db,
                    doc ? "SELECT 1 FROM documents WHERE name = ?"
                        : "SELECT 1 FROM cases WHERE name = ?",
                    name, err);
        if (rc < 0)
            return rc;
        if (!rc)
            return no_such(db,
                           doc ? "SELECT name FROM documents ORDER BY name"
                               : "SELECT name FROM cases ORDER BY name",
                           target, name, err);
        snprintf(target_out, 16, "%s", target);
        return 0;
    }
    if (strcmp(target, "code") && strcmp(target, "concept") &&
        strcmp(target, "theme") && strcmp(target, "dimension"))
        return kbi_fail_arg(err, KB_EINVAL, "about",
                            "'%s' is not a memo's target (project, document,"
                            " case, dimension, theme or concept)",
                            target);
    if ((rc = kbi_manual_code_kind(db, name, target_out, err)))
        return rc;
    if (strcmp(target, "code") && strcmp(target, target_out))
        return kbi_fail(err, KB_ENOENT,
                        "'%s' is a %s in the codebook, not a %s", name,
                        target_out, target);
    return 0;
}

int kbi_memo_at_check(sqlite3 *db, const char *target, const char *at,
                      kb_error *err)
{
    if (!at || !*at)
        return 0;
    if (strcmp(target, "dimension") && strcmp(target, "theme") &&
        strcmp(target, "concept") && strcmp(target, "code"))
        return kbi_fail_arg(err, KB_EINVAL, "at",
                            "a memo on a %s is on it as a whole: only a "
                            "code's may be at a facet value ('%s')",
                            target, at);
    const char *eq = strchr(at, '=');
    if (!eq || eq == at || !eq[1])
        return kbi_fail_arg(err, KB_EINVAL, "at",
                            "'%s' is not FACET=VALUE (as level=regional)", at);
    int rc = db ? kbi_manual_facets_check(db, &at, 1, err) : 0;
    if (rc && err)
        snprintf(err->argument, sizeof err->argument, "at");
    return rc;
}

/* The memo of manual coding `id` into *memo (caller frees; "" if none);
 * KB_ENOENT when there is no such coding. */
static int coding_memo(sqlite3 *db, int64_t id, char **memo, kb_error *err)
{
    sqlite3_stmt *st;
    int rc = kbi_store_prepare(
        db, &st, "SELECT memo FROM manual_codings WHERE id = ?", err);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    *memo = NULL;
    if (sqlite3_step(st) == SQLITE_ROW) {
        if (!(*memo = kbi_store_strdup(st, 0)))
            rc = kbi_fail(err, KB_ENOMEM, "out of memory");
    } else {
        rc = kbi_fail(err, KB_ENOENT, "no manual coding %lld in the project",
                      (long long)id);
    }
    sqlite3_finalize(st);
    return rc;
}

/* Runs one statement binding the text values of v (NULL: none) and an id;
 * KB_EDB. */
static int write_row(sqlite3 *db, const char *sql, const char *const v[6],
                     int64_t id, int64_t *rowid, kb_error *err)
{
    sqlite3_stmt *st;
    int rc = kbi_store_prepare(db, &st, sql, err);
    if (rc)
        return rc;
    for (int i = 0; i < 6; i++)
        if (v[i])
            sqlite3_bind_text(st, i + 1, v[i], -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 7, id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_CONSTRAINT)
        rc = kbi_fail(err, KB_EEXIST, "that memo exists already");
    else if (rc != SQLITE_DONE)
        rc = kbi_store_fail(err, db, "writing a memo");
    else
        rc = 0;
    if (!rc && rowid)
        *rowid = sqlite3_last_insert_rowid(db);
    sqlite3_finalize(st);
    return rc;
}

int kb_memo_add(int64_t *id, kb_project *p, const kb_memo_about *about,
                const char *author, const char *text, kb_error *err)
{
    const char *target = about ? kb_memo_target_name(about->target) : NULL;
    if (!target)
        return kbi_fail_arg(err, KB_EINVAL, "about",
                            "no memo target (project, document, case, code "
                            "or coding)");
    int rc = kbi_manual_coder_check(author, "author", err);
    if (!rc && about->target != KB_MEMO_CODE)
        rc = kbi_memo_at_check(NULL, target, about->at, err);
    if (rc)
        return rc;
    char *body;
    if ((rc = kbi_memo_text(&body, text, err)))
        return rc;
    char now[32];
    kbi_memo_now(now);
    if (about->target == KB_MEMO_CODING) {
        char *old = NULL;
        if (!(rc = coding_memo(p->db, about->coding, &old, err)) && *old)
            rc = kbi_fail(err, KB_EEXIST,
                          "manual coding %lld has a memo already (change it "
                          "with `kb_memo_edit`)",
                          (long long)about->coding);
        free(old);
        if (!rc)
            rc = write_row(p->db,
                           "UPDATE manual_codings SET memo = ?1, memo_author"
                           " = ?2, memo_created_at = ?3, memo_changed_at = ?3"
                           " WHERE id = ?7",
                           (const char *const[6]){body, author, now},
                           about->coding, NULL, err);
        if (!rc && id)
            *id = about->coding;
        free(body);
        return rc;
    }
    char stored[16];
    rc = kbi_memo_target_check(p->db, target, about->name, stored, err);
    if (!rc)
        rc = kbi_memo_at_check(p->db, stored, about->at, err);
    /* a second memo of one author on one thing in the same millisecond
     * waits for the next */
    for (int tries = 0; !rc; tries++) {
        rc = write_row(p->db,
                       "INSERT INTO memos(target, name, at, author,"
                       " created_at, changed_at, text) VALUES(?1, ?2, ?6,"
                       " ?3, ?4, ?4, ?5)",
                       (const char *const[6]){
                           stored, about->name ? about->name : "", author, now,
                           body, about->at ? about->at : ""},
                       0, id, err);
        if (rc != KB_EEXIST || tries == 100)
            break;
        struct timespec ms = {0, 1000000L};
        nanosleep(&ms, NULL);
        kbi_memo_now(now);
        rc = 0;
    }
    free(body);
    return rc;
}

int kb_memo_edit(int *changed, kb_project *p, int64_t id, int coding,
                 const char *text, kb_error *err)
{
    char *body, *old = NULL;
    int rc = kbi_memo_text(&body, text, err);
    if (rc)
        return rc;
    if (coding) {
        if (!(rc = coding_memo(p->db, id, &old, err)) && !*old)
            rc = kbi_fail(err, KB_ENOENT,
                          "manual coding %lld has no memo (write one with "
                          "`kb_memo_add`)",
                          (long long)id);
    } else {
        sqlite3_stmt *st;
        if (!(rc = kbi_store_prepare(
                  p->db, &st, "SELECT text FROM memos WHERE id = ?", err))) {
            sqlite3_bind_int64(st, 1, id);
            if (sqlite3_step(st) != SQLITE_ROW)
                rc = kbi_fail(err, KB_ENOENT, "no memo %lld in the project",
                              (long long)id);
            else if (!(old = kbi_store_strdup(st, 0)))
                rc = kbi_fail(err, KB_ENOMEM, "out of memory");
            sqlite3_finalize(st);
        }
    }
    int differs = !rc && strcmp(old, body);
    if (differs) {
        char now[32];
        kbi_memo_now(now);
        rc = write_row(p->db,
                       coding ? "UPDATE manual_codings SET memo = ?1,"
                                " memo_changed_at = ?2 WHERE id = ?7"
                              : "UPDATE memos SET text = ?1, changed_at = ?2"
                                " WHERE id = ?7",
                       (const char *const[6]){body, now}, id, NULL, err);
    }
    if (!rc && changed)
        *changed = differs;
    free(old);
    free(body);
    return rc;
}

int kb_memo_remove(kb_project *p, int64_t id, int coding, kb_error *err)
{
    sqlite3_stmt *st;
    int rc = kbi_store_prepare(
        p->db, &st,
        coding ? "UPDATE manual_codings SET memo = '', memo_author = NULL,"
                 " memo_created_at = NULL, memo_changed_at = NULL WHERE id = ?"
                 " AND memo <> ''"
               : "DELETE FROM memos WHERE id = ?",
        err);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = kbi_store_fail(err, p->db, "removing a memo");
    else if (!sqlite3_changes(p->db))
        rc = coding ? kbi_fail(err, KB_ENOENT,
                               "no manual coding %lld with a memo in the "
                               "project",
                               (long long)id)
                    : kbi_fail(err, KB_ENOENT, "no memo %lld in the project",
                               (long long)id);
    sqlite3_finalize(st);
    return rc;
}

int kbi_memo_put(sqlite3 *db, const char *target, const char *name,
                 const char *at, const char *author, const char *created,
                 const char *changed, const char *text, kb_error *err)
{
    sqlite3_stmt *st;
    int rc = kbi_store_prepare(db, &st,
                               "SELECT text = ?6 FROM memos WHERE target = ?1"
                               " AND name = ?2 AND at = ?3 AND author = ?4"
                               " AND created_at = ?5",
                               err);
    if (rc)
        return rc;
    const char *v[6] = {target, name, at, author, created, text};
    for (int i = 0; i < 6; i++)
        sqlite3_bind_text(st, i + 1, v[i], -1, SQLITE_STATIC);
    int there = sqlite3_step(st) == SQLITE_ROW
                    ? (sqlite3_column_int(st, 0) ? 1 : 2)
                    : 0;
    sqlite3_finalize(st);
    if (there)
        return there;
    if ((rc = kbi_store_prepare(db, &st,
                                "INSERT INTO memos(target, name, at, author,"
                                " created_at, changed_at, text)"
                                " VALUES(?, ?, ?, ?, ?, ?, ?)",
                                err)))
        return rc;
    const char *w[7] = {target, name, at, author, created, changed, text};
    for (int i = 0; i < 7; i++)
        sqlite3_bind_text(st, i + 1, w[i], -1, SQLITE_STATIC);
    rc = sqlite3_step(st) == SQLITE_DONE
             ? 0
             : kbi_store_fail(err, db, "storing a memo");
    sqlite3_finalize(st);
    return rc;
}

int kb_memo_text_read(char **out, const char *path, kb_error *err)
{
    unsigned char *raw;
    size_t len;
    *out = NULL;
    int rc = kbi_file_read(&raw, &len, path, KBI_INPUT_OTHER, err);
    if (rc)
        return rc;
    char *s = realloc(raw, len + 1);
    if (!s) {
        free(raw);
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    }
    s[len] = '\0';
    *out = s;
    return 0;
}
