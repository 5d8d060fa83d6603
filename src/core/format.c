// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"

char *fmt_size(uint64_t bytes, char *buf, size_t len)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	int u = 0;
	uint64_t scale = 1;

	while (u < 6 && bytes >= scale * 1024) {
		scale *= 1024;
		u++;
	}
	if (bytes % scale == 0)
		snprintf(buf, len, "%llu %s", (unsigned long long)(bytes / scale), units[u]);
	else
		snprintf(buf, len, "%.1f %s", (double)bytes / (double)scale, units[u]);
	return buf;
}

char *fmt_hex(uint64_t v, char *buf, size_t len)
{
	snprintf(buf, len, "0x%016llx", (unsigned long long)v);
	return buf;
}

char *fmt_offset(uint64_t value, uint64_t from, char *buf, size_t len)
{
	/* Two's complement: right for addresses and for a negative phys_base. */
	int64_t diff = (int64_t)(value - from);

	if (!diff)
		snprintf(buf, len, "+0");
	else if (diff > 0)
		snprintf(buf, len, "+0x%llx", (unsigned long long)diff);
	else
		snprintf(buf, len, "-0x%llx", (unsigned long long)(-(uint64_t)diff));
	return buf;
}

int parse_hex_u64(const char *s, uint64_t *value)
{
	char *end;

	if (!s || !*s)
		return -EINVAL;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	/* strtoull would take a second "0x" itself: only digits may follow. */
	for (const char *p = s; *p; p++)
		if (!isxdigit((unsigned char)*p))
			return -EINVAL;
	if (!*s)
		return -EINVAL;
	errno = 0;
	*value = strtoull(s, &end, 16);
	if (errno || *end)
		return -EINVAL;
	return 0;
}
