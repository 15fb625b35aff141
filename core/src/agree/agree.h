/*
 * agree.h: agreement between coders: kb_agreement_compute and the
 * kb_reliability calls of kodbok.h (agree.c), which need nothing more here. May
 * include: base/.
 */
#ifndef KBI_AGREE_H
#define KBI_AGREE_H

#include "kodbok.h"

#endif
