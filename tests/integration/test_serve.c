// SPDX-License-Identifier: GPL-2.0
/*
 * kvas serve: /metrics in both formats, linted by promtool and scanned for
 * anything like a kernel address; counters that rise by the pages this test
 * touches and the shootdowns it forces; per-container series of hand-made
 * docker-style cgroups, bounded by --cgroups while 1000 come and go; the
 * textfile; SIGHUP and SIGTERM; Debian's real Prometheus scraping it while
 * real runc containers (cri-o in a pod, docker) run the workload, with the
 * rules and every query of the Grafana dashboard; the systemd unit.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroup_cache.h"
#include "container.h"
#include "http_get.h"
#include "exposition.h"
#include "testlib.h"

#define PAGE 4096UL
#define TOUCH_PAGES 20000
#define SERVE_WAIT_MS 30000
/* Prometheus's first up == 1 takes 5-6 s here (DESIGN.md) */
#define PROMETHEUS_WAIT_MS 60000
/* A skip says why, and is counted. */
#define SKIP_BECAUSE(why) do { print_message("skipped: %s\n", why); skip(); } while (0)
#define OPENMETRICS "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5"

/* kvas serve in the background, on a port of its own. */
struct serve {
	struct bg_kvas bg;
	uint16_t port;
};

static bool have_program(const char *name)
{
	char cmd[160];

	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", name);
	return system(cmd) == 0;
}

/* GET /metrics (accept may be NULL); the body, or NULL unless a 200. */
static char *scrape(uint16_t port, const char *accept)
{
	struct http_answer a;
	char *body;

	if (http_request(port, "GET", "/metrics", accept, &a) || a.status != 200) {
		http_answer_free(&a);
		return NULL;
	}
	body = a.body;
	a.body = NULL;
	http_answer_free(&a);
	return body;
}

/* Served, with the first refresh (walk, audit) in. */
static bool serving(void *arg)
{
	char *m = scrape(*(uint16_t *)arg, NULL);
	bool ok = m && strstr(m, "\nkvas_refresh_timestamp_seconds ");

	free(m);
	return ok;
}

static void serve_start(struct serve *s, const char *const *extra)
{
	char listen[32];
	const char *args[16] = { "serve", "--listen", listen };
	int n = 3;

	s->port = free_tcp_port();
	assert_int_not_equal(s->port, 0);
	snprintf(listen, sizeof(listen), "127.0.0.1:%u", s->port);
	for (int i = 0; extra && extra[i] && n < 15; i++)
		args[n++] = extra[i];
	args[n] = NULL;
	assert_int_equal(bg_kvas_start(&s->bg, args), 0);
	if (!wait_until(serving, &s->port, SERVE_WAIT_MS)) {
		char *err = bg_kvas_stderr(&s->bg);

		fail_msg("kvas serve did not answer on port %u: %s", s->port, err);
	}
}

/* SIGTERM: exit 0, nothing left attached. */
static void serve_stop(struct serve *s)
{
	int status = bg_kvas_wait(&s->bg, SIGTERM);

	if (status) {
		char *err = bg_kvas_stderr(&s->bg);

		fail_msg("kvas serve exited %d: %s", status, err);
	}
	bg_kvas_cleanup(&s->bg);
	assert_int_equal(wait_no_kvas_progs(), 0);
}

/*
 * Anything that looks like a kernel address: "0xffff...", a word of 16 hex
 * digits starting with ff (4- and 5-level kernel halves), or a number at or
 * above 0xff00000000000000 in any notation. The first one found, or NULL.
 */
static const char *kernel_address_in(const char *text)
{
	for (const char *p = text; *p; p++) {
		size_t hex = strspn(p, "0123456789abcdefABCDEF");
		char *end;
		double v;

		/* inside a word, a number or a uuid: looked at from its start */
		if (p != text && (isalnum((unsigned char)p[-1]) || p[-1] == '_' || p[-1] == '.' ||
				  p[-1] == '-'))
			continue;
		if (!strncasecmp(p, "0xff", 4))
			return p;
		if (hex >= 16 && !strncasecmp(p, "ff", 2))
			return p;
		if (*p >= '0' && *p <= '9') {
			v = strtod(p, &end);
			/*
			 * a number only if it is the whole word: "3e3783b01201" is
			 * an id, and "3e62" in a pod uid is a piece of one
			 */
			if (v >= (double)0xff00000000000000ULL && !isalnum((unsigned char)*end) &&
			    *end != '_' && *end != '-')
				return p;
		}
	}
	return NULL;
}

static void assert_no_secret(const char *what, const char *text)
{
	const char *hit = kernel_address_in(text);

	if (hit)
		fail_msg("%s: something like a kernel address: %.60s", what, hit);
}

/* The scan itself catches what it must, so that a pass means something. */
static void test_secret_scan(void **state)
{
	(void)state;
	assert_non_null(kernel_address_in("x{a=\"0xffff888000000000\"} 1"));
	assert_non_null(kernel_address_in("x{a=\"ffffffff81000000\"} 1"));
	assert_non_null(kernel_address_in("x{a=\"ff11000000000000\"} 1"));
	assert_non_null(kernel_address_in("x 18446612682702848000"));
	assert_non_null(kernel_address_in("x 1.8446612682702848e+19"));
	assert_null(kernel_address_in("x_total{pages=\"16384+\"} 123456789\n"
				      "kvas_refresh_timestamp_seconds 1795664778.5245595\n"
				      "y{container_id=\"4f1c2d3e4b5a\"} 1\n"
				      "y{container_id=\"3e3783b01201\"} 1\n"
				      "y{pod_uid=\"b89c78f0-828e-31b6-3e62-0946bf92ccff\"} 1\n"
				      "y{pod_uid=\"3e40aa00-828e-31b6-0946-0946bf92ccff\"} 1"));
}

/* promtool's lint of the text format: NULL when clean, else its words. */
static char *promtool_lint(const char *text)
{
	char path[] = "/tmp/kvas-test-metrics-XXXXXX", cmd[200], *out = NULL;
	int fd = mkstemp(path);
	size_t len = 0;
	FILE *p;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	snprintf(cmd, sizeof(cmd), "promtool check metrics < %s 2>&1; echo status=$?", path);
	p = popen(cmd, "r");
	assert_non_null(p);
	getdelim(&out, &len, '\0', p);
	pclose(p);
	unlink(path);
	if (out && strstr(out, "status=0\n") && strlen(out) == strlen("status=0\n")) {
		free(out);
		return NULL;
	}
	return out ? out : strdup("promtool gave nothing");
}

static void assert_lint_clean(const char *text)
{
	char *lint;

	if (!have_program("promtool"))
		return;	/* scripts/install-deps test installs it; test_prometheus skips and says so */
	lint = promtool_lint(text);
	if (lint)
		fail_msg("promtool check metrics: %s", lint);
}

/*
 * promtool check metrics reads only the text format; OpenMetrics goes
 * through Prometheus's own OpenMetrics parser, the one its scrapes use, in
 * promtool tsdb create-blocks-from openmetrics. That wants a timestamp on
 * every sample, so each sample line gets one; all else is read as served.
 * NULL when it reads every sample, else promtool's words.
 */
static char *promtool_read_openmetrics(const char *om, size_t samples)
{
	char dir[] = "/tmp/kvas-test-om-XXXXXX", path[64], cmd[400], *out = NULL, want[64];
	size_t len = 0;
	FILE *f, *p;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/metrics.om", dir);
	f = fopen(path, "we");
	assert_non_null(f);
	for (const char *line = om; *line; ) {
		size_t n = strcspn(line, "\n");

		fprintf(f, line[0] == '#' ? "%.*s\n" : "%.*s 1700000000\n", (int)n, line);
		line += n + (line[n] == '\n');
	}
	assert_int_equal(fclose(f), 0);
	snprintf(cmd, sizeof(cmd), "promtool tsdb create-blocks-from openmetrics %s %s/blocks"
		 " 2>&1; echo status=$?; rm -rf %s", path, dir, dir);
	p = popen(cmd, "r");
	assert_non_null(p);
	getdelim(&out, &len, '\0', p);
	pclose(p);
	/* the block's table counts the samples it read: all of them */
	snprintf(want, sizeof(want), " %zu ", samples);
	if (out && strstr(out, "status=0\n") && strstr(out, want)) {
		free(out);
		return NULL;
	}
	return out ? out : strdup("promtool gave nothing");
}

/* Samples in an exposition: its lines that are no comment. */
static size_t sample_lines(const char *text)
{
	size_t n = 0;

	for (const char *line = text; *line; line += strcspn(line, "\n") + 1) {
		n += line[0] != '#' && line[0] != '\n';
		if (!line[strcspn(line, "\n")])
			break;
	}
	return n;
}

static void assert_openmetrics_read(const char *om)
{
	char *err;

	if (!have_program("promtool"))
		return;	/* scripts/install-deps test installs it; test_prometheus skips and says so */
	err = promtool_read_openmetrics(om, sample_lines(om));
	if (err)
		fail_msg("promtool tsdb create-blocks-from openmetrics (%zu samples): %s",
			 sample_lines(om), err);
}

static void assert_answer(uint16_t port, const char *method, const char *path, int status,
			  const char *header)
{
	struct http_answer a;

	assert_int_equal(http_request(port, method, path, NULL, &a), 0);
	if (a.status != status || (header && !strcasestr(a.headers, header)))
		fail_msg("%s %s: %d (expected %d with %s): %s", method, path, a.status, status,
			 header ? header : "-", a.headers);
	if (!strcmp(method, "HEAD"))
		assert_int_equal(a.body_len, 0);
	http_answer_free(&a);
}

/* Touch fresh pages of an anonymous mapping: that many user faults at least. */
static void touch_pages(long pages)
{
	char *p = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);

	assert_true(p != MAP_FAILED);
	/* one fault a page: no transparent huge page may serve 512 at once */
	assert_int_equal(madvise(p, pages * PAGE, MADV_NOHUGEPAGE), 0);
	for (long i = 0; i < pages; i++)
		p[i * PAGE] = 1;
	munmap(p, pages * PAGE);
}

struct rise {
	uint16_t port;
	const char *name, *filter;
	double at_least;
	double seen;
};

static bool risen(void *arg)
{
	struct rise *r = arg;
	char *m = scrape(r->port, NULL);

	r->seen = m ? sample_sum(m, r->name, r->filter) : NAN;
	free(m);
	return r->seen >= r->at_least;
}

/* Wait for the samples to rise from from by by at least: what they came to. */
static double assert_rises(uint16_t port, const char *name, const char *filter, double from,
			   double by)
{
	struct rise r = { port, name, filter, from + by, NAN };

	if (!wait_until(risen, &r, SERVE_WAIT_MS))
		fail_msg("%s{%s} went from %.0f to %.0f, expected at least +%.0f", name,
			 filter ? filter : "", from, r.seen, by);
	return r.seen;
}

static void test_usage(void **state)
{
	(void)state;
	assert_int_equal(expect_usage_error((const char *const[]){ "serve", "--listen", "nonsense", NULL }), 0);
	assert_int_equal(expect_usage_error((const char *const[]){ "serve", "--listen", "127.0.0.1:0", NULL }), 0);
	assert_int_equal(expect_usage_error((const char *const[]){ "serve", "--listen", "::1:80", NULL }), 0);
	assert_int_equal(expect_usage_error((const char *const[]){ "serve", "--containers", "10001", NULL }), 0);
	assert_int_equal(expect_usage_error((const char *const[]){ "serve", "--textfile", "/nonexistent-kvas-dir", NULL }), 0);
	assert_int_equal(expect_usage_error((const char *const[]){ "serve", "extra", NULL }), 0);
}


#define STORM_IPIS	500		/* what the kernel must count, where it sends IPIs */

/* Both formats, the HTTP rules, counters that rise by what this test did, SIGHUP, SIGTERM. */
static void test_metrics(void **state)
{
	struct serve s;
	char *text, *om;
	double faults, sent, stamp, ipis, requests;
	char method[64];

	(void)state;
	host_flushes_by_ipi();	/* its own storm, before serve counts */
	serve_start(&s, (const char *const[]){ "--interval", "60", NULL });
	text = scrape(s.port, NULL);
	om = scrape(s.port, OPENMETRICS);
	assert_non_null(text);
	assert_non_null(om);
	assert_lint_clean(text);
	assert_openmetrics_read(om);
	assert_no_secret("text format", text);
	assert_no_secret("OpenMetrics", om);
	assert_non_null(strstr(text, "# TYPE kvas_handled_page_faults_total counter\n"));
	assert_non_null(strstr(om, "# TYPE kvas_handled_page_faults counter\n"));
	assert_non_null(strstr(om, "# TYPE kvas_build info\n"));
	assert_true(strlen(om) > 6 && !strcmp(om + strlen(om) - 6, "# EOF\n"));
	assert_null(strstr(text, "# EOF"));
	/* what the walk and the audit give, and the build */
	assert_true(sample_sum(text, "kvas_direct_map_pages", NULL) > 0);
	assert_true(series_count(text, "kvas_audit_check", "result=") > 10);
	assert_int_equal(series_count(text, "kvas_kaslr_active", NULL), 2);
	assert_int_equal(series_count(text, "kvas_build_info", "version=\""), 1);
	assert_answer(s.port, "GET", "/metrics", 200, "Content-Type: text/plain; version=0.0.4");
	assert_answer(s.port, "HEAD", "/metrics", 200, NULL);
	assert_answer(s.port, "GET", "/", 200, "text/html");
	assert_answer(s.port, "GET", "/metrics/x", 404, NULL);
	assert_answer(s.port, "GET", "/debug", 404, NULL);
	assert_answer(s.port, "POST", "/metrics", 405, "Allow: GET, HEAD");
	assert_answer(s.port, "DELETE", "/", 405, NULL);

	faults = sample_sum(text, "kvas_handled_page_faults_total", NULL);
	sent = sample_sum(text, "kvas_tlb_shootdown_requests_sent_total", NULL);
	touch_pages(TOUCH_PAGES);
	ipis = (double)storm_for_host(STORM_IPIS, &requests);
	assert_rises(s.port, "kvas_handled_page_faults_total", NULL, faults, TOUCH_PAGES);
	/*
	 * Every IPI the kernel counted was asked for by a send (the storm's, or a
	 * few of the machine's own); a send to a CPU that needs no IPI is still a
	 * send: so sends are at least the IPIs, but for a margin. Where no IPI
	 * carries them, the storm's requests are known: two a round.
	 */
	if (requests) {
		double now = assert_rises(s.port, "kvas_tlb_shootdown_requests_sent_total", NULL,
					  sent, 0.85 * requests);

		if (!storm_requests_match(now - sent, requests, 50))
			fail_msg("serve counted %.0f requests for a storm of %.0f", now - sent,
				 requests);
	} else {
		assert_rises(s.port, "kvas_tlb_shootdown_requests_sent_total", NULL, sent,
			     0.9 * ipis - 20);
	}
	free(text);
	free(om);
	/* the method, judged from what the storm did */
	text = scrape(s.port, NULL);
	assert_non_null(text);
	assert_int_equal(series_count(text, "kvas_tlb_remote_flush_method_info", "method=\""), 1);
	assert_int_equal(sscanf(strstr(text, "kvas_tlb_remote_flush_method_info{method=\""),
				"kvas_tlb_remote_flush_method_info{method=\"%63[^\"]", method), 1);
	if (!remote_flush_method_fits(method))
		fail_msg("serve named the remote flush method %s on this host", method);
	free(text);

	/* SIGHUP refreshes the walk and the audit; no counter goes back */
	text = scrape(s.port, NULL);
	assert_non_null(text);
	faults = sample_sum(text, "kvas_handled_page_faults_total", NULL);
	stamp = sample_sum(text, "kvas_refresh_timestamp_seconds", NULL);
	free(text);
	assert_int_equal(kill(s.bg.pid, SIGHUP), 0);
	assert_rises(s.port, "kvas_refresh_timestamp_seconds", NULL, stamp, 1e-3);
	assert_rises(s.port, "kvas_handled_page_faults_total", NULL, faults, 0);
	assert_false(bg_kvas_ended(&s.bg));
	serve_stop(&s);
}

/* The textfile: whole, linted, rewritten every interval, nothing else left in DIR. */
struct textfile {
	char path[128];
	double stamp;
};

static bool textfile_newer(void *arg)
{
	struct textfile *t = arg;
	FILE *f = fopen(t->path, "r");
	char *text = NULL;
	size_t len = 0;
	double stamp;

	if (!f)
		return false;
	getdelim(&text, &len, '\0', f);
	fclose(f);
	stamp = text ? sample_sum(text, "kvas_refresh_timestamp_seconds", NULL) : 0;
	free(text);
	if (stamp <= t->stamp)
		return false;
	t->stamp = stamp;
	return true;
}

static void test_textfile(void **state)
{
	char dir[] = "/tmp/kvas-test-textfile-XXXXXX", *text = NULL;
	struct textfile t = { .stamp = 0 };
	struct bg_kvas bg;
	struct dirent *e;
	struct stat st;
	size_t len = 0;
	int entries = 0;
	DIR *d;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(t.path, sizeof(t.path), "%s/kvas.prom", dir);
	assert_int_equal(bg_kvas_start(&bg, (const char *const[]){ "serve", "--textfile", dir,
								   "-i", "1", NULL }), 0);
	assert_true(wait_until(textfile_newer, &t, SERVE_WAIT_MS));
	assert_true(wait_until(textfile_newer, &t, SERVE_WAIT_MS));	/* and again */
	assert_int_equal(bg_kvas_wait(&bg, SIGTERM), 0);
	bg_kvas_cleanup(&bg);
	assert_int_equal(wait_no_kvas_progs(), 0);
	f = fopen(t.path, "r");
	assert_non_null(f);
	getdelim(&text, &len, '\0', f);
	fclose(f);
	assert_lint_clean(text);
	assert_no_secret("textfile", text);
	assert_true(sample_sum(text, "kvas_handled_page_faults_total", NULL) > 0);
	free(text);
	/* node_exporter reads it as another user: no secret in it, so 0644 */
	assert_int_equal(stat(t.path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
	d = opendir(dir);
	assert_non_null(d);
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			entries++;
	closedir(d);
	assert_int_equal(entries, 1);	/* kvas.prom, no temporary file left */
	unlink(t.path);
	rmdir(dir);
}

/* Hand-made containers: docker-style scopes under a slice of this test's own. */
static char slice_dir[320];

static void slice_make(void)
{
	struct cgroup_cache cc;

	assert_int_equal(cgroup_cache_init(&cc), 0);
	snprintf(slice_dir, sizeof(slice_dir), "%s/kvas-test-%d.slice", cc.mount, getpid());
	cgroup_cache_free(&cc);
	assert_int_equal(mkdir(slice_dir, 0755), 0);
}

/* What a failed test left: its tenants (killed) and its cgroups. */
static pid_t tenants_alive[64];

static void slice_remove(void)
{
	char dir[400];
	struct dirent *e;
	DIR *d;

	for (size_t i = 0; i < sizeof(tenants_alive) / sizeof(tenants_alive[0]); i++) {
		if (tenants_alive[i] > 0) {
			kill(tenants_alive[i], SIGKILL);
			waitpid(tenants_alive[i], NULL, 0);
		}
		tenants_alive[i] = 0;
	}
	if (!slice_dir[0] || !(d = opendir(slice_dir)))
		return;
	while ((e = readdir(d))) {
		if (e->d_type != DT_DIR || e->d_name[0] == '.')
			continue;
		snprintf(dir, sizeof(dir), "%s/%s", slice_dir, e->d_name);
		rmdir(dir);
	}
	closedir(d);
	rmdir(slice_dir);
	slice_dir[0] = '\0';
}

/* The n-th container's cgroup, with its full and short id. */
static void container_dir(unsigned int n, char *dir, size_t len, char *short_id)
{
	char id[65];

	snprintf(id, sizeof(id), "%06x%06x%052d", getpid() & 0xffffff, n, 0);
	snprintf(short_id, 13, "%.12s", id);
	snprintf(dir, len, "%s/docker-%s.scope", slice_dir, id);
}

/* A process in cgroup dir that touched pages, then waits. */
struct tenant {
	pid_t pid;
	int release;		/* closing it lets the process exit */
	long pages;
};

/*
 * The work runs in a thread started after the move: kvas's programs keep a
 * thread's cgroup for a millisecond, and a thread that faulted just before
 * it moved would count its first faults in the old cgroup. (A container's
 * processes are created in their cgroup, or exec there.)
 */
static void *tenant_work(void *arg)
{
	struct tenant *t = arg;

	touch_pages(t->pages);
	return NULL;
}

static void tenant_start(struct tenant *t, const char *dir, long pages)
{
	int ready[2], release[2];
	char procs[400], b = 1;

	assert_int_equal(pipe(ready), 0);
	assert_int_equal(pipe(release), 0);
	snprintf(procs, sizeof(procs), "%s/cgroup.procs", dir);
	t->pid = fork();
	assert_true(t->pid >= 0);
	if (!t->pid) {
		FILE *f = fopen(procs, "w");

		close(ready[0]);
		close(release[1]);
		pthread_t worker;

		if (!f || fprintf(f, "0\n") < 0 || fclose(f))
			_exit(1);
		t->pages = pages;
		if (pthread_create(&worker, NULL, tenant_work, t) || pthread_join(worker, NULL))
			_exit(1);
		if (write(ready[1], &b, 1) != 1 || read(release[0], &b, 1) < 0)
			_exit(1);
		_exit(0);
	}
	close(ready[1]);
	close(release[0]);
	for (size_t i = 0; i < sizeof(tenants_alive) / sizeof(tenants_alive[0]); i++) {
		if (tenants_alive[i] <= 0) {
			tenants_alive[i] = t->pid;
			break;
		}
	}
	assert_int_equal(read(ready[0], &b, 1), 1);
	close(ready[0]);
	t->release = release[1];
}

/* The tenant exits: the faults the kernel counted in its whole life (its rusage). */
static long tenant_end(struct tenant *t)
{
	struct rusage ru;
	char b = 1;
	int status;

	/* a byte, not only the close: later tenants hold this pipe's end too */
	assert_int_equal(write(t->release, &b, 1), 1);
	close(t->release);
	assert_int_equal(wait4(t->pid, &status, 0, &ru), t->pid);
	for (size_t i = 0; i < sizeof(tenants_alive) / sizeof(tenants_alive[0]); i++)
		if (tenants_alive[i] == t->pid)
			tenants_alive[i] = 0;
	assert_int_equal(status, 0);
	return ru.ru_minflt + ru.ru_majflt;
}

struct container_query {
	uint16_t port;
	char filter[64];		/* container_id="..." */
	double faults;
	size_t series, folded;
};

static bool container_read(struct container_query *q)
{
	char *m = scrape(q->port, NULL);

	if (!m)
		return false;
	q->faults = sample_sum(m, "kvas_container_handled_page_faults_total", q->filter);
	q->series = series_count(m, "kvas_container_handled_page_faults_total", NULL);
	q->folded = sample_sum(m, "kvas_containers_folded", NULL);
	free(m);
	return true;
}

static bool container_faulted(void *arg)
{
	struct container_query *q = arg;

	return container_read(q) && q->faults >= TOUCH_PAGES;
}

static bool container_gone(void *arg)
{
	struct container_query *q = arg;

	return container_read(q) && !q->faults;
}

static bool no_containers(void *arg)
{
	struct container_query *q = arg;

	return container_read(q) && q->series == 0;
}

/*
 * A docker-named cgroup's process: its series names it; its counter rises
 * by the pages it touched, by no more than its start-up and 10% over them,
 * and does not fall when the process exits; the series goes with the cgroup.
 */
static void test_container_series(void **state)
{
	struct container_query q = { 0 };
	struct tenant t;
	struct serve s;
	char dir[400], short_id[13];
	double before;
	long life, startup;

	(void)state;
	slice_make();
	container_dir(1, dir, sizeof(dir), short_id);
	assert_int_equal(mkdir(dir, 0755), 0);
	serve_start(&s, NULL);
	q.port = s.port;
	snprintf(q.filter, sizeof(q.filter), "container_id=\"%s\"", short_id);
	tenant_start(&t, dir, TOUCH_PAGES);
	if (!wait_until(container_faulted, &q, SERVE_WAIT_MS))
		fail_msg("%s: %.0f faults, expected %d", q.filter, q.faults, TOUCH_PAGES);
	{
		char *m = scrape(s.port, NULL);
		char want[160];

		assert_non_null(m);
		snprintf(want, sizeof(want), "{runtime=\"docker\",container_id=\"%s\",pod_uid=\"\","
			 "type=\"minor\"}", short_id);
		assert_non_null(strstr(m, want));
		assert_no_secret("per-container series", m);
		free(m);
	}
	before = q.faults;
	life = tenant_end(&t);
	/*
	 * Its exit was in the kernel's books before wait4 returned: the first
	 * scrape since reads it, the second no longer finds the process. Both
	 * keep what it did; and all it did is what the kernel counted for its
	 * life (the pages and its start-up: fork, the move, its thread).
	 */
	startup = life > TOUCH_PAGES ? life - TOUCH_PAGES : 0;
	for (int i = 0; i < 2; i++) {
		assert_true(container_read(&q));
		if (q.faults < before)
			fail_msg("%s: %.0f faults before its process exited, %.0f after", q.filter,
				 before, q.faults);
		before = q.faults;
	}
	if (q.faults > 1.1 * TOUCH_PAGES + startup)
		fail_msg("%s: %.0f faults for %d pages touched and %ld of start-up", q.filter,
			 q.faults, TOUCH_PAGES, startup);
	print_message("%s: %.0f faults counted, the kernel's rusage %ld, %d pages touched\n",
		      q.filter, q.faults, life, TOUCH_PAGES);
	assert_int_equal(rmdir(dir), 0);
	assert_true(wait_until(container_gone, &q, SERVE_WAIT_MS));
	serve_stop(&s);
	slice_remove();
}

/*
 * 1000 containers come and go, 50 alive at a time, with --cgroups 5: each
 * container family stays at 5 series and one "other", the rest are counted
 * as folded, and once all are gone no container series is left. (How many
 * of a batch are folded depends on the kernel's task table still holding
 * their processes at a scrape: other work on the machine churns it.)
 */
#define CEILING_CGROUPS 5
#define CEILING_BATCH 50
#define CEILING_TOTAL 1000

static size_t folded_most;

static bool folded_enough(void *arg)
{
	struct container_query *q = arg;

	if (!container_read(q))
		return false;
	/* type minor and major: two series a container */
	if (q->series > 2 * (CEILING_CGROUPS + 1))
		fail_msg("%zu container series, above the ceiling %d", q->series,
			 2 * (CEILING_CGROUPS + 1));
	if (q->folded > folded_most)
		folded_most = q->folded;
	return q->folded >= 1;
}

static void test_series_ceiling(void **state)
{
	struct container_query q = { 0 };
	struct tenant t[CEILING_BATCH];
	char dirs[CEILING_BATCH][400], short_id[13];
	struct serve s;

	(void)state;
	slice_make();
	serve_start(&s, (const char *const[]){ "--containers", "5", NULL });
	q.port = s.port;
	for (int batch = 0; batch < CEILING_TOTAL / CEILING_BATCH; batch++) {
		for (int i = 0; i < CEILING_BATCH; i++) {
			container_dir(batch * CEILING_BATCH + i, dirs[i], sizeof(dirs[i]), short_id);
			assert_int_equal(mkdir(dirs[i], 0755), 0);
			tenant_start(&t[i], dirs[i], 16);
		}
		if (!wait_until(folded_enough, &q, SERVE_WAIT_MS))
			fail_msg("batch %d: none of %d live containers folded (%zu series)", batch,
				 CEILING_BATCH, q.series);
		for (int i = 0; i < CEILING_BATCH; i++) {
			tenant_end(&t[i]);
			assert_int_equal(rmdir(dirs[i]), 0);
		}
	}
	print_message("%d containers came and went, %d at a time; at most %d series a container"
		      " family, up to %zu folded into other\n", CEILING_TOTAL, CEILING_BATCH,
		      CEILING_CGROUPS + 1, folded_most);
	assert_true(wait_until(no_containers, &q, SERVE_WAIT_MS));
	serve_stop(&s);
	slice_remove();
}

/* Debian's prometheus, scraping kvas serve every second ------------------- */
struct prometheus {
	pid_t pid;
	uint16_t port;
	char dir[64];
};

/* The one a test runs, for its teardown to stop when the test failed. */
static struct prometheus running;

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void prometheus_start(struct prometheus *p, uint16_t target)
{
	char conf[128], rules[PATH_MAX + 64], cwd[PATH_MAX], a_conf[160], a_data[160], a_web[64],
	     log[128];
	FILE *f;

	snprintf(p->dir, sizeof(p->dir), "/tmp/kvas-test-prometheus-XXXXXX");
	assert_non_null(mkdtemp(p->dir));
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	snprintf(rules, sizeof(rules), "%s/deploy/prometheus/kvas.rules.yml", cwd);
	snprintf(conf, sizeof(conf), "%s/prometheus.yml", p->dir);
	f = fopen(conf, "w");
	assert_non_null(f);
	fprintf(f, "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
		"rule_files:\n  - %s\n"
		"scrape_configs:\n  - job_name: kvas\n    static_configs:\n"
		"      - targets: ['127.0.0.1:%u']\n", rules, target);
	assert_int_equal(fclose(f), 0);
	p->port = free_tcp_port();
	assert_int_not_equal(p->port, 0);
	snprintf(a_conf, sizeof(a_conf), "--config.file=%s", conf);
	snprintf(a_data, sizeof(a_data), "--storage.tsdb.path=%s/data", p->dir);
	snprintf(a_web, sizeof(a_web), "--web.listen-address=127.0.0.1:%u", p->port);
	snprintf(log, sizeof(log), "%s/log", p->dir);
	p->pid = fork();
	assert_true(p->pid >= 0);
	if (!p->pid) {
		FILE *l = freopen(log, "w", stderr);

		if (l)
			dup2(fileno(l), 1);
		execlp("prometheus", "prometheus", a_conf, a_data, a_web, (char *)NULL);
		_exit(127);
	}
}

static void prometheus_stop(struct prometheus *p)
{
	int status;

	if (p->pid > 0) {
		kill(p->pid, SIGTERM);
		waitpid(p->pid, &status, 0);
		p->pid = 0;
	}
	nftw(p->dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* An instant query: its result array (caller decrefs), or NULL. */
static json_t *prom_query(uint16_t port, const char *query)
{
	char *enc = url_encode(query), path[4096];
	struct http_answer a;
	json_t *root, *result = NULL;

	assert_non_null(enc);
	snprintf(path, sizeof(path), "/api/v1/query?query=%s", enc);
	free(enc);
	if (http_request(port, "GET", path, NULL, &a) || a.status != 200) {
		http_answer_free(&a);
		return NULL;
	}
	root = json_loads(a.body, 0, NULL);
	http_answer_free(&a);
	if (root && !strcmp(json_string_value(json_object_get(root, "status")) ?: "", "success"))
		result = json_incref(json_object_get(json_object_get(root, "data"), "result"));
	json_decref(root);
	return result;
}

struct promql {
	uint16_t port;
	const char *query;
	double at_least;	/* the first sample's value; NAN: any data will do */
	double seen;
	size_t series;
};

static bool promql_holds(void *arg)
{
	struct promql *q = arg;
	json_t *r = prom_query(q->port, q->query);
	const char *v;

	q->series = r ? json_array_size(r) : 0;
	q->seen = NAN;
	if (q->series) {
		v = json_string_value(json_array_get(json_object_get(json_array_get(r, 0), "value"), 1));
		q->seen = v ? strtod(v, NULL) : NAN;
	}
	json_decref(r);
	return q->series && (isnan(q->at_least) || q->seen >= q->at_least);
}

static void assert_promql(uint16_t port, const char *query, double at_least, int timeout_ms)
{
	struct promql q = { port, query, at_least, NAN, 0 };

	if (!wait_until(promql_holds, &q, timeout_ms))
		fail_msg("%s: %zu series, first %.1f, expected %s %.0f", query, q.series, q.seen,
			 isnan(at_least) ? "any data" : "at least", at_least);
}

/* A dashboard query as Grafana sends it, for every job and instance. */
static char *dashboard_query(const char *expr)
{
	static const struct { const char *var, *value; } vars[] = {
		{ "$__rate_interval", "1m" }, { "$job", ".+" }, { "$instance", ".+" },
	};
	char *q = strdup(expr);

	for (size_t i = 0; q && i < sizeof(vars) / sizeof(vars[0]); i++) {
		char *at;

		while ((at = strstr(q, vars[i].var))) {
			char *n;

			if (asprintf(&n, "%.*s%s%s", (int)(at - q), q, vars[i].value,
				     at + strlen(vars[i].var)) < 0)
				n = NULL;
			free(q);
			q = n;
			if (!q)
				break;
		}
	}
	return q;
}

/*
 * Real containers, run by runc (tests/lib/container.c): cri-o's naming
 * under Kubernetes (a pod) and Docker's, both with the systemd driver.
 */
static const enum container_naming runc_namings[] = {
	NAMING_CRIO_K8S_SYSTEMD, NAMING_DOCKER_SYSTEMD,
};
#define RUNC_CONTAINERS (sizeof(runc_namings) / sizeof(runc_namings[0]))

/* The test's containers, for its teardown to remove when it failed. */
static struct container runc_ctrs[RUNC_CONTAINERS];

/* The labels of a container's series, as kvas serve writes them. */
static void container_selector(const struct container *c, char *out, size_t len)
{
	snprintf(out, len, "runtime=\"%s\",container_id=\"%s\",pod_uid=\"%s\"", c->runtime,
		 c->short_id, c->pod_uid);
}


/* The /metrics line that has filter in it, for the log. */
static void print_sample(const char *text, const char *filter)
{
	const char *at = strstr(text, filter), *bol;

	if (!at)
		return;
	for (bol = at; bol > text && bol[-1] != '\n'; bol--)
		;
	print_message("%.*s\n", (int)(strchrnul(at, '\n') - bol), bol);
}

static void test_prometheus(void **state)
{
	char workload[512], sel[RUNC_CONTAINERS][128], user[RUNC_CONTAINERS][144], query[512], *m;
	double faults[RUNC_CONTAINERS], sent[RUNC_CONTAINERS], all_sent = 0;
	const char *const argv[] = { "program", NULL };
	struct prometheus *p = &running;
	json_t *dash, *panel, *target;
	struct serve s;
	size_t i, j, k, queries = 0;

	(void)state;
	if (!have_program("prometheus") || !have_program("promtool"))
		SKIP_BECAUSE("no prometheus/promtool: scripts/install-deps test installs Debian's prometheus");
	assert_int_equal(container_workload(workload, sizeof(workload)), 0);
	serve_start(&s, NULL);
	prometheus_start(p, s.port);
	assert_promql(p->port, "up{job=\"kvas\"} == 1", 1, PROMETHEUS_WAIT_MS);

	/*
	 * The containers start after Prometheus's first scrape, and touch a
	 * page first: their series are in Prometheus before the pages that
	 * increase() must see.
	 */
	for (k = 0; k < RUNC_CONTAINERS; k++) {
		struct container *c = &runc_ctrs[k];

		if (container_start(c, runc_namings[k], workload, argv))
			fail_msg("runc could not start a container as %s",
				 container_naming_name(runc_namings[k]));
		print_message("%s: %s\n", container_naming_name(runc_namings[k]), c->cgroup);
		container_selector(c, sel[k], sizeof(sel[k]));
		snprintf(user[k], sizeof(user[k]), "%.127s,type=\"minor\"", sel[k]);
		assert_int_equal(container_touch(c, 1, 3, SERVE_WAIT_MS), 0);
		snprintf(query, sizeof(query), "kvas_container_handled_page_faults_total{%s}", user[k]);
		assert_promql(p->port, query, NAN, PROMETHEUS_WAIT_MS);
	}
	m = scrape(s.port, NULL);
	assert_non_null(m);
	for (k = 0; k < RUNC_CONTAINERS; k++) {
		faults[k] = sample_sum(m, "kvas_container_handled_page_faults_total", user[k]);
		sent[k] = sample_sum(m, "kvas_container_tlb_shootdown_requests_sent_total", sel[k]);
	}
	free(m);

	/* the workload in each: pages touched, shootdowns forced */
	for (k = 0; k < RUNC_CONTAINERS; k++)
		assert_int_equal(container_touch(&runc_ctrs[k], TOUCH_PAGES, 3, SERVE_WAIT_MS), 0);

	/* kvas serve's /metrics names each container and counts what it did */
	for (k = 0; k < RUNC_CONTAINERS; k++) {
		assert_rises(s.port, "kvas_container_handled_page_faults_total", user[k], faults[k],
			     TOUCH_PAGES);
		/* rose: a round sends a request only if CPU 1 runs the spinner meanwhile */
		sent[k] = assert_rises(s.port, "kvas_container_tlb_shootdown_requests_sent_total",
				       sel[k], sent[k], 1);
		all_sent += sent[k];
	}
	m = scrape(s.port, NULL);
	assert_non_null(m);
	print_sample(m, user[0]);
	assert_no_secret("runc containers' series", m);
	free(m);

	/*
	 * and so does Prometheus: increase() of each container's faults by the
	 * pages, its shootdown requests as many as /metrics showed, and the
	 * host's counters (from before the containers) at least all of theirs
	 */
	assert_promql(p->port, "sum(increase(kvas_handled_page_faults_total[5m]))",
		      RUNC_CONTAINERS * TOUCH_PAGES, PROMETHEUS_WAIT_MS);
	assert_promql(p->port, "sum(increase(kvas_tlb_shootdown_requests_sent_total[5m]))",
		      all_sent, PROMETHEUS_WAIT_MS);
	for (k = 0; k < RUNC_CONTAINERS; k++) {
		snprintf(query, sizeof(query),
			 "sum(increase(kvas_container_handled_page_faults_total{%s}[5m]))", user[k]);
		assert_promql(p->port, query, TOUCH_PAGES, PROMETHEUS_WAIT_MS);
		snprintf(query, sizeof(query),
			 "sum(kvas_container_tlb_shootdown_requests_sent_total{%s})", sel[k]);
		assert_promql(p->port, query, sent[k], PROMETHEUS_WAIT_MS);
	}
	/* the recording rules evaluate */
	assert_promql(p->port, "instance:kvas_direct_map_4k_share:ratio", NAN, PROMETHEUS_WAIT_MS);
	assert_promql(p->port, "instance:kvas_handled_page_faults:rate1m", NAN, PROMETHEUS_WAIT_MS);

	/* every query of the dashboard returns data from this Prometheus */
	dash = json_load_file("deploy/grafana/kvas.json", 0, NULL);
	assert_non_null(dash);
	assert_string_equal(json_string_value(json_object_get(dash, "uid")), "kvas-serve-v1");
	json_array_foreach(json_object_get(dash, "panels"), i, panel) {
		json_array_foreach(json_object_get(panel, "targets"), j, target) {
			char *q = dashboard_query(json_string_value(json_object_get(target, "expr")));

			assert_non_null(q);
			assert_promql(p->port, q, NAN, PROMETHEUS_WAIT_MS);
			free(q);
			queries++;
		}
	}
	print_message("%zu dashboard queries returned data\n", queries);
	json_decref(dash);

	/* the containers go, and their series with them */
	for (k = 0; k < RUNC_CONTAINERS; k++) {
		struct container_query q = { .port = s.port };

		container_remove(&runc_ctrs[k]);
		assert_false(container_cgroups_left(&runc_ctrs[k]));
		snprintf(q.filter, sizeof(q.filter), "container_id=\"%s\"", runc_ctrs[k].short_id);
		assert_true(wait_until(container_gone, &q, SERVE_WAIT_MS));
	}
	prometheus_stop(p);
	serve_stop(&s);
}

/* promtool's own tests of the rules (deploy/prometheus/kvas.rules.test.yml). */
static void test_rules(void **state)
{
	(void)state;
	if (!have_program("promtool"))
		SKIP_BECAUSE("no promtool: scripts/install-deps test installs Debian's prometheus");
	assert_int_equal(system("promtool check rules deploy/prometheus/kvas.rules.yml >/dev/null"), 0);
	assert_int_equal(system("cd deploy/prometheus && promtool test rules kvas.rules.test.yml"), 0);
}

/*
 * The unit passes systemd-analyze verify, with ExecStart pointing at this
 * build's kvas (verify checks that the binary exists).
 */
static void test_systemd_unit(void **state)
{
	char dir[] = "/tmp/kvas-test-unit-XXXXXX", unit[128], cmd[3 * PATH_MAX + 400], kvas[PATH_MAX];
	const char *k = getenv("KVAS") ? getenv("KVAS") : "./kvas";

	(void)state;
	if (!have_program("systemd-analyze"))
		SKIP_BECAUSE("no systemd-analyze: scripts/install-deps test installs systemd");
	assert_non_null(realpath(k, kvas));
	assert_non_null(mkdtemp(dir));
	snprintf(unit, sizeof(unit), "%s/kvas-serve.service", dir);
	snprintf(cmd, sizeof(cmd), "sed 's|^ExecStart=/usr/local/sbin/kvas |ExecStart=%s |' "
		 "deploy/kvas-serve.service > %s && grep -q '^ExecStart=%s serve' %s && "
		 "SYSTEMD_LOG_LEVEL=notice systemd-analyze verify %s", kvas, unit, kvas, unit, unit);
	assert_int_equal(system(cmd), 0);
	unlink(unit);
	rmdir(dir);
}

static int teardown(void **state)
{
	(void)state;
	bg_kvas_kill_all();
	slice_remove();
	return 0;
}

static int prometheus_teardown(void **state)
{
	if (running.pid > 0)
		prometheus_stop(&running);
	for (size_t k = 0; k < RUNC_CONTAINERS; k++)
		if (runc_ctrs[k].dir[0])
			container_remove(&runc_ctrs[k]);
	return teardown(state);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_secret_scan),
		cmocka_unit_test(test_usage),
		cmocka_unit_test_teardown(test_metrics, teardown),
		cmocka_unit_test_teardown(test_textfile, teardown),
		cmocka_unit_test_teardown(test_container_series, teardown),
		cmocka_unit_test_teardown(test_series_ceiling, teardown),
		cmocka_unit_test_teardown(test_prometheus, prometheus_teardown),
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_systemd_unit),
	};

	return run_root_suite("serve", tests, NULL, NULL);
}
