/* SPDX-License-Identifier: GPL-2.0 */
/* Small helpers over jansson so every JSON printer writes addresses alike. */
#ifndef KVAS_JSON_UTIL_H
#define KVAS_JSON_UTIL_H

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

/* "0x..." string: JSON numbers cannot hold a 64-bit kernel address exactly. */
json_t *json_hex(uint64_t v);
/* A signed 64-bit value as "0x..." or "-0x...": an offset that can pass 2^53. */
json_t *json_hex_signed(int64_t v);
/* A duration or a time since start, in seconds rounded to the microsecond. */
json_t *json_seconds(double s);
/* Wall-clock time, in seconds since the epoch rounded to the millisecond. */
json_t *json_unix_time(double s);
/*
 * Print one document and a newline; 0 or -EIO. Consumes root. Every JSON
 * kvas writes goes through these two: reals with 15 significant digits
 * (no 0.38370900000000002), keys in the order they were set.
 */
int json_emit(json_t *root, FILE *out);
/* The same on one line, for JSON Lines, flushed so a reader sees it at once. */
int json_emit_line(json_t *root, FILE *out);

#endif
