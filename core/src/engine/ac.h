/*
 * ac.h: an Aho-Corasick automaton over bytes, compiled to a DFA on byte
 * classes, reporting which concepts' literals occur in a text.
 */
#ifndef KB_AC_H
#define KB_AC_H

#include <stddef.h>
#include <stdint.h>

typedef struct kb_ac kb_ac;

/* Builds an empty automaton; add literals, then kb_ac_compile. */
kb_ac *kb_ac_new(void);
/* Adds literal s (bytes) reporting `id`. Returns 0 or -1 (out of memory). */
int kb_ac_add(kb_ac *a, const char *s, size_t n, uint32_t id);
/* Computes failure links and the full transition table. 0 or -1. */
int kb_ac_compile(kb_ac *a);
void kb_ac_free(kb_ac *a);

/* Calls hit(ctx, id) for every id whose literal occurs in s[0..n); an id
 * may be reported more than once. */
void kb_ac_scan(const kb_ac *a, const char *s, size_t n,
                void (*hit)(void *ctx, uint32_t id), void *ctx);

#endif
