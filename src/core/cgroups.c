// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cgroup_key.h"
#include "cgroups.h"

/* Is name one of the comma-separated list s[0..n)? */
static bool in_list(const char *s, size_t n, const char *name);

/*
 * The mount point of the first mountinfo line of fstype whose super options
 * name controller (any options when controller is NULL).
 */
static int mount_parse(FILE *f, const char *fstype, const char *controller,
		       char *mount, size_t len)
{
	char line[1024];

	while (fgets(line, sizeof(line), f)) {
		char mnt[512], type[32], opts[512], *sep = strstr(line, " - ");

		/* "id parent maj:min root mountpoint opts... - fstype source superopts" */
		if (!sep || sscanf(sep + 3, "%31s %*s %511s", type, opts) < 1 || strcmp(type, fstype))
			continue;
		if (controller && !in_list(opts, strlen(opts), controller))
			continue;
		if (sscanf(line, "%*s %*s %*s %*s %511s", mnt) != 1)
			continue;
		snprintf(mount, len, "%s", mnt);
		return 0;
	}
	return -ENOENT;
}

int cgroup2_mount_parse(FILE *f, char *mount, size_t len)
{
	return mount_parse(f, "cgroup2", NULL, mount, len);
}

int cgroup1_mount_parse(FILE *f, const char *controller, char *mount, size_t len)
{
	return mount_parse(f, "cgroup", controller, mount, len);
}

const char *cgroup_kind_name(unsigned int kind)
{
	static const char *const names[CGROUP_NR_KINDS] = {
		[CGROUP_KIND_V2] = "cgroup2", [CGROUP_KIND_V1_MEMORY] = "cgroup1:memory",
		[CGROUP_KIND_V1_CPU] = "cgroup1:cpu", [CGROUP_KIND_MNTNS] = "mntns",
	};

	return kind < CGROUP_NR_KINDS ? names[kind] : "unknown";
}

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
