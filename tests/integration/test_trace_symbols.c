// SPDX-License-Identifier: GPL-2.0
/*
 * kvas trace against faults this test causes: a user fault's ip named as
 * this binary's function (text and JSON), an ip in no file left bare, the
 * summary's counts equal to the records printed, and -F RATE a cap on all
 * CPUs together, with the load on one CPU and spread over two.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testlib.h"

#define PAGE		4096UL
#define TOUCH_PAGES	64
#define LIVE_WAIT_MS	30000
#define END_WAIT_MS	30000	/* a -d run on a loaded machine, load included */

/* The function trace must name: its own stores fault, no memset between. */
__attribute__((noinline)) void kvas_symbols_test_touch(volatile char *p, size_t pages)
{
	for (size_t i = 0; i < pages; i++)
		p[i * PAGE] = 1;
}

/*
 * mov byte [rdi], 1; ret: code in an anonymous mapping, in no file, so
 * its faulting ip has no symbol to name.
 */
static const unsigned char anon_store[] = { 0xc6, 0x07, 0x01, 0xc3 };

/* What the child touched, for the parent to find in trace's lines. */
struct touched {
	uint64_t named, bare;		/* the pages kvas_symbols_test_touch and anon code wrote */
};

/* A child that waits for go, touches, reports, and waits to be told to end. */
struct child {
	pid_t pid;
	int go[2], report[2];
};

static void child_body(struct child *c)
{
	struct touched t;
	char *named, *bare, *code, b;
	void (*store)(volatile char *);

	close(c->go[1]);
	close(c->report[0]);
	named = mmap(NULL, TOUCH_PAGES * PAGE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	bare = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	code = mmap(NULL, PAGE, PROT_READ | PROT_WRITE | PROT_EXEC,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (named == MAP_FAILED || bare == MAP_FAILED || code == MAP_FAILED)
		_exit(1);
	madvise(named, TOUCH_PAGES * PAGE, MADV_NOHUGEPAGE);
	memcpy(code, anon_store, sizeof(anon_store));
	store = (void (*)(volatile char *))code;
	if (read(c->go[0], &b, 1) != 1)
		_exit(1);
	kvas_symbols_test_touch(named, TOUCH_PAGES);
	store(bare);
	t.named = (uintptr_t)named;
	t.bare = (uintptr_t)bare;
	if (write(c->report[1], &t, sizeof(t)) != sizeof(t))
		_exit(1);
	/* alive until the parent has its lines: then the maps are readable */
	if (read(c->go[0], &b, 1) < 0)
		_exit(1);
	_exit(0);
}

static void start_child(struct child *c)
{
	assert_int_equal(pipe2(c->go, O_CLOEXEC), 0);
	assert_int_equal(pipe2(c->report, O_CLOEXEC), 0);
	c->pid = fork();
	assert_true(c->pid >= 0);
	if (!c->pid)
		child_body(c);
	close(c->go[0]);
	close(c->report[1]);
}

static void child_touch(struct child *c, struct touched *t)
{
	size_t got = 0;

	assert_int_equal(write(c->go[1], "g", 1), 1);
	while (got < sizeof(*t)) {
		ssize_t n = read(c->report[0], (char *)t + got, sizeof(*t) - got);

		assert_true(n > 0);
		got += n;
	}
}

static void child_end(struct child *c)
{
	close(c->go[1]);
	waitpid(c->pid, NULL, 0);
	close(c->report[0]);
}

/* This test binary's file name: the module trace must name. */
static const char *own_module(void)
{
	static char path[4096];
	ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 1);
	char *slash;

	assert_true(n > 0);
	path[n] = '\0';
	slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

static bool in_named(uint64_t addr, const struct touched *t)
{
	return addr >= t->named && addr < t->named + TOUCH_PAGES * PAGE;
}

static bool is_bare(uint64_t addr, const struct touched *t)
{
	return addr >= t->bare && addr < t->bare + PAGE;
}

/* The child's fault-user records in trace's output: named ones, and the bare one. */
struct seen_faults {
	int named, named_right, bare, bare_right;
	char first_wrong[1024];
};

static void check_json(const char *out, const struct touched *t, struct seen_faults *f)
{
	json_t *lines = json_lines_of(out), *o;
	const char *module = own_module();
	size_t i;

	memset(f, 0, sizeof(*f));
	json_array_foreach(lines, i, o) {
		uint64_t addr = strtoull(json_str(o, "address"), NULL, 16);
		bool right;

		if (strcmp(json_str(o, "event"), "fault-user"))
			continue;
		if (in_named(addr, t)) {
			f->named++;
			right = !strncmp(json_str(o, "symbol"), "kvas_symbols_test_touch+0x", 26) &&
				!strcmp(json_str(o, "module"), module);
			f->named_right += right;
		} else if (is_bare(addr, t)) {
			f->bare++;
			right = !json_object_get(o, "symbol") && !json_object_get(o, "module");
			f->bare_right += right;
		} else {
			continue;
		}
		if (!right && !f->first_wrong[0]) {
			char *text = json_dumps(o, JSON_COMPACT);

			snprintf(f->first_wrong, sizeof(f->first_wrong), "%s", text ? text : "");
			free(text);
		}
	}
	json_decref(lines);
}

static bool json_all_seen(const char *out, void *arg)
{
	struct seen_faults f;

	check_json(out, arg, &f);
	return f.named >= TOUCH_PAGES && f.bare >= 1;
}

/* In text, the bare fault's ip ends its line. */
static void check_text(const char *out, const struct touched *t, struct seen_faults *f)
{
	char expect_module[300];
	const char *line = out;

	memset(f, 0, sizeof(*f));
	snprintf(expect_module, sizeof(expect_module), " (%s)\n", own_module());
	for (const char *nl; line && *line; line = nl ? nl + 1 : NULL) {
		char buf[1024], event[32], address[32];
		bool right;

		nl = strchr(line, '\n');
		snprintf(buf, sizeof(buf), "%.*s\n", (int)(nl ? nl - line : (long)strlen(line)),
			 line);
		/* TIME CPU PID TID COMM CGROUP EVENT ADDRESS ... (comm and cgroup have no spaces here) */
		if (sscanf(buf, "%*s %*s %*s %*s %*s %*s %31s %31s", event, address) != 2 ||
		    strcmp(event, "fault-user"))
			continue;
		if (in_named(strtoull(address, NULL, 16), t)) {
			f->named++;
			right = strstr(buf, " kvas_symbols_test_touch+0x") &&
				strstr(buf, expect_module);
			f->named_right += right;
		} else if (is_bare(strtoull(address, NULL, 16), t)) {
			const char *ip = strstr(buf, " ip=0x");

			f->bare++;
			/* the ip, then the line's end */
			right = ip && !strchr(ip + 1, ' ');
			f->bare_right += right;
		} else {
			continue;
		}
		if (!right && !f->first_wrong[0])
			snprintf(f->first_wrong, sizeof(f->first_wrong), "%s", buf);
	}
}

static bool text_all_seen(const char *out, void *arg)
{
	struct seen_faults f;

	check_text(out, arg, &f);
	return f.named >= TOUCH_PAGES && f.bare >= 1;
}

/* trace -p of a child (format NULL: text); its output once cond holds, or LIVE_WAIT_MS passed. */
static char *trace_child(const char *format, bool (*cond)(const char *, void *),
			 struct touched *t)
{
	struct bg_kvas bg;
	struct child c;
	char pid[16], *out;

	start_child(&c);
	snprintf(pid, sizeof(pid), "%d", c.pid);
	assert_int_equal(bg_kvas_start(&bg, (const char *const[]){ "trace", "-e", "fault-user",
				       "-p", pid, format, NULL }), 0);
	child_touch(&c, t);
	if (!bg_kvas_wait_output(&bg, cond, t, LIVE_WAIT_MS))
		fprintf(stderr, "  (trace did not show the child's faults within %d s)\n",
			LIVE_WAIT_MS / 1000);
	assert_int_equal(bg_kvas_wait(&bg, SIGINT), 0);
	child_end(&c);
	out = bg_kvas_stdout(&bg);
	bg_kvas_cleanup(&bg);
	return out;
}

/* Every fault in kvas_symbols_test_touch named so, the anonymous code's one bare. */
static void expect_named(const char *format, void (*check)(const char *, const struct touched *,
							   struct seen_faults *),
			 bool (*all_seen)(const char *, void *))
{
	struct seen_faults f;
	struct touched t;
	char *out;

	out = trace_child(format, all_seen, &t);
	check(out, &t, &f);
	free(out);
	if (f.named < TOUCH_PAGES || f.named_right != f.named || f.bare != 1 ||
	    f.bare_right != 1)
		fail_msg("%s: %d faults in kvas_symbols_test_touch (%d named so), %d of anonymous"
			 " code (%d bare); first wrong: %s", format ? format : "text", f.named,
			 f.named_right, f.bare, f.bare_right, f.first_wrong);
}

static void test_user_symbol_json(void **state)
{
	(void)state;
	expect_named("--json", check_json, json_all_seen);
}

static void test_user_symbol_text(void **state)
{
	(void)state;
	expect_named(NULL, check_text, text_all_seen);
}

/* A fault storm until killed, on the CPU given (-1: wherever it runs). */
static pid_t start_storm(int cpu)
{
	pid_t pid = fork();
	cpu_set_t set;

	assert_true(pid >= 0);
	if (pid) {
		bg_child_remember(pid);
		return pid;
	}
	if (cpu >= 0) {
		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set))
			_exit(1);
	}
	for (;;) {
		char *p = mmap(NULL, TOUCH_PAGES * PAGE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			_exit(1);
		kvas_symbols_test_touch(p, TOUCH_PAGES);
		munmap(p, TOUCH_PAGES * PAGE);
	}
}

static void stop_storm(pid_t pid)
{
	bg_child_forget(pid);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static bool ended(void *arg)
{
	return bg_kvas_ended(arg);
}

/* Run kvas with args (a -d run) to its end: its JSON lines. */
static json_t *run_to_end(const char *const *args)
{
	struct bg_kvas bg;
	json_t *lines;
	char *out;

	assert_int_equal(bg_kvas_start(&bg, args), 0);
	if (!wait_until(ended, &bg, END_WAIT_MS)) {
		bg_kvas_wait(&bg, SIGINT);
		bg_kvas_cleanup(&bg);
		fail_msg("a -d run still ran after %d s", END_WAIT_MS / 1000);
	}
	assert_int_equal(bg_kvas_wait(&bg, 0), 0);
	out = bg_kvas_stdout(&bg);
	lines = json_lines_of(out);
	free(out);
	bg_kvas_cleanup(&bg);
	return lines;
}

static json_t *summary_of(json_t *lines)
{
	json_t *last = json_array_get(lines, json_array_size(lines) - 1);

	if (!last || strcmp(json_str(last, "event"), "summary"))
		fail_msg("trace's last line is not its summary");
	return last;
}

/*
 * A storm traced for a while and stopped in the middle of it (-d): the
 * summary's written is the records printed, translated the translations
 * printed with a physical address.
 */
static void test_summary_counts_its_lines(void **state)
{
	pid_t storm = start_storm(-1);
	size_t i, records = 0, translations = 0;
	char pid[16];
	json_t *lines, *o, *summary;

	(void)state;
	snprintf(pid, sizeof(pid), "%d", storm);
	lines = run_to_end((const char *const[]){ "trace", "--json", "-p", pid, "-c", "20",
			   "-d", "2", NULL });
	stop_storm(storm);
	summary = summary_of(lines);
	json_array_foreach(lines, i, o) {
		if (o == summary)
			continue;
		records++;
		translations += !strcmp(json_str(o, "event"), "translation") &&
				json_object_get(o, "pa");
	}
	printf("  %zu records (%zu translations); summary: written %.0f, translated %.0f\n",
	       records, translations, json_num(summary, "written"),
	       json_num(summary, "translated"));
	if (records < 1000 || translations < 100)
		fail_msg("a storm traced for 2 s gave %zu records, %zu translations", records,
			 translations);
	assert_int_equal((size_t)json_num(summary, "written"), records);
	assert_int_equal((size_t)json_num(summary, "translated"), translations);
	json_decref(lines);
}

#define RATE		1000
#define RATE_SECONDS	5

/* trace -F RATE -d RATE_SECONDS over the storms running: the events it kept. */
static size_t kept_under_cap(void)
{
	char rate[16], secs[16];
	size_t i, kept = 0;
	json_t *lines, *o, *summary;
	double first = -1, last = 0;

	snprintf(rate, sizeof(rate), "%d", RATE);
	snprintf(secs, sizeof(secs), "%d", RATE_SECONDS);
	lines = run_to_end((const char *const[]){ "trace", "--json", "-e", "fault-user",
			   "-F", rate, "-d", secs, NULL });
	summary = summary_of(lines);
	json_array_foreach(lines, i, o) {
		if (strcmp(json_str(o, "event"), "fault-user"))
			continue;
		kept++;
		if (first < 0)
			first = json_num(o, "time");
		last = json_num(o, "time");
	}
	printf("  kept %zu fault-user events from %.3f s to %.3f s, %.0f sampled away\n", kept,
	       first, last, json_num(summary, "sampled_away"));
	/* the storms made far more than the cap: the cap, not the load, decided */
	if (json_num(summary, "sampled_away") < kept)
		fail_msg("only %.0f events sampled away for %zu kept: the storm was too weak",
			 json_num(summary, "sampled_away"), kept);
	json_decref(lines);
	return kept;
}

static void expect_cap(const char *load, size_t kept)
{
	double want = RATE * RATE_SECONDS;

	if (kept < 0.9 * want || kept > 1.1 * want)
		fail_msg("-F %d -d %d with the load %s kept %zu events, not %.0f +- 10%%", RATE,
			 RATE_SECONDS, load, kept, want);
}

static void test_rate_is_total_on_one_cpu(void **state)
{
	pid_t storm = start_storm(0);
	size_t kept;

	(void)state;
	kept = kept_under_cap();
	stop_storm(storm);
	expect_cap("on CPU 0", kept);
}

static void test_rate_is_total_spread(void **state)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	pid_t storms[2];
	size_t kept;

	(void)state;
	if (cpus < 2) {
		printf("  skipped: one CPU online, no load to spread\n");
		skip();
	}
	storms[0] = start_storm(0);
	storms[1] = start_storm(1);
	kept = kept_under_cap();
	stop_storm(storms[0]);
	stop_storm(storms[1]);
	expect_cap("on CPUs 0 and 1", kept);
}

#define live_test(f) cmocka_unit_test_teardown(f, teardown_kill_kvas)

int main(void)
{
	const struct CMUnitTest tests[] = {
		live_test(test_user_symbol_json),
		live_test(test_user_symbol_text),
		live_test(test_summary_counts_its_lines),
		live_test(test_rate_is_total_on_one_cpu),
		live_test(test_rate_is_total_spread),
	};

	return run_root_suite("trace symbols, summary, -F (root, live kernel)", tests, NULL, NULL);
}
