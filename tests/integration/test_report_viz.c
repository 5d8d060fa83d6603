// SPDX-License-Identifier: GPL-2.0
/*
 * kvas report's flame graph and Perfetto trace in the tools that read
 * them, on a recording built here (no root, no BPF): the SVG loaded in
 * headless Chromium renders (a screenshot with the frames' colours in it),
 * its DOM holds the known function's frame and no parser error, and the
 * page logs no script error; the trace decodes with protoc against
 * tests/perfetto_minimal.proto, every packet on a sequence, every track
 * described before its first event, one instant per recorded event.
 * Where chromium or protoc is missing the test says so and skips
 * (scripts/install-deps test installs both).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "report_outputs.h"
#include "testlib.h"

#define FUNCTION	"kvas_viz_touch_pages"
#define CALLER		"kvas_viz_caller"
#define HOSTILE		"operator<&>(\"x\")"
#define PID		4242
#define NR_FAULTS	40
#define WINDOW_W	1200
#define WINDOW_H	800

static uint64_t ips[] = { 0x401200, 0x401100, 0x401000 };	/* leaf first */
static uint64_t hostile_ips[] = { 0x402000, 0x401000 };

static struct rec_frame frames[] = {
	{ .pid = PID, .ip = 0x401000, .function = "main" },
	{ .pid = PID, .ip = 0x401100, .function = CALLER },
	{ .pid = PID, .ip = 0x401200, .function = FUNCTION },
	{ .pid = PID, .ip = 0x402000, .function = HOSTILE },
};
static struct rec_stack stacks[] = {
	{ .nr_user = 3, .ips = ips },
	{ .nr_user = 2, .ips = hostile_ips },
};
static struct rec_process processes[] = { { .pid = PID, .comm = "viz-toucher" } };
static struct rec_thread threads[] = {
	{ .pid = PID, .tid = PID, .comm = "viz-toucher" },
	{ .pid = PID, .tid = PID + 1, .comm = "viz-worker" },
};
static struct rec_meta meta[] = {
	{ "mono_start_ns", "5000000000" },
	{ "boot_start_ns", "5000300000" },
};
static struct rec_event events[NR_FAULTS + 2];
static struct recording rec = {
	.meta = meta, .nr_meta = 2,
	.events = events, .nr_events = NR_FAULTS + 2,
	.stacks = stacks, .nr_stacks = 2,
	.frames = frames, .nr_frames = 4,
	.processes = processes, .nr_processes = 1,
	.threads = threads, .nr_threads = 2,
};

static char dir[64];

/* NR_FAULTS faults in FUNCTION, 10 ms apart, on two threads; one in HOSTILE; one TLB flush. */
static int setup(void **state)
{
	(void)state;
	for (int i = 0; i < NR_FAULTS; i++)
		events[i] = (struct rec_event){ .ts_ns = 5000000000ULL + i * 10000000ULL,
			.addr = 0x7f0000000000ULL + i * 4096, .ip = ips[0], .arg = 6, .pid = PID,
			.tid = PID + (i & 1), .stack = 0, .kind = VM_FAULT_USER,
			.pa = 0x100000000ULL + i * 4096, .page_shift = i & 2 ? 12 : 0 };
	events[NR_FAULTS] = (struct rec_event){ .ts_ns = 5000000000ULL + 5, .pid = PID, .tid = PID,
		.stack = 1, .kind = VM_FAULT_USER, .arg = 4 };
	events[NR_FAULTS + 1] = (struct rec_event){ .ts_ns = 5000000000ULL + 7, .pid = PID,
		.tid = PID, .stack = REC_NO_STACK, .kind = VM_TLB_FLUSH, .tlb_class = TLBC_LOCAL,
		.arg = 3 };
	recording_index(&rec);
	snprintf(dir, sizeof(dir), "/tmp/kvas-viz.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	const char *const rm[] = { "rm", "-rf", "--", dir, NULL };
	struct run_result r;

	(void)state;
	if (!dir[0] || run_cmd(&r, rm))
		return -1;
	run_result_free(&r);
	return 0;
}

static bool installed(const char *program)
{
	const char *const argv[] = { "sh", "-c", "command -v \"$1\" >/dev/null", "sh", program, NULL };
	struct run_result r;
	bool found;

	if (run_cmd(&r, argv))
		return false;
	found = r.status == 0;
	run_result_free(&r);
	return found;
}

static void write_output(const char *path, int (*writer)(const struct recording *, FILE *))
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(writer(&rec, f), 0);
	assert_int_equal(fclose(f), 0);
}

static int flamegraph(const struct recording *r, FILE *f)
{
	return report_flamegraph_svg(r, "Page faults of viz-toucher", f);
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int paeth(int a, int b, int c)
{
	int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);

	return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/*
 * Decode an 8-bit RGB or RGBA PNG (what Chromium writes) into its rows,
 * unfiltered in place: the pixels, bpp bytes each, after each row's filter byte.
 */
static uint8_t *png_pixels(const uint8_t *png, size_t len, uint32_t *w, uint32_t *h, int *bpp)
{
	uint8_t *idat = NULL, *rows;
	size_t nidat = 0, stride;
	uLongf out_len;

	assert_true(len > 33 && !memcmp(png, "\x89PNG\r\n\x1a\n", 8) && !memcmp(png + 12, "IHDR", 4));
	*w = be32(png + 16);
	*h = be32(png + 20);
	assert_int_equal(png[24], 8);			/* bit depth */
	assert_true(png[25] == 2 || png[25] == 6);	/* RGB, RGBA */
	assert_int_equal(png[28], 0);			/* not interlaced */
	*bpp = png[25] == 6 ? 4 : 3;
	for (size_t at = 8; at + 12 <= len;) {
		uint32_t n = be32(png + at);

		assert_true(at + 12 + n <= len);
		if (!memcmp(png + at + 4, "IDAT", 4)) {
			idat = realloc(idat, nidat + n);
			assert_non_null(idat);
			memcpy(idat + nidat, png + at + 8, n);
			nidat += n;
		}
		at += 12 + n;
	}
	stride = 1 + (size_t)*w * *bpp;
	out_len = stride * *h;
	rows = malloc(out_len);
	assert_non_null(rows);
	assert_int_equal(uncompress(rows, &out_len, idat, nidat), Z_OK);
	assert_int_equal(out_len, stride * *h);
	free(idat);
	for (uint32_t y = 0; y < *h; y++) {
		uint8_t *row = rows + y * stride + 1, *up = y ? row - stride : NULL;

		for (size_t x = 0; x < stride - 1; x++) {
			int a = x >= (size_t)*bpp ? row[x - *bpp] : 0, b = up ? up[x] : 0;
			int c = up && x >= (size_t)*bpp ? up[x - *bpp] : 0;
			int add[] = { 0, a, b, (a + b) / 2, paeth(a, b, c) };

			assert_true(row[-1] <= 4);
			row[x] = (uint8_t)(row[x] + add[row[-1]]);
		}
	}
	return rows;
}

/* A whole file, binary; its length in *len. */
static uint8_t *read_binary(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *bytes = NULL;
	size_t cap = 0, n;

	assert_non_null(f);
	*len = 0;
	do {
		if (*len == cap) {
			cap = cap ? 2 * cap : 65536;
			bytes = realloc(bytes, cap);
			assert_non_null(bytes);
		}
		n = fread(bytes + *len, 1, cap - *len, f);
		*len += n;
	} while (n);
	fclose(f);
	return bytes;
}

/*
 * The screenshot: the window's size, and how many of its pixels are of
 * flamegraph.pl's warm palette (frames; not the pale background, not text).
 */
static size_t warm_pixels(const char *path, uint32_t *w, uint32_t *h)
{
	size_t len, warm = 0;
	uint8_t *png = read_binary(path, &len), *rows;
	int bpp;

	rows = png_pixels(png, len, w, h, &bpp);
	for (uint32_t y = 0; y < *h; y++) {
		const uint8_t *px = rows + y * (1 + (size_t)*w * bpp) + 1;

		for (uint32_t x = 0; x < *w; x++, px += bpp)
			warm += px[0] >= 200 && px[1] <= 235 && px[2] <= 60;
	}
	free(rows);
	free(png);
	return warm;
}

/* The flame graph in headless Chromium: rendered, the function's frame in its DOM, no error. */
static void test_flamegraph_in_chromium(void **state)
{
	char svg[128], shot[128], profile[128], shot_arg[160], profile_arg[160], url[160];
	struct run_result r;
	uint32_t w, h;
	size_t warm;

	(void)state;
	if (!installed("chromium")) {
		printf("skipped: chromium is not installed (scripts/install-deps test installs it)\n");
		skip();
	}
	snprintf(svg, sizeof(svg), "%s/flame.svg", dir);
	snprintf(shot, sizeof(shot), "%s/flame.png", dir);
	snprintf(profile, sizeof(profile), "%s/profile", dir);
	snprintf(shot_arg, sizeof(shot_arg), "--screenshot=%s", shot);
	snprintf(profile_arg, sizeof(profile_arg), "--user-data-dir=%s", profile);
	snprintf(url, sizeof(url), "file://%s", svg);
	write_output(svg, flamegraph);
	{
		/* as root Chromium needs --no-sandbox; its own profile keeps parallel runs apart */
		const char *const argv[] = { "timeout", "120", "chromium", "--headless", "--no-sandbox",
			"--disable-gpu", "--disable-dev-shm-usage", profile_arg, "--window-size=1200,800",
			"--enable-logging=stderr", shot_arg, "--dump-dom", url, NULL };

		assert_int_equal(run_cmd(&r, argv), 0);
	}
	if (r.status)
		printf("chromium exited %d:\n%s\n", r.status, r.err);
	assert_int_equal(r.status, 0);
	/* the DOM is the SVG as parsed: the frame's tooltip, the hostile name still escaped */
	assert_non_null(strstr(r.out, "<title>" FUNCTION " (" ));
	assert_non_null(strstr(r.out, "<title>" CALLER " ("));
	assert_non_null(strstr(r.out, "operator&lt;&amp;&gt;("));
	/* an XML error renders Chromium's error page, a script error goes to the console */
	assert_null(strstr(r.out, "<parsererror"));
	assert_null(strstr(r.err, "Uncaught"));
	assert_null(strstr(r.err, ":CONSOLE"));
	run_result_free(&r);
	warm = warm_pixels(shot, &w, &h);
	assert_int_equal(w, WINDOW_W);
	assert_int_equal(h, WINDOW_H);
	/* frames of 15 pixels, 1,180 wide at the root: a blank page would have none */
	printf("screenshot %ux%u: %zu pixels of frames\n", w, h, warm);
	assert_true(warm > 1180 * 15);
}

/* Track uuids as protoc prints them, described so far. */
struct described {
	unsigned long long uuid[64];
	size_t n;
};

static bool was_described(const struct described *d, unsigned long long uuid)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->uuid[i] == uuid)
			return true;
	return false;
}

/* The decoded trace, line by line: "packet {" at depth 0, its fields at 1, a message's at 2. */
static void check_decoded(char *text)
{
	struct described d = { .n = 0 };
	size_t packets = 0, instants = 0, counters = 0;
	bool has_seq = false, in_descriptor = false, in_event = false, named = false, thread_named = false;
	int depth = 0;

	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		unsigned long long v;

		line += strspn(line, " ");
		if (!strcmp(line, "}")) {
			if (--depth == 0) {
				assert_true(has_seq);	/* every packet on the sequence */
				has_seq = false;
			}
			if (depth == 1)
				in_descriptor = in_event = false;
			continue;
		}
		if (depth == 0) {
			assert_string_equal(line, "packet {");
			packets++;
		} else if (depth == 1) {
			has_seq |= sscanf(line, "trusted_packet_sequence_id: %llu", &v) == 1 && v;
			in_descriptor = !strcmp(line, "track_descriptor {");
			in_event = !strcmp(line, "track_event {");
			/* the meta's clock pair put the trace on BOOTTIME: no packet names a clock */
			assert_null(strstr(line, "timestamp_clock_id"));
		} else if (depth == 2 && in_descriptor && sscanf(line, "uuid: %llu", &v) == 1) {
			assert_true(d.n < 64);
			d.uuid[d.n++] = v;
		} else if (depth == 2 && in_event && sscanf(line, "track_uuid: %llu", &v) == 1) {
			assert_true(was_described(&d, v));
		} else if (depth == 2 && in_event) {
			instants += !strcmp(line, "type: TYPE_INSTANT");
			counters += !strcmp(line, "type: TYPE_COUNTER");
		}
		named |= !strcmp(line, "process_name: \"viz-toucher\"");
		thread_named |= !strcmp(line, "thread_name: \"viz-worker\"");
		if (line[strlen(line) - 1] == '{')
			depth++;
	}
	assert_int_equal(depth, 0);
	assert_int_equal(instants, rec.nr_events);
	assert_true(counters > 0);
	assert_true(named && thread_named);
	printf("%zu packets: %zu instants, %zu counter values, %zu tracks\n", packets, instants,
	       counters, d.n);
}

/* The Perfetto trace decoded by protoc with Perfetto's published field numbers. */
static void test_perfetto_decodes(void **state)
{
	char trace[128], proto_dir[4096];
	struct run_result r;

	(void)state;
	if (!installed("protoc")) {
		printf("skipped: protoc is not installed (protobuf-compiler; scripts/install-deps test)\n");
		skip();
	}
	snprintf(trace, sizeof(trace), "%s/trace.pftrace", dir);
	snprintf(proto_dir, sizeof(proto_dir), "%s/tests", source_dir());
	write_output(trace, report_perfetto);
	{
		const char *const argv[] = { "sh", "-c", "exec protoc --decode=perfetto.protos.Trace "
			"-I \"$1\" \"$1/perfetto_minimal.proto\" < \"$2\"", "sh", proto_dir, trace, NULL };

		assert_int_equal(run_cmd(&r, argv), 0);
	}
	if (r.status)
		printf("protoc exited %d:\n%s\n", r.status, r.err);
	assert_int_equal(r.status, 0);
	check_decoded(r.out);
	run_result_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flamegraph_in_chromium),
		cmocka_unit_test(test_perfetto_decodes),
	};

	return cmocka_run_group_tests_name("report_viz", tests, setup, teardown);
}
