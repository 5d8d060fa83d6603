// SPDX-License-Identifier: GPL-2.0
/*
 * The page-table walk source. Walks the kernel half of current->mm->pgd
 * through the direct map:
 *  - paging levels: the mode under which the walk maps the pgd page and the
 *    VMCOREINFO note back to their known physical addresses;
 *  - _text: the first present PMD of the kernel-image window, because
 *    cleanup_highmap() clears every PMD below _text at boot;
 *  - phys_base = PA(_text) - (_text - __START_KERNEL_map).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "layout_probe.h"
#include "kread.h"
#include "pagewalk.h"
#include "x86_layout.h"

static bool maps_to(const struct walk_params *p, uint64_t va, uint64_t pa)
{
	struct walk_result res;

	return !pagewalk(p, va, &res) && res.pa == pa;
}

/* Which paging mode explains the known VA->PA pairs; 0 if neither or both. */
static int find_levels(struct discovery *d, struct walk_params *p,
		       uint64_t pgd, uint64_t base)
{
	int found = 0;

	for (int levels = 4; levels <= 5; levels++) {
		p->levels = levels;
		if (!maps_to(p, pgd, pgd - base))
			continue;
		if (d->vmcoreinfo_sysfs &&
		    !maps_to(p, base + d->vmcoreinfo_pa, d->vmcoreinfo_pa))
			continue;
		if (found)
			return 0;
		found = levels;
	}
	return found;
}

/* The first present 2 MiB entry of the kernel-image window. */
static int find_text(struct discovery *d, struct walk_params *p, uint64_t *text)
{
	static uint64_t pmd[512];
	struct walk_result res;
	const struct walk_step *st;

	pagewalk(p, START_KERNEL_MAP, &res);
	if (res.nr_steps < 2)
		return -ENOENT;
	st = &res.steps[res.nr_steps - 1];
	if (strcmp(st->name, "PMD"))
		return -ENOENT;
	if (kread_bytes(d->kr, st->table_va, pmd, sizeof(pmd)))
		return -EFAULT;
	for (unsigned int i = st->index; i < 512; i++) {
		if (pmd[i] & PTE_PRESENT) {
			*text = START_KERNEL_MAP + (uint64_t)(i - st->index) * 2 * MB;
			return 0;
		}
	}
	return -ENOENT;
}

int source_pagewalk(struct discovery *d)
{
	struct layout *out = source_target(d, LS_PAGEWALK);
	struct walk_params p = { .read_u64 = kread_u64 };
	struct walk_result res;
	struct kread_context kc;
	uint64_t base, pgd, text;
	int levels;

	if (!discovery_value(d, LF_PAGE_OFFSET_BASE, &base)) {
		source_unavailable(out, LS_PAGEWALK,
				   "page_offset_base unknown: cannot read page tables through the direct map");
		return -ENOENT;
	}
	if (!discovery_kread(d) || kread_context(d->kr, &kc)) {
		source_unavailable(out, LS_PAGEWALK, "cannot run the BPF reader: %s",
				   strerror(errno));
		return -EIO;
	}
	pgd = kc.pgd;
	p.ctx = d->kr;
	p.pgd_va = pgd;
	p.page_offset_base = base;
	p.pa_mask = PTE_ADDR_MASK & ~d->sme_mask;

	levels = find_levels(d, &p, pgd, base);
	if (!levels) {
		source_unavailable(out, LS_PAGEWALK,
				   "no paging mode maps mm->pgd 0x%llx back to itself through 0x%llx",
				   (unsigned long long)pgd, (unsigned long long)base);
		return -EINVAL;
	}
	p.levels = levels;
	layout_claim(out, LF_PAGING_LEVELS, LS_PAGEWALK, levels, 0,
		     "a %d-level walk maps mm->pgd%s back to its PA", levels,
		     d->vmcoreinfo_sysfs ? " and the vmcoreinfo note" : "");
	layout_claim(out, LF_PAGE_OFFSET_BASE, LS_PAGEWALK, base, levels,
		     "walking mm->pgd 0x%llx gives PA 0x%llx = pgd - base",
		     (unsigned long long)pgd, (unsigned long long)(pgd - base));

	if (find_text(d, &p, &text)) {
		source_unavailable(out, LS_PAGEWALK,
				   "no present PMD in the kernel-image window");
		return 0;
	}
	layout_claim(out, LF_TEXT, LS_PAGEWALK, text, levels,
		     "first present PMD above __START_KERNEL_map");
	layout_claim(out, LF_TEXT_SLIDE, LS_PAGEWALK,
		     text - discovery_start_kernel(d), levels,
		     "_text - __START_KERNEL (0x%llx)",
		     (unsigned long long)discovery_start_kernel(d));
	if (pagewalk(&p, text, &res)) {
		source_unavailable(out, LS_PAGEWALK, "walk of _text failed: %s",
				   walk_status_str(res.status));
		return 0;
	}
	layout_claim(out, LF_PHYS_BASE, LS_PAGEWALK,
		     res.pa - (text - START_KERNEL_MAP), levels,
		     "PA(_text) 0x%llx - (_text - __START_KERNEL_map)",
		     (unsigned long long)res.pa);
	return 0;
}
