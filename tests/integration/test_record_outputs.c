// SPDX-License-Identifier: GPL-2.0
/*
 * The acceptance for kvas record and report's outputs, on one real
 * recording: kvas record -g -- TOUCHER 5000 (tests/record_toucher.c, built
 * here with frame pointers), the toucher's binary deleted, then:
 *   - report --json: at least 5,000 user faults of its pid;
 *   - --folded: the counts sum to the report's events, and the chains
 *     ending ...;toucher_caller;touch_pages hold >= 90% of the pid's user
 *     faults, named though the binary is gone; no chain runs through
 *     kvas's own program (a fault of its stack walk is not recorded);
 *   - --flamegraph: headless chromium loads it with no console error, its
 *     DOM holds touch_pages' frame, and every frame's width is its count's
 *     share of the graph, within 1%;
 *   - --perfetto: protoc decodes it; one process track for the pid, a
 *     counter track under it, and as many fault instants as the report
 *     has faults.
 * Chromium and protoc come from scripts/install-deps test; where one is
 * missing its check is skipped, saying so.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testlib.h"

#define PAGES 5000

static char dir[] = "/tmp/kvas-record-outputs-XXXXXX";
static char data[PATH_MAX];
static int toucher_pid;
static bool recorded;

static const char *in_dir(const char *name, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s", dir, name);
	return buf;
}

static bool installed(const char *program)
{
	struct run_result r;
	bool ok = !run_cmd(&r, (const char *const[]){ "sh", "-c", "command -v \"$0\" >/dev/null",
						      program, NULL }) && !r.status;

	run_result_free(&r);
	return ok;
}

/* Build the toucher, record it with stacks, delete it: the report needs only the file. */
static int setup(void **state)
{
	char src[PATH_MAX], toucher[PATH_MAX], pages[16];
	struct run_result run;

	(void)state;
	if (!mkdtemp(dir))
		return -1;
	in_dir("toucher", toucher, sizeof(toucher));
	in_dir("kvas.data", data, sizeof(data));
	snprintf(src, sizeof(src), "%s/tests/record_toucher.c", source_dir());
	if (run_cmd(&run, (const char *const[]){ "cc", "-O0", "-fno-omit-frame-pointer", "-o",
						 toucher, src, NULL }) || run.status) {
		fprintf(stderr, "cannot build %s: %s\n", src, run.err ? run.err : "");
		run_result_free(&run);
		return -1;
	}
	run_result_free(&run);
	snprintf(pages, sizeof(pages), "%d", PAGES);
	if (run_kvas(&run, NULL, (const char *const[]){ "record", "-g", "-o", data, "--",
						       toucher, pages, NULL }) ||
	    run.status || !run.out || sscanf(run.out, "pid %d", &toucher_pid) != 1) {
		fprintf(stderr, "kvas record: exit %d, stderr '%s'\n", run.status,
			run.err ? run.err : "");
		run_result_free(&run);
		return -1;
	}
	run_result_free(&run);
	recorded = !unlink(toucher) && !wait_no_kvas_progs();
	return recorded ? 0 : -1;
}

static int teardown(void **state)
{
	char path[PATH_MAX];
	const char *const names[] = { "kvas.data", "graph.svg", "trace.pftrace", "shot.png",
				      "chrome", NULL };

	(void)state;
	for (int i = 0; names[i]; i++) {
		struct run_result r;

		run_cmd(&r, (const char *const[]){ "rm", "-rf", in_dir(names[i], path,
								       sizeof(path)), NULL });
		run_result_free(&r);
	}
	rmdir(dir);
	return 0;
}

/* `kvas report -i DATA ARGS...`'s stdout (exit 0 asserted); the caller frees it. */
static char *report(const char *const *args)
{
	const char *argv[16] = { "report", "-i", data };
	struct run_result run;
	char *out;
	int n = 3;

	for (int i = 0; args[i] && n < 15; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	assert_int_equal(run_kvas(&run, NULL, argv), 0);
	if (run.status)
		fail_msg("kvas report %s: exit %d: %s", args[0], run.status, run.err);
	out = run.out;
	run.out = NULL;
	run_result_free(&run);
	return out;
}

/* What the report's JSON says: all events, the pid's user faults, all faults. */
struct report_counts {
	uint64_t events, pid_user_faults, faults;
};

static struct report_counts report_counts(void)
{
	char *out = report((const char *const[]){ "--json", "--sort", "pid,kind", "--rows",
						  "1000000", NULL });
	json_t *root = json_loads(out, 0, NULL), *rows, *row;
	struct report_counts c = { 0 };
	size_t i;

	assert_non_null(root);
	rows = json_object_get(json_object_get(root, "main"), "rows");
	if (!json_array_size(rows))
		fail_msg("the report's main table has no rows: %.300s", out);
	json_array_foreach(rows, i, row) {
		uint64_t n = json_integer_value(json_object_get(row, "events"));
		const char *kind = json_string_value(json_object_get(row, "kind"));

		c.events += n;
		if (kind && !strncmp(kind, "fault-", 6))
			c.faults += n;
		if (kind && !strcmp(kind, "fault-user") &&
		    json_integer_value(json_object_get(row, "pid")) == toucher_pid)
			c.pid_user_faults += n;
	}
	json_decref(root);
	free(out);
	return c;
}

static void test_report_faults(void **state)
{
	struct report_counts c = report_counts();

	(void)state;
	printf("  pid %d: %" PRIu64 " user faults of %d pages; %" PRIu64 " events, %" PRIu64
	       " faults in all\n", toucher_pid, c.pid_user_faults, PAGES, c.events, c.faults);
	assert_true(c.pid_user_faults >= PAGES);
}

/* A folded line's count, and whether its chain ends in the toucher's two functions. */
static bool folded_line(const char *line, uint64_t *count, bool *touched)
{
	const char *sp = strrchr(line, ' ');
	const char *frames = ";toucher_caller;touch_pages";
	const char *at = strstr(line, frames);
	char *end;

	if (!sp)
		return false;
	*count = strtoull(sp + 1, &end, 10);
	/* the user chain ends in touch_pages; kernel frames ("_[k]") may follow */
	*touched = at && (at[strlen(frames)] == ' ' || at[strlen(frames)] == ';');
	return end != sp + 1;
}

static void test_folded(void **state)
{
	struct report_counts c = report_counts();
	char *out = report((const char *const[]){ "--folded", NULL }), *save = NULL;
	uint64_t sum = 0, touched_sum = 0, n = 0;
	bool touched = false;

	(void)state;
	for (char *l = strtok_r(out, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		if (!folded_line(l, &n, &touched))
			fail_msg("not a folded line: '%s'", l);
		/* a fault of kvas's own stack walk (nested in its program) is no event of the toucher */
		if (strstr(l, ";bpf_prog_"))
			fail_msg("kvas's own program in a recorded chain: '%s'", l);
		sum += n;
		touched_sum += touched ? n : 0;
	}
	free(out);
	printf("  folded: %" PRIu64 " events (the report: %" PRIu64 "), %" PRIu64
	       " through toucher_caller;touch_pages\n", sum, c.events, touched_sum);
	assert_int_equal(sum, c.events);
	assert_true(touched_sum * 10 >= c.pid_user_faults * 9);
}

/* "NAME (1,234 events, 5.67%)": the count. */
static uint64_t title_count(const char *title)
{
	const char *open = strrchr(title, '(');
	uint64_t n = 0;

	for (const char *p = open ? open + 1 : title; *p && *p != ' '; p++)
		if (*p >= '0' && *p <= '9')
			n = n * 10 + (uint64_t)(*p - '0');
	return n;
}

/*
 * Every frame's width is its count's share of the root's (the "all" frame),
 * within 1%: a frame at least 1 px wide, so the printed decimals suffice.
 */
static void check_widths(const char *svg, uint64_t *touch_frames)
{
	const char *p = svg;
	double root_width = 0, per_event = 0;
	uint64_t root = 0;

	*touch_frames = 0;
	while ((p = strstr(p, "<title>"))) {
		const char *end = strstr(p, "</title>"), *w = end ? strstr(end, "width=\"") : NULL;
		char title[512];
		uint64_t count;
		double width;

		assert_non_null(w);
		snprintf(title, sizeof(title), "%.*s", (int)(end - p - 7), p + 7);
		count = title_count(title);
		width = strtod(w + 7, NULL);
		p = end;
		if (!root) {
			root = count;
			root_width = width;
			per_event = root_width / (double)root;
			continue;
		}
		if (!strncmp(title, "touch_pages ", 12))
			*touch_frames += count;
		if (width < 1.0)
			continue;
		if (width < per_event * count * 0.99 || width > per_event * count * 1.01)
			fail_msg("frame '%s': width %.3f, its count's share %.3f", title, width,
				 per_event * count);
	}
	assert_true(root > 0);
}

static void test_flamegraph(void **state)
{
	char svg[PATH_MAX], png[PATH_MAX], profile[PATH_MAX], url[PATH_MAX + 8];
	struct run_result r;
	char *text, *out;
	uint64_t touch;

	(void)state;
	in_dir("graph.svg", svg, sizeof(svg));
	out = report((const char *const[]){ "--flamegraph", svg, NULL });
	free(out);
	text = read_text_file(svg);
	assert_non_null(text);
	check_widths(text, &touch);
	free(text);
	assert_true(touch > 0);
	if (!installed("chromium")) {
		printf("skipped: chromium is not installed (scripts/install-deps test installs it)\n");
		skip();
	}
	in_dir("shot.png", png, sizeof(png));
	in_dir("chrome", profile, sizeof(profile));
	snprintf(url, sizeof(url), "file://%s", svg);
	{
		char shot[PATH_MAX + 16], user_dir[PATH_MAX + 20];
		const char *const argv[] = { "timeout", "120", "chromium", "--headless", "--no-sandbox",
			"--disable-gpu", "--disable-dev-shm-usage", user_dir,
			"--enable-logging=stderr", "--v=0", shot, "--window-size=1200,800",
			"--dump-dom", url, NULL };

		snprintf(shot, sizeof(shot), "--screenshot=%s", png);
		snprintf(user_dir, sizeof(user_dir), "--user-data-dir=%s", profile);
		assert_int_equal(run_cmd(&r, argv), 0);
	}
	if (r.status)
		fail_msg("chromium exited %d: %.500s", r.status, r.err);
	if (strstr(r.err, "Uncaught") || strstr(r.out, "<parsererror"))
		fail_msg("the page has an error: %.500s", r.err);
	if (!strstr(r.out, "<title>touch_pages ("))
		fail_msg("chromium's DOM has no touch_pages frame");
	run_result_free(&r);
	assert_int_equal(access(png, R_OK), 0);
}

/* Is needle in [from, to)? */
static bool between(const char *from, const char *to, const char *needle)
{
	const char *at = strstr(from, needle);

	return at && at < to;
}

/* One process track for pid, a counter track under it, and the fault instants. */
static void check_decoded(const char *text, uint64_t faults)
{
	char want[64], uuid_line[64];
	const char *p = text, *track;
	unsigned long long uuid = 0;
	uint64_t instants = 0, counters = 0, tracks = 0;

	snprintf(want, sizeof(want), "pid: %d\n", toucher_pid);
	while ((p = strstr(p, want))) {
		const char *process = p;

		/* a process track: "uuid: N" comes before "process {" in its descriptor */
		while (process > text && strncmp(process, "uuid: ", 6))
			process--;
		if (between(process, p, "process {") && !between(process, p, "thread {")) {
			tracks++;
			uuid = strtoull(process + 6, NULL, 10);
		}
		p += strlen(want);
	}
	if (tracks != 1)
		fail_msg("%" PRIu64 " process tracks for pid %d, not 1", tracks, toucher_pid);
	snprintf(uuid_line, sizeof(uuid_line), "parent_uuid: %llu\n", uuid);
	for (track = strstr(text, uuid_line); track; track = strstr(track + 1, uuid_line)) {
		const char *next = strstr(track, "packet {");

		counters += between(track, next ? next : track + strlen(track), "counter {");
	}
	for (p = text; (p = strstr(p, "type: TYPE_INSTANT")); p++) {
		const char *next = strstr(p, "packet {"), *end = next ? next : p + strlen(p);

		instants += between(p, end, "name: \"fault-");
	}
	printf("  perfetto: process track %llu, %" PRIu64 " counter tracks under it, %" PRIu64
	       " fault instants (the report: %" PRIu64 " faults)\n", uuid, counters, instants,
	       faults);
	assert_true(counters >= 1);
	assert_int_equal(instants, faults);
}

static void test_perfetto(void **state)
{
	struct report_counts c = report_counts();
	char trace[PATH_MAX], proto[PATH_MAX], cmd[3 * PATH_MAX + 128];
	struct run_result r;
	char *out;

	(void)state;
	in_dir("trace.pftrace", trace, sizeof(trace));
	out = report((const char *const[]){ "--perfetto", trace, NULL });
	free(out);
	if (!installed("protoc")) {
		printf("skipped: protoc is not installed (protobuf-compiler; scripts/install-deps test)\n");
		skip();
	}
	snprintf(proto, sizeof(proto), "%s/tests", source_dir());
	snprintf(cmd, sizeof(cmd), "exec protoc --decode=perfetto.protos.Trace -I '%s' "
		 "'%s/perfetto_minimal.proto' < '%s'", proto, proto, trace);
	assert_int_equal(run_cmd(&r, (const char *const[]){ "sh", "-c", cmd, NULL }), 0);
	if (r.status)
		fail_msg("protoc exited %d: %.500s", r.status, r.err);
	check_decoded(r.out, c.faults);
	run_result_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report_faults),
		cmocka_unit_test(test_folded),
		cmocka_unit_test(test_flamegraph),
		cmocka_unit_test(test_perfetto),
	};

	return run_root_suite("record -g, then report's JSON, folded, flame graph, Perfetto",
			      tests, setup, teardown);
}
