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

extern void *bpf_rdonly_cast(const void *obj, __u32 btf_id) __ksym __weak;

/*
 * A page-table entry, through the direct map. Under tp_btf, where the kernel
 * has bpf_rdonly_cast (6.2+), a plain load that the JIT guards as it does a
 * BTF pointer's (a fault reads 0, which no present entry is): a translation
 * costs ~27 ns less than through bpf_probe_read_kernel's call (bench/README.md,
 * record-overhead). Any struct whose first member is an unsigned long would
 * do for the cast; rb_node's has been so since 2.6. Without the kfunc the
 * verifier drops this branch (knobs is read-only), so 6.1 loads the object.
 */
static __always_inline bool table_entry(__u64 addr, bool btf, __u64 *entry)
{
	if (btf && knobs.direct_reads) {
		*entry = ((struct rb_node *)bpf_rdonly_cast((void *)addr,
				bpf_core_type_id_kernel(struct rb_node)))->__rb_parent_color;
		return true;
	}
	return !bpf_probe_read_kernel(entry, sizeof(*entry), (void *)addr);
}

/*
 * Faults come in runs through one page table (a storm, a memset): the PMD
 * entry of the last walk is remembered and, while it still reads the same,
 * the walk goes straight to the PTE, two reads instead of four or five. To
 * fool this, a PMD table freed meanwhile would have to hold the very same
 * entry at the very same place.
 *
 * The PTE is read through the remembered entry rather than the one just
 * read, so that the two loads overlap; it counts only if the PMD still
 * reads the same. Returns UWALK_*, or -1 where the PMD changed.
 */
static __always_inline int walk_from_pmd(const struct fault_translator *ft, __u64 va, bool btf,
					 __u64 *pa, __u32 *shift)
{
	__u64 entry, pte;
	bool pte_read = table_entry(knobs.page_offset_base + (ft->walk_pmd & knobs.pa_mask) +
				    PT_INDEX(va, X86_PAGE_SHIFT) * sizeof(pte), btf, &pte);

	if (!table_entry(ft->walk_pmd_addr, btf, &entry) || entry != ft->walk_pmd)
		return -1;
	if (!pte_read)
		return UWALK_READ_FAILED;
	if (!(pte & PTE_PRESENT))
		return UWALK_NOT_PRESENT;
	*pa = (pte & knobs.pa_mask & PTE_ADDR_MASK) | (va & ((1ULL << X86_PAGE_SHIFT) - 1));
	*shift = X86_PAGE_SHIFT;
	return UWALK_OK;
}

static __always_inline int walk_cached(struct fault_translator *ft, __u64 mm, __u64 pgd,
				       __u64 va, bool btf, __u64 *pa, __u32 *shift)
{
	struct pgwalk_cfg cfg = { knobs.page_offset_base, knobs.pa_mask, knobs.levels };
	struct uwalk_step steps[8];
	__u32 n = 0, i;
	int ret;

	if (ft->walk_mm == mm && ft->walk_va_2m == va >> PMD_SHIFT) {
		ret = walk_from_pmd(ft, va, btf, pa, shift);
		if (ret >= 0)
			return ret;
	}
	ret = pgwalk(&cfg, pgd, va, steps, &n, pa, shift);
	if (ret != UWALK_OK || *shift != X86_PAGE_SHIFT || n < 2)
		return ret;
	i = n - 2;	/* the PMD: the step above the 4K leaf */
	barrier_var(i);
	ft->walk_mm = mm;
	ft->walk_va_2m = va >> PMD_SHIFT;
	ft->walk_pmd_addr = steps[i & 7].table_va + steps[i & 7].index * sizeof(__u64);
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
	if (walk_cached(ft, mm, pgd, out->addr, m->btf, &pa, &shift) == UWALK_OK) {
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
