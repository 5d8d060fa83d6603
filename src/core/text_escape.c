// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>

#include "text_escape.h"

/* One byte as printed: itself, or its escape; the length written into esc. */
static size_t escape_byte(unsigned char c, char esc[5])
{
	static const char named[][2] = {
		{ '\\', '\\' }, { '\033', 'e' }, { '\n', 'n' }, { '\t', 't' }, { '\r', 'r' },
	};

	for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++) {
		if (c == (unsigned char)named[i][0]) {
			esc[0] = '\\';
			esc[1] = named[i][1];
			return 2;
		}
	}
	if (c < 0x20 || c >= 0x7f)
		return (size_t)snprintf(esc, 5, "\\x%02x", c);
	esc[0] = (char)c;
	return 1;
}

char *text_escape(const char *s, size_t n, char *buf, size_t len)
{
	size_t at = 0;

	if (!len)
		return buf;
	for (size_t i = 0; i < n && s[i]; i++) {
		char esc[5];
		size_t k = escape_byte((unsigned char)s[i], esc);

		if (at + k >= len)
			break;
		for (size_t j = 0; j < k; j++)
			buf[at++] = esc[j];
	}
	buf[at] = '\0';
	return buf;
}
