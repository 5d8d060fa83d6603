// SPDX-License-Identifier: GPL-2.0
/* Unit tests for src/core/ksyms.c: kallsyms text symbols, and an address by name+offset. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ksyms.h"

static void test_ksyms_lookup(void **state)
{
	static const char text[] =
		"ffffffff81000000 T _text\n"
		"ffffffff81001000 t helper\n"
		"ffffffff83000000 D jiffies_64\n"	/* data: not a text symbol */
		"ffffffff81000800 T startup_64\n"
		"0000000000000000 A fixed_percpu_data\n";
	struct ksyms ks;
	char buf[96];
	FILE *f = fmemopen((void *)text, sizeof(text) - 1, "r");

	(void)state;
	assert_int_equal(ksyms_load(&ks, f), 0);
	fclose(f);
	assert_int_equal(ks.nr, 3);
	assert_string_equal(ksyms_name(&ks, 0xffffffff81000010ULL, buf, sizeof(buf)), "_text+0x10");
	assert_string_equal(ksyms_name(&ks, 0xffffffff81000800ULL, buf, sizeof(buf)), "startup_64+0x0");
	assert_string_equal(ksyms_name(&ks, 0xffffffff82000000ULL, buf, sizeof(buf)),
			    "helper+0xfff000");
	assert_null(ksyms_name(&ks, 0xffffffff80000000ULL, buf, sizeof(buf)));
	ksyms_free(&ks);
}

/* kptr_restrict's zeros, or nothing: no table, and no qsort of NULL (a fuzz find) */
static void test_ksyms_none(void **state)
{
	static char zeros[] = "0000000000000000 T _text\n0000000000000000 t do_fault\n";
	struct ksyms ks;
	FILE *f = fmemopen(zeros, sizeof(zeros) - 1, "r");

	(void)state;
	assert_non_null(f);
	assert_int_equal(ksyms_load(&ks, f), -ENOENT);
	assert_int_equal(ks.nr, 0);
	assert_null(ks.syms);
	fclose(f);
	f = fopen("/dev/null", "r");
	assert_non_null(f);
	assert_int_equal(ksyms_load(&ks, f), -ENOENT);
	fclose(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ksyms_lookup),
		cmocka_unit_test(test_ksyms_none),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
