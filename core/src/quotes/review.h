/*
 * review.h: review decisions on automatic quotes and featured quotes:
 * kb_quote_decide, kb_quote_undecide, kb_quote_feature and
 * kb_quote_list_check_current of kodbok.h (review.c),
 * which need nothing more here. May include: base/, store/, manual/, quotes/.
 */
#ifndef KBI_REVIEW_H
#define KBI_REVIEW_H

#include "kodbok.h"

#endif
