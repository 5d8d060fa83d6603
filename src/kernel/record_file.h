/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvas record's output file. kvas.data by default: an existing one is kept
 * as kvas.data.old, as perf does with perf.data; an explicit -o FILE that
 * exists is refused unless forced (and then kept as FILE.old too).
 *
 * The file is written unnamed (O_TMPFILE) in the target's directory and
 * linked under its name only at the end, so a record that is killed
 * leaves nothing, and one that ends leaves a whole file. Where the file
 * system has no O_TMPFILE, a hidden temporary file beside is renamed at
 * the end instead (a killed record then leaves that one behind).
 */
#ifndef KVAS_RECORD_FILE_H
#define KVAS_RECORD_FILE_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define RECORD_DEFAULT_FILE "kvas.data"

struct record_file {
	const char *path;
	FILE *f;
	bool direct;			/* a device or FIFO: written as it is */
	bool unnamed;			/* O_TMPFILE: linked at the end */
	char tmp[PATH_MAX + 32];	/* the named temporary file, else "" */
};

/*
 * May path be written? 0; or -1 with why set: an explicit path (not the
 * default) that exists without force, a directory. Nothing is created.
 */
int record_file_check(const char *path, bool explicit_path, bool force, char *why, size_t len);
/* Open the unnamed file beside path: 0, or -1 with why set. */
int record_file_open(struct record_file *rf, const char *path, char *why, size_t len);
/*
 * Close; keep: move an existing file to FILE.old and give the new one its
 * name, even after a write error (what was written: a file cut short, which
 * kvas report reads as far as it goes). 0, or -1 with why set.
 */
int record_file_finish(struct record_file *rf, bool keep, char *why, size_t len);
/* The file's size so far, in bytes (0 unknown). */
long long record_file_size(struct record_file *rf);

#endif
