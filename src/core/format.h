/* SPDX-License-Identifier: GPL-2.0 */
/* Number formatting shared by every printer. Pure logic. */
#ifndef KVAS_FORMAT_H
#define KVAS_FORMAT_H

#include <stddef.h>
#include <stdint.h>

/* "64 TiB", "1.5 TiB", "4 KiB": binary units, one decimal when inexact. */
char *fmt_size(uint64_t bytes, char *buf, size_t len);
/* "0xffff888000000000" */
char *fmt_hex(uint64_t v, char *buf, size_t len);
/* "+0x40000000" / "-0x..." / "+0" : a signed difference. */
char *fmt_offset(uint64_t value, uint64_t from, char *buf, size_t len);

/* Parse an address: hex with or without 0x. -EINVAL on anything else. */
int parse_hex_u64(const char *s, uint64_t *value);

#endif
