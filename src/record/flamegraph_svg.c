// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "call_chains.h"
#include "flamegraph_svg.h"

/* One character of s as svg_text writes it; its length in s. */
static size_t put_char(FILE *out, const char *s)
{
	size_t n = utf8_char_len(s);
	unsigned char c = (unsigned char)*s;

	if (n > 1) {
		fwrite(s, 1, n, out);
		return n;
	}
	switch (c) {
	case '&': fputs("&amp;", out); break;
	case '<': fputs("&lt;", out); break;
	case '>': fputs("&gt;", out); break;
	case '"': fputs("&quot;", out); break;
	case '\'': fputs("&apos;", out); break;
	default:
		fputc(n == 0 || c < 0x20 || c == 0x7f ? '?' : c, out);
	}
	return 1;
}

/* A byte that starts no UTF-8 character still counts as one ('?'). */
static size_t char_len(const char *s)
{
	size_t n = utf8_char_len(s);

	return n ? n : 1;
}

size_t svg_text_chars(const char *s)
{
	size_t chars = 0;

	for (; *s; s += char_len(s))
		chars++;
	return chars;
}

void svg_text(FILE *out, const char *s, size_t max_chars)
{
	size_t keep = max_chars;

	if (max_chars < SIZE_MAX && svg_text_chars(s) > max_chars)
		keep = max_chars >= 2 ? max_chars - 2 : 0;
	for (size_t i = 0; *s && i < keep; i++)
		s += put_char(out, s);
	if (*s)
		fputs("..", out);
}

/* FNV-1a: a spread of bits the same on every run and machine. */
static uint64_t name_hash(const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
	return h;
}

void svg_frame_fill(const char *name, size_t len, int kernel, char *buf, size_t buflen)
{
	uint64_t h = name_hash(name, len);
	double v1 = (double)(h & 0xff) / 256, v2 = (double)(h >> 8 & 0xff) / 256;
	double v3 = (double)(h >> 16 & 0xff) / 256;
	int r, g, b;

	if (len && name[0] == '[') {
		r = g = b = 170 + (int)(40 * v1);
	} else if (kernel) {
		/* flamegraph.pl's "aqua" */
		r = 50 + (int)(60 * v1);
		g = 165 + (int)(55 * v1);
		b = 165 + (int)(55 * v1);
	} else {
		/* flamegraph.pl's "hot" */
		r = 205 + (int)(50 * v3);
		g = (int)(230 * v1);
		b = (int)(55 * v2);
	}
	snprintf(buf, buflen, "rgb(%d,%d,%d)", r, g, b);
}

char *svg_count(uint64_t n, char *buf, size_t len)
{
	char digits[24];
	size_t nd = (size_t)snprintf(digits, sizeof(digits), "%" PRIu64, n), at = 0;

	for (size_t i = 0; i < nd && at + 2 < len; i++) {
		if (i && (nd - i) % 3 == 0)
			buf[at++] = ',';
		buf[at++] = digits[i];
	}
	buf[at] = '\0';
	return buf;
}
