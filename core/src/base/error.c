/*
 * error.c: error codes, their names, and the kb_error filler used by every
 * module. Messages are one line: newlines and tabs in them are replaced by
 * spaces, other control characters by '?'.
 */
#include "base/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *kb_strerror(int code)
{
    switch (code) {
    case KB_OK:
        return "success";
    case KB_EINVAL:
        return "invalid argument";
    case KB_ENOENT:
        return "not found";
    case KB_EIO:
        return "input/output error";
    case KB_EFORMAT:
        return "malformed input";
    case KB_ENOMEM:
        return "out of memory";
    case KB_EDB:
        return "project store error";
    case KB_EVERSION:
        return "project written by a newer kodbok";
    case KB_EEXIST:
        return "already exists";
    case KB_ENOTPROJ:
        return "not a kodbok project";
    case KB_ENORUN:
        return "not coded yet";
    case KB_EBUSY:
        return "project busy";
    case KB_EREADONLY:
        return "project read-only";
    }
    return "unknown error";
}

static void one_line(char *s)
{
    for (; *s; s++)
        if (*s == '\n' || *s == '\r' || *s == '\t')
            *s = ' ';
        else if ((unsigned char)*s < 0x20 || *s == 0x7F)
            *s = '?'; /* a name stored before names were checked: no escape
                         sequence reaches a terminal through a message */
}

static void vfill(kb_error *err, int code, const char *file, int line,
                  int column, const char *fmt, va_list ap)
{
    err->code = code;
    err->line = line;
    err->column = column;
    err->argument[0] = '\0';
    snprintf(err->file, sizeof err->file, "%s", file ? file : "");
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    one_line(err->message);
}

int kbi_fail(kb_error *err, int code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vfill(err, code, NULL, 0, 0, fmt, ap);
        va_end(ap);
    }
    return code;
}

int kbi_fail_at(kb_error *err, int code, const char *file, int line, int column,
                const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vfill(err, code, file, line, column, fmt, ap);
        va_end(ap);
    }
    return code;
}

int kbi_fail_arg(kb_error *err, int code, const char *argument, const char *fmt,
                 ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vfill(err, code, NULL, 0, 0, fmt, ap);
        va_end(ap);
        snprintf(err->argument, sizeof err->argument, "%s", argument);
    }
    return code;
}

void kbi_error_set_file(kb_error *err, const char *file)
{
    if (err && !err->file[0] && file)
        snprintf(err->file, sizeof err->file, "%s", file);
}

char *kb_error_format(const kb_error *err, char *buf, size_t size)
{
    if (!size)
        return buf;
    if (!err) {
        snprintf(buf, size, "unknown error");
        return buf;
    }
    const char *msg = err->message[0] ? err->message : kb_strerror(err->code);
    if (err->file[0] && err->line > 0 && err->column > 0)
        snprintf(buf, size, "%s:%d:%d: %s", err->file, err->line, err->column,
                 msg);
    else if (err->file[0] && err->line > 0)
        snprintf(buf, size, "%s:%d: %s", err->file, err->line, msg);
    else if (err->file[0])
        snprintf(buf, size, "%s: %s", err->file, msg);
    else
        snprintf(buf, size, "%s", msg);
    return buf;
}
