/*
 * tokens.h: coders' access tokens for a server a team shares (tokens.c):
 * kb_coder_token_new, kb_coder_token_remove, kb_coder_token_find and
 * kb_project_token_coders of kodbok.h, which need nothing more here. A
 * token is 128 random bits; the project keeps only its SHA-256 (table
 * coder_tokens). May include: base/, store/.
 */
#ifndef KBI_TOKENS_H
#define KBI_TOKENS_H

#include "kodbok.h"

#endif
