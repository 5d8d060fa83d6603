/* SPDX-License-Identifier: GPL-2.0 */
/* Shared between bpf/vmevents.bpf.c and userspace: page faults and TLB flushes. */
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
	__u64 sampled_away;		/* trace: -c / -F kept them out */
	__u64 dropped;			/* trace: the ring buffer was full */
	__u64 translated;
	__u64 translate_failed;
	__u64 task_inserts;		/* keys added to the task table: minus its entries, evictions */
	__u64 batches_flushed;		/* into the task table: top's reads settle on it */
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

/* Frames kept of the first remote flush request's kernel stack. */
#define VM_SEND_PATH_FRAMES 12

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
 * Per-CPU working state of the BPF program. top reads recent[], and adds the
 * batch not yet flushed into the task table: counting into the batch costs
 * no hash lookup and no atomic on the fault path. The counters live here
 * too, so that one read gives each CPU's totals and batch at one instant.
 */
struct vm_cpu_state {
	struct vm_counters counters;
	__u64 nth;			/* events seen, for -c */
	__u64 faults_to_sample;		/* faults until the next translated one */
	__u64 pending_addr, pending_mm;
	__u32 pending_tid, pending_tgid;
	__u32 recent_next;
	__u32 batch_events;
	__u32 wakeup_check;		/* events since the ring's fill was last checked */
	__u32 who_tid;			/* whose comm and cgroup are cached below */
	__u64 who_mm, who_at, who_cgroup;
	char who_comm[16];
	/* the last walk's PMD entry, so that the next fault in that 2M skips three reads */
	__u64 walk_mm, walk_va_2m, walk_pmd_addr, walk_pmd;
	struct vm_task_key batch_key;	/* valid while batch_events != 0 (tgid 0 is idle) */
	/* the cgroup key of the task with this css_set and nsproxy (a move changes either) */
	__u64 key_cset, key_nsproxy, key;
	struct vm_task_stats batch;
	struct vm_recent recent[VM_RECENT];
};

_Static_assert(sizeof(struct vm_translation) == 32, "vm_translation layout");
_Static_assert(sizeof(struct vm_event) == 40 + 16 + 16 + 32, "vm_event layout");

#endif
