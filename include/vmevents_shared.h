/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared between the event objects (bpf/vm_count.bpf.c, bpf/vm_stream.bpf.c)
 * and userspace: page faults and TLB flushes, what the objects publish, and
 * the knobs set before load that both take.
 */
#ifndef KVAS_VMEVENTS_SHARED_H
#define KVAS_VMEVENTS_SHARED_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#include "task_counters.h"

enum vm_event_kind {
	VM_FAULT_USER = 0,
	VM_FAULT_KERNEL = 1,
	VM_TLB_FLUSH = 2,
	VM_TRANSLATION = 3,	/* a ring-buffer record only: a fault's page, once it resolved */
	VM_WHO = 4,		/* a batch entry only: who runs on its CPU from here on */
};

/* The tracepoint kinds: counted in events[], and what -e chooses from. */
#define VM_NR_TRACED 3

/* Bits of the record mask, and of -e. */
#define VM_MASK(kind) (1u << (kind))

/* Error-code classes: bit 0 write, bit 1 instruction fetch, bit 2 protection. */
#define FAULT_CLASS_WRITE	1
#define FAULT_CLASS_IFETCH	2
#define FAULT_CLASS_PROT	4
#define FAULT_NR_CLASSES	8

/* Where a kernel fault's address lies (userspace has the names). */
enum fault_region {
	FR_USER, FR_DIRECT_MAP, FR_VMALLOC, FR_VMEMMAP, FR_KERNEL_IMAGE,
	FR_MODULES, FR_OTHER, FR_NR,
};
/* Array sizes are powers of two: BPF indexes them with a mask the verifier trusts. */
#define FR_SLOTS 8

/*
 * tlb:tlb_flush reasons, by their values in the kernel's enum tlb_flush_reason
 * (names from BTF); newer kernels add more. The last slot counts every reason
 * at or beyond it.
 */
#define TLB_NR_REASONS 16
/*
 * Size buckets of flushes: 0 full flush, 1 none (a shootdown that found its
 * TLB already up to date), then 1, 2-3, 4-7, ... pages (log2).
 */
#define TLB_NR_SIZES 16

/*
 * What a tlb:tlb_flush event is (arch/x86/mm/tlb.c), decided in the kernel
 * from its reason and pages. Only the first two are flushes.
 */
enum tlb_class {
	TLBC_LOCAL,		/* task switch with a flush, local (mm) shootdown */
	TLBC_REMOTE,		/* a shootdown IPI received: the flush it asked for */
	TLBC_SENT,		/* a shootdown request sent to other CPUs */
	TLBC_NO_FLUSH,		/* task switch, the ASID up to date: no flush */
	TLBC_OTHER,		/* any other reason (remote wrong CPU, newer ones) */
	TLBC_NR,
};
#define TLBC_SLOTS 8

struct vm_counters {
	__u64 events[VM_NR_TRACED];
	__u64 fault_class[2][FAULT_NR_CLASSES];	/* [user/kernel][class] */
	__u64 kernel_region[FR_SLOTS];
	__u64 tlb_reason[TLB_NR_REASONS];	/* every event, by its reason */
	__u64 tlb_class[TLBC_SLOTS];
	__u64 tlb_size[TLB_NR_SIZES];		/* flushes only */
	__u64 sampled_away;		/* streaming: -c / -F kept them out */
	__u64 dropped;			/* streaming: the ring buffer was full */
	__u64 translated;
	__u64 translate_failed;
	__u64 task_inserts;		/* counting: keys added to the task table (minus its entries: evictions) */
	__u64 batches_flushed;		/* counting: into the task table; top's reads settle on it */
};

struct vm_task_key {
	__u32 tgid;
	__u32 pad;
	__u64 cgroup;
};

/* One process in one cgroup: its counters come from include/task_counters.h. */
#define TC_STATS_FIELD(f, ...) __u64 f;
struct vm_task_stats {
	TASK_COUNTERS(TC_STATS_FIELD)
	char comm[16];
};
#undef TC_STATS_FIELD

/* A fault address, translated at its thread's next event (it had resolved). */
struct vm_translation {
	__u64 addr;
	__u64 pa;			/* with the offset inside the page */
	__u32 page_shift;		/* 12, 21 or 30; 0: not mapped */
	__u32 tid;
	__u32 tgid;
	__u32 pad;
};

struct vm_event {
	__u64 ts;
	__u64 cgroup;
	__u64 addr;			/* faults: address; tlb: 0 */
	__u64 ip;			/* faults: instruction pointer */
	__u64 arg;			/* faults: error code; tlb: pages (-1: full) */
	__u32 pid, tid;
	__u32 cpu;
	__u16 kind;
	__u8 reason;			/* tlb reason */
	__u8 tlb_class;			/* enum tlb_class */
	char comm[16];
	struct vm_translation prev;	/* prev.addr 0: none */
};

/* The kernel stack of the first remote flush request, taken once. */
#define VM_SEND_PATH_FRAMES 12
struct vm_send_path {
	__u64 ips[VM_SEND_PATH_FRAMES];
	__s64 bytes;			/* bpf_get_stack's answer: <= 0, none */
	__u32 taken;
	__u32 pad;
};

/*
 * The knobs both objects take, set before load: the layout (walks and
 * kernel fault regions need it), kvas's own process (its own work would
 * count, or its output feed back), whether --container filters.
 */
struct vm_knobs {
	__u64 page_offset_base;
	__u64 pa_mask;
	__u64 user_end;
	__u64 dmap_start, dmap_end;
	__u64 vmalloc_start, vmalloc_end;
	__u64 vmemmap_start, vmemmap_end;
	__u64 image_start, image_end, modules_end;
	__u32 levels;
	__u32 self_tgid;
	__u32 filter_containers;	/* the cgroup_filter map decides */
	__u32 direct_reads;		/* bpf_rdonly_cast: page tables read by plain loads */
};

#define VM_RECENT 8			/* translated faults kept per CPU for top */

/* A translated fault for top's recent panel, stamped so that CPUs merge by time. */
struct vm_recent {
	__u64 ts;
	struct vm_translation t;
};

/* --cgroup: a path names at most one cgroup per kind (include/cgroup_key.h). */
#define VM_CGROUP_TARGETS 4

/* Events a batch must hold before it is added to the task table. */
#define VM_BATCH_EVENTS 1024

/*
 * What the counting object (top, serve, audit) publishes per CPU: its
 * counters, the batch not yet added to the task table (counting into it
 * costs no hash lookup and no atomic on the fault path), and the newest
 * translated faults. One read of a CPU's value gives its totals and its
 * batch at one instant. The object's working state is in a map of its own.
 */
struct vm_cpu_counts {
	struct vm_counters counters;
	struct vm_task_key batch_key;	/* valid while batch_events != 0 (tgid 0 is idle) */
	__u32 batch_events;
	__u32 recent_next;
	struct vm_task_stats batch;
	struct vm_recent recent[VM_RECENT];
};

_Static_assert(sizeof(struct vm_translation) == 32, "vm_translation layout");
_Static_assert(sizeof(struct vm_event) == 40 + 16 + 16 + 32, "vm_event layout");

/*
 * A batched event: struct vm_event in one cache line, what the ring buffer
 * copies per event. Who the thread is (comm, cgroup) is not repeated: a
 * VM_WHO entry (struct vm_who_entry) comes before the first event of a new
 * thread, process image or cgroup on its CPU, and the events after it on
 * that CPU are that thread's until the next one. The translation's thread and
 * process are the event's own (the pending fault was this thread's, in
 * this mm). The reader (src/kernel/vm_stream.c) expands entries back into
 * struct vm_event. Told from the other records by length: a batch is a
 * multiple of this size, which the others are not.
 */
struct vm_event_entry {
	__u64 ts;
	__u64 addr;
	__u64 ip;
	__u64 arg;
	__u64 prev_addr;		/* the translation, as vm_event's prev */
	__u64 prev_pa;
	__u32 pid, tid;
	__u32 cpu;
	__u8 kind;
	__u8 reason;
	__u8 tlb_class;
	__u8 prev_shift;
};

struct vm_who_entry {
	__u64 ts;
	__u64 cgroup;
	char comm[16];
	__u64 pad[2];
	__u32 pid, tid;
	__u32 cpu;
	__u8 kind;			/* VM_WHO */
	__u8 pad2[3];
};

_Static_assert(sizeof(struct vm_event_entry) == 64, "vm_event_entry: one cache line");
_Static_assert(sizeof(struct vm_who_entry) == sizeof(struct vm_event_entry) &&
	       __builtin_offsetof(struct vm_who_entry, kind) ==
	       __builtin_offsetof(struct vm_event_entry, kind) &&
	       __builtin_offsetof(struct vm_who_entry, cpu) ==
	       __builtin_offsetof(struct vm_event_entry, cpu), "vm_who_entry layout");

/*
 * kvas record -g: a kept event with its call chain, leaf first: the kernel
 * frames (bpf_get_stack, the program's own frames first: userspace drops
 * them by name), then the user frames walked by frame pointers in BPF
 * (the first one the user ip itself). Told from a plain struct vm_event by
 * the ring-buffer record's length.
 */
#define VM_STACK_KERNEL_MAX	32
#define VM_STACK_USER_MAX	32
#define VM_STACK_KERNEL_FULL	1	/* the kernel chain filled its slots: maybe longer */
#define VM_STACK_USER_ZERO_FP	2	/* the user walk reached a zero frame pointer: outermost */
#define VM_STACK_USER_FULL	4	/* the user walk filled its slots: maybe longer */

struct vm_event_stack {
	struct vm_event e;
	__u32 nr_kernel, nr_user;
	__u32 flags;			/* VM_STACK_* */
	__u32 pad;
	__u64 kernel_ips[VM_STACK_KERNEL_MAX];
	__u64 user_ips[VM_STACK_USER_MAX];
};

/* -- COMMAND: the processes followed (the command's, then its children's). */
#define VM_FOLLOW_MAX 8192

_Static_assert(sizeof(struct vm_event_stack) == sizeof(struct vm_event) + 16 +
	       8 * (VM_STACK_KERNEL_MAX + VM_STACK_USER_MAX), "vm_event_stack layout");
_Static_assert(sizeof(struct vm_event) % sizeof(struct vm_event_entry) != 0 &&
	       sizeof(struct vm_event_stack) % sizeof(struct vm_event_entry) != 0,
	       "a batch's length tells it from a record alone");

#endif
