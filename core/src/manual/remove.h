/*
 * remove.h: removing a document with its manual codings kept in a tags file:
 * kb_document_remove of kodbok.h (remove.c), which need nothing more here. May
 * include: base/, store/, manual/tagfile.h.
 */
#ifndef KBI_REMOVE_H
#define KBI_REMOVE_H

#include "kodbok.h"

#endif
