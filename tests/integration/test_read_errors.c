// SPDX-License-Identifier: GPL-2.0
/*
 * A read that fails is named, never shown as an empty table: kvas top run
 * under an LD_PRELOAD shim (tests/preload/fail_bpf.c) whose batch reads of
 * one BPF map fail with EIO must say which table, in its JSON
 * ("read_errors") and on its screen ("READ FAILED"), and go on; run without
 * it, a batch read that ends (ENOENT) is no failure.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testlib.h"

/* What the shim is told to fail, for the child's setup before exec. */
static const char *fail_map, *fail_after;
static char shim[4096];

static void fail_reads(void)
{
	setenv("LD_PRELOAD", shim, 1);
	setenv("KVAS_FAIL_MAP", fail_map, 1);
	setenv("KVAS_FAIL_AFTER", fail_after, 1);
}

/* The shim, built next to this test binary by the Makefile. */
static int find_shim(void **state)
{
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	(void)state;
	if (n <= 0)
		return -1;
	exe[n] = '\0';
	snprintf(shim, sizeof(shim), "%s/fail_bpf.so", dirname(exe));
	if (access(shim, R_OK)) {
		fprintf(stderr, "no %s: make build/tests/fail_bpf.so\n", shim);
		return -1;
	}
	return 0;
}

static bool skip_unless_root(void)
{
	if (geteuid()) {
		printf("not root: kvas top cannot run: skipped\n");
		return true;
	}
	return false;
}

/* Does read_errors hold what, with EIO? */
static bool names_failure(json_t *line, const char *what)
{
	json_t *errs = json_object_get(line, "read_errors"), *e;
	size_t i;

	json_array_foreach(errs, i, e)
		if (!strcmp(json_str(e, "what"), what) &&
		    json_integer_value(json_object_get(e, "errno")) == EIO &&
		    !strcmp(json_str(e, "error"), strerror(EIO)))
			return true;
	return false;
}

/* kvas top --json for two intervals, the shim failing map after N reads; its lines. */
static json_t *top_lines(const char *map, const char *after)
{
	const char *const args[] = { "top", "--json", "-i", "0.3", "-d", "0.6", NULL };
	struct run_result r;
	json_t *lines;

	fail_map = map;
	fail_after = after;
	assert_int_equal(run_kvas(&r, map ? fail_reads : NULL, args), 0);
	if (r.status)
		fail_msg("kvas top exited %d: %s", r.status, r.err);
	lines = json_lines_of(r.out);
	run_result_free(&r);
	assert_true(json_array_size(lines) >= 1);
	return lines;
}

/* Top under the shim, map failing after N reads: every interval names what failed. */
static void assert_every_interval_names(const char *map, const char *after, const char *what)
{
	json_t *lines, *line;
	size_t i;

	if (skip_unless_root())
		return;
	lines = top_lines(map, after);
	json_array_foreach(lines, i, line)
		if (!names_failure(line, what))
			fail_msg("interval %zu does not name the %s's failure: %s", i, what,
				 json_dumps(json_object_get(line, "read_errors"), 0));
	json_decref(lines);
}

/* Every batch read of the task table fails: every interval names it, and top goes on. */
static void test_tasks_table_failure_named_json(void **state)
{
	(void)state;
	assert_every_interval_names("tasks", "0", "tasks table");
}

/* The same on the screen: a READ FAILED line names the table and the error. */
static void test_tasks_table_failure_named_text(void **state)
{
	const char *const args[] = { "top", "-i", "0.3", "-d", "0.6", NULL };
	char want[128];
	struct run_result r;

	(void)state;
	if (skip_unless_root())
		return;
	fail_map = "tasks";
	fail_after = "0";
	assert_int_equal(run_kvas(&r, fail_reads, args), 0);
	snprintf(want, sizeof(want), "READ FAILED  tasks table: %s", strerror(EIO));
	if (r.status || !strstr(r.out, want))
		fail_msg("kvas top exited %d without '%s':\n%s\nstderr: %s", r.status, want,
			 r.out, r.err);
	run_result_free(&r);
}

/*
 * The exited threads' table fails after its first read (at the start, which
 * must pass for top to start): the intervals after name it.
 */
static void test_exited_table_failure_named(void **state)
{
	(void)state;
	assert_every_interval_names("exited", "1", "exited threads table");
}

/* No shim: the batch reads end on ENOENT, which is no failure, and the table has rows. */
static void test_no_failure_named_without_one(void **state)
{
	json_t *lines, *line;
	size_t i;

	(void)state;
	if (skip_unless_root())
		return;
	lines = top_lines(NULL, NULL);
	json_array_foreach(lines, i, line) {
		json_t *errs = json_object_get(line, "read_errors");

		assert_true(json_is_array(errs));
		if (json_array_size(errs))
			fail_msg("interval %zu names a failure: %s", i, json_dumps(errs, 0));
	}
	/* kvas itself faults and flushes: the table was read, not empty */
	line = json_array_get(lines, json_array_size(lines) - 1);
	assert_true(json_array_size(json_object_get(line, "processes")) > 0);
	json_decref(lines);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tasks_table_failure_named_json),
		cmocka_unit_test(test_tasks_table_failure_named_text),
		cmocka_unit_test(test_exited_table_failure_named),
		cmocka_unit_test(test_no_failure_named_without_one),
	};

	return cmocka_run_group_tests(tests, find_shim, NULL);
}
