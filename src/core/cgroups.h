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

/*
 * The path of a cgroup v1 hierarchy in /proc/PID/cgroup text, where
 * controller is one of the line's comma-separated controllers ("memory",
 * "cpu"): 0, or -ENOENT when no line has it (a pure v2 host, or not mounted).
 */
int cgroup1_path_parse(const char *text, const char *controller, char *path, size_t len);

#endif
