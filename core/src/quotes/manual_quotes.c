/*
 * manual_quotes.c: the manual quotes of a list (manual_quotes.h). Manual
 * codings (tags and review acceptances) follow the automatic quotes, each
 * placed on the segment of its concept's scope that it starts in
 * (place_in_scope) with its case and speaker from the turn it starts in.
 * The manual codings of one code on one segment become one quote
 * (group_manual), and one on the segment of an automatic quote of its
 * concept becomes part of it (kbi_manual_quotes_fold).
 */
#include "quotes/manual_quotes.h"
#include "quotes/list.h"
#include "quotes/words.h"
#include "base/error.h"
#include "base/grow.h"
#include "base/fold.h"
#include "base/utf8.h"
#include "store/document.h"
#include "store/project.h"
#include "store/store.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The first segment of `kind` ending after code point `at` (its index), or
 * the number of segments of that kind when none does. */
static size_t segment_after(const kb_document *d, kb_segment_kind kind,
                            size_t at)
{
    size_t lo = 0, hi = kb_document_segment_count(d, kind);
    while (lo < hi) { /* segments of a kind are in text order */
        size_t mid = lo + (hi - lo) / 2;
        if (kb_document_segment(d, kind, mid)->end <= at)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Fills a manual quote's case and speaker from the turn it starts in. */
static int place_in_turn(kb_quote_list *l, kb_quote_row *q,
                         const kb_document *d)
{
    const kb_segment *t = kb_document_segment(
        d, KB_SEG_TURN, segment_after(d, KB_SEG_TURN, q->start));
    int fail = 0;
    q->speaker = q->case_id = NULL;
    if (t && t->start <= q->start) {
        q->time_ms = t->time_ms;
        q->role = t->role;
        if (t->speaker)
            q->speaker = kbi_strset_add(&l->names, t->speaker,
                                        strlen(t->speaker), &fail);
        if (t->case_id)
            q->case_id = kbi_strset_add(&l->names, t->case_id,
                                        strlen(t->case_id), &fail);
    }
    return fail ? KB_ENOMEM : 0;
}

/*
 * The segment a manual quote is on: of its concept's scope in the run's
 * codebook (a sentence for a theme or dimension, or a concept the codebook
 * lacks), the one its passage starts in; a passage starting between two
 * segments is on the next one if it reaches into it, else on none.
 */
static void place_in_scope(const kb_quote_list *l, kb_quote_row *q,
                           const kb_document *d)
{
    kb_segment_kind kind = KB_SEG_SENTENCE;
    size_t node = q->concept && l->cb
                      ? kb_codebook_find(l->cb, KB_CODE_CONCEPT, q->concept)
                      : KB_NO_INDEX;
    if (node != KB_NO_INDEX)
        kind = kb_codebook_get(l->cb, node)->scope;
    size_t i = segment_after(d, kind, q->start);
    const kb_segment *s = kb_document_segment(d, kind, i);
    if (s && s->start < q->end) {
        q->kind = kind;
        q->index = i;
    }
}

/* Adds the name v[0..n) to the comma-separated list *slot, in name order,
 * once. Sets *fail when out of memory. */
static void list_insert(kb_quote_list *l, const char **slot, const char *v,
                        size_t n, int *fail)
{
    const char *s = *slot ? *slot : "";
    size_t len = strlen(s), at = len;
    for (const char *p = s; *p;) {
        const char *comma = strchr(p, ',');
        size_t k = comma ? (size_t)(comma - p) : strlen(p);
        int c = memcmp(p, v, k < n ? k : n);
        if (!c)
            c = (k > n) - (k < n);
        if (!c)
            return;
        if (c > 0) {
            at = (size_t)(p - s);
            break;
        }
        p += k + (comma != NULL);
    }
    char small[256],
        *b = len + n + 1 < sizeof small ? small : malloc(len + n + 2);
    if (!b) {
        *fail = 1;
        return;
    }
    size_t o = at;
    memcpy(b, s, at);
    if (at == len && len)
        b[o++] = ',';
    memcpy(b + o, v, n);
    o += n;
    if (at < len) {
        b[o++] = ',';
        memcpy(b + o, s + at, len - at);
        o += len - at;
    }
    *slot = kbi_strset_add(&l->names, b, o, fail);
    if (b != small)
        free(b);
}

/* Adds every name of the comma-separated list `from` to *slot. */
static void list_merge(kb_quote_list *l, const char **slot, const char *from,
                       int *fail)
{
    for (const char *p = from; p && *p;) {
        const char *comma = strchr(p, ',');
        size_t k = comma ? (size_t)(comma - p) : strlen(p);
        list_insert(l, slot, p, k, fail);
        p += k + (comma != NULL);
    }
}

/* Is memo m one of the "; "-separated items of list? */
static int memo_listed(const char *list, const char *m)
{
    size_t n = strlen(m);
    for (const char *p = list; (p = strstr(p, m)); p++)
        if ((p == list || (p - list >= 2 && !memcmp(p - 2, "; ", 2))) &&
            (!p[n] || !strncmp(p + n, "; ", 2)))
            return 1;
    return 0;
}

/* Adds memo `m` to the quote's memos, "; " between, unless it is there. */
static void memo_add(kb_quote_list *l, const char **slot, const char *m,
                     int *fail)
{
    if (!m || !*m || (*slot && memo_listed(*slot, m)))
        return;
    if (!*slot) {
        *slot = m;
        return;
    }
    size_t a = strlen(*slot), b = strlen(m);
    char *joined = malloc(a + b + 3);
    if (!joined) {
        *fail = 1;
        return;
    }
    memcpy(joined, *slot, a);
    memcpy(joined + a, "; ", 2);
    memcpy(joined + a + 2, m, b + 1);
    *slot = kbi_strset_add(&l->names, joined, a + b + 2, fail);
    free(joined);
}

/*
 * Makes manual quote `src` part of quote `dst` (the quote of the same code
 * on the same segment): its coders, their decisions, featurings and memos
 * join dst's, and its manual codings belong to dst from now on. src is left
 * dead (source NULL) for drop_dead.
 */
static int fold(kb_quote_list *l, size_t dst, size_t src)
{
    kb_quote_row *d = &l->v[dst], *s = &l->v[src];
    int fail = 0;
    list_merge(l, &d->coder, s->coder, &fail);
    list_merge(l, &d->tagged_by, s->tagged_by, &fail);
    list_merge(l, &d->accepted_by, s->accepted_by, &fail);
    list_merge(l, &d->featured_by, s->featured_by, &fail);
    memo_add(l, &d->memo, s->memo, &fail);
    if (strcmp(d->source, "auto") && s->decision == KB_DECISION_TAG)
        d->decision = KB_DECISION_TAG; /* accepted only while no one tags */
    for (size_t k = 0; k < l->nmembers; k++)
        if (l->members[k].row == src)
            l->members[k].row = dst;
    s->source = NULL;
    return fail ? KB_ENOMEM : 0;
}

/* Removes the dead rows from row `from` on, keeping the order of the
 * others; rows are swapped, not copied, so each keeps its own room for
 * facet values (kbi_quote_list_add_row). */
static int drop_dead(kb_quote_list *l, size_t from, kb_error *err)
{
    size_t *to = malloc((l->n - from + 1) * sizeof *to), o = from;
    if (!to)
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    for (size_t i = from; i < l->n; i++) {
        if (!l->v[i].source)
            continue;
        if (o != i) { /* rows o..i-1 are dead */
            kb_quote_row r = l->v[o];
            l->v[o] = l->v[i];
            l->v[i] = r;
            size_t ord = l->ords[o];
            l->ords[o] = l->ords[i];
            l->ords[i] = ord;
        }
        to[i - from] = o++;
    }
    for (size_t k = 0; k < l->nmembers; k++)
        if (l->members[k].row >= from)
            l->members[k].row = to[l->members[k].row - from];
    l->n = o;
    free(to);
    return 0;
}

/*
 * The manual quotes in rows [from, to), all of document d: those of one
 * code on one segment become one quote, on the passage from the first
 * start to the last end among them; then each gets its case and speaker
 * (from the turn it starts in) and its words.
 */
static int group_manual(kb_quote_list *l, size_t from, size_t to,
                        const kb_document *d, kb_error *err)
{
    size_t len;
    const char *text = kb_document_text(d, &len);
    int rc = 0, fail = 0;
    for (size_t i = from; i < to && !rc && !fail; i++) {
        kb_quote_row *a = &l->v[i];
        if (!a->source)
            continue;
        size_t start = a->start, end = a->end;
        for (size_t j = i + 1; a->kind && j < to && !rc; j++) {
            const kb_quote_row *b = &l->v[j];
            if (!b->source || b->kind != a->kind || b->index != a->index ||
                !b->concept != !a->concept ||
                strcmp(kb_quote_code(a, NULL), kb_quote_code(b, NULL)))
                continue;
            start = b->start < start ? b->start : start;
            end = b->end > end ? b->end : end;
            rc = fold(l, i, j);
        }
        if (start != a->start || end != a->end) {
            size_t b0 = kbi_utf8_offset(text, len, start);
            size_t b1 = kbi_utf8_offset(text, len, end);
            a->text = kbi_arena_strndup(&l->texts, text + b0, b1 - b0, &fail);
            a->start = a->match_start = start;
            a->end = a->match_end = end;
        }
        if (!rc && !fail && (rc = place_in_turn(l, a, d)) == KB_ENOMEM)
            fail = 1;
        if (!fail && !l->skip_words)
            a->words = kbi_words_count(a->text, strlen(a->text));
    }
    if (fail || rc == KB_ENOMEM)
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    return rc;
}

/*
 * Appends the manual quotes of the documents' current versions: the placed
 * tags and review acceptances (of the filter's coder only, if it names
 * one), those of one code on one segment (place_in_scope) made one quote.
 */
int kbi_manual_quotes_load(kb_quote_list *l, kb_project *p, int64_t run,
                           const kb_quote_filter *f, kb_error *err)
{
    sqlite3_stmt *st;
    int rc = kbi_store_prepare(
        p->db, &st,
        "SELECT d.name, v.version, m.coder, m.kind, m.code, m.start,"
        " m.\"end\", m.quote, m.memo, m.id, m.decision, m.featured FROM"
        " manual_codings m"
        " JOIN versions v ON v.id = m.version_id JOIN documents d ON d.id ="
        " m.document_id WHERE m.placed AND m.decision IN ('tag', 'accept')"
        " AND v.version = d.current_version AND (?1 IS NULL OR m.coder = ?1)"
        " AND (?2 IS NULL OR d.name = ?2) ORDER BY d.name, m.id",
        err);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, f->coder, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, f->document, -1, SQLITE_STATIC);
    kb_document *d = NULL;
    size_t from = l->n; /* the first row of the loaded document */
    int fail = 0;
    while (!fail && !rc && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        rc = 0;
        kb_quote_row *q = kbi_quote_list_add_row(l);
        if (!q) {
            fail = 1;
            break;
        }
        const char *kind = (const char *)sqlite3_column_text(st, 3);
        const char *code = kbi_store_keep(&l->strings, st, 4, &fail);
        if (fail || !kbi_quote_list_place_code(l, l->n, kind, code, f))
            continue;
        /* kept once with the versions' names, for sorting by address */
        const char *doc = (const char *)sqlite3_column_text(st, 0);
        q->document = kbi_strset_add(&l->names, doc, strlen(doc), &fail);
        q->version = sqlite3_column_int(st, 1);
        q->coder = kbi_store_keep(&l->strings, st, 2, &fail);
        q->start = q->match_start = (size_t)sqlite3_column_int64(st, 5);
        q->end = q->match_end = (size_t)sqlite3_column_int64(st, 6);
        q->text = kbi_store_keep(&l->strings, st, 7, &fail);
        q->memo = kbi_store_keep(&l->strings, st, 8, &fail);
        if (q->memo && !*q->memo)
            q->memo = NULL;
        q->source = "manual";
        int accept =
            !strcmp((const char *)sqlite3_column_text(st, 10), "accept");
        q->decision = accept ? KB_DECISION_ACCEPT : KB_DECISION_TAG;
        *(accept ? &q->accepted_by : &q->tagged_by) = q->coder;
        if (sqlite3_column_int(st, 11))
            q->featured_by = q->coder;
        if (fail || KBI_GROW(&l->members, &l->capmembers, l->nmembers + 1)) {
            fail = 1;
            break;
        }
        l->members[l->nmembers++] =
            (kbi_member){sqlite3_column_int64(st, 9), l->n};
        const kb_doc_info *info = d ? kb_document_info(d) : NULL;
        if (!info || strcmp(info->name, q->document)) {
            if (d && (rc = group_manual(l, from, l->n, d, err)))
                break;
            from = l->n;
            kbi_document_recycle(d, p);
            d = NULL;
            if ((rc = kbi_quote_list_codebook(l, p, run, err)) ||
                (rc = kbi_document_load_kinds(&d, p, q->document, q->version,
                                              KBI_ALL_KINDS, err)))
                break;
        }
        place_in_scope(l, q, d);
        l->n++;
    }
    sqlite3_finalize(st);
    if (!fail && (!rc || rc == SQLITE_DONE) && d)
        rc = group_manual(l, from, l->n, d, err);
    kbi_document_recycle(d, p);
    if (fail)
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    if (rc && rc != SQLITE_DONE)
        return rc < 0 ? rc
                      : kbi_store_fail(err, p->db, "reading manual codings");
    return drop_dead(l, l->nauto, err);
}

/* A key of a quote: where it is and its concept. */
typedef struct quote_key {
    const char *document; /* kept once: compared by address */
    int version;
    kb_segment_kind kind;
    size_t index;
    const char *concept;
    size_t row;
} quote_key;

static int by_quote_key(const void *a, const void *b)
{
    const quote_key *x = a, *y = b;
    if (x->document != y->document)
        return (uintptr_t)x->document < (uintptr_t)y->document ? -1 : 1;
    if (x->version != y->version)
        return x->version < y->version ? -1 : 1;
    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    if (x->index != y->index)
        return x->index < y->index ? -1 : 1;
    return strcmp(x->concept, y->concept);
}

/* A manual quote of a concept on the segment of an automatic quote of the
 * same concept is part of it: one quote, found by the rules and coded by
 * its coders. The automatic quotes are resolved (kind and index). */
int kbi_manual_quotes_fold(kb_quote_list *l, kb_error *err)
{
    if (l->n == l->nauto || !l->nauto)
        return 0;
    quote_key *k = malloc((l->n - l->nauto) * sizeof *k);
    size_t m = 0;
    if (!k)
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    for (size_t i = l->nauto; i < l->n; i++) {
        const kb_quote_row *q = &l->v[i];
        if (q->kind && q->concept)
            k[m++] = (quote_key){q->document, q->version, q->kind,
                                 q->index,    q->concept, i};
    }
    kbi_sort(k, m, sizeof *k, by_quote_key);
    int rc = 0;
    for (size_t i = 0; m && i < l->nauto && !rc; i++) {
        const kb_quote_row *q = &l->v[i];
        if (!q->kind) /* a tally's grouped row */
            continue;
        quote_key key = {q->document, q->version, q->kind,
                         q->index,    q->concept, 0};
        const quote_key *hit = bsearch(&key, k, m, sizeof key, by_quote_key);
        if (hit && l->v[hit->row].source)
            rc = fold(l, i, hit->row);
    }
    free(k);
    if (rc)
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    return drop_dead(l, l->nauto, err);
}
