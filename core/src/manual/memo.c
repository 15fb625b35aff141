/*
 * memo.c: memos: writing, changing, removing and listing them.
 *
 * A memo on the project, a document, a case or a code is a row of table
 * memos (docs/schema.md), named by what it is about as the memos file names
 * it (the document's name, the case's id, the code's id), so that it keeps
 * its meaning in another project. A manual coding's memo is the coding's
 * own memo column, which tags files carry with the coding (docs/manual.md):
 * kb_memo_* reaches it through the coding's id. Every call that writes is
 * one statement, so one transaction.
 */
#include "manual/memo.h"
#include "base/decode.h"
#include "base/error.h"
#include "base/grow.h"
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

/* Runs one statement binding up to five text values and an id; KB_EDB. */
static int write_row(sqlite3 *db, const char *sql, const char *const v[5],
                     int64_t id, int64_t *rowid, kb_error *err)
{
    sqlite3_stmt *st;
    int rc = kbi_store_prepare(db, &st, sql, err);
    if (rc)
        return rc;
    for (int i = 0; i < 5; i++)
        if (v[i])
            sqlite3_bind_text(st, i + 1, v[i], -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 6, id);
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
                           " WHERE id = ?6",
                           (const char *const[5]){body, author, now},
                           about->coding, NULL, err);
        if (!rc && id)
            *id = about->coding;
        free(body);
        return rc;
    }
    char stored[16];
    rc = kbi_memo_target_check(p->db, target, about->name, stored, err);
    /* a second memo of one author on one thing in the same millisecond
     * waits for the next */
    for (int tries = 0; !rc; tries++) {
        rc = write_row(p->db,
                       "INSERT INTO memos(target, name, author, created_at,"
                       " changed_at, text) VALUES(?1, ?2, ?3, ?4, ?4, ?5)",
                       (const char *const[5]){stored,
                                              about->name ? about->name : "",
                                              author, now, body},
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
                                " memo_changed_at = ?2 WHERE id = ?6"
                              : "UPDATE memos SET text = ?1, changed_at = ?2"
                                " WHERE id = ?6",
                       (const char *const[5]){body, now}, id, NULL, err);
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

struct kb_memo_list {
    kb_memo_info *v;
    size_t n, cap;
    kbi_pool strings;
};

/* Table memos and the codings' memos as one list, in the listed order;
 * ?1 the target (a stored one, 'code' for any code, NULL for all), ?2 the
 * name, ?3 the coding, ?4 the author. */
static const char LIST_SQL[] =
    "SELECT * FROM (SELECT id, target, name, NULL AS coding, NULL AS code,"
    " author, created_at, changed_at, text, CASE target WHEN 'project' THEN 1"
    " WHEN 'document' THEN 2 WHEN 'case' THEN 3 WHEN 'dimension' THEN 4"
    " WHEN 'theme' THEN 5 ELSE 6 END AS rank FROM memos"
    " WHERE (?1 IS NULL OR target = ?1 OR (?1 = 'code' AND target IN"
    " ('dimension', 'theme', 'concept'))) AND (?2 IS NULL OR name = ?2)"
    " UNION ALL SELECT 0, 'coding', d.name, m.id, m.code,"
    " COALESCE(m.memo_author, m.coder), COALESCE(m.memo_created_at,"
    " m.created_at), COALESCE(m.memo_changed_at, m.memo_created_at,"
    " m.created_at), m.memo, 7 FROM manual_codings m JOIN documents d ON d.id"
    " = m.document_id WHERE m.memo <> '' AND (?1 IS NULL OR ?1 = 'coding')"
    " AND (?3 = 0 OR m.id = ?3))"
    " WHERE ?4 IS NULL OR author = ?4"
    " ORDER BY rank, name, created_at, author, coding, id";

int kb_project_memos(kb_memo_list **out, kb_project *p,
                     const kb_memo_about *about, const char *author,
                     kb_error *err)
{
    *out = NULL;
    const char *target = NULL;
    if (about) {
        if (!(target = kb_memo_target_name(about->target)))
            return kbi_fail_arg(err, KB_EINVAL, "about", "no memo target");
    }
    kb_memo_list *l = calloc(1, sizeof *l);
    if (!l)
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    sqlite3_stmt *st;
    int rc = kbi_store_prepare(p->db, &st, LIST_SQL, err);
    if (rc) {
        free(l);
        return rc;
    }
    if (target)
        sqlite3_bind_text(st, 1, target, -1, SQLITE_STATIC);
    if (about && about->name && about->target != KB_MEMO_CODING)
        sqlite3_bind_text(st, 2, about->name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(
        st, 3, about && about->target == KB_MEMO_CODING ? about->coding : 0);
    if (author)
        sqlite3_bind_text(st, 4, author, -1, SQLITE_STATIC);
    int fail = 0;
    while (!fail && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (KBI_GROW(&l->v, &l->cap, l->n + 1)) {
            fail = 1;
            break;
        }
        kb_memo_info *m = &l->v[l->n++];
        memset(m, 0, sizeof *m);
        m->id = sqlite3_column_int64(st, 0);
        const char *t = (const char *)sqlite3_column_text(st, 1);
        m->target = !strcmp(t, "project")    ? KB_MEMO_PROJECT
                    : !strcmp(t, "document") ? KB_MEMO_DOCUMENT
                    : !strcmp(t, "case")     ? KB_MEMO_CASE
                    : !strcmp(t, "coding")   ? KB_MEMO_CODING
                                             : KB_MEMO_CODE;
        if (m->target == KB_MEMO_CODE)
            m->kind = !strcmp(t, "concept") ? KB_CODE_CONCEPT
                      : !strcmp(t, "theme") ? KB_CODE_THEME
                                            : KB_CODE_DIMENSION;
        m->name = kbi_store_keep(&l->strings, st, 2, &fail);
        m->coding = sqlite3_column_int64(st, 3);
        if (sqlite3_column_type(st, 4) != SQLITE_NULL)
            m->code = kbi_store_keep(&l->strings, st, 4, &fail);
        m->author = kbi_store_keep(&l->strings, st, 5, &fail);
        m->created_at = kbi_store_keep(&l->strings, st, 6, &fail);
        m->changed_at = kbi_store_keep(&l->strings, st, 7, &fail);
        m->text = kbi_store_keep(&l->strings, st, 8, &fail);
    }
    sqlite3_finalize(st);
    if (fail || rc != SQLITE_DONE) {
        kb_memo_list_free(l);
        return fail ? kbi_fail(err, KB_ENOMEM, "out of memory")
                    : kbi_store_fail(err, p->db, "listing memos");
    }
    *out = l;
    return 0;
}

size_t kb_memo_list_count(const kb_memo_list *l)
{
    return l ? l->n : 0;
}

const kb_memo_info *kb_memo_list_get(const kb_memo_list *l, size_t i)
{
    return l && i < l->n ? &l->v[i] : NULL;
}

void kb_memo_list_free(kb_memo_list *l)
{
    if (!l)
        return;
    kbi_pool_free(&l->strings);
    free(l->v);
    free(l);
}
