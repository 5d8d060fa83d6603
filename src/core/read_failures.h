/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reads that failed: of the kernel's maps, ring buffers and /proc files, by
 * the live commands (top, trace, serve, dmap -i). A figure built from a read
 * that failed is shown with the failure named, in text and in JSON
 * ("read_errors"), never as if it were whole.
 */
#ifndef KVAS_READ_FAILURES_H
#define KVAS_READ_FAILURES_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#define READ_FAILURES_MAX 8

struct read_failure {
	char what[48];			/* "tasks table", "/proc/meminfo" */
	int err;			/* errno, positive */
};

struct read_failures {
	struct read_failure f[READ_FAILURES_MAX];
	int nr;
};

/* Note that what could not be read (err: errno, either sign); once per what. */
void read_failure_add(struct read_failures *rf, const char *what, int err);
/* Every failure of from into to. */
void read_failures_merge(struct read_failures *to, const struct read_failures *from);
/* [{"what": ..., "error": "Input/output error", "errno": 5}, ...]; [] when none. */
json_t *read_failures_json(const struct read_failures *rf);
/* "tasks table: Input/output error; /proc/vmstat: ..." into buf. */
const char *read_failures_list(const struct read_failures *rf, char *buf, size_t len);
/*
 * On out, one line per failure of now not in told (then added to told):
 * "kvas CMD: cannot read WHAT: ERROR". A failure that lasts is said once.
 */
void read_failures_tell(struct read_failures *told, const struct read_failures *now,
			const char *cmd, FILE *out);

#endif
