/*
 * codebook_csv.c: a codebook from a spreadsheet. Researchers keep their
 * Gioia tables in spreadsheets: one row per first-order concept, with its
 * dimension, theme, description and patterns (one per line in the cell).
 * This writes the codebook YAML that kodbok reads, checked before it
 * replaces anything: a bad sheet leaves the output file as it was.
 *
 * Columns (matched without regard to case; `theme` and `concept` are
 * required): dimension, theme, concept, description, patterns, exclude,
 * scope, speakers, id. A blank dimension or theme cell repeats the one
 * above (merged cells). Ids are made from labels (lower case, å ä -> a,
 * ö -> o, other characters -> '-') unless an `id` column gives them.
 */
#include "codebook/codebook_csv.h"
#include "codebook/codebook.h"
#include "base/csv.h"
#include "base/error.h"
#include "base/file.h"
#include "base/grow.h"
#include "base/decode.h"

#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <utf8proc.h>

enum {
    COL_DIMENSION,
    COL_THEME,
    COL_CONCEPT,
    COL_DESCRIPTION,
    COL_PATTERNS,
    COL_EXCLUDE,
    COL_SCOPE,
    COL_SPEAKERS,
    COL_ID,
    NCOLS
};

static const char *const COLUMNS[NCOLS] = {"dimension",   "theme",    "concept",
                                           "description", "patterns", "exclude",
                                           "scope",       "speakers", "id"};

typedef struct sheet_row {
    char *cell[NCOLS];
    char *id, *theme_id, *dimension_id;
    int line;
} sheet_row;

typedef struct sheet {
    const char *file;
    int col[NCOLS]; /* field index of each column, or -1 */
    int header;
    sheet_row *rows;
    size_t n, cap;
    char *carry_dim, *carry_theme;
} sheet;

char *kbi_codebook_slug(const char *label)
{
    size_t n = strlen(label);
    char *out = malloc(n + 1), *o = out;
    if (!out)
        return NULL;
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)label;
    int dash = 0;
    while (*p) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(p, -1, &cp);
        if (k <= 0)
            break;
        p += k;
        cp = utf8proc_tolower(cp);
        char c = 0;
        if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9'))
            c = (char)cp;
        else if (cp == 0xE5 || cp == 0xE4 || cp == 0xE0 || cp == 0xE1)
            c = 'a';
        else if (cp == 0xF6 || cp == 0xF8 || cp == 0xF3)
            c = 'o';
        else if (cp == 0xE9 || cp == 0xE8)
            c = 'e';
        else if (cp == 0xFC)
            c = 'u';
        if (c) {
            if (dash && o > out)
                *o++ = '-';
            *o++ = c;
            dash = 0;
        } else {
            dash = 1;
        }
    }
    *o = '\0';
    return out;
}

static int on_row(void *ctx, size_t n, const char *const *f, const int *col,
                  int line, kb_error *err)
{
    sheet *s = ctx;
    if (!s->header) {
        s->header = 1;
        for (int c = 0; c < NCOLS; c++)
            s->col[c] = -1;
        for (size_t k = 0; k < n; k++) {
            int known = 0;
            for (int c = 0; c < NCOLS; c++)
                if (!strcasecmp(f[k], COLUMNS[c])) {
                    s->col[c] = (int)k;
                    known = 1;
                }
            if (!known)
                return kbi_fail_at(err, KB_EFORMAT, s->file, line, col[k],
                                   "unknown column '%s' (dimension, theme, "
                                   "concept, description, patterns, exclude, "
                                   "scope, speakers, id)",
                                   f[k]);
        }
        if (s->col[COL_THEME] < 0 || s->col[COL_CONCEPT] < 0)
            return kbi_fail_at(
                err, KB_EFORMAT, s->file, line, 1,
                "the header needs 'theme' and 'concept' columns");
        return 0;
    }
    if (KBI_GROW(&s->rows, &s->cap, s->n + 1))
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    sheet_row *r = &s->rows[s->n++];
    memset(r, 0, sizeof *r);
    r->line = line;
    for (int c = 0; c < NCOLS; c++) {
        int k = s->col[c];
        const char *v = k >= 0 && (size_t)k < n ? f[k] : "";
        if (!*v && c == COL_DIMENSION && s->carry_dim)
            v = s->carry_dim;
        if (!*v && c == COL_THEME && s->carry_theme)
            v = s->carry_theme;
        if (*v && !(r->cell[c] = strdup(v)))
            return kbi_fail(err, KB_ENOMEM, "out of memory");
    }
    s->carry_dim = r->cell[COL_DIMENSION];
    s->carry_theme = r->cell[COL_THEME];
    if (!r->cell[COL_CONCEPT])
        return kbi_fail_at(err, KB_EFORMAT, s->file, line,
                           col[s->col[COL_CONCEPT]], "a row without a concept");
    if (!r->cell[COL_THEME])
        return kbi_fail_at(err, KB_EFORMAT, s->file, line,
                           col[s->col[COL_THEME]], "a concept without a theme");
    return 0;
}

/* Appends a single-quoted YAML scalar. */
static int put_quoted(char **b, size_t *n, size_t *cap, const char *v)
{
    if (KBI_GROW(b, cap, *n + 2 * strlen(v) + 3))
        return -1;
    (*b)[(*n)++] = '\'';
    for (; *v; v++) {
        if (*v == '\'')
            (*b)[(*n)++] = '\'';
        (*b)[(*n)++] = *v == '\n' ? ' ' : *v;
    }
    (*b)[(*n)++] = '\'';
    (*b)[*n] = '\0';
    return 0;
}

static int put(char **b, size_t *n, size_t *cap, const char *fmt,
               const char *arg)
{
    int need = snprintf(NULL, 0, fmt, arg);
    if (need < 0 || KBI_GROW(b, cap, *n + (size_t)need + 1))
        return -1;
    snprintf(*b + *n, (size_t)need + 1, fmt, arg);
    *n += (size_t)need;
    return 0;
}

/* Checks every pattern line of a cell; writes them as a YAML list. */
static int put_patterns(sheet *s, sheet_row *r, int c, const char *key,
                        const char *ind, char **b, size_t *n, size_t *cap,
                        kb_error *err)
{
    if (!r->cell[c])
        return 0;
    if (put(b, n, cap, "%s", ind) || put(b, n, cap, "        %s:\n", key))
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    char *cell = r->cell[c], *save = NULL;
    for (char *p = strtok_r(cell, "\n", &save); p;
         p = strtok_r(NULL, "\n", &save)) {
        while (*p == ' ' || *p == '\t')
            p++;
        size_t len = strlen(p);
        while (len && (p[len - 1] == ' ' || p[len - 1] == '\r'))
            p[--len] = '\0';
        if (!len)
            continue;
        int ec;
        size_t off;
        pcre2_code *re;
        int rc = kbi_pattern_compile(&re, NULL, p, 1, &ec, &off);
        if (rc == KB_ENOMEM)
            return kbi_fail(err, KB_ENOMEM, "out of memory");
        if (rc) {
            PCRE2_UCHAR msg[256];
            pcre2_get_error_message(ec, msg, sizeof msg);
            return kbi_fail_at(err, KB_EFORMAT, s->file, r->line, 0,
                               "concept '%s': invalid regex '%s': %s at "
                               "character %zu",
                               r->cell[COL_CONCEPT], p, (const char *)msg,
                               (size_t)off + 1);
        }
        pcre2_code_free(re);
        if (put(b, n, cap, "%s", ind) || put(b, n, cap, "%s", "          - ") ||
            put_quoted(b, n, cap, p) || put(b, n, cap, "%s", "\n"))
            return kbi_fail(err, KB_ENOMEM, "out of memory");
    }
    return 0;
}

static int render(sheet *s, const char *name, char **out, size_t *outn,
                  kb_error *err)
{
    char *b = NULL;
    size_t n = 0, cap = 0;
    int dims = s->col[COL_DIMENSION] >= 0;
    const char *ind = dims ? "    " : "";
    if (put(&b, &n, &cap, "%s", "kodbok: 1\nname: ") ||
        put_quoted(&b, &n, &cap, name) ||
        put(&b, &n, &cap, "%s", dims ? "\ndimensions:\n" : "\nthemes:\n"))
        goto nomem;
    const char *dim = NULL, *theme = NULL;
    for (size_t i = 0; i < s->n; i++) {
        sheet_row *r = &s->rows[i];
        const char *d = r->cell[COL_DIMENSION] ? r->cell[COL_DIMENSION] : "";
        if (dims && (!dim || strcmp(dim, d))) {
            if (!*d)
                return kbi_fail_at(err, KB_EFORMAT, s->file, r->line, 1,
                                   "a concept without a dimension");
            dim = d;
            theme = NULL;
            if (put(&b, &n, &cap, "  - id: %s\n    label: ", r->dimension_id) ||
                put_quoted(&b, &n, &cap, d) ||
                put(&b, &n, &cap, "%s", "\n    themes:\n"))
                goto nomem;
        }
        if (!theme || strcmp(theme, r->cell[COL_THEME])) {
            theme = r->cell[COL_THEME];
            if (put(&b, &n, &cap, "%s", ind) ||
                put(&b, &n, &cap, "  - id: %s\n", r->theme_id) ||
                put(&b, &n, &cap, "%s", ind) ||
                put(&b, &n, &cap, "%s", "    label: ") ||
                put_quoted(&b, &n, &cap, theme) ||
                put(&b, &n, &cap, "%s", "\n") || put(&b, &n, &cap, "%s", ind) ||
                put(&b, &n, &cap, "%s", "    concepts:\n"))
                goto nomem;
        }
        /* Under dimensions everything is indented four more. */
        if (put(&b, &n, &cap, "%s", ind) ||
            put(&b, &n, &cap, "      - id: %s\n", r->id) ||
            put(&b, &n, &cap, "%s", ind) ||
            put(&b, &n, &cap, "%s", "        label: ") ||
            put_quoted(&b, &n, &cap, r->cell[COL_CONCEPT]) ||
            put(&b, &n, &cap, "%s", "\n"))
            goto nomem;
        if (r->cell[COL_DESCRIPTION] &&
            (put(&b, &n, &cap, "%s", ind) ||
             put(&b, &n, &cap, "%s", "        description: ") ||
             put_quoted(&b, &n, &cap, r->cell[COL_DESCRIPTION]) ||
             put(&b, &n, &cap, "%s", "\n")))
            goto nomem;
        const int simple[] = {COL_SCOPE, COL_SPEAKERS};
        const char *keys[] = {"scope", "speakers"};
        for (int k = 0; k < 2; k++)
            if (r->cell[simple[k]] &&
                (put(&b, &n, &cap, "%s", ind) ||
                 put(&b, &n, &cap, "        %s: ", keys[k]) ||
                 put_quoted(&b, &n, &cap, r->cell[simple[k]]) ||
                 put(&b, &n, &cap, "%s", "\n")))
                goto nomem;
        int rc = put_patterns(s, r, COL_PATTERNS, "patterns", ind, &b, &n, &cap,
                              err);
        if (!rc)
            rc = put_patterns(s, r, COL_EXCLUDE, "exclude", ind, &b, &n, &cap,
                              err);
        if (rc) {
            free(b);
            return rc;
        }
    }
    *out = b;
    *outn = n;
    return 0;
nomem:
    free(b);
    return kbi_fail(err, KB_ENOMEM, "out of memory");
}

/* Ids for rows, themes and dimensions; duplicates are errors. */
static int assign_ids(sheet *s, kb_error *err)
{
    for (size_t i = 0; i < s->n; i++) {
        sheet_row *r = &s->rows[i];
        r->id = r->cell[COL_ID] ? strdup(r->cell[COL_ID])
                                : kbi_codebook_slug(r->cell[COL_CONCEPT]);
        r->theme_id = kbi_codebook_slug(r->cell[COL_THEME]);
        r->dimension_id = kbi_codebook_slug(
            r->cell[COL_DIMENSION] ? r->cell[COL_DIMENSION] : "");
        if (!r->id || !r->theme_id || !r->dimension_id)
            return kbi_fail(err, KB_ENOMEM, "out of memory");
        if (!*r->id)
            return kbi_fail_at(err, KB_EFORMAT, s->file, r->line, 1,
                               "cannot make an id of '%s' (add an id column)",
                               r->cell[COL_CONCEPT]);
        for (size_t k = 0; k < i; k++)
            if (!strcmp(s->rows[k].id, r->id))
                return kbi_fail_at(err, KB_EFORMAT, s->file, r->line, 1,
                                   "concept id '%s' is also that of line %d "
                                   "(add an id column)",
                                   r->id, s->rows[k].line);
    }
    return 0;
}

/* The YAML written out (kbi_file_write_fn). */
typedef struct yaml_text {
    const char *p;
    size_t n;
} yaml_text;

static int write_yaml(void *ctx, FILE *f, kb_error *err)
{
    (void)err; /* a failed write is told when the file is closed */
    const yaml_text *y = ctx;
    fwrite(y->p, 1, y->n, f);
    return 0;
}

int kb_codebook_from_csv(const char *csv_path, const char *yaml_path,
                         const char *name, kb_error *err)
{
    size_t len;
    char *text = NULL, *yaml = NULL;
    const char *enc;
    int rc = kbi_text_load(&text, &len, &enc, NULL, csv_path,
                           KBI_INPUT_CODEBOOK, NULL, NULL, err);
    if (rc)
        return rc;
    sheet s = {.file = csv_path};
    size_t ylen = 0;
    rc = kbi_csv_parse(text, len, csv_path, on_row, &s, err);
    if (!rc && !s.n)
        rc = kbi_fail_at(err, KB_EFORMAT, csv_path, 1, 1, "no concepts");
    if (!rc)
        rc = assign_ids(&s, err);
    if (!rc)
        rc = render(&s, name, &yaml, &ylen, err);
    /* Check that it loads, then write it (beside the target, renamed over
     * it once complete). */
    if (!rc) {
        kb_codebook *cb;
        rc = kbi_codebook_parse(&cb, (const unsigned char *)yaml, ylen,
                                yaml_path, err);
        kb_codebook_free(cb);
        if (rc && err) {
            snprintf(err->file, sizeof err->file, "%s", csv_path);
            err->line = err->column = 0;
        }
    }
    if (!rc)
        rc = kbi_file_write_atomic(yaml_path, write_yaml,
                                   &(yaml_text){yaml, ylen}, err);
    for (size_t i = 0; i < s.n; i++) {
        for (int c = 0; c < NCOLS; c++)
            free(s.rows[i].cell[c]);
        free(s.rows[i].id);
        free(s.rows[i].theme_id);
        free(s.rows[i].dimension_id);
    }
    free(s.rows);
    free(yaml);
    free(text);
    return rc;
}
