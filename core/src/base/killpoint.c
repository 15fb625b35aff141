/*
 * killpoint.c: KODBOK_TEST_KILL_AT, the crash-consistency test's knob
 * (killpoint.h).
 */
#include "base/killpoint.h"

#include <signal.h>
#include <stdlib.h>

static long kill_at = -1; /* -1: not read yet; 0: off */
static long reached;

int kbi_killpoint_armed(void)
{
    if (kill_at < 0) {
        const char *s = getenv("KODBOK_TEST_KILL_AT");
        kill_at = s ? strtol(s, NULL, 10) : 0;
        if (kill_at < 0)
            kill_at = 0;
    }
    return kill_at > 0;
}

void kbi_killpoint(void)
{
    if (kbi_killpoint_armed() &&
        __atomic_add_fetch(&reached, 1, __ATOMIC_RELAXED) == kill_at)
        raise(SIGKILL);
}
