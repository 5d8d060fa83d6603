// SPDX-License-Identifier: GPL-2.0
/*
 * The kvas.data reader (the format: kvas_data.h). It trusts nothing in
 * the file: every field is read through a cursor bounded by its record's
 * end, every record is checked against the file's end before it is
 * parsed, and memory grows only as records arrive (each costs at least
 * its 8-byte header), so a hostile file costs memory in proportion to
 * its size. No global state and no assert: kd_read_buffer() is the fuzz
 * target.
 *
 * A file cut short (kvas record killed, disk full) ends at a record
 * boundary or inside its last record, and has no KD_END: the reader
 * returns 1 with what the complete records hold. A record longer than
 * this reader knows carries a newer minor version's fields at its end:
 * they are skipped.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "kvas_data.h"
#include "kvas_data_records.h"

#define KD_HEADER_LEN	12		/* magic, u16 major, u16 minor */
#define KD_RECORD_HEADER 8		/* u32 type, u32 payload length */
/*
 * No record kvas writes comes near this (a stack is 4 KiB at most, a
 * command line 2 MiB): a record declaring more is corrupt, even where the
 * file's end would otherwise make it look like a cut.
 */
#define KD_MAX_RECORD	(64u << 20)
#define KD_READ_CHUNK	(1u << 20)

#define CUT_SHORT "cut short: no end record (kvas record was killed, or its disk filled, before it finished)"

/* One read: the input, where it is, and why it failed. */
struct kd_reader {
	const uint8_t *data;
	size_t size;
	char *why;
	size_t why_len;
};

static void say(struct kd_reader *rd, const char *fmt, ...)
{
	va_list ap;

	if (!rd->why || !rd->why_len)
		return;
	va_start(ap, fmt);
	vsnprintf(rd->why, rd->why_len, fmt, ap);
	va_end(ap);
}

/* The records after the header: 0 at KD_END, 1 when cut short, -1 when corrupt. */
static int read_records(struct kd_reader *rd, struct recording *r)
{
	struct kd_caps caps = { 0 };
	size_t off = KD_HEADER_LEN;
	char fault[128];

	for (;;) {
		enum kd_parse_result res;
		uint32_t type, len;

		if (off == rd->size) {
			say(rd, CUT_SHORT);
			return 1;
		}
		if (rd->size - off < KD_RECORD_HEADER) {
			say(rd, CUT_SHORT "; the last record, at offset %zu, is incomplete", off);
			return 1;
		}
		type = (uint32_t)kd_get_le(rd->data + off, 4);
		len = (uint32_t)kd_get_le(rd->data + off + 4, 4);
		if (len > KD_MAX_RECORD) {
			say(rd, "record at offset %zu: length %u is more than any record holds",
			    off, len);
			return -1;
		}
		if (len > rd->size - off - KD_RECORD_HEADER) {
			say(rd, CUT_SHORT "; the last record, at offset %zu, is incomplete", off);
			return 1;
		}
		if (type == KD_END) {
			off += KD_RECORD_HEADER + len;
			if (off == rd->size)
				return 0;
			say(rd, "offset %zu: data after the end record", off);
			return -1;
		}
		res = kd_parse_record(type, rd->data + off + KD_RECORD_HEADER, len, r, &caps,
				      fault, sizeof(fault));
		if (res == KD_CORRUPT) {
			say(rd, "record at offset %zu (%s): %s", off, kd_record_name(type), fault);
			return -1;
		}
		if (res == KD_NO_MEMORY) {
			say(rd, "record at offset %zu: out of memory", off);
			return -1;
		}
		off += KD_RECORD_HEADER + len;	/* KD_UNKNOWN_TYPE: a newer minor's, skipped */
	}
}

int kd_read_buffer(const void *data, size_t size, struct recording *r, char *why, size_t len)
{
	struct kd_reader rd = { .data = data, .size = size, .why = why, .why_len = len };
	const size_t magic_len = strlen(KD_MAGIC);
	unsigned int major, minor;
	int ret;

	memset(r, 0, sizeof(*r));
	if (why && len)
		why[0] = '\0';
	if (size < magic_len || memcmp(data, KD_MAGIC, magic_len)) {
		say(&rd, size ? "not a kvas.data file" : "empty file: not a kvas.data file");
		return -1;
	}
	if (size < KD_HEADER_LEN) {
		say(&rd, "offset %zu: the header is cut short", size);
		return -1;
	}
	major = (unsigned int)kd_get_le(rd.data + magic_len, 2);
	minor = (unsigned int)kd_get_le(rd.data + magic_len + 2, 2);
	if (major > KD_MAJOR) {
		say(&rd, "version %u.%u is newer than this kvas reads (%u.%u): upgrade kvas",
		    major, minor, KD_MAJOR, KD_MINOR);
		return -1;
	}
	if (major < KD_MAJOR) {
		say(&rd, "version %u.%u: no kvas wrote it", major, minor);
		return -1;
	}
	ret = read_records(&rd, r);
	if (ret < 0) {
		recording_free(r);
		return -1;
	}
	recording_index(r);
	return ret;
}

int kd_read(FILE *f, struct recording *r, char *why, size_t len)
{
	uint8_t *data = NULL;
	size_t size = 0, cap = 0;
	int ret;

	memset(r, 0, sizeof(*r));
	for (;;) {
		size_t got;

		if (cap - size < KD_READ_CHUNK) {
			size_t want = cap ? cap * 2 : KD_READ_CHUNK;
			uint8_t *bigger = want > cap ? realloc(data, want) : NULL;

			if (!bigger) {
				free(data);
				if (why && len)
					snprintf(why, len, "out of memory reading %zu bytes", size);
				return -1;
			}
			data = bigger;
			cap = want;
		}
		got = fread(data + size, 1, cap - size, f);
		size += got;
		if (got)
			continue;
		if (ferror(f)) {
			free(data);
			if (why && len)
				snprintf(why, len, "read error at offset %zu", size);
			return -1;
		}
		break;
	}
	ret = kd_read_buffer(data, size, r, why, len);
	free(data);
	return ret;
}
