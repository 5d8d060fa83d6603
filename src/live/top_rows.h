/* SPDX-License-Identifier: GPL-2.0 */
/*
 * top's rows: every process's counts in the interval merged into one row
 * per --by key (pid, name, cgroup, container), ranked by what they did and
 * cut to those that did anything. The report's build (top_report.c) is
 * the only caller.
 */
#ifndef KVAS_TOP_ROWS_H
#define KVAS_TOP_ROWS_H

#include <stddef.h>
#include <stdint.h>

#include "top_report.h"

/* A process's faults in the interval (cur less prev), for one that had any. */
struct top_fault_delta {
	const struct task_fault_entry *e;
	uint64_t minor, major;
};

/*
 * Each process's faults in the interval, looked up once for the rows and
 * the totals: *n of them, in an array to free (NULL: no memory).
 */
struct top_fault_delta *top_fault_deltas(const struct top_snapshot *prev,
					 const struct top_snapshot *cur, size_t *n);

/*
 * The rows of the interval between prev and cur by key by, with the faults
 * fd as rates over secs: sorted by weight, empty rows dropped, at most
 * max_rows. *rows is to free; NULL when there are none.
 */
void top_rows_build(struct top_row **rows, size_t *nr, enum top_by by,
		    const struct top_snapshot *prev, const struct top_snapshot *cur,
		    const struct top_fault_delta *fd, size_t nr_fd, double secs, size_t max_rows);

#endif
