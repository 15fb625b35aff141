/*
 * refi.h: the names REFI-QDA files share, for the exchange writers and
 * readers: the namespaces of the two schemas, the origin kodbok writes,
 * the user the automatic codings belong to (docs/refi-qda.md).
 *
 * May include: kodbok.h.
 */
#ifndef KBI_EXCHANGE_REFI_H
#define KBI_EXCHANGE_REFI_H

#include "kodbok.h"

/* The namespace of a codebook (.qdc), Codebook.xsd version 1.0. */
#define KBI_REFI_NS_CODEBOOK "urn:QDA-XML:codebook:1.0"
/* The namespace of a project (project.qde in a .qdpx), Project.xsd 1.0. */
#define KBI_REFI_NS_PROJECT "urn:QDA-XML:project:1.0"
/* The `origin` kodbok writes. */
#define KBI_REFI_ORIGIN "kodbok " KB_VERSION_STRING
/* The user of the codings the codebook's rules found. */
#define KBI_REFI_RULES_USER "kodbok rules"
/* The line that opens the rules block at the end of a Description. */
#define KBI_REFI_BLOCK "kodbok:"

#endif
