/*
 * error.h: filling the caller's kb_error. Every module reports failure by
 * returning kbi_fail(err, code, ...) so that message formatting lives here.
 */
#ifndef KBI_ERROR_H
#define KBI_ERROR_H

#include "kodbok.h"

/*
 * Sets err (if non-NULL) to code and a printf-formatted one-line message,
 * clearing file/line/column. Returns code, so callers can write
 * `return kbi_fail(err, KB_EINVAL, "...")`.
 */
int kbi_fail(kb_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Like kbi_fail, with the file and position the message is about. */
int kbi_fail_at(kb_error *err, int code, const char *file, int line, int column,
                const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Like kbi_fail, about the call's argument `argument` (named as in
 * kodbok.h), which the message names in the library's terms. */
int kbi_fail_arg(kb_error *err, int code, const char *argument, const char *fmt,
                 ...) __attribute__((format(printf, 4, 5)));

/* Sets the file of an error already filled, if it names none. */
void kbi_error_set_file(kb_error *err, const char *file);

#endif
