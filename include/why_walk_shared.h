/* SPDX-License-Identifier: GPL-2.0 */
/* Shared between bpf/why_walk.bpf.c and src/kernel/why_walk.c. */
#ifndef KVAS_WHY_WALK_SHARED_H
#define KVAS_WHY_WALK_SHARED_H

/* Physical addresses timed per run: enough to average bpf_ktime_get_ns() out. */
#define WHY_WALK_ADDRS 256

/* How a run turns each physical address into a pointer before its read. */
enum why_walk_mode {
	WHY_BY_ADDITION,	/* page_offset_base + pa */
	WHY_BY_WALK,		/* the page tables walked for that address */
};

#endif
