/*
 * formats.c: the table of input formats and the dispatch (formats.h).
 *
 * Detection asks each front end's sniffer in the table's order, and plain
 * text is what none of them claims. A new format is a row here with its
 * sniffer and converter; everything after the converter (encoding checks,
 * NFC, line ends, control characters) is shared with text files.
 */
#include "ingest/formats.h"
#include "base/decode.h"
#include "base/error.h"
#include "base/zipread.h"
#include "ingest/docx.h"
#include "ingest/html.h"
#include "ingest/odt.h"
#include "ingest/subtitles.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Sniffed in this order; plain text last. */
static const kbi_format FORMATS[] = {
    {"docx", "a Word document (DOCX)", kbi_docx_sniff, kbi_docx_to_text},
    {"odt", "an OpenDocument text (ODT)", kbi_odt_sniff, kbi_odt_to_text},
    {"vtt", "WebVTT subtitles", kbi_vtt_sniff, kbi_vtt_to_text},
    {"srt", "SRT subtitles", kbi_srt_sniff, kbi_srt_to_text},
    {"html", "an HTML page", kbi_html_sniff, kbi_html_to_text},
    {"text", "plain text", NULL, NULL},
};
#define NFORMATS (sizeof FORMATS / sizeof FORMATS[0])

int kbi_format_find(const kbi_format **out, const char *name, kb_error *err)
{
    *out = NULL;
    if (!name || !*name || !strcasecmp(name, "auto"))
        return 0;
    for (size_t i = 0; i < NFORMATS; i++)
        if (!strcasecmp(name, FORMATS[i].name)) {
            *out = &FORMATS[i];
            return 0;
        }
    char names[200] = "auto";
    for (size_t i = 0; i < NFORMATS; i++) {
        size_t k = strlen(names);
        snprintf(names + k, sizeof names - k, ", %s", FORMATS[i].name);
    }
    return kbi_fail_arg(err, KB_EINVAL, "format",
                        "unknown format '%s' given as `format` (%s)", name,
                        names);
}

const kbi_format *kbi_format_detect(const unsigned char *raw, size_t len)
{
    for (size_t i = 0; i + 1 < NFORMATS; i++)
        if (FORMATS[i].sniff(raw, len))
            return &FORMATS[i];
    return &FORMATS[NFORMATS - 1];
}

/* A document kodbok cannot read but its author can save as one it reads
 * (a PDF, RTF, a Word 97-2003 file): refused saying so. Spreadsheets and
 * other packages are left to the text decoder's own refusal. */
static int refuse_document(const unsigned char *raw, size_t n, const char *path,
                           kb_error *err)
{
    const char *save_as, *what = kbi_office_format(raw, n, &save_as);
    if (!what || kbi_zip_sniff(raw, n))
        return 0;
    return kbi_fail_at(err, KB_EFORMAT, path, 0, 0,
                       "%s; save it as a Word document (.docx) or plain text "
                       "(.txt) and import that",
                       what);
}

int kbi_format_read(char **out, size_t *len, const char **encoding,
                    const kbi_format *f, const char *given,
                    const unsigned char *raw, size_t n, const char *path,
                    kb_notice_fn notice, void *ctx, kb_error *err)
{
    *out = NULL;
    *len = 0;
    *encoding = NULL;
    if (!f->to_text) {
        int rc = refuse_document(raw, n, path, err);
        return rc ? rc
                  : kbi_text_read(out, len, encoding, given, raw, n, path,
                                  notice, ctx, err);
    }
    if (!n)
        return kbi_fail_at(err, KB_EFORMAT, path, 0, 0, "empty file");
    char *text;
    size_t tlen;
    int rc = f->to_text(&text, &tlen, raw, n, path, notice, ctx, err);
    if (rc)
        return rc;
    rc = kbi_text_normalise(out, len, text, tlen, path, notice, ctx, err);
    free(text);
    if (!rc)
        *encoding = "utf-8";
    return rc;
}
