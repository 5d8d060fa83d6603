// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>

#include "json_util.h"

json_t *json_hex(uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)v);
	return json_string(buf);
}

json_t *json_hex_signed(int64_t v)
{
	uint64_t magnitude = v < 0 ? -(uint64_t)v : (uint64_t)v;
	char buf[24];

	snprintf(buf, sizeof(buf), "%s0x%llx", v < 0 ? "-" : "", (unsigned long long)magnitude);
	return json_string(buf);
}

json_t *json_seconds(double s)
{
	return json_real(round(s * 1e6) / 1e6);
}

json_t *json_unix_time(double s)
{
	return json_real(round(s * 1e3) / 1e3);
}

/* The one writer. */
static int emit(json_t *root, FILE *out, size_t flags)
{
	int err = json_dumpf(root, out, flags | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));

	json_decref(root);
	if (err || fputc('\n', out) == EOF)
		return -EIO;
	return 0;
}

int json_emit(json_t *root, FILE *out)
{
	return emit(root, out, JSON_INDENT(2));
}

int json_emit_line(json_t *root, FILE *out)
{
	int err = emit(root, out, JSON_COMPACT);

	return err ? err : fflush(out) ? -EIO : 0;
}
