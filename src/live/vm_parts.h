/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The parts of the fault and TLB programs that a kernel may lack. Each is
 * decided from the kernel's BTF before loading (src/kernel/vm_programs.c), and
 * one that is missing switches off alone: the output names it and says why.
 */
#ifndef KVAS_VM_PARTS_H
#define KVAS_VM_PARTS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

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

const char *vm_part_name(enum vm_part part);

/* "not counted: PART: WHY" lines for every part that is off. */
void vm_parts_text(const struct vm_part_state *parts, FILE *out);
/* [{"part": ..., "why": ...}] for every part that is off. */
json_t *vm_parts_json(const struct vm_part_state *parts);

#endif
