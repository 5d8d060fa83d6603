// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>

#include "kconfig.h"
#include "procfs.h"
#include "procfs_read.h"
#include "remote_flush.h"
#include "testlib.h"

static char *slurp_fd(int fd)
{
	size_t cap = 65536, len = 0;
	char *buf = malloc(cap);
	ssize_t n;

	while (buf && (n = read(fd, buf + len, cap - len - 1)) > 0) {
		len += n;
		if (cap - len < 4096) {
			cap *= 2;
			buf = realloc(buf, cap);
		}
	}
	if (buf)
		buf[len] = '\0';
	return buf;
}

/*
 * Under make SANITIZE=1 a kvas child prints ASan's or UBSan's report to
 * stderr and exits 86, which fails a test that checks its status. One
 * that expected a failure, or none, would pass: so the first report also
 * makes this suite exit 86 after cmocka's summary, which tests/run-suites
 * counts as a failure. Not a fail() here: the test's own cleanup (its
 * workloads, cgroups) must still run.
 */
static int sanitizer_reports;

static void exit_after_sanitizer_reports(void)
{
	fprintf(stderr, "%d sanitizer report(s) from programs this suite ran (above)\n",
		sanitizer_reports);
	_exit(86);
}

static void note_sanitizer_report(const char *prog, const char *err)
{
	static const char *const marks[] = {
		"ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error: ",
	};

	for (size_t i = 0; err && i < sizeof(marks) / sizeof(marks[0]); i++) {
		if (strstr(err, marks[i])) {
			fprintf(stderr, "%s: a sanitizer report on stderr:\n%s\n", prog, err);
			if (!sanitizer_reports++)
				atexit(exit_after_sanitizer_reports);
			return;
		}
	}
}

/* Run argv (argv[0] searched in PATH when search), stdout and stderr into r. */
static int run_argv(struct run_result *r, void (*setup)(void), bool search,
		    const char *const *argv)
{
	int out[2], err[2], status;
	pid_t pid;

	memset(r, 0, sizeof(*r));
	if (pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC))
		return -errno;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (!pid) {
		dup2(out[1], 1);
		dup2(err[1], 2);
		if (setup)
			setup();
		if (search)
			execvp(argv[0], (char *const *)argv);
		else
			execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(out[1]);
	close(err[1]);
	/* stderr is small; read stdout fully first, then stderr. */
	r->out = slurp_fd(out[0]);
	r->err = slurp_fd(err[0]);
	close(out[0]);
	close(err[0]);
	waitpid(pid, &status, 0);
	r->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	note_sanitizer_report(argv[0], r->err);
	return 0;
}

int run_kvas(struct run_result *r, void (*setup)(void), const char *const *args)
{
	const char *kvas = getenv("KVAS") ? getenv("KVAS") : "./kvas";
	const char *argv[32];
	int n = 0;

	argv[n++] = kvas;
	for (int i = 0; args[i] && n < 31; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	return run_argv(r, setup, false, argv);
}

int run_cmd(struct run_result *r, const char *const *argv)
{
	return run_argv(r, NULL, true, argv);
}

const char *source_dir(void)
{
	static char dir[4096];
	char exe[4096], *slash;
	ssize_t n;

	if (getenv("KVAS_SRCDIR"))
		return getenv("KVAS_SRCDIR");
	if (dir[0])
		return dir;
	/* build/tests/itest_NAME: the tree is two folders up */
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return ".";
	exe[n] = '\0';
	for (int up = 0; up < 3 && (slash = strrchr(exe, '/')); up++)
		*slash = '\0';
	snprintf(dir, sizeof(dir), "%s", exe[0] ? exe : "/");
	return dir;
}

const char *build_dir(void)
{
	static char dir[4096];
	char *slash;
	ssize_t n;

	if (dir[0])
		return dir;
	/* build/tests/itest_NAME (build-asan/ under SANITIZE=1): one folder up */
	n = readlink("/proc/self/exe", dir, sizeof(dir) - 1);
	if (n <= 0)
		return strcpy(dir, "build");
	dir[n] = '\0';
	for (int up = 0; up < 2 && (slash = strrchr(dir, '/')); up++)
		*slash = '\0';
	return dir;
}

/* Does the file at path hold these bytes (a binary: NULs are no end)? */
static bool file_holds(const char *path, const char *bytes, size_t len)
{
	FILE *f = fopen(path, "re");
	size_t n = 0, cap = 0, got;
	char *buf = NULL, *more;
	bool found;

	while (f) {
		if (cap - n < 65536) {
			more = realloc(buf, cap = cap ? cap * 2 : 1 << 20);
			if (!more)
				break;
			buf = more;
		}
		got = fread(buf + n, 1, cap - n, f);
		if (!got)
			break;
		n += got;
	}
	if (f)
		fclose(f);
	found = buf && memmem(buf, n, bytes, len);
	free(buf);
	return found;
}

long kvas_sanitizer_rss_kb(void)
{
	static long slack = -1;
	const char *kvas = getenv("KVAS") ? getenv("KVAS") : "./kvas";

	/* 16 MiB of quarantine (the Makefile's ASAN_OPTIONS), redzones, shadow */
	if (slack < 0)
		slack = file_holds(kvas, "libasan.so", 10) ? 32 * 1024 : 0;
	return slack;
}

void run_result_free(struct run_result *r)
{
	free(r->out);
	free(r->err);
	memset(r, 0, sizeof(*r));
}

int expect_usage_error(const char *const *args)
{
	struct run_result r;
	int ok;

	if (run_kvas(&r, NULL, args))
		return -1;
	ok = r.status == 2 && r.out && !r.out[0] && r.err &&
	     strchr(r.err, '\n') == r.err + strlen(r.err) - 1;
	if (!ok)
		fprintf(stderr, "kvas %s...: status %d, stdout '%s', stderr '%s'\n",
			args[0], r.status, r.out, r.err);
	run_result_free(&r);
	return ok ? 0 : -1;
}

json_t *run_json(const struct run_result *r)
{
	json_error_t jerr;
	json_t *root = json_loads(r->out ? r->out : "", 0, &jerr);

	if (!root)
		fprintf(stderr, "invalid JSON from kvas: %s (line %d)\nstderr: %s\n",
			jerr.text, jerr.line, r->err);
	return root;
}

json_t *run_kvas_json(const char *const *args, int *status)
{
	struct run_result r;
	json_t *root = NULL;

	*status = -1;
	if (run_kvas(&r, NULL, args))
		return NULL;
	*status = r.status;
	root = run_json(&r);
	run_result_free(&r);
	return root;
}

static json_t *field_obj(json_t *root, const char *field)
{
	return json_object_get(json_object_get(root, "values"), field);
}

static bool to_u64(json_t *v, uint64_t *out)
{
	if (json_is_integer(v)) {
		*out = (uint64_t)json_integer_value(v);
		return true;
	}
	if (json_is_string(v)) {
		*out = strtoull(json_string_value(v), NULL, 16);
		return true;
	}
	return false;
}

bool json_value(json_t *root, const char *field, uint64_t *v)
{
	return to_u64(json_object_get(field_obj(root, field), "value"), v);
}

const char *json_status(json_t *root, const char *field)
{
	const char *s = json_string_value(json_object_get(field_obj(root, field), "status"));

	return s ? s : "(absent)";
}

bool json_has_source(json_t *root, const char *field, const char *source)
{
	json_t *a = json_object_get(field_obj(root, field), "sources"), *v;
	size_t i;

	json_array_foreach(a, i, v)
		if (!strcmp(json_string_value(v), source))
			return true;
	return false;
}

bool json_evidence(json_t *root, const char *field, const char *source, uint64_t *v)
{
	json_t *ev = json_object_get(field_obj(root, field), "evidence");

	return to_u64(json_object_get(json_object_get(ev, source), "value"), v);
}

int truth_kallsyms(const char *sym, uint64_t *addr)
{
	bool censored;
	int found = kallsyms_find(sym, addr, &censored);

	if (found < 0)
		return found;
	if (found)
		return 0;
	return censored ? -EACCES : -ENOENT;
}

int truth_kernel_code_pa(uint64_t *pa)
{
	FILE *f = fopen("/proc/iomem", "re");
	char line[256];
	unsigned long long s, e;
	int ret = -ENOENT;

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (strstr(line, " : Kernel code") &&
		    sscanf(line, " %llx-%llx", &s, &e) == 2) {
			*pa = s;
			ret = 0;
			break;
		}
	}
	fclose(f);
	return ret;
}

int truth_pagemap_pfn(const void *va, uint64_t *pfn)
{
	int fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	uint64_t entry;
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = pread(fd, &entry, 8, (uintptr_t)va / 4096 * 8);
	close(fd);
	if (n != 8 || !(entry >> 63))
		return -ENOENT;
	*pfn = entry & ((1ULL << 55) - 1);
	return *pfn ? 0 : -EPERM;
}

uint64_t truth_start_kernel(void)
{
	struct kconfig kc;
	uint64_t start = 0x1000000, align = 0;

	if (!kconfig_load(&kc)) {
		kconfig_u64(&kc, "CONFIG_PHYSICAL_START", &start);
		if (kconfig_u64(&kc, "CONFIG_PHYSICAL_ALIGN", &align) && align)
			start = (start + align - 1) & ~(align - 1);
	}
	return 0xffffffff80000000ULL + start;
}

static int find_member(const struct btf *btf, int type_id, const char *member,
		       uint32_t base_bits, uint32_t *offset, uint32_t *size)
{
	const struct btf_type *t = btf__type_by_id(btf, type_id);
	const struct btf_member *m;

	if (!t || (!btf_is_struct(t) && !btf_is_union(t)))
		return -ENOENT;
	m = btf_members(t);
	for (int i = 0; i < btf_vlen(t); i++, m++) {
		const char *name = btf__name_by_offset(btf, m->name_off);
		uint32_t bits = base_bits + btf_member_bit_offset(t, i);

		if (name && !strcmp(name, member)) {
			*offset = bits / 8;
			*size = btf__resolve_size(btf, m->type);
			return 0;
		}
		if ((!name || !name[0]) &&
		    !find_member(btf, btf__resolve_type(btf, m->type), member,
				 bits, offset, size))
			return 0;
	}
	return -ENOENT;
}

int truth_struct_page_member(const char *member, uint32_t *offset, uint32_t *size)
{
	struct btf *btf = btf__load_vmlinux_btf();
	int id, err;

	if (!btf)
		return -errno;
	id = btf__find_by_name_kind(btf, "page", BTF_KIND_STRUCT);
	err = id > 0 ? find_member(btf, id, member, 0, offset, size) : -ENOENT;
	btf__free(btf);
	return err;
}

uint64_t truth_tlb_interrupts(void)
{
	FILE *f = fopen("/proc/interrupts", "re");
	char *line = NULL;
	size_t cap = 0;
	uint64_t n = 0;

	/* line by line: one read() gives a page, and the TLB line comes late on big hosts */
	if (!f)
		return 0;
	while (getline(&line, &cap, f) > 0 && !interrupts_tlb_total(line, &n))
		;
	free(line);
	fclose(f);
	return n;
}

bool host_flushes_by_ipi(void)
{
	static int by_ipi = -1;

	if (by_ipi < 0) {
		uint64_t before = truth_tlb_interrupts();
		cpu_set_t was;

		/* the storm pins this thread to CPU 0: what kvas inherits later is as found */
		sched_getaffinity(0, sizeof(was), &was);
		by_ipi = !force_shootdowns(HOST_PROBE_ROUNDS) && truth_tlb_interrupts() > before;
		sched_setaffinity(0, sizeof(was), &was);
		printf("  (this host's remote TLB flushes: %s; %llu TLB interrupts for %d"
		       " rounds of its own)\n", by_ipi ? "IPIs" : "no IPI",
		       (unsigned long long)(truth_tlb_interrupts() - before), HOST_PROBE_ROUNDS);
	}
	return by_ipi;
}

uint64_t storm_for_host(uint64_t ipis, double *requests)
{
	uint64_t before = truth_tlb_interrupts(), n = 0;
	struct shootdowns sd;
	double start = now_s();
	cpu_set_t was;

	*requests = 0;
	/* the storm pins this thread to CPU 0: what runs later is as found */
	sched_getaffinity(0, sizeof(was), &was);
	if (!host_flushes_by_ipi()) {
		if (force_shootdowns(HOST_STORM_ROUNDS))
			fail_msg("cannot start the shootdown storm");
		sched_setaffinity(0, sizeof(was), &was);
		*requests = 2.0 * HOST_STORM_ROUNDS;
		return 0;
	}
	/* how many rounds send one depends on where the scheduler puts the spinner */
	if (shootdowns_start(&sd))
		fail_msg("cannot start the shootdown storm");
	while (now_s() - start < 60 && (n = truth_tlb_interrupts() - before) < ipis)
		shootdowns_run(&sd, 100);
	shootdowns_stop(&sd);
	sched_setaffinity(0, sizeof(was), &was);
	n = truth_tlb_interrupts() - before;
	if (n < ipis)
		fail_msg("the kernel counted %llu shootdown IPIs in 60 s of the storm",
			 (unsigned long long)n);
	return n;
}

bool storm_requests_match(double counted, double requests, double slack)
{
	return counted >= 0.85 * requests && counted <= 1.15 * requests + slack;
}

bool remote_flush_method_fits(const char *method)
{
	if (!method)
		return false;
	if (!host_flushes_by_ipi())
		return !strcmp(method, "hypervisor") || !strcmp(method, "broadcast");
	return !strcmp(method, "ipi") || !strcmp(method, "partly-hypervisor");
}

int write_sysctl(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, value, strlen(value));
	close(fd);
	return n == (ssize_t)strlen(value) ? 0 : -EIO;
}

int read_sysctl(const char *path, char *buf, size_t len)
{
	int n = read_small_file(path, buf, len);

	if (n < 0)
		return n;
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

int sysctls_save(void **state)
{
	struct saved_sysctls *s = *state;

	for (int i = 0; i < SAVED_SYSCTLS_MAX && s->path[i]; i++)
		if (read_sysctl(s->path[i], s->value[i], sizeof(s->value[i])))
			return -1;
	return 0;
}

int sysctls_restore(void **state)
{
	struct saved_sysctls *s = *state;

	for (int i = 0; i < SAVED_SYSCTLS_MAX && s->path[i]; i++)
		if (s->value[i][0])
			write_sysctl(s->path[i], s->value[i]);
	return 0;
}

/* Names of every BPF program kvas loads (bpf_prog_info truncates to 15). */
static const char *const kvas_prog_names[] = {
	"kread", "read_ksyms", "dump_ksyms", "on_page_alloc", "on_kmalloc",
	"on_alloc_vmap_a", "walk_task", "fault_user_btf", "fault_kernel_bt",
	"tlb_flush_btf", "fault_user_raw", "fault_kernel_ra", "tlb_flush_raw",
	"dmap_walk", "cpa_fentry", "invalid_fentry", "default_fentry", "cpa_kprobe",
	"invalid_kprobe", "default_kprobe", NULL,
};

bool holds_link_to(pid_t pid, const char *prefix)
{
	char dir[64], path[512], target[64], info_text[512], *p;
	struct dirent *de;
	bool found = false;
	DIR *d;

	snprintf(dir, sizeof(dir), "/proc/%d/fd", pid);
	d = opendir(dir);
	while (d && !found && (de = readdir(d))) {
		struct bpf_prog_info info = { 0 };
		__u32 len = sizeof(info);
		ssize_t n;
		int fd;

		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		n = readlink(path, target, sizeof(target) - 1);
		if (n <= 0)
			continue;
		target[n] = '\0';
		if (strcmp(target, "anon_inode:bpf_link"))
			continue;
		snprintf(path, sizeof(path), "/proc/%d/fdinfo/%s", pid, de->d_name);
		if (read_small_file(path, info_text, sizeof(info_text)) <= 0 ||
		    !(p = strstr(info_text, "prog_id:")))
			continue;
		fd = bpf_prog_get_fd_by_id(atoi(p + 8));
		if (fd < 0)
			continue;
		if (!bpf_obj_get_info_by_fd(fd, &info, &len) &&
		    !strncmp(info.name, prefix, strlen(prefix)))
			found = true;
		close(fd);
	}
	if (d)
		closedir(d);
	return found;
}

/* Every background kvas started, so a failed test's can still be stopped. */
static pid_t bg_pids[64];

/*
 * The output files of every background kvas not cleaned up yet: a test
 * that fails before bg_kvas_cleanup() leaves them, and its teardown
 * (bg_kvas_kill_all) removes them.
 */
static struct bg_files {
	char out[64], err[64];
} bg_files[64];

static void bg_files_remember(const struct bg_kvas *bg)
{
	for (size_t i = 0; i < sizeof(bg_files) / sizeof(bg_files[0]); i++) {
		if (!bg_files[i].out[0]) {
			memcpy(bg_files[i].out, bg->out_path, sizeof(bg_files[i].out));
			memcpy(bg_files[i].err, bg->err_path, sizeof(bg_files[i].err));
			return;
		}
	}
}

static void bg_files_forget(const struct bg_kvas *bg)
{
	for (size_t i = 0; i < sizeof(bg_files) / sizeof(bg_files[0]); i++)
		if (!strcmp(bg_files[i].out, bg->out_path))
			memset(&bg_files[i], 0, sizeof(bg_files[i]));
}

void bg_kvas_kill_all(void)
{
	for (size_t i = 0; i < sizeof(bg_pids) / sizeof(bg_pids[0]); i++) {
		if (bg_pids[i] > 0 && !kill(bg_pids[i], SIGKILL))
			waitpid(bg_pids[i], NULL, 0);
		bg_pids[i] = 0;
	}
	for (size_t i = 0; i < sizeof(bg_files) / sizeof(bg_files[0]); i++) {
		if (bg_files[i].out[0]) {
			unlink(bg_files[i].out);
			unlink(bg_files[i].err);
		}
		memset(&bg_files[i], 0, sizeof(bg_files[i]));
	}
}

void bg_child_remember(pid_t pid)
{
	for (size_t i = 0; i < sizeof(bg_pids) / sizeof(bg_pids[0]); i++) {
		if (bg_pids[i] <= 0) {
			bg_pids[i] = pid;
			return;
		}
	}
}

void bg_child_forget(pid_t pid)
{
	for (size_t i = 0; i < sizeof(bg_pids) / sizeof(bg_pids[0]); i++)
		if (bg_pids[i] == pid)
			bg_pids[i] = 0;
}

int bg_kvas_spawn(struct bg_kvas *bg, const char *const *args)
{
	const char *kvas = getenv("KVAS") ? getenv("KVAS") : "./kvas";
	const char *argv[32];
	int n = 0;

	memset(bg, 0, sizeof(*bg));
	snprintf(bg->out_path, sizeof(bg->out_path), "/tmp/kvas-test-out-XXXXXX");
	snprintf(bg->err_path, sizeof(bg->err_path), "/tmp/kvas-test-err-XXXXXX");
	int out = mkstemp(bg->out_path), err = mkstemp(bg->err_path);

	if (out < 0 || err < 0)
		return -errno;
	bg_files_remember(bg);
	argv[n++] = kvas;
	for (int i = 0; args[i] && n < 31; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	bg->pid = fork();
	if (bg->pid < 0)
		return -errno;
	if (!bg->pid) {
		dup2(out, 1);
		dup2(err, 2);
		execv(kvas, (char *const *)argv);
		_exit(127);
	}
	bg_child_remember(bg->pid);
	close(out);
	close(err);
	return 0;
}

/*
 * The event program kvas attaches last for these arguments: the objects
 * attach user faults, kernel faults, a hypervisor's flush requests, then
 * TLB flushes (bpf/vm_programs.bpf.h's order), and load only the kinds
 * asked for (dmap -i: kernel faults; trace -e LIST). A command that
 * attaches none of them (dmap without -i) is not started this way.
 */
static const char *last_attached(const char *const *args)
{
	const char *events = NULL;

	for (int i = 1; args[i]; i++) {
		if ((!strcmp(args[i], "-e") || !strcmp(args[i], "--events")) && args[i + 1])
			events = args[i + 1];
		if (!strcmp(args[0], "dmap") && (!strcmp(args[i], "-i") ||
						 !strcmp(args[i], "--interval")))
			return "fault_kernel";
	}
	if (!events || strstr(events, "tlb") || strstr(events, "all"))
		return "tlb_flush";
	if (strstr(events, "kernel") || strstr(events, "faults"))
		return "fault_kernel";
	return "fault_user";
}

int bg_kvas_start(struct bg_kvas *bg, const char *const *args)
{
	const char *last = last_attached(args);
	int ret = bg_kvas_spawn(bg, args);

	if (ret)
		return ret;
	/* Attached when it holds a link to the last program it attaches (10 s at most). */
	for (int i = 0; i < 1000; i++) {
		if (holds_link_to(bg->pid, last))
			return 0;
		if (waitpid(bg->pid, NULL, WNOHANG) == bg->pid) {
			char *err = bg_kvas_stderr(bg);

			fprintf(stderr, "kvas %s exited before attaching: %s\n", args[0], err);
			free(err);
			bg_child_forget(bg->pid);
			bg->pid = 0;
			return -ECHILD;
		}
		usleep(10000);
	}
	return -ETIMEDOUT;
}

int bg_kvas_wait(struct bg_kvas *bg, int sig)
{
	char *err;
	int status;

	if (bg->pid <= 0)
		return -1;
	if (sig)
		kill(bg->pid, sig);
	waitpid(bg->pid, &status, 0);
	bg_child_forget(bg->pid);
	bg->pid = 0;
	err = read_text_file(bg->err_path);
	note_sanitizer_report("kvas", err);
	free(err);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

char *read_text_file(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	char *s;

	if (fd < 0)
		return NULL;
	s = slurp_fd(fd);
	close(fd);
	return s;
}

/* A background kvas's output file: "" before it has one. */
static char *slurp_path(const char *path)
{
	char *s = read_text_file(path);

	return s ? s : strdup("");
}

char *bg_kvas_stdout(const struct bg_kvas *bg)
{
	return slurp_path(bg->out_path);
}

char *bg_kvas_stderr(const struct bg_kvas *bg)
{
	return slurp_path(bg->err_path);
}

bool bg_kvas_ended(const struct bg_kvas *bg)
{
	siginfo_t info = { 0 };

	/* WNOWAIT: the exit status stays for bg_kvas_wait */
	return bg->pid <= 0 ||
	       waitid(P_PID, bg->pid, &info, WEXITED | WNOHANG | WNOWAIT) || info.si_pid == bg->pid;
}

char *bg_kvas_lines(const struct bg_kvas *bg)
{
	char *out = bg_kvas_stdout(bg), *nl = out ? strrchr(out, '\n') : NULL;

	if (out)
		*(nl ? nl + 1 : out) = '\0';
	return out;
}

struct output_wait {
	const struct bg_kvas *bg;
	bool (*cond)(const char *out, void *arg);
	void *arg;
	bool held;
};

static bool output_holds(void *arg)
{
	struct output_wait *w = arg;
	bool ended = bg_kvas_ended(w->bg);	/* before the read: nothing comes after */
	char *out = bg_kvas_lines(w->bg);

	w->held = out && w->cond(out, w->arg);
	free(out);
	return w->held || ended;
}

bool bg_kvas_wait_output(const struct bg_kvas *bg, bool (*cond)(const char *out, void *arg),
			 void *arg, int timeout_ms)
{
	struct output_wait w = { .bg = bg, .cond = cond, .arg = arg };

	wait_until(output_holds, &w, timeout_ms);
	return w.held;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

bool pty_read_more(int master, char **out, size_t *len, size_t *cap, double deadline)
{
	struct pollfd pfd = { .fd = master, .events = POLLIN };
	int ms = (int)((deadline - now_s()) * 1000);
	ssize_t n;

	if (ms < 0 || poll(&pfd, 1, ms) <= 0)
		return false;
	if (*cap - *len < 4096) {
		char *p = realloc(*out, *cap + 65536);

		if (!p)
			return false;
		*out = p;
		*cap += 65536;
	}
	n = read(master, *out + *len, *cap - *len - 1);
	if (n <= 0)
		return false;	/* EIO: kvas closed the terminal */
	*len += n;
	(*out)[*len] = '\0';
	return true;
}

double unix_now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

double json_num(json_t *o, const char *key)
{
	return json_number_value(json_object_get(o, key));
}

const char *json_str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

bool lines_at_least(const char *out, void *arg)
{
	size_t n = 0;

	for (; (out = strchr(out, '\n')); out++)
		n++;
	return n >= *(size_t *)arg;
}

int teardown_kill_kvas(void **state)
{
	(void)state;
	bg_kvas_kill_all();
	return 0;
}

bool wait_until(bool (*cond)(void *arg), void *arg, int timeout_ms)
{
	long long end = now_ms() + timeout_ms;

	for (;;) {
		if (cond(arg))
			return true;
		if (now_ms() >= end)
			return false;
		usleep(5000);	/* the poll interval, not a wait for anything */
	}
}

void bg_kvas_cleanup(struct bg_kvas *bg)
{
	if (bg->pid > 0)
		bg_kvas_wait(bg, SIGKILL);
	unlink(bg->out_path);
	unlink(bg->err_path);
	bg_files_forget(bg);
}

#define MAX_HELD 4096

/* Add the prog_id of every BPF program or link fd of process dir to held. */
static void held_by_process(const char *pid, __u32 *held, int *nr)
{
	char dir[300], path[600], text[512], *p;
	struct dirent *de;
	DIR *d;

	snprintf(dir, sizeof(dir), "/proc/%s/fdinfo", pid);
	d = opendir(dir);
	while (d && (de = readdir(d)) && *nr < MAX_HELD) {
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (read_small_file(path, text, sizeof(text)) > 0 &&
		    (p = strstr(text, "prog_id:")))
			held[(*nr)++] = strtoul(p + 8, NULL, 10);
	}
	if (d)
		closedir(d);
}

/*
 * Programs some process holds open: those of a kvas still running (another
 * test's, or another user's) are not left behind by the one that exited.
 */
static int held_prog_ids(__u32 *held)
{
	struct dirent *de;
	DIR *proc = opendir("/proc");
	int nr = 0;

	while (proc && (de = readdir(proc)))
		if (de->d_name[0] >= '1' && de->d_name[0] <= '9' && atoi(de->d_name) != getpid())
			held_by_process(de->d_name, held, &nr);
	if (proc)
		closedir(proc);
	return nr;
}

static bool is_held(__u32 id, const __u32 *held, int nr)
{
	for (int i = 0; i < nr; i++)
		if (held[i] == id)
			return true;
	return false;
}

int count_kvas_progs(void)
{
	static __u32 held[MAX_HELD];
	int nr_held = held_prog_ids(held);
	__u32 id = 0;
	int n = 0;

	while (!bpf_prog_get_next_id(id, &id)) {
		struct bpf_prog_info info = { 0 };
		__u32 len = sizeof(info);
		int fd;

		if (is_held(id, held, nr_held))
			continue;	/* a live process's, not a leftover */
		fd = bpf_prog_get_fd_by_id(id);
		if (fd < 0)
			continue;	/* freed meanwhile */
		if (!bpf_obj_get_info_by_fd(fd, &info, &len))
			for (int i = 0; kvas_prog_names[i]; i++)
				if (!strcmp(info.name, kvas_prog_names[i]))
					n++;
		close(fd);
	}
	return n;
}

int wait_no_kvas_progs(void)
{
	int n = -1;

	/* Programs are freed after an RCU grace period. */
	for (int i = 0; i < 200 && (n = count_kvas_progs()) > 0; i++)
		usleep(10000);
	return n;
}

json_t *json_lines_of(const char *out)
{
	json_t *all = json_array();

	for (const char *line = out; line && *line; ) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		json_t *o = len ? json_loadb(line, len, 0, NULL) : NULL;

		if (o)
			json_array_append_new(all, o);
		line = nl ? nl + 1 : NULL;
	}
	return all;
}
