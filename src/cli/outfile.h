/* SPDX-License-Identifier: GPL-2.0 */
/*
 * -o FILE, checked before anything runs and written safely:
 *   - a new regular file is written beside FILE (mode 0600) and renamed over
 *     it at the end, so it appears whole; a write error (ENOSPC, EIO) keeps
 *     what was written, and is named;
 *   - an existing regular file is replaced only when forced, keeping its
 *     mode and owner;
 *   - a symlink is followed: its target is written the same way, the link
 *     stays;
 *   - a character device, FIFO or socket-less special file, and stdout
 *     itself (/dev/stdout), are written as they are, never replaced;
 *   - a directory is refused.
 */
#ifndef KVAS_OUTFILE_H
#define KVAS_OUTFILE_H

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>

#include "out_stream.h"

struct outfile {
	FILE *out;			/* stdout when no path was given */
	const char *path;		/* as given; NULL: stdout */
	struct out_stream *stream;	/* out's: file_stream, or stdout's */
	struct out_stream file_stream;
	char target[PATH_MAX];		/* path with its symlinks followed */
	char tmp[PATH_MAX + 32];	/* the temporary file; "": written directly */
};

/*
 * Open path for writing (stdout for a NULL path): 0, or -1 with why set
 * ("... exists (--force replaces it)", "...: Is a directory").
 */
int outfile_open(struct outfile *of, const char *path, bool force, char *why, size_t len);
/*
 * Close; the temporary file replaces the target when keep is set (what was
 * written, even after a write error), else it is removed. 0, or -1 after
 * one line on stderr naming the write or rename error ("kvas CMD: ...").
 */
int outfile_finish(struct outfile *of, bool keep, const char *cmd);

#endif
