/*
 * memolist.c: the project's memos read back (kb_project_memos): the rows of
 * table memos (on the project, documents, cases and codes) and the memos
 * of manual codings, in one list and one order: a code's memos as a whole
 * before its memos at facet values, those by the text of their
 * "facet=value". Writing them is
 * manual/memo.c's; this is here, below every reader, so that the report,
 * the slides and the REFI-QDA writer can show them.
 */
#include "store/memolist.h"
#include "base/error.h"
#include "base/grow.h"
#include "store/project.h"
#include "store/store.h"

#include <stdlib.h>
#include <string.h>

struct kb_memo_list {
    kb_memo_info *v;
    size_t n, cap;
    kbi_pool strings;
};

/* Table memos and the codings' memos as one list, in the listed order;
 * ?1 the target (a stored one, 'code' for any code, NULL for all), ?2 the
 * name, ?3 the coding, ?4 the author, ?5 the facet value (NULL for any). */
static const char LIST_SQL[] =
    "SELECT * FROM (SELECT id, target, name, NULL AS coding, NULL AS code,"
    " author, created_at, changed_at, text, at, CASE target WHEN 'project'"
    " THEN 1 WHEN 'document' THEN 2 WHEN 'case' THEN 3 WHEN 'dimension' THEN"
    " 4 WHEN 'theme' THEN 5 ELSE 6 END AS rank FROM memos"
    " WHERE (?1 IS NULL OR target = ?1 OR (?1 = 'code' AND target IN"
    " ('dimension', 'theme', 'concept'))) AND (?2 IS NULL OR name = ?2)"
    " UNION ALL SELECT 0, 'coding', d.name, m.id, m.code,"
    " COALESCE(m.memo_author, m.coder), COALESCE(m.memo_created_at,"
    " m.created_at), COALESCE(m.memo_changed_at, m.memo_created_at,"
    " m.created_at), m.memo, '', 7 FROM manual_codings m JOIN documents d ON"
    " d.id = m.document_id WHERE m.memo <> '' AND (?1 IS NULL OR ?1 ="
    " 'coding') AND (?3 = 0 OR m.id = ?3))"
    " WHERE (?4 IS NULL OR author = ?4) AND (?5 IS NULL OR at = ?5)"
    " ORDER BY rank, name, at, created_at, author, coding, id";

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
    if (about && about->at)
        sqlite3_bind_text(st, 5, about->at, -1, SQLITE_STATIC);
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
        m->at = kbi_store_keep(&l->strings, st, 9, &fail);
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
