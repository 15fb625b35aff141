/*
 * rename.h: kb_document_rename (kodbok.h), a document given another name,
 * with what names it by name (memos, cases) following, and its cases mapped
 * again. Not part of the public API beyond that.
 * May include: base/, store/, ingest/cases.h.
 */
#ifndef KBI_RENAME_H
#define KBI_RENAME_H

#include "kodbok.h"

#endif
