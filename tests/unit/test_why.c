// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for src/why: the CPUID TLB decoding (tlb_cpuid.c) on recorded
 * registers, /proc/meminfo's kinds, the statistics and the verdict.
 *
 * Register sources:
 * - AMD: this project's development machine, an AMD EPYC guest under PVM
 *   (kernel 6.18), CPUID executed in user space and read through
 *   /dev/cpu/0/cpuid alike.
 * - Intel client: InstLatx64/InstLatx64 (commit 087af2c7d72c),
 *   GenuineIntel/GenuineIntel00506E3_Skylake_CPUID.txt, Core i5-6400T.
 * - Intel hybrid: the same repository,
 *   GenuineIntel/GenuineIntel00906A4_AlderLakeP_00_CPUID.txt, Core i3-1220P:
 *   Core 0 (Golden Cove) and Core 2 (Gracemont).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "tlb_cpuid.h"
#include "why_report.h"

#define R(a, b, c, d) { 0x##a, 0x##b, 0x##c, 0x##d }
#define K4 4096ULL
#define M2 (2ULL << 20)
#define G1 (1ULL << 30)

static const struct cpuid_tlb_leaves amd_epyc_pvm = {
	.l0 = R(0000000d, 68747541, 444d4163, 69746e65),
	.l80000000 = R(80000021, 68747541, 444d4163, 69746e65),
	.l80000005 = R(ff60ff40, ff60ff40, 300c0140, 20080140),
	.l80000006 = R(40802040, 60804040, 04006140, 0fe09140),
	.l80000019 = R(00000000, 00000000, 00000000, 00000000),
};

static const struct cpuid_tlb_leaves skylake_i5_6400t = {
	.l0 = R(00000016, 756E6547, 6C65746E, 49656E69),
	.l2 = R(76036301, 00F0B6FF, 00000000, 00C30000),
};

static const struct cpuid_tlb_leaves alderlake_golden_cove = {
	.l0 = R(00000020, 756E6547, 6C65746E, 49656E69),
	.l2 = R(00FEFF01, 000000F0, 00000000, 00000000),
	.l18 = {
		R(00000008, 00000000, 00000000, 00000000),
		R(00000000, 00080001, 00000020, 00004022),
		R(00000000, 00080006, 00000004, 00004022),
		R(00000000, 0010000F, 00000001, 00004125),
		R(00000000, 00040001, 00000010, 00004024),
		R(00000000, 00040006, 00000008, 00004024),
		R(00000000, 00080008, 00000001, 00004124),
		R(00000000, 00080007, 00000080, 00004043),
		R(00000000, 00080009, 00000080, 00004043),
	},
	.l1a = R(40000001, 00000000, 00000000, 00000000),
};

static const struct cpuid_tlb_leaves alderlake_gracemont = {
	.l0 = R(00000020, 756E6547, 6C65746E, 49656E69),
	.l2 = R(00FEFF01, 00000000, 00000000, 00000000),
	.l18 = {
		R(00000004, 00000000, 00000000, 00000000),
		R(00000000, 00300001, 00000001, 00000121),
		R(00000000, 00040003, 00000200, 00000043),
		R(00000000, 00400001, 00000001, 00000122),
		R(00000000, 00080008, 00000001, 00000143),
	},
	.l1a = R(20000001, 00000000, 00000000, 00000000),
};

static const struct tlb_entry *find(const struct tlb_list *t, int level, uint64_t size,
				    const char *core)
{
	for (int i = 0; i < t->n; i++)
		if (t->e[i].level == level && t->e[i].page_size == size &&
		    !strcmp(t->e[i].core_type, core))
			return &t->e[i];
	return NULL;
}

static void test_amd(void **state)
{
	struct tlb_list t = { 0 };
	const struct tlb_entry *e;
	int lvl;

	(void)state;
	tlb_decode(&amd_epyc_pvm, &t);
	assert_string_equal(t.vendor, "AuthenticAMD");
	assert_int_equal(t.n, 4);	/* no 1G leaf: 0x80000019 is zero */
	assert_int_equal(tlb_entries(&t, 1, K4, ""), 96);
	assert_int_equal(tlb_entries(&t, 1, M2, ""), 96);
	assert_int_equal(tlb_entries(&t, 2, K4, ""), 128);
	assert_int_equal(tlb_entries(&t, 2, M2, ""), 128);
	assert_int_equal(tlb_entries(&t, 2, G1, ""), 0);
	e = find(&t, 2, K4, "");
	assert_non_null(e);
	assert_int_equal(e->ways, 8);		/* code 6 */
	assert_false(e->shared);
	assert_string_equal(e->source, "CPUID 0x80000006 EBX");
	assert_int_equal(find(&t, 1, K4, "")->ways, 0);	/* 0xFF: fully associative */
	assert_int_equal(tlb_last_level(&t, M2, "", &lvl), 128);
	assert_int_equal(lvl, 2);
}

static void test_intel_leaf2(void **state)
{
	struct tlb_list t = { 0 };
	const struct tlb_entry *e;

	(void)state;
	tlb_decode(&skylake_i5_6400t, &t);
	assert_string_equal(t.vendor, "GenuineIntel");
	assert_false(t.hybrid);
	assert_int_equal(tlb_entries(&t, 1, K4, ""), 64);	/* 0x03 */
	assert_int_equal(tlb_entries(&t, 1, M2, ""), 32);	/* 0x63 */
	assert_int_equal(tlb_entries(&t, 1, G1, ""), 4);	/* 0x63's second array */
	assert_int_equal(tlb_entries(&t, 2, K4, ""), 1536);	/* 0xC3 */
	assert_int_equal(tlb_entries(&t, 2, M2, ""), 1536);
	assert_int_equal(tlb_entries(&t, 2, G1, ""), 16);
	e = find(&t, 2, M2, "");
	assert_true(e->shared);
	assert_int_equal(e->ways, 6);
	assert_string_equal(e->source, "CPUID 0x2 EDX descriptor 0xC3");
	assert_string_equal(t.note, "");	/* 0x76, 0xB6 (instruction), 0xF0, 0xFF known */
}

static void test_intel_hybrid(void **state)
{
	struct tlb_list t = { 0 };

	(void)state;
	tlb_decode(&alderlake_golden_cove, &t);
	tlb_decode(&alderlake_gracemont, &t);
	assert_true(t.hybrid);
	/* Golden Cove: loads 64 x 4K, 32 x 2M/4M, 8 x 1G; STLB 1024 4K/2M/4M + 1024 4K/1G */
	assert_int_equal(tlb_entries(&t, 1, K4, "core"), 64);
	assert_int_equal(tlb_entries(&t, 1, M2, "core"), 32);
	assert_int_equal(tlb_entries(&t, 1, G1, "core"), 8);
	assert_int_equal(tlb_entries(&t, 2, K4, "core"), 2048);
	assert_int_equal(tlb_entries(&t, 2, M2, "core"), 1024);
	assert_int_equal(tlb_entries(&t, 2, G1, "core"), 1024);
	/* Gracemont: L1 48 x 4K, no L1 2M; L2 2048 4K/2M, 8 x 1G */
	assert_int_equal(tlb_entries(&t, 1, K4, "atom"), 48);
	assert_int_equal(tlb_entries(&t, 1, M2, "atom"), 0);
	assert_int_equal(tlb_entries(&t, 2, M2, "atom"), 2048);
	assert_int_equal(tlb_entries(&t, 2, G1, "atom"), 8);
	/* "": the first core type decoded, never a sum over both */
	assert_int_equal(tlb_entries(&t, 2, M2, ""), 1024);
	assert_string_equal(find(&t, 1, K4, "core")->source, "CPUID 0x18.4 EBX,ECX");
	/* Golden Cove's instruction (0x18.1, .2: type 2) and store-only (.3: type 5) TLBs are not listed */
	for (int i = 0; i < t.n; i++) {
		if (strcmp(t.e[i].core_type, "core"))
			continue;
		assert_string_not_equal(t.e[i].source, "CPUID 0x18.1 EBX,ECX");
		assert_string_not_equal(t.e[i].source, "CPUID 0x18.2 EBX,ECX");
		assert_string_not_equal(t.e[i].source, "CPUID 0x18.3 EBX,ECX");
	}
}

static void test_kinds(void **state)
{
	static const char meminfo[] =
		"MemTotal:       24683748 kB\n"
		"Cached:          1758048 kB\n"
		"SwapCached:            0 kB\n"
		"Slab:             170080 kB\n"
		"SReclaimable:     138300 kB\n"
		"SUnreclaim:        31780 kB\n"
		"KernelStack:        1424 kB\n"
		"PageTables:         1420 kB\n"
		"SecPageTables:         0 kB\n";
	struct why_kinds k = { 0 };
	FILE *f = fmemopen((void *)meminfo, sizeof(meminfo) - 1, "r");

	(void)state;
	assert_int_equal(why_kinds_parse(f, &k), 0);
	fclose(f);
	assert_int_equal(k.mem_total, 24683748ULL * 1024);
	assert_int_equal(k.bytes[WK_PAGE_CACHE], 1758048ULL * 1024);	/* not SwapCached */
	assert_int_equal(k.bytes[WK_SLAB_RECLAIMABLE], 138300ULL * 1024);
	assert_true(why_kind_counts(&k, WK_SEC_PAGE_TABLES));
	k.vmap_stack_known = k.vmap_stack = true;
	assert_false(why_kind_counts(&k, WK_KERNEL_STACKS));	/* in vmalloc */
	k.vmap_stack = false;
	assert_true(why_kind_counts(&k, WK_KERNEL_STACKS));

	f = fmemopen((void *)"Cached: 1 kB\n", 13, "r");
	assert_int_not_equal(why_kinds_parse(f, &k), 0);	/* no MemTotal */
	fclose(f);
}

static void test_stat(void **state)
{
	double even[] = { 4, 1, 3, 2 }, odd[] = { 9, 7, 8 };
	struct why_stat s;

	(void)state;
	why_stat_of(even, 4, &s);
	assert_true(s.have);
	assert_true(s.min == 1 && s.max == 4 && s.median == 2.5 && s.repeats == 4);
	why_stat_of(odd, 3, &s);
	assert_true(s.median == 8);
	why_stat_of(odd, 0, &s);
	assert_false(s.have);
}

/* The machine's figures as the verdict gets them. */
static void machine(struct why_report *r)
{
	memset(r, 0, sizeof(*r));
	tlb_decode(&amd_epyc_pvm, &r->tlb);
	r->levels = 4;
	r->have_walk = true;
	r->walk_bytes[WHY_4K] = 254ULL << 20;
	r->walk_bytes[WHY_2M] = 12161ULL << 21;
	r->kinds.mem_total = 24ULL << 30;
	r->kinds.have[WK_PAGE_CACHE] = true;
	r->kinds.bytes[WK_PAGE_CACHE] = 1ULL << 30;
	r->m.done = true;
	r->m.read[WHY_4K].ns = (struct why_stat){ true, 120, 110, 130, 5 };
	r->m.read[WHY_2M].ns = (struct why_stat){ true, 80, 75, 90, 5 };
	r->m.walk_ns = (struct why_stat){ true, 70, 60, 90, 5 };
	r->m.direct_map_ns = (struct why_stat){ true, 10, 9, 12, 5 };
}

static void test_verdict(void **state)
{
	struct why_report r;
	char v[2048];

	(void)state;
	machine(&r);
	assert_int_equal(why_entries(&r), 254 * 256 + 12161);
	assert_int_equal(why_entries_if_4k(&r), (254ULL << 8) + 12161ULL * 512);
	why_verdict(&r, v, sizeof(v));
	assert_non_null(strstr(v, "with 77,185 entries"));
	assert_non_null(strstr(v, "it would take 6,291,456"));
	assert_non_null(strstr(v, "The L2 TLB holds 128 2M entries (256 MiB"));
	assert_non_null(strstr(v, "120.0 ns on 4K pages and 80.0 ns on 2M pages here (x1.50"));
	assert_non_null(strstr(v, "Large pages pay"));
	assert_non_null(strstr(v, "10.0 ns with the read, against 70.0 ns through a 4-level walk"));
	assert_non_null(strstr(v, "reaches 1 GiB (4.2% of RAM)"));

	/* the verdict follows the numbers: 2M slower */
	r.m.read[WHY_2M].ns = (struct why_stat){ true, 150, 140, 160, 5 };
	why_verdict(&r, v, sizeof(v));
	assert_non_null(strstr(v, "2M pages were slower here"));
	assert_null(strstr(v, "Large pages pay"));
	/* no difference */
	r.m.read[WHY_2M].ns = (struct why_stat){ true, 115, 105, 125, 5 };
	why_verdict(&r, v, sizeof(v));
	assert_non_null(strstr(v, "made no difference"));
	/* medians 20% apart, spreads overlapping: no difference either */
	r.m.read[WHY_2M].ns = (struct why_stat){ true, 100, 90, 112, 5 };
	why_verdict(&r, v, sizeof(v));
	assert_non_null(strstr(v, "made no difference"));
	/* 2M not had: said, with why */
	r.m.read[WHY_2M].ns.have = false;
	snprintf(r.m.read[WHY_2M].why_not, sizeof(r.m.read[WHY_2M].why_not), "THP is never");
	why_verdict(&r, v, sizeof(v));
	assert_non_null(strstr(v, "could not be compared: THP is never."));
	/* --no-measure */
	r.m.done = false;
	why_verdict(&r, v, sizeof(v));
	assert_non_null(strstr(v, "Nothing was measured"));
	assert_null(strstr(v, "walk of the page tables"));
	/* a small buffer still ends with a NUL, cut */
	why_verdict(&r, v, 40);
	assert_int_equal(strlen(v), 39);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_amd),
		cmocka_unit_test(test_intel_leaf2),
		cmocka_unit_test(test_intel_hybrid),
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_stat),
		cmocka_unit_test(test_verdict),
	};

	return cmocka_run_group_tests_name("why", tests, NULL, NULL);
}
