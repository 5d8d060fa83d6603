// SPDX-License-Identifier: GPL-2.0
/*
 * kvas why on the running kernel: its TLB list against this test's own
 * decoding of CPUID, the direct map's sizes against DirectMap*, the kinds
 * against /proc/meminfo, removed_bytes against pages this test takes out
 * of the direct map with memfd_secret, and one measured run.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <cpuid.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "testlib.h"

#define SECRET_PAGES 64
#define PAGE 4096LL
#define MiB (1LL << 20)

static const char *const no_measure[] = { "why", "--json", "--no-measure", NULL };

static json_t *why_json(const char *const *args)
{
	int status;
	json_t *j = run_kvas_json(args, &status);

	assert_non_null(j);
	assert_int_equal(status, 0);
	return j;
}

static int64_t jget(json_t *o, const char *path)
{
	char buf[128], *save, *key;
	json_t *v = o;

	snprintf(buf, sizeof(buf), "%s", path);
	for (key = strtok_r(buf, ".", &save); key; key = strtok_r(NULL, ".", &save))
		v = json_object_get(v, key);
	if (!json_is_integer(v))
		fail_msg("%s is not an integer", path);
	return json_integer_value(v);
}

/* The test's own decoding: {level, page size, entries} the CPU reports for data. */
struct want {
	int level;
	long long size;
	long long entries;
};

static int want_amd(struct want *w)
{
	unsigned int a, b, c, d, max;
	int n = 0;

	__cpuid(0x80000000, max, b, c, d);
#define ADD(lvl, sz, cnt) do { if ((cnt) != 0) w[n++] = (struct want){ lvl, sz, cnt }; } while (0)
	if (max >= 0x80000005) {
		__cpuid(0x80000005, a, b, c, d);
		ADD(1, PAGE, (b >> 16) & 0xff);
		ADD(1, 2 * MiB, (a >> 16) & 0xff);
	}
	if (max >= 0x80000006) {
		__cpuid(0x80000006, a, b, c, d);
		ADD(2, PAGE, (b >> 16) & 0xfff);
		ADD(2, 2 * MiB, (a >> 16) & 0xfff);
	}
	if (max >= 0x80000019) {
		__cpuid(0x80000019, a, b, c, d);
		ADD(1, 1024 * MiB, (a >> 16) & 0xfff);
		ADD(2, 1024 * MiB, (b >> 16) & 0xfff);
	}
	return n;
}

/* Intel parts whose leaf 0x2 defers to leaf 0x18 (descriptor 0xFE); -1 for others. */
static int want_intel18(struct want *w)
{
	unsigned int a, b, c, d, max, last;
	int n = 0;

	__cpuid(0, max, b, c, d);
	__cpuid(2, a, b, c, d);
	if (max < 0x18 || (((a >> 16) & 0xff) != 0xfe && ((a >> 8) & 0xff) != 0xfe &&
			   (a >> 24) != 0xfe))
		return -1;
	__cpuid_count(0x18, 0, last, b, c, d);
	for (unsigned int s = 1; s <= last && n < 60; s++) {
		unsigned int type;

		__cpuid_count(0x18, s, a, b, c, d);
		type = d & 0x1f;
		if (type != 1 && type != 3 && type != 4)
			continue;
		if (b & 1)
			ADD((d >> 5) & 7, PAGE, (long long)(b >> 16) * c);
		if (b & 2)
			ADD((d >> 5) & 7, 2 * MiB, (long long)(b >> 16) * c);
		if (b & 8)
			ADD((d >> 5) & 7, 1024 * MiB, (long long)(b >> 16) * c);
	}
	return n;
}

static void test_tlb_is_cpuids(void **state)
{
	json_t *j = why_json(no_measure), *tlb = json_object_get(j, "tlb");
	struct want w[64];
	char vendor[13];
	unsigned int max;
	int n;

	(void)state;
	__cpuid(0, max, *(unsigned int *)vendor, *(unsigned int *)(vendor + 8),
		*(unsigned int *)(vendor + 4));
	vendor[12] = '\0';
	assert_string_equal(json_str(json_object_get(j, "cpuid"), "vendor"), vendor);
	if (!strcmp(vendor, "AuthenticAMD") || !strcmp(vendor, "HygonGenuine")) {
		n = want_amd(w);
	} else {
		n = want_intel18(w);
		if (n < 0 || json_is_true(json_object_get(json_object_get(j, "cpuid"), "hybrid"))) {
			json_decref(j);
			skip();	/* leaf 0x2 descriptors, or one core type only seen here */
		}
	}
	assert_int_equal(json_array_size(tlb), n);
	for (int i = 0; i < n; i++) {
		json_t *e = json_array_get(tlb, i);

		assert_int_equal(jget(e, "level"), w[i].level);
		assert_int_equal(jget(e, "page_size"), w[i].size);
		assert_int_equal(jget(e, "entries"), w[i].entries);
		printf("  L%d %lld KiB pages: %lld entries, as CPUID says\n", w[i].level,
		       w[i].size / 1024, w[i].entries);
	}
	json_decref(j);
}

static long long meminfo_kb(const char *text, const char *field)
{
	char key[64];
	const char *p;

	snprintf(key, sizeof(key), "\n%s:", field);
	p = strstr(text, key);
	return p ? strtoll(p + strlen(key), NULL, 10) : -1;
}

static char *meminfo(void)
{
	char *t = read_text_file("/proc/meminfo"), *nl;

	assert_non_null(t);
	/* a leading newline, so every field is found as "\nName:" */
	nl = malloc(strlen(t) + 2);
	sprintf(nl, "\n%s", t);
	free(t);
	return nl;
}

/*
 * Per size against DirectMap*, as kvas dmap judges it: within a page where
 * they agree; where the kernel's bookkeeping kept a difference since boot
 * (the walk's 2M against DirectMap's 4K, say), the total still matches.
 */
static void test_direct_map_is_meminfos(void **state)
{
	static const char *const field[] = { "DirectMap4k", "DirectMap2M", "DirectMap1G" };
	static const char *const key[] = { "4096", "2097152", "1073741824" };
	char *before = meminfo();
	json_t *j = why_json(no_measure), *dm = json_object_get(j, "direct_map");
	char *after = meminfo();
	long long walk_total = jget(j, "removed_bytes"), meminfo_total = 0;
	const char *agreement;

	(void)state;
	assert_true(json_is_object(dm));
	agreement = json_str(dm, "agreement");
	for (int i = 0; i < 3; i++) {
		long long b = meminfo_kb(before, field[i]) * 1024, a = meminfo_kb(after, field[i]) * 1024;
		long long walk = json_integer_value(json_object_get(json_object_get(dm,
					"bytes_by_page_size"), key[i]));
		long long shown = json_integer_value(json_object_get(json_object_get(dm,
					"meminfo_bytes_by_page_size"), key[i]));
		long long page = i == 0 ? PAGE : i == 1 ? 2 * MiB : 1024 * MiB;

		if (b < 0 && i == 2) {
			a = b = 0;	/* DirectMap1G is printed only where 1G pages are used */
		} else if (b < 0) {
			json_decref(j);
			free(before);
			free(after);
			skip();	/* no DirectMap lines on this kernel */
		}
		/* what kvas shows is the kernel's, read between the test's two reads */
		assert_true(shown >= (a < b ? a : b) && shown <= (a > b ? a : b));
		if (!strcmp(agreement, "agree"))
			assert_true(llabs(walk - shown) <= page);
		walk_total += walk;
		meminfo_total += shown;
		printf("  %s: walk %lld MiB, %s %lld MiB\n", key[i], walk >> 20, field[i],
		       shown >> 20);
	}
	assert_true(!strcmp(agreement, "agree") || !strcmp(agreement, "bookkeeping") ||
		    !strcmp(agreement, "race"));
	/* bookkeeping moves bytes between sizes, never the total */
	if (strcmp(agreement, "race"))
		assert_true(llabs(walk_total - meminfo_total) <= 2 * MiB);
	printf("  agreement: %s; walk and removed %lld MiB, DirectMap* %lld MiB\n", agreement,
	       walk_total >> 20, meminfo_total >> 20);
	json_decref(j);
	free(before);
	free(after);
}

static void test_kinds_are_meminfos(void **state)
{
	static const struct { const char *key, *field; long long slack_kb; } kinds[] = {
		{ "page_tables", "PageTables", 4096 },
		{ "secondary_page_tables", "SecPageTables", 1024 },
		{ "slab_reclaimable", "SReclaimable", 8192 },
		{ "slab_unreclaimable", "SUnreclaim", 8192 },
		{ "page_cache", "Cached", 32768 },
	};
	char *before = meminfo();
	json_t *j = why_json(no_measure), *k = json_object_get(j, "only_through_direct_map_bytes");
	char *after = meminfo();

	(void)state;
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		long long b = meminfo_kb(before, kinds[i].field), a = meminfo_kb(after, kinds[i].field);
		json_t *v = json_object_get(k, kinds[i].key);
		long long lo = (a < b ? a : b) - kinds[i].slack_kb, hi = (a > b ? a : b) + kinds[i].slack_kb;

		if (b < 0) {
			assert_true(json_is_null(v));
			continue;
		}
		assert_true(json_is_integer(v));
		/* within what the kernel said before and after, and the drift kvas's own run causes */
		assert_true(json_integer_value(v) / 1024 >= lo && json_integer_value(v) / 1024 <= hi);
	}
	assert_int_equal(jget(j, "mem_total_bytes"), meminfo_kb(before, "MemTotal") * 1024);
	if (!strcmp(json_str(j, "kernel_stacks_in"), "vmalloc"))
		assert_true(json_is_null(json_object_get(k, "kernel_stacks")));
	json_decref(j);
	free(before);
	free(after);
}

static long long removed_bytes(void)
{
	json_t *j = why_json(no_measure);
	long long v = jget(j, "removed_bytes");

	json_decref(j);
	return v;
}

struct removed_wait {
	long long below;
	long long seen;
};

static bool removed_fell(void *arg)
{
	struct removed_wait *w = arg;

	w->seen = removed_bytes();
	return w->seen <= w->below;
}

#ifndef SYS_memfd_secret
#define SYS_memfd_secret 447
#endif

static void test_removed_by_memfd_secret(void **state)
{
	long long before, during;
	struct removed_wait w;
	char *p;
	int fd;

	(void)state;
	fd = (int)syscall(SYS_memfd_secret, 0);
	if (fd < 0) {
		printf("memfd_secret: %s (not built, or secretmem.enable=0): skipped\n",
		       strerror(errno));
		skip();
	}
	before = removed_bytes();
	assert_int_equal(ftruncate(fd, SECRET_PAGES * PAGE), 0);
	p = mmap(NULL, SECRET_PAGES * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	assert_true(p != MAP_FAILED);
	for (int i = 0; i < SECRET_PAGES; i++)
		p[i * PAGE] = 1;	/* each fault takes its page out of the direct map */
	during = removed_bytes();
	printf("  removed_bytes: %lld before, %lld with %d secret pages\n", before, during,
	       SECRET_PAGES);
	assert_true(during >= before + SECRET_PAGES * PAGE);
	munmap(p, SECRET_PAGES * PAGE);
	close(fd);
	/* freeing a secret page puts it back (secretmem_free_folio): checked, not assumed */
	w.below = during - SECRET_PAGES * PAGE;
	if (wait_until(removed_fell, &w, 5000))
		printf("  and %lld after closing it: the kernel put them back\n", w.seen);
	else
		fail_msg("removed_bytes stayed at %lld after the secret pages were freed (had %lld)",
			 w.seen, during);
}

static void test_measured(void **state)
{
	static const char *const args[] = { "why", "--json", NULL };
	char *thp = read_text_file("/sys/kernel/mm/transparent_hugepage/enabled");
	double t0 = now_s();
	json_t *j = why_json(args), *m = json_object_get(j, "measured");
	json_t *reads = json_object_get(m, "random_read_ns");
	const char *keys[] = { "4096", "2097152" };

	(void)state;
	printf("  the measured run took %.1f s\n", now_s() - t0);
	assert_true(json_is_true(json_object_get(m, "done")));
	for (int i = 0; i < 2; i++) {
		json_t *s = json_object_get(reads, keys[i]);

		if (i == 1 && thp && strstr(thp, "[never]")) {
			assert_true(json_is_null(s));
			continue;
		}
		assert_true(json_is_object(s));
		assert_true(json_num(s, "min") > 0);
		assert_true(json_num(s, "min") <= json_num(s, "median"));
		assert_true(json_num(s, "median") <= json_num(s, "max"));
		printf("  %s-byte pages: %.1f ns (%.1f-%.1f)\n", keys[i], json_num(s, "median"),
		       json_num(s, "min"), json_num(s, "max"));
	}
	if (thp && !strstr(thp, "[never]"))
		assert_true(json_is_true(json_object_get(json_object_get(json_object_get(m,
				"buffers"), "2097152"), "huge_backed")));
	assert_true(json_num(json_object_get(m, "walk_ns"), "median") > 0);
	assert_true(json_num(json_object_get(m, "direct_map_ns"), "median") > 0);
	assert_int_equal(jget(m, "walk_levels"), jget(j, "direct_map.levels"));
	free(thp);
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tlb_is_cpuids),
		cmocka_unit_test(test_direct_map_is_meminfos),
		cmocka_unit_test(test_kinds_are_meminfos),
		cmocka_unit_test(test_removed_by_memfd_secret),
		cmocka_unit_test(test_measured),
	};

	return run_root_suite("kvas why (root, live kernel)", tests, NULL, NULL);
}
