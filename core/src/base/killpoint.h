/*
 * killpoint.h: a test knob for the crash-consistency test (docs/torture.md),
 * not an interface: with the environment variable KODBOK_TEST_KILL_AT=K,
 * the process kills itself with SIGKILL at its Kth kill point. Kill points
 * are where a kill could lose work: each row a project connection writes
 * and each commit (store/schema.c installs SQLite's update and commit
 * hooks only when the variable is set), and each file about to replace
 * another (base/file.c). Without the variable a kill point does nothing.
 * May include: nothing.
 */
#ifndef KBI_KILLPOINT_H
#define KBI_KILLPOINT_H

/* Whether KODBOK_TEST_KILL_AT is set to a count (read once). */
int kbi_killpoint_armed(void);

/* Counts a kill point; the Kth kills the process. */
void kbi_killpoint(void);

#endif
