/* SPDX-License-Identifier: GPL-2.0 */
/* Load and read bpf/vmevents.bpf.c: page faults and TLB flushes. */
#ifndef KVAS_VMEVENTS_H
#define KVAS_VMEVENTS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "read_failures.h"
#include "translate.h"
#include "vm_counters.h"
#include "vm_decode.h"
#include "vm_parts.h"
#include "vmevents_shared.h"

struct vmevents_bpf;

struct vmevents_config {
	bool aggregate;			/* top */
	bool stream;			/* trace */
	uint32_t record_mask;		/* VM_MASK bits */
	uint32_t translate_every;	/* 0: never */
	pid_t tgid, tid;
	uint64_t cgroups[VM_CGROUP_TARGETS];	/* --cgroup: its keys (0: unused) */
	bool filter_cgroups;		/* --container: vmevents_filter_cgroup() decides */
	const char *comm;
	uint32_t sample_every;
	uint64_t rate;			/* events per second, all CPUs; 0: no cap */
	uint32_t ringbuf_bytes;
	uint32_t max_tasks;
	uint32_t kernel_fault_region;	/* FR_* + 1: kernel faults there only */
	/*
	 * Run between the load and the attach (top: the first read of the
	 * kernel's fault counts, so that it and the attach are one moment):
	 * 0, or a negative error that fails the open, with why set.
	 */
	int (*before_attach)(void *arg, char *why, size_t len);
	void *before_attach_arg;
	/* top: the user-fault program is loaded, but attached only by vmevents_watch_user_faults() */
	bool user_faults_detached;
};

struct vmevents {
	struct vmevents_bpf *skel;
	bool raw_tp;			/* tp_btf did not load */
	char tp_btf_failure[200];	/* why, when raw_tp stands in */
	int nr_cpus;
	uint64_t page_offset_base;	/* where the programs' walks read page tables */
	struct vm_part_state parts[VM_NR_PARTS];
	/* top's windows on user-mode faults: when the program is attached */
	bool user_on;
	uint64_t user_on_since_ns;	/* CLOCK_MONOTONIC */
	uint64_t user_on_total_ns;	/* closed windows, in all */
	char send_path[200];		/* the first request's callers, named; "" not yet */
	struct tlb_reasons tlb_reasons;	/* this kernel's enum tlb_flush_reason */
};

int vmevents_open(struct vmevents *ev, const struct vmevents_config *cfg,
		  const struct translate_ctx *layout, char *why, size_t len);
void vmevents_close(struct vmevents *ev);

/*
 * The path the first remote flush request took ("native_flush_tlb_multi <-
 * flush_tlb_mm_range <- ..."), named from kallsyms once it was seen; "" not yet.
 */
const char *vmevents_send_path(struct vmevents *ev);

/* Counters summed over CPUs. */
int vmevents_counters(struct vmevents *ev, struct vm_counters *sum);

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
int vmevents_read(struct vmevents *ev, struct vm_reading *r);

int vmevents_ringbuf_fd(struct vmevents *ev);

/*
 * Attach (on) or detach the user-mode fault program, for top's windows: a
 * program on exceptions:page_fault_user costs every user fault of the
 * machine, attached or not in use. 0, or a negative error.
 */
int vmevents_watch_user_faults(struct vmevents *ev, bool on);
/* Nanoseconds the user-mode fault program was attached, in all, up to now. */
uint64_t vmevents_user_watched_ns(const struct vmevents *ev);

/* --container: let cgroup id's events through (allow) or drop them in the kernel. */
int vmevents_filter_cgroup(struct vmevents *ev, uint64_t id, bool allow);

#endif
