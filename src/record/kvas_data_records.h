/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside the kvas.data reader: one record's payload into the recording
 * (kvas_data_records.c), for the framing (kvas_data_read.c). Not an API.
 */
#ifndef KVAS_KVAS_DATA_RECORDS_H
#define KVAS_KVAS_DATA_RECORDS_H

#include <stddef.h>
#include <stdint.h>

#include "recording.h"

/* The recording's arrays' capacities, while it is read. */
struct kd_caps {
	size_t meta, events, stacks, frames, processes, threads, cgroups, mappings, dmap_changes;
};

enum kd_parse_result { KD_PARSED, KD_CORRUPT, KD_NO_MEMORY, KD_UNKNOWN_TYPE };

/*
 * Parse a record of type from its payload into r. KD_CORRUPT: fault says
 * why; KD_UNKNOWN_TYPE: a newer minor version's record, to skip. Bytes
 * after the fields this reader knows (a newer minor's) are ignored.
 */
enum kd_parse_result kd_parse_record(uint32_t type, const uint8_t *payload, size_t len,
				     struct recording *r, struct kd_caps *caps,
				     char *fault, size_t fault_size);
/* "event", "stack", ...; "unknown" */
const char *kd_record_name(uint32_t type);
/* n bytes, little endian */
uint64_t kd_get_le(const uint8_t *b, size_t n);

#endif
