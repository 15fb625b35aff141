/*
 * json.h: the JSON string escaper of json.c (kb_json_quote in kodbok.h)
 * appending to memory, for writers that build a record before writing it.
 */
#ifndef KBI_JSON_H
#define KBI_JSON_H

#include <stddef.h>

/*
 * Appends s[0..n) as a JSON string, quotes included, to the growable
 * buffer *buf (*len bytes used of *cap), escaped exactly as kb_json_quote
 * escapes. Returns 0, or -1 when out of memory (the buffer is unchanged).
 */
int kbi_json_append(char **buf, size_t *len, size_t *cap, const char *s,
                    size_t n);

#endif
