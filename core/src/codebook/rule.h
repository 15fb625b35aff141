/*
 * rule.h: a concept's rule tried with other patterns: checking a pattern
 * given outside a codebook file, and a small codebook of the concept's
 * settings (scope, speakers, case rule, excludes) with those patterns, for
 * the engine to match (rule.c). Also the single-quoted YAML scalar that
 * every writer of patterns into YAML uses.
 *
 * May include: kodbok.h, base/, codebook/codebook.h.
 */
#ifndef KBI_CODEBOOK_RULE_H
#define KBI_CODEBOOK_RULE_H

#include "kodbok.h"

#include <stddef.h>

/*
 * Appends `s` as a YAML single-quoted scalar ('' for a quote) to *buf
 * (kept NUL-terminated). -1 when out of memory.
 */
int kbi_yaml_quoted(char **buf, size_t *len, size_t *cap, const char *s);

/*
 * Checks pattern number `index` (0-based) of a list given as `argument`
 * as a codebook pattern is checked: no control character but tab and
 * newline, a regex that compiles (caseless or not) and cannot match the
 * empty string. KB_EFORMAT with err->line the pattern's index + 1 and
 * err->column the 1-based code point where the problem is; KB_ENOMEM.
 */
int kbi_rule_check(const char *pat, int caseless, size_t index,
                   const char *argument, kb_error *err);

/*
 * A codebook of concepts with the settings of concept `node` of `cb`
 * (scope, speakers, case rule, excludes): with `each`, concept i (id
 * "c<i>") has pattern i alone; without, one concept "c0" has them all.
 * The patterns must have passed kbi_rule_check. KB_ENOMEM, KB_EFORMAT.
 */
int kbi_rule_codebook(kb_codebook **out, const kb_codebook *cb, size_t node,
                      const char *const *pats, size_t npats, int each,
                      kb_error *err);

#endif
