// SPDX-License-Identifier: GPL-2.0
/*
 * Page faults and TLB flushes, for kvas top (aggregate in the kernel) and
 * kvas trace (stream through a ring buffer, sampled). Filters run first so
 * that events of other processes cost almost nothing.
 *
 * A fault is translated after it resolved: the fault marks its address as
 * pending on this CPU, and the same thread's next event here walks its page
 * tables for it.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "vmevents_shared.h"
#include "cgroup_key.bpf.h"
#include "x86_pgtable.h"
#include "pgwalk.bpf.h"

char LICENSE[] SEC("license") = "GPL";

/* What to do (set between open and load). */
const volatile __u32 record_mask = VM_MASK(VM_FAULT_USER) |
				   VM_MASK(VM_FAULT_KERNEL) | VM_MASK(VM_TLB_FLUSH);
const volatile bool aggregate = false;		/* top */
const volatile bool stream = false;		/* trace */
const volatile __u32 translate_every = 0;	/* 0: never; N: 1 in N faults, on average */

/* Filters (trace): applied before anything else. */
const volatile __u32 targ_tgid = 0;
const volatile __u32 self_tgid = 0;	/* kvas itself: its own output would feed back */
const volatile __u32 targ_tid = 0;
/* --cgroup: its keys, one per hierarchy where the path exists, from [0] (0: unused). */
const volatile __u64 targ_cgroups[VM_CGROUP_TARGETS] = {};
/* --container: cgroup_filter below decides; a key it lacks passes, for userspace to decide. */
const volatile bool filter_cgroups = false;
const volatile bool filter_comm = false;
const volatile char targ_comm[16] = {};
/* Kernel faults only, in one region (FR_* + 1); 0: no such filter. */
const volatile __u32 kernel_fault_region = 0;

/* Sampling (trace): every Nth event per CPU, at most RATE per second in all. */
const volatile __u32 sample_every = 1;
const volatile __u64 rate_total = 0;
const volatile __u64 ring_bytes = 4096;
/* Longs in a cpumask of this machine (at most VM_CPU_WORDS). */
const volatile __u32 cpu_words = 1;
/* Userspace found mm_cpumask's home in this kernel's BTF: count remote CPUs. */
const volatile bool count_ipi_cpus = false;
#define VM_CPU_WORDS 16

/* The layout, for the walk and for classifying kernel fault addresses. */
const volatile __u64 page_offset_base = 0;
const volatile __u64 pa_mask = 0;
const volatile __u32 levels = 4;
const volatile __u64 user_end = 0;
const volatile __u64 dmap_start = 0, dmap_end = 0;
const volatile __u64 vmalloc_start = 0, vmalloc_end = 0;
const volatile __u64 vmemmap_start = 0, vmemmap_end = 0;
const volatile __u64 image_start = 0, image_end = 0, modules_end = 0;

/*
 * The kernel stack of the first remote flush request the programs see: the
 * path the sends take (native_flush_tlb_multi, or a hypervisor's own flush
 * calling it), evidence of how remote flushes go. Taken once.
 */
__u64 send_path[VM_SEND_PATH_FRAMES];
__s64 send_path_bytes;
__u32 send_path_taken;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct vm_cpu_state);
} cpu_states SEC(".maps");

/* Bounded: old processes fall out; userspace sets the size before load. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, struct vm_task_key);
	__type(value, struct vm_task_stats);
} tasks SEC(".maps");

/*
 * --container: cgroup key -> 1 (a matching container's) or 0 (another's),
 * filled by userspace from its cgroup cache. A cgroup made since (a new
 * container) is in neither until userspace sees it: its events pass, and
 * userspace decides for them and records the decision here.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, __u64);
	__type(value, __u8);
} cgroup_filter SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 22);
} events SEC(".maps");

static __always_inline bool comm_matches(void)
{
	char comm[16];

	bpf_get_current_comm(comm, sizeof(comm));
	for (int i = 0; i < 16; i++) {
		if (comm[i] != targ_comm[i])
			return false;
		if (!comm[i])
			break;
	}
	return true;
}

static __always_inline __u32 kernel_region(__u64 addr)
{
	if (addr <= user_end)
		return FR_USER;
	if (addr >= dmap_start && addr < dmap_end)
		return FR_DIRECT_MAP;
	if (addr >= vmalloc_start && addr < vmalloc_end)
		return FR_VMALLOC;
	if (addr >= vmemmap_start && addr < vmemmap_end)
		return FR_VMEMMAP;
	if (addr >= image_start && addr < image_end)
		return FR_KERNEL_IMAGE;
	if (addr >= image_end && addr < modules_end)
		return FR_MODULES;
	return FR_OTHER;
}

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
 * Add a CPU's batch into the task table. Inserts are counted: the table
 * never deletes, so inserts minus its entries are the LRU's evictions.
 */
static __always_inline void flush_batch(struct vm_cpu_state *st)
{
	struct vm_task_stats *ts;

	if (!st->batch_events)
		return;
	ts = bpf_map_lookup_elem(&tasks, &st->batch_key);
	if (!ts) {
		if (!bpf_map_update_elem(&tasks, &st->batch_key, &st->batch, BPF_NOEXIST))
			st->counters.task_inserts++;
	} else {
#define TC_FETCH_ADD(f, ...) __sync_fetch_and_add(&ts->f, st->batch.f);
		TASK_COUNTERS(TC_FETCH_ADD)
#undef TC_FETCH_ADD
		/* the name may have changed since (exec): take the batch's */
		__builtin_memcpy(ts->comm, st->batch.comm, sizeof(ts->comm));
	}
	st->batch_events = 0;
	st->counters.batches_flushed++;
	__builtin_memset(&st->batch, 0, sizeof(st->batch));
}

/*
 * current->cgroups: the css_set, which a move to another cgroup replaces.
 * Under tp_btf one load; raw_tp reads it through a helper.
 */
static __always_inline __u64 current_css_set(bool btf)
{
	if (btf)
		return (__u64)bpf_get_current_task_btf()->cgroups;
	return (__u64)BPF_CORE_READ((struct task_struct *)bpf_get_current_task(), cgroups);
}

static __always_inline __u64 current_nsproxy(bool btf)
{
	if (btf)
		return (__u64)bpf_get_current_task_btf()->nsproxy;
	return (__u64)BPF_CORE_READ((struct task_struct *)bpf_get_current_task(), nsproxy);
}

/*
 * The current task's cgroup key (bpf/cgroup_key.bpf.h), decided again only
 * when its css_set or nsproxy changed since this CPU last decided: those
 * two hold everything the rule reads, and comparing them is two loads.
 */
static __always_inline __u64 current_cgroup_key(struct vm_cpu_state *st, bool btf)
{
	__u64 cset = current_css_set(btf), nsp = current_nsproxy(btf);

	if (!cset || st->key_cset != cset || st->key_nsproxy != nsp) {
		st->key_cset = cset;
		st->key_nsproxy = nsp;
		st->key = task_cgroup_key((struct task_struct *)bpf_get_current_task());
	}
	return st->key;
}

static __always_inline bool cgroup_targeted(__u64 key)
{
	for (int i = 0; i < VM_CGROUP_TARGETS && targ_cgroups[i]; i++)
		if (targ_cgroups[i] == key)
			return true;
	return false;
}

/*
 * Count into this CPU's batch; a new process, a process that moved to
 * another cgroup (a container's first process, joined after fork) or a full
 * batch flushes first. A move is seen as a new css_set, which is cheaper to
 * compare on every event than the cgroup id is to look up. The idle task
 * (tgid 0) has a batch and a row like any other.
 */
static __always_inline void count_task(struct vm_cpu_state *st, __u32 kind,
				       __u32 tgid, __u32 tlb_class, __u32 ipi_cpus,
				       bool btf)
{
	__u64 key = current_cgroup_key(st, btf);

	if (!st->batch_events || st->batch_key.tgid != tgid ||
	    st->batch_key.cgroup != key || st->batch_events >= VM_BATCH_EVENTS) {
		flush_batch(st);
		st->batch_key.tgid = tgid;
		st->batch_key.cgroup = key;
		bpf_get_current_comm(st->batch.comm, sizeof(st->batch.comm));
	}
	st->batch_events++;
	if (kind == VM_FAULT_USER)
		st->batch.faults_user++;
	else if (kind == VM_FAULT_KERNEL)
		st->batch.faults_kernel++;
	if (kind != VM_TLB_FLUSH)
		return;
	if (tlb_class == TLBC_LOCAL || tlb_class == TLBC_REMOTE)
		st->batch.tlb_flushes++;
	if (tlb_class == TLBC_REMOTE)
		st->batch.tlb_remote_received++;
	else if (tlb_class == TLBC_SENT) {
		st->batch.tlb_ipis_sent++;
		st->batch.tlb_ipi_cpus += ipi_cpus;
	} else if (tlb_class == TLBC_NO_FLUSH)
		st->batch.tlb_no_flush++;
	else if (tlb_class == TLBC_OTHER)
		st->batch.tlb_other++;
}

/*
 * current->mm. Under tp_btf a BTF task pointer makes these plain loads
 * (faults caught by the exception table); raw_tp has to call a helper.
 */
static __always_inline __u64 current_mm(bool btf)
{
	if (btf)
		return (__u64)bpf_get_current_task_btf()->mm;
	return (__u64)BPF_CORE_READ((struct task_struct *)bpf_get_current_task(), mm);
}

/* current->mm, read at most once per event, and only if a step needs it. */
struct event_mm {
	bool btf;
	bool read;
	__u64 mm;
};

static __always_inline __u64 event_mm(struct event_mm *m)
{
	if (!m->read) {
		m->mm = current_mm(m->btf);
		m->read = true;
	}
	return m->mm;
}

static __always_inline __u64 mm_pgd(__u64 mm, bool btf)
{
	if (btf)
		return (__u64)((struct mm_struct *)mm)->pgd;
	return (__u64)BPF_CORE_READ((struct mm_struct *)mm, pgd);
}

/*
 * Faults come in runs through one page table (a storm, a memset): the PMD
 * entry of the last walk is remembered and, while it still reads the same,
 * the walk goes straight to the PTE, two reads instead of four or five. To
 * fool this, a PMD table freed meanwhile would have to hold the very same
 * entry at the very same place.
 */
static __always_inline int walk_cached(struct vm_cpu_state *st, __u64 mm, __u64 pgd,
				       __u64 va, __u64 *pa, __u32 *shift)
{
	struct pgwalk_cfg cfg = { page_offset_base, pa_mask, levels };
	struct uwalk_step steps[8];
	__u64 entry, pte;
	__u32 n = 0, i;
	int ret;

	if (st->walk_mm == mm && st->walk_va_2m == va >> PMD_SHIFT &&
	    !bpf_probe_read_kernel(&entry, sizeof(entry), (void *)st->walk_pmd_addr) &&
	    entry == st->walk_pmd) {
		if (bpf_probe_read_kernel(&pte, sizeof(pte), (void *)(page_offset_base +
					  (entry & pa_mask) +
					  PT_INDEX(va, X86_PAGE_SHIFT) * sizeof(pte))))
			return UWALK_READ_FAILED;
		if (!(pte & PTE_PRESENT))
			return UWALK_NOT_PRESENT;
		*pa = (pte & pa_mask & PTE_ADDR_MASK) | (va & ((1ULL << X86_PAGE_SHIFT) - 1));
		*shift = X86_PAGE_SHIFT;
		return UWALK_OK;
	}
	ret = pgwalk(&cfg, pgd, va, steps, &n, pa, shift);
	if (ret != UWALK_OK || *shift != X86_PAGE_SHIFT || n < 2)
		return ret;
	i = n - 2;	/* the PMD: the step above the 4K leaf */
	barrier_var(i);
	st->walk_mm = mm;
	st->walk_va_2m = va >> PMD_SHIFT;
	st->walk_pmd_addr = steps[i & 7].table_va + steps[i & 7].index * sizeof(entry);
	st->walk_pmd = steps[i & 7].entry;
	return ret;
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

/* Finish the pending translation of this thread's previous fault. */
static __always_inline bool translate_pending(struct vm_cpu_state *st, __u32 tid,
					      struct vm_counters *c,
					      struct vm_translation *out, struct event_mm *m)
{
	__u64 mm, pgd, pa = 0;
	__u32 shift = 0;

	if (!st->pending_addr || st->pending_tid != tid)
		return false;
	mm = event_mm(m);
	out->addr = st->pending_addr;
	out->tid = tid;
	out->tgid = st->pending_tgid;
	st->pending_addr = 0;
	if (!mm || mm != st->pending_mm)
		return false;	/* exec'd meanwhile: the address means nothing now */
	pgd = mm_pgd(mm, m->btf);
	if (walk_cached(st, mm, pgd, out->addr, &pa, &shift) == UWALK_OK) {
		out->pa = pa;
		out->page_shift = shift;
		c->translated++;
	} else {
		c->translate_failed++;
	}
	return true;
}

static __always_inline void mark_pending(struct vm_cpu_state *st, __u32 tid,
					 __u32 tgid, __u64 addr, struct event_mm *m)
{
	st->pending_addr = addr;
	st->pending_tid = tid;
	st->pending_tgid = tgid;
	st->pending_mm = event_mm(m);
}

/*
 * Is this fault one of top's translated ones? A fixed 1 in N lines up with
 * workloads that fault in bursts of a multiple of N (the same place in each
 * burst, every time); gaps drawn uniformly from 1..2N-1 keep the mean of 1
 * in N, and one random draw per sample costs less than one per fault.
 */
static __always_inline bool sample_fault(struct vm_cpu_state *st)
{
	if (st->faults_to_sample > 1) {
		st->faults_to_sample--;
		return false;
	}
	st->faults_to_sample = 1 + bpf_get_prandom_u32() % (2 * translate_every - 1);
	return true;
}

/*
 * -F's window, one for all CPUs: a per-CPU cap lets through RATE times the
 * CPUs the load spreads over. The CPU whose event finds the window a
 * second old opens the next one (the compare-and-swap picks one); the
 * others count in the window they see. An event that races the reset by a
 * few instructions can be counted in the old window: a few per second at
 * most, on either side.
 */
__u64 rate_window_start;	/* bpf_ktime_get_ns() when it opened */
__u64 rate_window_count;	/* events that found it under the cap */

#define read_once_u64(x) (*(volatile __u64 *)&(x))

static __always_inline bool rate_allows(void)
{
	__u64 now = bpf_ktime_get_ns(), start = read_once_u64(rate_window_start);

	if (now - start >= 1000000000ULL &&
	    __sync_val_compare_and_swap(&rate_window_start, start, now) == start) {
		read_once_u64(rate_window_count) = 1;
		return true;
	}
	/* over the cap: a plain read, no atomic, for the events turned away */
	if (read_once_u64(rate_window_count) >= rate_total)
		return false;
	return __sync_fetch_and_add(&rate_window_count, 1) < rate_total;
}

/* -c and -F: may this event go into the ring buffer? */
static __always_inline bool sampled_in(struct vm_cpu_state *st, struct vm_counters *c)
{
	if (sample_every > 1 && ++st->nth % sample_every) {
		c->sampled_away++;
		return false;
	}
	if (rate_total && !rate_allows()) {
		c->sampled_away++;
		return false;
	}
	return true;
}

/*
 * Wake the reader only when the buffer is an eighth full: it polls every
 * 100 ms anyway. Looking every 32nd record is often enough for that.
 */
static __always_inline __u64 wakeup_flag(struct vm_cpu_state *st)
{
	if (++st->wakeup_check < 32)
		return BPF_RB_NO_WAKEUP;
	st->wakeup_check = 0;
	return bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) > ring_bytes / 8 ?
	       BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP;
}

/*
 * Who the current thread is, looked up again for another thread or mm (exec)
 * and every millisecond: a rename or a cgroup move shows within 1 ms.
 */
static __always_inline void current_who(struct vm_cpu_state *st, __u32 tid, __u64 now,
					struct event_mm *m, struct vm_event *e)
{
	__u64 mm = event_mm(m);

	if (st->who_tid != tid || st->who_mm != mm || now - st->who_at > 1000000) {
		st->who_tid = tid;
		st->who_mm = mm;
		st->who_at = now;
		st->who_cgroup = current_cgroup_key(st, m->btf);
		bpf_get_current_comm(st->who_comm, sizeof(st->who_comm));
	}
	e->cgroup = st->who_cgroup;
	__builtin_memcpy(e->comm, st->who_comm, sizeof(e->comm));
}

static __always_inline void emit(__u32 kind, __u32 tgid, __u32 tid, __u64 addr,
				 __u64 ip, __u64 arg, __u32 reason, __u32 tlb_class,
				 const struct vm_translation *prev, struct vm_counters *c,
				 struct vm_cpu_state *st, struct event_mm *m)
{
	struct vm_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);

	if (!e) {
		c->dropped++;
		return;
	}
	e->ts = bpf_ktime_get_ns();
	current_who(st, tid, e->ts, m, e);
	e->addr = addr;
	e->ip = ip;
	e->arg = arg;
	e->pid = tgid;
	e->tid = tid;
	e->cpu = bpf_get_smp_processor_id();
	e->kind = kind;
	e->reason = reason;
	e->tlb_class = tlb_class;
	if (prev)
		e->prev = *prev;
	else
		__builtin_memset(&e->prev, 0, sizeof(e->prev));
	bpf_ringbuf_submit(e, wakeup_flag(st));
}

static __always_inline int on_event(__u32 kind, __u64 addr, struct pt_regs *regs,
				    bool btf_regs, __u64 arg, __u32 reason)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tgid = id >> 32, tid = (__u32)id, zero = 0;
	struct vm_translation prev = {};
	struct event_mm m = { .btf = btf_regs };
	struct vm_counters *c;
	struct vm_cpu_state *st;
	__u32 tlb_class = 0;
	bool translated;

	if (!(record_mask & VM_MASK(kind)))
		return 0;
	if ((targ_tgid && tgid != targ_tgid) || (targ_tid && tid != targ_tid) ||
	    tgid == self_tgid)
		return 0;
	if (filter_comm && !comm_matches())
		return 0;
	if (kernel_fault_region &&
	    (kind != VM_FAULT_KERNEL || kernel_region(addr) + 1 != kernel_fault_region))
		return 0;
	st = bpf_map_lookup_elem(&cpu_states, &zero);
	if (!st || kind >= VM_NR_TRACED)
		return 0;
	if (targ_cgroups[0] && !cgroup_targeted(current_cgroup_key(st, btf_regs)))
		return 0;
	if (filter_cgroups) {
		__u64 cg = current_cgroup_key(st, btf_regs);
		__u8 *allow = bpf_map_lookup_elem(&cgroup_filter, &cg);

		if (allow && !*allow)
			return 0;
	}
	c = &st->counters;

	/*
	 * Array indexes are masked to the array's (power-of-two) size, and
	 * barrier_var keeps clang from dropping a mask it can prove redundant:
	 * older verifiers (6.1) cannot prove it and reject the access.
	 */
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

	/* Only faults chosen for translation leave a pending address. */
	translated = st->pending_addr && translate_pending(st, tid, c, &prev, &m);
	if (aggregate) {
		count_task(st, kind, tgid, tlb_class,
			   kind == VM_TLB_FLUSH && tlb_class == TLBC_SENT ? ipi_cpus(&m) : 0,
			   btf_regs);
		if (translated && prev.page_shift) {
			__u32 slot = st->recent_next++;

			barrier_var(slot);
			st->recent[slot & (VM_RECENT - 1)].ts = bpf_ktime_get_ns();
			st->recent[slot & (VM_RECENT - 1)].t = prev;
		}
		if (kind != VM_TLB_FLUSH && translate_every && sample_fault(st))
			mark_pending(st, tid, tgid, addr, &m);
	}
	if (stream) {
		__u64 ip = 0;

		if (!sampled_in(st, c)) {
			/* A translation is news of its own: it is not sampled away. */
			if (translated)
				emit(VM_TRANSLATION, prev.tgid, tid, prev.addr, 0, 0, 0, 0, &prev,
				     c, st, &m);
			return 0;
		}
		if (kind != VM_TLB_FLUSH)
			ip = btf_regs ? regs->ip : BPF_CORE_READ(regs, ip);
		emit(kind, tgid, tid, addr, ip, arg, reason, tlb_class,
		     translated ? &prev : NULL, c, st, &m);
		/* Only a fault that was kept is translated at its thread's next event. */
		if (kind != VM_TLB_FLUSH)
			mark_pending(st, tid, tgid, addr, &m);
	}
	return 0;
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

static __always_inline void take_send_path(void *ctx)
{
	if (send_path_taken || __sync_val_compare_and_swap(&send_path_taken, 0, 1))
		return;
	send_path_bytes = bpf_get_stack(ctx, send_path, sizeof(send_path), 0);
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
