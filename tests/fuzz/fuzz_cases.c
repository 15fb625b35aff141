/*
 * fuzz_cases.c: fuzz target for the cases CSV (base/csv.c, ingest/cases.c)
 * loaded into a project (fuzz_project). Any bytes must either be refused
 * with an error of one line, leaving the project file as it was, or load:
 * then every case listed has an id, and loading the same file again
 * succeeds and lists the same cases. A libFuzzer target, or a replay of
 * saved inputs (fuzz.h).
 */
#include "fuzz.h"

#include <string.h>

/* The number of cases in p, each checked for an id. */
static size_t cases_count(kb_project *p)
{
    kb_case_list *list;
    kb_error err;
    fuzz_check(!kb_project_cases(&list, p, &err), "cases listed");
    size_t n = kb_case_list_count(list);
    for (size_t i = 0; i < n; i++) {
        const kb_case_info *c = kb_case_list_get(list, i);
        fuzz_check(c->id && *c->id, "a case has an id");
        for (size_t k = 0; k < c->nattrs; k++)
            fuzz_check(c->attr_names[k] && c->attr_values[k],
                       "an attribute has a name and a value");
    }
    kb_case_list_free(list);
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_write("cases.csv", data, size);
    kb_project *p = fuzz_project();
    kb_cases_options o = KB_CASES_OPTIONS_INIT;
    o.notice = fuzz_notice;
    kb_error err;
    if (kb_project_load_cases(p, path, &o, &err)) {
        fuzz_check_error(&err);
        fuzz_project_unchanged(p);
        return 0;
    }
    size_t n = cases_count(p);
    fuzz_check(!kb_project_load_cases(p, path, &o, &err),
               "a cases file loads again");
    fuzz_check(cases_count(p) == n, "the same cases again");
    kb_project_free(p);
    return 0;
}
