// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "call_chains.h"
#include "perfetto_tracks.h"

/*
 * One uuid per pid and per tid, and never another for the same one:
 * trace_processor takes a second uuid for a pid as the pid reused.
 */
static uint64_t process_track_uuid(uint32_t pid)
{
	return 1ULL << 40 | pid;
}

uint64_t thread_track_uuid(uint32_t tid)
{
	return 2ULL << 40 | tid;
}

static uint64_t counter_track_uuid(uint32_t pid, enum perfetto_counter c)
{
	return 3ULL << 40 | (uint64_t)pid << 1 | c;
}

static const char *const counter_names[NR_COUNTERS] = {
	[COUNT_FAULTS] = "faults/s (100 ms buckets)",
	[COUNT_FLUSHES] = "TLB flushes/s (100 ms buckets)",
};

static const char *const counter_units[NR_COUNTERS] = {
	[COUNT_FAULTS] = "faults/s",
	[COUNT_FLUSHES] = "flushes/s",
};

/* An event as the sorts below see it. */
struct event_key {
	uint64_t ts;
	uint32_t pid, tid;
	int counter;			/* enum perfetto_counter, or -1: counted by none */
	size_t index;
};

/* Which counter an event adds to: a fault, or a TLB event that flushed (not a request, no skip). */
static int counter_of(const struct rec_event *e)
{
	if (e->kind == VM_FAULT_USER || e->kind == VM_FAULT_KERNEL)
		return COUNT_FAULTS;
	if (e->kind == VM_TLB_FLUSH && (e->tlb_class == TLBC_LOCAL || e->tlb_class == TLBC_REMOTE))
		return COUNT_FLUSHES;
	return -1;
}

#define CMP(a, b) do { if ((a) != (b)) return (a) < (b) ? -1 : 1; } while (0)

static int by_time(const void *a, const void *b)
{
	const struct event_key *x = a, *y = b;

	CMP(x->ts, y->ts);
	CMP(x->index, y->index);
	return 0;
}

static int by_pid_counter(const void *a, const void *b)
{
	const struct event_key *x = a, *y = b;

	CMP(x->pid, y->pid);
	CMP(x->counter, y->counter);
	return by_time(a, b);
}

static int by_tid(const void *a, const void *b)
{
	const struct event_key *x = a, *y = b;

	CMP(x->tid, y->tid);
	return by_time(a, b);
}

static int point_cmp(const void *a, const void *b)
{
	const struct counter_point *x = a, *y = b;

	CMP(x->ts, y->ts);
	CMP(x->uuid, y->uuid);
	return 0;
}

static void add_point(struct perfetto_tracks *t, uint64_t ts, uint64_t uuid, double per_s)
{
	t->points[t->nr_points++] = (struct counter_point){ ts, uuid, per_s };
}

/*
 * The counter's steps over the events k[0..n) (one pid, one counter, in
 * time order): a point where a bucket's rate differs from the last, and 0
 * after a bucket with none. At most two points an event.
 */
static void count_buckets(struct perfetto_tracks *t, const struct event_key *k, size_t n,
			  uint64_t origin, uint64_t uuid)
{
	const double per_s = 1e9 / COUNTER_BUCKET_NS;
	uint64_t bucket = (k[0].ts - origin) / COUNTER_BUCKET_NS, in_bucket = 0;
	double last = 0;

	for (size_t i = 0; i <= n; i++) {
		uint64_t b = i < n ? (k[i].ts - origin) / COUNTER_BUCKET_NS : UINT64_MAX;

		if (b == bucket) {
			in_bucket++;
			continue;
		}
		if (in_bucket * per_s != last) {
			last = in_bucket * per_s;
			add_point(t, origin + bucket * COUNTER_BUCKET_NS, uuid, last);
		}
		if (b != bucket + 1) {
			/* a bucket without events: the rate falls to 0 */
			add_point(t, origin + (bucket + 1) * COUNTER_BUCKET_NS, uuid, 0);
			last = 0;
		}
		bucket = b;
		in_bucket = 1;
	}
}

/* Processes, and their counters' points, from the keys sorted by pid and counter. */
static void find_processes(struct perfetto_tracks *t, const struct event_key *k, size_t n,
			   uint64_t origin)
{
	for (size_t i = 0, run; i < n; i = run) {
		struct perfetto_process *p;

		for (run = i + 1; run < n && k[run].pid == k[i].pid && k[run].counter == k[i].counter;)
			run++;
		if (!t->nr_processes || t->processes[t->nr_processes - 1].pid != k[i].pid)
			t->processes[t->nr_processes++] = (struct perfetto_process){ .pid = k[i].pid };
		p = &t->processes[t->nr_processes - 1];
		if (k[i].counter < 0)
			continue;
		p->counted[k[i].counter] = true;
		count_buckets(t, k + i, run - i, origin, counter_track_uuid(p->pid, k[i].counter));
	}
}

int perfetto_tracks_build(const struct recording *r, struct perfetto_tracks *t)
{
	size_t n = r->nr_events, room = n ? n : 1;
	struct event_key *k = malloc(room * sizeof(*k));

	memset(t, 0, sizeof(*t));
	t->by_time = malloc(room * sizeof(*t->by_time));
	t->points = malloc(2 * room * sizeof(*t->points));
	t->processes = malloc(room * sizeof(*t->processes));
	t->threads = malloc(room * sizeof(*t->threads));
	if (!k || !t->by_time || !t->points || !t->processes || !t->threads) {
		free(k);
		perfetto_tracks_free(t);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		const struct rec_event *e = &r->events[i];

		k[i] = (struct event_key){ e->ts_ns, e->pid, e->tid, counter_of(e), i };
	}
	qsort(k, n, sizeof(*k), by_time);
	for (size_t i = 0; i < n; i++)
		t->by_time[i] = k[i].index;
	t->nr_by_time = n;
	if (n) {
		/* buckets start at the first event, whatever the process */
		uint64_t origin = k[0].ts;

		qsort(k, n, sizeof(*k), by_pid_counter);
		find_processes(t, k, n, origin);
		qsort(t->points, t->nr_points, sizeof(*t->points), point_cmp);
	}
	/* a thread belongs to the process of its first event */
	qsort(k, n, sizeof(*k), by_tid);
	for (size_t i = 0; i < n; i++)
		if (!i || k[i].tid != k[i - 1].tid)
			t->threads[t->nr_threads++] = (struct perfetto_thread){ k[i].tid, k[i].pid };
	free(k);
	return 0;
}

/* s as valid UTF-8 without control bytes ('?' for either), cut to fit buf. */
static const char *clean_name(const char *s, char *buf, size_t len)
{
	size_t at = 0;

	while (*s) {
		size_t n = utf8_char_len(s);

		if (at + (n ? n : 1) >= len)
			break;
		if (n > 1 || (n == 1 && (unsigned char)*s >= 0x20 && *s != 0x7f))
			memcpy(buf + at, s, n);
		else
			buf[at] = '?';
		at += n ? n : 1;
		s += n ? n : 1;
	}
	buf[at] = '\0';
	return buf;
}

static const char *process_name(const struct recording *r, uint32_t pid, char *buf, size_t len)
{
	const struct rec_process *p = recording_process(r, pid);
	const struct rec_thread *t = recording_thread(r, pid);

	if (p && p->comm)
		return clean_name(p->comm, buf, len);
	if (t) {
		char comm[sizeof(t->comm) + 1];

		snprintf(comm, sizeof(comm), "%.*s", (int)sizeof(t->comm), t->comm);
		return clean_name(comm, buf, len);
	}
	return NULL;
}

static const char *thread_name(const struct recording *r, const struct perfetto_thread *th,
			       char *buf, size_t len)
{
	const struct rec_thread *t = recording_thread(r, th->tid);
	char comm[sizeof(t->comm) + 1];

	if (!t)
		return process_name(r, th->pid, buf, len);
	snprintf(comm, sizeof(comm), "%.*s", (int)sizeof(t->comm), t->comm);
	return clean_name(comm, buf, len);
}

/* Open a descriptor packet of a track: its uuid, and its parent's (0: none). */
static size_t track_begin(struct perfetto_out *p, uint64_t ts, uint64_t uuid, uint64_t parent)
{
	size_t track;

	perfetto_packet_begin(p, ts != 0, ts);
	track = pb_message_begin(&p->packet, PACKET_TRACK_DESCRIPTOR);
	pb_varint_field(&p->packet, TRACK_UUID, uuid);
	if (parent)
		pb_varint_field(&p->packet, TRACK_PARENT_UUID, parent);
	return track;
}

static void track_end(struct perfetto_out *p, size_t track)
{
	pb_message_end(&p->packet, track);
	perfetto_packet_end(p);
}

static void describe_process(struct perfetto_out *p, const struct recording *r,
			     const struct perfetto_process *proc, uint64_t ts)
{
	uint64_t uuid = process_track_uuid(proc->pid);
	size_t track = track_begin(p, ts, uuid, 0), desc;
	const char *name;
	char buf[256];

	desc = pb_message_begin(&p->packet, TRACK_PROCESS);
	pb_varint_field(&p->packet, PROCESS_PID, proc->pid);
	name = process_name(r, proc->pid, buf, sizeof(buf));
	if (name)
		pb_string_field(&p->packet, PROCESS_NAME, name);
	pb_message_end(&p->packet, desc);
	track_end(p, track);
	for (int c = 0; c < NR_COUNTERS; c++) {
		if (!proc->counted[c])
			continue;
		track = track_begin(p, ts, counter_track_uuid(proc->pid, c), uuid);
		pb_string_field(&p->packet, TRACK_NAME, counter_names[c]);
		desc = pb_message_begin(&p->packet, TRACK_COUNTER);
		pb_string_field(&p->packet, COUNTER_UNIT_NAME, counter_units[c]);
		pb_message_end(&p->packet, desc);
		track_end(p, track);
	}
}

void perfetto_tracks_describe(struct perfetto_out *p, const struct recording *r,
			      const struct perfetto_tracks *t, uint64_t ts)
{
	char buf[256];

	/* just before the first event, so that they sort before it too */
	ts = ts ? ts - 1 : 0;
	for (size_t i = 0; i < t->nr_processes; i++)
		describe_process(p, r, &t->processes[i], ts);
	for (size_t i = 0; i < t->nr_threads; i++) {
		const struct perfetto_thread *th = &t->threads[i];
		size_t track = track_begin(p, ts, thread_track_uuid(th->tid),
					   process_track_uuid(th->pid)), desc;
		const char *name = thread_name(r, th, buf, sizeof(buf));

		desc = pb_message_begin(&p->packet, TRACK_THREAD);
		pb_varint_field(&p->packet, THREAD_PID, th->pid);
		pb_varint_field(&p->packet, THREAD_TID, th->tid);
		if (name)
			pb_string_field(&p->packet, THREAD_NAME, name);
		pb_message_end(&p->packet, desc);
		track_end(p, track);
	}
}

void perfetto_tracks_free(struct perfetto_tracks *t)
{
	free(t->by_time);
	free(t->points);
	free(t->processes);
	free(t->threads);
	memset(t, 0, sizeof(*t));
}
