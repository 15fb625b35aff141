/*
 * full.c: how kodbok starts kodbok-full for a command it leaves out
 * (main.c says why). kodbok-full is looked for beside the running kodbok
 * (the build folder, or both copied to one folder), then where `make
 * install` puts it relative to kodbok (KODBOK_FULL_FROM_BIN, the path from
 * the bin folder to the libexec one), then at its installed path
 * (KODBOK_FULL_INSTALLED).
 */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#if defined(__APPLE__)
#include <mach-o/dyld.h>
#endif

enum { PATH_SIZE = 4096 };

/* The folder of the running program, its links followed, into dir; 0 where
 * the system does not say (then only the installed path is tried). */
static int self_dir(char dir[PATH_SIZE])
{
#if defined(__linux__)
    ssize_t n = readlink("/proc/self/exe", dir, PATH_SIZE - 1);
    if (n <= 0)
        return 0;
    dir[n] = '\0';
#elif defined(__APPLE__)
    char raw[PATH_SIZE];
    uint32_t size = sizeof raw;
    if (_NSGetExecutablePath(raw, &size) != 0 || !realpath(raw, dir))
        return 0;
#else
    (void)dir;
    return 0;
#endif
    char *slash = strrchr(dir, '/');
    if (!slash)
        return 0;
    *slash = '\0';
    return 1;
}

int cli_run_full(const char *cmd, char **argv)
{
    static const char *const beside[] = {"kodbok-full", KODBOK_FULL_FROM_BIN};
    char dir[PATH_SIZE], path[PATH_SIZE + 64];
    int first_err = 0;
    if (self_dir(dir))
        for (size_t i = 0; i < sizeof beside / sizeof beside[0]; i++) {
            snprintf(path, sizeof path, "%s/%s", dir, beside[i]);
            execv(path, argv);
            if (errno != ENOENT && !first_err)
                first_err = errno;
        }
    execv(KODBOK_FULL_INSTALLED, argv);
    if (errno != ENOENT && !first_err)
        first_err = errno;
    cli_errorf("cannot run '%s': it is a command of kodbok-full, which is "
               "not beside kodbok nor at %s (%s)",
               cmd, KODBOK_FULL_INSTALLED,
               strerror(first_err ? first_err : ENOENT));
    return EXIT_INTERNAL;
}
