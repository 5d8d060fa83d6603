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

SEC("tp_btf/page_fault_user")
int BPF_PROG(fault_user_btf, unsigned long address, struct pt_regs *regs,
	     unsigned long error_code)
{
	return on_event(VM_FAULT_USER, address, regs, true, error_code, 0);
}

SEC("tp_btf/page_fault_kernel")
int BPF_PROG(fault_kernel_btf, unsigned long address, struct pt_regs *regs,
	     unsigned long error_code)
{
	return on_event(VM_FAULT_KERNEL, address, regs, true, error_code, 0);
}

SEC("tp_btf/tlb_flush")
int BPF_PROG(tlb_flush_btf, int reason, unsigned long pages)
{
	if (reason == tlb_reason(TLB_REMOTE_SEND_IPI))
		take_send_path(ctx);
	return on_event(VM_TLB_FLUSH, 0, NULL, true, pages, reason);
}

/*
 * Hyper-V and Xen PV guests ask for remote flushes by hypercall and never
 * trace TLB_REMOTE_SEND_IPI: their own tracepoints are the requests, counted
 * under that reason ("remote flush request"). Loaded where the kernel has them.
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

/* The same, for kernels where tp_btf does not load: raw arguments, no BTF. */
SEC("raw_tp/page_fault_user")
int BPF_PROG(fault_user_raw, unsigned long address, struct pt_regs *regs,
	     unsigned long error_code)
{
	return on_event(VM_FAULT_USER, address, regs, false, error_code, 0);
}

SEC("raw_tp/page_fault_kernel")
int BPF_PROG(fault_kernel_raw, unsigned long address, struct pt_regs *regs,
	     unsigned long error_code)
{
	return on_event(VM_FAULT_KERNEL, address, regs, false, error_code, 0);
}

SEC("raw_tp/tlb_flush")
int BPF_PROG(tlb_flush_raw, int reason, unsigned long pages)
{
	if (reason == tlb_reason(TLB_REMOTE_SEND_IPI))
		take_send_path(ctx);
	return on_event(VM_TLB_FLUSH, 0, NULL, false, pages, reason);
}

#endif
