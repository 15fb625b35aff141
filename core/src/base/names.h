/*
 * names.h: the names of kodbok.h's enumerations (kb_segment_kind_name,
 * kb_role_name, kb_code_kind_name, kb_decision_name, kb_count_kind_parse,
 * kb_export_format_parse) are defined in names.c and declared in kodbok.h;
 * this header only names the module. May include: kodbok.h.
 */
#ifndef KBI_NAMES_H
#define KBI_NAMES_H

#include "kodbok.h"

#endif
