// SPDX-License-Identifier: GPL-2.0
/*
 * The exposition writer: escaping, values, both formats, what a scraper's
 * Accept header chooses; and kvas serve's metrics for a fixed model against
 * golden files (tests/golden/metrics.prom, metrics.om; KVAS_GOLDEN_UPDATE=1
 * rewrites them).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "listen_addr.h"
#include "metrics.h"
#include "../lib/exposition.h"
#include "prom_writer.h"
#include "vm_decode.h"

/* What the writer wrote, NUL-terminated; the caller frees it. */
struct capture {
	char *text;
	size_t len;
	FILE *f;
};

static struct prom_writer *capture_begin(struct capture *c, struct prom_writer *w,
					 enum prom_format format)
{
	c->f = open_memstream(&c->text, &c->len);
	assert_non_null(c->f);
	prom_begin(w, c->f, format);
	return w;
}

static int capture_end(struct capture *c, struct prom_writer *w)
{
	int err = prom_end(w);

	fclose(c->f);
	return err;
}

static void test_text_format(void **state)
{
	struct prom_writer w;
	struct capture c;
	struct prom_label l[] = { { "path", "C:\\dir \"x\"\nnext" }, { "unit", "a\\x2db" } };

	(void)state;
	capture_begin(&c, &w, PROM_TEXT);
	prom_family(&w, "kvas_things", PROM_COUNTER, "Things \"counted\", a\\b\nnext line.");
	prom_sample(&w, l, 2, 3);
	prom_family(&w, "kvas_level", PROM_GAUGE, "A level.");
	prom_sample(&w, NULL, 0, 0.25);
	prom_family(&w, "kvas_build", PROM_INFO, "Build.");
	prom_sample(&w, &(struct prom_label){ "version", "1.0" }, 1, 1);
	assert_int_equal(capture_end(&c, &w), 0);
	assert_string_equal(c.text,
		"# HELP kvas_things_total Things \"counted\", a\\\\b\\nnext line.\n"
		"# TYPE kvas_things_total counter\n"
		"kvas_things_total{path=\"C:\\\\dir \\\"x\\\"\\nnext\",unit=\"a\\\\x2db\"} 3\n"
		"# HELP kvas_level A level.\n"
		"# TYPE kvas_level gauge\n"
		"kvas_level 0.25\n"
		"# HELP kvas_build_info Build.\n"
		"# TYPE kvas_build_info gauge\n"
		"kvas_build_info{version=\"1.0\"} 1\n");
	assert_int_equal(w.samples, 3);
	free(c.text);
}

static void test_openmetrics_format(void **state)
{
	struct prom_writer w;
	struct capture c;

	(void)state;
	capture_begin(&c, &w, PROM_OPENMETRICS);
	prom_family(&w, "kvas_things", PROM_COUNTER, "Things \"counted\".");
	prom_sample(&w, &(struct prom_label){ "k", "v\"" }, 1, 3);
	prom_family(&w, "kvas_build", PROM_INFO, "Build.");
	prom_sample(&w, &(struct prom_label){ "version", "1.0" }, 1, 1);
	assert_int_equal(capture_end(&c, &w), 0);
	/* the family without _total, the samples with it; HELP escapes quotes; # EOF */
	assert_string_equal(c.text,
		"# HELP kvas_things Things \\\"counted\\\".\n"
		"# TYPE kvas_things counter\n"
		"kvas_things_total{k=\"v\\\"\"} 3\n"
		"# HELP kvas_build Build.\n"
		"# TYPE kvas_build info\n"
		"kvas_build_info{version=\"1.0\"} 1\n"
		"# EOF\n");
	free(c.text);
}

static void test_values(void **state)
{
	char b[40];

	(void)state;
	assert_string_equal(prom_value(0, b, sizeof(b)), "0");
	assert_string_equal(prom_value(42, b, sizeof(b)), "42");
	assert_string_equal(prom_value(-7, b, sizeof(b)), "-7");
	assert_string_equal(prom_value(0.1, b, sizeof(b)), "0.1");
	assert_string_equal(prom_value(5.9068905956085187, b, sizeof(b)), "5.906890595608519");
	assert_string_equal(prom_value(1e300, b, sizeof(b)), "1e+300");
	assert_string_equal(prom_value(INFINITY, b, sizeof(b)), "+Inf");
	assert_string_equal(prom_value(-INFINITY, b, sizeof(b)), "-Inf");
	assert_string_equal(prom_value(NAN, b, sizeof(b)), "NaN");
	/* 2^53 and beyond: exact as far as a double goes, never rounded to 15 digits */
	assert_true(strtod(prom_value(9007199254740993.0, b, sizeof(b)), NULL) ==
		    9007199254740993.0);
	assert_true(strtod(prom_value(18446744073709551615.0, b, sizeof(b)), NULL) ==
		    18446744073709551615.0);
}

static void test_bad_names(void **state)
{
	struct prom_writer w;
	struct capture c;

	(void)state;
	assert_true(prom_valid_name("kvas_a:b", false));
	assert_false(prom_valid_name("kvas_a:b", true));
	assert_false(prom_valid_name("1abc", false));
	assert_false(prom_valid_name("a-b", false));
	assert_false(prom_valid_name("", false));
	assert_false(prom_valid_name("__name", true));
	capture_begin(&c, &w, PROM_TEXT);
	prom_family(&w, "kvas-bad", PROM_GAUGE, "x");
	prom_sample(&w, NULL, 0, 1);
	assert_int_equal(capture_end(&c, &w), -EINVAL);
	free(c.text);
	capture_begin(&c, &w, PROM_TEXT);
	prom_family(&w, "kvas_ok", PROM_GAUGE, "x");
	prom_sample(&w, &(struct prom_label){ "bad-label", "v" }, 1, 1);
	assert_int_equal(capture_end(&c, &w), -EINVAL);
	free(c.text);
}

static void test_accept(void **state)
{
	(void)state;
	/* what Prometheus 2.42 sends: OpenMetrics first */
	assert_int_equal(prom_format_accepted("application/openmetrics-text;version=1.0.0,"
		"application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;"
		"q=0.5,*/*;q=0.1"), PROM_OPENMETRICS);
	assert_int_equal(prom_format_accepted(NULL), PROM_TEXT);
	assert_int_equal(prom_format_accepted("*/*"), PROM_TEXT);
	assert_int_equal(prom_format_accepted("text/plain"), PROM_TEXT);
	assert_int_equal(prom_format_accepted("text/plain, application/openmetrics-text;q=0.2"),
			 PROM_TEXT);
	assert_int_equal(prom_format_accepted("application/openmetrics-text; version=1.0.0"),
			 PROM_OPENMETRICS);
	assert_int_equal(prom_format_accepted("application/openmetrics-text;q=0"), PROM_TEXT);
	assert_string_equal(prom_content_type(PROM_TEXT), "text/plain; version=0.0.4; charset=utf-8");
}

static void test_label_values(void **state)
{
	char b[40];

	(void)state;
	assert_string_equal(metrics_label_value("user memory (uaccess)", b, sizeof(b)),
			    "user_memory_uaccess");
	assert_string_equal(metrics_label_value("Unprivileged view", b, sizeof(b)),
			    "unprivileged_view");
	assert_string_equal(metrics_label_value("remote flush request", b, sizeof(b)),
			    "remote_flush_request");
}

static void test_listen_addr(void **state)
{
	char host[64];
	uint16_t port = 0;

	(void)state;
	assert_int_equal(listen_addr_split("127.0.0.1:9633", host, sizeof(host), &port), 0);
	assert_string_equal(host, "127.0.0.1");
	assert_int_equal(port, 9633);
	assert_int_equal(listen_addr_split("[::1]:80", host, sizeof(host), &port), 0);
	assert_string_equal(host, "::1");
	assert_int_equal(port, 80);
	assert_int_equal(listen_addr_split("::1:80", host, sizeof(host), &port), -1);
	assert_int_equal(listen_addr_split("127.0.0.1", host, sizeof(host), &port), -1);
	assert_int_equal(listen_addr_split(":9633", host, sizeof(host), &port), -1);
	assert_int_equal(listen_addr_split("h:0", host, sizeof(host), &port), -1);
	assert_int_equal(listen_addr_split("h:65536", host, sizeof(host), &port), -1);
	assert_int_equal(listen_addr_split("[::1]9633", host, sizeof(host), &port), -1);
}

/*
 * A made-up snapshot: a process in each of containers of three runtimes,
 * one gone, one host; its handled faults (the kernel's counts) and its
 * events.
 */
static void fixed_snapshot(struct top_snapshot *s, struct vm_task_entry *t,
			   struct task_fault_entry *pf, struct top_cgroup *cg)
{
	static const char *const paths[] = {
		"/system.slice/docker-4f1c2d3e4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff0.scope",
		"/machine.slice/libpod-aaaaaaaaaaaabbbbbbbbbbbbccccccccccccddddddddddddeeeeeeeeeeeeffff.scope",
		"/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod0a1b2c3d_4e5f_6071_8293_a4b5c6d7e8f9.slice/"
		"cri-containerd-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.scope",
		"",	/* a container whose cgroup is gone */
		"/user.slice",
	};

	memset(s, 0, sizeof(*s));
	for (int i = 0; i < 5; i++) {
		cg[i].id = 100 + i;
		snprintf(cg[i].path, sizeof(cg[i].path), "%s", paths[i]);
		memset(&t[i], 0, sizeof(t[i]));
		t[i].key.tgid = 1000 + i;
		t[i].key.cgroup = 100 + i;
		t[i].stats.faults_user = 1000 * (i + 1);
		t[i].stats.faults_kernel = 10 * (i + 1);
		t[i].stats.tlb_flushes = 5 * (i + 1);
		t[i].stats.tlb_ipis_sent = i;
		t[i].stats.tlb_no_flush = 2 * i;
		pf[i] = (struct task_fault_entry){ .tgid = 1000 + i, .cgroup = 100 + i,
						   .minor = 1000 * (i + 1), .major = i };
	}
	s->tasks = t;
	s->nr_tasks = 5;
	s->faults = pf;
	s->nr_faults = 5;
	s->cgroups = cg;
	s->nr_cgroups = 5;
}

static void fixed_model(struct metrics *m, struct metrics_refreshed *f,
			struct metrics_containers *mc, struct metrics_check *checks,
			struct metrics_dmap_changes *dc)
{
	struct metrics_tally tally = { 0 };
	struct vm_task_entry t[5];
	struct task_fault_entry pf[5];
	struct top_cgroup cg[5];
	struct top_snapshot s;

	static const char *const enumerators[] = {
		"TLB_FLUSH_ON_TASK_SWITCH", "TLB_REMOTE_SHOOTDOWN", "TLB_LOCAL_SHOOTDOWN",
		"TLB_LOCAL_MM_SHOOTDOWN", "TLB_REMOTE_SEND_IPI", "TLB_REMOTE_WRONG_CPU",
		"NR_TLB_FLUSH_REASONS",
	};
	/* the model points at them: they outlive every test's writes */
	static struct tlb_reasons reasons;
	static const struct remote_flush_verdict flushes = { .method = RFM_HYPERVISOR };

	tlb_reasons_init(&reasons);
	for (size_t i = 0; i < sizeof(enumerators) / sizeof(enumerators[0]); i++)
		tlb_reasons_learn(&reasons, enumerators[i], i);
	memset(m, 0, sizeof(*m));
	m->version = "0.1.0";
	m->tlb_reasons = &reasons;
	m->remote_flush = &flushes;
	m->have_counters = true;
	for (int i = 0; i < FAULT_NR_CLASSES; i++) {
		m->counters.fault_class[0][i] = 100 + i;
		m->counters.fault_class[1][i] = i;
	}
	m->counters.kernel_region[FR_USER] = 17;
	m->counters.kernel_region[FR_DIRECT_MAP] = 2;
	m->counters.tlb_class[TLBC_LOCAL] = 500;
	m->counters.tlb_class[TLBC_REMOTE] = 40;
	m->counters.tlb_class[TLBC_SENT] = 20;
	m->counters.tlb_class[TLBC_NO_FLUSH] = 300;
	m->counters.tlb_class[TLBC_OTHER] = 1;
	m->counters.tlb_size[0] = 100;
	m->counters.tlb_size[2] = 440;
	m->counters.tlb_reason[0] = 600;
	m->counters.tlb_reason[1] = 40;
	m->counters.tlb_reason[3] = 200;
	m->counters.tlb_reason[4] = 20;
	m->counters.tlb_reason[5] = 1;
	m->evicted_total = 3;
	fixed_snapshot(&s, t, pf, cg);
	assert_int_equal(metrics_tally_update(&tally, &s), 0);
	assert_int_equal(metrics_containers_build(mc, &tally, 2), 0);
	m->have_handled = true;
	memcpy(m->handled, tally.handled, sizeof(m->handled));
	m->exits_lost = 1;
	metrics_tally_free(&tally);
	m->containers = mc;
	memset(f, 0, sizeof(*f));
	f->interval = 60;
	f->unix_time = 1764130000.5;
	f->seconds = 0.125;
	f->errors[1] = 1;
	f->have_walk = true;
	f->dmap_pages[0] = 23040;
	f->dmap_pages[1] = 1491;
	f->dmap_pages[2] = 21;
	f->dmap_removed_pages = 600;
	checks[0] = (struct metrics_check){ "kaslr", "text-kaslr", "fail" };
	checks[1] = (struct metrics_check){ "unprivileged_view", "vmcoreinfo", "warn" };
	checks[2] = (struct metrics_check){ "direct_map", "4k-share", "pass" };
	f->checks = checks;
	f->nr_checks = 3;
	f->kaslr_active[KASLR_TEXT_PART] = 0;
	f->kaslr_active[KASLR_MEMORY_PART] = 0;
	f->text_bits = log2(61);
	f->memory_bits[0] = 14.6;
	f->memory_bits[1] = 15.2;
	f->memory_bits[2] = NAN;
	m->refreshed = f;
	m->scrape_seconds = 0.002;
	*dc = (struct metrics_dmap_changes){
		.method = "kprobe", .changes = { 12, 512, 3 }, .pages = { 40, 512, 3 }, .lost = 2,
	};
	m->dmap_changes = dc;
}

static bool exists_but_podman(const char *cgroup, void *ctx)
{
	(void)ctx;
	return !strstr(cgroup, "libpod-");
}

static void test_containers(void **state)
{
	struct metrics_tally tally = { 0 };
	struct metrics_containers mc;
	struct vm_task_entry t[5];
	struct task_fault_entry pf[5];
	struct top_cgroup cg[5];
	struct top_snapshot s;

	(void)state;
	fixed_snapshot(&s, t, pf, cg);
	assert_int_equal(metrics_tally_update(&tally, &s), 0);
	assert_int_equal(metrics_containers_build(&mc, &tally, 2), 0);
	/* the busiest two apart, the third folded; the unresolved one and the host's left out */
	assert_int_equal(mc.nr, 2);
	assert_string_equal(mc.top[0].runtime, "containerd");
	assert_string_equal(mc.top[0].id, "0123456789ab");
	assert_string_equal(mc.top[0].pod_uid, "0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9");
	assert_string_equal(mc.top[1].runtime, "podman");
	assert_int_equal(mc.folded, 1);
	assert_int_equal(mc.other.handled[HANDLED_MINOR], 1000);
	assert_int_equal(mc.other.stats.faults_kernel, 10);
	/* the host's: every process, the unresolved and the host's own too */
	assert_int_equal(tally.handled[HANDLED_MINOR], 15000);
	assert_int_equal(tally.handled[HANDLED_MAJOR], 10);
	metrics_containers_free(&mc);

	/* the kernel's table forgot the containerd process (LRU), then saw it again */
	t[2].stats.faults_kernel += 500;
	s.tasks = t + 1;		/* the docker process evicted too */
	s.nr_tasks = 4;
	assert_int_equal(metrics_tally_update(&tally, &s), 0);
	s.tasks = t;
	s.nr_tasks = 5;
	t[0].stats.faults_kernel = 10;	/* docker's, back with a new entry */
	assert_int_equal(metrics_tally_update(&tally, &s), 0);
	assert_int_equal(metrics_containers_build(&mc, &tally, 5), 0);
	assert_int_equal(mc.nr, 3);
	assert_int_equal(mc.top[0].stats.faults_kernel, 530);	/* kept, never back */
	assert_string_equal(mc.top[2].runtime, "docker");
	assert_int_equal(mc.top[2].stats.faults_kernel, 20);
	metrics_containers_free(&mc);

	/*
	 * The docker process faults 50 more and exits: the read of its exit
	 * has them, the next has no such process. Its container keeps them,
	 * and so does the host; the gone container's, unresolved until now,
	 * come whole once its cgroup has a path.
	 */
	pf[0].minor += 50;
	assert_int_equal(metrics_tally_update(&tally, &s), 0);
	s.faults = pf + 1;
	s.nr_faults = 4;
	snprintf(cg[3].path, sizeof(cg[3].path), "/system.slice/docker-%064d.scope", 7);
	assert_int_equal(metrics_tally_update(&tally, &s), 0);
	assert_int_equal(metrics_containers_build(&mc, &tally, 5), 0);
	assert_int_equal(mc.nr, 4);
	for (size_t i = 0; i < mc.nr; i++) {
		if (!strcmp(mc.top[i].id, "4f1c2d3e4b5a"))
			assert_int_equal(mc.top[i].handled[HANDLED_MINOR], 1050);
		if (!strcmp(mc.top[i].id, "000000000000"))
			assert_int_equal(mc.top[i].handled[HANDLED_MINOR], 4000);
	}
	assert_int_equal(tally.handled[HANDLED_MINOR], 15050);
	metrics_containers_free(&mc);

	/* a removed cgroup: its container goes */
	metrics_tally_prune(&tally, exists_but_podman, NULL);
	assert_int_equal(metrics_containers_build(&mc, &tally, 5), 0);
	assert_int_equal(mc.nr, 3);
	for (size_t i = 0; i < mc.nr; i++)
		assert_string_not_equal(mc.top[i].runtime, "podman");
	metrics_containers_free(&mc);
	metrics_tally_free(&tally);
}

/* 1000 containers: --cgroups 50 gives 50 series and one "other" per family. */
static void test_cardinality(void **state)
{
	enum { NR = 1000, MAX = 50 };
	struct vm_task_entry *t = calloc(NR, sizeof(*t));
	struct top_cgroup *cg = calloc(NR, sizeof(*cg));
	struct metrics_tally tally = { 0 };
	struct metrics_containers mc;
	struct top_snapshot s = { 0 };
	struct metrics m = { .version = "test" };
	struct prom_writer w;
	struct capture c;

	(void)state;
	assert_non_null(t);
	assert_non_null(cg);
	for (int i = 0; i < NR; i++) {
		cg[i].id = i + 1;
		snprintf(cg[i].path, sizeof(cg[i].path), "/system.slice/docker-%012x%052x.scope", i, 0);
		t[i].key.tgid = i + 1;
		t[i].key.cgroup = i + 1;
		t[i].stats.faults_kernel = i;
	}
	s.tasks = t;
	s.nr_tasks = NR;
	s.cgroups = cg;
	s.nr_cgroups = NR;
	assert_int_equal(metrics_tally_update(&tally, &s), 0);
	assert_int_equal(metrics_containers_build(&mc, &tally, MAX), 0);
	assert_int_equal(mc.nr, MAX);
	assert_int_equal(mc.folded, NR - MAX);
	m.containers = &mc;
	capture_begin(&c, &w, PROM_TEXT);
	assert_int_equal(metrics_write(&m, &w), 0);
	fclose(c.f);
	assert_int_equal(series_count(c.text, "kvas_container_tlb_flushes_total", NULL), MAX + 1);
	assert_int_equal(series_count(c.text, "kvas_container_handled_page_faults_total", NULL),
			 2 * (MAX + 1));
	free(c.text);
	metrics_containers_free(&mc);
	metrics_tally_free(&tally);
	free(t);
	free(cg);
}

/*
 * The direct map's changes: counted by the function hooked (an unknown kind
 * left out), pages as the events say, and no address or stack of an event
 * in the exposition; without attribution, method="none" and no counts.
 */
static void test_dmap_changes(void **state)
{
	struct metrics_dmap_changes d = { .method = "fentry" };
	struct dmap_change ch = {
		.addr = 0xffff888012345000ull, .kind = DMAP_CHANGE_CPA, .pages = 16,
		.stack = { 0xffffffff81234567ull, 0xffffffff81abcdefull },
	};
	struct metrics m = { .version = "test", .dmap_changes = &d };
	struct prom_writer w;
	struct capture c;

	(void)state;
	metrics_dmap_change_count(&d, &ch);
	metrics_dmap_change_count(&d, &ch);
	ch.kind = DMAP_CHANGE_INVALID;
	ch.pages = 1;
	metrics_dmap_change_count(&d, &ch);
	ch.kind = DMAP_NR_CHANGE_KINDS;
	metrics_dmap_change_count(&d, &ch);
	assert_int_equal(d.changes[DMAP_CHANGE_CPA], 2);
	assert_int_equal(d.pages[DMAP_CHANGE_CPA], 32);
	assert_int_equal(d.changes[DMAP_CHANGE_INVALID], 1);
	assert_int_equal(d.changes[DMAP_CHANGE_DEFAULT], 0);
	d.lost = 7;
	capture_begin(&c, &w, PROM_TEXT);
	assert_int_equal(metrics_write(&m, &w), 0);
	fclose(c.f);
	assert_non_null(strstr(c.text, "kvas_direct_map_change_attribution{method=\"fentry\"} 1\n"));
	assert_non_null(strstr(c.text,
		"kvas_direct_map_changes_total{function=\"__change_page_attr_set_clr\"} 2\n"
		"kvas_direct_map_changes_total{function=\"set_direct_map_invalid_noflush\"} 1\n"
		"kvas_direct_map_changes_total{function=\"set_direct_map_default_noflush\"} 0\n"));
	assert_non_null(strstr(c.text,
		"kvas_direct_map_changed_pages_total{function=\"__change_page_attr_set_clr\"} 32\n"));
	assert_non_null(strstr(c.text, "kvas_direct_map_change_events_lost_total 7\n"));
	assert_null(strstr(c.text, "ffff"));
	assert_null(strstr(c.text, "18446"));
	free(c.text);

	d = (struct metrics_dmap_changes){ .method = "none" };
	capture_begin(&c, &w, PROM_OPENMETRICS);
	assert_int_equal(metrics_write(&m, &w), 0);
	fclose(c.f);
	assert_non_null(strstr(c.text, "kvas_direct_map_change_attribution{method=\"none\"} 1\n"));
	assert_null(strstr(c.text, "# TYPE kvas_direct_map_changes"));
	assert_int_equal(series_count(c.text, "kvas_direct_map_changes_total", NULL), 0);
	assert_null(strstr(c.text, "kvas_direct_map_change_events_lost"));
	free(c.text);
}

/* tests/golden/NAME next to this file's tests/unit/ */
static void golden_path(char *buf, size_t len, const char *name)
{
	const char *unit = strstr(__FILE__, "tests/unit/");

	snprintf(buf, len, "%.*stests/golden/%s", unit ? (int)(unit - __FILE__) : 0,
		 __FILE__, name);
}

static void check_golden(const char *name, const char *text)
{
	char path[512], *want = NULL;
	size_t len = 0;
	FILE *f;

	golden_path(path, sizeof(path), name);
	if (getenv("KVAS_GOLDEN_UPDATE")) {
		f = fopen(path, "w");
		assert_non_null(f);
		fputs(text, f);
		fclose(f);
	}
	f = fopen(path, "r");
	if (!f)
		fail_msg("%s: cannot read the golden file (run from the repository's top)", path);
	assert_int_not_equal(getdelim(&want, &len, '\0', f), -1);
	fclose(f);
	assert_string_equal(text, want);
	free(want);
}

static void test_golden(void **state)
{
	static const struct { enum prom_format format; const char *file; } forms[] = {
		{ PROM_TEXT, "metrics.prom" }, { PROM_OPENMETRICS, "metrics.om" },
	};
	struct metrics_containers mc;
	struct metrics_check checks[3];
	struct metrics_dmap_changes dc;
	struct metrics_refreshed f;
	struct metrics m;

	(void)state;
	fixed_model(&m, &f, &mc, checks, &dc);
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		struct prom_writer w;
		struct capture c;

		capture_begin(&c, &w, forms[i].format);
		assert_int_equal(metrics_write(&m, &w), 0);
		fclose(c.f);
		check_golden(forms[i].file, c.text);
		free(c.text);
	}
	metrics_containers_free(&mc);
}

/*
 * Every counter of include/task_counters.h that names a family is in the
 * exposition, with the busiest container's own count: the table and the
 * writer agree without a list kept by hand here.
 */
static void test_counter_families(void **state)
{
	struct metrics_containers mc;
	struct metrics_check checks[3];
	struct metrics_dmap_changes dc;
	struct metrics_refreshed f;
	struct prom_writer w;
	struct metrics m;
	struct capture c;
	const struct metrics_container *top;
	char want[512];
	int families = 0;

	(void)state;
	fixed_model(&m, &f, &mc, checks, &dc);
	assert_true(mc.nr > 0);
	top = &mc.top[0];
	capture_begin(&c, &w, PROM_TEXT);
	assert_int_equal(metrics_write(&m, &w), 0);
	fclose(c.f);
#define TC_CHECK_FAMILY(field, json, prom, ...)						\
	if ((prom)[0]) {								\
		families++;								\
		snprintf(want, sizeof(want), "# TYPE %s_total counter\n", prom);	\
		if (!strstr(c.text, want))						\
			fail_msg("%s: no family %s_total", #field, prom);		\
		snprintf(want, sizeof(want),						\
			 "\n%s_total{runtime=\"%s\",container_id=\"%s\",pod_uid=\"%s\"} %llu\n", \
			 prom, top->runtime, top->id, top->pod_uid,			\
			 (unsigned long long)top->stats.field);				\
		if (!strstr(c.text, want))						\
			fail_msg("%s: expected the line%s", #field, want);		\
	}
	TASK_COUNTERS(TC_CHECK_FAMILY)
#undef TC_CHECK_FAMILY
	assert_true(families > 0);
	free(c.text);
	metrics_containers_free(&mc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_format),
		cmocka_unit_test(test_openmetrics_format),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_bad_names),
		cmocka_unit_test(test_accept),
		cmocka_unit_test(test_label_values),
		cmocka_unit_test(test_listen_addr),
		cmocka_unit_test(test_containers),
		cmocka_unit_test(test_cardinality),
		cmocka_unit_test(test_dmap_changes),
		cmocka_unit_test(test_golden),
		cmocka_unit_test(test_counter_families),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
