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
#include <sys/socket.h>

#define SERVE_TOKEN_HEX 32

typedef struct serve_held serve_held;

/* The lists of quotes serve_counts keeps (serve_cache.c). */
typedef enum serve_list {
    SERVE_LIST_PLAIN,   /* a row per quote */
    SERVE_LIST_WORDS,   /* the same with words */
    SERVE_LIST_GROUPED, /* grouped (kb_matrix_groupable's matrices) */
    SERVE_LISTS
} serve_list;

/* The project kept open to watch its data version (GET /api/version),
 * one request at a time, and the quotes counted at that version
 * (serve_cache.c), a list of each kind. */
typedef struct serve_watch {
    pthread_mutex_t lock;
    kb_project *p;
    serve_held *counts[SERVE_LISTS];
} serve_watch;

typedef struct server {
    const char *project; /* path */
    /* On the loopback, the coder of every request: $KODBOK_CODER, else the
     * login name. A request's coder is its call's (call.coder). */
    const char *own_coder;
    int team; /* --listen: each coder's own token, none printed at start */
    int tls;  /* --cert and --key: https, cookies Secure */
    char token[SERVE_TOKEN_HEX + 1]; /* on the loopback: the printed one */
    char csrf[SERVE_TOKEN_HEX + 1];
    char cookie[32]; /* the token cookie's name */
    char **hosts;    /* the names the Host header may give, NAME:PORT */
    size_t nhosts;
    serve_watch *watch;
} server;

/* One request: its body as read (NUL-terminated; NULL when empty), and
 * its coder, the token's (NULL until the token is checked). */
typedef struct request {
    const char *method;
    char *body;
    size_t len;
    int too_big;
    char *coder;
    int by_query; /* the token came as ?token= (the link) */
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
 * server, the request's body, `rest`, what the route's path leaves after
 * its prefix ("" for an exact route), and the coder the request acts as
 * (never a name the request sends).
 */
typedef struct call {
    struct MHD_Connection *c;
    const server *s;
    kb_project *p;
    const char *rest;
    const request *rq;
    const char *coder; /* the request's coder: its token's */
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
/* Whether manual coding `id` is the request's coder's: 1, or 0 with the
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

/* serve_cache.c: the last run's quotes, counts only (kb_quote_filter's
 * counts_only), as at the project's current data version: loaded once per
 * version and shared. The list stays valid until serve_counts_release. */
int serve_counts(const kb_quote_list **out, serve_held **hold, const call *k,
                 serve_list kind, kb_error *err);
void serve_counts_release(const call *k, serve_held *h);
/* Frees what the cache holds, at the server's end. */
void serve_counts_free(serve_watch *w);

/* serve_agree.c */
enum MHD_Result api_agree(const call *k);

/* serve_read.c: the quotes of a matrix cell */
enum MHD_Result api_matrix_quotes(const call *k);

/* serve_cases.c */
enum MHD_Result api_cases(const call *k);

/* A whole number >= 1 at the start of s, its end in *end; 0 if none. */
int64_t serve_id(const char *s, const char **end);

/* serve_playground.c */
enum MHD_Result api_playground(const call *k);
enum MHD_Result api_concept_put(const call *k);
/* serve_team.c: team mode (--listen, coders' tokens) and TLS. */
#define SERVE_PEM_MAX (1024 * 1024) /* a certificate or key file at most */
/* The address to listen on: --listen's, as given and as the Host header
 * writes it ("[::1]" for IPv6). */
typedef struct serve_address {
    struct sockaddr_storage sa;
    char name[48];
    int ipv6, loopback, wildcard; /* wildcard: 0.0.0.0 or :: */
} serve_address;
/* Parses an IPv4 or IPv6 address; -1 if `text` is not one. */
int team_address(serve_address *a, const char *text);
void team_address_port(serve_address *a, unsigned port);
/* Fills s->hosts: `dns` (--host, or NULL), the address (for a wildcard,
 * this computer's addresses), "localhost" on the loopback; each with
 * ":port". -1 when out of memory or the addresses cannot be read. */
int team_hosts(server *s, const serve_address *a, const char *dns,
               const char *port);
void team_hosts_free(server *s);
/* The coders with a token: counted in *n, and printed one a line ("NAME\t
 * CREATED") when `print`. 0, or an exit code (the error printed). */
int team_coders(size_t *n, kb_project *p, int print);
/* A new token for `coder`, printed as the link `base`?token=TOKEN. */
int team_coder_add(kb_project *p, const char *coder, const char *base);
int team_coder_remove(kb_project *p, const char *coder);
/* The coder whose token one of `given` (query, cookie, bearer; NULLs
 * skipped) is, that one's index in *which: in team mode a coder's token in
 * the project, else the printed token and s->own_coder. Caller frees; NULL
 * if none, with *failed set when the project could not be read. */
char *team_coder_of(const server *s, const char *const given[3], int *which,
                    int *failed);
/* Whether `given` is `secret`, compared in time independent of where they
 * differ. */
int serve_same_secret(const char *given, const char *secret);
/* Reads and checks --cert and --key (PEM, the key the certificate's);
 * 0, or an exit code (a one-line error naming the file printed). */
int team_tls_load(char **cert, char **key, const char *cert_path,
                  const char *key_path);

#endif
