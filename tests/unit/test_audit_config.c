// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for src/audit_kconfig.c and the kernel-option checks of
 * src/audit_config.c: options from the config file, from what the boot did,
 * or unknown, on boots built here from crafted layout claims.
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

#include "audit_checks.h"
#include "audit_kconfig.h"
#include "x86_layout.h"

#define SLIDE	0x1e00000ULL	/* a 2 MiB step, as the decompressor draws */

struct boot {
	struct discovery d;
	struct layout_report lr;
};

/*
 * A 4-level boot as vmcoreinfo and the tracepoints would report it: text
 * slid by slide, the direct map moved by shift; no config file unless lines.
 */
static struct boot *boot_new(uint64_t slide, uint64_t shift, const char *const *lines)
{
	struct boot *b = calloc(1, sizeof(*b));
	struct layout *l = &b->d.layout;

	assert_non_null(b);
	b->d.selected = LS_ALL;
	layout_claim(l, LF_PAGING_LEVELS, LS_VMCOREINFO, 4, 4, "pgtable_l5_enabled");
	layout_claim(l, LF_TEXT_SLIDE, LS_VMCOREINFO, slide, 4, "KERNELOFFSET");
	layout_claim(l, LF_TEXT, LS_VMCOREINFO, DEFAULT_TEXT + slide, 4, "_stext");
	layout_claim(l, LF_PAGE_OFFSET_BASE, LS_TRACEPOINT, PAGE_OFFSET_BASE_L4 + shift, 4, "kmalloc");
	layout_claim(l, LF_VMALLOC_BASE, LS_TRACEPOINT, VMALLOC_BASE_L4 + shift, 4, "vmap");
	layout_claim(l, LF_VMEMMAP_BASE, LS_TRACEPOINT, VMEMMAP_BASE_L4 + shift, 4, "page");
	layout_resolve(l);
	for (int i = 0; lines && lines[i]; i++) {
		b->d.kconfig.loaded = true;
		snprintf(b->d.kconfig.path, sizeof(b->d.kconfig.path), "test-config");
		kconfig_parse_line(&b->d.kconfig, lines[i]);
	}
	return b;
}

static void boot_built(struct boot *b)
{
	layout_report_build(&b->d, &b->lr);
}

static void fact_of(struct boot *b, const char *opt, struct config_fact *f)
{
	boot_built(b);
	config_fact(&b->d, &b->lr, opt, f);
}

/* A text slide proves CONFIG_RANDOMIZE_BASE; moved bases CONFIG_RANDOMIZE_MEMORY. */
static void test_boot_proves_options(void **state)
{
	struct boot *b = boot_new(SLIDE, 100 * GB, NULL);
	struct config_fact f;

	(void)state;
	fact_of(b, "CONFIG_RANDOMIZE_BASE", &f);
	assert_int_equal(f.state, KCONFIG_YES);
	assert_int_equal(f.basis, CONFIG_FROM_BOOT);
	assert_non_null(strstr(f.evidence, "CONFIG_RANDOMIZE_BASE=y, from the boot: text slide"
				" 0x1e00000 seen (vmcoreinfo)"));
	fact_of(b, "CONFIG_RANDOMIZE_MEMORY", &f);
	assert_int_equal(f.state, KCONFIG_YES);
	assert_int_equal(f.basis, CONFIG_FROM_BOOT);
	assert_non_null(strstr(f.evidence, "page_offset_base +0x1900000000"));
	/* the boot shows nothing of PTI */
	fact_of(b, "CONFIG_PAGE_TABLE_ISOLATION", &f);
	assert_int_equal(f.state, KCONFIG_UNKNOWN);
	assert_int_equal(f.basis, CONFIG_FROM_NOTHING);
	assert_non_null(strstr(f.evidence, "unknown: no /proc/config.gz"));
	free(b);
}

/* Defaults prove nothing: unknown, saying why (here the missing KASLR flag). */
static void test_defaults_prove_nothing(void **state)
{
	struct boot *b = boot_new(0, 0, NULL);
	struct config_fact f;

	(void)state;
	b->d.kaslr_flag_known = true;
	b->d.kaslr_flag = false;
	fact_of(b, "CONFIG_RANDOMIZE_BASE", &f);
	assert_int_equal(f.state, KCONFIG_UNKNOWN);
	assert_non_null(strstr(f.evidence, "_text is not slid"));
	assert_non_null(strstr(f.evidence, "proves nothing"));
	assert_non_null(strstr(f.evidence, "KASLR flag"));
	fact_of(b, "CONFIG_RANDOMIZE_MEMORY", &f);
	assert_int_equal(f.state, KCONFIG_UNKNOWN);
	assert_non_null(strstr(f.evidence, "4-level defaults, which proves nothing"));
	free(b);
}

/* The KASLR flag alone (the lowest slot drawn) proves RANDOMIZE_BASE, not MEMORY. */
static void test_kaslr_flag(void **state)
{
	struct boot *b = boot_new(0, 0, NULL);
	struct config_fact f;

	(void)state;
	b->d.kaslr_flag_known = true;
	b->d.kaslr_flag = true;
	fact_of(b, "CONFIG_RANDOMIZE_BASE", &f);
	assert_int_equal(f.state, KCONFIG_YES);
	assert_non_null(strstr(f.evidence, "KASLR flag"));
	fact_of(b, "CONFIG_RANDOMIZE_MEMORY", &f);
	assert_int_equal(f.state, KCONFIG_UNKNOWN);
	assert_non_null(strstr(f.evidence, "built without it, or with KASAN"));
	free(b);
}

static void test_nothing_known(void **state)
{
	struct boot *b = calloc(1, sizeof(*b));
	struct config_fact f;

	(void)state;
	layout_resolve(&b->d.layout);
	fact_of(b, "CONFIG_RANDOMIZE_BASE", &f);
	assert_int_equal(f.state, KCONFIG_UNKNOWN);
	assert_non_null(strstr(f.evidence, "the text slide is unknown"));
	fact_of(b, "CONFIG_RANDOMIZE_MEMORY", &f);
	assert_non_null(strstr(f.evidence, "not every base is known"));
	free(b);
}

/* The file answers; the boot overrules a file that says n to what it did. */
static void test_file(void **state)
{
	static const char *const lines[] = {
		"CONFIG_RANDOMIZE_BASE=y", "# CONFIG_RANDOMIZE_MEMORY is not set",
		"CONFIG_MITIGATION_PAGE_TABLE_ISOLATION=y", NULL,
	};
	struct boot *b = boot_new(0, 100 * GB, lines);
	struct config_fact f;

	(void)state;
	fact_of(b, "CONFIG_RANDOMIZE_BASE", &f);
	assert_int_equal(f.basis, CONFIG_FROM_FILE);
	assert_string_equal(f.evidence, "CONFIG_RANDOMIZE_BASE=y (test-config)");
	fact_of(b, "CONFIG_PAGE_TABLE_ISOLATION", &f);
	assert_int_equal(f.state, KCONFIG_YES);
	assert_string_equal(f.evidence, "CONFIG_MITIGATION_PAGE_TABLE_ISOLATION=y (test-config)");
	fact_of(b, "CONFIG_KALLSYMS_ALL", &f);
	assert_int_equal(f.state, KCONFIG_NO);	/* absent from a complete config */
	fact_of(b, "CONFIG_RANDOMIZE_MEMORY", &f);
	assert_int_equal(f.state, KCONFIG_YES);
	assert_int_equal(f.basis, CONFIG_FROM_BOOT);
	assert_non_null(strstr(f.evidence, "although test-config says n"));
	free(b);
}

static json_t *finding(json_t *j, const char *id)
{
	json_t *f;
	size_t i;

	json_array_foreach(json_object_get(j, "findings"), i, f)
		if (!strcmp(json_string_value(json_object_get(f, "id")), id))
			return f;
	fail_msg("no finding %s", id);
	return NULL;
}

static const char *field(json_t *j, const char *id, const char *key)
{
	return json_string_value(json_object_get(finding(j, id), key));
}

/* The findings carry the verdict, the evidence and where it came from. */
static void test_findings(void **state)
{
	static const char *const lines[] = {
		"# CONFIG_DEVMEM is not set", "# CONFIG_STRICT_DEVMEM is not set", NULL,
	};
	struct boot *b = boot_new(SLIDE, 0, NULL);
	struct audit_inputs in = { .d = &b->d, .layout = &b->lr };
	struct audit a = { 0 };
	json_t *j;

	(void)state;
	boot_built(b);
	audit_config(&a, &in);
	j = audit_json(&a, AUDIT_FAIL);
	assert_string_equal(field(j, "RANDOMIZE_BASE", "result"), "pass");
	assert_string_equal(field(j, "RANDOMIZE_BASE", "basis"), "boot");
	assert_non_null(strstr(field(j, "RANDOMIZE_BASE", "evidence"), "text slide 0x1e00000 seen"));
	assert_string_equal(field(j, "RANDOMIZE_MEMORY", "result"), "unknown");
	assert_string_equal(field(j, "RANDOMIZE_MEMORY", "basis"), "none");
	assert_null(json_object_get(finding(j, "nokaslr"), "basis"));
	json_decref(j);
	audit_free(&a);
	free(b);

	b = boot_new(SLIDE, 0, lines);
	in.d = &b->d;
	in.layout = &b->lr;
	boot_built(b);
	audit_config(&a, &in);
	j = audit_json(&a, AUDIT_FAIL);
	/* no /dev/mem at all: nothing for STRICT_DEVMEM to restrict */
	assert_string_equal(field(j, "STRICT_DEVMEM", "result"), "pass");
	assert_string_equal(field(j, "STRICT_DEVMEM", "evidence"),
			    "CONFIG_DEVMEM=n (test-config): nothing to restrict");
	assert_string_equal(field(j, "PAGE_TABLE_ISOLATION", "result"), "warn");
	assert_string_equal(field(j, "RANDOMIZE_BASE", "basis"), "boot");
	json_decref(j);
	audit_free(&a);
	free(b);
}

/* An empty file (a /dev/null mask) is no config: the options stay unknown. */
static void test_empty_config_file(void **state)
{
	char path[] = "/tmp/kvas-kconfig-XXXXXX";
	int fd = mkstemp(path);
	struct kconfig kc;

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(kconfig_load_file(&kc, path), -ENODATA);
	assert_false(kc.loaded);
	assert_int_equal(kconfig_bool(&kc, "CONFIG_RANDOMIZE_BASE"), KCONFIG_UNKNOWN);
	assert_int_equal(write(fd, "# CONFIG_KASAN is not set\n", 26), 26);
	assert_int_equal(kconfig_load_file(&kc, path), 0);
	assert_true(kc.loaded);
	assert_int_equal(kconfig_bool(&kc, "CONFIG_RANDOMIZE_BASE"), KCONFIG_NO);
	close(fd);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_boot_proves_options),
		cmocka_unit_test(test_defaults_prove_nothing),
		cmocka_unit_test(test_kaslr_flag),
		cmocka_unit_test(test_nothing_known),
		cmocka_unit_test(test_file),
		cmocka_unit_test(test_findings),
		cmocka_unit_test(test_empty_config_file),
	};

	return cmocka_run_group_tests_name("audit_config", tests, NULL, NULL);
}
