// SPDX-License-Identifier: GPL-2.0
/* Unit tests for src/core/text_escape.c: untrusted names made safe for a terminal. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "text_escape.h"

static const char *esc(const char *s, size_t len)
{
	static char buf[256];

	return text_escape(s, strlen(s), buf, len);
}

static void test_plain_text_unchanged(void **state)
{
	(void)state;
	assert_string_equal(esc("kworker/u4:2", 64), "kworker/u4:2");
	assert_string_equal(esc("/system.slice/a b", 64), "/system.slice/a b");
	assert_string_equal(esc("", 64), "");
}

static void test_controls_escaped(void **state)
{
	(void)state;
	assert_string_equal(esc("\033[31mRED\033[0m", 64), "\\e[31mRED\\e[0m");
	assert_string_equal(esc("x\ty\nz", 64), "x\\ty\\nz");
	assert_string_equal(esc("a\rb\\c", 64), "a\\rb\\\\c");
	assert_string_equal(esc("\x01\x1f\x7f", 64), "\\x01\\x1f\\x7f");
}

/* 0x9b is a CSI where 8-bit controls work; one byte stays one column. */
static void test_high_bytes_escaped(void **state)
{
	(void)state;
	assert_string_equal(esc("\x9b" "2J", 64), "\\x9b2J");
	assert_string_equal(esc("caf\xc3\xa9", 64), "caf\\xc3\\xa9");
}

/* Nothing printed is a control character, whatever the input. */
static void test_every_byte_printable(void **state)
{
	char in[256], out[TEXT_ESCAPED_SIZE(255)];

	(void)state;
	for (int i = 1; i < 256; i++)
		in[i - 1] = (char)i;
	in[255] = '\0';
	text_escape(in, sizeof(in), out, sizeof(out));
	for (const char *p = out; *p; p++)
		assert_true(*p >= 0x20 && *p < 0x7f);
	/* 5 named escapes of 2, 94 printable bytes less '\', the rest as \xNN */
	assert_int_equal(strlen(out), 5 * 2 + 94 + (255 - 5 - 94) * 4);
}

/* Cut to a column between escapes, never inside one. */
static void test_cut_to_column(void **state)
{
	(void)state;
	assert_string_equal(esc("abcdef", 4), "abc");
	assert_string_equal(esc("ab\033cd", 4), "ab");	/* "\e" would need 2 of the 1 left */
	assert_string_equal(esc("ab\033cd", 5), "ab\\e");
	assert_string_equal(esc("a\x01", 5), "a");
	assert_string_equal(esc("a\x01", 6), "a\\x01");
	assert_string_equal(esc("abc", 1), "");
}

/* A fixed-size field (a comm of 16 bytes) may have no NUL: n bounds the read. */
static void test_bounded_by_n(void **state)
{
	const char comm[4] = { 'a', '\n', 'b', 'c' };
	char out[32];

	(void)state;
	assert_string_equal(text_escape(comm, 3, out, sizeof(out)), "a\\nb");
	assert_string_equal(text_escape("ab\0cd", 5, out, sizeof(out)), "ab");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_text_unchanged),
		cmocka_unit_test(test_controls_escaped),
		cmocka_unit_test(test_high_bytes_escaped),
		cmocka_unit_test(test_every_byte_printable),
		cmocka_unit_test(test_cut_to_column),
		cmocka_unit_test(test_bounded_by_n),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
