/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A bounded x86-64 page-table walk for BPF programs, through the direct map:
 * each table is read at page_offset_base + (entry & pa_mask).
 */
#ifndef KVAS_PGWALK_BPF_H
#define KVAS_PGWALK_BPF_H

#include "uwalk_shared.h"
#include "x86_pgtable.h"

struct pgwalk_cfg {
	__u64 page_offset_base;
	__u64 pa_mask;
	__u32 levels;
};

/*
 * Walk from pgd for va. Records each entry in steps when it is not NULL.
 * Returns UWALK_OK with *pa (offset included) and *shift of the leaf, or
 * UWALK_NOT_PRESENT / UWALK_READ_FAILED.
 */
static __always_inline int pgwalk(const struct pgwalk_cfg *cfg, __u64 pgd, __u64 va,
				  struct uwalk_step *steps, __u32 *nr_steps,
				  __u64 *pa, __u32 *shift_out)
{
	__u64 table = pgd;

	for (int lvl = 0; lvl < 5 && lvl < (int)cfg->levels; lvl++) {
		int shift = PT_LEVEL_SHIFT(cfg->levels, lvl);
		__u32 index = PT_INDEX(va, shift);
		__u64 entry;

		if (bpf_probe_read_kernel(&entry, sizeof(entry), (void *)(table + index * 8)))
			return UWALK_READ_FAILED;
		if (steps) {
			steps[lvl].index = index;
			steps[lvl].table_va = table;
			steps[lvl].entry = entry;
			*nr_steps = lvl + 1;
		}
		if (!(entry & PTE_PRESENT))
			return UWALK_NOT_PRESENT;
		if (PT_IS_LEAF(entry, shift)) {
			__u64 size = 1ULL << shift;

			*pa = ((entry & cfg->pa_mask) & ~(size - 1)) | (va & (size - 1));
			*shift_out = shift;
			return UWALK_OK;
		}
		table = cfg->page_offset_base + (entry & cfg->pa_mask);
	}
	return UWALK_READ_FAILED;
}

#endif
