// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <string.h>

#include "kaslr_entropy.h"
#include "x86_layout.h"

uint64_t text_kaslr_slots(uint64_t image_size, uint64_t physical_start, uint64_t align)
{
	if (!align || physical_start + image_size > KERNEL_IMAGE_SIZE_KASLR)
		return 0;
	return 1 + (KERNEL_IMAGE_SIZE_KASLR - physical_start - image_size) / align;
}

static uint64_t div_round_up(uint64_t a, uint64_t b)
{
	return (a + b - 1) / b;
}

int mem_kaslr_entropy(const struct mem_kaslr_input *in, struct mem_kaslr_entropy *out)
{
	uint64_t start = in->levels == 5 ? PAGE_OFFSET_BASE_L5 : PAGE_OFFSET_BASE_L4;
	uint64_t remain = CPU_ENTRY_AREA_BASE - start, vaddr = start;
	uint64_t max_tb = (in->levels == 5 ? DIRECT_MAP_MAX_L5 : DIRECT_MAP_MAX_L4) / TB;
	uint64_t memory_tb = div_round_up(in->max_phys, TB) + in->padding_tb;

	memset(out, 0, sizeof(*out));
	out->region_tb[MEM_KASLR_DIRECT_MAP] = memory_tb < max_tb ? memory_tb : max_tb;
	out->region_tb[MEM_KASLR_VMALLOC] = (in->levels == 5 ? VMALLOC_SIZE_L5 : VMALLOC_SIZE_L4) / TB;
	out->region_tb[MEM_KASLR_VMEMMAP] =
		div_round_up((out->region_tb[0] << (40 - X86_PAGE_SHIFT)) * in->page_struct_size, TB);
	for (int i = 0; i < MEM_KASLR_NR; i++)
		remain -= out->region_tb[i] * TB;
	/*
	 * Each region draws a PUD-aligned offset from an even share of what
	 * is left; what it drew is gone for the next (kernel_randomize_memory).
	 */
	for (int i = 0; i < MEM_KASLR_NR; i++) {
		uint64_t share = remain / (MEM_KASLR_NR - i), drawn;

		out->slots[i] = share / PUD_SIZE + 1;
		if (!in->bases[i]) {
			drawn = 0;	/* unknown: the later shares are upper bounds */
		} else if (in->bases[i] < vaddr || in->bases[i] - vaddr > share) {
			return -1;
		} else {
			drawn = in->bases[i] - vaddr;
		}
		vaddr += drawn + out->region_tb[i] * TB;
		vaddr = (vaddr + PUD_SIZE) & ~(PUD_SIZE - 1);	/* round_up(vaddr + 1) */
		remain -= drawn;
	}
	return 0;
}

double entropy_bits(uint64_t slots)
{
	return slots ? log2((double)slots) : 0;
}
