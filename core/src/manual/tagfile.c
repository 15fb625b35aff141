/*
 * tagfile.c: manual codings as a tab-separated text file that diffs and
 * merges well in git (docs/manual.md, "Tags files").
 *
 * One header line, then one line per placed manual coding, sorted by
 * document, start, end, coder, kind, code and decision, so that the same
 * codings always give the same bytes. Fields escape backslash, tab, line
 * feed and carriage return as \\, \t, \n and \r. A line names the version it
 * was made on by the first 16 hex digits of the text's SHA-256, which is the
 * same in every project that imported the same transcript. Importing is one
 * transaction: the first bad line fails it with its line number. A file
 * written before the `featured` column was added reads as one whose codings
 * are not featured; featuring only adds, as importing does: a line that
 * features a coding the project has unfeatured features it, and one that
 * does not leaves the project's as it is.
 */
#include "base/error.h"
#include "base/grow.h"
#include "manual/manual.h"
#include "store/document.h"
#include "store/project.h"
#include "store/store.h"
#include "manual/tagfile.h"
#include "base/decode.h"
#include "base/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HASH_DIGITS 16

/* Files written before `featured` was added end with `memo`: the first
 * OLD_COLUMNS columns, the header OLDER. */
static const char *const COLUMNS[] = {
    "document", "text_sha256", "start",    "end",     "coder",
    "kind",     "code",        "decision", "segment", "facets",
    "quote",    "before",      "after",    "memo",    "featured"};
#define NCOLUMNS    (sizeof COLUMNS / sizeof COLUMNS[0])
#define OLD_COLUMNS (NCOLUMNS - 1)
static const char OLDER[] = "document\ttext_sha256\tstart\tend\tcoder\tkind\t"
                            "code\tdecision\tsegment\tfacets\tquote\tbefore\t"
                            "after\tmemo";
enum {
    F_DOCUMENT,
    F_HASH,
    F_START,
    F_END,
    F_CODER,
    F_KIND,
    F_CODE,
    F_DECISION,
    F_SEGMENT,
    F_FACETS,
    F_QUOTE,
    F_BEFORE,
    F_AFTER,
    F_MEMO,
    F_FEATURED
};

/* One field escaped, then a tab, or a line feed when it is the `last`. */
static void put_field(FILE *f, const char *s, int last)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '\\':
            fputs("\\\\", f);
            break;
        case '\t':
            fputs("\\t", f);
            break;
        case '\n':
            fputs("\\n", f);
            break;
        case '\r':
            fputs("\\r", f);
            break;
        default:
            fputc(*s, f);
        }
    }
    fputc(last ? '\n' : '\t', f);
}

void kbi_tagfile_put_line(FILE *f, const char *const *fields, size_t n)
{
    for (size_t k = 0; k < n; k++)
        put_field(f, fields[k], k + 1 == n);
}

int kb_tags_write(FILE *out, size_t *written, kb_project *p, const char *coder,
                  kb_error *err)
{
    return kbi_tagfile_write(p, coder, NULL, out, written, err);
}

int kbi_tagfile_write(kb_project *p, const char *coder, const char *document,
                      FILE *f, size_t *written, kb_error *err)
{
    kb_tag_list *l;
    int rc = kb_project_tags(&l, p, coder, err);
    if (rc)
        return rc;
    size_t n = 0;
    kbi_tagfile_put_line(f, COLUMNS, NCOLUMNS);
    for (size_t i = 0; i < kb_tag_list_count(l); i++) {
        const kb_tag_info *t = kb_tag_list_get(l, i);
        if (!t->placed || (document && strcmp(t->document, document)))
            continue; /* its version may be missing elsewhere */
        char hash[HASH_DIGITS + 1], start[24], end[24];
        snprintf(hash, sizeof hash, "%s", t->hash);
        snprintf(start, sizeof start, "%zu", t->start);
        snprintf(end, sizeof end, "%zu", t->end);
        const char *v[NCOLUMNS] = {t->document,
                                   hash,
                                   start,
                                   end,
                                   t->coder,
                                   kb_code_kind_name(t->kind),
                                   t->code,
                                   kb_decision_name(t->decision),
                                   t->segment ? kb_segment_kind_name(t->segment)
                                              : "",
                                   t->facets,
                                   t->quote,
                                   t->before,
                                   t->after,
                                   t->memo,
                                   t->featured ? "1" : "0"};
        kbi_tagfile_put_line(f, v, NCOLUMNS);
        n++;
    }
    kb_tag_list_free(l);
    if (ferror(f))
        return kbi_fail(err, KB_EIO, "writing the tags file failed");
    if (written)
        *written = n;
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Reading                                                                   */
/* ------------------------------------------------------------------------ */

typedef struct reader {
    kb_project *p;
    const char *path;
    int line;
    kb_error *err;
    kb_notice_fn notice;
    void *ctx;
    kb_tags_import_report *rep;
    kb_document *doc; /* the current version of the last document named */
    int64_t doc_id, vid;
    int old; /* the file has the header of OLDER */
} reader;

/* A bad line: KB_EFORMAT with the file and line number. */
#define BAD(r, ...)                                                            \
    kbi_fail_at((r)->err, KB_EFORMAT, (r)->path, (r)->line, 0, __VA_ARGS__)

int kbi_tagfile_split(char *s, char **fields, int max)
{
    int n = 0;
    char *out = s;
    fields[n++] = out;
    for (; *s; s++) {
        if (*s == '\t') {
            *out++ = '\0';
            if (n == max)
                return max + 1;
            fields[n++] = out;
        } else if (*s == '\\') {
            s++;
            char c = *s == '\\'  ? '\\'
                     : *s == 't' ? '\t'
                     : *s == 'n' ? '\n'
                     : *s == 'r' ? '\r'
                                 : 0;
            if (!c)
                return -1;
            *out++ = c;
        } else {
            *out++ = *s;
        }
    }
    *out = '\0';
    return n;
}

/* Loads the named document when it is not the one loaded. */
static int use_document(reader *r, const char *name)
{
    if (r->doc && !strcmp(kb_document_info(r->doc)->name, name))
        return 0;
    kb_document_free(r->doc);
    r->doc = NULL;
    kb_error e;
    if (kb_document_name_check(name, &e))
        return BAD(r,
                   "%s (a stored name that breaks the rule is put right "
                   "with `kb_document_rename`)",
                   e.message);
    if (kbi_document_load_kinds(&r->doc, r->p, name, 0, 0, &e))
        return e.code == KB_ENOENT ? BAD(r, "no document '%s'", name)
                                   : kbi_fail(r->err, e.code, "%s", e.message);
    sqlite3_stmt *st;
    int rc =
        kbi_store_prepare(r->p->db, &st,
                          "SELECT d.id, v.id FROM documents d JOIN versions"
                          " v ON v.document_id = d.id AND v.version ="
                          " d.current_version WHERE d.name = ?",
                          r->err);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        r->doc_id = sqlite3_column_int64(st, 0);
        r->vid = sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    return 0;
}

/* Which version of the document has text hash `hash` (a prefix): 1 the
 * current one, 0 an older one (its id in *old), -1 none. */
static int which_version(reader *r, const char *hash, int64_t *old)
{
    sqlite3_stmt *st;
    int found = -1;
    if (kbi_store_prepare(r->p->db, &st,
                          "SELECT id FROM versions WHERE document_id = ? AND"
                          " substr(hash, 1, ?) = ? ORDER BY version DESC",
                          r->err))
        return -2;
    sqlite3_bind_int64(st, 1, r->doc_id);
    sqlite3_bind_int(st, 2, HASH_DIGITS);
    sqlite3_bind_text(st, 3, hash, -1, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        if (id == r->vid) {
            found = 1;
            break;
        }
        if (found < 0) {
            *old = id;
            found = 0;
        }
    }
    sqlite3_finalize(st);
    return found;
}

/* The facets of a line as "facet=value" strings (into the line's memory). */
static int split_facets(reader *r, char *s, const char **out, size_t *n)
{
    *n = 0;
    for (char *save = NULL, *t = strtok_r(s, ";", &save); t;
         t = strtok_r(NULL, ";", &save)) {
        if (*n == 64)
            return BAD(r, "more than 64 facet values");
        out[(*n)++] = t;
    }
    return 0;
}

/* Orders "facet=value" strings by facet, then value, as listings do. */
static int by_facet(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    size_t nx = strcspn(x, "="), ny = strcspn(y, "=");
    int c = strncmp(x, y, nx < ny ? nx : ny);
    if (c || nx != ny)
        return c ? c : nx < ny ? -1 : 1;
    return strcmp(x + nx, y + ny);
}

/* The facets sorted, without repeats, joined by ';' (a new string). */
static char *join_facets(const char **facets, size_t n)
{
    kbi_sort(facets, n, sizeof *facets, by_facet);
    size_t len = 1;
    for (size_t i = 0; i < n; i++)
        len += strlen(facets[i]) + 1;
    char *s = malloc(len);
    if (!s)
        return NULL;
    s[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (i && !strcmp(facets[i], facets[i - 1]))
            continue;
        if (*s)
            strcat(s, ";");
        strcat(s, facets[i]);
    }
    return s;
}

/* 1 if the same coding is kept aside on the same version already, 0 if
 * not, -1 on failure. */
static int aside_already(reader *r, const kbi_manual_row *row)
{
    sqlite3_stmt *st;
    if (kbi_store_prepare(
            r->p->db, &st,
            "SELECT 1 FROM manual_codings WHERE version_id = ? AND"
            " coder = ? AND kind = ? AND code = ? AND start = ?"
            " AND \"end\" = ? AND NOT placed",
            r->err))
        return -1;
    sqlite3_bind_int64(st, 1, row->version_id);
    sqlite3_bind_text(st, 2, row->coder, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, row->kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, row->code, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, (int64_t)row->place.start);
    sqlite3_bind_int64(st, 6, (int64_t)row->place.end);
    int there = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return there;
}

/* The decision, memo and facets of an existing coding, compared with a
 * line's; 1 the same, 0 different, -1 no such coding. *id gets its id and
 * *featured its featuring. */
static int compare_existing(reader *r, const kbi_manual_row *row,
                            const char *facets, int64_t *id, int *featured)
{
    sqlite3_stmt *st;
    if (kbi_store_prepare(
            r->p->db, &st,
            "SELECT m.decision = ?7 AND m.memo = ?8 AND COALESCE((SELECT"
            " group_concat(f.facet || '=' || f.value, ';') FROM (SELECT *"
            " FROM manual_facets WHERE coding_id = m.id ORDER BY facet, value)"
            " f), '') = ?9, m.id, m.featured FROM manual_codings m WHERE"
            " m.version_id = ?1 AND"
            " m.coder = ?2 AND m.kind = ?3 AND m.code = ?4 AND m.start = ?5"
            " AND m.\"end\" = ?6 AND m.placed",
            r->err))
        return -2;
    sqlite3_bind_int64(st, 1, row->version_id);
    sqlite3_bind_text(st, 2, row->coder, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, row->kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, row->code, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, (int64_t)row->place.start);
    sqlite3_bind_int64(st, 6, (int64_t)row->place.end);
    sqlite3_bind_text(st, 7, row->decision, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 8, row->memo, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 9, facets, -1, SQLITE_STATIC);
    int same = -1;
    if (sqlite3_step(st) == SQLITE_ROW) {
        same = sqlite3_column_int(st, 0);
        *id = sqlite3_column_int64(st, 1);
        *featured = sqlite3_column_int(st, 2);
    }
    sqlite3_finalize(st);
    return same;
}

/* Features coding `id`, the same as a line that features it. */
static int feature_existing(reader *r, int64_t id)
{
    sqlite3_stmt *st;
    int rc = kbi_store_prepare(
        r->p->db, &st, "UPDATE manual_codings SET featured = 1 WHERE id = ?",
        r->err);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    rc = sqlite3_step(st) == SQLITE_DONE
             ? 0
             : kbi_store_fail(r->err, r->p->db, "importing tags");
    sqlite3_finalize(st);
    r->rep->featured += !rc;
    return rc;
}

static int import_line(reader *r, char *line)
{
    char *f[NCOLUMNS];
    int nf = kbi_tagfile_split(line, f, (int)NCOLUMNS);
    if (nf < 0)
        return BAD(r, "a backslash that is not \\\\, \\t, \\n or \\r");
    size_t width = r->old ? OLD_COLUMNS : NCOLUMNS;
    if (nf != (int)width)
        return BAD(r, "%d fields, want %zu", nf, width);
    const char *feat = width > F_FEATURED ? f[F_FEATURED] : "0";
    if (strcmp(feat, "0") && strcmp(feat, "1"))
        return BAD(r, "featured '%s' is not 0 or 1", feat);
    long long s0, s1;
    char *e1, *e2;
    s0 = strtoll(f[F_START], &e1, 10);
    s1 = strtoll(f[F_END], &e2, 10);
    if (!*f[F_START] || *e1 || !*f[F_END] || *e2 || s0 < 0 || s1 <= s0)
        return BAD(r, "bad span '%s:%s'", f[F_START], f[F_END]);
    kb_error e;
    char kind[16];
    if (kbi_manual_coder_check(f[F_CODER], NULL, &e))
        return BAD(r, "%s", e.message);
    if (kbi_manual_code_kind(r->p->db, f[F_CODE], kind, &e))
        return e.code == KB_ENORUN ? kbi_fail(r->err, e.code, "%s", e.message)
                                   : BAD(r, "%s", e.message);
    if (strcmp(kind, f[F_KIND]))
        return BAD(r, "'%s' is a %s in the codebook", f[F_CODE], kind);
    kb_decision dec = !strcmp(f[F_DECISION], "tag")      ? KB_DECISION_TAG
                      : !strcmp(f[F_DECISION], "accept") ? KB_DECISION_ACCEPT
                      : !strcmp(f[F_DECISION], "reject") ? KB_DECISION_REJECT
                                                         : 0;
    if (!dec)
        return BAD(r, "decision '%s' is not tag, accept or reject",
                   f[F_DECISION]);
    if (dec == KB_DECISION_REJECT && *feat == '1')
        return BAD(r, "a rejection cannot be featured");
    kb_segment_kind seg = kb_segment_kind_parse(f[F_SEGMENT]);
    if ((dec == KB_DECISION_TAG) != !*f[F_SEGMENT] || (*f[F_SEGMENT] && !seg))
        return BAD(r,
                   "segment '%s' (a kind for accept and reject, empty for "
                   "tag)",
                   f[F_SEGMENT]);
    char *facets_text = strdup(f[F_FACETS]);
    const char *facets[64];
    size_t nfacets = 0;
    if (!facets_text)
        return kbi_fail(r->err, KB_ENOMEM, "out of memory");
    int rc = split_facets(r, facets_text, facets, &nfacets);
    if (!rc && kbi_manual_facets_check(r->p->db, facets, nfacets, &e))
        rc = BAD(r, "%s", e.message);
    if (!rc)
        rc = use_document(r, f[F_DOCUMENT]);
    int64_t old = 0;
    int where = rc ? -2 : which_version(r, f[F_HASH], &old);
    if (!rc && where == -1)
        rc = BAD(r,
                 "document '%s' has no version with text hash %s (import the "
                 "transcript these tags were made on)",
                 f[F_DOCUMENT], f[F_HASH]);
    else if (!rc && where < -1)
        rc = r->err ? r->err->code : KB_EDB;
    if (rc) {
        free(facets_text);
        return rc;
    }
    size_t len;
    const char *text = kb_document_text(r->doc, &len);
    kbi_anchor given = {f[F_QUOTE], f[F_BEFORE], f[F_AFTER]}, a = {0};
    kbi_place pl = {0};
    int placed = 1;
    if (where == 1) { /* made on this very text: the span holds the quote */
        kb_where at = {
            .by = KB_AT_SPAN, .start = (size_t)s0, .end = (size_t)s1};
        if (kbi_place_find(&pl, r->doc, &at, &e))
            rc = BAD(r, "%s", e.message);
        else if (pl.bend - pl.bstart != strlen(f[F_QUOTE]) ||
                 memcmp(text + pl.bstart, f[F_QUOTE], pl.bend - pl.bstart))
            rc = BAD(r, "the quote is not the text at %s:%s", f[F_START],
                     f[F_END]);
    } else { /* made on an older version: find it again */
        size_t hint = kbi_utf8_offset(text, len, (size_t)s0);
        placed = kbi_anchor_place(&pl, text, len, &given, hint);
    }
    int64_t segment_id = 0;
    if (!rc && placed && seg &&
        (segment_id = kbi_manual_segment_at(r->doc, seg, pl.start, pl.end,
                                            r->err)) <= 0) {
        char span[48];
        snprintf(span, sizeof span, "%zu:%zu", pl.start, pl.end);
        rc = segment_id < 0 ? (r->err ? r->err->code : KB_EDB)
                            : BAD(r, "no %s at %s", f[F_SEGMENT], span);
    }
    if (!rc && placed)
        rc = kbi_anchor_make(&a, text, len, &pl, r->err);
    if (rc) {
        free(facets_text);
        return rc;
    }
    kbi_manual_row row = {.document_id = r->doc_id,
                          .version_id = placed ? r->vid : old,
                          .coder = f[F_CODER],
                          .kind = kind,
                          .code = f[F_CODE],
                          .decision = f[F_DECISION],
                          .memo = f[F_MEMO],
                          .place = pl,
                          .anchor = placed ? &a : &given,
                          .segment_kind = seg,
                          .segment_id = segment_id,
                          .facets = facets,
                          .nfacets = nfacets,
                          .featured = *feat == '1'};
    int64_t id;
    if (!placed) { /* kept aside on the version it was made on */
        row.place.start = (size_t)s0;
        row.place.end = (size_t)s1;
        int there = aside_already(r, &row);
        if (there < 0)
            rc = r->err ? r->err->code : KB_EDB;
        else if (there)
            ; /* kept aside by an earlier import of the same line */
        else if (!(rc = kbi_manual_insert(r->p->db, &row, &id, r->err))) {
            sqlite3_stmt *st;
            if (!(rc = kbi_store_prepare(r->p->db, &st,
                                         "UPDATE manual_codings SET placed = 0"
                                         " WHERE id = ?",
                                         r->err))) {
                sqlite3_bind_int64(st, 1, id);
                rc = sqlite3_step(st) == SQLITE_DONE
                         ? 0
                         : kbi_store_fail(r->err, r->p->db, "importing tags");
                sqlite3_finalize(st);
            }
        }
        if (!rc && r->notice) {
            char msg[800], ex[256];
            kbi_anchor_excerpt(ex, given.quote, strlen(given.quote));
            snprintf(msg, sizeof msg,
                     "%s:%d: %s's %s of '%s' (\"%s\") cannot be placed in "
                     "'%s' as it is now; kept aside",
                     r->path, r->line, f[F_CODER], f[F_DECISION], f[F_CODE], ex,
                     f[F_DOCUMENT]);
            r->notice(r->ctx, msg);
        }
        r->rep->unplaced += !rc;
    } else {
        char *sorted = join_facets(facets, nfacets);
        if (!sorted)
            rc = kbi_fail(r->err, KB_ENOMEM, "out of memory");
        int featured = 0;
        int same = rc ? -2 : compare_existing(r, &row, sorted, &id, &featured);
        if (same == 1 && row.featured && !featured) {
            rc = feature_existing(r, id);
        } else if (same == 1) {
            r->rep->same++;
        } else if (same == 0) {
            r->rep->conflicts++;
            if (r->notice) {
                char msg[800];
                snprintf(msg, sizeof msg,
                         "%s:%d: conflict: %s's %s of '%s' on '%s' %zu:%zu "
                         "differs from the project's (decision, memo or "
                         "facets); kept the project's",
                         r->path, r->line, f[F_CODER], f[F_DECISION], f[F_CODE],
                         f[F_DOCUMENT], pl.start, pl.end);
                r->notice(r->ctx, msg);
            }
        } else if (same == -1) {
            rc = kbi_manual_insert(r->p->db, &row, &id, r->err);
            r->rep->added += !rc;
        } else if (!rc) {
            rc = r->err ? r->err->code : KB_EDB;
        }
        free(sorted);
    }
    kbi_anchor_clear(&a);
    free(facets_text);
    return rc;
}

int kbi_tagfile_read(kb_project *p, const char *path, const char *what,
                     const char *const *columns, size_t ncolumns,
                     const char *older, int *old, int *lineno, size_t *lines,
                     kbi_tagfile_line_fn fn, void *ctx, kb_notice_fn notice,
                     void *notice_ctx, kb_error *err)
{
    char *text;
    size_t len;
    const char *enc;
    int rc = kbi_text_load(&text, &len, &enc, NULL, path, KBI_INPUT_TAGS,
                           notice, notice_ctx, err);
    if (rc)
        return rc;
    if ((rc = kbi_store_begin(p->db, err))) {
        free(text);
        return rc;
    }
    char header[256] = "";
    for (size_t k = 0; k < ncolumns; k++) {
        strcat(header, columns[k]);
        if (k + 1 < ncolumns)
            strcat(header, "\t");
    }
    *lineno = 0;
    char *line = text;
    for (char *nl; line && !rc; line = nl) {
        nl = strchr(line, '\n');
        if (nl)
            *nl++ = '\0';
        ++*lineno;
        if (!*line && !nl)
            break; /* the end of the last line */
        if (*lineno == 1) {
            int former = older && !strcmp(line, older);
            if (old)
                *old = former;
            if (strcmp(line, header) && !former)
                rc = kbi_fail_at(err, KB_EFORMAT, path, 1, 0,
                                 "not a kodbok %s file (the first line is "
                                 "not the header '%s<TAB>%s...')",
                                 what, columns[0], columns[1]);
            continue;
        }
        if (!*line)
            continue; /* blank lines are allowed */
        rc = fn(ctx, line);
        ++*lines;
    }
    if (!rc && *lineno == 0)
        rc = kbi_fail_at(err, KB_EFORMAT, path, 0, 0, "an empty file");
    free(text);
    if (!rc)
        rc = kbi_store_commit(p->db, err);
    if (rc)
        kbi_store_rollback(p->db);
    return rc;
}

static int tags_line(void *ctx, char *line)
{
    return import_line(ctx, line);
}

int kb_tags_import(kb_tags_import_report *out, kb_project *p, const char *path,
                   const kb_tags_import_options *opts, kb_error *err)
{
    kb_tags_import_options defaults = KB_TAGS_IMPORT_OPTIONS_INIT;
    if (!opts)
        opts = &defaults;
    if (opts->version != KB_TAGS_IMPORT_OPTIONS_VERSION)
        return kbi_fail(err, KB_EINVAL,
                        "tags import options of an unknown version");
    kb_tags_import_report rep = {0};
    reader r = {.p = p,
                .path = path,
                .err = err,
                .notice = opts->notice,
                .ctx = opts->ctx,
                .rep = &rep};
    int rc = kbi_tagfile_read(p, path, "tags", COLUMNS, NCOLUMNS, OLDER, &r.old,
                              &r.line, &rep.lines, tags_line, &r, opts->notice,
                              opts->ctx, err);
    kb_document_free(r.doc);
    if (!rc && out)
        *out = rep;
    return rc;
}
