// SPDX-License-Identifier: GPL-2.0
/*
 * Counting page faults and TLB flushes in the kernel, for kvas top, serve
 * and audit's window: per CPU (struct vm_cpu_counts, read by userspace)
 * and per process and cgroup (the task table), with 1 in translate_every
 * faults translated for top's recent panel. Nothing leaves the kernel per
 * event.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "vmevents_shared.h"
#include "cgroup_key.bpf.h"
#include "container_filter.bpf.h"
#include "vm_classify.bpf.h"
#include "fault_translate.bpf.h"

char LICENSE[] SEC("license") = "GPL";

/* Set before load, besides knobs (bpf/vm_knobs.bpf.h). */
const volatile __u32 translate_every = 0;	/* 0: never; N: 1 in N faults, on average */
/* Userspace found mm_cpumask's home in this kernel's BTF: count remote CPUs. */
const volatile bool count_ipi_cpus = false;
/* Longs in a cpumask of this machine (at most VM_CPU_WORDS). */
const volatile __u32 cpu_words = 1;
#define VM_CPU_WORDS 16

/* What userspace reads. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct vm_cpu_counts);
} cpu_counts SEC(".maps");

/* The programs' own working state per CPU: userspace never reads it. */
struct count_scratch {
	struct cgroup_key_cache key;
	struct fault_translator ft;
	__u64 faults_to_sample;		/* faults until the next translated one */
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct count_scratch);
} cpu_scratch SEC(".maps");

/* Bounded: old processes fall out; userspace sets the size before load. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, struct vm_task_key);
	__type(value, struct vm_task_stats);
} tasks SEC(".maps");

/*
 * Add a CPU's batch into the task table. Inserts are counted: the table
 * never deletes, so inserts minus its entries are the LRU's evictions.
 */
static __always_inline void flush_batch(struct vm_cpu_counts *pc)
{
	struct vm_task_stats *ts;

	if (!pc->batch_events)
		return;
	ts = bpf_map_lookup_elem(&tasks, &pc->batch_key);
	if (!ts) {
		if (!bpf_map_update_elem(&tasks, &pc->batch_key, &pc->batch, BPF_NOEXIST))
			pc->counters.task_inserts++;
	} else {
#define TC_FETCH_ADD(f, ...) __sync_fetch_and_add(&ts->f, pc->batch.f);
		TASK_COUNTERS(TC_FETCH_ADD)
#undef TC_FETCH_ADD
		/* the name may have changed since (exec): take the batch's */
		__builtin_memcpy(ts->comm, pc->batch.comm, sizeof(ts->comm));
	}
	pc->batch_events = 0;
	pc->counters.batches_flushed++;
	__builtin_memset(&pc->batch, 0, sizeof(pc->batch));
}

/*
 * Count into this CPU's batch; a new process, a process that moved to
 * another cgroup (a container's first process, joined after fork) or a full
 * batch flushes first. The idle task (tgid 0) has a batch and a row like
 * any other.
 */
static __always_inline void count_task(struct vm_cpu_counts *pc, __u64 key, __u32 kind,
				       __u32 tgid, __u32 tlb_class, __u32 ipi_cpus)
{
	if (!pc->batch_events || pc->batch_key.tgid != tgid ||
	    pc->batch_key.cgroup != key || pc->batch_events >= VM_BATCH_EVENTS) {
		flush_batch(pc);
		pc->batch_key.tgid = tgid;
		pc->batch_key.cgroup = key;
		bpf_get_current_comm(pc->batch.comm, sizeof(pc->batch.comm));
	}
	pc->batch_events++;
	if (kind == VM_FAULT_USER)
		pc->batch.faults_user++;
	else if (kind == VM_FAULT_KERNEL)
		pc->batch.faults_kernel++;
	if (kind != VM_TLB_FLUSH)
		return;
	if (tlb_class == TLBC_LOCAL || tlb_class == TLBC_REMOTE)
		pc->batch.tlb_flushes++;
	if (tlb_class == TLBC_REMOTE)
		pc->batch.tlb_remote_received++;
	else if (tlb_class == TLBC_SENT) {
		pc->batch.tlb_ipis_sent++;
		pc->batch.tlb_ipi_cpus += ipi_cpus;
	} else if (tlb_class == TLBC_NO_FLUSH)
		pc->batch.tlb_no_flush++;
	else if (tlb_class == TLBC_OTHER)
		pc->batch.tlb_other++;
}

static __always_inline __u32 popcount64(__u64 x)
{
	x = x - ((x >> 1) & 0x5555555555555555ULL);
	x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
	x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
	return (x * 0x0101010101010101ULL) >> 56;
}

/* Kernels since 7.x keep mm_cpumask at the start of mm->flexible_array. */
struct mm_struct___flexible {
	char flexible_array[0];
} __attribute__((preserve_access_index));

/* Where mm_cpumask lies in struct mm_struct, or 0 where BTF knows neither home. */
static __always_inline __u64 mm_cpumask_offset(void)
{
	if (bpf_core_field_exists(struct mm_struct, cpu_bitmap))
		return bpf_core_field_offset(struct mm_struct, cpu_bitmap);
	if (bpf_core_field_exists(struct mm_struct___flexible, flexible_array))
		return bpf_core_field_offset(struct mm_struct___flexible, flexible_array);
	return 0;
}

/*
 * Which CPUs a shootdown interrupts is not in tlb:tlb_flush. The sender's
 * mm_cpumask holds every CPU that may cache its entries; counted without
 * this CPU, it bounds the CPUs the IPI goes to (lazy CPUs may be skipped,
 * and a reclaim batch flushes for other mms). An enrichment: where the
 * kernel moved the mask out of BTF's sight, it alone is off.
 */
static __always_inline __u32 ipi_cpus(struct event_mm *m)
{
	__u64 words[VM_CPU_WORDS] = {}, mm, offset = mm_cpumask_offset();
	__u32 n = 0, sz = cpu_words * 8, self = bpf_get_smp_processor_id();

	if (!count_ipi_cpus || !offset)
		return 0;
	mm = event_mm(m);
	if (!mm)
		return 0;
	if (sz > sizeof(words))
		sz = sizeof(words);
	if (bpf_probe_read_kernel(words, sz, (void *)(mm + offset)))
		return 0;
	for (int i = 0; i < VM_CPU_WORDS; i++)
		n += popcount64(words[i]);
	if ((words[(self / 64) & (VM_CPU_WORDS - 1)] >> (self % 64)) & 1)
		n--;
	return n;
}

/*
 * Is this fault one of top's translated ones? A fixed 1 in N lines up with
 * workloads that fault in bursts of a multiple of N (the same place in each
 * burst, every time); gaps drawn uniformly from 1..2N-1 keep the mean of 1
 * in N, and one random draw per sample costs less than one per fault.
 */
static __always_inline bool sample_fault(struct count_scratch *sc)
{
	if (sc->faults_to_sample > 1) {
		sc->faults_to_sample--;
		return false;
	}
	sc->faults_to_sample = 1 + bpf_get_prandom_u32() % (2 * translate_every - 1);
	return true;
}

static __always_inline int on_event(__u32 kind, __u64 addr, struct pt_regs *regs,
				    bool btf, __u64 arg, __u32 reason)
{
	__u64 id = bpf_get_current_pid_tgid(), key;
	__u32 tgid = id >> 32, tid = (__u32)id, zero = 0, tlb_class, slot;
	struct vm_translation prev = {};
	struct event_mm m = { .btf = btf };
	struct count_scratch *sc;
	struct vm_cpu_counts *pc;
	bool translated;

	if (tgid == knobs.self_tgid)
		return 0;
	pc = bpf_map_lookup_elem(&cpu_counts, &zero);
	sc = bpf_map_lookup_elem(&cpu_scratch, &zero);
	if (!pc || !sc)
		return 0;
	key = current_cgroup_key(&sc->key, btf);
	if (!container_passes(key))
		return 0;
	tlb_class = classify_count(&pc->counters, kind, addr, arg, reason);
	/* Only faults chosen for translation leave a pending address. */
	translated = sc->ft.pending_addr &&
		     translate_pending(&sc->ft, tid, &pc->counters, &prev, &m);
	count_task(pc, key, kind, tgid, tlb_class,
		   kind == VM_TLB_FLUSH && tlb_class == TLBC_SENT ? ipi_cpus(&m) : 0);
	if (translated && prev.page_shift) {
		slot = pc->recent_next++;
		barrier_var(slot);
		pc->recent[slot & (VM_RECENT - 1)].ts = bpf_ktime_get_ns();
		pc->recent[slot & (VM_RECENT - 1)].t = prev;
	}
	if (kind != VM_TLB_FLUSH && translate_every && sample_fault(sc))
		mark_pending(&sc->ft, tid, tgid, addr, &m);
	return 0;
}

#include "vm_programs.bpf.h"
