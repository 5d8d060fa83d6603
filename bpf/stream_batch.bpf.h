/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A ring-buffer record of its own costs an event ~100 ns more than its share
 * of a batch (the reserve's lock, the header, the commit): kvas trace's and
 * record's plain records go STREAM_BATCH at a time (bench/README.md,
 * record-overhead). Each CPU fills its own slot and sends it full, or when
 * its timer (pinned to the CPU, armed by the batch's first event) finds it
 * BATCH_WAIT_NS old: the reader polls every 100 ms anyway. busy keeps out a
 * program nested in another's use of the slot (the kernel fault of a probe
 * read, a flush IPI during the timer's run): that one sends its record
 * alone. Where timers cannot be pinned (before 6.7) records go alone.
 * A batch holds struct vm_event_entry, one cache line where a record alone
 * takes 104 bytes: who the thread is goes once per thread and CPU (VM_WHO).
 * 64 of them make a 4 KiB copy into the ring buffer, whose lock and header
 * are then paid once per 64 events.
 * Included by bpf/vm_stream.bpf.c after its maps, wakeup_flag() and
 * current_who().
 */
#ifndef KVAS_STREAM_BATCH_BPF_H
#define KVAS_STREAM_BATCH_BPF_H

#define STREAM_BATCH 64
#define BATCH_WAIT_NS 10000000ULL
#ifndef CLOCK_MONOTONIC
#define CLOCK_MONOTONIC 1
#endif

struct batch_slot {
	struct bpf_timer timer;
	__u32 n;			/* events in ev */
	__u32 busy;			/* a program of this CPU is using the slot */
	__u32 armed;			/* the timer is set */
	__u32 unpinned;			/* no CPU-pinned timer here (before 6.7): no batches */
	__u32 inited;			/* the timer's callback is set */
	__u32 pad;
	struct vm_event_entry ev[STREAM_BATCH];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);		/* userspace: one per possible CPU */
	__type(key, __u32);
	__type(value, struct batch_slot);
} batches SEC(".maps");

/*
 * Set by userspace, whose reader splits batches (vm_stream_reader()), and
 * cleared at the end: then each CPU's next event sends its batch, and its
 * timer sends the batch of a CPU that has none.
 */
__u32 batching;

static __always_inline void send_batch(struct batch_slot *b, struct vm_counters *c,
				       struct stream_scratch *sc)
{
	__u32 n = b->n;

	if (!n || n > STREAM_BATCH)
		return;
	if (bpf_ringbuf_output(&events, b->ev, n * sizeof(struct vm_event_entry),
			       wakeup_flag(sc))) {
		c->dropped += n;	/* VM_WHO entries too: not events, but rare */
		sc->who_batched = 0;	/* its VM_WHO went too: the next batch sends one */
	}
	b->n = 0;
}

static int batch_timeout(void *map, __u32 *key, struct batch_slot *b)
{
	__u32 zero = 0;
	struct stream_scratch *sc = bpf_map_lookup_elem(&cpu_scratch, &zero);
	struct vm_counters *c = bpf_map_lookup_elem(&cpu_counts, &zero);

	b->armed = 0;
	if (!sc || !c || *key != bpf_get_smp_processor_id())
		return 0;
	if (b->busy) {	/* nested in this CPU's program: later */
		if (!bpf_timer_start(&b->timer, BATCH_WAIT_NS, BPF_F_TIMER_CPU_PIN))
			b->armed = 1;
		return 0;
	}
	b->busy = 1;
	send_batch(b, c, sc);
	b->busy = 0;
	return 0;
}

/* The next free entry of the batch, the batch sent first when it is full. */
static __always_inline struct vm_event_entry *batch_next(struct batch_slot *b,
							 struct vm_counters *c,
							 struct stream_scratch *sc)
{
	__u32 n;

	if (b->n >= STREAM_BATCH)
		send_batch(b, c, sc);
	n = b->n;
	barrier_var(n);
	b->n = n + 1;
	return &b->ev[n & (STREAM_BATCH - 1)];
}

/* The event into this CPU's batch, after who its thread is if that is new here. */
static __always_inline void batch_event(struct batch_slot *b, const struct event_what *w,
					__u32 tid, const struct vm_translation *prev,
					struct vm_counters *c, struct stream_scratch *sc,
					struct event_mm *m)
{
	__u64 now = bpf_ktime_get_ns();
	struct vm_event_entry *e;

	current_who(sc, tid, now, m);
	if (sc->who_batched != sc->who_gen) {
		struct vm_who_entry *who = (struct vm_who_entry *)batch_next(b, c, sc);

		who->ts = now;
		who->cgroup = sc->who_cgroup;
		__builtin_memcpy(who->comm, sc->who_comm, sizeof(who->comm));
		who->pid = w->tgid;
		who->tid = tid;
		who->cpu = bpf_get_smp_processor_id();
		who->kind = VM_WHO;
		sc->who_batched = sc->who_gen;
	}
	e = batch_next(b, c, sc);
	e->ts = now;
	e->addr = w->addr;
	e->ip = w->ip;
	e->arg = w->arg;
	e->pid = w->tgid;
	e->tid = tid;
	e->cpu = bpf_get_smp_processor_id();
	e->kind = w->kind;
	e->reason = w->reason;
	e->tlb_class = w->tlb_class;
	if (prev) {
		e->prev_addr = prev->addr;
		e->prev_pa = prev->pa;
		e->prev_shift = prev->page_shift;
	} else {
		e->prev_addr = 0;
		e->prev_pa = 0;
		e->prev_shift = 0;
	}
	if (b->n >= STREAM_BATCH)
		send_batch(b, c, sc);
}

/* This CPU's batch, if records may wait in it; NULL: send this one alone. */
static __always_inline struct batch_slot *batch_of_cpu(bool btf)
{
	__u32 cpu = bpf_get_smp_processor_id();
	struct batch_slot *b;

	/* timers only under tp_btf (not raw_tp), and no batches of stack records */
	if (!btf || with_stacks)
		return NULL;
	b = bpf_map_lookup_elem(&batches, &cpu);
	return b && !b->busy && !b->unpinned ? b : NULL;
}

/* The timer that sends the batch that waits BATCH_WAIT_NS; false: none on this kernel. */
static __always_inline bool arm_batch(struct batch_slot *b)
{
	if (!b->inited) {
		/* -EBUSY: initialised already (a run before), which is as good */
		bpf_timer_init(&b->timer, &batches, CLOCK_MONOTONIC);
		if (bpf_timer_set_callback(&b->timer, batch_timeout))
			return false;
		b->inited = 1;
	}
	if (bpf_timer_start(&b->timer, BATCH_WAIT_NS, BPF_F_TIMER_CPU_PIN))
		return false;
	b->armed = 1;
	return true;
}

#endif
