/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The region table of this boot: Documentation/arch/x86/x86_64/mm.rst with
 * this boot's bases in place of the defaults, holes filled in. Pure logic.
 */
#ifndef KVAS_REGIONS_H
#define KVAS_REGIONS_H

#include <stdbool.h>
#include <stdint.h>

#define REGIONS_MAX 40

enum region_kind {
	REGION_USER, REGION_NONCANONICAL, REGION_GUARD_HOLE, REGION_LDT_REMAP,
	REGION_DIRECT_MAP, REGION_VMALLOC, REGION_VMEMMAP, REGION_CPU_ENTRY_AREA,
	REGION_ESPFIX, REGION_EFI, REGION_KERNEL_TEXT, REGION_MODULES,
	REGION_FIXMAP, REGION_VSYSCALL, REGION_HOLE,
};

struct region {
	uint64_t start, end;	/* inclusive */
	enum region_kind kind;
	const char *name;
	bool randomized_base;	/* its start is one of the KASLR bases */
};

struct region_input {
	int levels;
	uint64_t page_offset_base, vmalloc_base, vmemmap_base;	/* 0: unknown */
	uint64_t kernel_image_size;	/* 0: take 1 GiB (RANDOMIZE_BASE) */
};

struct region_table {
	int nr;
	struct region r[REGIONS_MAX];
};

/* Build the table; unknown bases are left out (they become holes). */
int regions_build(const struct region_input *in, struct region_table *t);

/* The region containing va, or NULL. */
const struct region *region_of(const struct region_table *t, uint64_t va);

#endif
