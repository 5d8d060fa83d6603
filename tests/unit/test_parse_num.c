// SPDX-License-Identifier: GPL-2.0
/* Numbers from the command line: bounds named, nothing wrapped or truncated. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>

#include "parse_num.h"

static void test_whole_numbers(void **state)
{
	uint64_t v = 7;

	(void)state;
	assert_int_equal(parse_u64("1", 1, 1000, &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(parse_u64("1000", 1, 1000, &v), 0);
	assert_int_equal(v, 1000);
	/* 2^32 + 1 taken as an int was 1: out of range instead */
	assert_int_equal(parse_u64("4294967297", 1, 1000, &v), -ERANGE);
	assert_int_equal(parse_u64("18446744073709551616", 0, UINT64_MAX, &v), -ERANGE);
	assert_int_equal(parse_u64("18446744073709551615", 0, UINT64_MAX, &v), 0);
	assert_int_equal(v, UINT64_MAX);
	assert_int_equal(parse_u64("0", 1, 1000, &v), -ERANGE);
	assert_int_equal(parse_u64("1001", 1, 1000, &v), -ERANGE);
	/* only digits: strtoull would take "-3" as 2^64 - 3 and skip blanks */
	assert_int_equal(parse_u64("-3", 0, UINT64_MAX, &v), -EINVAL);
	assert_int_equal(parse_u64("+5", 0, 10, &v), -EINVAL);
	assert_int_equal(parse_u64(" 5", 0, 10, &v), -EINVAL);
	assert_int_equal(parse_u64("", 0, 10, &v), -EINVAL);
	assert_int_equal(parse_u64("12x", 0, 100, &v), -EINVAL);
	assert_int_equal(parse_u64("0x10", 0, 100, &v), -EINVAL);
	assert_int_equal(parse_u64(NULL, 0, 100, &v), -EINVAL);
	assert_int_equal(v, UINT64_MAX);	/* untouched by every failure */
}

static void test_durations(void **state)
{
	double d = -1;
	char buf[80];

	(void)state;
	assert_int_equal(parse_duration("0.5", 86400, &d), 0);
	assert_true(d == 0.5);
	assert_int_equal(parse_duration("86400", 86400, &d), 0);
	assert_int_equal(parse_duration("86400.1", 86400, &d), -ERANGE);
	assert_int_equal(parse_duration("0", 86400, &d), -ERANGE);
	assert_int_equal(parse_duration("-1", 86400, &d), -ERANGE);
	assert_int_equal(parse_duration("inf", 86400, &d), -ERANGE);
	assert_int_equal(parse_duration("nan", 86400, &d), -EINVAL);
	assert_int_equal(parse_duration("1s", 86400, &d), -EINVAL);
	assert_int_equal(parse_duration("", 86400, &d), -EINVAL);
	assert_string_equal(parse_u64_expected(1, 1000, buf, sizeof(buf)),
			    "a whole number from 1 to 1000");
	assert_string_equal(parse_duration_expected(86400, buf, sizeof(buf)),
			    "seconds, more than 0 and at most 86400");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whole_numbers),
		cmocka_unit_test(test_durations),
	};

	return cmocka_run_group_tests_name("command-line numbers", tests, NULL, NULL);
}
