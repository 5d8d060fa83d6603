// SPDX-License-Identifier: GPL-2.0
/*
 * The recording as a Perfetto trace (ui.perfetto.dev, trace_processor):
 * a process track per pid and a thread track per tid, named by comm; per
 * process, counter tracks of faults and TLB flushes per second; an instant
 * on its thread's track for every event, its facts as debug annotations.
 * Every track's descriptor comes first in the file (trace_processor drops
 * events of tracks it does not know yet), then the events in time order.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "perfetto_tracks.h"
#include "report_outputs.h"
#include "vm_decode.h"

/* The clock the trace's timestamps are on, from the meta record wrote. */
static void choose_clock(const struct recording *r, struct perfetto_out *p, uint64_t *shift,
			 uint64_t first_ts)
{
	const char *mono = recording_meta(r, "mono_start_ns");
	const char *boot = recording_meta(r, "boot_start_ns");
	char *end1 = NULL, *end2 = NULL;
	uint64_t m = mono ? strtoull(mono, &end1, 10) : 0, b = boot ? strtoull(boot, &end2, 10) : 0;
	size_t clocks;

	perfetto_packet_begin(p, false, 0);
	clocks = pb_message_begin(&p->packet, PACKET_CLOCK_SNAPSHOT);
	if (mono && boot && !*end1 && !*end2 && end1 != mono && end2 != boot && b >= m) {
		/* BOOTTIME, Perfetto's default: events line up with what other tracers saw */
		*shift = b - m;
		perfetto_clock(&p->packet, CLOCK_MONOTONIC, m);
		perfetto_clock(&p->packet, CLOCK_BOOTTIME, b);
		pb_varint_field(&p->packet, SNAPSHOT_PRIMARY_CLOCK, CLOCK_BOOTTIME);
	} else {
		/* no pair to convert with: stay on MONOTONIC, and say so on every packet */
		*shift = 0;
		p->clock_id = CLOCK_MONOTONIC;
		perfetto_clock(&p->packet, CLOCK_MONOTONIC, first_ts);
		pb_varint_field(&p->packet, SNAPSHOT_PRIMARY_CLOCK, CLOCK_MONOTONIC);
	}
	pb_message_end(&p->packet, clocks);
	perfetto_packet_end(p);
}

static void annotate(struct pb_buf *b, const char *name, uint32_t field, uint64_t value,
		     const char *text)
{
	size_t a = pb_message_begin(b, EVENT_DEBUG_ANNOTATIONS);

	pb_string_field(b, ANNOTATION_NAME, name);
	if (text)
		pb_string_field(b, ANNOTATION_STRING, text);
	else
		pb_varint_field(b, field, value);
	pb_message_end(b, a);
}

static void fault_annotations(struct pb_buf *b, const struct rec_event *e)
{
	unsigned int cls = !!(e->arg & 2) * FAULT_CLASS_WRITE | !!(e->arg & 16) * FAULT_CLASS_IFETCH |
			   !!(e->arg & 1) * FAULT_CLASS_PROT;
	char error[96];

	annotate(b, "address", ANNOTATION_POINTER, e->addr, NULL);
	annotate(b, "physical address", ANNOTATION_POINTER, e->pa,
		 e->page_shift ? NULL : "not translated");
	annotate(b, "error class", 0, 0, fault_class_name(cls));
	annotate(b, "error code", 0, 0, fault_error_str(e->arg, error, sizeof(error)));
	annotate(b, "ip", ANNOTATION_POINTER, e->ip, NULL);
}

static void tlb_annotations(struct pb_buf *b, const struct rec_event *e,
			    const struct tlb_reasons *reasons)
{
	annotate(b, "reason", 0, 0, tlb_reason_name(reasons, e->reason));
	annotate(b, "pages", ANNOTATION_UINT, e->arg, e->arg == UINT64_MAX ? "full" : NULL);
	annotate(b, "class", 0, 0, tlb_class_name(e->tlb_class));
}

static void write_instant(struct perfetto_out *p, const struct rec_event *e, uint64_t ts,
			  const struct tlb_reasons *reasons)
{
	size_t ev;

	perfetto_packet_begin(p, true, ts);
	ev = pb_message_begin(&p->packet, PACKET_TRACK_EVENT);
	pb_varint_field(&p->packet, EVENT_TYPE, EVENT_TYPE_INSTANT);
	pb_varint_field(&p->packet, EVENT_TRACK_UUID, thread_track_uuid(e->tid));
	pb_string_field(&p->packet, EVENT_NAME, vm_event_name(e->kind));
	if (e->kind == VM_TLB_FLUSH)
		tlb_annotations(&p->packet, e, reasons);
	else
		fault_annotations(&p->packet, e);
	pb_message_end(&p->packet, ev);
	perfetto_packet_end(p);
}

static void write_counter(struct perfetto_out *p, const struct counter_point *c, uint64_t ts)
{
	size_t ev;

	perfetto_packet_begin(p, true, ts);
	ev = pb_message_begin(&p->packet, PACKET_TRACK_EVENT);
	pb_varint_field(&p->packet, EVENT_TYPE, EVENT_TYPE_COUNTER);
	pb_varint_field(&p->packet, EVENT_TRACK_UUID, c->uuid);
	pb_double_field(&p->packet, EVENT_DOUBLE_COUNTER_VALUE, c->per_s);
	pb_message_end(&p->packet, ev);
	perfetto_packet_end(p);
}

/* The events and the counters' points, merged in time order. */
static void write_timeline(struct perfetto_out *p, const struct recording *r,
			   const struct perfetto_tracks *t, uint64_t shift)
{
	struct tlb_reasons reasons;
	size_t c = 0;

	recording_tlb_reasons(r, &reasons);
	for (size_t i = 0; i < t->nr_by_time && !p->err; i++) {
		const struct rec_event *e = &r->events[t->by_time[i]];

		/* a counter's step at a time comes before the events it counts */
		for (; c < t->nr_points && t->points[c].ts <= e->ts_ns; c++)
			write_counter(p, &t->points[c], t->points[c].ts + shift);
		write_instant(p, e, e->ts_ns + shift, &reasons);
	}
	for (; c < t->nr_points && !p->err; c++)
		write_counter(p, &t->points[c], t->points[c].ts + shift);
}

int report_perfetto(const struct recording *r, FILE *out)
{
	struct perfetto_out p = { .out = out };
	struct perfetto_tracks t;
	uint64_t shift;
	int err = perfetto_tracks_build(r, &t);

	if (err)
		return err;
	choose_clock(r, &p, &shift, t.nr_by_time ? r->events[t.by_time[0]].ts_ns : 0);
	if (t.nr_by_time)
		perfetto_tracks_describe(&p, r, &t, r->events[t.by_time[0]].ts_ns + shift);
	write_timeline(&p, r, &t, shift);
	perfetto_tracks_free(&t);
	pb_free(&p.packet);
	err = report_write_status(out);
	return p.err ? p.err : err;
}
