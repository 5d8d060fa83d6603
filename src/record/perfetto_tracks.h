/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The tracks of kvas's Perfetto trace, from a recording's events: one per
 * process, one per thread, and per process a counter of its faults and
 * one of its TLB flushes, per second over 100 ms buckets. Pure.
 */
#ifndef KVAS_PERFETTO_TRACKS_H
#define KVAS_PERFETTO_TRACKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "perfetto_trace.h"
#include "recording.h"

#define COUNTER_BUCKET_NS 100000000ULL

enum perfetto_counter { COUNT_FAULTS, COUNT_FLUSHES, NR_COUNTERS };

/* A counter's value from ts on (the recording's clock), until its next point. */
struct counter_point {
	uint64_t ts;
	uint64_t uuid;
	double per_s;
};

struct perfetto_process {
	uint32_t pid;
	bool counted[NR_COUNTERS];	/* it had such events: its counter track is there */
};

struct perfetto_thread {
	uint32_t tid, pid;
};

struct perfetto_tracks {
	size_t *by_time;		/* the events' indices, in time order */
	size_t nr_by_time;
	struct counter_point *points;	/* in time order */
	size_t nr_points;
	struct perfetto_process *processes;
	size_t nr_processes;
	struct perfetto_thread *threads;
	size_t nr_threads;
};

/* 0, or -ENOMEM (t then holds nothing). */
int perfetto_tracks_build(const struct recording *r, struct perfetto_tracks *t);
/* Every track's descriptor, at ts (the first event's, on the trace's clock). */
void perfetto_tracks_describe(struct perfetto_out *p, const struct recording *r,
			      const struct perfetto_tracks *t, uint64_t ts);
void perfetto_tracks_free(struct perfetto_tracks *t);

/* Where a thread's events go. */
uint64_t thread_track_uuid(uint32_t tid);

#endif
