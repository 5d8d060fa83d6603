// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for src/record/kvas_data_write.c and kvas_data_read.c: the
 * kvas.data round trip, a newer file's records and versions, and files
 * that are cut short or lie.
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

#include "kvas_data.h"

#define HEADER_LEN 12
#define EVENT_PAYLOAD 69
#define DMAP_CHANGE_PAYLOAD 88	/* with an empty comm: 8 u64, 4 u32, u16, 2 u8, u32 length */

/* A file in memory, written through a FILE* as kvas record writes one. */
struct file_bytes {
	char *data;
	size_t size;
	FILE *f;
	struct kd_writer w;
};

static void file_open(struct file_bytes *fb)
{
	memset(fb, 0, sizeof(*fb));
	fb->f = open_memstream(&fb->data, &fb->size);
	assert_non_null(fb->f);
	assert_int_equal(kd_write_begin(&fb->w, fb->f), 0);
}

static void file_close(struct file_bytes *fb)
{
	assert_int_equal(fclose(fb->f), 0);
}

/* A record of any type, as a newer or a broken writer would put it. */
static void raw_record(struct file_bytes *fb, uint32_t type, const void *payload, uint32_t len)
{
	uint8_t head[8];

	for (int i = 0; i < 4; i++) {
		head[i] = (uint8_t)(type >> (8 * i));
		head[4 + i] = (uint8_t)(len >> (8 * i));
	}
	assert_int_equal(fwrite(head, 1, 8, fb->f), 8);
	if (len)
		assert_int_equal(fwrite(payload, 1, len, fb->f), len);
}

static void put_le(uint8_t *b, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		b[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t stack_ips[] = { 0xffffffff81001000ULL, 0xffffffff81002000ULL, 0x401000, 0x400500 };

/* Every record type, every field set, in the order recording_index() leaves them. */
static void sample(struct recording *r)
{
	static struct rec_meta meta[] = {
		{ "kvas_version", "0.24" }, { "hostname", "box" }, { "exit_status", NULL },
	};
	static struct rec_stack stacks[] = {
		{ .nr_kernel = 2, .nr_user = 2, .flags = REC_STACK_USER_CUT, .ips = stack_ips },
		{ .nr_kernel = 0, .nr_user = 0, .flags = 0, .ips = stack_ips },
	};
	static struct rec_event events[] = {
		{ .ts_ns = 1000000001, .addr = 0x7f0000001000, .ip = 0x401000, .arg = 6,
		  .cgroup = 9000, .pa = 0x12345000, .pid = 42, .tid = 43, .cpu = 1, .stack = 0,
		  .kind = VM_FAULT_USER, .page_shift = 12 },
		{ .ts_ns = 1000000002, .arg = UINT64_MAX, .cgroup = 12, .pid = 42, .tid = 42,
		  .cpu = 0, .stack = REC_NO_STACK, .kind = VM_TLB_FLUSH, .reason = 3,
		  .tlb_class = 2 },
		{ .ts_ns = 1000000003, .addr = 0xffff888000001000ULL, .ip = 0xffffffff81001000ULL,
		  .arg = 2, .pa = 0x40000000, .pid = 42, .tid = 43, .stack = 1,
		  .kind = VM_FAULT_KERNEL, .page_shift = 30 },
	};
	static struct rec_frame frames[] = {
		{ .pid = 0, .ip = 0xffffffff81001000ULL, .function = "do_anonymous_page",
		  .offset = 0x10, .module = "vmlinux", .module_offset = 0x1000 },
		{ .pid = 42, .ip = 0x400500, .function = "", .offset = 5, .module = "toucher",
		  .module_offset = 0x500 },
		{ .pid = 42, .ip = 0x401000, .function = NULL, .offset = 0, .module = NULL,
		  .module_offset = 0 },
	};
	static struct rec_process processes[] = {
		{ .pid = 42, .ppid = 1, .comm = "toucher", .cmdline = "./toucher 5000", .cgroup = 9000 },
		{ .pid = 43, .ppid = 42, .comm = NULL, .cmdline = NULL, .cgroup = 0 },
	};
	static struct rec_thread threads[] = {
		{ .pid = 42, .tid = 42, .comm = "toucher" },
		{ .pid = 42, .tid = 43, .comm = "fifteen-chars-x" },
	};
	static struct rec_cgroup cgroups[] = {
		{ .key = 12, .path = "/", .container = NULL },
		{ .key = 9000, .path = "/system.slice/docker-ab.scope", .container = "web" },
	};
	static struct rec_mapping mappings[] = {
		{ .pid = 42, .start = 0x400000, .end = 0x402000, .pgoff = 0, .perms = "r-xp",
		  .name = "/tmp/toucher" },
		{ .pid = 42, .start = 0x7f0000000000, .end = 0x7f0000100000, .pgoff = 0x1000,
		  .perms = "rw-p", .name = NULL },
	};

	static struct rec_dmap_change dmap_changes[] = {
		{ .ts_ns = 1000000004, .addr = 0xffff888000200000ULL, .va = 0xffff888000200000ULL,
		  .pa = 0x200000, .pages = 512, .mask_clr = 2, .cgroup = 9000, .pid = 42,
		  .tid = 43, .stack = 1, .cpa_flags = 1, .function = DMAP_CHANGE_CPA,
		  .addr_kind = DMAP_ADDR_VA, .primary = 1, .comm = "toucher" },
		{ .ts_ns = 1000000005, .addr = 0xffffea0000008000ULL, .pages = 1, .pid = 7,
		  .tid = 7, .stack = REC_NO_STACK, .function = DMAP_CHANGE_INVALID,
		  .addr_kind = DMAP_ADDR_PAGE, .comm = { 's', 'i', 'x', 't', 'e', 'e', 'n', '-',
		  'c', 'h', 'a', 'r', 's', '-', 'x', 'y' } },
	};

	*r = (struct recording){
		.meta = meta, .nr_meta = 3, .events = events, .nr_events = 3,
		.stacks = stacks, .nr_stacks = 2, .frames = frames, .nr_frames = 3,
		.processes = processes, .nr_processes = 2, .threads = threads, .nr_threads = 2,
		.cgroups = cgroups, .nr_cgroups = 2, .mappings = mappings, .nr_mappings = 2,
		.dmap_changes = dmap_changes, .nr_dmap_changes = 2,
	};
}

/* The sample, its records in the order kvas record writes them; no end record. */
static void write_sample_body(struct file_bytes *fb, const struct recording *r)
{
	struct kd_writer *w = &fb->w;
	uint32_t index;

	for (size_t i = 0; i < r->nr_meta; i++)
		assert_int_equal(kd_write_meta(w, r->meta[i].key, r->meta[i].value), 0);
	for (size_t i = 0; i < r->nr_processes; i++)
		assert_int_equal(kd_write_process(w, &r->processes[i]), 0);
	for (size_t i = 0; i < r->nr_threads; i++)
		assert_int_equal(kd_write_thread(w, &r->threads[i]), 0);
	for (size_t i = 0; i < r->nr_cgroups; i++)
		assert_int_equal(kd_write_cgroup(w, &r->cgroups[i]), 0);
	for (size_t i = 0; i < r->nr_mappings; i++)
		assert_int_equal(kd_write_mapping(w, &r->mappings[i]), 0);
	for (size_t i = 0; i < r->nr_stacks; i++) {
		assert_int_equal(kd_write_stack(w, &r->stacks[i], &index), 0);
		assert_int_equal(index, i);
	}
	for (size_t i = 0; i < r->nr_events; i++)
		assert_int_equal(kd_write_event(w, &r->events[i]), 0);
	for (size_t i = 0; i < r->nr_dmap_changes; i++)
		assert_int_equal(kd_write_dmap_change(w, &r->dmap_changes[i]), 0);
	for (size_t i = 0; i < r->nr_frames; i++)
		assert_int_equal(kd_write_frame(w, &r->frames[i]), 0);
}

static void write_sample(struct file_bytes *fb)
{
	struct recording r;

	sample(&r);
	file_open(fb);
	write_sample_body(fb, &r);
	assert_int_equal(kd_write_end(&fb->w), 0);
	file_close(fb);
}

static void assert_str_or_null(const char *got, const char *want)
{
	if (!want)
		assert_null(got);
	else
		assert_string_equal(got, want);
}

static void assert_same_recording(const struct recording *got, const struct recording *want)
{
	assert_int_equal(got->nr_meta, want->nr_meta);
	for (size_t i = 0; i < want->nr_meta; i++) {
		assert_string_equal(got->meta[i].key, want->meta[i].key);
		assert_str_or_null(got->meta[i].value, want->meta[i].value);
	}
	assert_int_equal(got->nr_events, want->nr_events);
	for (size_t i = 0; i < want->nr_events; i++)
		assert_memory_equal(&got->events[i], &want->events[i], sizeof(struct rec_event));
	assert_int_equal(got->nr_stacks, want->nr_stacks);
	for (size_t i = 0; i < want->nr_stacks; i++) {
		const struct rec_stack *g = &got->stacks[i], *s = &want->stacks[i];

		assert_int_equal(g->nr_kernel, s->nr_kernel);
		assert_int_equal(g->nr_user, s->nr_user);
		assert_int_equal(g->flags, s->flags);
		for (uint32_t k = 0; k < s->nr_kernel + s->nr_user; k++)
			assert_int_equal(g->ips[k], s->ips[k]);
	}
	assert_int_equal(got->nr_frames, want->nr_frames);
	for (size_t i = 0; i < want->nr_frames; i++) {
		const struct rec_frame *g = &got->frames[i], *f = &want->frames[i];

		assert_int_equal(g->pid, f->pid);
		assert_int_equal(g->ip, f->ip);
		assert_str_or_null(g->function, f->function);
		assert_int_equal(g->offset, f->offset);
		assert_str_or_null(g->module, f->module);
		assert_int_equal(g->module_offset, f->module_offset);
	}
	assert_int_equal(got->nr_processes, want->nr_processes);
	for (size_t i = 0; i < want->nr_processes; i++) {
		const struct rec_process *g = &got->processes[i], *p = &want->processes[i];

		assert_int_equal(g->pid, p->pid);
		assert_int_equal(g->ppid, p->ppid);
		assert_int_equal(g->cgroup, p->cgroup);
		assert_str_or_null(g->comm, p->comm);
		assert_str_or_null(g->cmdline, p->cmdline);
	}
	assert_int_equal(got->nr_threads, want->nr_threads);
	for (size_t i = 0; i < want->nr_threads; i++) {
		assert_int_equal(got->threads[i].pid, want->threads[i].pid);
		assert_int_equal(got->threads[i].tid, want->threads[i].tid);
		assert_string_equal(got->threads[i].comm, want->threads[i].comm);
	}
	assert_int_equal(got->nr_cgroups, want->nr_cgroups);
	for (size_t i = 0; i < want->nr_cgroups; i++) {
		assert_int_equal(got->cgroups[i].key, want->cgroups[i].key);
		assert_str_or_null(got->cgroups[i].path, want->cgroups[i].path);
		assert_str_or_null(got->cgroups[i].container, want->cgroups[i].container);
	}
	assert_int_equal(got->nr_mappings, want->nr_mappings);
	for (size_t i = 0; i < want->nr_mappings; i++) {
		const struct rec_mapping *g = &got->mappings[i], *m = &want->mappings[i];

		assert_int_equal(g->pid, m->pid);
		assert_int_equal(g->start, m->start);
		assert_int_equal(g->end, m->end);
		assert_int_equal(g->pgoff, m->pgoff);
		assert_string_equal(g->perms, m->perms);
		assert_str_or_null(g->name, m->name);
	}
	/* comm filling its 16 bytes comes back cut to 15 and a NUL, as a thread's */
	assert_int_equal(got->nr_dmap_changes, want->nr_dmap_changes);
	for (size_t i = 0; i < want->nr_dmap_changes; i++) {
		struct rec_dmap_change w = want->dmap_changes[i];

		w.comm[sizeof(w.comm) - 1] = '\0';
		assert_memory_equal(&got->dmap_changes[i], &w, offsetof(struct rec_dmap_change, comm));
		assert_string_equal(got->dmap_changes[i].comm, w.comm);
	}
}

static void test_round_trip(void **state)
{
	struct recording want, got;
	struct file_bytes fb;
	char why[256] = "untouched";

	(void)state;
	sample(&want);
	write_sample(&fb);
	assert_memory_equal(fb.data, "KVASDATA\x01\x00\x01\x00", HEADER_LEN);
	assert_int_equal(kd_read_buffer(fb.data, fb.size, &got, why, sizeof(why)), 0);
	assert_string_equal(why, "");
	assert_same_recording(&got, &want);
	assert_string_equal(recording_frame(&got, 0, 0xffffffff81001000ULL)->function,
			    "do_anonymous_page");
	recording_free(&got);

	/* the same through a FILE*, as kvas report reads */
	FILE *f = fmemopen(fb.data, fb.size, "r");

	assert_non_null(f);
	assert_int_equal(kd_read(f, &got, why, sizeof(why)), 0);
	assert_same_recording(&got, &want);
	recording_free(&got);
	fclose(f);
	free(fb.data);
}

/* The encoding is the format's, not the host's: an event's bytes, one by one. */
static void test_event_bytes_little_endian(void **state)
{
	struct rec_event e = { .ts_ns = 0x0102030405060708ULL, .stack = REC_NO_STACK,
			       .pid = 0x11223344, .kind = 0x0201, .page_shift = 21 };
	struct file_bytes fb;
	const uint8_t *rec;

	(void)state;
	file_open(&fb);
	assert_int_equal(kd_write_event(&fb.w, &e), 0);
	file_close(&fb);
	assert_int_equal(fb.size, HEADER_LEN + 8 + EVENT_PAYLOAD);
	rec = (const uint8_t *)fb.data + HEADER_LEN;
	assert_memory_equal(rec, "\x02\x00\x00\x00\x45\x00\x00\x00", 8);
	assert_memory_equal(rec + 8, "\x08\x07\x06\x05\x04\x03\x02\x01", 8);
	assert_memory_equal(rec + 8 + 48, "\x44\x33\x22\x11", 4);
	assert_memory_equal(rec + 8 + 60, "\xff\xff\xff\xff\x01\x02", 6);
	assert_int_equal(rec[8 + 68], 21);
	free(fb.data);
}

/* A newer minor version: a record type this reader does not know, a known one grown longer. */
static void test_newer_minor_unknown_record(void **state)
{
	uint8_t meta[64], unknown[5] = { 1, 2, 3, 4, 5 };
	struct recording got;
	struct file_bytes fb;
	char why[256];

	(void)state;
	file_open(&fb);
	raw_record(&fb, 99, unknown, sizeof(unknown));
	raw_record(&fb, 0, NULL, 0);
	/* "a"="b" and four bytes of a field this reader does not know */
	put_le(meta, 1, 4);
	meta[4] = 'a';
	put_le(meta + 5, 1, 4);
	meta[9] = 'b';
	put_le(meta + 10, 0xdeadbeef, 4);
	raw_record(&fb, KD_META, meta, 14);
	assert_int_equal(kd_write_meta(&fb.w, "hostname", "box"), 0);
	assert_int_equal(kd_write_end(&fb.w), 0);
	file_close(&fb);
	fb.data[10] = 7;	/* minor 7 */
	assert_int_equal(kd_read_buffer(fb.data, fb.size, &got, why, sizeof(why)), 0);
	assert_int_equal(got.nr_meta, 2);
	assert_string_equal(recording_meta(&got, "a"), "b");
	assert_string_equal(recording_meta(&got, "hostname"), "box");
	recording_free(&got);
	free(fb.data);
}

static void test_newer_major_refused(void **state)
{
	struct recording got;
	struct file_bytes fb;
	char why[256];

	(void)state;
	write_sample(&fb);
	fb.data[8] = 2;
	assert_int_equal(kd_read_buffer(fb.data, fb.size, &got, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "version 2.1 is newer than this kvas reads (1.1)"));
	assert_int_equal(got.nr_events, 0);
	assert_null(got.events);
	fb.data[8] = 0;
	assert_int_equal(kd_read_buffer(fb.data, fb.size, &got, why, sizeof(why)), -1);
	free(fb.data);
}

static void test_not_kvas_data(void **state)
{
	struct recording got;
	char why[256];

	(void)state;
	assert_int_equal(kd_read_buffer(NULL, 0, &got, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "not a kvas.data file"));
	assert_int_equal(kd_read_buffer("PERFILE2\x01\x00\x00\x00", 12, &got, why, sizeof(why)), -1);
	assert_string_equal(why, "not a kvas.data file");
	/* no room for why is no reason to crash */
	assert_int_equal(kd_read_buffer("KVAS", 4, &got, NULL, 0), -1);
}

static const char cut_short[] =
	"cut short: no end record (kvas record was killed, or its disk filled, before it finished)";

/* Cut at every byte: never a crash, never "complete", and never more than was there. */
static void test_truncated_everywhere(void **state)
{
	struct recording want, got;
	struct file_bytes fb;
	size_t last_events = 0;
	char why[256];

	(void)state;
	sample(&want);
	write_sample(&fb);
	for (size_t cut = 0; cut < fb.size; cut++) {
		int rc = kd_read_buffer(fb.data, cut, &got, why, sizeof(why));

		assert_true(rc == 1 || rc == -1);
		if (cut < HEADER_LEN) {
			assert_int_equal(rc, -1);
			continue;
		}
		/* what the writer wrote whole before the cut is all there */
		assert_int_equal(rc, 1);
		assert_memory_equal(why, cut_short, strlen(cut_short));
		assert_true(got.nr_events >= last_events);
		assert_true(got.nr_events <= want.nr_events);
		for (size_t i = 0; i < got.nr_events; i++)
			assert_memory_equal(&got.events[i], &want.events[i], sizeof(got.events[i]));
		last_events = got.nr_events;
		recording_free(&got);
	}
	assert_int_equal(last_events, want.nr_events);

	/* at a record boundary, the message is the cut alone; inside one, it names the offset */
	assert_int_equal(kd_read_buffer(fb.data, fb.size - 8, &got, why, sizeof(why)), 1);
	assert_string_equal(why, cut_short);
	assert_same_recording(&got, &want);
	recording_free(&got);
	assert_int_equal(kd_read_buffer(fb.data, fb.size - 9, &got, why, sizeof(why)), 1);
	assert_non_null(strstr(why, "is incomplete"));
	recording_free(&got);
	free(fb.data);
}

/* A string whose length runs past its record's end, with the file going on after it. */
static void test_length_past_record_end(void **state)
{
	uint8_t meta[16];
	struct recording got;
	struct file_bytes fb;
	char why[256];

	(void)state;
	file_open(&fb);
	assert_int_equal(kd_write_meta(&fb.w, "hostname", "box"), 0);
	put_le(meta, 1, 4);
	meta[4] = 'k';
	put_le(meta + 5, 100, 4);	/* the value claims 100 bytes; 3 follow */
	memcpy(meta + 9, "abc", 3);
	raw_record(&fb, KD_META, meta, 12);
	assert_int_equal(kd_write_meta(&fb.w, "after", "it"), 0);
	assert_int_equal(kd_write_end(&fb.w), 0);
	file_close(&fb);
	assert_int_equal(kd_read_buffer(fb.data, fb.size, &got, why, sizeof(why)), -1);
	assert_string_equal(why, "record at offset 39 (meta): a string's length 100 runs past "
			    "the record's end");
	assert_null(got.meta);
	free(fb.data);
}

/* A record whose length runs past the file's end, far beyond what any record holds. */
static void test_record_length_past_file_end(void **state)
{
	struct recording got;
	struct file_bytes fb;
	char why[256];

	(void)state;
	file_open(&fb);
	raw_record(&fb, KD_META, NULL, 0);
	file_close(&fb);
	/* the empty meta's length, rewritten: 4 GiB - 1 */
	memset(fb.data + HEADER_LEN + 4, 0xff, 4);
	assert_int_equal(kd_read_buffer(fb.data, fb.size, &got, why, sizeof(why)), -1);
	assert_string_equal(why, "record at offset 12: length 4294967295 is more than any "
			    "record holds");
	free(fb.data);
}

static void test_huge_stack_count(void **state)
{
	uint8_t stack[12 + 8];
	struct recording got;
	struct file_bytes fb;
	char why[256];

	(void)state;
	file_open(&fb);
	put_le(stack, UINT32_MAX, 4);	/* nr_kernel */
	put_le(stack + 4, 2, 4);	/* nr_user: the sum overflows a u32 */
	put_le(stack + 8, 0, 4);
	put_le(stack + 12, 0x401000, 8);
	raw_record(&fb, KD_STACK, stack, sizeof(stack));
	assert_int_equal(kd_write_end(&fb.w), 0);
	file_close(&fb);
	assert_int_equal(kd_read_buffer(fb.data, fb.size, &got, why, sizeof(why)), -1);
	assert_string_equal(why, "record at offset 12 (stack): 4294967297 frames, more than 512");

	/* within the bound, but more frames than the record holds */
	put_le((uint8_t *)fb.data + HEADER_LEN + 8, 3, 4);
	assert_int_equal(kd_read_buffer(fb.data, fb.size, &got, why, sizeof(why)), -1);
	assert_string_equal(why, "record at offset 12 (stack): 5 frames run past the record's end");
	free(fb.data);
}

/* The writer keeps a stack's leaf-most frames, and says the chain was cut. */
static void test_long_stack_clamped(void **state)
{
	uint64_t *ips = calloc(KD_MAX_STACK_FRAMES + 10, sizeof(*ips));
	struct rec_stack s = { .nr_kernel = 10, .nr_user = KD_MAX_STACK_FRAMES, .ips = ips };
	struct recording got;
	struct file_bytes fb;
	uint32_t index = 99;

	(void)state;
	for (uint32_t i = 0; i < KD_MAX_STACK_FRAMES + 10; i++)
		ips[i] = 0x1000 + i;
	file_open(&fb);
	assert_int_equal(kd_write_stack(&fb.w, &s, &index), 0);
	assert_int_equal(index, 0);
	assert_int_equal(kd_write_end(&fb.w), 0);
	file_close(&fb);
	assert_int_equal(kd_read_buffer(fb.data, fb.size, &got, NULL, 0), 0);
	assert_int_equal(got.nr_stacks, 1);
	assert_int_equal(got.stacks[0].nr_kernel, 10);
	assert_int_equal(got.stacks[0].nr_user, KD_MAX_STACK_FRAMES - 10);
	assert_int_equal(got.stacks[0].flags, REC_STACK_USER_CUT);
	assert_int_equal(got.stacks[0].ips[KD_MAX_STACK_FRAMES - 1], 0x1000 + KD_MAX_STACK_FRAMES - 1);
	recording_free(&got);
	free(ips);
	free(fb.data);
}

static void test_event_stack_out_of_range(void **state)
{
	struct rec_event e = { .ts_ns = 1, .stack = 0 };
	uint8_t payload[EVENT_PAYLOAD] = { 0 };
	struct recording got;
	struct file_bytes fb;
	char why[256];

	(void)state;
	/* the writer refuses to write what the reader would refuse, and that sticks */
	file_open(&fb);
	assert_int_equal(kd_write_event(&fb.w, &e), -EINVAL);
	assert_int_equal(kd_write_end(&fb.w), -EINVAL);
	file_close(&fb);
	assert_int_equal(fb.size, HEADER_LEN);
	free(fb.data);

	/* one stack given, the event names the second */
	file_open(&fb);
	assert_int_equal(kd_write_stack(&fb.w, &(struct rec_stack){ .ips = stack_ips }, NULL), 0);
	put_le(payload + 60, 1, 4);
	raw_record(&fb, KD_EVENT, payload, sizeof(payload));
	assert_int_equal(kd_write_end(&fb.w), 0);
	file_close(&fb);
	assert_int_equal(kd_read_buffer(fb.data, fb.size, &got, why, sizeof(why)), -1);
	assert_string_equal(why, "record at offset 32 (event): stack 1 is not one given before "
			    "the event");
	free(fb.data);
}

/* A change names a stack as an event does: one not given before is corrupt; a short one is too. */
static void test_dmap_change_checked(void **state)
{
	struct rec_dmap_change c = { .stack = 0, .function = DMAP_CHANGE_DEFAULT, .pages = 1 };
	uint8_t payload[DMAP_CHANGE_PAYLOAD + 4] = { 0 };
	struct recording got;
	struct file_bytes fb;
	char why[256];

	(void)state;
	file_open(&fb);
	assert_int_equal(kd_write_dmap_change(&fb.w, &c), -EINVAL);
	file_close(&fb);
	assert_int_equal(fb.size, HEADER_LEN);
	free(fb.data);

	file_open(&fb);
	put_le(payload + 72, 3, 4);		/* stack 3 */
	raw_record(&fb, KD_DMAP_CHANGE, payload, DMAP_CHANGE_PAYLOAD);
	assert_int_equal(kd_write_end(&fb.w), 0);
	file_close(&fb);
	assert_int_equal(kd_read_buffer(fb.data, fb.size, &got, why, sizeof(why)), -1);
	assert_string_equal(why, "record at offset 12 (direct-map change): stack 3 is not one "
			    "given before the change");
	free(fb.data);

	/* without its comm's length: a field past the record's end */
	file_open(&fb);
	put_le(payload + 72, REC_NO_STACK, 4);
	raw_record(&fb, KD_DMAP_CHANGE, payload, DMAP_CHANGE_PAYLOAD - 4);
	raw_record(&fb, KD_DMAP_CHANGE, payload, DMAP_CHANGE_PAYLOAD);
	assert_int_equal(kd_write_end(&fb.w), 0);
	file_close(&fb);
	assert_int_equal(kd_read_buffer(fb.data, fb.size, &got, why, sizeof(why)), -1);
	assert_string_equal(why, "record at offset 12 (direct-map change): a field runs past the "
			    "record's end");
	free(fb.data);
}

/* Once the end record is read the file is done: anything after it is corrupt. */
static void test_records_after_end(void **state)
{
	uint8_t event[8 + EVENT_PAYLOAD] = { 0 };
	struct recording got;
	struct file_bytes fb;
	char why[256];
	char *longer;

	(void)state;
	write_sample(&fb);
	longer = malloc(fb.size + sizeof(event));
	memcpy(longer, fb.data, fb.size);

	/* a second end record */
	memcpy(longer + fb.size, fb.data + fb.size - 8, 8);
	assert_int_equal(kd_read_buffer(longer, fb.size + 8, &got, why, sizeof(why)), -1);
	assert_string_equal(why + strcspn(why, ":"), ": data after the end record");
	assert_null(got.events);

	/* an event after the end record */
	put_le(event, KD_EVENT, 4);
	put_le(event + 4, EVENT_PAYLOAD, 4);
	put_le(event + 8 + 60, REC_NO_STACK, 4);
	memcpy(longer + fb.size, event, sizeof(event));
	assert_int_equal(kd_read_buffer(longer, fb.size + sizeof(event), &got, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "data after the end record"));
	free(longer);
	free(fb.data);
}

/* A write that fails (a full disk) sticks: every later call returns it. */
static void test_writer_error_sticks(void **state)
{
	char tiny[20];
	struct kd_writer w;
	FILE *f;
	int err;

	(void)state;
	f = fmemopen(tiny, sizeof(tiny), "w");
	assert_non_null(f);
	setvbuf(f, NULL, _IONBF, 0);	/* each fwrite reaches the buffer's end now */
	assert_int_equal(kd_write_begin(&w, f), 0);
	err = kd_write_meta(&w, "hostname", "a name longer than what is left");
	assert_true(err < 0);
	assert_int_equal(w.err, err);
	assert_int_equal(kd_write_meta(&w, "k", "v"), err);
	assert_int_equal(kd_write_event(&w, &(struct rec_event){ .stack = REC_NO_STACK }), err);
	assert_int_equal(kd_write_stack(&w, &(struct rec_stack){ .ips = stack_ips }, NULL), err);
	assert_int_equal(w.nr_stacks, 0);
	assert_int_equal(kd_write_frame(&w, &(struct rec_frame){ 0 }), err);
	assert_int_equal(kd_write_process(&w, &(struct rec_process){ 0 }), err);
	assert_int_equal(kd_write_thread(&w, &(struct rec_thread){ 0 }), err);
	assert_int_equal(kd_write_cgroup(&w, &(struct rec_cgroup){ 0 }), err);
	assert_int_equal(kd_write_mapping(&w, &(struct rec_mapping){ 0 }), err);
	assert_int_equal(kd_write_end(&w), err);
	fclose(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_event_bytes_little_endian),
		cmocka_unit_test(test_newer_minor_unknown_record),
		cmocka_unit_test(test_newer_major_refused),
		cmocka_unit_test(test_not_kvas_data),
		cmocka_unit_test(test_truncated_everywhere),
		cmocka_unit_test(test_length_past_record_end),
		cmocka_unit_test(test_record_length_past_file_end),
		cmocka_unit_test(test_huge_stack_count),
		cmocka_unit_test(test_long_stack_clamped),
		cmocka_unit_test(test_event_stack_out_of_range),
		cmocka_unit_test(test_records_after_end),
		cmocka_unit_test(test_dmap_change_checked),
		cmocka_unit_test(test_writer_error_sticks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
