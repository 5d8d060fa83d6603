// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>

#include "tlb_cpuid.h"

#define KB 1024ULL
#define SZ_4K (4 * KB)
#define SZ_2M (2 * KB * KB)
#define SZ_1G (KB * KB * KB)

/* Page sizes a structure serves: leaf 0x18 EBX bits 0-3 use the same order. */
enum { PS_4K = 1, PS_2M = 2, PS_4M = 4, PS_1G = 8 };

void cpuid_vendor(const struct cpuid_regs *l0, char *buf)
{
	memcpy(buf, &l0->ebx, 4);
	memcpy(buf + 4, &l0->edx, 4);
	memcpy(buf + 8, &l0->ecx, 4);
	buf[12] = '\0';
}

const char *cpuid_core_type(const struct cpuid_regs *l1a)
{
	switch (l1a->eax >> 24) {
	case 0x20: return "atom";
	case 0x40: return "core";
	default: return "";
	}
}

/*
 * One structure serving the sizes in mask: one entry per size kvas lists
 * (4K, 2M, 1G; a 4M page is 32-bit paging's and only makes it shared).
 */
static void add(struct tlb_list *out, int level, unsigned int mask, uint32_t entries,
		uint32_t ways, const char *core_type, const char *source)
{
	static const struct { unsigned int bit; uint64_t bytes; } sizes[] = {
		{ PS_4K, SZ_4K }, { PS_2M, SZ_2M }, { PS_1G, SZ_1G },
	};
	bool shared = __builtin_popcount(mask) > 1;

	if (!entries)
		return;
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct tlb_entry *e;

		if (!(mask & sizes[i].bit) || out->n >= TLB_MAX_ENTRIES)
			continue;
		e = &out->e[out->n++];
		e->level = level;
		e->page_size = sizes[i].bytes;
		e->entries = entries;
		e->ways = ways;
		e->shared = shared;
		snprintf(e->core_type, sizeof(e->core_type), "%s", core_type);
		snprintf(e->source, sizeof(e->source), "%s", source);
	}
}

/* AMD's 4-bit associativity (0x80000006, 0x80000019): ways, 0 for full. */
static uint32_t amd_ways(uint32_t code)
{
	static const uint32_t ways[16] = {
		0, 1, 2, 3, 4, 6, 8, 0, 16, 0, 32, 48, 64, 96, 128, 0,
	};
	return ways[code & 15];
}

/* AMD: L1 fields are 8-bit entries and ways (0xFF: full), L2 and 1G 12-bit and coded. */
static void decode_amd(const struct cpuid_tlb_leaves *l, struct tlb_list *out)
{
	uint32_t max = l->l80000000.eax;
	const struct cpuid_regs *r;

	if (max >= 0x80000005) {
		r = &l->l80000005;
		add(out, 1, PS_4K, (r->ebx >> 16) & 0xff, (r->ebx >> 24) == 0xff ? 0 : r->ebx >> 24,
		    "", "CPUID 0x80000005 EBX");
		add(out, 1, PS_2M, (r->eax >> 16) & 0xff, (r->eax >> 24) == 0xff ? 0 : r->eax >> 24,
		    "", "CPUID 0x80000005 EAX");
	}
	if (max >= 0x80000006) {
		r = &l->l80000006;
		add(out, 2, PS_4K, (r->ebx >> 16) & 0xfff, amd_ways(r->ebx >> 28), "",
		    "CPUID 0x80000006 EBX");
		add(out, 2, PS_2M, (r->eax >> 16) & 0xfff, amd_ways(r->eax >> 28), "",
		    "CPUID 0x80000006 EAX");
	}
	if (max >= 0x80000019) {
		r = &l->l80000019;
		add(out, 1, PS_1G, (r->eax >> 16) & 0xfff, amd_ways(r->eax >> 28), "",
		    "CPUID 0x80000019 EAX");
		add(out, 2, PS_1G, (r->ebx >> 16) & 0xfff, amd_ways(r->ebx >> 28), "",
		    "CPUID 0x80000019 EBX");
	}
}

/* Intel SDM vol. 2A, table 3-12: the data and shared TLB descriptors of leaf 0x2. */
static const struct l2_desc {
	uint8_t desc;
	uint8_t level, mask;
	uint16_t entries, ways;		/* ways 0: fully associative */
} l2_descs[] = {
	{ 0x03, 1, PS_4K, 64, 4 },
	{ 0x04, 1, PS_4M, 8, 4 },
	{ 0x05, 1, PS_4M, 32, 4 },
	{ 0x56, 1, PS_4M, 16, 4 },
	{ 0x57, 1, PS_4K, 16, 4 },
	{ 0x59, 1, PS_4K, 16, 0 },
	{ 0x5A, 1, PS_2M | PS_4M, 32, 4 },
	{ 0x5B, 1, PS_4K | PS_4M, 64, 0 },
	{ 0x5C, 1, PS_4K | PS_4M, 128, 0 },
	{ 0x5D, 1, PS_4K | PS_4M, 256, 0 },
	{ 0x63, 1, PS_2M | PS_4M, 32, 4 },
	{ 0x63, 1, PS_1G, 4, 4 },		/* "and a separate array" */
	{ 0x64, 1, PS_4K, 512, 4 },
	{ 0xA0, 1, PS_4K, 32, 0 },
	{ 0xB3, 1, PS_4K, 128, 4 },
	{ 0xB4, 1, PS_4K, 256, 4 },
	{ 0xBA, 1, PS_4K, 64, 4 },
	{ 0xC0, 1, PS_4K | PS_4M, 8, 4 },
	{ 0xC1, 2, PS_4K | PS_2M, 1024, 8 },
	{ 0xC2, 1, PS_4K | PS_2M, 16, 4 },
	{ 0xC3, 2, PS_4K | PS_2M, 1536, 6 },
	{ 0xC3, 2, PS_1G, 16, 4 },		/* "also 1GByte pages" */
	{ 0xC4, 1, PS_2M | PS_4M, 32, 4 },
	{ 0xCA, 2, PS_4K, 512, 4 },
};

/* Descriptors that are not data TLBs (caches, instruction TLBs, prefetch): known, not listed. */
static bool l2_not_dtlb(uint8_t d)
{
	return d == 0 || (d >= 0x01 && d <= 0x02) || (d >= 0x06 && d <= 0x4f) ||
	       (d >= 0x50 && d <= 0x55) || d == 0x60 || d == 0x61 ||
	       (d >= 0x66 && d <= 0x9f) || (d >= 0xb0 && d <= 0xb2) || d == 0xb5 ||
	       d == 0xb6 || (d >= 0xd0 && d <= 0xf1) || d == 0xff;
}

/* Leaf 0x2: returns whether it says "see leaf 0x18" (descriptor 0xFE). */
static bool decode_leaf2(const struct cpuid_tlb_leaves *l, const char *core, struct tlb_list *out)
{
	const uint32_t regs[4] = { l->l2.eax, l->l2.ebx, l->l2.ecx, l->l2.edx };
	static const char *const names[4] = { "EAX", "EBX", "ECX", "EDX" };
	bool see_18 = false;

	for (int r = 0; r < 4; r++) {
		if (regs[r] >> 31)	/* bit 31: no descriptors in this register */
			continue;
		for (int b = r ? 0 : 1; b < 4; b++) {	/* AL is a count, not a descriptor */
			uint8_t d = regs[r] >> (8 * b);
			bool known = false;
			char src[48];

			if (d == 0xfe)
				see_18 = true;
			snprintf(src, sizeof(src), "CPUID 0x2 %s descriptor 0x%02X", names[r], d);
			for (size_t i = 0; i < sizeof(l2_descs) / sizeof(l2_descs[0]); i++) {
				if (l2_descs[i].desc != d)
					continue;
				known = true;
				add(out, l2_descs[i].level, l2_descs[i].mask, l2_descs[i].entries,
				    l2_descs[i].ways, core, src);
			}
			if (!known && d != 0xfe && !l2_not_dtlb(d) && !out->note[0])
				snprintf(out->note, sizeof(out->note),
					 "leaf 0x2 descriptor 0x%02X is not decoded", d);
		}
	}
	return see_18;
}

/*
 * Leaf 0x18 subleaf: EDX[4:0] type (1 data, 3 unified, 4 load-only; 2 is
 * instruction and 5 store-only, which a read does not use), EDX[7:5]
 * level, EDX[8] fully associative, EBX[3:0] page sizes, EBX[31:16] ways,
 * ECX sets.
 */
static void decode_leaf18(const struct cpuid_tlb_leaves *l, const char *core, struct tlb_list *out)
{
	uint32_t last = l->l18[0].eax;

	for (uint32_t s = 1; s <= last && s < CPUID_MAX_L18; s++) {
		const struct cpuid_regs *r = &l->l18[s];
		uint32_t type = r->edx & 0x1f, ways = r->ebx >> 16;
		char src[48];

		if (type != 1 && type != 3 && type != 4)
			continue;
		snprintf(src, sizeof(src), "CPUID 0x18.%u EBX,ECX", s);
		add(out, (r->edx >> 5) & 7, r->ebx & 0xf, ways * r->ecx,
		    r->edx & (1u << 8) ? 0 : ways, core, src);
	}
}

void tlb_decode(const struct cpuid_tlb_leaves *l, struct tlb_list *out)
{
	const char *core;

	cpuid_vendor(&l->l0, out->vendor);
	if (!strcmp(out->vendor, "AuthenticAMD") || !strcmp(out->vendor, "HygonGenuine")) {
		decode_amd(l, out);
		return;
	}
	core = l->l0.eax >= 0x1a ? cpuid_core_type(&l->l1a) : "";
	if (core[0])
		out->hybrid = true;
	if (l->l0.eax >= 2 && decode_leaf2(l, core, out) && l->l0.eax >= 0x18)
		decode_leaf18(l, core, out);
}

uint32_t tlb_entries(const struct tlb_list *t, int level, uint64_t page_size,
		     const char *core_type)
{
	/* "" on a hybrid part: the first core type listed, never a sum over types */
	const char *want = core_type[0] || !t->n ? core_type : t->e[0].core_type;
	uint32_t sum = 0;

	for (int i = 0; i < t->n; i++)
		if (t->e[i].level == level && t->e[i].page_size == page_size &&
		    !strcmp(t->e[i].core_type, want))
			sum += t->e[i].entries;
	return sum;
}

uint32_t tlb_last_level(const struct tlb_list *t, uint64_t page_size, const char *core_type,
			int *level)
{
	uint32_t best = 0;

	*level = 0;
	for (int lvl = 1; lvl <= 3; lvl++) {
		uint32_t n = tlb_entries(t, lvl, page_size, core_type);

		if (n && n >= best) {
			best = n;
			*level = lvl;
		}
	}
	return best;
}
