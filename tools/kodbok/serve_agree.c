/*
 * serve_agree.c: the API's agreement of coders: `kodbok agree --format
 * json` with the units the coders disagree on, for the page to open each
 * in the reader.
 */
#include "serve.h"

#include <stdlib.h>
#include <string.h>

/* At most this many coders compared at once, as `kodbok agree` (the
 * message below names it). */
#define AGREE_CODERS 32
/* A disagreement's text is cut at a word to at most this many bytes. */
#define AGREE_TEXT_MAX 300

typedef struct coder_count {
    const char *name;
    size_t n;
} coder_count;

/* The two coders with most manual codings (ties by name) copied into
 * buf; how many there are (0 to 2). Coders past the first 64 are not
 * counted. */
static size_t busiest_coders(const kb_tag_list *l, char buf[2][128])
{
    coder_count seen[64];
    size_t nseen = 0;
    for (size_t i = 0; i < kb_tag_list_count(l); i++) {
        const char *name = kb_tag_list_get(l, i)->coder;
        size_t j = 0;
        while (j < nseen && strcmp(seen[j].name, name))
            j++;
        if (j == nseen && nseen < sizeof seen / sizeof seen[0])
            seen[nseen++] = (coder_count){name, 0};
        if (j < nseen)
            seen[j].n++;
    }
    size_t top[2] = {KB_NO_INDEX, KB_NO_INDEX};
    for (size_t j = 0; j < nseen; j++)
        for (size_t r = 0; r < 2; r++) {
            size_t t = top[r];
            if (t == KB_NO_INDEX || seen[j].n > seen[t].n ||
                (seen[j].n == seen[t].n &&
                 strcmp(seen[j].name, seen[t].name) < 0)) {
                if (r == 0)
                    top[1] = top[0];
                top[r] = j;
                break;
            }
        }
    for (size_t r = 0; r < 2; r++)
        snprintf(buf[r], sizeof buf[r], "%s",
                 top[r] == KB_NO_INDEX ? "" : seen[top[r]].name);
    return nseen < 2 ? nseen : 2;
}

/* GET /api/agree?coders=A,B&unit=sentence|turn|paragraph&kind=concept|theme:
 * agreement of the coders (default: the two with most manual codings). */
enum MHD_Result api_agree(const call *k)
{
    struct MHD_Connection *c = k->c;
    kb_agree_options o = KB_AGREE_OPTIONS_INIT;
    const char *unit = serve_arg(c, "unit"), *kind = serve_arg(c, "kind"),
               *list = serve_arg(c, "coders");
    o.unit = KB_SEG_SENTENCE;
    o.by = KB_CODE_CONCEPT;
    if (unit && !(o.unit = strcmp(unit, "segment") ? kb_segment_kind_parse(unit)
                                                   : KB_SEG_SENTENCE))
        return send_error(c, MHD_HTTP_BAD_REQUEST,
                          "`unit` is sentence, turn or paragraph");
    if (kind && strcmp(kind, "concept") && strcmp(kind, "theme"))
        return send_error(c, MHD_HTTP_BAD_REQUEST,
                          "`kind` is concept or theme");
    if (kind && !strcmp(kind, "theme"))
        o.by = KB_CODE_THEME;
    const char *coders[AGREE_CODERS];
    char *names = NULL, busiest[2][128];
    kb_error err;
    if (list) {
        if (!(names = strdup(list)))
            return MHD_NO;
        for (char *save = NULL, *t = strtok_r(names, ",", &save); t;
             t = strtok_r(NULL, ",", &save))
            if (o.ncoders < AGREE_CODERS)
                coders[o.ncoders++] = t;
            else
                list = NULL;
        if (!list) {
            free(names);
            return send_error(c, MHD_HTTP_BAD_REQUEST,
                              "`coders`: at most 32 coders");
        }
    } else {
        kb_tag_list *l;
        if (kb_project_tags(&l, k->p, NULL, &err))
            return send_kb_error(c, &err);
        o.ncoders = busiest_coders(l, busiest);
        kb_tag_list_free(l);
        coders[0] = busiest[0];
        coders[1] = busiest[1];
        if (o.ncoders < 2)
            return send_error(c, MHD_HTTP_CONFLICT,
                              "agreement needs two coders with manual "
                              "codings");
    }
    o.coders = coders;
    kb_agree_report *r;
    enum MHD_Result ok;
    reply out;
    if (kb_project_agree(&r, k->p, &o, &err)) {
        ok = send_kb_error(c, &err);
    } else if (reply_start(&out)) {
        kb_agree_report_free(r);
        ok = MHD_NO;
    } else {
        json_object(&out.j, NULL);
        json_agree_report(&out.j, r, &o, AGREE_TEXT_MAX);
        json_string(&out.j, "kind", kb_code_kind_name(o.by));
        json_end(&out.j);
        kb_agree_report_free(r);
        ok = reply_send(c, &out, MHD_HTTP_OK);
    }
    free(names);
    return ok;
}
