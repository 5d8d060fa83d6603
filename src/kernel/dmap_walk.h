/* SPDX-License-Identifier: GPL-2.0 */
/* Walk the direct map's page tables in BPF and collect runs of leaves. */
#ifndef KVAS_DMAP_WALK_H
#define KVAS_DMAP_WALK_H

#include <stddef.h>
#include <stdint.h>
#include "dmap_runs.h"

/* The loaded walk program, kept for every walk of a run. */
struct dmap_walker;

/* Load it for this layout; NULL with errno set. */
struct dmap_walker *dmap_walker_open(uint64_t page_offset_base, uint64_t pa_mask, int levels);
void dmap_walker_close(struct dmap_walker *w);

/*
 * Walk [start, end) from the top table pgd (any mm's: the kernel half is
 * shared) in chunks of DMAP_WALK_STEPS entries; *chunks says how many BPF
 * runs it took. 0, or -errno (-EFAULT: a table could not be read).
 */
int dmap_walk(struct dmap_walker *w, uint64_t pgd, uint64_t start, uint64_t end,
	      struct dmap_runs *out, int *chunks);

#endif
