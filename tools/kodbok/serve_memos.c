/*
 * serve_memos.c: the API's memos (`kodbok memo`): listed by what they are
 * about, written by the request's coder, and changed or removed by their
 * author.
 */
#include "serve.h"
#include "serve_body.h"

#include <stdlib.h>
#include <string.h>

/* What the API calls a memo's target: the project's is "journal". */
static const char *about_name(kb_memo_target t)
{
    return t == KB_MEMO_PROJECT ? "journal" : kb_memo_target_name(t);
}

/*
 * The target `about` names and its `name` into *out: a coding's name is
 * its id. Returns 0, or -1 with a one-line reason in msg.
 */
static int about_parse(kb_memo_about *out, const char *about, const char *name,
                       char *msg, size_t size)
{
    static const kb_memo_target TARGETS[] = {KB_MEMO_PROJECT, KB_MEMO_DOCUMENT,
                                             KB_MEMO_CASE, KB_MEMO_CODE,
                                             KB_MEMO_CODING};
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < sizeof TARGETS / sizeof TARGETS[0]; i++)
        if (about && !strcmp(about, about_name(TARGETS[i])))
            out->target = TARGETS[i];
    if (!out->target) {
        snprintf(msg, size,
                 "`about` is journal, document, case, code or coding");
        return -1;
    }
    if (out->target == KB_MEMO_PROJECT) {
        if (name) {
            snprintf(msg, size, "a journal memo has no `name`");
            return -1;
        }
        return 0;
    }
    if (out->target == KB_MEMO_CODING) {
        const char *end = "";
        if (name && !(out->coding = serve_id(name, &end)))
            end = "x";
        if (*end) {
            snprintf(msg, size, "a coding is named by its id");
            return -1;
        }
        return 0;
    }
    out->name = name;
    return 0;
}

/* The memos of list l as {"memos": [...]}, only memo `id` (a coding's: with
 * `coding`) as one object when id is not 0. */
static enum MHD_Result send_memos(const call *k, const kb_memo_list *l,
                                  int64_t id, int coding, unsigned status)
{
    reply out;
    if (reply_start(&out))
        return MHD_NO;
    if (!id) {
        json_object(&out.j, NULL);
        json_array(&out.j, "memos");
    }
    size_t found = 0;
    for (size_t i = 0; i < kb_memo_list_count(l); i++) {
        const kb_memo_info *m = kb_memo_list_get(l, i);
        if (id && (coding ? m->target != KB_MEMO_CODING || m->coding != id
                          : m->target == KB_MEMO_CODING || m->id != id))
            continue;
        json_object(&out.j, NULL);
        json_string(&out.j, "about", about_name(m->target));
        json_memo_info(&out.j, m);
        json_end(&out.j);
        found++;
        if (id)
            break;
    }
    if (!id) {
        json_end(&out.j);
        json_end(&out.j);
    } else if (!found) {
        reply_drop(&out);
        return send_error(k->c, MHD_HTTP_NOT_FOUND, "no such memo");
    }
    return reply_send(k->c, &out, status);
}

/* Answers with memo `id` (a coding's with `coding`) as it is stored. */
static enum MHD_Result send_memo(const call *k, int64_t id, int coding,
                                 unsigned status)
{
    kb_memo_about about = {KB_MEMO_CODING, NULL, id, NULL};
    kb_memo_list *l;
    kb_error err;
    if (kb_project_memos(&l, k->p, coding ? &about : NULL, NULL, &err))
        return send_kb_error(k->c, &err);
    enum MHD_Result ok = send_memos(k, l, id, coding, status);
    kb_memo_list_free(l);
    return ok;
}

/* GET /api/memos?about=TARGET&name=X&at=F=V: as `kodbok memo list --format
 * json`, each memo also with "about". */
enum MHD_Result api_memos(const call *k)
{
    struct MHD_Connection *c = k->c;
    const char *about = serve_arg(c, "about"), *name = serve_arg(c, "name");
    const char *at = serve_arg(c, "at");
    kb_memo_about filter;
    char msg[160];
    if ((name || at) && !about)
        return send_error(c, MHD_HTTP_BAD_REQUEST,
                          "`name` and `at` go with `about`");
    if (about && about_parse(&filter, about, name, msg, sizeof msg))
        return send_error(c, MHD_HTTP_BAD_REQUEST, msg);
    if (about)
        filter.at = at;
    kb_memo_list *l;
    kb_error err;
    if (kb_project_memos(&l, k->p, about ? &filter : NULL, NULL, &err))
        return send_kb_error(c, &err);
    enum MHD_Result ok = send_memos(k, l, 0, 0, MHD_HTTP_OK);
    kb_memo_list_free(l);
    return ok;
}

/* POST /api/memos {"about", "name", "at", "text"}: a memo by the request's
 * coder (on a coding: only the coder's own, which has no memo yet). */
enum MHD_Result api_memo_add(const call *k)
{
    struct MHD_Connection *c = k->c;
    char *about, *name, *at, *text, msg[256];
    const serve_field f[] = {{"about", 0, 1, &about, NULL},
                             {"name", 0, 0, &name, NULL},
                             {"at", 0, 0, &at, NULL},
                             {"text", 0, 1, &text, NULL}};
    if (serve_body_read(k->rq->body, k->rq->len, f, 4,
                        "an object with \"about\", \"text\" and, but for the "
                        "journal, \"name\" (strings)",
                        msg, sizeof msg))
        return send_error(c, MHD_HTTP_BAD_REQUEST, msg);
    kb_memo_about target;
    int64_t id = 0;
    kb_error err;
    enum MHD_Result ok;
    int bad = about_parse(&target, about, name, msg, sizeof msg);
    target.at = at;
    if (bad)
        ok = send_error(c, MHD_HTTP_BAD_REQUEST, msg);
    else if (target.target == KB_MEMO_CODING &&
             !serve_own_coding(k, target.coding, &ok))
        ; /* refused */
    else if (kb_memo_add(&id, k->p, &target, k->coder, text, &err))
        ok = send_kb_error(c, &err);
    else
        ok =
            send_memo(k, id, target.target == KB_MEMO_CODING, MHD_HTTP_CREATED);
    free(about);
    free(name);
    free(at);
    free(text);
    return ok;
}

/*
 * Memo `id` from the path's rest, when it is the request's coder's: its id,
 * or 0 with the refusal queued (404 none, 403 another author's).
 */
static int64_t own_memo(const call *k, enum MHD_Result *ok)
{
    const char *end;
    int64_t id = serve_id(k->rest, &end);
    if (!id || *end) {
        *ok = send_error(k->c, MHD_HTTP_NOT_FOUND, "no such memo");
        return 0;
    }
    kb_memo_list *l;
    kb_error err;
    if (kb_project_memos(&l, k->p, NULL, NULL, &err)) {
        *ok = send_kb_error(k->c, &err);
        return 0;
    }
    const kb_memo_info *m = NULL;
    for (size_t i = 0; i < kb_memo_list_count(l) && !m; i++)
        if (kb_memo_list_get(l, i)->target != KB_MEMO_CODING &&
            kb_memo_list_get(l, i)->id == id)
            m = kb_memo_list_get(l, i);
    if (!m)
        *ok = send_error(k->c, MHD_HTTP_NOT_FOUND, "no such memo");
    else if (strcmp(m->author, k->coder))
        *ok = send_error(k->c, MHD_HTTP_FORBIDDEN, "a memo of another author");
    int mine = m && !strcmp(m->author, k->coder);
    kb_memo_list_free(l);
    return mine ? id : 0;
}

/* PUT /api/memos/ID {"text"}: replaces the text of the coder's memo. */
enum MHD_Result api_memo_edit(const call *k)
{
    char *text, msg[160];
    const serve_field f[] = {{"text", 0, 1, &text, NULL}};
    if (serve_body_read(k->rq->body, k->rq->len, f, 1,
                        "an object with \"text\" (a string)", msg, sizeof msg))
        return send_error(k->c, MHD_HTTP_BAD_REQUEST, msg);
    enum MHD_Result ok;
    kb_error err;
    int64_t id = own_memo(k, &ok);
    if (id && kb_memo_edit(NULL, k->p, id, 0, text, &err))
        ok = send_kb_error(k->c, &err);
    else if (id)
        ok = send_memo(k, id, 0, MHD_HTTP_OK);
    free(text);
    return ok;
}

/* DELETE /api/memos/ID: removes the coder's memo. */
enum MHD_Result api_memo_remove(const call *k)
{
    enum MHD_Result ok;
    kb_error err;
    int64_t id = own_memo(k, &ok);
    if (!id)
        return ok;
    if (kb_memo_remove(k->p, id, 0, &err))
        return send_kb_error(k->c, &err);
    reply out;
    if (reply_start(&out))
        return MHD_NO;
    json_object(&out.j, NULL);
    json_int(&out.j, "removed", id);
    json_end(&out.j);
    return reply_send(k->c, &out, MHD_HTTP_OK);
}
