/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The direct map as the walk returns it: runs of leaves of one page size and
 * one set of flags, merged as they come in. Pure: the walk (src/kernel/
 * dmap_walk.c) fills it, the summary and the printers read it.
 */
#ifndef KVAS_DMAP_RUNS_H
#define KVAS_DMAP_RUNS_H

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

#endif
