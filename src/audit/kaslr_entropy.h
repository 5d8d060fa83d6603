/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How many places KASLR could have chosen, as the kernel draws them. Pure
 * arithmetic over the x86-64 rules: arch/x86/boot/compressed/kaslr.c for
 * the text, arch/x86/mm/kaslr.c for memory.
 */
#ifndef KVAS_KASLR_ENTROPY_H
#define KVAS_KASLR_ENTROPY_H

#include <stdint.h>

/*
 * Virtual text slide: 2 MiB (align) steps of the image inside the 1 GiB
 * window above physical_start. 0 when the image does not fit.
 */
uint64_t text_kaslr_slots(uint64_t image_size, uint64_t physical_start, uint64_t align);

enum { MEM_KASLR_DIRECT_MAP, MEM_KASLR_VMALLOC, MEM_KASLR_VMEMMAP, MEM_KASLR_NR };

struct mem_kaslr_input {
	int levels;
	uint64_t max_phys;		/* highest physical address + 1 */
	uint64_t padding_tb;		/* CONFIG_RANDOMIZE_MEMORY_PHYSICAL_PADDING */
	uint64_t page_struct_size;
	uint64_t bases[MEM_KASLR_NR];	/* this boot's; 0 when unknown */
};

struct mem_kaslr_entropy {
	uint64_t region_tb[MEM_KASLR_NR];	/* the size each region reserves */
	/* 1 GiB positions each base was drawn from, given the earlier draws */
	uint64_t slots[MEM_KASLR_NR];
};

/* 0, or -1 when the inputs cannot be right (a base out of order). */
int mem_kaslr_entropy(const struct mem_kaslr_input *in, struct mem_kaslr_entropy *out);

/* log2 of a slot count, for "bits of entropy". */
double entropy_bits(uint64_t slots);

#endif
