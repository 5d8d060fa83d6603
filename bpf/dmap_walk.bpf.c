// SPDX-License-Identifier: GPL-2.0
/*
 * The direct map's page tables, walked in chunks. kvas runs this program
 * with BPF_PROG_TEST_RUN (nothing is attached): each run reads at most
 * DMAP_WALK_STEPS table entries from walk_va, merges the leaves into runs of
 * one page size and one set of flags, and leaves walk_va where the next run
 * starts. The walk keeps the table of every level, so a 4K page costs one
 * read, not a walk from the top.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "dmap_shared.h"
#include "x86_pgtable.h"

char LICENSE[] SEC("license") = "GPL";

const volatile __u64 page_offset_base = 0;
const volatile __u64 pa_mask = 0;
const volatile __u32 levels = 4;

/* In: the top table (any mm's pgd: its kernel half is everyone's) and a range. */
__u64 walk_pgd, walk_va, walk_end;
/* Out. */
struct dmap_run runs[DMAP_RUNS_MAX];
__u32 nr_runs;
__s32 walk_err;
__u32 walk_done;

/*
 * The walk's state lives in .bss, not on the stack: verifiers before 6.7
 * check a bpf_loop callback once, with the caller's stack as it was before
 * the first call, and would take its zeroed level for a constant.
 */
struct dmap_walk_state state;

static __always_inline __u32 level_shift(__u32 lvl)
{
	return PT_LEVEL_SHIFT(levels, lvl);
}

/* Merge a leaf (or a hole) into the runs; false when they are full. */
static __always_inline bool add_leaf(__u64 va, __u64 pa, __u64 bytes, __u32 shift,
				     __u32 flags)
{
	__u32 n = nr_runs;
	struct dmap_run *r;

	if (n) {
		r = &runs[(n - 1) & (DMAP_RUNS_MAX - 1)];
		if (r->shift == shift && r->flags == flags && r->va + r->bytes == va &&
		    (!(flags & DMAP_PRESENT) || r->pa + r->bytes == pa)) {
			r->bytes += bytes;
			return true;
		}
	}
	if (n >= DMAP_RUNS_MAX)
		return false;
	r = &runs[n & (DMAP_RUNS_MAX - 1)];
	r->va = va;
	r->pa = pa;
	r->bytes = bytes;
	r->shift = shift;
	r->flags = flags;
	nr_runs = n + 1;
	return true;
}

static __always_inline __u32 leaf_flags(__u64 entry)
{
	if (!(entry & PTE_PRESENT))
		return 0;
	return DMAP_PRESENT | (entry & PTE_RW ? DMAP_RW : 0) |
	       (entry & PTE_NX ? DMAP_NX : 0) | (entry & PTE_GLOBAL ? DMAP_GLOBAL : 0);
}

/* One table entry: descend into a table, or record a leaf and move on. */
static int walk_step(__u32 i, void *ctx)
{
	struct dmap_walk_state *s = &state;
	__u32 lvl = s->lvl & 7, shift = level_shift(lvl);
	__u64 size = 1ULL << shift, end, entry, pa = 0;
	__u32 flags;

	if (s->va >= walk_end || lvl >= levels) {
		walk_done = 1;
		return 1;
	}
	if (bpf_probe_read_kernel(&entry, sizeof(entry),
				  (void *)(s->tables[lvl] + PT_INDEX(s->va, shift) * 8))) {
		walk_err = -14;	/* EFAULT */
		return 1;
	}
	if ((entry & PTE_PRESENT) && lvl + 1 < levels && !PT_IS_LEAF(entry, shift)) {
		s->tables[(lvl + 1) & 7] = page_offset_base + (entry & pa_mask & PTE_ADDR_MASK);
		s->lvl = lvl + 1;
		return 0;
	}
	/* A chunk may start inside a leaf that a split or collapse changed. */
	end = (s->va | (size - 1)) + 1;
	flags = leaf_flags(entry);
	if (flags)
		pa = (entry & pa_mask & ~(size - 1)) + (s->va & (size - 1));
	if (!add_leaf(s->va, pa, end - s->va, shift, flags))
		return 1;
	s->va = end;
	if (!end) {		/* wrapped past the top of the address space */
		walk_done = 1;
		return 1;
	}
	/* Leave every table whose last entry this was. */
	for (int k = 0; k < 5 && s->lvl > 0; k++) {
		if (PT_INDEX(end, level_shift(s->lvl)))
			break;
		s->lvl--;
	}
	return 0;
}

SEC("raw_tp")
int dmap_walk(void *ctx)
{
	state.va = walk_va;
	state.lvl = 0;
	state.tables[0] = walk_pgd;
	nr_runs = 0;
	walk_err = 0;
	walk_done = 0;
	bpf_loop(DMAP_WALK_STEPS, walk_step, NULL, 0);
	walk_va = state.va;
	return 0;
}
