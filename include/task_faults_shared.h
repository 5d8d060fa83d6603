/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared between bpf/task_faults.bpf.c and userspace: the kernel's own
 * per-thread fault counts (task_struct min_flt and maj_flt), read by a task
 * iterator at each interval and caught at each thread's exit.
 */
#ifndef KVAS_TASK_FAULTS_SHARED_H
#define KVAS_TASK_FAULTS_SHARED_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

/* A thread: its identity (tid and start time: tids are reused) and its counts. */
struct task_fault_rec {
	__u32 tid, tgid;
	__u64 start_ns;			/* task->start_time: CLOCK_MONOTONIC */
	__u64 cgroup;			/* its cgroup key (cgroup_key.h) */
	__u64 minflt, majflt;		/* faults the mm handled for it, since it began */
	char comm[16];
};

struct task_fault_key {
	__u32 tid, pad;
	__u64 start_ns;
};

#endif
