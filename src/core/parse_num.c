// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "parse_num.h"

int parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	unsigned long long v;
	char *end;

	/* strtoull would take "-3" as 2^64 - 3, and skip spaces: digits only */
	if (!s || !isdigit((unsigned char)s[0]))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end)
		return -EINVAL;
	if (errno == ERANGE || v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

int parse_duration(const char *s, double max, double *out)
{
	char *end;
	double v;

	if (!s || !*s || isspace((unsigned char)s[0]))
		return -EINVAL;
	errno = 0;
	v = strtod(s, &end);
	if (*end || end == s || isnan(v))
		return -EINVAL;
	if (errno == ERANGE || !(v > 0) || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

char *parse_u64_expected(uint64_t min, uint64_t max, char *buf, size_t len)
{
	snprintf(buf, len, "a whole number from %llu to %llu", (unsigned long long)min,
		 (unsigned long long)max);
	return buf;
}

char *parse_duration_expected(double max, char *buf, size_t len)
{
	snprintf(buf, len, "seconds, more than 0 and at most %g", max);
	return buf;
}
