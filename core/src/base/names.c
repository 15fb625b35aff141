/*
 * names.c: the one home of the names of kodbok.h's enumerations, as the
 * project file, the codebook and the command line spell them, and their
 * parsing back.
 */
#include "base/names.h"

#include <string.h>

const char *kb_segment_kind_name(kb_segment_kind kind)
{
    switch (kind) {
    case KB_SEG_TURN:
        return "turn";
    case KB_SEG_PARAGRAPH:
        return "paragraph";
    case KB_SEG_SENTENCE:
        return "sentence";
    }
    return NULL;
}

kb_segment_kind kb_segment_kind_parse(const char *name)
{
    for (int k = KB_SEG_TURN; k <= KB_SEG_SENTENCE; k++)
        if (name && !strcmp(name, kb_segment_kind_name((kb_segment_kind)k)))
            return (kb_segment_kind)k;
    return (kb_segment_kind)0;
}

const char *kb_role_name(kb_role role)
{
    switch (role) {
    case KB_ROLE_RESPONDENT:
        return "respondent";
    case KB_ROLE_INTERVIEWER:
        return "interviewer";
    case KB_ROLE_NONE:
        break;
    }
    return "none";
}

const char *kb_code_kind_name(kb_code_kind kind)
{
    static const char *const names[] = {NULL,      "dimension", "theme",
                                        "concept", "facet",     "value"};
    return kind >= KB_CODE_DIMENSION && kind <= KB_CODE_VALUE ? names[kind]
                                                              : NULL;
}

const char *kb_decision_name(kb_decision d)
{
    switch (d) {
    case KB_DECISION_TAG:
        return "tag";
    case KB_DECISION_ACCEPT:
        return "accept";
    case KB_DECISION_REJECT:
        return "reject";
    }
    return NULL;
}

const char *kbi_count_kind_name(int kind)
{
    static const char *const names[] = {"quotes", "documents", "cases", "words",
                                        "presence"};
    return kind >= 0 && kind < 5 ? names[kind] : NULL;
}

const char *kbi_speakers_name(kb_speakers s)
{
    switch (s) {
    case KB_SPEAKERS_RESPONDENTS:
        return "respondents";
    case KB_SPEAKERS_INTERVIEWERS:
        return "interviewers";
    case KB_SPEAKERS_ALL:
        return "all";
    }
    return NULL;
}

int kb_count_kind_parse(const char *name)
{
    for (int i = 0; i < 5; i++)
        if (name && !strcmp(name, kbi_count_kind_name(i)))
            return i;
    return -1;
}

const char *kbi_matrix_unit_name(int unit)
{
    static const char *const names[] = {"segment", "turn", "document", "case"};
    return unit >= 0 && unit < 4 ? names[unit] : NULL;
}

int kb_matrix_unit_parse(const char *name)
{
    for (int i = 0; i < 4; i++)
        if (name && !strcmp(name, kbi_matrix_unit_name(i)))
            return i;
    return -1;
}

kb_export_format kb_export_format_parse(const char *name)
{
    static const char *const names[] = {"text", "csv",  "tsv",  "md",  "html",
                                        "json", "xlsx", "docx", "odt", "svg"};
    for (size_t i = 0; name && i < sizeof names / sizeof *names; i++)
        if (!strcmp(name, names[i]))
            return (kb_export_format)(KB_EXPORT_TEXT + (int)i);
    return (kb_export_format)0;
}

const char *kb_memo_target_name(kb_memo_target t)
{
    static const char *const names[] = {NULL,   "project", "document",
                                        "case", "code",    "coding"};
    return t >= KB_MEMO_PROJECT && t <= KB_MEMO_CODING ? names[t] : NULL;
}
