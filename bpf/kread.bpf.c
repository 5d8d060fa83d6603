// SPDX-License-Identifier: GPL-2.0
/*
 * The on-demand kernel reader. Userspace sets read_addr/read_len and runs
 * this program with BPF_PROG_TEST_RUN; no attachment, no event. It is how
 * kvas reads the VMCOREINFO note and page tables through the direct map.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "kread_shared.h"

char LICENSE[] SEC("license") = "GPL";

__u64 read_addr;
__u32 read_len;
__s64 read_err;
__u8 read_buf[KREAD_MAX];

/* Facts about the caller's context, refreshed on every run. */
__u64 current_pgd;		/* current->mm->pgd: a direct-map address */
__u64 current_stack;		/* current->stack: vmalloc space with VMAP_STACK */
__u64 struct_page_size;		/* sizeof(struct page) on the running kernel */

SEC("raw_tp")
int kread(void *ctx)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	__u32 len = read_len;

	struct_page_size = bpf_core_type_size(struct page);
	current_pgd = (__u64)BPF_CORE_READ(task, mm, pgd);
	current_stack = (__u64)BPF_CORE_READ(task, stack);

	if (len > KREAD_MAX)
		len = KREAD_MAX;
	if (len == 0) {
		read_err = 0;
		return 0;
	}
	read_err = bpf_probe_read_kernel(read_buf, len, (void *)read_addr);
	return 0;
}
