/*
 * memofile.c: memos as a tab-separated text file that diffs and merges well
 * in git, beside the tags file (docs/manual.md, "Memos files").
 *
 * One header line, then one line per memo on the project, a document, a
 * case or a code, sorted by target, name, creation time and author, so that
 * the same memos always give the same bytes and a new journal entry is a
 * new line. Fields are escaped as in tags files (tagfile.c), so a
 * multi-line Markdown text is one line. A memo is known by its target,
 * name, author and creation time: importing is idempotent, and the same
 * memo with another text is a conflict that keeps the project's. Codings'
 * memos are not here: they travel with their codings in the tags file.
 * Importing is one transaction: the first bad line fails it with its line
 * number.
 */
#include "manual/memofile.h"
#include "base/error.h"
#include "manual/manual.h"
#include "manual/memo.h"
#include "manual/tagfile.h"
#include "store/project.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const COLUMNS[] = {"target",  "name",    "author",
                                      "created", "changed", "text"};
#define NCOLUMNS 6

int kb_memos_write(FILE *out, size_t *written, kb_project *p, kb_error *err)
{
    kb_memo_list *l;
    int rc = kb_project_memos(&l, p, NULL, NULL, err);
    if (rc)
        return rc;
    size_t n = 0;
    kbi_tagfile_put_line(out, COLUMNS, NCOLUMNS);
    for (size_t i = 0; i < kb_memo_list_count(l); i++) {
        const kb_memo_info *m = kb_memo_list_get(l, i);
        if (m->target == KB_MEMO_CODING)
            continue; /* in the tags file, with its coding */
        const char *v[NCOLUMNS] = {m->target == KB_MEMO_CODE
                                       ? kb_code_kind_name(m->kind)
                                       : kb_memo_target_name(m->target),
                                   m->name,
                                   m->author,
                                   m->created_at,
                                   m->changed_at,
                                   m->text};
        kbi_tagfile_put_line(out, v, NCOLUMNS);
        n++;
    }
    kb_memo_list_free(l);
    if (ferror(out))
        return kbi_fail(err, KB_EIO, "writing the memos file failed");
    if (written)
        *written = n;
    return 0;
}

typedef struct reader {
    kb_project *p;
    const char *path;
    int line;
    kb_error *err;
    const kb_memos_import_options *o;
    kb_memos_import_report *rep;
} reader;

#define BAD(r, ...)                                                            \
    kbi_fail_at((r)->err, KB_EFORMAT, (r)->path, (r)->line, 0, __VA_ARGS__)

static int import_line(reader *r, char *line)
{
    char *f[NCOLUMNS];
    int nf = kbi_tagfile_split(line, f, NCOLUMNS);
    if (nf < 0)
        return BAD(r, "a backslash that is not \\\\, \\t, \\n or \\r");
    if (nf != NCOLUMNS)
        return BAD(r, "%d fields, want %d", nf, NCOLUMNS);
    kb_error e;
    char stored[16];
    if (!strcmp(f[0], "code") || !strcmp(f[0], "coding"))
        return BAD(r,
                   "target '%s' (project, document, case, dimension, theme "
                   "or concept)",
                   f[0]);
    int rc = kbi_memo_target_check(r->p->db, f[0], f[1], stored, &e);
    if (rc)
        return rc == KB_ENORUN || rc == KB_EDB || rc == KB_ENOMEM
                   ? kbi_fail(r->err, rc, "%s", e.message)
                   : BAD(r, "%s", e.message);
    if (kbi_manual_coder_check(f[2], "author", &e))
        return BAD(r, "%s", e.message);
    if (!kbi_memo_time_ok(f[3]) || !kbi_memo_time_ok(f[4]) ||
        strcmp(f[4], f[3]) < 0)
        return BAD(r,
                   "bad times '%s', '%s' (created, then changed, as "
                   "2026-12-07T10:15:00.123Z)",
                   f[3], f[4]);
    char *text;
    if (kbi_memo_text(&text, f[5], &e))
        return BAD(r, "%s", e.message);
    rc = kbi_memo_put(r->p->db, f[0], f[1], f[2], f[3], f[4], text, r->err);
    free(text);
    if (rc < 0)
        return rc;
    r->rep->added += rc == 0;
    r->rep->same += rc == 1;
    r->rep->conflicts += rc == 2;
    if (rc == 2 && r->o->notice) {
        char msg[800];
        snprintf(msg, sizeof msg,
                 "%s:%d: conflict: %s's memo of %s on %s%s%s differs "
                 "from the project's; kept the project's",
                 r->path, r->line, f[2], f[3], f[0], *f[1] ? " " : "", f[1]);
        r->o->notice(r->o->ctx, msg);
    }
    return 0;
}

static int memos_line(void *ctx, char *line)
{
    return import_line(ctx, line);
}

int kb_memos_import(kb_memos_import_report *out, kb_project *p,
                    const char *path, const kb_memos_import_options *opts,
                    kb_error *err)
{
    kb_memos_import_options defaults = KB_MEMOS_IMPORT_OPTIONS_INIT;
    if (!opts)
        opts = &defaults;
    if (opts->version != KB_MEMOS_IMPORT_OPTIONS_VERSION)
        return kbi_fail(err, KB_EINVAL,
                        "memos import options of an unknown version");
    kb_memos_import_report rep = {0};
    reader r = {.p = p, .path = path, .err = err, .o = opts, .rep = &rep};
    int rc = kbi_tagfile_read(p, path, "memos", COLUMNS, NCOLUMNS, NCOLUMNS,
                              NULL, &r.line, &rep.lines, memos_line, &r,
                              opts->notice, opts->ctx, err);
    if (!rc && out)
        *out = rep;
    return rc;
}
