// SPDX-License-Identifier: GPL-2.0
/*
 * The JSON API: what every command really prints with --json, against its
 * schema in docs/schema, through tests/json/validate.py (integers must be
 * integers). The test causes the events itself, so that top has rows and
 * trace has each kind of record to check. Run from the tree's top directory.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testlib.h"

#define PAGE 4096UL

/* validate.py's exit status for path against docs/schema/NAME.schema.json. */
static int validate(const char *name, const char *path, bool lines)
{
	char schema[128];
	int status;
	pid_t pid;

	snprintf(schema, sizeof(schema), "docs/schema/%s.schema.json", name);
	fflush(stdout);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		/* Debian's python3, with the python3-jsonschema install-deps brings */
		execl("/usr/bin/python3", "python3", "tests/json/validate.py", schema, path,
		      lines ? "--lines" : NULL, (char *)NULL);
		_exit(127);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* text into a new temporary file; its path in path. */
static void write_temp(char *path, const char *text)
{
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

/* What kvas printed into path fits schema name; the file is kept when not. */
static void assert_fits(const char *name, const char *path, bool lines)
{
	if (validate(name, path, lines))
		fail_msg("kvas %s: its output does not fit docs/schema/%s.schema.json (kept in %s)",
			 name, name, path);
	unlink(path);
}

/* Run kvas with args: it ends with 0 or also_ok, prints, and what it prints fits. */
static void check_command(const char *name, bool lines, int also_ok, const char *const *args)
{
	char path[] = "/tmp/kvas-json-XXXXXX";
	struct run_result r;

	assert_int_equal(run_kvas(&r, NULL, args), 0);
	if (r.status && r.status != also_ok)
		fail_msg("kvas %s exited %d: %s", args[0], r.status, r.err);
	assert_true(r.out[0]);
	write_temp(path, r.out);
	run_result_free(&r);
	assert_fits(name, path, lines);
}

static void test_layout(void **state)
{
	(void)state;
	check_command("layout", false, 0, (const char *const[]){ "layout", "--json", NULL });
}

static void test_translate(void **state)
{
	uint64_t text = 0xffffffff81000000ULL;
	char text_hex[24], pid[16], stack_hex[24];
	volatile char on_stack[64] = { 1 };

	(void)state;
	truth_kallsyms("_text", &text);
	snprintf(text_hex, sizeof(text_hex), "%llx", (unsigned long long)text);
	snprintf(pid, sizeof(pid), "%d", getpid());
	snprintf(stack_hex, sizeof(stack_hex), "%lx", (unsigned long)on_stack);
	check_command("translate", false, 0,
		      (const char *const[]){ "translate", "--json", "--walk", text_hex, NULL });
	check_command("translate", false, 0,
		      (const char *const[]){ "translate", "--json", "--phys", "0x1000", NULL });
	check_command("translate", false, 0,
		      (const char *const[]){ "translate", "--json", "--walk", "-p", pid, stack_hex,
					     "--read", "16", NULL });
}

static pid_t faulting;

/* Fresh pages, written, until killed: rows and recent faults for top. */
static void start_faulting(void)
{
	faulting = fork();
	assert_true(faulting >= 0);
	if (faulting)
		return;
	for (;;) {
		char *p = mmap(NULL, 64 * PAGE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			_exit(1);
		for (size_t i = 0; i < 64; i++)
			p[i * PAGE] = 1;
		munmap(p, 64 * PAGE);
		usleep(1000);
	}
}

static void test_top(void **state)
{
	(void)state;
	start_faulting();
	check_command("top", true, 0,
		      (const char *const[]){ "top", "--json", "-i", "0.5", "-d", "1", NULL });
}

/*
 * Each kind of trace record, caused when told to: user faults (writes to
 * fresh pages), kernel faults (read() filling fresh pages), a TLB flush
 * (mprotect of a present page), and translations of the faults.
 */
static void every_record(int go)
{
	char *p = mmap(NULL, 16 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);
	int zero = open("/dev/zero", O_RDONLY);
	char b;

	if (p == MAP_FAILED || zero < 0 || read(go, &b, 1) != 1)
		_exit(1);
	for (size_t i = 0; i < 8; i++)
		p[i * PAGE] = 1;
	if (read(zero, p + 8 * PAGE, 4 * PAGE) != (ssize_t)(4 * PAGE) ||
	    mprotect(p, PAGE, PROT_READ))
		_exit(1);
	p[12 * PAGE] = 1;	/* one more fault carries the last translation */
	if (read(go, &b, 1) < 0)	/* until the parent is done */
		_exit(1);
	_exit(0);
}

static void test_trace(void **state)
{
	static const char *const kinds[] = {
		"\"event\":\"fault-user\"", "\"event\":\"fault-kernel\"", "\"event\":\"tlb-flush\"",
		"\"event\":\"translation\"", "\"event\":\"summary\"",
	};
	struct bg_kvas bg;
	int go[2];
	char pid[16], *out;
	pid_t child;

	(void)state;
	assert_int_equal(pipe2(go, O_CLOEXEC), 0);
	child = fork();
	assert_true(child >= 0);
	if (!child) {
		close(go[1]);
		every_record(go[0]);
	}
	close(go[0]);
	snprintf(pid, sizeof(pid), "%d", child);
	assert_int_equal(bg_kvas_start(&bg, (const char *const[]){ "trace", "--json", "-p", pid,
								  "-d", "2", NULL }), 0);
	assert_int_equal(write(go[1], "g", 1), 1);
	assert_int_equal(bg_kvas_wait(&bg, 0), 0);
	close(go[1]);
	waitpid(child, NULL, 0);
	out = bg_kvas_stdout(&bg);
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strstr(out, kinds[i]))
			fail_msg("no %s record in the trace of pid %s:\n%s", kinds[i], pid, out);
	free(out);
	assert_fits("trace", bg.out_path, true);
	bg_kvas_cleanup(&bg);
}

static void test_dmap(void **state)
{
	(void)state;
	check_command("dmap", false, 0, (const char *const[]){ "dmap", "--json", NULL });
	check_command("dmap", true, 0,
		      (const char *const[]){ "dmap", "--json", "-i", "0.5", "-d", "1", NULL });
}

static void test_why(void **state)
{
	(void)state;
	check_command("why", false, 0, (const char *const[]){ "why", "--json", "--no-measure", NULL });
	check_command("why", false, 0, (const char *const[]){ "why", "--json", NULL });
}

static void test_audit(void **state)
{
	(void)state;
	/* 3: a finding reached --fail-on, as this host may well have */
	check_command("audit", false, 3,
		      (const char *const[]){ "audit", "--json", "-d", "0.5", NULL });
}

/* Stock jsonschema takes 16120.0 for an integer; the API does not. */
static void test_float_is_not_an_integer(void **state)
{
	static const char line[] =
		"{\"event\":\"tlb-flush\",\"time\":0.5,\"cpu\":1,\"pid\":%s,\"tid\":16120,"
		"\"comm\":\"sh\",\"cgroup\":\"/\",\"attribution\":\"cgroup2\",\"tlb_reason\":\"task switch\","
		"\"tlb_class\":\"switch without flush\","
		"\"tlb_pages\":0,\"tlb_full\":false}\n";
	char good[] = "/tmp/kvas-json-XXXXXX", bad[] = "/tmp/kvas-json-XXXXXX";
	char text[sizeof(line) + 16];

	(void)state;
	snprintf(text, sizeof(text), line, "16120");
	write_temp(good, text);
	snprintf(text, sizeof(text), line, "16120.0");
	write_temp(bad, text);
	assert_int_equal(validate("trace", good, true), 0);
	assert_int_equal(validate("trace", bad, true), 1);
	unlink(good);
	unlink(bad);
}

static int kill_leftovers(void **state)
{
	(void)state;
	bg_kvas_kill_all();
	if (faulting > 0) {
		kill(faulting, SIGKILL);
		waitpid(faulting, NULL, 0);
		faulting = 0;
	}
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_float_is_not_an_integer),
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_translate),
		cmocka_unit_test_teardown(test_top, kill_leftovers),
		cmocka_unit_test_teardown(test_trace, kill_leftovers),
		cmocka_unit_test(test_dmap),
		cmocka_unit_test(test_audit),
		cmocka_unit_test(test_why),
	};

	return run_root_suite("the JSON API (root, live kernel)", tests, NULL, NULL);
}
