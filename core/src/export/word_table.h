/*
 * word_table.h: word frequencies and keyness (analysis/wordfreq.h) as a
 * table in every export format and as a bar chart in SVG (word_table.c):
 * kb_words_write and kb_words_chart_write of kodbok.h, which need nothing
 * more here.
 *
 * May include: base/, analysis/, export/export.h, export/present.h,
 * export/table.h.
 */
#ifndef KBI_EXPORT_WORD_TABLE_H
#define KBI_EXPORT_WORD_TABLE_H

#include "kodbok.h"

#endif
