// SPDX-License-Identifier: GPL-2.0
/* Unit tests for src/core/x86_layout.c: canonical addresses, the default bases and KASLR ranges. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "x86_layout.h"
#include "format.h"

static void test_canonical_4level(void **state)
{
	(void)state;
	assert_true(x86_canonical(0, 4));
	assert_true(x86_canonical(0x00007fffffffffffULL, 4));
	assert_false(x86_canonical(0x0000800000000000ULL, 4));
	assert_false(x86_canonical(0x00ffffffffffffffULL, 4));
	assert_false(x86_canonical(0xff00000000000000ULL, 4));
	assert_false(x86_canonical(0xffff7fffffffffffULL, 4));
	assert_true(x86_canonical(0xffff800000000000ULL, 4));
	assert_true(x86_canonical(0xffff888000000000ULL, 4));
	assert_true(x86_canonical(UINT64_MAX, 4));
	assert_false(x86_canonical(0x8000000000000000ULL, 4));
	assert_false(x86_canonical(0x7fffffffffffffffULL, 4));
}

static void test_canonical_5level(void **state)
{
	(void)state;
	assert_true(x86_canonical(0, 5));
	assert_true(x86_canonical(0x00007fffffffffffULL, 5));
	assert_true(x86_canonical(0x0000800000000000ULL, 5));
	assert_true(x86_canonical(0x00ffffffffffffffULL, 5));
	assert_false(x86_canonical(0x0100000000000000ULL, 5));
	assert_false(x86_canonical(0xfeffffffffffffffULL, 5));
	assert_true(x86_canonical(0xff00000000000000ULL, 5));
	assert_true(x86_canonical(0xff11000000000000ULL, 5));
	assert_true(x86_canonical(0xffff800000000000ULL, 5));
	assert_true(x86_canonical(0xffff7fffffffffffULL, 5));
	assert_true(x86_canonical(UINT64_MAX, 5));
	assert_false(x86_canonical(0x8000000000000000ULL, 5));
}

static void test_defaults(void **state)
{
	(void)state;
	assert_int_equal(default_page_offset_base(4), 0xffff888000000000ULL);
	assert_int_equal(default_page_offset_base(5), 0xff11000000000000ULL);
	assert_int_equal(default_vmalloc_base(4), 0xffffc90000000000ULL);
	assert_int_equal(default_vmalloc_base(5), 0xffa0000000000000ULL);
	assert_int_equal(default_vmemmap_base(4), 0xffffea0000000000ULL);
	assert_int_equal(default_vmemmap_base(5), 0xffd4000000000000ULL);
	assert_int_equal(DEFAULT_TEXT, 0xffffffff81000000ULL);
	/* every default is canonical in its mode */
	for (int lv = 4; lv <= 5; lv++) {
		assert_true(x86_canonical(default_page_offset_base(lv), lv));
		assert_true(x86_canonical(default_vmalloc_base(lv), lv));
		assert_true(x86_canonical(default_vmemmap_base(lv), lv));
	}
}

static void test_base_in_kaslr_range(void **state)
{
	(void)state;
	assert_true(base_in_kaslr_range(0xffff888000000000ULL, 4));
	assert_true(base_in_kaslr_range(0xfffffdffc0000000ULL, 4));
	assert_false(base_in_kaslr_range(0xfffffe0000000000ULL, 4));
	assert_false(base_in_kaslr_range(0xffff887fffffffffULL, 4));
	assert_false(base_in_kaslr_range(0xff11000000000000ULL, 4));
	assert_true(base_in_kaslr_range(0xff11000000000000ULL, 5));
	assert_false(base_in_kaslr_range(0xff10ffffffffffffULL, 5));
	assert_false(base_in_kaslr_range(0xfffffe0000000000ULL, 5));
}

static void test_align(void **state)
{
	(void)state;
	assert_int_equal(align_down(0xffff9a8b7fffffffULL, GB), 0xffff9a8b40000000ULL);
	assert_int_equal(align_down(0x1fffff, 2 * MB), 0);
	assert_true(is_aligned(0xffff888000000000ULL, GB));
	assert_false(is_aligned(0xffff888000200000ULL, GB));
	assert_true(is_aligned(0xffff888000200000ULL, 2 * MB));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_canonical_4level),
		cmocka_unit_test(test_canonical_5level),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_base_in_kaslr_range),
		cmocka_unit_test(test_align),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
