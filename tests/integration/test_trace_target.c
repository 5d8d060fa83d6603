// SPDX-License-Identifier: GPL-2.0
/*
 * kvas trace -p/-t and the task it follows: a task that does not exist is
 * an error before anything loads; a traced task that exits ends the trace,
 * with its summary and exit 0, as perf record -p does.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testlib.h"

#define PAGE		4096UL
#define TOUCH_PAGES	32
#define END_WAIT_MS	15000	/* a loaded machine; the exit is seen at once when it works */

/* pids are below pid_max, which is at most 4194304 (PID_MAX_LIMIT): never a task */
#define NO_TASK "4194304"

static int lines_in(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* No such process or thread: one line, exit 1, nothing on stdout, nothing loaded. */
static void test_no_such_task(void **state)
{
	static const char *const by_pid[] = { "trace", "-p", NO_TASK, NULL };
	static const char *const by_tid[] = { "trace", "-t", NO_TASK, "--json", NULL };
	static const char *const *const cases[] = { by_pid, by_tid };

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct run_result r;

		assert_int_equal(run_kvas(&r, NULL, cases[i]), 0);
		if (r.status != 1 || r.out[0] || lines_in(r.err) != 1 || !strstr(r.err, "no such"))
			fail_msg("trace %s %s: exit %d, stdout '%s', stderr '%s'", cases[i][1],
				 cases[i][2], r.status, r.out, r.err);
		run_result_free(&r);
	}
	assert_int_equal(wait_no_kvas_progs(), 0);
}

/* The task the test follows: it waits for go, faults pages in, and ends. */
struct target {
	int go[2];
	pid_t tid;
	pthread_t thread;
};

static void touch_pages(void)
{
	char *p = mmap(NULL, TOUCH_PAGES * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return;
	for (size_t i = 0; i < TOUCH_PAGES; i++)
		p[i * PAGE] = 1;
	munmap(p, TOUCH_PAGES * PAGE);
}

static void wait_go(struct target *t)
{
	char c;

	while (read(t->go[0], &c, 1) < 0 && errno == EINTR)
		;
}

static void *thread_main(void *arg)
{
	struct target *t = arg;

	__atomic_store_n(&t->tid, gettid(), __ATOMIC_RELEASE);
	wait_go(t);
	touch_pages();
	return NULL;
}

static bool ended(void *arg)
{
	return bg_kvas_ended(arg);
}

/* Its fault-user lines for pid (or tid), and whether the last line is the summary. */
static int faults_of(const char *out, const char *key, pid_t id, bool *summary_last)
{
	const char *line = out;
	int n = 0;

	*summary_last = false;
	while (line && *line) {
		const char *nl = strchr(line, '\n');
		json_t *o = json_loadb(line, nl ? (size_t)(nl - line) : strlen(line), 0, NULL);

		assert_non_null(o);
		*summary_last = !strcmp(json_string_value(json_object_get(o, "event")), "summary");
		if (!strcmp(json_string_value(json_object_get(o, "event")), "fault-user") &&
		    json_integer_value(json_object_get(o, key)) == id)
			n++;
		json_decref(o);
		line = nl ? nl + 1 : NULL;
	}
	return n;
}

/*
 * Trace id, let the target fault and end (end() makes it end), and check
 * that kvas ended by itself with its summary, exit 0, having seen it.
 */
static void expect_trace_ends(const char *opt, pid_t id, const char *key, struct target *t,
			      void (*end)(struct target *t))
{
	struct bg_kvas bg;
	char arg[16], *out, *err;
	bool summary_last;
	int faults;

	snprintf(arg, sizeof(arg), "%d", id);
	assert_int_equal(bg_kvas_start(&bg, (const char *const[]){ "trace", "--json",
		"-e", "fault-user", opt, arg, NULL }), 0);
	assert_int_equal(write(t->go[1], "g", 1), 1);
	end(t);
	if (!wait_until(ended, &bg, END_WAIT_MS)) {
		bg_kvas_wait(&bg, SIGINT);
		bg_kvas_cleanup(&bg);
		fail_msg("trace %s %d still ran %d s after its target exited", opt, id,
			 END_WAIT_MS / 1000);
	}
	assert_int_equal(bg_kvas_wait(&bg, 0), 0);
	out = bg_kvas_stdout(&bg);
	err = bg_kvas_stderr(&bg);
	faults = faults_of(out, key, id, &summary_last);
	if (faults < TOUCH_PAGES || !summary_last || !strstr(err, "exited") ||
	    !strstr(err, "records written"))
		fail_msg("trace %s %d: %d faults of %d, summary last %d, stderr '%s'", opt, id,
			 faults, TOUCH_PAGES, summary_last, err);
	free(out);
	free(err);
	bg_kvas_cleanup(&bg);
}

/* Left a zombie on purpose: its exit, not its reaping, ends the trace. */
static void child_ends(struct target *t)
{
	(void)t;
}

static void test_trace_ends_when_process_exits(void **state)
{
	struct target t;
	pid_t child;

	(void)state;
	assert_int_equal(pipe(t.go), 0);
	child = fork();
	assert_true(child >= 0);
	if (!child) {
		wait_go(&t);
		touch_pages();
		_exit(0);
	}
	bg_child_remember(child);	/* killed in teardown if the test fails first */
	expect_trace_ends("-p", child, "pid", &t, child_ends);
	bg_child_forget(child);
	assert_int_equal(waitpid(child, NULL, 0), child);
	close(t.go[0]);
	close(t.go[1]);
}

static void thread_ends(struct target *t)
{
	pthread_join(t->thread, NULL);
}

static bool tid_known(void *arg)
{
	return __atomic_load_n(&((struct target *)arg)->tid, __ATOMIC_ACQUIRE) != 0;
}

/* -t of a thread of this test: the thread's end, not the process's, ends it. */
static void test_trace_ends_when_thread_exits(void **state)
{
	struct target t = { 0 };

	(void)state;
	assert_int_equal(pipe(t.go), 0);
	assert_int_equal(pthread_create(&t.thread, NULL, thread_main, &t), 0);
	assert_true(wait_until(tid_known, &t, 5000));
	expect_trace_ends("-t", t.tid, "tid", &t, thread_ends);
	close(t.go[0]);
	close(t.go[1]);
}

/* -p of a thread's id is refused with the process to use instead. */
static void test_pid_of_a_thread(void **state)
{
	struct target t = { 0 };
	struct run_result r;
	char tid[16], expect[64];

	(void)state;
	assert_int_equal(pipe(t.go), 0);
	assert_int_equal(pthread_create(&t.thread, NULL, thread_main, &t), 0);
	assert_true(wait_until(tid_known, &t, 5000));
	snprintf(tid, sizeof(tid), "%d", t.tid);
	snprintf(expect, sizeof(expect), "thread of process %d", getpid());
	assert_int_equal(run_kvas(&r, NULL, (const char *const[]){ "trace", "-p", tid, NULL }), 0);
	if (r.status != 1 || lines_in(r.err) != 1 || !strstr(r.err, expect))
		fail_msg("trace -p %s: exit %d, stderr '%s'", tid, r.status, r.err);
	run_result_free(&r);
	assert_int_equal(write(t.go[1], "g", 1), 1);
	pthread_join(t.thread, NULL);
	close(t.go[0]);
	close(t.go[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_such_task),
		cmocka_unit_test(test_pid_of_a_thread),
		cmocka_unit_test_teardown(test_trace_ends_when_process_exits, teardown_kill_kvas),
		cmocka_unit_test_teardown(test_trace_ends_when_thread_exits, teardown_kill_kvas),
	};

	return run_root_suite("trace -p/-t (root, live kernel)", tests, NULL, NULL);
}
