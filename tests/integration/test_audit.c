// SPDX-License-Identifier: GPL-2.0
/*
 * kvas audit on the running kernel: its verdicts against what the kernel
 * publishes (boot_params, sysctls, sysfs, the command line), what an
 * unprivileged process of this test's own sees, page faults and shootdowns
 * this test causes in cgroups of its own, and its progress on a terminal.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pty.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroup_cache.h"
#include "kconfig.h"
#include "procfs.h"
#include "procfs_read.h"
#include "testlib.h"

#define VULN_DIR "/sys/devices/system/cpu/vulnerabilities"

static json_t *audit_json_run(const char *const *args, int *status)
{
	json_t *j = run_kvas_json(args, status);

	assert_non_null(j);
	return j;
}

static json_t *audit_default(int *status)
{
	static const char *const args[] = { "audit", "--json", "-d", "0.5", NULL };

	return audit_json_run(args, status);
}

static json_t *finding(json_t *j, const char *area, const char *id)
{
	json_t *f;
	size_t i;

	json_array_foreach(json_object_get(j, "findings"), i, f)
		if (!strcmp(json_string_value(json_object_get(f, "area")), area) &&
		    !strcmp(json_string_value(json_object_get(f, "id")), id))
			return f;
	fail_msg("no finding %s/%s", area, id);
	return NULL;
}

static const char *result_of(json_t *j, const char *area, const char *id)
{
	return json_string_value(json_object_get(finding(j, area, id), "result"));
}

static const char *evidence_of(json_t *j, const char *area, const char *id)
{
	return json_string_value(json_object_get(finding(j, area, id), "evidence"));
}

/* The KASLR verdicts follow the boot's KASLR flag, which the kernel publishes. */
static void test_kaslr_follows_boot_flag(void **state)
{
	int status;
	json_t *j = audit_default(&status);
	bool flag = false;

	(void)state;
	assert_int_equal(boot_params_kaslr_flag("/sys/kernel/boot_params/data", &flag), 0);
	if (!flag) {
		assert_string_equal(result_of(j, "KASLR", "memory-kaslr"), "fail");
		assert_string_equal(result_of(j, "KASLR", "text-kaslr"), "fail");
		assert_non_null(strstr(evidence_of(j, "KASLR", "memory-kaslr"), "KASLR flag"));
	} else {
		assert_string_equal(result_of(j, "KASLR", "memory-kaslr"), "pass");
	}
	/* the entropy the kernel's rules allow is in the evidence */
	assert_non_null(strstr(evidence_of(j, "KASLR", "memory-kaslr"), "bits"));
	json_decref(j);
}

/* What uid 65534 sees in /proc/kallsyms, read by this test as that user. */
static bool nobody_sees_addresses(void)
{
	int p[2];
	char seen = 0;
	pid_t pid;

	assert_int_equal(pipe(p), 0);
	pid = fork();
	if (!pid) {
		FILE *f;
		char line[256];
		char any = '0';

		if (setgid(65534) || setuid(65534))
			_exit(1);
		f = fopen("/proc/kallsyms", "re");
		while (f && any == '0' && fgets(line, sizeof(line), f))
			if (strtoull(line, NULL, 16))
				any = '1';
		_exit(write(p[1], &any, 1) == 1 ? 0 : 1);
	}
	close(p[1]);
	assert_int_equal(read(p[0], &seen, 1), 1);
	close(p[0]);
	waitpid(pid, NULL, 0);
	return seen == '1';
}

static void check_view(const char *kptr, const char *paranoid)
{
	int status;
	json_t *j;
	bool sees;

	assert_int_equal(write_sysctl("/proc/sys/kernel/kptr_restrict", kptr), 0);
	assert_int_equal(write_sysctl("/proc/sys/kernel/perf_event_paranoid", paranoid), 0);
	sees = nobody_sees_addresses();
	j = audit_default(&status);
	assert_string_equal(result_of(j, "Unprivileged view", "kallsyms"), sees ? "fail" : "pass");
	/* kernel sampling is for paranoid <= 1 */
	assert_string_equal(result_of(j, "Unprivileged view", "perf"),
			    atoi(paranoid) <= 1 ? "fail" : "pass");
	fprintf(stderr, "  (kptr_restrict=%s paranoid=%s: nobody %s addresses)\n", kptr,
		paranoid, sees ? "sees" : "does not see");
	json_decref(j);
}

/* The host's settings, put back after the test whatever happens. */
static struct saved_sysctls view_settings = {
	.path = { "/proc/sys/kernel/kptr_restrict", "/proc/sys/kernel/perf_event_paranoid" }
};

/* The unprivileged view changes with kptr_restrict and perf_event_paranoid. */
static void test_unprivileged_view_follows_settings(void **state)
{
	(void)state;
	check_view("0", "1");	/* addresses for everyone who may use perf */
	assert_true(nobody_sees_addresses());
	check_view("2", "1");
	assert_false(nobody_sees_addresses());
	check_view("1", "2");
}

/* Each CPU vulnerability is reported as sysfs states it. */
static void test_vulnerabilities_as_sysfs_says(void **state)
{
	int status, n = 0;
	json_t *j = audit_default(&status);
	DIR *d = opendir(VULN_DIR);
	struct dirent *e;

	(void)state;
	assert_non_null(d);
	while ((e = readdir(d))) {
		char path[512], text[400];

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), VULN_DIR "/%s", e->d_name);
		assert_true(read_small_file(path, text, sizeof(text)) > 0);
		text[strcspn(text, "\n")] = '\0';
		assert_string_equal(evidence_of(j, "CPU vulnerabilities", e->d_name), text);
		assert_string_equal(result_of(j, "CPU vulnerabilities", e->d_name),
				    !strncmp(text, "Vulnerable", 10) ? "fail" :
				    !strncmp(text, "Not affected", 12) ||
				    !strncmp(text, "Mitigation", 10) ? "pass" : "unknown");
		n++;
	}
	closedir(d);
	assert_true(n > 0);
	json_decref(j);
}

/* Exit 3 exactly when a finding reaches --fail-on. */
static void test_fail_on(void **state)
{
	static const char *const warn[] = { "audit", "--json", "-d", "0.2", "--fail-on", "warn", NULL };
	static const char *const bad[] = { "audit", "--fail-on", "never", NULL };
	int status;
	json_t *j = audit_default(&status), *s = json_object_get(j, "summary");
	bool any_fail = json_integer_value(json_object_get(s, "fail")) > 0;
	bool any_warn = json_integer_value(json_object_get(s, "warn")) > 0;

	(void)state;
	assert_int_equal(status, any_fail ? 3 : 0);
	assert_int_equal(json_is_true(json_object_get(j, "reached")), any_fail);
	json_decref(j);
	j = audit_json_run(warn, &status);
	assert_int_equal(status, any_fail || any_warn ? 3 : 0);
	json_decref(j);
	assert_int_equal(expect_usage_error(bad), 0);
}

/* Remote flushes need another CPU. */
static void skip_without_remote_flushes(void)
{
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2) {
		printf("one CPU: no remote flushes: skipped\n");
		skip();
	}
}

/*
 * A child in cgroup dir that, until killed, faults in pages, or (tlb) has
 * one thread change a page's protection while another uses it elsewhere.
 */
static pid_t busy_child(const char *dir, bool tlb)
{
	pid_t pid = fork();

	if (!pid) {
		char procs[400], me[16];
		FILE *f;

		snprintf(procs, sizeof(procs), "%.340s/cgroup.procs", dir);
		snprintf(me, sizeof(me), "%d", getpid());
		f = fopen(procs, "we");
		if (!f || fputs(me, f) < 0 || fclose(f))
			_exit(1);
		if (tlb)
			force_shootdowns(-1);
		for (;;) {
			char *p = mmap(NULL, 1024 * 4096L, PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

			for (long i = 0; i < 1024; i++)
				p[i * 4096] = 1;
			munmap(p, 1024 * 4096L);
		}
	}
	return pid;
}

struct tenant { double faults, flushes, remote, sent, cpus; };

static struct tenant tenant_of(json_t *j, const char *name)
{
	const char *ev = evidence_of(j, "Tenants", name), *p;
	struct tenant t = { -1, -1, -1, -1, -1 };
	char cg[200];

	assert_int_equal(sscanf(ev, "cgroup %199s %lf page faults/s", cg, &t.faults), 2);
	p = strstr(ev, "), ");
	assert_non_null(p);
	if (host_flushes_by_ipi()) {
		assert_int_equal(sscanf(p, "), %lf TLB flushes/s run (%lf of them remote, received),"
					" %lf shootdown requests sent/s interrupting up to %lf",
					&t.flushes, &t.remote, &t.sent, &t.cpus), 4);
	} else {
		/* the hypervisor flushes the other vCPUs: no receipt, no interrupt, said so */
		assert_int_equal(sscanf(p, "), %lf TLB flushes/s run (remote ones not visible:"
					" hypervisor), %lf shootdown requests sent/s reaching (by the"
					" hypervisor, not IPIs) up to %lf",
					&t.flushes, &t.sent, &t.cpus), 3);
		t.remote = 0;
	}
	/* requests sent are no flushes: the flushes are the tenant's own */
	assert_true(t.remote <= t.flushes);
	return t;
}

/*
 * Workloads in two cgroups are each counted under their own: one faults in
 * pages, the other forces TLB shootdowns to its thread on another CPU.
 */
static void test_tenants_in_two_cgroups(void **state)
{
	static const char *const args[] = { "audit", "--json", "-d", "2", NULL };
	struct cgroup_cache cc;
	char name[2][64], dir[2][340];
	pid_t kids[2];
	int status;
	json_t *j;

	(void)state;
	assert_int_equal(cgroup_cache_init(&cc), 0);
	for (int i = 0; i < 2; i++) {
		snprintf(name[i], sizeof(name[i]), "kvas-audit-%c-%d", 'a' + i, getpid());
		snprintf(dir[i], sizeof(dir[i]), "%s/%s", cc.mount, name[i]);
		assert_int_equal(mkdir(dir[i], 0755), 0);
		kids[i] = busy_child(dir[i], i == 1);
	}
	cgroup_cache_free(&cc);
	j = audit_json_run(args, &status);
	for (int i = 0; i < 2; i++) {
		kill(kids[i], SIGKILL);
		waitpid(kids[i], NULL, 0);
		rmdir(dir[i]);
	}
	{
		struct tenant f = tenant_of(j, name[0]), t = tenant_of(j, name[1]);
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);

		fprintf(stderr, "  (%s: %.0f faults/s; %s: %.0f shootdowns/s to %.0f CPUs/s)\n",
			name[0], f.faults, name[1], t.sent, t.cpus);
		assert_true(f.faults > 10000);
		assert_true(f.sent < t.sent / 10);
		assert_true(t.sent > 1000);
		/* each shootdown reaches at least the spinning thread's CPU */
		assert_true(t.cpus >= t.sent * 0.99 && t.cpus <= t.sent * (cpus - 1) * 1.01);
	}
	json_decref(j);
}

/* A child in cgroup dir that sends shootdowns at a modest rate and does little else. */
static pid_t quiet_sender(const char *dir)
{
	pid_t pid = fork();

	if (!pid) {
		struct shootdowns s;
		char procs[400], me[16];
		FILE *f;

		snprintf(procs, sizeof(procs), "%.340s/cgroup.procs", dir);
		snprintf(me, sizeof(me), "%d", getpid());
		f = fopen(procs, "we");
		if (!f || fputs(me, f) < 0 || fclose(f) || shootdowns_start(&s))
			_exit(1);
		/*
		 * 1000 rounds (2000 requests) a second, paced by the clock so that a
		 * loaded machine's late wake-ups are made up for (at most 0.1 s of
		 * them): twice the warning's rate, a fraction of a faulter's events.
		 */
		for (double start = now_s(), done = 0;;) {
			double owed = (now_s() - start) * 1000 - done;

			if (owed > 100) {
				done += owed - 100;
				owed = 100;
			}
			shootdowns_run(&s, (long)owed);
			done += (long)owed;
			usleep(2000);
		}
	}
	return pid;
}

/* The number just before suffix in text (" 123 suffix"); -1 when absent. */
static double number_before(const char *text, const char *suffix)
{
	const char *at = strstr(text, suffix), *p = at;

	if (!at)
		return -1;
	while (p > text && (p[-1] == ' '))
		p--;
	while (p > text && ((p[-1] >= '0' && p[-1] <= '9') || p[-1] == '.'))
		p--;
	return p < at ? strtod(p, NULL) : -1;
}

/* What top sorts tenants by: every event of the tenant's evidence, per second. */
static double total_events(json_t *j, const char *name)
{
	const char *ev = evidence_of(j, "Tenants", name);
	double sum = 0;
	static const char *const parts[] = {
		" page faults/s (", " #PF/s in kernel mode", " TLB flushes/s run",
		" shootdown requests sent/s", " task switches/s without a flush",
	};

	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		double v = number_before(ev, parts[i]);

		if (v < 0)
			fail_msg("%s: no '%s' in %s", name, parts[i], ev);
		sum += v;
	}
	return sum;
}

#define BUSY_TENANTS 5

/*
 * Six busy cgroups, the shootdown sender the least busy of them by total
 * events: audit judges every tenant, so it warns about the sender all the same.
 */
static void test_quiet_sender_among_six(void **state)
{
	static const char *const args[] = { "audit", "--json", "-d", "3", NULL };
	char name[BUSY_TENANTS + 1][64], dir[BUSY_TENANTS + 1][340];
	pid_t kids[BUSY_TENANTS + 1];
	const int sender = BUSY_TENANTS;
	struct cgroup_cache cc;
	double sender_total;
	int status;
	json_t *j;

	(void)state;
	skip_without_remote_flushes();
	assert_int_equal(cgroup_cache_init(&cc), 0);
	for (int i = 0; i <= BUSY_TENANTS; i++) {
		snprintf(name[i], sizeof(name[i]), "kvas-audit-six-%d-%d", i, getpid());
		snprintf(dir[i], sizeof(dir[i]), "%s/%s", cc.mount, name[i]);
		assert_int_equal(mkdir(dir[i], 0755), 0);
		kids[i] = i == sender ? quiet_sender(dir[i]) : busy_child(dir[i], false);
	}
	cgroup_cache_free(&cc);
	j = audit_json_run(args, &status);
	for (int i = 0; i <= BUSY_TENANTS; i++) {
		kill(kids[i], SIGKILL);
		waitpid(kids[i], NULL, 0);
		rmdir(dir[i]);
	}
	sender_total = total_events(j, name[sender]);
	fprintf(stderr, "  (sender: %.0f events/s, %.0f shootdown requests/s; %s)\n",
		sender_total, tenant_of(j, name[sender]).sent,
		result_of(j, "Tenants", name[sender]));
	/* the test's premise: five cgroups busier than the sender, which the old check judged alone */
	for (int i = 0; i < BUSY_TENANTS; i++) {
		double t = total_events(j, name[i]);

		fprintf(stderr, "  (faulter %d: %.0f events/s)\n", i, t);
		if (t <= sender_total)
			fail_msg("premise: faulter %s (%.0f events/s) is no busier than the sender"
				 " (%.0f)", name[i], t, sender_total);
		assert_string_equal(result_of(j, "Tenants", name[i]), "pass");
	}
	assert_true(tenant_of(j, name[sender]).sent >= 1000);
	assert_string_equal(result_of(j, "Tenants", name[sender]), "warn");
	assert_non_null(strstr(json_string_value(json_object_get(finding(j, "Tenants",
			name[sender]), "remedy")), name[sender]));
	json_decref(j);
}

/* Every warn and fail says what to do; nothing else carries a remedy. */
static void test_every_finding_says_what_to_do(void **state)
{
	int status;
	json_t *j = audit_default(&status), *f;
	size_t i;

	(void)state;
	json_array_foreach(json_object_get(j, "findings"), i, f) {
		const char *r = json_string_value(json_object_get(f, "result"));
		json_t *remedy = json_object_get(f, "remedy");

		if (!strcmp(r, "warn") || !strcmp(r, "fail")) {
			if (!json_is_string(remedy) || !json_string_length(remedy))
				fail_msg("%s/%s is %s with no remedy",
					 json_string_value(json_object_get(f, "area")),
					 json_string_value(json_object_get(f, "id")), r);
		} else {
			assert_true(json_is_null(remedy));
		}
	}
	json_decref(j);
}

/* Each sysctl as the test reads it: its value, or absent with what that means. */
static void test_sysctls_as_they_are(void **state)
{
	static const char *const names[] = {
		"kptr_restrict", "dmesg_restrict", "perf_event_paranoid",
		"unprivileged_bpf_disabled", "kexec_load_disabled",
	};
	int status;
	json_t *j = audit_default(&status);
	const char *ev = evidence_of(j, "Unprivileged view", "settings");

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char path[96], value[32], want[160];

		snprintf(path, sizeof(path), "/proc/sys/kernel/%s", names[i]);
		if (access(path, F_OK) && errno == ENOENT) {
			snprintf(want, sizeof(want), "%s absent (", names[i]);
		} else {
			assert_int_equal(read_sysctl(path, value, sizeof(value)), 0);
			snprintf(want, sizeof(want), "%s=%ld", names[i], strtol(value, NULL, 10));
		}
		if (!strstr(ev, want))
			fail_msg("'%s' not in: %s", want, ev);
	}
	json_decref(j);
}

/* mitigations= in /proc/cmdline: each attack vector it turns off is a finding. */
static void test_mitigations_as_cmdline_says(void **state)
{
	static const char *const vectors[] = {
		"no_user_kernel", "no_user_user", "no_guest_host", "no_guest_guest",
		"no_cross_thread",
	};
	char cmdline[4096], *m, value[200] = "";
	int status, named = 0;
	json_t *j;

	(void)state;
	assert_true(read_small_file("/proc/cmdline", cmdline, sizeof(cmdline)) > 0);
	cmdline[strcspn(cmdline, "\n")] = '\0';
	if ((m = strstr(cmdline, "mitigations=")) && (m == cmdline || m[-1] == ' '))
		snprintf(value, sizeof(value), "%.*s", (int)strcspn(m + 12, " "), m + 12);
	j = audit_default(&status);
	if (!value[0]) {
		assert_non_null(strstr(evidence_of(j, "Kernel command line", "mitigations"),
				       "absent in /proc/cmdline"));
		printf("  (no mitigations= on this host's command line)\n");
	} else {
		assert_non_null(strstr(evidence_of(j, "Kernel command line", "mitigations"),
				       value));
	}
	for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		char word[40];
		const char *w = value;
		bool on_cmdline = false;

		snprintf(word, sizeof(word), ",%s", vectors[i]);
		while ((w = strstr(w, word)) && !on_cmdline) {
			on_cmdline = w[strlen(word)] == '\0' || w[strlen(word)] == ',';
			w++;
		}
		if (on_cmdline && strncmp(value, "off", 3)) {
			named++;
			printf("  (%s: %s)\n", vectors[i],
			       result_of(j, "Kernel command line", vectors[i]));
		}
	}
	printf("  (%d attack vectors turned off by mitigations=%s)\n", named, value);
	json_decref(j);
}

/* kvas audit with stderr on a terminal of its own, stdout to a file; what the terminal got. */
static char *audit_on_terminal(const char *const *args, int *status, char **stdout_text)
{
	const char *kvas = getenv("KVAS") ? getenv("KVAS") : "./kvas";
	struct winsize ws = { .ws_row = 50, .ws_col = 200 };
	char path[] = "/tmp/kvas-audit-out-XXXXXX", *out = NULL;
	int master, slave, fd = mkstemp(path), st;
	size_t len = 0, cap = 0;
	pid_t pid;

	assert_true(fd >= 0);
	assert_int_equal(openpty(&master, &slave, NULL, NULL, &ws), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		const char *argv[16] = { kvas };

		for (int i = 0; args[i] && i < 14; i++)
			argv[i + 1] = args[i];
		setsid();
		ioctl(slave, TIOCSCTTY, 0);
		dup2(slave, 0);
		dup2(fd, 1);
		dup2(slave, 2);
		close(master);
		close(slave);
		setenv("TERM", "xterm", 1);
		execv(kvas, (char *const *)argv);
		_exit(127);
	}
	close(slave);
	/* until kvas closes the terminal (EIO), 60 s at most */
	while (pty_read_more(master, &out, &len, &cap, now_s() + 60))
		;
	close(master);
	waitpid(pid, &st, 0);
	*status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	*stdout_text = read_text_file(path);
	close(fd);
	unlink(path);
	return out ? out : strdup("");
}

/*
 * A progress line on a terminal, for audit takes seconds: on stderr when it
 * is a terminal, erased at the end; none in --json, none when piped.
 */
static void test_progress_on_terminal(void **state)
{
	static const char *const text_args[] = { "audit", "-d", "2", NULL };
	static const char *const json_args[] = { "audit", "--json", "-d", "0.2", NULL };
	char *term, *report;
	struct run_result r;
	int status;

	(void)state;
	term = audit_on_terminal(text_args, &status, &report);
	assert_true(status == 0 || status == 3);
	if (!strstr(term, "kvas audit: counting page faults and TLB flushes per cgroup: 2 s left"))
		fail_msg("no progress line on the terminal: '%s'", term);
	assert_non_null(strstr(term, "\r\033[Kkvas audit: probing what uid"));
	/* erased at the end: the terminal's last bytes clear the line */
	assert_true(strlen(term) >= 4 && !strcmp(term + strlen(term) - 4, "\r\033[K"));
	assert_non_null(report);
	assert_non_null(strstr(report, " pass, "));
	assert_null(strchr(report, '\033'));
	free(term);
	free(report);

	term = audit_on_terminal(json_args, &status, &report);
	assert_null(strstr(term, "kvas audit:"));
	assert_null(strchr(term, '\033'));
	free(term);
	free(report);

	/* piped stderr: nothing but what went wrong */
	assert_int_equal(run_kvas(&r, NULL, (const char *const[]){ "audit", "-d", "0.2", NULL }), 0);
	assert_null(strstr(r.err, "counting page faults"));
	assert_null(strchr(r.err, '\033'));
	run_result_free(&r);
}

/*
 * How remote flushes go: judged from the requests audit forces itself, the
 * method this host's own storm and /proc/interrupts decide, with the
 * kernel's count in the evidence.
 */
static void test_remote_flush_method(void **state)
{
	char method[32];
	const char *ev;
	int status;
	json_t *j;

	(void)state;
	skip_without_remote_flushes();
	host_flushes_by_ipi();
	j = audit_default(&status);
	ev = evidence_of(j, "Remote TLB flushes", "method");
	printf("  (%s)\n", ev);
	assert_int_equal(sscanf(ev, "%31[a-z-]:", method), 1);
	if (!remote_flush_method_fits(method))
		fail_msg("audit named the method %s on this host: %s", method, ev);
	assert_string_equal(result_of(j, "Remote TLB flushes", "method"), "pass");
	assert_non_null(strstr(ev, "kvas's own 500 rounds of write-protect with a reader on another CPU"));
	if (!host_flushes_by_ipi())
		assert_non_null(strstr(ev, " 0 TLB interrupts"));
	json_decref(j);
}

/* ---- kernel options without a config file ------------------------------ */

static bool config_path(int i, char *path, size_t len)
{
	struct utsname u;

	if (i == 0) {
		snprintf(path, len, "/proc/config.gz");
		return true;
	}
	if (i == 1 && !uname(&u)) {
		snprintf(path, len, "/boot/config-%s", u.release);
		return true;
	}
	return false;
}

/* A private mount namespace where every config file kvas looks for reads empty. */
static void hide_config(void)
{
	char path[160];

	if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		_exit(125);
	for (int i = 0; config_path(i, path, sizeof(path)); i++)
		if (!access(path, F_OK) && mount("/dev/null", path, NULL, MS_BIND, NULL))
			_exit(125);
}

static json_t *audit_run_setup(void (*setup)(void))
{
	static const char *const args[] = { "audit", "--json", "-d", "0.2", NULL };
	struct run_result r;
	json_t *j;

	assert_int_equal(run_kvas(&r, setup, args), 0);
	j = run_json(&r);
	assert_non_null(j);
	run_result_free(&r);
	return j;
}

static const char *basis_of(json_t *j, const char *id)
{
	return json_string_value(json_object_get(finding(j, "Kernel configuration", id), "basis"));
}

/*
 * Without a config file, RANDOMIZE_BASE comes from the text slide this test
 * reads in kallsyms (or the boot's KASLR flag), RANDOMIZE_MEMORY from moved
 * bases; defaults leave both unknown, saying why. PTI stays unknown.
 */
static void test_config_from_boot(void **state)
{
	json_t *j = audit_run_setup(hide_config);
	uint64_t text, slide = 0;
	bool flag = false, slide_known;
	char want[96];

	(void)state;
	assert_int_equal(boot_params_kaslr_flag("/sys/kernel/boot_params/data", &flag), 0);
	slide_known = !truth_kallsyms("_text", &text);
	if (slide_known)
		slide = text - truth_start_kernel();
	snprintf(want, sizeof(want), "text slide 0x%llx seen", (unsigned long long)slide);
	if (slide || flag) {
		assert_string_equal(result_of(j, "Kernel configuration", "RANDOMIZE_BASE"), "pass");
		assert_string_equal(basis_of(j, "RANDOMIZE_BASE"), "boot");
		assert_non_null(strstr(evidence_of(j, "Kernel configuration", "RANDOMIZE_BASE"),
				       slide ? want : "KASLR flag"));
	} else if (slide_known) {
		assert_string_equal(result_of(j, "Kernel configuration", "RANDOMIZE_BASE"), "unknown");
		assert_string_equal(basis_of(j, "RANDOMIZE_BASE"), "none");
		assert_non_null(strstr(evidence_of(j, "Kernel configuration", "RANDOMIZE_BASE"),
				       "proves nothing"));
	}
	/* memory KASLR needs the flag; with it, the KASLR area saw the bases move */
	assert_string_equal(result_of(j, "Kernel configuration", "RANDOMIZE_MEMORY"),
			    !strcmp(result_of(j, "KASLR", "memory-kaslr"), "pass") ? "pass" : "unknown");
	if (!flag)
		assert_non_null(strstr(evidence_of(j, "Kernel configuration", "RANDOMIZE_MEMORY"),
				       "proves nothing"));
	assert_string_equal(result_of(j, "Kernel configuration", "PAGE_TABLE_ISOLATION"), "unknown");
	assert_non_null(strstr(evidence_of(j, "Kernel configuration", "PAGE_TABLE_ISOLATION"),
			       "no /proc/config.gz"));
	fprintf(stderr, "  (no config: RANDOMIZE_BASE %s, RANDOMIZE_MEMORY %s)\n",
		result_of(j, "Kernel configuration", "RANDOMIZE_BASE"),
		result_of(j, "Kernel configuration", "RANDOMIZE_MEMORY"));
	json_decref(j);
}

/* With a config file, every option is the file's. */
static void test_config_from_file(void **state)
{
	static const char *const ids[] = { "RANDOMIZE_BASE", "RANDOMIZE_MEMORY",
					   "PAGE_TABLE_ISOLATION", "HARDENED_USERCOPY" };
	struct kconfig kc;
	json_t *j;

	(void)state;
	if (kconfig_load(&kc)) {
		fprintf(stderr, "  (no config file here: nothing to compare)\n");
		return;
	}
	j = audit_run_setup(NULL);
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		assert_string_equal(basis_of(j, ids[i]), "file");
		assert_non_null(strstr(evidence_of(j, "Kernel configuration", ids[i]), kc.path));
	}
	json_decref(j);
}

/* ---- /sys/kernel/notes ---------------------------------------------------- */

static char notes_path[64];

/* A private mount namespace where /sys/kernel/notes is the test's crafted file. */
static void crafted_notes(void)
{
	if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount(notes_path, "/sys/kernel/notes", NULL, MS_BIND, NULL))
		_exit(125);
}

static void write_xen_note(FILE *f, uint32_t type, uint64_t value)
{
	uint32_t hdr[3] = { 4, 8, type };

	assert_int_equal(fwrite(hdr, sizeof(hdr), 1, f), 1);
	assert_int_equal(fwrite("Xen", 4, 1, f), 1);
	assert_int_equal(fwrite(&value, 8, 1, f), 1);
}

/*
 * Xen PV's VIRT_BASE is __START_KERNEL_map, which failed on Debian's kernels:
 * a constant, no leak. An ENTRY at this boot's start_kernel is one only if
 * the text slid: the test reads both in kallsyms.
 */
static void test_kernel_notes_judged(void **state)
{
	uint64_t text = 0, entry = 0, slide;
	const char *ev, *res;
	json_t *j;
	FILE *f;
	int fd;

	(void)state;
	if (truth_kallsyms("_text", &text) || truth_kallsyms("start_kernel", &entry)) {
		fprintf(stderr, "  (kallsyms censored: no address to put in a note)\n");
		return;
	}
	slide = text - truth_start_kernel();
	snprintf(notes_path, sizeof(notes_path), "/tmp/kvas-notes-XXXXXX");
	fd = mkstemp(notes_path);
	assert_true(fd >= 0);
	assert_int_equal(fchmod(fd, 0644), 0);	/* nobody must read it to judge it */
	f = fdopen(fd, "w");
	assert_non_null(f);
	write_xen_note(f, 3, 0xffffffff80000000ULL);	/* VIRT_BASE */
	write_xen_note(f, 1, entry);			/* ENTRY */
	assert_int_equal(fclose(f), 0);
	j = audit_run_setup(crafted_notes);
	unlink(notes_path);
	ev = evidence_of(j, "Unprivileged view", "kernel-notes");
	res = result_of(j, "Unprivileged view", "kernel-notes");
	fprintf(stderr, "  (slide 0x%llx: %s: %s)\n", (unsigned long long)slide, res, ev);
	assert_non_null(strstr(ev, "Xen VIRT_BASE 0xffffffff80000000: __START_KERNEL_map"));
	assert_non_null(strstr(ev, "Xen ENTRY 0x"));
	if (!slide)
		assert_string_equal(res, "pass");
	else if (!strstr(ev, "cannot tell"))	/* a slide smaller than the image may tie */
		assert_string_equal(res, "fail");
	json_decref(j);
}

/* Every kernel address in the real notes is named in the finding. */
static void test_kernel_notes_real(void **state)
{
	unsigned char buf[65536];
	FILE *f = fopen("/sys/kernel/notes", "re");
	size_t n, at = 0;
	int addrs = 0;
	json_t *j = audit_default(&(int){ 0 });
	const char *ev = evidence_of(j, "Unprivileged view", "kernel-notes");

	(void)state;
	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	while (at + 12 <= n) {
		uint32_t h[3];
		size_t desc;

		memcpy(h, buf + at, 12);
		desc = at + 12 + ((h[0] + 3) & ~3u);
		for (uint32_t i = 0; h[1] % 8 == 0 && i < h[1]; i += 8) {
			uint64_t v;
			char hex[24];

			memcpy(&v, buf + desc + i, 8);
			if (v < 0xff00000000000000ULL || (h[2] == 3 && !strcmp((char *)buf + at + 12, "GNU")))
				continue;
			snprintf(hex, sizeof(hex), " 0x%llx: ", (unsigned long long)v);
			assert_non_null(strstr(ev, hex));
			addrs++;
		}
		at = desc + ((h[1] + 3) & ~3u);
	}
	if (!addrs)
		assert_non_null(strstr(ev, "no kernel address in it"));
	fprintf(stderr, "  (%d kernel addresses in /sys/kernel/notes)\n", addrs);
	json_decref(j);
}

static void test_usage(void **state)
{
	static const char *const a1[] = { "audit", "-d", "abc", NULL };
	static const char *const a2[] = { "audit", "--user", "no-such-user-kvas", NULL };
	static const char *const a3[] = { "audit", "stray", NULL };

	(void)state;
	assert_int_equal(expect_usage_error(a1), 0);
	assert_int_equal(expect_usage_error(a2), 0);
	assert_int_equal(expect_usage_error(a3), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kaslr_follows_boot_flag),
		cmocka_unit_test_prestate_setup_teardown(test_unprivileged_view_follows_settings,
							 sysctls_save, sysctls_restore,
							 &view_settings),
		cmocka_unit_test(test_vulnerabilities_as_sysfs_says),
		cmocka_unit_test(test_fail_on),
		cmocka_unit_test(test_tenants_in_two_cgroups),
		cmocka_unit_test(test_quiet_sender_among_six),
		cmocka_unit_test(test_every_finding_says_what_to_do),
		cmocka_unit_test(test_sysctls_as_they_are),
		cmocka_unit_test(test_mitigations_as_cmdline_says),
		cmocka_unit_test(test_progress_on_terminal),
		cmocka_unit_test(test_remote_flush_method),
		cmocka_unit_test(test_config_from_boot),
		cmocka_unit_test(test_config_from_file),
		cmocka_unit_test(test_kernel_notes_judged),
		cmocka_unit_test(test_kernel_notes_real),
		cmocka_unit_test(test_usage),
	};

	return run_root_suite("audit", tests, NULL, NULL);
}
