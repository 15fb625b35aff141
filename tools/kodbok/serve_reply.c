/*
 * serve_reply.c: the responses of kodbok serve: the headers every one
 * carries (CSP, no sniffing, no framing, no caching), JSON replies built in
 * memory, errors as {"error": message} with the HTTP status of their kind.
 */
#include "serve.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum MHD_Result serve_send(struct MHD_Connection *c, unsigned status,
                           const char *type, const char *body, size_t len,
                           enum MHD_ResponseMemoryMode mode,
                           const char *set_cookie)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(len, (void *)body, mode);
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, "Content-Type", type);
    MHD_add_response_header(r, "Content-Security-Policy", "default-src 'self'");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "Cache-Control", "no-store");
    if (set_cookie)
        MHD_add_response_header(r, "Set-Cookie", set_cookie);
    if (status == MHD_HTTP_SERVICE_UNAVAILABLE) /* the project is busy */
        MHD_add_response_header(r, "Retry-After", "1");
    enum MHD_Result ok = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ok;
}

int reply_start(reply *out)
{
    memset(out, 0, sizeof *out);
    out->f = open_memstream(&out->buf, &out->len);
    if (!out->f)
        return -1;
    json_init(&out->j, out->f);
    return 0;
}

enum MHD_Result reply_send(struct MHD_Connection *c, reply *out,
                           unsigned status)
{
    if (fclose(out->f)) {
        free(out->buf);
        return MHD_NO;
    }
    return serve_send(c, status, "application/json; charset=utf-8", out->buf,
                      out->len, MHD_RESPMEM_MUST_FREE, NULL);
}

enum MHD_Result send_error(struct MHD_Connection *c, unsigned status,
                           const char *message)
{
    reply out;
    if (reply_start(&out))
        return MHD_NO;
    json_object(&out.j, NULL);
    json_string(&out.j, "error", message);
    json_end(&out.j);
    return reply_send(c, &out, status);
}

/* The HTTP status of a library failure. */
static unsigned status_of(int code)
{
    switch (code) {
    case KB_EINVAL:
    case KB_EFORMAT:
        return MHD_HTTP_BAD_REQUEST;
    case KB_ENOENT:
        return MHD_HTTP_NOT_FOUND;
    case KB_EEXIST:
    case KB_ENORUN:
        return MHD_HTTP_CONFLICT;
    case KB_EBUSY:
        return MHD_HTTP_SERVICE_UNAVAILABLE;
    case KB_EREADONLY:
        return MHD_HTTP_FORBIDDEN;
    default:
        return MHD_HTTP_INTERNAL_SERVER_ERROR;
    }
}

enum MHD_Result send_kb_error(struct MHD_Connection *c, const kb_error *err)
{
    return send_error(c, status_of(err->code), err->message);
}

void reply_drop(reply *out)
{
    fclose(out->f);
    free(out->buf);
}

const char *serve_arg(struct MHD_Connection *c, const char *name)
{
    const char *v = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, name);
    return v && *v ? v : NULL;
}

int64_t serve_id(const char *s, const char **end)
{
    int64_t id = 0;
    const char *c = s;
    for (; *c >= '0' && *c <= '9' && id <= (INT64_MAX - 9) / 10; c++)
        id = id * 10 + (*c - '0');
    *end = c;
    return c == s || (*c >= '0' && *c <= '9') ? 0 : id;
}
