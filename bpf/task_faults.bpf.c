// SPDX-License-Identifier: GPL-2.0
/*
 * Page faults per thread, from the counts the kernel keeps anyway
 * (mm_account_fault() adds every fault the mm handled to current->min_flt
 * or maj_flt). Nothing here runs per fault: a task iterator reads every
 * live thread once per interval, and a program at each thread's exit keeps
 * its final counts, which the next read collects. That is what makes
 * counting every fault of every process cost the faulting workload nothing.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "task_faults_shared.h"
#include "cgroup_key.bpf.h"

char LICENSE[] SEC("license") = "GPL";

/* include/linux/sched.h: set early in do_exit(), before the exit tracepoint. */
#define PF_EXITING 0x00000004

/* Exits not kept because the map was full: their last faults are in no count. */
__u64 exits_lost;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct task_fault_key);
	__type(value, struct task_fault_rec);
} exited SEC(".maps");

static __always_inline void fill(struct task_fault_rec *r, struct task_struct *t)
{
	r->tid = BPF_CORE_READ(t, pid);
	r->tgid = BPF_CORE_READ(t, tgid);
	r->start_ns = BPF_CORE_READ(t, start_time);
	r->cgroup = task_cgroup_key(t);
	r->minflt = BPF_CORE_READ(t, min_flt);
	r->majflt = BPF_CORE_READ(t, maj_flt);
	BPF_CORE_READ_STR_INTO(&r->comm, t, comm);
}

SEC("iter/task")
int dump_task_faults(struct bpf_iter__task *ctx)
{
	struct task_struct *t = ctx->task;
	struct task_fault_rec r = {};

	/* an exiting thread's final counts come from its exit, below */
	if (!t || (BPF_CORE_READ(t, flags) & PF_EXITING))
		return 0;
	fill(&r, t);
	bpf_seq_write(ctx->meta->seq, &r, sizeof(r));
	return 0;
}

/* raw_tp: one program for every kernel; an exit is rare beside a fault. */
SEC("raw_tp/sched_process_exit")
int task_exit(void *ctx)
{
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();
	struct task_fault_rec r = {};
	struct task_fault_key k = {};

	fill(&r, t);
	if (!r.minflt && !r.majflt)
		return 0;	/* nothing to count: kernel threads, mostly */
	k.tid = r.tid;
	k.start_ns = r.start_ns;
	if (bpf_map_update_elem(&exited, &k, &r, BPF_ANY))
		__sync_fetch_and_add(&exits_lost, 1);
	return 0;
}
