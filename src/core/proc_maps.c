// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "proc_maps.h"

bool maps_line_parse(const char *line, struct maps_line *m)
{
	int at = 0;

	memset(m, 0, sizeof(*m));
	/* %7s: perms[8] stays terminated whatever the column holds */
	/* %n is reached only when every column before it matched */
	if (sscanf(line, "%" SCNx64 "-%" SCNx64 " %7s %" SCNx64 " %x:%x %lu %n", &m->start,
		   &m->end, m->perms, &m->pgoff, &m->major, &m->minor, &m->ino, &at) < 7 || !at)
		return false;
	m->name = line + at;
	m->name_len = strcspn(m->name, "\n");
	return true;
}
