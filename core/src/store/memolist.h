/*
 * memolist.h: the project's memos read back (memolist.c): kb_project_memos
 * and the kb_memo_list accessors of kodbok.h, which need nothing more here.
 * May include: base/, store/.
 */
#ifndef KBI_MEMOLIST_H
#define KBI_MEMOLIST_H

#include "kodbok.h"

#endif
