/*
 * cmd_serve.c: kodbok serve — one project over HTTP, for the page in
 * tools/web (embedded at build time) and for scripts: a JSON API on
 * kodbok.h (docs/web.md). On the loopback every request needs the token
 * printed at start; in team mode (--listen, serve_team.c) a coder's own
 * token, whose coder the request acts as, and off the loopback TLS. The
 * Host header must name the bound address; a write also needs the
 * session's CSRF token and no foreign Origin. The project is opened per
 * request, so the CLI can work on it at the same time.
 */
#include "serve.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char HELP[] =
    "usage: kodbok serve [--port N] [--open]\n"
    "       kodbok serve --listen ADDR [--host NAME] [--cert FILE --key FILE]\n"
    "       kodbok serve --add-coder NAME | --remove-coder NAME | --coders\n\n"
    "Serves the project to a browser on this computer (127.0.0.1): prints\n"
    "a link with a token that every request needs, and runs until Ctrl-C.\n"
    "The JSON API the page uses serves scripts too (docs/web.md). The coder\n"
    "of codings added through it is $KODBOK_CODER, else the login name.\n\n"
    "Team mode (--listen): each coder has a token of their own (made by\n"
    "--add-coder, kept hashed in the project) and acts as themselves; off\n"
    "the loopback it needs TLS (--cert, --key) and starts only when some\n"
    "coder has a token.\n\n"
    "  --port N            the port (default 0: any free port, printed)\n"
    "  --open              open the link in the browser (xdg-open)\n"
    "  --listen ADDR       serve a team on this IP address (0.0.0.0: all)\n"
    "  --host NAME         a DNS name the team reaches the server by\n"
    "  --cert FILE         the TLS certificate (PEM): https\n"
    "  --key FILE          its private key (PEM, no passphrase)\n"
    "  --add-coder NAME    make NAME's token (replacing an old one), print\n"
    "                      NAME's link (with --listen, --host, --port and\n"
    "                      --cert if given) and exit\n"
    "  --remove-coder NAME remove NAME's token and exit\n"
    "  --coders            list the coders with a token (never the tokens)\n";

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

/* GET /api/session: who codes here, the token writes carry, and whether
 * the project can only be read here (writes are refused, the page says
 * so). */
static enum MHD_Result api_session(const call *k)
{
    struct MHD_Connection *c = k->c;
    const server *s = k->s;
    pthread_mutex_lock(&s->watch->lock);
    int readonly = kb_project_readonly(s->watch->p);
    pthread_mutex_unlock(&s->watch->lock);
    reply out;
    if (reply_start(&out))
        return MHD_NO;
    json_object(&out.j, NULL);
    json_string(&out.j, "coder", k->coder);
    json_string(&out.j, "csrf", s->csrf);
    json_string(&out.j, "project", s->project);
    json_bool(&out.j, "read_only", readonly);
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
    {"POST", "/api/playground", api_playground, 0},
    {"PUT", "/api/codebook/concepts/", api_concept_put, 0},
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
    call k = {c, s, NULL, "", rq, rq->coder};
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

/* Whether `given` is one of the names of the bound address, after
 * `scheme` ("" for the Host header, "http://" or "https://" for an
 * Origin). */
static int names_us(const server *s, const char *given, const char *scheme)
{
    size_t n = strlen(scheme);
    if (!given || strncmp(given, scheme, n))
        return 0;
    for (size_t i = 0; i < s->nhosts; i++)
        if (!strcmp(given + n, s->hosts[i]))
            return 1;
    return 0;
}

/*
 * The checks every request passes, in order: the Host header (DNS
 * rebinding), the token (query, cookie or "Authorization: Bearer"), which
 * gives the request's coder (rq->coder); for a write also the Origin (when
 * sent), Sec-Fetch-Site and the CSRF token. Returns 0 when they pass, else
 * the response was queued (*ok).
 */
static int refused(struct MHD_Connection *c, const server *s, int write,
                   request *rq, enum MHD_Result *ok)
{
    const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host");
    if (!names_us(s, host, "")) {
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
    const char *const given[3] = {query, cookie, bearer};
    int failed, which;
    rq->coder = team_coder_of(s, given, &which, &failed);
    rq->by_query = which == 0;
    if (failed) {
        *ok = send_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR,
                         "the project's tokens could not be read");
        return 1;
    }
    if (!rq->coder) {
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
    if ((origin && !names_us(s, origin, s->tls ? "https://" : "http://")) ||
        (site && strcmp(site, "same-origin") && strcmp(site, "none"))) {
        *ok = send_error(c, MHD_HTTP_FORBIDDEN,
                         "a write from another origin is refused");
        return 1;
    }
    if (!serve_same_secret(
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
        if (refused(c, s, write, rq, &ok))
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
    /* The first visit by the link leaves its token in a cookie. */
    char cookie[128];
    snprintf(cookie, sizeof cookie,
             "%s=%s; Path=/; HttpOnly; SameSite=Strict%s", s->cookie,
             MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "token"),
             s->tls ? "; Secure" : "");
    return serve_static(c, url, rq->by_query ? cookie : NULL);
}

static void request_done(void *cls, struct MHD_Connection *c, void **state,
                         enum MHD_RequestTerminationCode why)
{
    (void)cls;
    (void)c;
    (void)why;
    request *rq = *state;
    if (rq) {
        free(rq->body);
        free(rq->coder);
    }
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

/* What serve was asked to do, from its options. */
typedef struct serve_args {
    long long port;
    int open_it, list;
    const char *listen, *host, *cert, *key, *add, *remove;
} serve_args;

/* Parses serve's options; *stop is set when the command is over (help, an
 * error), with its exit code returned. */
static int serve_parse(serve_args *a, const char **project, int argc,
                       char **argv, int *stop)
{
    static const struct option opts[] = {
        {"project", required_argument, NULL, 'p'},
        {"port", required_argument, NULL, 'P'},
        {"open", no_argument, NULL, 'o'},
        {"listen", required_argument, NULL, 'L'},
        {"host", required_argument, NULL, 'H'},
        {"cert", required_argument, NULL, 'C'},
        {"key", required_argument, NULL, 'K'},
        {"add-coder", required_argument, NULL, 'A'},
        {"remove-coder", required_argument, NULL, 'R'},
        {"coders", no_argument, NULL, 'l'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    *stop = 1;
    int c;
    while ((c = getopt_long(argc, argv, "p:h", opts, NULL)) != -1) {
        switch (c) {
        case 'p':
            *project = optarg;
            break;
        case 'P':
            if (cli_number(optarg, 0, 65535, &a->port))
                return cli_usage("serve", "--port wants a number 0-65535");
            break;
        case 'o':
            a->open_it = 1;
            break;
        case 'L':
            a->listen = optarg;
            break;
        case 'H':
            a->host = optarg;
            break;
        case 'C':
            a->cert = optarg;
            break;
        case 'K':
            a->key = optarg;
            break;
        case 'A':
            a->add = optarg;
            break;
        case 'R':
            a->remove = optarg;
            break;
        case 'l':
            a->list = 1;
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
    if (!!a->add + !!a->remove + a->list > 1)
        return cli_usage("serve", "--add-coder, --remove-coder and --coders "
                                  "go one at a time");
    if (!a->cert != !a->key && !a->add) /* a link needs only to know */
        return cli_usage("serve", "--cert and --key go together");
    if (a->host &&
        (!*a->host || strspn(a->host, "abcdefghijklmnopqrstuvwxyz"
                                      "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                      "0123456789.-") != strlen(a->host)))
        return cli_usage("serve", "--host wants a DNS name (letters, digits, "
                                  "'.' and '-')");
    if (a->host && !a->listen && !a->add)
        return cli_usage("serve", "--host goes with --listen");
    if (a->open_it && a->listen)
        return cli_usage("serve", "--open opens the loopback's link; with "
                                  "--listen each coder opens their own");
    *stop = 0;
    return 0;
}

/* The address serve listens on: --listen's or 127.0.0.1. */
static int serve_address_of(serve_address *addr, const serve_args *a)
{
    if (!team_address(addr, a->listen ? a->listen : "127.0.0.1"))
        return 0;
    return cli_usage("serve",
                     "--listen wants an IP address (10.0.0.5, "
                     "0.0.0.0, ::1), not '%s'",
                     a->listen);
}

/* The start of a link to the server (scheme://NAME:PORT/) into buf, by
 * the options given; `port` is "PORT" when not known yet. */
static int serve_base(char *buf, size_t size, const serve_args *a,
                      const serve_address *addr, const char *port)
{
    server names = {0};
    if (team_hosts(&names, addr, a->host, port)) {
        cli_errorf("this computer's addresses could not be read");
        return EXIT_INTERNAL;
    }
    const char *host = names.nhosts ? names.hosts[0] : "127.0.0.1";
    for (size_t i = 0; addr->wildcard && !a->host && i < names.nhosts; i++)
        if (strncmp(names.hosts[i], "127.", 4) &&
            strncmp(names.hosts[i], "[::1]", 5)) {
            host = names.hosts[i];
            break;
        }
    int tls = a->cert || (a->listen && !addr->loopback);
    snprintf(buf, size, "%s://%s/", tls ? "https" : "http", host);
    team_hosts_free(&names);
    return 0;
}

/* --add-coder, --remove-coder, --coders: on the project, then exit. */
static int serve_manage(kb_project *p, const serve_args *a)
{
    size_t n;
    if (a->list) {
        int rc = team_coders(&n, p, 1);
        if (!rc && !n)
            printf("kodbok: no coder has a token (--add-coder NAME makes "
                   "one)\n");
        return rc;
    }
    if (a->remove)
        return team_coder_remove(p, a->remove);
    serve_address addr;
    int rc = serve_address_of(&addr, a);
    char port[8], base[320];
    snprintf(port, sizeof port, "%lld", a->port);
    if (rc ||
        (rc = serve_base(base, sizeof base, a, &addr, a->port ? port : "PORT")))
        return rc;
    if ((rc = team_coder_add(p, a->add, base)))
        return rc;
    if (!a->port)
        printf("kodbok: PORT is the port 'kodbok serve --listen' prints "
               "(--port N fixes it)\n");
    if (!a->listen)
        printf("kodbok: the token works when the server runs with --listen\n");
    return 0;
}

/* Whether the project may be served to a team as asked: some coder has a
 * token, and off the loopback TLS is on. 0, or an exit code. */
static int serve_team_ready(kb_project *p, const serve_args *a,
                            const serve_address *addr, size_t *ncoders)
{
    int rc = team_coders(ncoders, p, 0);
    if (rc)
        return rc;
    if (!addr->loopback && !a->cert) {
        cli_errorf("--listen %s is off this computer: serving a team there "
                   "needs TLS (--cert FILE --key FILE)",
                   a->listen);
        return EXIT_USAGE;
    }
    if (!*ncoders) {
        cli_errorf("no coder has a token: serving a team (--listen) needs "
                   "one ('kodbok serve --add-coder NAME' makes it)");
        return EXIT_USAGE;
    }
    return 0;
}

/*
 * A socket listening on addr (its port 0: any free one), made before the
 * daemon starts so that the names the Host may give, which hold the port,
 * are set before the first request; -1 with errno if it cannot be made.
 */
static int listen_on(const serve_address *addr, unsigned *port)
{
    int fd =
        socket(addr->ipv6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    int on = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    if (addr->ipv6) /* only the address given, not IPv4's as well */
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on);
    struct sockaddr_storage bound;
    socklen_t len =
        addr->ipv6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
    if (bind(fd, (const struct sockaddr *)&addr->sa, len) || listen(fd, 64) ||
        getsockname(fd, (struct sockaddr *)&bound, &len)) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    *port = ntohs(addr->ipv6 ? ((struct sockaddr_in6 *)&bound)->sin6_port
                             : ((struct sockaddr_in *)&bound)->sin_port);
    return fd;
}

int cmd_serve(int argc, char **argv, const char *project)
{
    serve_args a = {0};
    int stop_now;
    int rc = serve_parse(&a, &project, argc, argv, &stop_now);
    if (stop_now)
        return rc;
    serve_address addr;
    if ((rc = serve_address_of(&addr, &a)))
        return rc;
    serve_watch watch = {.lock = PTHREAD_MUTEX_INITIALIZER};
    if ((rc = cli_open(&watch.p, project))) /* a missing project is told now */
        return rc;
    if (kb_project_readonly(watch.p))
        cli_notice(NULL, "the project can only be read here: the page shows "
                         "it, and refuses changes");
    size_t ncoders = 0;
    if (a.add || a.remove || a.list)
        rc = serve_manage(watch.p, &a);
    else if (a.listen)
        rc = serve_team_ready(watch.p, &a, &addr, &ncoders);
    if (rc || a.add || a.remove || a.list) {
        kb_project_free(watch.p);
        return rc;
    }
    server s = {0};
    s.watch = &watch;
    s.project = cli_project_path(project);
    s.own_coder = cli_coder(NULL);
    s.team = !!a.listen;
    s.tls = !!a.cert;
    char *cert = NULL, *key = NULL;
    struct MHD_Daemon *d = NULL;
    kb_error rerr;
    if (kb_random_hex(s.token, SERVE_TOKEN_HEX, &rerr) ||
        kb_random_hex(s.csrf, SERVE_TOKEN_HEX, &rerr)) {
        rc = cli_fail(&rerr);
        goto done;
    }
    if (s.tls && (rc = team_tls_load(&cert, &key, a.cert, a.key)))
        goto done;

    /* SIGINT and SIGTERM are taken by sigwait below, in no other thread. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);

    team_address_port(&addr, (unsigned)a.port);
    unsigned bound;
    int fd = listen_on(&addr, &bound);
    if (fd < 0) {
        cli_errorf("could not listen on %s:%lld: %s", addr.name, a.port,
                   strerror(errno));
        rc = EXIT_INTERNAL;
        goto done;
    }
    char port[8], base[320], url[400] = "";
    snprintf(port, sizeof port, "%u", bound);
    snprintf(s.cookie, sizeof s.cookie, "kodbok-%u", bound);
    if (team_hosts(&s, &addr, a.host, port) ||
        (rc = serve_base(base, sizeof base, &a, &addr, port))) {
        cli_errorf("this computer's addresses could not be read");
        close(fd);
        rc = EXIT_INTERNAL;
        goto done;
    }
    struct MHD_OptionItem tls[] = {
        {MHD_OPTION_HTTPS_MEM_CERT, 0, cert},
        {MHD_OPTION_HTTPS_MEM_KEY, 0, key},
        {MHD_OPTION_END, 0, NULL},
    };
    d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL_LINUX_ONLY |
            (s.tls ? MHD_USE_TLS : 0) | (addr.ipv6 ? MHD_USE_IPv6 : 0),
        0, NULL, NULL, handle, &s, MHD_OPTION_LISTEN_SOCKET, fd,
        MHD_OPTION_NOTIFY_COMPLETED, request_done, NULL,
        MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)64,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)SERVE_THREADS, MHD_OPTION_ARRAY,
        s.tls ? tls : tls + 2, MHD_OPTION_END);
    if (!d) {
        cli_errorf("could not serve on %s:%u", addr.name, bound);
        close(fd);
        rc = EXIT_INTERNAL;
        goto done;
    }
    if (s.team) {
        printf("kodbok: serving %s to %zu %s at %s (each opens their link "
               "from --add-coder; Ctrl-C stops)\n",
               s.project, ncoders, cli_plural(ncoders, "coder", "coders"),
               base);
    } else {
        snprintf(url, sizeof url, "%s?token=%s", base, s.token);
        printf("kodbok: serving %s at %s (Ctrl-C stops)\n", s.project, url);
    }
    fflush(stdout);
    if (a.open_it)
        open_browser(url, &stop);

    int sig;
    sigwait(&stop, &sig);
    MHD_stop_daemon(d); /* closes fd */
    if (a.open_it)
        while (waitpid(-1, NULL, WNOHANG) > 0)
            ;
    printf("kodbok: stopped\n");
done:
    serve_counts_free(&watch);
    kb_project_free(watch.p);
    team_hosts_free(&s);
    free(cert);
    free(key);
    return rc;
}
