/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvas record's call stacks and frames: each distinct stack written once
 * (events refer to it by index), and a frame for every distinct ip of the
 * events and stacks, named at its first sight while its process lives:
 * kernel ips from kallsyms, user ips from the mapped file's symbols.
 */
#ifndef KVAS_RECORD_FRAMES_H
#define KVAS_RECORD_FRAMES_H

#include <stddef.h>
#include <stdint.h>

#include "kvas_data.h"
#include "record_table.h"
#include "recording.h"

struct ksyms;
struct record_procs;
struct user_symbols;

struct record_frames {
	const struct ksyms *ks;		/* borrowed; NULL: kernel ips unnamed */
	uint64_t text_start, text_end;	/* the kernel image: its frames are "vmlinux"'s */
	struct user_symbols *us;	/* borrowed; NULL: user ips unnamed */
	struct record_procs *rp;	/* borrowed: mappings, read again on a miss */
	struct rec_frame *frames;	size_t nr_frames, cap_frames;
	struct record_table frame_at;	/* (pid, ip) */
	struct record_table stack_at;	/* (hash of the ips, pid) */
	uint64_t stacks_cut;		/* user chains marked cut */
};

/* The frame of a user ip of e's task (pid 0: a kernel ip), named when first seen. */
const struct rec_frame *record_frame(struct record_frames *rf, const struct vm_event *e,
				     uint32_t pid, uint64_t ip);
/*
 * The index of s's stack, written now if it is new (the program's own
 * leading frames dropped, the chains' ends judged): 0, or the writer's
 * error.
 */
int record_stack(struct record_frames *rf, struct kd_writer *w, const struct vm_event_stack *s,
		 uint32_t *index);
int record_frames_write(const struct record_frames *rf, struct kd_writer *w);
void record_frames_free(struct record_frames *rf);

#endif
