// SPDX-License-Identifier: GPL-2.0
/* The pure half of kvas translate: arithmetic, rejection, swap decoding. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "translate.h"
#include "x86_layout.h"

/* arch/x86/include/asm/pgtable_64.h, __swp_entry(), to build real entries. */
static uint64_t swp_entry(uint64_t type, uint64_t offset)
{
	return (~offset << 14 >> 5) | (type << 59);
}

static void test_swap_entry_round_trip(void **state)
{
	static const struct { uint64_t type, offset; } cases[] = {
		{ 0, 0x1 }, { 1, 0x1234 }, { 3, 0xfffff }, { 0, 0x3ffffffffffULL },
	};
	struct nonpresent np;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t e = swp_entry(cases[i].type, cases[i].offset);

		assert_int_equal(e & 1, 0);		/* not present */
		assert_int_equal(e & (1 << 8), 0);	/* not PROT_NONE */
		decode_nonpresent(e, &np);
		assert_int_equal(np.kind, NP_SWAP);
		assert_int_equal(np.swap_type, cases[i].type);
		assert_int_equal(np.swap_offset, cases[i].offset);
	}
}

static void test_special_and_empty_entries(void **state)
{
	struct nonpresent np;

	(void)state;
	decode_nonpresent(swp_entry(30, 0x42), &np);	/* migration-range type */
	assert_int_equal(np.kind, NP_SPECIAL);
	assert_int_equal(np.swap_type, 30);
	decode_nonpresent(0, &np);
	assert_int_equal(np.kind, NP_NONE);
	/* PROT_NONE: the frame stays, present bit clear, bit 8 set. */
	decode_nonpresent(0x8000000123456100ULL | 0x25, &np);
	assert_int_equal(np.kind, NP_PROT_NONE);
}

static void ctx_l4(struct translate_ctx *c)
{
	struct region_input in = {
		.levels = 4, .page_offset_base = 0xffff9a0000000000ULL,
		.vmalloc_base = 0xffffb40000000000ULL, .vmemmap_base = 0xffffd90000000000ULL,
	};

	memset(c, 0, sizeof(*c));
	c->levels = 4;
	c->page_offset_base = in.page_offset_base;
	c->vmemmap_base = in.vmemmap_base;
	c->phys_base = 0xfffffffffe000000ULL;	/* -32 MiB, as seen under KASLR */
	c->page_struct_size = 64;
	c->pa_mask = PTE_ADDR_MASK;
	assert_int_equal(regions_build(&in, &c->regions), 0);
}

static void test_arithmetic_by_region(void **state)
{
	struct translate_ctx c;
	enum pa_method m;
	uint64_t pa, va;

	(void)state;
	ctx_l4(&c);
	va = c.page_offset_base + 0x12345678;
	assert_true(translate_arith(&c, va, region_of(&c.regions, va), &pa, &m));
	assert_int_equal(pa, 0x12345678);
	assert_int_equal(m, PA_DIRECT_MAP);

	va = 0xffffffff9a200000ULL;	/* _text slid by 0x19200000 */
	assert_true(translate_arith(&c, va, region_of(&c.regions, va), &pa, &m));
	assert_int_equal(pa, va - START_KERNEL_MAP - 0x2000000);
	assert_int_equal(m, PA_PHYS_BASE);

	va = c.vmemmap_base + 0x1000 * 64 + 8;	/* inside pfn 0x1000's struct page */
	assert_true(translate_arith(&c, va, region_of(&c.regions, va), &pa, &m));
	assert_int_equal(pa, 0x1000000);
	assert_int_equal(m, PA_STRUCT_PAGE);

	va = 0xffffb40000123000ULL;	/* vmalloc: only a walk can say */
	assert_false(translate_arith(&c, va, region_of(&c.regions, va), &pa, &m));
}

static void test_fill_from_pa(void **state)
{
	struct translate_ctx c;
	struct translation t = { .pa = 0x1000123 };

	(void)state;
	ctx_l4(&c);
	translate_fill_from_pa(&c, &t);
	assert_int_equal(t.direct_map_alias, c.page_offset_base + 0x1000123);
	assert_int_equal(t.struct_page, c.vmemmap_base + 0x1000 * 64);
}

static void test_reject(void **state)
{
	struct translate_ctx c;
	uint64_t va;

	(void)state;
	ctx_l4(&c);
	va = 0x0000800000000000ULL;
	assert_non_null(strstr(translate_reject(&c, va, region_of(&c.regions, va), false),
			       "non-canonical"));
	va = 0xffff800000001000ULL;
	assert_non_null(strstr(translate_reject(&c, va, region_of(&c.regions, va), false), "hole"));
	va = 0x7fff00001000ULL;
	assert_non_null(strstr(translate_reject(&c, va, region_of(&c.regions, va), false), "-p PID"));
	assert_null(translate_reject(&c, va, region_of(&c.regions, va), true));
	va = c.page_offset_base + 4096;
	assert_null(translate_reject(&c, va, region_of(&c.regions, va), false));
	/* 5-level: 47-bit overflow is canonical, so only the region can reject it */
	c.levels = 5;
	assert_non_null(strstr(translate_reject(&c, 0x0000800000000000ULL, NULL, true),
			       "outside every known region"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_swap_entry_round_trip),
		cmocka_unit_test(test_special_and_empty_entries),
		cmocka_unit_test(test_arithmetic_by_region),
		cmocka_unit_test(test_fill_from_pa),
		cmocka_unit_test(test_reject),
	};

	return cmocka_run_group_tests_name("translate (pure)", tests, NULL, NULL);
}
