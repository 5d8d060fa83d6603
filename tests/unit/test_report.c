// SPDX-License-Identifier: GPL-2.0
/*
 * kvas report's model and printers on a recording built here: two
 * processes, user faults in known mappings (heap, anonymous, an unmapped
 * address, a stack), kernel faults in known regions, TLB events with
 * reasons, stacks with named and unnamed frames and cut chains,
 * translations to 4K and 2M pages. Every table's counts and percentages,
 * --sort grouping, the hottest pages, the histogram, and the JSON against
 * its schema.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "report.h"

#define K(off) (0xffffffff81000000ULL + (off))
#define HEAP 0x1000000ULL
#define ANON 0x7f0000000000ULL
#define STACK 0x7ff000000000ULL
#define LIBC 0x7e0000000000ULL

static struct rec_meta meta[] = {
	{ "kvas_version", "0.1.0" }, { "kernel_release", "6.18.0-test" },
	{ "hostname", "testhost" }, { "machine", "x86_64" },
	{ "command", "kvas record -g -- ./toucher" }, { "target", "-- ./toucher" },
	{ "events", "fault-user,fault-kernel,tlb-flush" }, { "stacks", "kernel,user" },
	{ "started_at", "2026-12-07T07:00:00Z" }, { "mono_start_ns", "1000000000" },
	{ "duration_ns", "1000000000" }, { "paging_levels", "4" },
	{ "page_offset_base", "0xffff888000000000" }, { "vmalloc_base", "0xffffc90000000000" },
	{ "vmemmap_base", "0xffffea0000000000" }, { "kernel_text", "0xffffffff81000000" },
	{ "events_seen", "23" }, { "sampled_away", "5" }, { "dropped", "0" },
	{ "exit_status", "0" },
	{ "tlb_reasons", "0=TLB_FLUSH_ON_TASK_SWITCH,1=TLB_REMOTE_SHOOTDOWN,2=TLB_LOCAL_SHOOTDOWN,"
			 "3=TLB_LOCAL_MM_SHOOTDOWN,4=TLB_REMOTE_SEND_IPI,bad,=x" },
};

static struct rec_process processes[] = {
	{ .pid = 100, .ppid = 1, .comm = "toucher", .cgroup = 1 },
	{ .pid = 200, .ppid = 1, .comm = "other", .cgroup = 2 },
};

static struct rec_thread threads[] = {
	/* the main thread met before its exec, under the parent's name */
	{ 100, 100, "kvas" }, { 100, 101, "worker" }, { 200, 200, "other" },
};

static struct rec_cgroup cgroups[] = {
	{ 1, "/system.slice/a.service", NULL }, { 2, "/docker/abc", "web" },
};

static struct rec_mapping mappings[] = {
	{ 100, 0x400000, 0x401000, 0, "r-xp", "/usr/bin/toucher" },
	{ 100, HEAP, HEAP + 0x1000000, 0, "rw-p", "[heap]" },
	{ 100, ANON, ANON + 0x200000, 0, "rw-p", NULL },
	{ 200, STACK, STACK + 0x100000, 0, "rw-p", "[stack]" },
	{ 200, LIBC, LIBC + 0x200000, 0, "r-xp", "/usr/lib/x86_64-linux-gnu/libc.so.6" },
};

static struct rec_frame frames[] = {
	{ 0, K(0x100), "do_anonymous_page", 0x10, "vmlinux", 0 },
	{ 0, K(0x200), "handle_mm_fault", 0x20, "vmlinux", 0 },
	{ 0, K(0x300), NULL, 0, "[kvm]", 0x300 },
	{ 0, K(0x400), "__traceiter_tlb_flush", 0, "vmlinux", 0 },
	{ 0, K(0x500), "flush_tlb_mm_range", 0, "vmlinux", 0 },
	{ 100, 0x400100, "touch_pages", 0x4, "toucher", 0x100 },
	{ 100, 0x400200, "main", 0x8, "toucher", 0x200 },
	{ 100, 0x400300, NULL, 0, "toucher", 0x300 },
	/* LIBC + 0x1000 of pid 200 has no frame: its address names it */
};

static uint64_t ips0[] = { K(0x100), K(0x200), 0x400100, 0x400200 };
static uint64_t ips1[] = { 0x400300 };
static uint64_t ips2[] = { K(0x300), LIBC + 0x1000 };
static uint64_t ips3[] = { K(0x400), K(0x500) };	/* the tracing's own frame first */

static struct rec_stack stacks[] = {
	{ 2, 2, 0, ips0 },
	{ 0, 1, REC_STACK_USER_CUT, ips1 },
	{ 1, 1, REC_STACK_USER_CUT, ips2 },
	{ 2, 0, 0, ips3 },
};

#define UF(p, t, cg, a, i, err, st, phys, shift) \
	{ .pid = p, .tid = t, .cgroup = cg, .addr = a, .ip = i, .arg = err, \
	  .stack = st, .pa = phys, .page_shift = shift, .kind = VM_FAULT_USER }
#define KF(p, t, cg, a, i, err, st) \
	{ .pid = p, .tid = t, .cgroup = cg, .addr = a, .ip = i, .arg = err, \
	  .stack = st, .kind = VM_FAULT_KERNEL }
#define TLB(p, r, st) \
	{ .pid = p, .tid = p, .cgroup = 2, .arg = 1, .reason = r, .stack = st, \
	  .kind = VM_TLB_FLUSH }
#define NS REC_NO_STACK

static const struct rec_event events_init[] = {
	/* pid 100: 6 heap faults (page 0 twice), write, 4K, stack 0 */
	UF(100, 100, 1, HEAP + 0x10, 0x400100, 0x6, 0, 0x10000010, 12),
	UF(100, 100, 1, HEAP + 0x20, 0x400100, 0x6, 0, 0x10000020, 12),
	UF(100, 100, 1, HEAP + 0x1000, 0x400100, 0x6, 0, 0x10001000, 12),
	UF(100, 100, 1, HEAP + 0x2000, 0x400100, 0x6, 0, 0x10002000, 12),
	UF(100, 100, 1, HEAP + 0x3000, 0x400100, 0x6, 0, 0x10003000, 12),
	UF(100, 100, 1, HEAP + 0x4000, 0x400100, 0x6, 0, 0x10004000, 12),
	/* 2 anonymous faults, read, 2M, a cut chain */
	UF(100, 100, 1, ANON + 0x1234, 0x400300, 0x4, 1, 0x40001234, 21),
	UF(100, 100, 1, ANON + 0x100000, 0x400300, 0x4, 1, 0x40100000, 21),
	/* thread 101: an ifetch on a protected page nothing maps, a kernel fault in the direct map */
	UF(100, 101, 1, 0x5000000, 0x400200, 0x15, NS, 0, 0),
	KF(100, 101, 1, 0xffff888000100000ULL, K(0x100), 0x2, NS),
	/* pid 200: vmalloc (with a cut chain), uaccess, modules; a stack fault; 4 TLB events, one with a stack */
	KF(200, 200, 2, 0xffffc90000001000ULL, K(0x300), 0x0, 2),
	KF(200, 200, 2, STACK + 0x2100, K(0x200), 0x2, NS),
	UF(200, 200, 2, STACK + 0x800, LIBC + 0x1000, 0x6, NS, 0x20000800, 12),
	TLB(200, 0, NS), TLB(200, 0, NS), TLB(200, 1, NS), TLB(200, 4, 3),
	KF(200, 200, 2, 0xffffffffc0001000ULL, K(0x100), 0x0, NS),
};
#define NR_EVENTS (sizeof(events_init) / sizeof(events_init[0]))

static struct rec_event events[NR_EVENTS];

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void recording(struct recording *r)
{
	memcpy(events, events_init, sizeof(events));
	/* 50 ms apart from the start: two events in each 100 ms bucket */
	for (size_t i = 0; i < NR_EVENTS; i++)
		events[i].ts_ns = 1000000000ULL + i * 50000000ULL;
	*r = (struct recording){
		meta, N(meta), events, NR_EVENTS, stacks, N(stacks), frames, N(frames),
		processes, N(processes), threads, N(threads), cgroups, N(cgroups),
		mappings, N(mappings), NULL, 0,
	};
	recording_index(r);
}

static void build(const char *sort, unsigned int rows, struct report *rep)
{
	struct report_opts o = { .rows = rows, .buckets = 10 };
	struct recording r;
	char bad[64];

	recording(&r);
	assert_int_equal(report_parse_sort(sort, &o, bad, sizeof(bad)), 0);
	assert_int_equal(report_build(&r, &o, rep), 0);
}

/* The row whose first value is v, in t, or fail. */
static const struct report_row *row(const struct report_table *t, const char *v)
{
	for (size_t i = 0; i < t->nr_rows; i++)
		if (!strcmp(t->rows[i].values[0], v))
			return &t->rows[i];
	fail_msg("no row '%s'", v);
	return NULL;
}

static uint64_t sum(const struct report_table *t)
{
	uint64_t n = 0;

	for (size_t i = 0; i < t->nr_rows; i++)
		n += t->rows[i].count;
	return n;
}

/* Each single-key table: its rows add up to its total, and the rows' values. */
static void expect(const struct report_table *t, uint64_t total, const char *const *v,
		   const uint64_t *counts, size_t n)
{
	assert_int_equal(t->total, total);
	assert_int_equal(sum(t), total);
	assert_int_equal(t->nr_rows, n);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(row(t, v[i])->count, counts[i]);
		/* most first */
		if (i)
			assert_true(t->rows[i - 1].count >= t->rows[i].count);
	}
}

#define EXPECT(t, total, ...) do { \
	static const char *const v_[] = { __VA_ARGS__ }; \
	expect(t, total, v_, counts_, N(v_)); \
} while (0)

static void test_summary(void **state)
{
	struct report rep;

	(void)state;
	build("kind,pid,region", 10, &rep);
	assert_int_equal(rep.summary.events, 18);
	assert_int_equal(rep.summary.by_kind[VM_FAULT_USER], 10);
	assert_int_equal(rep.summary.by_kind[VM_FAULT_KERNEL], 4);
	assert_int_equal(rep.summary.by_kind[VM_TLB_FLUSH], 4);
	assert_int_equal(rep.summary.with_stacks, 10);
	assert_int_equal(rep.summary.translated, 9);
	assert_true(rep.summary.sampled_away.known);
	assert_int_equal(rep.summary.sampled_away.value, 5);
	assert_int_equal(rep.summary.lost.value, 0);
	assert_true(rep.summary.tlb_names);
	assert_true(rep.summary.layout_known);
	assert_string_equal(rep.summary.kernel_release, "6.18.0-test");
	assert_int_equal(rep.nr_warnings, 0);
	report_free(&rep);
}

static void test_tables(void **state)
{
	struct report rep;

	(void)state;
	build("kind,pid,region", 10, &rep);
	{
		static const uint64_t counts_[] = { 10, 8 };
		EXPECT(&rep.by[RB_PROCESS], 18, "100:toucher", "200:other");
	}
	{
		static const uint64_t counts_[] = { 8, 2, 8 };
		EXPECT(&rep.by[RB_THREAD], 18, "100:toucher", "101:worker", "200:other");
	}
	{
		static const uint64_t counts_[] = { 10, 8 };
		EXPECT(&rep.by[RB_CONTAINER], 18, "/system.slice/a.service", "web");
	}
	{
		static const uint64_t counts_[] = { 6, 2, 1, 1, 1, 1, 1, 1 };
		EXPECT(&rep.by[RB_REGION], 14, "[heap]", "[anon]", "unknown (no mapping recorded)",
		       "direct map", "vmalloc", "user memory (uaccess)", "[stack]", "modules");
	}
	{
		static const uint64_t counts_[] = { 7, 5, 2 };
		EXPECT(&rep.by[RB_PAGE_SIZE], 14, "4K", "not translated", "2M");
	}
	{
		static const uint64_t counts_[] = { 9, 4, 1 };
		EXPECT(&rep.by[RB_CLASS], 14, "write, not-present", "read, not-present",
		       "ifetch, protection");
	}
	{
		static const uint64_t counts_[] = { 2, 1, 1 };
		EXPECT(&rep.by[RB_REASON], 4, "task switch", "remote shootdown",
		       "remote flush request");
	}
	{
		/*
		 * named, module+offset, and a frame with no record: its address;
		 * a TLB event by its stack's leaf past the tracing's own frame
		 */
		static const uint64_t counts_[] = { 6, 2, 2, 1, 1, 1, 1, 1 };
		EXPECT(&rep.by[RB_SYMBOL], 15, "touch_pages", "toucher+0x300",
		       "do_anonymous_page", "main", "[kvm]+0x300", "handle_mm_fault",
		       "0x7e0000001000", "flush_tlb_mm_range");
	}
	/* the first row of the heap, by its ties: most first, then by name */
	assert_string_equal(rep.by[RB_THREAD].rows[0].values[0], "100:toucher");
	assert_string_equal(rep.by[RB_THREAD].rows[1].values[0], "200:other");
	report_free(&rep);
}

static void test_sort(void **state)
{
	const struct report_row *r;
	struct report rep;

	(void)state;
	build("pid,kind", 10, &rep);
	assert_int_equal(rep.main.total, 18);
	assert_int_equal(sum(&rep.main), 18);
	assert_int_equal(rep.main.nr_rows, 5);
	assert_int_equal(rep.main.nr_keys, 2);
	r = &rep.main.rows[0];
	assert_string_equal(r->values[0], "100:toucher");
	assert_string_equal(r->values[1], "fault-user");
	assert_int_equal(r->count, 9);
	r = &rep.main.rows[1];
	assert_string_equal(r->values[0], "200:other");
	assert_string_equal(r->values[1], "tlb-flush");
	assert_int_equal(r->count, 4);
	assert_int_equal(rep.main.rows[2].count, 3);
	report_free(&rep);

	/* a key that does not apply to an event: the main table says "-" and counts it */
	build("sym", 10, &rep);
	assert_int_equal(rep.main.total, 18);
	assert_int_equal(row(&rep.main, REPORT_NA)->count, 3);
	report_free(&rep);

	build("reason,class", 10, &rep);
	assert_int_equal(sum(&rep.main), 18);
	report_free(&rep);
}

static void test_parse_sort(void **state)
{
	struct report_opts o = { 0 };
	char bad[64];

	(void)state;
	assert_int_equal(report_parse_sort("pid,tid,comm,container,region,page-size,class,reason,"
					   "sym,kind", &o, bad, sizeof(bad)), 0);
	assert_int_equal(o.nr_sort, RK_NR);
	assert_int_equal(report_parse_sort("pid,dso", &o, bad, sizeof(bad)), -1);
	assert_string_equal(bad, "dso");
	assert_int_equal(report_parse_sort("pid,pid", &o, bad, sizeof(bad)), -1);
	assert_int_equal(report_parse_sort("", &o, bad, sizeof(bad)), -1);
	assert_int_equal(report_parse_sort("pid,", &o, bad, sizeof(bad)), 0);
	assert_int_equal(o.nr_sort, 1);
}

static void test_chains(void **state)
{
	const struct report_table *t;
	struct report rep;

	(void)state;
	build("kind", 10, &rep);
	t = &rep.chains;
	assert_int_equal(t->total, 10);
	assert_int_equal(t->nr_rows, 4);
	assert_int_equal(t->rows[0].count, 6);
	assert_int_equal(t->rows[0].nr_values, 4);
	assert_string_equal(t->rows[0].values[0], "do_anonymous_page");
	assert_string_equal(t->rows[0].values[1], "handle_mm_fault");
	assert_string_equal(t->rows[0].values[2], "touch_pages");
	assert_string_equal(t->rows[0].values[3], "main");
	assert_int_equal(t->rows[1].count, 2);
	assert_int_equal(t->rows[1].nr_values, 2);
	assert_string_equal(t->rows[1].values[0], "toucher+0x300");
	assert_string_equal(t->rows[1].values[1], REPORT_USER_CUT);
	assert_int_equal(t->rows[2].nr_values, 3);
	assert_string_equal(t->rows[2].values[0], "[kvm]+0x300");
	assert_string_equal(t->rows[2].values[1], "0x7e0000001000");
	assert_string_equal(t->rows[2].values[2], REPORT_USER_CUT);
	assert_int_equal(t->rows[3].nr_values, 1);
	assert_string_equal(t->rows[3].values[0], "flush_tlb_mm_range");
	report_free(&rep);
}

static void test_pages_and_histogram(void **state)
{
	struct report rep;
	uint64_t n = 0;

	(void)state;
	build("kind", 3, &rep);
	assert_int_equal(rep.page_faults, 14);
	/* the two faults in one 2M page are one row */
	assert_int_equal(rep.nr_pages, 12);
	assert_int_equal(rep.pages[0].pid, 100);
	assert_int_equal(rep.pages[0].vpage, HEAP);
	assert_int_equal(rep.pages[0].count, 2);
	assert_int_equal(rep.pages[0].page_shift, 12);
	assert_int_equal(rep.pages[0].pa_page, 0x10000000);
	assert_string_equal(rep.pages[0].comm, "toucher");
	for (size_t i = 0; i < rep.nr_pages; i++) {
		n += rep.pages[i].count;
		/* a 2M translation gives the 2M page, virtual and physical */
		if (rep.pages[i].vpage == ANON) {
			assert_int_equal(rep.pages[i].pa_page, 0x40000000);
			assert_int_equal(rep.pages[i].page_shift, 21);
			assert_int_equal(rep.pages[i].count, 2);
		}
		if (rep.pages[i].vpage == 0x5000000)
			assert_int_equal(rep.pages[i].page_shift, 0);
	}
	assert_int_equal(n, 14);

	/* 1 s in 10 buckets of 100 ms, events 50 ms apart: 2 in each of the first 9 */
	assert_int_equal(rep.histogram.nr, 10);
	assert_int_equal(rep.histogram.bucket_ns, 100000000);
	assert_int_equal(rep.histogram.start_ns, 1000000000);
	n = 0;
	for (unsigned int b = 0; b < rep.histogram.nr; b++) {
		n += rep.histogram.counts[b];
		assert_int_equal(rep.histogram.counts[b], b < 9 ? 2 : 0);
	}
	assert_int_equal(n, NR_EVENTS);
	report_free(&rep);
}

/* The text, whole, in a string. */
static char *text_of(const struct report *rep, bool json)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(json ? report_print_json(rep, f) : report_print_text(rep, f), 0);
	fclose(f);
	return buf;
}

static void test_text(void **state)
{
	struct report rep;
	char *text;

	(void)state;
	build("kind,pid,region", 10, &rep);
	text = text_of(&rep, false);
	assert_non_null(strstr(text, "# Machine: testhost, kernel 6.18.0-test, x86_64"));
	assert_non_null(strstr(text, "fault-user 10, fault-kernel 4, tlb-flush 4"));
	assert_non_null(strstr(text, "   42.86%         6  [heap]"));
	assert_non_null(strstr(text, "   55.56%        10  100:toucher"));
	assert_non_null(strstr(text, "   60.00%         6\n             do_anonymous_page\n"));
	assert_non_null(strstr(text, "             " REPORT_USER_CUT "\n"));
	assert_non_null(strstr(text, "0x0000000001000000  0x10000000"));
	assert_non_null(strstr(text, "   0.000000         2  ####"));
	assert_null(strstr(text, "Warning"));
	free(text);
	report_free(&rep);
}

/* Lost events and a cut file are said, in the text and the JSON. */
static void test_warnings(void **state)
{
	struct report_opts o = { .rows = 10, .buckets = 4, .cut_short = "cut short: no end record" };
	struct rec_meta *dropped = NULL;
	struct recording r;
	struct report rep;
	char bad[8], *text;

	(void)state;
	recording(&r);
	for (size_t i = 0; i < r.nr_meta; i++)
		if (!strcmp(r.meta[i].key, "dropped"))
			dropped = &r.meta[i];
	assert_non_null(dropped);
	dropped->value = "7";
	assert_int_equal(report_parse_sort("pid", &o, bad, sizeof(bad)), 0);
	assert_int_equal(report_build(&r, &o, &rep), 0);
	dropped->value = "0";
	assert_int_equal(rep.nr_warnings, 2);
	text = text_of(&rep, false);
	assert_non_null(strstr(text, "# Warning: the file was cut short: no end record; this"));
	assert_non_null(strstr(text, "# Warning: 7 events were lost"));
	free(text);
	text = text_of(&rep, true);
	assert_non_null(strstr(text, "\"cut_short\": \"cut short: no end record\""));
	assert_non_null(strstr(text, "\"lost\": 7"));
	free(text);
	report_free(&rep);
}

/* validate.py's exit status for text against the report schema (-1: no python3). */
static int validate(const char *text)
{
	char path[] = "/tmp/kvas-test-report-XXXXXX";
	int fd = mkstemp(path), status;
	pid_t pid;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	pid = fork();
	if (!pid) {
		execl("/usr/bin/python3", "python3", "tests/json/validate.py",
		      "docs/schema/report.schema.json", path, (char *)NULL);
		_exit(127);
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	unlink(path);
	return WIFEXITED(status) && WEXITSTATUS(status) != 127 ? WEXITSTATUS(status) : -1;
}

/* text fits the schema, where python3 (a test dependency) can tell. */
static void assert_fits(const char *text)
{
	int status = validate(text);

	if (status >= 0)
		assert_int_equal(status, 0);
}

static void test_json(void **state)
{
	json_t *root, *row;
	struct report rep;
	char *text;

	(void)state;
	build("pid,kind,sym", 2, &rep);
	text = text_of(&rep, true);
	root = json_loads(text, 0, NULL);
	assert_non_null(root);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(root, "by_process"),
							      "total")), 18);
	row = json_array_get(json_object_get(json_object_get(root, "by_region"), "rows"), 0);
	assert_string_equal(json_string_value(json_object_get(row, "region")), "[heap]");
	assert_true(json_real_value(json_object_get(row, "percent")) == 42.86);
	/* --rows 2: the rest counted */
	row = json_object_get(root, "by_region");
	assert_int_equal(json_integer_value(json_object_get(row, "more_rows")), 6);
	assert_int_equal(json_integer_value(json_object_get(row, "more_events")), 6);
	row = json_array_get(json_object_get(json_object_get(root, "main"), "rows"), 0);
	assert_int_equal(json_integer_value(json_object_get(row, "pid")), 100);
	assert_string_equal(json_string_value(json_object_get(row, "process_name")), "toucher");
	row = json_array_get(json_object_get(json_object_get(root, "by_page_size"), "rows"), 0);
	assert_int_equal(json_integer_value(json_object_get(row, "page_size")), 4096);
	row = json_array_get(json_object_get(json_object_get(root, "chains"), "rows"), 1);
	assert_true(json_is_true(json_object_get(row, "user_cut")));
	assert_int_equal(json_array_size(json_object_get(row, "frames")), 1);
	json_decref(root);
	assert_fits(text);
	free(text);
	report_free(&rep);
}

/* Names are any bytes: escaped in the text, valid JSON (and UTF-8) still. */
static void test_hostile_names(void **state)
{
	static struct rec_process evil = { .pid = 100, .comm = "e\x1b[2J\x1fvil\xff\n" };
	struct report_opts o = { .rows = 10, .buckets = 2 };
	struct rec_process saved = processes[0];
	struct recording r;
	struct report rep;
	char bad[8], *text;

	(void)state;
	processes[0] = evil;
	recording(&r);
	assert_int_equal(report_parse_sort("pid,comm", &o, bad, sizeof(bad)), 0);
	assert_int_equal(report_build(&r, &o, &rep), 0);
	processes[0] = saved;
	text = text_of(&rep, false);
	assert_null(strchr(text, '\x1b'));
	assert_null(strchr(text, '\x1f'));
	assert_non_null(strstr(text, "100:e\\e[2J?vil\\xff\\n"));
	free(text);
	text = text_of(&rep, true);
	assert_fits(text);
	free(text);
	report_free(&rep);
}

/* A recording that is nothing but a header: empty tables, no crash. */
static void test_empty(void **state)
{
	struct report_opts o = { .rows = 10, .buckets = 5, .nr_sort = 1, .sort = { RK_PID } };
	struct recording r = { 0 };
	struct report rep;
	char *text;

	(void)state;
	assert_int_equal(report_build(&r, &o, &rep), 0);
	assert_int_equal(rep.main.nr_rows, 0);
	assert_int_equal(rep.nr_pages, 0);
	text = text_of(&rep, false);
	assert_non_null(strstr(text, "# Events: 0 in the file"));
	free(text);
	text = text_of(&rep, true);
	assert_fits(text);
	free(text);
	report_free(&rep);
}

static struct rec_dmap_change dmap_changes[] = {
	/* pid 100 made two pages read-only, a 2M range and its alias */
	{ .pid = 100, .tid = 101, .comm = "worker", .function = DMAP_CHANGE_CPA, .pages = 512,
	  .mask_clr = 2, .primary = 1, .stack = REC_NO_STACK },
	{ .pid = 100, .tid = 101, .comm = "worker", .function = DMAP_CHANGE_CPA, .pages = 512,
	  .mask_clr = 2, .primary = 0, .stack = REC_NO_STACK },
	/* pid 300, which made no event: a page out and back (memfd_secret) */
	{ .pid = 300, .tid = 300, .comm = "secret", .function = DMAP_CHANGE_INVALID, .pages = 1,
	  .stack = REC_NO_STACK },
	{ .pid = 300, .tid = 300, .comm = "secret", .function = DMAP_CHANGE_DEFAULT, .pages = 1,
	  .stack = REC_NO_STACK },
	/* and a page-attribute change that clears the present bit */
	{ .pid = 300, .tid = 300, .comm = "secret", .function = DMAP_CHANGE_CPA, .pages = 1,
	  .mask_clr = 1, .primary = 1, .stack = REC_NO_STACK },
};

/* The recording with meta dmap_changes = status (NULL: none), lost, and changes. */
static void dmap_report(const char *status, const char *lost, size_t nr_changes,
			struct report *rep)
{
	static struct rec_meta more[N(meta) + 2];
	struct report_opts o = { .rows = 10, .buckets = 4, .nr_sort = 1, .sort = { RK_PID } };
	struct recording r;
	size_t n = N(meta);

	memcpy(more, meta, sizeof(meta));
	if (status)
		more[n++] = (struct rec_meta){ "dmap_changes", (char *)status };
	if (lost)
		more[n++] = (struct rec_meta){ "dmap_changes_lost", (char *)lost };
	recording(&r);
	r.meta = more;
	r.nr_meta = n;
	r.dmap_changes = dmap_changes;
	r.nr_dmap_changes = nr_changes;
	assert_int_equal(report_build(&r, &o, rep), 0);
}

static const struct report_dmap_row *dmap_row(const struct report_dmap_table *t, size_t i,
					      const char *name, uint64_t changes, uint64_t pages)
{
	assert_true(i < t->nr_rows);
	assert_string_equal(t->rows[i].name, name);
	assert_int_equal(t->rows[i].changes, changes);
	assert_int_equal(t->rows[i].pages, pages);
	return &t->rows[i];
}

/* Changes by function, by effect and by process; their count in the summary; the JSON fits. */
static void test_dmap_changes(void **state)
{
	const struct report_dmap *d;
	struct report rep;
	json_t *root, *row;
	char *text;

	(void)state;
	dmap_report("kprobe", "0", N(dmap_changes), &rep);
	d = &rep.dmap;
	assert_true(d->recorded);
	assert_int_equal(d->changes, 5);
	assert_int_equal(d->pages, 1027);
	assert_int_equal(d->by_function.nr_rows, 3);
	dmap_row(&d->by_function, 0, "__change_page_attr_set_clr", 3, 1025);
	dmap_row(&d->by_function, 1, "set_direct_map_invalid_noflush", 1, 1);
	dmap_row(&d->by_function, 2, "set_direct_map_default_noflush", 1, 1);
	assert_int_equal(d->by_effect.nr_rows, 3);
	dmap_row(&d->by_effect, 0, "permissions", 2, 1024);	/* ties in the effects' order */
	dmap_row(&d->by_effect, 1, "not present", 2, 2);
	dmap_row(&d->by_effect, 2, "present", 1, 1);
	/* a recorded process by its name, one without events by the change's comm */
	assert_int_equal(d->by_process.nr_rows, 2);
	assert_int_equal(dmap_row(&d->by_process, 0, "secret", 3, 3)->pid, 300);
	assert_int_equal(dmap_row(&d->by_process, 1, "toucher", 2, 1024)->pid, 100);
	assert_int_equal(rep.nr_warnings, 0);
	text = text_of(&rep, false);
	assert_non_null(strstr(text, "\n# Direct-map changes: 5 of 1027 pages (hooked by kprobe)\n"));
	assert_non_null(strstr(text, "#  Changes     Pages  Function\n"));
	assert_non_null(strstr(text, "         3      1025  __change_page_attr_set_clr\n"));
	assert_non_null(strstr(text, "         2         2  not present\n"));
	assert_non_null(strstr(text, "         3         3  300:secret\n"));
	free(text);
	text = text_of(&rep, true);
	root = json_loads(text, 0, NULL);
	assert_non_null(root);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(root, "summary"),
							      "dmap_changes")), 5);
	row = json_object_get(root, "dmap_changes");
	assert_string_equal(json_string_value(json_object_get(row, "status")), "kprobe");
	assert_int_equal(json_integer_value(json_object_get(row, "lost")), 0);
	row = json_array_get(json_object_get(json_object_get(row, "by_process"), "rows"), 1);
	assert_int_equal(json_integer_value(json_object_get(row, "pid")), 100);
	assert_string_equal(json_string_value(json_object_get(row, "comm")), "toucher");
	assert_int_equal(json_integer_value(json_object_get(row, "pages")), 1024);
	json_decref(root);
	assert_fits(text);
	free(text);
	report_free(&rep);

	/* lost changes are warned of */
	dmap_report("fentry", "3", 1, &rep);
	assert_int_equal(rep.nr_warnings, 1);
	assert_string_equal(rep.warnings[0], "3 direct-map changes were lost (their ring buffer"
			    " was full)");
	report_free(&rep);
}

/* Unavailable: the recording's reason in one line, no tables; an older recording says so. */
static void test_dmap_unavailable(void **state)
{
	static const char why[] = "unavailable: the kernel refused fentry (Operation not permitted)"
				  " and kprobes (CONFIG_KPROBES is off)";
	struct report rep;
	char *text;

	(void)state;
	dmap_report(why, NULL, 0, &rep);
	assert_false(rep.dmap.recorded);
	text = text_of(&rep, false);
	assert_non_null(strstr(text, "\n# Direct-map changes: unavailable: the kernel refused fentry"
				     " (Operation not permitted) and kprobes (CONFIG_KPROBES is off)"
				     "\n"));
	assert_null(strstr(text, "Pages  Function"));
	free(text);
	text = text_of(&rep, true);
	assert_non_null(strstr(text, "\"recorded\": false"));
	assert_fits(text);
	free(text);
	report_free(&rep);

	dmap_report(NULL, NULL, 0, &rep);
	text = text_of(&rep, false);
	assert_non_null(strstr(text, "# Direct-map changes: not recorded (the recording's kvas did"
				     " not record them)\n"));
	free(text);
	text = text_of(&rep, true);
	assert_non_null(strstr(text, "\"status\": null"));
	assert_fits(text);
	free(text);
	report_free(&rep);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_summary),
		cmocka_unit_test(test_tables),
		cmocka_unit_test(test_sort),
		cmocka_unit_test(test_parse_sort),
		cmocka_unit_test(test_chains),
		cmocka_unit_test(test_pages_and_histogram),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_warnings),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_hostile_names),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_dmap_changes),
		cmocka_unit_test(test_dmap_unavailable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
