/* SPDX-License-Identifier: GPL-2.0 */
/* Load and read bpf/vmevents.bpf.c: page faults and TLB flushes. */
#ifndef KVAS_VMEVENTS_H
#define KVAS_VMEVENTS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdint.h>
#include <sys/types.h>

#include "translate.h"
#include "vmevents_shared.h"

struct vmevents_bpf;

struct vmevents_config {
	bool aggregate;			/* top */
	bool stream;			/* trace */
	uint32_t record_mask;		/* VM_MASK bits */
	uint32_t translate_every;	/* 0: never */
	pid_t tgid, tid;
	uint64_t cgroup;
	const char *comm;
	uint32_t sample_every;
	uint64_t rate;			/* events per second, all CPUs; 0: no cap */
	uint32_t ringbuf_bytes;
	uint32_t max_tasks;
	uint32_t kernel_fault_region;	/* FR_* + 1: kernel faults there only */
};

/*
 * The parts of the fault and TLB programs that a kernel may lack. Each is
 * decided from the kernel's BTF before loading, and one that is missing
 * switches off alone: the output names it and says why.
 */
enum vm_part {
	VM_PART_USER_FAULTS,		/* exceptions:page_fault_user */
	VM_PART_KERNEL_FAULTS,		/* exceptions:page_fault_kernel */
	VM_PART_TLB_FLUSHES,		/* tlb:tlb_flush */
	VM_PART_TLB_REASON_NAMES,	/* enum tlb_flush_reason */
	VM_PART_REMOTE_CPUS,		/* mm_cpumask: CPUs a shootdown may interrupt */
	VM_NR_PARTS,
};

struct vm_part_state {
	bool on;
	char why[160];			/* when off: what the kernel lacks */
};

struct vmevents {
	struct vmevents_bpf *skel;
	bool raw_tp;			/* tp_btf did not load */
	char tp_btf_failure[200];	/* why, when raw_tp stands in */
	int nr_cpus;
	struct vm_part_state parts[VM_NR_PARTS];
};

const char *vm_part_name(enum vm_part part);

int vmevents_open(struct vmevents *ev, const struct vmevents_config *cfg,
		  const struct translate_ctx *layout, char *why, size_t len);
void vmevents_close(struct vmevents *ev);

/* Counters summed over CPUs. */
int vmevents_counters(struct vmevents *ev, struct vm_counters *sum);

struct vm_task_entry {
	struct vm_task_key key;
	struct vm_task_stats stats;
};

/* Every entry of the task table, with the CPUs' unflushed batches added. */
struct vm_task_entry *vmevents_tasks(struct vmevents *ev, size_t *nr);

/* The recent translated faults of every CPU, newest last per CPU. */
int vmevents_recent(struct vmevents *ev, struct vm_translation *out, int max);

int vmevents_ringbuf_fd(struct vmevents *ev);

/* "not counted: PART: WHY" lines for every part that is off. */
void vm_parts_text(const struct vm_part_state *parts, FILE *out);
/* [{"part": ..., "why": ...}] for every part that is off. */
json_t *vm_parts_json(const struct vm_part_state *parts);

#endif
