// SPDX-License-Identifier: GPL-2.0
#include <errno.h>

#include "json_util.h"

json_t *json_hex(uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)v);
	return json_string(buf);
}

int json_emit(json_t *root, FILE *out)
{
	return json_emit_flags(root, out, JSON_INDENT(2));
}

int json_emit_line(json_t *root, FILE *out)
{
	return json_emit_flags(root, out, JSON_COMPACT);
}

int json_emit_flags(json_t *root, FILE *out, size_t flags)
{
	int err = json_dumpf(root, out, flags | JSON_PRESERVE_ORDER);

	json_decref(root);
	if (err || fputc('\n', out) == EOF)
		return -EIO;
	return 0;
}
