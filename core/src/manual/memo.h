/*
 * memo.h: memos inside the library (memo.c): on the project (the analytic
 * journal), a document, a case, a code (table memos) and a manual coding
 * (its row's memo column), and what the memos file (memofile.c) shares
 * with them: the stored names of targets, checking that a target and a
 * facet value a memo is at exist, memo texts and times. The public side is the
 * "Memos" section of kodbok.h. May include: base/, store/, manual/.
 */
#ifndef KBI_MEMO_H
#define KBI_MEMO_H

#include "kodbok.h"

#include <sqlite3.h>

/* The current time as a memo's time, "2026-12-07T10:15:00.123Z", into
 * out[32]. */
void kbi_memo_now(char out[32]);

/* 1 when `s` is a memo's time as kbi_memo_now writes it (milliseconds
 * optional), else 0. */
int kbi_memo_time_ok(const char *s);

/*
 * Checks that the project has the thing a memo of table memos is about:
 * `target` is the stored one ("project", "document", "case", "dimension",
 * "theme", "concept"; a code's target is its kind as the last run's
 * codebook has it, and "code" is taken for any of them and replaced, into
 * target_out[16]). KB_EINVAL (a bad target, a project memo with a name),
 * KB_ENOENT naming the thing and the nearest name the project has, or
 * KB_ENORUN (a code and no run).
 */
int kbi_memo_target_check(sqlite3 *db, const char *target, const char *name,
                          char target_out[16], kb_error *err);

/*
 * Checks a memo's `at`: NULL and "" (on the thing as a whole) always pass;
 * "facet=value" only on a code (`target` a stored one, or "code"), with a
 * facet and value of the last run's codebook, unless `db` is NULL (then the
 * form only). KB_EINVAL about "at" (another target, not FACET=VALUE),
 * KB_ENOENT naming the facet or value and the nearest one.
 */
int kbi_memo_at_check(sqlite3 *db, const char *target, const char *at,
                      kb_error *err);

/* A memo's text as stored (caller frees *out): NFC UTF-8, LF line ends,
 * trailing white space dropped. KB_EINVAL about `text` when it is empty
 * or not UTF-8. */
int kbi_memo_text(char **out, const char *text, kb_error *err);

/*
 * Stores a memo of table memos as read from a file (a memos file, a
 * REFI-QDA note), all checked by the caller: `target` a stored one, the
 * times as kbi_memo_time_ok takes them, `text` as kbi_memo_text made it.
 * `at` is "" for a memo on the thing as a whole, else as
 * kbi_memo_at_check takes it. Returns 0 when added, 1 when the memo
 * (target, name, at, author, creation time) is there with this text, 2 when
 * it is there with another (a conflict: the project's is kept), or a
 * negative KB_E* code.
 */
int kbi_memo_put(sqlite3 *db, const char *target, const char *name,
                 const char *at, const char *author, const char *created,
                 const char *changed, const char *text, kb_error *err);

#endif
