/* SPDX-License-Identifier: GPL-2.0 */
/* Small helpers over jansson so every JSON printer writes addresses alike. */
#ifndef KVAS_JSON_UTIL_H
#define KVAS_JSON_UTIL_H

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

/* "0x..." string: JSON numbers cannot hold a 64-bit kernel address exactly. */
json_t *json_hex(uint64_t v);
/* Print one document and a newline; 0 or -EIO. Consumes root. */
int json_emit(json_t *root, FILE *out);
/* The same on one line, for JSON Lines. */
int json_emit_line(json_t *root, FILE *out);
int json_emit_flags(json_t *root, FILE *out, size_t flags);

#endif
