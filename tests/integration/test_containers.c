// SPDX-License-Identifier: GPL-2.0
/*
 * Real containers, run by runc (tests/lib/container.c), under each common
 * runtime's cgroup naming: kvas top (--by container, cgroup and pid), kvas
 * trace and kvas audit's tenants must name the runtime, the short id and
 * the pod uid, and count at least the pages the container's workload
 * touched under it, none of its events elsewhere. Then the filters by
 * container, and a host where cgroups come and go by the thousand.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "container.h"
#include "testlib.h"

#define PAGES 4096
#define WAIT_MS 30000

static struct container ctr;		/* the test's container, for the teardown */
static struct container other;		/* a second one, where a test needs it */
static char workload[512];		/* build/tests/container-workload */
static char comm[16];			/* the workload's name: this run's own */

/* The rows of one kind (processes, cgroups, containers) that match, summed: events. */
struct rows_sum {
	const char *array;
	bool (*match)(json_t *row);
	double faults, ipis;
	bool requests;		/* wait for the storm's requests too, not the faults alone */
};

static bool our_container(json_t *row)
{
	return !strcmp(json_str(row, "short_id"), ctr.short_id);
}

static bool our_cgroup(json_t *row)
{
	return !strcmp(json_str(row, "cgroup"), ctr.cgroup);
}

static bool our_pid(json_t *row)
{
	return (pid_t)json_num(row, "pid") == ctr.pid;
}

static void sum_rows(json_t *lines, struct rows_sum *s)
{
	size_t i, k;
	json_t *o, *row;

	s->faults = s->ipis = 0;
	json_array_foreach(lines, i, o)
		json_array_foreach(json_object_get(o, s->array), k, row)
			if (s->match(row)) {
				s->faults += json_num(row, "faults_per_s") * json_num(o, "interval_s");
				s->ipis += json_num(row, "tlb_requests_sent_per_s") * json_num(o, "interval_s");
			}
}

static bool rows_counted(const char *out, void *arg)
{
	struct rows_sum *s = arg;
	json_t *lines = json_lines_of(out);

	sum_rows(lines, s);
	json_decref(lines);
	/* the workload touches, then storms: the requests may come an interval later */
	return s->faults + 0.5 >= PAGES && (!s->requests || s->ipis > 0);
}

/* The workload's user faults in trace's lines. */
static size_t trace_faults(json_t *lines)
{
	size_t i, n = 0;
	json_t *o;

	json_array_foreach(lines, i, o)
		n += (pid_t)json_num(o, "pid") == ctr.pid && !strcmp(json_str(o, "event"), "fault-user");
	return n;
}

static bool trace_counted(const char *out, void *arg)
{
	json_t *lines = json_lines_of(out);
	size_t n = trace_faults(lines);

	(void)arg;
	json_decref(lines);
	return n >= PAGES;
}

/* Wait for cond on bg's output, end it, and return its lines (and its stderr, if err). */
static json_t *stop_reading(struct bg_kvas *bg, bool (*cond)(const char *, void *), void *arg,
			    char **err)
{
	json_t *lines;
	char *out;

	if (!bg_kvas_wait_output(bg, cond, arg, WAIT_MS))
		fprintf(stderr, "  (kvas did not show what the test waits for in %d s)\n",
			WAIT_MS / 1000);
	assert_int_equal(bg_kvas_wait(bg, SIGINT), 0);
	out = bg_kvas_stdout(bg);
	lines = json_lines_of(out);
	free(out);
	if (err)
		*err = bg_kvas_stderr(bg);
	bg_kvas_cleanup(bg);
	return lines;
}

static json_t *stop_when(struct bg_kvas *bg, bool (*cond)(const char *, void *), void *arg)
{
	return stop_reading(bg, cond, arg, NULL);
}

static void touch_pages_in(struct container *c)
{
	assert_int_equal(container_touch(c, PAGES, 3, WAIT_MS), 0);
}

static void touch_pages(void)
{
	touch_pages_in(&ctr);
}

static void start_container(enum container_naming n)
{
	const char *const argv[] = { "program", comm, NULL };

	if (container_start(&ctr, n, workload, argv))
		fail_msg("runc could not start a container as %s", container_naming_name(n));
	fprintf(stderr, "  %s: %s, pid %d\n", container_naming_name(n), ctr.cgroup, ctr.pid);
}

/* top --by container: one row for it, its runtime, id and pod; the pages. */
static void check_by_container(json_t *lines)
{
	struct rows_sum s = { .array = "containers", .match = our_container };
	size_t i, k;
	json_t *o, *row;

	json_array_foreach(lines, i, o) {
		json_array_foreach(json_object_get(o, "containers"), k, row) {
			if (!our_container(row))
				continue;
			assert_string_equal(json_str(row, "runtime"), ctr.runtime);
			assert_string_equal(json_str(row, "id"), ctr.id);
			assert_string_equal(json_str(row, "pod_uid"), ctr.pod_uid);
			assert_string_equal(json_str(row, "container"), ctr.label);
			assert_string_equal(json_str(row, "attribution"), "cgroup2");
		}
	}
	sum_rows(lines, &s);
	fprintf(stderr, "  top --by container: %.0f faults, %.0f shootdown IPIs sent\n",
		s.faults, s.ipis);
	assert_true(s.faults + 0.5 >= PAGES);
	assert_true(s.ipis > 0);
}

static bool our_cgroup_or_id(json_t *row)
{
	return our_cgroup(row) || strstr(json_str(row, "container"), ctr.short_id);
}

/*
 * top --by cgroup (every row of its cgroup or naming its id) and by pid
 * (every row of the workload's pid): in its cgroup, named as the container.
 */
static void check_rows(json_t *lines, const char *array, bool (*match)(json_t *row))
{
	struct rows_sum s = { .array = array, .match = match };
	size_t i, k;
	json_t *o, *row;

	json_array_foreach(lines, i, o)
		json_array_foreach(json_object_get(o, array), k, row)
			if (match(row)) {
				assert_string_equal(json_str(row, "cgroup"), ctr.cgroup);
				assert_string_equal(json_str(row, "container"), ctr.label);
			}
	sum_rows(lines, &s);
	assert_true(s.faults + 0.5 >= PAGES);
}

/* trace: every event of the workload names the container. */
static void check_trace(json_t *lines)
{
	size_t i, n = 0;
	json_t *o;

	json_array_foreach(lines, i, o) {
		if (!strcmp(json_str(o, "event"), "summary")) {
			assert_int_equal((int)json_num(o, "lost"), 0);
			continue;
		}
		if ((pid_t)json_num(o, "pid") != ctr.pid)
			continue;
		assert_string_equal(json_str(o, "cgroup"), ctr.cgroup);
		assert_string_equal(json_str(o, "container"), ctr.label);
		n++;
	}
	fprintf(stderr, "  trace: %zu events of the workload\n", n);
	assert_true(trace_faults(lines) >= PAGES);
}

/* audit: the container is a tenant by its label, with at least the pages. */
static void check_audit(void)
{
	static const char *const args[] = { "audit", "--json", "-d", "1", NULL };
	struct bg_kvas bg;
	const char *ev = NULL;
	double faults = -1, secs = -1;
	char cgroup[400], line[64], *out;
	size_t i;
	json_t *j, *f;

	assert_int_equal(bg_kvas_spawn(&bg, args), 0);
	/* the workload runs round after round, so the whole window has it */
	while (!bg_kvas_ended(&bg)) {
		assert_int_equal(container_send(&ctr, "touch 4096\n"), 0);
		assert_int_equal(container_read_line(&ctr, line, sizeof(line), WAIT_MS), 0);
	}
	assert_true(bg_kvas_wait(&bg, 0) <= 3);
	out = bg_kvas_stdout(&bg);
	j = json_loads(out, 0, NULL);
	free(out);
	bg_kvas_cleanup(&bg);
	assert_non_null(j);
	json_array_foreach(json_object_get(j, "findings"), i, f)
		if (!strcmp(json_str(f, "area"), "Tenants") && !strcmp(json_str(f, "id"), ctr.label))
			ev = json_str(f, "evidence");
	if (!ev)
		fail_msg("audit has no tenant %s", ctr.label);
	assert_int_equal(sscanf(ev, "cgroup %399[^:]: %lf page faults/s", cgroup, &faults), 2);
	assert_non_null(strstr(ev, "over "));
	assert_int_equal(sscanf(strstr(ev, "over "), "over %lf s", &secs), 1);
	fprintf(stderr, "  audit: tenant %s, %.0f faults in %.1f s\n", ctr.label, faults * secs,
		secs);
	assert_string_equal(cgroup, ctr.cgroup);
	assert_true(faults * secs + 0.5 >= PAGES);
	json_decref(j);
}

static void attribution(enum container_naming n)
{
	struct rows_sum cs = { .array = "containers", .match = our_container, .requests = true };
	struct rows_sum gs = { .array = "cgroups", .match = our_cgroup };
	struct rows_sum ps = { .array = "processes", .match = our_pid };
	struct bg_kvas by_ctr, by_cg, by_pid, trace;
	json_t *lines;

	start_container(n);
	assert_int_equal(bg_kvas_start(&by_ctr, (const char *const[]){ "top", "--json", "-i",
				       "0.5", "--by", "container", "--rows", "1000", NULL }), 0);
	assert_int_equal(bg_kvas_start(&by_cg, (const char *const[]){ "top", "--json", "-i",
				       "0.5", "--by", "cgroup", "--rows", "1000", NULL }), 0);
	assert_int_equal(bg_kvas_start(&by_pid, (const char *const[]){ "top", "--json", "-i",
				       "0.5", "--rows", "1000", NULL }), 0);
	assert_int_equal(bg_kvas_start(&trace, (const char *const[]){ "trace", "--json", "--comm",
				       comm, NULL }), 0);
	touch_pages();

	lines = stop_when(&by_ctr, rows_counted, &cs);
	check_by_container(lines);
	json_decref(lines);
	lines = stop_when(&by_cg, rows_counted, &gs);
	check_rows(lines, "cgroups", our_cgroup_or_id);
	json_decref(lines);
	lines = stop_when(&by_pid, rows_counted, &ps);
	check_rows(lines, "processes", our_pid);
	json_decref(lines);
	lines = stop_when(&trace, trace_counted, NULL);
	check_trace(lines);
	json_decref(lines);

	check_audit();
	container_remove(&ctr);
	assert_false(container_cgroups_left(&ctr));
}

static void test_docker_systemd(void **state) { (void)state; attribution(NAMING_DOCKER_SYSTEMD); }
static void test_docker_cgroupfs(void **state) { (void)state; attribution(NAMING_DOCKER_CGROUPFS); }
static void test_podman(void **state) { (void)state; attribution(NAMING_PODMAN); }
static void test_containerd(void **state) { (void)state; attribution(NAMING_CONTAINERD); }
static void test_crio_k8s_systemd(void **state) { (void)state; attribution(NAMING_CRIO_K8S_SYSTEMD); }
static void test_containerd_k8s_systemd(void **state)
{
	(void)state;
	attribution(NAMING_CONTAINERD_K8S_SYSTEMD);
}
static void test_k8s_cgroupfs(void **state) { (void)state; attribution(NAMING_K8S_CGROUPFS); }

/* Total faults of top's lines (all of them, not only the rows shown). */
static double total_faults(json_t *lines)
{
	double n = 0;
	size_t i;
	json_t *o;

	json_array_foreach(lines, i, o)
		n += json_num(json_object_get(o, "page_faults"), "per_s") * json_num(o, "interval_s");
	return n;
}

/*
 * --container, in the kernel: kvas starts before the container it names
 * (and says on stderr that nothing matches yet), and counts it from its
 * first event; another container, running before kvas, touches more pages
 * meanwhile and is neither in the rows nor in the totals.
 */
static void test_container_filters(void **state)
{
	const char *const argv[] = { "program", comm, NULL };
	struct rows_sum s = { .array = "containers", .match = our_container };
	struct bg_kvas top, trace;
	char prefix[16], *err;
	size_t i, n = 0;
	json_t *lines, *o;
	double total;

	(void)state;
	container_name(&ctr, NAMING_DOCKER_CGROUPFS);
	snprintf(prefix, sizeof(prefix), "%.10s", ctr.id);
	if (container_start(&other, NAMING_PODMAN, workload, argv))
		fail_msg("runc could not start a container");
	assert_int_equal(bg_kvas_start(&top, (const char *const[]){ "top", "--json", "-i", "0.5",
				       "--by", "container", "--container", prefix, NULL }), 0);
	assert_int_equal(bg_kvas_start(&trace, (const char *const[]){ "trace", "--json", "-C",
				       prefix, NULL }), 0);
	if (container_run(&ctr, workload, argv))
		fail_msg("runc could not start a container");
	fprintf(stderr, "  --container %s: %s; not %s\n", prefix, ctr.cgroup, other.cgroup);
	for (int round = 0; round < 4; round++)
		touch_pages_in(&other);
	touch_pages();

	lines = stop_reading(&top, rows_counted, &s, &err);
	assert_non_null(strstr(err, "no container matches --container yet"));
	free(err);
	json_array_foreach(lines, i, o) {
		json_t *row;
		size_t k;

		json_array_foreach(json_object_get(o, "containers"), k, row)
			assert_string_equal(json_str(row, "short_id"), ctr.short_id);
	}
	sum_rows(lines, &s);
	total = total_faults(lines);
	fprintf(stderr, "  top: %.0f faults of the container, %.0f in all\n", s.faults, total);
	assert_true(s.faults + 0.5 >= PAGES);
	/* the other's 4 x PAGES never reached the counters */
	assert_true(total < s.faults + 2 * PAGES);
	json_decref(lines);

	lines = stop_when(&trace, trace_counted, NULL);
	json_array_foreach(lines, i, o) {
		if (!strcmp(json_str(o, "event"), "summary"))
			continue;
		assert_string_equal(json_str(o, "container"), ctr.label);
		n++;
	}
	fprintf(stderr, "  trace: %zu events, all of the container\n", n);
	assert_true(trace_faults(lines) >= PAGES);
	json_decref(lines);

	container_remove(&ctr);
	container_remove(&other);
	assert_false(container_cgroups_left(&ctr) || container_cgroups_left(&other));
}

/* A usage error: a prefix shorter than 4 hex digits, or not hex. */
static void test_container_filter_usage(void **state)
{
	(void)state;
	assert_int_equal(expect_usage_error((const char *const[]){ "trace", "--container", "abc",
					    NULL }), 0);
	assert_int_equal(expect_usage_error((const char *const[]){ "top", "-C", "4f1c,xyz1",
					    NULL }), 0);
}

#define CHURN 1000
#define CHURN_INTERVAL 0.5
/* kvas's growth in resident memory over the churn that is still "bounded" */
#define CHURN_RSS_KB (8 * 1024)

static char churn_dir[400];

/* kvas's resident set, in kB (VmRSS of /proc/PID/status). */
static long rss_kb(pid_t pid)
{
	char path[64], line[256];
	long kb = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "re");
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "VmRSS: %ld kB", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb;
}

/* One short-lived cgroup: made, a process moved in that faults and exits, removed. */
static void churn_one(int i)
{
	char dir[480], procs[500];
	pid_t pid;
	int st;

	snprintf(dir, sizeof(dir), "%s/c%d", churn_dir, i);
	assert_int_equal(mkdir(dir, 0755), 0);
	snprintf(procs, sizeof(procs), "%s/cgroup.procs", dir);
	pid = fork();
	if (!pid) {
		FILE *f = fopen(procs, "we");

		if (!f || fputs("0", f) < 0 || fclose(f))
			_exit(1);
		/* events from inside it: kvas must look its id up */
		force_shootdowns(1);
		_exit(0);
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	/* the cgroup empties as its last process is reaped; rmdir may race that */
	for (int tries = 0; rmdir(dir) && errno == EBUSY && tries < 1000; tries++)
		poll(NULL, 0, 1);
	assert_false(access(dir, F_OK) == 0);
}

static bool intervals_at_least(const char *out, void *arg)
{
	json_t *lines = json_lines_of(out);
	bool enough = json_array_size(lines) >= *(size_t *)arg;

	json_decref(lines);
	return enough;
}

static json_t *cache_of(json_t *line, const char *key)
{
	return json_object_get(json_object_get(line, "cgroup_cache"), key);
}

/*
 * 1000 cgroups made and removed during kvas top: its memory and its cgroup
 * cache stay bounded, and no interval takes longer than twice its length.
 */
static void test_cgroup_churn(void **state)
{
	struct bg_kvas bg;
	size_t want, i;
	long rss0, rss1;
	double prev_t = 0, worst = 0;
	json_t *lines, *o, *first, *last;
	char mount[256] = "";
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[1024];

	(void)state;
	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, " - cgroup2 "))
			sscanf(line, "%*s %*s %*s %*s %255s", mount);
	if (f)
		fclose(f);
	assert_true(mount[0]);
	snprintf(churn_dir, sizeof(churn_dir), "%s/kvas-churn-%d", mount, getpid());
	assert_int_equal(mkdir(churn_dir, 0755), 0);

	assert_int_equal(bg_kvas_start(&bg, (const char *const[]){ "top", "--json", "-i", "0.5",
				       "--by", "cgroup", NULL }), 0);
	want = 2;
	assert_true(bg_kvas_wait_output(&bg, intervals_at_least, &want, WAIT_MS));
	rss0 = rss_kb(bg.pid);
	for (int k = 0; k < CHURN; k++)
		churn_one(k);
	/* three more intervals: the cache has rescanned since the last cgroup went */
	{
		char *out = bg_kvas_lines(&bg);
		json_t *now = json_lines_of(out);

		want = json_array_size(now) + 3;
		json_decref(now);
		free(out);
	}
	assert_true(bg_kvas_wait_output(&bg, intervals_at_least, &want, WAIT_MS));
	rss1 = rss_kb(bg.pid);
	lines = stop_when(&bg, intervals_at_least, &want);
	assert_int_equal(rmdir(churn_dir), 0);
	churn_dir[0] = '\0';

	json_array_foreach(lines, i, o) {
		double t = json_num(o, "unix_time");

		if (i && t - prev_t > worst)
			worst = t - prev_t;
		prev_t = t;
		assert_true(json_num(o, "interval_s") <= 2 * CHURN_INTERVAL);
	}
	first = json_array_get(lines, 0);
	last = json_array_get(lines, json_array_size(lines) - 1);
	fprintf(stderr, "  %d cgroups: kvas RSS %ld -> %ld kB; cache %lld -> %lld entries,"
		" %lld unknown, %lld misses, %lld scans; longest interval %.2f s\n", CHURN, rss0,
		rss1, json_integer_value(cache_of(first, "entries")),
		json_integer_value(cache_of(last, "entries")),
		json_integer_value(cache_of(last, "negative")),
		json_integer_value(cache_of(last, "misses")),
		json_integer_value(cache_of(last, "scans")), worst);
	assert_true(rss0 > 0 && rss1 > 0);
	assert_true(rss1 - rss0 < CHURN_RSS_KB + kvas_sanitizer_rss_kb());
	/* the gone cgroups left the cache; others' tests may add a few meanwhile */
	assert_true(json_integer_value(cache_of(last, "entries")) <
		    json_integer_value(cache_of(first, "entries")) + 100);
	assert_true(json_integer_value(cache_of(last, "negative")) <= 4096);
	assert_true(worst <= 2 * CHURN_INTERVAL);
	json_decref(lines);
}

static char v1_dirs[2][400];		/* memory:/docker and /docker/<id>, if made */
static pid_t v1_child;			/* the process in it */

/* The v1 memory hierarchy's mount point, or "" on a pure v2 host. */
static void v1_memory_mount(char *out, size_t len)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[1024], mnt[256], opts[512];

	out[0] = '\0';
	while (f && fgets(line, sizeof(line), f)) {
		char *sep = strstr(line, " - cgroup ");

		if (sep && sscanf(sep, " - cgroup %*s %511s", opts) == 1 &&
		    sscanf(line, "%*s %*s %*s %*s %255s", mnt) == 1 &&
		    (strstr(opts, ",memory") || !strncmp(opts, "memory", 6)))
			snprintf(out, len, "%s", mnt);
	}
	if (f)
		fclose(f);
}

/*
 * Hybrid hosts: a process in the v2 root but in a docker-named v1 memory
 * cgroup (as Docker on cgroup v1 leaves it) is attributed to that
 * container, and the row says the v1 memory cgroup named it. trace names
 * it the same (cgroup and attribution), and takes that path for --cgroup.
 */
static void test_hybrid_v1_attribution(void **state)
{
	struct rows_sum s = { .array = "containers", .match = our_container };
	char mem[256], procs[480], v2[64] = "", b;
	int go[2], done[2];
	struct bg_kvas bg, trace;
	size_t i, k;
	json_t *lines, *traced, *o, *row;
	FILE *f;

	(void)state;
	v1_memory_mount(mem, sizeof(mem));
	f = fopen("/proc/self/cgroup", "re");
	while (f && fgets(procs, sizeof(procs), f))
		if (!strncmp(procs, "0::", 3))
			snprintf(v2, sizeof(v2), "%.60s", procs + 3);
	if (f)
		fclose(f);
	if (!mem[0] || strcmp(v2, "/\n")) {
		fprintf(stderr, "  skipped: needs a v1 memory hierarchy and this test in the v2 root\n");
		skip();
	}
	/* the naming, the id and the expected row, as a docker (cgroupfs) container */
	container_name(&ctr, NAMING_DOCKER_CGROUPFS);
	snprintf(v1_dirs[0], sizeof(v1_dirs[0]), "%s/docker", mem);
	snprintf(v1_dirs[1], sizeof(v1_dirs[1]), "%s%.300s", mem, ctr.cgroup);
	if (mkdir(v1_dirs[0], 0755))
		v1_dirs[0][0] = '\0';	/* it was there: not ours to remove */
	assert_int_equal(mkdir(v1_dirs[1], 0755), 0);
	snprintf(procs, sizeof(procs), "%s/cgroup.procs", v1_dirs[1]);
	assert_int_equal(pipe(go), 0);
	assert_int_equal(pipe(done), 0);
	ctr.pid = v1_child = fork();
	if (!ctr.pid) {
		char me[16], *p;

		close(go[1]);	/* the test's close is then our end of input */
		close(done[0]);
		snprintf(me, sizeof(me), "%d", getpid());
		f = fopen(procs, "we");
		if (!f || fputs(me, f) < 0 || fclose(f) || read(go[0], &b, 1) != 1)
			_exit(1);
		p = mmap(NULL, PAGES * 4096L, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			 -1, 0);
		madvise(p, PAGES * 4096L, MADV_NOHUGEPAGE);
		for (long n = 0; n < PAGES; n++)
			p[n * 4096] = 1;
		/* alive until the test has seen it */
		if (write(done[1], "x", 1) != 1 || read(go[0], &b, 1) < 0)
			_exit(1);
		_exit(0);
	}
	assert_true(ctr.pid > 0);
	assert_int_equal(bg_kvas_start(&bg, (const char *const[]){ "top", "--json", "-i", "0.5",
				       "--by", "container", NULL }), 0);
	/* the path top prints for it (asserted below), given to trace */
	assert_int_equal(bg_kvas_start(&trace, (const char *const[]){ "trace", "--json",
				       "--cgroup", ctr.cgroup, "-e", "fault-user", NULL }), 0);
	assert_int_equal(write(go[1], "g", 1), 1);
	assert_int_equal(read(done[0], &b, 1), 1);
	lines = stop_when(&bg, rows_counted, &s);
	traced = stop_when(&trace, trace_counted, NULL);
	close(go[1]);
	waitpid(ctr.pid, NULL, 0);
	v1_child = 0;
	close(go[0]);
	close(done[0]);
	close(done[1]);

	json_array_foreach(lines, i, o)
		json_array_foreach(json_object_get(o, "containers"), k, row)
			if (our_container(row)) {
				assert_string_equal(json_str(row, "runtime"), "docker");
				assert_string_equal(json_str(row, "cgroup"), ctr.cgroup);
				assert_string_equal(json_str(row, "attribution"), "cgroup1:memory");
			}
	/* --cgroup let through that cgroup's events alone, named as top names them */
	json_array_foreach(traced, i, o) {
		if (!json_object_get(o, "cgroup"))
			continue;	/* the summary */
		assert_string_equal(json_str(o, "cgroup"), ctr.cgroup);
		assert_string_equal(json_str(o, "attribution"), "cgroup1:memory");
	}
	sum_rows(lines, &s);
	fprintf(stderr, "  v1 memory:%s, v2 /: %.0f faults under docker:%s (cgroup1:memory);"
		" trace --cgroup: %zu\n", ctr.cgroup, s.faults, ctr.short_id, trace_faults(traced));
	assert_true(s.faults + 0.5 >= PAGES);
	assert_true(trace_faults(traced) >= PAGES);
	json_decref(lines);
	json_decref(traced);
}

/* Whatever a failed test left: its kvas processes, its container, its cgroups. */
static int teardown(void **state)
{
	(void)state;
	bg_kvas_kill_all();
	if (ctr.dir[0])
		container_remove(&ctr);
	if (other.dir[0])
		container_remove(&other);
	if (v1_child > 0) {
		kill(v1_child, SIGKILL);
		waitpid(v1_child, NULL, 0);
		v1_child = 0;
	}
	for (int i = 1; i >= 0; i--)
		if (v1_dirs[i][0]) {
			rmdir(v1_dirs[i]);
			v1_dirs[i][0] = '\0';
		}
	if (churn_dir[0]) {
		char dir[480];

		for (int i = 0; i < CHURN; i++) {
			snprintf(dir, sizeof(dir), "%s/c%d", churn_dir, i);
			rmdir(dir);
		}
		rmdir(churn_dir);
		churn_dir[0] = '\0';
	}
	return 0;
}

static int setup_group(void **state)
{
	(void)state;
	snprintf(comm, sizeof(comm), "kvc-%d", getpid());
	return container_workload(workload, sizeof(workload));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_docker_systemd, teardown),
		cmocka_unit_test_teardown(test_docker_cgroupfs, teardown),
		cmocka_unit_test_teardown(test_podman, teardown),
		cmocka_unit_test_teardown(test_containerd, teardown),
		cmocka_unit_test_teardown(test_crio_k8s_systemd, teardown),
		cmocka_unit_test_teardown(test_containerd_k8s_systemd, teardown),
		cmocka_unit_test_teardown(test_k8s_cgroupfs, teardown),
		cmocka_unit_test_teardown(test_container_filters, teardown),
		cmocka_unit_test(test_container_filter_usage),
		cmocka_unit_test_teardown(test_cgroup_churn, teardown),
		cmocka_unit_test_teardown(test_hybrid_v1_attribution, teardown),
	};

	return run_root_suite("containers", tests, setup_group, NULL);
}
