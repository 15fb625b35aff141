/*
 * csv.c: RFC 4180 parsing into rows of fields. Fields are collected into one
 * growing buffer per row; nothing outlives the row callback.
 */
#include "base/csv.h"
#include "base/error.h"
#include "base/grow.h"

#include <stdlib.h>
#include <string.h>

typedef struct row {
    char *buf;
    size_t len, cap;
    size_t *starts; /* offsets of fields in buf */
    int *columns;
    size_t n, scap, ccap;
} row;

static int buf_put(row *r, char c)
{
    if (KBI_GROW(&r->buf, &r->cap, r->len + 1))
        return -1;
    r->buf[r->len++] = c;
    return 0;
}

static int field_begin(row *r, int column)
{
    if (KBI_GROW(&r->starts, &r->scap, r->n + 1) ||
        KBI_GROW(&r->columns, &r->ccap, r->n + 1))
        return -1;
    r->starts[r->n] = r->len;
    r->columns[r->n] = column;
    r->n++;
    return 0;
}

static char guess_delimiter(const char *s, size_t len)
{
    size_t counts[3] = {0, 0, 0};
    int quoted = 0;
    for (size_t i = 0; i < len && (quoted || s[i] != '\n'); i++) {
        if (s[i] == '"')
            quoted = !quoted;
        else if (!quoted && s[i] == ',')
            counts[0]++;
        else if (!quoted && s[i] == ';')
            counts[1]++;
        else if (!quoted && s[i] == '\t')
            counts[2]++;
    }
    if (counts[1] > counts[0] && counts[1] >= counts[2])
        return ';';
    if (counts[2] > counts[0] && counts[2] > counts[1])
        return '\t';
    return ',';
}

int kbi_csv_parse(const char *text, size_t len, const char *file,
                  kbi_csv_row_fn fn, void *ctx, kb_error *err)
{
    char delim = guess_delimiter(text, len);
    row r = {0};
    const char **fields = NULL;
    size_t fcap = 0;
    int rc = 0, line = 1, col = 1;
    size_t i = 0;
    while (i < len && rc == 0) {
        int row_line = line;
        r.len = 0;
        r.n = 0;
        int any = 0;
        for (;;) { /* one field per iteration */
            if (field_begin(&r, col))
                goto nomem;
            while (i < len && (text[i] == ' ' || text[i] == '\t') &&
                   text[i] != delim) {
                i++;
                col++;
            }
            if (i < len && text[i] == '"') {
                int qline = line, qcol = col;
                i++;
                col++;
                for (;;) {
                    if (i >= len) {
                        rc = kbi_fail_at(err, KB_EFORMAT, file, qline, qcol,
                                         "unterminated quoted field");
                        goto done;
                    }
                    char c = text[i];
                    if (c == '"' && i + 1 < len && text[i + 1] == '"') {
                        if (buf_put(&r, '"'))
                            goto nomem;
                        i += 2;
                        col += 2;
                    } else if (c == '"') {
                        i++;
                        col++;
                        break;
                    } else {
                        if (buf_put(&r, c))
                            goto nomem;
                        if (c == '\n') {
                            line++;
                            col = 1;
                        } else if (((unsigned char)c & 0xC0) != 0x80) {
                            col++;
                        }
                        i++;
                    }
                }
                while (i < len && (text[i] == ' ' || text[i] == '\t') &&
                       text[i] != delim) {
                    i++;
                    col++;
                }
                if (i < len && text[i] != delim && text[i] != '\n') {
                    rc = kbi_fail_at(err, KB_EFORMAT, file, line, col,
                                     "unexpected text after a closing quote");
                    goto done;
                }
                any = 1;
            } else {
                size_t s = r.len;
                while (i < len && text[i] != delim && text[i] != '\n') {
                    if (buf_put(&r, text[i]))
                        goto nomem;
                    if (((unsigned char)text[i] & 0xC0) != 0x80)
                        col++;
                    i++;
                }
                while (r.len > s &&
                       (r.buf[r.len - 1] == ' ' || r.buf[r.len - 1] == '\t'))
                    r.len--;
                any |= r.len > s;
            }
            if (buf_put(&r, '\0'))
                goto nomem;
            if (i < len && text[i] == delim) {
                i++;
                col++;
                any = 1;
                continue;
            }
            break;
        }
        if (i < len) { /* at '\n' */
            i++;
            line++;
            col = 1;
        }
        if (!any)
            continue; /* a blank line */
        if (r.n > fcap) {
            const char **nf = realloc(fields, r.n * sizeof *nf);
            if (!nf)
                goto nomem;
            fields = nf;
            fcap = r.n;
        }
        for (size_t k = 0; k < r.n; k++)
            fields[k] = r.buf + r.starts[k];
        rc = fn(ctx, r.n, fields, r.columns, row_line, err);
    }
    goto done;
nomem:
    rc = kbi_fail_at(err, KB_ENOMEM, file, 0, 0, "out of memory");
done:
    free(r.buf);
    free(r.starts);
    free(r.columns);
    free(fields);
    return rc;
}
