// SPDX-License-Identifier: GPL-2.0
/*
 * kvas report's file reader: a kvas.data file handed over by someone else,
 * read from memory as kd_read() reads a file, then the lookups report
 * makes with what the file says (stack indexes, pids, keys).
 */
#include "fuzz.h"
#include "kvas_data.h"
#include "recording.h"
#include "vm_decode.h"

static void lookups(const struct recording *r)
{
	struct tlb_reasons reasons;
	char buf[128];

	recording_tlb_reasons(r, &reasons);
	recording_meta(r, "kvas_version");
	for (size_t i = 0; i < r->nr_events && i < 256; i++) {
		const struct rec_event *e = &r->events[i];

		recording_frame_name(r, e->pid, e->ip, buf, sizeof(buf));
		recording_mapping(r, e->pid, e->addr);
		recording_process(r, e->pid);
		recording_thread(r, e->tid);
		recording_cgroup(r, e->cgroup);
		tlb_reason_name(&reasons, e->reason);
		if (e->stack < r->nr_stacks)
			recording_tracing_frames(r, &r->stacks[e->stack]);
	}
	for (size_t i = 0; i < r->nr_dmap_changes && i < 256; i++) {
		recording_dmap_function(r->dmap_changes[i].function);
		recording_dmap_effect_name(recording_dmap_effect(&r->dmap_changes[i]));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct recording r;
	char why[256];

	if (kd_read_buffer(data, size, &r, why, sizeof(why)) >= 0) {
		lookups(&r);
		recording_free(&r);
	}
	return 0;
}
