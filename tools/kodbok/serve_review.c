/*
 * serve_review.c: the API's review: the automatic quotes the server's
 * coder has not decided on, in the order `kodbok review` walks them and
 * with its context (the turn before), and a decision on one (accept,
 * reject, feature, or its undo).
 */
#include "serve.h"
#include "serve_body.h"

#include <stdlib.h>
#include <string.h>

/* The quotes review walks (`kodbok review`): the last run's automatic
 * quotes, with the coder's decisions; those decided on left out when
 * `unreviewed`. */
static kb_quote_filter review_filter(const call *k, int unreviewed)
{
    kb_quote_filter f = {0};
    f.source = "auto";
    f.reviewer = k->coder;
    f.unreviewed = unreviewed;
    f.skip_words = 1;
    return f;
}

/* A turn as {"speaker", "role", "text"} named `key`, or null. */
static void write_turn(json *j, const char *key, const kb_segment *t)
{
    if (!t) {
        json_null(j, key);
        return;
    }
    json_object(j, key);
    json_string(j, "speaker", t->speaker);
    json_string(j, "role", kb_role_name(t->role));
    json_string_n(j, "text", t->text, t->text_len);
    json_end(j);
}

/* One quote to review with its turn and the turn before it. */
static void write_review_quote(json *j, const kb_quote_row *q,
                               const kb_document *d)
{
    const kb_segment *s = kb_document_segment(d, q->kind, q->index);
    size_t ti = !s ? KB_NO_INDEX : q->kind == KB_SEG_TURN ? q->index : s->turn;
    const kb_segment *turn =
        ti == KB_NO_INDEX ? NULL : kb_document_segment(d, KB_SEG_TURN, ti);
    json_object(j, NULL);
    json_string(j, "document", q->document);
    json_size(j, "start", q->start);
    json_size(j, "end", q->end);
    json_string(j, "concept", q->concept);
    json_string(j, "label", q->concept_label);
    json_string(j, "theme", q->theme);
    json_string(j, "theme_label", q->theme_label);
    json_string(j, "speaker", q->speaker);
    json_string(j, "text", q->text);
    write_turn(j, "before",
               turn && ti ? kb_document_segment(d, KB_SEG_TURN, ti - 1) : NULL);
    if (turn) {
        json_object(j, "turn");
        json_size(j, "index", turn->index);
        json_size(j, "start", turn->start);
        json_size(j, "end", turn->end);
        json_end(j);
    } else {
        json_null(j, "turn");
    }
    json_end(j);
}

/* GET /api/review?concept=ID&doc=NAME&limit=N: the request's coder's
 * unreviewed automatic quotes, the first N (50) with their context. */
enum MHD_Result api_review(const call *k)
{
    struct MHD_Connection *c = k->c;
    kb_quote_filter f = review_filter(k, 1);
    f.concept = serve_arg(c, "concept");
    f.document = serve_arg(c, "doc");
    const char *limit_arg = serve_arg(c, "limit"), *end = "";
    int64_t limit = limit_arg ? serve_id(limit_arg, &end) : 50;
    if (!limit || *end)
        return send_error(c, MHD_HTTP_BAD_REQUEST,
                          "`limit` is a whole number of 1 or more");
    kb_quote_list *l;
    kb_error err;
    if (kb_project_quotes(&l, k->p, &f, &err))
        return send_kb_error(c, &err);
    /* As review: nothing shown before every quote can be decided on. */
    if (kb_quote_list_check_current(k->p, l, &err)) {
        kb_quote_list_free(l);
        return send_error(c,
                          err.code == KB_EINVAL
                              ? MHD_HTTP_CONFLICT
                              : MHD_HTTP_INTERNAL_SERVER_ERROR,
                          err.message);
    }
    reply out;
    if (reply_start(&out)) {
        kb_quote_list_free(l);
        return MHD_NO;
    }
    size_t n = kb_quote_list_count(l);
    json_object(&out.j, NULL);
    json_string(&out.j, "coder", k->coder);
    json_size(&out.j, "total", n);
    json_array(&out.j, "quotes");
    kb_document *d = NULL;
    int rc = 0;
    for (size_t i = 0; i < n && i < (size_t)limit && !rc; i++) {
        const kb_quote_row *q = kb_quote_list_get(l, i);
        if (!d || strcmp(kb_document_info(d)->name, q->document)) {
            kb_document_free(d);
            d = NULL;
            rc = kb_document_load(&d, k->p, q->document, q->version, &err);
        }
        if (!rc)
            write_review_quote(&out.j, q, d);
    }
    kb_document_free(d);
    kb_quote_list_free(l);
    if (rc) {
        reply_drop(&out);
        return send_kb_error(c, &err);
    }
    json_end(&out.j);
    json_end(&out.j);
    return reply_send(c, &out, MHD_HTTP_OK);
}

/* POST /api/review {"document", "start", "end", "concept", "decision":
 * "accept"|"reject"|"feature"|"undo"}: stores or removes the request's
 * coder's decision on that automatic quote of the last run; "feature"
 * features it (accepting it, or through the coder's tag in it), and "undo"
 * takes back the decision, or else the featuring of the coder's tag. */
enum MHD_Result api_review_decide(const call *k)
{
    struct MHD_Connection *c = k->c;
    char *doc, *concept, *decision, msg[512];
    size_t start, end;
    const serve_field fields[] = {
        {"document", 0, 1, &doc, NULL},      {"start", 1, 1, NULL, &start},
        {"end", 1, 1, NULL, &end},           {"concept", 0, 1, &concept, NULL},
        {"decision", 0, 1, &decision, NULL},
    };
    if (serve_body_read(k->rq->body, k->rq->len, fields, 5,
                        "an object with \"document\", \"concept\", "
                        "\"decision\" (strings), \"start\" and \"end\" (whole "
                        "numbers)",
                        msg, sizeof msg))
        return send_error(c, MHD_HTTP_BAD_REQUEST, msg);
    int accept = !strcmp(decision, "accept"),
        reject = !strcmp(decision, "reject"), undo = !strcmp(decision, "undo"),
        feature = !strcmp(decision, "feature");
    kb_quote_filter f = review_filter(k, 0);
    f.document = doc;
    f.concept = concept;
    f.with_rejected = 1;
    kb_quote_list *l = NULL;
    kb_error err;
    const kb_quote_row *q = NULL;
    enum MHD_Result ok;
    int rc = 0;
    if (!accept && !reject && !undo && !feature) {
        ok = send_error(c, MHD_HTTP_BAD_REQUEST,
                        "`decision` is accept, reject, feature or undo");
        goto done;
    }
    if (kb_project_quotes(&l, k->p, &f, &err)) {
        ok = send_kb_error(c, &err);
        goto done;
    }
    for (size_t i = 0; i < kb_quote_list_count(l) && !q; i++) {
        const kb_quote_row *r = kb_quote_list_get(l, i);
        if (r->start == start && r->end == end)
            q = r;
    }
    if (!q) {
        snprintf(msg, sizeof msg,
                 "no automatic quote of '%.80s' at %zu:%zu of '%.80s' in the "
                 "last run",
                 concept, start, end, doc);
        ok = send_error(c, MHD_HTTP_NOT_FOUND, msg);
        goto done;
    }
    if (undo) {
        rc = kb_quote_undecide(k->p, q, k->coder, &err);
        if (rc == KB_ENOENT) { /* no decision: a tag's featuring, if any */
            kb_error none = err;
            rc = kb_quote_feature(k->p, q, k->coder, 0, &err);
            if (rc == KB_ENOENT) {
                ok = send_error(c, MHD_HTTP_CONFLICT, none.message);
                goto done;
            }
        }
    } else if (feature) {
        rc = kb_quote_feature(k->p, q, k->coder, 1, &err);
    } else {
        rc = kb_quote_decide(k->p, q, k->coder,
                             accept ? KB_DECISION_ACCEPT : KB_DECISION_REJECT,
                             &err);
    }
    reply out;
    if (rc) {
        ok = send_kb_error(c, &err);
    } else if (reply_start(&out)) {
        ok = MHD_NO;
    } else {
        json_object(&out.j, NULL);
        json_string(&out.j, "document", doc);
        json_size(&out.j, "start", start);
        json_size(&out.j, "end", end);
        json_string(&out.j, "concept", concept);
        json_string(&out.j, "decision", undo ? "none" : decision);
        json_end(&out.j);
        ok = reply_send(c, &out, MHD_HTTP_OK);
    }
done:
    kb_quote_list_free(l);
    free(doc);
    free(concept);
    free(decision);
    return ok;
}
