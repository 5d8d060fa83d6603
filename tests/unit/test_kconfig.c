// SPDX-License-Identifier: GPL-2.0
/* Unit tests for src/core/kconfig.c: the kernel configuration, plain or gzipped, and the options kvas keeps. */
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

#include "kconfig.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kconfig_lines),
		cmocka_unit_test(test_kconfig_unwanted),
		cmocka_unit_test(test_kconfig_not_loaded),
		cmocka_unit_test(test_kconfig_gzip),
		cmocka_unit_test(test_kconfig_plain),
		cmocka_unit_test(test_kconfig_missing_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
