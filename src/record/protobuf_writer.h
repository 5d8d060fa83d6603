/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Protocol buffers' wire format, the little kvas writes (the Perfetto
 * trace): varints, 64-bit doubles and length-delimited fields, nested
 * messages included, into a growing buffer. Pure.
 */
#ifndef KVAS_PROTOBUF_WRITER_H
#define KVAS_PROTOBUF_WRITER_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

struct pb_buf {
	uint8_t *bytes;
	size_t len, cap;
	int err;		/* -ENOMEM once a write did not fit: sticky, later writes do nothing */
};

/* uint32/64, bool, enum; and int32/64 cast to uint64 (ten bytes when negative, as protobuf's). */
void pb_varint_field(struct pb_buf *b, uint32_t field, uint64_t value);
void pb_double_field(struct pb_buf *b, uint32_t field, double value);
void pb_bytes_field(struct pb_buf *b, uint32_t field, const void *data, size_t len);
void pb_string_field(struct pb_buf *b, uint32_t field, const char *s);

/*
 * A nested message: pb_message_begin writes the tag and returns where its
 * body starts; pb_message_end, once the body is written, puts its length
 * in front of it.
 */
size_t pb_message_begin(struct pb_buf *b, uint32_t field);
void pb_message_end(struct pb_buf *b, size_t body);

/* Empty it for the next message (keeping its memory, and its error). */
void pb_reset(struct pb_buf *b);
void pb_free(struct pb_buf *b);

#endif
