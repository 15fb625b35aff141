/*
 * import.h: importing transcripts into a project: kb_project_import of kodbok.h
 * (import.c), which need nothing more here. May include: base/, store/,
 * manual/, ingest/.
 */
#ifndef KBI_IMPORT_H
#define KBI_IMPORT_H

#include "kodbok.h"

#endif
