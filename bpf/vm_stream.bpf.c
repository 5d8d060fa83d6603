// SPDX-License-Identifier: GPL-2.0
/*
 * Streaming page faults and TLB flushes through a ring buffer, for kvas
 * trace and dmap -i: filtered first, so that events of other processes
 * cost almost nothing, then sampled (-c, -F), and each fault kept is
 * translated at its thread's next event. Per-CPU counters say what was
 * seen, sampled away and dropped. For kvas record, two knobs more, off
 * for the others (rodata: the verifier drops their code): call stacks
 * with each kept event, and following a command and its children.
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

/* kvas record -g: the kernel and user call stacks of each kept event. */
const volatile bool with_stacks = false;
/* kvas record -- COMMAND: the processes in follow_tgids only. */
const volatile bool follow = false;

/*
 * Seeded by userspace before the command runs; its forks add their
 * children. LRU: a build forks thousands of processes, and those that
 * exited long ago make room for new ones without a program on exit.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, VM_FOLLOW_MAX);
	__type(key, __u32);
	__type(value, __u8);
} follow_tgids SEC(".maps");

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
	__u32 who_gen;			/* look-ups of who, from 1 */
	__u32 who_batched;		/* the generation a batch entry carries (0: none yet) */
	/*
	 * Set while this CPU walks a user stack: a read of it that faults
	 * raises page_fault_kernel, and the kernel-fault program runs nested
	 * (BPF only stops a program from nesting in itself). That fault is
	 * kvas's own, not the traced task's: it is not an event.
	 */
	__u32 walking_user;
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
	if (follow && !bpf_map_lookup_elem(&follow_tgids, &tgid))
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
#define read_once_u32(x) (*(volatile __u32 *)&(x))

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
 * and every millisecond: a rename or a cgroup move shows within 1 ms. Each
 * look-up is a new generation, which a batch sends as a VM_WHO entry.
 */
static __always_inline void current_who(struct stream_scratch *sc, __u32 tid, __u64 now,
					struct event_mm *m)
{
	__u64 mm = event_mm(m);

	if (sc->who_tid != tid || sc->who_mm != mm || now - sc->who_at > 1000000) {
		sc->who_tid = tid;
		sc->who_mm = mm;
		sc->who_at = now;
		sc->who_cgroup = current_cgroup_key(&sc->key, m->btf);
		bpf_get_current_comm(sc->who_comm, sizeof(sc->who_comm));
		sc->who_gen++;
	}
}

/* What an event record holds besides who: the event itself. */
struct event_what {
	__u32 kind, tgid, reason, tlb_class;
	__u64 addr, ip, arg;
};

static __always_inline void fill(struct vm_event *e, const struct event_what *w, __u32 tid,
				 const struct vm_translation *prev, struct stream_scratch *sc,
				 struct event_mm *m)
{
	e->ts = bpf_ktime_get_ns();
	current_who(sc, tid, e->ts, m);
	e->cgroup = sc->who_cgroup;
	__builtin_memcpy(e->comm, sc->who_comm, sizeof(e->comm));
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
}

#include "stream_batch.bpf.h"

static __always_inline void emit(const struct event_what *w, __u32 tid,
				 const struct vm_translation *prev, struct vm_counters *c,
				 struct stream_scratch *sc, struct event_mm *m)
{
	struct batch_slot *b = batch_of_cpu(m->btf);
	struct vm_event *e;

	if (b && (read_once_u32(batching) || b->n)) {
		b->busy = 1;
		barrier();
		batch_event(b, w, tid, prev, c, sc, m);
		if (!read_once_u32(batching)) {
			send_batch(b, c, sc);
		} else if (b->n && !b->armed && !arm_batch(b)) {
			b->unpinned = 1;	/* sent now, and records alone from here on */
			send_batch(b, c, sc);
		}
		barrier();
		b->busy = 0;
		return;
	}
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		c->dropped++;
		return;
	}
	fill(e, w, tid, prev, sc, m);
	bpf_ringbuf_submit(e, wakeup_flag(sc));
}

/*
 * The user chain by frame pointers from the user registers: each frame's
 * [fp] is the caller's fp, [fp + 8] the return address. ~190 ns a fault
 * here, where the kernel's user unwinder (BPF_F_USER_STACK) costs ~6.5 us.
 * It stops at a zero fp (the outermost frame), a read that fails (a page
 * not present: no sleeping here), or an fp that does not grow (code
 * without frame pointers saved something else in its place).
 */
static __always_inline void walk_user(struct vm_event_stack *s, __u64 ip, __u64 fp)
{
	__u32 n = 1;

	s->user_ips[0] = ip;
	for (int i = 1; i < VM_STACK_USER_MAX; i++) {
		__u64 frame[2];

		if (!fp) {
			s->flags |= VM_STACK_USER_ZERO_FP;
			break;
		}
		if ((fp & 7) || bpf_probe_read_user(frame, sizeof(frame), (void *)fp) ||
		    !frame[1])
			break;
		s->user_ips[i] = frame[1];
		n = i + 1;
		if (frame[0] && frame[0] <= fp)
			break;
		fp = frame[0];
	}
	if (n == VM_STACK_USER_MAX)
		s->flags |= VM_STACK_USER_FULL;
	s->nr_user = n;
}

/*
 * A user fault's tracepoint regs are the user registers. Otherwise (a
 * kernel fault, a TLB event) they are the task's saved at kernel entry,
 * which only a BTF program can find; a kernel thread has none.
 */
static __always_inline void take_stacks(void *ctx, struct vm_event_stack *s, __u32 kind,
					struct pt_regs *regs, bool btf, struct event_mm *m,
					struct stream_scratch *sc)
{
	long bytes = bpf_get_stack(ctx, s->kernel_ips, sizeof(s->kernel_ips), 0);

	s->nr_kernel = bytes > 0 ? bytes / sizeof(__u64) : 0;
	s->flags = bytes == sizeof(s->kernel_ips) ? VM_STACK_KERNEL_FULL : 0;
	s->nr_user = 0;
	s->pad = 0;
	sc->walking_user = 1;
	if (kind == VM_FAULT_USER) {
		if (btf)
			walk_user(s, regs->ip, regs->bp);
		else
			walk_user(s, BPF_CORE_READ(regs, ip), BPF_CORE_READ(regs, bp));
	} else if (btf && event_mm(m)) {
		struct pt_regs *u = (struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf());

		walk_user(s, u->ip, u->bp);
	}
	sc->walking_user = 0;
}

/* A kept event with its stacks: the longer record. */
static __always_inline void emit_stack(void *ctx, const struct event_what *w, __u32 tid,
				       const struct vm_translation *prev, struct vm_counters *c,
				       struct stream_scratch *sc, struct event_mm *m,
				       struct pt_regs *regs, bool btf)
{
	struct vm_event_stack *s = bpf_ringbuf_reserve(&events, sizeof(*s), 0);

	if (!s) {
		c->dropped++;
		return;
	}
	fill(&s->e, w, tid, prev, sc, m);
	take_stacks(ctx, s, w->kind, regs, btf, m, sc);
	bpf_ringbuf_submit(s, wakeup_flag(sc));
}

static __always_inline int stream_event(void *ctx, __u32 kind, __u64 addr, struct pt_regs *regs,
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
	if (with_stacks && sc->walking_user)
		return 0;	/* a fault of kvas's own stack walk, nested here */
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
	if (with_stacks)
		emit_stack(ctx, &w, tid, translated ? &prev : NULL, c, sc, &m, regs, btf);
	else
		emit(&w, tid, translated ? &prev : NULL, c, sc, &m);
	/* Only a fault that was kept is translated at its thread's next event. */
	if (kind != VM_TLB_FLUSH)
		mark_pending(&sc->ft, tid, tgid, addr, &m);
	return 0;
}

/* The shared programs call on_event(...): here it takes their ctx too, for stacks. */
#define on_event(...) stream_event(ctx, __VA_ARGS__)
#include "vm_programs.bpf.h"

/* -- COMMAND: a followed process's child is followed (threads share its tgid). */
static __always_inline int follow_fork(__u32 parent_tgid, __u32 child_tgid)
{
	__u8 yes = 1;

	if (parent_tgid != child_tgid && bpf_map_lookup_elem(&follow_tgids, &parent_tgid))
		bpf_map_update_elem(&follow_tgids, &child_tgid, &yes, BPF_NOEXIST);
	return 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(follow_fork_btf, struct task_struct *parent, struct task_struct *child)
{
	return follow_fork(parent->tgid, child->tgid);
}

SEC("raw_tp/sched_process_fork")
int BPF_PROG(follow_fork_raw, struct task_struct *parent, struct task_struct *child)
{
	return follow_fork(BPF_CORE_READ(parent, tgid), BPF_CORE_READ(child, tgid));
}
