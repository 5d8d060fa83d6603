// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "protobuf_writer.h"

/* Wire types (protobuf encoding: "Message Structure") */
#define PB_VARINT	0
#define PB_I64		1
#define PB_LEN		2

/* Room for n more bytes: false (and the error set) when there is none. */
static bool pb_room(struct pb_buf *b, size_t n)
{
	uint8_t *bytes;
	size_t cap;

	if (b->err)
		return false;
	if (b->len + n <= b->cap)
		return true;
	cap = b->cap ? b->cap : 256;
	while (cap < b->len + n)
		cap *= 2;
	bytes = realloc(b->bytes, cap);
	if (!bytes) {
		b->err = -ENOMEM;
		return false;
	}
	b->bytes = bytes;
	b->cap = cap;
	return true;
}

static size_t varint_len(uint64_t v)
{
	size_t n = 1;

	while (v >= 0x80) {
		v >>= 7;
		n++;
	}
	return n;
}

/* v at p, seven bits a byte, low first, the high bit saying more follow. */
static void varint_at(uint8_t *p, uint64_t v)
{
	while (v >= 0x80) {
		*p++ = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	*p = (uint8_t)v;
}

static void pb_varint(struct pb_buf *b, uint64_t v)
{
	size_t n = varint_len(v);

	if (!pb_room(b, n))
		return;
	varint_at(b->bytes + b->len, v);
	b->len += n;
}

static void pb_tag(struct pb_buf *b, uint32_t field, unsigned int wire_type)
{
	pb_varint(b, (uint64_t)field << 3 | wire_type);
}

void pb_varint_field(struct pb_buf *b, uint32_t field, uint64_t value)
{
	pb_tag(b, field, PB_VARINT);
	pb_varint(b, value);
}

void pb_double_field(struct pb_buf *b, uint32_t field, double value)
{
	uint64_t bits;

	memcpy(&bits, &value, sizeof(bits));
	pb_tag(b, field, PB_I64);
	if (!pb_room(b, 8))
		return;
	/* little endian, whatever the host's order */
	for (int i = 0; i < 8; i++)
		b->bytes[b->len++] = (uint8_t)(bits >> (8 * i));
}

void pb_bytes_field(struct pb_buf *b, uint32_t field, const void *data, size_t len)
{
	pb_tag(b, field, PB_LEN);
	pb_varint(b, len);
	if (!pb_room(b, len))
		return;
	memcpy(b->bytes + b->len, data, len);
	b->len += len;
}

void pb_string_field(struct pb_buf *b, uint32_t field, const char *s)
{
	pb_bytes_field(b, field, s, strlen(s));
}

size_t pb_message_begin(struct pb_buf *b, uint32_t field)
{
	pb_tag(b, field, PB_LEN);
	return b->len;
}

void pb_message_end(struct pb_buf *b, size_t body)
{
	size_t body_len, n;

	if (b->err)
		return;
	body_len = b->len - body;
	n = varint_len(body_len);
	if (!pb_room(b, n))
		return;
	/* the length goes before the body: move the body up to make room */
	memmove(b->bytes + body + n, b->bytes + body, body_len);
	varint_at(b->bytes + body, body_len);
	b->len += n;
}

void pb_reset(struct pb_buf *b)
{
	b->len = 0;
}

void pb_free(struct pb_buf *b)
{
	free(b->bytes);
	memset(b, 0, sizeof(*b));
}
