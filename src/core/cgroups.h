/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where cgroup v2 is mounted, read from mountinfo text. Pure: the caller
 * opens the file (src/kernel/cgroup_cache.c reads /proc/self/mountinfo).
 */
#ifndef KVAS_CGROUPS_H
#define KVAS_CGROUPS_H

#include <stddef.h>
#include <stdio.h>

/* Find the cgroup2 mount in mountinfo text: 0, or -ENOENT when there is none. */
int cgroup2_mount_parse(FILE *mountinfo, char *mount, size_t len);

#endif
