/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86-64 address-space constants: the documented non-randomized defaults and
 * region sizes (arch/x86/include/asm/page_64_types.h, pgtable_64_types.h,
 * Documentation/arch/x86/x86_64/mm.rst). They are labels and sanity bounds,
 * never the answer for "this kernel".
 */
#ifndef KVAS_X86_LAYOUT_H
#define KVAS_X86_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "x86_pgtable.h"

#define KB (1ULL << 10)
#define MB (1ULL << 20)
#define GB (1ULL << 30)
#define TB (1ULL << 40)
#define PB (1ULL << 50)

#define X86_PAGE_SIZE		(1ULL << X86_PAGE_SHIFT)
#define PUD_SIZE		GB	/* memory KASLR moves bases in PUD steps */

#define PAGE_OFFSET_BASE_L4	0xffff888000000000ULL
#define PAGE_OFFSET_BASE_L5	0xff11000000000000ULL
#define VMALLOC_BASE_L4		0xffffc90000000000ULL
#define VMALLOC_BASE_L5		0xffa0000000000000ULL
#define VMEMMAP_BASE_L4		0xffffea0000000000ULL
#define VMEMMAP_BASE_L5		0xffd4000000000000ULL
#define VMALLOC_SIZE_L4		(32 * TB)
#define VMALLOC_SIZE_L5		(12800 * TB)
#define DIRECT_MAP_MAX_L4	(64 * TB)
#define DIRECT_MAP_MAX_L5	(32 * PB)
#define VMEMMAP_MAX_L4		(1 * TB)
#define VMEMMAP_MAX_L5		(512 * TB)
#define LDT_BASE_L4		0xffff880000000000ULL
#define LDT_BASE_L5		0xff10000000000000ULL
#define LDT_SIZE_L4		(512 * GB)
#define LDT_SIZE_L5		(256 * TB)
#define GUARD_HOLE_L4		0xffff800000000000ULL
#define GUARD_HOLE_L5		0xff00000000000000ULL
#define USER_END_L4		0x00007fffffffffffULL
#define USER_END_L5		0x00ffffffffffffffULL
#define CPU_ENTRY_AREA_BASE	0xfffffe0000000000ULL
#define CPU_ENTRY_AREA_SIZE	(512 * GB)
#define ESPFIX_BASE		0xffffff0000000000ULL
#define ESPFIX_SIZE		(512 * GB)
#define EFI_VA_END		0xffffffef00000000ULL	/* grows down from here */
#define EFI_VA_START		0xfffffffeffffffffULL
#define START_KERNEL_MAP	0xffffffff80000000ULL
#define DEFAULT_PHYSICAL_START	0x1000000ULL
#define DEFAULT_TEXT		(START_KERNEL_MAP + DEFAULT_PHYSICAL_START)
#define KERNEL_IMAGE_SIZE_KASLR	(1 * GB)
#define KERNEL_IMAGE_SIZE_FIXED	(512 * MB)
#define MODULES_END		0xffffffffff000000ULL
#define FIXMAP_TOP		0xffffffffff5fffffULL
#define VSYSCALL_ADDR		0xffffffffff600000ULL
/* MAXPHYADDR is at most 52 on x86-64: the widest PA a page-table entry holds */
#define PHYS_ADDR_MAX		((1ULL << 52) - 1)

static inline uint64_t align_down(uint64_t x, uint64_t a) { return x & ~(a - 1); }
static inline bool is_aligned(uint64_t x, uint64_t a) { return (x & (a - 1)) == 0; }

/* Canonical for the given paging levels: bits above the top VA bit all equal it. */
bool x86_canonical(uint64_t va, int levels);

/* The last user-space address: TASK_SIZE's page-table reach for the levels. */
uint64_t x86_user_end(int levels);

uint64_t default_page_offset_base(int levels);
uint64_t default_vmalloc_base(int levels);
uint64_t default_vmemmap_base(int levels);

/*
 * Where memory KASLR may place a base: [default for this mode, cpu_entry_area).
 * Returns true if the value can be one this kernel chose.
 */
bool base_in_kaslr_range(uint64_t base, int levels);

#endif
