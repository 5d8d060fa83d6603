// SPDX-License-Identifier: GPL-2.0
/* Unit tests for src/record/recording.c: the recording's lookups and its release. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "recording.h"

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static void add_frame(struct recording *r, uint32_t pid, uint64_t ip, const char *function)
{
	struct rec_frame *f = &r->frames[r->nr_frames++];

	memset(f, 0, sizeof(*f));
	f->pid = pid;
	f->ip = ip;
	f->function = dup_or_null(function);
}

static void add_mapping(struct recording *r, uint32_t pid, uint64_t start, uint64_t end,
			const char *name)
{
	struct rec_mapping *m = &r->mappings[r->nr_mappings++];

	memset(m, 0, sizeof(*m));
	m->pid = pid;
	m->start = start;
	m->end = end;
	strcpy(m->perms, "r-xp");
	m->name = dup_or_null(name);
}

/* Out of order on purpose: the lookups must work after recording_index() alone. */
static void build(struct recording *r)
{
	memset(r, 0, sizeof(*r));
	r->frames = calloc(8, sizeof(*r->frames));
	add_frame(r, 42, 0x401000, "toucher");
	add_frame(r, 0, 0xffffffff81000000ULL, "do_anonymous_page");
	add_frame(r, 7, 0x401000, "other_process_same_ip");
	add_frame(r, 42, 0x400500, "main");
	add_frame(r, 0, 0xffffffff81000100ULL, NULL);

	r->mappings = calloc(8, sizeof(*r->mappings));
	add_mapping(r, 10, 0x5000, 0x6000, "[heap]");
	add_mapping(r, 11, 0x1000, 0x9000, "/usr/bin/other");
	add_mapping(r, 10, 0x2000, 0x3000, "/usr/lib/libc.so.6");
	add_mapping(r, 10, 0x1000, 0x2000, "/usr/bin/toucher");

	r->processes = calloc(3, sizeof(*r->processes));
	r->processes[0] = (struct rec_process){ .pid = 300, .ppid = 1, .comm = strdup("b") };
	r->processes[1] = (struct rec_process){ .pid = 20, .ppid = 1, .comm = strdup("a") };
	r->processes[2] = (struct rec_process){ .pid = 4000, .ppid = 20, .comm = NULL };
	r->nr_processes = 3;

	r->threads = calloc(3, sizeof(*r->threads));
	r->threads[0] = (struct rec_thread){ .pid = 20, .tid = 25, .comm = "worker" };
	r->threads[1] = (struct rec_thread){ .pid = 20, .tid = 20, .comm = "a" };
	r->threads[2] = (struct rec_thread){ .pid = 300, .tid = 300, .comm = "b" };
	r->nr_threads = 3;

	r->cgroups = calloc(2, sizeof(*r->cgroups));
	r->cgroups[0] = (struct rec_cgroup){ .key = 9000, .path = strdup("/system.slice"), };
	r->cgroups[1] = (struct rec_cgroup){ .key = 12, .path = strdup("/"), .container = NULL };
	r->nr_cgroups = 2;

	r->meta = calloc(3, sizeof(*r->meta));
	r->meta[0] = (struct rec_meta){ strdup("duration_ns"), strdup("0") };
	r->meta[1] = (struct rec_meta){ strdup("hostname"), strdup("box") };
	r->meta[2] = (struct rec_meta){ strdup("duration_ns"), strdup("5000") };
	r->nr_meta = 3;
	recording_index(r);
}

static void test_frame_by_pid_and_ip(void **state)
{
	struct recording r;
	const struct rec_frame *f;

	(void)state;
	build(&r);
	f = recording_frame(&r, 42, 0x401000);
	assert_non_null(f);
	assert_string_equal(f->function, "toucher");
	/* the same ip in another process is another frame */
	f = recording_frame(&r, 7, 0x401000);
	assert_non_null(f);
	assert_string_equal(f->function, "other_process_same_ip");
	assert_string_equal(recording_frame(&r, 42, 0x400500)->function, "main");
	assert_string_equal(recording_frame(&r, 0, 0xffffffff81000000ULL)->function,
			    "do_anonymous_page");
	/* recorded without a name: found, function NULL */
	f = recording_frame(&r, 0, 0xffffffff81000100ULL);
	assert_non_null(f);
	assert_null(f->function);
	assert_null(recording_frame(&r, 42, 0x401001));
	assert_null(recording_frame(&r, 0, 0x401000));
	assert_null(recording_frame(&r, 8, 0x401000));
	recording_free(&r);
}

static void test_mapping_neighbours_and_gaps(void **state)
{
	struct recording r;

	(void)state;
	build(&r);
	/* pid 10: [0x1000,0x2000) toucher, [0x2000,0x3000) libc, gap, [0x5000,0x6000) heap */
	assert_null(recording_mapping(&r, 10, 0xfff));
	assert_string_equal(recording_mapping(&r, 10, 0x1000)->name, "/usr/bin/toucher");
	assert_string_equal(recording_mapping(&r, 10, 0x1fff)->name, "/usr/bin/toucher");
	assert_string_equal(recording_mapping(&r, 10, 0x2000)->name, "/usr/lib/libc.so.6");
	assert_string_equal(recording_mapping(&r, 10, 0x2fff)->name, "/usr/lib/libc.so.6");
	assert_null(recording_mapping(&r, 10, 0x3000));
	assert_null(recording_mapping(&r, 10, 0x4fff));
	assert_string_equal(recording_mapping(&r, 10, 0x5000)->name, "[heap]");
	assert_null(recording_mapping(&r, 10, 0x6000));
	assert_null(recording_mapping(&r, 10, UINT64_MAX));
	/* another process's mapping holds addresses pid 10's gap lacks */
	assert_string_equal(recording_mapping(&r, 11, 0x4000)->name, "/usr/bin/other");
	assert_null(recording_mapping(&r, 11, 0x9000));
	/* processes without mappings, on either side in the order */
	assert_null(recording_mapping(&r, 9, 0x1000));
	assert_null(recording_mapping(&r, 12, 0x1000));
	recording_free(&r);
}

static void test_process_thread_cgroup_meta(void **state)
{
	struct recording r;

	(void)state;
	build(&r);
	assert_string_equal(recording_process(&r, 20)->comm, "a");
	assert_string_equal(recording_process(&r, 300)->comm, "b");
	assert_int_equal(recording_process(&r, 4000)->ppid, 20);
	assert_null(recording_process(&r, 21));
	assert_string_equal(recording_thread(&r, 25)->comm, "worker");
	assert_int_equal(recording_thread(&r, 25)->pid, 20);
	assert_int_equal(recording_thread(&r, 300)->pid, 300);
	assert_null(recording_thread(&r, 26));
	assert_string_equal(recording_cgroup(&r, 9000)->path, "/system.slice");
	assert_null(recording_cgroup(&r, 12)->container);
	assert_null(recording_cgroup(&r, 13));
	/* a fact written again later holds */
	assert_string_equal(recording_meta(&r, "duration_ns"), "5000");
	assert_string_equal(recording_meta(&r, "hostname"), "box");
	assert_null(recording_meta(&r, "kernel_release"));
	recording_free(&r);
}

static void test_empty_recording(void **state)
{
	struct recording r = { 0 };

	(void)state;
	recording_index(&r);
	assert_null(recording_meta(&r, "hostname"));
	assert_null(recording_frame(&r, 0, 0));
	assert_null(recording_process(&r, 1));
	assert_null(recording_thread(&r, 1));
	assert_null(recording_cgroup(&r, 1));
	assert_null(recording_mapping(&r, 1, 0x1000));
	recording_free(&r);
	recording_free(&r);
}

/*
 * What a reader that stopped half-way leaves: arrays with room for more
 * than they count, strings absent, some arrays never allocated. Under
 * ASan or valgrind a leak or a bad free shows; here, that nothing crashes
 * and the recording is empty after.
 */
static void test_free_partly_filled(void **state)
{
	struct recording r = { 0 };

	(void)state;
	r.stacks = calloc(4, sizeof(*r.stacks));
	r.stacks[0].nr_kernel = 2;
	r.stacks[0].ips = calloc(2, sizeof(uint64_t));
	r.nr_stacks = 1;
	r.frames = calloc(4, sizeof(*r.frames));
	r.frames[0].module = strdup("vmlinux");
	r.nr_frames = 1;
	r.mappings = calloc(4, sizeof(*r.mappings));
	r.nr_mappings = 1;		/* name NULL */
	r.meta = calloc(2, sizeof(*r.meta));
	r.meta[0].key = strdup("hostname");
	r.nr_meta = 1;			/* value NULL */
	r.events = calloc(16, sizeof(*r.events));
	recording_free(&r);
	assert_null(r.stacks);
	assert_null(r.events);
	assert_int_equal(r.nr_frames, 0);
	assert_int_equal(r.nr_mappings, 0);
	recording_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_frame_by_pid_and_ip),
		cmocka_unit_test(test_mapping_neighbours_and_gaps),
		cmocka_unit_test(test_process_thread_cgroup_meta),
		cmocka_unit_test(test_empty_recording),
		cmocka_unit_test(test_free_partly_filled),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
