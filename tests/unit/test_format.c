// SPDX-License-Identifier: GPL-2.0
/* Unit tests for src/core/format.c: sizes, hex and offsets as kvas prints them, and hex parsing. */
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

#include "format.h"

static void test_fmt_size(void **state)
{
	char buf[32];

	(void)state;
	assert_string_equal(fmt_size(64ULL << 40, buf, sizeof(buf)), "64 TiB");
	assert_string_equal(fmt_size(1536ULL << 20, buf, sizeof(buf)), "1.5 GiB");
	assert_string_equal(fmt_size(4096, buf, sizeof(buf)), "4 KiB");
	assert_string_equal(fmt_size(0, buf, sizeof(buf)), "0 B");
	assert_string_equal(fmt_size(1, buf, sizeof(buf)), "1 B");
	assert_string_equal(fmt_size(1023, buf, sizeof(buf)), "1023 B");
	assert_string_equal(fmt_size(1024, buf, sizeof(buf)), "1 KiB");
	assert_string_equal(fmt_size(1536, buf, sizeof(buf)), "1.5 KiB");
	assert_string_equal(fmt_size(2ULL << 20, buf, sizeof(buf)), "2 MiB");
	assert_string_equal(fmt_size(1ULL << 30, buf, sizeof(buf)), "1 GiB");
	assert_string_equal(fmt_size(3ULL << 39, buf, sizeof(buf)), "1.5 TiB");
	assert_string_equal(fmt_size(32ULL << 50, buf, sizeof(buf)), "32 PiB");
	assert_string_equal(fmt_size(12800ULL << 40, buf, sizeof(buf)), "12.5 PiB");
	assert_string_equal(fmt_size(1ULL << 63, buf, sizeof(buf)), "8 EiB");
	/* returns buf */
	assert_ptr_equal(fmt_size(4096, buf, sizeof(buf)), buf);
}

static void test_fmt_hex(void **state)
{
	char buf[32];

	(void)state;
	assert_string_equal(fmt_hex(0xffff888000000000ULL, buf, sizeof(buf)),
			    "0xffff888000000000");
	assert_string_equal(fmt_hex(0x1000, buf, sizeof(buf)),
			    "0x0000000000001000");
	assert_string_equal(fmt_hex(0, buf, sizeof(buf)), "0x0000000000000000");
}

static void test_fmt_offset(void **state)
{
	char buf[32];

	(void)state;
	assert_string_equal(fmt_offset(0xffffffffbb000000ULL,
				       0xffffffff81000000ULL, buf, sizeof(buf)),
			    "+0x3a000000");
	assert_string_equal(fmt_offset(0xffffffff81000000ULL,
				       0xffffffffbb000000ULL, buf, sizeof(buf)),
			    "-0x3a000000");
	assert_string_equal(fmt_offset(0xffff888000000000ULL,
				       0xffff888000000000ULL, buf, sizeof(buf)),
			    "+0");
	assert_string_equal(fmt_offset(0xffff9a0000000000ULL,
				       0xffff888000000000ULL, buf, sizeof(buf)),
			    "+0x118000000000");
	/* two's complement: a phys_base of -32 MiB (seen in Debian's guest) */
	assert_string_equal(fmt_offset(0xfffffffffe000000ULL, 0, buf, sizeof(buf)),
			    "-0x2000000");
	assert_string_equal(fmt_offset(0, 0xfffffffffe000000ULL, buf, sizeof(buf)),
			    "+0x2000000");
}

static void test_parse_hex(void **state)
{
	uint64_t v = 0;

	(void)state;
	assert_int_equal(parse_hex_u64("ffff888000000000", &v), 0);
	assert_int_equal(v, 0xffff888000000000ULL);
	v = 0;
	assert_int_equal(parse_hex_u64("0xffffffff81000000", &v), 0);
	assert_int_equal(v, 0xffffffff81000000ULL);
	v = 0;
	assert_int_equal(parse_hex_u64("0XABCdef", &v), 0);
	assert_int_equal(v, 0xabcdef);
	assert_int_equal(parse_hex_u64("0", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(parse_hex_u64("10", &v), 0);
	assert_int_equal(v, 0x10);	/* hex, not decimal */
	assert_int_equal(parse_hex_u64("0xffffffffffffffff", &v), 0);
	assert_int_equal(v, UINT64_MAX);
}

static void test_parse_hex_rejects(void **state)
{
	static const char *const bad[] = {
		"", "0x", "0X", "xyz", "12g", "0x1ffffffffffffffff",
		"10000000000000000", " 12", "12 ", "-1", "0x-1", "+12", "g",
		"0x 12", "12\n",
	};
	uint64_t v;

	(void)state;
	assert_int_equal(parse_hex_u64(NULL, &v), -EINVAL);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		print_message("  \"%s\"\n", bad[i]);
		assert_int_equal(parse_hex_u64(bad[i], &v), -EINVAL);
	}
}

static void test_parse_hex_double_prefix(void **state)
{
	uint64_t v = 0;

	(void)state;
	/* one prefix is allowed, not two */
	assert_int_equal(parse_hex_u64("0x0x12", &v), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fmt_size),
		cmocka_unit_test(test_fmt_hex),
		cmocka_unit_test(test_fmt_offset),
		cmocka_unit_test(test_parse_hex),
		cmocka_unit_test(test_parse_hex_rejects),
		cmocka_unit_test(test_parse_hex_double_prefix),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
