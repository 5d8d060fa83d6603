/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The data TLBs a CPU reports through CPUID, decoded from the registers
 * alone (src/kernel/cpuid_read.c executes the instruction): AMD's leaves
 * 0x80000005, 0x80000006 and 0x80000019; Intel's leaf 0x2 descriptors and
 * leaf 0x18 subleaves, once per core type on hybrid parts (leaf 0x1A).
 * Pure: the unit tests feed it recorded registers.
 */
#ifndef KVAS_TLB_CPUID_H
#define KVAS_TLB_CPUID_H

#include <stdbool.h>
#include <stdint.h>

struct cpuid_regs {
	uint32_t eax, ebx, ecx, edx;
};

#define CPUID_MAX_L18 32

/* One logical CPU's answers to the leaves that describe its TLBs. */
struct cpuid_tlb_leaves {
	struct cpuid_regs l0, l80000000;	/* vendor, highest leaves */
	struct cpuid_regs l2;			/* Intel descriptors */
	struct cpuid_regs l18[CPUID_MAX_L18];	/* Intel subleaves; [0].eax: the last one */
	struct cpuid_regs l1a;			/* Intel hybrid: EAX[31:24] core type */
	struct cpuid_regs l80000005, l80000006, l80000019;	/* AMD */
};

#define TLB_MAX_ENTRIES 48

/* One data TLB for one page size. */
struct tlb_entry {
	int level;			/* 1, 2 */
	uint64_t page_size;		/* bytes */
	uint32_t entries;
	uint32_t ways;			/* 0: fully associative */
	bool shared;			/* the same entries also serve other page sizes */
	char core_type[8];		/* "core", "atom", or "" (not hybrid) */
	char source[48];		/* "CPUID 0x80000006 EBX" */
};

struct tlb_list {
	struct tlb_entry e[TLB_MAX_ENTRIES];
	int n;
	char vendor[13];		/* "AuthenticAMD" */
	bool hybrid;
	char note[160];			/* what could not be decoded, or "" */
};

/* "AuthenticAMD", "GenuineIntel", ... from leaf 0 into buf (13 bytes). */
void cpuid_vendor(const struct cpuid_regs *l0, char *buf);
/* The hybrid core type of leaf 0x1A EAX: "core", "atom", or "" when none. */
const char *cpuid_core_type(const struct cpuid_regs *l1a);

/*
 * Append the data TLBs l reports to out (out->vendor set from l). Several
 * core types are decoded by calling it once per type. Leaf 0x2's 0xFE
 * ("see leaf 0x18") makes it read leaf 0x18; descriptors it does not know
 * are skipped and named in out->note.
 */
void tlb_decode(const struct cpuid_tlb_leaves *l, struct tlb_list *out);

/*
 * The entries of one level and page size on one core type ("" for any):
 * the sum over the structures that serve it, 0 when none does.
 */
uint32_t tlb_entries(const struct tlb_list *t, int level, uint64_t page_size,
		     const char *core_type);
/* The largest entries at any level for page_size on core_type (the last-level reach). */
uint32_t tlb_last_level(const struct tlb_list *t, uint64_t page_size, const char *core_type,
			int *level);

#endif
