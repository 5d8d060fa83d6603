/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Load and read the counting object, bpf/vm_count.bpf.c: page faults and
 * TLB flushes counted in the kernel per CPU and per process and cgroup,
 * for kvas top, serve and audit's window.
 */
#ifndef KVAS_VM_COUNT_H
#define KVAS_VM_COUNT_H

#include <stdbool.h>
#include <stdint.h>

#include "read_failures.h"
#include "vm_counters.h"
#include "vm_programs.h"

struct vm_count_bpf;

struct vm_count_config {
	uint32_t record_mask;		/* VM_MASK bits */
	uint32_t translate_every;	/* 1 in N faults, for top's recent panel; 0: none */
	bool filter_containers;		/* --container: container_filter decides */
	uint32_t max_tasks;		/* the task table's size */
	/* top: the user-fault program is loaded, but attached only by vm_count_watch_user_faults() */
	bool user_faults_detached;
	int (*before_attach)(void *arg, char *why, size_t len);	/* as struct vm_load's */
	void *before_attach_arg;
};

struct vm_count {
	struct vm_programs p;
	struct vm_count_bpf *skel;
	/* top's windows on user-mode faults: when the program is attached */
	bool user_on;
	uint64_t user_on_since_ns;	/* CLOCK_MONOTONIC */
	uint64_t user_on_total_ns;	/* closed windows, in all */
};

int vm_count_open(struct vm_count *vc, const struct vm_count_config *cfg,
		  const struct translate_ctx *layout, char *why, size_t len);
void vm_count_close(struct vm_count *vc);

#define VM_READ_RECENT 8

/* What top reads of the programs at one moment. */
struct vm_reading {
	struct vm_counters totals;	/* summed over CPUs */
	struct vm_task_entry *tasks;	/* the table, the CPUs' unflushed batches added */
	size_t nr_tasks;
	size_t table_entries;		/* keys in the table itself */
	size_t table_size;		/* keys it can hold */
	bool settled;			/* no CPU flushed a batch while the table was read */
	struct vm_translation recent[VM_READ_RECENT];	/* all CPUs, by time, newest last */
	int nr_recent;
	/* reads that failed: a table read short ("tasks table") stands, named */
	struct read_failures failed;
};

/*
 * 0, or a negative error when the totals could not be read (r->failed
 * names it); r->tasks is the caller's to free.
 */
int vm_count_read(struct vm_count *vc, struct vm_reading *r);

/*
 * Attach (on) or detach the user-mode fault program, for top's windows: a
 * program on exceptions:page_fault_user costs every user fault of the
 * machine, attached or not in use. 0, or a negative error.
 */
int vm_count_watch_user_faults(struct vm_count *vc, bool on);
/* Nanoseconds the user-mode fault program was attached, in all, up to now. */
uint64_t vm_count_user_watched_ns(const struct vm_count *vc);

#endif
