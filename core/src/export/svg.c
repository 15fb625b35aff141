/*
 * svg.c: the font, width estimate, root element and output that the SVG
 * figures share. The width estimate errs wide, so that a label measured by
 * it fits in DejaVu Sans and in the narrower Helvetica, Arial and
 * Liberation Sans alike.
 */
#include "export/svg.h"
#include "kodbok.h"

#include <string.h>
#include <utf8proc.h>

/*
 * The width estimate, in thousandths of an em, is the widest glyph of a
 * code point's class in DejaVu Sans, the widest of the fonts named in
 * KBI_SVG_FONT_FAMILY: a space; narrow letters and punctuation; capitals; wide
 * letters and symbols (m, w, %, +, ...); anything else (lower case, digits).
 * Bold text is BOLD percent of that, which covers DejaVu Sans Bold.
 */
enum {
    W_SPACE = 350,
    W_NARROW = 420,
    W_UPPER = 800,
    W_WIDE = 1000,
    W_OTHER = 640,
    BOLD = 115
};
static const char NARROW[] = "fijltI.,:;'!|()[]-/";
static const char WIDE[] = "mwMW%@#&";

/* Capitals, symbols and the rest, by Unicode category. */
static long cp_class(utf8proc_int32_t cp)
{
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LT:
        return W_UPPER;
    case UTF8PROC_CATEGORY_SM:
    case UTF8PROC_CATEGORY_SC:
    case UTF8PROC_CATEGORY_SK:
    case UTF8PROC_CATEGORY_SO:
        return W_WIDE;
    default:
        return W_OTHER;
    }
}

static long cp_width(utf8proc_int32_t cp)
{
    if (cp == ' ')
        return W_SPACE;
    if (cp > 0 && cp < 0x80)
        return strchr(NARROW, cp) ? W_NARROW
               : strchr(WIDE, cp) ? W_WIDE
                                  : cp_class(cp);
    switch (cp) {
    case 0xC6:   /* Æ */
    case 0xE6:   /* æ */
    case 0x152:  /* Œ */
    case 0x153:  /* œ */
    case 0x2014: /* em dash */
    case 0x2026: /* ellipsis */
        return W_WIDE;
    }
    int w = utf8proc_charwidth(cp);
    return w == 0 ? 0 : w > 1 ? W_WIDE : cp_class(cp);
}

/* Estimated width of s[0..n) (valid UTF-8) in thousandths of an em. */
long kbi_svg_text_width(const char *s, size_t n, int bold)
{
    long w = 0;
    for (size_t i = 0; i < n;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                              (utf8proc_ssize_t)(n - i), &cp);
        if (k <= 0) { /* not UTF-8: count the byte as a wide character */
            w += W_WIDE;
            i++;
            continue;
        }
        w += cp_width(cp);
        i += (size_t)k;
    }
    return bold ? w * BOLD / 100 : w;
}

void kbi_svg_open(kbi_xml *s, int w, int h, const char *unit, int font_size,
                  const char *title)
{
    kbi_xml_open(s, "svg");
    kbi_xml_attr(s, "xmlns", "http://www.w3.org/2000/svg");
    kbi_xml_attr(s, "version", "1.1");
    kbi_xml_attrf(s, "width", "%d%s", w, unit);
    kbi_xml_attrf(s, "height", "%d%s", h, unit);
    kbi_xml_attrf(s, "viewBox", "0 0 %d %d", w, h);
    kbi_xml_attr(s, "font-family", KBI_SVG_FONT_FAMILY);
    kbi_xml_attrf(s, "font-size", "%d", font_size);
    kbi_xml_open(s, "title");
    kbi_xml_text(s, title ? title : "", title ? strlen(title) : 0);
    kbi_xml_close(s);
    kbi_xml_open(s, "rect");
    kbi_xml_attr(s, "width", "100%");
    kbi_xml_attr(s, "height", "100%");
    kbi_xml_attr(s, "fill", "#ffffff");
    kbi_xml_close(s);
}

int kbi_svg_finish(kbi_xml *s, FILE *out)
{
    size_t n;
    const char *xml = kbi_xml_finish(s, &n);
    int rc = !xml ? KB_ENOMEM : fwrite(xml, 1, n, out) != n ? KB_EIO : 0;
    kbi_xml_free(s);
    return rc;
}
