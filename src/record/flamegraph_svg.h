/* SPDX-License-Identifier: GPL-2.0 */
/* What the flame graph writes into its SVG: text made valid XML, and frame colours. Pure. */
#ifndef KVAS_FLAMEGRAPH_SVG_H
#define KVAS_FLAMEGRAPH_SVG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * s as XML character data or an attribute value: & < > " ' as entities,
 * a control byte or a byte that is not UTF-8 as '?' (XML allows neither,
 * not even as a reference: the page would not render). At most max_chars
 * characters (SIZE_MAX: all); a longer s is cut to max_chars - 2 and ends
 * in "..".
 */
void svg_text(FILE *out, const char *s, size_t max_chars);

/* The characters svg_text counts in s. */
size_t svg_text_chars(const char *s);

/*
 * A frame's fill, fixed by its name (a hash, so one function has one colour
 * in every graph): flamegraph.pl's warm palette; kernel frames blue-green;
 * kvas's own marks ("[cut]", "[no-stack:...]") grey.
 */
void svg_frame_fill(const char *name, size_t len, int kernel, char *buf, size_t buflen);

/* "12,345": counts as flamegraph.pl prints them. */
char *svg_count(uint64_t n, char *buf, size_t len);

#endif
