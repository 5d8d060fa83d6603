// SPDX-License-Identifier: GPL-2.0
/*
 * kvas report on files made here with kvas.data's writer: a whole one is
 * reported (text names its function; JSON fits its schema) without root;
 * bad input (a missing file, an empty one, a wrong magic, a newer major
 * version, a directory) is one line and exit 1; a file cut at any of 100
 * offsets is reported with a warning or refused in one line, never a
 * crash; usage errors exit 2. And end to end (root): kvas record -g of a
 * toucher built with frame pointers, then its report, which names the
 * toucher's function and its caller after the toucher's binary is gone.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kvas_data.h"
#include "testlib.h"

#define FUNCTION "report_test_function"
#define CALLER "report_test_caller"

static char dir[] = "/tmp/kvas-report-XXXXXX";
static char whole[PATH_MAX];
static char kvas_abs[PATH_MAX];

/* A small recording: a process, its faults with a stack naming FUNCTION, a TLB event. */
static void write_recording(const char *path)
{
	static uint64_t ips[] = { 0xffffffff81000100ULL, 0x401100, 0x401200 };
	struct rec_stack s = { 1, 2, 0, ips };
	struct rec_frame frames[] = {
		{ 0, ips[0], "do_anonymous_page", 0, "vmlinux", 0 },
		{ 42, ips[1], FUNCTION, 0, "toucher", 0x1100 },
		{ 42, ips[2], CALLER, 0, "toucher", 0x1200 },
	};
	struct rec_process p = { 42, 1, "toucher", "./toucher 5", 7 };
	struct rec_thread t = { 42, 42, "toucher" };
	struct rec_cgroup c = { 7, "/user.slice", NULL };
	struct rec_mapping m = { 42, 0x7f0000000000ULL, 0x7f0000100000ULL, 0, "rw-p", NULL };
	struct kd_writer w;
	uint32_t index;
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(kd_write_begin(&w, f), 0);
	kd_write_meta(&w, "kernel_release", "6.18.0-test");
	kd_write_meta(&w, "paging_levels", "4");
	kd_write_meta(&w, "page_offset_base", "0xffff888000000000");
	kd_write_meta(&w, "vmalloc_base", "0xffffc90000000000");
	kd_write_meta(&w, "vmemmap_base", "0xffffea0000000000");
	kd_write_meta(&w, "tlb_reasons", "0=TLB_FLUSH_ON_TASK_SWITCH,1=TLB_REMOTE_SHOOTDOWN");
	kd_write_meta(&w, "mono_start_ns", "1000");
	kd_write_meta(&w, "duration_ns", "1000000");
	kd_write_meta(&w, "dropped", "0");
	kd_write_process(&w, &p);
	kd_write_thread(&w, &t);
	kd_write_cgroup(&w, &c);
	kd_write_mapping(&w, &m);
	for (size_t i = 0; i < sizeof(frames) / sizeof(frames[0]); i++)
		kd_write_frame(&w, &frames[i]);
	assert_int_equal(kd_write_stack(&w, &s, &index), 0);
	for (int i = 0; i < 40; i++) {
		struct rec_event e = {
			.ts_ns = 1000 + i * 1000, .addr = m.start + i * 4096ULL, .ip = ips[1],
			.arg = 6, .cgroup = 7, .pa = 0x100000 + i * 4096ULL, .pid = 42, .tid = 42,
			.stack = index, .kind = VM_FAULT_USER, .page_shift = 12,
		};

		assert_int_equal(kd_write_event(&w, &e), 0);
	}
	{
		struct rec_event e = { .ts_ns = 50000, .arg = 1, .cgroup = 7, .pid = 42, .tid = 42,
				       .stack = REC_NO_STACK, .kind = VM_TLB_FLUSH, .reason = 1 };

		assert_int_equal(kd_write_event(&w, &e), 0);
	}
	assert_int_equal(kd_write_end(&w), 0);
	assert_int_equal(fclose(f), 0);
}

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(dir))
		return -1;
	snprintf(whole, sizeof(whole), "%s/whole.data", dir);
	write_recording(whole);
	if (!realpath(getenv("KVAS") ? getenv("KVAS") : "./kvas", kvas_abs))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	char cmd[PATH_MAX + 16];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) ? -1 : 0;
}

/* bytes into dir/name; its path in path. */
static void write_file(const char *name, const void *bytes, size_t n, char *path, size_t len)
{
	FILE *f;

	snprintf(path, len, "%s/%s", dir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(bytes, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

static char *whole_bytes(size_t *n)
{
	char *text = NULL;
	FILE *f = fopen(whole, "rb");
	struct stat st;

	assert_non_null(f);
	assert_int_equal(fstat(fileno(f), &st), 0);
	*n = (size_t)st.st_size;
	text = malloc(*n);
	assert_non_null(text);
	assert_int_equal(fread(text, 1, *n, f), *n);
	fclose(f);
	return text;
}

/* kvas report -i path refuses it: exit 1, nothing on stdout, one line naming path. */
static void assert_refused(const char *path, const char *why)
{
	struct run_result r;

	assert_int_equal(run_kvas(&r, NULL, (const char *const[]){ "report", "-i", path, NULL }), 0);
	if (r.status != 1 || r.out[0] || !strstr(r.err, path) ||
	    strchr(r.err, '\n') != r.err + strlen(r.err) - 1 || (why && !strstr(r.err, why)))
		fail_msg("kvas report -i %s: status %d, stdout '%.200s', stderr '%s'", path,
			 r.status, r.out, r.err);
	run_result_free(&r);
}

/* Without root, as perf report: the whole file, its function named. */
static void drop_root(void)
{
	if (setgid(65534) || setuid(65534))
		_exit(126);
}

static void test_whole(void **state)
{
	struct run_result r;

	(void)state;
	chmod(dir, 0755);
	chmod(whole, 0644);
	assert_int_equal(run_kvas(&r, drop_root, (const char *const[]){ "report", "-i", whole,
					"--sort", "pid,sym", NULL }), 0);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.err, "");
	assert_non_null(strstr(r.out, "42:toucher"));
	assert_non_null(strstr(r.out, "  " FUNCTION "\n"));
	assert_non_null(strstr(r.out, "             " CALLER "\n"));
	assert_non_null(strstr(r.out, "remote shootdown"));
	/* flags 0: record reached the outermost frame, so no cut is said */
	assert_null(strstr(r.out, "[chain cut"));
	run_result_free(&r);
}

static int validate(const char *path)
{
	int status;
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (!pid) {
		execl("/usr/bin/python3", "python3", "tests/json/validate.py",
		      "docs/schema/report.schema.json", path, (char *)NULL);
		_exit(127);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void test_json(void **state)
{
	char path[PATH_MAX];
	json_t *root, *by;
	struct run_result r;
	int status;

	(void)state;
	root = run_kvas_json((const char *const[]){ "report", "-i", whole, "--json", NULL }, &status);
	assert_int_equal(status, 0);
	assert_non_null(root);
	by = json_object_get(root, "by_symbol");
	assert_int_equal(json_integer_value(json_object_get(by, "total")), 40);
	assert_string_equal(json_str(json_array_get(json_object_get(by, "rows"), 0), "symbol"),
			    FUNCTION);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(root, "chains"),
							      "total")), 40);
	json_decref(root);
	assert_int_equal(run_kvas(&r, NULL, (const char *const[]){ "report", "-i", whole, "-j",
					NULL }), 0);
	write_file("report.json", r.out, strlen(r.out), path, sizeof(path));
	run_result_free(&r);
	assert_int_equal(validate(path), 0);
}

/* No -i: kvas.data in the current directory, as perf report's perf.data. */
static void chdir_dir(void)
{
	if (chdir(dir))
		_exit(126);
}

static void test_default_input(void **state)
{
	char path[PATH_MAX];
	struct run_result r;

	(void)state;
	setenv("KVAS", kvas_abs, 1);
	assert_int_equal(run_kvas(&r, chdir_dir, (const char *const[]){ "report", NULL }), 0);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "kvas report: kvas.data: No such file or directory"));
	run_result_free(&r);
	snprintf(path, sizeof(path), "%s/kvas.data", dir);
	assert_int_equal(link(whole, path), 0);
	assert_int_equal(run_kvas(&r, chdir_dir, (const char *const[]){ "report", NULL }), 0);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, FUNCTION));
	run_result_free(&r);
	unlink(path);
	/* KVAS stays kvas_abs: the same kvas, where a SANITIZE=1 run set KVAS */
}

static void test_bad_input(void **state)
{
	static const char wrong[] = "NOTKVAS!\x01\x00\x00\x00";
	char path[PATH_MAX], *bytes;
	size_t n;

	(void)state;
	snprintf(path, sizeof(path), "%s/missing.data", dir);
	assert_refused(path, "No such file");
	write_file("empty.data", "", 0, path, sizeof(path));
	assert_refused(path, NULL);
	write_file("wrong.data", wrong, sizeof(wrong) - 1, path, sizeof(path));
	assert_refused(path, "not a kvas.data file");
	/* a newer major version: the header's u16 after the magic */
	bytes = whole_bytes(&n);
	bytes[8] = KD_MAJOR + 1;
	write_file("newer.data", bytes, n, path, sizeof(path));
	free(bytes);
	assert_refused(path, "newer");
	assert_refused(dir, "Is a directory");
}

/* Cut at 100 offsets through the file: a report with a warning, or one line; never a crash. */
static void test_truncated(void **state)
{
	char path[PATH_MAX], *bytes;
	int reported = 0, refused = 0;
	size_t n;

	(void)state;
	bytes = whole_bytes(&n);
	for (int i = 0; i < 100; i++) {
		size_t cut = (size_t)i * (n - 1) / 99;	/* 0 .. n - 1 */
		struct run_result r;

		write_file("cut.data", bytes, cut, path, sizeof(path));
		assert_int_equal(run_kvas(&r, NULL, (const char *const[]){ "report", "-i", path,
						NULL }), 0);
		if (r.status == 0 && strstr(r.err, "cut short") &&
		    strstr(r.out, "# Warning: the file was cut short")) {
			reported++;
		} else if (r.status == 1 && !r.out[0] &&
			   strchr(r.err, '\n') == r.err + strlen(r.err) - 1) {
			refused++;
		} else {
			fail_msg("cut at %zu of %zu: status %d, stderr '%s'", cut, n, r.status, r.err);
		}
		run_result_free(&r);
	}
	free(bytes);
	/* a cut past the header and the first records is a report of what came before */
	assert_true(reported > 50);
	assert_int_equal(reported + refused, 100);
}

static void test_cut_short_json(void **state)
{
	char path[PATH_MAX], *bytes;
	json_t *root;
	size_t n;
	int status;

	(void)state;
	bytes = whole_bytes(&n);
	write_file("cut.data", bytes, n - 1, path, sizeof(path));
	free(bytes);
	root = run_kvas_json((const char *const[]){ "report", "-i", path, "--json", NULL },
			     &status);
	assert_int_equal(status, 0);
	assert_non_null(root);
	assert_true(json_is_string(json_object_get(json_object_get(root, "summary"),
						   "cut_short")));
	assert_true(json_array_size(json_object_get(root, "warnings")) >= 1);
	json_decref(root);
}

static void test_usage(void **state)
{
	(void)state;
	assert_int_equal(expect_usage_error((const char *const[]){ "report", "--sort", "dso",
								   NULL }), 0);
	assert_int_equal(expect_usage_error((const char *const[]){ "report", "--sort", "pid,pid",
								   NULL }), 0);
	assert_int_equal(expect_usage_error((const char *const[]){ "report", "--rows", "0",
								   NULL }), 0);
	assert_int_equal(expect_usage_error((const char *const[]){ "report", "-i", NULL }), 0);
	assert_int_equal(expect_usage_error((const char *const[]){ "report", "-i", "", NULL }), 0);
	assert_int_equal(expect_usage_error((const char *const[]){ "report", "extra", NULL }), 0);
	/* report's -i is no interval, and it takes no duration */
	assert_int_equal(expect_usage_error((const char *const[]){ "report", "-d", "1", NULL }),
			 0);
	assert_int_equal(expect_usage_error((const char *const[]){ "report", "--interval", "1",
								   NULL }), 0);
}

#define E2E_PAGES 2000

/* The events of the rows of table whose field key is value (a string or an integer). */
static uint64_t events_where(json_t *root, const char *table, const char *key, json_t *value)
{
	json_t *rows = json_object_get(json_object_get(root, table), "rows"), *row;
	uint64_t n = 0;
	size_t i;

	json_array_foreach(rows, i, row)
		if (json_equal(json_object_get(row, key), value))
			n += json_integer_value(json_object_get(row, "events"));
	return n;
}

/* The events of the chains that hold function then caller, one after the other. */
static uint64_t chain_events(json_t *root, const char *function, const char *caller)
{
	json_t *rows = json_object_get(json_object_get(root, "chains"), "rows"), *row;
	uint64_t n = 0;
	size_t i;

	json_array_foreach(rows, i, row) {
		json_t *frames = json_object_get(row, "frames");

		for (size_t f = 0; f + 1 < json_array_size(frames); f++)
			if (!strcmp(json_string_value(json_array_get(frames, f)), function) &&
			    !strcmp(json_string_value(json_array_get(frames, f + 1)), caller)) {
				n += json_integer_value(json_object_get(row, "events"));
				break;
			}
	}
	return n;
}

/*
 * kvas record -g -- TOUCHER, then kvas report: the toucher's user faults
 * (at least one per page), most of them in touch_pages called from
 * toucher_caller, translated to 4K pages; the same once the toucher's
 * binary is deleted, and the JSON fits the schema.
 */
static void test_record_then_report(void **state)
{
	char src[PATH_MAX], toucher[PATH_MAX], data[PATH_MAX], pages[16], path[PATH_MAX];
	uint64_t events, in_function, chained, on_4k;
	json_t *root, *pid_json, *function, *page_4k;
	struct run_result run;
	int status, pid;

	(void)state;
	if (geteuid()) {
		fprintf(stderr, "skip: kvas record needs root\n");
		skip();
	}
	snprintf(src, sizeof(src), "%s/tests/record_toucher.c", source_dir());
	snprintf(toucher, sizeof(toucher), "%s/toucher", dir);
	snprintf(data, sizeof(data), "%s/e2e.data", dir);
	if (run_cmd(&run, (const char *const[]){ "cc", "-O0", "-fno-omit-frame-pointer", "-o",
						 toucher, src, NULL }) || run.status) {
		fprintf(stderr, "skip: cannot build %s: %s\n", src, run.err ? run.err : "");
		run_result_free(&run);
		skip();
	}
	run_result_free(&run);
	snprintf(pages, sizeof(pages), "%d", E2E_PAGES);
	assert_int_equal(run_kvas(&run, NULL, (const char *const[]){ "record", "-g", "-o", data,
		"--", toucher, pages, NULL }), 0);
	if (run.status || sscanf(run.out, "pid %d", &pid) != 1)
		fail_msg("kvas record: exit %d, stdout '%s', stderr '%s'", run.status, run.out,
			 run.err);
	run_result_free(&run);
	assert_int_equal(wait_no_kvas_progs(), 0);
	/* the report needs nothing but the file */
	assert_int_equal(unlink(toucher), 0);
	root = run_kvas_json((const char *const[]){ "report", "-i", data, "--json", "--sort",
		"pid,kind", "--rows", "100000", NULL }, &status);
	assert_int_equal(status, 0);
	assert_non_null(root);
	pid_json = json_integer(pid);
	function = json_string("touch_pages");
	page_4k = json_integer(4096);
	events = events_where(root, "by_process", "pid", pid_json);
	in_function = events_where(root, "by_symbol", "symbol", function);
	chained = chain_events(root, "touch_pages", "toucher_caller");
	on_4k = events_where(root, "by_page_size", "page_size", page_4k);
	if (events < E2E_PAGES || in_function < E2E_PAGES * 9 / 10 ||
	    chained < E2E_PAGES * 9 / 10 || on_4k < E2E_PAGES * 9 / 10)
		fail_msg("pid %d: %" PRIu64 " events, %" PRIu64 " in touch_pages, %" PRIu64
			 " through toucher_caller, %" PRIu64 " on 4K pages; of %d pages", pid,
			 events, in_function, chained, on_4k, E2E_PAGES);
	json_decref(pid_json);
	json_decref(function);
	json_decref(page_4k);
	json_decref(root);
	/* the JSON of a real recording fits the schema too */
	assert_int_equal(run_kvas(&run, NULL, (const char *const[]){ "report", "-i", data, "-j",
					NULL }), 0);
	assert_int_equal(run.status, 0);
	write_file("e2e.json", run.out, strlen(run.out), path, sizeof(path));
	run_result_free(&run);
	assert_int_equal(validate(path), 0);
	unlink(path);
	unlink(data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whole),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_default_input),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_cut_short_json),
		cmocka_unit_test(test_usage),
		cmocka_unit_test(test_record_then_report),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
