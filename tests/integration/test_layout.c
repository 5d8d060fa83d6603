// SPDX-License-Identifier: GPL-2.0
/*
 * kvas layout against the running kernel, as root. Every expected value comes
 * from the kernel's own publications or from pages this test touched: no
 * kernel address is written here.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "kread.h"
#include "procfs.h"
#include "testlib.h"
#include "vmcoreinfo.h"

#define GiB (1ULL << 30)

static const char *const fields[] = {
	"page_offset_base", "vmalloc_base", "vmemmap_base", "_text",
	"phys_base", "text_slide", "paging_levels",
};

/* The full run, shared by the tests that only read it. */
static json_t *full;

static json_t *layout_json(const char *const *extra)
{
	const char *args[16] = { "layout", "--json" };
	struct run_result r;
	json_t *root;
	int n = 2;

	for (int i = 0; extra && extra[i]; i++)
		args[n++] = extra[i];
	args[n] = NULL;
	assert_int_equal(run_kvas(&r, NULL, args), 0);
	if (r.status)
		fprintf(stderr, "kvas exited %d: %s\n", r.status, r.err);
	assert_int_equal(r.status, 0);
	root = run_json(&r);
	run_result_free(&r);
	assert_non_null(root);
	return root;
}

static uint64_t must_value(json_t *root, const char *field)
{
	uint64_t v = 0;

	if (!json_value(root, field, &v))
		fail_msg("%s has no value (status %s)", field, json_status(root, field));
	return v;
}

static int setup_full(void **state)
{
	(void)state;
	full = layout_json(NULL);
	return full ? 0 : -1;
}

static int teardown_full(void **state)
{
	(void)state;
	json_decref(full);
	return 0;
}

/* On this machine every value is known to two independent exact sources. */
static void test_every_value_confirmed(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		json_t *src = json_object_get(json_object_get(json_object_get(full, "values"),
							      fields[i]), "sources");

		if (strcmp(json_status(full, fields[i]), "confirmed"))
			fail_msg("%s: status %s, expected confirmed", fields[i],
				 json_status(full, fields[i]));
		assert_true(json_array_size(src) >= 2);
	}
}

static void test_text_matches_kallsyms(void **state)
{
	uint64_t text;

	(void)state;
	assert_int_equal(truth_kallsyms("_text", &text), 0);
	assert_int_equal(must_value(full, "_text"), text);
	assert_int_equal(must_value(full, "text_slide"), text - truth_start_kernel());
}

static void test_phys_base_matches_iomem(void **state)
{
	uint64_t text, pa;

	(void)state;
	assert_int_equal(truth_kallsyms("_text", &text), 0);
	assert_int_equal(truth_kernel_code_pa(&pa), 0);
	/* __pa_symbol(_text) = _text - __START_KERNEL_map + phys_base */
	assert_int_equal(must_value(full, "phys_base"),
			 pa - (text - 0xffffffff80000000ULL));
}

static void test_paging_levels_match_mmap(void **state)
{
	(void)state;
	assert_int_equal(must_value(full, "paging_levels"), truth_paging_levels());
}

/* A pattern written to a user page reads back at page_offset_base + PA. */
static void check_direct_map_alias(uint64_t base)
{
	struct kread *kr = kread_open();
	unsigned char *page, back[4096];
	uint64_t pfn;

	assert_non_null(kr);
	page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(page != MAP_FAILED);
	for (int i = 0; i < 4096; i++)
		page[i] = (unsigned char)(i * 7 + getpid());
	assert_int_equal(truth_pagemap_pfn(page, &pfn), 0);
	assert_int_equal(kread_bytes(kr, base + pfn * 4096, back, sizeof(back)), 0);
	assert_memory_equal(back, page, sizeof(back));
	munmap(page, 4096);
	kread_close(kr);
}

static void test_page_offset_base_reads_own_page(void **state)
{
	(void)state;
	check_direct_map_alias(must_value(full, "page_offset_base"));
}

/*
 * The struct page kvas's vmemmap_base points at describes the page this test
 * faulted: an anonymous page's ->mapping is its anon_vma with bit 0 set, and
 * its ->index is the virtual page number.
 */
static void test_vmemmap_base_describes_own_page(void **state)
{
	uint64_t vmemmap = must_value(full, "vmemmap_base");
	uint64_t base = must_value(full, "page_offset_base");
	uint32_t map_off, map_size, idx_off, idx_size, page_size;
	struct kread *kr = kread_open();
	struct kread_context kc;
	uint64_t pfn, mapping, index;
	char *page;

	(void)state;
	assert_non_null(kr);
	assert_int_equal(truth_struct_page_member("mapping", &map_off, &map_size), 0);
	/* Renamed __folio_index in 6.16; either is the page offset. */
	if (truth_struct_page_member("index", &idx_off, &idx_size))
		assert_int_equal(truth_struct_page_member("__folio_index", &idx_off,
							  &idx_size), 0);
	assert_int_equal(kread_context(kr, &kc), 0);
	page_size = (uint32_t)kc.page_struct_size;
	page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(page != MAP_FAILED);
	page[0] = 1;
	assert_int_equal(truth_pagemap_pfn(page, &pfn), 0);
	assert_int_equal(kread_u64(kr, vmemmap + pfn * page_size + map_off, &mapping), 0);
	assert_int_equal(kread_u64(kr, vmemmap + pfn * page_size + idx_off, &index), 0);
	assert_int_equal(mapping & 1, 1);			/* PAGE_MAPPING_ANON */
	assert_true((mapping & ~3ULL) >= base);			/* anon_vma: slab, direct map */
	assert_int_equal(index, (uintptr_t)page / 4096);
	munmap(page, 4096);
	kread_close(kr);
}

/* vmcoreinfo's own figures, read by the test through the verified base. */
static void test_bases_match_vmcoreinfo(void **state)
{
	uint64_t base = must_value(full, "page_offset_base"), pa, size, v;
	static unsigned char note[8192];
	struct vmcoreinfo vi;
	struct kread *kr;
	const char *why;
	char buf[128];

	(void)state;
	assert_true(read_small_file("/sys/kernel/vmcoreinfo", buf, sizeof(buf)) > 0);
	assert_int_equal(vmcoreinfo_parse_sysfs(buf, &pa, &size), 0);
	kr = kread_open();
	assert_non_null(kr);
	assert_int_equal(kread_bytes(kr, base + pa, note, size < sizeof(note) ? size : sizeof(note)), 0);
	kread_close(kr);
	assert_int_equal(vmcoreinfo_parse_note(note, sizeof(note), &vi, &why), 0);
	assert_true(vmcoreinfo_get_u64(&vi, "NUMBER(VMALLOC_START)", &v));
	assert_int_equal(must_value(full, "vmalloc_base"), v);
	assert_true(vmcoreinfo_get_u64(&vi, "SYMBOL(vmemmap)", &v));
	assert_int_equal(must_value(full, "vmemmap_base"), v);
}

static void test_invariants(void **state)
{
	uint64_t pob = must_value(full, "page_offset_base");
	uint64_t vmalloc = must_value(full, "vmalloc_base");
	uint64_t vmemmap = must_value(full, "vmemmap_base");
	int levels = (int)must_value(full, "paging_levels");
	uint64_t lowest = levels == 5 ? 0xff11000000000000ULL : 0xffff888000000000ULL;

	(void)state;
	assert_int_equal(pob % GiB, 0);
	assert_int_equal(vmalloc % GiB, 0);
	assert_int_equal(vmemmap % GiB, 0);
	assert_true(pob < vmalloc);
	assert_true(vmalloc < vmemmap);
	assert_true(pob >= lowest);
	assert_true(vmemmap < 0xfffffe0000000000ULL);	/* below cpu_entry_area */
}

/* --source NAME: each source alone, against the same ground truth. */
static void check_source_alone(const char *source, const char *const *must_give)
{
	const char *extra[] = { "--source", source, NULL };
	json_t *root = layout_json(extra);

	for (int i = 0; must_give[i]; i++) {
		uint64_t v;

		if (!json_evidence(root, must_give[i], source, &v))
			fail_msg("--source %s gave no %s", source, must_give[i]);
		assert_int_equal(v, must_value(full, must_give[i]));
		assert_true(json_has_source(root, must_give[i], source));
	}
	/* Only the chosen source may appear as evidence. */
	for (size_t f = 0; f < sizeof(fields) / sizeof(fields[0]); f++) {
		json_t *ev = json_object_get(json_object_get(json_object_get(root, "values"),
							     fields[f]), "evidence");
		const char *key;
		json_t *val;

		json_object_foreach(ev, key, val)
			if (strcmp(key, source))
				fail_msg("--source %s: %s has evidence from %s", source,
					 fields[f], key);
	}
	json_decref(root);
}

static void test_source_ksym_alone(void **state)
{
	(void)state;
	check_source_alone("ksym", (const char *const[]){ "_text", "text_slide", NULL });
}

static void test_source_tracepoint_alone(void **state)
{
	(void)state;
	check_source_alone("tracepoint", (const char *const[]){
		"page_offset_base", "vmalloc_base", "vmemmap_base", NULL });
}

static void test_source_vmcoreinfo_alone(void **state)
{
	(void)state;
	check_source_alone("vmcoreinfo", (const char *const[]){
		"page_offset_base", "vmalloc_base", "vmemmap_base", "_text",
		"phys_base", "text_slide", "paging_levels", NULL });
}

static void test_source_pagewalk_alone(void **state)
{
	(void)state;
	check_source_alone("pagewalk", (const char *const[]){
		"page_offset_base", "_text", "phys_base", "text_slide",
		"paging_levels", NULL });
}

/* Without privileges: one line naming them, exit 1, nothing on stdout. */
static void drop_to_nobody(void)
{
	if (setgid(65534) || setuid(65534))
		_exit(126);
}

static void test_refuses_without_root(void **state)
{
	struct run_result r;

	(void)state;
	assert_int_equal(run_kvas(&r, drop_to_nobody, (const char *const[]){ "layout", NULL }), 0);
	assert_int_equal(r.status, 1);
	assert_string_equal(r.out, "");
	assert_non_null(strstr(r.err, "CAP_BPF"));
	assert_non_null(strstr(r.err, "CAP_SYS_ADMIN"));
	assert_int_equal(strchr(r.err, '\n') - r.err + 1, (long)strlen(r.err));
	run_result_free(&r);
}

static void test_usage_errors(void **state)
{
	static const char *const bad_source[] = { "layout", "--source", "bogus", NULL };
	/* an empty list is an error, not every source */
	static const char *const no_source[] = { "layout", "--source", "", NULL };
	static const char *const commas[] = { "layout", "--source", ",", NULL };
	static const char *const extra_arg[] = { "layout", "extra", NULL };
	static const char *const bad_option[] = { "layout", "--nope", NULL };
	static const char *const bad_command[] = { "frobnicate", NULL };
	static const char *const *const cases[] = {
		bad_source, no_source, commas, extra_arg, bad_option, bad_command,
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(expect_usage_error(cases[i]), 0);
}

/* kptr_restrict=2 blanks /proc/kallsyms even for root; the iterator is not. */
/* kernel.kptr_restrict as the host had it, put back after the test whatever happens. */
static struct saved_sysctls kptr_restrict = { .path = { "/proc/sys/kernel/kptr_restrict" } };

static void test_kptr_restrict_2_uses_ksym_iterator(void **state)
{
	uint64_t text, v;
	json_t *root;
	int err;

	(void)state;
	assert_int_equal(truth_kallsyms("_text", &text), 0);
	assert_int_equal(write_sysctl("/proc/sys/kernel/kptr_restrict", "2"), 0);
	err = truth_kallsyms("_text", &v);
	root = layout_json((const char *const[]){ "--source", "ksym", NULL });
	sysctls_restore(&(void *){ &kptr_restrict });
	assert_int_equal(err, -EACCES);		/* the file really was censored */
	assert_true(json_evidence(root, "_text", "ksym", &v));
	assert_int_equal(v, text);
	json_decref(root);
}

/* A private mount namespace where /sys/kernel/vmcoreinfo reads empty. */
static void hide_vmcoreinfo(void)
{
	if (unshare(CLONE_NEWNS) ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount("/dev/null", "/sys/kernel/vmcoreinfo", NULL, MS_BIND, NULL))
		_exit(125);
}

static void test_missing_vmcoreinfo_falls_back(void **state)
{
	const char *args[] = { "layout", "--json", NULL };
	struct run_result r;
	json_t *root, *src;

	(void)state;
	assert_int_equal(run_kvas(&r, hide_vmcoreinfo, args), 0);
	assert_int_equal(r.status, 0);
	root = run_json(&r);
	assert_non_null(root);
	src = json_object_get(json_object_get(root, "sources"), "vmcoreinfo");
	assert_false(json_is_true(json_object_get(src, "available")));
	assert_non_null(strstr(json_string_value(json_object_get(src, "note")), "vmcoreinfo"));
	/* The values it would have confirmed come from the others, still right. */
	assert_int_equal(must_value(root, "page_offset_base"), must_value(full, "page_offset_base"));
	assert_string_equal(json_status(root, "page_offset_base"), "confirmed");
	assert_int_equal(must_value(root, "vmalloc_base"), must_value(full, "vmalloc_base"));
	assert_false(json_has_source(root, "vmalloc_base", "vmcoreinfo"));
	assert_int_equal(must_value(root, "phys_base"), must_value(full, "phys_base"));
	json_decref(root);
	run_result_free(&r);
}

/* raw_tp needs no tracefs: with none mounted, the tracepoint source works. */
static void unmount_tracefs(void)
{
	if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		_exit(125);
	umount2("/sys/kernel/tracing", MNT_DETACH);
	umount2("/sys/kernel/debug/tracing", MNT_DETACH);
	umount2("/sys/kernel/debug", MNT_DETACH);
}

static void test_tracepoint_source_without_tracefs(void **state)
{
	const char *args[] = { "layout", "--json", "--source", "tracepoint", NULL };
	struct run_result r;
	json_t *root;
	uint64_t v;

	(void)state;
	assert_int_equal(run_kvas(&r, unmount_tracefs, args), 0);
	assert_int_equal(r.status, 0);
	root = run_json(&r);
	assert_non_null(root);
	assert_true(json_evidence(root, "page_offset_base", "tracepoint", &v));
	assert_int_equal(v, must_value(full, "page_offset_base"));
	json_decref(root);
	run_result_free(&r);
}

/*
 * What can outlive a process that loads BPF programs: objects pinned in
 * bpffs, probe events left in tracefs (a legacy kprobe), files in the temp
 * directory, sysctls it turned. The programs themselves go with the
 * process's file descriptors; these do not.
 */
static char *host_state(void)
{
	static const char script[] =
		"find /sys/fs/bpf 2>/dev/null\n"
		"for f in /sys/kernel/tracing/kprobe_events /sys/kernel/tracing/uprobe_events"
		" /sys/kernel/debug/tracing/kprobe_events /sys/kernel/debug/tracing/uprobe_events; do"
		" [ -r \"$f\" ] && echo \"$f:\" && cat \"$f\"; done\n"
		"ls -a \"${TMPDIR:-/tmp}\" | grep -i '^kvas' | grep -v '^kvas-json-\\|^kvas-test'\n"
		"cd /proc/sys/kernel && grep -H . bpf_stats_enabled perf_event_paranoid kptr_restrict"
		" dmesg_restrict unprivileged_bpf_disabled 2>/dev/null\n"
		"exit 0\n";
	struct run_result r;
	char *out;

	assert_int_equal(run_cmd(&r, (const char *const[]){ "sh", "-c", script, NULL }), 0);
	assert_int_equal(r.status, 0);
	out = r.out;
	r.out = NULL;
	run_result_free(&r);
	return out;
}

/* layout, dmap, translate and why load programs, run them once and leave nothing behind. */
static void test_nothing_left_attached(void **state)
{
	static const char *const runs[][4] = {
		{ "layout" }, { "dmap" }, { "translate", "--phys", "0x1000" }, { "why" },
	};
	char *before, *after;
	struct run_result r;

	(void)state;
	assert_int_equal(wait_no_kvas_progs(), 0);
	before = host_state();
	for (size_t i = 0; i < sizeof(runs) / sizeof(runs[0]); i++) {
		assert_int_equal(run_kvas(&r, NULL, runs[i]), 0);
		assert_int_equal(r.status, 0);
		run_result_free(&r);
	}
	assert_int_equal(wait_no_kvas_progs(), 0);
	after = host_state();
	if (strcmp(before, after))
		fail_msg("kvas left something behind:\nbefore:\n%s\nafter:\n%s", before, after);
	free(before);
	free(after);
}

static void test_text_output_has_every_value(void **state)
{
	struct run_result r;

	(void)state;
	assert_int_equal(run_kvas(&r, NULL, (const char *const[]){ "layout", NULL }), 0);
	assert_int_equal(r.status, 0);
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		char expect[64];
		uint64_t v = must_value(full, fields[i]);

		if (!strcmp(fields[i], "paging_levels"))
			snprintf(expect, sizeof(expect), "%-17s %-18llu", fields[i],
				 (unsigned long long)v);
		else
			snprintf(expect, sizeof(expect), "%-17s 0x%016llx", fields[i],
				 (unsigned long long)v);
		if (!strstr(r.out, expect))
			fail_msg("text output lacks '%s'", expect);
	}
	assert_non_null(strstr(r.out, "Regions of this boot"));
	run_result_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_value_confirmed),
		cmocka_unit_test(test_text_matches_kallsyms),
		cmocka_unit_test(test_phys_base_matches_iomem),
		cmocka_unit_test(test_paging_levels_match_mmap),
		cmocka_unit_test(test_page_offset_base_reads_own_page),
		cmocka_unit_test(test_vmemmap_base_describes_own_page),
		cmocka_unit_test(test_bases_match_vmcoreinfo),
		cmocka_unit_test(test_invariants),
		cmocka_unit_test(test_source_ksym_alone),
		cmocka_unit_test(test_source_tracepoint_alone),
		cmocka_unit_test(test_source_vmcoreinfo_alone),
		cmocka_unit_test(test_source_pagewalk_alone),
		cmocka_unit_test(test_refuses_without_root),
		cmocka_unit_test(test_usage_errors),
		cmocka_unit_test_prestate_setup_teardown(test_kptr_restrict_2_uses_ksym_iterator,
							 sysctls_save, sysctls_restore,
							 &kptr_restrict),
		cmocka_unit_test(test_missing_vmcoreinfo_falls_back),
		cmocka_unit_test(test_tracepoint_source_without_tracefs),
		cmocka_unit_test(test_nothing_left_attached),
		cmocka_unit_test(test_text_output_has_every_value),
	};

	return run_root_suite("layout (root, live kernel)", tests, setup_full, teardown_full);
}
