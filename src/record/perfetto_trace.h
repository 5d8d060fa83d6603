/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Perfetto's trace format, the part kvas writes: field numbers from
 * google/perfetto's protos/perfetto/trace/: trace_packet.proto,
 * clock_snapshot.proto and the track_event folder (tests/perfetto_minimal.proto
 * holds the same subset for protoc); one packet at a time into the file.
 * Pure.
 */
#ifndef KVAS_PERFETTO_TRACE_H
#define KVAS_PERFETTO_TRACE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "protobuf_writer.h"

enum {
	TRACE_PACKET = 1,			/* Trace: repeated TracePacket */

	PACKET_TIMESTAMP = 8,			/* TracePacket */
	PACKET_TIMESTAMP_CLOCK_ID = 58,
	PACKET_CLOCK_SNAPSHOT = 6,
	PACKET_TRACK_EVENT = 11,
	PACKET_TRACK_DESCRIPTOR = 60,
	PACKET_SEQUENCE_ID = 10,		/* trusted_packet_sequence_id */
	PACKET_SEQUENCE_FLAGS = 13,
	PACKET_FIRST_ON_SEQUENCE = 87,

	SNAPSHOT_CLOCKS = 1,			/* ClockSnapshot */
	SNAPSHOT_PRIMARY_CLOCK = 2,
	CLOCK_ID = 1,				/* ClockSnapshot.Clock */
	CLOCK_TIMESTAMP = 2,

	TRACK_UUID = 1,				/* TrackDescriptor */
	TRACK_NAME = 2,
	TRACK_PROCESS = 3,
	TRACK_THREAD = 4,
	TRACK_PARENT_UUID = 5,
	TRACK_COUNTER = 8,
	PROCESS_PID = 1,			/* ProcessDescriptor */
	PROCESS_NAME = 6,
	THREAD_PID = 1,				/* ThreadDescriptor */
	THREAD_TID = 2,
	THREAD_NAME = 5,
	COUNTER_UNIT = 3,			/* CounterDescriptor */
	COUNTER_UNIT_NAME = 6,

	EVENT_DEBUG_ANNOTATIONS = 4,		/* TrackEvent */
	EVENT_TYPE = 9,
	EVENT_TRACK_UUID = 11,
	EVENT_NAME = 23,
	EVENT_DOUBLE_COUNTER_VALUE = 44,
	ANNOTATION_UINT = 3,			/* DebugAnnotation */
	ANNOTATION_STRING = 6,
	ANNOTATION_POINTER = 7,
	ANNOTATION_NAME = 10,
};

enum { EVENT_TYPE_INSTANT = 3, EVENT_TYPE_COUNTER = 4 };	/* TrackEvent.Type */
enum { CLOCK_MONOTONIC = 3, CLOCK_BOOTTIME = 6 };		/* BuiltinClock */
enum { SEQ_INCREMENTAL_STATE_CLEARED = 1 };			/* TracePacket.SequenceFlags */
enum { UNIT_COUNT = 2 };					/* CounterDescriptor.Unit */

/* All of kvas's packets are one sequence: trace_processor drops track events without one. */
#define KVAS_SEQUENCE_ID 1

struct perfetto_out {
	FILE *out;
	struct pb_buf packet;
	size_t body;			/* of the open packet */
	bool started;			/* a packet went out: the next is not the sequence's first */
	uint32_t clock_id;		/* on every timestamp; 0: BOOTTIME, the default, not written */
	int err;			/* -ENOMEM or the write's error: sticky */
};

/* Open a packet with its sequence id, and its timestamp (ns) when has_ts. */
void perfetto_packet_begin(struct perfetto_out *p, bool has_ts, uint64_t ts);
/* Close it and write it out. */
void perfetto_packet_end(struct perfetto_out *p);
/* A ClockSnapshot's clock: its BuiltinClock id and its reading (ns). */
void perfetto_clock(struct pb_buf *b, uint32_t clock_id, uint64_t ts);

#endif
