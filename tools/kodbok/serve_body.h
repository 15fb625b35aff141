/*
 * serve_body.h: the JSON request bodies of kodbok serve, read with jansson.
 * Kept apart from cmd_serve.c, whose JSON writer (json.h) shares names
 * with jansson's.
 */
#ifndef KODBOK_SERVE_BODY_H
#define KODBOK_SERVE_BODY_H

#include <stddef.h>

/* The body of POST /api/tags; strings are owned (serve_tag_body_free). */
typedef struct serve_tag_body {
    char *document, *code, *memo; /* memo: NULL when not given */
    size_t start, end;
} serve_tag_body;

/* Reads {"document", "code", "start", "end"[, "memo"]} from body[0..len).
 * Returns 0, or -1 with a one-line reason in msg. */
int serve_tag_body_read(serve_tag_body *out, const char *body, size_t len,
                        char *msg, size_t msg_size);
void serve_tag_body_free(serve_tag_body *b);

/* A member of a request body read by serve_body_read. */
typedef struct serve_field {
    const char *key;
    int number;   /* 0: a string, into *text; 1: a whole number >= 0 */
    int required; /* else *text stays NULL (*count unchanged) if absent */
    char **text;  /* strings: an owned copy (free) */
    size_t *count;
} serve_field;

/* Reads a JSON object with the members `fields` from body[0..len): 0, or
 * -1 with a one-line reason in msg (the body's `shape` when a member is
 * missing or of the wrong type) and no string left allocated. */
int serve_body_read(const char *body, size_t len, const serve_field *fields,
                    size_t nfields, const char *shape, char *msg,
                    size_t msg_size);

/* The body of POST /api/playground and PUT /api/codebook/concepts/ID;
 * strings are owned (serve_patterns_body_free). */
typedef struct serve_patterns_body {
    char *concept; /* NULL when not given */
    char *coder;   /* NULL when not given or null */
    char **patterns;
    size_t npatterns;
} serve_patterns_body;

/* Reads {"patterns": [strings]} with, when `with_concept`, "concept" (a
 * string) and "coder" (a string or null, optional) from body[0..len).
 * Returns 0, or -1 with a one-line reason in msg. */
int serve_patterns_body_read(serve_patterns_body *out, const char *body,
                             size_t len, int with_concept, char *msg,
                             size_t msg_size);
void serve_patterns_body_free(serve_patterns_body *b);

#endif
