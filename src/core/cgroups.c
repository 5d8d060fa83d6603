// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
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
