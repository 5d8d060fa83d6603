// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "regions.h"
#include "x86_layout.h"

static void add(struct region_table *t, uint64_t start, uint64_t end,
		enum region_kind kind, const char *name, bool randomized)
{
	if (t->nr >= REGIONS_MAX || end < start)
		return;
	t->r[t->nr++] = (struct region){ start, end, kind, name, randomized };
}

static int by_start(const void *a, const void *b)
{
	const struct region *ra = a, *rb = b;

	return ra->start < rb->start ? -1 : ra->start > rb->start;
}

static uint64_t min_u64(uint64_t a, uint64_t b) { return a < b ? a : b; }

/* A randomized region ends at its maximum size or where the next one starts. */
static uint64_t region_end(uint64_t start, uint64_t max_size, uint64_t next)
{
	uint64_t end = start + max_size - 1;

	if (end < start)	/* wrapped past the top of the address space */
		end = UINT64_MAX;
	return next > start ? min_u64(end, next - 1) : end;
}

int regions_build(const struct region_input *in, struct region_table *t)
{
	bool l5 = in->levels == 5;
	uint64_t image = in->kernel_image_size ? in->kernel_image_size
					       : KERNEL_IMAGE_SIZE_KASLR;
	uint64_t user_end = l5 ? USER_END_L5 : USER_END_L4;
	uint64_t guard = l5 ? GUARD_HOLE_L5 : GUARD_HOLE_L4;
	uint64_t ldt = l5 ? LDT_BASE_L5 : LDT_BASE_L4;
	uint64_t ldt_size = l5 ? LDT_SIZE_L5 : LDT_SIZE_L4;
	uint64_t vmalloc = in->vmalloc_base, vmemmap = in->vmemmap_base;
	struct region_table sorted = { 0 };
	int n;

	if (in->levels != 4 && in->levels != 5)
		return -EINVAL;
	memset(t, 0, sizeof(*t));
	add(t, 0, user_end, REGION_USER, "user space", false);
	add(t, user_end + 1, guard - 1, REGION_NONCANONICAL,
	    "non-canonical addresses", false);
	add(t, guard, ldt - 1, REGION_GUARD_HOLE,
	    "guard hole, reserved for hypervisor", false);
	add(t, ldt, ldt + ldt_size - 1, REGION_LDT_REMAP, "LDT remap for PTI", false);
	if (in->page_offset_base)
		add(t, in->page_offset_base,
		    region_end(in->page_offset_base,
			       l5 ? DIRECT_MAP_MAX_L5 : DIRECT_MAP_MAX_L4,
			       vmalloc ? vmalloc : vmemmap ? vmemmap : CPU_ENTRY_AREA_BASE),
		    REGION_DIRECT_MAP, "direct mapping of all physical memory", true);
	if (vmalloc)
		add(t, vmalloc,
		    region_end(vmalloc, l5 ? VMALLOC_SIZE_L5 : VMALLOC_SIZE_L4,
			       vmemmap ? vmemmap : CPU_ENTRY_AREA_BASE),
		    REGION_VMALLOC, "vmalloc/ioremap space", true);
	if (vmemmap)
		add(t, vmemmap,
		    region_end(vmemmap, l5 ? VMEMMAP_MAX_L5 : VMEMMAP_MAX_L4,
			       CPU_ENTRY_AREA_BASE),
		    REGION_VMEMMAP, "virtual memory map (struct page array)", true);
	add(t, CPU_ENTRY_AREA_BASE, CPU_ENTRY_AREA_BASE + CPU_ENTRY_AREA_SIZE - 1,
	    REGION_CPU_ENTRY_AREA, "cpu_entry_area mapping", false);
	add(t, ESPFIX_BASE, ESPFIX_BASE + ESPFIX_SIZE - 1, REGION_ESPFIX,
	    "%esp fixup stacks", false);
	add(t, EFI_VA_END, EFI_VA_START, REGION_EFI, "EFI region mapping space", false);
	add(t, START_KERNEL_MAP, START_KERNEL_MAP + image - 1, REGION_KERNEL_TEXT,
	    "kernel text mapping, from physical 0", false);
	add(t, START_KERNEL_MAP + image, MODULES_END - 1, REGION_MODULES,
	    "module mapping space", false);
	add(t, MODULES_END, FIXMAP_TOP, REGION_FIXMAP,
	    "kernel-internal fixmap range (variable start)", false);
	add(t, VSYSCALL_ADDR, VSYSCALL_ADDR + X86_PAGE_SIZE - 1, REGION_VSYSCALL,
	    "legacy vsyscall ABI", false);

	qsort(t->r, t->nr, sizeof(t->r[0]), by_start);
	/* Fill what lies between the regions with holes, as mm.rst does. */
	for (n = 0; n < t->nr; n++) {
		uint64_t next = n + 1 < t->nr ? t->r[n + 1].start : 0;

		add(&sorted, t->r[n].start, t->r[n].end, t->r[n].kind,
		    t->r[n].name, t->r[n].randomized_base);
		if (t->r[n].end == UINT64_MAX)
			break;
		if (n + 1 < t->nr && next > t->r[n].end + 1)
			add(&sorted, t->r[n].end + 1, next - 1, REGION_HOLE,
			    "unused hole", false);
		else if (n + 1 == t->nr)
			add(&sorted, t->r[n].end + 1, UINT64_MAX, REGION_HOLE,
			    "unused hole", false);
	}
	*t = sorted;
	return 0;
}

const struct region *region_of(const struct region_table *t, uint64_t va)
{
	for (int i = 0; i < t->nr; i++)
		if (va >= t->r[i].start && va <= t->r[i].end)
			return &t->r[i];
	return NULL;
}
