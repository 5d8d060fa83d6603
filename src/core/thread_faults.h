/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Page faults per process and cgroup, from reads of the kernel's own
 * per-thread counts (task_struct min_flt, maj_flt): each read gives every
 * live thread's counts and the final counts of the threads that exited
 * since. What a thread did since the last read goes to its process under
 * the cgroup it is in now. Pure bookkeeping: src/kernel/task_faults.c
 * reads the kernel.
 */
#ifndef KVAS_THREAD_FAULTS_H
#define KVAS_THREAD_FAULTS_H

#include <stddef.h>
#include <stdint.h>

#include "task_faults_shared.h"

/* One process in one cgroup: its faults since the first read. */
struct task_fault_entry {
	uint32_t tgid;
	uint64_t cgroup;
	uint64_t minor, major;
	char comm[16];			/* the latest name of one of its threads */
};

/* A live thread's counts at the last read. */
struct thread_fault_base {
	uint32_t tid;
	uint64_t start_ns;
	uint64_t minflt, majflt;
	unsigned int unseen;		/* reads since it was last seen */
};

struct thread_faults {
	struct thread_fault_base *threads;	/* sorted by tid, start */
	size_t nr_threads;
	struct task_fault_entry *entries;	/* sorted by tgid, cgroup */
	size_t nr_entries;
	uint64_t last_pass_ns;		/* when the last read began (CLOCK_MONOTONIC) */
	uint64_t older_pass_ns;		/* when the read before it began (the first's, early on) */
	uint64_t reads;
};

/*
 * Add one read, begun at pass_ns: the live threads and those that exited
 * (a thread may be in both: its exit stands). The first read counts
 * nothing: it is where every count starts. A thread seen for the first
 * time counts from 0 when it began after the read before last began: the
 * last read missed it only because it was exiting then (an exiting thread
 * is skipped, its exit comes a read later), and a thread seen by any read
 * since has a count to start from. One older than that was exiting, unseen,
 * for longer: its counts are unknown and count from now. 0, or -ENOMEM with
 * t as it was.
 */
int thread_faults_add(struct thread_faults *t, const struct task_fault_rec *live,
		      size_t nr_live, const struct task_fault_rec *exited, size_t nr_exited,
		      uint64_t pass_ns);
void thread_faults_free(struct thread_faults *t);

/* By tgid, then cgroup: for qsort and bsearch over struct task_fault_entry. */
int task_fault_entry_cmp(const void *a, const void *b);

#endif
