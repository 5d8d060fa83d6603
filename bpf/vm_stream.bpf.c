// SPDX-License-Identifier: GPL-2.0
/*
 * Streaming page faults and TLB flushes through a ring buffer, for kvas
 * trace and dmap -i: filtered first, so that events of other processes
 * cost almost nothing, then sampled (-c, -F), and each fault kept is
 * translated at its thread's next event. Per-CPU counters say what was
 * seen, sampled away and dropped.
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

/* Filters, applied before anything else; set before load, besides knobs. */
const volatile __u32 targ_tgid = 0;
const volatile __u32 targ_tid = 0;
/* --cgroup: its keys, one per hierarchy where the path exists, from [0] (0: unused). */
const volatile __u64 targ_cgroups[VM_CGROUP_TARGETS] = {};
const volatile bool filter_comm = false;
const volatile char targ_comm[16] = {};
/* Kernel faults only, in one region (FR_* + 1); 0: no such filter. */
const volatile __u32 kernel_fault_region = 0;

/* Sampling: every Nth event per CPU, at most RATE per second in all. */
const volatile __u32 sample_every = 1;
const volatile __u64 rate_total = 0;
const volatile __u64 ring_bytes = 4096;

/* What userspace reads, besides the ring buffer. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct vm_counters);
} cpu_counts SEC(".maps");

/* The programs' own working state per CPU: userspace never reads it. */
struct stream_scratch {
	struct cgroup_key_cache key;
	struct fault_translator ft;
	__u64 nth;			/* events seen, for -c */
	__u32 wakeup_check;		/* records since the ring's fill was last checked */
	__u32 who_tid;			/* whose comm and cgroup are cached below */
	__u64 who_mm, who_at, who_cgroup;
	char who_comm[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct stream_scratch);
} cpu_scratch SEC(".maps");

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

static __always_inline bool cgroup_targeted(__u64 key)
{
	for (int i = 0; i < VM_CGROUP_TARGETS && targ_cgroups[i]; i++)
		if (targ_cgroups[i] == key)
			return true;
	return false;
}

/* The filters that need no per-CPU state: who and what the event is. */
static __always_inline bool filtered_out(__u32 kind, __u32 tgid, __u32 tid, __u64 addr)
{
	if ((targ_tgid && tgid != targ_tgid) || (targ_tid && tid != targ_tid) ||
	    tgid == knobs.self_tgid)
		return true;
	if (filter_comm && !comm_matches())
		return true;
	return kernel_fault_region &&
	       (kind != VM_FAULT_KERNEL || kernel_region(addr) + 1 != kernel_fault_region);
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
static __always_inline bool sampled_in(struct stream_scratch *sc, struct vm_counters *c)
{
	if (sample_every > 1 && ++sc->nth % sample_every) {
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
static __always_inline __u64 wakeup_flag(struct stream_scratch *sc)
{
	if (++sc->wakeup_check < 32)
		return BPF_RB_NO_WAKEUP;
	sc->wakeup_check = 0;
	return bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) > ring_bytes / 8 ?
	       BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP;
}

/*
 * Who the current thread is, looked up again for another thread or mm (exec)
 * and every millisecond: a rename or a cgroup move shows within 1 ms.
 */
static __always_inline void current_who(struct stream_scratch *sc, __u32 tid, __u64 now,
					struct event_mm *m, struct vm_event *e)
{
	__u64 mm = event_mm(m);

	if (sc->who_tid != tid || sc->who_mm != mm || now - sc->who_at > 1000000) {
		sc->who_tid = tid;
		sc->who_mm = mm;
		sc->who_at = now;
		sc->who_cgroup = current_cgroup_key(&sc->key, m->btf);
		bpf_get_current_comm(sc->who_comm, sizeof(sc->who_comm));
	}
	e->cgroup = sc->who_cgroup;
	__builtin_memcpy(e->comm, sc->who_comm, sizeof(e->comm));
}

/* What an event record holds besides who: the event itself. */
struct event_what {
	__u32 kind, tgid, reason, tlb_class;
	__u64 addr, ip, arg;
};

static __always_inline void emit(const struct event_what *w, __u32 tid,
				 const struct vm_translation *prev, struct vm_counters *c,
				 struct stream_scratch *sc, struct event_mm *m)
{
	struct vm_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);

	if (!e) {
		c->dropped++;
		return;
	}
	e->ts = bpf_ktime_get_ns();
	current_who(sc, tid, e->ts, m, e);
	e->addr = w->addr;
	e->ip = w->ip;
	e->arg = w->arg;
	e->pid = w->tgid;
	e->tid = tid;
	e->cpu = bpf_get_smp_processor_id();
	e->kind = w->kind;
	e->reason = w->reason;
	e->tlb_class = w->tlb_class;
	if (prev)
		e->prev = *prev;
	else
		__builtin_memset(&e->prev, 0, sizeof(e->prev));
	bpf_ringbuf_submit(e, wakeup_flag(sc));
}

static __always_inline int on_event(__u32 kind, __u64 addr, struct pt_regs *regs,
				    bool btf, __u64 arg, __u32 reason)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tgid = id >> 32, tid = (__u32)id, zero = 0;
	struct event_what w = { .kind = kind, .tgid = tgid, .reason = reason,
				.addr = addr, .arg = arg };
	struct vm_translation prev = {};
	struct event_mm m = { .btf = btf };
	struct stream_scratch *sc;
	struct vm_counters *c;
	bool translated;

	if (filtered_out(kind, tgid, tid, addr))
		return 0;
	c = bpf_map_lookup_elem(&cpu_counts, &zero);
	sc = bpf_map_lookup_elem(&cpu_scratch, &zero);
	if (!c || !sc)
		return 0;
	if (targ_cgroups[0] && !cgroup_targeted(current_cgroup_key(&sc->key, btf)))
		return 0;
	if (knobs.filter_containers && !container_passes(current_cgroup_key(&sc->key, btf)))
		return 0;
	w.tlb_class = classify_count(c, kind, addr, arg, reason);
	translated = sc->ft.pending_addr && translate_pending(&sc->ft, tid, c, &prev, &m);
	if (!sampled_in(sc, c)) {
		/* A translation is news of its own: it is not sampled away. */
		if (translated) {
			struct event_what t = { .kind = VM_TRANSLATION, .tgid = prev.tgid,
						.addr = prev.addr };

			emit(&t, tid, &prev, c, sc, &m);
		}
		return 0;
	}
	if (kind != VM_TLB_FLUSH)
		w.ip = btf ? regs->ip : BPF_CORE_READ(regs, ip);
	emit(&w, tid, translated ? &prev : NULL, c, sc, &m);
	/* Only a fault that was kept is translated at its thread's next event. */
	if (kind != VM_TLB_FLUSH)
		mark_pending(&sc->ft, tid, tgid, addr, &m);
	return 0;
}

#include "vm_programs.bpf.h"
