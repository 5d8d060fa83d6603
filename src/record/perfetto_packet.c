// SPDX-License-Identifier: GPL-2.0
#include <errno.h>

#include "perfetto_trace.h"

void perfetto_packet_begin(struct perfetto_out *p, bool has_ts, uint64_t ts)
{
	pb_reset(&p->packet);
	p->body = pb_message_begin(&p->packet, TRACE_PACKET);
	if (has_ts) {
		pb_varint_field(&p->packet, PACKET_TIMESTAMP, ts);
		if (p->clock_id)
			pb_varint_field(&p->packet, PACKET_TIMESTAMP_CLOCK_ID, p->clock_id);
	}
	pb_varint_field(&p->packet, PACKET_SEQUENCE_ID, KVAS_SEQUENCE_ID);
	if (!p->started) {
		/* nothing came before on this sequence: no state to carry, none lost */
		pb_varint_field(&p->packet, PACKET_SEQUENCE_FLAGS, SEQ_INCREMENTAL_STATE_CLEARED);
		pb_varint_field(&p->packet, PACKET_FIRST_ON_SEQUENCE, 1);
		p->started = true;
	}
}

void perfetto_packet_end(struct perfetto_out *p)
{
	pb_message_end(&p->packet, p->body);
	if (p->err)
		return;
	if (p->packet.err) {
		p->err = p->packet.err;
		return;
	}
	/* a Trace is its packets one after the other: each goes out whole */
	if (fwrite(p->packet.bytes, 1, p->packet.len, p->out) != p->packet.len)
		p->err = errno ? -errno : -EIO;
}

void perfetto_clock(struct pb_buf *b, uint32_t clock_id, uint64_t ts)
{
	size_t clock = pb_message_begin(b, SNAPSHOT_CLOCKS);

	pb_varint_field(b, CLOCK_ID, clock_id);
	pb_varint_field(b, CLOCK_TIMESTAMP, ts);
	pb_message_end(b, clock);
}
