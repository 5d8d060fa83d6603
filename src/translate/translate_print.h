/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KVAS_TRANSLATE_PRINT_H
#define KVAS_TRANSLATE_PRINT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "translate.h"

/* Why --read failed (t->read_err), in words. */
const char *translation_read_error(const struct translation *t, char *buf, size_t len);

/* The text block (with the walk's levels when show_walk) and the JSON object. */
void translation_text(const struct translation *t, bool show_walk, FILE *out);
json_t *translation_json(const struct translation *t);

#endif
