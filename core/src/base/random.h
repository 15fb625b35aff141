/*
 * random.h: random bytes from the system (random.c), for tokens: Linux's
 * getrandom, elsewhere /dev/urandom. kb_random_hex of kodbok.h is here.
 * May include: base/.
 */
#ifndef KBI_RANDOM_H
#define KBI_RANDOM_H

#include "kodbok.h"

#include <stddef.h>

/* Fills buf with n random bytes. KB_EIO when the system gives none. */
int kbi_random_bytes(void *buf, size_t n, kb_error *err);

#endif
