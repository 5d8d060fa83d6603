/* SPDX-License-Identifier: GPL-2.0 */
/*
 * -o FILE: output that appears complete or not at all. It is written to a
 * temporary file beside FILE (mode 0600) and renamed over FILE at the end.
 */
#ifndef KVAS_OUTFILE_H
#define KVAS_OUTFILE_H

#include <stdbool.h>
#include <stdio.h>

struct outfile {
	FILE *out;			/* stdout when no path was given */
	const char *path;		/* NULL: stdout */
	char tmp[1100];
};

/* Open path's temporary file, or stdout for a NULL path: 0, or -1 with errno. */
int outfile_open(struct outfile *of, const char *path);
/*
 * Close; the temporary file replaces path when keep is set and it closed
 * cleanly, else it is removed. 0, or -1 with errno when the rename failed.
 */
int outfile_finish(struct outfile *of, bool keep);

#endif
