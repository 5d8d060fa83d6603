/* SPDX-License-Identifier: GPL-2.0 */
/* Walk the direct map's page tables in BPF and collect runs of leaves. */
#ifndef KVAS_DMAP_WALK_H
#define KVAS_DMAP_WALK_H

#include <stddef.h>
#include <stdint.h>
#include "dmap_shared.h"

struct dmap_runs {
	struct dmap_run *v;
	size_t n, cap;
};

/* Append a run, merged with the last one when it continues it. -ENOMEM. */
int dmap_runs_add(struct dmap_runs *r, const struct dmap_run *run);
void dmap_runs_free(struct dmap_runs *r);

struct dmap_walk_params {
	uint64_t pgd;			/* a top table: any mm's, kernel half shared */
	uint64_t page_offset_base, pa_mask;
	int levels;
	uint64_t start, end;		/* virtual range to walk */
};

/*
 * Walk [start, end) in chunks of DMAP_WALK_STEPS entries; *chunks says how
 * many BPF runs it took. 0, or -errno (-EFAULT: a table could not be read).
 */
int dmap_walk(const struct dmap_walk_params *p, struct dmap_runs *out, int *chunks);

#endif
