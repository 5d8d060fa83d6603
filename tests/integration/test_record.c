// SPDX-License-Identifier: GPL-2.0
/*
 * kvas record: what it writes of a program it starts (-- COMMAND) or
 * follows (-p), read back with kd_read: the program's faults at the pages
 * it touched, their translations against its pagemap, and stacks that name
 * the function that touched them; its exit status; and the file rules
 * (kvas.data kept as kvas.data.old, an existing -o refused without
 * --force, nothing left by a SIGKILL, no file when the command cannot run).
 *
 * The workload is tests/record_toucher.c, built here with frame pointers
 * at -O0 (gcc -O2 omits leaf functions' frames: research-24.md section 4).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kvas_data.h"
#include "recording.h"
#include "testlib.h"

#define PAGE		4096UL
#define PAGES		5000		/* the acceptance: 5,000 new pages */
#define PID_PAGES	500
#define END_WAIT_MS	20000		/* a loaded machine; an exit is seen at once when it works */

static char dir[64];			/* the test's own files */
static char toucher[PATH_MAX];		/* its build of tests/record_toucher.c; "": none */

static const char *in_dir(const char *name, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s", dir, name);
	return buf;
}

/* The toucher's first line: "pid P buf ADDR pages N". */
static int toucher_line(const char *out, pid_t *pid, uint64_t *buf)
{
	long n;

	return sscanf(out, "pid %d buf %" SCNx64 " pages %ld", pid, buf, &n) == 3 ? 0 : -1;
}

static struct recording *read_back(const char *path)
{
	struct recording *r = calloc(1, sizeof(*r));
	char why[200] = "";
	FILE *f = fopen(path, "re");
	int ret;

	assert_non_null(r);
	if (!f)
		fail_msg("%s: %s", path, strerror(errno));
	ret = kd_read(f, r, why, sizeof(why));
	fclose(f);
	if (ret)
		fail_msg("kd_read %s: %d (%s)", path, ret, why);
	return r;
}

static void free_back(struct recording *r)
{
	recording_free(r);
	free(r);
}

static bool in_buffer(const struct rec_event *e, pid_t pid, uint64_t buf, unsigned long pages)
{
	return e->kind == VM_FAULT_USER && e->pid == (uint32_t)pid && e->addr >= buf &&
	       e->addr < buf + pages * PAGE;
}

/* Does the event's stack hold a frame of function in pid? */
static bool stack_names(const struct recording *r, const struct rec_event *e, const char *function)
{
	const struct rec_stack *s;

	if (e->stack == REC_NO_STACK || e->stack >= r->nr_stacks)
		return false;
	s = &r->stacks[e->stack];
	for (uint32_t i = 0; i < s->nr_kernel + s->nr_user; i++) {
		const struct rec_frame *f = recording_frame(r, i < s->nr_kernel ? 0 : e->pid,
							    s->ips[i]);

		if (f && f->function && !strcmp(f->function, function))
			return true;
	}
	return false;
}

/* What a recording says of the buffer's pages. */
struct buffer_faults {
	unsigned long faults, translated, named;
};

static void count_buffer(const struct recording *r, pid_t pid, uint64_t buf,
			 unsigned long pages, struct buffer_faults *bf)
{
	memset(bf, 0, sizeof(*bf));
	for (size_t i = 0; i < r->nr_events; i++) {
		const struct rec_event *e = &r->events[i];

		if (!in_buffer(e, pid, buf, pages))
			continue;
		bf->faults++;
		bf->translated += e->pa && (e->page_shift == 12 || e->page_shift == 21);
		bf->named += stack_names(r, e, "touch_pages") && stack_names(r, e, "toucher_caller");
	}
}

/*
 * -g -- COMMAND: its exit status is record's, and the file holds its faults
 * at its buffer, translated, with stacks through toucher_caller to
 * touch_pages, its process and the buffer's mapping.
 */
static void test_command(void **state)
{
	char data[96], pages[16], *line;
	struct buffer_faults bf;
	struct run_result run;
	struct recording *r;
	uint64_t buf;
	pid_t pid;

	(void)state;
	if (!toucher[0])
		skip();
	snprintf(pages, sizeof(pages), "%d", PAGES);
	in_dir("command.data", data, sizeof(data));
	assert_int_equal(run_kvas(&run, NULL, (const char *const[]){ "record", "-g", "-o", data,
		"--", toucher, pages, "3", NULL }), 0);
	if (run.status != 3 || toucher_line(run.out, &pid, &buf))
		fail_msg("record -- toucher: exit %d (not the toucher's 3), stdout '%s', stderr '%s'",
			 run.status, run.out, run.err);
	line = strstr(run.err, "kvas record: ");
	if (!line || !strstr(line, " events (") || !strstr(line, " with stacks) written to "))
		fail_msg("no summary line: '%s'", run.err);
	r = read_back(data);
	count_buffer(r, pid, buf, PAGES, &bf);
	if (bf.faults < PAGES || bf.translated < PAGES * 9 / 10 || bf.named < PAGES * 9 / 10)
		fail_msg("%lu faults of %d pages; %lu translated, %lu with touch_pages called by"
			 " toucher_caller in their stack", bf.faults, PAGES, bf.translated, bf.named);
	assert_non_null(recording_process(r, pid));
	assert_string_equal(recording_process(r, pid)->comm, "record_toucher");
	assert_non_null(recording_mapping(r, pid, buf));
	assert_non_null(recording_meta(r, "exit_status"));
	assert_string_equal(recording_meta(r, "exit_status"), "3");
	assert_string_equal(recording_meta(r, "stacks"), "kernel,user");
	assert_non_null(recording_meta(r, "kernel_release"));
	free_back(r);
	run_result_free(&run);
}

/* A cgroup of the test's own, in the v2 hierarchy or else v1 memory's: its path, or "". */
static void make_cgroup(char *dir, size_t len)
{
	static const char *const roots[] = { "/sys/fs/cgroup/unified", "/sys/fs/cgroup/memory",
					     "/sys/fs/cgroup" };

	for (size_t i = 0; i < sizeof(roots) / sizeof(roots[0]); i++) {
		snprintf(dir, len, "%s/kvas-record-test-%d", roots[i], getpid());
		if (!mkdir(dir, 0755))
			return;
	}
	dir[0] = '\0';
}

/*
 * -C: a process in a cgroup made after record started (no container, so
 * the kernel lets it through until userspace decides) is not recorded.
 */
static void test_container_filter(void **state)
{
	char data[96], cg[128], procs[160], pages[16];
	struct recording *r;
	struct bg_kvas bg;
	size_t theirs = 0;
	pid_t pid;

	(void)state;
	if (!toucher[0])
		skip();
	in_dir("container.data", data, sizeof(data));
	assert_int_equal(bg_kvas_start(&bg, (const char *const[]){ "record", "-C", "abcdef012345",
		"-o", data, NULL }), 0);
	make_cgroup(cg, sizeof(cg));
	assert_true(cg[0]);
	snprintf(procs, sizeof(procs), "%s/cgroup.procs", cg);
	snprintf(pages, sizeof(pages), "%d", PID_PAGES);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		int fd = open(procs, O_WRONLY | O_CLOEXEC), out = open("/dev/null", O_WRONLY);

		if (fd < 0 || write(fd, "0", 1) != 1 || out < 0 || dup2(out, 1) < 0)
			_exit(1);
		execl(toucher, toucher, pages, (char *)NULL);
		_exit(127);
	}
	assert_int_equal(waitpid(pid, NULL, 0), pid);
	assert_int_equal(bg_kvas_wait(&bg, SIGINT), 0);
	bg_kvas_cleanup(&bg);
	rmdir(cg);
	r = read_back(data);
	for (size_t i = 0; i < r->nr_events; i++)
		theirs += r->events[i].pid == (uint32_t)pid;
	printf("  %zu events of pid %d (in %s, no container) of %zu recorded\n", theirs, pid, cg,
	       r->nr_events);
	assert_int_equal(theirs, 0);
	free_back(r);
}

/* -- sh -c '...': the shell's child is followed too, and the shell's status is record's. */
static void test_children(void **state)
{
	char data[96], script[PATH_MAX + 32];
	struct buffer_faults bf;
	struct run_result run;
	struct recording *r;
	const struct rec_process *p;
	uint64_t buf;
	pid_t pid;

	(void)state;
	if (!toucher[0])
		skip();
	snprintf(script, sizeof(script), "%s %d 0; exit 4", toucher, PID_PAGES);
	in_dir("children.data", data, sizeof(data));
	assert_int_equal(run_kvas(&run, NULL, (const char *const[]){ "record", "-o", data, "--",
		"sh", "-c", script, NULL }), 0);
	if (run.status != 4 || toucher_line(run.out, &pid, &buf))
		fail_msg("record -- sh -c: exit %d (not the shell's 4), stdout '%s', stderr '%s'",
			 run.status, run.out, run.err);
	r = read_back(data);
	count_buffer(r, pid, buf, PID_PAGES, &bf);
	p = recording_process(r, pid);
	/* its parent is known if it still lived when its first event was read */
	if (bf.faults < PID_PAGES || !p || (p->cmdline && !recording_process(r, p->ppid)))
		fail_msg("%lu faults of the shell's child at its %d pages; its process %s, its"
			 " parent %u %s", bf.faults, PID_PAGES, p ? "recorded" : "missing",
			 p ? p->ppid : 0, p && recording_process(r, p->ppid) ? "recorded" : "missing");
	free_back(r);
	run_result_free(&run);
	unlink(data);
}

/* /proc/PID/pagemap's frame of va; 0 when not present. */
static uint64_t pagemap_pfn(pid_t pid, uint64_t va)
{
	char path[48];
	uint64_t entry = 0;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/pagemap", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	if (pread(fd, &entry, sizeof(entry), (off_t)(va / PAGE) * sizeof(entry)) != sizeof(entry))
		entry = 0;
	close(fd);
	return entry >> 63 ? entry & ((1ULL << 55) - 1) : 0;
}

/* The toucher in its wait mode, its stdin and stdout ours. */
struct waiting_toucher {
	pid_t pid;
	int in, out;
};

static void start_waiting(struct waiting_toucher *t, const char *pages)
{
	int in[2], out[2];

	assert_int_equal(pipe2(in, O_CLOEXEC), 0);
	assert_int_equal(pipe2(out, O_CLOEXEC), 0);
	t->pid = fork();
	assert_true(t->pid >= 0);
	if (!t->pid) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		execl(toucher, toucher, pages, "0", "wait", (char *)NULL);
		_exit(127);
	}
	bg_child_remember(t->pid);
	close(in[0]);
	close(out[1]);
	t->in = in[1];
	t->out = out[0];
}

static bool ended(void *arg)
{
	return bg_kvas_ended(arg);
}

struct page_of {
	pid_t pid;
	uint64_t va;
};

static bool page_present(void *arg)
{
	const struct page_of *p = arg;

	return pagemap_pfn(p->pid, p->va) != 0;
}

/* Its buffer's faults translated as its pagemap says (pfns[page]). */
static void expect_pagemap(const struct recording *r, pid_t pid, uint64_t buf,
			   const uint64_t *pfns)
{
	unsigned long translated = 0, matched = 0;

	for (size_t i = 0; i < r->nr_events; i++) {
		const struct rec_event *e = &r->events[i];

		if (!in_buffer(e, pid, buf, PID_PAGES) || e->page_shift != 12)
			continue;
		translated++;
		matched += e->pa >> 12 == pfns[(e->addr - buf) / PAGE];
	}
	if (translated < PID_PAGES * 9 / 10 || matched != translated)
		fail_msg("%lu of %d pages translated, %lu as pagemap says", translated, PID_PAGES,
			 matched);
}

/*
 * -p PID: the process's faults, their translations equal to its pagemap
 * (read while its pages are mapped), and record ends by itself when it exits.
 */
static void test_pid(void **state)
{
	char data[96], pages[16], pid_arg[16], first[128] = "";
	uint64_t buf, pfns[PID_PAGES];
	struct waiting_toucher t;
	struct page_of last;
	struct recording *r;
	struct bg_kvas bg;
	int status;
	pid_t pid;

	(void)state;
	if (!toucher[0])
		skip();
	snprintf(pages, sizeof(pages), "%d", PID_PAGES);
	start_waiting(&t, pages);
	assert_true(read(t.out, first, sizeof(first) - 1) > 0);
	assert_int_equal(toucher_line(first, &pid, &buf), 0);
	snprintf(pid_arg, sizeof(pid_arg), "%d", pid);
	in_dir("pid.data", data, sizeof(data));
	assert_int_equal(bg_kvas_start(&bg, (const char *const[]){ "record", "-p", pid_arg, "-o",
		data, NULL }), 0);
	assert_int_equal(write(t.in, "go\n", 3), 3);
	/* it touches in order: the last page present, all are */
	last = (struct page_of){ pid, buf + (PID_PAGES - 1) * PAGE };
	assert_true(wait_until(page_present, &last, END_WAIT_MS));
	for (int i = 0; i < PID_PAGES; i++)
		pfns[i] = pagemap_pfn(pid, buf + i * PAGE);
	close(t.in);		/* it exits: record ends by itself */
	assert_true(wait_until(ended, &bg, END_WAIT_MS));
	status = bg_kvas_wait(&bg, 0);
	bg_child_forget(pid);
	waitpid(pid, NULL, 0);
	close(t.out);
	if (status)
		fail_msg("record -p: exit %d: %s", status, bg_kvas_stderr(&bg));
	bg_kvas_cleanup(&bg);
	r = read_back(data);
	expect_pagemap(r, pid, buf, pfns);
	free_back(r);
}

static ino_t inode_of(const char *path)
{
	struct stat st;

	return stat(path, &st) ? 0 : st.st_ino;
}

static int lines_in(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* The default kvas.data in the current directory: a second run keeps the first as .old. */
static void test_default_kept_old(void **state)
{
	char cwd[PATH_MAX], sub[96];
	struct run_result run;
	ino_t first = 0;

	(void)state;
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	in_dir("default", sub, sizeof(sub));
	assert_int_equal(mkdir(sub, 0700), 0);
	assert_int_equal(chdir(sub), 0);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(run_kvas(&run, NULL, (const char *const[]){ "record", "-e",
			"fault-user", "--", "true", NULL }), 0);
		if (run.status)
			fail_msg("record -- true: exit %d: %s", run.status, run.err);
		run_result_free(&run);
		if (!i)
			first = inode_of("kvas.data");
	}
	assert_true(first && inode_of("kvas.data.old") == first);
	assert_true(inode_of("kvas.data") && inode_of("kvas.data") != first);
	unlink("kvas.data");
	unlink("kvas.data.old");
	assert_int_equal(chdir(cwd), 0);
	rmdir(sub);
}

/* -o FILE that exists: refused (exit 2, one line, FILE untouched) without --force; kept as .old with it. */
static void test_output_exists(void **state)
{
	char data[96], old[104];
	struct run_result run;
	ino_t was;
	int fd;

	(void)state;
	in_dir("exists.data", data, sizeof(data));
	snprintf(old, sizeof(old), "%s.old", data);
	fd = open(data, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	assert_true(fd >= 0 && write(fd, "mine\n", 5) == 5);
	close(fd);
	was = inode_of(data);
	assert_int_equal(run_kvas(&run, NULL, (const char *const[]){ "record", "-o", data, "--",
		"true", NULL }), 0);
	if (run.status != 2 || lines_in(run.err) != 1 || !strstr(run.err, "--force") ||
	    inode_of(data) != was)
		fail_msg("record -o existing: exit %d, stderr '%s'", run.status, run.err);
	run_result_free(&run);
	assert_int_equal(wait_no_kvas_progs(), 0);
	assert_int_equal(run_kvas(&run, NULL, (const char *const[]){ "record", "--force", "-o", data,
		"--", "true", NULL }), 0);
	if (run.status || inode_of(old) != was || !inode_of(data) || inode_of(data) == was)
		fail_msg("record --force -o existing: exit %d, stderr '%s'", run.status, run.err);
	run_result_free(&run);
	unlink(data);
	unlink(old);
}

/* A command that cannot run: 127 and one line, as a shell; no file. */
static void test_exec_failure(void **state)
{
	char data[96];
	struct run_result run;

	(void)state;
	in_dir("exec.data", data, sizeof(data));
	assert_int_equal(run_kvas(&run, NULL, (const char *const[]){ "record", "-o", data, "--",
		"/nonexistent/kvas-test-command", NULL }), 0);
	if (run.status != 127 || lines_in(run.err) != 1 ||
	    !strstr(run.err, "/nonexistent/kvas-test-command") || inode_of(data))
		fail_msg("record -- nonexistent: exit %d, stderr '%s'", run.status, run.err);
	run_result_free(&run);
	assert_int_equal(wait_no_kvas_progs(), 0);
}

static void test_bad_options(void **state)
{
	const char *const *const cases[] = {
		(const char *const[]){ "record", "-x", NULL },
		(const char *const[]){ "record", "-c", "0", NULL },
		(const char *const[]){ "record", "-p", "1", "-a", NULL },
		(const char *const[]){ "record", "-a", "--", "true", NULL },
		(const char *const[]){ "record", "--", NULL },
		(const char *const[]){ "record", "-e", "page-walk", NULL },
		(const char *const[]){ "record", "--buffer-size", "3", NULL },
		(const char *const[]){ "record", "true", NULL },
		(const char *const[]){ "record", "-o", "", NULL },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(expect_usage_error(cases[i]), 0);
}

/* SIGKILL in the middle: no file, not even a temporary one, and nothing attached. */
static void test_sigkill_leaves_nothing(void **state)
{
	char sub[96], data[128];
	struct bg_kvas bg;
	struct dirent *d;
	int entries = 0;
	DIR *dh;

	(void)state;
	in_dir("killed", sub, sizeof(sub));
	assert_int_equal(mkdir(sub, 0700), 0);
	snprintf(data, sizeof(data), "%s/kvas.data", sub);
	assert_int_equal(bg_kvas_start(&bg, (const char *const[]){ "record", "-g", "-o", data,
		NULL }), 0);
	bg_kvas_wait(&bg, SIGKILL);
	bg_kvas_cleanup(&bg);
	dh = opendir(sub);
	assert_non_null(dh);
	while ((d = readdir(dh)))
		entries += strcmp(d->d_name, ".") && strcmp(d->d_name, "..");
	closedir(dh);
	rmdir(sub);
	assert_int_equal(entries, 0);
	assert_int_equal(wait_no_kvas_progs(), 0);
}

/* The toucher, built with frame pointers; kvas by an absolute path (a test changes directory). */
static int setup(void **state)
{
	char src[PATH_MAX], kvas[PATH_MAX];
	struct run_result run;

	(void)state;
	if (!getenv("KVAS") && realpath("./kvas", kvas))
		setenv("KVAS", kvas, 1);
	snprintf(dir, sizeof(dir), "/tmp/kvas-record-test-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(src, sizeof(src), "%s/tests/record_toucher.c", source_dir());
	in_dir("record_toucher", toucher, sizeof(toucher));
	if (run_cmd(&run, (const char *const[]){ "cc", "-O0", "-g", "-fno-omit-frame-pointer",
		"-o", toucher, src, NULL }) || run.status) {
		fprintf(stderr, "skip: cannot build %s with cc: %s\n", src, run.err ? run.err : "");
		toucher[0] = '\0';
	}
	run_result_free(&run);
	return 0;
}

/* Everything the tests made in dir, even after a failure left it there. */
static int teardown(void **state)
{
	char path[PATH_MAX];
	struct dirent *d;
	DIR *dh;

	(void)state;
	bg_kvas_kill_all();
	dh = opendir(dir);
	while (dh && (d = readdir(dh))) {
		if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		if (unlink(path) && errno == EISDIR)
			rmdir(path);
	}
	if (dh)
		closedir(dh);
	rmdir(dir);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_command, teardown_kill_kvas),
		cmocka_unit_test_teardown(test_children, teardown_kill_kvas),
		cmocka_unit_test_teardown(test_pid, teardown_kill_kvas),
		cmocka_unit_test_teardown(test_container_filter, teardown_kill_kvas),
		cmocka_unit_test(test_default_kept_old),
		cmocka_unit_test(test_output_exists),
		cmocka_unit_test(test_exec_failure),
		cmocka_unit_test(test_bad_options),
		cmocka_unit_test_teardown(test_sigkill_leaves_nothing, teardown_kill_kvas),
	};

	return cmocka_run_group_tests_name("record", tests, setup, teardown);
}
