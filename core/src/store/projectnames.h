/*
 * projectnames.h: the names a project holds of one kind (projectnames.c):
 * kb_project_names of kodbok.h, which needs nothing more here. May include:
 * base/, store/.
 */
#ifndef KBI_PROJECTNAMES_H
#define KBI_PROJECTNAMES_H

#include "kodbok.h"

#endif
