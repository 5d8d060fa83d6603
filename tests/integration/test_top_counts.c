// SPDX-License-Identifier: GPL-2.0
/*
 * kvas top's faults per process are the kernel's own per-thread counts
 * (bpf/task_faults.bpf.c): checked against what the kernel reports itself
 * for processes and threads that exit (wait4's rusage, /proc/PID/stat),
 * and the window in which user-mode faults are watched one by one
 * (--detail) against the links kvas holds.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testlib.h"

#define PAGE 4096UL
#define TOUCH_PAGES 300
#define CHILDREN 5
#define THREADS 4
#define WAIT_MS 30000

static void touch(size_t pages)
{
	char *p = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);

	if (p == MAP_FAILED)
		_exit(1);
	madvise(p, pages * PAGE, MADV_NOHUGEPAGE);
	for (size_t i = 0; i < pages; i++)
		p[i * PAGE] = 1;
	/* left mapped: exit_mmap takes it down, and that is no fault */
}

static void *thread_touch(void *arg)
{
	(void)arg;
	touch(TOUCH_PAGES / THREADS);
	return NULL;
}

/* A child whose threads fault and exit before it does. */
static void threads_then_exit(void)
{
	pthread_t t[THREADS];

	for (int i = 0; i < THREADS; i++)
		if (pthread_create(&t[i], NULL, thread_touch, NULL))
			_exit(1);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	_exit(0);
}

/* The faults of a child from fork to exit, as its parent's wait4 reports them. */
static long run_child(void (*work)(void), pid_t *pid)
{
	struct rusage ru;
	int status;

	*pid = fork();
	assert_true(*pid >= 0);
	if (!*pid) {
		work();
		_exit(0);
	}
	assert_int_equal(wait4(*pid, &status, 0, &ru), *pid);
	assert_true(WIFEXITED(status) && !WEXITSTATUS(status));
	return ru.ru_minflt + ru.ru_majflt;
}

static void touch_then_exit(void)
{
	touch(TOUCH_PAGES);
}

struct ended {
	double at;			/* unix time the work was over */
};

/* The last interval ends after the work did: every exit since is in a read. */
static bool interval_after(const char *out, void *arg)
{
	json_t *lines = json_lines_of(out), *last;
	bool after;

	last = json_array_get(lines, json_array_size(lines) - 1);
	after = last && json_num(last, "unix_time") > ((struct ended *)arg)->at;
	json_decref(lines);
	return after;
}

/* What top's intervals gave pid, in faults. */
static double top_faults_of(json_t *lines, pid_t pid)
{
	double sum = 0;
	size_t i, k;
	json_t *o, *row;

	json_array_foreach(lines, i, o)
		json_array_foreach(json_object_get(o, "processes"), k, row)
			if (json_integer_value(json_object_get(row, "pid")) == pid)
				sum += json_num(row, "faults_per_s") * json_num(o, "interval_s");
	return sum;
}

static json_t *stop_and_read(struct bg_kvas *bg, bool (*cond)(const char *, void *), void *arg)
{
	json_t *lines;
	char *out;

	assert_true(bg_kvas_wait_output(bg, cond, arg, WAIT_MS));
	assert_int_equal(bg_kvas_wait(bg, SIGINT), 0);
	out = bg_kvas_stdout(bg);
	lines = json_lines_of(out);
	free(out);
	bg_kvas_cleanup(bg);
	return lines;
}

/*
 * Processes born and gone between two reads, and threads that exit before
 * their process: top gives each process exactly the faults the kernel's
 * rusage gives its parent.
 */
static void test_exits_counted_as_rusage(void **state)
{
	pid_t pids[CHILDREN + 1];
	long truth[CHILDREN + 1];
	struct ended e;
	struct bg_kvas bg;
	json_t *lines;

	(void)state;
	assert_int_equal(bg_kvas_start(&bg, (const char *const[]){ "top", "--json", "-i", "0.3",
				       "--rows", "1000", NULL }), 0);
	for (int i = 0; i < CHILDREN; i++)
		truth[i] = run_child(touch_then_exit, &pids[i]);
	truth[CHILDREN] = run_child(threads_then_exit, &pids[CHILDREN]);
	e.at = unix_now_s();
	lines = stop_and_read(&bg, interval_after, &e);
	for (int i = 0; i <= CHILDREN; i++) {
		double got = top_faults_of(lines, pids[i]);

		printf("pid %d: top %.1f faults, rusage %ld\n", pids[i], got, truth[i]);
		/*
		 * Since 6.16 the exit is traced before exit_mm(): a fault in
		 * what follows (the robust-futex list, clear_child_tid) would be
		 * in rusage and not in top. Two are allowed for; none was seen.
		 */
		if (truth[i] < TOUCH_PAGES || got < truth[i] - 2.5 || got > truth[i] + 0.5)
			fail_msg("pid %d (%s): top counted %.1f faults, the kernel's rusage %ld",
				 pids[i], i == CHILDREN ? "threads that exit" : "exits at once",
				 got, truth[i]);
	}
	json_decref(lines);
}

/* kvas, running: does it hold the user-mode fault program's link now? */
struct watch_sample {
	pid_t kvas;
	int with, without;
};

static bool sample_links(void *arg)
{
	struct watch_sample *w = arg;

	if (holds_link_to(w->kvas, "fault_user"))
		w->with++;
	else
		w->without++;
	return w->with && w->without && w->with + w->without >= 200;
}

/* user_watched_s of each interval, after the first, checked by pass */
static void check_watched(json_t *lines, double lo_share, double hi_share)
{
	size_t i;
	json_t *o;

	json_array_foreach(lines, i, o) {
		double watched = json_num(json_object_get(o, "page_faults"), "user_watched_s");
		double secs = json_num(o, "interval_s");

		if (i && (watched < lo_share * secs - 0.02 || watched > hi_share * secs + 0.02))
			fail_msg("interval %zu: user faults watched %.3f s of %.3f s, expected"
				 " %.0f%% to %.0f%%", i, watched, secs, 100 * lo_share,
				 100 * hi_share);
	}
}

/*
 * By default the user-mode fault program is attached about a tenth of the
 * time: kvas is seen both holding its link and not, and each interval says
 * how long it watched.
 */
static void test_detail_window(void **state)
{
	struct watch_sample w = { 0 };
	struct bg_kvas bg;
	size_t want = 4;
	json_t *lines;

	(void)state;
	assert_int_equal(bg_kvas_start(&bg, (const char *const[]){ "top", "--json", "-i", "0.5",
				       NULL }), 0);
	w.kvas = bg.pid;
	if (!wait_until(sample_links, &w, WAIT_MS))
		fail_msg("kvas top held the user-fault link in %d samples, not in %d: expected both",
			 w.with, w.without);
	lines = stop_and_read(&bg, lines_at_least, &want);
	printf("link held in %d of %d samples\n", w.with, w.with + w.without);
	check_watched(lines, 0.05, 0.2);
	json_decref(lines);
}

static bool never_watched(void *arg)
{
	struct watch_sample *w = arg;

	w->with += holds_link_to(w->kvas, "fault_user");
	return ++w->without >= 300;
}

/* --detail 0: the program is never attached; nothing is said to be watched. */
static void test_detail_zero(void **state)
{
	struct watch_sample w = { 0 };
	struct bg_kvas bg;
	size_t want = 3;
	json_t *lines;

	(void)state;
	assert_int_equal(bg_kvas_start(&bg, (const char *const[]){ "top", "--json", "-i", "0.3",
				       "--detail", "0", NULL }), 0);
	w.kvas = bg.pid;
	wait_until(never_watched, &w, WAIT_MS);
	lines = stop_and_read(&bg, lines_at_least, &want);
	if (w.with)
		fail_msg("--detail 0: kvas held the user-fault link in %d of %d samples", w.with,
			 w.without);
	check_watched(lines, 0, 0);
	json_decref(lines);
}

/* --detail 100: every user-mode fault is watched, so the child's writes are all in its class. */
static void test_detail_full(void **state)
{
	struct bg_kvas bg;
	struct ended e;
	json_t *lines, *o;
	double writes = 0;
	pid_t pid;
	size_t i;

	(void)state;
	assert_int_equal(bg_kvas_start(&bg, (const char *const[]){ "top", "--json", "-i", "0.3",
				       "--detail", "100", NULL }), 0);
	run_child(touch_then_exit, &pid);
	e.at = unix_now_s();
	lines = stop_and_read(&bg, interval_after, &e);
	check_watched(lines, 0.95, 1.0);
	json_array_foreach(lines, i, o) {
		json_t *pf = json_object_get(o, "page_faults");

		writes += json_num(json_object_get(pf, "user_by_class_per_watched_s"),
			      "write, not-present") * json_num(pf, "user_watched_s");
	}
	if (writes + 0.5 < TOUCH_PAGES)
		fail_msg("--detail 100: %.1f user write faults, the child wrote %lu fresh pages",
			 writes, TOUCH_PAGES);
	json_decref(lines);
}

#define counts_test(f) cmocka_unit_test_teardown(f, teardown_kill_kvas)

int main(void)
{
	const struct CMUnitTest tests[] = {
		counts_test(test_exits_counted_as_rusage),
		counts_test(test_detail_window),
		counts_test(test_detail_zero),
		counts_test(test_detail_full),
	};

	return run_root_suite("top's fault counts and detail window (root, live kernel)", tests,
			      NULL, NULL);
}
