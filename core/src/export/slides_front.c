/*
 * slides_front.c: the outline and the respondents' background of a deck,
 * and the quotes' pseudonymous labels (docs/slides.md).
 *
 * Invariants: the outline's numbers are those of the pages the deck is laid
 * out on, found by laying it out with the outline in place; the numbers
 * written are never wider than the placeholders it was laid out with, so
 * the outline takes the pages it was measured on. The background table
 * counts every case once in its row and once in the totals.
 */
#include "export/slides_front.h"

#include "base/error.h"
#include "base/grow.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

int kbi_outline_add(kbi_outline *o, int level, const char *label, size_t first,
                    size_t last, kb_error *err)
{
    if (KBI_GROW(&o->v, &o->cap, o->n + 1))
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    char *l = strdup(label);
    if (!l)
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    kbi_outline_part *part = &o->v[o->n++];
    part->label = l;
    part->level = level;
    part->first = first;
    part->last = last;
    return 0;
}

void kbi_outline_free(kbi_outline *o)
{
    for (size_t i = 0; i < o->n; i++)
        free(o->v[i].label);
    free(o->v);
    memset(o, 0, sizeof *o);
}

/* The widest numbers the outline's pages can have: as many digits as the
 * deck could have pages. */
static const char PLACEHOLDER[] = " (bild 0000\xe2\x80\x93"
                                  "0000)";

int kbi_outline_slide(kbi_deck *d, const kbi_outline *o, kb_error *err)
{
    int rc = kbi_deck_slide_add(d, "Presentationens uppl\xc3\xa4gg", err);
    for (size_t i = 0; !rc && i < o->n; i++)
        if (!(rc = kbi_deck_para_add(d, o->v[i].level, err)) &&
            !(rc = kbi_deck_run_add(d, KBI_RUN_PLAIN, o->v[i].label, err)))
            rc = kbi_deck_run_add(d, KBI_RUN_PLAIN, PLACEHOLDER, err);
    if (rc)
        return rc;
    kbi_deck_slide_move(d, d->nslides - 1, 0);
    kbi_deck_pages pages = {0};
    if ((rc = kbi_deck_paginate(&pages, d, err)))
        return rc;
    for (size_t i = 0; !rc && i < o->n; i++) {
        size_t lo = 0, hi = 0; /* page numbers, the cover 1 */
        for (size_t k = 0; k < pages.n; k++) {
            const kbi_deck_slide *s = pages.v[k].slide;
            size_t at = s ? (size_t)(s - d->slides) : 0;
            if (s && at >= o->v[i].first + 1 && at <= o->v[i].last + 1) {
                if (!lo)
                    lo = k + 1;
                hi = k + 1;
            }
        }
        char text[64];
        if (lo == hi)
            snprintf(text, sizeof text, " (bild %zu)", lo);
        else
            snprintf(text, sizeof text, " (bild %zu\xe2\x80\x93%zu)", lo, hi);
        rc = kbi_deck_run_set(d, 0, i, 1, text, err);
    }
    kbi_deck_pages_free(&pages);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* Labels                                                                    */
/* ------------------------------------------------------------------------ */

/* Calls fn for each "{name}" of a template, with the name. KB_EINVAL for
 * an unbalanced brace. */
static int each_name(const char *tmpl,
                     int (*fn)(void *ctx, const char *name, size_t n),
                     void *ctx, kb_error *err)
{
    for (const char *p = tmpl; *p; p++) {
        if (*p == '}')
            return kbi_fail(err, KB_EINVAL,
                            "the label '%s' has a '}' without its '{'", tmpl);
        if (*p != '{')
            continue;
        const char *end = strchr(p + 1, '}');
        const char *open = strchr(p + 1, '{');
        if (!end || (open && open < end) || end == p + 1)
            return kbi_fail(err, KB_EINVAL,
                            "the label '%s' has a '{' without a name and '}'",
                            tmpl);
        int rc = fn(ctx, p + 1, (size_t)(end - p - 1));
        if (rc)
            return rc;
        p = end;
    }
    return 0;
}

typedef struct names_ctx {
    const kb_quote_list *l;
    char missing[128];
} names_ctx;

/* 1 when the list's cases have attribute name[0..n). */
static int has_attribute(const kb_quote_list *l, const char *name, size_t n)
{
    for (size_t i = 0; i < kb_quote_list_attributes(l); i++) {
        const char *a = kb_quote_list_attribute(l, i);
        if (strlen(a) == n && !strncmp(a, name, n))
            return 1;
    }
    return 0;
}

static int check_name(void *ctx, const char *name, size_t n)
{
    names_ctx *c = ctx;
    if (has_attribute(c->l, name, n))
        return 0;
    snprintf(c->missing, sizeof c->missing, "%.*s", (int)n, name);
    return 1;
}

int kbi_slides_label_check(const kb_quote_list *l, const char *tmpl,
                           kb_error *err)
{
    names_ctx c = {l, ""};
    int rc = each_name(tmpl, check_name, &c, err);
    if (rc != 1)
        return rc;
    char have[512] = "";
    size_t k = 0;
    for (size_t i = 0; i < kb_quote_list_attributes(l) && k < sizeof have; i++)
        k += (size_t)snprintf(have + k, sizeof have - k, "%s%s", i ? ", " : "",
                              kb_quote_list_attribute(l, i));
    return kbi_fail(err, KB_EINVAL,
                    "the label names '{%s}', an attribute no case has (%s)",
                    c.missing, *have ? have : "the cases have no attributes");
}

typedef struct label_ctx {
    const kb_quote_list *l;
    const kb_quote_row *q;
    char *out;
    size_t len;
    int found, fail;
} label_ctx;

static int fill_name(void *ctx, const char *name, size_t n)
{
    label_ctx *c = ctx;
    char key[128];
    snprintf(key, sizeof key, "%.*s", (int)n, name);
    const char *v = kb_quote_attribute(c->l, c->q, key);
    if (v && *v) {
        c->found = 1;
        char *r = realloc(c->out, c->len + strlen(v) + 1);
        if (!r)
            return c->fail = 1;
        c->out = r;
        memcpy(c->out + c->len, v, strlen(v) + 1);
        c->len += strlen(v);
    }
    return 0;
}

int kbi_slides_label(char **out, const kb_quote_list *l, const kb_quote_row *q,
                     const char *tmpl, kb_error *err)
{
    *out = NULL;
    label_ctx c = {l, q, calloc(1, 1), 0, 0, 0};
    if (!c.out)
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    /* the text between the names, copied as it is */
    for (const char *p = tmpl; *p && !c.fail;) {
        const char *open = strchr(p, '{');
        size_t lit = open ? (size_t)(open - p) : strlen(p);
        char *r = realloc(c.out, c.len + lit + 1);
        if (!r) {
            c.fail = 1;
            break;
        }
        c.out = r;
        memcpy(c.out + c.len, p, lit);
        c.out[c.len += lit] = '\0';
        if (!open)
            break;
        const char *end = strchr(open, '}');
        if (!end)
            break;
        fill_name(&c, open + 1, (size_t)(end - open - 1));
        p = end + 1;
    }
    if (c.fail) {
        free(c.out);
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    }
    if (!c.found) {
        free(c.out);
        return 0;
    }
    *out = c.out;
    return 0;
}

/* ------------------------------------------------------------------------ */
/* The respondents' background                                               */
/* ------------------------------------------------------------------------ */

/* The value of attribute `name` of case c, or NULL. */
static const char *case_attr(const kb_case_info *c, const char *name)
{
    for (size_t i = 0; i < c->nattrs; i++)
        if (!strcmp(c->attr_names[i], name))
            return *c->attr_values[i] ? c->attr_values[i] : NULL;
    return NULL;
}

/* A value and how many cases have it. */
typedef struct tally {
    const char *value; /* NULL: cases without one */
    size_t n;
} tally;

/* The values of attribute `name` among the cases that have `row` as the
 * value of `by` (by NULL: all cases), most common first, in *out (caller
 * frees); *count their number. */
static int tally_values(tally **out, size_t *count, const kb_case_list *cases,
                        const char *name, const char *by, const char *row)
{
    size_t n = kb_case_list_count(cases), k = 0;
    tally *t = calloc(n ? n : 1, sizeof *t);
    if (!t)
        return KB_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        const kb_case_info *c = kb_case_list_get(cases, i);
        const char *rv = by ? case_attr(c, by) : NULL;
        if (by && (!rv || strcmp(rv, row)))
            continue;
        const char *v = case_attr(c, name);
        size_t j = 0;
        while (j < k &&
               !(v ? t[j].value && !strcmp(t[j].value, v) : !t[j].value))
            j++;
        if (j == k)
            t[k++].value = v;
        t[j].n++;
    }
    /* most common first; ties keep the order of first appearance */
    for (size_t i = 1; i < k; i++)
        for (size_t j = i; j > 0 && t[j].n > t[j - 1].n; j--) {
            tally x = t[j];
            t[j] = t[j - 1];
            t[j - 1] = x;
        }
    *out = t;
    *count = k;
    return 0;
}

/* "3 regional, 2 lokal" of a tally into buf. */
static void spread(char *buf, size_t size, const tally *t, size_t n)
{
    size_t k = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && k < size; i++)
        k += (size_t)snprintf(buf + k, size - k, "%s%zu %s", i ? ", " : "",
                              t[i].n,
                              t[i].value ? t[i].value : "uppgift saknas");
}

/* 1 when some case has attribute `name`. */
static int any_case_has(const kb_case_list *cases, const char *name)
{
    for (size_t i = 0; i < kb_case_list_count(cases); i++)
        if (case_attr(kb_case_list_get(cases, i), name))
            return 1;
    return 0;
}

/* The names of the cases' attributes in the order they first appear. */
static int attr_names(const char ***out, size_t *n, const kb_case_list *cases)
{
    const char **v = NULL;
    size_t k = 0, cap = 0;
    for (size_t i = 0; i < kb_case_list_count(cases); i++) {
        const kb_case_info *c = kb_case_list_get(cases, i);
        for (size_t a = 0; a < c->nattrs; a++) {
            size_t j = 0;
            while (j < k && strcmp(v[j], c->attr_names[a]))
                j++;
            if (j < k)
                continue;
            if (KBI_GROW(&v, &cap, k + 1)) {
                free(v);
                return KB_ENOMEM;
            }
            v[k++] = c->attr_names[a];
        }
    }
    *out = v;
    *n = k;
    return 0;
}

/* The most attributes the table takes by default, and the most values one
 * may have to count as categorical. */
enum { DEFAULT_ATTRS = 3, MAX_VALUES = 8 };

/*
 * The attributes of the table into names[0..*n) (borrowed from cases or
 * `list`, which *own holds, caller frees): those `list` names, or the
 * categorical ones (two to MAX_VALUES values among the cases), at most
 * DEFAULT_ATTRS, in the order the cases file gave them.
 */
static int choose_attrs(const char ***names, size_t *n, char **own,
                        const kb_case_list *cases, const char *list,
                        kb_error *err)
{
    *names = NULL;
    *n = 0;
    *own = NULL;
    const char **v = NULL;
    size_t k = 0, cap = 0;
    if (list) {
        if (!(*own = strdup(list)))
            return kbi_fail(err, KB_ENOMEM, "out of memory");
        for (char *save = NULL, *a = strtok_r(*own, ",", &save); a;
             a = strtok_r(NULL, ",", &save)) {
            if (!any_case_has(cases, a)) {
                int rc = kbi_fail(err, KB_EINVAL,
                                  "the background names '%s', an attribute "
                                  "no case has",
                                  a);
                free(v);
                return rc;
            }
            if (KBI_GROW(&v, &cap, k + 1)) {
                free(v);
                return kbi_fail(err, KB_ENOMEM, "out of memory");
            }
            v[k++] = a;
        }
        *names = v;
        *n = k;
        return 0;
    }
    const char **all;
    size_t nall;
    if (attr_names(&all, &nall, cases))
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    for (size_t i = 0; i < nall && k < DEFAULT_ATTRS; i++) {
        tally *t;
        size_t nv;
        if (tally_values(&t, &nv, cases, all[i], NULL, NULL)) {
            free(all);
            return kbi_fail(err, KB_ENOMEM, "out of memory");
        }
        size_t known = 0;
        for (size_t j = 0; j < nv; j++)
            known += t[j].value != NULL;
        free(t);
        if (known >= 2 && known <= MAX_VALUES)
            all[k++] = all[i];
    }
    *names = all;
    *n = k;
    return 0;
}

void kbi_slides_first_case(char *buf, size_t size, const char *s, int upper)
{
    utf8proc_int32_t c;
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s, -1, &c);
    utf8proc_uint8_t first[4];
    utf8proc_ssize_t w =
        k > 0 ? utf8proc_encode_char(
                    upper ? utf8proc_toupper(c) : utf8proc_tolower(c), first)
              : 0;
    snprintf(buf, size, "%.*s%s", (int)w, (const char *)first,
             s + (k > 0 ? k : 0));
}

/* An attribute's heading: its facet's label when a facet has its name,
 * else the name with a capital first letter, into buf. */
static void heading(char *buf, size_t size, const char *name,
                    const kb_quote_list *l)
{
    const char *label = l ? kb_quote_list_label(l, name) : NULL;
    if (label)
        snprintf(buf, size, "%s", label);
    else
        kbi_slides_first_case(buf, size, name, 1);
}

/* One row of the table: `first`, the count, the spread of each other
 * attribute among the cases with `row` (NULL: all). */
static int background_row(kbi_deck *d, const kb_case_list *cases,
                          const char *const *names, size_t n, const char *first,
                          size_t count, const char *row, kb_error *err)
{
    char(*cells)[512] = calloc(n + 1, sizeof *cells);
    const char **v = calloc(n + 1, sizeof *v);
    int rc = 0;
    if (!cells || !v)
        rc = kbi_fail(err, KB_ENOMEM, "out of memory");
    for (size_t a = 1; !rc && a < n; a++) {
        tally *t;
        size_t nv;
        if (tally_values(&t, &nv, cases, names[a], row ? names[0] : NULL,
                         row)) {
            rc = kbi_fail(err, KB_ENOMEM, "out of memory");
            break;
        }
        spread(cells[a + 1], sizeof cells[a + 1], t, nv);
        free(t);
    }
    if (!rc) {
        snprintf(cells[0], sizeof cells[0], "%s", first);
        snprintf(cells[1], sizeof cells[1], "%zu", count);
        for (size_t c = 0; c <= n; c++)
            v[c] = cells[c];
        rc = kbi_deck_row_add(d, v, err);
    }
    free(cells);
    free(v);
    return rc;
}

int kbi_slides_background(kbi_deck *d, int *added, const kb_case_list *cases,
                          const char *attrs, const kb_quote_list *l,
                          kb_error *err)
{
    *added = 0;
    const char **names;
    size_t n;
    char *own;
    int rc = choose_attrs(&names, &n, &own, cases, attrs, err);
    if (rc || !n) {
        free(names);
        free(own);
        return rc;
    }
    char(*head)[128] = calloc(n + 1, sizeof *head);
    const char **hv = calloc(n + 1, sizeof *hv);
    tally *rows = NULL;
    size_t nrows = 0;
    if (!head || !hv ||
        tally_values(&rows, &nrows, cases, names[0], NULL, NULL))
        rc = kbi_fail(err, KB_ENOMEM, "out of memory");
    if (!rc) {
        heading(head[0], sizeof head[0], names[0], l);
        snprintf(head[1], sizeof head[1], "Antal respondenter");
        for (size_t a = 1; a < n; a++)
            heading(head[a + 1], sizeof head[a + 1], names[a], l);
        for (size_t c = 0; c <= n; c++)
            hv[c] = head[c];
        rc = kbi_deck_table_add(d, "Respondenternas bakgrund", n + 1, hv, err);
    }
    for (size_t r = 0; !rc && r < nrows; r++)
        if (rows[r].value) /* cases without a value are in the totals */
            rc = background_row(d, cases, names, n, rows[r].value, rows[r].n,
                                rows[r].value, err);
    if (!rc)
        rc = background_row(d, cases, names, n, "Totalt",
                            kb_case_list_count(cases), NULL, err);
    *added = !rc;
    free(rows);
    free(head);
    free(hv);
    free(names);
    free(own);
    return rc;
}
