/* SPDX-License-Identifier: GPL-2.0 */
/* Names for what the fault and TLB tracepoints report. Pure logic. */
#ifndef KVAS_VM_DECODE_H
#define KVAS_VM_DECODE_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

#include "vmevents_shared.h"

const char *vm_event_name(unsigned int kind);	/* "fault-user", ... */
int vm_event_by_name(const char *name);		/* -1 if unknown */

/* arch/x86/include/asm/trap_pf.h: "write,user,not-present", ... */
char *fault_error_str(uint64_t error_code, char *buf, size_t len);
const char *fault_class_name(unsigned int cls);	/* "write, not-present" */

/*
 * TLB flush reasons are named by the kernel: vm_programs_open() passes each
 * enumerator of enum tlb_flush_reason from BTF to tlb_reasons_learn(), into
 * its struct vm_programs, and the snapshots, reports and metrics made from it
 * carry a pointer to the names. A value no enumerator named reads "reason
 * N"; the last slot reads "other".
 */
struct tlb_reasons {
	char name[TLB_NR_REASONS][40];
};

/* Every slot unnamed ("reason N"), the last "other". */
void tlb_reasons_init(struct tlb_reasons *t);
void tlb_reasons_learn(struct tlb_reasons *t, const char *enumerator, int64_t value);
/* t NULL: a model built without the names (a bug) reads "unnamed", not a crash. */
const char *tlb_reason_name(const struct tlb_reasons *t, unsigned int reason);
/* "full", "0", "1", "2-3", "4-7", ... for a tlb_size bucket */
char *tlb_size_name(unsigned int bucket, char *buf, size_t len);
/* What a TLB event is (enum tlb_class): "local flush", "remote flush", ... */
const char *tlb_class_name(unsigned int tlb_class);

const char *fault_region_name(unsigned int region);

#endif
