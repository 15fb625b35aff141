/*
 * project_quotes.c: kb_project_quotes, the quotes of a run with everything
 * a table shows (document, case, speaker, span, dimension, theme, concept,
 * facet values, text), built in steps by the files of quotes/ (build_list),
 * and kbi_project_quote_tally, the same list read for counting.
 *
 * The codebook a run saw is its snapshot in run_codes, so a table always
 * matches the run it comes from. Automatic codings are read in id order
 * with their facet values, straight from their packs (auto_quotes.c), less
 * the rejected ones, and each document version is loaded once to cut the
 * quotes from its text (order.c). Manual codings (tags and review
 * acceptances) follow, each placed on the segment of its concept's scope
 * that it starts in, with its case and speaker from the turn it starts in
 * (manual_quotes.c). This is the one definition of a quote
 * (docs/exports.md): the manual codings of one code on one segment become
 * one quote, and one on the segment of an automatic quote of its concept
 * becomes part of it, so a list has one row per quote and everything
 * counted from it counts alike. The run's codebook rules give the manual
 * quotes their facet values; over both go the values of any manual coding
 * whose passage holds the quote or that is part of it (manual_facets.c,
 * docs/codebook.md).
 *
 * Sorting is on numbers only (order.c). A list read only to be counted
 * (counts_only) has no texts for its automatic quotes and is left in the
 * order it was read.
 */
#include "quotes/project_quotes.h"
#include "store/runs.h"
#include "quotes/attributes.h"
#include "quotes/auto_quotes.h"
#include "quotes/filter.h"
#include "quotes/list.h"
#include "quotes/manual_facets.h"
#include "quotes/manual_quotes.h"
#include "quotes/order.h"
#include "base/error.h"
#include "base/grow.h"
#include "manual/manual.h"
#include "store/project.h"
#include "store/store.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int64_t pick_run(kb_project *p, int64_t run, kb_error *err)
{
    sqlite3_stmt *st;
    int64_t id = 0;
    if (kbi_store_prepare(p->db, &st,
                          "SELECT MAX(id) FROM runs WHERE ?1 = 0 OR id = ?1",
                          err))
        return -1;
    sqlite3_bind_int64(st, 1, run);
    if (sqlite3_step(st) == SQLITE_ROW)
        id = sqlite3_column_int64(st, 0);
    if (kbi_store_finish(st, p->db, "runs", err))
        return -1;
    if (!id) {
        if (run)
            kbi_fail(err, KB_ENOENT, "no run %lld", (long long)run);
        else
            kbi_fail(err, KB_ENORUN, "no runs yet");
        return -1;
    }
    return id;
}

/* kb_project_quotes, or with `tally` kbi_project_quote_tally (2: by code
 * only). */
static int build_list(kb_quote_list **out, kb_project *p,
                      const kb_quote_filter *filter, int tally, kb_error *err)
{
    *out = NULL;
    kb_quote_filter none = {0};
    const kb_quote_filter *f = filter ? filter : &none;
    if ((f->facet && !f->facet_value) || (f->attr && !f->attr_value))
        return kbi_fail(err, KB_EINVAL,
                        "a facet or attribute filter needs a "
                        "value (name=value)");
    if (f->source && strcmp(f->source, "auto") && strcmp(f->source, "manual") &&
        strcmp(f->source, "all"))
        return kbi_fail(err, KB_EINVAL,
                        "unknown source '%s' (auto, manual or all)", f->source);
    int rc;
    if ((f->reviewer &&
         (rc = kbi_manual_coder_check(f->reviewer, "reviewer", err))) ||
        (f->coder && (rc = kbi_manual_coder_known(p->db, f->coder, err))))
        return rc;
    int64_t run = pick_run(p, f->run, err);
    if (run < 0)
        return err ? err->code : KB_ENOENT;
    kb_quote_list *l = calloc(1, sizeof *l);
    if (!l)
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    /* a grouped list is a tally; its rows have no case to filter by */
    if (!tally && f->grouped && f->counts_only && !f->case_id && !f->attr)
        tally = 1;
    l->counts_only = f->counts_only;
    l->alive_counts = tally == 2 && run == kbi_runs_last(p->db, INT64_MAX);
    l->project = p;
    l->skip_words = f->skip_words;
    if ((tally && KBI_GROW(&l->weights, &l->capweights, 1) &&
         (rc = kbi_fail(err, KB_ENOMEM, "out of memory"))) ||
        (tally && (rc = kbi_auto_quotes_touched(l, p, err))) ||
        (rc = kbi_quote_list_load_codes(l, p, run, err)) ||
        (rc = kbi_quote_list_index_concepts(l, err)) ||
        (rc = kbi_filter_check_codes(l, f, run, err)) ||
        (rc = kbi_filter_check_names(l, p, run, f, err)) ||
        (rc = kb_project_cases(&l->cases, p, err)) ||
        (rc = kbi_attributes_index(l, err)) ||
        (rc = f->attr ? kbi_attributes_check(l, f->attr, err) : 0) ||
        (rc = kbi_quote_list_load_versions(l, p, err)) ||
        (rc = kbi_auto_quotes_load(l, p, run, f, err)) ||
        (rc = l->nauto > UINT32_MAX
                  ? kbi_fail(err, KB_ENOMEM, "more than 2^32 quotes")
                  : 0) ||
        (rc = kbi_order_resolve(l, p, err)) ||
        (rc = kbi_manual_quotes_load(l, p, run, f, err)) ||
        (rc = kbi_manual_quotes_fold(l, err)) ||
        (rc = kbi_manual_facets_rules(l, p, run, err)) ||
        (rc = kbi_manual_facets_apply(l, p, err)) ||
        (rc = kbi_filter_late(l, f, err)) ||
        (rc = l->counts_only ? 0 : kbi_order_quotes(l, err))) {
        kb_quote_list_free(l);
        return rc;
    }
    *out = l;
    return 0;
}

int kb_project_quotes(kb_quote_list **out, kb_project *p,
                      const kb_quote_filter *filter, kb_error *err)
{
    return build_list(out, p, filter, 0, err);
}

int kbi_project_quote_tally(kb_quote_list **out, kb_project *p, int64_t run,
                            int codes_only, kb_error *err)
{
    kb_quote_filter f = {.run = run, .counts_only = 1, .skip_words = 1};
    return build_list(out, p, &f, codes_only ? 2 : 1, err);
}

size_t kb_quote_list_weight(const kb_quote_list *l, size_t i)
{
    return l->weights && l->weights[i] ? l->weights[i] : 1;
}

int kbi_quote_list_counts_only(const kb_quote_list *l)
{
    return l && l->counts_only;
}
