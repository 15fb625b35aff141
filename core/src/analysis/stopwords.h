/*
 * stopwords.h: stop words (stopwords.c): the Swedish list kodbok ships
 * (stopwords_sv.txt, built in), or a user's file in the same form: one word
 * a line, '#' starting a comment, blank lines ignored.
 *
 * May include: kodbok.h, base/, analysis/vocab.h.
 */
#ifndef KBI_ANALYSIS_STOPWORDS_H
#define KBI_ANALYSIS_STOPWORDS_H

#include "analysis/vocab.h"
#include "kodbok.h"

/* Fills `set` (zeroed) with the words of the file at `path`, or of the
 * shipped list when `path` is NULL, each folded. KB_ENOENT or KB_EIO for a
 * file that cannot be read, KB_EFORMAT (file:line:column) for a line that
 * is not UTF-8 or holds more than one word, KB_ENOMEM. */
int kbi_stopwords_load(kbi_vocab *set, const char *path, kb_error *err);

#endif
