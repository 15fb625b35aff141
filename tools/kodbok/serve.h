/*
 * serve.h: what the parts of kodbok serve share: the server's state, a
 * request as read, JSON replies and errors, and the API's handlers.
 * cmd_serve.c runs the daemon, checks every request and routes it; the
 * serve_*.c files answer the API's routes on kodbok.h (docs/web.md).
 */
#ifndef KODBOK_SERVE_H
#define KODBOK_SERVE_H

#include "cli.h"
#include "json.h"

#include <microhttpd.h>
#include <pthread.h>

#define SERVE_TOKEN_HEX 32

/* The project kept open to watch its data version (GET /api/version),
 * one request at a time. */
typedef struct serve_watch {
    pthread_mutex_t lock;
    kb_project *p;
} serve_watch;

typedef struct server {
    const char *project; /* path */
    const char *coder;
    char token[SERVE_TOKEN_HEX + 1], csrf[SERVE_TOKEN_HEX + 1];
    char cookie[32];                   /* the token cookie's name */
    char hosts[2][32], origins[2][48]; /* 127.0.0.1:PORT, localhost:PORT */
    serve_watch *watch;
} server;

/* One request: its body as read (NUL-terminated; NULL when empty). */
typedef struct request {
    const char *method;
    char *body;
    size_t len;
    int too_big;
} request;

/* A response being built: a JSON document in memory. */
typedef struct reply {
    char *buf;
    size_t len;
    FILE *f;
    json j;
} reply;

/* Queues `body` with the headers every response carries. */
enum MHD_Result serve_send(struct MHD_Connection *c, unsigned status,
                           const char *type, const char *body, size_t len,
                           enum MHD_ResponseMemoryMode mode,
                           const char *set_cookie);

/* Starts a JSON reply; 0, or -1 when out of memory. */
int reply_start(reply *out);
/* Sends the JSON written to `out` with `status` and frees it. */
enum MHD_Result reply_send(struct MHD_Connection *c, reply *out,
                           unsigned status);
/* Drops a reply not sent. */
void reply_drop(reply *out);

/* {"error": message} with `status`. */
enum MHD_Result send_error(struct MHD_Connection *c, unsigned status,
                           const char *message);
/* A library failure, with the HTTP status of its kind. */
enum MHD_Result send_kb_error(struct MHD_Connection *c, const kb_error *err);

/* The query argument `name`, NULL when absent or empty. */
const char *serve_arg(struct MHD_Connection *c, const char *name);

/*
 * One API request on the project opened for it: the connection, the
 * server, the request's body, and `rest`, what the route's path leaves
 * after its prefix ("" for an exact route).
 */
typedef struct call {
    struct MHD_Connection *c;
    const server *s;
    kb_project *p;
    const char *rest;
    const request *rq;
} call;

/* An API handler: answers one route. */
typedef enum MHD_Result (*serve_handler)(const call *k);

/* serve_read.c */
enum MHD_Result api_documents(const call *k);
enum MHD_Result api_document(const call *k);
enum MHD_Result api_codebook(const call *k);
enum MHD_Result api_matrix(const call *k);

/* serve_tags.c */
enum MHD_Result api_tag_add(const call *k);
enum MHD_Result api_tag_delete(const call *k);
enum MHD_Result api_tag_memo(const call *k);
/* Whether manual coding `id` is the server's coder's: 1, or 0 with the
 * refusal (404 none, 403 another coder's) queued in *ok. */
int serve_own_coding(const call *k, int64_t id, enum MHD_Result *ok);

/* serve_review.c */
enum MHD_Result api_review(const call *k);
enum MHD_Result api_review_decide(const call *k);

/* serve_memos.c */
enum MHD_Result api_memos(const call *k);
enum MHD_Result api_memo_add(const call *k);
enum MHD_Result api_memo_edit(const call *k);
enum MHD_Result api_memo_remove(const call *k);

/* serve_agree.c */
enum MHD_Result api_agree(const call *k);

/* serve_read.c: the quotes of a matrix cell */
enum MHD_Result api_matrix_quotes(const call *k);

/* serve_cases.c */
enum MHD_Result api_cases(const call *k);

/* A whole number >= 1 at the start of s, its end in *end; 0 if none. */
int64_t serve_id(const char *s, const char **end);

#endif
