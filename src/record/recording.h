/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A recording of kvas record, in memory: what kvas.data holds
 * (src/record/kvas_data.c reads and writes it) and what kvas report and its
 * outputs (text, JSON, folded stacks, flame graph, Perfetto) read. Pure
 * data: everything a report needs is in it, so that a report on another
 * machine, after the recorded processes and binaries are gone, says what
 * one on the recording machine would.
 */
#ifndef KVAS_RECORDING_H
#define KVAS_RECORDING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dmap_shared.h"
#include "vmevents_shared.h"

#define REC_NO_STACK UINT32_MAX

/* One event: a page fault, a TLB event, or a direct-map change. */
struct rec_event {
	uint64_t ts_ns;			/* CLOCK_MONOTONIC (meta mono_start_ns and boot_start_ns convert) */
	uint64_t addr;			/* faults: the faulting address; TLB: 0 */
	uint64_t ip;			/* faults: the instruction pointer */
	uint64_t arg;			/* faults: the error code; TLB: pages (UINT64_MAX: full) */
	uint64_t cgroup;		/* the task's cgroup key (include/cgroup_key.h) */
	uint64_t pa;			/* the page's physical address, once translated */
	uint32_t pid, tid, cpu;
	uint32_t stack;			/* index in stacks[], or REC_NO_STACK */
	uint16_t kind;			/* enum vm_event_kind: VM_FAULT_USER, VM_FAULT_KERNEL, VM_TLB_FLUSH */
	uint8_t reason;			/* TLB: the kernel's tlb_flush_reason */
	uint8_t tlb_class;		/* TLB: enum tlb_class */
	uint8_t page_shift;		/* 12, 21, 30; 0: not translated (pa means nothing) */
	uint8_t pad[7];
};

#define REC_STACK_USER_CUT	1	/* the user chain ended before an outermost frame */
#define REC_STACK_KERNEL_CUT	2	/* the kernel chain was longer than kept */

/* A call chain, leaf first: kernel frames, then user frames. */
struct rec_stack {
	uint32_t nr_kernel, nr_user;
	uint32_t flags;			/* REC_STACK_* */
	uint64_t *ips;			/* nr_kernel + nr_user */
};

/*
 * What an ip is called, resolved at record time: kernel ips (pid 0) from
 * kallsyms, user ips from the mapped file's symbols. A frame without a
 * name is shown as its module and offset, or its address.
 */
struct rec_frame {
	uint32_t pid;			/* 0: kernel */
	uint64_t ip;
	char *function;			/* "do_anonymous_page"; NULL: not known */
	uint64_t offset;		/* ip - the function's start */
	char *module;			/* "libc.so.6", "vmlinux", "[kvm]"; NULL: not known */
	uint64_t module_offset;		/* ip's offset in the module's file */
};

struct rec_process {
	uint32_t pid, ppid;
	char *comm;
	char *cmdline;			/* NUL-separated arguments joined by spaces; NULL: not read */
	uint64_t cgroup;		/* its cgroup key at first sight */
};

struct rec_thread {
	uint32_t pid, tid;
	char comm[16];
};

struct rec_cgroup {
	uint64_t key;
	char *path;			/* "/system.slice/docker-....scope"; NULL: not known */
	char *container;		/* the container's name or id; NULL: none */
};

/* A mapping of a recorded process, from /proc/PID/maps at record time. */
struct rec_mapping {
	uint32_t pid;
	uint64_t start, end, pgoff;
	char perms[5];			/* "r-xp" */
	char *name;			/* the path, "[heap]", "[stack]", "[anon]" */
};

/*
 * A change to the direct map's page attributes (kvas record, where the
 * kernel lets it hook the functions that make them: meta "dmap_changes").
 */
struct rec_dmap_change {
	uint64_t ts_ns;			/* CLOCK_MONOTONIC, as events' */
	uint64_t addr;			/* the first page: see addr_kind */
	uint64_t va, pa;		/* the first page in the direct map, resolved at record time; va 0: not */
	uint64_t pages;			/* how many pages the change asked for */
	uint64_t mask_set, mask_clr;	/* page-table bits set and cleared (function DMAP_CHANGE_CPA) */
	uint64_t cgroup;		/* the task's cgroup key */
	uint32_t pid, tid;
	uint32_t stack;			/* index in stacks[] (kernel frames only), or REC_NO_STACK */
	uint32_t cpa_flags;		/* the kernel's CPA_* flags (DMAP_CHANGE_CPA) */
	uint16_t function;		/* enum dmap_change_kind: the hooked function */
	uint8_t addr_kind;		/* enum dmap_addr_kind: addr is a VA or a struct page pointer */
	uint8_t primary;		/* 0: the alias of another change (CPA) */
	char comm[16];
};

/* What a change did to its pages, from its function and masks. */
enum rec_dmap_effect {
	REC_DMAP_PERMISSIONS,		/* read/write, execute, global or cache bits */
	REC_DMAP_NOT_PRESENT,		/* taken out of the direct map */
	REC_DMAP_PRESENT,		/* put back */
	REC_DMAP_NR_EFFECTS,
};

/* Key-value facts of the run and the machine: see kvas_data.h for the keys. */
struct rec_meta {
	char *key, *value;
};

struct recording {
	struct rec_meta *meta;		size_t nr_meta;
	struct rec_event *events;	size_t nr_events;
	struct rec_stack *stacks;	size_t nr_stacks;
	struct rec_frame *frames;	size_t nr_frames;
	struct rec_process *processes;	size_t nr_processes;
	struct rec_thread *threads;	size_t nr_threads;
	struct rec_cgroup *cgroups;	size_t nr_cgroups;
	struct rec_mapping *mappings;	size_t nr_mappings;
	struct rec_dmap_change *dmap_changes;	size_t nr_dmap_changes;
};

/* A meta value, or NULL. */
const char *recording_meta(const struct recording *r, const char *key);
/* The frame of (pid, ip): pid 0 for a kernel ip; NULL when not recorded. */
const struct rec_frame *recording_frame(const struct recording *r, uint32_t pid, uint64_t ip);
const struct rec_process *recording_process(const struct recording *r, uint32_t pid);
const struct rec_thread *recording_thread(const struct recording *r, uint32_t tid);
const struct rec_cgroup *recording_cgroup(const struct recording *r, uint64_t key);
/* The mapping of pid that holds addr, or NULL. */
const struct rec_mapping *recording_mapping(const struct recording *r, uint32_t pid, uint64_t addr);
/*
 * What the frame (pid, ip) is called: its function, else module+0xoff,
 * else 0xaddr (in buf). A kernel ip (the upper half) is looked up as pid 0's.
 */
const char *recording_frame_name(const struct recording *r, uint32_t pid, uint64_t ip,
				 char *buf, size_t len);
/*
 * The kernel frames a stack taken in a tracepoint program starts with that
 * are the tracing's own (__traceiter_page_fault_user, bpf_trace_run2), not
 * the work that raised the event: a report skips them, as perf does.
 */
uint32_t recording_tracing_frames(const struct recording *r, const struct rec_stack *s);
/* "__change_page_attr_set_clr", ...: the hooked function's name; "unknown" past the known ones. */
const char *recording_dmap_function(uint16_t function);
enum rec_dmap_effect recording_dmap_effect(const struct rec_dmap_change *c);
/* "permissions", "not present", "present" */
const char *recording_dmap_effect_name(enum rec_dmap_effect e);
struct tlb_reasons;
/*
 * The kernel's TLB reason names as record wrote them (meta "tlb_reasons":
 * "0=TLB_FLUSH_ON_TASK_SWITCH,1=..."), into t: false when absent (t then
 * names every reason "reason N"); a malformed item names nothing.
 */
bool recording_tlb_reasons(const struct recording *r, struct tlb_reasons *t);
/*
 * Sort what the lookups above search (frames by pid and ip, processes,
 * threads, cgroups, mappings): once, after reading or building.
 */
void recording_index(struct recording *r);
void recording_free(struct recording *r);

#endif
