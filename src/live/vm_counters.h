/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The counters of the event objects (bpf/vm_count.bpf.c, vm_stream.bpf.c),
 * summed over CPUs and differenced over an interval field by field, by name: a field added to struct vm_counters
 * fails a size check in vm_counters.c until it is added there too; struct
 * vm_task_stats's fields come from TASK_COUNTERS() (include/task_counters.h),
 * as the code that combines them does.
 */
#ifndef KVAS_VM_COUNTERS_H
#define KVAS_VM_COUNTERS_H

#include <stdint.h>

#include "vmevents_shared.h"

/* One process (in one cgroup) of the task table, as top reads it. */
struct vm_task_entry {
	struct vm_task_key key;
	struct vm_task_stats stats;
};

/* By tgid, then cgroup: for qsort and bsearch over struct vm_task_entry. */
int vm_task_entry_cmp(const void *a, const void *b);

/* cur - prev; a counter that went backwards was evicted and re-created: cur. */
uint64_t vm_count_delta(uint64_t cur, uint64_t prev);

void vm_counters_add(struct vm_counters *sum, const struct vm_counters *c);
void vm_counters_delta(struct vm_counters *d, const struct vm_counters *cur,
		       const struct vm_counters *prev);

/* The counts only: sum->comm stays. */
void vm_task_stats_add(struct vm_task_stats *sum, const struct vm_task_stats *s);
/* The counts; d->comm is cur's. */
void vm_task_stats_delta(struct vm_task_stats *d, const struct vm_task_stats *cur,
			 const struct vm_task_stats *prev);

#endif
