/*
 * fuzz_serve.c: fuzz target for what kodbok serve reads from a request
 * without a socket (tools/kodbok): the JSON bodies (serve_body.c) and the
 * ids in paths and queries (serve_id). The first byte picks the reader,
 * the rest is the body or the path. A body is either refused with a
 * reason of one line and nothing left allocated (LeakSanitizer), or read
 * with every required member present and every string exactly the JSON
 * string (a NUL inside is refused, not cut short); an id is 0 or the whole
 * number its digits spell. A libFuzzer target, or a replay of saved
 * inputs (fuzz.h).
 */
#include "fuzz.h"

#include "serve_body.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* serve.h's (serve_reply.c), which cannot be included beside jansson.h:
 * its JSON writer shares names with jansson's. */
int64_t serve_id(const char *s, const char **end);

/* Checks that a refusal's reason is one line. */
static void check_reason(const char *msg)
{
    fuzz_check(msg[0] && !strchr(msg, '\n'), "a refusal is one line");
}

/* Checks that s, read from member `key` of the JSON body, is its string
 * whole. */
static void check_string(const char *body, size_t len, const char *key,
                         const char *s)
{
    json_t *o = json_loadb(body, len, 0, NULL);
    const json_t *v = json_object_get(o, key);
    fuzz_check(s && json_is_string(v) && strlen(s) == json_string_length(v) &&
                   !strcmp(s, json_string_value(v)),
               "a string read is the body's whole");
    json_decref(o);
}

static void tag_body(const char *body, size_t len)
{
    serve_tag_body b;
    char msg[256];
    if (serve_tag_body_read(&b, body, len, msg, sizeof msg)) {
        check_reason(msg);
        fuzz_check(!b.document && !b.code && !b.memo,
                   "nothing left of a refused body");
        return;
    }
    check_string(body, len, "document", b.document);
    check_string(body, len, "code", b.code);
    if (b.memo)
        check_string(body, len, "memo", b.memo);
    serve_tag_body_free(&b);
}

static void patterns_body(const char *body, size_t len, int with_concept)
{
    serve_patterns_body b;
    char msg[256];
    if (serve_patterns_body_read(&b, body, len, with_concept, msg,
                                 sizeof msg)) {
        check_reason(msg);
        fuzz_check(!b.patterns && !b.concept && !b.coder,
                   "nothing left of a refused body");
        return;
    }
    fuzz_check(!with_concept || b.concept, "the concept read");
    if (b.concept)
        check_string(body, len, "concept", b.concept);
    if (b.coder)
        check_string(body, len, "coder", b.coder);
    json_t *o = json_loadb(body, len, 0, NULL);
    const json_t *pats = json_object_get(o, "patterns");
    fuzz_check(b.npatterns == json_array_size(pats), "every pattern read");
    for (size_t i = 0; i < b.npatterns; i++) {
        const json_t *v = json_array_get(pats, i);
        fuzz_check(strlen(b.patterns[i]) == json_string_length(v),
                   "a pattern read whole");
    }
    json_decref(o);
    serve_patterns_body_free(&b);
}

static void id_of(const char *s)
{
    const char *end;
    int64_t id = serve_id(s, &end);
    fuzz_check(end >= s && end <= s + strlen(s), "an id's end in its text");
    fuzz_check(id >= 0, "an id is not negative");
    if (!id)
        return;
    int64_t again = 0;
    for (const char *c = s; c < end; c++) {
        fuzz_check(*c >= '0' && *c <= '9', "an id is digits");
        again = again * 10 + (*c - '0');
    }
    fuzz_check(again == id && !(*end >= '0' && *end <= '9'),
               "an id is the number its digits spell");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    /* NUL-terminated as the server keeps a body */
    char *body = malloc(size);
    if (!body)
        abort();
    memcpy(body, data + 1, size - 1);
    body[size - 1] = '\0';
    switch (data[0] % 4) {
    case 0:
        tag_body(body, size - 1);
        break;
    case 1:
        patterns_body(body, size - 1, 1);
        break;
    case 2:
        patterns_body(body, size - 1, 0);
        break;
    default:
        id_of(body);
        break;
    }
    free(body);
    return 0;
}
