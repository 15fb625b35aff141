/*
 * serve_body.c: the JSON request bodies of kodbok serve (serve_body.h).
 */
#include "serve_body.h"

#include <jansson.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A whole number >= 0 from member `key`, or -1. */
static int position(const json_t *o, const char *key, size_t *out)
{
    const json_t *v = json_object_get(o, key);
    if (!json_is_integer(v) || json_integer_value(v) < 0)
        return -1;
    *out = (size_t)json_integer_value(v);
    return 0;
}

/* Why the body is not JSON, in one line: jansson's reason may quote the
 * body's text, line breaks and all. */
static void json_reason(char *msg, size_t msg_size, const json_error_t *jerr)
{
    snprintf(msg, msg_size, "request body: line %d, column %d: %s", jerr->line,
             jerr->column, jerr->text);
    for (char *c = msg; *c; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7f)
            *c = ' ';
}

static char *copy(const json_t *v)
{
    return v ? strdup(json_string_value(v)) : NULL;
}

int serve_tag_body_read(serve_tag_body *out, const char *body, size_t len,
                        char *msg, size_t msg_size)
{
    memset(out, 0, sizeof *out);
    const serve_field f[] = {
        {"document", 0, 1, &out->document, NULL},
        {"code", 0, 1, &out->code, NULL},
        {"start", 1, 1, NULL, &out->start},
        {"end", 1, 1, NULL, &out->end},
        {"memo", 0, 0, &out->memo, NULL},
    };
    return serve_body_read(body, len, f, sizeof f / sizeof f[0],
                           "an object with \"document\", \"code\" (strings), "
                           "\"start\", \"end\" (whole numbers) and "
                           "optionally \"memo\" (a string)",
                           msg, msg_size);
}

void serve_tag_body_free(serve_tag_body *b)
{
    free(b->document);
    free(b->code);
    free(b->memo);
    memset(b, 0, sizeof *b);
}

int serve_body_read(const char *body, size_t len, const serve_field *fields,
                    size_t nfields, const char *shape, char *msg,
                    size_t msg_size)
{
    for (size_t i = 0; i < nfields; i++)
        if (fields[i].text)
            *fields[i].text = NULL;
    json_error_t jerr;
    json_t *o =
        json_loadb(body ? body : "", len, JSON_REJECT_DUPLICATES, &jerr);
    if (!o) {
        json_reason(msg, msg_size, &jerr);
        return -1;
    }
    int rc = json_is_object(o) ? 0 : -1;
    for (size_t i = 0; i < nfields && !rc; i++) {
        const serve_field *f = &fields[i];
        const json_t *v = json_object_get(o, f->key);
        if (f->number) {
            if (v || f->required)
                rc = position(o, f->key, f->count);
        } else if (!f->text) {
            rc = -1;
        } else if (!v || json_is_null(v)) {
            rc = f->required ? -1 : 0;
        } else if (!json_is_string(v)) {
            rc = -1;
        } else if (!(*f->text = copy(v))) {
            snprintf(msg, msg_size, "out of memory");
            rc = -2;
        }
    }
    json_decref(o);
    if (!rc)
        return 0;
    if (rc == -1)
        snprintf(msg, msg_size, "the body is %s", shape);
    for (size_t i = 0; i < nfields; i++)
        if (fields[i].text) {
            free(*fields[i].text);
            *fields[i].text = NULL;
        }
    return -1;
}

int serve_patterns_body_read(serve_patterns_body *out, const char *body,
                             size_t len, int with_concept, char *msg,
                             size_t msg_size)
{
    memset(out, 0, sizeof *out);
    json_error_t jerr;
    json_t *o =
        json_loadb(body ? body : "", len, JSON_REJECT_DUPLICATES, &jerr);
    if (!o) {
        json_reason(msg, msg_size, &jerr);
        return -1;
    }
    const json_t *pats = json_object_get(o, "patterns");
    const json_t *concept = json_object_get(o, "concept");
    const json_t *coder = json_object_get(o, "coder");
    int bad = !json_is_object(o) || !json_is_array(pats) ||
              (with_concept && !json_is_string(concept)) ||
              (with_concept && coder && !json_is_string(coder) &&
               !json_is_null(coder)) ||
              (!with_concept && (concept || coder));
    for (size_t i = 0; !bad && i < json_array_size(pats); i++)
        bad = !json_is_string(json_array_get(pats, i));
    if (bad) {
        snprintf(msg, msg_size,
                 with_concept
                     ? "the body is an object with \"concept\" (a string), "
                       "\"patterns\" (a list of strings) and optionally "
                       "\"coder\" (a string or null)"
                     : "the body is an object with \"patterns\" (a list of "
                       "strings)");
        json_decref(o);
        return -1;
    }
    size_t n = json_array_size(pats);
    int fail = !(out->patterns = calloc(n ? n : 1, sizeof *out->patterns));
    for (size_t i = 0; !fail && i < n; i++) {
        const json_t *v = json_array_get(pats, i);
        /* a NUL inside would cut the pattern short: refuse it */
        if (strlen(json_string_value(v)) != json_string_length(v)) {
            snprintf(msg, msg_size, "pattern %zu holds a NUL character", i);
            serve_patterns_body_free(out);
            json_decref(o);
            return -1;
        }
        fail = !(out->patterns[out->npatterns++] = copy(v));
    }
    if (!fail && with_concept)
        fail = !(out->concept = copy(concept)) ||
               (json_is_string(coder) && !(out->coder = copy(coder)));
    json_decref(o);
    if (fail) {
        snprintf(msg, msg_size, "out of memory");
        serve_patterns_body_free(out);
        return -1;
    }
    return 0;
}

void serve_patterns_body_free(serve_patterns_body *b)
{
    for (size_t i = 0; b->patterns && i < b->npatterns; i++)
        free(b->patterns[i]);
    free(b->patterns);
    free(b->concept);
    free(b->coder);
    memset(b, 0, sizeof *b);
}
