/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The tracepoints both event objects attach to, each handing its event to
 * the including object's on_event(kind, addr, regs, btf, arg, reason);
 * included after it. Userspace loads the tp_btf set, or the raw_tp set
 * where tp_btf does not load, and of those only the kinds a run asks for
 * (src/kernel/vm_programs.c).
 *
 * The kernel stack of the first remote flush request the programs see is
 * kept too: the path the sends take (native_flush_tlb_multi, or a
 * hypervisor's own flush calling it), evidence of how remote flushes go.
 */
#ifndef KVAS_VM_PROGRAMS_BPF_H
#define KVAS_VM_PROGRAMS_BPF_H

struct vm_send_path send_path;

static __always_inline void take_send_path(void *ctx)
{
	if (send_path.taken || __sync_val_compare_and_swap(&send_path.taken, 0, 1))
		return;
	send_path.bytes = bpf_get_stack(ctx, send_path.ips, sizeof(send_path.ips), 0);
}

/* A fault program, tp_btf (btf: its regs a BTF pointer) or raw_tp. */
#define FAULT_PROGRAM(name, tp, kind, btf)					\
SEC(tp)										\
int BPF_PROG(name, unsigned long address, struct pt_regs *regs,			\
	     unsigned long error_code)						\
{										\
	return on_event(kind, address, regs, btf, error_code, 0);		\
}

/* A tlb:tlb_flush program; a remote flush request's stack is evidence. */
#define TLB_PROGRAM(name, tp, btf)						\
SEC(tp)										\
int BPF_PROG(name, int reason, unsigned long pages)				\
{										\
	if (reason == tlb_reason(TLB_REMOTE_SEND_IPI))				\
		take_send_path(ctx);						\
	return on_event(VM_TLB_FLUSH, 0, NULL, btf, pages, reason);		\
}

FAULT_PROGRAM(fault_user_btf, "tp_btf/page_fault_user", VM_FAULT_USER, true)
FAULT_PROGRAM(fault_kernel_btf, "tp_btf/page_fault_kernel", VM_FAULT_KERNEL, true)
/*
 * Hyper-V and Xen PV guests ask for remote flushes by hypercall and never
 * trace TLB_REMOTE_SEND_IPI: their own tracepoints are the requests, counted
 * under that reason ("remote flush request"). Loaded where the kernel has
 * them; before tlb_flush, which the skeleton then attaches last.
 */
SEC("tp_btf/hyperv_mmu_flush_tlb_multi")
int BPF_PROG(hyperv_flush_request_btf)
{
	take_send_path(ctx);
	return on_event(VM_TLB_FLUSH, 0, NULL, true, (__u64)-1, tlb_reason(TLB_REMOTE_SEND_IPI));
}

SEC("tp_btf/xen_mmu_flush_tlb_multi")
int BPF_PROG(xen_flush_request_btf)
{
	take_send_path(ctx);
	return on_event(VM_TLB_FLUSH, 0, NULL, true, (__u64)-1, tlb_reason(TLB_REMOTE_SEND_IPI));
}

TLB_PROGRAM(tlb_flush_btf, "tp_btf/tlb_flush", true)

/* The same, for kernels where tp_btf does not load: raw arguments, no BTF. */
FAULT_PROGRAM(fault_user_raw, "raw_tp/page_fault_user", VM_FAULT_USER, false)
FAULT_PROGRAM(fault_kernel_raw, "raw_tp/page_fault_kernel", VM_FAULT_KERNEL, false)
TLB_PROGRAM(tlb_flush_raw, "raw_tp/tlb_flush", false)

#endif
