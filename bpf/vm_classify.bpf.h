/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a page fault or a tlb:tlb_flush event is, and its count in this
 * CPU's struct vm_counters: the classification both event objects share
 * (bpf/vm_count.bpf.c, bpf/vm_stream.bpf.c), so that top's counts and
 * trace's records name events alike.
 */
#ifndef KVAS_VM_CLASSIFY_BPF_H
#define KVAS_VM_CLASSIFY_BPF_H

#include "vm_knobs.bpf.h"

static __always_inline __u32 tlb_size_bucket(__u64 pages)
{
	__u32 b = 2;

	if (pages == (__u64)-1)
		return 0;
	if (!pages)
		return 1;
	for (int i = 0; i < TLB_NR_SIZES - 3 && pages > 1; i++) {
		pages >>= 1;
		b++;
	}
	return b;
}

/*
 * A reason's value in this kernel's enum tlb_flush_reason, by its name; a
 * reason the kernel lacks matches nothing (the enum has no negative values).
 */
#define tlb_reason(name)						\
	(bpf_core_enum_value_exists(enum tlb_flush_reason, name) ?	\
	 (__u32)bpf_core_enum_value(enum tlb_flush_reason, name) : (__u32)-1)

/*
 * What the event is, from arch/x86/mm/tlb.c: switch_mm_irqs_off() traces a
 * task switch with TLB_FLUSH_ALL when it flushed and 0 when the ASID was up
 * to date; flush_tlb_func() traces the flush it ran, on the CPU that asked
 * (local) or on one the IPI reached (remote shootdown); native_flush_tlb_multi()
 * traces the request (send IPI). Remote wrong CPU (6.13+) is an IPI that
 * found its mm no longer loaded and flushed nothing: not a flush, kept
 * apart with any reason newer kernels add.
 */
static __always_inline __u32 tlb_class_of(__u32 reason, __u64 pages)
{
	if (reason == tlb_reason(TLB_FLUSH_ON_TASK_SWITCH))
		return pages ? TLBC_LOCAL : TLBC_NO_FLUSH;
	if (reason == tlb_reason(TLB_LOCAL_SHOOTDOWN) ||
	    reason == tlb_reason(TLB_LOCAL_MM_SHOOTDOWN))
		return TLBC_LOCAL;
	if (reason == tlb_reason(TLB_REMOTE_SHOOTDOWN))
		return TLBC_REMOTE;
	if (reason == tlb_reason(TLB_REMOTE_SEND_IPI))
		return TLBC_SENT;
	return TLBC_OTHER;
}

/*
 * An error-code bit by its name in this kernel's enum x86_pf_error_code;
 * the bits are the CPU's, so the architectural value stands in where BTF
 * lacks the enum.
 */
#define pf_bit(name, arch_value)					\
	(bpf_core_enum_value_exists(enum x86_pf_error_code, name) ?	\
	 (__u64)bpf_core_enum_value(enum x86_pf_error_code, name) : (__u64)(arch_value))

/*
 * Count the event by kind, and a flush by reason, class and size or a
 * fault by error class and (kernel) region; its TLB class (0 for a fault).
 *
 * Array indexes are masked to the array's (power-of-two) size, and
 * barrier_var keeps clang from dropping a mask it can prove redundant:
 * older verifiers (6.1) cannot prove it and reject the access.
 */
static __always_inline __u32 classify_count(struct vm_counters *c, __u32 kind, __u64 addr,
					    __u64 arg, __u32 reason)
{
	__u32 tlb_class = 0;

	/* kind is a constant in each program: in bounds, as the verifier sees */
	c->events[kind]++;
	if (kind == VM_TLB_FLUSH) {
		__u32 size = tlb_size_bucket(arg);
		/* a reason beyond the slots is counted in the last one, "other" */
		__u32 slot = reason < TLB_NR_REASONS ? reason : TLB_NR_REASONS - 1;

		tlb_class = tlb_class_of(reason, arg);
		barrier_var(slot);
		barrier_var(size);
		barrier_var(tlb_class);
		c->tlb_reason[slot & (TLB_NR_REASONS - 1)]++;
		c->tlb_class[tlb_class & (TLBC_SLOTS - 1)]++;
		if (tlb_class == TLBC_LOCAL || tlb_class == TLBC_REMOTE)
			c->tlb_size[size & (TLB_NR_SIZES - 1)]++;
	} else {
		__u32 cls = !!(arg & pf_bit(X86_PF_WRITE, 2)) * FAULT_CLASS_WRITE |
			    !!(arg & pf_bit(X86_PF_INSTR, 16)) * FAULT_CLASS_IFETCH |
			    !!(arg & pf_bit(X86_PF_PROT, 1)) * FAULT_CLASS_PROT;

		barrier_var(cls);
		c->fault_class[kind & 1][cls & (FAULT_NR_CLASSES - 1)]++;
		if (kind == VM_FAULT_KERNEL) {
			__u32 region = kernel_region(addr);

			barrier_var(region);
			c->kernel_region[region & (FR_SLOTS - 1)]++;
		}
	}
	return tlb_class;
}

#endif
