// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cgroups.h"

int cgroup2_mount_parse(FILE *f, char *mount, size_t len)
{
	char line[1024];

	while (fgets(line, sizeof(line), f)) {
		char mnt[512], *sep = strstr(line, " - ");
		char fstype[32];

		/* "id parent maj:min root mountpoint opts... - fstype source opts" */
		if (!sep || sscanf(sep + 3, "%31s", fstype) != 1 || strcmp(fstype, "cgroup2"))
			continue;
		if (sscanf(line, "%*s %*s %*s %*s %511s", mnt) != 1)
			continue;
		snprintf(mount, len, "%s", mnt);
		return 0;
	}
	return -ENOENT;
}

/* Is name one of the comma-separated list s[0..n)? */
static bool in_list(const char *s, size_t n, const char *name)
{
	size_t len = strlen(name);

	while (n) {
		size_t k = strcspn(s, ",");

		if (k > n)
			k = n;
		if (k == len && !memcmp(s, name, len))
			return true;
		s += k;
		n -= k;
		if (n) {
			s++;
			n--;
		}
	}
	return false;
}

int cgroup1_path_parse(const char *text, const char *controller, char *path, size_t len)
{
	/* "hierarchy-id:controller,list:/path", one per line; v2's list is empty */
	for (const char *line = text; line && *line; ) {
		const char *nl = strchr(line, '\n'), *end = nl ? nl : line + strlen(line);
		const char *c = memchr(line, ':', end - line), *p;

		if (c && (p = memchr(c + 1, ':', end - c - 1)) &&
		    in_list(c + 1, p - c - 1, controller)) {
			snprintf(path, len, "%.*s", (int)(end - p - 1), p + 1);
			return 0;
		}
		line = nl ? nl + 1 : NULL;
	}
	return -ENOENT;
}
