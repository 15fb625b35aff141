/*
 * serve_playground.c: the API's pattern playground: a concept's rule tried
 * with other patterns (kb_project_try), and a concept's patterns saved
 * into the codebook file as a minimal edit (kb_codebook_set_patterns),
 * then the project coded again as `kodbok code` codes it.
 */
#include "serve.h"
#include "serve_body.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The byte offset in `pat` of 1-based code point `column`. */
static size_t byte_offset(const char *pat, int column)
{
    size_t b = 0;
    for (int c = 1; c < column && pat[b]; c++) {
        b++;
        while ((pat[b] & 0xC0) == 0x80)
            b++;
    }
    return b;
}

/* 400 naming the bad pattern (0-based index) and the byte offset in it. */
static enum MHD_Result send_pattern_error(struct MHD_Connection *c,
                                          const kb_error *err,
                                          char *const *pats, size_t n)
{
    size_t i = (size_t)(err->line - 1);
    if (err->line < 1 || i >= n)
        return send_kb_error(c, err);
    reply out;
    if (reply_start(&out))
        return MHD_NO;
    json_object(&out.j, NULL);
    json_string(&out.j, "error", err->message);
    json_size(&out.j, "pattern", i);
    json_size(&out.j, "offset", byte_offset(pats[i], err->column));
    json_end(&out.j);
    return reply_send(c, &out, MHD_HTTP_BAD_REQUEST);
}

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* POST /api/playground {"concept", "patterns", "coder"}: the rule's hits
 * and, against the coder (by default the server's when they coded the
 * concept, else the one with most codings of it), its scores. */
enum MHD_Result api_playground(const call *k)
{
    struct MHD_Connection *c = k->c;
    double t0 = now_ms();
    serve_patterns_body b;
    char msg[256];
    if (serve_patterns_body_read(&b, k->rq->body, k->rq->len, 1, msg,
                                 sizeof msg))
        return send_error(c, MHD_HTTP_BAD_REQUEST, msg);
    kb_try_options o = KB_TRY_OPTIONS_INIT;
    o.concept = b.concept;
    o.patterns = (const char *const *)b.patterns;
    o.npatterns = b.npatterns;
    o.coder = b.coder ? b.coder : k->coder;
    o.coder_fallback = !b.coder;
    o.sample = 30;
    kb_try_report *r = NULL;
    kb_error err;
    enum MHD_Result ok;
    reply out;
    if (kb_project_try(&r, k->p, &o, &err)) {
        ok = err.code == KB_EFORMAT && !strcmp(err.argument, "patterns")
                 ? send_pattern_error(c, &err, b.patterns, b.npatterns)
                 : send_kb_error(c, &err);
    } else if (reply_start(&out)) {
        ok = MHD_NO;
    } else {
        json_object(&out.j, NULL);
        json_try_report(&out.j, r, b.concept);
        json_number(&out.j, "ms", now_ms() - t0);
        json_end(&out.j);
        ok = reply_send(c, &out, MHD_HTTP_OK);
    }
    kb_try_report_free(r);
    serve_patterns_body_free(&b);
    return ok;
}

/* The path of the last run's codebook into *path (caller frees). */
static int run_codebook_path(kb_project *p, char **path, kb_error *err)
{
    kb_run_list *runs;
    int rc = kb_project_runs(&runs, p, err);
    if (rc)
        return rc;
    size_t n = kb_run_list_count(runs);
    if (!n) {
        kb_run_list_free(runs);
        err->code = KB_ENORUN;
        snprintf(err->message, sizeof err->message, "no runs yet");
        return KB_ENORUN;
    }
    *path = strdup(kb_run_list_get(runs, n - 1)->codebook_path);
    kb_run_list_free(runs);
    return 0;
}

/* The edit refused: 400 with the file:line:col of the problem. */
static enum MHD_Result send_edit_error(struct MHD_Connection *c,
                                       const kb_error *err)
{
    if (err->code != KB_EFORMAT && err->code != KB_EINVAL)
        return send_kb_error(c, err);
    char buf[1200];
    return send_error(c, MHD_HTTP_BAD_REQUEST,
                      kb_error_format(err, buf, sizeof buf));
}

/* The quotes of `concept` the last run gained, lost and kept. */
static int run_changes(kb_project *p, const char *concept, size_t *added,
                       size_t *removed, size_t *kept, kb_error *err)
{
    *added = *removed = *kept = 0;
    kb_diff *d;
    int rc = kb_project_diff(&d, p, 0, 0, err);
    if (rc == KB_ENOENT) /* the first run: nothing to compare with */
        return 0;
    if (rc)
        return rc;
    for (size_t i = 0; i < kb_diff_count(d); i++) {
        const kb_diff_item *it = kb_diff_get(d, i);
        if (strcmp(it->concept, concept))
            continue;
        *added += it->change == KB_GAINED;
        *removed += it->change == KB_LOST;
        *kept += it->change == KB_KEPT;
    }
    kb_diff_free(d);
    return 0;
}

/* PUT /api/codebook/concepts/ID {"patterns"}: the concept's patterns
 * written into the last run's codebook file as a minimal edit, then the
 * project coded with it (incrementally); the run's changes for it. */
enum MHD_Result api_concept_put(const call *k)
{
    struct MHD_Connection *c = k->c;
    serve_patterns_body b;
    char msg[256];
    if (serve_patterns_body_read(&b, k->rq->body, k->rq->len, 0, msg,
                                 sizeof msg))
        return send_error(c, MHD_HTTP_BAD_REQUEST, msg);
    kb_error err;
    char *path = NULL;
    kb_codebook *cb = NULL;
    kb_run_summary sum;
    size_t added = 0, removed = 0, kept = 0;
    kb_code_options o = KB_CODE_OPTIONS_INIT;
    enum MHD_Result ok;
    int rc = run_codebook_path(k->p, &path, &err);
    if (!rc && (rc = kb_codebook_set_patterns(path, k->rest,
                                              (const char *const *)b.patterns,
                                              b.npatterns, &err))) {
        ok = send_edit_error(c, &err);
        goto done;
    }
    if (!rc)
        rc = kb_codebook_load(&cb, path, &err);
    if (!rc)
        rc = kb_project_code(&sum, k->p, cb, &o, &err);
    if (!rc)
        rc = run_changes(k->p, k->rest, &added, &removed, &kept, &err);
    reply out;
    if (rc) {
        ok = send_kb_error(c, &err);
    } else if (reply_start(&out)) {
        ok = MHD_NO;
    } else {
        json_object(&out.j, NULL);
        json_string(&out.j, "concept", k->rest);
        json_int(&out.j, "run", sum.run);
        json_size(&out.j, "added", added);
        json_size(&out.j, "removed", removed);
        json_size(&out.j, "kept", kept);
        json_string(&out.j, "codebook", path);
        json_end(&out.j);
        ok = reply_send(c, &out, MHD_HTTP_OK);
    }
done:
    kb_codebook_free(cb);
    free(path);
    serve_patterns_body_free(&b);
    return ok;
}
