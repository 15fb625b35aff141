/*
 * misses.c: notices about concepts that match nothing and documents where
 * speaker-limited concepts cannot find anything.
 */
#include "coding/misses.h"
#include "base/error.h"
#include "base/utf8.h"
#include "codebook/codebook.h"

#include <stdio.h>
#include <string.h>

static void notice(kbi_run_ctx *c, const char *msg)
{
    if (c->o->notice)
        c->o->notice(c->o->ctx, msg);
}

int kbi_misses_unmatched(kbi_run_ctx *c)
{
    if (!c->ndocs)
        return 0;
    sqlite3_stmt *st;
    int rc = kbi_store_prepare(c->p->db, &st,
                               "SELECT EXISTS (SELECT 1 FROM coding_packs WHERE"
                               " concept = ? AND to_run IS NULL)",
                               c->err);
    const char *first = NULL;
    for (size_t i = 0; i < c->cb->n && !rc; i++) {
        const kb_code_info *ci = &c->cb->nodes[i].info;
        if (ci->kind != KB_CODE_CONCEPT || !ci->npatterns)
            continue;
        sqlite3_bind_text(st, 1, ci->id, -1, SQLITE_STATIC);
        int rs = sqlite3_step(st);
        int found = rs == SQLITE_ROW && sqlite3_column_int(st, 0);
        sqlite3_reset(st);
        if (rs != SQLITE_ROW) {
            rc = kbi_store_fail(c->err, c->p->db, "reading codings");
            break;
        }
        if (found)
            continue;
        char msg[600];
        snprintf(msg, sizeof msg,
                 "%s:%d: warning: concept '%s' matches nothing in any of the "
                 "%zu document%s",
                 c->cb->path, ci->line, ci->id, c->ndocs,
                 c->ndocs == 1 ? "" : "s");
        notice(c, msg);
        if (!c->sum->unmatched++)
            first = ci->id;
    }
    sqlite3_finalize(st);
    if (!rc && c->o->strict && c->sum->unmatched == 1)
        rc = kbi_fail(c->err, KB_EFORMAT,
                      "concept '%s' matches nothing in any document", first);
    else if (!rc && c->o->strict && c->sum->unmatched)
        rc = kbi_fail(c->err, KB_EFORMAT,
                      "%zu concepts match nothing in any document, '%s' first",
                      c->sum->unmatched, first);
    return rc;
}

/* How many concepts with patterns are limited to `who`; the first few
 * ids into buf, ", "-separated. */
static size_t limited_to(const kbi_run_ctx *c, kb_speakers who, char *buf,
                         size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < c->cb->n; i++) {
        const kb_code_info *ci = &c->cb->nodes[i].info;
        if (ci->kind == KB_CODE_CONCEPT && ci->npatterns &&
            ci->speakers == who && n++ < 3)
            kbi_name_list_add(buf, size, ci->id);
    }
    return n;
}

int kbi_misses_role_gaps(kbi_run_ctx *c)
{
    static const struct {
        kb_speakers who;
        const char *role, *plural;
    } roles[] = {{KB_SPEAKERS_RESPONDENTS, "respondent", "respondents"},
                 {KB_SPEAKERS_INTERVIEWERS, "interviewer", "interviewers"}};
    int rc = 0;
    for (size_t r = 0; r < 2 && !rc; r++) {
        char ids[300], concepts[400];
        size_t nc = limited_to(c, roles[r].who, ids, sizeof ids);
        if (!nc)
            continue;
        sqlite3_stmt *st;
        if ((rc = kbi_store_prepare(
                 c->p->db, &st,
                 "SELECT d.name FROM documents d JOIN versions v ON"
                 " v.document_id = d.id AND v.version = d.current_version"
                 " WHERE NOT EXISTS (SELECT 1 FROM speakers s WHERE"
                 " s.version_id = v.id AND s.role = ? AND s.turns > 0)"
                 " ORDER BY d.name",
                 c->err)))
            break;
        sqlite3_bind_text(st, 1, roles[r].role, -1, SQLITE_STATIC);
        char docs[300] = "";
        size_t n = 0;
        while (sqlite3_step(st) == SQLITE_ROW) {
            kbi_name_list_add(docs, sizeof docs,
                              (const char *)sqlite3_column_text(st, 0));
            n++;
        }
        sqlite3_finalize(st);
        if (!n)
            continue;
        c->sum->role_gaps += n;
        if (nc == 1)
            snprintf(concepts, sizeof concepts,
                     "concept '%s' (speakers: %s) finds", ids, roles[r].plural);
        else if (nc <= 3)
            snprintf(concepts, sizeof concepts,
                     "concepts %s (speakers: %s) find", ids, roles[r].plural);
        else
            snprintf(concepts, sizeof concepts,
                     "the %zu concepts with speakers: %s find", nc,
                     roles[r].plural);
        char msg[800];
        snprintf(msg, sizeof msg,
                 "warning: %s %s no %s turns: %s nothing there", docs,
                 n == 1 ? "has" : "have", roles[r].role, concepts);
        notice(c, msg);
    }
    return rc;
}
