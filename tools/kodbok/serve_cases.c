/*
 * serve_cases.c: GET /api/cases, the cases with their attributes, as
 * `kodbok cases --format json` lists them (the documents view shows them).
 */
#include "serve.h"

enum MHD_Result api_cases(const call *k)
{
    kb_case_list *l;
    kb_error err;
    if (kb_project_cases(&l, k->p, &err))
        return send_kb_error(k->c, &err);
    reply out;
    if (reply_start(&out)) {
        kb_case_list_free(l);
        return MHD_NO;
    }
    json_object(&out.j, NULL);
    json_array(&out.j, "cases");
    for (size_t i = 0; i < kb_case_list_count(l); i++) {
        json_object(&out.j, NULL);
        json_case_info(&out.j, kb_case_list_get(l, i));
        json_end(&out.j);
    }
    json_end(&out.j);
    json_end(&out.j);
    kb_case_list_free(l);
    return reply_send(k->c, &out, MHD_HTTP_OK);
}
