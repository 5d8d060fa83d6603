/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One line of /proc/PID/maps, "start-end perms pgoff major:minor inode
 * path". Pure: src/kernel reads the file (user_symbols.c, record_procs.c).
 */
#ifndef KVAS_PROC_MAPS_H
#define KVAS_PROC_MAPS_H

#include <stdbool.h>
#include <stdint.h>

struct maps_line {
	uint64_t start, end, pgoff;
	char perms[8];			/* "r-xp"; "" when absent */
	unsigned int major, minor;	/* the device */
	unsigned long ino;		/* 0: not a file */
	const char *name;		/* into the line: the path, "[heap]", or "" */
	unsigned int name_len;		/* up to the newline */
};

/*
 * Parse line (NUL-terminated) into m: false when it lacks one of the
 * columns before the name (the name may be empty).
 */
bool maps_line_parse(const char *line, struct maps_line *m);

#endif
