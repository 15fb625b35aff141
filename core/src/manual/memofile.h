/*
 * memofile.h: memos files (memofile.c), the memos on the project, the
 * documents, the cases and the codes as sorted, escaped, tab-separated
 * lines for git beside the tags file; kb_memos_write and kb_memos_import
 * are its public side. May include: base/, store/, manual/.
 */
#ifndef KBI_MEMOFILE_H
#define KBI_MEMOFILE_H

#include "kodbok.h"

#endif
