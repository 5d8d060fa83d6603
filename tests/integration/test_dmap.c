// SPDX-License-Identifier: GPL-2.0
/*
 * kvas dmap on the running kernel: the walk against /proc/iomem and
 * DirectMap*, and against pages this test takes out of the direct map
 * itself with memfd_secret.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "procfs.h"
#include "procfs_read.h"
#include "testlib.h"

#define SECRET_PAGES 32

static const char *const sizes[] = { "4K", "2M", "1G" };

static json_t *dmap_json(void)
{
	static const char *const args[] = { "dmap", "--json", NULL };
	int status;
	json_t *j = run_kvas_json(args, &status);

	assert_non_null(j);
	assert_int_equal(status, 0);
	return j;
}

static int64_t jint(json_t *o, const char *a, const char *b)
{
	json_t *v = json_object_get(o, a);

	if (b)
		v = json_object_get(v, b);
	assert_true(json_is_integer(v));
	return json_integer_value(v);
}

static int64_t size_pages(json_t *j, const char *which, const char *size)
{
	return json_integer_value(json_object_get(json_object_get(json_object_get(j,
			"page_sizes"), which), size));
}

/* Every byte of System RAM is mapped, or was taken out of the direct map. */
static void test_walk_covers_ram(void **state)
{
	json_t *j = dmap_json();
	struct iomem io;
	uint64_t ram = 0;

	(void)state;
	assert_int_equal(iomem_read(&io), 0);
	for (int i = 0; i < io.nr_ram; i++)
		ram += io.ram[i].end + 1 - io.ram[i].start;
	assert_int_equal(jint(j, "ram_bytes", NULL), ram);
	assert_true(json_is_true(json_object_get(json_object_get(j, "walk"), "complete")));
	assert_int_equal(jint(j, "mapped_bytes", NULL) - jint(j, "mapped_non_ram_bytes", NULL),
			 ram - jint(j, "page_sizes", "removed_4k_pages") * 4096);
	json_decref(j);
}

/* The walk agrees with DirectMap* per size, or the report says why not. */
static void test_sizes_agree_or_explained(void **state)
{
	json_t *j = dmap_json(), *ps;
	struct direct_map_stats st = { 0 };
	bool agrees = true;

	(void)state;
	ps = json_object_get(j, "page_sizes");
	assert_int_equal(direct_map_stats_read(&st), 0);
	/* the report's DirectMap* are the kernel's (nothing split meanwhile here) */
	assert_int_equal(size_pages(j, "meminfo_pages", "1G"), st.kb_1g / (1024 * 1024));
	for (int i = 0; i < 3; i++) {
		int64_t d = size_pages(j, "walk_pages", sizes[i]) -
			    size_pages(j, "meminfo_pages", sizes[i]);

		assert_int_equal(d, size_pages(j, "diff_pages", sizes[i]));
		if (d > 1 || d < -1)
			agrees = false;
	}
	assert_int_equal(json_is_true(json_object_get(ps, "agrees")), agrees);
	if (!agrees) {
		const char *why = json_string_value(json_object_get(ps, "explanation"));

		assert_non_null(why);
		assert_true(strlen(why) > 20);
		fprintf(stderr, "  (DirectMap* and the walk differ here; the report says: %.60s...)\n", why);
	}
	json_decref(j);
}

static bool splits_moved(const struct direct_map_stats *a, const struct direct_map_stats *b)
{
	return a->level2_splits != b->level2_splits || a->level3_splits != b->level3_splits ||
	       a->level2_collapses != b->level2_collapses ||
	       a->level3_collapses != b->level3_collapses;
}

/*
 * The verdict, decided from what the kernel shows: two runs of kvas dmap
 * that find the same difference while the split and collapse counters stay
 * still must call it bookkeeping, not a race; no difference, agreement.
 */
static void test_verdict_bookkeeping_when_still(void **state)
{
	struct direct_map_stats before = { 0 }, after = { 0 };
	json_t *j1, *j2, *ps1, *ps2;
	bool differ = false, same = true;

	(void)state;
	assert_int_equal(direct_map_stats_read(&before), 0);
	j1 = dmap_json();
	j2 = dmap_json();
	assert_int_equal(direct_map_stats_read(&after), 0);
	if (!before.have_sizes || !before.have_splits || splits_moved(&before, &after)) {
		printf("no DirectMap* or split counters, or the direct map split meanwhile"
		       " (2M->4K %llu -> %llu): skipped\n",
		       (unsigned long long)before.level2_splits,
		       (unsigned long long)after.level2_splits);
		goto out;
	}
	ps1 = json_object_get(j1, "page_sizes");
	ps2 = json_object_get(j2, "page_sizes");
	for (int i = 0; i < 3; i++) {
		int64_t d = size_pages(j1, "diff_pages", sizes[i]);

		differ |= d > 1 || d < -1;
		same &= d == size_pages(j2, "diff_pages", sizes[i]);
	}
	if (!differ) {
		assert_string_equal(json_str(ps1, "verdict"), "agree");
	} else if (same) {
		for (json_t *ps = ps1; ps; ps = ps == ps1 ? ps2 : NULL) {
			const char *why = json_str(ps, "explanation");

			assert_string_equal(json_str(ps, "verdict"), "bookkeeping");
			assert_non_null(strstr(why, "not a race"));
		}
		printf("  DirectMap* differs from the tables by a fixed amount here: %s\n",
		       json_str(ps1, "explanation"));
	} else {
		printf("the difference changed between two runs with the counters still: skipped\n");
	}
out:
	json_decref(j1);
	json_decref(j2);
}

static char *map_secret(int *fd_out)
{
	int fd = (int)syscall(447 /* memfd_secret */, 0);
	char *p;

	if (fd < 0)
		return NULL;
	assert_int_equal(ftruncate(fd, SECRET_PAGES * 4096L), 0);
	p = mmap(NULL, SECRET_PAGES * 4096L, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	assert_true(p != MAP_FAILED);
	for (int i = 0; i < SECRET_PAGES; i++)
		p[i * 4096] = 1;	/* each fault takes its page out of the direct map */
	*fd_out = fd;
	return p;
}

/*
 * Pages this test takes out of the direct map show up as exactly that many
 * more not-present 4K entries, and whatever the kernel split to do it moves
 * the walk and DirectMap* alike.
 */
static void test_secret_pages_seen(void **state)
{
	json_t *before, *during, *after;
	int fd;
	char *p;

	(void)state;
	before = dmap_json();
	assert_true(json_is_true(json_object_get(json_object_get(before, "secretmem"), "available")));
	p = map_secret(&fd);
	assert_non_null(p);
	during = dmap_json();
	munmap(p, SECRET_PAGES * 4096L);
	close(fd);
	after = dmap_json();
	assert_int_equal(jint(during, "page_sizes", "removed_4k_pages") -
			 jint(before, "page_sizes", "removed_4k_pages"), SECRET_PAGES);
	assert_int_equal(jint(during, "secretmem", "pages_out_of_direct_map"),
			 jint(during, "page_sizes", "removed_4k_pages"));
	/* freed secret pages go back into the direct map */
	assert_int_equal(jint(after, "page_sizes", "removed_4k_pages"),
			 jint(before, "page_sizes", "removed_4k_pages"));
	for (int i = 0; i < 3; i++)
		assert_int_equal(size_pages(during, "walk_pages", sizes[i]) -
				 size_pages(before, "walk_pages", sizes[i]),
				 size_pages(during, "meminfo_pages", sizes[i]) -
				 size_pages(before, "meminfo_pages", sizes[i]));
	json_decref(before);
	json_decref(during);
	json_decref(after);
}

/*
 * Attribution needs fentry or kprobes. Where the kernel refuses both (this
 * CI machine), kvas says why and falls back to the counters.
 */
static void test_attribution_or_why(void **state)
{
	static const char *const args[] = { "dmap", NULL };
	json_t *j = dmap_json(), *a = json_object_get(j, "attribution");
	struct run_result r;

	(void)state;
	assert_int_equal(run_kvas(&r, NULL, args), 0);
	if (json_is_true(json_object_get(a, "available"))) {
		const char *m = json_string_value(json_object_get(a, "method"));

		assert_true(!strcmp(m, "fentry") || !strcmp(m, "kprobe"));
		assert_non_null(strstr(r.out, "Attribution: by "));
	} else {
		const char *why = json_string_value(json_object_get(a, "why"));

		assert_non_null(why);
		assert_non_null(strstr(why, "fentry"));
		assert_non_null(strstr(why, "kprobes"));
		assert_non_null(strstr(r.out, "Attribution: unavailable"));
		assert_non_null(strstr(r.out, "counters only"));
		fprintf(stderr, "  (fallback: %s)\n", why);
	}
	run_result_free(&r);
	json_decref(j);
}

/*
 * Times the walks of dmap -i's lines saw SECRET_PAGES more (out) and fewer
 * (back) pages out of the direct map than the line before; the first line,
 * the report, is walked before kvas attaches.
 */
struct transitions {
	int lines, out, back;
};

static void count_transitions(const char *text, struct transitions *t)
{
	char *copy = strdup(text), *save = NULL;
	int64_t last = -1;

	memset(t, 0, sizeof(*t));
	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		json_t *o = json_loads(line, 0, NULL);
		int64_t removed = jint(o, "page_sizes", "removed_4k_pages");

		t->out += last >= 0 && removed - last == SECRET_PAGES;
		t->back += last >= 0 && last - removed == SECRET_PAGES;
		last = removed;
		t->lines++;
		json_decref(o);
	}
	free(copy);
}

static bool pages_went_out(const char *out, void *arg)
{
	struct transitions t;

	(void)arg;
	count_transitions(out, &t);
	return t.out >= 1;
}

static bool pages_came_back(const char *out, void *arg)
{
	struct transitions t;

	(void)arg;
	count_transitions(out, &t);
	return t.out >= 1 && t.back >= 1;
}

/* Live: an interval sees this test's secret pages leave and come back. */
static void test_live_sees_secret_pages(void **state)
{
	static const char *const args[] = { "dmap", "-i", "0.5", "--json", NULL };
	struct transitions t;
	struct bg_kvas bg;
	char *p, *out, *save = NULL;
	bool went, back;
	int fd;

	(void)state;
	assert_int_equal(bg_kvas_start(&bg, args), 0);
	p = map_secret(&fd);
	assert_non_null(p);
	/* kvas prints JSON lines as its stdout buffer fills: seconds, not 20 */
	went = bg_kvas_wait_output(&bg, pages_went_out, NULL, 20000);
	munmap(p, SECRET_PAGES * 4096L);
	close(fd);
	back = went && bg_kvas_wait_output(&bg, pages_came_back, NULL, 20000);
	assert_int_equal(bg_kvas_wait(&bg, SIGINT), 0);
	out = bg_kvas_stdout(&bg);
	count_transitions(out, &t);
	for (char *line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		json_error_t e;
		json_t *o = json_loads(line, 0, &e), *prev, *cur;

		assert_non_null(o);
		if (!strcmp(json_string_value(json_object_get(o, "type")), "interval")) {
			prev = json_object_get(o, "previous_counters");
			cur = json_object_get(o, "counters");
			assert_non_null(prev);
			assert_non_null(cur);
			/* the report's names: bytes, seconds, the same attribution object */
			assert_true(json_object_size(cur) == 7 && json_object_size(prev) == 7);
			assert_true(json_is_real(json_object_get(o, "interval_s")));
			assert_true(json_is_object(json_object_get(o, "attribution")));
			assert_true(json_is_array(json_object_get(o, "changes")));
		}
		json_decref(o);
	}
	free(out);
	bg_kvas_cleanup(&bg);
	if (!went || !back || t.out != 1 || t.back != 1)
		fail_msg("dmap -i: %d lines; %d saw the %d secret pages go out, %d come back"
			 " (waited %s)", t.lines, t.out, SECRET_PAGES, t.back,
			 !went ? "20 s for them to go, in vain" :
			 !back ? "20 s for them to come back, in vain" : "for both");
	assert_int_equal(wait_no_kvas_progs(), 0);
}

/* Does a complete line of dmap -i show a kernel fault at *alias? */
static bool fault_shown(const char *out, void *arg)
{
	uint64_t alias = *(uint64_t *)arg;
	char *copy = strdup(out), *save = NULL;
	bool seen = false;

	for (char *line = strtok_r(copy, "\n", &save); line && !seen;
	     line = strtok_r(NULL, "\n", &save)) {
		json_t *l = json_loads(line, 0, NULL), *f;
		size_t i;

		json_array_foreach(json_object_get(l, "kernel_faults"), i, f)
			seen |= strtoull(json_string_value(json_object_get(f, "address")) ?: "0",
					 NULL, 16) == alias;
		json_decref(l);
	}
	free(copy);
	return seen;
}

/*
 * A kernel read of a page this test took out of the direct map faults there:
 * kvas translate --read makes the kernel's nofault copy touch it, and the
 * live report shows that fault with kvas's comm, the address and the
 * faulting function.
 */
static void test_live_sees_kernel_fault(void **state)
{
	static const char *const args[] = { "dmap", "-i", "0.5", "--json", NULL };
	const char *rd_args[] = { "translate", "--json", "--phys", "--read", "16", NULL, NULL };
	struct bg_kvas bg;
	uint64_t pfn, alias;
	int fd, status, seen = 0;
	char *p, *out, *save = NULL, pa[24];
	json_t *tr, *o;

	(void)state;
	assert_int_equal(bg_kvas_start(&bg, args), 0);
	p = map_secret(&fd);
	assert_non_null(p);
	assert_int_equal(truth_pagemap_pfn(p, &pfn), 0);
	snprintf(pa, sizeof(pa), "%llx", (unsigned long long)pfn * 4096);
	rd_args[5] = pa;
	tr = run_kvas_json(rd_args, &status);
	assert_non_null(tr);
	assert_int_equal(status, 1);
	o = json_array_get(tr, 0);
	assert_non_null(strstr(json_string_value(json_object_get(json_object_get(o, "read"),
				"error")), "faulted"));
	alias = strtoull(json_string_value(json_object_get(o, "direct_map_alias")), NULL, 16);
	/* an interval ends after the read; kvas prints it as its stdout buffer fills */
	if (!bg_kvas_wait_output(&bg, fault_shown, &alias, 20000))
		fprintf(stderr, "  (no line showed the fault at 0x%llx within 20 s)\n",
			(unsigned long long)alias);
	munmap(p, SECRET_PAGES * 4096L);
	close(fd);
	assert_int_equal(bg_kvas_wait(&bg, SIGINT), 0);
	out = bg_kvas_stdout(&bg);
	for (char *line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		json_t *l = json_loads(line, 0, NULL), *f;
		size_t i;

		assert_non_null(l);
		json_array_foreach(json_object_get(l, "kernel_faults"), i, f) {
			const char *sym = json_string_value(json_object_get(f, "symbol"));

			if (strtoull(json_string_value(json_object_get(f, "address")), NULL, 16) != alias)
				continue;
			assert_string_equal(json_string_value(json_object_get(f, "comm")), "kvas");
			assert_non_null(sym);
			assert_non_null(strstr(sym, "nofault"));
			fprintf(stderr, "  (kernel fault at 0x%llx, ip %s)\n",
				(unsigned long long)alias, sym);
			seen++;
		}
		json_decref(l);
	}
	free(out);
	bg_kvas_cleanup(&bg);
	json_decref(tr);
	assert_int_equal(seen, 1);
	assert_int_equal(wait_no_kvas_progs(), 0);
}

static void test_bad_input(void **state)
{
	static const char *const a1[] = { "dmap", "-i", "0", NULL };
	static const char *const a2[] = { "dmap", "--rows", "-3", NULL };
	static const char *const a3[] = { "dmap", "-d", "2", NULL };
	static const char *const a4[] = { "dmap", "--bogus", NULL };
	static const char *const a5[] = { "dmap", "extra", NULL };
	/* 2^32 + 1: once cast to int before the range check, it listed 1 piece */
	static const char *const a6[] = { "dmap", "--rows", "4294967297", NULL };

	(void)state;
	assert_int_equal(expect_usage_error(a1), 0);
	assert_int_equal(expect_usage_error(a2), 0);
	assert_int_equal(expect_usage_error(a3), 0);
	assert_int_equal(expect_usage_error(a4), 0);
	assert_int_equal(expect_usage_error(a5), 0);
	assert_int_equal(expect_usage_error(a6), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_walk_covers_ram),
		cmocka_unit_test(test_sizes_agree_or_explained),
		cmocka_unit_test(test_verdict_bookkeeping_when_still),
		cmocka_unit_test(test_secret_pages_seen),
		cmocka_unit_test(test_attribution_or_why),
		cmocka_unit_test(test_live_sees_secret_pages),
		cmocka_unit_test(test_live_sees_kernel_fault),
		cmocka_unit_test(test_bad_input),
	};

	return run_root_suite("dmap", tests, NULL, teardown_kill_kvas);
}
