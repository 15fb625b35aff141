/*
 * evaluate.c: the tables kodbok agree and kodbok eval are computed from,
 * built from the project's codings by the unit model of docs/agreement.md
 * ("In short"), and handed to agree.c.
 *
 * Columns are coders (agree) or the run and the gold coder (eval). Units are
 * the segments of one kind in the documents' current versions. A code's
 * rows are the units whose speaker its codebook rule admits (a theme: any of
 * its concepts'). A cell is 1 when a coding of the column's overlaps the
 * unit, 0 when not, and KB_MISSING in a document the column did not rate: a
 * coder rated a document when they have a manual coding (of any code, any
 * decision) on its current version; a run rated the documents whose current
 * version it covered. Tags and accepted quotes count as present; rejections
 * count only as having rated. agree also builds each code's table over tags
 * alone, and a table of review decisions (a row per automatic quote some
 * coder decided on, 1 accept, 0 reject), so that decisions on the same
 * suggestions are reported apart from independent coding. The codebook is
 * the one the run stored, read again, so every rule is as the codes were
 * made.
 */
#include "agree/evaluate.h"
#include "codebook/codebook.h"
#include "base/error.h"
#include "base/grow.h"
#include "manual/manual.h"
#include "store/document.h"
#include "store/project.h"
#include "store/store.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct unit {
    size_t start, end;
    size_t doc;
    kb_role role;
    const char *text; /* in the builder's pool */
} unit;

typedef struct mark {
    size_t code, unit, col;
    int accepted; /* an accepted automatic quote, not the coder's own tag */
} mark;

/* A review decision of a coder (column) on an automatic quote of concept
 * `node`, in code slot `code`: 1 accept, 0 reject. */
typedef struct decision {
    size_t code, node, doc, start, end, col;
    int value;
} decision;

typedef struct kbi_eval_builder {
    kb_project *p;
    kb_error *err;
    kb_codebook *cb;
    char *codebook_path; /* the run's codebook file, as the run recorded it */
    int64_t run;
    kb_segment_kind kind;
    kb_code_kind by;
    size_t ncols;
    const char *const *coders; /* column c's coder, or NULL for the run */
    /* codes: slot k is codebook node code_node[k] */
    size_t *code_node, ncodes;
    size_t *slot_of;      /* per node: its code slot, or KB_NO_INDEX */
    unsigned char *admit; /* per slot: bit 1 << role of speakers allowed */
    char **docs;          /* names, in order */
    unsigned char *rated; /* ndocs x ncols */
    size_t ndocs, capdocs, caprated;
    unit *units;
    size_t nunits, capunits;
    mark *marks;
    size_t nmarks, capmarks;
    decision *decisions;
    size_t ndecisions, capdecisions;
    size_t outside, not_counted; /* manual codings left out */
    kbi_pool strings;
} builder;

static void builder_free(builder *b)
{
    kb_codebook_free(b->cb);
    free(b->codebook_path);
    free(b->code_node);
    free(b->slot_of);
    free(b->admit);
    for (size_t i = 0; i < b->ndocs; i++)
        free(b->docs[i]);
    free(b->docs);
    free(b->rated);
    free(b->units);
    free(b->marks);
    free(b->decisions);
    kbi_pool_free(&b->strings);
}

static int oom(builder *b)
{
    return kbi_fail(b->err, KB_ENOMEM, "out of memory");
}

int kbi_eval_run_codebook(kb_codebook **cb, int64_t *id, char **path,
                          kb_project *p, int64_t run, kb_error *err)
{
    *cb = NULL;
    sqlite3_stmt *st;
    int rc = kbi_store_prepare(p->db, &st,
                               "SELECT id, codebook, codebook_path FROM runs "
                               "WHERE id = CASE WHEN ?1 = 0 THEN"
                               " (SELECT MAX(id) FROM runs) ELSE ?1 END",
                               err);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, run);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        return run ? kbi_fail(err, KB_ENOENT, "no run %lld", (long long)run)
                   : kbi_fail(err, KB_ENORUN, "no runs yet");
    }
    *id = sqlite3_column_int64(st, 0);
    const char *at = (const char *)sqlite3_column_text(st, 2);
    if (path && !(*path = strdup(at ? at : ""))) {
        sqlite3_finalize(st);
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    }
    char name[64];
    snprintf(name, sizeof name, "the codebook of run %lld", (long long)*id);
    rc = kbi_codebook_parse_run(cb, sqlite3_column_blob(st, 1),
                                (size_t)sqlite3_column_bytes(st, 1), name, err);
    sqlite3_finalize(st);
    return rc;
}

/* The run (0: the last) and its codebook, read from the run's copy. */
static int load_codebook(builder *b, int64_t run)
{
    return kbi_eval_run_codebook(&b->cb, &b->run, &b->codebook_path, b->p, run,
                                 b->err);
}

static unsigned char role_bits(kb_speakers s)
{
    switch (s) {
    case KB_SPEAKERS_RESPONDENTS:
        return 1u << KB_ROLE_RESPONDENT;
    case KB_SPEAKERS_INTERVIEWERS:
        return 1u << KB_ROLE_INTERVIEWER;
    case KB_SPEAKERS_ALL:
        break;
    }
    return (1u << KB_ROLE_NONE) | (1u << KB_ROLE_RESPONDENT) |
           (1u << KB_ROLE_INTERVIEWER);
}

/* The codes: concepts, or themes; each concept's slot is its own or its
 * theme's, and each slot admits its concepts' speakers. */
static int set_codes(builder *b)
{
    size_t n = kb_codebook_count(b->cb);
    b->code_node = malloc((n ? n : 1) * sizeof *b->code_node);
    b->slot_of = malloc((n ? n : 1) * sizeof *b->slot_of);
    b->admit = calloc(n ? n : 1, 1);
    if (!b->code_node || !b->slot_of || !b->admit)
        return oom(b);
    for (size_t i = 0; i < n; i++) {
        b->slot_of[i] = KB_NO_INDEX;
        if (kb_codebook_get(b->cb, i)->kind == b->by)
            b->code_node[b->slot_of[i] = b->ncodes++] = i;
    }
    for (size_t i = 0; i < n; i++) {
        const kb_code_info *ci = kb_codebook_get(b->cb, i);
        if (ci->kind != KB_CODE_CONCEPT)
            continue;
        size_t k =
            b->by == KB_CODE_CONCEPT ? b->slot_of[i] : b->slot_of[ci->parent];
        b->slot_of[i] = k;
        b->admit[k] |= role_bits(ci->speakers);
    }
    return 0;
}

/* Marks the units of document `doc` (units [u0, u1)) that [s, e) overlaps
 * and code slot k admits; returns how many. */
static size_t mark_span(builder *b, size_t k, size_t col, int accepted,
                        size_t u0, size_t u1, size_t s, size_t e, int *fail)
{
    size_t lo = u0, hi = u1, n = 0;
    while (lo < hi) { /* the first unit ending after s */
        size_t mid = lo + (hi - lo) / 2;
        if (b->units[mid].end <= s)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t u = lo; u < u1 && b->units[u].start < e; u++) {
        if (!(b->admit[k] >> b->units[u].role & 1))
            continue;
        if (KBI_GROW(&b->marks, &b->capmarks, b->nmarks + 1)) {
            *fail = 1;
            return n;
        }
        b->marks[b->nmarks++] = (mark){k, u, col, accepted};
        n++;
    }
    return n;
}

/* The column of a coder, or KB_NO_INDEX. */
static size_t column_of(const builder *b, const char *coder)
{
    for (size_t c = 0; c < b->ncols; c++)
        if (b->coders[c] && !strcmp(b->coders[c], coder))
            return c;
    return KB_NO_INDEX;
}

/* The manual codings of the coders on version `vid` of document d. */
static int manual_marks(builder *b, size_t d, int64_t vid, size_t u0, size_t u1)
{
    sqlite3_stmt *st;
    int rc = kbi_store_prepare(b->p->db, &st,
                               "SELECT coder, kind, code, decision, start,"
                               " \"end\" FROM manual_codings WHERE version_id ="
                               " ? AND placed",
                               b->err);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, vid);
    int fail = 0;
    while (!fail && sqlite3_step(st) == SQLITE_ROW) {
        size_t c = column_of(b, (const char *)sqlite3_column_text(st, 0));
        if (c == KB_NO_INDEX)
            continue;
        b->rated[d * b->ncols + c] = 1;
        const char *dec = (const char *)sqlite3_column_text(st, 3);
        int reject = !strcmp(dec, "reject"), accept = !strcmp(dec, "accept");
        const char *kind = (const char *)sqlite3_column_text(st, 1);
        const char *code = (const char *)sqlite3_column_text(st, 2);
        kb_code_kind ck = !strcmp(kind, "concept") ? KB_CODE_CONCEPT
                          : !strcmp(kind, "theme") ? KB_CODE_THEME
                                                   : KB_CODE_DIMENSION;
        size_t node = kb_codebook_find(b->cb, ck, code);
        size_t k = node == KB_NO_INDEX || ck == KB_CODE_DIMENSION ||
                           (ck == KB_CODE_THEME && b->by != KB_CODE_THEME)
                       ? KB_NO_INDEX
                       : b->slot_of[node];
        size_t s = (size_t)sqlite3_column_int64(st, 4),
               e = (size_t)sqlite3_column_int64(st, 5);
        if (k != KB_NO_INDEX && (accept || reject)) {
            if (KBI_GROW(&b->decisions, &b->capdecisions, b->ndecisions + 1)) {
                fail = 1;
                break;
            }
            b->decisions[b->ndecisions++] =
                (decision){k, node, d, s, e, c, accept};
        }
        if (reject)
            continue;
        if (k == KB_NO_INDEX) {
            b->not_counted++;
            continue;
        }
        if (!mark_span(b, k, c, accept, u0, u1, s, e, &fail))
            b->outside++;
    }
    sqlite3_finalize(st);
    return fail ? oom(b) : 0;
}

/* The run's codings (alive at it, rejected or not) on version `vid`. */
static int run_marks(builder *b, kb_document *doc, int64_t vid, size_t u0,
                     size_t u1)
{
    sqlite3_stmt *st;
    int rc = kbi_store_prepare(b->p->db, &st,
                               "SELECT concept, segment_id FROM codings WHERE"
                               " version_id = ?1 AND from_run <= ?2 AND (to_run"
                               " IS NULL OR to_run >= ?2)",
                               b->err);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, vid);
    sqlite3_bind_int64(st, 2, b->run);
    int fail = 0;
    while (!fail && !rc && sqlite3_step(st) == SQLITE_ROW) {
        size_t node = kb_codebook_find(
            b->cb, KB_CODE_CONCEPT, (const char *)sqlite3_column_text(st, 0));
        if (node == KB_NO_INDEX)
            continue;
        size_t seq;
        kb_segment_kind kind =
            kbi_document_locate(doc, sqlite3_column_int64(st, 1), &seq);
        const kb_segment *s = NULL;
        if (kind && !(rc = kbi_document_need(doc, kind, b->err)))
            s = kb_document_segment(doc, kind, seq);
        if (s)
            mark_span(b, b->slot_of[node], 0, 0, u0, u1, s->start, s->end,
                      &fail);
    }
    sqlite3_finalize(st);
    return rc ? rc : fail ? oom(b) : 0;
}

/* Every document's units and marks. With `run_col`, column 0 is the run,
 * which rated the documents whose current version it covered; the others
 * are left out with a notice. */
static int gather(builder *b, int run_col, kb_notice_fn notice, void *ctx)
{
    sqlite3_stmt *st;
    int rc = kbi_store_prepare(
        b->p->db, &st,
        "SELECT d.name, v.id, EXISTS (SELECT 1 FROM run_versions r WHERE"
        " r.run_id = ?1 AND r.version_id = v.id) FROM documents d JOIN"
        " versions v ON v.document_id = d.id AND v.version ="
        " d.current_version ORDER BY d.name",
        b->err);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, b->run);
    while (!rc && sqlite3_step(st) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        int64_t vid = sqlite3_column_int64(st, 1);
        if (run_col && !sqlite3_column_int(st, 2)) {
            if (notice) {
                char msg[300];
                snprintf(msg, sizeof msg,
                         "%s: run %lld did not code its current version: left "
                         "out (code the project again)",
                         name, (long long)b->run);
                notice(ctx, msg);
            }
            continue;
        }
        kb_document *doc;
        if ((rc = kbi_document_load_kinds(&doc, b->p, name, 0,
                                          KBI_KIND_BIT(b->kind), b->err)))
            break;
        size_t d = b->ndocs, u0 = b->nunits,
               n = kb_document_segment_count(doc, b->kind);
        int fail = KBI_GROW(&b->docs, &b->capdocs, d + 1) ||
                   kbi_grow(&b->rated, &b->caprated, (d + 1) * b->ncols, 1) ||
                   KBI_GROW(&b->units, &b->capunits, u0 + n + 1);
        if (!fail && !(b->docs[d] = strdup(name)))
            fail = 1;
        if (!fail) {
            b->ndocs++;
            memset(b->rated + d * b->ncols, 0, b->ncols);
            b->rated[d * b->ncols] |= (unsigned char)run_col;
        }
        for (size_t i = 0; i < n && !fail; i++) {
            const kb_segment *s = kb_document_segment(doc, b->kind, i);
            unit *u = &b->units[b->nunits++];
            u->start = s->start;
            u->end = s->end;
            u->doc = d;
            u->role = s->role;
            u->text =
                kbi_pool_own(&b->strings, strndup(s->text, s->text_len), &fail);
        }
        if (fail)
            rc = oom(b);
        if (!rc)
            rc = manual_marks(b, d, vid, u0, b->nunits);
        if (!rc && run_col)
            rc = run_marks(b, doc, vid, u0, b->nunits);
        kbi_document_recycle(doc, b->p);
    }
    sqlite3_finalize(st);
    return rc;
}

static int by_code(const void *x, const void *y)
{
    const mark *a = x, *b = y;
    if (a->code != b->code)
        return a->code < b->code ? -1 : 1;
    if (a->unit != b->unit)
        return a->unit < b->unit ? -1 : 1;
    return (a->col > b->col) - (a->col < b->col);
}

/*
 * The table of code slot k into values (rows x ncols) and its units' index
 * into rows_unit; *rows is its row count. `cells` has room for nunits x
 * ncols, `rows_unit` for nunits. Marks must be sorted by code; *m is the
 * first mark of k and is moved past them. With `tags_only`, accepted
 * automatic quotes do not mark a unit present.
 */
static void table_of(const builder *b, size_t k, size_t *m, int tags_only,
                     int *cells, size_t *rows_unit, size_t *rows)
{
    size_t r = 0, at = *m;
    for (size_t u = 0; u < b->nunits; u++) {
        const unit *un = &b->units[u];
        if (!(b->admit[k] >> un->role & 1))
            continue;
        for (size_t c = 0; c < b->ncols; c++)
            cells[r * b->ncols + c] =
                b->rated[un->doc * b->ncols + c] ? 0 : KB_MISSING;
        while (at < b->nmarks && b->marks[at].code == k &&
               b->marks[at].unit == u) {
            int *cell = &cells[r * b->ncols + b->marks[at].col];
            if (*cell == 0 && !(tags_only && b->marks[at].accepted))
                *cell = 1;
            at++;
        }
        rows_unit[r++] = u;
    }
    *m = at;
    *rows = r;
}

/* Builds everything up to the tables: codebook, codes, units, marks, and
 * the notices about what was left out. */
static int build(builder *b, int64_t run, kb_segment_kind unit_kind,
                 kb_code_kind by, int run_col, kb_notice_fn notice, void *ctx)
{
    b->kind = unit_kind ? unit_kind : KB_SEG_SENTENCE;
    b->by = by ? by : KB_CODE_CONCEPT;
    if (!kb_segment_kind_name(b->kind))
        return kbi_fail(b->err, KB_EINVAL, "no such unit kind");
    if (b->by != KB_CODE_CONCEPT && b->by != KB_CODE_THEME)
        return kbi_fail(b->err, KB_EINVAL, "codes are by concept or by theme");
    int rc;
    if ((rc = load_codebook(b, run)) || (rc = set_codes(b)) ||
        (rc = gather(b, run_col, notice, ctx)))
        return rc;
    kbi_sort(b->marks, b->nmarks, sizeof *b->marks, by_code);
    if (!notice)
        return 0;
    char msg[1200];
    for (size_t c = (size_t)run_col; c < b->ncols; c++) {
        size_t len = 0, missing = 0;
        len += (size_t)snprintf(msg, sizeof msg, "%s: no manual codings in",
                                b->coders[c]);
        for (size_t d = 0; d < b->ndocs; d++)
            if (!b->rated[d * b->ncols + c] && len < sizeof msg - 200) {
                len += (size_t)snprintf(msg + len, sizeof msg - len, "%s %s",
                                        missing ? "," : "", b->docs[d]);
                missing++;
            }
        if (missing) {
            snprintf(msg + len, sizeof msg - len, ": counted as not rated");
            notice(ctx, msg);
        }
    }
    if (b->outside) {
        snprintf(msg, sizeof msg,
                 "%zu manual %s only on %ss their code cannot apply to "
                 "(other speakers): left out",
                 b->outside, b->outside == 1 ? "coding lies" : "codings lie",
                 kb_segment_kind_name(b->kind));
        notice(ctx, msg);
    }
    if (b->not_counted) {
        snprintf(msg, sizeof msg,
                 "%zu manual %s of %s, or of codes the run's codebook "
                 "lacks, %s not counted by %s",
                 b->not_counted, b->not_counted == 1 ? "coding" : "codings",
                 b->by == KB_CODE_THEME ? "dimensions" : "themes or dimensions",
                 b->not_counted == 1 ? "is" : "are", kb_code_kind_name(b->by));
        notice(ctx, msg);
    }
    sqlite3_stmt *st;
    if ((rc = kbi_store_prepare(b->p->db, &st,
                                "SELECT coder, COUNT(*) FROM manual_codings"
                                " WHERE NOT placed GROUP BY coder ORDER BY"
                                " coder",
                                b->err)))
        return rc;
    while (sqlite3_step(st) == SQLITE_ROW)
        if (column_of(b, (const char *)sqlite3_column_text(st, 0)) !=
            KB_NO_INDEX) {
            snprintf(msg, sizeof msg,
                     "%s: %lld manual codings kept aside (not placed after a "
                     "re-import) are left out",
                     (const char *)sqlite3_column_text(st, 0),
                     (long long)sqlite3_column_int64(st, 1));
            notice(ctx, msg);
        }
    sqlite3_finalize(st);
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Agreement                                                                 */
/* ------------------------------------------------------------------------ */

struct kb_agree_report {
    kb_code_agreement *v;
    size_t n;
    kb_code_agreement overall;
    kb_agree_disagreement *dis;
    size_t ndis, capdis;
    builder b; /* labels and ids are the codebook's; texts in its pool */
};

static int check_coders(kb_project *p, const char *const *coders, size_t n,
                        const char *argument, kb_error *err)
{
    for (size_t i = 0; i < n; i++) {
        int rc;
        if ((rc = kbi_manual_coder_check(coders[i], argument, err)) ||
            (rc = kbi_manual_coder_known(p->db, coders[i], err)))
            return rc;
        for (size_t j = 0; j < i; j++)
            if (!strcmp(coders[i], coders[j]))
                return kbi_fail(err, KB_EINVAL, "coder '%s' named twice",
                                coders[i]);
    }
    return 0;
}

/* Decisions in quote order: code, document, span, concept, column. */
static int by_quote(const void *x, const void *y)
{
    const decision *a = x, *b = y;
    size_t ka[] = {a->code, a->doc, a->start, a->end, a->node, a->col};
    size_t kb[] = {b->code, b->doc, b->start, b->end, b->node, b->col};
    for (size_t i = 0; i < 6; i++)
        if (ka[i] != kb[i])
            return ka[i] < kb[i] ? -1 : 1;
    return 0;
}

/*
 * The review table of code slot k into cells (room for ndecisions x
 * ncols): a row per automatic quote some coder decided on, 1 where the
 * coder accepted it, 0 where they rejected it, KB_MISSING where they did
 * not decide. Decisions must be sorted by by_quote; *dd is the first of k
 * and is moved past them. Returns the row count.
 */
static size_t review_table(const builder *b, size_t k, size_t *dd, int *cells)
{
    size_t r = 0, i = *dd;
    while (i < b->ndecisions && b->decisions[i].code == k) {
        const decision *q = &b->decisions[i];
        for (size_t c = 0; c < b->ncols; c++)
            cells[r * b->ncols + c] = KB_MISSING;
        for (; i < b->ndecisions && b->decisions[i].code == k &&
               b->decisions[i].doc == q->doc &&
               b->decisions[i].start == q->start &&
               b->decisions[i].end == q->end && b->decisions[i].node == q->node;
             i++)
            cells[r * b->ncols + b->decisions[i].col] = b->decisions[i].value;
        r++;
    }
    *dd = i;
    return r;
}

/* Rows some column marked 1. */
static size_t present_rows(const int *cells, size_t rows, size_t ncols)
{
    size_t n = 0;
    for (size_t i = 0; i < rows; i++)
        for (size_t c = 0; c < ncols; c++)
            if (cells[i * ncols + c] == 1) {
                n++;
                break;
            }
    return n;
}

/*
 * Adds the rows of a code's table (rows x ncols, its units in rows_unit)
 * where the coders who rated the unit differ to the report's
 * disagreements, naming the coders who marked it present.
 */
static int disagreements(kb_agree_report *r, const kb_code_agreement *a,
                         const int *cells, const size_t *rows_unit, size_t rows)
{
    builder *b = &r->b;
    for (size_t i = 0; i < rows; i++) {
        const int *row = cells + i * b->ncols;
        size_t yes = 0, no = 0, len = 0;
        for (size_t c = 0; c < b->ncols; c++) {
            yes += row[c] == 1;
            no += row[c] == 0;
            len += row[c] == 1 ? strlen(b->coders[c]) + 1 : 0;
        }
        if (!yes || !no)
            continue;
        int fail = KBI_GROW(&r->dis, &r->capdis, r->ndis + 1);
        char *by = fail ? NULL : kbi_pool_own(&b->strings, malloc(len), &fail);
        if (fail || !by)
            return oom(b);
        by[0] = '\0';
        for (size_t c = 0; c < b->ncols; c++)
            if (row[c] == 1) {
                if (*by)
                    strcat(by, ",");
                strcat(by, b->coders[c]);
            }
        const unit *u = &b->units[rows_unit[i]];
        r->dis[r->ndis++] = (kb_agree_disagreement){
            a->code, a->label, b->docs[u->doc], u->start, u->end, u->text, by};
    }
    return 0;
}

/* The three kinds of tables agree reports, each per code and pooled. */
enum { ALL, TAGS, REVIEW, NTABLES };

/* Adds a table to its code's and the pooled reliability data, and fills
 * the code's figures of that kind. */
static int agree_add(kb_code_agreement *a, int kind, kb_reliability *pooled,
                     const int *cells, size_t rows, size_t ncols, kb_error *err)
{
    kb_reliability *one;
    int rc;
    if ((rc = kb_reliability_new(&one, ncols, err)) ||
        (rc = kb_reliability_add(one, cells, rows, err)) ||
        (rc = kb_reliability_add(pooled, cells, rows, err))) {
        kb_reliability_free(one);
        return rc;
    }
    size_t present = present_rows(cells, rows, ncols);
    double positive = kb_reliability_specific(one, 1);
    if (kind == ALL) {
        kb_reliability_agreement(&a->a, one);
        a->present = present;
        a->positive = positive;
    } else if (kind == TAGS) {
        kb_reliability_agreement(&a->tags, one);
        a->tags_present = present;
        a->tags_positive = positive;
    } else {
        kb_reliability_agreement(&a->review, one);
        a->accepted = present;
    }
    kb_reliability_free(one);
    return 0;
}

int kb_project_agree(kb_agree_report **out, kb_project *p,
                     const kb_agree_options *o, kb_error *err)
{
    *out = NULL;
    if (!o || o->version != KB_AGREE_OPTIONS_VERSION)
        return kbi_fail(err, KB_EINVAL, "agree options of an unknown version");
    if (o->ncoders < 2)
        return kbi_fail(err, KB_EINVAL, "agreement needs two coders or more");
    int rc = check_coders(p, o->coders, o->ncoders, "coders", err);
    if (rc)
        return rc;
    kb_agree_report *r = calloc(1, sizeof *r);
    if (!r)
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    builder *b = &r->b;
    *b =
        (builder){.p = p, .err = err, .ncols = o->ncoders, .coders = o->coders};
    int *cells = NULL;
    size_t *rows_unit = NULL;
    kb_reliability *pooled[NTABLES] = {NULL};
    if ((rc = build(b, 0, o->unit, o->by, 0, o->notice, o->ctx)))
        goto fail;
    if (b->ndecisions)
        kbi_sort(b->decisions, b->ndecisions, sizeof *b->decisions, by_quote);
    size_t most = b->nunits > b->ndecisions ? b->nunits : b->ndecisions;
    cells = malloc((most ? most : 1) * b->ncols * sizeof *cells);
    rows_unit = malloc((b->nunits ? b->nunits : 1) * sizeof *rows_unit);
    r->v = calloc(b->ncodes ? b->ncodes : 1, sizeof *r->v);
    if (!cells || !rows_unit || !r->v) {
        rc = oom(b);
        goto fail;
    }
    for (int t = 0; t < NTABLES && !rc; t++)
        rc = kb_reliability_new(&pooled[t], b->ncols, err);
    size_t m = 0, dd = 0;
    for (size_t k = 0; k < b->ncodes && !rc; k++) {
        int marked = m < b->nmarks && b->marks[m].code == k;
        int decided = dd < b->ndecisions && b->decisions[dd].code == k;
        if (!marked && !decided)
            continue; /* no coder used it */
        kb_code_agreement *a = &r->v[r->n++];
        const kb_code_info *ci = kb_codebook_get(b->cb, b->code_node[k]);
        a->code = ci->id;
        a->label = ci->label;
        size_t rows, from = m;
        for (int t = ALL; t <= TAGS && !rc; t++) {
            m = from;
            table_of(b, k, &m, t == TAGS, cells, rows_unit, &rows);
            rc = agree_add(a, t, pooled[t], cells, rows, b->ncols, err);
            if (!rc && t == ALL)
                rc = disagreements(r, a, cells, rows_unit, rows);
        }
        rows = review_table(b, k, &dd, cells);
        if (!rc)
            rc = agree_add(a, REVIEW, pooled[REVIEW], cells, rows, b->ncols,
                           err);
        r->overall.present += a->present;
        r->overall.tags_present += a->tags_present;
        r->overall.accepted += a->accepted;
    }
    if (rc)
        goto fail;
    kb_code_agreement *ov = &r->overall;
    kb_reliability_agreement(&ov->a, pooled[ALL]);
    ov->positive = kb_reliability_specific(pooled[ALL], 1);
    kb_reliability_agreement(&ov->tags, pooled[TAGS]);
    ov->tags_positive = kb_reliability_specific(pooled[TAGS], 1);
    kb_reliability_agreement(&ov->review, pooled[REVIEW]);
    for (int t = 0; t < NTABLES; t++)
        kb_reliability_free(pooled[t]);
    free(cells);
    free(rows_unit);
    b->err = NULL;
    *out = r;
    return 0;
fail:
    for (int t = 0; t < NTABLES; t++)
        kb_reliability_free(pooled[t]);
    free(cells);
    free(rows_unit);
    kb_agree_report_free(r);
    return rc;
}

size_t kb_agree_report_count(const kb_agree_report *r)
{
    return r ? r->n : 0;
}

const kb_code_agreement *kb_agree_report_get(const kb_agree_report *r, size_t i)
{
    return r && i < r->n ? &r->v[i] : NULL;
}

const kb_code_agreement *kb_agree_report_overall(const kb_agree_report *r)
{
    return r ? &r->overall : NULL;
}

size_t kb_agree_report_disagreement_count(const kb_agree_report *r)
{
    return r ? r->ndis : 0;
}

const kb_agree_disagreement *
kb_agree_report_disagreement(const kb_agree_report *r, size_t i)
{
    return r && i < r->ndis ? &r->dis[i] : NULL;
}

void kb_agree_report_free(kb_agree_report *r)
{
    if (!r)
        return;
    builder_free(&r->b);
    free(r->dis);
    free(r->v);
    free(r);
}

/* ------------------------------------------------------------------------ */
/* Evaluation                                                                */
/* ------------------------------------------------------------------------ */

struct kb_eval_report {
    kb_code_eval *v;
    size_t n;
    kb_code_eval overall;
    kb_eval_passage *pass;
    size_t npass, cappass;
    const char *coders[2];
    char *gold; /* a copy of the options' */
    builder b;
};

int kb_project_eval(kb_eval_report **out, kb_project *p,
                    const kb_eval_options *o, kb_error *err)
{
    *out = NULL;
    if (!o || o->version != KB_EVAL_OPTIONS_VERSION)
        return kbi_fail(err, KB_EINVAL, "eval options of an unknown version");
    int rc = check_coders(p, &o->gold, 1, "gold", err);
    if (rc)
        return rc;
    kb_eval_report *r = calloc(1, sizeof *r);
    if (!r)
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    if (!(r->gold = strdup(o->gold))) {
        free(r);
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    }
    r->coders[1] = r->gold;
    builder *b = &r->b;
    *b = (builder){.p = p, .err = err, .ncols = 2, .coders = r->coders};
    int *cells = NULL;
    size_t *rows_unit = NULL, tp = 0, fp = 0, fn = 0;
    if ((rc = build(b, o->run, o->unit, o->by, 1, o->notice, o->ctx)))
        goto fail;
    cells = malloc((b->nunits ? b->nunits : 1) * 2 * sizeof *cells);
    rows_unit = malloc((b->nunits ? b->nunits : 1) * sizeof *rows_unit);
    r->v = calloc(b->ncodes ? b->ncodes : 1, sizeof *r->v);
    if (!cells || !rows_unit || !r->v) {
        rc = oom(b);
        goto fail;
    }
    size_t m = 0;
    for (size_t k = 0; k < b->ncodes && !rc; k++) {
        if (m == b->nmarks || b->marks[m].code != k)
            continue; /* neither side used it */
        size_t rows, t = 0, f = 0, g = 0;
        table_of(b, k, &m, 0, cells, rows_unit, &rows);
        const kb_code_info *ci = kb_codebook_get(b->cb, b->code_node[k]);
        for (size_t i = 0; i < rows; i++) {
            int run = cells[2 * i], gold = cells[2 * i + 1];
            if (run == KB_MISSING || gold == KB_MISSING || run + gold == 0)
                continue;
            t += run && gold;
            f += run && !gold;
            g += gold && !run;
            if (run && gold)
                continue;
            if (KBI_GROW(&r->pass, &r->cappass, r->npass + 1)) {
                rc = oom(b);
                break;
            }
            const unit *u = &b->units[rows_unit[i]];
            r->pass[r->npass++] = (kb_eval_passage){
                run != 0, ci->id, b->docs[u->doc], u->start, u->end, u->text};
        }
        if (!t && !f && !g)
            continue; /* used only where the gold coder did not rate */
        kb_code_eval *e = &r->v[r->n++];
        e->code = ci->id;
        e->label = ci->label;
        kb_eval_compute(&e->s, t, f, g);
        tp += t;
        fp += f;
        fn += g;
    }
    if (rc)
        goto fail;
    kb_eval_compute(&r->overall.s, tp, fp, fn);
    free(cells);
    free(rows_unit);
    b->err = NULL;
    *out = r;
    return 0;
fail:
    free(cells);
    free(rows_unit);
    kb_eval_report_free(r);
    return rc;
}

size_t kb_eval_report_count(const kb_eval_report *r)
{
    return r ? r->n : 0;
}

const kb_code_eval *kb_eval_report_get(const kb_eval_report *r, size_t i)
{
    return r && i < r->n ? &r->v[i] : NULL;
}

const kb_code_eval *kb_eval_report_overall(const kb_eval_report *r)
{
    return r ? &r->overall : NULL;
}

int64_t kb_eval_report_run(const kb_eval_report *r)
{
    return r ? r->b.run : 0;
}

size_t kb_eval_report_passage_count(const kb_eval_report *r)
{
    return r ? r->npass : 0;
}

const kb_eval_passage *kb_eval_report_passage(const kb_eval_report *r, size_t i)
{
    return r && i < r->npass ? &r->pass[i] : NULL;
}

void kbi_eval_report_about(const kb_eval_report *r, kbi_eval_about *out)
{
    out->gold = r->gold;
    out->unit = r->b.kind;
    out->by = r->b.by;
    out->codebook_path = r->b.codebook_path;
    out->codebook_hash = kb_codebook_hash(r->b.cb);
}

void kb_eval_report_free(kb_eval_report *r)
{
    if (!r)
        return;
    builder_free(&r->b);
    free(r->gold);
    free(r->v);
    free(r->pass);
    free(r);
}

/* ------------------------------------------------------------------------ */
/* One concept's units against one coder                                     */
/* ------------------------------------------------------------------------ */

int kbi_eval_unknown_concept(const kb_codebook *cb, const char *concept,
                             kb_error *err)
{
    const char *near = kbi_codebook_near_concept(cb, concept);
    if (near)
        return kbi_fail_arg(err, KB_ENOENT, "concept",
                            "no concept '%s' in the run's codebook (did you "
                            "mean '%s'?)",
                            concept, near);
    return kbi_fail_arg(err, KB_ENOENT, "concept",
                        "no concept '%s' in the run's codebook", concept);
}

int kbi_eval_gold(kbi_gold *out, kb_project *p, const char *gold,
                  const char *concept, int64_t run, kb_segment_kind unit_kind,
                  kb_notice_fn notice, void *ctx, kb_error *err)
{
    memset(out, 0, sizeof *out);
    int rc = check_coders(p, &gold, 1, "gold", err);
    if (rc)
        return rc;
    builder *b = calloc(1, sizeof *b);
    if (!b)
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    out->b = b;
    const char **coders = malloc(sizeof *coders);
    if (!coders) {
        kbi_gold_free(out);
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    }
    coders[0] = gold; /* read while building only */
    *b = (builder){.p = p, .err = err, .ncols = 1, .coders = coders};
    int *cells = NULL;
    size_t *rows_unit = NULL;
    if ((rc = build(b, run, unit_kind, KB_CODE_CONCEPT, 0, notice, ctx)))
        goto done;
    size_t node = kb_codebook_find(b->cb, KB_CODE_CONCEPT, concept);
    if (node == KB_NO_INDEX) {
        rc = kbi_eval_unknown_concept(b->cb, concept, err);
        goto done;
    }
    size_t k = b->slot_of[node], m = 0, rows;
    while (m < b->nmarks && b->marks[m].code < k)
        m++;
    cells = malloc((b->nunits ? b->nunits : 1) * sizeof *cells);
    rows_unit = malloc((b->nunits ? b->nunits : 1) * sizeof *rows_unit);
    out->units = malloc((b->nunits ? b->nunits : 1) * sizeof *out->units);
    if (!cells || !rows_unit || !out->units) {
        rc = oom(b);
        goto done;
    }
    table_of(b, k, &m, 0, cells, rows_unit, &rows);
    for (size_t i = 0; i < rows; i++) {
        if (cells[i] == KB_MISSING)
            continue;
        const unit *u = &b->units[rows_unit[i]];
        out->units[out->n++] = (kbi_gold_unit){
            u->doc, u->start, u->end, u->role, u->text, cells[i] == 1};
        out->positives += cells[i] == 1;
    }
    out->cb = b->cb;
    out->node = node;
    out->docs = (const char *const *)b->docs;
    out->ndocs = b->ndocs;
done:
    free(cells);
    free(rows_unit);
    b->err = NULL;
    if (rc)
        kbi_gold_free(out);
    return rc;
}

void kbi_gold_free(kbi_gold *g)
{
    if (!g)
        return;
    if (g->b) {
        free((void *)g->b->coders);
        builder_free(g->b);
        free(g->b);
    }
    free(g->units);
    memset(g, 0, sizeof *g);
}

size_t kbi_gold_first(const kbi_gold *g, size_t u0, size_t u1, size_t start)
{
    size_t lo = u0, hi = u1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (g->units[mid].end <= start)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

void kbi_gold_score(const kbi_gold *g, const unsigned char *on,
                    const unsigned char *in, kb_eval_scores *sc)
{
    size_t tp = sc->tp, fp = sc->fp, fn = sc->fn;
    for (size_t u = 0; u < g->n; u++) {
        const kbi_gold_unit *un = &g->units[u];
        if (in && !in[un->doc])
            continue;
        tp += on[u] && un->gold;
        fp += on[u] && !un->gold;
        fn += !on[u] && un->gold;
    }
    kb_eval_compute(sc, tp, fp, fn);
}
