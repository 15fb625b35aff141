/*
 * serve_tags.c: the API's manual codings: adding one as the server's coder.
 */
#include "serve.h"
#include "serve_body.h"

#include <string.h>

/* POST /api/tags {"document", "code", "start", "end"[, "memo"]}: what
 * `kodbok tag DOC CODE --span START:END` does, as the server's coder. */
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
    o.coder = k->s->coder;
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
        json_string(&out.j, "coder", k->s->coder);
        json_end(&out.j);
        ok = reply_send(c, &out, MHD_HTTP_CREATED);
    }
    serve_tag_body_free(&b);
    return ok;
}
