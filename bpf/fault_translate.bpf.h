/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A fault's address translated after it resolved: the fault marks its
 * address as pending on this CPU, and the same thread's next event here
 * walks its page tables for it. Both event objects translate: top a sample
 * of faults, trace every fault it keeps.
 */
#ifndef KVAS_FAULT_TRANSLATE_BPF_H
#define KVAS_FAULT_TRANSLATE_BPF_H

#include "vm_knobs.bpf.h"
#include "x86_pgtable.h"
#include "pgwalk.bpf.h"

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

/* A CPU's translation in waiting, and the PMD entry of its last walk. */
struct fault_translator {
	__u64 pending_addr, pending_mm;
	__u32 pending_tid, pending_tgid;
	__u64 walk_mm, walk_va_2m, walk_pmd_addr, walk_pmd;
};

/*
 * Faults come in runs through one page table (a storm, a memset): the PMD
 * entry of the last walk is remembered and, while it still reads the same,
 * the walk goes straight to the PTE, two reads instead of four or five. To
 * fool this, a PMD table freed meanwhile would have to hold the very same
 * entry at the very same place.
 */
static __always_inline int walk_cached(struct fault_translator *ft, __u64 mm, __u64 pgd,
				       __u64 va, __u64 *pa, __u32 *shift)
{
	struct pgwalk_cfg cfg = { knobs.page_offset_base, knobs.pa_mask, knobs.levels };
	struct uwalk_step steps[8];
	__u64 entry, pte;
	__u32 n = 0, i;
	int ret;

	if (ft->walk_mm == mm && ft->walk_va_2m == va >> PMD_SHIFT &&
	    !bpf_probe_read_kernel(&entry, sizeof(entry), (void *)ft->walk_pmd_addr) &&
	    entry == ft->walk_pmd) {
		if (bpf_probe_read_kernel(&pte, sizeof(pte), (void *)(knobs.page_offset_base +
					  (entry & knobs.pa_mask) +
					  PT_INDEX(va, X86_PAGE_SHIFT) * sizeof(pte))))
			return UWALK_READ_FAILED;
		if (!(pte & PTE_PRESENT))
			return UWALK_NOT_PRESENT;
		*pa = (pte & knobs.pa_mask & PTE_ADDR_MASK) |
		      (va & ((1ULL << X86_PAGE_SHIFT) - 1));
		*shift = X86_PAGE_SHIFT;
		return UWALK_OK;
	}
	ret = pgwalk(&cfg, pgd, va, steps, &n, pa, shift);
	if (ret != UWALK_OK || *shift != X86_PAGE_SHIFT || n < 2)
		return ret;
	i = n - 2;	/* the PMD: the step above the 4K leaf */
	barrier_var(i);
	ft->walk_mm = mm;
	ft->walk_va_2m = va >> PMD_SHIFT;
	ft->walk_pmd_addr = steps[i & 7].table_va + steps[i & 7].index * sizeof(entry);
	ft->walk_pmd = steps[i & 7].entry;
	return ret;
}

/*
 * Finish the pending translation of this thread's previous fault: true,
 * with *out set (out->page_shift 0: not mapped); false when none was
 * pending for this thread, or its process exec'd since.
 */
static __always_inline bool translate_pending(struct fault_translator *ft, __u32 tid,
					      struct vm_counters *c,
					      struct vm_translation *out, struct event_mm *m)
{
	__u64 mm, pgd, pa = 0;
	__u32 shift = 0;

	if (!ft->pending_addr || ft->pending_tid != tid)
		return false;
	mm = event_mm(m);
	out->addr = ft->pending_addr;
	out->tid = tid;
	out->tgid = ft->pending_tgid;
	ft->pending_addr = 0;
	if (!mm || mm != ft->pending_mm)
		return false;	/* exec'd meanwhile: the address means nothing now */
	pgd = mm_pgd(mm, m->btf);
	if (walk_cached(ft, mm, pgd, out->addr, &pa, &shift) == UWALK_OK) {
		out->pa = pa;
		out->page_shift = shift;
		c->translated++;
	} else {
		c->translate_failed++;
	}
	return true;
}

static __always_inline void mark_pending(struct fault_translator *ft, __u32 tid,
					 __u32 tgid, __u64 addr, struct event_mm *m)
{
	ft->pending_addr = addr;
	ft->pending_tid = tid;
	ft->pending_tgid = tgid;
	ft->pending_mm = event_mm(m);
}

#endif
