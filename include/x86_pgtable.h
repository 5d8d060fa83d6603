/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86-64 page tables, for BPF and userspace alike: the entry bits
 * (arch/x86/include/asm/pgtable_types.h) and the virtual-address bits each
 * level indexes. Macros only, so that BPF code that includes vmlinux.h can
 * include it too (vmlinux.h defines none of these names).
 */
#ifndef KVAS_X86_PGTABLE_H
#define KVAS_X86_PGTABLE_H

#define PTE_PRESENT	(1ULL << 0)
#define PTE_RW		(1ULL << 1)
#define PTE_USER	(1ULL << 2)
#define PTE_PWT		(1ULL << 3)
#define PTE_PCD		(1ULL << 4)
#define PTE_ACCESSED	(1ULL << 5)
#define PTE_DIRTY	(1ULL << 6)
#define PTE_PSE		(1ULL << 7)	/* a leaf at PUD (1 GiB) or PMD (2 MiB) level */
#define PTE_GLOBAL	(1ULL << 8)
#define PTE_PROTNONE	PTE_GLOBAL	/* in a not-present entry: PROT_NONE */
#define PTE_NX		(1ULL << 63)
#define PTE_PKEY_SHIFT	59
#define PTE_PKEY_MASK	(0xfULL << PTE_PKEY_SHIFT)
#define PTE_ADDR_MASK	0x000ffffffffff000ULL

#define X86_PAGE_SHIFT	12
#define PMD_SHIFT	21
#define PUD_SHIFT	30
#define PT_ENTRIES	512

/* The VA bit where level lvl (0: the top) starts indexing, under 4 or 5 levels. */
#define PT_LEVEL_SHIFT(levels, lvl)	(((levels) == 5 ? 48 : 39) - 9 * (lvl))
#define PT_INDEX(va, shift)		(((va) >> (shift)) & (PT_ENTRIES - 1))
/* A 4K entry is always a leaf; a PMD or PUD entry is one when PSE is set. */
#define PT_IS_LEAF(entry, shift)	((shift) == X86_PAGE_SHIFT ||			\
					 ((shift) <= PUD_SHIFT && ((entry) & PTE_PSE)))

#endif
