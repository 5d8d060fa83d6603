// SPDX-License-Identifier: GPL-2.0
/*
 * kvas top and kvas trace against events this test causes: a child that
 * touches N fresh pages, a child whose two threads force TLB shootdowns, a
 * child in a new cgroup, and 15k short-lived processes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cgroup_cache.h"
#include "procfs.h"
#include "testlib.h"

#define PAGE 4096UL
#define TOUCH_PAGES 300
/*
 * kvas runs live without -d: each test waits for what kvas must show (this
 * long at most), then ends it with SIGINT. A pass takes well under a second.
 */
#define LIVE_WAIT_MS 30000

/* A child that does its work when told, reports, and exits when told. */
struct child {
	pid_t pid;
	int go[2], report[2];
};

struct touch_report {
	uint64_t base;
	uint64_t pfn[TOUCH_PAGES];
};

static void child_wait_go(struct child *c)
{
	char b;

	close(c->go[1]);
	close(c->report[0]);
	if (read(c->go[0], &b, 1) != 1)
		_exit(1);
}

static void child_finish(struct child *c)
{
	char b;

	/* Stay alive until the parent has what it needs. */
	if (read(c->go[0], &b, 1) < 0)
		_exit(1);
	_exit(0);
}

static void parent_side(struct child *c)
{
	close(c->go[0]);
	close(c->report[1]);
}

static void child_go(struct child *c)
{
	assert_int_equal(write(c->go[1], "g", 1), 1);
}

static void child_end(struct child *c)
{
	close(c->go[1]);
	bg_child_forget(c->pid);
	waitpid(c->pid, NULL, 0);
	close(c->report[0]);
}

/* Touch TOUCH_PAGES fresh pages by writing; report where and which frames. */
static void touch_pages(struct child *c)
{
	struct touch_report rep;
	char *p = mmap(NULL, TOUCH_PAGES * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		_exit(1);
	madvise(p, TOUCH_PAGES * PAGE, MADV_NOHUGEPAGE);
	for (size_t i = 0; i < TOUCH_PAGES; i++)
		p[i * PAGE + 8] = 1;
	rep.base = (uintptr_t)p;
	for (size_t i = 0; i < TOUCH_PAGES; i++)
		if (truth_pagemap_pfn(p + i * PAGE, &rep.pfn[i]))
			rep.pfn[i] = 0;
	if (write(c->report[1], &rep, sizeof(rep)) != sizeof(rep))
		_exit(1);
}

static void start_child(struct child *c, void (*setup)(struct child *), void (*work)(struct child *))
{
	assert_int_equal(pipe2(c->go, O_CLOEXEC), 0);
	assert_int_equal(pipe2(c->report, O_CLOEXEC), 0);
	c->pid = fork();
	assert_true(c->pid >= 0);
	if (!c->pid) {
		if (setup)
			setup(c);
		child_wait_go(c);
		work(c);
		child_finish(c);
	}
	bg_child_remember(c->pid);	/* killed in teardown if the test fails first */
	parent_side(c);
}

static void read_report(struct child *c, void *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(c->report[0], (char *)buf + got, len - got);

		assert_true(n > 0);
		got += n;
	}
}

/* Each JSON line of s, parsed; a line that does not parse fails the test. */
static json_t *json_lines(const char *s)
{
	json_t *all = json_array();
	const char *line = s;

	while (line && *line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		json_error_t jerr;
		json_t *o = json_loadb(line, len, 0, &jerr);

		if (!o)
			fail_msg("not a JSON line (%s): %.*s", jerr.text, (int)len, line);
		json_array_append_new(all, o);
		line = nl ? nl + 1 : NULL;
	}
	return all;
}

static uint64_t hex(json_t *o, const char *key)
{
	return strtoull(json_str(o, key), NULL, 16);
}

/* A condition on the JSON lines kvas has printed so far. */
typedef bool (*lines_cond)(json_t *lines, void *arg);

struct lines_wait {
	lines_cond cond;
	void *arg;
};

static bool lines_hold(const char *out, void *arg)
{
	struct lines_wait *w = arg;
	json_t *lines = json_lines(out);
	bool held = w->cond(lines, w->arg);

	json_decref(lines);
	return held;
}

/* Wait until kvas's JSON lines satisfy cond (LIVE_WAIT_MS at most); then SIGINT. */
static void stop_when(struct bg_kvas *bg, lines_cond cond, void *arg)
{
	struct lines_wait w = { cond, arg };

	if (!bg_kvas_wait_output(bg, lines_hold, &w, LIVE_WAIT_MS))
		fprintf(stderr, "  (kvas did not show what the test waits for within %d s)\n",
			LIVE_WAIT_MS / 1000);
	assert_int_equal(bg_kvas_wait(bg, SIGINT), 0);
}

/* stop_when, then every JSON line kvas printed; bg is done with. */
static json_t *stop_and_read(struct bg_kvas *bg, lines_cond cond, void *arg)
{
	json_t *lines;
	char *out;

	stop_when(bg, cond, arg);
	out = bg_kvas_stdout(bg);
	lines = json_lines(out);
	free(out);
	bg_kvas_cleanup(bg);
	return lines;
}

/*
 * Run kvas with args, tell the child to go (and read its report, when rep
 * is given), and stop kvas once its lines satisfy cond: every line it printed.
 */
static json_t *run_trace(struct child *c, const char *const *args, void *rep, size_t rep_len,
			 lines_cond cond, void *arg)
{
	struct bg_kvas bg;

	assert_int_equal(bg_kvas_start(&bg, args), 0);
	child_go(c);
	if (rep)
		read_report(c, rep, rep_len);
	return stop_and_read(&bg, cond, arg);
}

/* Events (not the summary) at least *arg. */
static bool events_at_least(json_t *lines, void *arg)
{
	size_t i, n = 0;
	json_t *o;

	json_array_foreach(lines, i, o)
		n += strcmp(json_str(o, "event"), "summary") != 0;
	return n >= *(size_t *)arg;
}

/* Write faults and translations that trace gave in the child's mapping. */
static void count_touched(json_t *lines, const struct touch_report *rep, size_t *writes,
			  size_t *translated)
{
	size_t i;
	json_t *o;

	*writes = *translated = 0;
	json_array_foreach(lines, i, o) {
		uint64_t addr = hex(o, "address");

		if (addr < rep->base || addr >= rep->base + TOUCH_PAGES * PAGE)
			continue;
		*writes += !strcmp(json_str(o, "event"), "fault-user");
		*translated += !strcmp(json_str(o, "event"), "translation");
	}
}

/* The last page is translated only at a later event of the same thread. */
static bool touched_all(json_t *lines, void *arg)
{
	size_t writes, translated;

	count_touched(lines, arg, &writes, &translated);
	return writes >= TOUCH_PAGES && translated >= TOUCH_PAGES - 2;
}

/* Trace a child that touches pages: its faults, its addresses, pagemap's frames. */
static void test_trace_touched_pages(void **state)
{
	struct touch_report rep;
	struct child c;
	char pid[16];
	json_t *lines, *o;
	size_t i, writes = 0, translated = 0;

	(void)state;
	start_child(&c, NULL, touch_pages);
	snprintf(pid, sizeof(pid), "%d", c.pid);
	lines = run_trace(&c, (const char *const[]){ "trace", "--json", "-p", pid, NULL },
			  &rep, sizeof(rep), touched_all, &rep);
	child_end(&c);

	json_array_foreach(lines, i, o) {
		uint64_t addr = hex(o, "address"), page;

		if (!strcmp(json_str(o, "event"), "summary")) {
			assert_int_equal(json_integer_value(json_object_get(o, "lost")), 0);
			continue;
		}
		/* -p is applied in the kernel: nothing else gets through. */
		assert_int_equal((pid_t)json_number_value(json_object_get(o, "pid")), c.pid);
		if (addr < rep.base || addr >= rep.base + TOUCH_PAGES * PAGE)
			continue;
		page = (addr - rep.base) / PAGE;
		if (!strcmp(json_str(o, "event"), "fault-user")) {
			assert_non_null(strstr(json_str(o, "error"), "write"));
			assert_string_equal(json_str(o, "region"), "user");
			writes++;
		} else if (!strcmp(json_str(o, "event"), "translation")) {
			if (hex(o, "pa") != rep.pfn[page] * PAGE + (addr & (PAGE - 1)))
				fail_msg("page %llu: trace says pa 0x%llx, pagemap pfn 0x%llx",
					 (unsigned long long)page, (unsigned long long)hex(o, "pa"),
					 (unsigned long long)rep.pfn[page]);
			translated++;
		}
	}
	json_decref(lines);
	if (writes < TOUCH_PAGES)
		fail_msg("%zu write faults in the mapping, expected %lu", writes, TOUCH_PAGES);
	/* The last page is translated only at a later event of the same thread. */
	if (translated < TOUCH_PAGES - 2)
		fail_msg("%zu translations, expected at least %lu", translated, TOUCH_PAGES - 2);
}

/* What top's intervals count under pid: the faults the mm handled for it. */
struct top_count {
	pid_t pid;
	double faults;
};

static bool top_counted(json_t *lines, void *arg)
{
	struct top_count *t = arg;
	size_t i, k;
	json_t *o, *row;

	t->faults = 0;
	json_array_foreach(lines, i, o) {
		double secs = json_number_value(json_object_get(o, "interval_s"));

		json_array_foreach(json_object_get(o, "processes"), k, row) {
			if (json_integer_value(json_object_get(row, "pid")) != t->pid)
				continue;
			t->faults += json_number_value(json_object_get(row, "faults_per_s")) * secs;
		}
	}
	return t->faults + 0.5 >= TOUCH_PAGES;
}

/* top counts the faults of the pages the child touched under its pid. */
static void test_top_counts_touched_pages(void **state)
{
	struct touch_report rep;
	struct top_count t;
	struct bg_kvas bg;
	struct child c;
	size_t one = 1;
	json_t *lines;

	(void)state;
	start_child(&c, NULL, touch_pages);
	t.pid = c.pid;
	assert_int_equal(bg_kvas_start(&bg, (const char *const[]){ "top", "--json", "-i", "0.5",
				       "--rows", "50", NULL }), 0);
	/* top counts from its first reading on: the work starts after it */
	assert_true(bg_kvas_wait_output(&bg, lines_at_least, &one, LIVE_WAIT_MS));
	child_go(&c);
	read_report(&c, &rep, sizeof(rep));
	lines = stop_and_read(&bg, top_counted, &t);
	child_end(&c);
	if (!top_counted(lines, &t))
		fail_msg("top counted %.1f faults for pid %d; the child touched %lu pages",
			 t.faults, c.pid, TOUCH_PAGES);
	json_decref(lines);
}


/* Shootdown rounds until the parent writes on the go pipe; then "d". */
static void shootdowns_until_told(struct child *c)
{
	struct pollfd told = { .fd = c->go[0], .events = POLLIN };
	struct shootdowns s;
	char b;

	if (shootdowns_start(&s))
		_exit(1);
	while (poll(&told, 1, 0) == 0)
		shootdowns_run(&s, 100);
	shootdowns_stop(&s);
	if (read(c->go[0], &b, 1) != 1 || write(c->report[1], "d", 1) != 1)
		_exit(1);
}

/*
 * Where no IPI carries the flushes: STORM_ROUNDS rounds (two requests each,
 * as the kernel flushes both changes), then "d".
 */
#define STORM_ROUNDS	2000

static void shootdowns_counted(struct child *c)
{
	if (force_shootdowns(STORM_ROUNDS) || write(c->report[1], "d", 1) != 1)
		_exit(1);
}

/* The requests the counted storm caused, within 15%: kvas saw n of them. */
static void assert_storm_requests(double n)
{
	if (n < 0.85 * 2 * STORM_ROUNDS || n > 1.15 * 2 * STORM_ROUNDS + 50)
		fail_msg("kvas counted %.0f remote flush requests; the storm made %d (2 per round)",
			 n, 2 * STORM_ROUNDS);
}

#define STORM_IPIS	500		/* what the kernel must count before the storm stops */
#define STORM_WAIT_MS	60000

/*
 * Let the child's storm run until /proc/interrupts has counted STORM_IPIS
 * more shootdown IPIs (60 s at most), then stop it: how many the kernel
 * counted. How many a number of rounds causes depends on where the
 * scheduler puts the spinner, so the storm is measured by its effect.
 * Only on a host that sends IPIs (host_flushes_by_ipi).
 */
static uint64_t storm_until_ipis(struct child *c)
{
	struct timespec step = { 0, 10 * 1000 * 1000 };
	uint64_t before = truth_tlb_interrupts(), n = 0;
	char done;

	child_go(c);
	for (int ms = 0; ms < STORM_WAIT_MS && (n = truth_tlb_interrupts() - before) < STORM_IPIS; ms += 10)
		nanosleep(&step, NULL);
	child_go(c);	/* stop */
	read_report(c, &done, 1);
	n = truth_tlb_interrupts() - before;
	if (n < STORM_IPIS)
		fail_msg("the kernel counted %llu shootdown IPIs in %d s of the storm",
			 (unsigned long long)n, STORM_WAIT_MS / 1000);
	return n;
}

/* The storm the host allows: until STORM_IPIS, or STORM_ROUNDS where no IPI comes. */
static void start_storm_child(struct child *c)
{
	start_child(c, NULL, host_flushes_by_ipi() ? shootdowns_until_told : shootdowns_counted);
}

/* Run the child's storm: the IPIs the kernel counted (0 where it sends none). */
static uint64_t run_storm(struct child *c)
{
	char done;

	if (host_flushes_by_ipi())
		return storm_until_ipis(c);
	child_go(c);
	read_report(c, &done, 1);
	return 0;
}

static void count_shootdowns(json_t *lines, size_t *sent, size_t *received)
{
	size_t i;
	json_t *o;

	*sent = *received = 0;
	json_array_foreach(lines, i, o) {
		*sent += !strcmp(json_str(o, "tlb_reason"), "remote flush request");
		*received += !strcmp(json_str(o, "tlb_reason"), "remote shootdown");
	}
}

/*
 * The storm's requests, seen: with IPIs (*arg of them), their sends and some
 * receipt; without, the requests the counted storm made.
 */
static bool shootdowns_seen(json_t *lines, void *arg)
{
	size_t sent, received;

	count_shootdowns(lines, &sent, &received);
	if (!host_flushes_by_ipi())
		return sent >= 0.85 * 2 * STORM_ROUNDS;
	return sent + 20 >= 0.9 * *(uint64_t *)arg && received;
}

static json_t *summary_of(json_t *lines)
{
	json_t *last = json_array_get(lines, json_array_size(lines) - 1);

	if (!last || strcmp(json_str(last, "event"), "summary"))
		fail_msg("trace's last line is not its summary");
	return last;
}

static void test_trace_remote_shootdowns(void **state)
{
	struct child c;
	size_t i, sent = 0, received = 0;
	struct bg_kvas bg;
	uint64_t ipis;
	char pid[16], method[32];
	json_t *lines, *o;

	(void)state;
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2) {
		printf("one CPU: no remote shootdowns possible: skipped\n");
		skip();
	}
	start_storm_child(&c);
	snprintf(pid, sizeof(pid), "%d", c.pid);
	assert_int_equal(bg_kvas_start(&bg, (const char *const[]){ "trace", "--json", "-e",
				       "tlb-flush", "-p", pid, NULL }), 0);
	ipis = run_storm(&c);
	/* then what trace must have seen of them */
	lines = stop_and_read(&bg, shootdowns_seen, &ipis);
	child_end(&c);
	snprintf(method, sizeof(method), "%s", json_str(summary_of(lines), "remote_flush_method"));
	json_array_foreach(lines, i, o) {
		if (!strcmp(json_str(o, "event"), "summary"))
			continue;
		assert_string_equal(json_str(o, "event"), "tlb-flush");
		assert_int_equal((pid_t)json_number_value(json_object_get(o, "pid")), c.pid);
	}
	count_shootdowns(lines, &sent, &received);
	json_decref(lines);
	printf("%zu remote flush requests, %zu remote shootdowns received; the kernel counted %llu"
	       " shootdown IPIs; trace says they go by %s\n", sent, received,
	       (unsigned long long)ipis, method);
	if (!remote_flush_method_fits(method))
		fail_msg("trace named the remote flush method %s on this host", method);
	if (!host_flushes_by_ipi()) {
		/* every request was the storm's; no CPU of this guest received one */
		assert_storm_requests(sent);
		assert_int_equal(received, 0);
		return;
	}
	/*
	 * Every IPI the kernel counted was asked for by a send, the child's but
	 * for a few of the machine's own meanwhile; a send may also find the
	 * other CPU lazy and need no IPI, so sends are at least the IPIs. The
	 * receiving side traces the flushes its CPU ran while the spinner (the
	 * child's thread) was on it.
	 */
	if (sent + 20 < 0.9 * ipis || !received)
		fail_msg("%zu remote flush requests and %zu remote shootdowns traced; the kernel"
			 " counted %llu shootdown IPIs", sent, received, (unsigned long long)ipis);
}

/* A top interval that ended after *arg (unix time). */
static bool interval_after(json_t *lines, void *arg)
{
	json_t *last = json_array_get(lines, json_array_size(lines) - 1);

	return last && json_num(last, "unix_time") > *(double *)arg;
}

struct tlb_sums {
	double flushes, local, remote, sent, no_flush, other, events;
};

/*
 * top's TLB events over the intervals that overlap [from, to]; and every
 * event in exactly one class: flushes are local + remote, and the events by
 * reason are flushes, requests sent, switches without a flush and others.
 */
static void sum_tlb(json_t *lines, double from, double to, struct tlb_sums *t)
{
	size_t i;
	json_t *o, *v;
	const char *reason;

	memset(t, 0, sizeof(*t));
	json_array_foreach(lines, i, o) {
		json_t *tlb = json_object_get(o, "tlb_flushes");
		double secs = json_num(o, "interval_s"), end = json_num(o, "unix_time"), events = 0;

		if (end < from || end - secs > to)
			continue;
		json_object_foreach(json_object_get(tlb, "events_by_reason"), reason, v)
			events += json_number_value(v);
		assert_float_equal(json_num(tlb, "per_s"), json_num(tlb, "local_per_s") +
				   json_num(tlb, "remote_per_s"), 1e-6 * (1 + json_num(tlb, "per_s")));
		assert_float_equal(events, json_num(tlb, "per_s") +
				   json_num(tlb, "shootdown_requests_sent_per_s") +
				   json_num(tlb, "switches_without_flush_per_s") +
				   json_num(tlb, "other_reasons_per_s"), 1e-6 * (1 + events));
		t->flushes += json_num(tlb, "per_s") * secs;
		t->local += json_num(tlb, "local_per_s") * secs;
		t->remote += json_num(tlb, "remote_per_s") * secs;
		t->sent += json_num(tlb, "shootdown_requests_sent_per_s") * secs;
		t->no_flush += json_num(tlb, "switches_without_flush_per_s") * secs;
		t->other += json_num(tlb, "other_reasons_per_s") * secs;
		t->events += events * secs;
	}
}

/* The requests pid's rows sent over the intervals that overlap [from, to]. */
static double pid_requests(json_t *lines, pid_t pid, double from, double to)
{
	double sent = 0;
	size_t i, k;
	json_t *o, *row;

	json_array_foreach(lines, i, o) {
		double secs = json_num(o, "interval_s"), end = json_num(o, "unix_time");

		if (end < from || end - secs > to)
			continue;
		json_array_foreach(json_object_get(o, "processes"), k, row)
			if ((pid_t)json_num(row, "pid") == pid)
				sent += json_num(row, "tlb_requests_sent_per_s") * secs;
	}
	return sent;
}

/*
 * The remote flushes top counts are the shootdown IPIs the kernel counts in
 * /proc/interrupts, over the same time: a child forces STORM_IPIS or more of
 * them. The kernel counts an IPI that found nothing to flush too (its mm
 * gone: "remote wrong CPU", an "other reason" here; a lazy CPU), so top's
 * remote flushes are at most the kernel's count, and close to it. Where the
 * hypervisor carries the flushes, the requests are the storm's, no flush is
 * received, and top says why.
 */
static void test_top_remote_flushes_match_interrupts(void **state)
{
	double from, to, kernel;
	struct tlb_sums t;
	struct bg_kvas bg;
	struct child c;
	size_t one = 1;
	json_t *lines, *tlb;

	(void)state;
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2) {
		printf("one CPU: no remote shootdowns possible: skipped\n");
		skip();
	}
	start_storm_child(&c);
	assert_int_equal(bg_kvas_start(&bg, (const char *const[]){ "top", "--json", "-i", "0.2",
				       NULL }), 0);
	/* counting: its first interval is out */
	assert_true(bg_kvas_wait_output(&bg, lines_at_least, &one, LIVE_WAIT_MS));
	from = unix_now_s();
	kernel = (double)run_storm(&c);
	to = unix_now_s();
	lines = stop_and_read(&bg, interval_after, &to);
	child_end(&c);
	sum_tlb(lines, from, to, &t);
	tlb = json_object_get(json_array_get(lines, json_array_size(lines) - 1), "tlb_flushes");
	printf("/proc/interrupts TLB %.0f; top: remote flushes %.0f, local %.0f, requests sent %.0f,"
	       " switches without flush %.0f, other reasons %.0f; method %s (%s)\n", kernel,
	       t.remote, t.local, t.sent, t.no_flush, t.other,
	       json_str(tlb, "remote_flush_method"), json_str(tlb, "remote_flush_evidence"));
	if (!remote_flush_method_fits(json_str(tlb, "remote_flush_method")))
		fail_msg("top named the remote flush method %s on this host",
			 json_str(tlb, "remote_flush_method"));
	if (!host_flushes_by_ipi()) {
		/* the storm's own row: other processes of the host send requests too */
		assert_storm_requests(pid_requests(lines, c.pid, from, to));
		assert_true(t.sent + 0.5 >= pid_requests(lines, c.pid, from, to));
		assert_true(t.remote == 0);
		/* what the guest cannot see is null, not a 0 */
		assert_true(json_is_false(json_object_get(tlb, "remote_received_visible")));
		assert_true(json_is_null(json_object_get(tlb, "remote_per_s")));
		json_decref(lines);
		return;
	}
	/* the flushes the IPIs ran are this guest's to count */
	assert_true(json_is_true(json_object_get(tlb, "remote_received_visible")));
	json_decref(lines);
	/* every IPI was asked for: the requests, counted apart from the flushes */
	assert_true(t.sent + 20 >= 0.9 * kernel);
	/* top's windows overhang [from, to] by an interval each side: others' IPIs */
	if (t.remote < 0.9 * kernel - 20 || t.remote > kernel + 0.1 * kernel + 50)
		fail_msg("top counted %.0f remote flushes, /proc/interrupts %.0f TLB IPIs",
			 t.remote, kernel);
}

/* Busy processes, more than top's table holds: each faults until killed. */
#define BUSY 6
#define BUSY_TABLE "2"

static void fault_forever(struct child *c)
{
	char *p = mmap(NULL, 64 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);

	(void)c;
	if (p == MAP_FAILED)
		_exit(1);
	for (;;) {
		for (size_t i = 0; i < 64; i++)
			p[i * PAGE] = 1;
		madvise(p, 64 * PAGE, MADV_DONTNEED);
	}
}

/* Some interval reports evictions, and at least four intervals are out. */
static bool evictions_seen(json_t *lines, void *arg)
{
	size_t i;
	json_t *o;
	bool seen = false;

	(void)arg;
	json_array_foreach(lines, i, o)
		seen |= json_integer_value(json_object_get(json_object_get(o, "events"),
							   "evicted")) > 0;
	return seen && json_array_size(lines) >= 4;
}

static const char *const rate_keys[] = {
	"faults_per_s", "major_faults_per_s", "kernel_faults_per_s", "tlb_flushes_per_s",
	"tlb_requests_sent_per_s", "tlb_remote_received_per_s", "tlb_switches_without_flush_per_s",
	"tlb_other_reasons_per_s",
};

/* An interval's totals, in rate_keys' order. */
static void interval_totals(json_t *o, double *total)
{
	json_t *pf = json_object_get(o, "page_faults"), *tlb = json_object_get(o, "tlb_flushes");

	total[0] = json_num(pf, "per_s");
	total[1] = json_num(pf, "major_per_s");
	total[2] = json_num(pf, "kernel_per_s");
	total[3] = json_num(tlb, "per_s");
	total[4] = json_num(tlb, "shootdown_requests_sent_per_s");
	total[5] = json_num(tlb, "remote_per_s");
	total[6] = json_num(tlb, "switches_without_flush_per_s");
	total[7] = json_num(tlb, "other_reasons_per_s");
}

/*
 * In every interval no row exceeds the totals and the rows and the
 * (all other) line add up to them. A CPU's counters and batch are copied
 * while it may be counting an event: one event per CPU either way.
 */
static void check_rows_add_up(json_t *lines)
{
	const size_t nr = sizeof(rate_keys) / sizeof(rate_keys[0]);
	long cpus = sysconf(_SC_NPROCESSORS_CONF);
	size_t i, k, f;
	json_t *o, *row;

	json_array_foreach(lines, i, o) {
		double total[8], sum[8] = { 0 }, slack = (cpus + 1) / json_num(o, "interval_s");

		interval_totals(o, total);
		json_array_foreach(json_object_get(o, "processes"), k, row) {
			for (f = 0; f < nr; f++) {
				if (json_num(row, rate_keys[f]) > total[f] + slack)
					fail_msg("interval %zu: pid %lld has %s %.1f, the total %.1f", i,
						 (long long)json_integer_value(json_object_get(row, "pid")),
						 rate_keys[f], json_num(row, rate_keys[f]), total[f]);
				sum[f] += json_num(row, rate_keys[f]);
			}
		}
		for (f = 0; f < nr; f++) {
			double with_rest = sum[f] + json_num(json_object_get(o, "all_other"), rate_keys[f]);

			if (with_rest > total[f] + slack || with_rest < total[f] - 1e-6 * total[f] - 1e-6)
				fail_msg("interval %zu: rows and (all other) have %s %.1f, the total %.1f",
					 i, rate_keys[f], with_rest, total[f]);
		}
	}
}

/* More busy processes than -m: evictions are reported, and rows add up to the totals. */
static void test_top_rows_add_up_and_evictions(void **state)
{
	struct child c[BUSY];
	struct bg_kvas bg;
	json_t *lines;

	(void)state;
	assert_int_equal(bg_kvas_start(&bg, (const char *const[]){ "top", "--json", "-i", "0.3",
				       "--rows", "1000", "-m", BUSY_TABLE, NULL }), 0);
	for (int i = 0; i < BUSY; i++) {
		start_child(&c[i], NULL, fault_forever);
		child_go(&c[i]);
	}
	lines = stop_and_read(&bg, evictions_seen, NULL);
	for (int i = 0; i < BUSY; i++) {
		kill(c[i].pid, SIGKILL);
		child_end(&c[i]);
	}
	if (!evictions_seen(lines, NULL))
		fail_msg("%d busy processes, a table of %s: no evictions reported in %zu intervals",
			 BUSY, BUSY_TABLE, json_array_size(lines));
	check_rows_add_up(lines);
	json_decref(lines);
}

/*
 * A child faults its pages in bursts of 256, a multiple of the old fixed
 * period, dropping them after each: a fixed 1 in 256 picked the same page
 * of every burst (the last one could never be translated: the drop came
 * first). Random sampling translates pages all over the burst.
 */
#define BURST 256

static void fault_bursts(struct child *c)
{
	char *p = mmap(NULL, BURST * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);
	uint64_t base = (uintptr_t)p;

	if (p == MAP_FAILED || write(c->report[1], &base, sizeof(base)) != sizeof(base))
		_exit(1);
	madvise(p, BURST * PAGE, MADV_NOHUGEPAGE);
	for (;;) {
		for (size_t i = 0; i < BURST; i++)
			p[i * PAGE] = 1;
		madvise(p, BURST * PAGE, MADV_DONTNEED);
	}
}

struct burst_seen {
	pid_t pid;
	uint64_t base;
	bool page[BURST];
	int distinct;
};

/* Pages of the child's burst that top's recent panel translated: 8 different ones. */
static bool burst_pages_translated(json_t *lines, void *arg)
{
	struct burst_seen *b = arg;
	size_t i, k;
	json_t *o, *t;

	memset(b->page, 0, sizeof(b->page));
	b->distinct = 0;
	json_array_foreach(lines, i, o) {
		json_array_foreach(json_object_get(o, "recent_faults"), k, t) {
			uint64_t addr = hex(t, "address");
			size_t page = (addr - b->base) / PAGE;

			if (json_integer_value(json_object_get(t, "pid")) != b->pid ||
			    addr < b->base || page >= BURST || b->page[page])
				continue;
			b->page[page] = true;
			b->distinct++;
		}
	}
	return b->distinct >= 8;
}

static void test_top_translates_bursts(void **state)
{
	struct burst_seen b = { 0 };
	struct bg_kvas bg;
	struct child c;
	json_t *lines;

	(void)state;
	start_child(&c, NULL, fault_bursts);
	b.pid = c.pid;
	assert_int_equal(bg_kvas_start(&bg, (const char *const[]){ "top", "--json", "-i", "0.2",
				       NULL }), 0);
	child_go(&c);
	read_report(&c, &b.base, sizeof(b.base));
	lines = stop_and_read(&bg, burst_pages_translated, &b);
	kill(c.pid, SIGKILL);
	child_end(&c);
	burst_pages_translated(lines, &b);
	json_decref(lines);
	printf("%d different pages of the %d-page bursts translated\n", b.distinct, BURST);
	if (b.distinct < 8)
		fail_msg("top translated %d different pages of the child's %d-page bursts",
			 b.distinct, BURST);
}

/* A child in a cgroup of its own: trace --cgroup and top --by cgroup see it. */
static char cgroup_rel[64], cgroup_dir[320];

static void join_cgroup(struct child *c)
{
	char procs[400], me[16];
	int fd;

	(void)c;
	snprintf(procs, sizeof(procs), "%s/cgroup.procs", cgroup_dir);
	snprintf(me, sizeof(me), "%d", getpid());
	fd = open(procs, O_WRONLY);
	if (fd < 0 || write(fd, me, strlen(me)) < 0)
		_exit(3);
	close(fd);
}

/* Faults of the child's mapping in trace's lines, at least TOUCH_PAGES. */
static bool mapping_faults(json_t *lines, void *arg)
{
	const struct touch_report *rep = arg;
	size_t i, n = 0;
	json_t *o;

	json_array_foreach(lines, i, o)
		n += hex(o, "address") >= rep->base && hex(o, "address") < rep->base + TOUCH_PAGES * PAGE;
	return n >= TOUCH_PAGES;
}

/* Faults top --by cgroup gave cgroup_rel, into *arg; at least TOUCH_PAGES. */
static bool cgroup_faults(json_t *lines, void *arg)
{
	double *faults = arg;
	size_t i, k;
	json_t *o, *row;

	*faults = 0;
	json_array_foreach(lines, i, o)
		json_array_foreach(json_object_get(o, "cgroups"), k, row)
			if (!strcmp(json_str(row, "cgroup"), cgroup_rel))
				*faults += json_number_value(json_object_get(row, "faults_per_s")) *
					   json_number_value(json_object_get(o, "interval_s"));
	return *faults + 0.5 >= TOUCH_PAGES;
}

static void test_cgroup_attribution(void **state)
{
	struct cgroup_cache cc;
	struct touch_report rep;
	struct bg_kvas bg;
	struct child c;
	size_t i, faults = 0;
	double top_faults = 0;
	json_t *lines, *o;
	char *out;

	(void)state;
	assert_int_equal(cgroup_cache_init(&cc), 0);
	snprintf(cgroup_rel, sizeof(cgroup_rel), "/kvas-test-%d", getpid());
	snprintf(cgroup_dir, sizeof(cgroup_dir), "%s%s", cc.mount, cgroup_rel);
	cgroup_cache_free(&cc);
	assert_int_equal(mkdir(cgroup_dir, 0755), 0);

	start_child(&c, join_cgroup, touch_pages);
	assert_int_equal(bg_kvas_start(&bg, (const char *const[]){ "top", "--json", "--by", "cgroup",
				       "-i", "0.5", NULL }), 0);
	lines = run_trace(&c, (const char *const[]){ "trace", "--json", "--cgroup", cgroup_rel,
				      "-e", "fault-user", NULL }, &rep, sizeof(rep), mapping_faults, &rep);
	stop_when(&bg, cgroup_faults, &top_faults);
	child_end(&c);
	rmdir(cgroup_dir);

	json_array_foreach(lines, i, o) {
		if (!strcmp(json_str(o, "event"), "summary"))
			continue;
		assert_string_equal(json_str(o, "cgroup"), cgroup_rel);
		assert_int_equal((pid_t)json_number_value(json_object_get(o, "pid")), c.pid);
		faults += hex(o, "address") >= rep.base &&
			  hex(o, "address") < rep.base + TOUCH_PAGES * PAGE;
	}
	json_decref(lines);
	assert_true(faults >= TOUCH_PAGES);

	out = bg_kvas_stdout(&bg);
	lines = json_lines(out);
	free(out);
	bg_kvas_cleanup(&bg);
	cgroup_faults(lines, &top_faults);
	json_decref(lines);
	if (top_faults + 0.5 < TOUCH_PAGES)
		fail_msg("top --by cgroup gave %s %.1f faults, expected %lu", cgroup_rel,
			 top_faults, TOUCH_PAGES);
}

static void take_name(struct child *c)
{
	(void)c;
	prctl(PR_SET_NAME, "kvas-comm-test");
}

static void test_comm_and_tid_filters(void **state)
{
	struct child c;
	size_t i, n = 0, want = TOUCH_PAGES;
	char tid[16];
	json_t *lines, *o;

	(void)state;
	start_child(&c, take_name, touch_pages);
	lines = run_trace(&c, (const char *const[]){ "trace", "--json", "--comm", "kvas-comm-test",
				      NULL }, NULL, 0, events_at_least, &want);
	child_end(&c);
	json_array_foreach(lines, i, o) {
		if (strcmp(json_str(o, "event"), "summary")) {
			assert_string_equal(json_str(o, "comm"), "kvas-comm-test");
			n++;
		}
	}
	json_decref(lines);
	assert_true(n >= TOUCH_PAGES);

	start_child(&c, NULL, touch_pages);
	snprintf(tid, sizeof(tid), "%d", c.pid);
	lines = run_trace(&c, (const char *const[]){ "trace", "--json", "-t", tid, NULL }, NULL, 0,
			  events_at_least, &want);
	child_end(&c);
	n = 0;
	json_array_foreach(lines, i, o) {
		if (strcmp(json_str(o, "event"), "summary")) {
			assert_int_equal((pid_t)json_number_value(json_object_get(o, "tid")), c.pid);
			n++;
		}
	}
	json_decref(lines);
	assert_true(n >= TOUCH_PAGES);
}

/* CSV: a header, and every row as many fields as the header. */
static size_t csv_fields(const char *line, size_t len)
{
	size_t fields = 1;
	bool quoted = false;

	for (size_t i = 0; i < len; i++) {
		if (line[i] == '"')
			quoted = !quoted;
		else if (line[i] == ',' && !quoted)
			fields++;
	}
	return fields;
}

static void test_csv_output(void **state)
{
	struct bg_kvas bg;
	struct child c;
	char pid[16], *out, *line, *nl;
	size_t header, rows = 0, want = TOUCH_PAGES + 1;	/* and the header */

	(void)state;
	start_child(&c, NULL, touch_pages);
	snprintf(pid, sizeof(pid), "%d", c.pid);
	assert_int_equal(bg_kvas_start(&bg, (const char *const[]){ "trace", "--csv", "-p", pid,
				       NULL }), 0);
	child_go(&c);
	if (!bg_kvas_wait_output(&bg, lines_at_least, &want, LIVE_WAIT_MS))
		fprintf(stderr, "  (fewer than %d CSV rows within %d s)\n", TOUCH_PAGES,
			LIVE_WAIT_MS / 1000);
	assert_int_equal(bg_kvas_wait(&bg, SIGINT), 0);
	child_end(&c);
	out = bg_kvas_stdout(&bg);
	assert_int_equal(strncmp(out, "time,cpu,pid,tid,comm,cgroup,event,address,", 43), 0);
	nl = strchr(out, '\n');
	header = csv_fields(out, nl - out);
	for (line = nl + 1; (nl = strchr(line, '\n')); line = nl + 1, rows++)
		assert_int_equal(csv_fields(line, nl - line), header);
	assert_true(rows >= TOUCH_PAGES);
	free(out);
	bg_kvas_cleanup(&bg);
}

/* SIGINT and SIGTERM end a trace cleanly, with its summary, nothing left behind. */
static void test_signals_end_cleanly(void **state)
{
	static const int sigs[] = { SIGINT, SIGTERM };

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		struct bg_kvas bg;
		char *err;

		size_t two = 2;

		assert_int_equal(bg_kvas_start(&bg, (const char *const[]){ "trace", "-e",
					       "tlb-flush", NULL }), 0);
		/* tracing: its header and a first flush (task switches never stop) */
		assert_true(bg_kvas_wait_output(&bg, lines_at_least, &two, LIVE_WAIT_MS));
		assert_int_equal(bg_kvas_wait(&bg, sigs[i]), 0);
		err = bg_kvas_stderr(&bg);
		assert_non_null(strstr(err, "records written"));
		free(err);
		bg_kvas_cleanup(&bg);
		assert_int_equal(wait_no_kvas_progs(), 0);
	}
}

/* `kvas trace | head -1`: the reader goes away, kvas ends, exit 0. */
static void test_closed_pipe_ends_trace(void **state)
{
	const char *kvas = getenv("KVAS") ? getenv("KVAS") : "./kvas";
	int fds[2], status;
	char buf[256];
	pid_t pid;

	(void)state;
	assert_int_equal(pipe2(fds, O_CLOEXEC), 0);
	pid = fork();
	if (!pid) {
		dup2(fds[1], 1);
		close(fds[0]);
		execl(kvas, kvas, "trace", "-e", "tlb-flush", NULL);
		_exit(127);
	}
	close(fds[1]);
	assert_true(read(fds[0], buf, sizeof(buf)) > 0);	/* the header */
	close(fds[0]);
	/* Events keep coming (task switches); the next write meets EPIPE. */
	for (int i = 0; i < 500 && waitpid(pid, &status, WNOHANG) == 0; i++)
		usleep(10000);
	if (waitpid(pid, &status, WNOHANG) == 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		fail_msg("kvas trace did not end within 5 s of its reader going away");
	}
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(wait_no_kvas_progs(), 0);
}

/* 15k short-lived processes (3.7 times the table): kvas's table stays within its bound, and its RSS too. */
static long rss_kb(pid_t pid)
{
	char path[64], buf[4096], *p;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	if (read_small_file(path, buf, sizeof(buf)) <= 0 || !(p = strstr(buf, "VmRSS:")))
		return -1;
	return atol(p + 6);
}

#define SHORT_LIVED 15000
#define MAX_TRACKED 4096

static void test_memory_bounded(void **state)
{
	char max[16];
	struct bg_kvas bg;
	long rss_start, rss_end;
	json_t *lines, *o;
	size_t i, most = 0, one = 1, after;
	char *out;

	(void)state;
	snprintf(max, sizeof(max), "%d", MAX_TRACKED);
	assert_int_equal(bg_kvas_start(&bg, (const char *const[]){ "top", "--json", "-i", "1",
				       "-m", max, NULL }), 0);
	/* after its first interval, its memory in use */
	assert_true(bg_kvas_wait_output(&bg, lines_at_least, &one, LIVE_WAIT_MS));
	rss_start = rss_kb(bg.pid);
	for (int n = 0; n < SHORT_LIVED; n++) {
		pid_t p = fork();

		if (!p) {
			char *touch = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
					   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

			if (touch != MAP_FAILED)
				touch[0] = 1;	/* a fault of its own */
			_exit(0);
		}
		if (p > 0)
			waitpid(p, NULL, 0);
	}
	/* an interval that ended after the storm: the table at its fullest */
	out = bg_kvas_lines(&bg);
	after = 1;
	for (char *p = out; (p = strchr(p, '\n')); p++)
		after++;
	free(out);
	assert_true(bg_kvas_wait_output(&bg, lines_at_least, &after, LIVE_WAIT_MS));
	rss_end = rss_kb(bg.pid);
	assert_int_equal(bg_kvas_wait(&bg, SIGINT), 0);
	out = bg_kvas_stdout(&bg);
	lines = json_lines(out);
	free(out);
	bg_kvas_cleanup(&bg);
	json_array_foreach(lines, i, o) {
		size_t tracked = json_integer_value(json_object_get(json_object_get(o, "events"),
								    "tracked_processes"));
		if (tracked > most)
			most = tracked;
	}
	json_decref(lines);
	printf("tracked at most %zu processes (bound %d); kvas RSS %ld -> %ld kB\n", most,
	       MAX_TRACKED, rss_start, rss_end);
	/* the table, plus at most one unflushed batch per CPU not in it yet */
	assert_true(most <= MAX_TRACKED + (size_t)sysconf(_SC_NPROCESSORS_CONF));
	assert_true(most >= MAX_TRACKED / 2);	/* the storm really filled the table */
	assert_true(rss_end - rss_start < 8192 + kvas_sanitizer_rss_kb());
}

/* One output format, known events: else exit 2, before anything is loaded. */
static void test_trace_usage_errors(void **state)
{
	static const char *const both[] = { "trace", "--csv", "--json", NULL };
	static const char *const no_event[] = { "trace", "-e", "", NULL };
	static const char *const bad_event[] = { "trace", "-e", "faults,bogus", NULL };
	static const char *const *const cases[] = { both, no_event, bad_event };

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(expect_usage_error(cases[i]), 0);
}

/* A letter means one thing in every command; a mistake is said before anything loads. */
static void test_option_usage_errors(void **state)
{
	static const char *const cases[][8] = {
		{ "top", "-n", "0" },			/* intervals: at least one */
		{ "top", "-i", "0.05" },		/* below top's 0.1 s */
		{ "dmap", "-n", "3" },			/* intervals without -i */
		{ "dmap", "--rows", "3", "--json" },	/* rows of the text report */
		{ "serve", "-i", "0.5" },		/* below serve's 1 s */
		{ "serve", "--textfile", "/tmp", "-l", "127.0.0.1:9633" },
		{ "serve", "-c", "5" },			/* -c keeps every Nth event, in trace */
		{ "trace", "-b", "64" },		/* -b is top's --by */
		{ "trace", "-C", "" },			/* an empty list */
		{ "trace", "--cgroup", "" },
		{ "trace", "-o", "" },
		{ "layout", "-s", "" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(expect_usage_error(cases[i]), 0);
}

/* kvas args ends by itself (status 0): its JSON lines. */
static size_t json_lines_made(const char *const *args)
{
	struct run_result r;
	json_t *lines;
	size_t n;

	assert_int_equal(run_kvas(&r, NULL, args), 0);
	assert_int_equal(r.status, 0);
	lines = json_lines_of(r.out);
	n = json_array_size(lines);
	json_decref(lines);
	run_result_free(&r);
	return n;
}

/* -n N is N intervals in every command that repeats, as procps top's -n. */
static void test_n_counts_intervals(void **state)
{
	static const char *const top[] = { "top", "--json", "-i", "0.2", "-n", "2", NULL };
	static const char *const dmap[] = { "dmap", "--json", "-i", "0.2", "-n", "2", NULL };
	char dir[] = "/tmp/kvas-textfile-XXXXXX", path[64];
	struct run_result r;

	(void)state;
	assert_int_equal(json_lines_made(top), 2);
	/* the report, then one object per interval */
	assert_int_equal(json_lines_made(dmap), 3);

	/* serve -n 1 --textfile: one refresh written, then it ends */
	assert_non_null(mkdtemp(dir));
	assert_int_equal(run_kvas(&r, NULL, (const char *const[]){ "serve", "--textfile", dir,
							 "-n", "1", NULL }), 0);
	assert_int_equal(r.status, 0);
	run_result_free(&r);
	snprintf(path, sizeof(path), "%s/kvas.prom", dir);
	assert_int_equal(access(path, R_OK), 0);
	unlink(path);
	rmdir(dir);
}

#define live_test(f) cmocka_unit_test_teardown(f, teardown_kill_kvas)

/* A failed test's kvas and child are killed, and its cgroup removed. */
static int teardown_cgroup(void **state)
{
	teardown_kill_kvas(state);
	if (cgroup_dir[0])
		rmdir(cgroup_dir);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		live_test(test_trace_touched_pages),
		live_test(test_top_counts_touched_pages),
		live_test(test_trace_remote_shootdowns),
		live_test(test_top_remote_flushes_match_interrupts),
		live_test(test_top_rows_add_up_and_evictions),
		live_test(test_top_translates_bursts),
		cmocka_unit_test_teardown(test_cgroup_attribution, teardown_cgroup),
		live_test(test_comm_and_tid_filters),
		live_test(test_csv_output),
		live_test(test_signals_end_cleanly),
		live_test(test_closed_pipe_ends_trace),
		live_test(test_memory_bounded),
		live_test(test_trace_usage_errors),
		live_test(test_option_usage_errors),
		live_test(test_n_counts_intervals),
	};

	return run_root_suite("top and trace (root, live kernel)", tests, NULL, NULL);
}
