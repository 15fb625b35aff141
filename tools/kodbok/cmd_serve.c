/*
 * cmd_serve.c: kodbok serve — one project over HTTP on the loopback, for
 * the page in tools/web (embedded at build time) and for scripts: a JSON
 * API on kodbok.h (docs/web.md). Every request needs the token printed at
 * start; the Host header must name the bound address; a write also needs
 * the session's CSRF token and no foreign Origin. The project is opened
 * per request, so the CLI can work on it at the same time.
 */
#include "cli.h"
#include "json.h"
#include "serve_body.h"

#include <microhttpd.h>

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
#define BODY_MAX  (64 * 1024)
#define TOKEN_HEX 32

/* The page's files, embedded by tools/CMakeLists.txt. */
static const char INDEX_HTML[] =
#include "web/index.html.inc"
    ;
static const char APP_JS[] =
#include "web/app.js.inc"
    ;
static const char STYLE_CSS[] =
#include "web/style.css.inc"
    ;

static const struct {
    const char *path, *type, *body;
} STATIC_FILES[] = {
    {"/", "text/html; charset=utf-8", INDEX_HTML},
    {"/index.html", "text/html; charset=utf-8", INDEX_HTML},
    {"/app.js", "text/javascript; charset=utf-8", APP_JS},
    {"/style.css", "text/css; charset=utf-8", STYLE_CSS},
};

typedef struct server {
    const char *project; /* path */
    const char *coder;
    char token[TOKEN_HEX + 1], csrf[TOKEN_HEX + 1];
    char cookie[32];                   /* the token cookie's name */
    char hosts[2][32], origins[2][48]; /* 127.0.0.1:PORT, localhost:PORT */
} server;

/* One request being read. */
typedef struct request {
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

static int random_hex(char *out, size_t hex)
{
    unsigned char raw[TOKEN_HEX / 2];
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

static enum MHD_Result send_bytes(struct MHD_Connection *c, unsigned status,
                                  const char *type, const char *body,
                                  size_t len, enum MHD_ResponseMemoryMode mode,
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
    enum MHD_Result ok = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ok;
}

static int reply_start(reply *out)
{
    memset(out, 0, sizeof *out);
    out->f = open_memstream(&out->buf, &out->len);
    if (!out->f)
        return -1;
    json_init(&out->j, out->f);
    return 0;
}

/* Sends the JSON written to `out` with `status`. */
static enum MHD_Result reply_send(struct MHD_Connection *c, reply *out,
                                  unsigned status)
{
    if (fclose(out->f)) {
        free(out->buf);
        return MHD_NO;
    }
    return send_bytes(c, status, "application/json; charset=utf-8", out->buf,
                      out->len, MHD_RESPMEM_MUST_FREE, NULL);
}

/* {"error": message} with `status`. */
static enum MHD_Result send_error(struct MHD_Connection *c, unsigned status,
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
    default:
        return MHD_HTTP_INTERNAL_SERVER_ERROR;
    }
}

static enum MHD_Result send_kb_error(struct MHD_Connection *c,
                                     const kb_error *err)
{
    return send_error(c, status_of(err->code), err->message);
}

/* GET /api/session: who codes here, and the token writes carry. */
static enum MHD_Result api_session(struct MHD_Connection *c, const server *s)
{
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

/* GET /api/documents: as `kodbok docs --format json`. */
static enum MHD_Result api_documents(struct MHD_Connection *c, kb_project *p)
{
    kb_doc_list *l;
    kb_error err;
    if (kb_project_docs(&l, p, &err))
        return send_kb_error(c, &err);
    reply out;
    if (reply_start(&out)) {
        kb_doc_list_free(l);
        return MHD_NO;
    }
    json_object(&out.j, NULL);
    json_array(&out.j, "documents");
    for (size_t i = 0; i < kb_doc_list_count(l); i++) {
        json_object(&out.j, NULL);
        json_doc_info(&out.j, kb_doc_list_get(l, i));
        json_end(&out.j);
    }
    json_end(&out.j);
    json_end(&out.j);
    kb_doc_list_free(l);
    return reply_send(c, &out, MHD_HTTP_OK);
}

static void write_turns(json *j, const kb_document *d)
{
    json_array(j, "turns");
    size_t n = kb_document_segment_count(d, KB_SEG_TURN);
    for (size_t i = 0; i < n; i++) {
        const kb_segment *t = kb_document_segment(d, KB_SEG_TURN, i);
        json_object(j, NULL);
        json_size(j, "index", t->index);
        json_string(j, "speaker", t->speaker);
        json_string(j, "role", kb_role_name(t->role));
        json_string(j, "case", t->case_id);
        if (t->time_ms == KB_NO_TIME)
            json_null(j, "time_ms");
        else
            json_int(j, "time_ms", t->time_ms);
        json_size(j, "start", t->start);
        json_size(j, "end", t->end);
        json_string_n(j, "text", t->text, t->text_len);
        json_end(j);
    }
    json_end(j);
}

/* The quotes of the last run on document `name` (none before a run). */
static int write_quotes(json *j, kb_project *p, const char *name, kb_error *err)
{
    kb_quote_filter f = {0};
    f.document = name;
    f.with_rejected = 1;
    f.skip_words = 1;
    kb_quote_list *l = NULL;
    int rc = kb_project_quotes(&l, p, &f, err);
    if (rc && rc != KB_ENORUN)
        return rc;
    json_array(j, "quotes");
    for (size_t i = 0; l && i < kb_quote_list_count(l); i++) {
        const kb_quote_row *q = kb_quote_list_get(l, i);
        json_object(j, NULL);
        json_size(j, "start", q->start);
        json_size(j, "end", q->end);
        json_string(j, "dimension", q->dimension);
        json_string(j, "theme", q->theme);
        json_string(j, "concept", q->concept);
        json_string(j, "source", q->source);
        json_string(j, "coder", q->coder);
        json_string(j, "decision", kb_decision_name(q->decision));
        json_bool(j, "rejected", q->rejected);
        json_end(j);
    }
    json_end(j);
    kb_quote_list_free(l);
    return 0;
}

/* The placed manual codings of every coder on document `name`. */
static int write_tags(json *j, kb_project *p, const char *name, kb_error *err)
{
    kb_tag_list *l;
    int rc = kb_project_tags(&l, p, NULL, err);
    if (rc)
        return rc;
    json_array(j, "tags");
    for (size_t i = 0; i < kb_tag_list_count(l); i++) {
        const kb_tag_info *t = kb_tag_list_get(l, i);
        if (!t->placed || strcmp(t->document, name))
            continue;
        json_object(j, NULL);
        json_int(j, "id", t->id);
        json_string(j, "coder", t->coder);
        json_string(j, "kind", kb_code_kind_name(t->kind));
        json_string(j, "code", t->code);
        json_string(j, "decision", kb_decision_name(t->decision));
        json_size(j, "start", t->start);
        json_size(j, "end", t->end);
        json_string(j, "facets", t->facets);
        json_string(j, "memo", t->memo);
        json_end(j);
    }
    json_end(j);
    kb_tag_list_free(l);
    return 0;
}

/* GET /api/documents/NAME: its turns, quotes and manual codings. */
static enum MHD_Result api_document(struct MHD_Connection *c, kb_project *p,
                                    const char *name)
{
    kb_document *d;
    kb_error err;
    if (kb_document_load(&d, p, name, 0, &err))
        return send_kb_error(c, &err);
    reply out;
    if (reply_start(&out)) {
        kb_document_free(d);
        return MHD_NO;
    }
    json_object(&out.j, NULL);
    json_doc_info(&out.j, kb_document_info(d));
    write_turns(&out.j, d);
    kb_document_free(d);
    int rc = write_quotes(&out.j, p, name, &err);
    if (!rc)
        rc = write_tags(&out.j, p, name, &err);
    if (rc) {
        fclose(out.f);
        free(out.buf);
        return send_kb_error(c, &err);
    }
    json_end(&out.j);
    return reply_send(c, &out, MHD_HTTP_OK);
}

/* The quotes of each code (dimension, theme, concept) counted by level,
 * as `matrix --rows KIND --cols level` counts them: a matrix per kind, by
 * "document" (totals only) when the codebook has no facet "level". */
typedef struct code_counts {
    kb_matrix *m[3];
    int by_level;
    size_t *row; /* per codebook node: its row in its kind's matrix + 1 */
} code_counts;

static const kb_code_kind CODE_KINDS[3] = {KB_CODE_DIMENSION, KB_CODE_THEME,
                                           KB_CODE_CONCEPT};

static int count_codes(code_counts *cc, const kb_codebook *cb,
                       const kb_quote_list *l, kb_error *err)
{
    memset(cc, 0, sizeof *cc);
    cc->by_level = kb_codebook_find(cb, KB_CODE_FACET, "level") != KB_NO_INDEX;
    if (!(cc->row = calloc(kb_codebook_count(cb), sizeof *cc->row))) {
        err->code = KB_ENOMEM;
        snprintf(err->message, sizeof err->message, "out of memory");
        return KB_ENOMEM;
    }
    for (size_t k = 0; k < 3; k++) {
        int rc = kb_matrix_build(&cc->m[k], l, kb_code_kind_name(CODE_KINDS[k]),
                                 cc->by_level ? "level" : "document",
                                 KB_COUNT_QUOTES, err);
        if (rc)
            return rc;
        for (size_t r = 0; r < kb_matrix_rows(cc->m[k]); r++) {
            size_t node = kb_codebook_find(cb, CODE_KINDS[k],
                                           kb_matrix_row_key(cc->m[k], r));
            if (node != KB_NO_INDEX)
                cc->row[node] = r + 1;
        }
    }
    return 0;
}

static void code_counts_free(code_counts *cc)
{
    for (size_t k = 0; k < 3; k++)
        kb_matrix_free(cc->m[k]);
    free(cc->row);
}

static void write_codebook(json *j, const kb_codebook *cb,
                           const kb_run_info *run, const code_counts *cc)
{
    json_object(j, NULL);
    json_string(j, "name", kb_codebook_name(cb));
    json_string(j, "hash", kb_codebook_hash(cb));
    json_string(j, "path", run->codebook_path);
    json_int(j, "run", run->id);
    json_bool(j, "changed", strcmp(kb_codebook_hash(cb), run->codebook_hash));
    const kb_matrix *levels = cc->m[0];
    json_array(j, "levels");
    for (size_t c = 0; cc->by_level && c < kb_matrix_cols(levels); c++)
        json_string(j, NULL, kb_matrix_col_key(levels, c));
    json_end(j);
    json_array(j, "nodes");
    for (size_t i = 0; i < kb_codebook_count(cb); i++) {
        kb_code_kind kind = kb_codebook_get(cb, i)->kind;
        json_object(j, NULL);
        json_code_info(j, cb, i);
        for (size_t k = 0; k < 3; k++) {
            if (kind != CODE_KINDS[k])
                continue;
            const kb_matrix *m = cc->m[k];
            size_t r = cc->row[i];
            json_size(j, "quotes", r ? kb_matrix_row_total(m, r - 1) : 0);
            json_object(j, "by_level");
            for (size_t c = 0; cc->by_level && c < kb_matrix_cols(m); c++)
                json_size(j, kb_matrix_col_key(m, c),
                          r ? kb_matrix_cell(m, r - 1, c) : 0);
            json_end(j);
        }
        json_end(j);
    }
    json_end(j);
    json_end(j);
}

/* GET /api/codebook: the last run's codebook as `codebook check --format
 * json` lists it, each code with its quotes counted in all and by level. */
static enum MHD_Result api_codebook(struct MHD_Connection *c, kb_project *p)
{
    kb_run_list *runs;
    kb_error err;
    if (kb_project_runs(&runs, p, &err))
        return send_kb_error(c, &err);
    size_t nr = kb_run_list_count(runs);
    if (!nr) {
        kb_run_list_free(runs);
        return send_error(c, MHD_HTTP_CONFLICT,
                          "the project has not been coded yet: no codebook");
    }
    const kb_run_info *run = kb_run_list_get(runs, nr - 1);
    kb_codebook *cb = NULL;
    kb_quote_list *l = NULL;
    kb_quote_filter f = {0};
    f.counts_only = 1;
    f.skip_words = 1;
    code_counts cc = {0};
    reply out;
    enum MHD_Result ok;
    if (kb_codebook_load(&cb, run->codebook_path, &err) ||
        kb_project_quotes(&l, p, &f, &err) || count_codes(&cc, cb, l, &err)) {
        ok = send_kb_error(c, &err);
    } else if (reply_start(&out)) {
        ok = MHD_NO;
    } else {
        write_codebook(&out.j, cb, run, &cc);
        ok = reply_send(c, &out, MHD_HTTP_OK);
    }
    code_counts_free(&cc);
    kb_quote_list_free(l);
    kb_codebook_free(cb);
    kb_run_list_free(runs);
    return ok;
}

/* GET /api/matrix?rows=&cols=&count=&unit=: as `matrix --format json`. */
static enum MHD_Result api_matrix(struct MHD_Connection *c, kb_project *p)
{
    kb_export_options o = KB_EXPORT_OPTIONS_INIT;
    o.format = KB_EXPORT_JSON;
    o.rows = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "rows");
    o.cols = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "cols");
    const char *count =
        MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "count");
    const char *unit =
        MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "unit");
    if (o.rows && !*o.rows)
        o.rows = NULL;
    if (o.cols && !*o.cols)
        o.cols = NULL;
    if (count && *count) {
        int k = kb_count_kind_parse(count);
        if (k < 0)
            return send_error(c, MHD_HTTP_BAD_REQUEST,
                              "unknown count (quotes, documents, cases, "
                              "words or presence)");
        o.count = (kb_count_kind)k;
    }
    if (unit && *unit) {
        int u = kb_matrix_unit_parse(unit);
        if (u < 0)
            return send_error(c, MHD_HTTP_BAD_REQUEST,
                              "unknown unit (segment, turn, document or "
                              "case)");
        o.unit = (kb_matrix_unit)u;
    }
    kb_quote_filter f = {0};
    f.counts_only = 1;
    f.skip_words = o.count != KB_COUNT_WORDS;
    kb_quote_list *l;
    kb_error err;
    if (kb_project_quotes(&l, p, &f, &err))
        return send_kb_error(c, &err);
    reply out;
    if (reply_start(&out)) {
        kb_quote_list_free(l);
        return MHD_NO;
    }
    int rc = kb_matrix_write(out.f, l, &o, &err);
    kb_quote_list_free(l);
    if (rc) {
        fclose(out.f);
        free(out.buf);
        return send_kb_error(c, &err);
    }
    return reply_send(c, &out, MHD_HTTP_OK);
}

/* POST /api/tags {"document", "code", "start", "end"[, "memo"]}: what
 * `kodbok tag DOC CODE --span START:END` does, as the server's coder. */
static enum MHD_Result api_tag(struct MHD_Connection *c, kb_project *p,
                               const server *s, const request *rq)
{
    serve_tag_body b;
    char msg[256];
    if (serve_tag_body_read(&b, rq->body, rq->len, msg, sizeof msg))
        return send_error(c, MHD_HTTP_BAD_REQUEST, msg);
    kb_where at = {0};
    at.by = KB_AT_SPAN;
    at.start = b.start;
    at.end = b.end;
    kb_tag_options o = KB_TAG_OPTIONS_INIT;
    o.coder = s->coder;
    o.memo = b.memo;
    int64_t id;
    kb_error err;
    enum MHD_Result ok;
    reply out;
    if (kb_tag_add(&id, p, b.document, b.code, &at, &o, &err)) {
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
        json_string(&out.j, "coder", s->coder);
        json_end(&out.j);
        ok = reply_send(c, &out, MHD_HTTP_CREATED);
    }
    serve_tag_body_free(&b);
    return ok;
}

/* The API's routes, on a project opened for this request. */
static enum MHD_Result route_api(struct MHD_Connection *c, const server *s,
                                 const char *url, int write, const request *rq)
{
    if (!write && !strcmp(url, "/api/session"))
        return api_session(c, s);
    kb_project *p;
    kb_error err;
    if (kb_project_open(&p, s->project, &err))
        return send_kb_error(c, &err);
    enum MHD_Result ok;
    const char *prefix = "/api/documents/";
    if (!write && !strcmp(url, "/api/documents"))
        ok = api_documents(c, p);
    else if (!write && !strncmp(url, prefix, strlen(prefix)) &&
             url[strlen(prefix)] && !strchr(url + strlen(prefix), '/'))
        ok = api_document(c, p, url + strlen(prefix));
    else if (!write && !strcmp(url, "/api/codebook"))
        ok = api_codebook(c, p);
    else if (!write && !strcmp(url, "/api/matrix"))
        ok = api_matrix(c, p);
    else if (write && !strcmp(url, "/api/tags"))
        ok = api_tag(c, p, s, rq);
    else
        ok = send_error(c, MHD_HTTP_NOT_FOUND, "no such resource");
    kb_project_free(p);
    return ok;
}

static enum MHD_Result serve_static(struct MHD_Connection *c, const char *url,
                                    const char *set_cookie)
{
    for (size_t i = 0; i < sizeof STATIC_FILES / sizeof STATIC_FILES[0]; i++)
        if (!strcmp(url, STATIC_FILES[i].path))
            return send_bytes(c, MHD_HTTP_OK, STATIC_FILES[i].type,
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
        return route_api(c, s, url, write, rq);
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
    kb_project *p;
    int rc = cli_open(&p, project); /* a missing project is told now */
    if (rc)
        return rc;
    kb_project_free(p);
    server s = {0};
    s.project = cli_project_path(project);
    s.coder = cli_coder(NULL);
    if (random_hex(s.token, TOKEN_HEX) || random_hex(s.csrf, TOKEN_HEX)) {
        cli_errorf("no random numbers for the token: %s", strerror(errno));
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
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60, MHD_OPTION_END);
    if (!d) {
        cli_errorf("could not listen on 127.0.0.1:%lld (is the port in use?)",
                   port);
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
    if (open_it)
        while (waitpid(-1, NULL, WNOHANG) > 0)
            ;
    printf("kodbok: stopped\n");
    return 0;
}
