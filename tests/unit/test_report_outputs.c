// SPDX-License-Identifier: GPL-2.0
/*
 * kvas report's outputs for other tools (src/record/report_folded.c,
 * report_flamegraph.c, report_perfetto.c) on a recording built here: the
 * folded lines and their counts, hostile names made safe, the flame graph
 * well-formed XML with a frame for every node, and the Perfetto trace's
 * packets decoded back: sequence ids, descriptors before use, one instant
 * per event, the boot clock.
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

#include "call_chains.h"
#include "protobuf_writer.h"
#include "report_outputs.h"

/* Frames and addresses of the recording below. */
#define IP_MAIN		0x401000ULL
#define IP_CALLER	0x401100ULL
#define IP_TOUCH	0x401200ULL
#define IP_LIBC		0x7f0000029d90ULL
#define IP_HOSTILE	0x500000ULL
#define IP_NOWHERE	0x600000ULL
#define IP_EXC		0xffffffff81001000ULL
#define IP_ASM		0xffffffff81002000ULL
#define HOSTILE_NAME	"f<&>\"'x;y z\x01\xff\xc3\xa9"	/* é at the end */
#define MONO_START	1000000000ULL
#define BOOT_START	1500000000ULL

static struct rec_process processes[] = {
	{ .pid = 100, .comm = "toucher" },
	{ .pid = 200, .comm = "evil;na me\n" },
	{ .pid = 300, .comm = "toucher" },	/* another toucher: its chains add to the first's */
};

static struct rec_thread threads[] = {
	{ .pid = 100, .tid = 100, .comm = "toucher" },
	{ .pid = 100, .tid = 101, .comm = "worker" },
	{ .pid = 200, .tid = 200, .comm = "evil" },
	{ .pid = 300, .tid = 300, .comm = "toucher" },
};

static struct rec_frame frames[] = {
	{ .pid = 0, .ip = IP_EXC, .function = "exc_page_fault", .module = "vmlinux" },
	{ .pid = 0, .ip = IP_ASM, .function = "asm_exc_page_fault", .module = "vmlinux" },
	{ .pid = 100, .ip = IP_MAIN, .function = "main" },
	{ .pid = 100, .ip = IP_CALLER, .function = "caller" },
	{ .pid = 100, .ip = IP_TOUCH, .function = "touch_pages" },
	{ .pid = 100, .ip = IP_LIBC, .module = "libc.so.6", .module_offset = 0x29d90 },
	{ .pid = 200, .ip = IP_HOSTILE, .function = HOSTILE_NAME },
	{ .pid = 300, .ip = IP_TOUCH, .function = "touch_pages" },
};

static uint64_t ips_full[] = { IP_TOUCH, IP_CALLER, IP_MAIN, IP_LIBC };
static uint64_t ips_kernel_cut[] = { IP_EXC, IP_ASM, IP_TOUCH, IP_CALLER };
static uint64_t ips_hostile[] = { IP_HOSTILE, IP_NOWHERE };
static uint64_t ips_other[] = { IP_TOUCH };

static struct rec_stack stacks[] = {
	{ .nr_user = 4, .ips = ips_full },
	{ .nr_kernel = 2, .nr_user = 2, .flags = REC_STACK_USER_CUT, .ips = ips_kernel_cut },
	{ .nr_user = 2, .ips = ips_hostile },
	{ .nr_user = 1, .ips = ips_other },
};

static struct rec_meta meta[] = {
	{ "mono_start_ns", "1000000000" },
	{ "boot_start_ns", "1500000000" },
	{ "tlb_reasons", "0=TLB_FLUSH_ON_TASK_SWITCH,1=TLB_REMOTE_SHOOTDOWN" },
};

#define FAULT(t, p, th, s) { .ts_ns = (t), .pid = (p), .tid = (th), .stack = (s), \
			     .kind = VM_FAULT_USER, .addr = 0x10000 + (t), .arg = 6 }
static struct rec_event events[] = {
	FAULT(MONO_START + 10, 100, 100, 0),
	FAULT(MONO_START + 20, 100, 100, 0),
	FAULT(MONO_START + 30, 100, 100, 0),
	FAULT(MONO_START + 40, 100, 100, 0),
	FAULT(MONO_START + 250000000, 100, 100, 0),	/* two buckets later */
	FAULT(MONO_START + 15, 100, 101, 1),
	FAULT(MONO_START + 16, 100, 101, 1),
	FAULT(MONO_START + 50, 100, 100, REC_NO_STACK),
	{ .ts_ns = MONO_START + 60, .pid = 100, .tid = 100, .stack = REC_NO_STACK,
	  .kind = VM_TLB_FLUSH, .reason = 1, .tlb_class = TLBC_REMOTE, .arg = UINT64_MAX },
	FAULT(MONO_START + 5, 200, 200, 2),
	FAULT(MONO_START + 6, 200, 200, 2),
	FAULT(MONO_START + 7, 200, 200, 2),
	FAULT(MONO_START + 8, 300, 300, 3),
};
#define NR_EVENTS (sizeof(events) / sizeof(events[0]))

static struct recording rec = {
	.meta = meta, .nr_meta = 3,
	.events = events, .nr_events = NR_EVENTS,
	.stacks = stacks, .nr_stacks = 4,
	.frames = frames, .nr_frames = sizeof(frames) / sizeof(frames[0]),
	.processes = processes, .nr_processes = 3,
	.threads = threads, .nr_threads = 4,
};

static int setup(void **state)
{
	(void)state;
	recording_index(&rec);
	return 0;
}

/* What an output wrote, NUL-terminated; the caller frees it. */
struct capture {
	char *text;
	size_t len;
	FILE *f;
};

static FILE *capture_begin(struct capture *c)
{
	c->f = open_memstream(&c->text, &c->len);
	assert_non_null(c->f);
	return c->f;
}

static void capture_end(struct capture *c)
{
	fclose(c->f);
}

static void test_folded_lines(void **state)
{
	struct capture c;

	(void)state;
	assert_int_equal(report_folded(&rec, capture_begin(&c)), 0);
	capture_end(&c);
	assert_string_equal(c.text,
		"evil:na_me?;0x600000;f<&>\"'x:y_z??\xc3\xa9 3\n"
		"toucher;[cut];caller;touch_pages;asm_exc_page_fault_[k];exc_page_fault_[k] 2\n"
		"toucher;[no-stack:fault-user] 1\n"
		"toucher;[no-stack:tlb-flush] 1\n"
		"toucher;libc.so.6+0x29d90;main;caller;touch_pages 5\n"
		"toucher;touch_pages 1\n");
	free(c.text);
}

/* Every event in exactly one chain: the counts add up to the report's total. */
static void test_folded_counts_sum_to_events(void **state)
{
	struct call_chains chains;
	uint64_t sum = 0;

	(void)state;
	assert_int_equal(call_chains_fold(&rec, &chains), 0);
	for (size_t i = 0; i < chains.nr; i++) {
		sum += chains.chain[i].count;
		/* what speedscope's reader needs: no space, no newline inside a chain */
		assert_null(strpbrk(chains.chain[i].text, " \n\r\t"));
		if (i)
			assert_true(strcmp(chains.chain[i - 1].text, chains.chain[i].text) < 0);
	}
	assert_int_equal(sum, NR_EVENTS);
	assert_int_equal(chains.total, NR_EVENTS);
	call_chains_free(&chains);
}

/* Two pids of one comm fold into one line; an out-of-range stack reads as none. */
static void test_folded_merges_and_bounds(void **state)
{
	struct rec_event ev[] = {
		{ .pid = 100, .tid = 100, .stack = 3, .kind = VM_FAULT_USER },
		{ .pid = 300, .tid = 300, .stack = 3, .kind = VM_FAULT_USER },
		{ .pid = 300, .tid = 300, .stack = 99, .kind = VM_FAULT_KERNEL },
		{ .pid = 400, .tid = 400, .stack = REC_NO_STACK, .kind = VM_FAULT_USER },
	};
	struct recording r = rec;
	struct capture c;

	(void)state;
	r.events = ev;
	r.nr_events = 4;
	assert_int_equal(report_folded(&r, capture_begin(&c)), 0);
	capture_end(&c);
	/* pids 100 and 300 each name the ip touch_pages: one line of 2 */
	assert_string_equal(c.text,
		"[pid-400];[no-stack:fault-user] 1\n"
		"toucher;[no-stack:fault-kernel] 1\n"
		"toucher;touch_pages 2\n");
	free(c.text);
}

static void test_folded_empty(void **state)
{
	struct recording r = rec;
	struct capture c;

	(void)state;
	r.nr_events = 0;
	assert_int_equal(report_folded(&r, capture_begin(&c)), 0);
	capture_end(&c);
	assert_string_equal(c.text, "");
	free(c.text);
}

/* A write error comes back as a negative errno. */
static void test_write_error(void **state)
{
	char tiny[8];
	FILE *f = fmemopen(tiny, sizeof(tiny), "w");

	(void)state;
	assert_non_null(f);
	setvbuf(f, NULL, _IONBF, 0);
	assert_true(report_folded(&rec, f) < 0);
	fclose(f);
}

/*
 * Well-formed XML, as far as a flame graph can go wrong: every tag closed
 * in order, attributes quoted, '&' only in the five entities, no '<' in
 * text, no control byte, valid UTF-8. The number of "<g>" elements in *frames.
 */
static bool xml_well_formed(const char *s, size_t *frames)
{
	const char *stack[32];
	size_t depth = 0, len[32];

	*frames = 0;
	while (*s) {
		size_t n = utf8_char_len(s);

		if (!n || ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t'))
			return false;
		if (*s == '&') {
			static const char *const entities[] = { "&amp;", "&lt;", "&gt;", "&quot;", "&apos;" };
			size_t e = 0;

			while (e < 5 && strncmp(s, entities[e], strlen(entities[e])))
				e++;
			if (e == 5)
				return false;
			s += strlen(entities[e]);
			continue;
		}
		if (*s != '<') {
			s += n;
			continue;
		}
		if (s[1] == '?' || s[1] == '!') {	/* declaration, doctype */
			s = strchr(s, '>');
			if (!s)
				return false;
			s++;
			continue;
		}
		if (s[1] == '/') {
			if (!depth || strncmp(s + 2, stack[depth - 1], len[depth - 1]) ||
			    s[2 + len[depth - 1]] != '>')
				return false;
			depth--;
			s += 3 + len[depth];
			continue;
		}
		/* a start tag: name, then name="value" pairs, then > or /> */
		const char *name = ++s;
		bool in_quote = false;

		while (*s && *s != ' ' && *s != '>' && *s != '/')
			s++;
		if (s == name || depth == 32)
			return false;
		if (s - name == 1 && *name == 'g' && *s == '>')
			(*frames)++;
		for (; *s && (in_quote || (*s != '>' && *s != '/')); s++) {
			if (*s == '"')
				in_quote = !in_quote;
			else if (in_quote && *s == '<')
				return false;
			else if (!in_quote && *s == '=' && s[1] != '"')
				return false;
		}
		if (!*s)
			return false;
		if (*s == '/') {
			if (s[1] != '>')
				return false;
			s += 2;
			continue;
		}
		stack[depth] = name;
		len[depth++] = (size_t)(strcspn(name, " >"));
		s++;
	}
	return depth == 0;
}

static char *flamegraph(const struct recording *r, const char *title)
{
	struct capture c;

	assert_int_equal(report_flamegraph_svg(r, title, capture_begin(&c)), 0);
	capture_end(&c);
	return c.text;
}

static void test_flamegraph_xml(void **state)
{
	char *svg = flamegraph(&rec, "page faults of <toucher> & co");
	size_t frames;

	(void)state;
	assert_true(xml_well_formed(svg, &frames));
	/*
	 * all; evil, 0x600000, f...; toucher, [cut], caller, touch_pages,
	 * asm_exc_page_fault, exc_page_fault; 2 no-stack frames;
	 * libc.so.6+0x29d90, main, caller, touch_pages; touch_pages
	 */
	assert_int_equal(frames, 17);
	assert_null(strstr(svg, "<script"));
	assert_null(strstr(svg, "onload"));
	assert_non_null(strstr(svg, ">page faults of &lt;toucher&gt; &amp; co</text>"));
	assert_non_null(strstr(svg, "<title>all (13 events, 100.00%)</title>"));
	assert_non_null(strstr(svg, "<title>touch_pages (5 events, 38.46%)</title>"));
	assert_non_null(strstr(svg, "<title>exc_page_fault [kernel] (2 events, 15.38%)</title>"));
	assert_non_null(strstr(svg, "<title>f&lt;&amp;&gt;&quot;&apos;x:y_z??\xc3\xa9 (3 events"));
	free(svg);
}

/* Widths in proportion to counts: the 5-event frame is 5/13 of the 1180-pixel root. */
static void test_flamegraph_widths(void **state)
{
	char *svg = flamegraph(&rec, "t");
	const char *at = strstr(svg, "<title>all (");
	double root_w, w;

	(void)state;
	assert_non_null(at);
	assert_int_equal(sscanf(strstr(at, "width=\""), "width=\"%lf\"", &root_w), 1);
	at = strstr(svg, "<title>touch_pages (5 events");
	assert_non_null(at);
	assert_int_equal(sscanf(strstr(at, "width=\""), "width=\"%lf\"", &w), 1);
	assert_true(root_w > 1179.9 && root_w < 1180.1);
	assert_true(w > root_w * 5 / 13 - 0.01 && w < root_w * 5 / 13 + 0.01);
	free(svg);
}

/* Hostile bytes in a title or a frame never make the XML invalid; labels cut on a character. */
static void test_flamegraph_hostile(void **state)
{
	static const char *const names[] = {
		"]]><script>alert(1)</script>", "\x1b[31m\x7f\x80\xc0\xaf", "\xe2\x82",
		"\xed\xa0\x80 surrogate", "a&#1;b", "very_long_\xc3\xa9\xc3\xa9\xc3\xa9_name_that_is"
		"_cut_in_a_narrow_frame_somewhere_in_the_middle_of_its_many_\xe2\x82\xac_signs",
	};
	struct rec_frame f[6];
	struct rec_event e[6];
	struct rec_stack s[6];
	uint64_t ip[6];
	struct recording r = { 0 };
	size_t frames;
	char *svg;

	(void)state;
	for (int i = 0; i < 6; i++) {
		ip[i] = 0x1000 + i;
		f[i] = (struct rec_frame){ .pid = 7, .ip = ip[i], .function = (char *)names[i] };
		s[i] = (struct rec_stack){ .nr_user = 1, .ips = &ip[i] };
		e[i] = (struct rec_event){ .pid = 7, .tid = 7, .stack = i };
	}
	r.frames = f, r.nr_frames = 6;
	r.stacks = s, r.nr_stacks = 6;
	r.events = e, r.nr_events = 6;
	recording_index(&r);
	svg = flamegraph(&r, "\x01title\xff<");
	assert_true(xml_well_formed(svg, &frames));
	assert_int_equal(frames, 1 + 1 + 6);	/* all, [pid-7], the six */
	assert_null(strstr(svg, "<script"));
	assert_non_null(strstr(svg, "..</text>"));	/* the long name's label, cut */
	free(svg);
}

static void test_flamegraph_empty(void **state)
{
	struct recording r = rec;
	size_t frames;
	char *svg;

	(void)state;
	r.nr_events = 0;
	svg = flamegraph(&r, NULL);
	assert_true(xml_well_formed(svg, &frames));
	assert_int_equal(frames, 0);
	free(svg);
}

static void expect_bytes(const struct pb_buf *b, const char *bytes, size_t len)
{
	assert_int_equal(b->err, 0);
	assert_int_equal(b->len, len);
	assert_memory_equal(b->bytes, bytes, len);
}

/* The wire format, byte for byte, as protobuf's encoding guide gives it. */
static void test_protobuf_writer(void **state)
{
	struct pb_buf b = { 0 };
	char big[200];
	size_t m, inner;

	(void)state;
	pb_varint_field(&b, 1, 150);
	expect_bytes(&b, "\x08\x96\x01", 3);
	pb_reset(&b);
	pb_varint_field(&b, 58, 3);		/* a field past 15: a two-byte tag */
	expect_bytes(&b, "\xd0\x03\x03", 3);
	pb_reset(&b);
	pb_varint_field(&b, 4, (uint64_t)(int64_t)-1);	/* int64 -1: ten bytes */
	expect_bytes(&b, "\x20\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 11);
	pb_reset(&b);
	pb_double_field(&b, 44, 1.0);
	expect_bytes(&b, "\xe1\x02\x00\x00\x00\x00\x00\x00\xf0\x3f", 10);
	pb_reset(&b);
	m = pb_message_begin(&b, 1);
	inner = pb_message_begin(&b, 3);
	pb_string_field(&b, 2, "hi");
	pb_message_end(&b, inner);
	pb_message_end(&b, m);
	expect_bytes(&b, "\x0a\x06\x1a\x04\x12\x02hi", 8);
	/* a body of 128 bytes or more has a two-byte length, moved in front of it */
	pb_reset(&b);
	memset(big, 'x', sizeof(big));
	m = pb_message_begin(&b, 1);
	pb_bytes_field(&b, 2, big, sizeof(big));
	pb_message_end(&b, m);
	assert_int_equal(b.len, 3 + 3 + sizeof(big));
	assert_memory_equal(b.bytes, "\x0a\xcb\x01\x12\xc8\x01xx", 8);
	pb_free(&b);
}

/* A protobuf field as the decoder below reads it. */
struct pb_field {
	uint32_t number;
	unsigned int wire;
	uint64_t value;			/* a varint's, or a length-delimited field's length */
	const uint8_t *data;
};

static bool pb_read_varint(const uint8_t **p, const uint8_t *end, uint64_t *v)
{
	*v = 0;
	for (int shift = 0; *p < end && shift < 64; shift += 7) {
		uint8_t c = *(*p)++;

		*v |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80))
			return true;
	}
	return false;
}

/* The next field in [*p, end): false at the end, fails the test on a bad one. */
static bool pb_next(const uint8_t **p, const uint8_t *end, struct pb_field *f)
{
	uint64_t tag;

	if (*p >= end)
		return false;
	assert_true(pb_read_varint(p, end, &tag));
	f->number = (uint32_t)(tag >> 3);
	f->wire = tag & 7;
	f->data = *p;
	if (f->wire == 0) {
		assert_true(pb_read_varint(p, end, &f->value));
	} else if (f->wire == 1) {
		assert_true(end - *p >= 8);
		*p += 8;
	} else {
		assert_int_equal(f->wire, 2);
		assert_true(pb_read_varint(p, end, &f->value));
		assert_true((uint64_t)(end - *p) >= f->value);
		f->data = *p;
		*p += f->value;
	}
	return true;
}

/* A submessage's varint field, or def. */
static uint64_t pb_get(const uint8_t *p, size_t len, uint32_t number, uint64_t def)
{
	struct pb_field f;

	for (const uint8_t *end = p + len; pb_next(&p, end, &f);)
		if (f.number == number && f.wire == 0)
			return f.value;
	return def;
}

/* ... or whether a string field holds s. */
static bool pb_has_string(const uint8_t *p, size_t len, uint32_t number, const char *s)
{
	struct pb_field f;

	for (const uint8_t *end = p + len; pb_next(&p, end, &f);)
		if (f.number == number && f.wire == 2 && f.value == strlen(s) &&
		    !memcmp(f.data, s, f.value))
			return true;
	return false;
}

struct trace_check {
	size_t packets, instants, counters, descriptors;
	bool named_toucher, named_worker, clock_snapshot, any_clock_id;
	bool reason_named;		/* a TLB event's reason, by the meta's names */
	uint64_t first_instant_ts;
};

/* Decode a trace, checking the rules as it goes: sequence ids, uuids described before use. */
static void check_trace(const uint8_t *p, size_t len, struct trace_check *c)
{
	uint64_t uuids[64];
	size_t nr_uuids = 0;
	struct pb_field packet, f;

	memset(c, 0, sizeof(*c));
	for (const uint8_t *end = p + len; pb_next(&p, end, &packet);) {
		const uint8_t *q = packet.data, *qend = q + packet.value;
		bool has_seq = false;
		uint64_t ts = 0;

		assert_int_equal(packet.number, 1);
		c->packets++;
		while (pb_next(&q, qend, &f)) {
			if (f.number == 10 && f.value == 1)
				has_seq = true;
			else if (f.number == 8)
				ts = f.value;
			else if (f.number == 58)
				c->any_clock_id = true;
			else if (f.number == 6)
				c->clock_snapshot = true;
			if (f.number == 60) {
				assert_true(nr_uuids < 64);
				uuids[nr_uuids++] = pb_get(f.data, f.value, 1, 0);
				c->descriptors++;
				c->named_toucher |= memmem(f.data, f.value, "toucher", 7) != NULL;
				c->named_worker |= memmem(f.data, f.value, "worker", 6) != NULL;
			}
			if (f.number == 11) {
				uint64_t uuid = pb_get(f.data, f.value, 11, 0), type = pb_get(f.data, f.value, 9, 0);
				size_t i = 0;

				while (i < nr_uuids && uuids[i] != uuid)
					i++;
				assert_true(i < nr_uuids);	/* described before */
				if (type == 3 && !c->instants++)
					c->first_instant_ts = ts;
				c->counters += type == 4;
				if (type == 3)
					assert_true(pb_has_string(f.data, f.value, 23, "fault-user") ||
						    pb_has_string(f.data, f.value, 23, "tlb-flush"));
				c->reason_named |= memmem(f.data, f.value, "remote shootdown", 16) != NULL;
			}
		}
		assert_true(has_seq);
	}
}

/* r's trace, written and decoded back into *c. */
static void perfetto(const struct recording *r, struct trace_check *c)
{
	struct capture cap;

	assert_int_equal(report_perfetto(r, capture_begin(&cap)), 0);
	capture_end(&cap);
	check_trace((const uint8_t *)cap.text, cap.len, c);
	free(cap.text);
}

static void test_perfetto_trace(void **state)
{
	struct trace_check c;

	(void)state;
	perfetto(&rec, &c);
	assert_int_equal(c.instants, NR_EVENTS);
	/* 3 processes + 4 threads + fault counters of 3 + the TLB counter of pid 100 */
	assert_int_equal(c.descriptors, 3 + 4 + 3 + 1);
	assert_true(c.named_toucher && c.named_worker && c.clock_snapshot && c.reason_named);
	/* on BOOTTIME, the default clock: the first event (pid 200's, at +5) moved by boot - mono */
	assert_false(c.any_clock_id);
	assert_int_equal(c.first_instant_ts, BOOT_START + 5);
	/*
	 * pid 100's faults: 6 in bucket 0 then 0 (bucket 1), 1 in bucket 2 then 0;
	 * its flush: 1 then 0; pid 200: 3 then 0; pid 300: 1 then 0
	 */
	assert_int_equal(c.counters, 4 + 2 + 2 + 2);
}

/* Without the clock pair, MONOTONIC as recorded, and every timestamp says so. */
static void test_perfetto_monotonic(void **state)
{
	struct recording r = rec;
	struct trace_check c;

	(void)state;
	r.nr_meta = 0;
	perfetto(&r, &c);
	assert_true(c.any_clock_id);
	assert_int_equal(c.first_instant_ts, MONO_START + 5);
	assert_int_equal(c.instants, NR_EVENTS);
}

static void test_perfetto_empty(void **state)
{
	struct recording r = rec;
	struct trace_check c;

	(void)state;
	r.nr_events = 0;
	perfetto(&r, &c);
	assert_int_equal(c.packets, 1);		/* the clock snapshot alone */
	assert_int_equal(c.instants, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_folded_lines),
		cmocka_unit_test(test_folded_counts_sum_to_events),
		cmocka_unit_test(test_folded_merges_and_bounds),
		cmocka_unit_test(test_folded_empty),
		cmocka_unit_test(test_write_error),
		cmocka_unit_test(test_flamegraph_xml),
		cmocka_unit_test(test_flamegraph_widths),
		cmocka_unit_test(test_flamegraph_hostile),
		cmocka_unit_test(test_flamegraph_empty),
		cmocka_unit_test(test_protobuf_writer),
		cmocka_unit_test(test_perfetto_trace),
		cmocka_unit_test(test_perfetto_monotonic),
		cmocka_unit_test(test_perfetto_empty),
	};

	return cmocka_run_group_tests_name("report_outputs", tests, setup, NULL);
}
