/*
 * serve_tags.c: the API's manual codings: adding one as the request's coder,
 * removing one of theirs, setting or removing its memo.
 */
#include "serve.h"
#include "serve_body.h"

#include <stdlib.h>
#include <string.h>

/* POST /api/tags {"document", "code", "start", "end"[, "memo"]}: what
 * `kodbok tag DOC CODE --span START:END` does, as the request's coder. */
enum MHD_Result api_tag_add(const call *k)
{
    struct MHD_Connection *c = k->c;
    serve_tag_body b;
    char msg[256];
    if (serve_tag_body_read(&b, k->rq->body, k->rq->len, msg, sizeof msg))
        return send_error(c, MHD_HTTP_BAD_REQUEST, msg);
    kb_where at = {0};
    at.by = KB_AT_SPAN;
    at.start = b.start;
    at.end = b.end;
    kb_tag_options o = KB_TAG_OPTIONS_INIT;
    o.coder = k->coder;
    o.memo = b.memo;
    int64_t id;
    kb_error err;
    enum MHD_Result ok;
    reply out;
    if (kb_tag_add(&id, k->p, b.document, b.code, &at, &o, &err)) {
        ok = send_kb_error(c, &err);
    } else if (reply_start(&out)) {
        ok = MHD_NO;
    } else {
        json_object(&out.j, NULL);
        json_int(&out.j, "id", id);
        json_string(&out.j, "document", b.document);
        json_string(&out.j, "code", b.code);
        json_size(&out.j, "start", at.start);
        json_size(&out.j, "end", at.end);
        json_string(&out.j, "coder", k->coder);
        json_end(&out.j);
        ok = reply_send(c, &out, MHD_HTTP_CREATED);
    }
    serve_tag_body_free(&b);
    return ok;
}

int serve_own_coding(const call *k, int64_t id, enum MHD_Result *ok)
{
    kb_tag_list *l;
    kb_error err;
    if (kb_project_tags(&l, k->p, NULL, &err)) {
        *ok = send_kb_error(k->c, &err);
        return 0;
    }
    const kb_tag_info *t = NULL;
    for (size_t i = 0; i < kb_tag_list_count(l) && !t; i++)
        if (kb_tag_list_get(l, i)->id == id)
            t = kb_tag_list_get(l, i);
    char msg[160];
    if (!t) {
        snprintf(msg, sizeof msg, "no manual coding %lld", (long long)id);
        *ok = send_error(k->c, MHD_HTTP_NOT_FOUND, msg);
    } else if (strcmp(t->coder, k->coder)) {
        snprintf(msg, sizeof msg,
                 "manual coding %lld is a coding of another coder (%.40s)",
                 (long long)id, t->coder);
        *ok = send_error(k->c, MHD_HTTP_FORBIDDEN, msg);
    }
    int mine = t && !strcmp(t->coder, k->coder);
    kb_tag_list_free(l);
    return mine;
}

/* The coding's id from the path's rest ("ID" or "ID/memo"): *memo tells
 * which; 0 for anything else. */
static int64_t coding_path(const char *rest, int *memo)
{
    const char *end;
    int64_t id = serve_id(rest, &end);
    *memo = !strcmp(end, "/memo");
    return *memo || !*end ? id : 0;
}

/* {"id": ID, "memo": its memo as stored, or null}. */
static enum MHD_Result send_coding_memo(const call *k, int64_t id)
{
    kb_memo_about about = {KB_MEMO_CODING, NULL, id, NULL};
    kb_memo_list *l;
    kb_error err;
    if (kb_project_memos(&l, k->p, &about, NULL, &err))
        return send_kb_error(k->c, &err);
    reply out;
    if (reply_start(&out)) {
        kb_memo_list_free(l);
        return MHD_NO;
    }
    json_object(&out.j, NULL);
    json_int(&out.j, "id", id);
    json_string(&out.j, "memo",
                kb_memo_list_count(l) ? kb_memo_list_get(l, 0)->text : NULL);
    json_end(&out.j);
    kb_memo_list_free(l);
    return reply_send(k->c, &out, MHD_HTTP_OK);
}

/* DELETE /api/tags/ID: removes the request's coder's manual coding (as
 * `kodbok untag --id ID`; refused while it has a memo). DELETE
 * /api/tags/ID/memo removes its memo. */
enum MHD_Result api_tag_delete(const call *k)
{
    int memo;
    int64_t id = coding_path(k->rest, &memo);
    enum MHD_Result ok;
    if (!id)
        return send_error(k->c, MHD_HTTP_NOT_FOUND, "no such resource");
    if (!serve_own_coding(k, id, &ok))
        return ok;
    kb_error err;
    if (memo)
        return kb_memo_remove(k->p, id, 1, &err) ? send_kb_error(k->c, &err)
                                                 : send_coding_memo(k, id);
    if (kb_tag_remove_id(k->p, id, &err))
        return send_kb_error(k->c, &err);
    reply out;
    if (reply_start(&out))
        return MHD_NO;
    json_object(&out.j, NULL);
    json_int(&out.j, "removed", id);
    json_end(&out.j);
    return reply_send(k->c, &out, MHD_HTTP_OK);
}

/* PUT /api/tags/ID/memo {"text"}: sets the memo of the request's coder's
 * manual coding, adding it or replacing its text. */
enum MHD_Result api_tag_memo(const call *k)
{
    int memo;
    int64_t id = coding_path(k->rest, &memo);
    enum MHD_Result ok;
    if (!id || !memo)
        return send_error(k->c, MHD_HTTP_NOT_FOUND, "no such resource");
    char *text, msg[256];
    const serve_field f[] = {{"text", 0, 1, &text, NULL}};
    if (serve_body_read(k->rq->body, k->rq->len, f, 1,
                        "an object with \"text\" (a string)", msg, sizeof msg))
        return send_error(k->c, MHD_HTTP_BAD_REQUEST, msg);
    if (!serve_own_coding(k, id, &ok)) {
        free(text);
        return ok;
    }
    kb_memo_about about = {KB_MEMO_CODING, NULL, id, NULL};
    kb_error err;
    int rc = kb_memo_add(NULL, k->p, &about, k->coder, text, &err);
    if (rc == KB_EEXIST)
        rc = kb_memo_edit(NULL, k->p, id, 1, text, &err);
    free(text);
    return rc ? send_kb_error(k->c, &err) : send_coding_memo(k, id);
}
