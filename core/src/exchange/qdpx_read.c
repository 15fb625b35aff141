/*
 * qdpx_read.c: a REFI-QDA project into a kodbok project (qdpx_read.h).
 *
 * The package is opened through base/zipread (hostile archives refused)
 * and its one `.qde` parsed through base/xmlread (no entities, no
 * network). Everything is stored in one transaction: cases
 * (ingest/cases), sources as documents (ingest/import, kbi_import_text),
 * then each selection's codings as manual codings (manual/); the codebook
 * YAML is checked before the commit and put in place after it.
 *
 * Positions: a selection's start and end are counted in the unit of the
 * tool that wrote the file (kb_refi_unit) on the source file as it is in
 * the package, with or without its CRs (kb_refi_crlf). kbi_refi_text_read
 * walks the file once and maps every unit to a code point of the stored
 * text: LF line ends, then NFC, which it applies between the code points
 * NFC cannot change (kbi_nfc_inert) so that a position inside a sequence
 * NFC composes is known to split a character.
 */
#include "exchange/qdpx_read.h"
#include "ingest/docx.h"
#include "base/decode.h"
#include "base/controls.h"
#include "base/error.h"
#include "base/file.h"
#include "base/grow.h"
#include "base/utf8.h"
#include "base/xmlread.h"
#include "base/zipread.h"
#include "exchange/qdc_read.h"
#include "ingest/cases.h"
#include "ingest/import.h"
#include "manual/anchor.h"
#include "manual/manual.h"
#include "manual/memo.h"
#include "store/project.h"
#include "store/store.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <utf8proc.h>

/* The user kodbok writes the codings of its rules under (docs/refi-qda.md):
 * a run makes them again, so they are not manual codings. */
#define RULES_USER "kodbok rules"

/* ---- positions ---------------------------------------------------------- */

void kbi_refi_text_clear(kbi_refi_text *t)
{
    free(t->text);
    free(t->map);
    free(t->byte);
    memset(t, 0, sizeof *t);
}

static int32_t cp_at(const unsigned char *s, size_t len, size_t *k)
{
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = utf8proc_iterate(s, (utf8proc_ssize_t)len, &cp);
    *k = n > 0 ? (size_t)n : 1;
    return n > 0 ? cp : -1;
}

/* LF text lf[0..n) (cps code points) in NFC, appended to *out, with
 * at[i], the NFC code point of LF code point i (SIZE_MAX inside a run NFC
 * changed). */
static int nfc_mapped(const char *lf, size_t n, size_t cps, char **out,
                      size_t *outn, size_t *at)
{
    size_t cap = n + 1, o = 0, i = 0, ocp = 0, pos = 0;
    char *b = malloc(cap);
    if (!b)
        return KB_ENOMEM;
    while (pos < n) {
        /* a run: one code point, then all that are not inert */
        size_t end = pos, k, first = i;
        cp_at((const unsigned char *)lf + end, n - end, &k);
        end += k;
        i++;
        while (end < n) {
            int32_t cp = cp_at((const unsigned char *)lf + end, n - end, &k);
            if (kbi_nfc_inert(cp))
                break;
            end += k;
            i++;
        }
        utf8proc_uint8_t *norm = NULL;
        utf8proc_ssize_t m = utf8proc_map((const utf8proc_uint8_t *)lf + pos,
                                          (utf8proc_ssize_t)(end - pos), &norm,
                                          UTF8PROC_STABLE | UTF8PROC_COMPOSE);
        if (m < 0) {
            free(b);
            return KB_ENOMEM;
        }
        int same = (size_t)m == end - pos && !memcmp(norm, lf + pos, end - pos);
        size_t mcps = kbi_utf8_count((const char *)norm, (size_t)m);
        for (size_t j = first; j < i; j++)
            at[j] = same ? ocp + (j - first) : j == first ? ocp : SIZE_MAX;
        if (KBI_GROW(&b, &cap, o + (size_t)m + 1)) {
            free(norm);
            free(b);
            return KB_ENOMEM;
        }
        memcpy(b + o, norm, (size_t)m);
        o += (size_t)m;
        ocp += mcps;
        free(norm);
        pos = end;
    }
    at[cps] = ocp;
    b[o] = '\0';
    *out = b;
    *outn = o;
    return 0;
}

int kbi_refi_text_read(kbi_refi_text *t, const unsigned char *raw, size_t len,
                       kb_refi_unit unit, kb_refi_crlf crlf, const char *file,
                       kb_error *err)
{
    memset(t, 0, sizeof *t);
    if (len >= 3 && !memcmp(raw, "\xEF\xBB\xBF", 3)) {
        raw += 3;
        len -= 3;
    }
    size_t bad = kbi_utf8_invalid_at(raw, len);
    if (bad < len)
        return kbi_fail_at(err, KB_EFORMAT, file, 0, 0,
                           "not UTF-8 (byte %zu), as REFI-QDA sources must be",
                           bad + 1);
    /* units: at most one per byte */
    char *lf = malloc(len + 1);
    size_t *map = malloc((len + 1) * sizeof *map);
    size_t *lfmap = malloc((len + 1) * sizeof *lfmap);
    size_t n = 0, u = 0, L = 0;
    int rc = KB_ENOMEM;
    if (!lf || !map || !lfmap)
        goto out;
    for (size_t i = 0; i < len;) {
        size_t k;
        int32_t cp = cp_at(raw + i, len - i, &k);
        if (cp == '\r' && i + 1 < len && raw[i + 1] == '\n') {
            if (crlf == KB_REFI_CRLF_TWO)
                map[u++] = L; /* the CR: where the line end is */
            i++;
            continue;
        }
        size_t w = unit == KB_REFI_UNIT_BYTES   ? k
                   : unit == KB_REFI_UNIT_UTF16 ? (cp >= 0x10000 ? 2 : 1)
                                                : 1;
        map[u++] = L;
        for (size_t j = 1; j < w; j++)
            map[u++] = SIZE_MAX;
        if (cp == '\r') {
            lf[n++] = '\n';
        } else {
            memcpy(lf + n, raw + i, k);
            n += k;
        }
        L++;
        i += k;
    }
    map[u] = L;
    lf[n] = '\0';
    if ((rc = nfc_mapped(lf, n, L, &t->text, &t->len, lfmap)) != 0)
        goto out;
    for (size_t j = 0; j <= u; j++)
        if (map[j] != SIZE_MAX)
            map[j] = lfmap[map[j]];
    t->map = map;
    t->units = u;
    map = NULL;
    t->cps = lfmap[L];
    if (!(t->byte = malloc((t->cps + 1) * sizeof *t->byte))) {
        rc = KB_ENOMEM;
        goto out;
    }
    size_t c = 0;
    for (size_t b = 0; b < t->len; c++) {
        t->byte[c] = b;
        b += kbi_utf8_seqlen((unsigned char)t->text[b]);
    }
    t->byte[c] = t->len;
    rc = 0;
out:
    free(lf);
    free(map);
    free(lfmap);
    if (rc == KB_ENOMEM) {
        kbi_refi_text_clear(t);
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    }
    return rc;
}

/* ---- the project ----------------------------------------------------------
 */

typedef struct guid_name {
    char *guid, *name;
} guid_name;

typedef struct guid_names {
    guid_name *v;
    size_t n, cap;
} guid_names;

typedef struct qdpx {
    kb_project *p;
    const kb_qdpx_import_options *o;
    kb_qdpx_report *rep;
    const char *path; /* the package */
    char qde[600];    /* "pkg.qdpx:project.qde" for messages */
    kbi_zip *zip;
    xmlNode *root;
    kbi_qdc qdc;
    int has_codebook;
    kb_refi_unit unit;
    kb_refi_crlf crlf;
    const char *base_path;
    guid_names users, variables, notes, case_of; /* case_of: source -> case */
    guid_names names;  /* document names taken by this import */
    guid_names doc_of; /* source GUID -> the document name it was given */
    char default_user[80];
    size_t unknown_users;
} qdpx;

static void say(qdpx *q, const char *fmt, ...)
{
    if (!q->o->notice)
        return;
    char msg[700], line[1400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(line, sizeof line, "%s: %s", q->path, msg);
    q->o->notice(q->o->ctx, line);
}

static int names_add(guid_names *g, const char *guid, const char *name)
{
    if (KBI_GROW(&g->v, &g->cap, g->n + 1))
        return KB_ENOMEM;
    guid_name *e = &g->v[g->n];
    e->guid = guid ? kbi_refi_guid(guid) : strdup("");
    e->name = strdup(name ? name : "");
    if (!e->guid || !e->name) {
        free(e->guid);
        free(e->name);
        return KB_ENOMEM;
    }
    g->n++;
    return 0;
}

static const char *names_find(const guid_names *g, const char *guid)
{
    if (!guid)
        return NULL;
    char *k = kbi_refi_guid(guid);
    const char *found = NULL;
    for (size_t i = 0; k && i < g->n && !found; i++)
        if (!strcmp(g->v[i].guid, k))
            found = g->v[i].name;
    free(k);
    return found;
}

static void names_free(guid_names *g)
{
    for (size_t i = 0; i < g->n; i++) {
        free(g->v[i].guid);
        free(g->v[i].name);
    }
    free(g->v);
}

/* Does s hold `word` (ASCII, without regard to case)? */
static int names_tool(const char *s, const char *word)
{
    size_t n = strlen(word);
    for (; *s; s++)
        if (!strncasecmp(s, word, n))
            return 1;
    return 0;
}

/* The unit and line-end counting of a file written by `origin`. */
static void unit_of(const char *origin, kb_refi_unit *unit, kb_refi_crlf *crlf)
{
    const char *o = origin ? origin : "";
    *unit = KB_REFI_UNIT_CODEPOINTS;
    *crlf = KB_REFI_CRLF_TWO;
    if (names_tool(o, "nvivo")) {
        *unit = KB_REFI_UNIT_UTF16;
    } else if (names_tool(o, "maxqda")) {
        *unit = KB_REFI_UNIT_UTF16;
        *crlf = KB_REFI_CRLF_ONE;
    } else if (names_tool(o, "atlas.ti") || names_tool(o, "atlasti")) {
        *crlf = KB_REFI_CRLF_ONE;
    } else if (names_tool(o, "taguette")) {
        *unit = KB_REFI_UNIT_BYTES;
    }
}

/* Reads the file a source path names: "internal://X" from the package's
 * sources folder (either case), "relative://X" under the project's
 * basePath (else beside the package), "absolute://X" or a plain path
 * from disk. 1 and *out (caller frees) when found, 0 when not. */
static int read_path(qdpx *q, const char *ref, unsigned char **out, size_t *len,
                     char *where, size_t wsize, kb_error *err)
{
    snprintf(where, wsize, "%s", ref);
    if (!strncasecmp(ref, "internal://", 11)) {
        char entry[1024];
        snprintf(entry, sizeof entry, "sources/%s", ref + 11);
        long i = kbi_zip_find(q->zip, entry, 1);
        if (i < 0)
            i = kbi_zip_find(q->zip, ref + 11, 1);
        if (i < 0)
            return 0;
        snprintf(where, wsize, "%s:%s", q->path,
                 kbi_zip_name(q->zip, (size_t)i));
        char *data;
        int rc = kbi_zip_read(q->zip, (size_t)i, &data, len, err);
        if (rc)
            return rc;
        *out = (unsigned char *)data;
        return 1;
    }
    char file[4096];
    if (!strncasecmp(ref, "relative://", 11)) {
        const char *base = q->base_path && *q->base_path ? q->base_path : NULL;
        if (base && !strncasecmp(base, "file://", 7))
            base += 7;
        if (base)
            snprintf(file, sizeof file, "%s%s%s", base,
                     base[strlen(base) - 1] == '/' ? "" : "/", ref + 11);
        else {
            const char *slash = strrchr(q->path, '/');
            snprintf(file, sizeof file, "%.*s%s",
                     slash ? (int)(slash - q->path + 1) : 0, q->path, ref + 11);
        }
    } else {
        snprintf(file, sizeof file, "%s",
                 !strncasecmp(ref, "absolute://", 11) ? ref + 11 : ref);
    }
    snprintf(where, wsize, "%s", file);
    kb_error ignore;
    if (kbi_file_read(out, len, file, KBI_INPUT_TRANSCRIPT, &ignore))
        return 0;
    return 1;
}

static int ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), m = strlen(tail);
    return n >= m && !strcasecmp(s + n - m, tail);
}

/* The text of a Note: its PlainTextContent, or the file it names. */
static int note_text(qdpx *q, const xmlNode *note, char **out, kb_error *err)
{
    *out = NULL;
    const xmlNode *c = kbi_xml_child(note, "PlainTextContent");
    if (c)
        return (*out = kbi_xml_content(c))
                   ? 0
                   : kbi_fail(err, KB_ENOMEM, "out of memory");
    const char *ref = kbi_xml_prop(note, "plainTextPath");
    unsigned char *data = NULL;
    size_t len;
    char where[4200];
    int rc = ref ? read_path(q, ref, &data, &len, where, sizeof where, err) : 0;
    if (rc < 0)
        return rc;
    if (rc == 1) {
        const char *enc;
        kb_error e;
        if (kbi_text_decode(out, &len, &enc, data, len, where, &e))
            *out = NULL;
    }
    free(data);
    return 0;
}

/* Users, variables and notes by GUID. */
static int read_lists(qdpx *q, kb_error *err)
{
    const xmlNode *users = kbi_xml_child(q->root, "Users");
    for (xmlNode *u = users ? users->children : NULL; u; u = u->next)
        if (u->type == XML_ELEMENT_NODE && kbi_xml_is(u, "User") &&
            names_add(&q->users, kbi_xml_prop(u, "guid"),
                      kbi_xml_prop(u, "name") ? kbi_xml_prop(u, "name")
                                              : kbi_xml_prop(u, "id")))
            return kbi_fail(err, KB_ENOMEM, "out of memory");
    const xmlNode *vars = kbi_xml_child(q->root, "Variables");
    for (xmlNode *v = vars ? vars->children : NULL; v; v = v->next)
        if (v->type == XML_ELEMENT_NODE && kbi_xml_is(v, "Variable") &&
            names_add(&q->variables, kbi_xml_prop(v, "guid"),
                      kbi_xml_prop(v, "name")))
            return kbi_fail(err, KB_ENOMEM, "out of memory");
    const xmlNode *notes = kbi_xml_child(q->root, "Notes");
    for (xmlNode *n = notes ? notes->children : NULL; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE || !kbi_xml_is(n, "Note"))
            continue;
        char *text;
        int rc = note_text(q, n, &text, err);
        if (rc)
            return rc;
        rc = text && names_add(&q->notes, kbi_xml_prop(n, "guid"), text);
        free(text);
        if (rc)
            return kbi_fail(err, KB_ENOMEM, "out of memory");
    }
    return 0;
}

/* Cases with their variables as attributes; their sources remembered. */
static int read_cases(qdpx *q, kb_error *err)
{
    const xmlNode *cases = kbi_xml_child(q->root, "Cases");
    for (xmlNode *c = cases ? cases->children : NULL; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || !kbi_xml_is(c, "Case"))
            continue;
        const char *name = kbi_xml_prop(c, "name");
        if (!name || !*name)
            name = kbi_xml_prop(c, "guid");
        if (!name || !*name) {
            say(q, "a case with neither name nor GUID (line %d) left out",
                c->line);
            continue;
        }
        const char *an[64], *av[64];
        char *owned[64];
        size_t na = 0;
        int rc = 0;
        for (xmlNode *v = c->children; v && !rc; v = v->next) {
            if (v->type == XML_ELEMENT_NODE && kbi_xml_is(v, "SourceRef")) {
                const char *src = kbi_xml_prop(v, "targetGUID");
                if (src && names_find(&q->case_of, src))
                    say(q,
                        "source %s belongs to more than one case; kept in "
                        "case '%s'",
                        src, names_find(&q->case_of, src));
                else if (src && names_add(&q->case_of, src, name))
                    rc = KB_ENOMEM;
            }
            if (v->type != XML_ELEMENT_NODE ||
                !kbi_xml_is(v, "VariableValue") || na == 64)
                continue;
            const xmlNode *ref = kbi_xml_child(v, "VariableRef");
            const char *var =
                ref ? names_find(&q->variables, kbi_xml_prop(ref, "targetGUID"))
                    : NULL;
            xmlNode *val = NULL;
            for (xmlNode *k = v->children; k; k = k->next)
                if (k->type == XML_ELEMENT_NODE &&
                    !kbi_xml_is(k, "VariableRef"))
                    val = k;
            if (!var || !*var || !val) {
                say(q,
                    "case '%s': a variable value without its variable "
                    "(line %d) left out",
                    name, v->line);
                continue;
            }
            if (!(owned[na] = kbi_xml_content(val)))
                rc = KB_ENOMEM;
            else {
                an[na] = var;
                av[na] = owned[na];
                na++;
            }
        }
        /* kodbok's own mapping of the case, kept in its Description */
        const xmlNode *dn = kbi_xml_child(c, "Description");
        char *desc = dn ? kbi_xml_content(dn) : NULL;
        char *map[3] = {NULL, NULL, NULL};
        static const char *const keys[] = {"document", "speaker",
                                           "interviewer"};
        for (int k = 0; desc && k < 3; k++)
            map[k] = kbi_refi_block_value(desc, keys[k]);
        kbi_case_map cm = {map[0], map[1], map[2]};
        if (!rc)
            rc = kbi_cases_put(q->p, name, &cm, an, av, na, err);
        else
            rc = kbi_fail(err, KB_ENOMEM, "out of memory");
        for (int k = 0; k < 3; k++)
            free(map[k]);
        free(desc);
        for (size_t k = 0; k < na; k++)
            free(owned[k]);
        if (rc)
            return rc;
        q->rep->cases++;
    }
    return 0;
}

/* A coder's name as kbi_manual_coder_check wants it: blanks, commas and
 * control characters as '_', at most 64 bytes (cut at a character). */
static void coder_name(char out[65], const char *name)
{
    size_t n = 0;
    for (const char *s = name; *s && n < 64;) {
        size_t k = kbi_utf8_seqlen((unsigned char)*s);
        if (n + k > 64)
            break;
        if ((unsigned char)*s <= ' ' || *s == ',' || *s == 0x7f) {
            out[n++] = '_';
            s++;
            continue;
        }
        memcpy(out + n, s, k);
        n += k;
        s += k;
    }
    out[n] = '\0';
}

/* The coder of a coding made by user GUID `user`. 0, or 1 for the rules
 * user (not a coder). */
static int coder_of(qdpx *q, const char *user, char out[65])
{
    const char *name = names_find(&q->users, user);
    if (name && !strcmp(name, RULES_USER))
        return 1;
    if (name && *name) {
        coder_name(out, name);
        return 0;
    }
    char *g = user ? kbi_refi_guid(user) : NULL;
    snprintf(out, 65, "user-%.8s", g && *g ? g : "unknown");
    if (g && !name && !q->unknown_users++)
        say(q,
            "codings by user %s, who is not among the project's users, "
            "are given the coder '%s'",
            user, out);
    free(g);
    return 0;
}

/* The memo of a selection: the texts of the notes its NoteRefs name (and
 * those of the coding), a blank line between. */
static char *memo_of(qdpx *q, const xmlNode *sel, const xmlNode *coding)
{
    size_t n = 0;
    char *m = strdup("");
    const xmlNode *from[2] = {sel, coding};
    for (int k = 0; k < 2 && m; k++)
        for (xmlNode *r = from[k] ? from[k]->children : NULL; r && m;
             r = r->next) {
            if (r->type != XML_ELEMENT_NODE || !kbi_xml_is(r, "NoteRef"))
                continue;
            const char *t =
                names_find(&q->notes, kbi_xml_prop(r, "targetGUID"));
            if (!t || !*t)
                continue;
            size_t add = strlen(t) + 3;
            char *g = realloc(m, n + add);
            if (!g) {
                free(m);
                return NULL;
            }
            m = g;
            n += (size_t)sprintf(m + n, "%s%s", n ? "\n\n" : "", t);
        }
    return m;
}

/* The decision a kodbok block in the selection's Description names
 * ("tag", "accept", "reject"), into d[8], and *featured 1 when it says the
 * coder featured the quote. */
static void decision_of(const xmlNode *sel, char d[8], int *featured)
{
    snprintf(d, 8, "tag");
    const xmlNode *dn = kbi_xml_child(sel, "Description");
    char *t = dn ? kbi_xml_content(dn) : NULL;
    char *v = t ? kbi_refi_block_value(t, "decision") : NULL;
    char *f = t ? kbi_refi_block_value(t, "featured") : NULL;
    if (v && (!strcmp(v, "accept") || !strcmp(v, "reject")))
        snprintf(d, 8, "%s", v);
    *featured = f && !strcmp(f, "true") && strcmp(d, "reject");
    free(v);
    free(f);
    free(t);
}

typedef struct source_ctx {
    const char *name;
    kbi_imported doc;
    kbi_refi_text t;
    kb_document *loaded; /* for decisions, loaded when first needed */
} source_ctx;

/* The scope of a concept: its block's, else a sentence (the default). */
static kb_segment_kind scope_of(const kbi_qdc_code *c)
{
    kb_segment_kind k = c->b_scope ? kb_segment_kind_parse(c->b_scope) : 0;
    return k ? k : KB_SEG_SENTENCE;
}

/* One coding of code `code` on the selection placed at pl. */
static int store_coding(qdpx *q, source_ctx *s, const kbi_qdc_code *code,
                        const char *coder, const char *decision, int featured,
                        const char *memo, const kbi_place *pl,
                        const char *const *facets, size_t nfacets,
                        kb_error *err)
{
    static const char *const kinds[] = {"",        "dimension", "theme",
                                        "concept", "facet",     "value"};
    kbi_anchor a = {0};
    int rc = kbi_anchor_make(&a, s->t.text, s->t.len, pl, err);
    if (rc)
        return rc;
    kbi_manual_row row = {.document_id = s->doc.document_id,
                          .version_id = s->doc.version_id,
                          .coder = coder,
                          .kind = kinds[code->kind],
                          .code = code->id,
                          .decision = decision,
                          .memo = memo,
                          .place = *pl,
                          .anchor = &a,
                          .facets = facets,
                          .nfacets = nfacets,
                          .featured = featured};
    if (strcmp(decision, "tag")) {
        /* a review decision stands on its concept's scope segment */
        kb_segment_kind k = scope_of(code);
        int64_t seg = 0;
        if (!s->loaded)
            rc = kb_document_load(&s->loaded, q->p, s->name, s->doc.version,
                                  err);
        if (!rc)
            seg = kbi_manual_segment_at(s->loaded, k, pl->start, pl->end, err);
        if (seg < 0)
            rc = err ? err->code : KB_EDB;
        if (!rc && !seg) {
            say(q,
                "%s's %s of '%s' in '%s' %zu:%zu is not a whole %s; left "
                "out",
                coder, decision, code->id, s->name, pl->start, pl->end,
                kb_segment_kind_name(k));
            q->rep->codings_left++;
            kbi_anchor_clear(&a);
            return 0;
        }
        row.segment_kind = k;
        row.segment_id = seg;
    }
    int64_t id;
    kb_error e;
    if (!rc) {
        rc = kbi_manual_insert(q->p->db, &row, &id, &e);
        if (rc == KB_EEXIST) {
            q->rep->duplicates++;
            rc = 0;
        } else if (!rc) {
            q->rep->codings++;
            q->rep->memos += memo && *memo;
        } else if (err) {
            *err = e;
        }
    }
    kbi_anchor_clear(&a);
    return rc;
}

/* The coders seen, for the report. */
static int coder_seen(guid_names *coders, const char *coder)
{
    for (size_t i = 0; i < coders->n; i++)
        if (!strcmp(coders->v[i].name, coder))
            return 0;
    return names_add(coders, NULL, coder);
}

static int read_selection(qdpx *q, source_ctx *s, const xmlNode *sel,
                          guid_names *coders, kb_error *err)
{
    const char *a = kbi_xml_prop(sel, "startPosition"),
               *b = kbi_xml_prop(sel, "endPosition");
    char *e1 = NULL, *e2 = NULL;
    long long start = a ? strtoll(a, &e1, 10) : -1,
              end = b ? strtoll(b, &e2, 10) : -1;
    const char *why = NULL;
    if (!a || !b || *e1 || *e2 || start < 0 || end <= start)
        why = "has no span";
    else if ((size_t)end > s->t.units)
        why = "ends outside its source";
    else if (s->t.map[start] == SIZE_MAX || s->t.map[end] == SIZE_MAX)
        why = "splits a character";
    kbi_place pl = {0};
    if (!why) {
        pl.start = s->t.map[start];
        pl.end = s->t.map[end];
        if (pl.end <= pl.start)
            why = "is empty in the stored text";
    }
    if (why) {
        say(q, "the selection %s:%s in '%s' (line %d) %s; left out",
            a ? a : "?", b ? b : "?", s->name, sel->line, why);
        q->rep->codings_left++;
        return 0;
    }
    pl.bstart = s->t.byte[pl.start];
    pl.bend = s->t.byte[pl.end];
    char decision[8];
    int featured;
    decision_of(sel, decision, &featured);
    /* facet values coded on the selection go with its other codings */
    const char *facets[32];
    char *facet_buf[32];
    size_t nf = 0;
    for (xmlNode *c = sel->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || !kbi_xml_is(c, "Coding"))
            continue;
        const xmlNode *ref = kbi_xml_child(c, "CodeRef");
        const kbi_qdc_code *code =
            ref && kbi_xml_prop(ref, "targetGUID")
                ? kbi_qdc_find(&q->qdc, kbi_xml_prop(ref, "targetGUID"))
                : NULL;
        if (code && code->kind == KB_CODE_VALUE && nf < 32 &&
            code->parent != KB_NO_INDEX) {
            size_t need =
                strlen(q->qdc.codes[code->parent].id) + strlen(code->id) + 2;
            if (!(facet_buf[nf] = malloc(need))) {
                for (size_t k = 0; k < nf; k++)
                    free(facet_buf[k]);
                return kbi_fail(err, KB_ENOMEM, "out of memory");
            }
            snprintf(facet_buf[nf], need, "%s=%s",
                     q->qdc.codes[code->parent].id, code->id);
            facets[nf] = facet_buf[nf];
            nf++;
        }
    }
    int rc = 0;
    const char *sel_user = kbi_xml_prop(sel, "creatingUser");
    int any = 0;
    for (xmlNode *c = sel->children; c && !rc; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || !kbi_xml_is(c, "Coding"))
            continue;
        const xmlNode *ref = kbi_xml_child(c, "CodeRef");
        const char *target = ref ? kbi_xml_prop(ref, "targetGUID") : NULL;
        const kbi_qdc_code *code =
            target ? kbi_qdc_find(&q->qdc, target) : NULL;
        if (code && code->kind == KB_CODE_VALUE)
            continue;
        any = 1;
        const char *user = kbi_xml_prop(c, "creatingUser");
        if (!user)
            user = sel_user ? sel_user : q->default_user;
        char coder[65];
        if (coder_of(q, user, coder)) {
            q->rep->rule_codings++;
            continue;
        }
        if (!code || code->kind == KB_CODE_FACET) {
            say(q,
                "a coding in '%s' (line %d) of %s, which is not a code "
                "of the codebook; left out",
                s->name, c->line, target ? target : "no code");
            q->rep->codings_left++;
            continue;
        }
        char *memo = memo_of(q, sel, c);
        if (!memo)
            rc = kbi_fail(err, KB_ENOMEM, "out of memory");
        else {
            size_t before = q->rep->codings;
            rc = store_coding(q, s, code, coder, decision, featured, memo, &pl,
                              facets, nf, err);
            if (!rc && q->rep->codings > before && coder_seen(coders, coder))
                rc = kbi_fail(err, KB_ENOMEM, "out of memory");
        }
        free(memo);
    }
    /* a rejection is a selection without a Coding, named by its code */
    if (!rc && !any && !strcmp(decision, "reject")) {
        const char *id = kbi_xml_prop(sel, "name");
        const kbi_qdc_code *code = NULL;
        for (size_t i = 0; id && i < q->qdc.n && !code; i++)
            if (!q->qdc.codes[i].skipped && q->qdc.codes[i].id &&
                !strcmp(q->qdc.codes[i].id, id))
                code = &q->qdc.codes[i];
        char coder[65];
        if (code &&
            !coder_of(q, sel_user ? sel_user : q->default_user, coder)) {
            char *memo = memo_of(q, sel, NULL);
            size_t before = q->rep->codings;
            rc = memo ? store_coding(q, s, code, coder, decision, 0, memo, &pl,
                                     facets, nf, err)
                      : kbi_fail(err, KB_ENOMEM, "out of memory");
            if (!rc && q->rep->codings > before && coder_seen(coders, coder))
                rc = kbi_fail(err, KB_ENOMEM, "out of memory");
            free(memo);
        }
    }
    for (size_t k = 0; k < nf; k++)
        free(facet_buf[k]);
    return rc;
}

/* A document name for the source: its name, else its GUID, made to pass
 * the rule of names (kbi_name_make, with a notice when that changed it) and
 * unique among this import's sources. */
/* A document name's bytes at most (four a code point), its NUL, and room
 * for the "-N" that makes it unique. */
enum { NAME_BYTES = KB_DOCUMENT_NAME_MAX * 4 + 1, NAME_ROOM = NAME_BYTES + 16 };

static int source_name(qdpx *q, const xmlNode *src, char *out, size_t size)
{
    const char *name = kbi_xml_prop(src, "name");
    const char *guid = kbi_xml_prop(src, "guid");
    char made[NAME_BYTES] = "", from_guid[NAME_BYTES] = "";
    /* room for the "-N" that makes it unique */
    size_t most = KB_DOCUMENT_NAME_MAX - 8;
    int changed = name && kbi_name_make(made, sizeof made, name, most);
    if (!name || !*made)
        kbi_name_make(from_guid, sizeof from_guid, guid ? guid : "", most);
    const char *base = name && *made ? made
                       : *from_guid  ? from_guid
                                     : "dokument";
    if (changed && *made)
        say(q,
            "source '%s' (line %d) is named '%s': a document name holds "
            "no control characters or line breaks, no white space at its "
            "ends, at most %d characters",
            guid ? guid : "", src->line, base, KB_DOCUMENT_NAME_MAX);
    snprintf(out, size, "%s", base);
    /* the names are kept as keys, compared as GUIDs are: without case */
    for (int k = 2; names_find(&q->names, out); k++)
        snprintf(out, size, "%s-%d", base, k);
    return names_add(&q->names, out, out);
}

/* A source's text from its rich text, a Word document (NVivo writes only
 * that for a source made from one), through the DOCX front end: 1 when
 * read, 0 when it is not in the package or on disk. */
static int read_docx(qdpx *q, const char *rich, unsigned char **out,
                     size_t *len, char *where, size_t wsize, kb_error *err)
{
    unsigned char *raw = NULL;
    size_t n = 0;
    int rc = read_path(q, rich, &raw, &n, where, wsize, err);
    if (rc <= 0)
        return rc;
    char *text = NULL;
    rc = kbi_docx_to_text(&text, len, raw, n, where, q->o->notice, q->o->ctx,
                          err);
    free(raw);
    if (rc == KB_EFORMAT) {
        /* a Word document without text (NVivo writes one for an empty
         * source) is a source without text, not a broken package */
        text = strdup("");
        *len = 0;
        rc = text ? 0 : kbi_fail(err, KB_ENOMEM, "out of memory");
    }
    if (rc)
        return rc;
    *out = (unsigned char *)text;
    return 1;
}

static int read_source(qdpx *q, const xmlNode *src, guid_names *coders,
                       kb_error *err)
{
    char name[NAME_ROOM];
    if (source_name(q, src, name, sizeof name) ||
        names_add(&q->doc_of, kbi_xml_prop(src, "guid"), name))
        return kbi_fail(err, KB_ENOMEM, "out of memory");
    const char *plain = kbi_xml_prop(src, "plainTextPath"),
               *rich = kbi_xml_prop(src, "richTextPath");
    const xmlNode *inline_text = kbi_xml_child(src, "PlainTextContent");
    unsigned char *raw = NULL;
    size_t len = 0;
    char where[4200] = "";
    int rc = 0;
    if (inline_text) {
        char *t = kbi_xml_content(inline_text);
        if (!t)
            return kbi_fail(err, KB_ENOMEM, "out of memory");
        raw = (unsigned char *)t;
        len = strlen(t);
        snprintf(where, sizeof where, "%s", q->qde);
    } else if (plain) {
        rc = read_path(q, plain, &raw, &len, where, sizeof where, err);
    } else if (rich && ends_with(rich, ".txt")) {
        rc = read_path(q, rich, &raw, &len, where, sizeof where, err);
    } else if (rich && ends_with(rich, ".docx")) {
        rc = read_docx(q, rich, &raw, &len, where, sizeof where, err);
    } else {
        say(q, "source '%s' has %s; left out", name,
            rich ? "only rich text, of a kind kodbok does not read"
                 : "no text");
        q->rep->sources_left++;
        return 0;
    }
    if (rc < 0)
        return rc;
    if (rc == 0 && !inline_text) {
        say(q, "source '%s': %s is not in the package or on disk; left out",
            name, where);
        q->rep->sources_left++;
        return 0;
    }
    source_ctx s = {.name = name};
    rc = kbi_refi_text_read(&s.t, raw, len, q->unit, q->crlf, where, err);
    free(raw);
    if (rc)
        return rc;
    int blank = 1;
    for (size_t i = 0; i < s.t.len && blank; i++)
        blank = isspace((unsigned char)s.t.text[i]);
    if (blank && plain && rich && ends_with(rich, ".docx")) {
        /* an empty plain text beside a Word document: the text is there */
        kbi_refi_text_clear(&s.t);
        if ((rc = read_docx(q, rich, &raw, &len, where, sizeof where, err)) < 0)
            return rc;
        if (rc > 0) {
            rc = kbi_refi_text_read(&s.t, raw, len, q->unit, q->crlf, where,
                                    err);
            free(raw);
            if (rc)
                return rc;
            blank = 1;
            for (size_t i = 0; i < s.t.len && blank; i++)
                blank = isspace((unsigned char)s.t.text[i]);
            if (!blank)
                say(q, "source '%s': its plain text is empty; read from %s",
                    name, where);
        }
    }
    if (blank) {
        say(q, "source '%s' (%s) has no text; left out", name, where);
        q->rep->sources_left++;
        kbi_refi_text_clear(&s.t);
        return 0;
    }
    rc = kbi_import_text(&s.doc, q->p, name, where, s.t.text, s.t.len,
                         names_find(&q->case_of, kbi_xml_prop(src, "guid")),
                         q->o->notice, q->o->ctx, err);
    if (!rc) {
        if (s.doc.status == KB_IMPORT_UNCHANGED)
            q->rep->unchanged++;
        else
            q->rep->sources++;
    }
    for (xmlNode *c = src->children; c && !rc; c = c->next)
        if (c->type == XML_ELEMENT_NODE && kbi_xml_is(c, "PlainTextSelection"))
            rc = read_selection(q, &s, c, coders, err);
    kb_document_free(s.loaded);
    kbi_refi_text_clear(&s.t);
    return rc;
}

static int read_sources(qdpx *q, kb_error *err)
{
    const xmlNode *sources = kbi_xml_child(q->root, "Sources");
    guid_names coders = {0};
    size_t other = 0;
    int rc = 0;
    for (xmlNode *s = sources ? sources->children : NULL; s && !rc;
         s = s->next) {
        if (s->type != XML_ELEMENT_NODE)
            continue;
        if (kbi_xml_is(s, "TextSource"))
            rc = read_source(q, s, &coders, err);
        else
            other++;
    }
    if (other) {
        say(q,
            "%zu sources that are not text (pictures, PDF, audio, video) "
            "left out",
            other);
        q->rep->sources_left += other;
    }
    q->rep->coders = coders.n;
    names_free(&coders);
    return rc;
}

/* The one .qde of the package. */
static int find_qde(qdpx *q, size_t *at, kb_error *err)
{
    size_t found = 0;
    char names[400] = "";
    for (size_t i = 0; i < kbi_zip_count(q->zip); i++)
        if (ends_with(kbi_zip_name(q->zip, i), ".qde")) {
            if (!found++)
                *at = i;
            kbi_name_list_add(names, sizeof names, kbi_zip_name(q->zip, i));
        }
    if (!found)
        return kbi_fail_at(err, KB_EFORMAT, q->path, 0, 0,
                           "not a REFI-QDA project: no .qde in the package");
    if (found > 1)
        return kbi_fail_at(err, KB_EFORMAT, q->path, 0, 0,
                           "%zu .qde files in the package (%s): a REFI-QDA "
                           "project has one",
                           found, names);
    return 0;
}

static int is_qdpx(const unsigned char *data, size_t len)
{
    kbi_zip *z;
    kb_error e;
    if (kbi_zip_open(&z, data, len, "", &e))
        return 0;
    size_t n = 0;
    for (size_t i = 0; i < kbi_zip_count(z); i++)
        n += ends_with(kbi_zip_name(z, i), ".qde");
    kbi_zip_free(z);
    return n == 1;
}

int kb_file_is_qdpx(const char *path)
{
    FILE *f = kbi_file_regular(path) ? fopen(path, "rb") : NULL;
    unsigned char head[4];
    size_t n = f ? fread(head, 1, sizeof head, f) : 0;
    if (f)
        fclose(f);
    if (n < 4 || !kbi_zip_sniff(head, n))
        return 0;
    unsigned char *data;
    size_t len;
    kb_error e;
    if (kbi_file_read(&data, &len, path, KBI_INPUT_PROJECT, &e))
        return 0;
    int yes = is_qdpx(data, len);
    /* a package refused as hostile is still a project by its entry names,
     * so that its import says why it is refused */
    for (size_t i = 0; !yes && i + 4 <= len; i++)
        yes = data[i] == '.' && !memcmp(data + i, ".qde", 4);
    free(data);
    return yes;
}

/* ------------------------------------------------------------------------ */
/* Notes as memos                                                            */
/* ------------------------------------------------------------------------ */

/* Adds the NoteRefs that are children of `n` to `refs` as "target\tname". */
static int refs_of(guid_names *refs, const xmlNode *n, const char *target,
                   const char *name)
{
    char on[600];
    snprintf(on, sizeof on, "%s\t%s", target, name);
    for (const xmlNode *r = n ? n->children : NULL; r; r = r->next)
        if (r->type == XML_ELEMENT_NODE && kbi_xml_is(r, "NoteRef") &&
            names_add(refs, kbi_xml_prop(r, "targetGUID"), on))
            return KB_ENOMEM;
    return 0;
}

/* The NoteRefs of codes (a concept, theme or dimension's), recursively. */
static int code_refs(qdpx *q, guid_names *refs, const xmlNode *codes)
{
    for (const xmlNode *c = codes ? codes->children : NULL; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || !kbi_xml_is(c, "Code"))
            continue;
        const kbi_qdc_code *k = kbi_qdc_find(&q->qdc, kbi_xml_prop(c, "guid"));
        if (k && k->id && !k->skipped &&
            (k->kind == KB_CODE_CONCEPT || k->kind == KB_CODE_THEME ||
             k->kind == KB_CODE_DIMENSION) &&
            refs_of(refs, c, kb_code_kind_name(k->kind), k->id))
            return KB_ENOMEM;
        if (code_refs(q, refs, c))
            return KB_ENOMEM;
    }
    return 0;
}

/* What every NoteRef of the project points from: the project, a source's
 * document, a code, a selection or coding ("coding"). */
static int note_refs(qdpx *q, guid_names *refs)
{
    if (refs_of(refs, q->root, "project", ""))
        return KB_ENOMEM;
    const xmlNode *cb = kbi_xml_child(q->root, "CodeBook");
    if (q->has_codebook && code_refs(q, refs, kbi_xml_child(cb, "Codes")))
        return KB_ENOMEM;
    const xmlNode *sources = kbi_xml_child(q->root, "Sources");
    for (const xmlNode *s = sources ? sources->children : NULL; s;
         s = s->next) {
        if (s->type != XML_ELEMENT_NODE || !kbi_xml_is(s, "TextSource"))
            continue;
        const char *name = names_find(&q->doc_of, kbi_xml_prop(s, "guid"));
        if (refs_of(refs, s, "document", name ? name : ""))
            return KB_ENOMEM;
        for (const xmlNode *sel = s->children; sel; sel = sel->next) {
            if (sel->type != XML_ELEMENT_NODE ||
                !kbi_xml_is(sel, "PlainTextSelection"))
                continue;
            if (refs_of(refs, sel, "coding", ""))
                return KB_ENOMEM;
            for (const xmlNode *c = sel->children; c; c = c->next)
                if (c->type == XML_ELEMENT_NODE && kbi_xml_is(c, "Coding") &&
                    refs_of(refs, c, "coding", ""))
                    return KB_ENOMEM;
        }
    }
    return 0;
}

/* A note's time as a memo's: as written when it is one, the first 19
 * characters and "Z" when it is another xsd:dateTime, else `otherwise`. */
static void note_time(char out[32], const char *t, const char *otherwise)
{
    char cut[32];
    if (t && kbi_memo_time_ok(t)) {
        snprintf(out, 32, "%s", t);
        return;
    }
    snprintf(cut, sizeof cut, "%.19sZ", t ? t : "");
    snprintf(out, 32, "%s", kbi_memo_time_ok(cut) ? cut : otherwise);
}

/* One note, unless it is a coding's memo, as a memo. */
static int read_note(qdpx *q, const guid_names *refs, const xmlNode *n,
                     kb_error *err)
{
    const char *on = names_find(refs, kbi_xml_prop(n, "guid"));
    const xmlNode *dn = kbi_xml_child(n, "Description");
    char *desc = dn ? kbi_xml_content(dn) : NULL;
    char *bt = desc ? kbi_refi_block_value(desc, "memo") : NULL;
    char *bn = desc ? kbi_refi_block_value(desc, "name") : NULL;
    char *ba = desc ? kbi_refi_block_value(desc, "at") : NULL;
    free(desc);
    char target[16], name[512], at[256];
    snprintf(at, sizeof at, "%s", bt && ba ? ba : "");
    free(ba);
    size_t tn = on ? strcspn(on, "\t") : 0;
    if (bt) { /* kodbok's own: what it is on, said */
        snprintf(target, sizeof target, "%s", bt);
        snprintf(name, sizeof name, "%s", bn ? bn : "");
    } else if (on) {
        snprintf(target, sizeof target, "%.*s", (int)tn, on);
        snprintf(name, sizeof name, "%s", on + tn + (on[tn] == '\t'));
    } else { /* on nothing: the project's */
        snprintf(target, sizeof target, "project");
        name[0] = '\0';
    }
    free(bt);
    free(bn);
    if (!strcmp(target, "coding"))
        return 0; /* the memo of its codings (memo_of) */
    const char *label = kbi_xml_prop(n, "name");
    kb_error e;
    char stored[16];
    /* 1: on what the project has; 0: on what it has not; -1: not on a
     * memo's target; -2: empty */
    int rc = 0, known = -1;
    if (!strcmp(target, "document") || !strcmp(target, "case"))
        known = !kbi_memo_target_check(q->p->db, target, name, stored, &e);
    else if (!strcmp(target, "dimension") || !strcmp(target, "theme") ||
             !strcmp(target, "concept"))
        known = *name != '\0'; /* the codebook's codes, read with it */
    else if (!strcmp(target, "project"))
        known = 1, name[0] = '\0';
    if (known == 1 && kbi_memo_at_check(NULL, target, at, &e))
        known = -1; /* at what a memo cannot be at */
    char *text = NULL, *body = NULL;
    if (known == 1 && !(rc = note_text(q, n, &text, err)) &&
        kbi_memo_text(&body, text, &e))
        known = -2;
    free(text);
    if (rc)
        return rc;
    if (known <= 0) {
        say(q, "note '%s' %s; left out", label ? label : "",
            known == 0    ? "is on something the project does not have"
            : known == -1 ? "is on something kodbok has no memos on"
                          : "has no text");
        q->rep->memo_notes_left++;
        free(body);
        return 0;
    }
    char author[65], created[32], changed[32], now[32];
    if (coder_of(q, kbi_xml_prop(n, "creatingUser"), author))
        snprintf(author, sizeof author, "kodbok_rules");
    kbi_memo_now(now);
    note_time(created, kbi_xml_prop(n, "creationDateTime"), now);
    note_time(changed, kbi_xml_prop(n, "modifiedDateTime"), created);
    if (strcmp(changed, created) < 0)
        snprintf(changed, sizeof changed, "%s", created);
    rc = kbi_memo_put(q->p->db, target, name, at, author, created, changed,
                      body, err);
    free(body);
    if (rc < 0)
        return rc;
    q->rep->memo_notes += rc == 0;
    if (rc == 2) {
        say(q,
            "note '%s' differs from the project's memo of %s at %s; kept "
            "the project's",
            label ? label : "", author, created);
        q->rep->memo_notes_left++;
    }
    return 0;
}

/* The notes that are not codings' memos, as memos. */
static int read_memos(qdpx *q, kb_error *err)
{
    guid_names refs = {0};
    int rc =
        note_refs(q, &refs) ? kbi_fail(err, KB_ENOMEM, "out of memory") : 0;
    const xmlNode *notes = kbi_xml_child(q->root, "Notes");
    for (xmlNode *n = notes ? notes->children : NULL; n && !rc; n = n->next)
        if (n->type == XML_ELEMENT_NODE && kbi_xml_is(n, "Note"))
            rc = read_note(q, &refs, n, err);
    names_free(&refs);
    return rc;
}

static int import_tx(qdpx *q, kb_error *err)
{
    int rc;
    if ((rc = read_cases(q, err)) != 0 || (rc = read_sources(q, err)) != 0 ||
        (rc = kbi_cases_resolve(q->p, err)) != 0 ||
        (rc = read_memos(q, err)) != 0)
        return rc;
    if (q->rep->rule_codings)
        say(q,
            "%zu codings of the user '%s' left out: a run of the codebook "
            "finds them again",
            q->rep->rule_codings, RULES_USER);
    return 0;
}

int kb_project_import_qdpx(kb_qdpx_report *out, kb_project *p,
                           const char *qdpx_path,
                           const kb_qdpx_import_options *opts, kb_error *err)
{
    kb_qdpx_import_options defaults = KB_QDPX_IMPORT_OPTIONS_INIT;
    if (!opts)
        opts = &defaults;
    if (opts->version != KB_QDPX_IMPORT_OPTIONS_VERSION)
        return kbi_fail(err, KB_EINVAL,
                        "project import options of an unknown version");
    kb_qdpx_report rep;
    memset(&rep, 0, sizeof rep);
    qdpx q = {.p = p, .o = opts, .rep = &rep, .path = qdpx_path};
    unsigned char *data = NULL;
    char *qde = NULL;
    kbi_out staged = {0};
    int has_staged = 0;
    size_t len, qlen, at = 0;
    xmlDocPtr doc = NULL;
    int rc = kbi_file_read(&data, &len, qdpx_path, KBI_INPUT_PROJECT, err);
    if (rc)
        return rc;
    if (!kbi_zip_sniff(data, len)) {
        rc = kbi_fail_at(err, KB_EFORMAT, qdpx_path, 0, 0,
                         "not a REFI-QDA project: not a zip package");
        goto out;
    }
    if ((rc = kbi_zip_open(&q.zip, data, len, qdpx_path, err)) != 0 ||
        (rc = find_qde(&q, &at, err)) != 0 ||
        (rc = kbi_zip_read(q.zip, at, &qde, &qlen, err)) != 0)
        goto out;
    snprintf(q.qde, sizeof q.qde, "%s:%s", qdpx_path, kbi_zip_name(q.zip, at));
    if ((rc = kbi_xml_read(&doc, qde, qlen, q.qde, err)) != 0)
        goto out;
    q.root = xmlDocGetRootElement(doc);
    if (!q.root || !kbi_xml_is(q.root, "Project")) {
        rc = kbi_fail_at(err, KB_EFORMAT, q.qde, q.root ? q.root->line : 0, 0,
                         "not a REFI-QDA project: its root is <%s>, not "
                         "<Project>",
                         q.root ? (const char *)q.root->name : "");
        goto out;
    }
    kbi_refi_ns_check(q.root, "project", q.qde, opts->notice, opts->ctx);
    const char *origin = kbi_xml_prop(q.root, "origin");
    snprintf(rep.origin, sizeof rep.origin, "%s", origin ? origin : "");
    unit_of(origin, &q.unit, &q.crlf);
    if (opts->unit)
        q.unit = opts->unit;
    if (opts->crlf)
        q.crlf = opts->crlf;
    rep.unit = q.unit;
    rep.crlf = q.crlf;
    q.base_path = kbi_xml_prop(q.root, "basePath");
    const char *creator = kbi_xml_prop(q.root, "creatingUserGUID");
    snprintf(q.default_user, sizeof q.default_user, "%s",
             creator ? creator : "");
    if ((rc = read_lists(&q, err)) != 0)
        goto out;
    xmlNode *cb = kbi_xml_child(q.root, "CodeBook");
    if (cb) {
        const char *pname = kbi_xml_prop(q.root, "name");
        if ((rc = kbi_qdc_read(&q.qdc, cb, pname && *pname ? pname : qdpx_path,
                               q.qde, opts->notice, opts->ctx, err)) != 0)
            goto out;
        q.has_codebook = 1;
        for (size_t i = 0; i < q.qdc.n; i++)
            rep.codes += q.qdc.codes[i].guid && !q.qdc.codes[i].skipped;
    }
    if ((rc = kbi_store_cache(p->db, KBI_CACHE_WRITE_KIB, err)) != 0 ||
        (rc = kbi_store_begin(p->db, err)) != 0)
        goto out;
    rc = import_tx(&q, err);
    if (!rc && opts->codebook_path && q.has_codebook)
        has_staged = !(rc = kbi_qdc_stage(&q.qdc, &staged, opts->codebook_path,
                                          q.qde, err));
    if (!rc)
        rc = kbi_store_commit(p->db, err);
    if (rc) {
        kbi_store_rollback(p->db);
        if (has_staged)
            kbi_out_end(&staged, 0, NULL);
        goto out;
    }
    if (has_staged && kbi_out_end(&staged, 1, err))
        rc = kbi_fail_at(err, KB_EIO, opts->codebook_path, 0, 0,
                         "cannot write (the project was imported)");
    if (out)
        *out = rep;
out:
    kbi_store_cache(p->db, KBI_CACHE_KIB, NULL);
    names_free(&q.users);
    names_free(&q.variables);
    names_free(&q.notes);
    names_free(&q.case_of);
    names_free(&q.names);
    names_free(&q.doc_of);
    kbi_qdc_clear(&q.qdc);
    xmlFreeDoc(doc);
    free(qde);
    kbi_zip_free(q.zip);
    free(data);
    return rc;
}
