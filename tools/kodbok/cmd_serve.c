/*
 * cmd_serve.c: kodbok serve — one project over HTTP on the loopback, for
 * the page in tools/web (embedded at build time) and for scripts: a JSON
 * API on kodbok.h (docs/web.md). Every request needs the token printed at
 * start; the Host header must name the bound address; a write also needs
 * the session's CSRF token and no foreign Origin. The project is opened
 * per request, so the CLI can work on it at the same time.
 */
#include "serve.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/wait.h>
#include <unistd.h>

static const char HELP[] =
    "usage: kodbok serve [--port N] [--open]\n\n"
    "Serves the project to a browser on this computer (127.0.0.1): prints\n"
    "a link with a token that every request needs, and runs until Ctrl-C.\n"
    "The JSON API the page uses serves scripts too (docs/web.md). The coder\n"
    "of codings added through it is $KODBOK_CODER, else the login name.\n\n"
    "  --port N    the port (default 0: any free port, printed)\n"
    "  --open      open the link in the browser (xdg-open)\n";

/* Request bodies larger than this are refused (413). */
#define BODY_MAX (64 * 1024)

/* Threads answering requests, so that a long one (a matrix of a large
 * project) does not hold up the others (the page's version polls). */
#define SERVE_THREADS 4
/* How long a write waits for another writer (`kodbok code`) before it is
 * answered 503, in ms. */
#define SERVE_BUSY_MS 500

/* The page's files (tools/web), embedded by tools/CMakeLists.txt. */
static const struct {
    const char *path, *type, *body;
} STATIC_FILES[] = {
#include "web/files.inc"
};

static int random_hex(char *out, size_t hex)
{
    unsigned char raw[SERVE_TOKEN_HEX / 2];
    if (getrandom(raw, hex / 2, 0) != (ssize_t)(hex / 2))
        return -1;
    for (size_t i = 0; i < hex / 2; i++)
        sprintf(out + 2 * i, "%02x", raw[i]);
    out[hex] = '\0';
    return 0;
}

/* Compares in time independent of where they differ. */
static int same_secret(const char *given, const char *secret)
{
    if (!given)
        return 0;
    size_t n = strlen(secret);
    if (strlen(given) != n)
        return 0;
    unsigned char diff = 0;
    for (size_t i = 0; i < n; i++)
        diff |= (unsigned char)(given[i] ^ secret[i]);
    return !diff;
}

/* GET /api/session: who codes here, and the token writes carry. */
static enum MHD_Result api_session(const call *k)
{
    struct MHD_Connection *c = k->c;
    const server *s = k->s;
    reply out;
    if (reply_start(&out))
        return MHD_NO;
    json_object(&out.j, NULL);
    json_string(&out.j, "coder", s->coder);
    json_string(&out.j, "csrf", s->csrf);
    json_string(&out.j, "project", s->project);
    json_end(&out.j);
    return reply_send(c, &out, MHD_HTTP_OK);
}

/* GET /api/version: the project's data version, which changes whenever
 * another connection (the CLI, or this server's other requests) commits. */
static enum MHD_Result api_version(const call *k)
{
    serve_watch *w = k->s->watch;
    int64_t v = 0;
    kb_error err;
    pthread_mutex_lock(&w->lock);
    int rc = kb_project_data_version(&v, w->p, &err);
    pthread_mutex_unlock(&w->lock);
    if (rc)
        return send_kb_error(k->c, &err);
    reply out;
    if (reply_start(&out))
        return MHD_NO;
    char text[24];
    snprintf(text, sizeof text, "%lld", (long long)v);
    json_object(&out.j, NULL);
    json_string(&out.j, "version", text);
    json_end(&out.j);
    return reply_send(k->c, &out, MHD_HTTP_OK);
}

/*
 * The API's routes: a method, a path (or a prefix, ending in '/', whose
 * rest names one thing; ending in "/" and "*", a thing or a part of it:
 * "ID/memo"), and whether it works without a project.
 */
static const struct route {
    const char *method, *path;
    serve_handler answer;
    int no_project;
} ROUTES[] = {
    {"GET", "/api/session", api_session, 1},
    {"GET", "/api/documents", api_documents, 0},
    {"GET", "/api/documents/", api_document, 0},
    {"GET", "/api/codebook", api_codebook, 0},
    {"GET", "/api/matrix", api_matrix, 0},
    {"POST", "/api/tags", api_tag_add, 0},
    /* review, memos, agreement, a matrix cell's quotes, the version */
    {"DELETE", "/api/tags/*", api_tag_delete, 0},
    {"PUT", "/api/tags/*", api_tag_memo, 0},
    {"GET", "/api/review", api_review, 0},
    {"POST", "/api/review", api_review_decide, 0},
    {"GET", "/api/memos", api_memos, 0},
    {"POST", "/api/memos", api_memo_add, 0},
    {"PUT", "/api/memos/", api_memo_edit, 0},
    {"DELETE", "/api/memos/", api_memo_remove, 0},
    {"GET", "/api/matrix/quotes", api_matrix_quotes, 0},
    {"GET", "/api/agree", api_agree, 0},
    {"GET", "/api/version", api_version, 1},
    /* the cases with their attributes (the documents view) */
    {"GET", "/api/cases", api_cases, 0},
};

/* The route for method and url, its rest in *rest; NULL if none. */
static const struct route *route_of(const char *method, const char *url,
                                    const char **rest)
{
    int get = !strcmp(method, "GET") || !strcmp(method, "HEAD");
    for (size_t i = 0; i < sizeof ROUTES / sizeof ROUTES[0]; i++) {
        const struct route *r = &ROUTES[i];
        if (strcmp(r->method, get ? "GET" : method))
            continue;
        size_t n = strlen(r->path);
        int nested = n > 1 && !strcmp(r->path + n - 2, "/*");
        n -= (size_t)nested;
        if (r->path[n - 1] != '/') {
            if (!strcmp(url, r->path)) {
                *rest = "";
                return r;
            }
        } else if (!strncmp(url, r->path, n) && url[n] &&
                   (nested || !strchr(url + n, '/'))) {
            *rest = url + n;
            return r;
        }
    }
    return NULL;
}

/* Answers an API request, on the project opened for it. */
static enum MHD_Result route_api(struct MHD_Connection *c, const server *s,
                                 const char *url, const request *rq)
{
    call k = {c, s, NULL, "", rq};
    const struct route *r = route_of(rq->method, url, &k.rest);
    if (!r)
        return send_error(c, MHD_HTTP_NOT_FOUND, "no such resource");
    if (r->no_project)
        return r->answer(&k);
    kb_error err;
    if (kb_project_open(&k.p, s->project, &err))
        return send_kb_error(c, &err);
    /* A write told at once that the project is busy (503), not after 5 s. */
    if (strcmp(r->method, "GET"))
        kb_project_busy_timeout(k.p, SERVE_BUSY_MS, NULL);
    enum MHD_Result ok = r->answer(&k);
    kb_project_free(k.p);
    return ok;
}

static enum MHD_Result serve_static(struct MHD_Connection *c, const char *url,
                                    const char *set_cookie)
{
    for (size_t i = 0; i < sizeof STATIC_FILES / sizeof STATIC_FILES[0]; i++)
        if (!strcmp(url, STATIC_FILES[i].path))
            return serve_send(c, MHD_HTTP_OK, STATIC_FILES[i].type,
                              STATIC_FILES[i].body,
                              strlen(STATIC_FILES[i].body),
                              MHD_RESPMEM_PERSISTENT, set_cookie);
    return send_error(c, MHD_HTTP_NOT_FOUND, "no such resource");
}

/* Whether `given` is one of the two names of the bound address. */
static int names_us(const char *given, const char *a, const char *b)
{
    return given && (!strcmp(given, a) || !strcmp(given, b));
}

/*
 * The checks every request passes, in order: the Host header (DNS
 * rebinding), the token (query, cookie or "Authorization: Bearer"); for a
 * write also the Origin (when sent), Sec-Fetch-Site and the CSRF token.
 * Returns 0 when they pass, else the response was queued (*ok).
 */
static int refused(struct MHD_Connection *c, const server *s, int write,
                   int *by_query, enum MHD_Result *ok)
{
    const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host");
    if (!names_us(host, s->hosts[0], s->hosts[1])) {
        *ok = send_error(c, MHD_HTTP_FORBIDDEN,
                         "the Host header does not name this server");
        return 1;
    }
    const char *query =
        MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "token");
    const char *cookie =
        MHD_lookup_connection_value(c, MHD_COOKIE_KIND, s->cookie);
    const char *auth =
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
    const char *bearer = auth && !strncmp(auth, "Bearer ", 7) ? auth + 7 : NULL;
    *by_query = same_secret(query, s->token);
    if (!*by_query && !same_secret(cookie, s->token) &&
        !same_secret(bearer, s->token)) {
        *ok = send_error(c, MHD_HTTP_UNAUTHORIZED,
                         "the token is missing or wrong (use the link "
                         "printed at start)");
        return 1;
    }
    if (!write)
        return 0;
    const char *origin =
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin");
    const char *site =
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Sec-Fetch-Site");
    if ((origin && !names_us(origin, s->origins[0], s->origins[1])) ||
        (site && strcmp(site, "same-origin") && strcmp(site, "none"))) {
        *ok = send_error(c, MHD_HTTP_FORBIDDEN,
                         "a write from another origin is refused");
        return 1;
    }
    if (!same_secret(
            MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-CSRF-Token"),
            s->csrf)) {
        *ok = send_error(c, MHD_HTTP_FORBIDDEN,
                         "a write needs the X-CSRF-Token header "
                         "(/api/session gives it)");
        return 1;
    }
    return 0;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c,
                              const char *url, const char *method,
                              const char *version, const char *upload,
                              size_t *upload_size, void **state)
{
    (void)version;
    const server *s = cls;
    int write = !strcmp(method, "POST") || !strcmp(method, "PUT") ||
                !strcmp(method, "DELETE") || !strcmp(method, "PATCH");
    request *rq = *state;
    if (!rq) {
        if (!(rq = calloc(1, sizeof *rq)))
            return MHD_NO;
        rq->method = method;
        *state = rq;
        enum MHD_Result ok;
        int by_query;
        if (refused(c, s, write, &by_query, &ok))
            return ok;
        if (!write && strcmp(method, "GET") && strcmp(method, "HEAD"))
            return send_error(c, MHD_HTTP_METHOD_NOT_ALLOWED,
                              "GET, HEAD or POST");
        const char *length = MHD_lookup_connection_value(
            c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (length && strtoull(length, NULL, 10) > BODY_MAX)
            return send_error(c, MHD_HTTP_CONTENT_TOO_LARGE,
                              "the request body is too large");
        return MHD_YES; /* the body, if any, comes next */
    }
    if (*upload_size) {
        if (rq->len + *upload_size > BODY_MAX) {
            rq->too_big = 1;
        } else {
            char *grown = realloc(rq->body, rq->len + *upload_size + 1);
            if (!grown)
                return MHD_NO;
            memcpy(grown + rq->len, upload, *upload_size);
            rq->body = grown;
            rq->len += *upload_size;
            rq->body[rq->len] = '\0';
        }
        *upload_size = 0;
        return MHD_YES;
    }
    if (rq->too_big)
        return send_error(c, MHD_HTTP_CONTENT_TOO_LARGE,
                          "the request body is too large");
    if (!strncmp(url, "/api/", 5))
        return route_api(c, s, url, rq);
    if (write)
        return send_error(c, MHD_HTTP_NOT_FOUND, "no such resource");
    /* The first visit by the printed link leaves the token in a cookie. */
    char cookie[128];
    snprintf(cookie, sizeof cookie, "%s=%s; Path=/; HttpOnly; SameSite=Strict",
             s->cookie, s->token);
    int by_query = same_secret(
        MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "token"),
        s->token);
    return serve_static(c, url, by_query ? cookie : NULL);
}

static void request_done(void *cls, struct MHD_Connection *c, void **state,
                         enum MHD_RequestTerminationCode why)
{
    (void)cls;
    (void)c;
    (void)why;
    request *rq = *state;
    if (rq)
        free(rq->body);
    free(rq);
    *state = NULL;
}

/* Decodes %XX in the path and the query; a decoded NUL would cut a name
 * short ("/index.html%00.x"), so such a part names nothing. */
static size_t unescape(void *cls, struct MHD_Connection *c, char *part)
{
    (void)cls;
    (void)c;
    size_t n = MHD_http_unescape(part);
    if (strlen(part) != n) {
        strcpy(part, "\x7f"); /* the decoded form is never longer */
        return 1;
    }
    return n;
}

/* Runs xdg-open on url, with the signals sigwait takes unblocked again. */
static void open_browser(const char *url, const sigset_t *stop)
{
    pid_t pid = fork();
    if (pid == 0) {
        pthread_sigmask(SIG_UNBLOCK, stop, NULL);
        execlp("xdg-open", "xdg-open", url, (char *)NULL);
        _exit(127);
    }
    if (pid < 0)
        cli_errorf("could not start xdg-open: %s", strerror(errno));
}

int cmd_serve(int argc, char **argv, const char *project)
{
    static const struct option opts[] = {
        {"project", required_argument, NULL, 'p'},
        {"port", required_argument, NULL, 'P'},
        {"open", no_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    long long port = 0;
    int open_it = 0, c;
    while ((c = getopt_long(argc, argv, "p:h", opts, NULL)) != -1) {
        switch (c) {
        case 'p':
            project = optarg;
            break;
        case 'P':
            if (cli_number(optarg, 0, 65535, &port))
                return cli_usage("serve", "--port wants a number 0-65535");
            break;
        case 'o':
            open_it = 1;
            break;
        case 'h':
            fputs(HELP, stdout);
            return 0;
        default:
            return cli_bad_option("serve", argv);
        }
    }
    if (optind < argc)
        return cli_usage("serve", "unexpected argument '%s'", argv[optind]);
    serve_watch watch = {.lock = PTHREAD_MUTEX_INITIALIZER};
    int rc = cli_open(&watch.p, project); /* a missing project is told now */
    if (rc)
        return rc;
    server s = {0};
    s.watch = &watch;
    s.project = cli_project_path(project);
    s.coder = cli_coder(NULL);
    if (random_hex(s.token, SERVE_TOKEN_HEX) ||
        random_hex(s.csrf, SERVE_TOKEN_HEX)) {
        cli_errorf("no random numbers for the token: %s", strerror(errno));
        kb_project_free(watch.p);
        return EXIT_INTERNAL;
    }

    /* SIGINT and SIGTERM are taken by sigwait below, in no other thread. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);

    struct sockaddr_in addr = {0};
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL_LINUX_ONLY, 0, NULL,
        NULL, handle, &s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_NOTIFY_COMPLETED, request_done, NULL,
        MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)64,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)SERVE_THREADS, MHD_OPTION_END);
    if (!d) {
        cli_errorf("could not listen on 127.0.0.1:%lld (is the port in use?)",
                   port);
        kb_project_free(watch.p);
        return EXIT_INTERNAL;
    }
    const union MHD_DaemonInfo *info =
        MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    unsigned bound = info ? info->port : (unsigned)port;
    snprintf(s.cookie, sizeof s.cookie, "kodbok-%u", bound);
    snprintf(s.hosts[0], sizeof s.hosts[0], "127.0.0.1:%u", bound);
    snprintf(s.hosts[1], sizeof s.hosts[1], "localhost:%u", bound);
    snprintf(s.origins[0], sizeof s.origins[0], "http://127.0.0.1:%u", bound);
    snprintf(s.origins[1], sizeof s.origins[1], "http://localhost:%u", bound);
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%u/?token=%s", bound, s.token);
    printf("kodbok: serving %s at %s (Ctrl-C stops)\n", s.project, url);
    fflush(stdout);
    if (open_it)
        open_browser(url, &stop);

    int sig;
    sigwait(&stop, &sig);
    MHD_stop_daemon(d);
    kb_project_free(watch.p);
    if (open_it)
        while (waitpid(-1, NULL, WNOHANG) > 0)
            ;
    printf("kodbok: stopped\n");
    return 0;
}
