/*
 * plaintext.h: the transcript text that the front ends of formats with
 * paragraphs (DOCX, ODT) build as they walk a document: a paragraph or a
 * soft line break ends a line, a table row is one line with its cells
 * apart by tabs, and a speaker label the document marks by its form (bold
 * before a tab, a table's label cell) comes out as "Label: " so that the
 * transcript parser reads it as in a text file (docs/transcripts.md,
 * "Formats"). May include: base/.
 */
#ifndef KBI_PLAINTEXT_H
#define KBI_PLAINTEXT_H

#include "base/zipread.h"
#include "kodbok.h"

#include <libxml/tree.h>
#include <stddef.h>

/* The cells of a row whose places are kept for its label. */
#define KBI_PLAIN_CELLS 16

/* Text being built; zero-initialise. */
typedef struct kbi_plain {
    char *s;
    size_t n, cap;
    int nomem;
    size_t line;     /* where the current line starts */
    size_t bold_end; /* the end of the bold text from the line's start */
    int bold_off;    /* has the line had text that is not bold? */
    int row;         /* depth of table rows open (nested tables) */
    int blank;       /* a blank is due inside a cell before more text */
    size_t ncells;   /* cells of the outermost open row */
    size_t cell[KBI_PLAIN_CELLS]; /* where each of them starts */
} kbi_plain;

/* Appends text of a run, bold or not. */
void kbi_plain_put(kbi_plain *b, const char *s, size_t n, int bold);

/* Ends the line: a paragraph's end or a soft line break (inside a table
 * row, a blank instead). */
void kbi_plain_newline(kbi_plain *b);

/* A table row begins; each cell begins with kbi_plain_cell; the row ends
 * with kbi_plain_row_end, which ends its line. */
void kbi_plain_row(kbi_plain *b);
void kbi_plain_cell(kbi_plain *b);
void kbi_plain_row_end(kbi_plain *b);

/* The text built (caller frees), without blank lines at its start and with
 * one line end at its end; KB_ENOMEM, or KB_EFORMAT naming `file` when the
 * document holds no text. Frees what b holds either way. */
int kbi_plain_finish(char **out, size_t *len, kbi_plain *b, const char *file,
                     kb_error *err);

/*
 * Opens the package raw[0..n) (base/zipread.h) and parses its part `part`
 * (base/xmlread.h), named "FILE:PART" in messages; `what` names the format
 * when the part is missing ("a Word document"). On success *zip and *doc
 * are the caller's (kbi_zip_free, xmlFreeDoc). KB_EFORMAT, KB_ENOMEM.
 */
int kbi_plain_package(kbi_zip **zip, xmlDocPtr *doc, const unsigned char *raw,
                      size_t n, const char *part, const char *what,
                      const char *file, kb_error *err);

/* Something a front end left out: `n` of them, named `one` or `many`; with
 * `many` NULL, `one` alone when n > 0 ("the headers and footers"). */
typedef struct kbi_left_out {
    size_t n;
    const char *one, *many;
} kbi_left_out;

/* Tells `notice` (may be NULL) in one line what of `file` was left out,
 * if anything was. */
void kbi_plain_left_out(const kbi_left_out *v, size_t nv, const char *file,
                        kb_notice_fn notice, void *ctx);

#endif
