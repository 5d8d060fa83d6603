// SPDX-License-Identifier: GPL-2.0
/*
 * The floor of bench/events-overhead: programs that do nothing, on the
 * tracepoints kvas top uses, attached the way kvas attaches (tp_btf). What
 * the storm loses under them is what any BPF program there costs.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

SEC("tp_btf/page_fault_user")
int BPF_PROG(floor_fault_user)
{
	return 0;
}

SEC("tp_btf/page_fault_kernel")
int BPF_PROG(floor_fault_kernel)
{
	return 0;
}

SEC("tp_btf/tlb_flush")
int BPF_PROG(floor_tlb_flush)
{
	return 0;
}
