/*
 * xmlread.h: XML from files people hand us (Word and OpenDocument parts,
 * REFI-QDA codebooks and projects) parsed with libxml2 safely: no network,
 * no DTD loaded, no entity declared in the document (which refuses XXE and
 * entity expansion bombs), a size limit, and the first error as one line
 * naming file, line and column. May include: base/.
 */
#ifndef KBI_BASE_XMLREAD_H
#define KBI_BASE_XMLREAD_H

#include "kodbok.h"

#include <libxml/tree.h>
#include <stddef.h>

/* The largest XML document read, in bytes. */
#define KBI_XML_MAX ((size_t)256 << 20)

/*
 * Parses data[0..len) (a UTF-8 byte order mark before `<?xml` is allowed)
 * into *out, which the caller frees with xmlFreeDoc. `file` names the
 * document in messages ("transcript.docx:word/document.xml"). KB_EFORMAT
 * with line and column for malformed XML, a document type that declares
 * entities, or one larger than KBI_XML_MAX; KB_ENOMEM.
 */
int kbi_xml_read(xmlDocPtr *out, const void *data, size_t len, const char *file,
                 kb_error *err);

/* Is node n an element named `name` in any namespace (or none)? */
int kbi_xml_is(const xmlNode *n, const char *name);

/* The value of n's attribute `name` in any namespace, or NULL; a pointer
 * into the document, valid until it is freed. */
const char *kbi_xml_prop(const xmlNode *n, const char *name);

/* The text of n and everything under it as a new string ("" for none),
 * or NULL when out of memory. */
char *kbi_xml_content(const xmlNode *n);

/* The first child element of n named `name` (any namespace), or NULL. */
xmlNode *kbi_xml_child(const xmlNode *n, const char *name);

#endif
