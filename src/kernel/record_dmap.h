/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvas record's direct-map changes: the hooks of src/kernel/dmap_changes.c
 * (fentry, else kprobe) on the same ring-buffer poll as the events, each
 * change of the record's target written as a KD_DMAP_CHANGE (its kernel
 * stack too with -g), and the meta that says how they were hooked or why
 * the kernel refused.
 */
#ifndef KVAS_RECORD_DMAP_H
#define KVAS_RECORD_DMAP_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "dmap_changes.h"
#include "kvas_data.h"

struct cgroup_cache;
struct container_filter;
struct kconfig;
struct record_sink;
struct ring_buffer;
struct translate_ctx;
struct vm_programs;

/* Whose changes are kept: the record's target. Every field 0 or NULL: all (-a). */
struct record_dmap_target {
	pid_t self;			/* kvas's own: never kept, as its events are not */
	pid_t tgid, tid;		/* -p, -t */
	bool follow;			/* -- COMMAND: the processes p follows */
	int follow_fd;			/* their map, set by record_dmap_open() */
	const uint64_t *cgroups;	/* --cgroup: its keys, VM_CGROUP_TARGETS, 0-ended */
	struct container_filter *containers;	/* -C */
	struct cgroup_cache *cc;
	struct vm_programs *p;
};

struct record_dmap {
	struct dmap_changes dc;
	char status[300];		/* the meta: "fentry", "kprobe", "unavailable: WHY" */
	struct record_sink *sink;	/* borrowed: the writer, frames and tasks */
	const struct translate_ctx *layout;	/* borrowed: a struct page into its address */
	struct record_dmap_target target;
	bool stacks;			/* -g */
	uint64_t written;
};

/*
 * Hook the changes and read them with rb's poll: true when attached; else
 * status says why (the kernel's words) and nothing is recorded.
 */
bool record_dmap_open(struct record_dmap *rd, const struct kconfig *kc, struct ring_buffer *rb);
/* The meta "dmap_changes" (at the start) and "dmap_changes_lost" (at the end). */
int record_dmap_meta_start(const struct record_dmap *rd, struct kd_writer *w);
int record_dmap_meta_end(struct record_dmap *rd, struct kd_writer *w);
/* Does a change of this task pass the target? */
bool record_dmap_wanted(const struct record_dmap_target *t, uint32_t pid, uint32_t tid,
			uint64_t cgroup);
void record_dmap_close(struct record_dmap *rd);

#endif
