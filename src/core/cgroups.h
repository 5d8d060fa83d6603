/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where the cgroup hierarchies are mounted, read from mountinfo text, and
 * the names of cgroup key kinds (include/cgroup_key.h). Pure: the caller
 * opens the file (src/kernel/cgroup_cache.c reads /proc/self/mountinfo).
 */
#ifndef KVAS_CGROUPS_H
#define KVAS_CGROUPS_H

#include <stddef.h>
#include <stdio.h>

/* Find the cgroup2 mount in mountinfo text: 0, or -ENOENT when there is none. */
int cgroup2_mount_parse(FILE *mountinfo, char *mount, size_t len);

/* Find the v1 hierarchy with controller ("memory", "cpu"): 0, or -ENOENT. */
int cgroup1_mount_parse(FILE *mountinfo, const char *controller, char *mount, size_t len);

/*
 * What named a task's cgroup, in every output: "cgroup2", "cgroup1:memory",
 * "cgroup1:cpu" or "mntns".
 */
const char *cgroup_kind_name(unsigned int kind);

#endif
