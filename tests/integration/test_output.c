// SPDX-License-Identifier: GPL-2.0
/*
 * Where kvas writes, and how it ends: trace -o on a device, a FIFO, a
 * symlink, a directory, a full filesystem, an existing file, stdout itself;
 * SIGHUP and SIGQUIT; every command's stdout on a full device and a closed
 * pipe; the drain after SIGINT into a reader that does not read; JSON Lines
 * as they are made. Every path is in a directory this test makes (device
 * nodes by mknod there, a tmpfs mounted there), removed at the end.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <dirent.h>

#include "procfs.h"
#include "testlib.h"

#define PAGE		4096UL
#define END_WAIT_MS	20000	/* a loaded machine; a working kvas ends far sooner */
#define DRAIN_BOUND_MS	2000	/* SIGINT to exit, with a reader that does not read */
#define TMPFS_SIZE	"64k"

static char scratch[64];		/* the mkdtemp directory */
static char mnt[128];			/* a tmpfs in it, while mounted */

static void path_in(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", scratch, name);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static int lines_in(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* Page faults of this process, for a trace -p of it to record. */
static void touch_pages(int n)
{
	char *p = mmap(NULL, n * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);

	if (p == MAP_FAILED)
		return;
	for (int i = 0; i < n; i++)
		p[i * PAGE] = 1;
	munmap(p, n * PAGE);
}


/* "kvas trace: N records written, ...": N, or -1. */
static long long records_written(const char *err)
{
	const char *p = strstr(err, "kvas trace: ");

	for (; p; p = strstr(p + 1, "kvas trace: "))
		if (strstr(p, " records written") && isdigit((unsigned char)p[12]))
			return atoll(p + 12);
	return -1;
}

/* Entries in the scratch directory named like a temporary output file. */
static int temp_files_left(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	while (d && (de = readdir(d)))
		n += strstr(de->d_name, ".kvas-") != NULL;
	if (d)
		closedir(d);
	return n;
}

/*
 * -o to character devices made here: null (1, 3) takes it all, exit 0; full
 * (1, 7) gives ENOSPC, named in one line, exit 1. Each stays the device.
 */
static void test_char_devices_stay(void **state)
{
	static const struct {
		const char *name;
		unsigned int minor;
		int status;
	} nodes[] = { { "null", 3, 0 }, { "full", 7, 1 } };
	const char *args[] = { "trace", "-d", "0.5", "-o", NULL, NULL };

	(void)state;
	for (size_t i = 0; i < sizeof(nodes) / sizeof(nodes[0]); i++) {
		char node[128], want[200];
		struct run_result r;
		struct stat st;

		path_in(node, sizeof(node), nodes[i].name);
		assert_int_equal(mknod(node, S_IFCHR | 0666, makedev(1, nodes[i].minor)), 0);
		args[4] = node;
		assert_int_equal(run_kvas(&r, NULL, args), 0);
		snprintf(want, sizeof(want), "kvas trace: %s: write error: No space left on device\n",
			 node);
		if (r.status != nodes[i].status || !strstr(r.err, want) != !nodes[i].status)
			fail_msg("trace -o %s: exit %d, stderr '%s'", nodes[i].name, r.status, r.err);
		assert_int_equal(stat(node, &st), 0);
		assert_true(S_ISCHR(st.st_mode));
		assert_int_equal(st.st_rdev, makedev(1, nodes[i].minor));
		assert_int_equal(temp_files_left(scratch), 0);
		run_result_free(&r);
		unlink(node);
	}
}

/* -o to a FIFO: its reader gets the trace as it is made; the FIFO stays. */
static void test_fifo_reader_gets_trace(void **state)
{
	char fifo[128], pid[16], buf[4096];
	size_t got = 0, cap = 1 << 20;
	char *text = calloc(1, cap);
	long long end = now_ms() + END_WAIT_MS;
	struct bg_kvas bg;
	struct stat st;
	int fd;

	(void)state;
	path_in(fifo, sizeof(fifo), "fifo");
	assert_int_equal(mkfifo(fifo, 0600), 0);
	snprintf(pid, sizeof(pid), "%d", getpid());
	assert_int_equal(bg_kvas_spawn(&bg, (const char *const[]){ "trace", "--csv", "-e",
				       "fault-user", "-p", pid, "-d", "2", "-o", fifo, NULL }), 0);
	fd = open(fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	assert_true(fd >= 0);
	/* read until kvas has ended and the FIFO is empty, faulting meanwhile */
	while (now_ms() < end) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		bool ended = bg_kvas_ended(&bg);
		ssize_t n;

		touch_pages(8);
		poll(&pfd, 1, 50);
		n = read(fd, buf, sizeof(buf));
		if (n > 0 && got + n < cap) {
			memcpy(text + got, buf, n);
			got += n;
		}
		if (n <= 0 && ended)
			break;
	}
	close(fd);
	assert_int_equal(bg_kvas_wait(&bg, 0), 0);
	if (strncmp(text, "time,cpu,pid,tid,comm,", 22) || lines_in(text) < 2)
		fail_msg("the FIFO's reader got '%.200s'", text);
	assert_int_equal(stat(fifo, &st), 0);
	assert_true(S_ISFIFO(st.st_mode));
	free(text);
	bg_kvas_cleanup(&bg);
	unlink(fifo);
}

/* -o to a symlink: its target gets the trace, the symlink stays a symlink. */
static void test_symlink_target_written(void **state)
{
	const char *args[] = { "trace", "-d", "0.5", "-o", NULL, NULL };
	char link[128], target[128], *text;
	struct run_result r;
	struct stat st;

	(void)state;
	path_in(link, sizeof(link), "link");
	path_in(target, sizeof(target), "target.txt");
	assert_int_equal(symlink("target.txt", link), 0);	/* dangling until kvas writes */
	args[4] = link;
	assert_int_equal(run_kvas(&r, NULL, args), 0);
	if (r.status)
		fail_msg("trace -o link: exit %d, stderr '%s'", r.status, r.err);
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_int_equal(lstat(target, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	text = read_text_file(target);
	assert_non_null(text);
	assert_int_equal(strncmp(text, "TIME(s)", 7), 0);
	assert_int_equal(lines_in(text), records_written(r.err) + 1);
	free(text);
	run_result_free(&r);
	unlink(link);
	unlink(target);
}

/* -o DIR, or a file in a directory that is not there: refused at once, nothing traced. */
static void test_unwritable_refused_at_once(void **state)
{
	char missing[128];
	const struct {
		const char *path, *why;
	} cases[] = {
		{ scratch, "Is a directory" },
		{ missing, "No such file or directory" },
	};

	(void)state;
	path_in(missing, sizeof(missing), "no-such-dir/trace.txt");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *args[] = { "trace", "-d", "5", "-o", cases[i].path, NULL };
		struct run_result r;
		long long took = now_ms();

		assert_int_equal(run_kvas(&r, NULL, args), 0);
		took = now_ms() - took;
		if (r.status != 1 || lines_in(r.err) != 1 || !strstr(r.err, cases[i].why) ||
		    r.out[0])
			fail_msg("trace -o %s: exit %d, stderr '%s'", cases[i].path, r.status, r.err);
		if (took >= 1000)
			fail_msg("trace -o %s took %lld ms to refuse it", cases[i].path, took);
		run_result_free(&r);
	}
	assert_int_equal(temp_files_left(scratch), 0);
}

/* A full tmpfs: ENOSPC named, exit 1, what was written kept and counted as it is. */
static void test_full_filesystem(void **state)
{
	char out[200], pid[16], want[300], *text;
	struct bg_kvas bg;
	long long end, records;
	int status;

	(void)state;
	path_in(mnt, sizeof(mnt), "mnt");
	assert_int_equal(mkdir(mnt, 0700), 0);
	if (mount("kvas-test", mnt, "tmpfs", 0, "size=" TMPFS_SIZE)) {
		mnt[0] = '\0';
		fail_msg("mount tmpfs: %s", strerror(errno));
	}
	snprintf(out, sizeof(out), "%s/trace.txt", mnt);
	snprintf(pid, sizeof(pid), "%d", getpid());
	assert_int_equal(bg_kvas_start(&bg, (const char *const[]){ "trace", "-e", "fault-user",
				       "-p", pid, "-o", out, NULL }), 0);
	/* this test's own faults fill it */
	for (end = now_ms() + END_WAIT_MS; !bg_kvas_ended(&bg) && now_ms() < end;)
		touch_pages(64);
	status = bg_kvas_wait(&bg, bg_kvas_ended(&bg) ? 0 : SIGKILL);
	text = bg_kvas_stderr(&bg);
	snprintf(want, sizeof(want), "kvas trace: %s: write error: No space left on device\n", out);
	if (status != 1 || !strstr(text, want))
		fail_msg("trace -o on a full tmpfs: exit %d, stderr '%s'", status, text);
	records = records_written(text);
	free(text);
	text = read_text_file(out);
	assert_non_null(text);	/* kept where it was asked for */
	assert_true(strlen(text) > 0);
	/* the header, and as many whole lines as records said written */
	assert_int_equal(lines_in(text), records + 1);
	assert_int_equal(temp_files_left(mnt), 0);
	free(text);
	bg_kvas_cleanup(&bg);
	umount2(mnt, MNT_DETACH);
	rmdir(mnt);
	mnt[0] = '\0';
}

/* An existing file: not replaced without --force; with it, replaced with its mode kept. */
static void test_existing_file(void **state)
{
	const char *args[] = { "trace", "-d", "0.5", "-o", NULL, NULL, NULL };
	char file[128], *text;
	struct run_result r;
	struct stat st;
	FILE *f;

	(void)state;
	path_in(file, sizeof(file), "kept.txt");
	f = fopen(file, "we");
	assert_non_null(f);
	fputs("precious\n", f);
	fclose(f);
	assert_int_equal(chmod(file, 0640), 0);
	args[4] = file;
	assert_int_equal(run_kvas(&r, NULL, args), 0);
	if (r.status != 1 || lines_in(r.err) != 1 || !strstr(r.err, "--force"))
		fail_msg("trace -o EXISTING: exit %d, stderr '%s'", r.status, r.err);
	run_result_free(&r);
	text = read_text_file(file);
	assert_string_equal(text, "precious\n");
	free(text);

	args[5] = "--force";
	assert_int_equal(run_kvas(&r, NULL, args), 0);
	assert_int_equal(r.status, 0);
	text = read_text_file(file);
	assert_int_equal(strncmp(text, "TIME(s)", 7), 0);
	assert_int_equal(stat(file, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
	free(text);
	run_result_free(&r);
	unlink(file);
}

/*
 * -o /dev/stdout: stdout as it is (a pipe here), never replaced. The link
 * is made here, as /dev/stdout is, so that a kvas that replaced it would
 * replace only this test's.
 */
static void test_dev_stdout(void **state)
{
	const char *args[] = { "trace", "-d", "0.5", "-o", NULL, NULL };
	char link[128];
	struct run_result r;
	struct stat st;

	(void)state;
	path_in(link, sizeof(link), "stdout");
	assert_int_equal(symlink("/proc/self/fd/1", link), 0);
	args[4] = link;
	assert_int_equal(run_kvas(&r, NULL, args), 0);
	if (r.status || strncmp(r.out, "TIME(s)", 7))
		fail_msg("trace -o DIR/stdout: exit %d, stdout '%.100s', stderr '%s'", r.status,
			 r.out, r.err);
	assert_int_equal(lines_in(r.out), records_written(r.err) + 1);
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	run_result_free(&r);
	unlink(link);
}

/* SIGHUP (a closed ssh session) and SIGQUIT: the summary, and the file whole. */
static void test_hangup_leaves_complete_file(void **state)
{
	static const int sigs[] = { SIGHUP, SIGQUIT };

	(void)state;
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		char file[128], *err, *text;
		struct bg_kvas bg;

		path_in(file, sizeof(file), "hup.txt");
		assert_int_equal(bg_kvas_start(&bg, (const char *const[]){ "trace", "-o", file,
					       NULL }), 0);
		assert_int_equal(bg_kvas_wait(&bg, sigs[i]), 0);
		err = bg_kvas_stderr(&bg);
		text = read_text_file(file);
		if (!text || records_written(err) < 0)
			fail_msg("signal %d: stderr '%s', file %s", sigs[i], err,
				 text ? "there" : "missing");
		assert_int_equal(strncmp(text, "TIME(s)", 7), 0);
		assert_int_equal(lines_in(text), records_written(err) + 1);
		assert_int_equal(text[strlen(text) - 1], '\n');
		assert_int_equal(temp_files_left(scratch), 0);
		free(text);
		free(err);
		bg_kvas_cleanup(&bg);
		unlink(file);
	}
}

/* The child's stdout, set up before kvas runs (run_kvas's setup). */
static int child_stdout = -1;

static void stdout_to_child_fd(void)
{
	dup2(child_stdout, STDOUT_FILENO);
}

static void stdout_to_closed_pipe(void)
{
	int fds[2];

	if (!pipe(fds)) {
		close(fds[0]);
		dup2(fds[1], STDOUT_FILENO);
	}
}

/* Every command, with what it prints and how it is named in its error line. */
static char text_address[24];

static const char *const *command(size_t i, const char **name)
{
	static const char *const layout[] = { "layout", NULL };
	static const char *const layout_json[] = { "layout", "--json", NULL };
	static const char *translate[] = { "translate", text_address, NULL };
	static const char *const top[] = { "top", "-d", "0.5", "-i", "0.2", NULL };
	static const char *const top_json[] = { "top", "--json", "-d", "0.5", "-i", "0.2", NULL };
	static const char *const trace[] = { "trace", "-d", "0.5", NULL };
	static const char *const trace_json[] = { "trace", "--json", "-d", "0.5", NULL };
	static const char *const trace_csv[] = { "trace", "--csv", "-d", "0.5", NULL };
	static const char *const dmap[] = { "dmap", NULL };
	static const char *const why[] = { "why", "--no-measure", NULL };
	static const char *const audit[] = { "audit", "-d", "0.2", NULL };
	static const char *const help[] = { "--help", NULL };
	static const char *const version[] = { "--version", NULL };
	static const char *const trace_help[] = { "trace", "--help", NULL };
	static const struct {
		const char *const *args;
		const char *name;
	} all[] = {
		{ layout, "layout" }, { layout_json, "layout" }, { translate, "translate" },
		{ top, "top" }, { top_json, "top" }, { trace, "trace" }, { trace_json, "trace" },
		{ trace_csv, "trace" }, { dmap, "dmap" }, { why, "why" }, { audit, "audit" },
		{ help, NULL },
		{ version, NULL }, { trace_help, "trace" },
	};

	if (i >= sizeof(all) / sizeof(all[0]))
		return NULL;
	*name = all[i].name;
	return all[i].args;
}

static void find_text_address(void)
{
	uint64_t text;

	if (!text_address[0] && !truth_kallsyms("_text", &text))
		snprintf(text_address, sizeof(text_address), "%llx", (unsigned long long)text);
}

/* stdout on a full device: one line naming the error, exit 1, every command. */
static void test_stdout_full_every_command(void **state)
{
	const char *const *args, *name;
	char node[128], want[128];

	(void)state;
	find_text_address();
	assert_true(text_address[0]);
	path_in(node, sizeof(node), "full-stdout");
	assert_int_equal(mknod(node, S_IFCHR | 0666, makedev(1, 7)), 0);
	child_stdout = open(node, O_WRONLY | O_CLOEXEC);
	assert_true(child_stdout >= 0);
	for (size_t i = 0; (args = command(i, &name)); i++) {
		struct run_result r;
		const char *at;

		snprintf(want, sizeof(want), "kvas%s%s: write error: No space left on device\n",
			 name ? " " : "", name ? name : "");
		assert_int_equal(run_kvas(&r, stdout_to_child_fd, args), 0);
		at = strstr(r.err, want);
		if (r.status != 1 || !at || strstr(at + strlen(want), "write error"))
			fail_msg("kvas %s %s > full: exit %d, stderr '%s'", args[0],
				 args[1] ? args[1] : "", r.status, r.err);
		/* nothing reached the device: no record counted as written */
		if (records_written(r.err) > 0)
			fail_msg("kvas %s %s > full: '%s'", args[0], args[1], r.err);
		run_result_free(&r);
	}
	close(child_stdout);
	unlink(node);
}

/* stdout on a pipe nobody reads from any more: a quiet end, exit 0. */
static void test_stdout_closed_pipe_every_command(void **state)
{
	const char *const *args, *name;

	(void)state;
	find_text_address();
	assert_true(text_address[0]);
	for (size_t i = 0; (args = command(i, &name)); i++) {
		struct run_result r;

		assert_int_equal(run_kvas(&r, stdout_to_closed_pipe, args), 0);
		if (r.status || strstr(r.err, "error") || strstr(r.err, "Broken pipe"))
			fail_msg("kvas %s %s | (closed): exit %d, stderr '%s'", args[0],
				 args[1] ? args[1] : "", r.status, r.err);
		run_result_free(&r);
	}
}

struct ended_arg {
	pid_t pid;
	int status;
};

struct fill_arg {
	int fd;
	struct ended_arg *kvas;
	bool ended;		/* kvas exited before the pipe was full */
};

/*
 * The pipe is full: kvas is blocked writing to it (its wchan), or about to
 * be; or kvas ended. A pipe of small writes is full below its size: each
 * write takes a slot of its own once the last one has no room.
 */
static bool pipe_full(void *arg)
{
	struct fill_arg *f = arg;
	char path[64], wchan[64] = "";
	int queued = 0;

	if (waitpid(f->kvas->pid, &f->kvas->status, WNOHANG) == f->kvas->pid) {
		f->ended = true;
		return true;
	}
	touch_pages(16);
	snprintf(path, sizeof(path), "/proc/%d/wchan", f->kvas->pid);
	if (read_small_file(path, wchan, sizeof(wchan)) > 0 && strstr(wchan, "pipe_write"))
		return true;
	return !ioctl(f->fd, FIONREAD, &queued) && queued >= fcntl(f->fd, F_GETPIPE_SZ) - 4096;
}

static bool child_ended(void *arg)
{
	struct ended_arg *e = arg;

	return waitpid(e->pid, &e->status, WNOHANG) == e->pid;
}

/* `kvas trace | sleep`, then SIGINT: the last writes wait a bounded time. */
static void test_drain_after_sigint_bounded(void **state)
{
	const char *kvas = getenv("KVAS") ? getenv("KVAS") : "./kvas";
	struct ended_arg e = { 0 };
	struct fill_arg fill = { .kvas = &e };
	char err_path[128], *said;
	int fds[2], err_fd;
	long long took;

	(void)state;
	assert_int_equal(pipe2(fds, O_CLOEXEC), 0);
	path_in(err_path, sizeof(err_path), "drain.err");
	e.pid = fork();
	assert_true(e.pid >= 0);
	if (!e.pid) {
		err_fd = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		dup2(fds[1], STDOUT_FILENO);
		dup2(err_fd, STDERR_FILENO);
		execl(kvas, kvas, "trace", NULL);
		_exit(127);
	}
	close(fds[1]);
	fill.fd = fds[0];
	if (!wait_until(pipe_full, &fill, END_WAIT_MS) || fill.ended) {
		int queued = 0;

		if (!fill.ended) {
			kill(e.pid, SIGKILL);
			waitpid(e.pid, NULL, 0);
		}
		ioctl(fds[0], FIONREAD, &queued);
		said = read_text_file(err_path);
		fail_msg("kvas trace did not fill its pipe within %d s (%d bytes queued; %s;"
			 " stderr: %s)", END_WAIT_MS / 1000, queued, fill.ended ? "it exited" :
			 "still running", said ? said : "(unread)");
	}
	unlink(err_path);
	took = now_ms();
	kill(e.pid, SIGINT);
	if (!wait_until(child_ended, &e, END_WAIT_MS)) {
		kill(e.pid, SIGKILL);
		waitpid(e.pid, NULL, 0);
		fail_msg("kvas trace still writing to a full pipe %d s after SIGINT",
			 END_WAIT_MS / 1000);
	}
	took = now_ms() - took;
	close(fds[0]);
	printf("kvas trace ended %lld ms after SIGINT with its pipe full\n", took);
	assert_true(WIFEXITED(e.status));
	assert_int_equal(WEXITSTATUS(e.status), 0);
	if (took > DRAIN_BOUND_MS)
		fail_msg("kvas trace took %lld ms to end after SIGINT (bound %d)", took,
			 DRAIN_BOUND_MS);
}

/* Read a line from fd within the bound: its length, or -1. */
static long read_line(int fd, long long end)
{
	long len = 0;
	char c;

	while (now_ms() < end) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (poll(&pfd, 1, 100) <= 0)
			continue;
		n = read(fd, &c, 1);
		if (n <= 0)
			return -1;
		if (c == '\n')
			return len;
		len++;
	}
	return -1;
}

/* dmap -i --json into a pipe: each interval's line as soon as it is made. */
static void test_json_lines_as_made(void **state)
{
	const char *kvas = getenv("KVAS") ? getenv("KVAS") : "./kvas";
	long long end = now_ms() + END_WAIT_MS;
	long report, interval;
	int fds[2], status;
	pid_t pid;

	(void)state;
	assert_int_equal(pipe2(fds, O_CLOEXEC), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		dup2(fds[1], STDOUT_FILENO);
		execl(kvas, kvas, "dmap", "-i", "0.5", "--json", NULL);
		_exit(127);
	}
	close(fds[1]);
	/* the report, then an interval's line (~1 KB: a block buffer would hold it) */
	report = read_line(fds[0], end);
	interval = report > 0 ? read_line(fds[0], end) : -1;
	/* still running: the line came when made, not at the exit's flush */
	assert_int_equal(waitpid(pid, &status, WNOHANG), 0);
	kill(pid, SIGINT);
	waitpid(pid, &status, 0);
	close(fds[0]);
	if (report <= 0 || interval <= 0)
		fail_msg("dmap -i 0.5 --json: report line %ld bytes, interval line %ld bytes",
			 report, interval);
	assert_true(interval < BUFSIZ);
}

/* audit -u: root is no unprivileged user, by name or by number. */
static void test_audit_refuses_root(void **state)
{
	static const char *const by_name[] = { "audit", "-u", "root", NULL };
	static const char *const by_uid[] = { "audit", "--user", "0", NULL };
	static const char *const *const cases[] = { by_name, by_uid };

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		struct run_result r;

		assert_int_equal(expect_usage_error(cases[i]), 0);
		assert_int_equal(run_kvas(&r, NULL, cases[i]), 0);
		if (!strstr(r.err, "root (uid 0)"))
			fail_msg("audit -u %s: '%s'", cases[i][2], r.err);
		run_result_free(&r);
	}
}

static int make_scratch(void **state)
{
	(void)state;
	snprintf(scratch, sizeof(scratch), "/tmp/kvas-output-XXXXXX");
	return mkdtemp(scratch) ? 0 : -1;
}

static int remove_scratch(void **state)
{
	char cmd[128];

	(void)state;
	bg_kvas_kill_all();
	if (mnt[0]) {
		umount2(mnt, MNT_DETACH);
		mnt[0] = '\0';
	}
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", scratch);
	return system(cmd) == 0 ? 0 : -1;
}

static int kill_leftovers(void **state)
{
	(void)state;
	bg_kvas_kill_all();
	if (mnt[0]) {
		umount2(mnt, MNT_DETACH);
		rmdir(mnt);
		mnt[0] = '\0';
	}
	return 0;
}

#define output_test(f) cmocka_unit_test_teardown(f, kill_leftovers)

int main(void)
{
	const struct CMUnitTest tests[] = {
		output_test(test_char_devices_stay),
		output_test(test_fifo_reader_gets_trace),
		output_test(test_symlink_target_written),
		output_test(test_unwritable_refused_at_once),
		output_test(test_full_filesystem),
		output_test(test_existing_file),
		output_test(test_dev_stdout),
		output_test(test_hangup_leaves_complete_file),
		output_test(test_stdout_full_every_command),
		output_test(test_stdout_closed_pipe_every_command),
		output_test(test_drain_after_sigint_bounded),
		output_test(test_json_lines_as_made),
		output_test(test_audit_refuses_root),
	};

	return run_root_suite("output files and stdout (root, live kernel)", tests,
			      make_scratch, remove_scratch);
}
