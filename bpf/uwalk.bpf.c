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
#include "pgwalk.bpf.h"

char LICENSE[] SEC("license") = "GPL";

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
	struct pgwalk_cfg cfg = { page_offset_base, pa_mask, levels };
	struct task_struct *task = ctx->task;
	struct mm_struct *mm;
	__u32 shift;
	__u64 pa;

	/* Only the thread-group leader: its pid is the process's pid. */
	if (!task || task->pid != targ_pid || task->tgid != targ_pid)
		return 0;
	bpf_probe_read_kernel_str(result.comm, sizeof(result.comm), task->comm);
	mm = task->mm;
	if (!mm) {
		result.status = UWALK_NO_MM;
		return 0;
	}
	result.pgd = (__u64)BPF_CORE_READ(mm, pgd);
	result.status = pgwalk(&cfg, result.pgd, targ_va, result.steps,
			       &result.nr_steps, &pa, &shift);
	return 0;
}
