/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Untrusted text made safe to print on a terminal. Any user may name a
 * process (prctl PR_SET_NAME) or a cgroup, and kvas prints those names to
 * root's terminal: raw, an ESC could recolour or rewrite the screen and a
 * newline could forge a line of trace. Pure logic.
 */
#ifndef KVAS_TEXT_ESCAPE_H
#define KVAS_TEXT_ESCAPE_H

#include <stddef.h>

/*
 * The first n bytes of s (fewer at a NUL) into buf (len bytes, always
 * NUL-terminated) with \ as \\, ESC as \e, newline, tab and carriage return
 * as \n \t \r, and every other byte below 0x20 or from 0x7f up as \xNN.
 * Bytes from 0x80 up are escaped too: 0x9b is a CSI on terminals that take
 * 8-bit controls, and one byte printed is then one column, so the columns
 * of a table line up. An escape that does not fit whole is left out, with
 * all that follows: give len = width + 1 to cut the result to a column.
 * Returns buf.
 */
char *text_escape(const char *s, size_t n, char *buf, size_t len);

/* The room text_escape needs for n bytes, NUL included: every byte as \xNN. */
#define TEXT_ESCAPED_SIZE(n)	(4 * (n) + 1)

#endif
