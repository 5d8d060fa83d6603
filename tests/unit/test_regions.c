// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for src/core/regions.c: the region table against
 * Documentation/arch/x86/x86_64/mm.rst, and its invariants.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "regions.h"

#define TiB (1ULL << 40)

static const struct region_input l4_defaults = {
	.levels = 4,
	.page_offset_base = 0xffff888000000000ULL,
	.vmalloc_base = 0xffffc90000000000ULL,
	.vmemmap_base = 0xffffea0000000000ULL,
	.kernel_image_size = 1ULL << 30,
};

static const struct region_input l4_random = {
	.levels = 4,
	.page_offset_base = 0xffff9a0000000000ULL,
	.vmalloc_base = 0xffffb40000000000ULL,
	.vmemmap_base = 0xffffd90000000000ULL,
};

static const struct region_input l5_defaults = {
	.levels = 5,
	.page_offset_base = 0xff11000000000000ULL,
	.vmalloc_base = 0xffa0000000000000ULL,
	.vmemmap_base = 0xffd4000000000000ULL,
};

static const struct region_input l5_random = {
	.levels = 5,
	.page_offset_base = 0xff2a3c0000000000ULL,
	.vmalloc_base = 0xffb1800000000000ULL,
	.vmemmap_base = 0xffe5400000000000ULL,
};

/* Bases packed close together: each region is cut short by the next. */
static const struct region_input l4_packed = {
	.levels = 4,
	.page_offset_base = 0xffff888000000000ULL,
	.vmalloc_base = 0xffff8a0000000000ULL,
	.vmemmap_base = 0xffff8a4000000000ULL,
	.kernel_image_size = 512ULL << 20,
};

static const struct region_input l4_none = { .levels = 4 };
static const struct region_input l5_none = { .levels = 5 };

/* Partially known: vmalloc_base unknown, the others randomized. */
static const struct region_input l4_no_vmalloc = {
	.levels = 4,
	.page_offset_base = 0xffff9a0000000000ULL,
	.vmemmap_base = 0xffffd90000000000ULL,
};

static const struct region_input l4_only_vmemmap = {
	.levels = 4,
	.vmemmap_base = 0xffffd90000000000ULL,
};

static void build(const struct region_input *in, struct region_table *t)
{
	assert_int_equal(regions_build(in, t), 0);
	assert_true(t->nr > 0);
	assert_true(t->nr <= REGIONS_MAX);
}

static const struct region *find_kind(const struct region_table *t,
				      enum region_kind kind)
{
	for (int i = 0; i < t->nr; i++)
		if (t->r[i].kind == kind)
			return &t->r[i];
	return NULL;
}

static void expect(const struct region_table *t, enum region_kind kind,
		   uint64_t start, uint64_t end)
{
	const struct region *r = find_kind(t, kind);

	assert_non_null(r);
	assert_int_equal(r->start, start);
	assert_int_equal(r->end, end);
	assert_non_null(r->name);
}

static void expect_hole(const struct region_table *t, uint64_t start,
			uint64_t end)
{
	const struct region *r = region_of(t, start);

	assert_non_null(r);
	assert_int_equal(r->kind, REGION_HOLE);
	assert_int_equal(r->start, start);
	assert_int_equal(r->end, end);
}

static void test_l4_matches_mm_rst(void **state)
{
	struct region_table t;

	(void)state;
	build(&l4_defaults, &t);
	expect(&t, REGION_USER, 0, 0x00007fffffffffffULL);
	expect(&t, REGION_NONCANONICAL, 0x0000800000000000ULL, 0xffff7fffffffffffULL);
	expect(&t, REGION_GUARD_HOLE, 0xffff800000000000ULL, 0xffff87ffffffffffULL);
	expect(&t, REGION_LDT_REMAP, 0xffff880000000000ULL, 0xffff887fffffffffULL);
	expect(&t, REGION_DIRECT_MAP, 0xffff888000000000ULL, 0xffffc87fffffffffULL);
	assert_int_equal(find_kind(&t, REGION_DIRECT_MAP)->end -
			 find_kind(&t, REGION_DIRECT_MAP)->start + 1, 64 * TiB);
	expect_hole(&t, 0xffffc88000000000ULL, 0xffffc8ffffffffffULL);
	expect(&t, REGION_VMALLOC, 0xffffc90000000000ULL, 0xffffe8ffffffffffULL);
	expect_hole(&t, 0xffffe90000000000ULL, 0xffffe9ffffffffffULL);
	expect(&t, REGION_VMEMMAP, 0xffffea0000000000ULL, 0xffffeaffffffffffULL);
	expect(&t, REGION_CPU_ENTRY_AREA, 0xfffffe0000000000ULL, 0xfffffe7fffffffffULL);
	expect_hole(&t, 0xfffffe8000000000ULL, 0xfffffeffffffffffULL);
	expect(&t, REGION_ESPFIX, 0xffffff0000000000ULL, 0xffffff7fffffffffULL);
	expect_hole(&t, 0xffffff8000000000ULL, 0xffffffeeffffffffULL);
	expect(&t, REGION_EFI, 0xffffffef00000000ULL, 0xfffffffeffffffffULL);
	expect_hole(&t, 0xffffffff00000000ULL, 0xffffffff7fffffffULL);
	expect(&t, REGION_KERNEL_TEXT, 0xffffffff80000000ULL, 0xffffffffbfffffffULL);
	expect(&t, REGION_MODULES, 0xffffffffc0000000ULL, 0xfffffffffeffffffULL);
	expect(&t, REGION_FIXMAP, 0xffffffffff000000ULL, 0xffffffffff5fffffULL);
	expect(&t, REGION_VSYSCALL, 0xffffffffff600000ULL, 0xffffffffff600fffULL);
	/* the last region is the hole up to the top */
	assert_int_equal(t.r[t.nr - 1].kind, REGION_HOLE);
	assert_int_equal(t.r[t.nr - 1].start, 0xffffffffff601000ULL);
	assert_int_equal(t.r[t.nr - 1].end, UINT64_MAX);

	/* only the three KASLR bases are randomized */
	for (int i = 0; i < t.nr; i++) {
		enum region_kind k = t.r[i].kind;

		assert_int_equal(t.r[i].randomized_base,
				 k == REGION_DIRECT_MAP || k == REGION_VMALLOC ||
				 k == REGION_VMEMMAP);
	}
}

static void test_l4_image_size(void **state)
{
	struct region_table t;
	struct region_input in = l4_defaults;

	(void)state;
	/* 0 means 1 GiB (RANDOMIZE_BASE) */
	in.kernel_image_size = 0;
	build(&in, &t);
	expect(&t, REGION_KERNEL_TEXT, 0xffffffff80000000ULL, 0xffffffffbfffffffULL);
	expect(&t, REGION_MODULES, 0xffffffffc0000000ULL, 0xfffffffffeffffffULL);
	/* without KASLR the image is 512 MiB: the mm.rst table's numbers */
	in.kernel_image_size = 512ULL << 20;
	build(&in, &t);
	expect(&t, REGION_KERNEL_TEXT, 0xffffffff80000000ULL, 0xffffffff9fffffffULL);
	expect(&t, REGION_MODULES, 0xffffffffa0000000ULL, 0xfffffffffeffffffULL);
}

static void test_l5_matches_mm_rst(void **state)
{
	struct region_table t;

	(void)state;
	build(&l5_defaults, &t);
	expect(&t, REGION_USER, 0, 0x00ffffffffffffffULL);
	expect(&t, REGION_NONCANONICAL, 0x0100000000000000ULL, 0xfeffffffffffffffULL);
	expect(&t, REGION_GUARD_HOLE, 0xff00000000000000ULL, 0xff0fffffffffffffULL);
	expect(&t, REGION_DIRECT_MAP, 0xff11000000000000ULL, 0xff90ffffffffffffULL);
	expect_hole(&t, 0xff91000000000000ULL, 0xff9fffffffffffffULL);
	expect(&t, REGION_VMALLOC, 0xffa0000000000000ULL, 0xffd1ffffffffffffULL);
	expect_hole(&t, 0xffd2000000000000ULL, 0xffd3ffffffffffffULL);
	expect(&t, REGION_VMEMMAP, 0xffd4000000000000ULL, 0xffd5ffffffffffffULL);
	/* the top of the address space is the same as with 4 levels */
	expect(&t, REGION_CPU_ENTRY_AREA, 0xfffffe0000000000ULL, 0xfffffe7fffffffffULL);
	expect(&t, REGION_MODULES, 0xffffffffc0000000ULL, 0xfffffffffeffffffULL);
	assert_int_equal(region_of(&t, 0x0000800000000000ULL)->kind, REGION_USER);
	assert_int_equal(region_of(&t, 0x0100000000000000ULL)->kind,
			 REGION_NONCANONICAL);
	/* one PGD slot, 0.25 PiB, just below the direct map */
	expect(&t, REGION_LDT_REMAP, 0xff10000000000000ULL, 0xff10ffffffffffffULL);
	assert_int_equal(region_of(&t, 0xff10ffffffffffffULL)->kind, REGION_LDT_REMAP);
	assert_int_equal(region_of(&t, 0xff11000000000000ULL)->kind, REGION_DIRECT_MAP);
}

static void test_bad_levels(void **state)
{
	struct region_table t;
	struct region_input in = l4_defaults;

	(void)state;
	in.levels = 3;
	assert_int_equal(regions_build(&in, &t), -EINVAL);
	in.levels = 0;
	assert_int_equal(regions_build(&in, &t), -EINVAL);
	in.levels = 6;
	assert_int_equal(regions_build(&in, &t), -EINVAL);
}

/* The table is a partition of the 64-bit space, sorted, without overlap. */
static void check_invariants(const struct region_input *in, const char *what)
{
	struct region_table t;
	const uint64_t bases[] = {
		in->page_offset_base, in->vmalloc_base, in->vmemmap_base,
	};

	print_message("  %s\n", what);
	build(in, &t);
	assert_int_equal(t.r[0].start, 0);
	assert_int_equal(t.r[0].kind, REGION_USER);
	assert_int_equal(t.r[t.nr - 1].end, UINT64_MAX);
	for (int i = 0; i < t.nr; i++) {
		assert_true(t.r[i].start <= t.r[i].end);
		assert_non_null(t.r[i].name);
		if (i > 0) {
			assert_true(t.r[i].start > t.r[i - 1].start);
			assert_int_equal(t.r[i].start, t.r[i - 1].end + 1);
			/* no two holes in a row: they would be one */
			assert_false(t.r[i].kind == REGION_HOLE &&
				     t.r[i - 1].kind == REGION_HOLE);
		}
	}
	/* every known base starts its own region */
	for (size_t b = 0; b < 3; b++) {
		const struct region *r;

		if (!bases[b])
			continue;
		r = region_of(&t, bases[b]);
		assert_non_null(r);
		assert_int_equal(r->start, bases[b]);
		assert_true(r->randomized_base);
	}
	/* a randomized region never runs into any other base */
	for (int i = 0; i < t.nr; i++) {
		if (!t.r[i].randomized_base)
			continue;
		for (size_t b = 0; b < 3; b++)
			if (bases[b] && bases[b] != t.r[i].start)
				assert_false(bases[b] >= t.r[i].start &&
					     bases[b] <= t.r[i].end);
		/* nor into cpu_entry_area */
		assert_true(t.r[i].end < 0xfffffe0000000000ULL);
	}
	/* region_of agrees with the table at each edge */
	for (int i = 0; i < t.nr; i++) {
		assert_ptr_equal(region_of(&t, t.r[i].start), &t.r[i]);
		assert_ptr_equal(region_of(&t, t.r[i].end), &t.r[i]);
	}
}

static void test_invariants(void **state)
{
	(void)state;
	check_invariants(&l4_defaults, "4-level defaults");
	check_invariants(&l4_random, "4-level randomized");
	check_invariants(&l4_packed, "4-level packed");
	check_invariants(&l4_none, "4-level, no base known");
	check_invariants(&l4_only_vmemmap, "4-level, vmemmap only");
}

static void test_invariants_5level(void **state)
{
	(void)state;
	check_invariants(&l5_defaults, "5-level defaults");
	check_invariants(&l5_random, "5-level randomized");
	check_invariants(&l5_none, "5-level, no base known");
}

static void test_invariants_partial(void **state)
{
	(void)state;
	/*
	 * vmalloc_base unknown: the 64 TiB direct map from 0xffff9a0000000000
	 * would reach past the known vmemmap base at 0xffffd90000000000.
	 */
	check_invariants(&l4_no_vmalloc, "4-level, vmalloc unknown");
}

static void test_randomized_l4(void **state)
{
	struct region_table t;

	(void)state;
	build(&l4_random, &t);
	/* 64 TiB would run past vmalloc_base: cut at the next base */
	expect(&t, REGION_DIRECT_MAP, 0xffff9a0000000000ULL, 0xffffb3ffffffffffULL);
	expect(&t, REGION_VMALLOC, 0xffffb40000000000ULL, 0xffffd3ffffffffffULL);
	expect_hole(&t, 0xffffd40000000000ULL, 0xffffd8ffffffffffULL);
	expect(&t, REGION_VMEMMAP, 0xffffd90000000000ULL, 0xffffd9ffffffffffULL);
	expect_hole(&t, 0xffffda0000000000ULL, 0xfffffdffffffffffULL);
	/* below the direct map: LDT remap, then a hole up to the base */
	expect_hole(&t, 0xffff888000000000ULL, 0xffff99ffffffffffULL);
}

static void test_no_bases(void **state)
{
	struct region_table t;

	(void)state;
	build(&l4_none, &t);
	assert_null(find_kind(&t, REGION_DIRECT_MAP));
	assert_null(find_kind(&t, REGION_VMALLOC));
	assert_null(find_kind(&t, REGION_VMEMMAP));
	/* from the LDT remap to cpu_entry_area: one hole */
	expect_hole(&t, 0xffff888000000000ULL, 0xfffffdffffffffffULL);
}

static void test_region_of(void **state)
{
	static const struct {
		uint64_t va;
		enum region_kind kind;
	} cases[] = {
		{ 0x0, REGION_USER },
		{ 0x1000, REGION_USER },
		{ 0x00007fffffffffffULL, REGION_USER },
		{ 0x0000800000000000ULL, REGION_NONCANONICAL },
		{ 0xdead000000000000ULL, REGION_NONCANONICAL },
		{ 0xffff7fffffffffffULL, REGION_NONCANONICAL },
		{ 0xffff800000000000ULL, REGION_GUARD_HOLE },
		{ 0xffff880000001000ULL, REGION_LDT_REMAP },
		{ 0xffff888000000000ULL, REGION_DIRECT_MAP },
		{ 0xffff888100c66000ULL, REGION_DIRECT_MAP },
		{ 0xffffc87fffffffffULL, REGION_DIRECT_MAP },
		{ 0xffffc88000000000ULL, REGION_HOLE },
		{ 0xffffc90000000000ULL, REGION_VMALLOC },
		{ 0xffffc90000c3a000ULL, REGION_VMALLOC },
		{ 0xffffe90000000000ULL, REGION_HOLE },
		{ 0xffffea0000000000ULL, REGION_VMEMMAP },
		{ 0xffffea0004000000ULL, REGION_VMEMMAP },
		{ 0xfffffe0000001000ULL, REGION_CPU_ENTRY_AREA },
		{ 0xffffff0000000000ULL, REGION_ESPFIX },
		{ 0xffffffef00000000ULL, REGION_EFI },
		{ 0xfffffffeffffffffULL, REGION_EFI },
		{ 0xffffffff81000000ULL, REGION_KERNEL_TEXT },
		{ 0xffffffffbfffffffULL, REGION_KERNEL_TEXT },
		{ 0xffffffffc0000000ULL, REGION_MODULES },
		{ 0xffffffffc0a01000ULL, REGION_MODULES },
		{ 0xffffffffff000000ULL, REGION_FIXMAP },
		{ 0xffffffffff5ff000ULL, REGION_FIXMAP },
		{ 0xffffffffff600000ULL, REGION_VSYSCALL },
		{ 0xffffffffffe00000ULL, REGION_HOLE },
		{ UINT64_MAX, REGION_HOLE },
	};
	struct region_table t;

	(void)state;
	build(&l4_defaults, &t);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct region *r = region_of(&t, cases[i].va);

		print_message("  0x%016llx\n", (unsigned long long)cases[i].va);
		assert_non_null(r);
		assert_int_equal(r->kind, cases[i].kind);
		assert_true(cases[i].va >= r->start && cases[i].va <= r->end);
	}
}

static void test_region_of_5level(void **state)
{
	struct region_table t;

	(void)state;
	build(&l5_random, &t);
	assert_int_equal(region_of(&t, 0x1000)->kind, REGION_USER);
	assert_int_equal(region_of(&t, 0x00ff000000000000ULL)->kind, REGION_USER);
	assert_int_equal(region_of(&t, 0xff2a3c0000000000ULL)->kind, REGION_DIRECT_MAP);
	assert_int_equal(region_of(&t, 0xff2a3bffffffffffULL)->kind, REGION_HOLE);
	assert_int_equal(region_of(&t, 0xffb1800000001000ULL)->kind, REGION_VMALLOC);
	/* 32 PiB from the base ends before vmalloc_base: a hole between */
	assert_int_equal(region_of(&t, 0xffaa3bffffffffffULL)->kind, REGION_DIRECT_MAP);
	assert_int_equal(region_of(&t, 0xffaa3c0000000000ULL)->kind, REGION_HOLE);
	assert_int_equal(region_of(&t, 0xffb17fffffffffffULL)->kind, REGION_HOLE);
	assert_int_equal(region_of(&t, 0xffe5400000000000ULL)->kind, REGION_VMEMMAP);
	assert_int_equal(region_of(&t, 0xffffffff81000000ULL)->kind, REGION_KERNEL_TEXT);
}

static void test_region_of_empty(void **state)
{
	struct region_table t = { 0 };

	(void)state;
	assert_null(region_of(&t, 0x1000));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_l4_matches_mm_rst),
		cmocka_unit_test(test_l4_image_size),
		cmocka_unit_test(test_l5_matches_mm_rst),
		cmocka_unit_test(test_bad_levels),
		cmocka_unit_test(test_invariants),
		cmocka_unit_test(test_invariants_5level),
		cmocka_unit_test(test_invariants_partial),
		cmocka_unit_test(test_randomized_l4),
		cmocka_unit_test(test_no_bases),
		cmocka_unit_test(test_region_of),
		cmocka_unit_test(test_region_of_5level),
		cmocka_unit_test(test_region_of_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
