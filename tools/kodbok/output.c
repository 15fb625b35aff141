/*
 * output.c: a command's output, to standard output or to a file by
 * kb_output (output.h).
 */
#include "output.h"
#include "cli.h"

#include <string.h>
#include <unistd.h>

int table_out_open(table_out *o, const char *path, int binary)
{
    memset(o, 0, sizeof *o);
    if (!path || !strcmp(path, "-")) {
        if (binary && isatty(fileno(stdout))) {
            cli_errorf("a workbook or document is not written to a terminal "
                       "(use -o FILE)");
            return EXIT_USAGE;
        }
        o->f = stdout;
        return 0;
    }
    kb_error err;
    if (kb_output_open(&o->out, &o->f, path, &err))
        return cli_fail(&err);
    setvbuf(o->f, NULL, _IOFBF, 1 << 20); /* tables run to hundreds of MB */
    return 0;
}

int table_out_close(table_out *o, const kb_error *failed)
{
    if (!o->out)
        return failed ? cli_fail(failed) : 0; /* stdout: see main.c */
    /* a write to the file failed: the output's own error names the file
     * and says why */
    int own = failed && failed->code == KB_EIO && ferror(o->f);
    kb_error err;
    int rc = kb_output_close(o->out, !failed || own, &err);
    o->out = NULL;
    o->f = NULL;
    if (failed && !own)
        return cli_fail(failed);
    return rc ? cli_fail(&err) : 0;
}

int cli_write_output(const char *output, cli_write_fn write, void *ctx)
{
    table_out out;
    int rc = table_out_open(&out, output, 0);
    if (rc)
        return rc;
    kb_error err;
    int failed = write(out.f, ctx, &err);
    if (failed && out.out && !err.file[0])
        snprintf(err.file, sizeof err.file, "%s", output);
    return table_out_close(&out, failed ? &err : NULL);
}
