// SPDX-License-Identifier: GPL-2.0
/*
 * Optional parts switch off alone: kvas is given this kernel's BTF with one
 * thing taken out of it (KVAS_BTF), as a kernel that lacks it would be, and
 * must still run, name the part it cannot count and why, and count all the
 * rest of what the test causes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <bpf/btf.h>

#include "testlib.h"

#define PAGE 4096UL
#define TOUCH_PAGES 300
#define WAIT_LINE_MS 20000

/* What to take out of the BTF: a member of a struct, or a named type. */
struct removal {
	const char *type;	/* struct name, or the type's own name */
	int kind;		/* BTF_KIND_STRUCT with member, else the kind */
	const char *member;
};

/* Rename the type or member (a kernel without it), then write raw BTF. */
static int write_btf_without(const char *path, const struct removal *rm, int nr)
{
	struct btf *b = btf__load_vmlinux_btf();
	const void *raw;
	__u32 size;
	FILE *f;
	int ok = 0;

	if (!b)
		return -errno;
	for (int i = 0; i < nr; i++) {
		char gone[64];
		int name, id;
		struct btf_type *t;

		snprintf(gone, sizeof(gone), "kvas_test_removed_%d", i);
		/* adding a string makes the BTF writable: types are looked up after */
		name = btf__add_str(b, gone);
		id = btf__find_by_name_kind(b, rm[i].type, rm[i].kind);
		if (name < 0 || id <= 0)
			goto out;
		t = (struct btf_type *)btf__type_by_id(b, id);
		if (!rm[i].member) {
			t->name_off = name;
			continue;
		}
		for (int m = 0; m < btf_vlen(t); m++) {
			struct btf_member *mb = btf_members(t) + m;

			if (!strcmp(btf__name_by_offset(b, mb->name_off), rm[i].member))
				mb->name_off = name;
		}
	}
	raw = btf__raw_data(b, &size);
	f = fopen(path, "we");
	if (raw && f && fwrite(raw, 1, size, f) == size)
		ok = 1;
	if (f && fclose(f))
		ok = 0;
out:
	btf__free(b);
	return ok ? 0 : -EIO;
}

static char btf_path[64];

static void use_btf_without(const struct removal *rm, int nr)
{
	int fd;

	snprintf(btf_path, sizeof(btf_path), "/tmp/kvas-test-btf-XXXXXX");
	fd = mkstemp(btf_path);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(write_btf_without(btf_path, rm, nr), 0);
	setenv("KVAS_BTF", btf_path, 1);
}

static int teardown(void **state)
{
	(void)state;
	bg_kvas_kill_all();
	unsetenv("KVAS_BTF");
	if (btf_path[0])
		unlink(btf_path);
	btf_path[0] = '\0';
	return 0;
}

static int count_lines(const char *path)
{
	FILE *f = fopen(path, "re");
	int n = 0, c;

	if (!f)
		return 0;
	while ((c = fgetc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}

/* Wait, bounded, until kvas has printed more than `lines` lines. */
static bool wait_lines(const struct bg_kvas *bg, int lines)
{
	struct timespec step = { 0, 20 * 1000 * 1000 };

	for (int ms = 0; ms < WAIT_LINE_MS; ms += 20) {
		if (count_lines(bg->out_path) > lines)
			return true;
		nanosleep(&step, NULL);
	}
	return false;
}

static void touch_pages(void)
{
	char *p = mmap(NULL, TOUCH_PAGES * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	assert_true(p != MAP_FAILED);
	madvise(p, TOUCH_PAGES * PAGE, MADV_NOHUGEPAGE);
	for (size_t i = 0; i < TOUCH_PAGES; i++)
		p[i * PAGE] = 1;
	munmap(p, TOUCH_PAGES * PAGE);
}

/* The part named in the line's "unavailable", with its reason, or NULL. */
static const char *why_unavailable(json_t *line, const char *part)
{
	json_t *u;
	size_t i;

	json_array_foreach(json_object_get(line, "unavailable"), i, u)
		if (!strcmp(json_string_value(json_object_get(u, "part")), part))
			return json_string_value(json_object_get(u, "why"));
	return NULL;
}

struct own_counts {
	double faults, ipis_sent;
	int ipi_cpus_null, rows;
};

/* PID's row in every interval of top --json: events, summed. */
static void own_counts(const char *out, pid_t pid, struct own_counts *c, const char *part,
		       const char *why_has)
{
	char *copy = strdup(out), *save = NULL;

	memset(c, 0, sizeof(*c));
	for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		json_t *o = json_loads(l, 0, NULL), *row;
		double secs = json_number_value(json_object_get(o, "interval_s"));
		const char *why = why_unavailable(o, part);
		size_t k;

		if (!o || !why || !strstr(why, why_has))
			fail_msg("top did not name '%s' unavailable for '%s': %s", part, why_has, l);
		json_array_foreach(json_object_get(o, "processes"), k, row) {
			if (json_integer_value(json_object_get(row, "pid")) != pid)
				continue;
			c->rows++;
			c->faults += json_number_value(json_object_get(row, "faults_per_s")) * secs;
			c->ipis_sent += json_number_value(json_object_get(row,
							  "tlb_requests_sent_per_s")) * secs;
			c->ipi_cpus_null += json_is_null(json_object_get(row, "tlb_request_cpus_per_s"));
		}
		json_decref(o);
	}
	free(copy);
}

/*
 * top --json in the background while work() runs, stopped one whole
 * interval after the work ended; its stdout. It must say nothing on stderr.
 */
static char *top_while(void (*work)(void), uint64_t *ipis)
{
	struct bg_kvas bg;
	char *out, *err;
	uint64_t before;

	assert_int_equal(bg_kvas_start(&bg, (const char *const[]){ "top", "--json", "-i", "0.3",
				       "--rows", "500", NULL }), 0);
	/* top counts from its first reading on: the work starts after it */
	assert_true(wait_lines(&bg, 0));
	before = truth_tlb_interrupts();
	work();
	*ipis = truth_tlb_interrupts() - before;
	assert_true(wait_lines(&bg, count_lines(bg.out_path) + 1));
	assert_int_equal(bg_kvas_wait(&bg, SIGINT), 0);
	out = bg_kvas_stdout(&bg);
	err = bg_kvas_stderr(&bg);
	if (err[0])
		fail_msg("top wrote to stderr: %s", err);
	free(err);
	bg_kvas_cleanup(&bg);
	return out;
}

#define STORM_IPIS	300

/* The requests the last storm made where the host sends no IPI (0: it does). */
static double storm_requests;

/* A storm the host can answer (storm_for_host): its IPIs, or its known requests. */
static void shoot_down(void)
{
	storm_for_host(STORM_IPIS, &storm_requests);
}

static void touch_and_shoot_down(void)
{
	touch_pages();
	shoot_down();
}

/* top on a kernel whose BTF has neither home of mm_cpumask. */
static void test_top_without_cpumask(void **state)
{
	static const struct removal rm[] = {
		{ "mm_struct", BTF_KIND_STRUCT, "cpu_bitmap" },
		{ "mm_struct", BTF_KIND_STRUCT, "flexible_array" },
	};
	struct own_counts c;
	uint64_t ipis;
	char *out;

	(void)state;
	host_flushes_by_ipi();	/* its own storm, before top counts */
	use_btf_without(rm, 2);
	out = top_while(touch_and_shoot_down, &ipis);
	own_counts(out, getpid(), &c, "remote CPUs", "mm_struct has no cpu_bitmap");
	/*
	 * Every shootdown IPI the kernel counted meanwhile was asked for by a
	 * send, this process's but for a few of the machine's own.
	 */
	if (c.faults + 0.5 < TOUCH_PAGES || c.ipi_cpus_null != c.rows ||
	    (storm_requests ? !storm_requests_match(c.ipis_sent, storm_requests, 20) :
	     ipis < STORM_IPIS || c.ipis_sent + 20 < 0.9 * ipis))
		fail_msg("top counted %.1f faults (touched %lu), %.1f shootdowns sent (the kernel"
			 " counted %llu IPIs; the storm made %.0f requests where none goes by IPI),"
			 " remote CPUs null in %d of %d rows", c.faults, TOUCH_PAGES, c.ipis_sent,
			 (unsigned long long)ipis, storm_requests, c.ipi_cpus_null, c.rows);
	free(out);
}

/* Has top counted TOUCH_PAGES faults of the worker *arg yet? */
static bool worker_counted(const char *out, void *arg)
{
	struct own_counts c;

	own_counts(out, *(pid_t *)arg, &c, "TLB flushes", "no tlb:tlb_flush tracepoint");
	return c.faults >= TOUCH_PAGES;
}

/* top on a kernel without tlb:tlb_flush: faults still counted. */
static void test_top_without_tlb_tracepoint(void **state)
{
	static const struct removal rm[] = {
		{ "btf_trace_tlb_flush", BTF_KIND_TYPEDEF, NULL },
	};
	struct own_counts c;
	struct bg_kvas bg;
	pid_t worker;
	char *out, *err;
	int status;

	(void)state;
	use_btf_without(rm, 1);
	/* a child that faults until it is stopped: kvas must see some of it */
	worker = fork();
	assert_true(worker >= 0);
	if (!worker) {
		for (;;)
			touch_pages();
	}
	/* no tlb_flush link to wait for: top runs until it has counted enough */
	assert_int_equal(bg_kvas_spawn(&bg, (const char *const[]){ "top", "--json", "-i", "0.5",
				       "--rows", "500", NULL }), 0);
	bg_kvas_wait_output(&bg, worker_counted, &worker, WAIT_LINE_MS);
	status = bg_kvas_wait(&bg, SIGINT);
	kill(worker, SIGKILL);
	waitpid(worker, NULL, 0);
	out = bg_kvas_stdout(&bg);
	err = bg_kvas_stderr(&bg);
	bg_kvas_cleanup(&bg);
	if (status)
		fail_msg("top exited %d: %s", status, err);
	own_counts(out, worker, &c, "TLB flushes", "no tlb:tlb_flush tracepoint");
	if (c.faults < TOUCH_PAGES || strstr(out, "\"events_by_reason\":{\""))
		fail_msg("top without tlb:tlb_flush counted %.0f faults of the worker, or flushes: %s",
			 c.faults, out);
	free(out);
	free(err);
}

/* trace of TLB flushes alone, on a kernel without them: a clear error. */
static void test_trace_tlb_without_tracepoint(void **state)
{
	static const struct removal rm[] = {
		{ "btf_trace_tlb_flush", BTF_KIND_TYPEDEF, NULL },
	};
	struct run_result r;
	int status;

	(void)state;
	use_btf_without(rm, 1);
	assert_int_equal(run_kvas(&r, NULL, (const char *const[]){ "trace", "-e", "tlb-flush",
					 "-d", "1", NULL }), 0);
	status = r.status;
	if (status != 1 || !strstr(r.err, "TLB flushes: no tlb:tlb_flush tracepoint") ||
	    strchr(r.err, '\n') != r.err + strlen(r.err) - 1)
		fail_msg("trace -e tlb exited %d, said: %s", status, r.err);
	run_result_free(&r);
}

/* Reasons by the kernel's names: without the enum, numbers, and said so. */
static void test_top_without_reason_names(void **state)
{
	static const struct removal rm[] = {
		{ "tlb_flush_reason", BTF_KIND_ENUM, NULL },
	};
	struct own_counts c;
	uint64_t ipis;
	char *out;

	(void)state;
	use_btf_without(rm, 1);
	out = top_while(shoot_down, &ipis);
	own_counts(out, getpid(), &c, "TLB flush reason names", "no enum tlb_flush_reason");
	/* the flushes this process forced are there, under their numbers */
	if (!strstr(out, "\"reason ") || strstr(out, "shootdown\""))
		fail_msg("top without the enum: %s", out);
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_top_without_cpumask, teardown),
		cmocka_unit_test_teardown(test_top_without_tlb_tracepoint, teardown),
		cmocka_unit_test_teardown(test_trace_tlb_without_tracepoint, teardown),
		cmocka_unit_test_teardown(test_top_without_reason_names, teardown),
	};

	return run_root_suite("optional parts switch off alone", tests, NULL, NULL);
}
