// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the small pure modules: src/core/tally.c, format.c,
 * kconfig.c and x86_layout.c.
 */
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
#include <zlib.h>

#include "format.h"
#include "kconfig.h"
#include "tally.h"
#include "x86_layout.h"

/* ---- tally ------------------------------------------------------------ */

static void test_tally_counts(void **state)
{
	struct tally t = { 0 };

	(void)state;
	tally_add(&t, 0xffff9a0000000000ULL);
	tally_add(&t, 0xffffb40000000000ULL);
	tally_add(&t, 0xffff9a0000000000ULL);
	tally_add(&t, 0xffff9a0000000000ULL);
	assert_int_equal(t.nr, 2);
	assert_int_equal(t.value[0], 0xffff9a0000000000ULL);
	assert_int_equal(t.votes[0], 3);
	assert_int_equal(t.value[1], 0xffffb40000000000ULL);
	assert_int_equal(t.votes[1], 1);
}

static void test_tally_winner(void **state)
{
	struct tally t = { 0 };
	uint64_t v = 0;
	int votes = 0;

	(void)state;
	tally_add(&t, 7);
	tally_add(&t, 9);
	tally_add(&t, 9);
	tally_add(&t, 9);
	tally_add(&t, 11);
	assert_int_equal(tally_winner(&t, 3, &v, &votes), 0);
	assert_int_equal(v, 9);
	assert_int_equal(votes, 3);
	/* not enough votes */
	v = 0;
	assert_int_equal(tally_winner(&t, 4, &v, &votes), -ENOENT);
	assert_int_equal(v, 0);
	/* votes may be NULL */
	assert_int_equal(tally_winner(&t, 1, &v, NULL), 0);
	assert_int_equal(v, 9);
}

static void test_tally_winner_last(void **state)
{
	struct tally t = { 0 };
	uint64_t v = 0;
	int votes = 0;

	(void)state;
	/* the first values tie with each other, then one overtakes them */
	tally_add(&t, 1);
	tally_add(&t, 2);
	tally_add(&t, 3);
	tally_add(&t, 3);
	assert_int_equal(tally_winner(&t, 2, &v, &votes), 0);
	assert_int_equal(v, 3);
	assert_int_equal(votes, 2);
}

static void test_tally_tie(void **state)
{
	struct tally t = { 0 };
	uint64_t v = 0x5555;
	int votes = 0;

	(void)state;
	tally_add(&t, 1);
	tally_add(&t, 2);
	tally_add(&t, 1);
	tally_add(&t, 2);
	tally_add(&t, 3);
	assert_int_equal(tally_winner(&t, 1, &v, &votes), -ENOENT);
	assert_int_equal(v, 0x5555);
	/* a third vote breaks the tie */
	tally_add(&t, 2);
	assert_int_equal(tally_winner(&t, 2, &v, &votes), 0);
	assert_int_equal(v, 2);
	assert_int_equal(votes, 3);
	/* a tie at the top after the best, not before it */
	tally_add(&t, 3);
	tally_add(&t, 3);
	assert_int_equal(tally_winner(&t, 1, &v, &votes), -ENOENT);
}

static void test_tally_empty(void **state)
{
	struct tally t = { 0 };
	uint64_t v;

	(void)state;
	assert_int_equal(tally_winner(&t, 0, &v, NULL), -ENOENT);
	assert_int_equal(tally_winner(&t, 1, &v, NULL), -ENOENT);
}

static void test_tally_full(void **state)
{
	struct tally t = { 0 };
	uint64_t v = 0;

	(void)state;
	for (uint64_t i = 0; i < TALLY_MAX + 10; i++)
		tally_add(&t, 0x1000 + i);
	assert_int_equal(t.nr, TALLY_MAX);
	/* known values still count when the table is full */
	tally_add(&t, 0x1000);
	tally_add(&t, 0x1000);
	assert_int_equal(t.votes[0], 3);
	assert_int_equal(tally_winner(&t, 3, &v, NULL), 0);
	assert_int_equal(v, 0x1000);
}

/* ---- format ----------------------------------------------------------- */

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

/* ---- kconfig ---------------------------------------------------------- */

static void test_kconfig_lines(void **state)
{
	struct kconfig kc;
	uint64_t v = 0;

	(void)state;
	memset(&kc, 0, sizeof(kc));
	kc.loaded = true;
	kconfig_parse_line(&kc, "CONFIG_RANDOMIZE_MEMORY=y");
	kconfig_parse_line(&kc, "# CONFIG_KASAN is not set");
	kconfig_parse_line(&kc, "CONFIG_PHYSICAL_START=0x1000000");
	kconfig_parse_line(&kc, "CONFIG_PGTABLE_LEVELS=5\n");
	kconfig_parse_line(&kc, "CONFIG_RANDOMIZE_BASE=y\n");
	kconfig_parse_line(&kc, "CONFIG_PROC_KCORE=m");
	kconfig_parse_line(&kc, "#");
	kconfig_parse_line(&kc, "");
	kconfig_parse_line(&kc, "# Kernel hacking");

	assert_int_equal(kconfig_bool(&kc, "CONFIG_RANDOMIZE_MEMORY"), KCONFIG_YES);
	assert_int_equal(kconfig_bool(&kc, "CONFIG_RANDOMIZE_BASE"), KCONFIG_YES);
	assert_int_equal(kconfig_bool(&kc, "CONFIG_PROC_KCORE"), KCONFIG_YES);
	assert_int_equal(kconfig_bool(&kc, "CONFIG_KASAN"), KCONFIG_NO);
	/* absent from a complete config: off */
	assert_int_equal(kconfig_bool(&kc, "CONFIG_X86_5LEVEL"), KCONFIG_NO);

	assert_true(kconfig_u64(&kc, "CONFIG_PHYSICAL_START", &v));
	assert_int_equal(v, 0x1000000);
	assert_true(kconfig_u64(&kc, "CONFIG_PGTABLE_LEVELS", &v));
	assert_int_equal(v, 5);
	/* not numbers */
	assert_false(kconfig_u64(&kc, "CONFIG_RANDOMIZE_BASE", &v));
	assert_false(kconfig_u64(&kc, "CONFIG_KASAN", &v));
	assert_false(kconfig_u64(&kc, "CONFIG_PHYSICAL_ALIGN", &v));
}

static void test_kconfig_unwanted(void **state)
{
	struct kconfig kc;

	(void)state;
	memset(&kc, 0, sizeof(kc));
	kc.loaded = true;
	kconfig_parse_line(&kc, "CONFIG_NET=y");
	kconfig_parse_line(&kc, "CONFIG_RANDOMIZE_BASE_X=y");
	assert_int_equal(kc.nr, 0);
	kconfig_parse_line(&kc, "CONFIG_KASAN=y");
	assert_int_equal(kc.nr, 1);
	assert_string_equal(kc.opt[0].name, "CONFIG_KASAN");
	assert_string_equal(kc.opt[0].value, "y");
	/* a prefix of a wanted option is not it */
	assert_int_equal(kconfig_bool(&kc, "CONFIG_KASA"), KCONFIG_NO);
}

static void test_kconfig_not_loaded(void **state)
{
	struct kconfig kc;
	uint64_t v = 0x5555;

	(void)state;
	memset(&kc, 0, sizeof(kc));
	kconfig_parse_line(&kc, "CONFIG_RANDOMIZE_MEMORY=y");
	kconfig_parse_line(&kc, "CONFIG_PHYSICAL_START=0x1000000");
	assert_int_equal(kconfig_bool(&kc, "CONFIG_RANDOMIZE_MEMORY"),
			 KCONFIG_UNKNOWN);
	assert_int_equal(kconfig_bool(&kc, "CONFIG_KASAN"), KCONFIG_UNKNOWN);
	assert_false(kconfig_u64(&kc, "CONFIG_PHYSICAL_START", &v));
	assert_int_equal(v, 0x5555);
}

static const char config_text[] =
	"#\n"
	"# Automatically generated file; DO NOT EDIT.\n"
	"# Linux/x86 6.8.0 Kernel Configuration\n"
	"#\n"
	"CONFIG_64BIT=y\n"
	"CONFIG_X86_64=y\n"
	"CONFIG_PGTABLE_LEVELS=4\n"
	"# CONFIG_X86_5LEVEL is not set\n"
	"CONFIG_PHYSICAL_START=0x1000000\n"
	"CONFIG_RELOCATABLE=y\n"
	"CONFIG_RANDOMIZE_BASE=y\n"
	"CONFIG_PHYSICAL_ALIGN=0x200000\n"
	"CONFIG_RANDOMIZE_MEMORY=y\n"
	"CONFIG_RANDOMIZE_MEMORY_PHYSICAL_PADDING=0xa\n"
	"# CONFIG_KASAN is not set\n"
	"CONFIG_MITIGATION_PAGE_TABLE_ISOLATION=y\n";

static void temp_path(char *path, size_t len, const char *tag)
{
	int fd;

	snprintf(path, len, "%s/kvas-%s-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", tag);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
}

static void check_loaded_config(const struct kconfig *kc, const char *path)
{
	uint64_t v = 0;

	assert_true(kc->loaded);
	assert_string_equal(kc->path, path);
	assert_int_equal(kconfig_bool(kc, "CONFIG_RANDOMIZE_BASE"), KCONFIG_YES);
	assert_int_equal(kconfig_bool(kc, "CONFIG_RANDOMIZE_MEMORY"), KCONFIG_YES);
	assert_int_equal(kconfig_bool(kc, "CONFIG_X86_5LEVEL"), KCONFIG_NO);
	assert_int_equal(kconfig_bool(kc, "CONFIG_KASAN"), KCONFIG_NO);
	assert_int_equal(kconfig_bool(kc, "CONFIG_MITIGATION_PAGE_TABLE_ISOLATION"),
			 KCONFIG_YES);
	assert_true(kconfig_u64(kc, "CONFIG_PHYSICAL_START", &v));
	assert_int_equal(v, 0x1000000);
	assert_true(kconfig_u64(kc, "CONFIG_PHYSICAL_ALIGN", &v));
	assert_int_equal(v, 0x200000);
	assert_true(kconfig_u64(kc, "CONFIG_PGTABLE_LEVELS", &v));
	assert_int_equal(v, 4);
	assert_true(kconfig_u64(kc, "CONFIG_RANDOMIZE_MEMORY_PHYSICAL_PADDING", &v));
	assert_int_equal(v, 10);
}

static void test_kconfig_gzip(void **state)
{
	static struct kconfig kc;
	char path[256];
	gzFile gz;

	(void)state;
	temp_path(path, sizeof(path), "config-gz");
	gz = gzopen(path, "wb");
	assert_non_null(gz);
	assert_true(gzputs(gz, config_text) > 0);
	assert_int_equal(gzclose(gz), Z_OK);

	assert_int_equal(kconfig_load_file(&kc, path), 0);
	unlink(path);
	check_loaded_config(&kc, path);
}

static void test_kconfig_plain(void **state)
{
	static struct kconfig kc;
	char path[256];
	FILE *f;

	(void)state;
	temp_path(path, sizeof(path), "config");
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fputs(config_text, f) >= 0, 1);
	fclose(f);

	/* stale state is cleared by a load */
	memset(&kc, 0x41, sizeof(kc));
	kc.path[sizeof(kc.path) - 1] = '\0';
	assert_int_equal(kconfig_load_file(&kc, path), 0);
	unlink(path);
	check_loaded_config(&kc, path);
	assert_int_equal(kc.nr, 9);	/* the wanted options in config_text */
}

static void test_kconfig_missing_file(void **state)
{
	static struct kconfig kc;

	(void)state;
	assert_true(kconfig_load_file(&kc, "/nonexistent/kvas/config.gz") < 0);
	assert_false(kc.loaded);
	assert_int_equal(kconfig_bool(&kc, "CONFIG_RANDOMIZE_BASE"),
			 KCONFIG_UNKNOWN);
}

/* ---- x86_layout ------------------------------------------------------- */

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
		cmocka_unit_test(test_tally_counts),
		cmocka_unit_test(test_tally_winner),
		cmocka_unit_test(test_tally_winner_last),
		cmocka_unit_test(test_tally_tie),
		cmocka_unit_test(test_tally_empty),
		cmocka_unit_test(test_tally_full),
		cmocka_unit_test(test_fmt_size),
		cmocka_unit_test(test_fmt_hex),
		cmocka_unit_test(test_fmt_offset),
		cmocka_unit_test(test_parse_hex),
		cmocka_unit_test(test_parse_hex_rejects),
		cmocka_unit_test(test_parse_hex_double_prefix),
		cmocka_unit_test(test_kconfig_lines),
		cmocka_unit_test(test_kconfig_unwanted),
		cmocka_unit_test(test_kconfig_not_loaded),
		cmocka_unit_test(test_kconfig_gzip),
		cmocka_unit_test(test_kconfig_plain),
		cmocka_unit_test(test_kconfig_missing_file),
		cmocka_unit_test(test_canonical_4level),
		cmocka_unit_test(test_canonical_5level),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_base_in_kaslr_range),
		cmocka_unit_test(test_align),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
