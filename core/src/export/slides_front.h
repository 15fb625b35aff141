/*
 * slides_front.h: what a deck of kb_slides_write says besides its quotes
 * (slides_front.c): the outline with the slides' numbers, the respondents'
 * background table, and the pseudonymous labels of quotes made of their
 * cases' attributes. Internal: not part of kodbok.h. May include: base/,
 * quotes/, export/deck.h.
 */
#ifndef KBI_EXPORT_SLIDES_FRONT_H
#define KBI_EXPORT_SLIDES_FRONT_H

#include "export/deck.h"
#include "kodbok.h"

/* A part of the deck as the outline names it: slides [first, last]. */
typedef struct kbi_outline_part {
    char *label;
    int level; /* 0 a part, 1 within the part above (a theme) */
    size_t first, last;
} kbi_outline_part;

typedef struct kbi_outline {
    kbi_outline_part *v;
    size_t n, cap;
} kbi_outline;

/* Records a part of slides [first, last]. KB_ENOMEM. */
int kbi_outline_add(kbi_outline *o, int level, const char *label, size_t first,
                    size_t last, kb_error *err);

void kbi_outline_free(kbi_outline *o);

/*
 * Adds the outline slide, "Presentationens upplägg", as the deck's first
 * slide after the cover: a paragraph per part, "Kodningsstruktur (bild
 * 4–5)", with the numbers of the pages its slides are laid out on (the
 * cover is page 1). The parts' slide numbers are those before it is added.
 * KB_ENOMEM.
 */
int kbi_outline_slide(kbi_deck *d, const kbi_outline *o, kb_error *err);

/*
 * Checks a label template (kb_slides_options.label): balanced braces, each
 * naming an attribute of the list's cases. KB_EINVAL naming the attribute
 * and those there are.
 */
int kbi_slides_label_check(const kb_quote_list *l, const char *tmpl,
                           kb_error *err);

/*
 * The label of quote q by the template: each "{name}" replaced by the
 * attribute `name` of the quote's case. *out is malloc'ed, or NULL when the
 * case has none of the attributes named. KB_ENOMEM.
 */
int kbi_slides_label(char **out, const kb_quote_list *l, const kb_quote_row *q,
                     const char *tmpl, kb_error *err);

/*
 * s with its first letter made upper case (`upper`) or lower case, into
 * buf ("Nivå" reads "nivå" inside a sentence).
 */
void kbi_slides_first_case(char *buf, size_t size, const char *s, int upper);

/*
 * Adds the table of the respondents' background, "Respondenternas
 * bakgrund": a row per value of the first attribute of `attrs`
 * (comma-separated) with its number of cases and how they spread over the
 * other attributes ("3 regional, 2 lokal"), then a row of totals. `attrs`
 * NULL: the cases' categorical attributes (docs/slides.md); nothing is
 * added when there are none. `l` gives facets' labels for attributes named
 * as a facet. *added is 1 when a slide was added. KB_EINVAL (an attribute no
 * case has), KB_ENOMEM.
 */
int kbi_slides_background(kbi_deck *d, int *added, const kb_case_list *cases,
                          const char *attrs, const kb_quote_list *l,
                          kb_error *err);

#endif
