/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where kvas record's ring-buffer records go: each kept event into
 * kvas.data, its stack (deduplicated) before it, its process, thread,
 * cgroup and frames noted for the end. A fault waits for its translation,
 * which comes with its thread's next event on that CPU (e->prev, or a
 * VM_TRANSLATION record): one fault waits per CPU, and one that another
 * fault replaces before its translation came is written untranslated.
 */
#ifndef KVAS_RECORD_SINK_H
#define KVAS_RECORD_SINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kvas_data.h"
#include "record_frames.h"
#include "record_procs.h"

struct record_sink {
	struct kd_writer *w;
	struct record_procs procs;
	struct record_frames frames;
	struct rec_event *waiting;	/* per CPU: kind UINT16_MAX when none */
	int nr_cpus;
	uint64_t written, with_stacks;
};

int record_sink_init(struct record_sink *s, struct kd_writer *w, int nr_cpus);
/* One ring-buffer record (struct vm_event or vm_event_stack): 0, or the writer's error. */
int record_sink_take(struct record_sink *s, const void *data, size_t len);
/* The end: the faults still waiting, then frames, tasks, cgroups and mappings. */
int record_sink_finish(struct record_sink *s);
void record_sink_free(struct record_sink *s);

#endif
