/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared between the direct-map BPF programs (bpf/dmap_*.bpf.c) and kvas:
 * the runs of the page-table walk, and the page-attribute changes.
 */
#ifndef KVAS_DMAP_SHARED_H
#define KVAS_DMAP_SHARED_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define DMAP_RUNS_MAX	1024		/* runs per chunk of the walk (power of two) */
#define DMAP_WALK_STEPS	16384		/* table entries read per chunk */

/* A run's flags: what its entries say. */
#define DMAP_PRESENT	(1 << 0)
#define DMAP_RW		(1 << 1)
#define DMAP_NX		(1 << 2)
#define DMAP_GLOBAL	(1 << 3)

/* Leaves of one size and one set of flags, contiguous in VA (and PA). */
struct dmap_run {
	__u64 va, pa, bytes;
	__u32 shift;		/* 12, 21, 30; upper levels for holes */
	__u32 flags;
};

/* Where the walk is: the address, its level, and the table at each level. */
struct dmap_walk_state {
	__u64 va;
	__u64 tables[8];
	__u32 lvl;
	__u32 pad;
};

enum dmap_change_kind {
	DMAP_CHANGE_CPA,	/* __change_page_attr_set_clr */
	DMAP_CHANGE_INVALID,	/* set_direct_map_invalid_noflush */
	DMAP_CHANGE_DEFAULT,	/* set_direct_map_default_noflush */
	DMAP_NR_CHANGE_KINDS,
};

/* How a change names its first page. */
enum dmap_addr_kind {
	DMAP_ADDR_VA,		/* a virtual address */
	DMAP_ADDR_PAGE,		/* a struct page pointer (vmemmap) */
};

#define DMAP_STACK_DEPTH 16

struct dmap_change {
	__u64 ts;
	__u64 cgroup;
	__u64 addr;		/* see addr_kind */
	__u64 pages;
	__u64 mask_set, mask_clr;	/* pgprot bits (CPA) */
	__u32 pid, tid;
	__u32 kind;
	__u32 addr_kind;
	__u32 primary;		/* 0: the alias of another change (CPA) */
	__u32 cpa_flags;
	__s32 stack_bytes;	/* bpf_get_stack's result */
	__u32 pad;
	char comm[16];
	__u64 stack[DMAP_STACK_DEPTH];
};

#endif
