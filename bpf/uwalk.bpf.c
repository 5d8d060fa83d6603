// SPDX-License-Identifier: GPL-2.0
/*
 * Walk one process's page tables for one virtual address, in the kernel.
 * A task iterator finds the process and holds it while the walk runs; the
 * tables are read through the direct map (page_offset_base + table PA).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "uwalk_shared.h"

char LICENSE[] SEC("license") = "GPL";

#define PTE_PRESENT	1ULL
#define PTE_PSE		(1ULL << 7)

/* Set by userspace before each walk. */
__u32 targ_pid;
__u64 targ_va;
__u64 page_offset_base;
__u64 pa_mask;
__u32 levels;

struct uwalk_result result;

SEC("iter/task")
int walk_task(struct bpf_iter__task *ctx)
{
	struct task_struct *task = ctx->task;
	int top_shift = levels == 5 ? 48 : 39;
	struct mm_struct *mm;
	__u64 table;

	/* Only the thread-group leader: its pid is the process's pid. */
	if (!task || task->pid != targ_pid || task->tgid != targ_pid)
		return 0;
	bpf_probe_read_kernel_str(result.comm, sizeof(result.comm), task->comm);
	mm = task->mm;
	if (!mm) {
		result.status = UWALK_NO_MM;
		return 0;
	}
	table = (__u64)BPF_CORE_READ(mm, pgd);
	result.pgd = table;
	result.status = UWALK_READ_FAILED;
	for (int lvl = 0; lvl < 5 && lvl < (int)levels; lvl++) {
		int shift = top_shift - 9 * lvl;
		struct uwalk_step *st = &result.steps[lvl];
		__u64 entry;

		st->index = (targ_va >> shift) & 511;
		st->table_va = table;
		if (bpf_probe_read_kernel(&entry, sizeof(entry),
					  (void *)(table + st->index * 8)))
			return 0;
		st->entry = entry;
		result.nr_steps = lvl + 1;
		if (!(entry & PTE_PRESENT)) {
			result.status = UWALK_NOT_PRESENT;
			return 0;
		}
		if (shift == 12 || (shift <= 30 && (entry & PTE_PSE))) {
			result.status = UWALK_OK;
			return 0;
		}
		table = page_offset_base + (entry & pa_mask);
	}
	return 0;
}
