/*
 * json.h: a small streaming JSON writer for the CLI's --format json. It
 * tracks commas and nesting; each record of a top-level list goes on a line
 * of its own so that output diffs and greps well. Keys are only ever added to
 * the documented objects, never renamed (docs/cli.md).
 */
#ifndef KODBOK_JSON_H
#define KODBOK_JSON_H

#include "kodbok.h"

#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 16

typedef struct json {
    FILE *f;
    int depth;
    int count[JSON_MAX_DEPTH]; /* members written at each level */
    int array[JSON_MAX_DEPTH]; /* is that level an array? */
} json;

/* Starts a writer on f (nothing is written yet). */
void json_init(json *j, FILE *f);

/* In an object, `key` names the member; in an array it must be NULL. */
void json_object(json *j, const char *key);
void json_array(json *j, const char *key);
/* Closes the innermost object or array; closing the outermost ends the
 * document with a newline. */
void json_end(json *j);

void json_string(json *j, const char *key, const char *s); /* NULL: null */
void json_string_n(json *j, const char *key, const char *s, size_t n);
void json_int(json *j, const char *key, int64_t v);
void json_size(json *j, const char *key, size_t v); /* KB_NO_INDEX: null */
void json_bool(json *j, const char *key, int v);
void json_number(json *j, const char *key, double v); /* NAN: null */
void json_null(json *j, const char *key);

/* The members of a kb_doc_info ("name", "version", ... "sentences"). */
void json_doc_info(json *j, const kb_doc_info *d);

/* The members of codebook node i ("kind", "id", ... "scope"), as
 * `codebook check --format json` lists them. */
void json_code_info(json *j, const kb_codebook *cb, size_t i);

/* The members of a memo ("id", "target", ... "text"), as `memo list
 * --format json` lists them. */
void json_memo_info(json *j, const kb_memo_info *m);

/* The members of an agreement report, as `agree --format json` writes it
 * ("coders", "unit", "by", "codes", "overall", "disagreements"), with the
 * options it was made with; a disagreement's text cut at a word to at
 * most `text_max` bytes ("…" after it; 0: whole). */
void json_agree_report(json *j, const kb_agree_report *r,
                       const kb_agree_options *o, size_t text_max);

/* The members of a tried rule's report ("concept", "hits", "documents",
 * "units", "sample", "coder", "tp" ... "f1"), as `codebook try --format
 * json` and POST /api/playground give them; the figures null without a
 * coder to score against. */
void json_try_report(json *j, const kb_try_report *r, const char *concept);

#endif
